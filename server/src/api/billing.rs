//! `/v1/account/billing/*` and `/v1/account/invoices*`: Scalingo's billing shapes, with the
//! Billing tab's rules.

use super::bearer::ApiUser;
use super::body::{ApiQuery, Body, Wrapped};
use super::error::ApiError;
use super::events::{number, Paging, MAX_PER_PAGE};
use super::rfc3339;
use crate::billing::money::Month;
use crate::db::billing::methods::{Kind, StoredMethod};
use crate::db::billing::{LedgerEntry, StoredInvoice};
use crate::state::AppState;
use app::model::BillingProfile;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use http::{header, HeaderValue};
use serde::Deserialize;
use serde_json::{json, Value};
use utoipa::ToSchema;

/// What `PUT` takes: every field (a missing one counts as empty, and is refused if required).
#[derive(Deserialize, ToSchema)]
pub struct BillingProfileChange {
    #[serde(default)]
    name: String,
    #[serde(default)]
    company: String,
    #[serde(default)]
    email: String,
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
    /// An EU VAT number with its country prefix, checked against `address_country`.
    #[serde(default)]
    vat_number: String,
    #[serde(default)]
    invoice_additional_info: String,
}

impl Wrapped for BillingProfileChange {
    const KEY: &'static str = "billing_profile";
}

fn public_url(state: &AppState) -> &str {
    state.config.public_url.trim_end_matches('/')
}

fn profile_json(
    state: &AppState,
    user: &ApiUser,
    profile: Option<&BillingProfile>,
    credit: i64,
    methods: &[StoredMethod],
) -> Value {
    let p = profile.cloned().unwrap_or_default();
    let default = methods.iter().find(|m| m.is_default);
    let card = methods
        .iter()
        .find(|m| m.kind == Kind::Card && m.is_default)
        .or_else(|| methods.iter().find(|m| m.kind == Kind::Card));
    let sepa = methods
        .iter()
        .find(|m| m.kind == Kind::Sepa && m.is_default)
        .or_else(|| methods.iter().find(|m| m.kind == Kind::Sepa));
    let base = public_url(state);
    let stripe_payment_method = (card.is_some() || sepa.is_some()).then(|| {
        json!({
            "default_card_last4": card.map(|c| c.last4.clone()),
            "default_card_exp": card.map(|c| format!("{:02}/{}", c.exp_month, c.exp_year)),
            "default_card_brand": card.map(|c| c.brand.clone()),
            "sepa_country": sepa.map(|s| s.country.clone()),
            "sepa_last4": sepa.map(|s| s.last4.clone()),
            "sepa_mandate_reference": sepa.map(|s| s.mandate_reference.clone()),
            "sepa_mandate_url": sepa.map(|s| format!("{base}/account/billing/mandates/{}/pdf", s.id)),
        })
    });
    let payment_method = match default.map(|m| m.kind) {
        Some(Kind::Card) => "card",
        Some(Kind::Sepa) => "sepa",
        None => "credit",
    };
    json!({ "billing_profile": {
        "id": user.caller.user_id,
        "name": p.name,
        "company": p.company,
        "email": p.email,
        "address_line1": p.address_line1,
        "address_line2": p.address_line2,
        "address_city": p.address_city,
        "address_zip": p.address_zip,
        "address_state": "",
        "address_country": p.address_country,
        "vat_number": p.vat_number,
        "invoice_additional_info": p.invoice_additional_info,
        "credit": credit,
        // Credit pays first whenever it covers an invoice; this is the method behind it.
        "payment_method": payment_method,
        "stripe_payment_method": stripe_payment_method,
    }})
}

pub fn invoice_json(base: &str, invoice: &StoredInvoice) -> Value {
    let month = Month::parse(&invoice.month).map(Month::first_day).unwrap_or_default();
    let lines = |detailed: bool| -> Vec<Value> {
        invoice
            .lines
            .iter()
            .enumerate()
            .map(|(i, line)| {
                let label = format!("{} ({} h)", line.app_name, line.hours);
                let mut item = json!({"id": format!("{}-{i}", invoice.id), "label": label, "price": line.price_cents});
                if detailed {
                    item["app"] = json!(line.app_name);
                }
                item
            })
            .collect()
    };
    json!({
        "id": invoice.id,
        "invoice_number": invoice.number,
        "billing_month": month,
        "total_price": invoice.total_cents,
        "total_price_with_vat": invoice.total_with_vat_cents,
        "vat_rate": invoice.vat_rate_permille,
        "vat_amount": invoice.vat_cents,
        "state": invoice.state,
        "created_at": rfc3339(invoice.issued_at),
        "pdf_url": format!("{base}/v1/account/invoices/{}/pdf", invoice.id),
        "items": lines(false),
        "detailed_items": lines(true),
    })
}

fn operation_json(base: &str, entry: &LedgerEntry) -> Value {
    json!({
        "id": entry.id,
        "created_at": rfc3339(entry.created_at),
        "amount": entry.amount_cents,
        "source": entry.source.code(),
        "description": entry.description,
        "invoice_id": entry.invoice.as_ref().map(|(id, _)| id),
        "invoice_url": entry.invoice.as_ref().map(|(id, _)| format!("{base}/v1/account/invoices/{id}")),
    })
}

fn pagination(page: u32, per_page: u32, total: i64) -> Value {
    let total_pages = crate::host::billing::pages_of(total, per_page);
    json!({
        "current_page": page,
        "prev_page": (page > 1).then(|| page - 1),
        "next_page": (page < total_pages).then(|| page + 1),
        "total_pages": total_pages,
        "total_count": total,
        "per_page": per_page,
    })
}

/// `(page, per_page)` from the query: 1 and 30 by default, `per_page` at most 100.
fn paging(query: &Paging) -> Result<(u32, u32), ApiError> {
    let page = number(query.page.as_deref(), 1, "page")?.min(1_000_000);
    let per_page = number(query.per_page.as_deref(), 30, "per_page")?.min(MAX_PER_PAGE);
    Ok((u32::try_from(page).unwrap_or(1), u32::try_from(per_page).unwrap_or(30)))
}

#[utoipa::path(get, path = "/v1/account/billing/profile", tag = "billing", security(("bearer" = [])),
    responses((status = 200, description = "`{\"billing_profile\":{…, credit}}` (empty fields before the first save)")))]
pub async fn show_profile(State(state): State<AppState>, user: ApiUser) -> Result<Response, ApiError> {
    let host = &state.server_host;
    let fail = |e| ApiError::from_app(e, "billing_profile", user.lang);
    let (profile, credit) = host.billing_profile(&user.caller).await.map_err(fail)?;
    let methods = host.payment_methods(&user.caller).await.map_err(fail)?;
    Ok(Json(profile_json(&state, &user, profile.as_ref(), credit, &methods)).into_response())
}

#[utoipa::path(put, path = "/v1/account/billing/profile", tag = "billing", security(("bearer" = [])),
    request_body(content = BillingProfileChange, description = "`{\"billing_profile\":{…}}` or unwrapped"),
    responses((status = 200, description = "`{\"billing_profile\":{…}}` as stored"),
        (status = 422, description = "`{\"errors\":{field:[…]}}`; nothing was written")))]
pub async fn update_profile(
    State(state): State<AppState>,
    user: ApiUser,
    Body(change): Body<BillingProfileChange>,
) -> Result<Response, ApiError> {
    let typed = BillingProfile {
        name: change.name,
        company: change.company,
        email: change.email,
        address_line1: change.address_line1,
        address_line2: change.address_line2,
        address_city: change.address_city,
        address_zip: change.address_zip,
        address_country: change.address_country,
        vat_number: change.vat_number,
        invoice_additional_info: change.invoice_additional_info,
    };
    let host = &state.server_host;
    let fail = |e| ApiError::from_app(e, "billing_profile", user.lang);
    host.store_billing_profile(&user.caller, &typed).await.map_err(fail)?;
    let (profile, credit) = host.billing_profile(&user.caller).await.map_err(fail)?;
    let methods = host.payment_methods(&user.caller).await.map_err(fail)?;
    Ok(Json(profile_json(&state, &user, profile.as_ref(), credit, &methods)).into_response())
}

#[utoipa::path(get, path = "/v1/account/invoices", tag = "billing", security(("bearer" = [])),
    params(("page" = Option<i64>, Query), ("per_page" = Option<i64>, Query, description = "at most 100")),
    responses((status = 200, description = "`{\"invoices\":[…],\"meta\":{\"pagination\":{…}}}`, newest first")))]
pub async fn list_invoices(
    State(state): State<AppState>,
    user: ApiUser,
    ApiQuery(query): ApiQuery<Paging>,
) -> Result<Response, ApiError> {
    let (page, per_page) = paging(&query)?;
    let (invoices, total, page) = state
        .server_host
        .invoices_page(&user.caller, page, per_page)
        .await
        .map_err(|e| ApiError::from_app(e, "invoice", user.lang))?;
    let base = public_url(&state);
    let list: Vec<Value> = invoices.iter().map(|i| invoice_json(base, i)).collect();
    Ok(Json(json!({"invoices": list, "meta": {"pagination": pagination(page, per_page, total)}})).into_response())
}

async fn owned_invoice(state: &AppState, user: &ApiUser, id: &str) -> Result<StoredInvoice, ApiError> {
    state
        .server_host
        .invoice(&user.caller, id)
        .await
        .map_err(|e| ApiError::from_app(e, "invoice", user.lang))
}

#[utoipa::path(get, path = "/v1/account/invoices/{id}", tag = "billing", security(("bearer" = [])),
    responses((status = 200, description = "`{\"invoice\":{…, items, detailed_items}}`"),
        (status = 404, description = "no such invoice on this account")))]
pub async fn show_invoice(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let invoice = owned_invoice(&state, &user, &id).await?;
    Ok(Json(json!({"invoice": invoice_json(public_url(&state), &invoice)})).into_response())
}

#[utoipa::path(get, path = "/v1/account/invoices/{id}/pdf", tag = "billing", security(("bearer" = [])),
    responses((status = 200, description = "the invoice as a PDF document", content_type = "application/pdf"),
        (status = 404, description = "no such invoice on this account")))]
pub async fn invoice_pdf(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let invoice = owned_invoice(&state, &user, &id).await?;
    Ok(invoice_pdf_response(&invoice))
}

/// The invoice as a download named after its number (the tab's link serves the same).
pub fn invoice_pdf_response(invoice: &StoredInvoice) -> Response {
    pdf_download(
        crate::billing::pdf::invoice_pdf(invoice),
        &format!("invoice-{}.pdf", invoice.number),
    )
}

/// A PDF as an attachment named `filename`, never cached by anyone but the browser.
pub fn pdf_download(bytes: Vec<u8>, filename: &str) -> Response {
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/pdf"));
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    response
}

#[utoipa::path(get, path = "/v1/account/billing/operations", tag = "billing", security(("bearer" = [])),
    params(("page" = Option<i64>, Query), ("per_page" = Option<i64>, Query, description = "at most 100")),
    responses((status = 200, description = "`{\"billing-operations\":[…],\"meta\":{\"pagination\":{…}}}`, newest first")))]
pub async fn operations(
    State(state): State<AppState>,
    user: ApiUser,
    ApiQuery(query): ApiQuery<Paging>,
) -> Result<Response, ApiError> {
    let (page, per_page) = paging(&query)?;
    let (entries, total, page) = state
        .server_host
        .history_page(&user.caller, page, per_page)
        .await
        .map_err(|e| ApiError::from_app(e, "billing_operation", user.lang))?;
    let base = public_url(&state);
    let list: Vec<Value> = entries.iter().map(|e| operation_json(base, e)).collect();
    Ok(
        Json(json!({"billing-operations": list, "meta": {"pagination": pagination(page, per_page, total)}}))
            .into_response(),
    )
}

#[utoipa::path(get, path = "/v1/account/referrals/stats", tag = "billing", security(("bearer" = [])),
    responses((status = 200, description = "`{\"referral_stats\":{clicks, signups, amount_earned, url}}`; amounts in cents")))]
pub async fn referral_stats(State(state): State<AppState>, user: ApiUser) -> Result<Response, ApiError> {
    let (url, stats) = state
        .server_host
        .referral_stats(&user.caller)
        .await
        .map_err(|e| ApiError::from_app(e, "referral_stats", user.lang))?;
    Ok(Json(json!({"referral_stats": {
        "clicks": stats.clicks,
        "signups": stats.signups,
        "amount_earned": stats.earned_cents,
        "url": url,
    }}))
    .into_response())
}
