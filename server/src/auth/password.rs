//! argon2id hashing, run on blocking threads behind a bounded queue so that a flood of
//! sign-ins cannot starve the async runtime or pile up without limit.

use crate::db::users::PasswordHash;
use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use tokio::sync::Semaphore;

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
    running: Semaphore,
    queued: AtomicUsize,
    max_queued: usize,
    /// Verified against when the login is unknown, so unknown users cost the same time.
    dummy: PasswordHash,
}

fn argon2() -> Result<Argon2<'static>, HashError> {
    let params = Params::new(MEMORY_KIB, PASSES, LANES, None).map_err(|e| HashError::Internal(e.to_string()))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

fn hash_blocking(password: &str) -> Result<PasswordHash, HashError> {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    argon2()?
        .hash_password(password.as_bytes(), &salt)
        .map(|h| PasswordHash(h.to_string()))
        .map_err(|e| HashError::Internal(e.to_string()))
}

fn verify_blocking(password: &str, stored: &PasswordHash) -> Result<Verification, HashError> {
    let parsed = argon2::password_hash::PasswordHash::new(&stored.0).map_err(|e| HashError::Internal(e.to_string()))?;
    let ok = argon2()?.verify_password(password.as_bytes(), &parsed).is_ok();
    let current = Params::try_from(&parsed).ok();
    let needs_rehash = parsed.algorithm.as_str() != "argon2id"
        || current.is_none_or(|p| p.m_cost() != MEMORY_KIB || p.t_cost() != PASSES || p.p_cost() != LANES);
    Ok(Verification { ok, needs_rehash })
}

impl Hasher {
    /// `parallel` hashes run at once (one per core is right); up to `max_queued` more wait.
    pub fn new(parallel: usize, max_queued: usize) -> Result<Hasher, HashError> {
        let dummy = hash_blocking("vestibule dummy password for unknown users")?;
        Ok(Hasher {
            inner: Arc::new(Inner {
                running: Semaphore::new(parallel.max(1)),
                queued: AtomicUsize::new(0),
                max_queued,
                dummy,
            }),
        })
    }

    async fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce() -> Result<T, HashError> + Send + 'static,
    ) -> Result<T, HashError> {
        let queued = self.inner.queued.fetch_add(1, Ordering::SeqCst);
        let _guard = QueueSlot(&self.inner.queued);
        if queued >= self.inner.max_queued {
            return Err(HashError::Busy);
        }
        let _permit = self
            .inner
            .running
            .acquire()
            .await
            .map_err(|e| HashError::Internal(e.to_string()))?;
        tokio::task::spawn_blocking(job)
            .await
            .map_err(|e| HashError::Internal(e.to_string()))?
    }

    pub async fn hash(&self, password: String) -> Result<PasswordHash, HashError> {
        self.run(move || hash_blocking(&password)).await
    }

    /// Verifies `password` against `stored`, or against a dummy hash when there is no user.
    pub async fn verify(&self, password: String, stored: Option<PasswordHash>) -> Result<Verification, HashError> {
        let known = stored.is_some();
        let stored = stored.unwrap_or_else(|| self.inner.dummy.clone());
        let result = self.run(move || verify_blocking(&password, &stored)).await?;
        Ok(Verification {
            ok: known && result.ok,
            needs_rehash: known && result.needs_rehash,
        })
    }
}

struct QueueSlot<'a>(&'a AtomicUsize);

impl Drop for QueueSlot<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_are_argon2id() {
        let hasher = Hasher::new(2, 8).unwrap();
        let hash = hasher.hash("correct horse battery".into()).await.unwrap();
        assert!(hash.0.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        let good = hasher
            .verify("correct horse battery".into(), Some(hash.clone()))
            .await
            .unwrap();
        assert!(good.ok && !good.needs_rehash);
        let bad = hasher.verify("wrong".into(), Some(hash)).await.unwrap();
        assert!(!bad.ok);
    }

    #[tokio::test]
    async fn unknown_users_never_verify() {
        let hasher = Hasher::new(1, 8).unwrap();
        let result = hasher
            .verify("vestibule dummy password for unknown users".into(), None)
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
        let result = hasher.verify("passphrase here".into(), Some(old)).await.unwrap();
        assert!(result.ok && result.needs_rehash);
    }

    #[tokio::test]
    async fn unknown_users_go_through_the_same_queue_and_hash() {
        // A queue of zero refuses every job: if the unknown-user path skipped the dummy
        // verification, it would not be refused.
        let hasher = Hasher::new(1, 0).unwrap();
        assert_eq!(
            hasher.verify("whatever".into(), None).await.err(),
            Some(HashError::Busy)
        );
    }

    #[tokio::test]
    async fn a_full_queue_answers_busy() {
        let hasher = Hasher::new(1, 0).unwrap();
        assert_eq!(
            hasher.hash("anything at all".into()).await.unwrap_err(),
            HashError::Busy
        );
    }
}
