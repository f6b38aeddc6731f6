//! `/v1/client/tfa`: the second factor, through the Authentication tab's host rules. Scalingo
//! clients send the code as a number (`{"attempt":123456}`) or a string: both are read, and a
//! number keeps its leading zeros.

use super::bearer::ApiUser;
use super::body::{Body, Wrapped};
use super::error::ApiError;
use super::rfc3339;
use crate::state::AppState;
use app::host::AccountHost;
use app::i18n::Key;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use http::StatusCode;
use serde::Deserialize;
use serde_json::{json, Value};
use utoipa::ToSchema;

#[derive(Deserialize, Default, ToSchema)]
pub struct TfaRequest {
    provider: Option<String>,
    /// A TOTP code (number or string) or a recovery code.
    #[schema(value_type = Option<String>)]
    attempt: Option<Value>,
}

impl Wrapped for TfaRequest {
    const KEY: &'static str = "tfa";
}

/// The code as typed: numbers are padded back to six digits.
fn attempt_text(attempt: Option<&Value>) -> String {
    match attempt {
        Some(Value::Number(n)) => format!("{:06}", n.as_u64().unwrap_or_default()),
        Some(Value::String(s)) => s.clone(),
        _ => String::new(),
    }
}

async fn tfa_json(state: &AppState, user: &ApiUser) -> Result<Value, ApiError> {
    let status = state
        .server_host
        .two_factor_status(&user.caller)
        .await
        .map_err(|e| ApiError::from_app(e, "tfa", user.lang))?;
    let enabled = status.enabled_at.is_some();
    let mut tfa = json!({
        "uuid": user.caller.user_id,
        "enabled": enabled,
        "provider": (enabled || status.pending_uri.is_some()).then_some("totp"),
        "enabled_at": status.enabled_at.and_then(rfc3339),
    });
    if let (Some(uri), Value::Object(map)) = (status.pending_uri, &mut tfa) {
        map.insert("uri".into(), Value::String(uri));
    }
    Ok(tfa)
}

#[utoipa::path(get, path = "/v1/client/tfa", tag = "tfa", security(("bearer" = [])),
    responses((status = 200, description = "`{\"tfa\":{uuid,enabled,provider,enabled_at,uri?}}`; `uri` while enrolment waits for its first code")))]
pub async fn show(State(state): State<AppState>, user: ApiUser) -> Result<Response, ApiError> {
    Ok(Json(json!({ "tfa": tfa_json(&state, &user).await? })).into_response())
}

#[utoipa::path(post, path = "/v1/client/tfa", tag = "tfa", security(("bearer" = [])),
    request_body(content = TfaRequest, description = "`{\"tfa\":{\"provider\":\"totp\"}}`"),
    responses((status = 201, description = "`{\"tfa\":{…,\"uri\":\"otpauth://…\"}}`"), (status = 409, description = "already on"),
        (status = 422, description = "another provider")))]
pub async fn enable(
    State(state): State<AppState>,
    user: ApiUser,
    Body(request): Body<TfaRequest>,
) -> Result<Response, ApiError> {
    if request.provider.as_deref().unwrap_or("totp") != "totp" {
        let message = Key::ErrTfaProvider.text(user.lang).to_string();
        return Err(ApiError::Invalid(vec![("provider".into(), message)]));
    }
    state
        .server_host
        .start_two_factor(&user.caller)
        .await
        .map_err(|e| ApiError::from_app(e, "tfa", user.lang))?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "tfa": tfa_json(&state, &user).await? })),
    )
        .into_response())
}

#[utoipa::path(post, path = "/v1/client/tfa/validate", tag = "tfa", security(("bearer" = [])),
    request_body(content = TfaRequest, description = "`{\"tfa\":{\"attempt\":123456}}`"),
    responses((status = 200, description = "`{\"tfa\":{…,\"enabled\":true,\"codes\":[recovery codes, shown once]}}`"),
        (status = 409, description = "no enrolment waiting"), (status = 422, description = "wrong code"), (status = 429, description = "too many wrong codes")))]
pub async fn validate(
    State(state): State<AppState>,
    user: ApiUser,
    Body(request): Body<TfaRequest>,
) -> Result<Response, ApiError> {
    let codes = state
        .server_host
        .confirm_two_factor(&user.caller, &attempt_text(request.attempt.as_ref()))
        .await
        .map_err(|e| ApiError::from_app(e, "tfa", user.lang))?;
    let mut tfa = tfa_json(&state, &user).await?;
    if let Value::Object(map) = &mut tfa {
        map.insert("codes".into(), json!(codes.codes));
    }
    Ok(Json(json!({ "tfa": tfa })).into_response())
}

#[utoipa::path(delete, path = "/v1/client/tfa", tag = "tfa", security(("bearer" = [])),
    request_body(content = TfaRequest, description = "`{\"tfa\":{\"attempt\":…}}`: a current code or a recovery code"),
    responses((status = 204, description = "turned off"), (status = 409, description = "already off"),
        (status = 422, description = "wrong code"), (status = 429, description = "too many wrong codes")))]
pub async fn disable(
    State(state): State<AppState>,
    user: ApiUser,
    Body(request): Body<TfaRequest>,
) -> Result<Response, ApiError> {
    state
        .server_host
        .disable_two_factor(&user.caller, &attempt_text(request.attempt.as_ref()))
        .await
        .map_err(|e| ApiError::from_app(e, "tfa", user.lang))?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[cfg(test)]
mod tests {
    use super::attempt_text;
    use serde_json::json;

    #[test]
    fn numeric_codes_keep_their_leading_zeros() {
        assert_eq!(attempt_text(Some(&json!(12345))), "012345");
        assert_eq!(attempt_text(Some(&json!("012345"))), "012345");
        assert_eq!(attempt_text(Some(&json!("abcd-efgh"))), "abcd-efgh");
        assert_eq!(attempt_text(None), "");
    }
}
