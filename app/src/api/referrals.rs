//! The Referrals tab's server function.

use crate::error::AppError;
use crate::model::ReferralsOverview;
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "account/referrals")]
pub async fn load_referrals() -> Result<ReferralsOverview, AppError> {
    let (host, caller) = crate::host::signed_in()?;
    // This tab's port only.
    let host: std::sync::Arc<dyn crate::host::ReferralsPort> = host;
    host.referrals_overview(&caller).await
}
