//! The REST API under `/v1`, in the shapes the public Scalingo API uses (see the README), so
//! existing Scalingo clients work against this server. Handlers call the same host methods as
//! the tabs' server functions: one set of rules behind two doors. Bearer-authenticated routes
//! never read the session cookie, and answer JSON only, errors included.

pub mod bearer;
pub mod body;
pub mod error;
mod events;
mod keys;
pub mod limit;
mod tokens;
mod users;

use crate::state::AppState;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post};
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
        keys::list,
        keys::show,
        keys::create,
        keys::delete,
        events::list,
    ),
    components(schemas(keys::KeyJson, keys::NewKey, tokens::TokenJson, tokens::NewToken)),
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
        .route("/keys", get(keys::list).post(keys::create))
        .route("/keys/{id}", get(keys::show).delete(keys::delete))
        .route("/events", get(events::list))
        .fallback(not_found)
        .method_not_allowed_fallback(not_found)
}
