//! The sign-in throttling policy: a few free failures, then refusals that double in length up
//! to a cap. Failures are counted per account and per client address separately, so a
//! blocked account does not block its neighbours and one address cannot try every account.

use crate::db::{throttle as store, Db};

#[derive(Clone, Copy, Debug)]
pub struct Policy {
    /// Failures older than this are forgotten.
    pub window_secs: i64,
    pub free_per_account: i64,
    pub free_per_address: i64,
    /// The first refusal; each further failure doubles it.
    pub base_block_secs: i64,
    pub max_block_secs: i64,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            window_secs: 15 * 60,
            free_per_account: 5,
            free_per_address: 20,
            base_block_secs: 2,
            max_block_secs: 15 * 60,
        }
    }
}

impl Policy {
    /// How long to refuse after the `failures`-th failure (0 while still free).
    pub fn block_secs(&self, failures: i64, free: i64) -> i64 {
        if failures < free {
            return 0;
        }
        let doublings = (failures - free).min(20) as u32;
        self.base_block_secs
            .saturating_mul(1 << doublings)
            .min(self.max_block_secs)
    }
}

pub fn account_key(user_id: Option<&str>, login: &str) -> String {
    match user_id {
        Some(id) => format!("user:{id}"),
        None => format!("login:{}", login.trim().to_lowercase()),
    }
}

pub fn address_key(ip: &str) -> String {
    format!("ip:{ip}")
}

/// Seconds until sign-in is allowed again for this account or address, if refused now.
pub async fn retry_after(db: &Db, account: &str, address: &str, now: i64) -> Result<Option<i64>, sqlx::Error> {
    let a = store::blocked_until(db, account, now).await?;
    let b = store::blocked_until(db, address, now).await?;
    Ok(a.max(b).map(|until| until - now))
}

pub async fn record_failure(
    db: &Db,
    policy: &Policy,
    account: &str,
    address: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    for (key, free) in [(account, policy.free_per_account), (address, policy.free_per_address)] {
        let failures = store::add_failure(db, key, now, policy.window_secs).await?;
        let block = policy.block_secs(failures, free);
        if block > 0 {
            store::block(db, key, now + block).await?;
        }
    }
    Ok(())
}

/// A successful sign-in forgets the account's failures, not the address's: otherwise an
/// attacker could reset their address counter by signing in to their own account.
pub async fn record_success(db: &Db, account: &str) -> Result<(), sqlx::Error> {
    store::clear(db, account).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_then_doubling_then_capped() {
        let p = Policy::default();
        let blocks: Vec<i64> = (1..=14).map(|n| p.block_secs(n, 5)).collect();
        assert_eq!(blocks, [0, 0, 0, 0, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900]);
        assert_eq!(p.block_secs(1000, 5), 900);
    }
}
