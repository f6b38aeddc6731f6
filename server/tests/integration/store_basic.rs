//! Store tests for the Basic information tab (profile, newsletter, preferences, legal
//! documents): each on a fresh SQLite file and, when configured, a fresh PostgreSQL database.

use crate::support::{new_user, TestDb};
use app::i18n::Lang;
use app::model::{DocumentKind, Profile, ProfileField};
use app::prefs::Theme;
use serde_json::json;
use server::db::account::{self, UpdateProfileError};
use server::db::documents::{self, AcceptError, NewDocument, PublishError};
use server::db::events::{self, Actor};
use server::db::users;
use server::db::Db;
use sqlx::Row;

async fn event_types(db: &Db, user_id: &str) -> Vec<String> {
    let mut conn = db.pool.acquire().await.unwrap();
    let mut types: Vec<String> = events::for_user(&mut conn, user_id, 100)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.kind)
        .collect();
    types.reverse();
    types
}

fn profile(username: &str, location: &str) -> Profile {
    Profile {
        username: username.into(),
        fullname: "Alice Liddell".into(),
        location: location.into(),
        company: String::new(),
        bio: "Line one\nline two — é".into(),
    }
}

#[tokio::test]
async fn profile_updates_report_changes_and_refuse_taken_names() {
    for t in TestDb::all().await {
        let alice = new_user(&t.db, "alice").await;
        new_user(&t.db, "bob").await;
        let changed = account::update_profile(&t.db, &alice.id, &profile("alice", "Oxford"), &Actor::default())
            .await
            .unwrap();
        assert_eq!(
            changed,
            [ProfileField::Fullname, ProfileField::Location, ProfileField::Bio],
            "{}",
            t.name()
        );
        let stored = account::profile(&t.db, &alice.id).await.unwrap().unwrap();
        assert_eq!(stored.profile, profile("alice", "Oxford"), "{}", t.name());
        assert_eq!(stored.user.email, "alice@example.com");

        let taken = account::update_profile(&t.db, &alice.id, &profile("bob", "London"), &Actor::default()).await;
        assert!(matches!(taken, Err(UpdateProfileError::UsernameTaken)), "{}", t.name());
        // The refused save wrote nothing, not even the other fields.
        let stored = account::profile(&t.db, &alice.id).await.unwrap().unwrap();
        assert_eq!(stored.profile.location, "Oxford", "{}", t.name());

        let renamed = account::update_profile(&t.db, &alice.id, &profile("alice-2", "Oxford"), &Actor::default())
            .await
            .unwrap();
        assert_eq!(renamed, [ProfileField::Username]);
        assert_eq!(
            event_types(&t.db, &alice.id).await,
            ["new_user", "edit_profile", "edit_profile"]
        );
        let missing = account::update_profile(&t.db, "no-such-id", &profile("x-y-z", ""), &Actor::default()).await;
        assert!(matches!(missing, Err(UpdateProfileError::NotFound)));
        t.finish().await;
    }
}

#[tokio::test]
async fn the_newsletter_choice_keeps_its_time_and_repeats_change_nothing() {
    for t in TestDb::all().await {
        let alice = new_user(&t.db, "alice").await;
        let (on, at) = account::set_newsletter(&t.db, &alice.id, true, &Actor::default())
            .await
            .unwrap();
        assert!(on && at.is_some(), "{}", t.name());
        let again = account::set_newsletter(&t.db, &alice.id, true, &Actor::default())
            .await
            .unwrap();
        assert_eq!(again, (true, at));
        let (off, _) = account::set_newsletter(&t.db, &alice.id, false, &Actor::default())
            .await
            .unwrap();
        assert!(!off);
        assert_eq!(
            event_types(&t.db, &alice.id).await,
            ["new_user", "edit_newsletter", "edit_newsletter"],
            "{}",
            t.name()
        );
        t.finish().await;
    }
}

#[tokio::test]
async fn preferences_are_stored_and_record_only_what_changed() {
    for t in TestDb::all().await {
        let alice = new_user(&t.db, "alice").await;
        let (prefs, zone) = account::save_preferences(
            &t.db,
            &alice.id,
            Some(Theme::Dark),
            None,
            Some("Europe/Paris"),
            &Actor::default(),
        )
        .await
        .unwrap();
        assert_eq!(
            (prefs.theme, prefs.lang, zone.as_str()),
            (Theme::Dark, Lang::En, "Europe/Paris")
        );
        // The session lookup carries them, so every page renders with them.
        let mut conn = t.db.pool.acquire().await.unwrap();
        let user = users::find_by_id(&mut conn, &alice.id).await.unwrap().unwrap();
        drop(conn);
        assert_eq!(
            (user.theme, user.time_zone.as_str()),
            (Theme::Dark, "Europe/Paris"),
            "{}",
            t.name()
        );
        account::save_preferences(&t.db, &alice.id, Some(Theme::Dark), None, None, &Actor::default())
            .await
            .unwrap();
        let data: String = sqlx::query("SELECT data FROM account_events WHERE type = 'edit_preferences'")
            .fetch_one(&t.db.pool)
            .await
            .unwrap()
            .try_get("data")
            .unwrap();
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&data).unwrap(),
            json!({"theme": "dark", "time_zone": "Europe/Paris"})
        );
        assert_eq!(
            event_types(&t.db, &alice.id).await,
            ["new_user", "edit_preferences"],
            "{}",
            t.name()
        );
        t.finish().await;
    }
}

fn document(kind: DocumentKind, version: &str, required: bool) -> NewDocument<'_> {
    NewDocument {
        kind,
        version,
        required,
        body_en: "<p>en</p>",
        body_fr: "<p>fr</p>",
    }
}

#[tokio::test]
async fn documents_have_one_current_version_per_kind_and_acceptances_stay() {
    for t in TestDb::all().await {
        let alice = new_user(&t.db, "alice").await;
        let terms1 = documents::publish(&t.db, document(DocumentKind::Terms, "1", true), 100)
            .await
            .unwrap();
        let privacy = documents::publish(&t.db, document(DocumentKind::Privacy, "1", true), 100)
            .await
            .unwrap();
        documents::publish(&t.db, document(DocumentKind::Dpa, "1", false), 100)
            .await
            .unwrap();
        let again = documents::publish(&t.db, document(DocumentKind::Terms, "1", true), 101).await;
        assert!(matches!(again, Err(PublishError::VersionExists(_))), "{}", t.name());

        let current = documents::current(&t.db).await.unwrap();
        let kinds: Vec<DocumentKind> = current.iter().map(|d| d.kind).collect();
        assert_eq!(kinds, [DocumentKind::Terms, DocumentKind::Privacy, DocumentKind::Dpa]);
        let pending = |db: &Db, id: &str| {
            let (db, id) = (db.clone(), id.to_string());
            async move { documents::for_account(&db, &id).await.unwrap().pending() }
        };
        assert_eq!(pending(&t.db, &alice.id).await.len(), 2);

        documents::accept(&t.db, &alice.id, &terms1.id, Lang::Fr, &Actor::default(), 200)
            .await
            .unwrap();
        // Accepting twice keeps the first acceptance (and records one event).
        documents::accept(&t.db, &alice.id, &terms1.id, Lang::En, &Actor::default(), 300)
            .await
            .unwrap();
        assert_eq!(pending(&t.db, &alice.id).await, [privacy], "{}", t.name());

        let terms2 = documents::publish(&t.db, document(DocumentKind::Terms, "2", true), 400)
            .await
            .unwrap();
        let outdated = documents::accept(&t.db, &alice.id, &terms1.id, Lang::En, &Actor::default(), 500).await;
        assert!(matches!(outdated, Err(AcceptError::Outdated)), "{}", t.name());
        let unknown = documents::accept(&t.db, &alice.id, "nope", Lang::En, &Actor::default(), 500).await;
        assert!(matches!(unknown, Err(AcceptError::NotFound)));
        assert_eq!(pending(&t.db, &alice.id).await.len(), 2);

        let (doc, is_current, body) = documents::find(&t.db, DocumentKind::Terms, None, Lang::Fr)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (doc.id, is_current, body.as_str()),
            (terms2.id.clone(), true, "<p>fr</p>")
        );
        let (old, is_current, _) = documents::find(&t.db, DocumentKind::Terms, Some("1"), Lang::En)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((old.id, is_current), (terms1.id.clone(), false), "{}", t.name());
        assert!(documents::find(&t.db, DocumentKind::Terms, Some("9"), Lang::En)
            .await
            .unwrap()
            .is_none());

        // What the account page reads in one query: current versions with their acceptance,
        // and the earlier version Alice accepted.
        let mine = documents::for_account(&t.db, &alice.id).await.unwrap();
        let current: Vec<(String, bool)> = mine
            .current
            .iter()
            .map(|(d, a)| (format!("{}:{}", d.kind.slug(), d.version), a.is_some()))
            .collect();
        assert_eq!(
            current,
            [
                ("terms:2".into(), false),
                ("privacy:1".into(), false),
                ("dpa:1".into(), false)
            ],
            "{}",
            t.name()
        );
        assert_eq!(mine.archived.len(), 1);
        assert_eq!(
            (mine.archived[0].0.version.as_str(), mine.archived[0].1.lang),
            ("1", Lang::Fr)
        );
        assert_eq!(mine.pending().len(), 2);
        let someone_else = new_user(&t.db, "bob").await;
        let theirs = documents::for_account(&t.db, &someone_else.id).await.unwrap();
        assert!(theirs.archived.is_empty(), "{}", t.name());

        let listed = documents::all(&t.db).await.unwrap();
        assert_eq!(listed.len(), 4);
        assert_eq!(listed[0], (terms2, true));
        assert_eq!(event_types(&t.db, &alice.id).await, ["new_user", "accept_contract"]);
        t.finish().await;
    }
}

#[tokio::test]
async fn deleting_an_account_does_not_delete_documents() {
    for t in TestDb::all().await {
        let alice = new_user(&t.db, "alice").await;
        let terms = documents::publish(&t.db, document(DocumentKind::Terms, "1", true), 1)
            .await
            .unwrap();
        documents::accept(&t.db, &alice.id, &terms.id, Lang::En, &Actor::default(), 2)
            .await
            .unwrap();
        sqlx::query("DELETE FROM users WHERE id = $1")
            .bind(&alice.id)
            .execute(&t.db.pool)
            .await
            .unwrap();
        assert_eq!(documents::current(&t.db).await.unwrap().len(), 1, "{}", t.name());
        let left: i64 = sqlx::query("SELECT COUNT(*) AS n FROM document_acceptances")
            .fetch_one(&t.db.pool)
            .await
            .unwrap()
            .try_get("n")
            .unwrap();
        assert_eq!(left, 0, "{}", t.name());
        t.finish().await;
    }
}
