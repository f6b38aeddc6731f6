//! A software passkey for the HTTP tests: ES256, "none" attestation, a discoverable credential
//! holding the user handle, made and used exactly as WebAuthn lays the bytes out. The browser
//! tests use Chromium's own virtual authenticator; this one lets the server's checks (origin,
//! challenge, counter) be driven from Rust, including the answers a browser would never send.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};
use rand::RngCore;
use serde_cbor_2::Value as Cbor;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

pub struct SoftAuthenticator {
    key: SigningKey,
    pub credential_id: Vec<u8>,
    pub counter: u32,
    pub user_handle: Vec<u8>,
}

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

fn int(n: i128) -> Cbor {
    Cbor::Integer(n)
}

impl SoftAuthenticator {
    pub fn new() -> SoftAuthenticator {
        let mut id = vec![0u8; 16];
        rand::rngs::OsRng.fill_bytes(&mut id);
        SoftAuthenticator {
            key: SigningKey::random(&mut rand::rngs::OsRng),
            credential_id: id,
            counter: 0,
            user_handle: Vec::new(),
        }
    }

    fn client_data(kind: &str, options: &Value, origin: &str) -> String {
        json!({
            "type": kind,
            "challenge": options["challenge"].as_str().unwrap(),
            "origin": origin,
            "crossOrigin": false,
        })
        .to_string()
    }

    fn rp_hash(options: &Value, rp_id_at: &str) -> Vec<u8> {
        let rp_id = options.pointer(rp_id_at).and_then(Value::as_str).unwrap();
        Sha256::digest(rp_id.as_bytes()).to_vec()
    }

    /// The browser's `toJSON()` of a new credential, for `publicKey` creation options.
    pub fn register(&mut self, options: &Value, origin: &str) -> Value {
        self.user_handle = URL_SAFE_NO_PAD.decode(options["user"]["id"].as_str().unwrap()).unwrap();
        let client_data = Self::client_data("webauthn.create", options, origin);
        let point = self.key.verifying_key().to_encoded_point(false);
        let cose = Cbor::Map(BTreeMap::from([
            (int(1), int(2)),
            (int(3), int(-7)),
            (int(-1), int(1)),
            (int(-2), Cbor::Bytes(point.x().unwrap().to_vec())),
            (int(-3), Cbor::Bytes(point.y().unwrap().to_vec())),
        ]));
        let mut auth_data = Self::rp_hash(options, "/rp/id");
        // User present, user verified, attested credential data included.
        auth_data.push(0x01 | 0x04 | 0x40);
        auth_data.extend(self.counter.to_be_bytes());
        auth_data.extend([0u8; 16]);
        auth_data.extend((self.credential_id.len() as u16).to_be_bytes());
        auth_data.extend(&self.credential_id);
        auth_data.extend(serde_cbor_2::to_vec(&cose).unwrap());
        let attestation = Cbor::Map(BTreeMap::from([
            (Cbor::Text("fmt".into()), Cbor::Text("none".into())),
            (Cbor::Text("attStmt".into()), Cbor::Map(BTreeMap::new())),
            (Cbor::Text("authData".into()), Cbor::Bytes(auth_data)),
        ]));
        json!({
            "id": b64(&self.credential_id),
            "rawId": b64(&self.credential_id),
            "type": "public-key",
            "authenticatorAttachment": "platform",
            "response": {
                "clientDataJSON": b64(client_data.as_bytes()),
                "attestationObject": b64(&serde_cbor_2::to_vec(&attestation).unwrap()),
                "transports": ["internal"],
            },
            "clientExtensionResults": {},
        })
    }

    /// The browser's `toJSON()` of an assertion for `publicKey` request options; the counter
    /// goes up by one first, as an authenticator's does.
    pub fn assert(&mut self, options: &Value, origin: &str) -> Value {
        self.counter += 1;
        let client_data = Self::client_data("webauthn.get", options, origin);
        let mut auth_data = Self::rp_hash(options, "/rpId");
        auth_data.push(0x01 | 0x04);
        auth_data.extend(self.counter.to_be_bytes());
        let mut signed = auth_data.clone();
        signed.extend(Sha256::digest(client_data.as_bytes()));
        let signature: Signature = self.key.sign(&signed);
        json!({
            "id": b64(&self.credential_id),
            "rawId": b64(&self.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64(client_data.as_bytes()),
                "authenticatorData": b64(&auth_data),
                "signature": b64(signature.to_der().as_bytes()),
                "userHandle": b64(&self.user_handle),
            },
            "clientExtensionResults": {},
        })
    }
}
