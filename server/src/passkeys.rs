//! Passkeys (WebAuthn) through `webauthn-rs`: the relying party is the host of
//! `VESTIBULE_PUBLIC_URL`, and the only origin accepted is that URL's. Browsers refuse an IP
//! address as a relying-party id, so a server reached by IP has passkeys off (and says why).
//!
//! A ceremony's state (the challenge and what the library needs to check the answer) is kept
//! server-side in `passkey_ceremonies` under the digest of a random id handed to the browser,
//! taken exactly once: a replayed answer finds nothing.

use crate::auth::session_token;
use crate::db::passkeys::{self as store, StoredPasskey};
use crate::db::{now, Db};
use app::i18n::Key;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use url::Url;
use webauthn_rs::prelude::{
    Passkey, PasskeyAuthentication, PublicKeyCredential, Webauthn, WebauthnBuilder, WebauthnError,
};

/// How long the browser has to answer a ceremony.
pub const CEREMONY_SECS: i64 = 300;

/// The relying party for this server's public address, or why passkeys are off.
pub fn relying_party(public_url: &str) -> Result<Webauthn, String> {
    let origin = Url::parse(public_url).map_err(|e| format!("VESTIBULE_PUBLIC_URL is not a URL: {e}"))?;
    let host = match origin.host() {
        Some(url::Host::Domain(host)) => host.to_string(),
        Some(_) => {
            return Err(format!(
                "passkeys need a host name: browsers refuse an IP address as the relying party \
                 (VESTIBULE_PUBLIC_URL is {public_url}; for a local try, http://localhost:3000)"
            ))
        }
        None => return Err("VESTIBULE_PUBLIC_URL has no host".into()),
    };
    WebauthnBuilder::new(&host, &origin)
        .and_then(|builder| builder.rp_name("Vestibule").build())
        .map_err(|e| format!("passkeys are off: {e}"))
}

/// What a ceremony is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    Register,
    /// Opening the re-authentication window.
    Confirm,
    /// Sign-in's second step, instead of a code.
    SecondFactor,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Register => "register",
            Purpose::Confirm => "confirm",
            Purpose::SecondFactor => "second_factor",
        }
    }
}

/// A ceremony handed to the browser: the id to send back and the options, as JSON.
pub struct Begun {
    pub ceremony: String,
    pub options: String,
}

/// Why a passkey check failed.
#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    #[error("no passkey on this account")]
    NoPasskeys,
    /// Unknown, already answered, another account's, or too old.
    #[error("ceremony expired")]
    Expired,
    #[error("assertion refused")]
    Refused,
    /// The signature counter went backwards: a copied authenticator.
    #[error("possible clone")]
    Cloned,
    #[error("internal: {0}")]
    Internal(String),
}

impl From<sqlx::Error> for CheckError {
    fn from(e: sqlx::Error) -> Self {
        CheckError::Internal(e.to_string())
    }
}

impl CheckError {
    /// What the page says; `None` for an internal error (the caller logs it with a reference).
    pub fn key(&self) -> Option<Key> {
        match self {
            CheckError::NoPasskeys => Some(Key::ErrNoPasskeys),
            CheckError::Expired => Some(Key::ErrPasskeyExpired),
            CheckError::Refused => Some(Key::ErrPasskeyRefused),
            CheckError::Cloned => Some(Key::ErrPasskeyCloned),
            CheckError::Internal(_) => None,
        }
    }
}

fn internal(e: impl std::fmt::Display) -> CheckError {
    CheckError::Internal(e.to_string())
}

/// A challenge only this account's passkeys can answer (the browser is told which).
pub async fn begin_check(
    db: &Db,
    relying_party: &Webauthn,
    user_id: &str,
    purpose: Purpose,
) -> Result<Begun, CheckError> {
    let keys: Vec<Passkey> = store::for_user(db, user_id)
        .await?
        .iter()
        .filter_map(|p| serde_json::from_str(&p.credential).ok())
        .collect();
    if keys.is_empty() {
        return Err(CheckError::NoPasskeys);
    }
    let (options, state) = relying_party.start_passkey_authentication(&keys).map_err(internal)?;
    let ceremony = session_token::generate().0;
    let state = serde_json::to_string(&state).map_err(internal)?;
    let at = now();
    store::begin_ceremony(
        db,
        &ceremony,
        Some(user_id),
        purpose.as_str(),
        &state,
        at + CEREMONY_SECS,
        at,
    )
    .await?;
    let options = serde_json::to_string(&options.public_key).map_err(internal)?;
    Ok(Begun { ceremony, options })
}

/// Checks the browser's answer to `begin_check`'s challenge (taken once), stores the passkey's
/// new counter, and returns the passkey used.
pub async fn finish_check(
    db: &Db,
    relying_party: &Webauthn,
    user_id: &str,
    ceremony: &str,
    purpose: Purpose,
    credential: &str,
) -> Result<StoredPasskey, CheckError> {
    let state = match store::take_ceremony(db, ceremony, purpose.as_str(), now()).await? {
        Some((Some(owner), state)) if owner == user_id => state,
        _ => return Err(CheckError::Expired),
    };
    let state: PasskeyAuthentication = serde_json::from_str(&state).map_err(internal)?;
    let answer: PublicKeyCredential = serde_json::from_str(credential).map_err(|_| CheckError::Refused)?;
    let result = relying_party
        .finish_passkey_authentication(&answer, &state)
        .map_err(|e| match e {
            WebauthnError::CredentialPossibleCompromise => CheckError::Cloned,
            WebauthnError::MismatchedChallenge => CheckError::Expired,
            other => {
                tracing::info!(error = %other, "passkey assertion refused");
                CheckError::Refused
            }
        })?;
    let used = credential_key(result.cred_id());
    let stored = store::for_user(db, user_id)
        .await?
        .into_iter()
        .find(|p| p.credential_id == used)
        .ok_or(CheckError::Refused)?;
    let mut passkey: Passkey = serde_json::from_str(&stored.credential).map_err(internal)?;
    passkey.update_credential(&result);
    let updated = serde_json::to_string(&passkey).map_err(internal)?;
    store::record_use(db, &stored.id, &updated, now()).await?;
    Ok(stored)
}

/// The id a credential is stored and looked up under: base64url without padding, as the
/// browser reports it (and as webauthn-rs writes it).
pub fn credential_key(id: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(id)
}

/// The kind of authenticator, from the flags and attachment the browser reports: what the
/// list shows next to a passkey's name.
pub fn authenticator_kind(attachment: Option<&str>, backup_eligible: bool) -> &'static str {
    match (attachment, backup_eligible) {
        (_, true) => "synced",
        (Some("cross-platform"), false) => "security_key",
        (Some("platform"), false) => "device",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_relying_party_is_the_public_host_and_never_an_address() {
        assert!(relying_party("http://localhost:3000").is_ok());
        assert!(relying_party("https://dash.example.com").is_ok());
        let by_ip = relying_party("http://127.0.0.1:3000").err().unwrap_or_default();
        assert!(by_ip.contains("localhost"), "{by_ip}");
        assert!(relying_party("http://[::1]:3000").is_err());
    }
}
