//! Store tests for SSH keys, API tokens and API deletion requests, on SQLite and PostgreSQL:
//! the uniqueness rules, events in the same transaction, renewal ending the old secret, and
//! everything going with its account.

use crate::support::{count_rows, new_user, test_mail, TestDb};
use server::db::account_deletions;
use server::db::api_tokens::{self, NewToken};
use server::db::events::Actor;
use server::db::security::{self, Deletion};
use server::db::ssh_keys::{self, AddKeyError};
use server::keys::parse::parse;

const ED25519: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFaiS4wVC9KKH2lcyQ2qCoOBUhSjwu24NLDDWB/6NNCR alice@laptop";
const OTHER_ED25519: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJkOn/ujuswfJsUXenMrgH00Rz5Lz7HsWzAeSlhNVyvT bob@desktop";

#[tokio::test]
async fn a_key_belongs_to_one_account_and_names_are_unique_per_account() {
    for t in TestDb::all().await {
        let (alice, bob) = (new_user(&t.db, "alice").await, new_user(&t.db, "bob").await);
        let key = parse(ED25519).unwrap();
        let actor = Actor::default();
        let added = ssh_keys::add(&t.db, &alice.id, "laptop", &key, &actor, None, 10)
            .await
            .unwrap();
        assert_eq!(added.comment, "alice@laptop");

        let again = ssh_keys::add(&t.db, &alice.id, "other name", &key, &actor, None, 11).await;
        assert!(
            matches!(again, Err(AddKeyError::AlreadyYours(name)) if name == "laptop"),
            "{}",
            t.name()
        );
        let taken = ssh_keys::add(&t.db, &bob.id, "mine", &key, &actor, None, 11).await;
        assert!(matches!(taken, Err(AddKeyError::InUse)), "{}", t.name());
        let other = parse(OTHER_ED25519).unwrap();
        let same_name = ssh_keys::add(&t.db, &alice.id, "laptop", &other, &actor, None, 12).await;
        assert!(matches!(same_name, Err(AddKeyError::NameTaken)), "{}", t.name());
        // Bob may use the name "laptop": names are per account.
        ssh_keys::add(&t.db, &bob.id, "laptop", &other, &actor, None, 12)
            .await
            .unwrap();

        assert!(ssh_keys::remove(&t.db, &bob.id, &added.id, &actor)
            .await
            .unwrap()
            .is_none());
        assert!(ssh_keys::remove(&t.db, &alice.id, &added.id, &actor)
            .await
            .unwrap()
            .is_some());
        assert!(ssh_keys::for_user(&t.db, &alice.id).await.unwrap().is_empty());
        assert_eq!(
            count_rows(&t.db, "SELECT COUNT(*) FROM account_events WHERE type = 'new_key'").await,
            2
        );
        assert_eq!(
            count_rows(&t.db, "SELECT COUNT(*) FROM account_events WHERE type = 'delete_key'").await,
            1
        );
        t.finish().await;
    }
}

#[tokio::test]
async fn renewing_a_token_ends_its_old_secret_and_revoking_ends_it() {
    for t in TestDb::all().await {
        let (alice, bob) = (new_user(&t.db, "alice").await, new_user(&t.db, "bob").await);
        let actor = Actor::default();
        let now = server::db::now();
        let (token, secret) = api_tokens::create(&t.db, &alice.id, NewToken::named("ci"), &actor, None, now)
            .await
            .unwrap();
        let found = api_tokens::by_secret(&t.db, &secret, now).await.unwrap().unwrap();
        assert_eq!(found.id, token.id);
        assert_eq!(found.last_used_at, Some(now), "{}", t.name());
        assert!(!found.digest.contains(&secret[6..]), "only the digest is stored");

        assert!(api_tokens::renew(&t.db, &bob.id, &token.id, &actor, None, now)
            .await
            .unwrap()
            .is_none());
        let (renewed, new_secret) = api_tokens::renew(&t.db, &alice.id, &token.id, &actor, None, now + 1)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((renewed.id.as_str(), renewed.name.as_str()), (token.id.as_str(), "ci"));
        assert_ne!(new_secret, secret);
        assert!(api_tokens::by_secret(&t.db, &secret, now + 1).await.unwrap().is_none());
        assert!(api_tokens::by_secret(&t.db, &new_secret, now + 1)
            .await
            .unwrap()
            .is_some());

        // An expired token is refused like an unknown one.
        let (_, short) = api_tokens::create(
            &t.db,
            &alice.id,
            NewToken {
                expires_at: Some(now + 5),
                ..NewToken::named("short")
            },
            &actor,
            None,
            now,
        )
        .await
        .unwrap();
        assert!(api_tokens::by_secret(&t.db, &short, now + 5).await.unwrap().is_none());

        assert!(api_tokens::revoke(&t.db, &bob.id, &token.id, &actor)
            .await
            .unwrap()
            .is_none());
        assert!(api_tokens::revoke(&t.db, &alice.id, &token.id, &actor)
            .await
            .unwrap()
            .is_some());
        assert!(api_tokens::by_id(&t.db, &token.id, now + 2).await.unwrap().is_none());
        for (kind, expected) in [("new_token", 2), ("regenerate_token", 1), ("delete_token", 1)] {
            let sql = format!("SELECT COUNT(*) FROM account_events WHERE type = '{kind}'");
            assert_eq!(count_rows(&t.db, &sql).await, expected, "{kind} on {}", t.name());
        }
        t.finish().await;
    }
}

#[tokio::test]
async fn deletion_requests_take_their_newest_code_and_everything_goes_with_the_account() {
    for t in TestDb::all().await {
        let alice = new_user(&t.db, "alice").await;
        let now = server::db::now();
        let first = account_deletions::request(&t.db, &alice.id, "digest-1", &test_mail(&alice.email), now)
            .await
            .unwrap();
        let digest = |id: String, at: i64| {
            let db = &t.db;
            let user = alice.id.clone();
            async move { account_deletions::live_digest(db, &user, &id, at).await.unwrap() }
        };
        assert_eq!(digest(first.id.clone(), now).await.as_deref(), Some("digest-1"));
        let second = account_deletions::request(&t.db, &alice.id, "digest-2", &test_mail(&alice.email), now)
            .await
            .unwrap();
        // Only the newest code works, and only within its hour.
        assert_eq!(digest(first.id.clone(), now).await, None);
        assert_eq!(digest(second.id.clone(), now).await.as_deref(), Some("digest-2"));
        assert_eq!(digest(second.id.clone(), second.expires_at).await, None);
        assert_eq!(
            count_rows(&t.db, "SELECT COUNT(*) FROM mail_queue").await,
            2,
            "each request queues its mail"
        );

        let key = parse(ED25519).unwrap();
        ssh_keys::add(&t.db, &alice.id, "laptop", &key, &Actor::default(), None, now)
            .await
            .unwrap();
        api_tokens::create(&t.db, &alice.id, NewToken::named("ci"), &Actor::default(), None, now)
            .await
            .unwrap();
        let gone = security::delete_account(&t.db, &alice.id, &Actor::default(), "", &test_mail(&alice.email), now)
            .await
            .unwrap();
        assert!(matches!(gone, Deletion::Deleted));
        for table in ["ssh_keys", "api_tokens", "account_deletions"] {
            let sql = format!("SELECT COUNT(*) FROM {table}");
            assert_eq!(count_rows(&t.db, &sql).await, 0, "{table} on {}", t.name());
        }
        t.finish().await;
    }
}
