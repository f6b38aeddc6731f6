//! The Referrals tab and `/v1/account/referrals/stats`.

use super::{internal, ServerHost};
use crate::db::referrals;
use crate::tz;
use app::error::AppError;
use app::host::{Caller, ReferralsPort};
use app::model::{RefereeView, ReferralsOverview};

impl ServerHost {
    /// The account's referral link, absolute (its code is made on first use).
    pub async fn referral_url(&self, user_id: &str) -> Result<String, sqlx::Error> {
        let code = referrals::code_for(&self.db, user_id).await?;
        Ok(format!("{}/r/{code}", self.config.public_url.trim_end_matches('/')))
    }

    pub async fn referral_stats(&self, caller: &Caller) -> Result<(String, referrals::Stats), AppError> {
        let fail = |e: sqlx::Error| internal(&caller.request_id, e);
        let url = self.referral_url(&caller.user_id).await.map_err(fail)?;
        let mut conn = self.db.pool.acquire().await.map_err(fail)?;
        let stats = referrals::stats(&mut conn, &caller.user_id).await.map_err(fail)?;
        Ok((url, stats))
    }
}

#[async_trait::async_trait]
impl ReferralsPort for ServerHost {
    async fn referrals_overview(&self, caller: &Caller) -> Result<ReferralsOverview, AppError> {
        let (url, stats) = self.referral_stats(caller).await?;
        let fail = |e: sqlx::Error| internal(&caller.request_id, e);
        let mut conn = self.db.pool.acquire().await.map_err(fail)?;
        let referees = referrals::referees(&mut conn, &caller.user_id).await.map_err(fail)?;
        Ok(ReferralsOverview {
            url,
            clicks: stats.clicks,
            signups: stats.signups,
            earned_cents: stats.earned_cents,
            referees: referees
                .into_iter()
                .map(|r| RefereeView {
                    masked_name: r.masked_name,
                    signed_up_at: tz::stamp(r.signed_up_at, &caller.time_zone),
                    earned_cents: r.earned_cents,
                })
                .collect(),
        })
    }
}
