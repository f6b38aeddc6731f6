//! The database: one sqlx `Any` pool over SQLite (default) or PostgreSQL. Queries are written
//! once, with `$n` placeholders and portable types, and run on both backends.

pub mod account;
pub mod account_deletions;
pub mod api_tokens;
pub mod apps;
pub mod billing;
pub mod challenges;
pub mod devices;
pub mod documents;
pub mod email_changes;
pub mod events;
pub mod hds;
pub mod mail_queue;
pub mod passkeys;
pub mod password_resets;
pub mod referrals;
pub mod scm;
pub mod security;
pub mod security_reports;
pub mod sessions;
pub mod signup_requests;
pub mod ssh_keys;
pub mod throttle;
pub mod timeline;
pub mod totp;
pub mod users;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, Executor};
use std::str::FromStr;
use std::time::Duration;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/postgres");

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone, Debug)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
    /// Seals the bodies of queued mail (`mail_queue`); `None` stores them as they are.
    pub mail_seal: Option<mail_queue::MailSeal>,
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("cannot create the SQLite directory {0}: {1}")]
    Directory(String, std::io::Error),
    #[error("cannot create the SQLite database file {0}: {1}")]
    File(String, std::io::Error),
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl Db {
    /// Opens the pool. SQLite files (and their directory) are created on first use, and every
    /// SQLite connection gets WAL, foreign keys and a busy timeout.
    pub async fn connect(url: &str) -> Result<Db, DbError> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            Backend::Postgres
        };
        let url = match backend {
            Backend::Sqlite => sqlite_url_creating_dir(url)?,
            Backend::Postgres => url.to_string(),
        };
        let options = AnyConnectOptions::from_str(&url)?;
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 8 } else { 16 })
            .acquire_timeout(Duration::from_secs(10))
            // sqlx pings a connection before every hand-out by default: one more round trip
            // (on SQLite, two more thread switches) per query, for every query. A connection
            // that broke (PostgreSQL restarted) fails its next query instead, and is replaced.
            .test_before_acquire(false)
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                        conn.execute("PRAGMA busy_timeout = 5000").await?;
                        conn.execute("PRAGMA synchronous = NORMAL").await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        Ok(Db {
            pool,
            backend,
            mail_seal: None,
        })
    }

    /// The same database, sealing queued mail bodies with `key` from now on.
    pub fn sealing_mail_with(self, key: crate::secret::SecretKey) -> Db {
        Db {
            mail_seal: Some(mail_queue::MailSeal(key)),
            ..self
        }
    }

    /// A transaction that will write. On SQLite it takes the write lock up front (`BEGIN
    /// IMMEDIATE`): a deferred transaction that reads, then writes after another connection
    /// committed, fails at once with SQLITE_BUSY instead of waiting its turn.
    pub async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
    }

    /// A write transaction in which one account's writers take turns, so a per-account limit
    /// counted inside it (keys, tokens, apps) holds against parallel requests. SQLite's
    /// `BEGIN IMMEDIATE` already runs writers one at a time; PostgreSQL's default isolation lets
    /// two transactions count the same rows, so there the account's row is locked first.
    pub async fn begin_write_for_user(
        &self,
        user_id: &str,
    ) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
        let mut tx = self.begin_write().await?;
        if self.backend == Backend::Postgres {
            sqlx::query("SELECT id FROM users WHERE id = $1 FOR UPDATE")
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
        }
        Ok(tx)
    }

    pub async fn migrate(&self) -> Result<(), DbError> {
        match self.backend {
            Backend::Sqlite => SQLITE_MIGRATIONS.run(&self.pool).await?,
            Backend::Postgres => POSTGRES_MIGRATIONS.run(&self.pool).await?,
        }
        Ok(())
    }

    /// True when the database answers a trivial query.
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }
}

/// `sqlite://data/x.db` → creates `data/` and asks SQLite to create the file (`mode=rwc`).
fn sqlite_url_creating_dir(url: &str) -> Result<String, DbError> {
    let rest = url.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
    let path = rest.split('?').next().unwrap_or("");
    if !path.is_empty() && path != ":memory:" {
        let file = std::path::Path::new(path);
        if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
            crate::private_files::create_dir(dir).map_err(|e| DbError::Directory(dir.display().to_string(), e))?;
        }
        crate::private_files::create_file_if_missing(file).map_err(|e| DbError::File(file.display().to_string(), e))?;
    }
    Ok(if url.contains("mode=") {
        url.to_string()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    })
}

/// True when `err` is a unique-constraint violation on one of `columns` (both backends name
/// the column in the message).
pub fn unique_violation_on(err: &sqlx::Error, column: &str) -> bool {
    match err {
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            let message = db.message();
            let constraint = db.constraint().unwrap_or("");
            message.contains(column) || constraint.contains(column)
        }
        _ => false,
    }
}

pub fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}
