//! Server-side sessions. The browser holds a random id; the table holds its SHA-256 digest.

use super::account::{self, Account};
use super::Db;
use sqlx::Row;

/// How long a session lives: idle (since the last request) and absolute (since sign-in).
#[derive(Clone, Copy, Debug)]
pub struct Lifetimes {
    pub idle_secs: i64,
    pub absolute_secs: i64,
}

impl Default for Lifetimes {
    fn default() -> Self {
        // A week idle, thirty days at most: documented in the README.
        Lifetimes {
            idle_secs: 7 * 24 * 3600,
            absolute_secs: 30 * 24 * 3600,
        }
    }
}

/// Refreshing `last_seen_at` on every request would turn every page view into a write.
const TOUCH_EVERY_SECS: i64 = 60;

pub struct NewSession<'a> {
    pub id_digest: &'a str,
    pub user_id: &'a str,
    pub ip: &'a str,
    pub user_agent: &'a str,
}

/// Live sessions one account may hold. Beyond it, a new sign-in ends the least recently used
/// session: a script signing in in a loop cannot fill the table, and nobody has 50 browsers.
pub const MAX_PER_USER: i64 = 50;

pub async fn create(db: &Db, new: NewSession<'_>, lifetimes: Lifetimes, now: i64) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    sqlx::query(
        // Signing in proves the password (and second factor): the re-authentication window
        // opens with the session.
        "INSERT INTO sessions (id_digest, user_id, created_at, last_seen_at, expires_at, ip, user_agent, reauth_at) \
         VALUES ($1, $2, $3, $3, $4, $5, $6, $3)",
    )
    .bind(new.id_digest)
    .bind(new.user_id)
    .bind(now)
    .bind(now + lifetimes.absolute_secs)
    .bind(new.ip)
    .bind(new.user_agent)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "DELETE FROM sessions WHERE user_id = $1 AND id_digest NOT IN \
           (SELECT id_digest FROM sessions WHERE user_id = $1 \
            ORDER BY CASE WHEN id_digest = $3 THEN 1 ELSE 0 END DESC, last_seen_at DESC, created_at DESC \
            LIMIT $2)",
    )
    .bind(new.user_id)
    .bind(MAX_PER_USER)
    .bind(new.id_digest)
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

/// The account of a live session, refreshing its idle clock. Expired sessions are deleted here.
/// One query finds the session and the whole account row: this runs on every signed-in
/// request, and pages showing the profile need no second query.
pub async fn authenticate(
    db: &Db,
    id_digest: &str,
    lifetimes: Lifetimes,
    now: i64,
) -> Result<Option<Account>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT s.last_seen_at, s.expires_at, u.id, u.username, u.email, u.password_hash, u.created_at, \
                u.theme, u.lang, u.time_zone, u.fullname, u.location, u.company, u.bio, u.newsletter, \
                u.newsletter_changed_at, h.reviewed_at AS hds_reviewed_at, u.revision + c.revision AS revision \
         FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN hds_contacts h ON h.user_id = u.id \
              CROSS JOIN content_revision c \
         WHERE s.id_digest = $1",
    )
    .bind(id_digest)
    .fetch_optional(&db.pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let last_seen_at: i64 = row.try_get("last_seen_at")?;
    let expires_at: i64 = row.try_get("expires_at")?;
    if now >= expires_at || now >= last_seen_at + lifetimes.idle_secs {
        revoke(db, id_digest).await?;
        return Ok(None);
    }
    if now - last_seen_at >= TOUCH_EVERY_SECS {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id_digest = $2")
            .bind(now)
            .bind(id_digest)
            .execute(&db.pool)
            .await?;
    }
    account::account_from_row(&row).map(Some)
}

pub async fn revoke(db: &Db, id_digest: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE id_digest = $1")
        .bind(id_digest)
        .execute(&db.pool)
        .await?;
    Ok(())
}

pub async fn count_for_user(db: &Db, user_id: &str) -> Result<i64, sqlx::Error> {
    sqlx::query("SELECT COUNT(*) AS n FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .fetch_one(&db.pool)
        .await?
        .try_get("n")
}

/// Deletes sessions past their idle or absolute lifetime that nobody presented again.
pub async fn purge_expired(db: &Db, lifetimes: Lifetimes, now: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2")
        .bind(now)
        .bind(now - lifetimes.idle_secs)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected())
}

/// One live session, as the Authentication tab lists it.
#[derive(Clone, Debug)]
pub struct StoredSession {
    pub id_digest: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub ip: String,
    pub user_agent: String,
}

/// The account's live sessions, most recently active first.
pub async fn for_user(
    db: &Db,
    user_id: &str,
    lifetimes: Lifetimes,
    now: i64,
) -> Result<Vec<StoredSession>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id_digest, created_at, last_seen_at, ip, user_agent FROM sessions \
         WHERE user_id = $1 AND expires_at > $2 AND last_seen_at > $3 \
         ORDER BY last_seen_at DESC, created_at DESC",
    )
    .bind(user_id)
    .bind(now)
    .bind(now - lifetimes.idle_secs)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(StoredSession {
                id_digest: row.try_get("id_digest")?,
                created_at: row.try_get("created_at")?,
                last_seen_at: row.try_get("last_seen_at")?,
                ip: row.try_get("ip")?,
                user_agent: row.try_get("user_agent")?,
            })
        })
        .collect()
}

/// When this session last proved its password, if ever.
pub async fn reauthenticated_at(db: &Db, id_digest: &str) -> Result<Option<i64>, sqlx::Error> {
    Ok(sqlx::query("SELECT reauth_at FROM sessions WHERE id_digest = $1")
        .bind(id_digest)
        .fetch_optional(&db.pool)
        .await?
        .map(|row| row.try_get::<Option<i64>, _>("reauth_at"))
        .transpose()?
        .flatten())
}

/// Re-authentication: the session gets a new id (no fixation) and its window opens now.
/// `false` if the session is gone.
pub async fn reauthenticate(db: &Db, old_digest: &str, new_digest: &str, now: i64) -> Result<bool, sqlx::Error> {
    let done =
        sqlx::query("UPDATE sessions SET id_digest = $1, reauth_at = $2, last_seen_at = $2 WHERE id_digest = $3")
            .bind(new_digest)
            .bind(now)
            .bind(old_digest)
            .execute(&db.pool)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// Ends one of the account's sessions: `false` if it is not one of theirs (or already gone).
pub async fn revoke_for_user(
    conn: &mut sqlx::AnyConnection,
    user_id: &str,
    id_digest: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id_digest = $2")
        .bind(user_id)
        .bind(id_digest)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Ends every session of the account but `keep`: how many ended.
pub async fn revoke_others(conn: &mut sqlx::AnyConnection, user_id: &str, keep: &str) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id_digest <> $2")
        .bind(user_id)
        .bind(keep)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}

/// Ends every session of the account: how many ended.
pub async fn revoke_all(conn: &mut sqlx::AnyConnection, user_id: &str) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}
