//! Passkeys and the ceremonies waiting for a browser's answer (migration 0015). Adding and
//! removing record their event in the same transaction.

use super::events::{self, Actor, EventType};
use super::security_reports::OwnerAlert;
use super::Db;
use crate::auth::session_token::digest;
use serde_json::json;
use sqlx::Row;

/// Passkeys one account may hold.
pub const MAX_PER_USER: i64 = 20;

#[derive(Clone, Debug)]
pub struct StoredPasskey {
    pub id: String,
    pub user_id: String,
    pub name: String,
    /// base64url, as the browser reports it.
    pub credential_id: String,
    /// webauthn-rs's `Passkey`, JSON.
    pub credential: String,
    /// `synced`, `security_key`, `device` or "" (unknown).
    pub kind: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

const COLUMNS: &str = "id, user_id, name, credential_id, credential, kind, created_at, last_used_at";

fn from_row(row: &sqlx::any::AnyRow) -> Result<StoredPasskey, sqlx::Error> {
    Ok(StoredPasskey {
        id: row.try_get("id")?,
        user_id: row.try_get("user_id")?,
        name: row.try_get("name")?,
        credential_id: row.try_get("credential_id")?,
        credential: row.try_get("credential")?,
        kind: row.try_get("kind")?,
        created_at: row.try_get("created_at")?,
        last_used_at: row.try_get("last_used_at")?,
    })
}

fn event_data(passkey: &StoredPasskey) -> serde_json::Value {
    json!({ "name": passkey.name, "passkey_id": passkey.id, "kind": passkey.kind })
}

/// Oldest first: the order they were added.
pub async fn for_user(db: &Db, user_id: &str) -> Result<Vec<StoredPasskey>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM passkeys WHERE user_id = $1 ORDER BY created_at, id"
    ))
    .bind(user_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(from_row).collect()
}

pub async fn has_any(db: &Db, user_id: &str) -> Result<bool, sqlx::Error> {
    let row = sqlx::query("SELECT 1 AS one FROM passkeys WHERE user_id = $1 LIMIT 1")
        .bind(user_id)
        .fetch_optional(&db.pool)
        .await?;
    Ok(row.is_some())
}

pub async fn by_credential_id(db: &Db, credential_id: &str) -> Result<Option<StoredPasskey>, sqlx::Error> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM passkeys WHERE credential_id = $1"))
        .bind(credential_id)
        .fetch_optional(&db.pool)
        .await?;
    row.as_ref().map(from_row).transpose()
}

#[derive(Debug, thiserror::Error)]
pub enum AddPasskeyError {
    #[error("too many passkeys")]
    TooMany,
    /// This credential is already registered (on this account or another).
    #[error("already registered")]
    Duplicate,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// What a new passkey is, as the ceremony produced it.
pub struct NewPasskey<'a> {
    pub name: &'a str,
    pub credential_id: &'a str,
    pub credential: &'a str,
    pub kind: &'a str,
}

pub async fn add(
    db: &Db,
    user_id: &str,
    new: NewPasskey<'_>,
    actor: &Actor,
    alert: Option<&OwnerAlert>,
    now: i64,
) -> Result<StoredPasskey, AddPasskeyError> {
    let passkey = StoredPasskey {
        id: uuid::Uuid::new_v4().to_string(),
        user_id: user_id.to_string(),
        name: new.name.to_string(),
        credential_id: new.credential_id.to_string(),
        credential: new.credential.to_string(),
        kind: new.kind.to_string(),
        created_at: now,
        last_used_at: None,
    };
    let mut tx = db.begin_write_for_user(user_id).await?;
    let count: i64 = sqlx::query("SELECT COUNT(*) AS n FROM passkeys WHERE user_id = $1")
        .bind(user_id)
        .fetch_one(&mut *tx)
        .await?
        .try_get("n")?;
    if count >= MAX_PER_USER {
        return Err(AddPasskeyError::TooMany);
    }
    let inserted = sqlx::query(&format!(
        "INSERT INTO passkeys ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
    ))
    .bind(&passkey.id)
    .bind(&passkey.user_id)
    .bind(&passkey.name)
    .bind(&passkey.credential_id)
    .bind(&passkey.credential)
    .bind(&passkey.kind)
    .bind(passkey.created_at)
    .bind(passkey.last_used_at)
    .execute(&mut *tx)
    .await;
    match inserted {
        Ok(_) => {}
        Err(e) if super::unique_violation_on(&e, "credential_id") => return Err(AddPasskeyError::Duplicate),
        Err(e) => return Err(e.into()),
    }
    events::note(&mut tx, user_id, EventType::NewPasskey, actor, event_data(&passkey)).await?;
    if let Some(alert) = alert {
        super::security_reports::queue(db, &mut tx, user_id, alert, now).await?;
    }
    tx.commit().await?;
    Ok(passkey)
}

/// `false` when the account has no passkey with that id.
pub async fn rename(db: &Db, user_id: &str, id: &str, name: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE passkeys SET name = $1 WHERE id = $2 AND user_id = $3")
        .bind(name)
        .bind(id)
        .bind(user_id)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The removed passkey, or `None` when the account has none with that id.
pub async fn remove(db: &Db, user_id: &str, id: &str, actor: &Actor) -> Result<Option<StoredPasskey>, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM passkeys WHERE id = $1 AND user_id = $2"
    ))
    .bind(id)
    .bind(user_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(passkey) = row.as_ref().map(from_row).transpose()? else {
        return Ok(None);
    };
    sqlx::query("DELETE FROM passkeys WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    events::note(&mut tx, user_id, EventType::DeletePasskey, actor, event_data(&passkey)).await?;
    tx.commit().await?;
    Ok(Some(passkey))
}

/// After a sign-in: the credential with its new counter, and when it was used.
pub async fn record_use(db: &Db, id: &str, credential: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE passkeys SET credential = $1, last_used_at = $2 WHERE id = $3")
        .bind(credential)
        .bind(now)
        .bind(id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Whether a sign-in challenge's answer was already taken (a read: asking writes nothing).
pub async fn was_used(db: &Db, ceremony_id: &str) -> Result<bool, sqlx::Error> {
    let row = sqlx::query("SELECT 1 AS one FROM passkey_ceremonies WHERE id_digest = $1")
        .bind(digest(ceremony_id))
        .fetch_optional(&db.pool)
        .await?;
    Ok(row.is_some())
}

/// A sign-in challenge (which lives in a sealed cookie, not here) whose answer was just
/// checked: recorded until it would have expired anyway. `false` when it already was (a
/// replay, or a second tab): the unique key decides between two at once.
pub async fn mark_used(db: &Db, ceremony_id: &str, expires_at: i64, now: i64) -> Result<bool, sqlx::Error> {
    sqlx::query("DELETE FROM passkey_ceremonies WHERE expires_at <= $1")
        .bind(now)
        .execute(&db.pool)
        .await?;
    let inserted = sqlx::query(
        "INSERT INTO passkey_ceremonies (id_digest, user_id, purpose, state, expires_at) \
         VALUES ($1, NULL, 'sign_in_used', '', $2) ON CONFLICT (id_digest) DO NOTHING",
    )
    .bind(digest(ceremony_id))
    .bind(expires_at)
    .execute(&db.pool)
    .await?;
    Ok(inserted.rows_affected() == 1)
}

/// A ceremony waiting for the browser: `ceremony_id` is what the browser holds (only its
/// digest is stored). Expired ones are swept on the way.
pub async fn begin_ceremony(
    db: &Db,
    ceremony_id: &str,
    user_id: Option<&str>,
    purpose: &str,
    state: &str,
    expires_at: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM passkey_ceremonies WHERE expires_at <= $1")
        .bind(now)
        .execute(&db.pool)
        .await?;
    sqlx::query(
        "INSERT INTO passkey_ceremonies (id_digest, user_id, purpose, state, expires_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(digest(ceremony_id))
    .bind(user_id)
    .bind(purpose)
    .bind(state)
    .bind(expires_at)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// A ceremony's account and state, taken: a second answer to the same ceremony finds nothing.
/// `None` when unknown, for another purpose, or expired.
pub async fn take_ceremony(
    db: &Db,
    ceremony_id: &str,
    purpose: &str,
    now: i64,
) -> Result<Option<(Option<String>, String)>, sqlx::Error> {
    let row = sqlx::query(
        "DELETE FROM passkey_ceremonies WHERE id_digest = $1 AND purpose = $2 RETURNING user_id, state, expires_at",
    )
    .bind(digest(ceremony_id))
    .bind(purpose)
    .fetch_optional(&db.pool)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let expires_at: i64 = row.try_get("expires_at")?;
    if expires_at <= now {
        return Ok(None);
    }
    Ok(Some((row.try_get("user_id")?, row.try_get("state")?)))
}
