use super::use_account_signals;
use crate::api::legal::pending_documents;
use crate::context::{tr, use_lang, use_ui};
use crate::i18n::Key;
use leptos::prelude::*;

/// Shown on every account page while a current required document waits for acceptance
/// (a new version was published since the user last accepted).
#[component]
pub fn DocumentsBanner() -> impl IntoView {
    let changed = use_account_signals().documents_changed;
    let pending = Resource::new(move || changed.get(), |_| pending_documents());
    let lang = use_lang();
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                let docs = pending.await.unwrap_or_default();
                (!docs.is_empty())
                    .then(|| {
                        view! {
                            <aside class="banner" aria-labelledby="documents-banner-title">
                                <p id="documents-banner-title">
                                    <strong>{tr(Key::DocumentsBanner)}</strong>
                                    " "
                                    {docs
                                        .iter()
                                        .map(|d| {
                                            let kind = d.kind;
                                            move || kind.name().text(lang.get())
                                        })
                                        .collect::<Vec<_>>()
                                        .into_iter()
                                        .enumerate()
                                        .map(|(i, name)| view! { {(i > 0).then_some(", ")} {name} })
                                        .collect_view()}
                                </p>
                                <a class="button button-primary" href="/account#documents">
                                    {tr(Key::ReviewAndAccept)}
                                </a>
                            </aside>
                        }
                    })
            })}
        </Suspense>
    }
}

/// Shown on every account page while the healthcare point of contact is due for its yearly
/// review; the Health data tab takes it away as soon as the contact is confirmed or saved.
#[component]
pub fn HdsReviewBanner() -> impl IntoView {
    let user = use_ui().user;
    let due = move || user.with(|u| u.as_ref().is_some_and(|u| u.hds_review_due));
    view! {
        <Show when=due>
            <aside class="banner" aria-labelledby="hds-banner-title" data-testid="hds-banner">
                <p id="hds-banner-title">
                    <strong>{tr(Key::HdsBanner)}</strong>
                </p>
                <a class="button button-primary" href="/account/hds#hds-review">
                    {tr(Key::HdsBannerAction)}
                </a>
            </aside>
        </Show>
    }
}
