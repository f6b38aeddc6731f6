//! The Basic information tab: profile and newsletter.

use crate::error::AppError;
use crate::model::{BasicInfo, Newsletter, ProfileSaved};
use leptos::prelude::*;

/// Everything the tab shows.
#[server(prefix = "/api", endpoint = "account/basic")]
pub async fn load_basic_info() -> Result<BasicInfo, AppError> {
    let (host, caller) = crate::host::signed_in()?;
    // This tab's port only.
    let host: std::sync::Arc<dyn crate::host::ProfilePort> = host;
    host.basic_info(&caller).await
}

#[server(prefix = "/api", endpoint = "account/profile")]
pub async fn update_profile(
    username: String,
    fullname: String,
    location: String,
    company: String,
    bio: String,
) -> Result<ProfileSaved, AppError> {
    let (host, caller) = crate::host::signed_in()?;
    // This tab's port only.
    let host: std::sync::Arc<dyn crate::host::ProfilePort> = host;
    let profile =
        crate::validate::profile(&username, &fullname, &location, &company, &bio).map_err(AppError::Invalid)?;
    host.update_profile(&caller, crate::host::ProfileInput(profile)).await
}

/// `subscribed` is `true` or `false`: the value of the button that was pressed.
#[server(prefix = "/api", endpoint = "account/newsletter")]
pub async fn set_newsletter(subscribed: String) -> Result<Newsletter, AppError> {
    let (host, caller) = crate::host::signed_in()?;
    // This tab's port only.
    let host: std::sync::Arc<dyn crate::host::ProfilePort> = host;
    let subscribed = match subscribed.as_str() {
        "true" => true,
        "false" => false,
        _ => return Err(AppError::BadRequest),
    };
    host.set_newsletter(&caller, subscribed).await
}
