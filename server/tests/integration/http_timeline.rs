//! The Timeline over HTTP: the page without JavaScript, the server function's pages and
//! filters, and the exports; another account's cursor, filter or export never shows a thing
//! that is not yours.

use crate::store_timeline::insert;
use crate::support::{TestApp, PASSWORD};
use http::StatusCode;

async fn user_id(app: &TestApp, username: &str) -> String {
    use sqlx::Row;
    sqlx::query("SELECT id FROM users WHERE username = $1")
        .bind(username)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap()
        .try_get("id")
        .unwrap()
}

#[tokio::test]
async fn the_page_lists_what_the_user_did_as_sentences_without_javascript() {
    let app = TestApp::new().await;
    let cookie = app.sign_up("alice", "alice@example.com", PASSWORD).await;
    app.sign_in("alice", "wrong password").await;
    app.call("/api/preferences", &[("theme", "dark")], Some(&cookie)).await;
    let page = app.get("/account/timeline", Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    for sentence in [
        "Account created",
        "Signed in from 203.0.113.7",
        "Failed sign-in attempt from 203.0.113.7",
        "Preferences changed (theme: dark)",
    ] {
        assert!(page.body.contains(sentence), "{sentence} missing");
    }
    assert!(page.body.contains("just now"));
    assert!(page.body.contains(r#"<time datetime=""#));
    // In French, from the account's language.
    app.call("/api/preferences", &[("lang", "fr")], Some(&cookie)).await;
    let french = app.get("/account/timeline", Some(&cookie)).await;
    assert!(french
        .body
        .contains("Tentative de connexion échouée depuis 203.0.113.7"));
    assert!(french.body.contains("à l’instant"));
}

#[tokio::test]
async fn pages_filters_and_cursors_stay_within_the_account() {
    let app = TestApp::new().await;
    let cookie = app.sign_up("alice", "alice@example.com", PASSWORD).await;
    app.sign_up("bob", "bob@example.com", PASSWORD).await;
    let (alice, bob) = (user_id(&app, "alice").await, user_id(&app, "bob").await);
    for i in 0..120 {
        insert(&app.state.db, &alice, "edit_profile", "profile", 1_000_000 + i * 60).await;
        insert(&app.state.db, &bob, "edit_profile", "profile", 1_000_000 + i * 60).await;
    }
    let call = |fields: Vec<(&'static str, String)>| {
        let cookie = cookie.clone();
        let app = &app;
        async move {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.call("/api/account/timeline", &fields, Some(&cookie)).await
        }
    };
    let first = call(vec![]).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    let first = first.json();
    assert_eq!(first["events"].as_array().unwrap().len(), 50);
    assert_eq!(first["newer"], serde_json::Value::Null);
    let older = first["older"].as_str().unwrap().to_string();
    let second = call(vec![("before", older.clone())]).await.json();
    assert_eq!(second["events"].as_array().unwrap().len(), 50);
    assert!(second["newer"].is_string(), "page two links to page one");
    let back = call(vec![("after", second["newer"].as_str().unwrap().to_string())])
        .await
        .json();
    assert_eq!(back["events"], first["events"], "newer from page two is page one");

    // Bob's events never show, even with a cursor taken from his timeline.
    let owners = |page: &serde_json::Value| {
        let ids: Vec<String> = page["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["id"].as_i64().unwrap().to_string())
            .collect();
        format!(
            "SELECT COUNT(DISTINCT user_id) FROM account_events WHERE id IN ({}) AND user_id <> '{alice}'",
            ids.join(",")
        )
    };
    assert_eq!(app.count(&owners(&first)).await, 0);
    assert_eq!(app.count(&owners(&second)).await, 0);
    let bobs_newest = app
        .count(&format!("SELECT MAX(id) FROM account_events WHERE user_id = '{bob}'"))
        .await;
    let bobs_time = app
        .count(&format!(
            "SELECT created_at FROM account_events WHERE id = {bobs_newest}"
        ))
        .await;
    let with_bobs_cursor = call(vec![("before", format!("{bobs_time}.{bobs_newest}"))])
        .await
        .json();
    assert!(!with_bobs_cursor["events"].as_array().unwrap().is_empty());
    assert_eq!(
        app.count(&owners(&with_bobs_cursor)).await,
        0,
        "only Alice's own events"
    );

    // Filters: category and period (days in the account's zone, UTC here).
    let security = call(vec![("category", "security".into())]).await.json();
    assert!(security["events"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["category"] == "Security"));
    // 1_000_000 is 1970-01-12; 120 minutes later is the same day.
    let day = call(vec![("from", "1970-01-12".into()), ("to", "1970-01-12".into())])
        .await
        .json();
    assert_eq!(day["events"].as_array().unwrap().len(), 50);
    let none = call(vec![("from", "1970-01-13".into()), ("to", "1970-01-13".into())])
        .await
        .json();
    assert!(none["events"].as_array().unwrap().is_empty());
    let refused = call(vec![
        ("category", "mine-and-bobs".into()),
        ("from", "2026-02-31".into()),
    ])
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<String> = refused.json()["Invalid"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(fields, ["category", "from"]);
}

#[tokio::test]
async fn the_csv_export_opens_in_a_spreadsheet_and_defuses_formulas() {
    let app = TestApp::new().await;
    let cookie = app.sign_up("alice", "alice@example.com", PASSWORD).await;
    app.sign_up("bob", "bob@example.com", PASSWORD).await;
    let alice = user_id(&app, "alice").await;
    // A type a future release might write, named to look like a formula.
    insert(
        &app.state.db,
        &alice,
        "=HYPERLINK(\"https://evil.example\")",
        "other",
        2_000_000_000,
    )
    .await;
    let csv = app.get("/account/timeline/export.csv", Some(&cookie)).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(csv.header("content-type"), "text/csv; charset=utf-8");
    assert!(csv.header("content-disposition").starts_with("attachment;"));
    let body = csv.body.strip_prefix('\u{feff}').expect("a UTF-8 byte-order mark");
    let mut reader = csv::ReaderBuilder::new().delimiter(b',').from_reader(body.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(header, ["Time", "Event", "Type", "Category", "Address", "Browser"]);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3, "new_user, login_success and the odd one");
    assert_eq!(&rows[0][2], "'=HYPERLINK(\"https://evil.example\")");
    assert!(rows.iter().all(|r| !r.iter().any(|cell| cell.starts_with('='))));
    assert_eq!(&rows[2][1], "Account created");
    assert!(!csv.body.contains("bob"));

    // In French: `;` between fields, French headers and sentences.
    app.call("/api/preferences", &[("lang", "fr")], Some(&cookie)).await;
    let french = app
        .get("/account/timeline/export.csv?category=security", Some(&cookie))
        .await;
    let body = french.body.trim_start_matches('\u{feff}');
    let mut reader = csv::ReaderBuilder::new().delimiter(b';').from_reader(body.as_bytes());
    assert_eq!(&reader.headers().unwrap()[0], "Date et heure");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert!(rows.iter().all(|r| &r[3] == "Connexion et sécurité"), "filtered");
    assert!(rows.iter().any(|r| r[1].starts_with("Connexion depuis 203.0.113.7")));

    let refused = app
        .get("/account/timeline/export.csv?from=yesterday", Some(&cookie))
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("2026-11-23"));
    let signed_out = app.get("/account/timeline/export.csv", None).await;
    assert_eq!(signed_out.status, StatusCode::SEE_OTHER);
    assert!(signed_out.location().starts_with("/login?next="));
}

#[tokio::test]
async fn the_json_export_is_the_filtered_events_in_the_api_shape() {
    let app = TestApp::new().await;
    let cookie = app.sign_up("alice", "alice@example.com", PASSWORD).await;
    let bob = app.sign_up("bob", "bob@example.com", PASSWORD).await;
    let alice = user_id(&app, "alice").await;
    for i in 0..1234 {
        insert(&app.state.db, &alice, "edit_profile", "profile", 1_000_000 + i).await;
    }
    let json = app.get("/account/timeline/export.json", Some(&cookie)).await;
    assert_eq!(json.status, StatusCode::OK);
    assert_eq!(json.header("content-type"), "application/json");
    let events = json.json()["events"].as_array().unwrap().clone();
    assert_eq!(events.len(), 1236, "every event, across batches");
    assert!(events
        .windows(2)
        .all(|w| w[0]["created_at"].as_str() >= w[1]["created_at"].as_str()));
    assert!(events[0]["id"].is_string());
    assert!(events.iter().all(|e| e.get("type_data").is_some()));
    let profile = app
        .get(
            "/account/timeline/export.json?category=profile&to=1970-01-12",
            Some(&cookie),
        )
        .await;
    assert_eq!(profile.json()["events"].as_array().unwrap().len(), 1234);
    // Bob's export has Bob's events only.
    let bobs = app.get("/account/timeline/export.json", Some(&bob)).await;
    assert_eq!(bobs.json()["events"].as_array().unwrap().len(), 2);
    let empty = app
        .get("/account/timeline/export.json?category=billing", Some(&cookie))
        .await;
    assert_eq!(empty.json(), serde_json::json!({"events": []}));
}
