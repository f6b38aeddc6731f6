//! `/v1/keys`: the SSH keys tab's rules, Scalingo's shapes.

use super::bearer::ApiUser;
use super::body::{Body, Wrapped};
use super::error::ApiError;
use super::rfc3339;
use crate::db::ssh_keys::StoredKey;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct KeyJson {
    id: String,
    name: String,
    content: String,
    fingerprint: String,
    created_at: Option<String>,
}

impl From<&StoredKey> for KeyJson {
    fn from(k: &StoredKey) -> Self {
        KeyJson {
            id: k.id.clone(),
            name: k.name.clone(),
            content: k.content.clone(),
            fingerprint: k.fingerprint.clone(),
            created_at: rfc3339(k.created_at),
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct NewKey {
    #[serde(default)]
    name: String,
    #[serde(default)]
    content: String,
}

impl Wrapped for NewKey {
    const KEY: &'static str = "key";
}

/// Clients print `content[0:20]…content[-30:]`: shorter content is refused before parsing.
const MIN_CONTENT_BYTES: usize = 30;

#[utoipa::path(get, path = "/v1/keys", tag = "keys", security(("bearer" = [])),
    responses((status = 200, description = "`{\"keys\":[Key]}`")))]
pub async fn list(State(state): State<AppState>, user: ApiUser) -> Result<Response, ApiError> {
    let keys = state
        .server_host
        .stored_keys(&user.caller)
        .await
        .map_err(|e| ApiError::from_app(e, "key", user.lang))?;
    let keys: Vec<KeyJson> = keys.iter().map(KeyJson::from).collect();
    Ok(Json(serde_json::json!({ "keys": keys })).into_response())
}

#[utoipa::path(get, path = "/v1/keys/{id}", tag = "keys", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, description = "`{\"key\":Key}`"), (status = 404, description = "not yours or unknown")))]
pub async fn show(State(state): State<AppState>, user: ApiUser, Path(id): Path<String>) -> Result<Response, ApiError> {
    let key = crate::db::ssh_keys::find(&state.db, &user.caller.user_id, &id)
        .await
        .map_err(user.fail())?
        .ok_or(ApiError::NotFound("key"))?;
    Ok(Json(serde_json::json!({ "key": KeyJson::from(&key) })).into_response())
}

#[utoipa::path(post, path = "/v1/keys", tag = "keys", security(("bearer" = [])),
    request_body(content = NewKey, description = "`{\"key\":{\"name\",\"content\"}}` or unwrapped"),
    responses((status = 201, description = "`{\"key\":Key}`"), (status = 422, description = "`{\"errors\":{field:[…]}}`")))]
pub async fn create(
    State(state): State<AppState>,
    user: ApiUser,
    Body(new): Body<NewKey>,
) -> Result<Response, ApiError> {
    if new.content.trim().len() < MIN_CONTENT_BYTES {
        let message = app::i18n::Key::ErrKeyUnreadable.text(user.lang).to_string();
        return Err(ApiError::Invalid(vec![("content".into(), message)]));
    }
    let key = state
        .server_host
        .add_stored_key(&user.caller, &new.name, &new.content)
        .await
        .map_err(|e| ApiError::from_app(e, "key", user.lang))?;
    Ok((
        StatusCode::CREATED,
        Json(serde_json::json!({ "key": KeyJson::from(&key) })),
    )
        .into_response())
}

#[utoipa::path(delete, path = "/v1/keys/{id}", tag = "keys", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 204, description = "removed"), (status = 404, description = "not yours or unknown")))]
pub async fn delete(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    state
        .server_host
        .remove_stored_key(&user.caller, &id)
        .await
        .map_err(|e| ApiError::from_app(e, "key", user.lang))?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
