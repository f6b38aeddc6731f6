//! The Billing tab's payment server functions: payment methods and buying credit. Each needs
//! the re-authentication window.

use crate::error::AppError;
use crate::model::{AuthChanged, CardSetup};
use leptos::prelude::*;

/// Starts adding a card: what Stripe.js needs (the page then confirms the card with Stripe).
#[server(prefix = "/api", endpoint = "account/billing/card/begin")]
pub async fn begin_card() -> Result<CardSetup, AppError> {
    let (host, caller) = crate::host::signed_in()?;
    let host: std::sync::Arc<dyn crate::host::BillingPort> = host;
    host.begin_card(&caller).await
}

/// Keeps the card Stripe.js confirmed (`setup_intent`: its SetupIntent's id).
#[server(prefix = "/api", endpoint = "account/billing/card/finish")]
pub async fn finish_card(setup_intent: String) -> Result<AuthChanged, AppError> {
    let (host, caller) = crate::host::signed_in()?;
    let host: std::sync::Arc<dyn crate::host::BillingPort> = host;
    host.finish_card(&caller, &setup_intent).await
}

/// Signs a SEPA Direct Debit mandate (`accept_mandate` is the ticked box).
#[server(prefix = "/api", endpoint = "account/billing/sepa")]
pub async fn add_sepa_mandate(
    iban: String,
    holder: String,
    #[server(default)] accept_mandate: Option<String>,
) -> Result<AuthChanged, AppError> {
    let (host, caller) = crate::host::signed_in()?;
    let host: std::sync::Arc<dyn crate::host::BillingPort> = host;
    host.add_sepa(&caller, &iban, &holder, accept_mandate.is_some()).await
}

#[server(prefix = "/api", endpoint = "account/billing/method/default")]
pub async fn make_default_method(id: String) -> Result<AuthChanged, AppError> {
    let (host, caller) = crate::host::signed_in()?;
    let host: std::sync::Arc<dyn crate::host::BillingPort> = host;
    host.make_default_method(&caller, &id).await
}

#[server(prefix = "/api", endpoint = "account/billing/method/remove")]
pub async fn remove_method(id: String) -> Result<AuthChanged, AppError> {
    let (host, caller) = crate::host::signed_in()?;
    let host: std::sync::Arc<dyn crate::host::BillingPort> = host;
    host.remove_method(&caller, &id).await
}

/// Buys prepaid credit with the default method (`amount` in euros, as typed). `purchase_key`
/// is the form's own key: the same form sent twice buys once. A form without one (a page from
/// before the key existed) is refused as out of date rather than bought without the guard.
#[server(prefix = "/api", endpoint = "account/billing/credit")]
pub async fn buy_credit(amount: String, #[server(default)] purchase_key: String) -> Result<AuthChanged, AppError> {
    let (host, caller) = crate::host::signed_in()?;
    let host: std::sync::Arc<dyn crate::host::BillingPort> = host;
    host.buy_credit(&caller, &amount, &purchase_key).await
}
