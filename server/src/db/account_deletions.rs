//! Account deletion requests from the REST API (migration 0010): a request mails a one-time
//! code, and the confirmation must bring it back within the hour.

use super::mail_queue::{self, OutgoingMail};
use super::Db;
use sqlx::Row;

pub const LIFETIME_SECS: i64 = 60 * 60;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeletionRequest {
    pub id: String,
    pub created_at: i64,
    pub expires_at: i64,
}

/// Stores the request and queues its mail in one transaction, replacing any earlier request
/// of the account (only the newest code works).
pub async fn request(
    db: &Db,
    user_id: &str,
    token_digest: &str,
    mail: &OutgoingMail,
    now: i64,
) -> Result<DeletionRequest, sqlx::Error> {
    let request = DeletionRequest {
        id: uuid::Uuid::new_v4().to_string(),
        created_at: now,
        expires_at: now + LIFETIME_SECS,
    };
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM account_deletions WHERE user_id = $1 OR expires_at <= $2")
        .bind(user_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO account_deletions (id, user_id, token_digest, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&request.id)
    .bind(user_id)
    .bind(token_digest)
    .bind(request.created_at)
    .bind(request.expires_at)
    .execute(&mut *tx)
    .await?;
    mail_queue::enqueue(db, &mut tx, mail, now).await?;
    tx.commit().await?;
    Ok(request)
}

/// The code digest of a live request of this account: `None` for an unknown, expired or
/// replaced request, or another account's.
pub async fn live_digest(db: &Db, user_id: &str, id: &str, now: i64) -> Result<Option<String>, sqlx::Error> {
    let row =
        sqlx::query("SELECT token_digest FROM account_deletions WHERE id = $1 AND user_id = $2 AND expires_at > $3")
            .bind(id)
            .bind(user_id)
            .bind(now)
            .fetch_optional(&db.pool)
            .await?;
    row.map(|r| r.try_get("token_digest")).transpose()
}
