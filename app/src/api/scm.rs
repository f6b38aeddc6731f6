//! The SCM integrations tab's server functions. GitHub and GitLab (cloud) connect through the
//! OAuth web flow (`/account/integrations/{type}/connect`, plain links and redirects), whose
//! outcome comes back to the tab as the flash of [`CONNECT_OUTCOME`].

use crate::error::AppError;
use crate::model::{AuthChanged, ImportOutcome, ScmOverview};
use leptos::prelude::*;

/// The name the OAuth callback gives its outcome in the flash cookie.
pub const CONNECT_OUTCOME: &str = "/account/integrations/connect";

#[server(prefix = "/api", endpoint = "account/integrations")]
pub async fn load_integrations() -> Result<ScmOverview, AppError> {
    let (host, caller) = crate::host::signed_in()?;
    // This tab's port only.
    let host: std::sync::Arc<dyn crate::host::ScmPort> = host;
    host.scm_overview(&caller).await
}

/// GitHub Enterprise or GitLab self-hosted: the server's address and a personal access token.
#[server(prefix = "/api", endpoint = "account/integrations/connect")]
pub async fn connect_self_hosted(scm_type: String, url: String, access_token: String) -> Result<AuthChanged, AppError> {
    let (host, caller) = crate::host::signed_in()?;
    // This tab's port only.
    let host: std::sync::Arc<dyn crate::host::ScmPort> = host;
    host.connect_scm(&caller, &scm_type, &url, &access_token).await
}

#[server(prefix = "/api", endpoint = "account/integrations/disconnect")]
pub async fn disconnect_integration(integration: String) -> Result<AuthChanged, AppError> {
    let (host, caller) = crate::host::signed_in()?;
    // This tab's port only.
    let host: std::sync::Arc<dyn crate::host::ScmPort> = host;
    host.disconnect_scm(&caller, &integration).await
}

#[server(prefix = "/api", endpoint = "account/integrations/import")]
pub async fn import_keys(integration: String) -> Result<ImportOutcome, AppError> {
    let (host, caller) = crate::host::signed_in()?;
    // This tab's port only.
    let host: std::sync::Arc<dyn crate::host::ScmPort> = host;
    host.import_scm_keys(&caller, &integration).await
}
