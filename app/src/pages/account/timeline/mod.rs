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
        // Each page carries the filters it was read for: while new ones load, the resource
        // still holds the previous page, whose count must not be announced as theirs.
        let page = Resource::new(
            move || (filters.get(), param("before"), param("after")),
            |(f, before, after)| async move {
                let read = timeline(
                    Some(f.category.clone()),
                    Some(f.from.clone()),
                    Some(f.to.clone()),
                    Some(before),
                    Some(after),
                )
                .await;
                (f, read)
            },
        );
        // The form is made anew for new filters (so "Clear filters" empties it): focus would
        // fall to the page's top with the button that was pressed. It goes back to the button.
        Effect::new(move |previous: Option<TimelineFilters>| {
            let now = filters.get();
            if previous.is_some_and(|p| p != now) {
                crate::components::focus_by_id("apply-filters");
            }
            now
        });
        // While a filtered page loads, the old one stays (a transition) and says it is busy.
        // Only in the browser: the transition also reports on the server, whose HTML must be
        // the one the browser hydrates (idle).
        let (busy, set_busy) = signal(false);
        let set_busy = SignalSetter::map(move |pending: bool| {
            if cfg!(feature = "hydrate") {
                set_busy.set(pending);
            }
        });
        let lang = crate::context::use_lang();
        // How many events new filters show, told to screen readers (the list itself is not a
        // live region: it would read every event). Only once the filters change in the page:
        // a page that was just opened is read from its top, and the server (whose render
        // does not wait for the list here) and the hydrating browser must agree on it.
        let shown = RwSignal::new(None::<String>);
        Effect::new(move |before: Option<(TimelineFilters, bool)>| {
            let current = filters.get();
            let count = page.with(|p| match p {
                Some((read_for, Ok(page))) if *read_for == current => Some(page.events.len()),
                _ => None,
            });
            let changed = before.as_ref().is_some_and(|(f, ever)| *ever || *f != current);
            if let (true, Some(count)) = (changed, count) {
                let lang = lang.get_untracked();
                shown.set(Some(match count {
                    0 => Key::NoEventsMatch.text(lang).to_string(),
                    1 => format!("1 {}", Key::EventsShownOne.text(lang)),
                    n => format!("{n} {}", Key::EventsShownMany.text(lang)),
                }));
            }
            (current, changed)
        });
        view! {
            <Title text=page_title(Key::TabTimeline) />
            // Not a landmark of its own: the tab panel around it is already named "Timeline".
            <div class="card" id="timeline" aria-busy=move || busy.get().then_some("true")>
                <h2 id="timeline-heading">{tr(Key::TabTimeline)}</h2>
                <p class="card-intro">{tr(Key::TimelineIntro)}</p>
                // Recreated when the URL changes, so "Clear filters" empties the fields too.
                {move || view! { <filters::FilterForm filters=filters.get() busy /> }}
                <p class="visually-hidden" role="status" data-testid="events-shown">
                    {shown}
                </p>
                <Transition set_pending=set_busy fallback=|| view! { <p class="loading" role="status">{tr(Key::Loading)}</p> }>
                    {move || Suspend::new(async move {
                        match page.await.1 {
                            Ok(page) => view! { <list::EventList page filters=filters.get_untracked() /> }.into_any(),
                            Err(error @ AppError::Invalid(_)) => {
                                view! { <ErrorSummary problems=Signal::stored(Problems::from_error(&error)) /> }.into_any()
                            }
                            Err(error) => view! { <TabError error /> }.into_any(),
                        }
                    })}
                </Transition>
            </div>
        }
        .into_any()
    }
}
