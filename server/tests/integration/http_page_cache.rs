//! Signed-in pages kept as rendered (`web/page_cache.rs`): served again only to the same
//! session while nothing they show has changed, on any instance sharing the database, each time
//! with a new CSP nonce; and never once the session is gone.

use crate::http_api::keygen;
use crate::support::{TestApp, PASSWORD};
use http::StatusCode;
use server::db::Db;

fn csp_nonce(reply: &crate::support::Reply) -> String {
    let csp = reply.header("content-security-policy");
    let start = csp.find("'nonce-").expect("a nonce in the CSP") + "'nonce-".len();
    csp[start..].split('\'').next().unwrap_or_default().to_string()
}

/// A second server on the same database, as a deployment with several instances runs.
async fn other_instance(app: &TestApp) -> TestApp {
    TestApp::on_database(tempfile::tempdir().unwrap(), &app.state.config.database_url, &[]).await
}

async fn add_key(app: &TestApp, cookie: &str, name: &str) -> String {
    let (content, fingerprint) = keygen("ed25519", "", &format!("{name}@test"));
    let added = app
        .call(
            "/api/account/keys/add",
            &[("key_name", name), ("key_content", &content)],
            Some(cookie),
        )
        .await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    fingerprint
}

#[tokio::test]
async fn a_kept_page_is_served_again_with_a_new_nonce_until_the_account_changes_on_any_instance() {
    for (app, pg) in TestApp::on_each_database().await {
        let db = app.backend();
        let cookie = app.sign_up("dana", "dana@example.com", PASSWORD).await;
        let first = app.get("/account/keys", Some(&cookie)).await;
        assert_eq!(first.status, StatusCode::OK, "{db}");
        let hits = app.state.pages.hits();
        let again = app.get("/account/keys", Some(&cookie)).await;
        assert_eq!(
            app.state.pages.hits(),
            hits + 1,
            "{db}: the second visit is served as kept"
        );

        // The kept page carries this response's nonce, the one its CSP header names, in every
        // place the first one stood; nothing else differs.
        let (old, new) = (csp_nonce(&first), csp_nonce(&again));
        assert_ne!(old, new, "{db}");
        assert!(again.body.contains(&format!("nonce=\"{new}\"")), "{db}");
        assert!(!again.body.contains(&old), "{db}");
        assert_eq!(again.body.replace(&new, "N"), first.body.replace(&old, "N"), "{db}");

        // A change through a server function shows on the next visit.
        let laptop = add_key(&app, &cookie, "laptop").await;
        let after_add = app.get("/account/keys", Some(&cookie)).await;
        assert!(after_add.body.contains(&laptop), "{db}: the new key is listed");

        // So does a change another instance makes.
        let other = other_instance(&app).await;
        let desk = add_key(&other, &cookie, "desk").await;
        let hits = app.state.pages.hits();
        let after_other = app.get("/account/keys", Some(&cookie)).await;
        assert!(
            after_other.body.contains(&desk),
            "{db}: the other instance's key is listed"
        );
        assert_eq!(app.state.pages.hits(), hits, "{db}");

        // And a change to what every page shows: a new version of the terms.
        app.get("/account", Some(&cookie)).await;
        let before_terms = app.get("/account", Some(&cookie)).await;
        assert!(!before_terms.body.contains("Terms of Service"), "{db}");
        let hits = app.state.pages.hits();
        crate::http_server_fns::publish(&other, app::model::DocumentKind::Terms, "9", true).await;
        let after_terms = app.get("/account", Some(&cookie)).await;
        assert_eq!(app.state.pages.hits(), hits, "{db}: new terms are a new page");
        assert!(
            after_terms.body.contains("Terms of Service"),
            "{db}: the new terms are listed"
        );

        other.state.db.pool.close().await;
        if let Some(pg) = pg {
            pg.finish().await;
        }
    }
}

#[tokio::test]
async fn a_kept_page_is_never_served_once_its_session_is_gone() {
    for (app, pg) in TestApp::on_each_database().await {
        let db = app.backend();
        let cookie = app.sign_up("erin", "erin@example.com", PASSWORD).await;
        for _ in 0..2 {
            assert_eq!(app.get("/account/keys", Some(&cookie)).await.status, StatusCode::OK);
        }

        // Another session of the same person has its own pages.
        let second = app.sign_in("erin", PASSWORD).await.session_cookie().expect("signed in");
        let hits = app.state.pages.hits();
        let theirs = app.get("/account/keys", Some(&second)).await;
        assert_eq!(theirs.status, StatusCode::OK, "{db}");
        assert_eq!(app.state.pages.hits(), hits, "{db}: not the first session's page");

        // Signed out here: refused at once.
        app.post_form("/logout", &[], Some(&cookie)).await;
        let refused = app.get("/account/keys", Some(&cookie)).await;
        assert_eq!(refused.status, StatusCode::SEE_OTHER, "{db}");
        assert!(refused.location().starts_with("/login"), "{db}");

        // Revoked by another instance (every session of the account, as a password change
        // does): refused at once here too.
        let other = other_instance(&app).await;
        let revoked =
            sqlx::query("DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE username = 'erin')")
                .execute(&other.state.db.pool)
                .await
                .unwrap();
        assert!(revoked.rows_affected() >= 1, "{db}");
        let refused = app.get("/account/keys", Some(&second)).await;
        assert_eq!(refused.status, StatusCode::SEE_OTHER, "{db}");

        other.state.db.pool.close().await;
        if let Some(pg) = pg {
            pg.finish().await;
        }
    }
}

#[tokio::test]
async fn pages_with_a_flash_or_a_secret_are_not_kept() {
    let app = TestApp::new().await;
    let cookie = app.sign_up("fay", "fay@example.com", PASSWORD).await;
    // A token's secret is shown once, in a flash on the page the form leads to.
    let made = app
        .post_without_js(
            "/api/account/tokens/create",
            &[("name", "ci"), ("expiry", "never")],
            Some(&cookie),
            "/account/tokens",
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let flash = made.cookie("vestibule_flash").expect("a flash");
    let with_flash = format!("{cookie}; {flash}");
    let hits = app.state.pages.hits();
    let shown = app.get("/account/tokens", Some(&with_flash)).await;
    assert_eq!(shown.status, StatusCode::OK);
    let shown_again = app.get("/account/tokens", Some(&with_flash)).await;
    assert_eq!(shown_again.status, StatusCode::OK);
    assert_eq!(
        app.state.pages.hits(),
        hits,
        "a page with a flash is rendered each time"
    );

    // The second factor's secret is on the page while enrolment waits.
    app.call("/api/account/two-factor/start", &[], Some(&cookie)).await;
    for _ in 0..2 {
        let pending = app.get("/account/authorization", Some(&cookie)).await;
        assert_eq!(pending.status, StatusCode::OK);
    }
    assert_eq!(
        app.state.pages.hits(),
        hits,
        "a page holding a secret is rendered each time"
    );
}

/// Every table holding an account's rows bumps the account's revision when they change, on both
/// databases: a table added without the triggers would let a kept page go stale.
#[tokio::test]
async fn every_table_holding_account_rows_counts_its_changes() {
    for t in crate::support::TestDb::all().await {
        let db = t.name();
        let missing = tables_without_revision_triggers(&t.db).await;
        assert!(
            missing.is_empty(),
            "{db}: tables without revision triggers: {missing:?}"
        );
        t.finish().await;
    }
}

/// Tables with a column naming an account (or an invoice, whose account it is) and no trigger.
async fn tables_without_revision_triggers(db: &Db) -> Vec<String> {
    use sqlx::Row;
    let (columns, triggers) = match db.backend {
        server::db::Backend::Sqlite => (
            "SELECT m.name AS table_name, p.name AS column_name FROM sqlite_master m, pragma_table_info(m.name) p \
             WHERE m.type = 'table'",
            "SELECT tbl_name AS table_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%revision%'",
        ),
        server::db::Backend::Postgres => (
            "SELECT table_name::TEXT AS table_name, column_name::TEXT AS column_name FROM information_schema.columns \
             WHERE table_schema = 'public'",
            "SELECT event_object_table::TEXT AS table_name FROM information_schema.triggers \
             WHERE trigger_name LIKE '%revision%'",
        ),
    };
    let account_columns = ["user_id", "owner_id", "referrer_id", "referee_id", "invoice_id"];
    let mut holding: Vec<String> = sqlx::query(columns)
        .fetch_all(&db.pool)
        .await
        .unwrap()
        .iter()
        .filter(|row| account_columns.contains(&row.get::<String, _>("column_name").as_str()))
        .map(|row| row.get::<String, _>("table_name"))
        .collect();
    holding.sort();
    holding.dedup();
    let counted: Vec<String> = sqlx::query(triggers)
        .fetch_all(&db.pool)
        .await
        .unwrap()
        .iter()
        .map(|row| row.get::<String, _>("table_name"))
        .collect();
    holding.retain(|table| !counted.contains(table));
    holding
}
