//! The API tokens tab's server functions.
// The create form posts one field per scope (so it works without JavaScript): the function
// generated for the browser takes them all.
#![allow(clippy::too_many_arguments)]

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

/// `expiry` is one of `TokenExpiry::CHOICES`; `expiry_date` counts only for `date`. `access` is
/// `full` or `limited`; with `limited`, each ticked scope's checkbox (`Scope::field`) is sent.
#[server(prefix = "/api", endpoint = "account/tokens/create")]
pub async fn create_token(
    name: String,
    #[server(default)] expiry: String,
    #[server(default)] expiry_date: String,
    #[server(default)] access: String,
    #[server(default)] scope_account_read: Option<String>,
    #[server(default)] scope_keys_write: Option<String>,
    #[server(default)] scope_apps_write: Option<String>,
    #[server(default)] scope_billing_read: Option<String>,
) -> Result<TokenSecret, AppError> {
    let (host, caller) = crate::host::signed_in()?;
    // This tab's port only.
    let host: std::sync::Arc<dyn crate::host::TokensPort> = host;
    let expiry = crate::model::TokenExpiry::from_form(&expiry, &expiry_date)
        .map_err(|(field, key)| AppError::invalid(field, key))?;
    let ticked = |scope: crate::model::Scope| {
        match scope {
            crate::model::Scope::AccountRead => &scope_account_read,
            crate::model::Scope::KeysWrite => &scope_keys_write,
            crate::model::Scope::AppsWrite => &scope_apps_write,
            crate::model::Scope::BillingRead => &scope_billing_read,
        }
        .is_some()
    };
    let scopes =
        crate::model::TokenScopes::from_form(&access, ticked).map_err(|(field, key)| AppError::invalid(field, key))?;
    host.create_token(&caller, &name, expiry, scopes).await
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
