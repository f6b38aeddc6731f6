//! The outgoing-mail queue (see migration 0005): enqueue inside the action's transaction, then
//! claim, deliver, and mark sent or schedule a retry.
//!
//! Bodies hold live links (reset, sign-up, "it was not me"): they are stored sealed with a key
//! derived from the server key, and erased once delivered or given up. Erasing alone is not
//! enough: SQLite's WAL and free pages, and PostgreSQL's dead row versions, keep old copies of
//! a row for a while. Sealed, those copies say nothing to whoever reads the database without
//! the server key (set `VESTIBULE_SECRET_KEY` to keep the key out of the data directory).

use super::Db;
use crate::auth::seal;
use crate::secret::SecretKey;
use sqlx::{AnyConnection, Row};

/// The key queued bodies are sealed with.
#[derive(Clone)]
pub struct MailSeal(pub SecretKey);

impl std::fmt::Debug for MailSeal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MailSeal(<redacted>)")
    }
}

const SEAL_PURPOSE: &str = "mail-body";
/// Marks a sealed body; others are stored as they are (queued before sealing, or by a store
/// opened without the server key, as the store tests are).
const SEALED: &str = "sealed:";

fn sealed(db: &Db, body: &str) -> String {
    match &db.mail_seal {
        Some(MailSeal(key)) => match seal::seal(key, SEAL_PURPOSE, body.as_bytes()) {
            Some(sealed) => format!("{SEALED}{sealed}"),
            // Sealing cannot fail with a valid key; never store a body in the clear for it.
            None => String::new(),
        },
        None => body.to_string(),
    }
}

/// A stored body as it was written, or `None` when it is sealed with another key.
pub fn opened(db: &Db, stored: &str) -> Option<String> {
    let Some(sealed) = stored.strip_prefix(SEALED) else {
        return Some(stored.to_string());
    };
    let MailSeal(key) = db.mail_seal.as_ref()?;
    String::from_utf8(seal::open(key, SEAL_PURPOSE, sealed)?).ok()
}

/// A message in the user's language, ready to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutgoingMail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

#[derive(Clone, Debug)]
pub struct QueuedMail {
    pub id: i64,
    pub attempts: i64,
    pub mail: OutgoingMail,
    /// The body was sealed with another server key: it cannot be sent (the key was replaced
    /// while the message waited).
    pub unreadable: bool,
}

/// Queues `mail` on `conn` (of `db`), normally inside the transaction of the action that sends
/// it, its body sealed, and returns its id.
pub async fn enqueue(db: &Db, conn: &mut AnyConnection, mail: &OutgoingMail, now: i64) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "INSERT INTO mail_queue (to_address, subject, body_text, body_html, created_at, next_attempt_at) \
         VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
    )
    .bind(&mail.to)
    .bind(&mail.subject)
    .bind(sealed(db, &mail.text))
    .bind(sealed(db, &mail.html))
    .bind(now)
    .fetch_one(conn)
    .await?
    .try_get("id")
}

/// Whether message `id` was sent, and the error of its last failed attempt.
pub async fn status(db: &Db, id: i64) -> Result<(Option<i64>, Option<String>), sqlx::Error> {
    let row = sqlx::query("SELECT sent_at, last_error FROM mail_queue WHERE id = $1")
        .bind(id)
        .fetch_one(&db.pool)
        .await?;
    Ok((row.try_get("sent_at")?, row.try_get("last_error")?))
}

/// Takes up to `limit` due messages and moves their next attempt `lease_secs` ahead, so that
/// another instance's worker does not send them too while this one is trying.
pub async fn claim_due(db: &Db, now: i64, lease_secs: i64, limit: i64) -> Result<Vec<QueuedMail>, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let rows = sqlx::query(
        "SELECT id, to_address, subject, body_text, body_html, attempts FROM mail_queue \
         WHERE sent_at IS NULL AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT $2",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(&mut *tx)
    .await?;
    let mut claimed = Vec::with_capacity(rows.len());
    for row in rows {
        let id: i64 = row.try_get("id")?;
        // Only if nobody claimed it between the read and now (PostgreSQL reads without locks).
        let taken = sqlx::query("UPDATE mail_queue SET next_attempt_at = $1 WHERE id = $2 AND next_attempt_at <= $3")
            .bind(now + lease_secs)
            .bind(id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        if taken.rows_affected() == 1 {
            let text = opened(db, &row.try_get::<String, _>("body_text")?);
            let html = opened(db, &row.try_get::<String, _>("body_html")?);
            let unreadable = text.is_none() || html.is_none();
            claimed.push(QueuedMail {
                id,
                attempts: row.try_get("attempts")?,
                mail: OutgoingMail {
                    to: row.try_get("to_address")?,
                    subject: row.try_get("subject")?,
                    text: text.unwrap_or_default(),
                    html: html.unwrap_or_default(),
                },
                unreadable,
            });
        }
    }
    tx.commit().await?;
    Ok(claimed)
}

/// Marks the message sent and drops its body: the body held live links (a reset, a sign-up, an
/// "it was not me"), and anyone who can read the database must not find them there. The
/// recipient, subject and times stay for the log and for support.
pub async fn mark_sent(db: &Db, id: i64, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE mail_queue SET sent_at = $1, attempts = attempts + 1, last_error = NULL, \
         body_text = '', body_html = '' WHERE id = $2",
    )
    .bind(now)
    .bind(id)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Records a failed attempt; `retry_at` of `None` means no more tries: the row stays with its
/// error, its body dropped like a sent one's (no retry needs it any more).
pub async fn mark_failed(db: &Db, id: i64, error: &str, retry_at: Option<i64>) -> Result<(), sqlx::Error> {
    let query = match retry_at {
        Some(_) => "UPDATE mail_queue SET attempts = attempts + 1, last_error = $1, next_attempt_at = $2 WHERE id = $3",
        None => {
            "UPDATE mail_queue SET attempts = attempts + 1, last_error = $1, next_attempt_at = $2, \
             body_text = '', body_html = '' WHERE id = $3"
        }
    };
    sqlx::query(query)
        .bind(error)
        .bind(retry_at.unwrap_or(i64::MAX))
        .bind(id)
        .execute(&db.pool)
        .await?;
    Ok(())
}
