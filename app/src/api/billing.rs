//! The Billing tab's server functions.
// The profile form posts ten plain fields (so it works without JavaScript, and its field names
// are the API's): the function generated for the browser takes them all.
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use crate::model::{BillingOverview, BillingProfile};
use leptos::prelude::*;

/// The tab's data; pages of the invoice list and of the history are 1-based.
#[server(prefix = "/api", endpoint = "account/billing")]
pub async fn load_billing(invoices_page: u32, history_page: u32) -> Result<BillingOverview, AppError> {
    let (host, caller) = crate::host::signed_in()?;
    // This tab's port only.
    let host: std::sync::Arc<dyn crate::host::BillingPort> = host;
    host.billing_overview(&caller, invoices_page, history_page).await
}

/// The whole billing profile, field by field (the names are the API's).
#[server(prefix = "/api", endpoint = "account/billing/profile")]
pub async fn save_billing_profile(
    name: String,
    company: String,
    email: String,
    address_line1: String,
    address_line2: String,
    address_zip: String,
    address_city: String,
    address_country: String,
    vat_number: String,
    invoice_additional_info: String,
) -> Result<BillingProfile, AppError> {
    let (host, caller) = crate::host::signed_in()?;
    // This tab's port only.
    let host: std::sync::Arc<dyn crate::host::BillingPort> = host;
    let typed = BillingProfile {
        name,
        company,
        email,
        address_line1,
        address_line2,
        address_city,
        address_zip,
        address_country,
        vat_number,
        invoice_additional_info,
    };
    host.save_billing_profile(&caller, typed).await
}
