//! The Authentication tab's account-wide changes, each in one transaction with its event and
//! its notice mail: a new password, and deleting the account.

use super::events::{self, Actor, EventType};
use super::mail_queue::{self, OutgoingMail};
use super::users::PasswordHash;
use super::{apps, Db};
use serde_json::json;
use sqlx::AnyConnection;

/// What `end_access` leaves running.
#[derive(Clone, Copy, Debug)]
pub enum Keep<'a> {
    /// The session that made the change (a password change from the tab), and the API tokens.
    Session(&'a str),
    /// Nothing: the account may be in someone else's hands (a password reset, "it was not me").
    Nothing,
}

/// What `end_access` ended, for the event that records it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Ended {
    pub sessions: u64,
    pub tokens: u64,
    /// A pending e-mail change, closed (0 or 1).
    pub email_changes: u64,
    pub passkeys: u64,
}

/// Ends, inside the caller's transaction, the ways into the account a password or a session
/// opened: sessions (all, or all but one), sign-ins waiting for their code and known browsers.
/// With `Keep::Nothing` also every API token (and so every bearer minted from one), and what
/// someone in a session may have started to keep the account later: a pending e-mail change
/// and a second factor waiting for its first code, and every passkey (one added by an intruder
/// would otherwise outlive the reset; the owner adds theirs again).
pub async fn end_access(conn: &mut AnyConnection, user_id: &str, keep: Keep<'_>) -> Result<Ended, sqlx::Error> {
    let sessions = match keep {
        Keep::Session(digest) => super::sessions::revoke_others(conn, user_id, digest).await?,
        Keep::Nothing => super::sessions::revoke_all(conn, user_id).await?,
    };
    sqlx::query("DELETE FROM sign_in_challenges WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    super::devices::forget_all(conn, user_id).await?;
    if let Keep::Session(_) = keep {
        return Ok(Ended {
            sessions,
            ..Ended::default()
        });
    }
    let tokens = sqlx::query("DELETE FROM api_tokens WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    let email_changes = super::email_changes::close_open(conn, user_id, super::now()).await?;
    sqlx::query("DELETE FROM totp_secrets WHERE user_id = $1 AND enabled_at IS NULL")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    let passkeys = sqlx::query("DELETE FROM passkeys WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    sqlx::query("DELETE FROM passkey_ceremonies WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    Ok(Ended {
        sessions,
        tokens,
        email_changes,
        passkeys,
    })
}

/// The new password; every other session, outstanding reset link, pending second-factor
/// sign-in and known browser ended; `edit_password` recorded; `notice` queued. API tokens
/// stay: the account holder changed their own password from a signed-in session.
pub async fn change_password(
    db: &Db,
    user_id: &str,
    keep_session: &str,
    hash: &PasswordHash,
    actor: &Actor,
    notice: &OutgoingMail,
    now: i64,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
        .bind(&hash.0)
        .bind(now)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    end_access(&mut tx, user_id, Keep::Session(keep_session)).await?;
    sqlx::query("UPDATE password_resets SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL")
        .bind(now)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    events::note(&mut tx, user_id, EventType::EditPassword, actor, json!({"by": "user"})).await?;
    mail_queue::enqueue(db, &mut tx, notice, now).await?;
    tx.commit().await
}

#[derive(Debug, PartialEq, Eq)]
pub enum Deletion {
    Deleted,
    /// Refused: the names of the applications the account owns.
    OwnsApps(Vec<String>),
}

/// Longest reason kept: a sentence or two, not a document.
pub const MAX_REASON_CHARS: usize = 1000;

/// Deletes the account row, and with it (by cascade) its sessions, second factor, recovery
/// codes, reset and e-mail links and document acceptances. The events stay: the table is
/// append-only and outlives accounts. Refused while the account owns applications.
pub async fn delete_account(
    db: &Db,
    user_id: &str,
    actor: &Actor,
    reason: &str,
    goodbye: &OutgoingMail,
    now: i64,
) -> Result<Deletion, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let owned = apps::owned_by(&mut tx, user_id).await?;
    if !owned.is_empty() {
        return Ok(Deletion::OwnsApps(owned.into_iter().map(|a| a.name).collect()));
    }
    let reason: String = reason.trim().chars().take(MAX_REASON_CHARS).collect();
    let data = if reason.is_empty() {
        json!({})
    } else {
        json!({ "reason": reason })
    };
    events::note(&mut tx, user_id, EventType::DeleteAccount, actor, data).await?;
    sqlx::query("DELETE FROM users WHERE id = $1")
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    mail_queue::enqueue(db, &mut tx, goodbye, now).await?;
    tx.commit().await?;
    Ok(Deletion::Deleted)
}
