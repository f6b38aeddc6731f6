//! `/v1/users/self` and `/v1/regions`.

use super::bearer::ApiUser;
use super::error::ApiError;
use super::rfc3339;
use crate::db::{account, email_changes, now};
use crate::state::AppState;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

#[utoipa::path(get, path = "/v1/users/self", tag = "users", security(("bearer" = [])),
    responses((status = 200, description = "`{\"user\":{id,username,fullname,email,unconfirmed_email,company,location,email_newsletter,created_at,flags,preferences,referral_url}}`")))]
pub async fn me(State(state): State<AppState>, user: ApiUser) -> Result<Response, ApiError> {
    Ok(Json(user_json(&state, &user).await?).into_response())
}

/// `{"user":{…}}` as it is stored now (also the answer to a profile update).
pub async fn user_json(state: &AppState, user: &ApiUser) -> Result<Value, ApiError> {
    let fail = user.fail::<sqlx::Error>();
    let stored = account::profile(&state.db, &user.caller.user_id)
        .await
        .map_err(&fail)?
        .ok_or_else(|| ApiError::unauthorized("invalid credentials"))?;
    let pending = email_changes::pending(&state.db, &stored.user.id, now())
        .await
        .map_err(&fail)?;
    let referral_url = state
        .server_host
        .referral_url(&user.caller.user_id)
        .await
        .map_err(&fail)?;
    let u = &stored.user;
    Ok(json!({ "user": {
        "id": u.id,
        "username": u.username,
        "fullname": stored.profile.fullname,
        "email": u.email,
        "unconfirmed_email": pending.map(|p| p.new_email),
        "company": stored.profile.company,
        "location": stored.profile.location,
        "bio": stored.profile.bio,
        "email_newsletter": stored.newsletter,
        "created_at": rfc3339(u.created_at),
        "flags": {},
        "preferences": { "locale": u.lang.code(), "theme": u.theme.code(), "time_zone": u.time_zone },
        "referral_url": referral_url,
    }}))
}

#[utoipa::path(get, path = "/v1/regions", tag = "regions",
    responses((status = 200, description = "`{\"regions\":[{name,display_name,api,database_api,dashboard,ssh,default}]}`")))]
pub async fn regions(State(state): State<AppState>) -> Response {
    let base = state.config.public_url.clone();
    let host = base
        .split("://")
        .nth(1)
        .and_then(|rest| rest.split(['/', ':']).next())
        .unwrap_or("localhost")
        .to_string();
    Json(json!({ "regions": [{
        "name": "local",
        "display_name": "Vestibule",
        "api": base,
        "database_api": base,
        "dashboard": base,
        "ssh": format!("{host}:22"),
        "default": true,
    }]}))
    .into_response()
}
