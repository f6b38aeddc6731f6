//! Reading a pasted public key with the `ssh-key` crate: which types are accepted, and the one
//! message each kind of refusal gets.

use ssh_key::public::KeyData;
use ssh_key::{Algorithm, EcdsaCurve, HashAlg, PublicKey};

/// Smallest RSA modulus accepted, in bits (NIST and OpenSSH's own floor).
pub const MIN_RSA_BITS: u32 = 2048;
/// Longest pasted text read: an RSA-16384 key line is about 2.8 kB.
pub const MAX_CONTENT_BYTES: usize = 16 * 1024;

/// A key that can be stored: what `ssh-keygen -lf` would print about it, and its line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedKey {
    /// `ED25519`, `ECDSA`, `RSA`, `ED25519-SK`, `ECDSA-SK`: ssh-keygen's names.
    pub algorithm: &'static str,
    pub bits: u32,
    /// `SHA256:` and the unpadded base64 digest, as ssh-keygen prints it.
    pub fingerprint: String,
    pub comment: String,
    /// The normalised line: type, base64 and comment, single-spaced.
    pub content: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyProblem {
    Empty,
    TooLong,
    PrivateKey,
    SeveralKeys,
    Dsa,
    RsaTooShort,
    Unsupported,
    Unreadable,
}

pub fn parse(input: &str) -> Result<ParsedKey, KeyProblem> {
    let text = input.trim();
    if text.is_empty() {
        return Err(KeyProblem::Empty);
    }
    if text.len() > MAX_CONTENT_BYTES {
        return Err(KeyProblem::TooLong);
    }
    // `-----BEGIN OPENSSH PRIVATE KEY-----`, `BEGIN RSA PRIVATE KEY`, PuTTY's `PuTTY-User-Key-File`.
    if text.contains("PRIVATE KEY") || text.starts_with("PuTTY-User-Key-File") {
        return Err(KeyProblem::PrivateKey);
    }
    let lines: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    if lines.len() > 1 {
        let readable = lines.iter().filter(|l| PublicKey::from_openssh(l).is_ok()).count();
        return Err(if readable > 1 {
            KeyProblem::SeveralKeys
        } else {
            KeyProblem::Unreadable
        });
    }
    let key = PublicKey::from_openssh(text).map_err(|_| KeyProblem::Unreadable)?;
    let (algorithm, bits) = describe(&key)?;
    let comment = key.comment().trim().to_string();
    let content = key.to_openssh().map_err(|_| KeyProblem::Unreadable)?;
    Ok(ParsedKey {
        algorithm,
        bits,
        fingerprint: key.fingerprint(HashAlg::Sha256).to_string(),
        comment,
        content,
    })
}

fn describe(key: &PublicKey) -> Result<(&'static str, u32), KeyProblem> {
    match (key.algorithm(), key.key_data()) {
        (Algorithm::Ed25519, _) => Ok(("ED25519", 256)),
        (Algorithm::SkEd25519, _) => Ok(("ED25519-SK", 256)),
        (Algorithm::SkEcdsaSha2NistP256, _) => Ok(("ECDSA-SK", 256)),
        (Algorithm::Ecdsa { curve }, _) => Ok((
            "ECDSA",
            match curve {
                EcdsaCurve::NistP256 => 256,
                EcdsaCurve::NistP384 => 384,
                EcdsaCurve::NistP521 => 521,
            },
        )),
        (Algorithm::Rsa { .. }, KeyData::Rsa(rsa)) => {
            let bits = modulus_bits(rsa.n.as_positive_bytes().unwrap_or_default());
            if bits < MIN_RSA_BITS {
                Err(KeyProblem::RsaTooShort)
            } else {
                Ok(("RSA", bits))
            }
        }
        (Algorithm::Dsa, _) => Err(KeyProblem::Dsa),
        _ => Err(KeyProblem::Unsupported),
    }
}

/// Bits in a big-endian unsigned integer, leading zero bits excluded.
fn modulus_bits(bytes: &[u8]) -> u32 {
    let bytes = match bytes.iter().position(|b| *b != 0) {
        Some(first) => &bytes[first..],
        None => return 0,
    };
    (bytes.len() as u32 - 1) * 8 + (8 - bytes[0].leading_zeros())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modulus_bits_skip_leading_zeros() {
        assert_eq!(modulus_bits(&[0x00, 0x80, 0x00]), 16);
        assert_eq!(modulus_bits(&[0x01]), 1);
        assert_eq!(modulus_bits(&[]), 0);
        assert_eq!(modulus_bits(&[0xff; 256]), 2048);
    }

    #[test]
    fn refusals_each_have_their_reason() {
        assert_eq!(parse("  \n"), Err(KeyProblem::Empty));
        assert_eq!(
            parse("-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\n-----END OPENSSH PRIVATE KEY-----"),
            Err(KeyProblem::PrivateKey)
        );
        assert_eq!(parse("ssh-ed25519 notbase64!"), Err(KeyProblem::Unreadable));
        assert_eq!(parse("hello world"), Err(KeyProblem::Unreadable));
        assert_eq!(parse(&"a".repeat(MAX_CONTENT_BYTES + 1)), Err(KeyProblem::TooLong));
    }
}
