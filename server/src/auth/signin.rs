//! Sign-in and sign-out as operations on the store, independent of HTTP (sign-up is in
//! `signup.rs`).

use super::hash_queue::Lane;
use super::password::HashError;
use super::{device_cookie, session_token, throttle};
use crate::db::events::{self, Actor, EventType, NewEvent};
use crate::db::users::{self, User};
use crate::db::{challenges, devices, now, sessions, totp as totp_store};
use crate::state::AppState;
use serde_json::json;

/// Where a request came from, as recorded in events and sessions.
#[derive(Clone, Debug, Default)]
pub struct Client {
    pub ip: String,
    pub user_agent: String,
    /// The device cookie the browser sent, unchecked (see `device_cookie`).
    pub device: Option<String>,
}

impl Client {
    pub fn actor(&self) -> Actor {
        Actor {
            ip: Some(self.ip.clone()),
            user_agent: Some(self.user_agent.clone()),
        }
    }
}

/// A new session: the cookie value to hand to the browser.
pub struct Started {
    pub user: User,
    pub token: String,
    /// A fresh device cookie value: this browser is now known to the account.
    pub device: Option<String>,
}

/// What a right password leads to.
pub enum SignedIn {
    Started(Started),
    /// The account has a second factor: the browser gets this challenge token (a cookie) and
    /// is asked for a code. No session yet.
    NeedsCode {
        challenge: String,
        /// The account has a passkey: the code step offers it instead.
        has_passkeys: bool,
    },
}

/// No username or e-mail address is longer (an address is at most 254 characters).
const MAX_LOGIN_CHARS: usize = 254;

#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    #[error("bad credentials")]
    BadCredentials,
    #[error("throttled for {0}s")]
    Throttled(i64),
    #[error("busy")]
    Busy,
    #[error("internal: {0}")]
    Internal(String),
}

impl From<sqlx::Error> for SignInError {
    fn from(e: sqlx::Error) -> Self {
        SignInError::Internal(e.to_string())
    }
}

impl From<HashError> for SignInError {
    fn from(e: HashError) -> Self {
        match e {
            HashError::Busy => SignInError::Busy,
            HashError::Internal(m) => SignInError::Internal(m),
        }
    }
}

pub(super) async fn start_session(state: &AppState, user: User, client: &Client) -> Result<Started, sqlx::Error> {
    let (token, digest) = session_token::generate();
    let new = sessions::NewSession {
        id_digest: &digest,
        user_id: &user.id,
        ip: &client.ip,
        user_agent: &client.user_agent,
    };
    sessions::create(&state.db, new, state.lifetimes, now()).await?;
    let device = device_for(state, &user, client).await?;
    Ok(Started { user, token, device })
}

/// The device cookie this browser keeps for the account: the one it sent, if still listed;
/// otherwise a new one, listed now.
async fn device_for(state: &AppState, user: &User, client: &Client) -> Result<Option<String>, sqlx::Error> {
    if known_device(state, user, client).await?.is_some() {
        return Ok(client.device.clone());
    }
    let Some((token, nonce)) = device_cookie::issue(&user.id, &state.secret) else {
        return Ok(None);
    };
    devices::remember(&state.db, &user.id, &nonce, now()).await?;
    Ok(Some(token))
}

/// A new device cookie for this browser, listed for the account: after a password reset (which
/// forgot every known browser), the browser that chose the new password is known again.
pub async fn remember_browser(state: &AppState, user_id: &str) -> Result<Option<String>, sqlx::Error> {
    let Some((token, nonce)) = device_cookie::issue(user_id, &state.secret) else {
        return Ok(None);
    };
    devices::remember(&state.db, user_id, &nonce, now()).await?;
    Ok(Some(token))
}

/// The nonce of the browser's device cookie when it is genuine, for this account, and still
/// listed (a password change or reset unlists them all).
async fn known_device(state: &AppState, user: &User, client: &Client) -> Result<Option<String>, sqlx::Error> {
    let Some(nonce) = client
        .device
        .as_deref()
        .and_then(|token| device_cookie::nonce(token, &user.id, &state.secret))
    else {
        return Ok(None);
    };
    Ok(devices::recognise(&state.db, &user.id, &nonce, now())
        .await?
        .then_some(nonce))
}

pub async fn sign_in(
    state: &AppState,
    login: &str,
    password: String,
    client: &Client,
) -> Result<SignedIn, SignInError> {
    let user = check_credentials(state, login, password, client).await?;
    if totp_store::is_enabled(&state.db, &user.id).await? {
        let (challenge, digest) = session_token::generate();
        challenges::create(&state.db, &digest, &user.id, now()).await?;
        let has_passkeys = crate::db::passkeys::has_any(&state.db, &user.id).await?;
        return Ok(SignedIn::NeedsCode {
            challenge,
            has_passkeys,
        });
    }
    let started = start_session(state, user, client).await?;
    record(state, Some(&started.user.id), EventType::LoginSuccess, client).await?;
    Ok(SignedIn::Started(started))
}

/// The account whose password this is, throttled and hashed like every sign-in (a failure is
/// recorded as `login_failure`). The second factor is the caller's to ask for.
pub async fn check_credentials(
    state: &AppState,
    login: &str,
    password: String,
    client: &Client,
) -> Result<User, SignInError> {
    let at = now();
    let login = login.trim();
    // Nobody's login is this long: no lookup, but the attempt is still counted and hashed.
    let user = match login.chars().count() > MAX_LOGIN_CHARS {
        true => None,
        false => users::find_by_login(&state.db, login).await?,
    };
    let (keys, lane) = throttle_keys(state, user.as_ref(), login, client).await?;
    let attempt = match throttle::begin_attempt(&state.db, &state.throttle, &keys, at).await? {
        Ok(attempt) => attempt,
        Err(wait) => return Err(SignInError::Throttled(wait)),
    };
    if attempt.account_paused {
        // The account is paused after repeated failures. Saying so would tell which username
        // owns an address (and whether a login exists): the answer, its cost and its event are
        // a wrong password's, and this password is never looked at.
        if let Err(e) = state.hasher.verify(lane, password, None).await {
            throttle::withdraw(&state.db, attempt).await?;
            return Err(e.into());
        }
        throttle::confirm_failure(&state.db, &state.throttle, attempt, at).await?;
        let data = json!({ "remote_ip": client.ip, "paused": true });
        record_with(
            state,
            user.as_ref().map(|u| u.id.as_str()),
            EventType::LoginFailure,
            client,
            data,
        )
        .await?;
        return Err(SignInError::BadCredentials);
    }
    let stored_hash = user.as_ref().map(|u| u.password_hash.clone());
    let verification = match state.hasher.verify(lane, password.clone(), stored_hash.clone()).await {
        Ok(verification) => verification,
        Err(e) => {
            // Not the user's failure: give the attempt back.
            throttle::withdraw(&state.db, attempt).await?;
            return Err(e.into());
        }
    };
    let user = match user {
        Some(user) if verification.ok => user,
        user => {
            throttle::confirm_failure(&state.db, &state.throttle, attempt, at).await?;
            record(
                state,
                user.as_ref().map(|u| u.id.as_str()),
                EventType::LoginFailure,
                client,
            )
            .await?;
            return Err(SignInError::BadCredentials);
        }
    };
    throttle::record_success(&state.db, attempt).await?;
    if let (true, Some(old)) = (verification.needs_rehash, stored_hash) {
        // Best effort: the sign-in succeeds even if the upgrade has to wait for next time.
        match state.hasher.hash(Lane::Priority, password).await {
            Ok(hash) => users::upgrade_password_hash(&state.db, &user.id, &old, &hash).await?,
            Err(e) => tracing::warn!(error = %e, "password rehash postponed"),
        }
    }
    Ok(user)
}

/// A browser that signed in to this account before (and is still listed for it) is throttled
/// on its own device counter and hashes in the priority lane; any other is throttled on the
/// account and its address (see `device_cookie`) and waits in the anonymous lane.
async fn throttle_keys(
    state: &AppState,
    user: Option<&User>,
    login: &str,
    client: &Client,
) -> Result<(throttle::Keys, Lane), sqlx::Error> {
    let device = match user {
        Some(user) => known_device(state, user, client).await?,
        None => None,
    };
    Ok(match device {
        Some(nonce) => (
            throttle::Keys::device(&state.throttle, device_cookie::throttle_key(&nonce)),
            Lane::Priority,
        ),
        None => (
            throttle::Keys::untrusted(
                &state.throttle,
                throttle::account_key(user.map(|u| u.id.as_str()), login),
                throttle::address_key(&client.ip),
            ),
            Lane::Anonymous,
        ),
    })
}

/// A session for the account whose passkey the browser just proved it holds (checked by the
/// caller): a passkey asks for the user's presence and verification on the device, so it is
/// both factors at once and no code is asked. The event names the passkey.
pub async fn start_with_passkey(
    state: &AppState,
    user: User,
    client: &Client,
    passkey_name: &str,
) -> Result<Started, sqlx::Error> {
    let started = start_session(state, user, client).await?;
    let data = json!({ "remote_ip": client.ip, "passkey": passkey_name });
    record_with(state, Some(&started.user.id), EventType::LoginSuccess, client, data).await?;
    Ok(started)
}

/// Revokes the session server-side and records the sign-out.
pub async fn sign_out(
    state: &AppState,
    session_digest: &str,
    user_id: &str,
    client: &Client,
) -> Result<(), sqlx::Error> {
    sessions::revoke(&state.db, session_digest).await?;
    record(state, Some(user_id), EventType::Logout, client).await
}

pub(super) async fn record(
    state: &AppState,
    user_id: Option<&str>,
    kind: EventType,
    client: &Client,
) -> Result<(), sqlx::Error> {
    record_with(state, user_id, kind, client, json!({ "remote_ip": client.ip })).await
}

pub(super) async fn record_with(
    state: &AppState,
    user_id: Option<&str>,
    kind: EventType,
    client: &Client,
    data: serde_json::Value,
) -> Result<(), sqlx::Error> {
    let mut conn = state.db.pool.acquire().await?;
    let actor = client.actor();
    events::record(
        &mut conn,
        NewEvent {
            user_id,
            kind,
            actor: &actor,
            data,
        },
    )
    .await
}
