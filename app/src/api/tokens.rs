//! The API tokens tab's server functions.

use crate::error::AppError;
use crate::model::{AuthChanged, TokenSecret, TokensOverview};
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "account/tokens")]
pub async fn load_tokens() -> Result<TokensOverview, AppError> {
    let (host, caller) = crate::host::signed_in()?;
    // This tab's port only.
    let host: std::sync::Arc<dyn crate::host::TokensPort> = host;
    host.tokens_overview(&caller).await
}

/// `expiry` is one of `TokenExpiry::CHOICES`; `expiry_date` counts only for `date`.
#[server(prefix = "/api", endpoint = "account/tokens/create")]
pub async fn create_token(
    name: String,
    #[server(default)] expiry: String,
    #[server(default)] expiry_date: String,
) -> Result<TokenSecret, AppError> {
    let (host, caller) = crate::host::signed_in()?;
    // This tab's port only.
    let host: std::sync::Arc<dyn crate::host::TokensPort> = host;
    let expiry = crate::model::TokenExpiry::from_form(&expiry, &expiry_date)
        .map_err(|(field, key)| AppError::invalid(field, key))?;
    host.create_token(&caller, &name, expiry).await
}

#[server(prefix = "/api", endpoint = "account/tokens/renew")]
pub async fn renew_token(id: String) -> Result<TokenSecret, AppError> {
    let (host, caller) = crate::host::signed_in()?;
    // This tab's port only.
    let host: std::sync::Arc<dyn crate::host::TokensPort> = host;
    host.renew_token(&caller, &id).await
}

#[server(prefix = "/api", endpoint = "account/tokens/revoke")]
pub async fn revoke_token(id: String) -> Result<AuthChanged, AppError> {
    let (host, caller) = crate::host::signed_in()?;
    // This tab's port only.
    let host: std::sync::Arc<dyn crate::host::TokensPort> = host;
    host.revoke_token(&caller, &id).await
}
