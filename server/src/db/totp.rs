//! The second factor's store (migration 0007): the sealed TOTP secret, its last accepted time
//! step, and the recovery codes' digests.

use super::events::{self, Actor, EventType};
use super::security_reports::OwnerAlert;
use super::Db;
use serde_json::json;
use sqlx::Row;

#[derive(Clone, Debug)]
pub struct StoredTotp {
    pub sealed_secret: String,
    /// `None` while enrolment waits for its first code.
    pub enabled_at: Option<i64>,
    pub last_step: i64,
}

pub async fn get(db: &Db, user_id: &str) -> Result<Option<StoredTotp>, sqlx::Error> {
    let row = sqlx::query("SELECT sealed_secret, enabled_at, last_step FROM totp_secrets WHERE user_id = $1")
        .bind(user_id)
        .fetch_optional(&db.pool)
        .await?;
    row.map(|row| {
        Ok(StoredTotp {
            sealed_secret: row.try_get("sealed_secret")?,
            enabled_at: row.try_get("enabled_at")?,
            last_step: row.try_get("last_step")?,
        })
    })
    .transpose()
}

/// Starts enrolment with a new secret, replacing an unconfirmed one. `false` when a second
/// factor is already on (nothing changed).
pub async fn start(db: &Db, user_id: &str, sealed_secret: &str, now: i64) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM totp_secrets WHERE user_id = $1 AND enabled_at IS NULL")
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    let enabled: Option<i64> = sqlx::query("SELECT enabled_at FROM totp_secrets WHERE user_id = $1")
        .bind(user_id)
        .fetch_optional(&mut *tx)
        .await?
        .map(|row| row.try_get("enabled_at"))
        .transpose()?
        .flatten();
    if enabled.is_some() {
        return Ok(false);
    }
    sqlx::query("INSERT INTO totp_secrets (user_id, sealed_secret, created_at) VALUES ($1, $2, $3)")
        .bind(user_id)
        .bind(sealed_secret)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(true)
}

async fn insert_codes(conn: &mut sqlx::AnyConnection, user_id: &str, digests: &[String]) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    for digest in digests {
        sqlx::query("INSERT INTO recovery_codes (user_id, code_digest) VALUES ($1, $2)")
            .bind(user_id)
            .bind(digest)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Confirms enrolment with the first code's time step: the factor is on, its recovery codes
/// stored and `tfa_enabled` recorded, together. `false` if enrolment was not pending.
pub async fn enable(
    db: &Db,
    user_id: &str,
    step: i64,
    code_digests: &[String],
    actor: &Actor,
    alert: Option<&OwnerAlert>,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let done = sqlx::query(
        "UPDATE totp_secrets SET enabled_at = $1, last_step = $2 \
         WHERE user_id = $3 AND enabled_at IS NULL AND last_step < $2",
    )
    .bind(now)
    .bind(step)
    .bind(user_id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    insert_codes(&mut tx, user_id, code_digests).await?;
    events::note(
        &mut tx,
        user_id,
        EventType::TfaEnabled,
        actor,
        json!({"provider": "totp"}),
    )
    .await?;
    if let Some(alert) = alert {
        super::security_reports::queue(db, &mut tx, user_id, alert, now).await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// Accepts a code's time step once: `false` when this step (or a later one) was used already.
pub async fn accept_step(db: &Db, user_id: &str, step: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE totp_secrets SET last_step = $1 WHERE user_id = $2 AND enabled_at IS NOT NULL AND last_step < $1",
    )
    .bind(step)
    .bind(user_id)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Uses one recovery code: `false` when it is unknown or was used.
pub async fn use_recovery_code(db: &Db, user_id: &str, digest: &str, now: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE recovery_codes SET used_at = $1 WHERE user_id = $2 AND code_digest = $3 AND used_at IS NULL",
    )
    .bind(now)
    .bind(user_id)
    .bind(digest)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn codes_left(db: &Db, user_id: &str) -> Result<i64, sqlx::Error> {
    sqlx::query("SELECT COUNT(*) AS n FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL")
        .bind(user_id)
        .fetch_one(&db.pool)
        .await?
        .try_get("n")
}

/// New recovery codes replace all the old ones.
pub async fn replace_recovery_codes(
    db: &Db,
    user_id: &str,
    digests: &[String],
    actor: &Actor,
    alert: Option<&OwnerAlert>,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    insert_codes(&mut tx, user_id, digests).await?;
    events::note(&mut tx, user_id, EventType::RegenerateRecoveryCodes, actor, json!({})).await?;
    if let Some(alert) = alert {
        super::security_reports::queue(db, &mut tx, user_id, alert, super::now()).await?;
    }
    tx.commit().await
}

/// Turns the second factor off: secret and codes gone, `tfa_disabled` recorded.
pub async fn disable(db: &Db, user_id: &str, actor: &Actor, alert: Option<&OwnerAlert>) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    for table in ["totp_secrets", "recovery_codes", "sign_in_challenges"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE user_id = $1"))
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
    }
    events::note(&mut tx, user_id, EventType::TfaDisabled, actor, json!({})).await?;
    if let Some(alert) = alert {
        super::security_reports::queue(db, &mut tx, user_id, alert, super::now()).await?;
    }
    tx.commit().await
}

/// Whether sign-in asks this account for a second factor.
pub async fn is_enabled(db: &Db, user_id: &str) -> Result<bool, sqlx::Error> {
    Ok(get(db, user_id).await?.is_some_and(|t| t.enabled_at.is_some()))
}
