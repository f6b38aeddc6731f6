//! API tokens (migration 0009): `tk-us-` and 192 random bits, stored as a SHA-256 digest with a
//! unique index, so checking one is a single indexed lookup. Creating, renewing and revoking
//! record their event in the same transaction.

use super::events::{self, Actor, EventType};
use super::security_reports::OwnerAlert;
use super::Db;
use crate::auth::session_token::digest;
use app::model::TokenScopes;
use rand::RngCore;
use serde_json::json;
use sqlx::Row;

pub const PREFIX: &str = "tk-us-";
/// Tokens one account may hold.
pub const MAX_PER_USER: i64 = 100;
/// `last_used_at` is written at most this often per token: not one write per API call.
const TOUCH_EVERY_SECS: i64 = 60;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredToken {
    pub id: String,
    pub user_id: String,
    pub name: String,
    /// SHA-256 of the secret, hex.
    pub digest: String,
    /// The secret's last four characters.
    pub hint: String,
    pub created_at: i64,
    pub issued_at: i64,
    pub expires_at: Option<i64>,
    pub last_used_at: Option<i64>,
    /// Empty: full access.
    pub scopes: TokenScopes,
}

impl StoredToken {
    pub fn is_expired(&self, now: i64) -> bool {
        self.expires_at.is_some_and(|at| at <= now)
    }
}

/// A new secret and its digest.
pub fn generate() -> (String, String) {
    let mut bytes = [0u8; 24];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let secret = format!("{PREFIX}{}", hex::encode(bytes));
    let digest = digest(&secret);
    (secret, digest)
}

fn hint(secret: &str) -> String {
    secret
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect()
}

const COLUMNS: &str = "id, user_id, name, digest, hint, created_at, issued_at, expires_at, last_used_at, scopes";

fn from_row(row: &sqlx::any::AnyRow) -> Result<StoredToken, sqlx::Error> {
    Ok(StoredToken {
        id: row.try_get("id")?,
        user_id: row.try_get("user_id")?,
        name: row.try_get("name")?,
        digest: row.try_get("digest")?,
        hint: row.try_get("hint")?,
        created_at: row.try_get("created_at")?,
        issued_at: row.try_get("issued_at")?,
        expires_at: row.try_get("expires_at")?,
        last_used_at: row.try_get("last_used_at")?,
        scopes: TokenScopes::from_joined(&row.try_get::<String, _>("scopes")?),
    })
}

#[derive(Debug, thiserror::Error)]
pub enum CreateTokenError {
    #[error("too many tokens")]
    TooMany,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// A limited token's scopes go with its events, so the Timeline can say what it may do.
fn event_data(token: &StoredToken) -> serde_json::Value {
    let mut data = json!({ "token_name": token.name, "token_id": token.id });
    if !token.scopes.is_full() {
        data["scopes"] = json!(token.scopes.names());
    }
    data
}

/// Newest first.
pub async fn for_user(db: &Db, user_id: &str) -> Result<Vec<StoredToken>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC, id"
    ))
    .bind(user_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(from_row).collect()
}

/// One of the account's tokens; another account's id is `None`, like an unknown one.
pub async fn find(db: &Db, user_id: &str, id: &str) -> Result<Option<StoredToken>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM api_tokens WHERE id = $1 AND user_id = $2"
    ))
    .bind(id)
    .bind(user_id)
    .fetch_optional(&db.pool)
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// What a new token is: its name, when it ends, what it may do.
pub struct NewToken<'a> {
    pub name: &'a str,
    pub expires_at: Option<i64>,
    pub scopes: TokenScopes,
}

impl<'a> NewToken<'a> {
    /// Full access, never expiring.
    pub fn named(name: &'a str) -> NewToken<'a> {
        NewToken {
            name,
            expires_at: None,
            scopes: TokenScopes::full(),
        }
    }
}

/// The new token and its secret, which is never stored.
pub async fn create(
    db: &Db,
    user_id: &str,
    new: NewToken<'_>,
    actor: &Actor,
    alert: Option<&OwnerAlert>,
    now: i64,
) -> Result<(StoredToken, String), CreateTokenError> {
    let (secret, digest) = generate();
    let token = StoredToken {
        id: uuid::Uuid::new_v4().to_string(),
        user_id: user_id.to_string(),
        name: new.name.to_string(),
        digest,
        hint: hint(&secret),
        created_at: now,
        issued_at: now,
        expires_at: new.expires_at,
        last_used_at: None,
        scopes: new.scopes,
    };
    let mut tx = db.begin_write_for_user(user_id).await?;
    let count: i64 = sqlx::query("SELECT COUNT(*) AS n FROM api_tokens WHERE user_id = $1")
        .bind(user_id)
        .fetch_one(&mut *tx)
        .await?
        .try_get("n")?;
    if count >= MAX_PER_USER {
        return Err(CreateTokenError::TooMany);
    }
    sqlx::query(&format!(
        "INSERT INTO api_tokens ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
    ))
    .bind(&token.id)
    .bind(&token.user_id)
    .bind(&token.name)
    .bind(&token.digest)
    .bind(&token.hint)
    .bind(token.created_at)
    .bind(token.issued_at)
    .bind(token.expires_at)
    .bind(token.last_used_at)
    .bind(token.scopes.joined())
    .execute(&mut *tx)
    .await?;
    events::note(&mut tx, user_id, EventType::NewToken, actor, event_data(&token)).await?;
    if let Some(alert) = alert {
        super::security_reports::queue(db, &mut tx, user_id, alert, now).await?;
    }
    tx.commit().await?;
    Ok((token, secret))
}

/// A new secret under the same id and name; the old one (and every bearer token minted from
/// it) stops working at once. `None` when the account has no token with that id.
pub async fn renew(
    db: &Db,
    user_id: &str,
    id: &str,
    actor: &Actor,
    alert: Option<&OwnerAlert>,
    now: i64,
) -> Result<Option<(StoredToken, String)>, sqlx::Error> {
    let (secret, digest) = generate();
    let mut tx = db.begin_write().await?;
    let done =
        sqlx::query("UPDATE api_tokens SET digest = $1, hint = $2, issued_at = $3 WHERE id = $4 AND user_id = $5")
            .bind(&digest)
            .bind(hint(&secret))
            .bind(now)
            .bind(id)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
    if done.rows_affected() != 1 {
        return Ok(None);
    }
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM api_tokens WHERE id = $1"))
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    let token = from_row(&row)?;
    events::note(&mut tx, user_id, EventType::RegenerateToken, actor, event_data(&token)).await?;
    if let Some(alert) = alert {
        super::security_reports::queue(db, &mut tx, user_id, alert, now).await?;
    }
    tx.commit().await?;
    Ok(Some((token, secret)))
}

/// The revoked token, or `None` when the account has no token with that id.
pub async fn revoke(db: &Db, user_id: &str, id: &str, actor: &Actor) -> Result<Option<StoredToken>, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM api_tokens WHERE id = $1 AND user_id = $2"
    ))
    .bind(id)
    .bind(user_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(token) = row.as_ref().map(from_row).transpose()? else {
        return Ok(None);
    };
    sqlx::query("DELETE FROM api_tokens WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    events::note(&mut tx, user_id, EventType::DeleteToken, actor, event_data(&token)).await?;
    tx.commit().await?;
    Ok(Some(token))
}

/// The live token whose secret this is (one indexed lookup on the digest), marked used.
pub async fn by_secret(db: &Db, secret: &str, now: i64) -> Result<Option<StoredToken>, sqlx::Error> {
    if !secret.starts_with(PREFIX) {
        return Ok(None);
    }
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM api_tokens WHERE digest = $1"))
        .bind(digest(secret))
        .fetch_optional(&db.pool)
        .await?;
    let token = row.as_ref().map(from_row).transpose()?;
    live_and_touched(db, token, now).await
}

/// The live token behind a bearer token, marked used.
pub async fn by_id(db: &Db, id: &str, now: i64) -> Result<Option<StoredToken>, sqlx::Error> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM api_tokens WHERE id = $1"))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    let token = row.as_ref().map(from_row).transpose()?;
    live_and_touched(db, token, now).await
}

async fn live_and_touched(db: &Db, token: Option<StoredToken>, now: i64) -> Result<Option<StoredToken>, sqlx::Error> {
    let Some(mut token) = token.filter(|t| !t.is_expired(now)) else {
        return Ok(None);
    };
    if token.last_used_at.is_none_or(|at| at <= now - TOUCH_EVERY_SECS) {
        sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
            .bind(now)
            .bind(&token.id)
            .execute(&db.pool)
            .await?;
        token.last_used_at = Some(now);
    }
    Ok(Some(token))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_carry_the_prefix_and_192_bits() {
        let (secret, digest_hex) = generate();
        assert!(secret.starts_with(PREFIX));
        assert_eq!(secret.len(), PREFIX.len() + 48);
        assert_eq!(digest_hex, digest(&secret));
        assert_ne!(generate().0, secret);
        assert_eq!(hint(&secret), secret[secret.len() - 4..]);
    }
}
