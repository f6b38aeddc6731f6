//! Failed sign-in counters, in the database so that every server instance sees the same ones.

use super::Db;
use sqlx::Row;

/// The time until which `key` is refused, if it is refused now.
pub async fn blocked_until(db: &Db, key: &str, now: i64) -> Result<Option<i64>, sqlx::Error> {
    let row = sqlx::query("SELECT blocked_until FROM login_throttle WHERE key = $1")
        .bind(key)
        .fetch_optional(&db.pool)
        .await?;
    let until: Option<i64> = row.map(|r| r.try_get("blocked_until")).transpose()?;
    Ok(until.filter(|&until| until > now))
}

/// Failures counted for `key` in the current window, without counting one more.
pub async fn failures(db: &Db, key: &str, now: i64, window_secs: i64) -> Result<i64, sqlx::Error> {
    let row = sqlx::query("SELECT failures FROM login_throttle WHERE key = $1 AND first_failure_at >= $2")
        .bind(key)
        .bind(now - window_secs)
        .fetch_optional(&db.pool)
        .await?;
    row.map(|r| r.try_get("failures"))
        .transpose()
        .map(Option::unwrap_or_default)
}

/// Counts one failure for `key` and returns the number of failures in the current window.
/// One atomic upsert, so concurrent failures are all counted.
pub async fn add_failure(db: &Db, key: &str, now: i64, window_secs: i64) -> Result<i64, sqlx::Error> {
    Ok(count(db, key, now, window_secs).await?.0)
}

/// Counts one event for `key`: its number in the current window, and when that window began.
pub async fn count(db: &Db, key: &str, now: i64, window_secs: i64) -> Result<(i64, i64), sqlx::Error> {
    let row = sqlx::query(
        "INSERT INTO login_throttle (key, failures, first_failure_at, blocked_until) VALUES ($1, 1, $2, 0) \
         ON CONFLICT (key) DO UPDATE SET \
           failures = CASE WHEN login_throttle.first_failure_at < $3 THEN 1 ELSE login_throttle.failures + 1 END, \
           first_failure_at = CASE WHEN login_throttle.first_failure_at < $3 THEN $2 ELSE login_throttle.first_failure_at END \
         RETURNING failures, first_failure_at",
    )
    .bind(key)
    .bind(now)
    .bind(now - window_secs)
    .fetch_one(&db.pool)
    .await?;
    Ok((row.try_get("failures")?, row.try_get("first_failure_at")?))
}

pub async fn block(db: &Db, key: &str, until: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE login_throttle SET blocked_until = $1 WHERE key = $2")
        .bind(until)
        .bind(key)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Takes one counted failure back (an attempt that turned out right, or was never judged).
pub async fn forgive_one(db: &Db, key: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE login_throttle SET failures = failures - 1 WHERE key = $1 AND failures > 0")
        .bind(key)
        .execute(&db.pool)
        .await?;
    Ok(())
}

pub async fn clear(db: &Db, key: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM login_throttle WHERE key = $1")
        .bind(key)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Deletes counters whose window and block are both over: they would restart from zero anyway.
pub async fn purge_stale(db: &Db, now: i64, window_secs: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM login_throttle WHERE first_failure_at < $1 AND blocked_until <= $2")
        .bind(now - window_secs)
        .bind(now)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected())
}
