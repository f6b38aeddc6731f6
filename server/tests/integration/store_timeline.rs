//! The Timeline's queries on SQLite and PostgreSQL: order, keyset pages both ways, filters,
//! stability while events arrive, and never another account's events.

use crate::support::TestDb;
use app::events::Category;
use server::db::events::StoredEvent;
use server::db::timeline::{self, Cursor, Filter, Position};
use server::db::Db;

/// Inserts an event with a chosen time (the events table only ever takes inserts).
pub async fn insert(db: &Db, user_id: &str, kind: &str, category: &str, at: i64) {
    sqlx::query(
        "INSERT INTO account_events (user_id, type, category, created_at, ip, user_agent, data) \
         VALUES ($1, $2, $3, $4, '203.0.113.7', 'test', '{}')",
    )
    .bind(user_id)
    .bind(kind)
    .bind(category)
    .bind(at)
    .execute(&db.pool)
    .await
    .unwrap();
}

/// Alice: 30 events, one a minute from t=1000, alternating sign-ins and profile changes.
/// Bob: 10 events at the same times.
async fn seed(db: &Db) {
    for i in 0..30 {
        let (kind, category) = if i % 2 == 0 {
            ("login_success", "security")
        } else {
            ("edit_profile", "profile")
        };
        insert(db, "alice", kind, category, 1000 + i * 60).await;
        if i < 10 {
            insert(db, "bob", kind, category, 1000 + i * 60).await;
        }
    }
}

fn times(events: &[StoredEvent]) -> Vec<i64> {
    events.iter().map(|e| e.created_at).collect()
}

#[tokio::test]
async fn pages_follow_the_keyset_both_ways_without_overlap() {
    for t in TestDb::all().await {
        seed(&t.db).await;
        let page = |cursor| timeline::page(&t.db, "alice", Filter::default(), cursor, 12);
        let first = page(Cursor::Newest).await.unwrap();
        assert_eq!(first.len(), 12, "{}", t.name());
        assert_eq!(first[0].created_at, 1000 + 29 * 60);
        assert!(first.windows(2).all(|w| w[0].created_at > w[1].created_at));
        let second = page(Cursor::Before(Position::of(&first[11]))).await.unwrap();
        assert_eq!(second[0].created_at, first[11].created_at - 60, "{}", t.name());
        let third = page(Cursor::Before(Position::of(&second[11]))).await.unwrap();
        assert_eq!(third.len(), 6);
        assert_eq!(third.last().unwrap().created_at, 1000);
        // Newer from the third page is the second again, newest first.
        let back = page(Cursor::After(Position::of(&third[0]))).await.unwrap();
        assert_eq!(times(&back), times(&second), "{}", t.name());
        assert!(first
            .iter()
            .chain(&second)
            .chain(&third)
            .all(|e| e.user_id.as_deref() == Some("alice")));
        t.finish().await;
    }
}

#[tokio::test]
async fn pages_stay_put_while_new_events_arrive() {
    for t in TestDb::all().await {
        seed(&t.db).await;
        let first = timeline::page(&t.db, "alice", Filter::default(), Cursor::Newest, 10)
            .await
            .unwrap();
        let cursor = Cursor::Before(Position::of(&first[9]));
        let before = timeline::page(&t.db, "alice", Filter::default(), cursor, 10)
            .await
            .unwrap();
        for i in 0..5 {
            insert(&t.db, "alice", "login_success", "security", 9000 + i).await;
        }
        let after = timeline::page(&t.db, "alice", Filter::default(), cursor, 10)
            .await
            .unwrap();
        assert_eq!(times(&before), times(&after), "{}", t.name());
        t.finish().await;
    }
}

#[tokio::test]
async fn category_and_period_filters() {
    for t in TestDb::all().await {
        seed(&t.db).await;
        let security = Filter {
            category: Some(Category::Security),
            ..Filter::default()
        };
        let events = timeline::page(&t.db, "alice", security, Cursor::Newest, 100)
            .await
            .unwrap();
        assert_eq!(events.len(), 15, "{}", t.name());
        assert!(events.iter().all(|e| e.kind == "login_success"));
        // [1000 + 10 min, 1000 + 20 min): ten events, the end excluded.
        let period = Filter {
            from: Some(1600),
            until: Some(2200),
            ..Filter::default()
        };
        let events = timeline::page(&t.db, "alice", period, Cursor::Newest, 100)
            .await
            .unwrap();
        assert_eq!(times(&events).first(), Some(&2140));
        assert_eq!(times(&events).last(), Some(&1600));
        assert_eq!(events.len(), 10, "{}", t.name());
        let both = Filter {
            category: Some(Category::Profile),
            from: Some(1600),
            until: Some(2200),
        };
        let events = timeline::page(&t.db, "alice", both, Cursor::Newest, 3).await.unwrap();
        assert_eq!(times(&events), [2140, 2020, 1900], "{}", t.name());
        let empty = Filter {
            category: Some(Category::Billing),
            ..Filter::default()
        };
        assert!(timeline::page(&t.db, "alice", empty, Cursor::Newest, 10)
            .await
            .unwrap()
            .is_empty());
        t.finish().await;
    }
}

#[tokio::test]
async fn another_accounts_cursor_only_positions_your_own_events() {
    for t in TestDb::all().await {
        seed(&t.db).await;
        let bobs = timeline::page(&t.db, "bob", Filter::default(), Cursor::Newest, 10)
            .await
            .unwrap();
        assert_eq!(bobs.len(), 10);
        // Alice presents Bob's newest event as her cursor: she gets her own older events.
        let cursor = Cursor::Before(Position::of(&bobs[0]));
        let mine = timeline::page(&t.db, "alice", Filter::default(), cursor, 100)
            .await
            .unwrap();
        assert!(!mine.is_empty());
        assert!(
            mine.iter().all(|e| e.user_id.as_deref() == Some("alice")),
            "{}",
            t.name()
        );
        assert!(timeline::page(&t.db, "carol", Filter::default(), Cursor::Newest, 10)
            .await
            .unwrap()
            .is_empty());
        t.finish().await;
    }
}

#[tokio::test]
async fn every_page_reads_through_an_index() {
    for t in TestDb::all().await {
        seed(&t.db).await;
        let mut conn = t.db.pool.acquire().await.unwrap();
        if t.db.backend == server::db::Backend::Postgres {
            // Forty rows are cheaper to scan: ask whether the index *can* serve the query in
            // its order (the benchmark shows the plans on a million rows).
            for setting in ["enable_seqscan", "enable_bitmapscan", "enable_sort"] {
                sqlx::query(&format!("SET {setting} = off"))
                    .execute(&mut *conn)
                    .await
                    .unwrap();
            }
        }
        let deep = Cursor::Before(Position { at: 1500, id: 7 });
        let filtered = Filter {
            category: Some(Category::Security),
            from: Some(1000),
            until: Some(5000),
        };
        for (filter, cursor) in [
            (Filter::default(), Cursor::Newest),
            (Filter::default(), deep),
            (filtered, Cursor::Newest),
            (filtered, Cursor::After(Position { at: 1500, id: 7 })),
        ] {
            let plan = timeline::explain(&mut conn, t.db.backend, "alice", filter, cursor, 51)
                .await
                .unwrap()
                .join("\n");
            let indexed = plan.contains("account_events_timeline") || plan.contains("account_events_by_category");
            assert!(indexed, "{}: no index in\n{plan}", t.name());
            assert!(
                !plan.contains("TEMP B-TREE") && !plan.contains("Sort "),
                "{}: sorts in\n{plan}",
                t.name()
            );
        }
        drop(conn);
        t.finish().await;
    }
}
