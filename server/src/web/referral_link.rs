//! `GET /r/{code}`: a referral link. It counts one click per browser per day (a cookie tells a
//! second visit that day; nothing about the visitor is stored, only the day's count), keeps the
//! referrer for 30 days in a cookie unless an earlier link already set one (first click wins),
//! and lands on sign-up. The referrer's own clicks count for nothing.

use super::middleware::see_other;
use super::scoped_cookie::ScopedCookie;
use crate::db::referrals;
use crate::state::AppState;
use app::host::Caller;
use axum::extract::{Path, Request, State};
use axum::response::Response;

/// The referrer's code, for the sign-up form to read.
pub(super) const REFERRER: ScopedCookie = ScopedCookie {
    name: "vestibule_referrer",
    secure_name: "__Secure-vestibule_referrer",
    path: "/",
    same_site: "Lax",
};

/// `<code>.<day>` of this browser's last counted click.
const SEEN: ScopedCookie = ScopedCookie {
    name: "vestibule_referral_seen",
    secure_name: "__Secure-vestibule_referral_seen",
    path: "/r",
    same_site: "Lax",
};

pub const REFERRER_DAYS: i64 = 30;

fn today(at: i64) -> String {
    let date = time::OffsetDateTime::from_unix_timestamp(at)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
        .date();
    format!("{:04}-{:02}-{:02}", date.year(), u8::from(date.month()), date.day())
}

pub async fn follow(State(state): State<AppState>, Path(code): Path<String>, req: Request) -> Response {
    let (parts, _) = req.into_parts();
    let https = state.config.https;
    let mut response = see_other("/signup");
    let owner = match referrals::owner_of(&state.db, &code).await {
        Ok(Some(owner)) => owner,
        // An unknown code still lands on sign-up, without saying which codes exist.
        Ok(None) => return response,
        Err(e) => {
            tracing::warn!(error = %e, "referral link lookup failed");
            return response;
        }
    };
    let signed_in_as = parts
        .extensions
        .get::<Option<Caller>>()
        .cloned()
        .flatten()
        .map(|c| c.user_id);
    if signed_in_as.as_deref() == Some(owner.as_str()) {
        return response;
    }
    let now = crate::db::now();
    let seen_today = format!("{code}.{}", today(now));
    if SEEN.read(&parts, https) != Some(seen_today.as_str()) {
        if let Err(e) = referrals::count_click(&state.db, &owner, &today(now)).await {
            tracing::warn!(error = %e, "referral click not counted");
        }
        SEEN.set(&mut response, &seen_today, https, 86_400);
    }
    let earlier = REFERRER.read(&parts, https).filter(|c| referrals::looks_like_code(c));
    if earlier.is_none() {
        REFERRER.set(&mut response, &code, https, REFERRER_DAYS * 86_400);
    }
    response
}

/// The account whose link brought this visitor (within the 30 days), if it still exists.
pub async fn referrer_of(state: &AppState, parts: &http::request::Parts) -> Option<String> {
    let code = REFERRER.read(parts, state.config.https)?;
    referrals::owner_of(&state.db, code).await.ok().flatten()
}
