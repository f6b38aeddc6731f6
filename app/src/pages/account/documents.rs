use crate::api::legal::AcceptDocument;
use crate::components::{focus_on_success, DateTime, ErrorSummary, Problems, StatusNotice};
use crate::context::{tr, use_lang};
use crate::flash::form_outcome;
use crate::i18n::Key;
use crate::model::{Acceptance, DocumentSummary, Documents};
use crate::pages::account::use_account_signals;
use leptos::prelude::*;

/// The legal documents a tab shows: the Basic information tab every document but the health
/// data ones, the Health data tab only those. The texts and ids follow.
struct Place {
    id: &'static str,
    status_id: &'static str,
    heading: Key,
    intro: Key,
    empty: Key,
    required: Key,
}

const BASIC: Place = Place {
    id: "documents",
    status_id: "documents-status",
    heading: Key::DocumentsSection,
    intro: Key::DocumentsIntro,
    empty: Key::DocumentsEmpty,
    required: Key::RequiredBadge,
};

const HDS: Place = Place {
    id: "hds-documents",
    status_id: "hds-documents-status",
    heading: Key::HdsDocumentsSection,
    intro: Key::HdsDocumentsIntro,
    empty: Key::HdsDocumentsEmpty,
    required: Key::RequiredForHds,
};

/// The current version of each document with its acceptance, and earlier accepted versions.
/// `hds` picks the Health data tab's documents.
#[component]
pub fn DocumentsSection(documents: RwSignal<Documents>, #[prop(optional)] hds: bool) -> impl IntoView {
    let place = if hds { &HDS } else { &BASIC };
    let action = ServerAction::<AcceptDocument>::new();
    let outcome = form_outcome(action);
    let lang = use_lang();
    let changed = use_account_signals().documents_changed;
    // The accepted document's button goes away: focus goes to the confirmation.
    focus_on_success(action, place.status_id);
    let heading_id = format!("{}-heading", place.id);
    let labelled_by = heading_id.clone();
    Effect::new(move |_| {
        if let Some(Ok(now)) = action.value().get() {
            documents.set(now);
            changed.update(|n| *n += 1);
        }
    });
    let notice = Signal::derive(move || {
        matches!(outcome.get(), Some(Ok(_))).then(|| Key::AcceptedNotice.text(lang.get()).to_string())
    });
    view! {
        <section class="card" id=place.id aria-labelledby=labelled_by>
            <h2 id=heading_id>{tr(place.heading)}</h2>
            <p class="card-intro">{tr(place.intro)}</p>
            <ErrorSummary problems=Signal::derive(move || Problems::of(&outcome.get())) />
            <StatusNotice text=notice id=place.status_id />
            {move || {
                let docs = documents.get().only(hds);
                if docs.current.is_empty() {
                    return view! { <p class="empty-state">{tr(place.empty)}</p> }.into_any();
                }
                view! {
                    <table class="data-table">
                        <thead>
                            <tr>
                                <th scope="col">{tr(Key::DocumentColumn)}</th>
                                <th scope="col">{tr(Key::VersionLabel)}</th>
                                <th scope="col">{tr(Key::PublishedOn)}</th>
                                <th scope="col">{tr(Key::StatusColumn)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {docs
                                .current
                                .into_iter()
                                .map(|doc| view! { <CurrentRow doc action required=place.required /> })
                                .collect_view()}
                        </tbody>
                    </table>
                    {(!docs.archived.is_empty())
                        .then(|| {
                            view! {
                                <h3>{tr(Key::EarlierVersions)}</h3>
                                <ul class="plain-list">
                                    {docs
                                        .archived
                                        .into_iter()
                                        .map(|doc| view! { <ArchivedItem doc /> })
                                        .collect_view()}
                                </ul>
                            }
                        })}
                }
                    .into_any()
            }}
        </section>
    }
    .into_any()
}

#[component]
fn CurrentRow(doc: DocumentSummary, action: ServerAction<AcceptDocument>, required: Key) -> impl IntoView {
    let lang = use_lang();
    let kind = doc.kind;
    let pending = action.pending();
    let status = match doc.accepted {
        Some(acceptance) => view! { <AcceptedOn acceptance /> }.into_any(),
        None => view! {
            <span class="muted">{tr(Key::NotAccepted)}</span>
            <ActionForm action attr:class="inline-form">
                <input type="hidden" name="id" value=doc.id.clone() />
                <input type="hidden" name="lang" value=move || lang.get().code() />
                <button
                    type="submit"
                    class="button button-primary button-small"
                    aria-disabled=move || pending.get().then_some("true")
                    aria-label=move || format!("{} ({})", Key::AcceptButton.text(lang.get()), kind.name().text(lang.get()))
                >
                    {move || if pending.get() { tr(Key::Accepting)() } else { tr(Key::AcceptButton)() }}
                </button>
            </ActionForm>
        }
        .into_any(),
    };
    view! {
        <tr>
            <td>
                <a href=kind.path(None)>{move || kind.name().text(lang.get())}</a>
                {doc.required.then(|| view! { " " <span class="badge">{tr(required)}</span> })}
            </td>
            <td class="nowrap">{doc.version.clone()}</td>
            <td class="nowrap">
                <DateTime stamp=doc.published_at />
            </td>
            <td>{status}</td>
        </tr>
    }
}

#[component]
fn ArchivedItem(doc: DocumentSummary) -> impl IntoView {
    let lang = use_lang();
    let kind = doc.kind;
    let version = doc.version.clone();
    view! {
        <li>
            <a href=kind.path(Some(&doc.version))>
                {move || format!("{}, {} {}", kind.name().text(lang.get()), Key::VersionLabel.text(lang.get()).to_lowercase(), version)}
            </a>
            {doc.accepted.map(|acceptance| view! { " — " <AcceptedOn acceptance /> })}
        </li>
    }
}

#[component]
fn AcceptedOn(acceptance: Acceptance) -> impl IntoView {
    let lang = use_lang();
    view! {
        <span class="accepted">
            {tr(Key::AcceptedOn)} " " <DateTime stamp=acceptance.at /> " ("
            {move || format!("{} {}", Key::InLanguage.text(lang.get()), acceptance.lang.native_name())} ")"
        </span>
    }
}
