//! SSH public keys (migration 0009). A fingerprint belongs to one account; names are unique per
//! account. Adding and removing record their event in the same transaction.

use super::events::{self, Actor, EventType};
use super::security_reports::OwnerAlert;
use super::Db;
use crate::keys::parse::ParsedKey;
use serde_json::json;
use sqlx::Row;

/// Keys one account may hold: far more than anyone's machines, few enough to list on a page.
pub const MAX_PER_USER: i64 = 100;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredKey {
    pub id: String,
    pub user_id: String,
    pub name: String,
    pub algorithm: String,
    pub bits: i64,
    pub fingerprint: String,
    pub content: String,
    pub comment: String,
    pub created_at: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum AddKeyError {
    #[error("this account already has a key with that name")]
    NameTaken,
    /// The same key is already on this account (under the name given).
    #[error("this key is already on the account")]
    AlreadyYours(String),
    /// Another account uses it: who is not said.
    #[error("the key is in use")]
    InUse,
    #[error("too many keys")]
    TooMany,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

const COLUMNS: &str = "id, user_id, name, algorithm, bits, fingerprint, content, comment, created_at";

fn from_row(row: &sqlx::any::AnyRow) -> Result<StoredKey, sqlx::Error> {
    Ok(StoredKey {
        id: row.try_get("id")?,
        user_id: row.try_get("user_id")?,
        name: row.try_get("name")?,
        algorithm: row.try_get("algorithm")?,
        bits: row.try_get("bits")?,
        fingerprint: row.try_get("fingerprint")?,
        content: row.try_get("content")?,
        comment: row.try_get("comment")?,
        created_at: row.try_get("created_at")?,
    })
}

/// Oldest first, as added.
pub async fn for_user(db: &Db, user_id: &str) -> Result<Vec<StoredKey>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM ssh_keys WHERE user_id = $1 ORDER BY created_at, name"
    ))
    .bind(user_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(from_row).collect()
}

/// One of the account's keys; another account's id is `None`, like an unknown one.
pub async fn find(db: &Db, user_id: &str, id: &str) -> Result<Option<StoredKey>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM ssh_keys WHERE id = $1 AND user_id = $2"
    ))
    .bind(id)
    .bind(user_id)
    .fetch_optional(&db.pool)
    .await?;
    row.as_ref().map(from_row).transpose()
}

pub async fn add(
    db: &Db,
    user_id: &str,
    name: &str,
    key: &ParsedKey,
    actor: &Actor,
    alert: Option<&OwnerAlert>,
    now: i64,
) -> Result<StoredKey, AddKeyError> {
    let mut tx = db.begin_write_for_user(user_id).await?;
    let holder = sqlx::query("SELECT user_id, name FROM ssh_keys WHERE fingerprint = $1")
        .bind(&key.fingerprint)
        .fetch_optional(&mut *tx)
        .await?;
    if let Some(row) = holder {
        let owner: String = row.try_get("user_id")?;
        return Err(if owner == user_id {
            AddKeyError::AlreadyYours(row.try_get("name")?)
        } else {
            AddKeyError::InUse
        });
    }
    let count: i64 = sqlx::query("SELECT COUNT(*) AS n FROM ssh_keys WHERE user_id = $1")
        .bind(user_id)
        .fetch_one(&mut *tx)
        .await?
        .try_get("n")?;
    if count >= MAX_PER_USER {
        return Err(AddKeyError::TooMany);
    }
    let stored = StoredKey {
        id: uuid::Uuid::new_v4().to_string(),
        user_id: user_id.to_string(),
        name: name.to_string(),
        algorithm: key.algorithm.to_string(),
        bits: i64::from(key.bits),
        fingerprint: key.fingerprint.clone(),
        content: key.content.clone(),
        comment: key.comment.clone(),
        created_at: now,
    };
    let inserted = sqlx::query(&format!(
        "INSERT INTO ssh_keys ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
    ))
    .bind(&stored.id)
    .bind(&stored.user_id)
    .bind(&stored.name)
    .bind(&stored.algorithm)
    .bind(stored.bits)
    .bind(&stored.fingerprint)
    .bind(&stored.content)
    .bind(&stored.comment)
    .bind(stored.created_at)
    .execute(&mut *tx)
    .await;
    match inserted {
        Ok(_) => {}
        // Two accounts adding one key at once: the unique index decides.
        Err(e) if super::unique_violation_on(&e, "fingerprint") => return Err(AddKeyError::InUse),
        Err(e) if super::unique_violation_on(&e, "name") => return Err(AddKeyError::NameTaken),
        Err(e) => return Err(e.into()),
    }
    let data = json!({ "name": stored.name, "fingerprint": stored.fingerprint });
    events::note(&mut tx, user_id, EventType::NewKey, actor, data).await?;
    if let Some(alert) = alert {
        super::security_reports::queue(db, &mut tx, user_id, alert, now).await?;
    }
    tx.commit().await?;
    Ok(stored)
}

/// The removed key, or `None` when the account has no key with that id.
pub async fn remove(db: &Db, user_id: &str, id: &str, actor: &Actor) -> Result<Option<StoredKey>, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM ssh_keys WHERE id = $1 AND user_id = $2"
    ))
    .bind(id)
    .bind(user_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(key) = row.as_ref().map(from_row).transpose()? else {
        return Ok(None);
    };
    sqlx::query("DELETE FROM ssh_keys WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let data = json!({ "name": key.name, "fingerprint": key.fingerprint });
    events::note(&mut tx, user_id, EventType::DeleteKey, actor, data).await?;
    tx.commit().await?;
    Ok(Some(key))
}
