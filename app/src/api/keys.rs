//! The SSH keys tab's server functions.

use crate::error::AppError;
use crate::model::{AuthChanged, KeysOverview};
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "account/keys")]
pub async fn load_keys() -> Result<KeysOverview, AppError> {
    let (host, caller) = crate::host::signed_in()?;
    // This tab's port only.
    let host: std::sync::Arc<dyn crate::host::KeysPort> = host;
    host.keys_overview(&caller).await
}

#[server(prefix = "/api", endpoint = "account/keys/add")]
pub async fn add_key(key_name: String, key_content: String) -> Result<AuthChanged, AppError> {
    let (host, caller) = crate::host::signed_in()?;
    // This tab's port only.
    let host: std::sync::Arc<dyn crate::host::KeysPort> = host;
    host.add_key(&caller, &key_name, &key_content).await
}

#[server(prefix = "/api", endpoint = "account/keys/remove")]
pub async fn remove_key(key: String) -> Result<AuthChanged, AppError> {
    let (host, caller) = crate::host::signed_in()?;
    // This tab's port only.
    let host: std::sync::Arc<dyn crate::host::KeysPort> = host;
    host.remove_key(&caller, &key).await
}
