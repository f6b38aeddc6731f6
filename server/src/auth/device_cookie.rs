//! OWASP's device cookies: a browser that once signed in to an account carries a signed token
//! naming that account, and its sign-in attempts are throttled on that token alone. Someone
//! guessing passwords from elsewhere (or from the same office address) then cannot lock the
//! owner out, while guesses from the owner's own browser are still limited. Each cookie's nonce
//! is also listed on the server (`db::devices`), a few per account, and a password change or
//! reset forgets them: cookies gathered before it buy no guesses after it.

use crate::secret::SecretKey;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

pub const COOKIE: &str = "vestibule_device";
pub const SECURE_COOKIE: &str = "__Host-vestibule_device";
/// A year: the browser stays known as long as it signs in now and then.
const MAX_AGE_SECS: i64 = 365 * 24 * 3600;

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
    mac.update(b"vestibule device v1\0");
    mac.update(payload.as_bytes());
    Some(mac)
}

/// A new device token for `user_id`, `user_id.nonce.tag`, and its nonce (which the caller
/// lists in `db::devices`: an unlisted nonce counts for nothing).
pub fn issue(user_id: &str, key: &SecretKey) -> Option<(String, String)> {
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let nonce = URL_SAFE_NO_PAD.encode(bytes);
    let payload = format!("{user_id}.{nonce}");
    let tag = URL_SAFE_NO_PAD.encode(mac(key, &payload)?.finalize().into_bytes());
    Some((format!("{payload}.{tag}"), nonce))
}

/// The nonce of a genuine token issued to `user_id`, or `None`. Genuine is not enough: the
/// nonce must also still be listed for the account (`db::devices::recognise`).
pub fn nonce(token: &str, user_id: &str, key: &SecretKey) -> Option<String> {
    let (payload, tag) = token.rsplit_once('.')?;
    let (owner, nonce) = payload.split_once('.')?;
    if owner != user_id {
        return None;
    }
    let tag = URL_SAFE_NO_PAD.decode(tag).ok()?;
    mac(key, payload)?.verify_slice(&tag).ok()?;
    Some(nonce.to_string())
}

/// The sign-in counter of a known browser.
pub fn throttle_key(nonce: &str) -> String {
    format!("device:{nonce}")
}

pub fn set_cookie(token: &str, https: bool) -> String {
    let secure = if https { "; Secure" } else { "" };
    format!(
        "{}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={MAX_AGE_SECS}{secure}",
        cookie_name(https)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_good_only_for_its_account_and_key() {
        let key = SecretKey::from_bytes([7; 32]);
        let (token, issued) = issue("user-1", &key).unwrap();
        assert_eq!(nonce(&token, "user-1", &key), Some(issued));
        assert_eq!(nonce(&token, "user-2", &key), None);
        assert_eq!(nonce(&token, "user-1", &SecretKey::from_bytes([8; 32])), None);
        let forged = token.replacen("user-1", "user-2", 1);
        assert_eq!(nonce(&forged, "user-2", &key), None);
        assert_eq!(nonce("garbage", "user-1", &key), None);
    }

    #[test]
    fn each_sign_in_gets_its_own_device_key() {
        let key = SecretKey::from_bytes([7; 32]);
        let a = issue("u", &key).unwrap().1;
        let b = issue("u", &key).unwrap().1;
        assert_ne!(throttle_key(&a), throttle_key(&b));
    }
}
