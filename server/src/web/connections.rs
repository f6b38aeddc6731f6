//! Caps on open connections, one for the whole server and one per client address, and the
//! open-file limit they are derived from.
//!
//! Every connection holds a file descriptor. Without a cap, a client that opens sockets and
//! sends nothing uses up the process's descriptors: `accept` then fails for everyone (health
//! checks included) until some close. With the caps, the accept loop takes every connection
//! off the queue, and one over a cap is closed at once: descriptors are never exhausted and
//! the queue keeps moving. The per-address cap keeps one machine from holding every slot.
//!
//! A full server does not simply turn newcomers away, or silent sockets from enough addresses
//! would keep everyone else out for as long as they are renewed: it closes the connection that
//! has waited longest for a request (one that never sent any, or sits idle between keep-alive
//! requests) and takes the newcomer. Only when every connection is busy with a request is the
//! newcomer closed at once.

use crate::config::{ConfigError, PREFIX};
use std::collections::{BTreeMap, HashMap};
use std::net::IpAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tokio::sync::Notify;
use tokio::time::Instant;

/// Connections one client address (IPv6: one /64) may hold open at once, by default.
pub const DEFAULT_PER_ADDRESS: usize = 256;
/// Descriptors kept out of the default cap for everything else the process opens: the
/// database pool and files, the mail worker's SMTP connection, static files being sent, the
/// listener, logs.
pub const DESCRIPTOR_RESERVE: u64 = 256;
/// The default cap never goes above this, however high the open-file limit.
pub const MAX_DEFAULT_TOTAL: usize = 16_384;
/// ... nor below this, however low (a limit that low leaves the reserve short anyway).
const MIN_DEFAULT_TOTAL: usize = 64;
/// Connections a full server may hold beyond its cap for the moment it takes the ones closed
/// to make room to go (taken from the descriptor reserve).
const EVICTION_HEADROOM: usize = 32;
/// The default cap when the open-file limit cannot be read: the usual soft limit of 1,024
/// less the reserve.
const FALLBACK_OPEN_FILES: u64 = 1024;

/// What the operator set (`VESTIBULE_MAX_CONNECTIONS`, `VESTIBULE_MAX_CONNECTIONS_PER_ADDRESS`).
/// Read here rather than in `crate::config` so that the caps live in one place; the errors are
/// the same `ConfigError` and are reported the same way (one line naming the variable, exit 2).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Settings {
    pub max_connections: Option<usize>,
    pub max_per_address: Option<usize>,
}

impl Settings {
    pub fn from_env() -> Result<Settings, ConfigError> {
        Self::from_lookup(|key| std::env::var(key).ok())
    }

    /// Reads both settings through `get`, so tests can pass a map instead of the environment.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Settings, ConfigError> {
        let count = |suffix: &str| -> Result<Option<usize>, ConfigError> {
            let name = format!("{PREFIX}{suffix}");
            match get(&name).filter(|v| !v.trim().is_empty()) {
                None => Ok(None),
                Some(raw) => raw
                    .trim()
                    .parse::<usize>()
                    .ok()
                    .filter(|n| *n > 0)
                    .map(Some)
                    .ok_or_else(|| ConfigError {
                        name,
                        problem: format!("must be a whole number above 0, got {raw:?}"),
                    }),
            }
        };
        Ok(Settings {
            max_connections: count("MAX_CONNECTIONS")?,
            max_per_address: count("MAX_CONNECTIONS_PER_ADDRESS")?,
        })
    }

    /// The caps to run with, given the open-file soft limit (after raising it) and whether the
    /// server trusts a reverse proxy.
    pub fn limits(&self, open_files: Option<u64>, trust_proxy: bool) -> Limits {
        Limits {
            total: self.max_connections.unwrap_or_else(|| default_total(open_files)),
            // Behind a trusted proxy every connection comes from the proxy's address, so a cap
            // per address would be a second, smaller global cap: it does not apply there (the
            // proxy limits its clients; the global cap still protects the descriptors).
            per_address: if trust_proxy {
                None
            } else {
                Some(self.max_per_address.unwrap_or(DEFAULT_PER_ADDRESS))
            },
        }
    }
}

/// The default global cap: the open-file soft limit less `DESCRIPTOR_RESERVE`, within
/// `MIN_DEFAULT_TOTAL..=MAX_DEFAULT_TOTAL`.
pub fn default_total(open_files: Option<u64>) -> usize {
    let spare = open_files
        .unwrap_or(FALLBACK_OPEN_FILES)
        .saturating_sub(DESCRIPTOR_RESERVE);
    usize::try_from(spare)
        .unwrap_or(usize::MAX)
        .clamp(MIN_DEFAULT_TOTAL, MAX_DEFAULT_TOTAL)
}

/// Raises the open-file soft limit as far as the hard limit allows and returns the soft limit
/// in force afterwards (`None` if it cannot be read). Never fails: a refusal leaves the limit
/// as it was.
pub fn raise_open_file_limit() -> Option<u64> {
    // Up to the hard limit. An unlimited hard limit is more than Linux accepts for a soft one
    // (`fs.nr_open`, 1,048,576 by default), hence the ceiling, and a lower one if even that
    // is refused.
    for wanted in [1 << 20, 65_536] {
        if let Ok(soft) = rlimit::increase_nofile_limit(wanted) {
            return Some(soft);
        }
    }
    current_open_file_limit()
}

#[cfg(unix)]
fn current_open_file_limit() -> Option<u64> {
    rlimit::getrlimit(rlimit::Resource::NOFILE).ok().map(|(soft, _)| soft)
}

#[cfg(not(unix))]
fn current_open_file_limit() -> Option<u64> {
    None
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Connections open at once, all addresses together.
    pub total: usize,
    /// Connections one address (IPv6: one /64) may hold; `None`: no such cap.
    pub per_address: Option<usize>,
}

/// Why a connection was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    Total,
    PerAddress,
}

/// A client address as the caps count it: IPv4 (IPv4-mapped IPv6 included) by address, IPv6
/// by /64, which one machine usually has whole (as `crate::auth::throttle::address_key`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum AddressKey {
    V4(u32),
    V6(u64),
}

impl AddressKey {
    fn of(ip: IpAddr) -> AddressKey {
        match ip {
            IpAddr::V4(v4) => AddressKey::V4(v4.into()),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => AddressKey::V4(v4.into()),
                None => AddressKey::V6((u128::from(v6) >> 64) as u64),
            },
        }
    }
}

/// Counts open connections against `Limits`. Cheap to clone (one shared counter).
#[derive(Clone)]
pub struct Limiter {
    shared: Arc<Shared>,
}

struct Shared {
    limits: Limits,
    open: Mutex<Open>,
}

#[derive(Default)]
struct Open {
    total: usize,
    by_address: HashMap<AddressKey, usize>,
    /// Connections waiting for a request, by the turn they began waiting at: the first is the
    /// one closed when a newcomer needs room.
    waiting: BTreeMap<u64, Arc<Notify>>,
    next_turn: u64,
    evicted: u64,
}

/// A connection let in: its slot, and whether a waiting connection was closed to make room.
#[must_use = "the slot is freed as soon as it is dropped"]
pub struct Admitted {
    pub slot: Slot,
    pub evicted: bool,
}

impl Limiter {
    pub fn new(limits: Limits) -> Limiter {
        Limiter {
            shared: Arc::new(Shared {
                limits,
                open: Mutex::new(Open::default()),
            }),
        }
    }

    pub fn limits(&self) -> Limits {
        self.shared.limits
    }

    /// Connections open now.
    pub fn open(&self) -> usize {
        self.shared.lock().total
    }

    /// Connections closed so far to make room for newcomers.
    pub fn evicted(&self) -> u64 {
        self.shared.lock().evicted
    }

    /// A slot for one connection from `peer`, held until the returned `Slot` is dropped. A new
    /// slot counts as busy until `Slot::waiting` says otherwise. When the server is full, the
    /// connection that has waited longest for a request is told to close (`Slot::evicted`)
    /// and the newcomer takes its place; with none waiting, the newcomer is refused.
    pub fn try_acquire(&self, peer: IpAddr) -> Result<Admitted, Refused> {
        let limits = self.shared.limits;
        let mut open = self.shared.lock();
        let key = limits.per_address.map(|cap| (AddressKey::of(peer), cap));
        if let Some((key, cap)) = key {
            if open.by_address.get(&key).copied().unwrap_or(0) >= cap {
                return Err(Refused::PerAddress);
            }
        }
        let mut evicted = false;
        if open.total >= limits.total {
            let room = open.total < limits.total + EVICTION_HEADROOM;
            match room.then(|| open.waiting.pop_first()).flatten() {
                Some((_, victim)) => {
                    victim.notify_one();
                    open.evicted += 1;
                    evicted = true;
                }
                None => return Err(Refused::Total),
            }
        }
        if let Some((key, _)) = key {
            *open.by_address.entry(key).or_insert(0) += 1;
        }
        open.total += 1;
        let slot = Slot {
            shared: self.shared.clone(),
            key: key.map(|(key, _)| key),
            evict: Arc::new(Notify::new()),
            turn: Mutex::new(None),
        };
        Ok(Admitted { slot, evicted })
    }
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, Open> {
        // The counts stay consistent even if a holder panicked: each update is one statement.
        self.open.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// One open connection's place under the caps; dropping it frees the place.
pub struct Slot {
    shared: Arc<Shared>,
    key: Option<AddressKey>,
    evict: Arc<Notify>,
    /// The turn it began waiting at, while it waits for a request.
    turn: Mutex<Option<u64>>,
}

impl Slot {
    fn turn(&self) -> std::sync::MutexGuard<'_, Option<u64>> {
        self.turn.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The connection waits for a request (just accepted, or its last answer sent): it may be
    /// closed to make room, the longest waiting first.
    pub fn waiting(&self) {
        let mut open = self.shared.lock();
        let turn = open.next_turn;
        open.next_turn += 1;
        if let Some(old) = self.turn().replace(turn) {
            open.waiting.remove(&old);
        }
        open.waiting.insert(turn, self.evict.clone());
    }

    /// The connection serves a request: it is not closed to make room.
    pub fn busy(&self) {
        let mut open = self.shared.lock();
        if let Some(turn) = self.turn().take() {
            open.waiting.remove(&turn);
        }
    }

    /// Resolves once the server has closed this connection's place for a newcomer.
    pub async fn evicted(&self) {
        self.evict.notified().await
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = self.shared.lock();
        if let Some(turn) = self.turn().take() {
            open.waiting.remove(&turn);
        }
        open.total = open.total.saturating_sub(1);
        if let Some(key) = self.key {
            if let Some(held) = open.by_address.get_mut(&key) {
                *held = held.saturating_sub(1);
                if *held == 0 {
                    open.by_address.remove(&key);
                }
            }
        }
    }
}

/// Counts repeated events for a log line written at most once per `every`: the first event at
/// once, later ones as a count of those since the previous line. A flood then costs a few log
/// lines rather than one per event.
#[derive(Debug)]
pub struct LogEvery {
    every: Duration,
    last: Option<Instant>,
    pending: u64,
    total: u64,
}

impl LogEvery {
    pub fn new(every: Duration) -> LogEvery {
        LogEvery {
            every,
            last: None,
            pending: 0,
            total: 0,
        }
    }

    /// Counts one event; returns how many to report if a line is due now.
    pub fn count(&mut self, now: Instant) -> Option<u64> {
        self.pending += 1;
        self.total += 1;
        self.due(now)
    }

    /// Events not yet reported, if a line is due now (call it now and then, so that the end
    /// of a burst is reported too).
    pub fn due(&mut self, now: Instant) -> Option<u64> {
        let due = self.last.is_none_or(|last| now.duration_since(last) >= self.every);
        if self.pending == 0 || !due {
            return None;
        }
        self.last = Some(now);
        Some(std::mem::take(&mut self.pending))
    }

    /// Events not yet reported, whenever the last line was (at shutdown).
    pub fn rest(&mut self) -> Option<u64> {
        (self.pending > 0).then(|| std::mem::take(&mut self.pending))
    }

    /// Every event counted so far.
    pub fn total(&self) -> u64 {
        self.total
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn settings(pairs: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        let map: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Settings::from_lookup(|key| map.get(key).cloned())
    }

    #[test]
    fn the_global_cap_refuses_then_frees_as_slots_drop() {
        let limiter = Limiter::new(Limits {
            total: 2,
            per_address: None,
        });
        let a = limiter.try_acquire(ip("192.0.2.1")).unwrap();
        let b = limiter.try_acquire(ip("192.0.2.2")).unwrap();
        assert_eq!(limiter.try_acquire(ip("192.0.2.3")).err(), Some(Refused::Total));
        assert_eq!(limiter.open(), 2);
        drop(a);
        assert_eq!(limiter.open(), 1);
        let c = limiter.try_acquire(ip("192.0.2.3")).unwrap();
        assert_eq!(limiter.try_acquire(ip("192.0.2.4")).err(), Some(Refused::Total));
        drop((b, c));
        assert_eq!(limiter.open(), 0);
    }

    #[tokio::test]
    async fn a_full_server_closes_the_longest_waiting_connection_for_a_newcomer() {
        let limiter = Limiter::new(Limits {
            total: 2,
            per_address: None,
        });
        let soon = Duration::from_millis(20);
        let first = limiter.try_acquire(ip("192.0.2.1")).unwrap().slot;
        let second = limiter.try_acquire(ip("192.0.2.2")).unwrap().slot;
        assert_eq!(
            limiter.try_acquire(ip("192.0.2.3")).err(),
            Some(Refused::Total),
            "both busy: nobody to make room"
        );
        second.waiting();
        first.waiting();
        let third = limiter.try_acquire(ip("192.0.2.3")).unwrap();
        assert!(third.evicted);
        tokio::time::timeout(soon, second.evicted())
            .await
            .expect("the longest waiting is told to go");
        assert!(
            tokio::time::timeout(soon, first.evicted()).await.is_err(),
            "the other stays"
        );
        drop(second);
        assert_eq!(limiter.open(), 2);
        // Busy again (a request came), the first is not closed for the next newcomer.
        first.busy();
        assert_eq!(limiter.try_acquire(ip("192.0.2.4")).err(), Some(Refused::Total));
        // Waiting again after its answer, it goes before the newer third.
        first.waiting();
        third.slot.waiting();
        let fourth = limiter.try_acquire(ip("192.0.2.4")).unwrap();
        tokio::time::timeout(soon, first.evicted())
            .await
            .expect("first waited longest");
        assert_eq!(limiter.evicted(), 2);
        drop((first, third, fourth));
        assert_eq!(limiter.open(), 0);
    }

    #[test]
    fn the_per_address_cap_counts_each_address_apart() {
        let limiter = Limiter::new(Limits {
            total: 10,
            per_address: Some(2),
        });
        let held: Vec<Slot> = (0..2)
            .map(|_| limiter.try_acquire(ip("192.0.2.1")).unwrap().slot)
            .collect();
        assert_eq!(limiter.try_acquire(ip("192.0.2.1")).err(), Some(Refused::PerAddress));
        // The same address written as IPv4-mapped IPv6 is the same client.
        assert_eq!(
            limiter.try_acquire(ip("::ffff:192.0.2.1")).err(),
            Some(Refused::PerAddress)
        );
        let other = limiter.try_acquire(ip("192.0.2.2")).unwrap();
        // A refusal takes no slot.
        assert_eq!(limiter.open(), 3);
        drop(held);
        let again = limiter.try_acquire(ip("192.0.2.1")).unwrap();
        assert_eq!(limiter.open(), 2);
        drop((other, again));
        assert!(limiter.shared.lock().by_address.is_empty(), "no entry left behind");
    }

    #[test]
    fn ipv6_addresses_count_per_64_as_the_sign_in_throttle_does() {
        let limiter = Limiter::new(Limits {
            total: 10,
            per_address: Some(1),
        });
        let _one = limiter.try_acquire(ip("2001:db8:1:2::1")).unwrap();
        assert_eq!(
            limiter.try_acquire(ip("2001:db8:1:2:ffff::9")).err(),
            Some(Refused::PerAddress)
        );
        let _next_64 = limiter.try_acquire(ip("2001:db8:1:3::1")).unwrap();
        for (a, b) in [
            ("2001:db8:1:2::1", "2001:db8:1:2:ffff::9"),
            ("2001:db8:1:2::1", "2001:db8:1:3::1"),
            ("::ffff:192.0.2.1", "192.0.2.1"),
            ("192.0.2.1", "192.0.2.2"),
        ] {
            let same_key = AddressKey::of(ip(a)) == AddressKey::of(ip(b));
            let same_throttle = crate::auth::throttle::address_key(a) == crate::auth::throttle::address_key(b);
            assert_eq!(same_key, same_throttle, "{a} and {b}");
        }
    }

    #[test]
    fn with_a_trusted_proxy_there_is_no_per_address_cap() {
        let set = Settings {
            max_connections: Some(500),
            max_per_address: Some(3),
        };
        assert_eq!(
            set.limits(Some(1024), false),
            Limits {
                total: 500,
                per_address: Some(3)
            }
        );
        assert_eq!(set.limits(Some(1024), true).per_address, None);
        let limiter = Limiter::new(set.limits(None, true));
        let _held: Vec<Slot> = (0..10)
            .map(|_| limiter.try_acquire(ip("10.0.0.1")).unwrap().slot)
            .collect();
    }

    #[test]
    fn the_default_global_cap_follows_the_open_file_limit() {
        assert_eq!(default_total(Some(1024)), 768);
        assert_eq!(default_total(Some(20_000)), 19_744.min(MAX_DEFAULT_TOTAL));
        assert_eq!(default_total(Some(1 << 20)), MAX_DEFAULT_TOTAL);
        assert_eq!(default_total(Some(u64::MAX)), MAX_DEFAULT_TOTAL);
        assert_eq!(default_total(Some(100)), MIN_DEFAULT_TOTAL);
        assert_eq!(default_total(None), 768);
        let defaults = Settings::default().limits(Some(4096), false);
        assert_eq!(
            defaults,
            Limits {
                total: 3840,
                per_address: Some(DEFAULT_PER_ADDRESS)
            }
        );
    }

    #[test]
    fn settings_are_read_and_a_bad_one_is_named() {
        assert_eq!(settings(&[]).unwrap(), Settings::default());
        assert_eq!(
            settings(&[
                ("VESTIBULE_MAX_CONNECTIONS", " 2000 "),
                ("VESTIBULE_MAX_CONNECTIONS_PER_ADDRESS", "")
            ])
            .unwrap(),
            Settings {
                max_connections: Some(2000),
                max_per_address: None
            }
        );
        for (name, value) in [
            ("VESTIBULE_MAX_CONNECTIONS", "0"),
            ("VESTIBULE_MAX_CONNECTIONS", "lots"),
            ("VESTIBULE_MAX_CONNECTIONS_PER_ADDRESS", "-1"),
            ("VESTIBULE_MAX_CONNECTIONS_PER_ADDRESS", "2.5"),
        ] {
            let error = settings(&[(name, value)]).unwrap_err();
            assert_eq!(error.name, name);
            assert_eq!(
                error.to_string(),
                format!("{name}: must be a whole number above 0, got {value:?}")
            );
        }
    }

    #[test]
    fn raising_the_open_file_limit_never_lowers_it() {
        let (before, hard) = rlimit::getrlimit(rlimit::Resource::NOFILE).unwrap();
        let after = raise_open_file_limit().unwrap();
        assert!(after >= before, "{after} < {before}");
        assert!(after <= hard, "{after} > {hard}");
        assert_eq!(rlimit::getrlimit(rlimit::Resource::NOFILE).unwrap().0, after);
    }

    #[tokio::test(start_paused = true)]
    async fn a_flood_of_events_is_logged_once_per_period_with_its_count() {
        let mut log = LogEvery::new(Duration::from_secs(5));
        let start = Instant::now();
        assert_eq!(log.count(start), Some(1), "the first event is reported at once");
        for _ in 0..99 {
            assert_eq!(log.count(start + Duration::from_secs(1)), None);
        }
        assert_eq!(log.due(start + Duration::from_secs(4)), None);
        assert_eq!(log.due(start + Duration::from_secs(5)), Some(99));
        assert_eq!(log.due(start + Duration::from_secs(60)), None, "nothing new");
        assert_eq!(log.count(start + Duration::from_secs(61)), Some(1));
        assert_eq!(log.count(start + Duration::from_secs(62)), None);
        assert_eq!(log.rest(), Some(1));
        assert_eq!(log.rest(), None);
        assert_eq!(log.total(), 102);
    }
}
