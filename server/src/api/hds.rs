//! `/v1/account/hds_contact`: the Health data tab's point of contact, with the tab's rules.

use super::bearer::ApiUser;
use super::body::{Body, Wrapped};
use super::error::ApiError;
use super::rfc3339;
use crate::db::hds::{review_due_at, StoredHds};
use crate::db::now;
use crate::state::AppState;
use app::model::HdsContact;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use utoipa::ToSchema;

/// What `PUT` takes: every field (a missing one counts as empty, and is refused if required).
#[derive(Deserialize, ToSchema)]
pub struct HdsContactChange {
    /// `company`, `non-profit` or `administration`.
    #[serde(default)]
    org_type: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    /// International (`+33…`) or national to `address_country`; answered in E.164.
    #[serde(default)]
    phone_number: String,
    #[serde(default)]
    company: String,
    #[serde(default)]
    address_line1: String,
    #[serde(default)]
    address_line2: String,
    #[serde(default)]
    address_city: String,
    #[serde(default)]
    address_zip: String,
    /// ISO 3166-1 alpha-2.
    #[serde(default)]
    address_country: String,
    #[serde(default)]
    notes: String,
}

impl Wrapped for HdsContactChange {
    const KEY: &'static str = "hds_contact";
}

fn contact_json(stored: &StoredHds) -> Value {
    let c = &stored.contact;
    json!({ "hds_contact": {
        "org_type": c.org_type,
        "name": c.name,
        "email": c.email,
        "phone_number": c.phone_number,
        "company": c.company,
        "address_line1": c.address_line1,
        "address_line2": c.address_line2,
        "address_city": c.address_city,
        "address_zip": c.address_zip,
        "address_country": c.address_country,
        "notes": c.notes,
        "updated_at": rfc3339(stored.updated_at),
        "reviewed_at": rfc3339(stored.reviewed_at),
        "review_due_at": rfc3339(review_due_at(stored.reviewed_at)),
        "up_to_date": now() < review_due_at(stored.reviewed_at),
    }})
}

async fn stored(state: &AppState, user: &ApiUser) -> Result<StoredHds, ApiError> {
    state
        .server_host
        .stored_hds(&user.caller)
        .await
        .map_err(|e| ApiError::from_app(e, "hds_contact", user.lang))?
        .ok_or(ApiError::NotFound("hds_contact"))
}

#[utoipa::path(get, path = "/v1/account/hds_contact", tag = "hds", security(("bearer" = [])),
    responses((status = 200, description = "`{\"hds_contact\":{…, updated_at, up_to_date}}`"),
        (status = 404, description = "no point of contact saved yet")))]
pub async fn show(State(state): State<AppState>, user: ApiUser) -> Result<Response, ApiError> {
    Ok(Json(contact_json(&stored(&state, &user).await?)).into_response())
}

#[utoipa::path(put, path = "/v1/account/hds_contact", tag = "hds", security(("bearer" = [])),
    request_body(content = HdsContactChange, description = "`{\"hds_contact\":{…}}` or unwrapped"),
    responses((status = 200, description = "`{\"hds_contact\":{…}}`; saving counts as the yearly review"),
        (status = 422, description = "`{\"errors\":{field:[…]}}`; nothing was written")))]
pub async fn update(
    State(state): State<AppState>,
    user: ApiUser,
    Body(change): Body<HdsContactChange>,
) -> Result<Response, ApiError> {
    let typed = HdsContact {
        org_type: change.org_type,
        name: change.name,
        email: change.email,
        phone_number: change.phone_number,
        company: change.company,
        address_line1: change.address_line1,
        address_line2: change.address_line2,
        address_city: change.address_city,
        address_zip: change.address_zip,
        address_country: change.address_country,
        notes: change.notes,
    };
    state
        .server_host
        .save_stored_hds(&user.caller, &typed)
        .await
        .map_err(|e| ApiError::from_app(e, "hds_contact", user.lang))?;
    Ok(Json(contact_json(&stored(&state, &user).await?)).into_response())
}
