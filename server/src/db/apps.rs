//! Applications, as far as accounts need them (migration 0007): a name, an owner, a date.
//! Operators create and delete them from the command line; owners through `/v1/apps`.

use super::Db;
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

pub async fn create(db: &Db, owner_id: &str, name: &str, now: i64) -> Result<StoredApp, CreateAppError> {
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
        .execute(&db.pool)
        .await;
    match inserted {
        Ok(_) => Ok(app),
        Err(e) if super::unique_violation_on(&e, "name") => Err(CreateAppError::NameTaken(name.into())),
        Err(e) => Err(e.into()),
    }
}

/// `false` when no application has that name.
pub async fn delete(db: &Db, name: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM apps WHERE name = $1")
        .bind(name)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn owned_by(conn: &mut sqlx::AnyConnection, user_id: &str) -> Result<Vec<StoredApp>, sqlx::Error> {
    let rows = sqlx::query("SELECT id, name, owner_id, created_at FROM apps WHERE owner_id = $1 ORDER BY name")
        .bind(user_id)
        .fetch_all(conn)
        .await?;
    rows.iter().map(from_row).collect()
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

/// `false` when the owner has no application with that id (gone meanwhile).
pub async fn delete_owned(db: &Db, owner_id: &str, id: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM apps WHERE id = $1 AND owner_id = $2")
        .bind(id)
        .bind(owner_id)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected() == 1)
}
