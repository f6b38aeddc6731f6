//! The REST API under `/v1`, in the shapes the public Scalingo API uses (see the README), so
//! existing Scalingo clients work against this server. Handlers call the same host methods as
//! the tabs' server functions: one set of rules behind two doors. Bearer-authenticated routes
//! never read the session cookie, and answer JSON only, errors included.

mod account;
mod apps;
pub mod bearer;
pub mod body;
mod contracts;
mod deletion;
pub mod error;
mod events;
mod hds;
mod keys;
pub mod limit;
mod scm;
mod tfa;
mod tokens;
mod users;

use crate::state::AppState;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post, put};
use axum::{Json, Router};
use error::ApiError;
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
        scm::IntegrationJson,
        scm::IntegrationOwner,
        scm::NewIntegration,
    )),
    modifiers(&BearerScheme)
)]
pub struct ApiDoc;

async fn openapi() -> Response {
    Json(ApiDoc::openapi()).into_response()
}

async fn not_found() -> ApiError {
    ApiError::NotFound("route")
}

/// The routes, to nest under `/v1`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi))
        .route("/regions", get(users::regions))
        .route("/tokens/exchange", post(tokens::exchange))
        .route("/tokens", get(tokens::list).post(tokens::create))
        .route("/tokens/{id}", get(tokens::show).delete(tokens::delete))
        .route("/tokens/{id}/renew", patch(tokens::renew))
        .route("/users/self", get(users::me))
        .route("/users/account", put(account::update))
        .route("/account/profile", patch(account::update_profile))
        .route("/users/delete", post(deletion::request))
        .route("/users/delete/{id}/confirm", post(deletion::confirm))
        .route("/contracts", get(contracts::current))
        .route("/contracts/history", get(contracts::history))
        .route("/contracts/{id}/accept", post(contracts::accept))
        .route("/client/tfa", get(tfa::show).post(tfa::enable).delete(tfa::disable))
        .route("/client/tfa/validate", post(tfa::validate))
        .route("/apps", get(apps::list).post(apps::create))
        .route("/apps/{id}", axum::routing::delete(apps::delete))
        .route("/keys", get(keys::list).post(keys::create))
        .route("/keys/{id}", get(keys::show).delete(keys::delete))
        .route("/events", get(events::list))
        .route("/account/hds_contact", get(hds::show).put(hds::update))
        .route("/scm_integrations", get(scm::list).post(scm::create))
        .route("/scm_integrations/{id}", get(scm::show).delete(scm::delete))
        .route("/scm_integrations/{id}/import_keys", post(scm::import_keys))
        .fallback(not_found)
        .method_not_allowed_fallback(not_found)
}
