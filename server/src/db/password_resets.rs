//! Password-reset tokens (migration 0006) and their mail, each change in one transaction.

use super::events::Actor;
use super::mail_queue::{self, OutgoingMail};
use super::users::{self, PasswordHash};
use super::Db;
use sqlx::Row;

/// Stores a new token for `user_id` and queues the mail that carries it: both or neither.
pub async fn create(
    db: &Db,
    user_id: &str,
    token_digest: &str,
    now: i64,
    lifetime_secs: i64,
    mail: &OutgoingMail,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    sqlx::query("INSERT INTO password_resets (token_digest, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(token_digest)
        .bind(user_id)
        .bind(now)
        .bind(now + lifetime_secs)
        .execute(&mut *tx)
        .await?;
    mail_queue::enqueue(db, &mut tx, mail, now).await?;
    tx.commit().await
}

/// The account a token may still reset: (user id, username, e-mail, language code).
pub struct Redeemable {
    pub user_id: String,
    pub username: String,
    pub email: String,
    pub lang: String,
}

pub async fn find_usable(db: &Db, token_digest: &str, now: i64) -> Result<Option<Redeemable>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT u.id, u.username, u.email, u.lang FROM password_resets r JOIN users u ON u.id = r.user_id \
         WHERE r.token_digest = $1 AND r.used_at IS NULL AND r.expires_at > $2",
    )
    .bind(token_digest)
    .bind(now)
    .fetch_optional(&db.pool)
    .await?;
    row.map(|row| {
        Ok(Redeemable {
            user_id: row.try_get("id")?,
            username: row.try_get("username")?,
            email: row.try_get("email")?,
            lang: row.try_get("lang")?,
        })
    })
    .transpose()
}

/// Uses the token: sets the password, ends every session and every other outstanding token,
/// records `edit_password` and queues `notice`, all at once. `false` when the token was used
/// or expired meanwhile (nothing changed).
pub async fn redeem(
    db: &Db,
    token_digest: &str,
    user_id: &str,
    hash: &PasswordHash,
    actor: &Actor,
    now: i64,
    notice: &OutgoingMail,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let used = sqlx::query(
        "UPDATE password_resets SET used_at = $1 WHERE token_digest = $2 AND user_id = $3 \
         AND used_at IS NULL AND expires_at > $1",
    )
    .bind(now)
    .bind(token_digest)
    .bind(user_id)
    .execute(&mut *tx)
    .await?;
    if used.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query("UPDATE password_resets SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL")
        .bind(now)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    users::set_password_in(&mut tx, user_id, hash, actor, serde_json::json!({"by": "reset link"})).await?;
    mail_queue::enqueue(db, &mut tx, notice, now).await?;
    tx.commit().await?;
    Ok(true)
}
