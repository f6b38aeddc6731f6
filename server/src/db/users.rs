//! User accounts.

use super::events::{self, Actor, EventType, NewEvent};
use super::{unique_violation_on, Db};
use serde_json::json;
use sqlx::{AnyConnection, Row};

#[derive(Clone, PartialEq, Eq)]
pub struct User {
    pub id: String,
    pub username: String,
    pub email: String,
    pub password_hash: PasswordHash,
    pub created_at: i64,
}

/// A PHC string. No `Debug` output and no `Serialize`, so it cannot leak into logs or JSON.
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordHash(pub String);

impl std::fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordHash(..)")
    }
}

impl std::fmt::Debug for User {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("User")
            .field("id", &self.id)
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

impl User {
    pub fn to_session_user(&self) -> app::context::SessionUser {
        app::context::SessionUser {
            id: self.id.clone(),
            username: self.username.clone(),
            email: self.email.clone(),
            created_at: self.created_at,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CreateUserError {
    #[error("username taken")]
    UsernameTaken,
    #[error("e-mail taken")]
    EmailTaken,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Username and e-mail must already be validated and normalised (lowercase).
pub struct NewUser<'a> {
    pub username: &'a str,
    pub email: &'a str,
    pub password_hash: PasswordHash,
}

/// Creates the user and records `new_user` in one transaction: both rows or neither.
pub async fn create(
    db: &Db,
    new: NewUser<'_>,
    actor: &Actor,
    data: serde_json::Value,
) -> Result<User, CreateUserError> {
    let mut tx = db.pool.begin().await?;
    let taken = sqlx::query("SELECT username, email FROM users WHERE username = $1 OR email = $2")
        .bind(new.username)
        .bind(new.email)
        .fetch_all(&mut *tx)
        .await?;
    for row in &taken {
        let username: String = row.try_get("username")?;
        if username == new.username {
            return Err(CreateUserError::UsernameTaken);
        }
    }
    if !taken.is_empty() {
        return Err(CreateUserError::EmailTaken);
    }
    let user = User {
        id: uuid::Uuid::new_v4().to_string(),
        username: new.username.to_string(),
        email: new.email.to_string(),
        password_hash: new.password_hash,
        created_at: super::now(),
    };
    let inserted = sqlx::query(
        "INSERT INTO users (id, username, email, password_hash, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $5)",
    )
    .bind(&user.id)
    .bind(&user.username)
    .bind(&user.email)
    .bind(&user.password_hash.0)
    .bind(user.created_at)
    .execute(&mut *tx)
    .await;
    // A concurrent sign-up can win the race between the check and the insert.
    if let Err(err) = inserted {
        return Err(if unique_violation_on(&err, "username") {
            CreateUserError::UsernameTaken
        } else if unique_violation_on(&err, "email") {
            CreateUserError::EmailTaken
        } else {
            CreateUserError::Db(err)
        });
    }
    events::record(
        &mut tx,
        NewEvent {
            user_id: Some(&user.id),
            kind: EventType::NewUser,
            actor,
            data,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(user)
}

const COLUMNS: &str = "id, username, email, password_hash, created_at";

fn from_row(row: &sqlx::any::AnyRow) -> Result<User, sqlx::Error> {
    Ok(User {
        id: row.try_get("id")?,
        username: row.try_get("username")?,
        email: row.try_get("email")?,
        password_hash: PasswordHash(row.try_get("password_hash")?),
        created_at: row.try_get("created_at")?,
    })
}

/// Finds a user by username or e-mail address, case-insensitively.
pub async fn find_by_login(db: &Db, login: &str) -> Result<Option<User>, sqlx::Error> {
    let login = login.trim().to_lowercase();
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM users WHERE username = $1 OR email = $1"
    ))
    .bind(login)
    .fetch_optional(&db.pool)
    .await?;
    row.as_ref().map(from_row).transpose()
}

pub async fn find_by_id(conn: &mut AnyConnection, id: &str) -> Result<Option<User>, sqlx::Error> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM users WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// Replaces the hash without an event: used when the hashing parameters are upgraded at
/// sign-in, which changes nothing the user did.
pub async fn upgrade_password_hash(db: &Db, user_id: &str, hash: &PasswordHash) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(&hash.0)
        .bind(user_id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Sets a new password, signs the user out everywhere and records `edit_password`, atomically.
pub async fn reset_password(db: &Db, user_id: &str, hash: &PasswordHash, actor: &Actor) -> Result<(), sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
        .bind(&hash.0)
        .bind(super::now())
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    events::record(
        &mut tx,
        NewEvent {
            user_id: Some(user_id),
            kind: EventType::EditPassword,
            actor,
            data: json!({"by": "operator"}),
        },
    )
    .await?;
    tx.commit().await
}
