//! The Timeline tab: every event of the account, newest first, filtered by category and
//! period through the URL (so a filtered view can be bookmarked and works without JavaScript),
//! paged by keyset, exportable as CSV and JSON.

mod filters;
mod list;

use super::TabError;
use crate::api::timeline::timeline;
use crate::components::{ErrorSummary, Problems};
use crate::context::{page_title, tr};
use crate::error::AppError;
use crate::i18n::Key;
use crate::model::TimelineFilters;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use leptos_router::{lazy_route, LazyRoute};

/// The Timeline tab, a lazily loaded route: its code, its data's types and the call that loads
/// a page of events are a WASM chunk of their own, fetched when the tab is first shown or its
/// link is hovered or focused. The filters and cursors come from the URL.
pub struct TimelineRoute;

#[lazy_route]
impl LazyRoute for TimelineRoute {
    fn data() -> Self {
        TimelineRoute
    }

    fn view(_this: Self) -> AnyView {
        let query = use_query_map();
        let param = move |name: &str| query.with(|q| q.get(name).unwrap_or_default());
        let filters = Memo::new(move |_| TimelineFilters {
            category: param("category"),
            from: param("from"),
            to: param("to"),
        });
        let page = Resource::new(
            move || (filters.get(), param("before"), param("after")),
            |(f, before, after)| timeline(Some(f.category), Some(f.from), Some(f.to), Some(before), Some(after)),
        );
        view! {
            <Title text=page_title(Key::TabTimeline) />
            <section class="card" id="timeline" aria-labelledby="timeline-heading">
                <h2 id="timeline-heading">{tr(Key::TabTimeline)}</h2>
                <p class="card-intro">{tr(Key::TimelineIntro)}</p>
                // Recreated when the URL changes, so "Clear filters" empties the fields too.
                {move || view! { <filters::FilterForm filters=filters.get() /> }}
                <Transition fallback=|| view! { <p class="loading" role="status">{tr(Key::Loading)}</p> }>
                    {move || Suspend::new(async move {
                        match page.await {
                            Ok(page) => view! { <list::EventList page filters=filters.get_untracked() /> }.into_any(),
                            Err(error @ AppError::Invalid(_)) => {
                                view! { <ErrorSummary problems=Signal::stored(Problems::from_error(&error)) /> }.into_any()
                            }
                            Err(error) => view! { <TabError error /> }.into_any(),
                        }
                    })}
                </Transition>
            </section>
        }
        .into_any()
    }
}
