//! Store tests for what issue 15's review added, on SQLite and PostgreSQL: known browsers kept
//! per account and forgotten with the password, `end_access` ending exactly what it says, and
//! "it was not me" links that work once and only take access away.

use crate::support::{count_rows, new_user, test_mail, TestDb};
use server::db::api_tokens::NewToken;
use server::db::events::Actor;
use server::db::security::{self, Ended, Keep};
use server::db::security_reports::{self, Alert, OwnerAlert, Reported};
use server::db::sessions::{self, NewSession};
use server::db::users::PasswordHash;
use server::db::{api_tokens, challenges, devices, ssh_keys, users};
use server::keys::parse::parse;

const ED25519: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFaiS4wVC9KKH2lcyQ2qCoOBUhSjwu24NLDDWB/6NNCR alice@laptop";

async fn session(t: &TestDb, user_id: &str, digest: &str) {
    let new = NewSession {
        id_digest: digest,
        user_id,
        ip: "203.0.113.7",
        user_agent: "test",
    };
    sessions::create(&t.db, new, Default::default(), server::db::now())
        .await
        .unwrap();
}

#[tokio::test]
async fn an_account_keeps_its_most_recent_browsers_and_only_its_own() {
    for t in TestDb::all().await {
        let (alice, bob) = (new_user(&t.db, "alice").await, new_user(&t.db, "bob").await);
        for n in 0..=devices::MAX_PER_ACCOUNT {
            devices::remember(&t.db, &alice.id, &format!("nonce-{n}"), 1000 + n)
                .await
                .unwrap();
        }
        let kept = count_rows(&t.db, "SELECT COUNT(*) FROM device_nonces").await;
        assert_eq!(kept, devices::MAX_PER_ACCOUNT, "{}", t.name());
        assert!(
            !devices::recognise(&t.db, &alice.id, "nonce-0", 2000).await.unwrap(),
            "the oldest went"
        );
        assert!(devices::recognise(&t.db, &alice.id, "nonce-1", 2000).await.unwrap());
        assert!(
            !devices::recognise(&t.db, &bob.id, "nonce-1", 2000).await.unwrap(),
            "not bob's"
        );
        // Used just now, nonce-1 is the newest: the next one pushes out nonce-2 instead.
        devices::remember(&t.db, &alice.id, "nonce-new", 2001).await.unwrap();
        assert!(
            devices::recognise(&t.db, &alice.id, "nonce-1", 2002).await.unwrap(),
            "{}",
            t.name()
        );
        assert!(!devices::recognise(&t.db, &alice.id, "nonce-2", 2002).await.unwrap());
        t.finish().await;
    }
}

#[tokio::test]
async fn end_access_keeps_the_changing_session_or_nothing() {
    for t in TestDb::all().await {
        let alice = new_user(&t.db, "alice").await;
        let actor = Actor::default();
        for digest in ["s1", "s2", "s3"] {
            session(&t, &alice.id, digest).await;
        }
        api_tokens::create(&t.db, &alice.id, NewToken::named("ci"), &actor, None, 10)
            .await
            .unwrap();
        challenges::create(&t.db, "challenge", &alice.id, server::db::now())
            .await
            .unwrap();
        devices::remember(&t.db, &alice.id, "browser", 10).await.unwrap();

        let mut tx = t.db.begin_write().await.unwrap();
        let ended = security::end_access(&mut tx, &alice.id, Keep::Session("s1"))
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(
            ended,
            Ended {
                sessions: 2,
                tokens: 0,
                email_changes: 0,
                passkeys: 0
            },
            "{}",
            t.name()
        );
        assert_eq!(count_rows(&t.db, "SELECT COUNT(*) FROM sessions").await, 1);
        assert_eq!(
            count_rows(&t.db, "SELECT COUNT(*) FROM api_tokens").await,
            1,
            "a password change keeps tokens"
        );
        assert_eq!(count_rows(&t.db, "SELECT COUNT(*) FROM sign_in_challenges").await, 0);
        assert_eq!(count_rows(&t.db, "SELECT COUNT(*) FROM device_nonces").await, 0);

        // The operator's reset ends everything, tokens included.
        users::reset_password(&t.db, &alice.id, &PasswordHash("$argon2id$other".into()), &actor)
            .await
            .unwrap();
        assert_eq!(
            count_rows(&t.db, "SELECT COUNT(*) FROM sessions").await,
            0,
            "{}",
            t.name()
        );
        assert_eq!(count_rows(&t.db, "SELECT COUNT(*) FROM api_tokens").await, 0);
        let data = count_rows(
            &t.db,
            "SELECT COUNT(*) FROM account_events WHERE type = 'edit_password' AND data LIKE '%\"tokens_revoked\":1%'",
        )
        .await;
        assert_eq!(data, 1, "{}", t.name());
        t.finish().await;
    }
}

fn alert(digest: &str, kind: Alert, subject: Option<&str>, to: &str) -> OwnerAlert {
    OwnerAlert {
        alert: kind,
        subject: subject.map(str::to_string),
        token_digest: digest.into(),
        mail: test_mail(to),
    }
}

#[tokio::test]
async fn it_was_not_me_works_once_ends_access_and_removes_the_reported_key() {
    for t in TestDb::all().await {
        let (alice, bob) = (new_user(&t.db, "alice").await, new_user(&t.db, "bob").await);
        let actor = Actor::default();
        let key = parse(ED25519).unwrap();
        let now = server::db::now();
        let told = alert("d-key", Alert::NewKey, Some(&key.fingerprint), "alice@example.com");
        ssh_keys::add(&t.db, &alice.id, "laptop", &key, &actor, Some(&told), now)
            .await
            .unwrap();
        assert_eq!(
            count_rows(&t.db, "SELECT COUNT(*) FROM mail_queue").await,
            1,
            "queued with the key"
        );
        let bobs = alert("d-bob", Alert::NewToken, None, "bob@example.com");
        api_tokens::create(&t.db, &bob.id, NewToken::named("bob's"), &actor, Some(&bobs), now)
            .await
            .unwrap();
        api_tokens::create(&t.db, &alice.id, NewToken::named("ci"), &actor, None, now)
            .await
            .unwrap();
        session(&t, &alice.id, "alice-session").await;
        session(&t, &bob.id, "bob-session").await;

        assert!(security_reports::is_usable(&t.db, "d-key", now).await.unwrap());
        let done = security_reports::report(&t.db, "d-key", &actor, now).await.unwrap();
        assert_eq!(
            done,
            Reported::Done {
                key_removed: true,
                passkey_removed: false
            },
            "{}",
            t.name()
        );
        assert_eq!(count_rows(&t.db, "SELECT COUNT(*) FROM ssh_keys").await, 0);
        let alice_left = format!(
            "SELECT (SELECT COUNT(*) FROM sessions WHERE user_id = '{0}') + (SELECT COUNT(*) FROM api_tokens WHERE user_id = '{0}')",
            alice.id
        );
        assert_eq!(count_rows(&t.db, &alice_left).await, 0, "{}", t.name());
        let bob_left = format!(
            "SELECT (SELECT COUNT(*) FROM sessions WHERE user_id = '{0}') + (SELECT COUNT(*) FROM api_tokens WHERE user_id = '{0}')",
            bob.id
        );
        assert_eq!(count_rows(&t.db, &bob_left).await, 2, "bob is untouched");
        assert_eq!(
            count_rows(
                &t.db,
                "SELECT COUNT(*) FROM account_events WHERE type = 'security_report'"
            )
            .await,
            1
        );
        // Once only, and never after it expires.
        assert!(!security_reports::is_usable(&t.db, "d-key", now).await.unwrap());
        assert_eq!(
            security_reports::report(&t.db, "d-key", &actor, now).await.unwrap(),
            Reported::Unusable
        );
        let late = now + security_reports::LIFETIME_SECS + 1;
        assert_eq!(
            security_reports::report(&t.db, "d-bob", &actor, late).await.unwrap(),
            Reported::Unusable,
            "{}",
            t.name()
        );
        assert_eq!(
            security_reports::report(&t.db, "unknown", &actor, now).await.unwrap(),
            Reported::Unusable
        );
        t.finish().await;
    }
}
