//! `/v1/client/tfa`: the second factor, through the Authentication tab's host rules. Scalingo
//! clients send the code as a number (`{"attempt":123456}`) or a string: both are read, and a
//! number keeps its leading zeros. Starting enrolment and turning the factor off also need the
//! account's password (`current_password`): a leaked bearer alone must not lock the owner out
//! with a factor of its own, nor remove theirs. The secret to scan is handed out once, in the
//! answer to the start; turning it on then takes a code computed from that secret.

use super::bearer::ApiUser;
use super::body::{Body, Wrapped};
use super::error::ApiError;
use super::rfc3339;
use crate::state::AppState;
use app::host::AuthPort;
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
    /// The account's password: to start enrolment and to turn the factor off.
    #[serde(default)]
    current_password: String,
    /// A TOTP code (number or string) or a recovery code.
    #[schema(value_type = Option<String>)]
    attempt: Option<Value>,
}

impl Wrapped for TfaRequest {
    const KEY: &'static str = "tfa";
}

/// The code as typed: numbers are padded back to six digits.
pub(super) fn attempt_text(attempt: Option<&Value>) -> String {
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
    Ok(json!({
        "uuid": user.caller.user_id,
        "enabled": enabled,
        "provider": (enabled || status.pending).then_some("totp"),
        "enabled_at": status.enabled_at.and_then(rfc3339),
    }))
}

/// The same caller, proven by the request's password (see `ServerHost::prove_identity`).
async fn proven(
    state: &AppState,
    user: &ApiUser,
    password: &str,
    code: Option<&str>,
) -> Result<app::host::Caller, ApiError> {
    state
        .server_host
        .prove_identity(&user.caller, password, code)
        .await
        .map_err(|e| ApiError::from_app(e, "tfa", user.lang))
}

#[utoipa::path(get, path = "/v1/client/tfa", tag = "tfa", security(("bearer" = [])),
    responses((status = 200, description = "`{\"tfa\":{uuid,enabled,provider,enabled_at}}`; `provider` is `totp` once enrolment started")))]
pub async fn show(State(state): State<AppState>, user: ApiUser) -> Result<Response, ApiError> {
    Ok(Json(json!({ "tfa": tfa_json(&state, &user).await? })).into_response())
}

#[utoipa::path(post, path = "/v1/client/tfa", tag = "tfa", security(("bearer" = [])),
    request_body(content = TfaRequest, description = "`{\"tfa\":{\"provider\":\"totp\",\"current_password\":\"…\"}}`"),
    responses((status = 201, description = "`{\"tfa\":{…,\"uri\":\"otpauth://…\"}}`: the secret to scan, shown this once"), (status = 409, description = "already on"),
        (status = 422, description = "another provider, or the password missing or wrong"), (status = 429, description = "too many wrong passwords")))]
pub async fn enable(
    State(state): State<AppState>,
    user: ApiUser,
    Body(request): Body<TfaRequest>,
) -> Result<Response, ApiError> {
    if request.provider.as_deref().unwrap_or("totp") != "totp" {
        let message = Key::ErrTfaProvider.text(user.lang).to_string();
        return Err(ApiError::Invalid(vec![("provider".into(), message)]));
    }
    let caller = proven(&state, &user, &request.current_password, None).await?;
    let setup = state
        .server_host
        .start_two_factor_setup(&caller)
        .await
        .map_err(|e| ApiError::from_app(e, "tfa", user.lang))?;
    let mut tfa = tfa_json(&state, &user).await?;
    if let Value::Object(map) = &mut tfa {
        map.insert("uri".into(), Value::String(setup.otpauth_uri));
    }
    Ok(super::tokens::secret_inside(
        (StatusCode::CREATED, Json(json!({ "tfa": tfa }))).into_response(),
    ))
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
    Ok(super::tokens::secret_inside(
        Json(json!({ "tfa": tfa })).into_response(),
    ))
}

#[utoipa::path(delete, path = "/v1/client/tfa", tag = "tfa", security(("bearer" = [])),
    request_body(content = TfaRequest, description = "`{\"tfa\":{\"attempt\":…,\"current_password\":\"…\"}}`: a current code or a recovery code, and the password"),
    responses((status = 204, description = "turned off"), (status = 409, description = "already off"),
        (status = 422, description = "wrong code, or the password missing or wrong"), (status = 429, description = "too many wrong codes or passwords")))]
pub async fn disable(
    State(state): State<AppState>,
    user: ApiUser,
    Body(request): Body<TfaRequest>,
) -> Result<Response, ApiError> {
    // The code is the `attempt`, checked by the host once: the proof asks for the password only.
    let caller = proven(&state, &user, &request.current_password, None).await?;
    state
        .server_host
        .disable_two_factor(&caller, &attempt_text(request.attempt.as_ref()))
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
