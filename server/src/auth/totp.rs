//! Time-based one-time passwords (RFC 6238, the defaults every authenticator app uses:
//! SHA-1, 6 digits, 30-second steps) and recovery codes.

use rand::RngCore;
use sha2::{Digest, Sha256};
use totp_rs::{Algorithm, TOTP};

pub const STEP_SECS: i64 = 30;
pub const RECOVERY_CODES: usize = 10;
const ISSUER: &str = "Vestibule";

/// A new 160-bit secret (RFC 4226 recommends 160 bits).
pub fn new_secret() -> Vec<u8> {
    let mut secret = vec![0u8; 20];
    rand::rngs::OsRng.fill_bytes(&mut secret);
    secret
}

fn totp(secret: &[u8], account: &str) -> Option<TOTP> {
    // ':' separates issuer and account in the otpauth label.
    let account = account.replace(':', "");
    TOTP::new(
        Algorithm::SHA1,
        6,
        0,
        STEP_SECS as u64,
        secret.to_vec(),
        Some(ISSUER.into()),
        account,
    )
    .ok()
}

pub fn base32(secret: &[u8]) -> String {
    let totp = TOTP::new_unchecked(
        Algorithm::SHA1,
        6,
        0,
        STEP_SECS as u64,
        secret.to_vec(),
        None,
        String::new(),
    );
    totp.get_secret_base32()
}

/// Groups of four, as people read a secret aloud or type it.
pub fn grouped(base32: &str) -> String {
    base32
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The `otpauth://` URI an authenticator app scans.
pub fn otpauth_uri(secret: &[u8], account: &str) -> Option<String> {
    totp(secret, account).map(|t| t.get_url())
}

/// The URI as an SVG QR code. No style attributes: the page's CSP forbids inline styles.
pub fn qr_svg(uri: &str) -> Option<String> {
    let code = qrcode::QrCode::new(uri.as_bytes()).ok()?;
    let svg = code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build();
    // Inline in HTML, the XML declaration is noise.
    let start = svg.find("<svg")?;
    Some(svg[start..].to_string())
}

/// The time step of `unix` seconds.
pub fn step_at(unix: i64) -> i64 {
    unix.div_euclid(STEP_SECS)
}

/// The step `code` belongs to, among the current and the previous one (a code typed just as
/// it changed), or `None`.
pub fn matching_step(secret: &[u8], code: &str, now: i64) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let totp = totp(secret, "")?;
    let current = step_at(now);
    [current, current - 1]
        .into_iter()
        .filter(|step| *step >= 0)
        .find(|step| totp.check(&code, (*step * STEP_SECS) as u64))
}

/// Whether `input` looks like a TOTP code (digits) rather than a recovery code.
pub fn looks_like_totp(input: &str) -> bool {
    let digits: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// Ten codes like `k7m2p-9xq4r`: 50 bits each, from an alphabet without look-alikes.
pub fn new_recovery_codes() -> Vec<String> {
    const ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyz";
    (0..RECOVERY_CODES)
        .map(|_| {
            let mut bytes = [0u8; 10];
            rand::rngs::OsRng.fill_bytes(&mut bytes);
            let chars: String = bytes
                .iter()
                .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
                .collect();
            format!("{}-{}", &chars[..5], &chars[5..])
        })
        .collect()
}

/// Recovery codes are compared by digest, ignoring case, spaces and the dash.
pub fn recovery_digest(code: &str) -> String {
    let normal: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    hex::encode(Sha256::digest(format!("recovery:{normal}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn current_and_previous_steps_only() {
        let secret = new_secret();
        let t = totp(&secret, "x").unwrap();
        let now = 1_800_000_015;
        let current = t.generate(now as u64);
        let previous = t.generate((now - 30) as u64);
        let older = t.generate((now - 60) as u64);
        let next = t.generate((now + 30) as u64);
        assert_eq!(matching_step(&secret, &current, now), Some(step_at(now)));
        assert_eq!(matching_step(&secret, &previous, now), Some(step_at(now) - 1));
        if older != current && older != previous {
            assert_eq!(matching_step(&secret, &older, now), None);
        }
        if next != current && next != previous {
            assert_eq!(matching_step(&secret, &next, now), None);
        }
        assert_eq!(matching_step(&secret, "12345", now), None);
        assert_eq!(matching_step(&secret, "abcdef", now), None);
    }

    #[test]
    fn recovery_codes_are_distinct_and_forgiving_to_type() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), 10);
        let mut unique = codes.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 10);
        let code = &codes[0];
        assert_eq!(
            recovery_digest(code),
            recovery_digest(&code.to_uppercase().replace('-', " "))
        );
        assert!(!looks_like_totp(code));
        assert!(looks_like_totp("123 456"));
    }

    #[test]
    fn qr_code_has_no_inline_style() {
        let uri = otpauth_uri(&new_secret(), "alice@example.com").unwrap();
        assert!(uri.starts_with("otpauth://totp/Vestibule:alice"));
        let svg = qr_svg(&uri).unwrap();
        assert!(svg.starts_with("<svg"));
        assert!(!svg.contains("style"));
    }
}
