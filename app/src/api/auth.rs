//! The Authentication tab: re-authentication, password, second factor, sessions, deletion.
//! Each change answers with what happened; the page then reads the overview again.

use crate::error::AppError;
use crate::model::{AuthChanged, AuthOverview, RecoveryCodes};
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "account/auth")]
pub async fn load_auth_overview() -> Result<AuthOverview, AppError> {
    let (host, caller) = crate::host::signed_in()?;
    // This tab's port only.
    let host: std::sync::Arc<dyn crate::host::AuthPort> = host;
    host.auth_overview(&caller).await
}

/// `reauth_code` is empty unless the account has a second factor.
#[server(prefix = "/api", endpoint = "account/reauthenticate")]
pub async fn reauthenticate(
    reauth_password: String,
    #[server(default)] reauth_code: String,
) -> Result<AuthChanged, AppError> {
    let (host, caller) = crate::host::signed_in()?;
    // This tab's port only.
    let host: std::sync::Arc<dyn crate::host::AuthPort> = host;
    host.reauthenticate(&caller, reauth_password, reauth_code).await
}

#[server(prefix = "/api", endpoint = "account/email")]
pub async fn request_email_change(new_email: String) -> Result<AuthChanged, AppError> {
    let (host, caller) = crate::host::signed_in()?;
    // This tab's port only.
    let host: std::sync::Arc<dyn crate::host::AuthPort> = host;
    host.request_email_change(&caller, &new_email).await
}

#[server(prefix = "/api", endpoint = "account/email/resend")]
pub async fn resend_email_change() -> Result<AuthChanged, AppError> {
    let (host, caller) = crate::host::signed_in()?;
    // This tab's port only.
    let host: std::sync::Arc<dyn crate::host::AuthPort> = host;
    host.resend_email_change(&caller).await
}

#[server(prefix = "/api", endpoint = "account/email/cancel")]
pub async fn cancel_email_change() -> Result<AuthChanged, AppError> {
    let (host, caller) = crate::host::signed_in()?;
    // This tab's port only.
    let host: std::sync::Arc<dyn crate::host::AuthPort> = host;
    host.cancel_email_change(&caller).await
}

#[server(prefix = "/api", endpoint = "account/password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
    confirm_password: String,
) -> Result<AuthChanged, AppError> {
    let (host, caller) = crate::host::signed_in()?;
    // This tab's port only.
    let host: std::sync::Arc<dyn crate::host::AuthPort> = host;
    host.change_password(&caller, current_password, new_password, confirm_password)
        .await
}

#[server(prefix = "/api", endpoint = "account/sessions/revoke")]
pub async fn revoke_session(session: String) -> Result<AuthChanged, AppError> {
    let (host, caller) = crate::host::signed_in()?;
    // This tab's port only.
    let host: std::sync::Arc<dyn crate::host::AuthPort> = host;
    host.revoke_session(&caller, &session).await
}

#[server(prefix = "/api", endpoint = "account/sessions/revoke-others")]
pub async fn revoke_other_sessions() -> Result<AuthChanged, AppError> {
    let (host, caller) = crate::host::signed_in()?;
    // This tab's port only.
    let host: std::sync::Arc<dyn crate::host::AuthPort> = host;
    host.revoke_other_sessions(&caller).await
}

#[server(prefix = "/api", endpoint = "account/two-factor/start")]
pub async fn start_two_factor() -> Result<AuthChanged, AppError> {
    let (host, caller) = crate::host::signed_in()?;
    // This tab's port only.
    let host: std::sync::Arc<dyn crate::host::AuthPort> = host;
    host.start_two_factor(&caller).await
}

#[server(prefix = "/api", endpoint = "account/two-factor/confirm")]
pub async fn confirm_two_factor(enable_code: String) -> Result<RecoveryCodes, AppError> {
    let (host, caller) = crate::host::signed_in()?;
    // This tab's port only.
    let host: std::sync::Arc<dyn crate::host::AuthPort> = host;
    host.confirm_two_factor(&caller, &enable_code).await
}

#[server(prefix = "/api", endpoint = "account/two-factor/recovery-codes")]
pub async fn regenerate_recovery_codes() -> Result<RecoveryCodes, AppError> {
    let (host, caller) = crate::host::signed_in()?;
    // This tab's port only.
    let host: std::sync::Arc<dyn crate::host::AuthPort> = host;
    host.regenerate_recovery_codes(&caller).await
}

#[server(prefix = "/api", endpoint = "account/two-factor/disable")]
pub async fn disable_two_factor(disable_code: String) -> Result<AuthChanged, AppError> {
    let (host, caller) = crate::host::signed_in()?;
    // This tab's port only.
    let host: std::sync::Arc<dyn crate::host::AuthPort> = host;
    host.disable_two_factor(&caller, &disable_code).await
}

/// On success the session is gone: the browser goes to the sign-in page, which says so.
#[server(prefix = "/api", endpoint = "account/delete")]
pub async fn delete_account(delete_username: String, #[server(default)] delete_reason: String) -> Result<(), AppError> {
    let (host, caller) = crate::host::signed_in()?;
    // This tab's port only.
    let host: std::sync::Arc<dyn crate::host::AuthPort> = host;
    host.delete_account(&caller, &delete_username, &delete_reason).await?;
    leptos_axum::redirect("/login?notice=account-deleted");
    Ok(())
}
