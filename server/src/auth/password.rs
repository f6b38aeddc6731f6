//! argon2id hashing on a small fixed set of worker threads fed by a bounded queue
//! (`hash_queue`, with a priority lane for callers known to the account).
//!
//! Why not `spawn_blocking` behind a semaphore: when a client hangs up, its request future is
//! dropped and releases its permit while the blocking hash runs on, so dropped connections
//! could start hashes without limit; and every blocking thread that ever hashed kept its
//! 19 MiB block in its own allocator arena. Here a job holds its queue slot until a worker takes
//! it, a job whose caller has gone is skipped without hashing, and at most `workers` blocks
//! exist at any time, reused from one hash to the next.

use super::hash_queue::{Job, Lane, Queue};
use crate::db::users::PasswordHash;
use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use tokio::sync::oneshot;

/// OWASP's argon2id recommendation: 19 MiB, 2 passes, 1 lane.
const MEMORY_KIB: u32 = 19 * 1024;
const PASSES: u32 = 2;
const LANES: u32 = 1;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum HashError {
    /// The queue is full: answer "busy, try again" rather than wait without bound.
    #[error("password hashing queue is full")]
    Busy,
    #[error("password hashing failed: {0}")]
    Internal(String),
}

pub struct Verification {
    pub ok: bool,
    /// The stored hash uses other parameters: store a fresh one now that we know the password.
    pub needs_rehash: bool,
}

#[derive(Clone)]
pub struct Hasher {
    inner: Arc<Inner>,
}

struct Inner {
    jobs: Queue,
    /// Verified against when the login is unknown, so unknown users cost the same time.
    dummy: PasswordHash,
    stats: Arc<Stats>,
}

/// Counters for the load test and the logs.
#[derive(Default)]
pub struct Stats {
    running: AtomicUsize,
    peak_running: AtomicUsize,
    skipped: AtomicUsize,
    completed: AtomicUsize,
}

/// What the pool has done so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HasherStats {
    pub peak_running: usize,
    /// Jobs dropped unhashed because their caller had gone.
    pub skipped: usize,
    pub completed: usize,
}

fn argon2() -> Result<Argon2<'static>, HashError> {
    let params = Params::new(MEMORY_KIB, PASSES, LANES, None).map_err(|e| HashError::Internal(e.to_string()))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

fn hash_now(password: &str) -> Result<PasswordHash, HashError> {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    argon2()?
        .hash_password(password.as_bytes(), &salt)
        .map(|h| PasswordHash(h.to_string()))
        .map_err(|e| HashError::Internal(e.to_string()))
}

fn verify_now(password: &str, stored: &PasswordHash) -> Result<Verification, HashError> {
    let parsed = argon2::password_hash::PasswordHash::new(&stored.0).map_err(|e| HashError::Internal(e.to_string()))?;
    let ok = argon2()?.verify_password(password.as_bytes(), &parsed).is_ok();
    let current = Params::try_from(&parsed).ok();
    let needs_rehash = parsed.algorithm.as_str() != "argon2id"
        || current.is_none_or(|p| p.m_cost() != MEMORY_KIB || p.t_cost() != PASSES || p.p_cost() != LANES);
    Ok(Verification { ok, needs_rehash })
}

impl Hasher {
    /// `workers` threads hash (one per core is right); up to `max_queued` more jobs wait in
    /// each lane.
    pub fn new(workers: usize, max_queued: usize) -> Result<Hasher, HashError> {
        let dummy = hash_now("vestibule dummy password for unknown users")?;
        let jobs = Queue::start(workers, max_queued).map_err(|e| HashError::Internal(e.to_string()))?;
        Ok(Hasher {
            inner: Arc::new(Inner {
                jobs,
                dummy,
                stats: Arc::default(),
            }),
        })
    }

    pub fn stats(&self) -> HasherStats {
        let stats = &self.inner.stats;
        HasherStats {
            peak_running: stats.peak_running.load(Ordering::Relaxed),
            skipped: stats.skipped.load(Ordering::Relaxed),
            completed: stats.completed.load(Ordering::Relaxed),
        }
    }

    async fn run<T: Send + 'static>(
        &self,
        lane: Lane,
        task: impl FnOnce() -> Result<T, HashError> + Send + 'static,
    ) -> Result<T, HashError> {
        let (reply, answer) = oneshot::channel();
        let stats = self.inner.stats.clone();
        let job: Job = Box::new(move || {
            if reply.is_closed() {
                stats.skipped.fetch_add(1, Ordering::Relaxed);
                return;
            }
            let running = stats.running.fetch_add(1, Ordering::SeqCst) + 1;
            stats.peak_running.fetch_max(running, Ordering::Relaxed);
            let result = task();
            stats.running.fetch_sub(1, Ordering::SeqCst);
            stats.completed.fetch_add(1, Ordering::Relaxed);
            let _ = reply.send(result); // the caller may have gone meanwhile: nothing to do
        });
        self.inner.jobs.push(lane, job).map_err(|_| HashError::Busy)?;
        answer
            .await
            .map_err(|_| HashError::Internal("a hashing worker stopped".into()))?
    }

    pub async fn hash(&self, lane: Lane, password: String) -> Result<PasswordHash, HashError> {
        self.run(lane, move || hash_now(&password)).await
    }

    /// Verifies `password` against `stored`, or against a dummy hash when there is no user.
    pub async fn verify(
        &self,
        lane: Lane,
        password: String,
        stored: Option<PasswordHash>,
    ) -> Result<Verification, HashError> {
        let known = stored.is_some();
        let stored = stored.unwrap_or_else(|| self.inner.dummy.clone());
        let result = self.run(lane, move || verify_now(&password, &stored)).await?;
        Ok(Verification {
            ok: known && result.ok,
            needs_rehash: known && result.needs_rehash,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_are_argon2id() {
        let hasher = Hasher::new(2, 8).unwrap();
        let hash = hasher
            .hash(Lane::Anonymous, "correct horse battery".into())
            .await
            .unwrap();
        assert!(hash.0.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        let good = hasher
            .verify(Lane::Anonymous, "correct horse battery".into(), Some(hash.clone()))
            .await
            .unwrap();
        assert!(good.ok && !good.needs_rehash);
        let bad = hasher
            .verify(Lane::Anonymous, "wrong".into(), Some(hash))
            .await
            .unwrap();
        assert!(!bad.ok);
    }

    #[tokio::test]
    async fn unknown_users_never_verify() {
        let hasher = Hasher::new(1, 8).unwrap();
        let result = hasher
            .verify(
                Lane::Anonymous,
                "vestibule dummy password for unknown users".into(),
                None,
            )
            .await
            .unwrap();
        assert!(!result.ok);
    }

    #[tokio::test]
    async fn weaker_parameters_ask_for_a_rehash() {
        let weak = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(8 * 1024, 1, 1, None).unwrap(),
        );
        let salt = SaltString::generate(&mut rand::rngs::OsRng);
        let old = PasswordHash(weak.hash_password(b"passphrase here", &salt).unwrap().to_string());
        let hasher = Hasher::new(1, 8).unwrap();
        let result = hasher
            .verify(Lane::Anonymous, "passphrase here".into(), Some(old))
            .await
            .unwrap();
        assert!(result.ok && result.needs_rehash);
    }

    /// Occupies the hasher's only worker until the returned sender is dropped or sent to.
    async fn occupy_worker(hasher: &Hasher) -> (std::sync::mpsc::Sender<()>, tokio::task::JoinHandle<()>) {
        let (release, wait) = std::sync::mpsc::channel::<()>();
        let busy = hasher.clone();
        let handle = tokio::spawn(async move {
            let _ = busy
                .run(Lane::Anonymous, move || {
                    let _ = wait.recv();
                    Ok(())
                })
                .await;
        });
        while hasher.inner.stats.running.load(Ordering::SeqCst) == 0 {
            tokio::time::sleep(std::time::Duration::from_millis(1)).await;
        }
        (release, handle)
    }

    #[tokio::test]
    async fn unknown_users_go_through_the_same_pool_and_hash() {
        let hasher = Hasher::new(1, 8).unwrap();
        hasher.verify(Lane::Anonymous, "whatever".into(), None).await.unwrap();
        assert_eq!(hasher.stats().completed, 1);
    }

    #[tokio::test]
    async fn a_full_queue_answers_busy() {
        let hasher = Hasher::new(1, 1).unwrap();
        let (release, running) = occupy_worker(&hasher).await;
        let queued = tokio::spawn({
            let hasher = hasher.clone();
            async move { hasher.hash(Lane::Anonymous, "waits its turn".into()).await }
        });
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        assert_eq!(
            hasher.hash(Lane::Anonymous, "one too many".into()).await.unwrap_err(),
            HashError::Busy
        );
        release.send(()).unwrap();
        running.await.unwrap();
        assert!(queued.await.unwrap().is_ok());
    }

    #[tokio::test]
    async fn a_caller_that_hung_up_costs_no_hash() {
        let hasher = Hasher::new(1, 8).unwrap();
        let (release, running) = occupy_worker(&hasher).await;
        let ran = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let abandoned = {
            let (hasher, ran) = (hasher.clone(), ran.clone());
            async move {
                hasher
                    .run(Lane::Anonymous, move || {
                        ran.store(true, Ordering::SeqCst);
                        Ok(())
                    })
                    .await
            }
        };
        // Like a dropped connection: the request future is polled, queues its job, then dropped.
        assert!(tokio::time::timeout(std::time::Duration::from_millis(10), abandoned)
            .await
            .is_err());
        release.send(()).unwrap();
        running.await.unwrap();
        hasher.hash(Lane::Anonymous, "after the drop".into()).await.unwrap();
        assert!(!ran.load(Ordering::SeqCst));
        assert_eq!(hasher.stats().skipped, 1);
    }

    #[tokio::test]
    async fn never_more_hashes_at_once_than_workers() {
        let hasher = Hasher::new(2, 16).unwrap();
        let jobs: Vec<_> = (0..8)
            .map(|n| {
                let hasher = hasher.clone();
                tokio::spawn(async move { hasher.hash(Lane::Anonymous, format!("password number {n}")).await })
            })
            .collect();
        for job in jobs {
            job.await.unwrap().unwrap();
        }
        let stats = hasher.stats();
        assert_eq!(stats.completed, 8);
        assert!(stats.peak_running <= 2, "{stats:?}");
    }
}
