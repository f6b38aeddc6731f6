//! Requests per API token: a keyed GCRA limiter (governor) in memory. With several instances
//! each counts its own share, which is enough to stop one runaway script.

use governor::clock::DefaultClock;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};
use std::num::NonZeroU32;

pub struct Limiter {
    inner: RateLimiter<String, DefaultKeyedStateStore<String>, DefaultClock>,
}

impl Limiter {
    /// `per_minute` requests a minute, all of them available at once after a quiet minute.
    pub fn per_minute(per_minute: u32) -> Limiter {
        let n = NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN);
        Limiter {
            inner: RateLimiter::keyed(Quota::per_minute(n)),
        }
    }

    /// `Err(seconds to wait)` when `key` is over its quota.
    pub fn check(&self, key: &str) -> Result<(), u64> {
        self.inner.check_key(&key.to_string()).map_err(|not_until| {
            let wait = not_until.wait_time_from(governor::clock::Clock::now(&DefaultClock::default()));
            wait.as_secs().max(1)
        })
    }

    /// Forgets keys whose quota is full again (called by the hourly sweep).
    pub fn forget_idle(&self) {
        self.inner.retain_recent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_key_has_its_own_quota() {
        let limiter = Limiter::per_minute(2);
        assert!(limiter.check("a").is_ok());
        assert!(limiter.check("a").is_ok());
        assert!(limiter.check("a").unwrap_err() >= 1);
        assert!(limiter.check("b").is_ok());
    }
}
