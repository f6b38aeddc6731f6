//! `/v1/events`: the account's timeline, paginated the way Scalingo clients ask.

use super::bearer::ApiUser;
use super::body::ApiQuery;
use super::error::ApiError;
use super::rfc3339;
use crate::db::{events, users};
use crate::state::AppState;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::json;

pub const MAX_PER_PAGE: i64 = 100;

#[derive(Deserialize, Default)]
pub struct Paging {
    pub page: Option<String>,
    pub per_page: Option<String>,
}

pub fn number(raw: Option<&str>, default: i64, field: &str) -> Result<i64, ApiError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(default),
        Some(s) => s
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 1)
            .ok_or_else(|| ApiError::bad_request(format!("{field} must be a whole number from 1"))),
    }
}

#[utoipa::path(get, path = "/v1/events", tag = "events", security(("bearer" = [])),
    params(("page" = Option<i64>, Query), ("per_page" = Option<i64>, Query, description = "at most 100")),
    responses((status = 200, description = "`{\"events\":[…],\"meta\":{\"pagination\":{…}}}`")))]
pub async fn list(
    State(state): State<AppState>,
    user: ApiUser,
    ApiQuery(paging): ApiQuery<Paging>,
) -> Result<Response, ApiError> {
    let page = number(paging.page.as_deref(), 1, "page")?;
    let per_page = number(paging.per_page.as_deref(), 30, "per_page")?.min(MAX_PER_PAGE);
    let fail = user.fail::<sqlx::Error>();
    let (rows, total) = events::page_for_user(&state.db, &user.caller.user_id, page.min(1_000_000), per_page)
        .await
        .map_err(&fail)?;
    let mut conn = state.db.pool.acquire().await.map_err(&fail)?;
    let owner = users::find_by_id(&mut conn, &user.caller.user_id)
        .await
        .map_err(&fail)?;
    let who = owner.map(|u| json!({ "id": u.id, "username": u.username, "email": u.email }));
    let events: Vec<_> = rows
        .into_iter()
        .map(|e| {
            let data = if e.data.is_object() { e.data } else { json!({}) };
            // Application events name their app at the top level, as Scalingo's do.
            json!({
                "id": e.id.to_string(),
                "created_at": rfc3339(e.created_at),
                "type": e.kind,
                "user": who,
                "app_id": data.get("app_id"),
                "app_name": data.get("app_name"),
                "type_data": data,
            })
        })
        .collect();
    let total_pages = ((total + per_page - 1) / per_page).max(1);
    let pagination = json!({
        "current_page": page,
        "prev_page": (page > 1).then(|| page - 1),
        "next_page": (page < total_pages).then(|| page + 1),
        "total_pages": total_pages,
        "total_count": total,
        "per_page": per_page,
    });
    Ok(Json(json!({ "events": events, "meta": { "pagination": pagination } })).into_response())
}
