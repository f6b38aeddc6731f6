//! The REST API under `/v1`, in the shapes the public Scalingo API uses (see the README), so
//! existing Scalingo clients work against this server. Handlers call the same host methods as
//! the tabs' server functions: one set of rules behind two doors. Bearer-authenticated routes
//! never read the session cookie, and answer JSON only, errors included.

mod account;
mod apps;
pub mod bearer;
pub mod billing;
pub mod body;
mod contracts;
mod deletion;
pub mod error;
mod events;
mod hds;
mod keys;
pub mod limit;
mod scm;
pub mod scopes;
mod tfa;
mod tokens;
mod users;

use crate::state::AppState;
use app::model::Scope;
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use error::ApiError;
use scopes::{Need, ScopedRouter};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};

/// Unix seconds as RFC 3339 (UTC), the API's timestamp format.
pub fn rfc3339(unix: i64) -> Option<String> {
    let at = time::OffsetDateTime::from_unix_timestamp(unix).ok()?;
    at.format(&time::format_description::well_known::Rfc3339).ok()
}

struct BearerScheme;

impl Modify for BearerScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let mut bearer = Http::new(HttpAuthScheme::Bearer);
        bearer.bearer_format = Some("JWT".into());
        components.add_security_scheme("bearer", SecurityScheme::Http(bearer));
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Vestibule API", description = "The account API, in the public Scalingo API's shapes."),
    paths(
        users::regions,
        tokens::exchange,
        tokens::list,
        tokens::show,
        tokens::create,
        tokens::renew,
        tokens::delete,
        users::me,
        account::update,
        account::update_profile,
        deletion::request,
        deletion::confirm,
        contracts::current,
        contracts::history,
        contracts::accept,
        tfa::show,
        tfa::enable,
        tfa::validate,
        tfa::disable,
        apps::list,
        apps::create,
        apps::delete,
        keys::list,
        keys::show,
        keys::create,
        keys::delete,
        events::list,
        hds::show,
        hds::update,
        billing::show_profile,
        billing::update_profile,
        billing::list_invoices,
        billing::show_invoice,
        billing::invoice_pdf,
        billing::operations,
        billing::referral_stats,
        scm::list,
        scm::show,
        scm::create,
        scm::delete,
        scm::import_keys,
    ),
    components(schemas(
        keys::KeyJson,
        keys::NewKey,
        tokens::TokenJson,
        tokens::NewToken,
        account::AccountChange,
        account::PreferencesChange,
        contracts::Acceptance,
        tfa::TfaRequest,
        deletion::Confirmation,
        apps::AppJson,
        apps::OwnerJson,
        apps::NewApp,
        hds::HdsContactChange,
        billing::BillingProfileChange,
        scm::IntegrationJson,
        scm::IntegrationOwner,
        scm::NewIntegration,
    )),
    modifiers(&BearerScheme)
)]
pub struct ApiDoc;

impl ApiDoc {
    /// The document with each operation's scope written in from the route table.
    pub fn openapi_with_scopes() -> utoipa::openapi::OpenApi {
        let mut doc = ApiDoc::openapi();
        scopes::document(&mut doc);
        doc
    }
}

async fn openapi() -> Response {
    Json(ApiDoc::openapi_with_scopes()).into_response()
}

async fn not_found() -> ApiError {
    ApiError::NotFound("route")
}

/// The routes, to nest under `/v1`.
pub fn router() -> Router<AppState> {
    routes()
        .into_parts()
        .0
        .fallback(not_found)
        .method_not_allowed_fallback(not_found)
}

const READ: Need = Need::AnyOf(&[Scope::AccountRead]);
const KEYS_READ: Need = Need::AnyOf(&[Scope::AccountRead, Scope::KeysWrite]);
const KEYS_WRITE: Need = Need::AnyOf(&[Scope::KeysWrite]);
const APPS_READ: Need = Need::AnyOf(&[Scope::AccountRead, Scope::AppsWrite]);
const APPS_WRITE: Need = Need::AnyOf(&[Scope::AppsWrite]);
const BILLING_READ: Need = Need::AnyOf(&[Scope::AccountRead, Scope::BillingRead]);

/// Every route with what it needs from the token (see `scopes`). Anything that could take or
/// end the account (password, e-mail, second factor, deletion, contracts, integrations) needs
/// full access; tokens are managed by any token, under the rule that a limited one never hands
/// out or touches a token that can do more than itself.
fn routes() -> ScopedRouter {
    ScopedRouter::default()
        .get("/openapi.json", Need::Public, openapi)
        .get("/regions", Need::Public, users::regions)
        .post("/tokens/exchange", Need::Public, tokens::exchange)
        .get("/tokens", READ, tokens::list)
        .post("/tokens", Need::AnyToken, tokens::create)
        .get("/tokens/{id}", READ, tokens::show)
        .delete("/tokens/{id}", Need::AnyToken, tokens::delete)
        .patch("/tokens/{id}/renew", Need::AnyToken, tokens::renew)
        .get("/users/self", READ, users::me)
        .put("/users/account", Need::Full, account::update)
        .patch("/account/profile", Need::Full, account::update_profile)
        .post("/users/delete", Need::Full, deletion::request)
        .post("/users/delete/{id}/confirm", Need::Full, deletion::confirm)
        .get("/contracts", READ, contracts::current)
        .get("/contracts/history", READ, contracts::history)
        .post("/contracts/{id}/accept", Need::Full, contracts::accept)
        .get("/client/tfa", READ, tfa::show)
        .post("/client/tfa", Need::Full, tfa::enable)
        .delete("/client/tfa", Need::Full, tfa::disable)
        .post("/client/tfa/validate", Need::Full, tfa::validate)
        .get("/apps", APPS_READ, apps::list)
        .post("/apps", APPS_WRITE, apps::create)
        .delete("/apps/{id}", APPS_WRITE, apps::delete)
        .get("/keys", KEYS_READ, keys::list)
        .post("/keys", KEYS_WRITE, keys::create)
        .get("/keys/{id}", KEYS_READ, keys::show)
        .delete("/keys/{id}", KEYS_WRITE, keys::delete)
        .get("/events", READ, events::list)
        .get("/account/hds_contact", READ, hds::show)
        .put("/account/hds_contact", Need::Full, hds::update)
        .get("/account/billing/profile", BILLING_READ, billing::show_profile)
        .put("/account/billing/profile", Need::Full, billing::update_profile)
        .get("/account/billing/operations", BILLING_READ, billing::operations)
        .get("/account/invoices", BILLING_READ, billing::list_invoices)
        .get("/account/invoices/{id}", BILLING_READ, billing::show_invoice)
        .get("/account/invoices/{id}/pdf", BILLING_READ, billing::invoice_pdf)
        .get("/account/referrals/stats", BILLING_READ, billing::referral_stats)
        .get("/scm_integrations", READ, scm::list)
        .post("/scm_integrations", Need::Full, scm::create)
        .get("/scm_integrations/{id}", READ, scm::show)
        .delete("/scm_integrations/{id}", Need::Full, scm::delete)
        .post("/scm_integrations/{id}/import_keys", KEYS_WRITE, scm::import_keys)
}
