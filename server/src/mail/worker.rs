//! Delivers queued mail: everything due, now and whenever woken, and at least every
//! `POLL_EVERY`. A failure is logged and retried after growing delays; after the last one the
//! message stays in the queue with its error (logged as an error for the operator).

use super::Mailer;
use crate::db::{mail_queue, now, Db};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

/// Seconds to wait after the 1st, 2nd, … failed attempt: about 34 hours of tries in all.
pub const RETRY_DELAYS: [i64; 6] = [60, 5 * 60, 30 * 60, 2 * 3600, 6 * 3600, 24 * 3600];
const POLL_EVERY: Duration = Duration::from_secs(30);
/// Longer than one SMTP attempt can take (its timeout is 20 s): a claimed message is not
/// taken by another instance meanwhile.
const LEASE_SECS: i64 = 120;
const BATCH: i64 = 20;

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Round {
    pub sent: usize,
    pub failed: usize,
}

/// Delivers what is due now.
pub async fn deliver_due(db: &Db, mailer: &Mailer) -> Result<Round, sqlx::Error> {
    let mut round = Round::default();
    loop {
        let batch = mail_queue::claim_due(db, now(), LEASE_SECS, BATCH).await?;
        if batch.is_empty() {
            return Ok(round);
        }
        for queued in batch {
            let delivered = match queued.unreadable {
                true => Err("the body is sealed with another server key (VESTIBULE_SECRET_KEY changed?)".to_string()),
                false => mailer.deliver(queued.id, &queued.mail).await,
            };
            match delivered {
                Ok(()) => {
                    mail_queue::mark_sent(db, queued.id, now()).await?;
                    round.sent += 1;
                }
                Err(error) => {
                    let retry = RETRY_DELAYS.get(queued.attempts as usize).map(|delay| now() + delay);
                    mail_queue::mark_failed(db, queued.id, &error, retry).await?;
                    round.failed += 1;
                    match retry {
                        Some(at) => {
                            tracing::warn!(mail = queued.id, %error, retry_in_secs = at - now(), "mail delivery failed; will retry")
                        }
                        None => {
                            tracing::error!(mail = queued.id, %error, "mail delivery failed for the last time; the message stays in mail_queue")
                        }
                    }
                }
            }
        }
    }
}

pub async fn run_forever(db: Db, mailer: Mailer, wake: Arc<Notify>) {
    loop {
        if let Err(e) = deliver_due(&db, &mailer).await {
            tracing::warn!(error = %e, "mail queue unavailable");
        }
        let _ = tokio::time::timeout(POLL_EVERY, wake.notified()).await;
    }
}
