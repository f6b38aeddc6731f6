//! The Authentication tab's passkey server functions. They are called from the browser's
//! passkey prompt (JavaScript only: the WebAuthn API has no form). Signing in with a passkey is
//! the host's `/login/passkey/*` (it sets the session cookie).

use crate::error::AppError;
use crate::model::{AuthChanged, PasskeyCeremony};
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "account/passkeys/begin")]
pub async fn begin_passkey_registration() -> Result<PasskeyCeremony, AppError> {
    let (host, caller) = crate::host::signed_in()?;
    let host: std::sync::Arc<dyn crate::host::PasskeysPort> = host;
    host.begin_passkey_registration(&caller).await
}

/// `credential` is the browser's answer, `PublicKeyCredential.toJSON()` as a string.
#[server(prefix = "/api", endpoint = "account/passkeys/finish")]
pub async fn finish_passkey_registration(
    ceremony: String,
    passkey_name: String,
    credential: String,
) -> Result<AuthChanged, AppError> {
    let (host, caller) = crate::host::signed_in()?;
    let host: std::sync::Arc<dyn crate::host::PasskeysPort> = host;
    host.finish_passkey_registration(&caller, &ceremony, &passkey_name, &credential)
        .await
}

#[server(prefix = "/api", endpoint = "account/passkeys/remove")]
pub async fn remove_passkey(id: String) -> Result<AuthChanged, AppError> {
    let (host, caller) = crate::host::signed_in()?;
    let host: std::sync::Arc<dyn crate::host::PasskeysPort> = host;
    host.remove_passkey(&caller, &id).await
}

#[server(prefix = "/api", endpoint = "account/passkeys/confirm/begin")]
pub async fn begin_passkey_reauth() -> Result<PasskeyCeremony, AppError> {
    let (host, caller) = crate::host::signed_in()?;
    let host: std::sync::Arc<dyn crate::host::PasskeysPort> = host;
    host.begin_passkey_reauth(&caller).await
}

#[server(prefix = "/api", endpoint = "account/passkeys/confirm/finish")]
pub async fn finish_passkey_reauth(ceremony: String, credential: String) -> Result<AuthChanged, AppError> {
    let (host, caller) = crate::host::signed_in()?;
    let host: std::sync::Arc<dyn crate::host::PasskeysPort> = host;
    host.finish_passkey_reauth(&caller, &ceremony, &credential).await
}

#[server(prefix = "/api", endpoint = "account/passkeys/rename")]
pub async fn rename_passkey(id: String, passkey_name: String) -> Result<AuthChanged, AppError> {
    let (host, caller) = crate::host::signed_in()?;
    let host: std::sync::Arc<dyn crate::host::PasskeysPort> = host;
    host.rename_passkey(&caller, &id, &passkey_name).await
}
