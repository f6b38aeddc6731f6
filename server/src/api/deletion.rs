//! `POST /v1/users/delete` and `POST /v1/users/delete/{id}/confirm`: account deletion in
//! two steps, the code travelling by e-mail (see `host/deletion.rs`). 409 while the account
//! owns applications, at either step.

use super::bearer::ApiUser;
use super::body::{Body, Wrapped};
use super::error::ApiError;
use super::rfc3339;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use http::StatusCode;
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;

#[utoipa::path(post, path = "/v1/users/delete", tag = "users", security(("bearer" = [])),
    responses((status = 201, description = "`{\"deletion\":{id,created_at,expires_at}}`; the code is mailed to the account's address"),
        (status = 409, description = "`{\"error\":…}` while the account owns applications"), (status = 429, description = "too many requests this hour")))]
pub async fn request(State(state): State<AppState>, user: ApiUser) -> Result<Response, ApiError> {
    let request = state
        .server_host
        .request_deletion(&user.caller)
        .await
        .map_err(|e| ApiError::from_app(e, "user", user.lang))?;
    let body = json!({ "deletion": {
        "id": request.id,
        "created_at": rfc3339(request.created_at),
        "expires_at": rfc3339(request.expires_at),
    }});
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

#[derive(Deserialize, Default, ToSchema)]
pub struct Confirmation {
    #[serde(default)]
    token: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    details: String,
}

impl Wrapped for Confirmation {
    const KEY: &'static str = "deletion";
}

#[utoipa::path(post, path = "/v1/users/delete/{id}/confirm", tag = "users", security(("bearer" = [])),
    params(("id" = String, Path)),
    request_body(content = Confirmation, description = "`{\"deletion\":{token,reason,details}}`: `token` is the mailed code"),
    responses((status = 204, description = "deleted; every token and bearer of the account stops working"),
        (status = 404, description = "unknown or expired request"), (status = 409, description = "the account owns applications"),
        (status = 422, description = "wrong code")))]
pub async fn confirm(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    Body(confirmation): Body<Confirmation>,
) -> Result<Response, ApiError> {
    let reason = [confirmation.reason.trim(), confirmation.details.trim()]
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(": ");
    state
        .server_host
        .confirm_deletion(&user.caller, &id, &confirmation.token, &reason)
        .await
        .map_err(|e| ApiError::from_app(e, "deletion", user.lang))?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
