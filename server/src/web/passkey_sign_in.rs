//! "Sign in with a passkey" on `/login`, and a passkey instead of the code on `/login/code`: the page's script asks `begin` for a challenge (a
//! discoverable one: the browser offers the passkeys it holds for this site, no name typed),
//! hands it to `navigator.credentials.get`, and posts the answer to `finish`, which checks it
//! with webauthn-rs, starts the session (cookies as a password sign-in sets them) and answers
//! where to go. JSON in and out; errors are `{"error": "<translated sentence>"}`.

use super::forms::{client, signed_in};
use super::scoped_cookie::ScopedCookie;
use crate::auth::seal;
use crate::db::passkeys as store;
use crate::db::{now, users};
use crate::passkeys::{self as check, CheckError, Purpose, CEREMONY_SECS};
use crate::state::AppState;
use app::i18n::{Key, Lang};
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use http::request::Parts;
use http::{header, StatusCode};
use serde::{Deserialize, Serialize};
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
    let (options, ceremony_state) = match relying_party.start_discoverable_authentication() {
        Ok(started) => started,
        Err(e) => return internal(&parts, e),
    };
    let ceremony = crate::auth::session_token::generate().0;
    let pending = Pending {
        id: ceremony.clone(),
        expires_at: now() + CEREMONY_SECS,
        state: ceremony_state,
    };
    let sealed = serde_json::to_vec(&pending)
        .ok()
        .and_then(|plain| seal::seal(&state.secret, SEAL_PURPOSE, &plain));
    let Some(sealed) = sealed else {
        return internal(&parts, "could not seal the passkey challenge");
    };
    let mut response = Json(json!({ "ceremony": ceremony, "options": options.public_key })).into_response();
    PENDING.set(&mut response, &sealed, state.config.https, CEREMONY_SECS);
    response
}

/// A sign-in challenge waiting for the browser's answer. Anyone may ask for one, so it is not
/// stored: it travels sealed (ChaCha20-Poly1305 under a key derived from the server's) in a
/// cookie scoped to these two routes. A flood of "Sign in with a passkey" writes nothing; the
/// one database write is marking a checked answer's challenge used, so it cannot be replayed.
#[derive(Serialize, Deserialize)]
struct Pending {
    id: String,
    expires_at: i64,
    state: DiscoverableAuthentication,
}

const SEAL_PURPOSE: &str = "passkey sign-in";
const PENDING: ScopedCookie = ScopedCookie {
    name: "vestibule_passkey",
    secure_name: "__Secure-vestibule_passkey",
    path: "/login/passkey",
    same_site: "Strict",
};

/// The live challenge from the browser's cookie, if it is this server's and not too old.
fn pending_of(state: &AppState, parts: &Parts) -> Option<Pending> {
    let sealed = PENDING.read(parts, state.config.https)?;
    let plain = seal::open(&state.secret, SEAL_PURPOSE, sealed)?;
    serde_json::from_slice::<Pending>(&plain)
        .ok()
        .filter(|pending| pending.expires_at > now())
}

#[derive(Deserialize)]
pub struct Answer {
    ceremony: String,
    /// The browser's `PublicKeyCredential.toJSON()`.
    credential: serde_json::Value,
    #[serde(default)]
    next: String,
}

/// A checked passkey's sign-in, ready to become a session.
struct Opened<'a> {
    user_id: &'a str,
    passkey_name: &'a str,
    next: &'a str,
    /// The ceremony's cookie, removed: its challenge is answered.
    spent: &'a ScopedCookie,
    /// What to say if the account went away meanwhile.
    gone: (StatusCode, Key),
}

/// Starts the session and answers the script: the password sign-in's redirect (with its
/// cookies) turned into JSON, and the ceremony's cookie removed.
async fn session_for(state: &AppState, parts: &Parts, opened: Opened<'_>, lang: Lang) -> Response {
    let user = match state.db.pool.acquire().await {
        Ok(mut conn) => users::find_by_id(&mut conn, opened.user_id).await,
        Err(e) => Err(e),
    };
    let user = match user {
        Ok(Some(user)) => user,
        Ok(None) => return refusal(opened.gone.0, opened.gone.1, lang),
        Err(e) => return internal(parts, e),
    };
    let started = match crate::auth::signin::start_with_passkey(state, user, &client(parts), opened.passkey_name).await
    {
        Ok(started) => started,
        Err(e) => return internal(parts, e),
    };
    let redirect = signed_in(state, parts, started, opened.next).await;
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
    opened.spent.clear(&mut response, state.config.https);
    response
}

fn check_refusal(parts: &Parts, error: CheckError, lang: Lang) -> Response {
    match error.key() {
        Some(key @ Key::ErrNoPasskeys) => refusal(StatusCode::CONFLICT, key, lang),
        Some(key @ Key::ErrPasskeyExpired) => refusal(StatusCode::BAD_REQUEST, key, lang),
        Some(key) => refusal(StatusCode::UNAUTHORIZED, key, lang),
        None => internal(parts, error),
    }
}

/// The account behind the browser's sign-in challenge (its password was right), if live.
async fn challenged_user(state: &AppState, parts: &Parts) -> Result<Option<(String, String)>, sqlx::Error> {
    let challenge = super::second_step::challenge_of(parts, state.config.https);
    if challenge.is_empty() {
        return Ok(None);
    }
    let digest = crate::auth::session_token::digest(&challenge);
    let user_id = crate::db::challenges::find(&state.db, &digest, now()).await?;
    Ok(user_id.map(|id| (id, digest)))
}

/// `/login/code`'s "Use a passkey instead": a challenge for the account's own passkeys.
pub async fn second_factor_begin(State(state): State<AppState>, parts: Parts) -> Response {
    let lang = lang(&parts);
    let Ok(relying_party) = state.config.passkeys.as_deref() else {
        return refusal(StatusCode::NOT_FOUND, Key::PasskeysOff, lang);
    };
    let user_id = match challenged_user(&state, &parts).await {
        Ok(Some((user_id, _))) => user_id,
        Ok(None) => return refusal(StatusCode::BAD_REQUEST, Key::ErrChallengeExpired, lang),
        Err(e) => return internal(&parts, e),
    };
    match check::begin_check(&state.db, relying_party, &user_id, Purpose::SecondFactor).await {
        Ok(begun) => {
            let options: serde_json::Value = serde_json::from_str(&begun.options).unwrap_or_default();
            Json(json!({ "ceremony": begun.ceremony, "options": options })).into_response()
        }
        Err(e) => check_refusal(&parts, e, lang),
    }
}

/// The passkey's answer in place of the code: the challenge is answered (once), the session
/// starts.
pub async fn second_factor_finish(State(state): State<AppState>, parts: Parts, body: axum::body::Bytes) -> Response {
    let lang = lang(&parts);
    let Ok(relying_party) = state.config.passkeys.as_deref() else {
        return refusal(StatusCode::NOT_FOUND, Key::PasskeysOff, lang);
    };
    let Ok(answer) = serde_json::from_slice::<Answer>(&body) else {
        return refusal(StatusCode::BAD_REQUEST, Key::ErrPasskeyRefused, lang);
    };
    let (user_id, digest) = match challenged_user(&state, &parts).await {
        Ok(Some(found)) => found,
        Ok(None) => return refusal(StatusCode::BAD_REQUEST, Key::ErrChallengeExpired, lang),
        Err(e) => return internal(&parts, e),
    };
    let credential = answer.credential.to_string();
    let purpose = Purpose::SecondFactor;
    let used = match check::finish_check(
        &state.db,
        relying_party,
        &user_id,
        &answer.ceremony,
        purpose,
        &credential,
    )
    .await
    {
        Ok(used) => used,
        Err(e) => return check_refusal(&parts, e, lang),
    };
    // Answered once: a second tab answering the same challenge gets nothing.
    match crate::db::challenges::finish(&state.db, &digest).await {
        Ok(true) => {}
        Ok(false) => return refusal(StatusCode::BAD_REQUEST, Key::ErrChallengeExpired, lang),
        Err(e) => return internal(&parts, e),
    }
    let opened = Opened {
        user_id: &user_id,
        passkey_name: &used.name,
        next: &answer.next,
        spent: &super::second_step::CHALLENGE,
        gone: (StatusCode::BAD_REQUEST, Key::ErrChallengeExpired),
    };
    session_for(&state, &parts, opened, lang).await
}

pub async fn finish(State(state): State<AppState>, parts: Parts, body: axum::body::Bytes) -> Response {
    let lang = lang(&parts);
    let Ok(relying_party) = state.config.passkeys.as_deref() else {
        return refusal(StatusCode::NOT_FOUND, Key::PasskeysOff, lang);
    };
    let Ok(answer) = serde_json::from_slice::<Answer>(&body) else {
        return refusal(StatusCode::BAD_REQUEST, Key::ErrPasskeyRefused, lang);
    };
    let Some(pending) = pending_of(&state, &parts) else {
        return refusal(StatusCode::BAD_REQUEST, Key::ErrPasskeyExpired, lang);
    };
    // A replayed answer says so, rather than failing the counter check as a clone would.
    match store::was_used(&state.db, &pending.id).await {
        Ok(false) => {}
        Ok(true) => return refusal(StatusCode::BAD_REQUEST, Key::ErrPasskeyExpired, lang),
        Err(e) => return internal(&parts, e),
    }
    let Ok(credential) = serde_json::from_value::<PublicKeyCredential>(answer.credential) else {
        return refusal(StatusCode::BAD_REQUEST, Key::ErrPasskeyRefused, lang);
    };
    let Ok((user_handle, credential_id)) = relying_party.identify_discoverable_authentication(&credential) else {
        return refusal(StatusCode::UNAUTHORIZED, Key::ErrPasskeyRefused, lang);
    };
    let stored = match store::by_credential_id(&state.db, &check::credential_key(credential_id)).await {
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
        pending.state,
        &[DiscoverableKey::from(&passkey)],
    );
    let result = match checked {
        Ok(result) => result,
        // An answer to another challenge: most likely an older tab's (each new challenge
        // replaces the cookie), so "try again" is the useful answer.
        Err(WebauthnError::MismatchedChallenge) => {
            return refusal(StatusCode::BAD_REQUEST, Key::ErrPasskeyExpired, lang);
        }
        Err(WebauthnError::CredentialPossibleCompromise) => {
            tracing::warn!(passkey = %stored.id, "passkey counter went backwards: refused as a possible clone");
            return refusal(StatusCode::UNAUTHORIZED, Key::ErrPasskeyCloned, lang);
        }
        Err(e) => {
            tracing::info!(error = %e, "passkey assertion refused");
            return refusal(StatusCode::UNAUTHORIZED, Key::ErrPasskeyRefused, lang);
        }
    };
    // Answered once: the same answer (or a second tab's) posted again finds it used.
    match store::mark_used(&state.db, &pending.id, pending.expires_at, now()).await {
        Ok(true) => {}
        Ok(false) => return refusal(StatusCode::BAD_REQUEST, Key::ErrPasskeyExpired, lang),
        Err(e) => return internal(&parts, e),
    }
    passkey.update_credential(&result);
    let updated = serde_json::to_string(&passkey).unwrap_or(stored.credential.clone());
    if let Err(e) = store::record_use(&state.db, &stored.id, &updated, now()).await {
        return internal(&parts, e);
    }
    let opened = Opened {
        user_id: &stored.user_id,
        passkey_name: &stored.name,
        next: &answer.next,
        spent: &PENDING,
        gone: (StatusCode::UNAUTHORIZED, Key::ErrPasskeyUnknown),
    };
    session_for(&state, &parts, opened, lang).await
}
