//! E-mail changes (migrations 0007, 0008): a request waits for its link to be followed from the
//! new address; the old address can report it, before or after, within a week. Each step is
//! one transaction with its event and its mail.

use super::events::{self, Actor, EventType};
use super::mail_queue::{self, OutgoingMail};
use super::{unique_violation_on, Db};
use serde_json::json;
use sqlx::{AnyConnection, Row};

/// How long the confirmation link works.
pub const CONFIRM_LIFETIME_SECS: i64 = 24 * 3600;
/// How long the old address's "it was not me" link works, counted from the request.
pub const REPORT_LIFETIME_SECS: i64 = 7 * 24 * 3600;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pending {
    pub new_email: String,
    pub created_at: i64,
    pub expires_at: i64,
}

/// The change waiting for its link, if any.
pub async fn pending(db: &Db, user_id: &str, now: i64) -> Result<Option<Pending>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT new_email, created_at, expires_at FROM email_changes \
         WHERE user_id = $1 AND closed_at IS NULL AND expires_at > $2 ORDER BY created_at DESC LIMIT 1",
    )
    .bind(user_id)
    .bind(now)
    .fetch_optional(&db.pool)
    .await?;
    row.map(|row| {
        Ok(Pending {
            new_email: row.try_get("new_email")?,
            created_at: row.try_get("created_at")?,
            expires_at: row.try_get("expires_at")?,
        })
    })
    .transpose()
}

/// What a request needs: the account, both addresses and the two tokens' digests.
pub struct Request<'a> {
    pub user_id: &'a str,
    pub old_email: &'a str,
    pub new_email: &'a str,
    pub token_digest: &'a str,
    pub cancel_digest: &'a str,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Requested {
    Stored,
    /// Another account uses the address (which one is not said).
    Taken,
}

/// Replaces any earlier pending change, stores this one, queues both mails and records
/// `request_email_change`.
pub async fn request(
    db: &Db,
    req: Request<'_>,
    actor: &Actor,
    mails: &[OutgoingMail],
    now: i64,
) -> Result<Requested, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    if used_by_another(&mut tx, req.new_email, req.user_id).await? {
        return Ok(Requested::Taken);
    }
    close_open(&mut tx, req.user_id, now).await?;
    sqlx::query(
        "INSERT INTO email_changes (token_digest, cancel_digest, user_id, new_email, old_email, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(req.token_digest)
    .bind(req.cancel_digest)
    .bind(req.user_id)
    .bind(req.new_email)
    .bind(req.old_email)
    .bind(now)
    .bind(now + CONFIRM_LIFETIME_SECS)
    .execute(&mut *tx)
    .await?;
    for mail in mails {
        mail_queue::enqueue(db, &mut tx, mail, now).await?;
    }
    events::note(&mut tx, req.user_id, EventType::RequestEmailChange, actor, json!({})).await?;
    tx.commit().await?;
    Ok(Requested::Stored)
}

/// A new link for the pending change (the old one stops working). `false` when nothing is
/// pending.
pub async fn resend(
    db: &Db,
    user_id: &str,
    token_digest: &str,
    mail: impl FnOnce(&str) -> OutgoingMail,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let Some(row) = sqlx::query(
        "SELECT token_digest, new_email FROM email_changes \
         WHERE user_id = $1 AND closed_at IS NULL AND expires_at > $2 ORDER BY created_at DESC LIMIT 1",
    )
    .bind(user_id)
    .bind(now)
    .fetch_optional(&mut *tx)
    .await?
    else {
        return Ok(false);
    };
    let old_digest: String = row.try_get("token_digest")?;
    let new_email: String = row.try_get("new_email")?;
    sqlx::query("UPDATE email_changes SET token_digest = $1, expires_at = $2 WHERE token_digest = $3")
        .bind(token_digest)
        .bind(now + CONFIRM_LIFETIME_SECS)
        .bind(&old_digest)
        .execute(&mut *tx)
        .await?;
    mail_queue::enqueue(db, &mut tx, &mail(&new_email), now).await?;
    tx.commit().await?;
    Ok(true)
}

/// The owner withdraws the pending change. `false` when nothing was pending.
pub async fn cancel(db: &Db, user_id: &str, actor: &Actor, now: i64) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    if close_open(&mut tx, user_id, now).await? == 0 {
        return Ok(false);
    }
    events::note(
        &mut tx,
        user_id,
        EventType::CancelEmailChange,
        actor,
        json!({"by": "user"}),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

#[derive(Debug, PartialEq, Eq)]
pub enum Confirmed {
    /// The account now uses the new address.
    Applied { user_id: String },
    /// Used, expired, replaced, cancelled or never issued.
    Unusable,
    /// Another account took the address meanwhile: the change is closed, nothing else changed.
    Taken,
}

/// Whether the confirmation link (`report` false) or the old address's report link (`report`
/// true) with this digest can still be followed: a read, for the link's page.
pub async fn link_usable(db: &Db, digest: &str, report: bool, now: i64) -> Result<bool, sqlx::Error> {
    let query = if report {
        "SELECT 1 FROM email_changes WHERE cancel_digest = $1 AND reported_at IS NULL AND created_at > $2"
    } else {
        "SELECT 1 FROM email_changes WHERE token_digest = $1 AND closed_at IS NULL AND expires_at > $2"
    };
    let since = if report { now - REPORT_LIFETIME_SECS } else { now };
    let row = sqlx::query(query)
        .bind(digest)
        .bind(since)
        .fetch_optional(&db.pool)
        .await?;
    Ok(row.is_some())
}

/// Follows the link: the account's address becomes the new one, reset links sent to the old
/// address stop working, `edit_email` is recorded.
pub async fn confirm(db: &Db, token_digest: &str, actor: &Actor, now: i64) -> Result<Confirmed, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let Some(row) = sqlx::query(
        "SELECT user_id, new_email FROM email_changes \
         WHERE token_digest = $1 AND closed_at IS NULL AND expires_at > $2",
    )
    .bind(token_digest)
    .bind(now)
    .fetch_optional(&mut *tx)
    .await?
    else {
        return Ok(Confirmed::Unusable);
    };
    let user_id: String = row.try_get("user_id")?;
    let new_email: String = row.try_get("new_email")?;
    let applied = if used_by_another(&mut tx, &new_email, &user_id).await? {
        None
    } else {
        match set_email(&mut tx, &user_id, &new_email, now).await {
            Ok(()) => Some(now),
            // A sign-up on PostgreSQL can take the address between the check and the update.
            Err(e) if unique_violation_on(&e, "email") => return Ok(Confirmed::Taken),
            Err(e) => return Err(e),
        }
    };
    sqlx::query("UPDATE email_changes SET closed_at = $1, applied_at = $2 WHERE token_digest = $3")
        .bind(now)
        .bind(applied)
        .bind(token_digest)
        .execute(&mut *tx)
        .await?;
    if applied.is_none() {
        tx.commit().await?;
        return Ok(Confirmed::Taken);
    }
    end_reset_links(&mut tx, &user_id, now).await?;
    events::note(&mut tx, &user_id, EventType::EditEmail, actor, json!({})).await?;
    tx.commit().await?;
    Ok(Confirmed::Applied { user_id })
}

#[derive(Debug, PartialEq, Eq)]
pub enum Reported {
    /// The change had not been confirmed: it never will be.
    Cancelled,
    /// The change had been applied: the old address is back and every session ended.
    Reverted,
    /// Applied, but the old address cannot come back (another account uses it now): every
    /// session ended all the same.
    SignedOut,
    /// Already reported, too old, or never issued.
    Unusable,
}

/// "It was not me", from the old address.
pub async fn report(db: &Db, cancel_digest: &str, actor: &Actor, now: i64) -> Result<Reported, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let Some(row) = sqlx::query(
        "SELECT token_digest, user_id, new_email, old_email, applied_at FROM email_changes \
         WHERE cancel_digest = $1 AND reported_at IS NULL AND created_at > $2",
    )
    .bind(cancel_digest)
    .bind(now - REPORT_LIFETIME_SECS)
    .fetch_optional(&mut *tx)
    .await?
    else {
        return Ok(Reported::Unusable);
    };
    let token_digest: String = row.try_get("token_digest")?;
    let user_id: String = row.try_get("user_id")?;
    let new_email: String = row.try_get("new_email")?;
    let old_email: String = row.try_get("old_email")?;
    let applied_at: Option<i64> = row.try_get("applied_at")?;
    sqlx::query(
        "UPDATE email_changes SET closed_at = COALESCE(closed_at, $1), reported_at = $1 WHERE token_digest = $2",
    )
    .bind(now)
    .bind(&token_digest)
    .execute(&mut *tx)
    .await?;
    // Whoever asked for the change had a signed-in session or a token with the password: every
    // session and API token ends, confirmed or not.
    super::security::end_access(&mut tx, &user_id, super::security::Keep::Nothing).await?;
    let outcome = if applied_at.is_none() {
        Reported::Cancelled
    } else {
        end_reset_links(&mut tx, &user_id, now).await?;
        let current: Option<String> = sqlx::query("SELECT email FROM users WHERE id = $1")
            .bind(&user_id)
            .fetch_optional(&mut *tx)
            .await?
            .map(|r| r.try_get("email"))
            .transpose()?;
        let free = !used_by_another(&mut tx, &old_email, &user_id).await?;
        // Only the change this link announced is undone, not a later one.
        if current.as_deref() == Some(new_email.as_str()) && free && !old_email.is_empty() {
            set_email(&mut tx, &user_id, &old_email, now).await?;
            Reported::Reverted
        } else {
            Reported::SignedOut
        }
    };
    let data = json!({"by": "old address", "reverted": outcome == Reported::Reverted});
    events::note(&mut tx, &user_id, EventType::CancelEmailChange, actor, data).await?;
    tx.commit().await?;
    Ok(outcome)
}

/// Closes the account's pending change, if any: how many were open.
pub(super) async fn close_open(conn: &mut AnyConnection, user_id: &str, now: i64) -> Result<u64, sqlx::Error> {
    let closed = sqlx::query(
        "UPDATE email_changes SET closed_at = $1 WHERE user_id = $2 AND closed_at IS NULL AND expires_at > $1",
    )
    .bind(now)
    .bind(user_id)
    .execute(&mut *conn)
    .await?;
    Ok(closed.rows_affected())
}

/// True when an account other than `user_id` uses `email` (a read, for checks made before any
/// write; the request checks again inside its transaction).
pub async fn used_by_someone_else(db: &Db, email: &str, user_id: &str) -> Result<bool, sqlx::Error> {
    let mut conn = db.pool.acquire().await?;
    used_by_another(&mut conn, email, user_id).await
}

/// True when an account other than `user_id` uses `email`.
async fn used_by_another(conn: &mut AnyConnection, email: &str, user_id: &str) -> Result<bool, sqlx::Error> {
    let row = sqlx::query("SELECT 1 FROM users WHERE email = $1 AND id <> $2")
        .bind(email)
        .bind(user_id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.is_some())
}

async fn set_email(conn: &mut AnyConnection, user_id: &str, email: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET email = $1, updated_at = $2 WHERE id = $3")
        .bind(email)
        .bind(now)
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Reset links went to an address that no longer (or no longer alone) speaks for the account.
async fn end_reset_links(conn: &mut AnyConnection, user_id: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE password_resets SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL")
        .bind(now)
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
