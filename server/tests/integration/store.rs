//! Store tests: each runs on a fresh SQLite file and, when configured, a fresh PostgreSQL
//! database, and must behave the same on both.

use crate::support::TestDb;
use serde_json::json;
use server::db::events::{self, Actor, EventType, NewEvent};
use server::db::sessions::{self, Lifetimes, NewSession};
use server::db::users::{self, CreateUserError, NewUser, PasswordHash};
use server::db::{throttle, Backend, Db};
use sqlx::Row;

fn new_user<'a>(username: &'a str, email: &'a str) -> NewUser<'a> {
    NewUser {
        username,
        email,
        password_hash: PasswordHash("$argon2id$fake".into()),
        prefs: Default::default(),
        time_zone: "UTC",
    }
}

/// Alice, whom most store tests need: created directly, with a placeholder hash.
async fn create_alice(db: &Db) -> users::User {
    users::create(db, new_user("alice", "alice@example.com"), &Actor::default(), json!({}))
        .await
        .unwrap()
}

async fn open_session(db: &Db, digest: &str, user_id: &str, life: Lifetimes, at: i64) {
    let new = NewSession {
        id_digest: digest,
        user_id,
        ip: "203.0.113.7",
        user_agent: "test",
    };
    sessions::create(db, new, life, at).await.unwrap();
}

async fn count(db: &Db, sql: &str) -> i64 {
    sqlx::query(sql)
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .try_get::<i64, _>(0)
        .unwrap()
}

#[tokio::test]
async fn migrations_are_idempotent() {
    for t in TestDb::all().await {
        t.db.migrate().await.unwrap();
        assert_eq!(count(&t.db, "SELECT COUNT(*) FROM users").await, 0, "{}", t.name());
        t.finish().await;
    }
}

#[tokio::test]
async fn sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout() {
    let t = TestDb::sqlite().await;
    let mut conn = t.db.pool.acquire().await.unwrap();
    let mode: String = sqlx::query("PRAGMA journal_mode")
        .fetch_one(&mut *conn)
        .await
        .unwrap()
        .try_get(0)
        .unwrap();
    let fk: i64 = sqlx::query("PRAGMA foreign_keys")
        .fetch_one(&mut *conn)
        .await
        .unwrap()
        .try_get(0)
        .unwrap();
    let busy: i64 = sqlx::query("PRAGMA busy_timeout")
        .fetch_one(&mut *conn)
        .await
        .unwrap()
        .try_get(0)
        .unwrap();
    assert_eq!((mode.as_str(), fk, busy), ("wal", 1, 5000));
}

#[tokio::test]
async fn creating_a_user_records_new_user_in_the_same_transaction() {
    for t in TestDb::all().await {
        let user = create_alice(&t.db).await;
        let mut conn = t.db.pool.acquire().await.unwrap();
        let events = events::for_user(&mut conn, &user.id, 10).await.unwrap();
        assert_eq!(events.len(), 1, "{}", t.name());
        assert_eq!(events[0].kind, "new_user");
        drop(conn);
        t.finish().await;
    }
}

#[tokio::test]
async fn duplicates_are_refused_and_leave_nothing_behind() {
    for t in TestDb::all().await {
        create_alice(&t.db).await;
        let by_name = users::create(
            &t.db,
            new_user("alice", "other@example.com"),
            &Actor::default(),
            json!({}),
        )
        .await;
        assert!(matches!(by_name, Err(CreateUserError::UsernameTaken)), "{}", t.name());
        let by_email = users::create(
            &t.db,
            new_user("bob", "alice@example.com"),
            &Actor::default(),
            json!({}),
        )
        .await;
        assert!(matches!(by_email, Err(CreateUserError::EmailTaken)), "{}", t.name());
        assert_eq!(count(&t.db, "SELECT COUNT(*) FROM users").await, 1);
        assert_eq!(count(&t.db, "SELECT COUNT(*) FROM account_events").await, 1);
        t.finish().await;
    }
}

/// Deferred transactions that read then write fail at once on SQLite when another connection
/// wrote in between (SQLITE_BUSY_SNAPSHOT): simultaneous sign-ups must wait their turn and
/// answer "taken", never a database error.
#[tokio::test]
async fn simultaneous_sign_ups_with_one_name_answer_taken_not_an_error() {
    for t in TestDb::all().await {
        for round in 0..5 {
            let name = format!("racer{round}");
            let attempts: Vec<_> = (0..8)
                .map(|n| {
                    let (db, name) = (t.db.clone(), name.clone());
                    tokio::spawn(async move {
                        let email = format!("{name}-{n}@example.com");
                        users::create(&db, new_user(&name, &email), &Actor::default(), json!({})).await
                    })
                })
                .collect();
            let mut created = 0;
            for attempt in attempts {
                match attempt.await.unwrap() {
                    Ok(_) => created += 1,
                    Err(CreateUserError::UsernameTaken) => {}
                    Err(other) => panic!("{}: {other:?}", t.name()),
                }
            }
            assert_eq!(created, 1, "{}", t.name());
        }
        t.finish().await;
    }
}

#[tokio::test]
async fn users_are_found_by_username_or_email_case_insensitively() {
    for t in TestDb::all().await {
        let user = create_alice(&t.db).await;
        for login in ["alice", "ALICE", " Alice@Example.com "] {
            let found = users::find_by_login(&t.db, login).await.unwrap().unwrap();
            assert_eq!(found.id, user.id, "{} {login}", t.name());
        }
        assert!(users::find_by_login(&t.db, "nobody").await.unwrap().is_none());
        t.finish().await;
    }
}

#[tokio::test]
async fn an_account_keeps_at_most_its_50_most_recent_sessions() {
    for t in TestDb::all().await {
        let user = create_alice(&t.db).await;
        let life = Lifetimes::default();
        for n in 0..sessions::MAX_PER_USER + 2 {
            open_session(&t.db, &format!("s{n}"), &user.id, life, 1_000_000 + n).await;
        }
        // Another sign-in in the same second as the last: the new one is kept, never itself.
        open_session(&t.db, "newest", &user.id, life, 1_000_000 + sessions::MAX_PER_USER + 1).await;
        assert_eq!(
            count(&t.db, "SELECT COUNT(*) FROM sessions").await,
            sessions::MAX_PER_USER,
            "{}",
            t.name()
        );
        for gone in ["s0", "s1", "s2"] {
            let sql = format!("SELECT COUNT(*) FROM sessions WHERE id_digest = '{gone}'");
            assert_eq!(count(&t.db, &sql).await, 0, "{gone} on {}", t.name());
        }
        assert_eq!(
            count(&t.db, "SELECT COUNT(*) FROM sessions WHERE id_digest = 'newest'").await,
            1
        );
        t.finish().await;
    }
}

#[tokio::test]
async fn sessions_expire_when_idle_or_too_old_and_can_be_revoked() {
    let life = Lifetimes {
        idle_secs: 100,
        absolute_secs: 1000,
    };
    for t in TestDb::all().await {
        let user = create_alice(&t.db).await;
        let start = 1_000_000;
        open_session(&t.db, "a", &user.id, life, start).await;
        // Used every 90 s, it stays alive past its idle time...
        let mut at = start;
        while at + 90 < start + 1000 {
            at += 90;
            assert!(
                sessions::authenticate(&t.db, "a", life, at).await.unwrap().is_some(),
                "{} at {at}",
                t.name()
            );
        }
        // ...but not past its absolute lifetime.
        assert!(sessions::authenticate(&t.db, "a", life, start + 1000)
            .await
            .unwrap()
            .is_none());

        open_session(&t.db, "b", &user.id, life, start).await;
        assert!(
            sessions::authenticate(&t.db, "b", life, start + 101)
                .await
                .unwrap()
                .is_none(),
            "idle"
        );

        open_session(&t.db, "c", &user.id, life, start).await;
        sessions::revoke(&t.db, "c").await.unwrap();
        assert!(
            sessions::authenticate(&t.db, "c", life, start + 1)
                .await
                .unwrap()
                .is_none(),
            "revoked"
        );
        assert_eq!(
            sessions::count_for_user(&t.db, &user.id).await.unwrap(),
            0,
            "expired rows are deleted"
        );
        t.finish().await;
    }
}

#[tokio::test]
async fn two_server_processes_share_sessions_through_the_database() {
    for t in TestDb::all().await {
        let other_instance = Db::connect(&t.url).await.unwrap();
        let user = create_alice(&t.db).await;
        let life = Lifetimes::default();
        open_session(&t.db, "shared", &user.id, life, server::db::now()).await;
        let seen = sessions::authenticate(&other_instance, "shared", life, server::db::now())
            .await
            .unwrap();
        assert_eq!(seen.map(|a| a.user.id), Some(user.id.clone()), "{}", t.name());
        sessions::revoke(&other_instance, "shared").await.unwrap();
        assert!(sessions::authenticate(&t.db, "shared", life, server::db::now())
            .await
            .unwrap()
            .is_none());
        other_instance.pool.close().await;
        t.finish().await;
    }
}

#[tokio::test]
async fn resetting_a_password_signs_out_everywhere_and_is_recorded() {
    for t in TestDb::all().await {
        let user = create_alice(&t.db).await;
        for d in ["s1", "s2"] {
            open_session(&t.db, d, &user.id, Lifetimes::default(), server::db::now()).await;
        }
        users::reset_password(
            &t.db,
            &user.id,
            &PasswordHash("$argon2id$new".into()),
            &Actor::default(),
        )
        .await
        .unwrap();
        assert_eq!(
            sessions::count_for_user(&t.db, &user.id).await.unwrap(),
            0,
            "{}",
            t.name()
        );
        let found = users::find_by_login(&t.db, "alice").await.unwrap().unwrap();
        assert_eq!(found.password_hash.0, "$argon2id$new");
        let mut conn = t.db.pool.acquire().await.unwrap();
        assert_eq!(
            events::for_user(&mut conn, &user.id, 1).await.unwrap()[0].kind,
            "edit_password"
        );
        drop(conn);
        t.finish().await;
    }
}

#[tokio::test]
async fn a_rehash_at_sign_in_never_overwrites_a_password_changed_meanwhile() {
    for t in TestDb::all().await {
        let alice = create_alice(&t.db).await;
        let verified = alice.password_hash.clone();
        // A reset lands between the sign-in's verification and its rehash.
        let reset = PasswordHash("$argon2id$reset".into());
        users::reset_password(&t.db, &alice.id, &reset, &Actor::default())
            .await
            .unwrap();
        let rehashed = PasswordHash("$argon2id$rehashed".into());
        users::upgrade_password_hash(&t.db, &alice.id, &verified, &rehashed)
            .await
            .unwrap();
        let stored: String = sqlx::query("SELECT password_hash FROM users WHERE id = $1")
            .bind(&alice.id)
            .fetch_one(&t.db.pool)
            .await
            .unwrap()
            .get(0);
        assert_eq!(stored, reset.0, "{}", t.name());
        // Without a change in between, the upgrade applies.
        users::upgrade_password_hash(&t.db, &alice.id, &reset, &rehashed)
            .await
            .unwrap();
        let stored: String = sqlx::query("SELECT password_hash FROM users WHERE id = $1")
            .bind(&alice.id)
            .fetch_one(&t.db.pool)
            .await
            .unwrap()
            .get(0);
        assert_eq!(stored, rehashed.0, "{}", t.name());
        t.finish().await;
    }
}

#[cfg(unix)]
#[tokio::test]
async fn a_new_sqlite_database_and_its_directory_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("data");
    let file = dir.join("vestibule.db");
    let db = Db::connect(&format!("sqlite://{}", file.display())).await.unwrap();
    db.migrate().await.unwrap();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&dir), 0o700);
    assert_eq!(mode(&file), 0o600);
    assert_eq!(mode(&dir.join("vestibule.db-wal")), 0o600, "SQLite copies the mode");
    db.pool.close().await;
}

#[tokio::test]
async fn the_event_log_is_append_only() {
    for t in TestDb::all().await {
        let mut conn = t.db.pool.acquire().await.unwrap();
        let actor = Actor {
            ip: Some("203.0.113.7".into()),
            user_agent: Some("ua".into()),
        };
        let event = NewEvent {
            user_id: Some("u1"),
            kind: EventType::LoginFailure,
            actor: &actor,
            data: json!({"remote_ip": "203.0.113.7"}),
        };
        events::record(&mut conn, event).await.unwrap();
        let update = sqlx::query("UPDATE account_events SET type = 'x'")
            .execute(&mut *conn)
            .await;
        let delete = sqlx::query("DELETE FROM account_events").execute(&mut *conn).await;
        assert!(update.is_err() && delete.is_err(), "{}", t.name());
        if t.db.backend == Backend::Postgres {
            let truncate = sqlx::query("TRUNCATE account_events").execute(&mut *conn).await;
            assert!(truncate.is_err(), "TRUNCATE is refused too");
        }
        let stored = events::for_user(&mut conn, "u1", 10).await.unwrap();
        assert_eq!(stored.len(), 1);
        assert_eq!(stored[0].kind, "login_failure");
        assert_eq!(stored[0].ip.as_deref(), Some("203.0.113.7"));
        assert_eq!(stored[0].data, json!({"remote_ip": "203.0.113.7"}));
        drop(conn);
        t.finish().await;
    }
}

#[tokio::test]
async fn throttle_counts_failures_in_a_window_and_blocks() {
    for t in TestDb::all().await {
        let window = 900;
        assert_eq!(
            throttle::add_failure(&t.db, "k", 1000, window).await.unwrap(),
            1,
            "{}",
            t.name()
        );
        assert_eq!(throttle::add_failure(&t.db, "k", 1001, window).await.unwrap(), 2);
        // After the window, counting starts over.
        assert_eq!(
            throttle::add_failure(&t.db, "k", 1000 + window + 1, window)
                .await
                .unwrap(),
            1
        );
        throttle::block(&t.db, "k", 5000).await.unwrap();
        assert_eq!(throttle::blocked_until(&t.db, "k", 4999).await.unwrap(), Some(5000));
        assert_eq!(throttle::blocked_until(&t.db, "k", 5000).await.unwrap(), None);
        throttle::clear(&t.db, "k").await.unwrap();
        assert_eq!(throttle::blocked_until(&t.db, "k", 0).await.unwrap(), None);
        t.finish().await;
    }
}

#[tokio::test]
async fn concurrent_failures_are_all_counted() {
    for t in TestDb::all().await {
        let tasks: Vec<_> = (0..10)
            .map(|_| {
                let db = t.db.clone();
                tokio::spawn(async move { throttle::add_failure(&db, "race", 1000, 900).await.unwrap() })
            })
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
        assert_eq!(
            count(&t.db, "SELECT failures FROM login_throttle WHERE key = 'race'").await,
            10,
            "{}",
            t.name()
        );
        t.finish().await;
    }
}

#[tokio::test]
async fn sweeps_delete_only_what_is_over() {
    let life = Lifetimes {
        idle_secs: 100,
        absolute_secs: 1000,
    };
    for t in TestDb::all().await {
        let user = create_alice(&t.db).await;
        let start = 1_000_000;
        for (digest, created) in [("live", start + 950), ("idle", start), ("old", start - 2000)] {
            open_session(&t.db, digest, &user.id, life, created).await;
        }
        assert_eq!(
            sessions::purge_expired(&t.db, life, start + 1000).await.unwrap(),
            2,
            "{}",
            t.name()
        );
        assert!(sessions::authenticate(&t.db, "live", life, start + 1000)
            .await
            .unwrap()
            .is_some());

        throttle::add_failure(&t.db, "stale", start - 2000, 900).await.unwrap();
        throttle::add_failure(&t.db, "recent", start, 900).await.unwrap();
        throttle::add_failure(&t.db, "blocked", start - 2000, 900)
            .await
            .unwrap();
        throttle::block(&t.db, "blocked", start + 500).await.unwrap();
        assert_eq!(
            throttle::purge_stale(&t.db, start, 900).await.unwrap(),
            1,
            "{}",
            t.name()
        );
        assert_eq!(
            throttle::blocked_until(&t.db, "blocked", start).await.unwrap(),
            Some(start + 500)
        );
        t.finish().await;
    }
}
