use crate::api::timeline::Timeline;
use crate::components::{ErrorSummary, Problems, RelativeTime};
use crate::context::{tr, use_lang};
use crate::events::{agent_text, describe, sentence_names_place};
use crate::i18n::Key;
use crate::model::{EventView, TimelineFilters, TimelinePage};
use leptos::prelude::*;

/// The events of one page; with JavaScript, "Older events" appends the next page in place.
#[component]
pub fn EventList(page: TimelinePage, filters: TimelineFilters) -> impl IntoView {
    let TimelinePage {
        events,
        older,
        newer,
        now,
    } = page;
    let events = RwSignal::new(events);
    let older = RwSignal::new(older);
    let more = ServerAction::<Timeline>::new();
    Effect::new(move |_| {
        if let Some(Ok(next)) = more.value().get() {
            events.update(|list| list.extend(next.events));
            older.set(next.older);
        }
    });
    let problems = Signal::derive(move || Problems::of(&more.value().get()));
    let exports = filters.query(None);
    let link = {
        let filters = filters.clone();
        move |name: &str, cursor: &str| format!("/account/timeline{}", filters.query(Some((name, cursor))))
    };
    let load_older = {
        let filters = filters.clone();
        move |ev: leptos::ev::MouseEvent| {
            let Some(cursor) = older.get_untracked() else { return };
            ev.prevent_default();
            if more.pending().get_untracked() {
                return;
            }
            more.dispatch(Timeline {
                category: Some(filters.category.clone()),
                from: Some(filters.from.clone()),
                to: Some(filters.to.clone()),
                before: Some(cursor),
                after: None,
            });
        }
    };
    view! {
        <p class="exports">
            {tr(Key::ExportLabel)} " "
            <a href=format!("/account/timeline/export.csv{exports}") download="" rel="external">"CSV"</a>
            " · "
            <a href=format!("/account/timeline/export.json{exports}") download="" rel="external">"JSON"</a>
        </p>
        <Show when=move || events.with(Vec::is_empty)>
            <p class="empty-state">{tr(Key::NoEventsMatch)}</p>
        </Show>
        <ol class="event-list" aria-labelledby="timeline-heading">
            <For each=move || events.get() key=|e| e.id let:event>
                <EventItem event now />
            </For>
        </ol>
        <ErrorSummary problems />
        <nav class="pager" aria-label=tr(Key::EventPages)>
            {newer
                .map(|cursor| {
                    view! {
                        <a class="button button-secondary" rel="prev" href=link("after", &cursor)>
                            {tr(Key::NewerEvents)}
                        </a>
                    }
                })}
            {move || {
                older
                    .get()
                    .map(|cursor| {
                        view! {
                            <a
                                class="button button-secondary"
                                rel="next"
                                href=link("before", &cursor)
                                aria-busy=move || more.pending().get().then_some("true")
                                on:click=load_older.clone()
                            >
                                {move || if more.pending().get() { tr(Key::LoadingOlder)() } else { tr(Key::OlderEvents)() }}
                            </a>
                        }
                    })
            }}
            {move || {
                (older.with(Option::is_none) && !events.with(Vec::is_empty))
                    .then(|| view! { <p class="muted">{tr(Key::NoOlderEvents)}</p> })
            }}
        </nav>
    }
}

#[component]
fn EventItem(event: EventView, now: i64) -> impl IntoView {
    let lang = use_lang();
    let place_in_sentence = sentence_names_place(&event.kind);
    let (kind, at, ip, agent) = (event.kind.clone(), event.at, event.ip.clone(), event.agent.clone());
    let text = move || describe(&event, lang.get());
    let place = move || {
        if place_in_sentence {
            return None;
        }
        let lang = lang.get();
        let parts: Vec<String> = ip
            .iter()
            .cloned()
            .chain(agent.as_ref().map(|a| agent_text(a, lang)))
            .collect();
        (!parts.is_empty()).then(|| format!(" · {}", parts.join(" · ")))
    };
    view! {
        <li class="event" data-type=kind>
            <p class="event-sentence">{text}</p>
            <p class="event-meta">
                <RelativeTime stamp=at now />
                {place}
            </p>
        </li>
    }
}
