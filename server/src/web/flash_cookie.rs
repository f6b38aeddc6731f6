//! The flash (see `app::flash`) travels in a short-lived cookie: JSON sealed with
//! ChaCha20-Poly1305 under a key derived from the server's (`auth::seal`). Sealed, not only
//! signed: nobody else can plant one (it is rendered into the page), and nothing in it can be
//! read off the wire or the browser's cookie store, not even a new API token's secret or
//! recovery codes shown once after a form posted without JavaScript. It holds what one person
//! typed into one form, for ten minutes at most.

use crate::auth::seal;
use crate::secret::SecretKey;
use app::flash::Flash;

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

/// Binds the sealed value to this use of the server key.
const PURPOSE: &str = "flash v2";

fn sign(flash: &Flash, key: &SecretKey) -> Option<String> {
    seal::seal(key, PURPOSE, &serde_json::to_vec(flash).ok()?)
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
    serde_json::from_slice(&seal::open(key, PURPOSE, value)?).ok()
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
        // One character changed anywhere, or a value sealed for another purpose: refused.
        let mut altered = value.clone().into_bytes();
        let last = altered.len() - 2;
        altered[last] = if altered[last] == b'A' { b'B' } else { b'A' };
        assert_eq!(decode(&String::from_utf8(altered).unwrap(), &key(1)), None);
        let other_purpose = seal::seal(&key(1), "totp", &serde_json::to_vec(&flash("x")).unwrap()).unwrap();
        assert_eq!(decode(&other_purpose, &key(1)), None);
        assert_eq!(decode("garbage", &key(1)), None);
    }

    #[test]
    fn nothing_in_it_can_be_read_without_the_key() {
        let value = encode(&flash("tk-us-0123456789abcdef"), &key(1)).unwrap();
        assert!(!value.contains("tk-us"));
        assert!(!value.contains("/account"));
        // No quote, comma, semicolon, backslash or space: a valid cookie value as it is.
        assert!(!value.contains(['"', ',', ';', '\\', ' ']));
    }

    #[test]
    fn a_flash_too_large_keeps_its_outcome_without_the_values() {
        let value = encode(&flash(&"é".repeat(3000)), &key(1)).unwrap();
        let back = decode(&value, &key(1)).unwrap();
        assert!(back.values.is_empty());
        assert_eq!(back.outcome, FlashOutcome::Err(AppError::SessionExpired));
    }
}
