//! Passkeys on the Authentication tab.

use super::Stamp;
use crate::i18n::Key;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasskeyView {
    pub id: String,
    pub name: String,
    /// What the browser said the authenticator is; `None` when it did not say.
    pub kind: Option<Key>,
    pub created: Stamp,
    pub last_used: Option<Stamp>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasskeysState {
    /// False when this server cannot offer passkeys (reached by an IP address).
    pub available: bool,
    pub list: Vec<PasskeyView>,
}

/// A ceremony for the browser: `options` is the WebAuthn options as JSON (what
/// `PublicKeyCredential.parseCreationOptionsFromJSON` and `…RequestOptionsFromJSON` read),
/// `ceremony` the id to send back with the answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasskeyCeremony {
    pub ceremony: String,
    pub options: String,
}

/// The label of an authenticator kind as stored (`synced`, `security_key`, `device`).
pub fn passkey_kind(code: &str) -> Option<Key> {
    match code {
        "synced" => Some(Key::PasskeyKindSynced),
        "security_key" => Some(Key::PasskeyKindSecurityKey),
        "device" => Some(Key::PasskeyKindDevice),
        _ => None,
    }
}
