//! The SSH keys tab's data.

use super::Stamp;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SshKeyView {
    pub id: String,
    pub name: String,
    /// ssh-keygen's name for the type: `ED25519`, `ECDSA`, `RSA`, `ED25519-SK`, `ECDSA-SK`.
    pub algorithm: String,
    pub bits: u32,
    /// `SHA256:…`, exactly as `ssh-keygen -lf` prints it.
    pub fingerprint: String,
    pub comment: String,
    pub added: Stamp,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeysOverview {
    pub keys: Vec<SshKeyView>,
    /// Adding and removing need the re-authentication window: until when it is open.
    pub reauth_until: Option<Stamp>,
    pub two_factor_on: bool,
    /// The account has a passkey: "Confirm it's you" offers it.
    pub has_passkeys: bool,
}
