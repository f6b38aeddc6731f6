//! The browsers an account knows (migration 0011): the nonces of its device cookies, as
//! digests. A signed cookie whose nonce is not listed here counts for nothing, so a password
//! change or reset (which forgets them all) ends every cookie handed out before it.

use super::Db;
use sha2::{Digest, Sha256};
use sqlx::AnyConnection;

/// Browsers kept per account: the most recently used ones.
pub const MAX_PER_ACCOUNT: i64 = 10;

fn digest(nonce: &str) -> String {
    hex::encode(Sha256::digest(nonce.as_bytes()))
}

/// Lists a new nonce for the account, forgetting its least recently used ones beyond the cap.
pub async fn remember(db: &Db, user_id: &str, nonce: &str, now: i64) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    sqlx::query("INSERT INTO device_nonces (nonce_digest, user_id, created_at, last_used_at) VALUES ($1, $2, $3, $3)")
        .bind(digest(nonce))
        .bind(user_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    // Everything but the newest MAX_PER_ACCOUNT (ties broken by digest, so the statement is
    // deterministic on both backends).
    sqlx::query(
        "DELETE FROM device_nonces WHERE user_id = $1 AND nonce_digest NOT IN (\
           SELECT nonce_digest FROM device_nonces WHERE user_id = $1 \
           ORDER BY last_used_at DESC, created_at DESC, nonce_digest LIMIT $2)",
    )
    .bind(user_id)
    .bind(MAX_PER_ACCOUNT)
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

/// True when the nonce is one of the account's known browsers; marks it used.
pub async fn recognise(db: &Db, user_id: &str, nonce: &str, now: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE device_nonces SET last_used_at = $1 WHERE nonce_digest = $2 AND user_id = $3")
        .bind(now)
        .bind(digest(nonce))
        .bind(user_id)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Forgets every browser of the account, inside the caller's transaction.
pub async fn forget_all(conn: &mut AnyConnection, user_id: &str) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM device_nonces WHERE user_id = $1")
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}
