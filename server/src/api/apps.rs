//! `/v1/apps`: list, create and delete the caller's own applications. Another account's
//! application answers 404, exactly like an unknown one.

use super::bearer::ApiUser;
use super::body::{ApiQuery, Body, Wrapped};
use super::error::ApiError;
use super::rfc3339;
use crate::db::apps::StoredApp;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct AppJson {
    id: String,
    name: String,
    created_at: Option<String>,
    owner: OwnerJson,
}

#[derive(Serialize, ToSchema)]
pub struct OwnerJson {
    id: String,
}

impl From<&StoredApp> for AppJson {
    fn from(a: &StoredApp) -> Self {
        AppJson {
            id: a.id.clone(),
            name: a.name.clone(),
            created_at: rfc3339(a.created_at),
            owner: OwnerJson { id: a.owner_id.clone() },
        }
    }
}

#[derive(Deserialize, Default, ToSchema)]
pub struct NewApp {
    #[serde(default)]
    name: String,
}

impl Wrapped for NewApp {
    const KEY: &'static str = "app";
}

#[utoipa::path(get, path = "/v1/apps", tag = "apps", security(("bearer" = [])),
    responses((status = 200, description = "`{\"apps\":[App]}`, the caller's own")))]
pub async fn list(State(state): State<AppState>, user: ApiUser) -> Result<Response, ApiError> {
    let apps = state
        .server_host
        .apps(&user.caller)
        .await
        .map_err(|e| ApiError::from_app(e, "app", user.lang))?;
    let apps: Vec<AppJson> = apps.iter().map(AppJson::from).collect();
    Ok(Json(json!({ "apps": apps })).into_response())
}

#[utoipa::path(post, path = "/v1/apps", tag = "apps", security(("bearer" = [])),
    request_body(content = NewApp, description = "`{\"app\":{\"name\"}}` or unwrapped"),
    responses((status = 201, description = "`{\"app\":App}`"), (status = 422, description = "name invalid or taken")))]
pub async fn create(
    State(state): State<AppState>,
    user: ApiUser,
    Body(new): Body<NewApp>,
) -> Result<Response, ApiError> {
    let app = state
        .server_host
        .create_app(&user.caller, &new.name)
        .await
        .map_err(|e| ApiError::from_app(e, "app", user.lang))?;
    Ok((StatusCode::CREATED, Json(json!({ "app": AppJson::from(&app) }))).into_response())
}

#[derive(Deserialize)]
pub struct DeleteQuery {
    current_name: Option<String>,
}

#[utoipa::path(delete, path = "/v1/apps/{id}", tag = "apps", security(("bearer" = [])),
    params(("id" = String, Path, description = "id or name"),
        ("current_name" = Option<String>, Query, description = "when sent, must be the application's name")),
    responses((status = 204, description = "deleted"), (status = 404, description = "not yours or unknown"),
        (status = 422, description = "`current_name` is not the application's name")))]
pub async fn delete(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiQuery(query): ApiQuery<DeleteQuery>,
) -> Result<Response, ApiError> {
    state
        .server_host
        .delete_app(&user.caller, &id, query.current_name.as_deref())
        .await
        .map_err(|e| ApiError::from_app(e, "app", user.lang))?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
