//! Checking a second-factor code: a TOTP code (each time step accepted once, the current and
//! the previous step only) or a single-use recovery code. Attempts are throttled per account,
//! counted before the check like passwords are.

use super::{seal, throttle, totp};
use crate::db::{totp as store, Db};
use crate::secret::SecretKey;

/// The seal's purpose for TOTP secrets.
pub const SEAL_PURPOSE: &str = "totp-secret";

#[derive(Debug, thiserror::Error)]
pub enum CodeError {
    #[error("no code given")]
    Missing,
    #[error("wrong code")]
    Wrong,
    /// Right code, but its time step was used already.
    #[error("code already used")]
    Replayed,
    #[error("throttled for {0}s")]
    Throttled(i64),
    /// The account has no second factor on.
    #[error("second factor off")]
    NotEnabled,
    #[error("internal: {0}")]
    Internal(String),
}

impl From<sqlx::Error> for CodeError {
    fn from(e: sqlx::Error) -> Self {
        CodeError::Internal(e.to_string())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UsedCode {
    Totp,
    Recovery,
}

impl UsedCode {
    pub fn name(self) -> &'static str {
        match self {
            UsedCode::Totp => "totp",
            UsedCode::Recovery => "recovery_code",
        }
    }
}

/// Opens a stored secret sealed by this server.
pub fn open_secret(key: &SecretKey, sealed: &str) -> Result<Vec<u8>, CodeError> {
    seal::open(key, SEAL_PURPOSE, sealed)
        .ok_or_else(|| CodeError::Internal("a TOTP secret does not open with this server key".into()))
}

pub fn throttle_key(user_id: &str) -> String {
    format!("tfa:user:{user_id}")
}

/// Checks `input` against the account's enabled second factor, using it up on success.
pub async fn check(
    db: &Db,
    key: &SecretKey,
    policy: &throttle::Policy,
    user_id: &str,
    input: &str,
    now: i64,
) -> Result<UsedCode, CodeError> {
    let input = input.trim();
    if input.is_empty() {
        return Err(CodeError::Missing);
    }
    let stored = store::get(db, user_id).await?.filter(|t| t.enabled_at.is_some());
    let Some(stored) = stored else {
        return Err(CodeError::NotEnabled);
    };
    let keys = throttle::Keys::single(throttle_key(user_id), policy.free_per_account);
    let attempt = match throttle::begin_attempt(db, policy, &keys, now).await? {
        Ok(attempt) => attempt,
        Err(wait) => return Err(CodeError::Throttled(wait)),
    };
    let outcome = if totp::looks_like_totp(input) {
        let secret = open_secret(key, &stored.sealed_secret)?;
        match totp::matching_step(&secret, input, now) {
            None => Err(CodeError::Wrong),
            Some(step) if store::accept_step(db, user_id, step).await? => Ok(UsedCode::Totp),
            Some(_) => Err(CodeError::Replayed),
        }
    } else if store::use_recovery_code(db, user_id, &totp::recovery_digest(input), now).await? {
        Ok(UsedCode::Recovery)
    } else {
        Err(CodeError::Wrong)
    };
    match &outcome {
        Ok(_) => throttle::record_success(db, attempt).await?,
        Err(_) => throttle::confirm_failure(db, policy, attempt, now).await?,
    }
    outcome
}

/// Checks a first code against a secret being enrolled: the matching time step.
pub fn check_enrolment(secret: &[u8], input: &str, now: i64) -> Result<i64, CodeError> {
    if input.trim().is_empty() {
        return Err(CodeError::Missing);
    }
    totp::matching_step(secret, input, now).ok_or(CodeError::Wrong)
}
