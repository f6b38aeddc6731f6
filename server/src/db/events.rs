//! The append-only account events table. Every mutation records its event through `record`,
//! inside the mutation's own transaction where there is one.

use serde_json::Value;
use sqlx::{AnyConnection, Row};

/// Event types and their categories are shared with the pages (which show them as sentences).
pub use app::events::EventType;

/// Who did it and from where. `ip` and `user_agent` are empty for operator commands.
#[derive(Clone, Debug, Default)]
pub struct Actor {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

#[derive(Debug)]
pub struct NewEvent<'a> {
    pub user_id: Option<&'a str>,
    pub kind: EventType,
    pub actor: &'a Actor,
    /// Never a secret: no password, token or code ever goes in here.
    pub data: Value,
}

pub async fn record(conn: &mut AnyConnection, event: NewEvent<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO account_events (user_id, type, category, created_at, ip, user_agent, data) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(event.user_id.map(str::to_string))
    .bind(event.kind.as_str())
    .bind(event.kind.category().slug())
    .bind(super::now())
    .bind(event.actor.ip.clone())
    .bind(event.actor.user_agent.clone())
    .bind(event.data.to_string())
    .execute(conn)
    .await?;
    Ok(())
}

/// `record` for the common case of an account's own event.
pub async fn note(
    conn: &mut AnyConnection,
    user_id: &str,
    kind: EventType,
    actor: &Actor,
    data: Value,
) -> Result<(), sqlx::Error> {
    record(
        conn,
        NewEvent {
            user_id: Some(user_id),
            kind,
            actor,
            data,
        },
    )
    .await
}

#[derive(Clone, Debug, PartialEq)]
pub struct StoredEvent {
    pub id: i64,
    pub user_id: Option<String>,
    pub kind: String,
    pub created_at: i64,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub data: Value,
}

/// Newest first.
pub async fn for_user(conn: &mut AnyConnection, user_id: &str, limit: i64) -> Result<Vec<StoredEvent>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, user_id, type, created_at, ip, user_agent, data FROM account_events \
         WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2",
    )
    .bind(user_id)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.into_iter().map(|row| from_row(&row)).collect()
}

/// Newest first, across all accounts (for failures against unknown logins).
pub async fn latest(conn: &mut AnyConnection, limit: i64) -> Result<Vec<StoredEvent>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, user_id, type, created_at, ip, user_agent, data FROM account_events \
         ORDER BY id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.into_iter().map(|row| from_row(&row)).collect()
}

pub fn from_row(row: &sqlx::any::AnyRow) -> Result<StoredEvent, sqlx::Error> {
    let data: String = row.try_get("data")?;
    Ok(StoredEvent {
        id: row.try_get("id")?,
        user_id: row.try_get("user_id")?,
        kind: row.try_get("type")?,
        created_at: row.try_get("created_at")?,
        ip: row.try_get("ip")?,
        user_agent: row.try_get("user_agent")?,
        data: serde_json::from_str(&data).unwrap_or(Value::Null),
    })
}

/// One page of an account's events for the REST API (`?page&per_page`), newest first, and the
/// account's total. Offset paging is what Scalingo clients send; the Timeline tab uses cursors.
pub async fn page_for_user(
    db: &super::Db,
    user_id: &str,
    page: i64,
    per_page: i64,
) -> Result<(Vec<StoredEvent>, i64), sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, user_id, type, created_at, ip, user_agent, data FROM account_events \
         WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3",
    )
    .bind(user_id)
    .bind(per_page)
    .bind((page - 1) * per_page)
    .fetch_all(&db.pool)
    .await?;
    let total: i64 = sqlx::query("SELECT COUNT(*) AS n FROM account_events WHERE user_id = $1")
        .bind(user_id)
        .fetch_one(&db.pool)
        .await?
        .try_get("n")?;
    Ok((rows.iter().map(from_row).collect::<Result<_, _>>()?, total))
}
