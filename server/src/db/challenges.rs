//! Sign-ins waiting for their second factor (migration 0007). A challenge grants nothing: it
//! only lets its browser answer the code question for a few minutes.

use super::Db;
use sqlx::Row;

pub const LIFETIME_SECS: i64 = 5 * 60;

pub async fn create(db: &Db, token_digest: &str, user_id: &str, now: i64) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    // Stale challenges are dropped as new ones come.
    sqlx::query("DELETE FROM sign_in_challenges WHERE expires_at <= $1")
        .bind(now)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO sign_in_challenges (token_digest, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(token_digest)
    .bind(user_id)
    .bind(now)
    .bind(now + LIFETIME_SECS)
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

/// The account a live challenge belongs to.
pub async fn find(db: &Db, token_digest: &str, now: i64) -> Result<Option<String>, sqlx::Error> {
    sqlx::query("SELECT user_id FROM sign_in_challenges WHERE token_digest = $1 AND expires_at > $2")
        .bind(token_digest)
        .bind(now)
        .fetch_optional(&db.pool)
        .await?
        .map(|row| row.try_get("user_id"))
        .transpose()
}

/// Ends a challenge; `false` if it was already gone (answered in another tab meanwhile).
pub async fn finish(db: &Db, token_digest: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM sign_in_challenges WHERE token_digest = $1")
        .bind(token_digest)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected() == 1)
}
