//! `/v1/scm_integrations`: the SCM integrations tab's rules, Scalingo's shapes. Only the two
//! self-hosted types are created here (the cloud ones go through the OAuth web flow); the
//! provider token is never sent back.

use super::bearer::ApiUser;
use super::body::{Body, Wrapped};
use super::error::ApiError;
use super::keys::KeyJson;
use super::rfc3339;
use crate::db::scm::StoredIntegration;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct IntegrationJson {
    id: String,
    scm_type: String,
    url: String,
    /// Always empty: the provider token never leaves the server.
    access_token: String,
    uid: String,
    username: String,
    email: String,
    avatar_url: String,
    profile_url: String,
    created_at: Option<String>,
    owner: IntegrationOwner,
}

#[derive(Serialize, ToSchema)]
pub struct IntegrationOwner {
    id: String,
}

impl From<&StoredIntegration> for IntegrationJson {
    fn from(i: &StoredIntegration) -> Self {
        IntegrationJson {
            id: i.id.clone(),
            scm_type: i.scm_type.code().to_string(),
            url: i.url.clone(),
            access_token: String::new(),
            uid: i.uid.clone(),
            username: i.username.clone(),
            email: i.email.clone(),
            avatar_url: i.avatar_url.clone(),
            profile_url: i.profile_url.clone(),
            created_at: rfc3339(i.created_at),
            owner: IntegrationOwner { id: i.user_id.clone() },
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct NewIntegration {
    /// `github-enterprise` or `gitlab-self-hosted`.
    #[serde(default)]
    scm_type: String,
    /// The server's address, like `https://gitlab.example.com`.
    #[serde(default)]
    url: String,
    /// A personal access token (GitHub Enterprise: `repo`, and `read:public_key` to import
    /// keys; GitLab: `api` and `read_user`).
    #[serde(default)]
    access_token: String,
}

impl Wrapped for NewIntegration {
    const KEY: &'static str = "scm_integration";
}

fn fail(user: &ApiUser) -> impl Fn(app::error::AppError) -> ApiError + '_ {
    move |e| ApiError::from_app(e, "scm_integration", user.lang)
}

#[utoipa::path(get, path = "/v1/scm_integrations", tag = "scm", security(("bearer" = [])),
    responses((status = 200, description = "`{\"scm_integrations\":[Integration]}`")))]
pub async fn list(State(state): State<AppState>, user: ApiUser) -> Result<Response, ApiError> {
    let list = state
        .server_host
        .integrations(&user.caller)
        .await
        .map_err(fail(&user))?;
    let list: Vec<IntegrationJson> = list.iter().map(IntegrationJson::from).collect();
    Ok(Json(serde_json::json!({ "scm_integrations": list })).into_response())
}

#[utoipa::path(get, path = "/v1/scm_integrations/{id}", tag = "scm", security(("bearer" = [])),
    params(("id" = String, Path, description = "the integration's id, or its type")),
    responses((status = 200, description = "`{\"scm_integration\":Integration}`"), (status = 404, description = "none")))]
pub async fn show(State(state): State<AppState>, user: ApiUser, Path(id): Path<String>) -> Result<Response, ApiError> {
    let found = crate::db::scm::find(&state.db, &user.caller.user_id, &id)
        .await
        .map_err(user.fail())?
        .ok_or(ApiError::NotFound("scm_integration"))?;
    Ok(Json(serde_json::json!({ "scm_integration": IntegrationJson::from(&found) })).into_response())
}

#[utoipa::path(post, path = "/v1/scm_integrations", tag = "scm", security(("bearer" = [])),
    request_body(content = NewIntegration, description = "`{\"scm_integration\":{scm_type,url,access_token}}`"),
    responses((status = 201, description = "`{\"scm_integration\":Integration}`"),
        (status = 409, description = "one of this type already"),
        (status = 422, description = "`{\"errors\":{field:[…]}}`: bad type, address or token; nothing saved")))]
pub async fn create(
    State(state): State<AppState>,
    user: ApiUser,
    Body(new): Body<NewIntegration>,
) -> Result<Response, ApiError> {
    let saved = state
        .server_host
        .connect_self_hosted(&user.caller, &new.scm_type, &new.url, &new.access_token)
        .await
        .map_err(fail(&user))?;
    let body = serde_json::json!({ "scm_integration": IntegrationJson::from(&saved) });
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

#[utoipa::path(delete, path = "/v1/scm_integrations/{id}", tag = "scm", security(("bearer" = [])),
    params(("id" = String, Path, description = "the integration's id, or its type")),
    responses((status = 204, description = "disconnected"), (status = 404, description = "none")))]
pub async fn delete(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    state
        .server_host
        .disconnect_integration(&user.caller, &id)
        .await
        .map_err(fail(&user))?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[utoipa::path(post, path = "/v1/scm_integrations/{id}/import_keys", tag = "scm", security(("bearer" = [])),
    params(("id" = String, Path, description = "the integration's id, or its type")),
    responses((status = 201, description = "`{\"keys\":[Key],\"skipped\":[{name,reason}]}`"), (status = 404, description = "none")))]
pub async fn import_keys(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let summary = state
        .server_host
        .import_integration_keys(&user.caller, &id)
        .await
        .map_err(fail(&user))?;
    let keys: Vec<KeyJson> = summary.imported.iter().map(KeyJson::from).collect();
    let skipped: Vec<serde_json::Value> = summary
        .skipped
        .iter()
        .map(|(name, reason)| serde_json::json!({ "name": name, "reason": reason.text(user.lang) }))
        .collect();
    Ok((
        StatusCode::CREATED,
        Json(serde_json::json!({ "keys": keys, "skipped": skipped })),
    )
        .into_response())
}
