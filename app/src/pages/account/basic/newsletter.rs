use crate::api::basic::SetNewsletter;
use crate::components::{DateTime, ErrorSummary, Problems, StatusNotice};
use crate::context::{tr, use_lang};
use crate::flash::form_outcome;
use crate::i18n::Key;
use crate::model::Newsletter;
use leptos::prelude::*;

#[component]
pub fn NewsletterSection(state: RwSignal<Newsletter>) -> impl IntoView {
    let action = ServerAction::<SetNewsletter>::new();
    let outcome = form_outcome(action);
    let lang = use_lang();
    Effect::new(move |_| {
        if let Some(Ok(now)) = outcome.get() {
            state.set(now);
        }
    });
    let subscribed = move || state.with(|s| s.subscribed);
    let notice = Signal::derive(move || match outcome.get() {
        Some(Ok(now)) if now.subscribed => Some(Key::NewsletterSubscribedNotice.text(lang.get()).to_string()),
        Some(Ok(_)) => Some(Key::NewsletterUnsubscribedNotice.text(lang.get()).to_string()),
        _ => None,
    });
    let pending = action.pending();
    view! {
        <section class="card" id="newsletter" aria-labelledby="newsletter-heading">
            <h2 id="newsletter-heading">{tr(Key::NewsletterSection)}</h2>
            <p class="card-intro">{tr(Key::NewsletterIntro)}</p>
            <ErrorSummary problems=Signal::derive(move || Problems::of(&outcome.get())) />
            <p class="newsletter-state" data-testid="newsletter-state">
                <strong>
                    {move || if subscribed() { tr(Key::NewsletterOn)() } else { tr(Key::NewsletterOff)() }}
                </strong>
                {move || {
                    state
                        .get()
                        .changed_at
                        .map(|at| view! { " " {tr(Key::NewsletterSince)} " " <DateTime stamp=at /> })
                }}
            </p>
            <ActionForm action attr:class="inline-form">
                <input type="hidden" name="subscribed" value=move || (!subscribed()).to_string() />
                <button
                    type="submit"
                    class=move || if subscribed() { "button button-secondary" } else { "button button-primary" }
                    aria-disabled=move || pending.get().then_some("true")
                    data-busy=move || pending.get().then_some("true")
                    on:click=move |ev| {
                        if pending.get_untracked() {
                            ev.prevent_default();
                        }
                    }
                >
                    {move || if subscribed() { tr(Key::Unsubscribe)() } else { tr(Key::Subscribe)() }}
                </button>
                <StatusNotice text=notice />
            </ActionForm>
        </section>
    }
    .into_any()
}
