//! User accounts.

use super::events::{self, Actor, EventType, NewEvent};
use super::{unique_violation_on, Db};
use app::i18n::Lang;
use app::model::{Profile, ProfileField};
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

/// Sets a new password, signs the user out everywhere and records `edit_password`, atomically.
pub async fn reset_password(db: &Db, user_id: &str, hash: &PasswordHash, actor: &Actor) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    set_password_in(&mut tx, user_id, hash, actor, json!({"by": "operator"})).await?;
    tx.commit().await
}

/// Within the caller's transaction: the new password, every session ended, `edit_password`
/// recorded with `data`.
pub async fn set_password_in(
    conn: &mut AnyConnection,
    user_id: &str,
    hash: &PasswordHash,
    actor: &Actor,
    data: serde_json::Value,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
        .bind(&hash.0)
        .bind(super::now())
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
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

/// The whole account row: the user, the editable profile, and the newsletter choice with when
/// it was made.
#[derive(Clone, Debug)]
pub struct Account {
    pub user: User,
    pub profile: Profile,
    pub newsletter: bool,
    pub newsletter_changed_at: Option<i64>,
}

/// The columns `account_from_row` reads besides the user's (prefix `u.` when joined).
pub const ACCOUNT_COLUMNS: &str = "fullname, location, company, bio, newsletter, newsletter_changed_at";

pub async fn profile(db: &Db, user_id: &str) -> Result<Option<Account>, sqlx::Error> {
    let row = sqlx::query(&format!("SELECT {COLUMNS}, {ACCOUNT_COLUMNS} FROM users WHERE id = $1"))
        .bind(user_id)
        .fetch_optional(&db.pool)
        .await?;
    row.as_ref().map(account_from_row).transpose()
}

pub fn account_from_row(row: &sqlx::any::AnyRow) -> Result<Account, sqlx::Error> {
    let profile = Profile {
        username: row.try_get("username")?,
        fullname: row.try_get("fullname")?,
        location: row.try_get("location")?,
        company: row.try_get("company")?,
        bio: row.try_get("bio")?,
    };
    let subscribed: i64 = row.try_get("newsletter")?;
    Ok(Account {
        user: from_row(row)?,
        profile,
        newsletter: subscribed != 0,
        newsletter_changed_at: row.try_get("newsletter_changed_at")?,
    })
}

#[derive(Debug, thiserror::Error)]
pub enum UpdateProfileError {
    #[error("username taken")]
    UsernameTaken,
    #[error("no such user")]
    NotFound,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Saves the profile (already validated) and records `edit_profile` with the changed fields,
/// in one transaction. Returns the fields that changed; nothing is written when none did.
pub async fn update_profile(
    db: &Db,
    user_id: &str,
    profile: &Profile,
    actor: &Actor,
) -> Result<Vec<ProfileField>, UpdateProfileError> {
    let mut tx = db.begin_write().await?;
    let row = sqlx::query("SELECT username, fullname, location, company, bio FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(UpdateProfileError::NotFound)?;
    let before = Profile {
        username: row.try_get("username")?,
        fullname: row.try_get("fullname")?,
        location: row.try_get("location")?,
        company: row.try_get("company")?,
        bio: row.try_get("bio")?,
    };
    let changed = ProfileField::changed(&before, profile);
    if changed.is_empty() {
        return Ok(changed);
    }
    if profile.username != before.username {
        let taken = sqlx::query("SELECT 1 AS one FROM users WHERE username = $1 AND id <> $2")
            .bind(&profile.username)
            .bind(user_id)
            .fetch_optional(&mut *tx)
            .await?;
        if taken.is_some() {
            return Err(UpdateProfileError::UsernameTaken);
        }
    }
    let updated = sqlx::query(
        "UPDATE users SET username = $1, fullname = $2, location = $3, company = $4, bio = $5, updated_at = $6 \
         WHERE id = $7",
    )
    .bind(&profile.username)
    .bind(&profile.fullname)
    .bind(&profile.location)
    .bind(&profile.company)
    .bind(&profile.bio)
    .bind(super::now())
    .bind(user_id)
    .execute(&mut *tx)
    .await;
    // Another account can take the name between the check and the update.
    if let Err(err) = updated {
        return Err(if unique_violation_on(&err, "username") {
            UpdateProfileError::UsernameTaken
        } else {
            UpdateProfileError::Db(err)
        });
    }
    let mut data = json!({ "changed": changed.iter().map(|f| f.name()).collect::<Vec<_>>() });
    if profile.username != before.username {
        data["previous_username"] = json!(before.username);
        data["username"] = json!(profile.username);
    }
    events::record(
        &mut tx,
        NewEvent {
            user_id: Some(user_id),
            kind: EventType::EditProfile,
            actor,
            data,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(changed)
}

/// Records the newsletter choice and its time, with `edit_newsletter`. Choosing the current
/// state again changes nothing (and records nothing). Returns the state and when it was chosen.
pub async fn set_newsletter(
    db: &Db,
    user_id: &str,
    subscribed: bool,
    actor: &Actor,
) -> Result<(bool, Option<i64>), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let row = sqlx::query("SELECT newsletter, newsletter_changed_at FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_one(&mut *tx)
        .await?;
    let current: i64 = row.try_get("newsletter")?;
    let changed_at: Option<i64> = row.try_get("newsletter_changed_at")?;
    if (current != 0) == subscribed {
        return Ok((subscribed, changed_at));
    }
    let now = super::now();
    sqlx::query("UPDATE users SET newsletter = $1, newsletter_changed_at = $2, updated_at = $2 WHERE id = $3")
        .bind(i64::from(subscribed))
        .bind(now)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    events::record(
        &mut tx,
        NewEvent {
            user_id: Some(user_id),
            kind: EventType::EditNewsletter,
            actor,
            data: json!({ "subscribed": subscribed }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok((subscribed, Some(now)))
}

/// Saves preferences, recording `edit_preferences` with what changed. Returns the stored ones.
pub async fn save_preferences(
    db: &Db,
    user_id: &str,
    theme: Option<Theme>,
    lang: Option<Lang>,
    time_zone: Option<&str>,
    actor: &Actor,
) -> Result<(Prefs, String), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let user = find_by_id(&mut tx, user_id).await?.ok_or(sqlx::Error::RowNotFound)?;
    let theme = theme.unwrap_or(user.theme);
    let lang = lang.unwrap_or(user.lang);
    let time_zone = time_zone.unwrap_or(&user.time_zone).to_string();
    let mut changes = serde_json::Map::new();
    if theme != user.theme {
        changes.insert("theme".into(), json!(theme.code()));
    }
    if lang != user.lang {
        changes.insert("locale".into(), json!(lang.code()));
    }
    if time_zone != user.time_zone {
        changes.insert("time_zone".into(), json!(time_zone));
    }
    if !changes.is_empty() {
        sqlx::query("UPDATE users SET theme = $1, lang = $2, time_zone = $3, updated_at = $4 WHERE id = $5")
            .bind(theme.code())
            .bind(lang.code())
            .bind(&time_zone)
            .bind(super::now())
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        events::record(
            &mut tx,
            NewEvent {
                user_id: Some(user_id),
                kind: EventType::EditPreferences,
                actor,
                data: serde_json::Value::Object(changes),
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok((Prefs { theme, lang }, time_zone))
}
