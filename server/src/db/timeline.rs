//! An account's events for the Timeline: newest first, filtered by category and period, paged
//! by keyset on `(created_at, id)` so pages stay put while new events arrive and a page deep in
//! the history costs the same as the first (no OFFSET). Every query is scoped to one account:
//! a cursor or filter can never reach another account's events.

use super::events::{from_row, StoredEvent};
use super::Db;
use app::events::Category;

/// A position in the Timeline: the event's time and id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    pub at: i64,
    pub id: i64,
}

impl Position {
    pub fn of(event: &StoredEvent) -> Position {
        Position {
            at: event.created_at,
            id: event.id,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cursor {
    /// The newest events.
    Newest,
    /// Events older than this position.
    Before(Position),
    /// Events newer than this position (the page above it).
    After(Position),
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    pub category: Option<Category>,
    /// Unix seconds, inclusive.
    pub from: Option<i64>,
    /// Unix seconds, exclusive.
    pub until: Option<i64>,
}

enum Bind {
    Text(&'static str),
    Int(i64),
}

struct Query {
    sql: String,
    binds: Vec<Bind>,
    ascending: bool,
}

fn build(filter: Filter, cursor: Cursor, limit: i64) -> Query {
    let mut sql = String::from(
        "SELECT id, user_id, type, created_at, ip, user_agent, data FROM account_events WHERE user_id = $1",
    );
    let mut binds = Vec::new();
    let mut next = |sql: &mut String, clause: &str, bind: Bind| {
        binds.push(bind);
        sql.push_str(&clause.replace('?', &format!("${}", binds.len() + 1)));
    };
    if let Some(category) = filter.category {
        next(&mut sql, " AND category = ?", Bind::Text(category.slug()));
    }
    if let Some(from) = filter.from {
        next(&mut sql, " AND created_at >= ?", Bind::Int(from));
    }
    if let Some(until) = filter.until {
        next(&mut sql, " AND created_at < ?", Bind::Int(until));
    }
    // Row values keep the keyset on the index's own order on both SQLite and PostgreSQL.
    let ascending = match cursor {
        Cursor::Newest => false,
        Cursor::Before(p) => {
            next(&mut sql, " AND (created_at, id) < (?", Bind::Int(p.at));
            next(&mut sql, ", ?)", Bind::Int(p.id));
            false
        }
        Cursor::After(p) => {
            next(&mut sql, " AND (created_at, id) > (?", Bind::Int(p.at));
            next(&mut sql, ", ?)", Bind::Int(p.id));
            true
        }
    };
    let order = if ascending { "ASC" } else { "DESC" };
    next(
        &mut sql,
        &format!(" ORDER BY created_at {order}, id {order} LIMIT ?"),
        Bind::Int(limit),
    );
    Query { sql, binds, ascending }
}

fn bound<'q>(
    sql: &'q str,
    user_id: &'q str,
    binds: Vec<Bind>,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    let mut query = sqlx::query(sql).bind(user_id);
    for bind in binds {
        query = match bind {
            Bind::Text(text) => query.bind(text),
            Bind::Int(int) => query.bind(int),
        };
    }
    query
}

/// Up to `limit` events, newest first, for one account.
pub async fn page(
    db: &Db,
    user_id: &str,
    filter: Filter,
    cursor: Cursor,
    limit: i64,
) -> Result<Vec<StoredEvent>, sqlx::Error> {
    let Query { sql, binds, ascending } = build(filter, cursor, limit);
    let rows = bound(&sql, user_id, binds).fetch_all(&db.pool).await?;
    let mut events = rows.iter().map(from_row).collect::<Result<Vec<_>, _>>()?;
    if ascending {
        events.reverse();
    }
    Ok(events)
}

/// The database's plan for `page` with these arguments, one line per step (for the benchmark,
/// which shows that every page is read through an index).
pub async fn explain(
    conn: &mut sqlx::AnyConnection,
    backend: super::Backend,
    user_id: &str,
    filter: Filter,
    cursor: Cursor,
    limit: i64,
) -> Result<Vec<String>, sqlx::Error> {
    use sqlx::Row;
    let Query { sql, binds, .. } = build(filter, cursor, limit);
    let explain = match backend {
        super::Backend::Sqlite => format!("EXPLAIN QUERY PLAN {sql}"),
        super::Backend::Postgres => format!("EXPLAIN {sql}"),
    };
    let rows = bound(&explain, user_id, binds).fetch_all(conn).await?;
    rows.iter()
        .map(|row| match backend {
            super::Backend::Sqlite => row.try_get::<String, _>("detail"),
            super::Backend::Postgres => row.try_get::<String, _>(0),
        })
        .collect()
}
