//! Connected GitHub and GitLab accounts, and the OAuth flows under way. Tokens arrive here
//! already sealed (see `host::scm`): this module never sees one in clear.

use super::events::{self, Actor, EventType};
use super::{unique_violation_on, Db};
use app::model::ScmType;
use serde_json::json;
use sqlx::Row;

#[derive(Clone, PartialEq, Eq)]
pub struct StoredIntegration {
    pub id: String,
    pub user_id: String,
    pub scm_type: ScmType,
    pub url: String,
    pub uid: String,
    pub username: String,
    pub email: String,
    pub avatar_url: String,
    pub profile_url: String,
    /// Sealed.
    pub access_token: String,
    /// Sealed.
    pub refresh_token: Option<String>,
    pub token_expires_at: Option<i64>,
    pub created_at: i64,
}

impl std::fmt::Debug for StoredIntegration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredIntegration")
            .field("id", &self.id)
            .field("scm_type", &self.scm_type)
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

const COLUMNS: &str = "id, user_id, scm_type, url, uid, username, email, avatar_url, profile_url, \
                       access_token, refresh_token, token_expires_at, created_at";

fn from_row(row: &sqlx::any::AnyRow) -> Result<Option<StoredIntegration>, sqlx::Error> {
    let kind: String = row.try_get("scm_type")?;
    let Some(scm_type) = ScmType::from_code(&kind) else {
        return Ok(None);
    };
    Ok(Some(StoredIntegration {
        id: row.try_get("id")?,
        user_id: row.try_get("user_id")?,
        scm_type,
        url: row.try_get("url")?,
        uid: row.try_get("uid")?,
        username: row.try_get("username")?,
        email: row.try_get("email")?,
        avatar_url: row.try_get("avatar_url")?,
        profile_url: row.try_get("profile_url")?,
        access_token: row.try_get("access_token")?,
        refresh_token: row.try_get("refresh_token")?,
        token_expires_at: row.try_get("token_expires_at")?,
        created_at: row.try_get("created_at")?,
    }))
}

/// The account's integrations, in the order the tab lists the types.
pub async fn for_user(db: &Db, user_id: &str) -> Result<Vec<StoredIntegration>, sqlx::Error> {
    let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM scm_integrations WHERE user_id = $1"))
        .bind(user_id)
        .fetch_all(&db.pool)
        .await?;
    let mut list = Vec::new();
    for row in &rows {
        if let Some(i) = from_row(row)? {
            list.push(i);
        }
    }
    list.sort_by_key(|i| ScmType::ALL.iter().position(|t| *t == i.scm_type));
    Ok(list)
}

/// One of the account's integrations, by id or by type name (as Scalingo's API allows).
pub async fn find(db: &Db, user_id: &str, id_or_type: &str) -> Result<Option<StoredIntegration>, sqlx::Error> {
    Ok(for_user(db, user_id)
        .await?
        .into_iter()
        .find(|i| i.id == id_or_type || i.scm_type.code() == id_or_type))
}

#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("an integration of this type exists")]
    AlreadyConnected,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

fn event_data(i: &StoredIntegration) -> serde_json::Value {
    json!({
        "integration_id": i.id,
        "integration_type": i.scm_type.code(),
        "data": { "login": i.username, "avatar_url": i.avatar_url, "url": i.url },
    })
}

/// Saves a new integration and records `new_integration`, in one transaction.
pub async fn insert(db: &Db, new: &StoredIntegration, actor: &Actor) -> Result<(), ConnectError> {
    let mut tx = db.begin_write().await?;
    let inserted = sqlx::query(&format!(
        "INSERT INTO scm_integrations ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
    ))
    .bind(&new.id)
    .bind(&new.user_id)
    .bind(new.scm_type.code())
    .bind(&new.url)
    .bind(&new.uid)
    .bind(&new.username)
    .bind(&new.email)
    .bind(&new.avatar_url)
    .bind(&new.profile_url)
    .bind(&new.access_token)
    .bind(&new.refresh_token)
    .bind(new.token_expires_at)
    .bind(new.created_at)
    .execute(&mut *tx)
    .await;
    match inserted {
        Ok(_) => {}
        Err(e) if unique_violation_on(&e, "scm_integrations") => return Err(ConnectError::AlreadyConnected),
        Err(e) => return Err(e.into()),
    }
    events::note(&mut tx, &new.user_id, EventType::NewIntegration, actor, event_data(new)).await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes it and records `delete_integration`; `None` when there was none.
pub async fn delete(
    db: &Db,
    user_id: &str,
    id_or_type: &str,
    actor: &Actor,
) -> Result<Option<StoredIntegration>, sqlx::Error> {
    let Some(found) = find(db, user_id, id_or_type).await? else {
        return Ok(None);
    };
    let mut tx = db.begin_write().await?;
    let deleted = sqlx::query("DELETE FROM scm_integrations WHERE id = $1 AND user_id = $2")
        .bind(&found.id)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    if deleted.rows_affected() == 0 {
        return Ok(None);
    }
    events::note(
        &mut tx,
        user_id,
        EventType::DeleteIntegration,
        actor,
        event_data(&found),
    )
    .await?;
    tx.commit().await?;
    Ok(Some(found))
}

/// Replaces the tokens after a refresh (GitLab invalidates the old pair). A provider that sends
/// no new refresh token leaves the old one in place.
pub async fn update_tokens(
    db: &Db,
    id: &str,
    access_token: &str,
    refresh_token: Option<&str>,
    expires_at: Option<i64>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE scm_integrations SET access_token = $1, refresh_token = COALESCE($2, refresh_token), \
         token_expires_at = $3 WHERE id = $4",
    )
    .bind(access_token)
    .bind(refresh_token)
    .bind(expires_at)
    .bind(id)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// An OAuth flow under way, as the callback finds it.
#[derive(Clone, Debug)]
pub struct OAuthState {
    pub user_id: String,
    pub scm_type: String,
    /// Sealed.
    pub pkce_verifier: String,
    pub created_at: i64,
}

pub async fn save_state(db: &Db, digest: &str, state: &OAuthState) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO scm_oauth_states (state_digest, user_id, scm_type, pkce_verifier, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(digest)
    .bind(&state.user_id)
    .bind(&state.scm_type)
    .bind(&state.pkce_verifier)
    .bind(state.created_at)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Takes the flow with this state digest: the row is gone afterwards, so a replayed callback
/// finds nothing. Two callbacks at once: only the one whose delete removed the row gets it.
pub async fn take_state(db: &Db, digest: &str) -> Result<Option<OAuthState>, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let row = sqlx::query(
        "SELECT user_id, scm_type, pkce_verifier, created_at FROM scm_oauth_states WHERE state_digest = $1",
    )
    .bind(digest)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let deleted = sqlx::query("DELETE FROM scm_oauth_states WHERE state_digest = $1")
        .bind(digest)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    if deleted.rows_affected() != 1 {
        return Ok(None);
    }
    Ok(Some(OAuthState {
        user_id: row.try_get("user_id")?,
        scm_type: row.try_get("scm_type")?,
        pkce_verifier: row.try_get("pkce_verifier")?,
        created_at: row.try_get("created_at")?,
    }))
}

/// Forgets flows older than `before` (abandoned at the provider).
pub async fn purge_states(db: &Db, before: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM scm_oauth_states WHERE created_at < $1")
        .bind(before)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected())
}
