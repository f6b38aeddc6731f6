//! The flash (see `app::flash`) travels in a short-lived cookie: JSON, base64url, and an
//! HMAC-SHA256 with the server's key, so nobody else can plant one (it is rendered into the
//! page). It holds what one person typed into one form, for ten minutes at most.

use crate::secret::SecretKey;
use app::flash::Flash;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

pub const COOKIE: &str = "vestibule_flash";
pub const SECURE_COOKIE: &str = "__Host-vestibule_flash";
/// Long enough to sign in again after a session ended.
const MAX_AGE_SECS: i64 = 600;
/// Browsers keep cookies up to 4096 bytes, name and attributes included.
const MAX_VALUE_BYTES: usize = 3800;

pub fn cookie_name(https: bool) -> &'static str {
    if https {
        SECURE_COOKIE
    } else {
        COOKIE
    }
}

fn mac(key: &SecretKey, payload: &str) -> Option<Hmac<Sha256>> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key.bytes()).ok()?;
    // A label, so this MAC can never be confused with another use of the same key.
    mac.update(b"vestibule flash v1\0");
    mac.update(payload.as_bytes());
    Some(mac)
}

fn sign(flash: &Flash, key: &SecretKey) -> Option<String> {
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(flash).ok()?);
    let tag = URL_SAFE_NO_PAD.encode(mac(key, &payload)?.finalize().into_bytes());
    Some(format!("{payload}.{tag}"))
}

/// The cookie value, or `None` if even without the typed values it would not fit. A flash
/// too large with its values keeps the outcome and drops the values (rare: the form fields
/// are capped well below this).
pub fn encode(flash: &Flash, key: &SecretKey) -> Option<String> {
    let value = sign(flash, key)?;
    if value.len() <= MAX_VALUE_BYTES {
        return Some(value);
    }
    tracing::warn!(
        bytes = value.len(),
        "flash too large for a cookie; typed values dropped"
    );
    let lean = Flash {
        values: Vec::new(),
        ..flash.clone()
    };
    sign(&lean, key).filter(|v| v.len() <= MAX_VALUE_BYTES)
}

pub fn decode(value: &str, key: &SecretKey) -> Option<Flash> {
    let (payload, tag) = value.split_once('.')?;
    let tag = URL_SAFE_NO_PAD.decode(tag).ok()?;
    mac(key, payload)?.verify_slice(&tag).ok()?;
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()
}

pub fn set_cookie(value: &str, https: bool) -> String {
    let secure = if https { "; Secure" } else { "" };
    format!(
        "{}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={MAX_AGE_SECS}{secure}",
        cookie_name(https)
    )
}

pub fn clear_cookie(https: bool) -> String {
    let secure = if https { "; Secure" } else { "" };
    format!(
        "{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}",
        cookie_name(https)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::error::AppError;
    use app::flash::FlashOutcome;

    fn flash(bio: &str) -> Flash {
        Flash {
            path: "/account".into(),
            action: "/api/account/profile".into(),
            values: vec![("bio".into(), bio.into())],
            outcome: FlashOutcome::Err(AppError::SessionExpired),
        }
    }

    fn key(byte: u8) -> SecretKey {
        SecretKey::from_bytes([byte; 32])
    }

    #[test]
    fn round_trips_and_refuses_tampering() {
        let value = encode(&flash("hello"), &key(1)).unwrap();
        assert_eq!(decode(&value, &key(1)), Some(flash("hello")));
        assert_eq!(decode(&value, &key(2)), None);
        let (payload, tag) = value.split_once('.').unwrap();
        let forged = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&flash("forged")).unwrap());
        assert_eq!(decode(&format!("{forged}.{tag}"), &key(1)), None);
        assert_eq!(decode(payload, &key(1)), None);
        assert_eq!(decode("garbage", &key(1)), None);
    }

    #[test]
    fn a_flash_too_large_keeps_its_outcome_without_the_values() {
        let value = encode(&flash(&"é".repeat(3000)), &key(1)).unwrap();
        let back = decode(&value, &key(1)).unwrap();
        assert!(back.values.is_empty());
        assert_eq!(back.outcome, FlashOutcome::Err(AppError::SessionExpired));
    }
}
