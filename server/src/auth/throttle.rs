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
    /// Sign-ups one address may attempt per `signup_window_secs`: each costs a hash and can
    /// ask whether an address is taken.
    pub signups_per_address: i64,
    pub signup_window_secs: i64,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            window_secs: 15 * 60,
            free_per_account: 5,
            free_per_address: 20,
            base_block_secs: 2,
            max_block_secs: 15 * 60,
            signups_per_address: 10,
            signup_window_secs: 3600,
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

/// IPv4 addresses are limited one by one; IPv6 per /64, the block one subscriber usually
/// gets, or anyone could rotate through 2^64 addresses.
pub fn address_key(ip: &str) -> String {
    match ip.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V6(v6)) if v6.to_ipv4_mapped().is_none() => {
            let s = v6.segments();
            format!("ip6:{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        Ok(std::net::IpAddr::V6(v6)) => format!(
            "ip:{}",
            v6.to_ipv4_mapped().map(|v4| v4.to_string()).unwrap_or_default()
        ),
        _ => format!("ip:{ip}"),
    }
}

/// Whom a counter speaks for, which decides what its block may tell the client.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The client itself (its address, its browser), or an account already signed in: a block
    /// is answered 429 with `Retry-After`.
    Client,
    /// An account named at sign-in by someone who may not own it: its block must not show, or
    /// the answer would tell which username goes with an address. The attempt is still
    /// counted on the client's counters, and answered like a wrong password.
    Account,
    /// Counted (and paused for others once over its free count), but never refusing this
    /// attempt: a signed-in session's password checks add to the account's sign-in count
    /// without being blocked by what anonymous guessers did.
    Tally,
}

/// The counters one sign-in attempt is checked and counted against, each with its free count.
#[derive(Clone, Debug)]
pub struct Keys(Vec<(String, i64, Scope)>);

impl Keys {
    /// A browser without a device cookie for the account: the account and the address.
    pub fn untrusted(policy: &Policy, account: String, address: String) -> Keys {
        Keys(vec![
            (account, policy.free_per_account, Scope::Account),
            (address, policy.free_per_address, Scope::Client),
        ])
    }

    /// One counter, for checks made by a signed-in account (re-authentication, codes) or a
    /// mailed link.
    pub fn single(key: String, free: i64) -> Keys {
        Keys(vec![(key, free, Scope::Client)])
    }

    /// A browser that signed in to this account before: only its own device counter.
    pub fn device(policy: &Policy, device: String) -> Keys {
        Keys(vec![(device, policy.free_per_account, Scope::Client)])
    }

    /// A password check by a signed-in session or an API token: refused on its own counter,
    /// and counted on the account's sign-in counter too.
    pub fn signed_in(own: String, account: String, free: i64) -> Keys {
        Keys(vec![(own, free, Scope::Client), (account, free, Scope::Tally)])
    }
}

/// An attempt counted before the password is checked.
#[derive(Debug)]
pub struct Counted {
    /// Each key with the attempt's number in its window.
    counts: Vec<(String, i64, i64)>,
    /// The named account is paused: the password must not be checked, and the answer is the
    /// one a wrong password gets. Only the client's counters counted this attempt.
    pub account_paused: bool,
}

/// Seconds until sign-in is allowed again, if the client is refused now; otherwise counts this
/// attempt as a failure *before* the password is checked, so parallel guesses are all counted
/// before any is verified. An attempt past the free count is refused without being verified.
/// A block on an `Account` counter does not refuse: it comes back as `account_paused`.
pub async fn begin_attempt(
    db: &Db,
    policy: &Policy,
    keys: &Keys,
    now: i64,
) -> Result<Result<Counted, i64>, sqlx::Error> {
    let mut wait = None;
    let mut account_paused = false;
    for (key, _, scope) in &keys.0 {
        if *scope == Scope::Tally {
            continue;
        }
        if let Some(until) = store::blocked_until(db, key, now).await? {
            match scope {
                Scope::Client => wait = wait.max(Some(until - now)),
                Scope::Account | Scope::Tally => account_paused = true,
            }
        }
    }
    if let Some(wait) = wait {
        return Ok(Err(wait));
    }
    let mut counts = Vec::with_capacity(keys.0.len());
    let mut refused = None;
    for (key, free, scope) in &keys.0 {
        let number = store::add_failure(db, key, now, policy.window_secs).await?;
        if account_paused && *scope == Scope::Account {
            // Counted all the same (the same writes as any attempt, so the answer's timing
            // does not tell a pause), but the pause is not lengthened by it.
            continue;
        }
        if number > *free {
            let block = policy.block_secs(number - 1, *free).max(1);
            store::block(db, key, now + block).await?;
            match scope {
                Scope::Client => refused = refused.max(Some(block)),
                // Over its count now: paused from this attempt on, answered like the others.
                Scope::Account => account_paused = true,
                Scope::Tally => {}
            }
        }
        counts.push((key.clone(), number, *free));
    }
    Ok(match refused {
        Some(wait) => Err(wait),
        None => Ok(Counted { counts, account_paused }),
    })
}

/// The password was wrong: the counted attempt stands, and the last free one starts a block.
pub async fn confirm_failure(db: &Db, policy: &Policy, attempt: Counted, now: i64) -> Result<(), sqlx::Error> {
    for (key, number, free) in attempt.counts {
        let block = policy.block_secs(number, free);
        if block > 0 {
            store::block(db, &key, now + block).await?;
        }
    }
    Ok(())
}

/// The password was right: the account's (or device's) failures are forgotten, and the
/// attempt is taken back from the address counter, whose other failures stay (otherwise an
/// attacker could reset their address by signing in to an account of their own).
pub async fn record_success(db: &Db, attempt: Counted) -> Result<(), sqlx::Error> {
    debug_assert!(!attempt.account_paused, "a paused account's password is never checked");
    let mut keys = attempt.counts.into_iter();
    if let Some((first, _, _)) = keys.next() {
        store::clear(db, &first).await?;
    }
    for (key, _, _) in keys {
        store::forgive_one(db, &key).await?;
    }
    Ok(())
}
/// Counts one use of `key`; past `limit` uses in `window_secs`, the seconds until the window
/// ends.
pub async fn over_limit(
    db: &Db,
    key: &str,
    limit: i64,
    window_secs: i64,
    now: i64,
) -> Result<Option<i64>, sqlx::Error> {
    let (number, first_at) = store::count(db, key, now, window_secs).await?;
    Ok((number > limit).then(|| (first_at + window_secs - now).max(1)))
}

/// Counts a sign-up attempt from `ip`; past the limit, the seconds until the window ends.
pub async fn begin_sign_up(db: &Db, policy: &Policy, ip: &str, now: i64) -> Result<Option<i64>, sqlx::Error> {
    let key = format!("signup:{}", address_key(ip));
    over_limit(db, &key, policy.signups_per_address, policy.signup_window_secs, now).await
}

/// The attempt was never judged (the server was busy): it does not count.
pub async fn withdraw(db: &Db, attempt: Counted) -> Result<(), sqlx::Error> {
    for (key, _, _) in attempt.counts {
        store::forgive_one(db, &key).await?;
    }
    Ok(())
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

    #[test]
    fn ipv6_is_limited_per_64() {
        assert_eq!(address_key("2001:db8:1:2:aaaa::1"), address_key("2001:db8:1:2:bbbb::9"));
        assert_ne!(address_key("2001:db8:1:2::1"), address_key("2001:db8:1:3::1"));
        assert_eq!(address_key("::ffff:203.0.113.7"), address_key("203.0.113.7"));
        assert_eq!(address_key("203.0.113.7"), "ip:203.0.113.7");
        assert_ne!(address_key("203.0.113.7"), address_key("203.0.113.8"));
    }
}
