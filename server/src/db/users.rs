//! User accounts.

use super::events::{self, Actor, EventType, NewEvent};
use super::{unique_violation_on, Db};
use app::i18n::Lang;
use app::prefs::{Prefs, Theme};
use serde_json::json;
use sqlx::{AnyConnection, Row};

#[derive(Clone, PartialEq, Eq)]
pub struct User {
    pub id: String,
    pub username: String,
    pub email: String,
    pub password_hash: PasswordHash,
    pub created_at: i64,
    pub theme: Theme,
    pub lang: Lang,
    pub time_zone: String,
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
    pub fn prefs(&self) -> Prefs {
        Prefs {
            theme: self.theme,
            lang: self.lang,
        }
    }

    pub fn to_session_user(&self) -> app::context::SessionUser {
        app::context::SessionUser {
            id: self.id.clone(),
            username: self.username.clone(),
            email: self.email.clone(),
            created_at: self.created_at,
            hds_review_due: false,
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
    /// The theme and language the visitor had chosen before signing up.
    pub prefs: Prefs,
    /// A zone the server's database knows (checked by the caller).
    pub time_zone: &'a str,
}

/// Creates the user and records `new_user` in one transaction: both rows or neither. `then`
/// runs inside the same transaction (sign-up records document acceptances there).
pub async fn create(
    db: &Db,
    new: NewUser<'_>,
    actor: &Actor,
    data: serde_json::Value,
) -> Result<User, CreateUserError> {
    create_with(db, new, actor, data, |_, _| Box::pin(async { Ok(()) })).await
}

pub type TxStep<'t> = std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), sqlx::Error>> + Send + 't>>;

pub async fn create_with<F>(
    db: &Db,
    new: NewUser<'_>,
    actor: &Actor,
    data: serde_json::Value,
    then: F,
) -> Result<User, CreateUserError>
where
    F: for<'t> FnOnce(&'t mut AnyConnection, &'t User) -> TxStep<'t>,
{
    let mut tx = db.begin_write().await?;
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
        theme: new.prefs.theme,
        lang: new.prefs.lang,
        time_zone: new.time_zone.to_string(),
    };
    let inserted = sqlx::query(
        "INSERT INTO users (id, username, email, password_hash, created_at, updated_at, theme, lang, time_zone) \
         VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8)",
    )
    .bind(&user.id)
    .bind(&user.username)
    .bind(&user.email)
    .bind(&user.password_hash.0)
    .bind(user.created_at)
    .bind(user.theme.code())
    .bind(user.lang.code())
    .bind(&user.time_zone)
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
    then(&mut tx, &user).await?;
    tx.commit().await?;
    Ok(user)
}

/// The columns `from_row` reads, for queries that select a user (prefix `u.` when joined).
pub const COLUMNS: &str = "id, username, email, password_hash, created_at, theme, lang, time_zone";

pub fn from_row(row: &sqlx::any::AnyRow) -> Result<User, sqlx::Error> {
    let theme: String = row.try_get("theme")?;
    let lang: String = row.try_get("lang")?;
    Ok(User {
        id: row.try_get("id")?,
        username: row.try_get("username")?,
        email: row.try_get("email")?,
        password_hash: PasswordHash(row.try_get("password_hash")?),
        created_at: row.try_get("created_at")?,
        // Written by this code only; an unknown value (a future release rolled back) falls
        // back to the default rather than locking the user out.
        theme: Theme::from_code(&theme).unwrap_or_default(),
        lang: Lang::from_code(&lang).unwrap_or_default(),
        time_zone: row.try_get("time_zone")?,
    })
}

/// Finds a user by username or e-mail address, case-insensitively.
pub async fn username_taken(db: &Db, username: &str) -> Result<bool, sqlx::Error> {
    let row = sqlx::query("SELECT 1 FROM users WHERE username = $1")
        .bind(username)
        .fetch_optional(&db.pool)
        .await?;
    Ok(row.is_some())
}

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
/// Replaces the hash verified at sign-in with one of the current parameters, unless the
/// password changed meanwhile (a reset at the same moment must win).
pub async fn upgrade_password_hash(
    db: &Db,
    user_id: &str,
    verified: &PasswordHash,
    hash: &PasswordHash,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2 AND password_hash = $3")
        .bind(&hash.0)
        .bind(user_id)
        .bind(&verified.0)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Sets a new password, ends every session and API token and records `edit_password`,
/// atomically (the operator's `user reset-password`).
pub async fn reset_password(db: &Db, user_id: &str, hash: &PasswordHash, actor: &Actor) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    set_password_in(&mut tx, user_id, hash, actor, json!({"by": "operator"})).await?;
    tx.commit().await
}

/// Within the caller's transaction: the new password, and every way in the old one opened
/// ended (sessions, API tokens and their bearers, sign-ins waiting for a code, known
/// browsers): whoever needed a reset may not be the only one who knew the old password.
/// `edit_password` is recorded with `data` and what was ended.
pub async fn set_password_in(
    conn: &mut AnyConnection,
    user_id: &str,
    hash: &PasswordHash,
    actor: &Actor,
    mut data: serde_json::Value,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
        .bind(&hash.0)
        .bind(super::now())
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    let ended = super::security::end_access(conn, user_id, super::security::Keep::Nothing).await?;
    if let Some(map) = data.as_object_mut() {
        map.insert("tokens_revoked".into(), ended.tokens.into());
        if ended.passkeys > 0 {
            map.insert("passkeys_removed".into(), ended.passkeys.into());
        }
        if ended.email_changes > 0 {
            map.insert("email_change_cancelled".into(), true.into());
        }
    }
    events::record(
        conn,
        NewEvent {
            user_id: Some(user_id),
            kind: EventType::EditPassword,
            actor,
            data,
        },
    )
    .await
}
