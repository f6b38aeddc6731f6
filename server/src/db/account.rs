//! The account's own settings on the users row: the editable profile, the newsletter choice
//! and the preferences, each change recorded as an event in the same transaction.

use super::events::{self, Actor, EventType, NewEvent};
use super::users::{find_by_id, from_row, User, COLUMNS};
use super::{unique_violation_on, Db};
use app::i18n::Lang;
use app::model::{Profile, ProfileField};
use app::prefs::{Prefs, Theme};
use serde_json::json;
use sqlx::Row;

/// The whole account row: the user, the editable profile, and the newsletter choice with when
/// it was made.
#[derive(Clone, Debug)]
pub struct Account {
    pub user: User,
    pub profile: Profile,
    pub newsletter: bool,
    pub newsletter_changed_at: Option<i64>,
    /// When the healthcare point of contact was last confirmed, if there is one (read with the
    /// session, so every page can say when its yearly review is due without another query).
    pub hds_reviewed_at: Option<i64>,
    /// Bumped by any change to the account's rows or to the legal documents (migration 0019):
    /// a page rendered at one revision shows what is current while it stays the same.
    pub revision: i64,
}

impl Account {
    pub fn hds_review_due(&self, now: i64) -> bool {
        self.hds_reviewed_at
            .is_some_and(|at| now >= super::hds::review_due_at(at))
    }
}

/// The account's revision as `account_from_row` reads it: its own counter plus the documents'
/// (both only grow, so the sum grows whenever either does).
const REVISION: &str = "users.revision + (SELECT revision FROM content_revision) AS revision";

/// The columns `account_from_row` reads besides the user's (prefix `u.` when joined).
pub const ACCOUNT_COLUMNS: &str = "fullname, location, company, bio, newsletter, newsletter_changed_at";

pub async fn profile(db: &Db, user_id: &str) -> Result<Option<Account>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS}, {ACCOUNT_COLUMNS}, \
                (SELECT reviewed_at FROM hds_contacts h WHERE h.user_id = users.id) AS hds_reviewed_at, \
                {REVISION} \
         FROM users WHERE id = $1"
    ))
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
        hds_reviewed_at: row.try_get("hds_reviewed_at")?,
        revision: row.try_get("revision")?,
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
