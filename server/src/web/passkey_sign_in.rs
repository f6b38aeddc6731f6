//! "Sign in with a passkey" on `/login`: the page's script asks `begin` for a challenge (a
//! discoverable one: the browser offers the passkeys it holds for this site, no name typed),
//! hands it to `navigator.credentials.get`, and posts the answer to `finish`, which checks it
//! with webauthn-rs, starts the session (cookies as a password sign-in sets them) and answers
//! where to go. JSON in and out; errors are `{"error": "<translated sentence>"}`.

use super::forms::{client, signed_in};
use crate::db::passkeys::{self as store, MAX_PENDING_SIGN_INS};
use crate::db::{now, users};
use crate::passkeys::{Purpose, CEREMONY_SECS};
use crate::state::AppState;
use app::i18n::{Key, Lang};
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use http::request::Parts;
use http::{header, StatusCode};
use serde::Deserialize;
use serde_json::json;
use webauthn_rs::prelude::{DiscoverableAuthentication, DiscoverableKey, Passkey, PublicKeyCredential, WebauthnError};

fn lang(parts: &Parts) -> Lang {
    parts
        .extensions
        .get::<app::context::PageContext>()
        .map(|page| page.prefs.lang)
        .unwrap_or_default()
}

fn refusal(status: StatusCode, key: Key, lang: Lang) -> Response {
    (status, Json(json!({ "error": key.text(lang) }))).into_response()
}

fn internal(parts: &Parts, cause: impl std::fmt::Display) -> Response {
    let request_id = super::forms::request_id(parts);
    tracing::error!(request_id = %request_id, error = %cause, "passkey sign-in failed");
    let text = Key::ErrInternal.text(lang(parts));
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        Json(json!({ "error": text, "reference": request_id })),
    )
        .into_response()
}

pub async fn begin(State(state): State<AppState>, parts: Parts) -> Response {
    let lang = lang(&parts);
    let Ok(relying_party) = state.config.passkeys.as_deref() else {
        return refusal(StatusCode::NOT_FOUND, Key::PasskeysOff, lang);
    };
    let at = now();
    match store::pending(&state.db, Purpose::SignIn.as_str(), at).await {
        Ok(n) if n >= MAX_PENDING_SIGN_INS => return refusal(StatusCode::SERVICE_UNAVAILABLE, Key::ErrBusy, lang),
        Ok(_) => {}
        Err(e) => return internal(&parts, e),
    }
    let (options, ceremony_state) = match relying_party.start_discoverable_authentication() {
        Ok(started) => started,
        Err(e) => return internal(&parts, e),
    };
    let ceremony = crate::auth::session_token::generate().0;
    let saved = match serde_json::to_string(&ceremony_state) {
        Ok(saved) => saved,
        Err(e) => return internal(&parts, e),
    };
    let purpose = Purpose::SignIn.as_str();
    if let Err(e) = store::begin_ceremony(&state.db, &ceremony, None, purpose, &saved, at + CEREMONY_SECS, at).await {
        return internal(&parts, e);
    }
    Json(json!({ "ceremony": ceremony, "options": options.public_key })).into_response()
}

#[derive(Deserialize)]
pub struct Answer {
    ceremony: String,
    /// The browser's `PublicKeyCredential.toJSON()`.
    credential: serde_json::Value,
    #[serde(default)]
    next: String,
}

pub async fn finish(State(state): State<AppState>, parts: Parts, body: axum::body::Bytes) -> Response {
    let lang = lang(&parts);
    let Ok(relying_party) = state.config.passkeys.as_deref() else {
        return refusal(StatusCode::NOT_FOUND, Key::PasskeysOff, lang);
    };
    let Ok(answer) = serde_json::from_slice::<Answer>(&body) else {
        return refusal(StatusCode::BAD_REQUEST, Key::ErrPasskeyRefused, lang);
    };
    // Taken once: the same answer posted again finds nothing.
    let saved = match store::take_ceremony(&state.db, &answer.ceremony, Purpose::SignIn.as_str(), now()).await {
        Ok(Some((_, saved))) => saved,
        Ok(None) => return refusal(StatusCode::BAD_REQUEST, Key::ErrPasskeyExpired, lang),
        Err(e) => return internal(&parts, e),
    };
    let ceremony_state: DiscoverableAuthentication = match serde_json::from_str(&saved) {
        Ok(s) => s,
        Err(e) => return internal(&parts, e),
    };
    let Ok(credential) = serde_json::from_value::<PublicKeyCredential>(answer.credential) else {
        return refusal(StatusCode::BAD_REQUEST, Key::ErrPasskeyRefused, lang);
    };
    let Ok((user_handle, credential_id)) = relying_party.identify_discoverable_authentication(&credential) else {
        return refusal(StatusCode::UNAUTHORIZED, Key::ErrPasskeyRefused, lang);
    };
    let stored = match store::by_credential_id(&state.db, &URL_SAFE_NO_PAD.encode(credential_id)).await {
        Ok(Some(stored)) if stored.user_id == user_handle.to_string() => stored,
        Ok(_) => return refusal(StatusCode::UNAUTHORIZED, Key::ErrPasskeyUnknown, lang),
        Err(e) => return internal(&parts, e),
    };
    let mut passkey: Passkey = match serde_json::from_str(&stored.credential) {
        Ok(p) => p,
        Err(e) => return internal(&parts, e),
    };
    let checked = relying_party.finish_discoverable_authentication(
        &credential,
        ceremony_state,
        &[DiscoverableKey::from(&passkey)],
    );
    let result = match checked {
        Ok(result) => result,
        Err(WebauthnError::CredentialPossibleCompromise) => {
            tracing::warn!(passkey = %stored.id, "passkey counter went backwards: refused as a possible clone");
            return refusal(StatusCode::UNAUTHORIZED, Key::ErrPasskeyCloned, lang);
        }
        Err(e) => {
            tracing::info!(error = %e, "passkey assertion refused");
            return refusal(StatusCode::UNAUTHORIZED, Key::ErrPasskeyRefused, lang);
        }
    };
    passkey.update_credential(&result);
    let updated = serde_json::to_string(&passkey).unwrap_or(stored.credential.clone());
    if let Err(e) = store::record_use(&state.db, &stored.id, &updated, now()).await {
        return internal(&parts, e);
    }
    let user = match state.db.pool.acquire().await {
        Ok(mut conn) => users::find_by_id(&mut conn, &stored.user_id).await,
        Err(e) => Err(e),
    };
    let user = match user {
        Ok(Some(user)) => user,
        Ok(None) => return refusal(StatusCode::UNAUTHORIZED, Key::ErrPasskeyUnknown, lang),
        Err(e) => return internal(&parts, e),
    };
    let started = match crate::auth::signin::start_with_passkey(&state, user, &client(&parts), &stored.name).await {
        Ok(started) => started,
        Err(e) => return internal(&parts, e),
    };
    // The password sign-in's answer (a redirect with the cookies), turned into JSON for the
    // script: the same cookies, and where to go.
    let redirect = signed_in(&state, &parts, started, &answer.next).await;
    let to = redirect
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("/account")
        .to_string();
    let mut response = Json(json!({ "redirect": to })).into_response();
    for cookie in redirect.headers().get_all(header::SET_COOKIE) {
        response.headers_mut().append(header::SET_COOKIE, cookie.clone());
    }
    response
}
