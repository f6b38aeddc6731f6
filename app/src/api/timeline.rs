//! The Timeline: the account's own events, filtered and paged.

use crate::error::AppError;
use crate::model::TimelinePage;
use leptos::prelude::*;

/// One page of events. The arguments are the page's URL parameters, as typed: `category`
/// (a slug), `from` and `to` (days in the account's time zone), and one cursor, `before` or
/// `after`, from a previous page.
#[server(prefix = "/api", endpoint = "account/timeline")]
pub async fn timeline(
    category: Option<String>,
    from: Option<String>,
    to: Option<String>,
    before: Option<String>,
    after: Option<String>,
) -> Result<TimelinePage, AppError> {
    let (host, caller) = crate::host::signed_in()?;
    // This tab's port only.
    let host: std::sync::Arc<dyn crate::host::TimelinePort> = host;
    let text = |value: &Option<String>| value.clone().unwrap_or_default();
    let request = crate::validate::timeline(
        &text(&category),
        &text(&from),
        &text(&to),
        &text(&before),
        &text(&after),
    )
    .map_err(AppError::Invalid)?;
    host.timeline(&caller, request).await
}
