//! Bearer tokens for `/v1`: HS256 JWTs minted by `POST /v1/tokens/exchange` from an API token.
//! They carry `sub` (the user id), `iat`, `exp` (one hour, as Scalingo clients expect) and the
//! API token they came from (`tid`, plus a prefix of its digest, `tdg`). Checking one is a
//! signature check and one indexed lookup of that API token: renewing or revoking it ends
//! every bearer minted from it at once. No password hash is ever computed here.

use super::error::ApiError;
use super::scopes::Need;
use crate::db::api_tokens::{self, StoredToken};
use crate::db::now;
use crate::host::ApiCaller;
use crate::secret::SecretKey;
use crate::state::AppState;
use app::host::{Caller, HostData};
use app::i18n::Lang;
use app::model::TokenScopes;
use axum::extract::FromRequestParts;
use hmac::{Hmac, Mac};
use http::request::Parts;
use http::{header, StatusCode};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use std::sync::Arc;

pub const LIFETIME_SECS: i64 = 3600;
/// Characters of the API token's digest a bearer carries: enough to tell a renewed secret.
const DIGEST_PREFIX: usize = 16;

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: String,
    iat: i64,
    exp: i64,
    tid: String,
    tdg: String,
    /// The API token's scopes, for the client to read (empty: full access). The server goes by
    /// the token's row, which it reads anyway: the two never differ, as scopes never change.
    #[serde(default)]
    scp: Vec<String>,
}

/// The signing key: derived from the server key with a label, so it is never the key itself.
fn signing_key(secret: &SecretKey) -> Vec<u8> {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.bytes()) else {
        return secret.bytes().to_vec();
    };
    mac.update(b"vestibule api bearer v1");
    mac.finalize().into_bytes().to_vec()
}

pub fn mint(secret: &SecretKey, token: &StoredToken, at: i64) -> Result<String, ApiError> {
    let claims = Claims {
        sub: token.user_id.clone(),
        iat: at,
        exp: at + LIFETIME_SECS,
        tid: token.id.clone(),
        tdg: token.digest.chars().take(DIGEST_PREFIX).collect(),
        scp: token.scopes.names().into_iter().map(String::from).collect(),
    };
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(&signing_key(secret)),
    )
    .map_err(|e| logged("", e))
}

/// A signed-in API caller: the account and the API token behind the bearer.
pub struct ApiUser {
    pub caller: Caller,
    pub token: StoredToken,
    pub lang: Lang,
}

/// The caller's language for error messages.
pub fn lang(parts: &Parts) -> Lang {
    let header = parts
        .headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    app::i18n::negotiate(header)
}

fn request_id(parts: &Parts) -> String {
    parts
        .extensions
        .get::<crate::web::RequestId>()
        .map(|r| r.0.clone())
        .unwrap_or_default()
}

/// The `Caller` the host's rules expect, for a request that came with an API token.
pub fn api_caller(state: &AppState, parts: &Parts, user_id: &str, token_id: &str, scopes: TokenScopes) -> Caller {
    let client = crate::web::client_info(parts, state.config.trust_proxy, state.config.https);
    let user_agent = parts
        .headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .chars()
        .take(512)
        .collect();
    Caller {
        user_id: user_id.to_string(),
        session_digest: String::new(),
        ip: client.ip,
        user_agent,
        request_id: request_id(parts),
        // The API answers in UTC (RFC 3339).
        time_zone: "UTC".into(),
        host_data: HostData(Some(Arc::new(ApiCaller {
            token_id: token_id.to_string(),
            identity_proven: false,
            scopes,
        }))),
    }
}

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let lang = lang(parts);
        let bearer = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
            .map(str::trim)
            .ok_or_else(|| ApiError::unauthorized("authentication required: send Authorization: Bearer <token>"))?;
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_required_spec_claims(&["exp", "sub"]);
        validation.leeway = 0;
        let claims = jsonwebtoken::decode::<Claims>(
            bearer,
            &DecodingKey::from_secret(&signing_key(&state.secret)),
            &validation,
        )
        .map_err(|_| ApiError::unauthorized("invalid or expired bearer token"))?
        .claims;
        let at = now();
        let token = api_tokens::by_id(&state.db, &claims.tid, at)
            .await
            .map_err(|e| internal(parts, e))?
            .filter(|t| {
                t.user_id == claims.sub && t.digest.starts_with(&claims.tdg) && claims.tdg.len() == DIGEST_PREFIX
            })
            .ok_or_else(|| ApiError::unauthorized("invalid or expired bearer token"))?;
        state
            .api_limiter
            .check(&token.id)
            .map_err(|wait| ApiError::too_many(app::i18n::Key::ErrTooManyAttempts.text(lang), wait))?;
        // What the route needs, attached where it was registered (`scopes::ScopedRouter`);
        // a route registered without a need is refused to every token.
        let need = parts
            .extensions
            .get::<Need>()
            .copied()
            .ok_or_else(|| ApiError::status(StatusCode::FORBIDDEN, "this route declares no scope"))?;
        need.check(&token.scopes)
            .map_err(|missing| ApiError::status(StatusCode::FORBIDDEN, missing))?;
        let caller = api_caller(state, parts, &token.user_id, &token.id, token.scopes.clone());
        Ok(ApiUser { caller, token, lang })
    }
}

pub fn internal(parts: &Parts, cause: impl std::fmt::Display) -> ApiError {
    logged(&request_id(parts), cause)
}

/// Logs the cause under the request id; the answer carries the id only.
pub fn logged(request_id: &str, cause: impl std::fmt::Display) -> ApiError {
    tracing::error!(request_id = %request_id, error = %cause, "API request failed");
    ApiError::Internal(request_id.to_string())
}

impl ApiUser {
    /// For a database error on this caller's request.
    pub fn fail<E: std::fmt::Display>(&self) -> impl Fn(E) -> ApiError + '_ {
        move |cause| logged(&self.caller.request_id, cause)
    }
}
