//! Secrets the server must read back (TOTP seeds) are stored sealed: ChaCha20-Poly1305 under a
//! key derived from the server's secret key, so a copied database alone does not yield them.

use crate::secret::SecretKey;
use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

const VERSION: &str = "v1";

fn cipher(secret: &SecretKey, purpose: &str) -> Option<ChaCha20Poly1305> {
    // A distinct key per purpose: the server key also signs cookies.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.bytes()).ok()?;
    mac.update(b"vestibule seal ");
    mac.update(purpose.as_bytes());
    let key = mac.finalize().into_bytes();
    Some(ChaCha20Poly1305::new(Key::from_slice(&key)))
}

/// `v1.<base64 nonce ‖ ciphertext>`; the purpose is bound in as associated data.
pub fn seal(secret: &SecretKey, purpose: &str, plain: &[u8]) -> Option<String> {
    let mut nonce = [0u8; 12];
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    let payload = chacha20poly1305::aead::Payload {
        msg: plain,
        aad: purpose.as_bytes(),
    };
    let sealed = cipher(secret, purpose)?
        .encrypt(Nonce::from_slice(&nonce), payload)
        .ok()?;
    let mut bytes = nonce.to_vec();
    bytes.extend(sealed);
    Some(format!(
        "{VERSION}.{}",
        base64::engine::general_purpose::STANDARD_NO_PAD.encode(bytes)
    ))
}

/// `None` when the text was not sealed by this key for this purpose (or was altered).
pub fn open(secret: &SecretKey, purpose: &str, sealed: &str) -> Option<Vec<u8>> {
    let encoded = sealed.strip_prefix(VERSION)?.strip_prefix('.')?;
    let bytes = base64::engine::general_purpose::STANDARD_NO_PAD.decode(encoded).ok()?;
    if bytes.len() < 12 {
        return None;
    }
    let (nonce, ciphertext) = bytes.split_at(12);
    let payload = chacha20poly1305::aead::Payload {
        msg: ciphertext,
        aad: purpose.as_bytes(),
    };
    cipher(secret, purpose)?.decrypt(Nonce::from_slice(nonce), payload).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_tamper_evidence() {
        let key = SecretKey::from_bytes([9; 32]);
        let sealed = seal(&key, "totp", b"seed").unwrap();
        assert!(!sealed.contains("seed"));
        assert_eq!(open(&key, "totp", &sealed).unwrap(), b"seed");
        assert_eq!(open(&key, "other", &sealed), None);
        assert_eq!(open(&SecretKey::from_bytes([8; 32]), "totp", &sealed), None);
        let mut tampered = sealed.clone();
        tampered.pop();
        tampered.push(if sealed.ends_with('A') { 'B' } else { 'A' });
        assert_eq!(open(&key, "totp", &tampered), None);
        // A fresh nonce each time.
        assert_ne!(seal(&key, "totp", b"seed").unwrap(), sealed);
    }
}
