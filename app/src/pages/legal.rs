//! `/legal/:kind` and `/legal/:kind/:version`: the published legal documents, readable by
//! anyone (sign-up links to them). A signed-in reader can accept the current version here.

use crate::api::legal::{legal_document, AcceptDocument};
use crate::components::{DateTime, ErrorSummary, Problems, SiteHeader, StatusNotice};
use crate::context::{title_text, tr, use_lang, use_ui};
use crate::error::AppError;
use crate::flash::form_outcome;
use crate::i18n::Key;
use crate::model::DocumentPage;
use crate::pages::NotFound;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn LegalPage() -> impl IntoView {
    let params = use_params_map();
    let lang = use_lang();
    let document = Resource::new(
        move || {
            params.with(|p| {
                (
                    p.get("kind").unwrap_or_default(),
                    p.get("version").unwrap_or_default(),
                    lang.get(),
                )
            })
        },
        |(kind, version, lang)| legal_document(kind, version, lang.code().to_string()),
    );
    view! {
        <SiteHeader />
        <Suspense fallback=|| view! { <p class="loading" role="status">{tr(Key::Loading)}</p> }>
            {move || Suspend::new(async move {
                match document.await {
                    Ok(page) => view! { <Document page /> }.into_any(),
                    Err(AppError::NotFound) => view! { <NotFound /> }.into_any(),
                    Err(error) => {
                        view! {
                            <main id="main" class="narrow-page" tabindex="-1">
                                <ErrorSummary problems=Signal::stored(Problems::from_error(&error)) />
                            </main>
                        }
                            .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn Document(page: DocumentPage) -> impl IntoView {
    let lang = use_lang();
    let kind = page.summary.kind;
    let title = title_text(move |lang| format!("{} · {}", kind.name().text(lang), Key::ProductName.text(lang)));
    let signed_in = use_ui().user.with_untracked(Option::is_some);
    let can_accept = signed_in && page.is_current && page.summary.accepted.is_none();
    view! {
        <Title text=title />
        <main id="main" class="narrow-page legal-page" tabindex="-1">
            <h1>{move || kind.name().text(lang.get())}</h1>
            <p class="legal-meta">
                {tr(Key::VersionLabel)} " " <strong>{page.summary.version.clone()}</strong> " · "
                {tr(Key::PublishedOn)} " " <DateTime stamp=page.summary.published_at />
                {page.is_current.then(|| view! { " · " <span class="badge">{tr(Key::CurrentVersionLabel)}</span> })}
            </p>
            {(!page.is_current)
                .then(|| {
                    view! {
                        <p class="notice" role="note">
                            {tr(Key::EarlierVersionNotice)} " " <a href=kind.path(None)>{tr(Key::ReadCurrentVersion)}</a>
                        </p>
                    }
                })}
            <article class="legal-body" lang=page.body_lang.code() inner_html=page.body_html />
            {can_accept.then(|| view! { <AcceptHere id=page.summary.id.clone() /> })}
        </main>
    }
}

#[component]
fn AcceptHere(id: String) -> impl IntoView {
    let action = ServerAction::<AcceptDocument>::new();
    let outcome = form_outcome(action);
    let lang = use_lang();
    let accepted = Signal::derive(move || matches!(outcome.get(), Some(Ok(_))));
    view! {
        <div class="legal-accept">
            <ErrorSummary problems=Signal::derive(move || Problems::of(&outcome.get())) />
            <StatusNotice text=Signal::derive(move || accepted.get().then(|| Key::AcceptedNotice.text(lang.get()).to_string())) />
            {move || {
                let id = id.clone();
                (!accepted.get())
                    .then(|| {
                        view! {
                            <ActionForm action>
                                <input type="hidden" name="id" value=id />
                                <input type="hidden" name="lang" value=move || lang.get().code() />
                                <button type="submit" class="button button-primary">
                                    {tr(Key::AcceptButton)}
                                </button>
                            </ActionForm>
                        }
                    })
            }}
        </div>
    }
}
