//! Session ids: 256 random bits for the cookie, a SHA-256 digest for the database.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

pub const COOKIE: &str = "vestibule_session";
/// Over HTTPS the `__Host-` prefix pins the cookie to this host, path `/`, `Secure`.
pub const SECURE_COOKIE: &str = "__Host-vestibule_session";

pub fn cookie_name(https: bool) -> &'static str {
    if https {
        SECURE_COOKIE
    } else {
        COOKIE
    }
}

/// A new session id and its digest.
pub fn generate() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let digest = digest(&token);
    (token, digest)
}

pub fn digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The `Set-Cookie` value that stores `token` for `max_age_secs`.
pub fn set_cookie(token: &str, https: bool, max_age_secs: i64) -> String {
    let secure = if https { "; Secure" } else { "" };
    format!(
        "{}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}",
        cookie_name(https)
    )
}

/// The `Set-Cookie` value that deletes the session cookie.
pub fn clear_cookie(https: bool) -> String {
    set_cookie("", https, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_digested() {
        let (a, da) = generate();
        let (b, _) = generate();
        assert_ne!(a, b);
        assert_eq!(a.len(), 43); // 32 bytes in unpadded base64url
        assert_eq!(da, digest(&a));
        assert_eq!(da.len(), 64);
        assert!(!da.contains(&a));
    }

    #[test]
    fn cookie_attributes() {
        let plain = set_cookie("t", false, 60);
        assert_eq!(plain, "vestibule_session=t; Path=/; HttpOnly; SameSite=Lax; Max-Age=60");
        let secure = set_cookie("t", true, 60);
        assert!(secure.starts_with("__Host-vestibule_session=t;") && secure.ends_with("; Secure"));
    }
}
