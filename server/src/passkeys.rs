//! Passkeys (WebAuthn) through `webauthn-rs`: the relying party is the host of
//! `VESTIBULE_PUBLIC_URL`, and the only origin accepted is that URL's. Browsers refuse an IP
//! address as a relying-party id, so a server reached by IP has passkeys off (and says why).
//!
//! A ceremony's state (the challenge and what the library needs to check the answer) is kept
//! server-side in `passkey_ceremonies` under the digest of a random id handed to the browser,
//! taken exactly once: a replayed answer finds nothing.

use url::Url;
use webauthn_rs::prelude::{Webauthn, WebauthnBuilder};

/// How long the browser has to answer a ceremony.
pub const CEREMONY_SECS: i64 = 300;
/// Characters of a passkey's name.
pub const MAX_NAME_CHARS: usize = 60;

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
    SignIn,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Register => "register",
            Purpose::SignIn => "sign_in",
        }
    }
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
