//! `/v1/tokens`: listing, creating (with a bearer, or with `login:password` as the CLI's
//! `scalingo login` does), renewing and revoking API tokens, and the exchange for a bearer.

use super::bearer::{self, ApiUser};
use super::body::{Body, Wrapped};
use super::error::ApiError;
use super::rfc3339;
use crate::auth::second_factor::{self, CodeError};
use crate::auth::signin::{self, SignInError};
use crate::db::api_tokens::{self, StoredToken};
use crate::db::{now, totp as totp_store};
use crate::state::AppState;
use app::error::AppError;
use app::model::{TokenExpiry, TokenScopes};
use axum::extract::{FromRequestParts, Path, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use http::request::Parts;
use http::{header, HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct TokenJson {
    id: String,
    name: String,
    created_at: Option<String>,
    last_used_at: Option<String>,
    issued_at: Option<String>,
    expires_at: Option<String>,
    /// What the token may do through `/v1`; empty: full access.
    scopes: Vec<&'static str>,
    /// The secret: only in the answer to a creation or a renewal.
    #[serde(skip_serializing_if = "Option::is_none")]
    token: Option<String>,
}

impl TokenJson {
    fn of(t: &StoredToken, secret: Option<String>) -> TokenJson {
        TokenJson {
            id: t.id.clone(),
            name: t.name.clone(),
            created_at: rfc3339(t.created_at),
            last_used_at: t.last_used_at.and_then(rfc3339),
            issued_at: rfc3339(t.issued_at),
            expires_at: t.expires_at.and_then(rfc3339),
            scopes: t.scopes.names(),
            token: secret,
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct NewToken {
    #[serde(default)]
    name: String,
    /// Days until it expires; none: never.
    #[serde(default)]
    expires_in_days: Option<u32>,
    /// `account:read`, `keys:write`, `apps:write`; absent or empty: full access. A limited
    /// token may only ask for scopes it holds.
    #[serde(default)]
    scopes: Vec<String>,
}

/// The host refuses a limited caller a token that can do more than itself: say so plainly.
fn token_error(error: AppError, lang: app::i18n::Lang) -> ApiError {
    match error {
        AppError::Forbidden => ApiError::status(
            StatusCode::FORBIDDEN,
            "a limited token cannot create, renew or revoke a token that can do more than itself",
        ),
        other => ApiError::from_app(other, "token", lang),
    }
}

impl Wrapped for NewToken {
    const KEY: &'static str = "token";
}

/// A response carrying a secret is never compressed (BREACH, see `web::compress`).
pub(super) fn secret_inside(mut response: Response) -> Response {
    crate::web::compress::mark_secret(response.headers_mut());
    response
}

/// `Authorization: Basic base64(user:password)`, split at the first colon.
fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let encoded = value.strip_prefix("Basic ").or_else(|| value.strip_prefix("basic "))?;
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (user, password) = decoded.split_once(':')?;
    Some((user.to_string(), password.to_string()))
}

#[utoipa::path(post, path = "/v1/tokens/exchange", tag = "authentication",
    description = "`Authorization: Basic base64(\":\" + API_TOKEN)`, body `{}`: a bearer JWT valid one hour.",
    responses((status = 200, description = "`{\"token\":\"<JWT>\"}`"), (status = 401, description = "`{\"error\":…}`")))]
pub async fn exchange(State(state): State<AppState>, parts: Parts) -> Result<Response, ApiError> {
    let (user, password) = basic_credentials(&parts.headers)
        .ok_or_else(|| ApiError::unauthorized("send the API token as the Basic password"))?;
    // Some clients put the token in the user-name half.
    let secret = if password.is_empty() { user } else { password };
    let at = now();
    let token = api_tokens::by_secret(&state.db, secret.trim(), at)
        .await
        .map_err(|e| bearer::internal(&parts, e))?
        .ok_or_else(|| ApiError::unauthorized("invalid or expired API token"))?;
    let jwt = bearer::mint(&state.secret, &token, at)?;
    Ok(secret_inside(Json(serde_json::json!({ "token": jwt })).into_response()))
}

#[utoipa::path(get, path = "/v1/tokens", tag = "tokens", security(("bearer" = [])),
    responses((status = 200, description = "`{\"tokens\":[Token]}`, without secrets")))]
pub async fn list(State(state): State<AppState>, user: ApiUser) -> Result<Response, ApiError> {
    let tokens = state
        .server_host
        .stored_tokens(&user.caller)
        .await
        .map_err(|e| ApiError::from_app(e, "token", user.lang))?;
    let tokens: Vec<TokenJson> = tokens.iter().map(|t| TokenJson::of(t, None)).collect();
    Ok(Json(serde_json::json!({ "tokens": tokens })).into_response())
}

#[utoipa::path(get, path = "/v1/tokens/{id}", tag = "tokens", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, description = "`{\"token\":Token}`"), (status = 404, description = "not yours or unknown")))]
pub async fn show(State(state): State<AppState>, user: ApiUser, Path(id): Path<String>) -> Result<Response, ApiError> {
    let token = api_tokens::find(&state.db, &user.caller.user_id, &id)
        .await
        .map_err(user.fail())?
        .ok_or(ApiError::NotFound("token"))?;
    Ok(Json(serde_json::json!({ "token": TokenJson::of(&token, None) })).into_response())
}

/// Who creates the token: a bearer, or the account's password (`scalingo login`).
#[utoipa::path(post, path = "/v1/tokens", tag = "tokens",
    description = "With `Authorization: Bearer`, or `Basic base64(login:password)`. With a second factor on, \
                   the password way needs `X-Authorization-OTP`, else `401 {\"error\":\"OTP Required\"}`.",
    request_body(content = NewToken, description = "`{\"token\":{\"name\"}}` or unwrapped"),
    responses((status = 201, description = "`{\"token\":Token}` with the secret in `token`, shown once"),
              (status = 401, description = "`{\"error\":…}`"), (status = 422, description = "`{\"errors\":…}`")))]
pub async fn create(
    State(state): State<AppState>,
    mut parts: Parts,
    Body(new): Body<NewToken>,
) -> Result<Response, ApiError> {
    let lang = bearer::lang(&parts);
    let caller = if basic_credentials(&parts.headers).is_some() {
        password_caller(&state, &parts).await?
    } else {
        ApiUser::from_request_parts(&mut parts, &state).await?.caller
    };
    let scopes = TokenScopes::from_names(&new.scopes)
        .map_err(|unknown| ApiError::Invalid(vec![("scopes".into(), format!("unknown scope: {unknown}"))]))?;
    let expiry = match new.expires_in_days {
        None | Some(0) => TokenExpiry::Never,
        Some(days) => TokenExpiry::Days(days.min(3660)),
    };
    let (token, secret) = state
        .server_host
        .create_stored_token(&caller, &new.name, expiry, scopes)
        .await
        .map_err(|e| token_error(e, lang))?;
    let body = serde_json::json!({ "token": TokenJson::of(&token, Some(secret)) });
    Ok(secret_inside((StatusCode::CREATED, Json(body)).into_response()))
}

/// `login:password` from Basic, throttled like the sign-in form, and the second factor from
/// `X-Authorization-OTP` when the account has one.
async fn password_caller(state: &AppState, parts: &Parts) -> Result<app::host::Caller, ApiError> {
    let (login, password) = basic_credentials(&parts.headers).unwrap_or_default();
    let client = crate::web::client_info(parts, state.config.trust_proxy, state.config.https);
    let user = match signin::check_credentials(state, &login, password, &client).await {
        Ok(user) => user,
        Err(SignInError::BadCredentials) => return Err(ApiError::unauthorized("invalid credentials")),
        Err(SignInError::Throttled(secs)) => return Err(ApiError::too_many("too many attempts", secs.max(1) as u64)),
        Err(SignInError::Busy) => {
            return Err(ApiError::Message {
                status: StatusCode::SERVICE_UNAVAILABLE,
                message: "busy, try again".into(),
                retry_after: Some(2),
            })
        }
        Err(SignInError::Internal(cause)) => return Err(bearer::internal(parts, cause)),
    };
    let tfa_on = totp_store::is_enabled(&state.db, &user.id)
        .await
        .map_err(|e| bearer::internal(parts, e))?;
    if tfa_on {
        let otp = parts
            .headers
            .get("x-authorization-otp")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        match second_factor::check(&state.db, &state.secret, &state.throttle, &user.id, otp, now()).await {
            Ok(_) => {}
            Err(CodeError::Throttled(secs)) => return Err(ApiError::too_many("too many attempts", secs.max(1) as u64)),
            Err(CodeError::Internal(cause)) => return Err(bearer::internal(parts, cause)),
            // Exactly what the clients look for before asking for the code.
            Err(_) => return Err(ApiError::unauthorized("OTP Required")),
        }
    }
    // Signed in by password: no API token behind this call.
    Ok(bearer::api_caller(state, parts, &user.id, "", TokenScopes::full()))
}

#[utoipa::path(patch, path = "/v1/tokens/{id}/renew", tag = "tokens", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, description = "`{\"token\":Token}` with the new secret; the old one stops working"),
              (status = 404, description = "not yours or unknown")))]
pub async fn renew(State(state): State<AppState>, user: ApiUser, Path(id): Path<String>) -> Result<Response, ApiError> {
    let (token, secret) = state
        .server_host
        .renew_stored_token(&user.caller, &id)
        .await
        .map_err(|e| token_error(e, user.lang))?;
    Ok(secret_inside(
        Json(serde_json::json!({ "token": TokenJson::of(&token, Some(secret)) })).into_response(),
    ))
}

#[utoipa::path(delete, path = "/v1/tokens/{id}", tag = "tokens", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 204, description = "revoked, with every bearer minted from it"),
              (status = 404, description = "not yours or unknown")))]
pub async fn delete(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    state
        .server_host
        .revoke_stored_token(&user.caller, &id)
        .await
        .map_err(|e| token_error(e, user.lang))?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
