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

/// Where the page stands.
#[derive(Clone, Debug, PartialEq)]
enum Stage {
    /// Before JavaScript runs (and for ever without it).
    Waiting,
    Loading,
    Ready,
    Saving,
    Failed(AppError),
}

#[component]
fn CardForm() -> impl IntoView {
    let stage = RwSignal::new(Stage::Waiting);
    let element = StoredValue::new_local(None::<(CardElement, String)>);
    // Mounting starts once the page runs in the browser: the server renders the "needs
    // JavaScript" state, which the browser replaces.
    Effect::new(move |_| {
        stage.set(Stage::Loading);
        leptos::task::spawn_local(async move {
            let setup = match begin_card().await {
                Ok(setup) => setup,
                Err(e) => return stage.set(Stage::Failed(e)),
            };
            match stripe_js::mount(&setup.js_url, &setup.publishable_key, "card-element").await {
                Ok(card) => {
                    element.set_value(Some((card, setup.client_secret)));
                    stage.set(Stage::Ready);
                    focus_by_id("card-heading");
                }
                Err(_) => stage.set(Stage::Failed(AppError::Conflict(Key::ErrCardFormUnavailable))),
            }
        });
    });
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some((card, secret)) = element.get_value() else {
            return;
        };
        stage.set(Stage::Saving);
        leptos::task::spawn_local(async move {
            let confirmed = stripe_js::confirm(&card, &secret).await;
            let outcome = match confirmed {
                Ok(intent) => finish_card(intent).await.map(|_| ()).map_err(about_the_card),
                Err(CardError::Refused(_)) => Err(AppError::Conflict(Key::ErrCardDeclined)),
                Err(CardError::Unavailable) => Err(AppError::Conflict(Key::ErrCardFormUnavailable)),
            };
            match outcome {
                Ok(()) => {
                    // A full load back to the tab: its document's CSP no longer lets Stripe in.
                    crate::browser::load_document("/account/billing?added=card#payment-methods");
                }
                // The error summary takes focus itself.
                Err(e) => stage.set(Stage::Failed(e)),
            }
        });
    };
    let problems = Signal::derive(move || match stage.get() {
        Stage::Failed(e) => Problems::from_error(&e),
        _ => Problems::default(),
    });
    let busy = move || stage.get() == Stage::Saving;
    view! {
        <section class="card" id="add-card" aria-labelledby="card-heading">
            <h2 id="card-heading" tabindex="-1">{tr(Key::AddCardHeading)}</h2>
            <p class="card-intro">{tr(Key::AddCardIntro)}</p>
            <Show when=move || stage.get() == Stage::Waiting>
                <p class="notice" data-testid="card-needs-js">{tr(Key::CardNeedsJavaScript)}</p>
            </Show>
            <Show when=move || stage.get() == Stage::Loading>
                <p class="loading" role="status">{tr(Key::Loading)}</p>
            </Show>
            <div id="card-problems" tabindex="-1">
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
                        disabled=move || { stage.track(); element.with_value(Option::is_none) || busy() }
                        aria-busy=move || busy().then_some("true")
                    >
                        {move || if busy() { tr(Key::Saving)() } else { tr(Key::SaveCardButton)() }}
                    </button>
                    <a href="/account/billing#payment-methods" rel="external">{tr(Key::BackToBilling)}</a>
                </div>
            </form>
        </section>
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
