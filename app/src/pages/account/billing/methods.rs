//! Payment methods on the Billing tab: the list with the default, "make default" and remove
//! (asked first), a card (its own page, JavaScript), a SEPA mandate (a plain form), and buying
//! prepaid credit with the default method. Every change needs the re-authentication window.

use super::super::reauth_card::ReauthCard;
use crate::api::payments::{AddSepaMandate, BuyCredit, MakeDefaultMethod, RemoveMethod};
use crate::components::{
    focus_on_success, Confirm, DateTime, ErrorSummary, Problems, StatusNotice, SubmitButton, TextField,
};
use crate::context::{tr, use_lang};
use crate::error::AppError;
use crate::flash::{form_outcome, typed_or};
use crate::i18n::Key;
use crate::model::{AuthChanged, BillingOverview, PaymentKind, PaymentMethodView};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

fn method_label(method: &PaymentMethodView, lang: crate::i18n::Lang) -> String {
    match method.kind {
        PaymentKind::Card => format!("{} •••• {}", capitalised(&method.brand), method.last4),
        PaymentKind::Sepa => format!("{} •••• {}", Key::SourceSepa.text(lang), method.last4),
    }
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[component]
pub fn PaymentMethodsSection(overview: RwSignal<BillingOverview>, reload: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let make_default = ServerAction::<MakeDefaultMethod>::new();
    let remove = ServerAction::<RemoveMethod>::new();
    let last = RwSignal::new(None::<Result<AuthChanged, AppError>>);
    for outcome in [form_outcome(make_default), form_outcome(remove)] {
        Effect::new(move |_| {
            if let Some(o) = outcome.get() {
                if o.is_ok() {
                    reload.run(());
                }
                last.set(Some(o));
            }
        });
    }
    // Back from the card page: say so where the list is.
    let card_added = use_query_map().with_untracked(|q| q.get("added").as_deref() == Some("card"));
    let notice = Signal::derive(move || match last.get() {
        Some(Ok(changed)) => Some(changed.what.text(lang.get()).to_string()),
        None if card_added => Some(Key::CardAdded.text(lang.get()).to_string()),
        _ => None,
    });
    focus_on_success(make_default, "methods-status");
    focus_on_success(remove, "methods-status");
    let problems = Signal::derive(move || Problems::of(&last.get()));
    let configured = overview.with_untracked(|o| o.payments_configured);
    let methods = Memo::new(move |_| overview.with(|o| o.methods.clone()));
    let until = Signal::derive(move || overview.with(|o| o.reauth_until));
    let window_open = Signal::derive(move || until.with(Option::is_some));
    let two_factor_on = Signal::derive(move || overview.with(|o| o.two_factor_on));
    let passkeys = Signal::derive(move || overview.with(|o| o.has_passkeys));
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    if !configured {
        return view! {
            <section class="card" id="payment-methods" aria-labelledby="payment-methods-heading">
                <h2 id="payment-methods-heading">{tr(Key::PaymentMethodsSection)}</h2>
                <p class="notice" data-testid="payments-not-configured">{tr(Key::PaymentsNotConfigured)}</p>
            </section>
        }
        .into_any();
    }
    view! {
        <section class="card" id="payment-methods" aria-labelledby="payment-methods-heading">
            <h2 id="payment-methods-heading">{tr(Key::PaymentMethodsSection)}</h2>
            <p class="card-intro">{tr(Key::PaymentMethodsIntro)}</p>
            <ErrorSummary problems />
            <StatusNotice text=notice id="methods-status" />
            <Show
                when=move || methods.with(|m| !m.is_empty())
                fallback=|| view! { <p class="empty-state" data-testid="no-methods">{tr(Key::NoPaymentMethods)}</p> }
            >
                <ul class="item-list" data-testid="methods">
                    <For
                        each=move || methods.get()
                        key=|m| (m.id.clone(), m.is_default)
                        let:method
                    >
                        <MethodItem method make_default remove />
                    </For>
                </ul>
            </Show>
            <ReauthCard until two_factor_on on_done=reload passkeys />
            <h3>{tr(Key::AddCardHeading)}</h3>
            <Show
                when=move || hydrated.get()
                fallback=|| view! { <p class="muted" data-testid="card-needs-js">{tr(Key::CardNeedsJavaScript)}</p> }
            >
                <Show
                    when=move || window_open.get()
                    fallback=|| view! { <p class="muted">{tr(Key::NeedsReauthPayment)}</p> }
                >
                    // A full page load: only the card page's CSP lets Stripe.js in.
                    <a class="button button-secondary" href="/account/billing/card" rel="external">
                        {tr(Key::AddCardButton)}
                    </a>
                </Show>
            </Show>
            <SepaForm window_open reload />
        </section>
    }
    .into_any()
}

#[component]
fn MethodItem(
    method: PaymentMethodView,
    make_default: ServerAction<MakeDefaultMethod>,
    remove: ServerAction<RemoveMethod>,
) -> impl IntoView {
    let lang = use_lang();
    let label = method_label(&method, lang.get_untracked());
    let title = {
        let method = method.clone();
        move || method_label(&method, lang.get())
    };
    let detail = match method.kind {
        PaymentKind::Card => {
            let expiry = method.expiry.clone();
            view! { <p class="muted">{tr(Key::CardExpires)} " " {expiry}</p> }.into_any()
        }
        PaymentKind::Sepa => {
            let pdf = format!("/account/billing/mandates/{}/pdf", method.id);
            let signed = method.mandate_signed_at;
            view! {
                <p class="muted">
                    {tr(Key::MandateReference)} " " <code>{method.mandate_reference.clone()}</code> " · "
                    {tr(Key::MandateSignedOn)} " " {signed.map(|stamp| view! { <DateTime stamp /> })} " · "
                    <a href=pdf download="" rel="external">{tr(Key::MandatePdf)}</a>
                </p>
            }
            .into_any()
        }
    };
    let id = method.id.clone();
    let remove_id = method.id.clone();
    view! {
        <li class="item" data-testid="payment-method">
            <div class="item-main">
                <h3 class="item-title">
                    {title}
                    {method.is_default.then(|| view! { " " <span class="badge">{tr(Key::DefaultMethod)}</span> })}
                </h3>
                {detail}
            </div>
            <div class="item-actions">
                {(!method.is_default)
                    .then(|| {
                        view! {
                            <ActionForm action=make_default>
                                <input type="hidden" name="id" value=id.clone() />
                                <SubmitButton
                                    label=Key::MakeDefault
                                    busy_label=Key::Saving
                                    busy=make_default.pending()
                                    class="button button-small button-secondary"
                                />
                            </ActionForm>
                        }
                    })}
                <Confirm action=Key::RemoveMethod subject=label warning=Key::RemoveMethodWarning>
                    <ActionForm action=remove>
                        <input type="hidden" name="id" value=remove_id.clone() />
                        <SubmitButton
                            label=Key::RemoveMethodConfirm
                            busy_label=Key::Removing
                            busy=remove.pending()
                            class="button button-danger"
                        />
                    </ActionForm>
                </Confirm>
            </div>
        </li>
    }
}

/// A SEPA Direct Debit mandate from an IBAN: works without JavaScript.
#[component]
fn SepaForm(window_open: Signal<bool>, reload: Callback<()>) -> impl IntoView {
    let action = ServerAction::<AddSepaMandate>::new();
    let outcome = form_outcome(action);
    let lang = use_lang();
    Effect::new(move |_| {
        if let Some(Ok(_)) = outcome.get() {
            reload.run(());
        }
    });
    focus_on_success(action, "sepa-status");
    let field = move |name: &'static str| {
        Signal::derive(move || outcome.with(|o| o.as_ref().and_then(|r| r.as_ref().err()).and_then(|e| e.field(name))))
    };
    let notice = Signal::derive(move || match outcome.get() {
        Some(Ok(changed)) => Some(changed.what.text(lang.get()).to_string()),
        _ => None,
    });
    let accept_error = field("accept_mandate");
    view! {
        <h3 id="sepa-heading">{tr(Key::AddSepaHeading)}</h3>
        <Show when=move || !window_open.get()>
            <p class="muted">{tr(Key::NeedsReauthPayment)}</p>
        </Show>
        <ErrorSummary problems=Signal::derive(move || Problems::of(&outcome.get())) />
        <ActionForm action attr:novalidate=true attr:aria-labelledby="sepa-heading">
            <TextField
                name="iban"
                label=Key::IbanLabel
                autocomplete="off"
                help=Some(Key::IbanHelp)
                value=typed_or(AddSepaMandate::PATH, "iban", "")
                error=field("iban")
            />
            <TextField
                name="holder"
                label=Key::AccountHolderLabel
                autocomplete="name"
                value=typed_or(AddSepaMandate::PATH, "holder", "")
                error=field("holder")
            />
            <p class="mandate-text" id="mandate-text">{tr(Key::MandateText)}</p>
            <div class="field field-checkbox" class:field-invalid=move || accept_error.get().is_some()>
                <input
                    type="checkbox"
                    id="field-accept_mandate"
                    name="accept_mandate"
                    value="yes"
                    aria-describedby="mandate-text"
                    aria-invalid=move || accept_error.get().map(|_| "true")
                />
                <label for="field-accept_mandate">{tr(Key::AcceptMandateLabel)}</label>
                {move || {
                    accept_error
                        .get()
                        .map(|e| view! { <p class="field-error" id="field-accept_mandate-error">{move || e.text(lang.get())}</p> })
                }}
            </div>
            <div class="form-actions">
                <SubmitButton label=Key::SignMandateButton busy_label=Key::Saving busy=action.pending() />
                <StatusNotice text=notice id="sepa-status" />
            </div>
        </ActionForm>
    }
}

/// Buying prepaid credit with the default method: shown when payment is set up.
#[component]
pub fn BuyCreditForm(reload: Callback<()>, has_method: Signal<bool>, purchase_key: Signal<String>) -> impl IntoView {
    let action = ServerAction::<BuyCredit>::new();
    let outcome = form_outcome(action);
    let lang = use_lang();
    // Every answer reads the tab again: the balance and history, and a new purchase key, so
    // that buying again after an answer (even a refusal) is a new purchase, while the same
    // form sent twice before its answer buys once.
    Effect::new(move |_| {
        if action.value().with(Option::is_some) {
            reload.run(());
        }
    });
    focus_on_success(action, "credit-status");
    let error = Signal::derive(move || {
        outcome.with(|o| {
            o.as_ref()
                .and_then(|r| r.as_ref().err())
                .and_then(|e| e.field("amount"))
        })
    });
    let notice = Signal::derive(move || match outcome.get() {
        Some(Ok(changed)) => Some(changed.what.text(lang.get()).to_string()),
        _ => None,
    });
    view! {
        <h3 id="buy-credit-heading">{tr(Key::BuyCreditHeading)}</h3>
        <Show when=move || !has_method.get()>
            <p class="muted">{tr(Key::BuyCreditNeedsMethod)}</p>
        </Show>
        <ErrorSummary problems=Signal::derive(move || Problems::of(&outcome.get())) />
        <ActionForm action attr:novalidate=true attr:aria-labelledby="buy-credit-heading">
            <input type="hidden" name="purchase_key" value=purchase_key />
            <TextField
                name="amount"
                label=Key::CreditAmountLabel
                input_type="text"
                autocomplete="off"
                help=Some(Key::CreditAmountHelp)
                value=typed_or(BuyCredit::PATH, "amount", "")
                error
            />
            <div class="form-actions">
                <SubmitButton label=Key::BuyCreditButton busy_label=Key::Saving busy=action.pending() />
                <StatusNotice text=notice id="credit-status" />
            </div>
        </ActionForm>
    }
}
