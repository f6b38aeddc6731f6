//! The Health data (HDS) tab's server functions.
// The contact form posts eleven plain fields (so it works without JavaScript, and its field
// names are the API's): the function generated for the browser takes them all.
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::model::HdsContact;
use crate::model::{HdsOverview, HdsSaved};
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "account/hds")]
pub async fn load_hds() -> Result<HdsOverview, AppError> {
    let (host, caller) = crate::host::signed_in()?;
    // This tab's port only.
    let host: std::sync::Arc<dyn crate::host::HdsPort> = host;
    host.hds_overview(&caller).await
}

/// The whole contact, field by field (the names are the API's).
#[server(prefix = "/api", endpoint = "account/hds/contact")]
pub async fn save_hds_contact(
    org_type: String,
    name: String,
    email: String,
    phone_number: String,
    company: String,
    address_line1: String,
    address_line2: String,
    address_city: String,
    address_zip: String,
    address_country: String,
    notes: String,
) -> Result<HdsSaved, AppError> {
    let (host, caller) = crate::host::signed_in()?;
    // This tab's port only.
    let host: std::sync::Arc<dyn crate::host::HdsPort> = host;
    let typed = HdsContact {
        org_type,
        name,
        email,
        phone_number,
        company,
        address_line1,
        address_line2,
        address_city,
        address_zip,
        address_country,
        notes,
    };
    host.save_hds_contact(&caller, typed).await
}

/// "Still accurate": a review without changes.
#[server(prefix = "/api", endpoint = "account/hds/review")]
pub async fn review_hds_contact() -> Result<HdsSaved, AppError> {
    let (host, caller) = crate::host::signed_in()?;
    // This tab's port only.
    let host: std::sync::Arc<dyn crate::host::HdsPort> = host;
    host.review_hds_contact(&caller).await
}
