//! Applications, as far as accounts need them (migration 0007): a name, an owner, a date.
//! Creating and deleting one records its event on the owner's Timeline in the same transaction.
//! Operators create and delete them from the command line; owners through `/v1/apps`.

use super::events::{self, Actor, EventType, NewEvent};
use super::Db;
use serde_json::json;
use sqlx::Row;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredApp {
    pub id: String,
    pub name: String,
    pub owner_id: String,
    pub created_at: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum CreateAppError {
    #[error("an application named {0} exists")]
    NameTaken(String),
    #[error("the owner has reached the most applications one account may have")]
    TooMany,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

fn from_row(row: &sqlx::any::AnyRow) -> Result<StoredApp, sqlx::Error> {
    Ok(StoredApp {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        owner_id: row.try_get("owner_id")?,
        created_at: row.try_get("created_at")?,
    })
}

/// Who made a change: the owner through the API, or an operator from the command line. The
/// Timeline says which.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangedBy {
    Owner,
    Operator,
}

/// The event's data: the application's id and name, and `by` when an operator acted.
fn event_data(app: &StoredApp, by: ChangedBy) -> serde_json::Value {
    let mut data = json!({"app_id": app.id, "app_name": app.name});
    if by == ChangedBy::Operator {
        data["by"] = json!("operator");
    }
    data
}

/// Creates the application and records `new_app` in the same transaction. `max_owned` is
/// checked inside it too, so parallel requests cannot pass the limit together.
pub async fn create(
    db: &Db,
    owner_id: &str,
    name: &str,
    max_owned: i64,
    actor: &Actor,
    by: ChangedBy,
    now: i64,
) -> Result<StoredApp, CreateAppError> {
    let mut tx = db.begin_write_for_user(owner_id).await?;
    let owned: i64 = sqlx::query("SELECT COUNT(*) AS n FROM apps WHERE owner_id = $1")
        .bind(owner_id)
        .fetch_one(&mut *tx)
        .await?
        .try_get("n")?;
    if owned >= max_owned {
        return Err(CreateAppError::TooMany);
    }
    let app = StoredApp {
        id: uuid::Uuid::new_v4().to_string(),
        name: name.to_string(),
        owner_id: owner_id.to_string(),
        created_at: now,
    };
    let inserted = sqlx::query("INSERT INTO apps (id, name, owner_id, created_at) VALUES ($1, $2, $3, $4)")
        .bind(&app.id)
        .bind(&app.name)
        .bind(&app.owner_id)
        .bind(app.created_at)
        .execute(&mut *tx)
        .await;
    match inserted {
        Ok(_) => {}
        Err(e) if super::unique_violation_on(&e, "name") => return Err(CreateAppError::NameTaken(name.into())),
        Err(e) => return Err(e.into()),
    }
    let event = NewEvent {
        user_id: Some(owner_id),
        kind: EventType::NewApp,
        actor,
        data: event_data(&app, by),
    };
    events::record(&mut tx, event).await?;
    tx.commit().await?;
    Ok(app)
}

/// Which application to delete: one of an owner's by id (the API's door, after `find_owned`),
/// or any by name (the operator's command line).
#[derive(Clone, Copy, Debug)]
pub enum Which<'a> {
    OwnedId { owner_id: &'a str, id: &'a str },
    Named(&'a str),
}

/// Deletes the application and records `delete_app` on its owner's Timeline in the same
/// transaction. `None` when there is no such application (or it went meanwhile).
pub async fn delete(db: &Db, which: Which<'_>, actor: &Actor, by: ChangedBy) -> Result<Option<StoredApp>, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let query = match which {
        Which::OwnedId { owner_id, id } => {
            sqlx::query("SELECT id, name, owner_id, created_at FROM apps WHERE id = $1 AND owner_id = $2")
                .bind(id)
                .bind(owner_id)
        }
        Which::Named(name) => sqlx::query("SELECT id, name, owner_id, created_at FROM apps WHERE name = $1").bind(name),
    };
    let Some(app) = query
        .fetch_optional(&mut *tx)
        .await?
        .as_ref()
        .map(from_row)
        .transpose()?
    else {
        return Ok(None);
    };
    sqlx::query("DELETE FROM apps WHERE id = $1")
        .bind(&app.id)
        .execute(&mut *tx)
        .await?;
    let event = NewEvent {
        user_id: Some(&app.owner_id),
        kind: EventType::DeleteApp,
        actor,
        data: event_data(&app, by),
    };
    events::record(&mut tx, event).await?;
    tx.commit().await?;
    Ok(Some(app))
}

/// The owner's applications in natural order (app-6 before app-10), as a person sorts them;
/// SQL's order is by character, and differs between SQLite and PostgreSQL collations.
pub async fn owned_by(conn: &mut sqlx::AnyConnection, user_id: &str) -> Result<Vec<StoredApp>, sqlx::Error> {
    let rows = sqlx::query("SELECT id, name, owner_id, created_at FROM apps WHERE owner_id = $1")
        .bind(user_id)
        .fetch_all(conn)
        .await?;
    let mut apps = rows.iter().map(from_row).collect::<Result<Vec<_>, _>>()?;
    apps.sort_by(|a, b| alphanumeric_sort::compare_str(&a.name, &b.name));
    Ok(apps)
}

/// One of the owner's applications, by id or by name (Scalingo clients send either).
pub async fn find_owned(db: &Db, owner_id: &str, id_or_name: &str) -> Result<Option<StoredApp>, sqlx::Error> {
    let row =
        sqlx::query("SELECT id, name, owner_id, created_at FROM apps WHERE owner_id = $1 AND (id = $2 OR name = $2)")
            .bind(owner_id)
            .bind(id_or_name)
            .fetch_optional(&db.pool)
            .await?;
    row.as_ref().map(from_row).transpose()
}
