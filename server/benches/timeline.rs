//! Timeline store benchmark (not a test): one account with 100,000 events among 1,000,000,
//! on SQLite and, when `VESTIBULE_TEST_POSTGRES_URL` is set, on PostgreSQL. Reports the time to
//! fetch the first page, a page deep in the history and a filtered page, with the query plans.
//!
//!   cargo bench -p server --bench timeline
//!   cargo bench -p server --bench timeline -- seed <DATABASE_URL> <username> <count>
//!
//! The second form adds `count` events to an existing account (for the export memory check in
//! `scripts/bench-timeline`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use app::events::Category;
use server::db::timeline::{self, Cursor, Filter, Position};
use server::db::{Backend, Db};
use sqlx::Row;
use std::time::{Duration, Instant};

const ACCOUNT: &str = "bench-account";
const TOTAL: i64 = 1_000_000;
const MINE: i64 = 100_000;
const START: i64 = 1_700_000_000;
const PAGE: i64 = 51;

/// Inserts events in SQL (a recursive CTE on SQLite, generate_series on PostgreSQL): every
/// tenth event is the account's, the others spread over 9,000 other accounts, one event a
/// minute, categories in turn.
async fn seed(db: &Db, account: &str, total: i64, every: i64) {
    let numbers = match db.backend {
        Backend::Sqlite => format!(
            "WITH RECURSIVE seq(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM seq WHERE n < {}) SELECT n FROM seq",
            total - 1
        ),
        Backend::Postgres => format!("SELECT n FROM generate_series(0, {}) AS n", total - 1),
    };
    let sql = format!(
        "INSERT INTO account_events (user_id, type, category, created_at, ip, user_agent, data) \
         SELECT CASE WHEN n % {every} = 0 THEN '{account}' ELSE 'other-' || (n % 9000) END, \
                CASE WHEN n % 3 = 0 THEN 'login_success' WHEN n % 3 = 1 THEN 'edit_profile' ELSE 'logout' END, \
                CASE WHEN n % 3 = 1 THEN 'profile' ELSE 'security' END, \
                {START} + n * 60, '203.0.113.7', 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0', \
                '{{\"remote_ip\":\"203.0.113.7\"}}' \
         FROM ({numbers}) AS numbers"
    );
    let mut tx = db.pool.begin().await.unwrap();
    sqlx::query(&sql).execute(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    sqlx::query("ANALYZE").execute(&db.pool).await.unwrap();
}

struct Measured {
    median: Duration,
    p95: Duration,
    rows: usize,
}

async fn measure(db: &Db, filter: Filter, cursor: Cursor) -> Measured {
    let mut times = Vec::new();
    let mut rows = 0;
    for _ in 0..20 {
        timeline::page(db, ACCOUNT, filter, cursor, PAGE).await.unwrap();
    }
    for _ in 0..200 {
        let start = Instant::now();
        rows = timeline::page(db, ACCOUNT, filter, cursor, PAGE).await.unwrap().len();
        times.push(start.elapsed());
    }
    times.sort();
    Measured {
        median: times[times.len() / 2],
        p95: times[times.len() * 95 / 100],
        rows,
    }
}

async fn run(name: &str, db: &Db) {
    let started = Instant::now();
    seed(db, ACCOUNT, TOTAL, TOTAL / MINE).await;
    let count: i64 = sqlx::query("SELECT COUNT(*) AS n FROM account_events WHERE user_id = $1")
        .bind(ACCOUNT)
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .try_get("n")
        .unwrap();
    println!(
        "\n{name}: seeded {TOTAL} events ({count} for the account) in {:.1?}",
        started.elapsed()
    );
    // 90,000 events down: the account's event number 10,000 from the start.
    let deep_at = START + 10_000 * (TOTAL / MINE) * 60;
    let deep = Cursor::Before(Position {
        at: deep_at,
        id: i64::MAX,
    });
    let filtered = Filter {
        category: Some(Category::Profile),
        from: Some(START + (TOTAL / 2) * 60),
        until: Some(START + (TOTAL * 3 / 4) * 60),
    };
    let cases = [
        ("first page", Filter::default(), Cursor::Newest),
        ("deep page (90,000 down)", Filter::default(), deep),
        ("filtered page (profile, a period)", filtered, Cursor::Newest),
    ];
    println!("{:<36} {:>10} {:>10} {:>6}", "query (51 rows)", "median", "p95", "rows");
    for (label, filter, cursor) in cases {
        let m = measure(db, filter, cursor).await;
        println!(
            "{label:<36} {:>8.2}ms {:>8.2}ms {:>6}",
            m.median.as_secs_f64() * 1000.0,
            m.p95.as_secs_f64() * 1000.0,
            m.rows
        );
    }
    let mut conn = db.pool.acquire().await.unwrap();
    for (label, filter, cursor) in cases {
        println!("plan, {label}:");
        for line in timeline::explain(&mut conn, db.backend, ACCOUNT, filter, cursor, PAGE)
            .await
            .unwrap()
        {
            println!("    {line}");
        }
    }
}

async fn fresh_postgres(admin_url: &str) -> (Db, String) {
    let admin = Db::connect(admin_url).await.unwrap();
    let name = format!("vestibule_bench_{}", uuid::Uuid::new_v4().simple());
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&admin.pool)
        .await
        .unwrap();
    let base = admin_url.rsplit_once('/').map(|(b, _)| b).unwrap();
    let db = Db::connect(&format!("{base}/{name}")).await.unwrap();
    db.migrate().await.unwrap();
    (db, name)
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    if let [command, url, username, count] = args.as_slice() {
        assert_eq!(command, "seed", "usage: seed <DATABASE_URL> <username> <count>");
        let db = Db::connect(url).await.unwrap();
        let id: String = sqlx::query("SELECT id FROM users WHERE username = $1")
            .bind(username)
            .fetch_one(&db.pool)
            .await
            .unwrap()
            .try_get("id")
            .unwrap();
        seed(&db, &id, count.parse().unwrap(), 1).await;
        println!("added {count} events to {username}");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let sqlite = Db::connect(&format!("sqlite://{}/bench.db", dir.path().display()))
        .await
        .unwrap();
    sqlite.migrate().await.unwrap();
    run("SQLite", &sqlite).await;
    match std::env::var("VESTIBULE_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
    {
        Some(admin_url) => {
            let (db, name) = fresh_postgres(&admin_url).await;
            run("PostgreSQL", &db).await;
            db.pool.close().await;
            let admin = Db::connect(&admin_url).await.unwrap();
            sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&admin.pool)
                .await
                .unwrap();
        }
        None => println!("\nPostgreSQL: skipped (set VESTIBULE_TEST_POSTGRES_URL)"),
    }
}
