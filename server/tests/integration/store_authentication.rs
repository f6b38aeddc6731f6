//! Store tests for the Authentication tab, on SQLite and PostgreSQL: the single use of codes
//! and time steps, session revocation, password change and account deletion, each atomic.

use crate::support::{count_rows, new_user, test_mail, TestDb};
use server::db::apps::{self, ChangedBy, CreateAppError, Which};
use server::db::events::Actor;
use server::db::security::{self, Deletion};
use server::db::sessions::{self, NewSession};
use server::db::users::{self, PasswordHash};
use server::db::{totp, Db};
use sqlx::Row;

async fn session(db: &Db, user: &users::User, digest: &str) {
    let new = NewSession {
        id_digest: digest,
        user_id: &user.id,
        ip: "203.0.113.7",
        user_agent: "test",
    };
    sessions::create(db, new, Default::default(), server::db::now())
        .await
        .unwrap();
}

#[tokio::test]
async fn time_steps_and_recovery_codes_are_accepted_once() {
    for t in TestDb::all().await {
        let alice = new_user(&t.db, "alice").await;
        assert!(totp::start(&t.db, &alice.id, "sealed-1", 1).await.unwrap());
        assert!(
            totp::start(&t.db, &alice.id, "sealed-2", 2).await.unwrap(),
            "a pending secret is replaced"
        );
        assert!(
            !totp::accept_step(&t.db, &alice.id, 100).await.unwrap(),
            "not enabled yet"
        );
        let digests = vec!["d1".to_string(), "d2".to_string()];
        assert!(
            totp::enable(&t.db, &alice.id, 100, &digests, &Actor::default(), None, 3)
                .await
                .unwrap()
        );
        assert!(
            !totp::enable(&t.db, &alice.id, 101, &digests, &Actor::default(), None, 3)
                .await
                .unwrap()
        );
        assert!(
            !totp::start(&t.db, &alice.id, "sealed-3", 4).await.unwrap(),
            "on: no new enrolment"
        );
        assert_eq!(
            totp::get(&t.db, &alice.id).await.unwrap().unwrap().sealed_secret,
            "sealed-2"
        );
        assert!(
            !totp::accept_step(&t.db, &alice.id, 100).await.unwrap(),
            "the enrolment step is spent"
        );
        assert!(totp::accept_step(&t.db, &alice.id, 101).await.unwrap());
        assert!(!totp::accept_step(&t.db, &alice.id, 101).await.unwrap(), "replay");
        assert!(!totp::accept_step(&t.db, &alice.id, 99).await.unwrap(), "older step");
        assert!(totp::use_recovery_code(&t.db, &alice.id, "d1", 5).await.unwrap());
        assert!(!totp::use_recovery_code(&t.db, &alice.id, "d1", 6).await.unwrap());
        assert_eq!(totp::codes_left(&t.db, &alice.id).await.unwrap(), 1);
        totp::replace_recovery_codes(&t.db, &alice.id, &["d3".into()], &Actor::default(), None)
            .await
            .unwrap();
        assert!(
            !totp::use_recovery_code(&t.db, &alice.id, "d2", 7).await.unwrap(),
            "old codes are gone"
        );
        totp::disable(&t.db, &alice.id, &Actor::default(), None).await.unwrap();
        assert!(!totp::is_enabled(&t.db, &alice.id).await.unwrap());
        assert_eq!(count_rows(&t.db, "SELECT COUNT(*) FROM recovery_codes").await, 0);
        t.finish().await;
    }
}

#[tokio::test]
async fn only_the_owners_sessions_are_revoked_and_a_password_change_keeps_the_current_one() {
    for t in TestDb::all().await {
        let alice = new_user(&t.db, "alice").await;
        let bob = new_user(&t.db, "bob").await;
        for digest in ["a1", "a2", "a3"] {
            session(&t.db, &alice, digest).await;
        }
        session(&t.db, &bob, "b1").await;
        let mut conn = t.db.pool.acquire().await.unwrap();
        assert!(!sessions::revoke_for_user(&mut conn, &alice.id, "b1").await.unwrap());
        assert!(sessions::revoke_for_user(&mut conn, &alice.id, "a3").await.unwrap());
        drop(conn);
        let hash = PasswordHash("$argon2id$new".into());
        security::change_password(
            &t.db,
            &alice.id,
            "a1",
            &hash,
            &Actor::default(),
            &test_mail("alice@example.com"),
            9,
        )
        .await
        .unwrap();
        let left = sessions::for_user(&t.db, &alice.id, Default::default(), server::db::now())
            .await
            .unwrap();
        assert_eq!(left.iter().map(|s| s.id_digest.as_str()).collect::<Vec<_>>(), ["a1"]);
        assert_eq!(
            count_rows(&t.db, "SELECT COUNT(*) FROM sessions WHERE id_digest = 'b1'").await,
            1
        );
        assert_eq!(count_rows(&t.db, "SELECT COUNT(*) FROM mail_queue").await, 1);
        // Re-authentication moves the session to a new id and opens the window.
        assert!(sessions::reauthenticate(&t.db, "a1", "a1-new", 50).await.unwrap());
        assert_eq!(sessions::reauthenticated_at(&t.db, "a1-new").await.unwrap(), Some(50));
        assert!(!sessions::reauthenticate(&t.db, "a1", "x", 51).await.unwrap());
        t.finish().await;
    }
}

#[tokio::test]
async fn apps_have_one_name_an_owner_limit_and_events_on_the_owners_timeline() {
    for t in TestDb::all().await {
        let alice = new_user(&t.db, "alice").await;
        let bob = new_user(&t.db, "bob").await;
        let actor = Actor::default();
        let owner = ChangedBy::Owner;
        let first = apps::create(&t.db, &alice.id, "alice-app", 2, &actor, owner, 1)
            .await
            .unwrap();
        assert!(matches!(
            apps::create(&t.db, &bob.id, "alice-app", 2, &actor, owner, 2).await,
            Err(CreateAppError::NameTaken(_))
        ));
        apps::create(&t.db, &alice.id, "alice-two", 2, &actor, owner, 3)
            .await
            .unwrap();
        assert!(matches!(
            apps::create(&t.db, &alice.id, "alice-three", 2, &actor, owner, 4).await,
            Err(CreateAppError::TooMany)
        ));
        assert_eq!(
            count_rows(&t.db, "SELECT COUNT(*) FROM apps").await,
            2,
            "refusals wrote nothing"
        );

        // Bob cannot delete Alice's application by its id.
        let bobs_try = Which::OwnedId {
            owner_id: &bob.id,
            id: &first.id,
        };
        assert_eq!(apps::delete(&t.db, bobs_try, &actor, owner).await.unwrap(), None);
        let alices = Which::OwnedId {
            owner_id: &alice.id,
            id: &first.id,
        };
        assert_eq!(
            apps::delete(&t.db, alices, &actor, owner).await.unwrap(),
            Some(first.clone())
        );
        assert_eq!(apps::delete(&t.db, alices, &actor, owner).await.unwrap(), None, "gone");
        let by_operator = Which::Named("alice-two");
        assert!(apps::delete(&t.db, by_operator, &actor, ChangedBy::Operator)
            .await
            .unwrap()
            .is_some());

        let kinds = sqlx::query(
            "SELECT type, user_id, data FROM account_events WHERE type IN ('new_app', 'delete_app') ORDER BY id",
        )
        .fetch_all(&t.db.pool)
        .await
        .unwrap();
        let kinds: Vec<(String, String, String)> = kinds.iter().map(|r| (r.get(0), r.get(1), r.get(2))).collect();
        assert_eq!(
            kinds.len(),
            4,
            "two created, two deleted, nothing for refusals: {kinds:?}"
        );
        assert!(kinds.iter().all(|(_, user, _)| *user == alice.id));
        assert_eq!(kinds[0].0, "new_app");
        assert!(kinds[0].2.contains(&first.id) && kinds[0].2.contains("alice-app"));
        assert_eq!(kinds[2].0, "delete_app");
        assert!(kinds[3].2.contains(r#""by":"operator""#), "{}", kinds[3].2);
        t.finish().await;
    }
}

#[tokio::test]
async fn an_owners_apps_are_listed_in_natural_order() {
    for t in TestDb::all().await {
        let carol = new_user(&t.db, "carol").await;
        for (at, name) in ["app-10", "app-6", "app-7", "app-1"].into_iter().enumerate() {
            apps::create(
                &t.db,
                &carol.id,
                name,
                10,
                &Actor::default(),
                ChangedBy::Owner,
                at as i64,
            )
            .await
            .unwrap();
        }
        let mut conn = t.db.pool.acquire().await.unwrap();
        let names: Vec<String> = apps::owned_by(&mut conn, &carol.id)
            .await
            .unwrap()
            .into_iter()
            .map(|a| a.name)
            .collect();
        assert_eq!(names, ["app-1", "app-6", "app-7", "app-10"], "{}", t.name());
        drop(conn);
        t.finish().await;
    }
}

/// Parallel creations cannot pass an account's limit together: on PostgreSQL each counts after
/// the one before it committed (the account's row is locked), on SQLite writers take turns.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_creations_stop_at_the_owners_limit() {
    for t in TestDb::all().await {
        let alice = new_user(&t.db, "alice").await;
        // All attempts start together.
        let start = std::sync::Arc::new(tokio::sync::Barrier::new(8));
        let attempts: Vec<_> = (0..8)
            .map(|i| {
                let (db, owner, start) = (t.db.clone(), alice.id.clone(), start.clone());
                tokio::spawn(async move {
                    start.wait().await;
                    let name = format!("app-{i}");
                    apps::create(&db, &owner, &name, 3, &Actor::default(), ChangedBy::Owner, 1).await
                })
            })
            .collect();
        let mut created = 0;
        // Spawned: they run together; awaiting them in turn only gathers the answers.
        for attempt in attempts {
            match attempt.await.unwrap() {
                Ok(_) => created += 1,
                Err(CreateAppError::TooMany) => {}
                Err(e) => panic!("{e}"),
            }
        }
        assert_eq!(created, 3);
        assert_eq!(count_rows(&t.db, "SELECT COUNT(*) FROM apps").await, 3);
        assert_eq!(
            count_rows(&t.db, "SELECT COUNT(*) FROM account_events WHERE type = 'new_app'").await,
            3
        );
        t.finish().await;
    }
}

#[tokio::test]
async fn deletion_waits_for_apps_and_keeps_only_the_events() {
    for t in TestDb::all().await {
        let alice = new_user(&t.db, "alice").await;
        // Another account, which must outlive this one.
        new_user(&t.db, "bob").await;
        session(&t.db, &alice, "a1").await;
        totp::start(&t.db, &alice.id, "sealed", 1).await.unwrap();
        let owner = ChangedBy::Owner;
        apps::create(&t.db, &alice.id, "alice-app", 5, &Actor::default(), owner, 1)
            .await
            .unwrap();
        let refused = security::delete_account(&t.db, &alice.id, &Actor::default(), "", &test_mail("a@x.io"), 3)
            .await
            .unwrap();
        assert_eq!(refused, Deletion::OwnsApps(vec!["alice-app".into()]));
        assert_eq!(count_rows(&t.db, "SELECT COUNT(*) FROM users").await, 2);
        assert_eq!(
            count_rows(&t.db, "SELECT COUNT(*) FROM mail_queue").await,
            0,
            "nothing half-done"
        );
        let named = Which::Named("alice-app");
        assert!(apps::delete(&t.db, named, &Actor::default(), owner)
            .await
            .unwrap()
            .is_some());
        let done = security::delete_account(&t.db, &alice.id, &Actor::default(), " bye ", &test_mail("a@x.io"), 4)
            .await
            .unwrap();
        assert_eq!(done, Deletion::Deleted);
        assert_eq!(count_rows(&t.db, "SELECT COUNT(*) FROM users").await, 1);
        for table in ["sessions", "totp_secrets"] {
            assert_eq!(
                count_rows(&t.db, &format!("SELECT COUNT(*) FROM {table}")).await,
                0,
                "{table}"
            );
        }
        let kept = count_rows(
            &t.db,
            &format!("SELECT COUNT(*) FROM account_events WHERE user_id = '{}'", alice.id),
        )
        .await;
        assert!(kept >= 2, "the history stays: new_user and delete_account");
        t.finish().await;
    }
}

#[tokio::test]
async fn email_changes_apply_once_refuse_taken_addresses_and_revert_on_report() {
    use server::db::email_changes::{self, Confirmed, Reported, Request, Requested};
    for t in TestDb::all().await {
        let alice = new_user(&t.db, "alice").await;
        new_user(&t.db, "bob").await;
        let actor = Actor::default();
        let at = server::db::now();
        let ask = |new_email: &'static str, token: &'static str, cancel: &'static str| Request {
            user_id: &alice.id,
            old_email: "alice@example.com",
            new_email,
            token_digest: token,
            cancel_digest: cancel,
        };
        let mails = [test_mail("alice@new.example"), test_mail("alice@example.com")];
        let taken = email_changes::request(&t.db, ask("bob@example.com", "t0", "c0"), &actor, &mails, at)
            .await
            .unwrap();
        assert_eq!(taken, Requested::Taken, "{}", t.name());
        assert_eq!(
            count_rows(&t.db, "SELECT COUNT(*) FROM mail_queue").await,
            0,
            "nothing half-written"
        );

        let stored = email_changes::request(&t.db, ask("alice@new.example", "t1", "c1"), &actor, &mails, at)
            .await
            .unwrap();
        assert_eq!(stored, Requested::Stored);
        assert_eq!(count_rows(&t.db, "SELECT COUNT(*) FROM mail_queue").await, 2);
        // A second request replaces the first: its link stops working.
        email_changes::request(&t.db, ask("alice@new.example", "t2", "c2"), &actor, &mails, at)
            .await
            .unwrap();
        assert_eq!(
            email_changes::confirm(&t.db, "t1", &actor, at).await.unwrap(),
            Confirmed::Unusable
        );
        let pending = email_changes::pending(&t.db, &alice.id, at).await.unwrap().unwrap();
        assert_eq!(pending.new_email, "alice@new.example");
        assert_eq!(pending.expires_at, at + email_changes::CONFIRM_LIFETIME_SECS);
        // Expired links do nothing.
        assert_eq!(
            email_changes::confirm(&t.db, "t2", &actor, at + email_changes::CONFIRM_LIFETIME_SECS)
                .await
                .unwrap(),
            Confirmed::Unusable
        );
        assert_eq!(
            email_changes::confirm(&t.db, "t2", &actor, at).await.unwrap(),
            Confirmed::Applied {
                user_id: alice.id.clone()
            },
            "{}",
            t.name()
        );
        assert_eq!(
            email_changes::confirm(&t.db, "t2", &actor, at).await.unwrap(),
            Confirmed::Unusable
        );
        assert_eq!(email_of(&t.db, "alice").await, "alice@new.example");

        session(&t.db, &alice, "s1").await;
        assert_eq!(
            email_changes::report(&t.db, "c1", &actor, at).await.unwrap(),
            Reported::Cancelled,
            "the replaced request's report only closes it"
        );
        assert_eq!(
            email_changes::report(&t.db, "c2", &actor, at).await.unwrap(),
            Reported::Reverted
        );
        assert_eq!(email_of(&t.db, "alice").await, "alice@example.com");
        assert_eq!(count_rows(&t.db, "SELECT COUNT(*) FROM sessions").await, 0);
        assert_eq!(
            email_changes::report(&t.db, "c2", &actor, at).await.unwrap(),
            Reported::Unusable
        );
        t.finish().await;
    }
}

async fn email_of(db: &Db, username: &str) -> String {
    sqlx::query("SELECT email FROM users WHERE username = $1")
        .bind(username)
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get(0)
}
