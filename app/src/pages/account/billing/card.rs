//! `/account/billing/card`: adding a card. Stripe's card element is mounted here and Stripe
//! confirms the card, so its number never reaches this server. It is its own document (the
//! Billing tab links to it with a full page load): only this page's CSP lets Stripe.js in.
//! Without JavaScript the page says a card needs it, and the tab offers SEPA instead.

use crate::api::payments::{begin_card, finish_card};
use crate::components::{focus_by_id, ErrorSummary, Problems};
use crate::context::{page_title, tr};
use crate::error::AppError;
use crate::i18n::Key;
use crate::stripe_js::{self, CardElement, CardError};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use leptos_router::{lazy_route, LazyRoute};

pub struct CardRoute;

#[lazy_route]
impl LazyRoute for CardRoute {
    fn data() -> Self {
        CardRoute
    }

    fn view(_this: Self) -> AnyView {
        view! {
            <Title text=page_title(Key::AddCardHeading) />
            <CardForm />
        }
        .into_any()
    }
}

#[component]
fn CardForm() -> impl IntoView {
    // Before JavaScript runs (and for ever without it) the page says a card needs it.
    let started = RwSignal::new(false);
    let ready = RwSignal::new(false);
    let busy = RwSignal::new(false);
    // A refusal the page was reloaded with (see `save`).
    let refused = use_query_map()
        .with_untracked(|q| q.get("refused"))
        .map(|code| refusal_from_code(&code));
    let error = RwSignal::new(refused);
    // Stripe's objects live in the browser's one thread; on the server the element is an empty
    // value, and a thread-bound store there would panic when a worker thread drops it.
    #[cfg(feature = "hydrate")]
    let element = StoredValue::new_local(None::<(CardElement, String)>);
    #[cfg(not(feature = "hydrate"))]
    let element = StoredValue::new(None::<(CardElement, String)>);
    Effect::new(move |_| {
        started.set(true);
        leptos::task::spawn_local(async move {
            let setup = match begin_card().await {
                Ok(setup) => setup,
                Err(e) => return error.set(Some(e)),
            };
            match stripe_js::mount(&setup.js_url, &setup.publishable_key, "card-element").await {
                Ok(card) => {
                    element.set_value(Some((card, setup.client_secret)));
                    ready.set(true);
                    focus_by_id("card-heading");
                }
                Err(_) => error.set(Some(AppError::Conflict(Key::ErrCardFormUnavailable))),
            }
        });
    });
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some((card, secret)) = element.get_value() else {
            return;
        };
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            let confirmed = stripe_js::confirm(&card, &secret).await;
            leptos::logging::log!(
                "card: Stripe answered {:?}",
                confirmed.as_ref().map(|_| "a setup").map_err(|e| format!("{e:?}"))
            );
            let outcome = match confirmed {
                Ok(intent) => finish_card(intent).await.map(|_| ()).map_err(about_the_card),
                Err(CardError::Refused(_)) => Err(AppError::Conflict(Key::ErrCardDeclined)),
                Err(CardError::Unavailable) => Err(AppError::Conflict(Key::ErrCardFormUnavailable)),
            };
            match outcome {
                // A full load back to the tab: its document's CSP no longer lets Stripe in.
                Ok(()) => crate::browser::load_document("/account/billing?added=card#payment-methods"),
                // The page again, saying why, with a fresh setup to try another card. (Updating
                // this page in place from here did not reach its DOM once Stripe's element had
                // been mounted: a reload is the dependable path.)
                Err(e) => crate::browser::load_document(&format!("{CARD_PAGE}?refused={}", refusal_code(&e))),
            }
        });
    };
    let problems = Signal::derive(move || error.with(|e| e.as_ref().map(Problems::from_error).unwrap_or_default()));
    let loading = move || started.get() && !ready.get() && error.with(Option::is_none);
    view! {
        <section class="card" id="add-card" aria-labelledby="card-heading">
            <h2 id="card-heading" tabindex="-1">{tr(Key::AddCardHeading)}</h2>
            <p class="card-intro">{tr(Key::AddCardIntro)}</p>
            <Show when=move || !started.get()>
                <p class="notice" data-testid="card-needs-js">{tr(Key::CardNeedsJavaScript)}</p>
            </Show>
            <Show when=loading>
                <p class="loading" role="status">{tr(Key::Loading)}</p>
            </Show>
            <div id="card-problems">
                <ErrorSummary problems />
            </div>
            <form on:submit=save novalidate=true>
                <div class="field">
                    <span class="label" id="card-element-label">{tr(Key::CardDetailsLabel)}</span>
                    <div id="card-element" class="card-element" role="group" aria-labelledby="card-element-label"></div>
                </div>
                <div class="form-actions">
                    <button
                        type="submit"
                        class="button"
                        disabled=move || !ready.get() || busy.get()
                        aria-busy=move || busy.get().then_some("true")
                    >
                        {move || if busy.get() { tr(Key::Saving)() } else { tr(Key::SaveCardButton)() }}
                    </button>
                    <a href="/account/billing#payment-methods" rel="external">{tr(Key::BackToBilling)}</a>
                </div>
            </form>
        </section>
    }
}

const CARD_PAGE: &str = "/account/billing/card";

/// How a refusal travels in the reloaded page's address.
fn refusal_code(error: &AppError) -> &'static str {
    match error {
        AppError::Conflict(Key::ErrCardDeclined) => "declined",
        AppError::Conflict(Key::ErrCardNotConfirmed) => "not-confirmed",
        AppError::ReauthRequired => "reauth",
        AppError::SessionExpired => "session",
        _ => "unavailable",
    }
}

fn refusal_from_code(code: &str) -> AppError {
    match code {
        "declined" => AppError::Conflict(Key::ErrCardDeclined),
        "not-confirmed" => AppError::Conflict(Key::ErrCardNotConfirmed),
        "reauth" => AppError::ReauthRequired,
        "session" => AppError::SessionExpired,
        _ => AppError::Conflict(Key::ErrCardFormUnavailable),
    }
}

/// The page has one field, Stripe's: a refusal about "the card" is said for the whole form.
fn about_the_card(error: AppError) -> AppError {
    match error {
        AppError::Invalid(problems) => {
            AppError::Conflict(problems.first().map_or(Key::ErrCardDeclined, |problem| problem.key))
        }
        other => other,
    }
}
