//! The Health data tab: the point of contact checked field by field (with JavaScript, without,
//! and through `/v1/account/hds_contact`), the yearly review with its banner and reminder
//! mails (time given by the test), and the HDS contract documents kept apart from the others.

use crate::http_api::{api, bearer, tab_token};
use crate::http_server_fns::publish;
use crate::support::{new_user, TestApp, TestDb, PASSWORD};
use app::model::DocumentKind;
use http::StatusCode;
use serde_json::json;
use server::db::events::Actor;
use server::db::hds::{self, add_months, Reminder};

const CONTACT: [(&str, &str); 11] = [
    ("org_type", "non-profit"),
    ("name", "Dr Jeanne Martin"),
    ("email", "jeanne@clinique.example"),
    ("phone_number", "01 23 45 67 89"),
    ("company", "Clinique du Parc"),
    ("address_line1", "1 rue de la Paix"),
    ("address_line2", ""),
    ("address_city", "Paris"),
    ("address_zip", "75002"),
    ("address_country", "FR"),
    ("notes", "Weekdays 9-18"),
];

fn with(changes: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
    CONTACT
        .iter()
        .map(|(k, v)| (*k, changes.iter().find(|(c, _)| c == k).map_or(*v, |(_, v)| *v)))
        .collect()
}

#[tokio::test]
async fn the_contact_is_checked_field_by_field_and_saved_in_international_form() {
    let app = TestApp::new().await;
    let cookie = app.sign_up("alice", "alice@example.com", PASSWORD).await;
    let page = app.get("/account/hds", Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("No point of contact yet"), "{}", page.body);

    let bad = with(&[
        ("org_type", "hospital"),
        ("name", ""),
        ("email", "nope"),
        ("phone_number", "+33 12"),
        ("address_country", "XX"),
    ]);
    let refused = app.call("/api/account/hds/contact", &bad, Some(&cookie)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    for key in ["ErrInvalidChoice", "ErrRequired", "ErrEmailInvalid", "ErrPhoneInvalid"] {
        assert!(refused.body.contains(key), "{key} in {}", refused.body);
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM hds_contacts").await, 0);

    let saved = app.call("/api/account/hds/contact", &CONTACT, Some(&cookie)).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let body = saved.json();
    assert_eq!(body["review"]["due"], false);
    let stored = app.call("/api/account/hds", &[], Some(&cookie)).await.json();
    assert_eq!(stored["contact"]["phone_number"], "+33123456789");
    assert_eq!(
        body["changed"].as_array().map(Vec::len),
        Some(10),
        "every filled field is new"
    );
    let events = app
        .count("SELECT COUNT(*) FROM account_events WHERE type = 'edit_hds_contact'")
        .await;
    assert_eq!(events, 1);

    // The same again is a review, not an edit.
    let again = app.call("/api/account/hds/contact", &CONTACT, Some(&cookie)).await;
    assert_eq!(again.json()["changed"], json!([]));
    let reviews = app
        .count("SELECT COUNT(*) FROM account_events WHERE type = 'review_hds_contact'")
        .await;
    assert_eq!(reviews, 1);
}

#[tokio::test]
async fn without_javascript_a_refused_contact_comes_back_as_typed_with_its_messages() {
    let app = TestApp::new().await;
    let cookie = app.sign_up("alice", "alice@example.com", PASSWORD).await;
    let bad = with(&[
        ("phone_number", "12"),
        ("address_country", ""),
        ("notes", "</textarea><b>bold</b>"),
    ]);
    let reply = app
        .post_without_js("/api/account/hds/contact", &bad, Some(&cookie), "/account/hds")
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(reply.location(), "/account/hds");
    let flash = reply.cookie("vestibule_flash").expect("a flash cookie");
    let page = app.get("/account/hds", Some(&format!("{cookie}; {flash}"))).await;
    assert!(page.body.contains("Add the country code"), "{}", page.body);
    assert!(page.body.contains("This field is required."));
    assert!(page.body.contains(r#"value="Dr Jeanne Martin""#));
    let notes = page.body.find("field-notes").map_or("", |at| &page.body[at..at + 400]);
    assert!(notes.contains("&lt;/textarea>&lt;b>bold&lt;/b></textarea>"), "{notes}");
    assert_eq!(app.count("SELECT COUNT(*) FROM hds_contacts").await, 0);

    let good = app
        .post_without_js("/api/account/hds/contact", &CONTACT, Some(&cookie), "/account/hds")
        .await;
    assert_eq!(good.status, StatusCode::SEE_OTHER);
    let flash = good.cookie("vestibule_flash").expect("a flash cookie");
    let page = app.get("/account/hds", Some(&format!("{cookie}; {flash}"))).await;
    assert!(page.body.contains("Point of contact saved."), "{}", page.body);
    assert!(page.body.contains(r#"value="+33123456789""#));
}

#[tokio::test]
async fn a_due_review_shows_a_banner_everywhere_until_confirmed() {
    let app = TestApp::new().await;
    let cookie = app.sign_up("alice", "alice@example.com", PASSWORD).await;
    let nothing = app.call("/api/account/hds/review", &[], Some(&cookie)).await;
    assert_eq!(
        nothing.status,
        StatusCode::CONFLICT,
        "nothing to confirm yet: {}",
        nothing.body
    );
    app.call("/api/account/hds/contact", &CONTACT, Some(&cookie)).await;
    let secret = tab_token(&app, &cookie, "cli").await;
    let auth = bearer(&app, &secret).await;
    let shown = api(&app, "GET", "/v1/account/hds_contact?", &auth, None).await;
    assert_eq!(shown.json()["hds_contact"]["up_to_date"], true);
    let page = app.get("/account/keys", Some(&cookie)).await;
    assert!(!page.body.contains("hds-banner"));

    // Thirteen months pass.
    let past = server::db::now() - 400 * 86_400;
    sqlx::query("UPDATE hds_contacts SET reviewed_at = $1")
        .bind(past)
        .execute(&app.state.db.pool)
        .await
        .unwrap();
    for path in ["/account", "/account/keys", "/account/hds"] {
        let page = app.get(path, Some(&cookie)).await;
        assert!(page.body.contains("hds-banner"), "banner on {path}");
    }
    let shown = api(&app, "GET", "/v1/account/hds_contact?", &auth, None).await;
    assert_eq!(shown.json()["hds_contact"]["up_to_date"], false);

    let confirmed = app.call("/api/account/hds/review", &[], Some(&cookie)).await;
    assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.body);
    assert_eq!(confirmed.json()["review"]["due"], false);
    let page = app.get("/account", Some(&cookie)).await;
    assert!(!page.body.contains("hds-banner"));
    let shown = api(&app, "GET", "/v1/account/hds_contact?", &auth, None).await;
    assert_eq!(shown.json()["hds_contact"]["up_to_date"], true);
}

#[tokio::test]
async fn the_api_reads_and_replaces_the_contact_with_the_tab_rules() {
    let app = TestApp::new().await;
    let cookie = app.sign_up("alice", "alice@example.com", PASSWORD).await;
    let secret = tab_token(&app, &cookie, "cli").await;
    let auth = bearer(&app, &secret).await;
    let none = api(&app, "GET", "/v1/account/hds_contact?", &auth, None).await;
    assert_eq!(none.status, StatusCode::NOT_FOUND, "{}", none.body);

    let mut contact: serde_json::Map<String, serde_json::Value> =
        CONTACT.iter().map(|(k, v)| (k.to_string(), json!(v))).collect();
    contact.insert("phone_number".into(), json!("not a phone"));
    let body = json!({ "hds_contact": contact }).to_string();
    let refused = api(&app, "PUT", "/v1/account/hds_contact", &auth, Some(&body)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(refused.json()["errors"]["phone_number"].is_array(), "{}", refused.body);

    contact.insert("phone_number".into(), json!("+44 20 7946 0958"));
    let body = json!({ "hds_contact": contact }).to_string();
    let saved = api(&app, "PUT", "/v1/account/hds_contact", &auth, Some(&body)).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let shown = api(&app, "GET", "/v1/account/hds_contact?", &auth, None).await;
    let c = &shown.json()["hds_contact"];
    assert_eq!(c["phone_number"], "+442079460958");
    assert_eq!(c["org_type"], "non-profit");
    assert_eq!(c["up_to_date"], true);
    assert!(c["updated_at"].as_str().is_some_and(|s| s.ends_with('Z')));
}

#[tokio::test]
async fn hds_documents_stay_on_their_tab_and_never_block_sign_up() {
    let app = TestApp::new().await;
    publish(&app, DocumentKind::Hds, "2026-12", true).await;
    let cookie = app.sign_up("alice", "alice@example.com", PASSWORD).await;
    let pending = app.call("/api/account/documents/pending", &[], Some(&cookie)).await;
    assert_eq!(pending.json(), json!([]), "no banner for the HDS contract");
    let basic = app.call("/api/account/basic", &[], Some(&cookie)).await;
    assert_eq!(basic.json()["documents"]["current"], json!([]));
    let tab = app.call("/api/account/hds", &[], Some(&cookie)).await;
    let current = &tab.json()["documents"]["current"];
    assert_eq!(current[0]["kind"], "Hds", "{}", tab.body);
    let id = current[0]["id"].as_str().unwrap().to_string();
    let accepted = app
        .call(
            "/api/account/documents/accept",
            &[("id", &id), ("lang", "fr")],
            Some(&cookie),
        )
        .await;
    assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.body);
    let page = app.get("/account/hds", Some(&cookie)).await;
    assert!(page.body.contains("Health Data Hosting (HDS) contract"));
    assert!(page.body.contains("Accepted on"), "{}", page.body);
}

/// Reminders, one month before and on the due date, once each, on both databases.
#[tokio::test]
async fn reminders_go_once_each_in_the_users_language_and_a_review_rearms_them() {
    for t in TestDb::all().await {
        let app = TestApp::on_database(tempfile::tempdir().unwrap(), &t.url, &[]).await;
        let user = new_user(&app.state.db, "jeanne").await;
        sqlx::query("UPDATE users SET lang = 'fr' WHERE id = $1")
            .bind(&user.id)
            .execute(&app.state.db.pool)
            .await
            .unwrap();
        let contact = server::host::hds::checked_contact(&app::model::HdsContact {
            org_type: "company".into(),
            name: "Jeanne".into(),
            email: "j@example.com".into(),
            phone_number: "+33123456789".into(),
            address_line1: "1 rue".into(),
            address_city: "Paris".into(),
            address_zip: "75001".into(),
            address_country: "FR".into(),
            ..Default::default()
        })
        .unwrap();
        let t0 = 1_767_225_600; // 2026-01-01T00:00:00Z
        hds::save(&app.state.db, &user.id, &contact, &Actor::default(), t0)
            .await
            .unwrap();
        let host = &app.state.server_host;
        let sent = |at: i64| async move { host.send_hds_reminders(at).await.unwrap() };

        assert_eq!(sent(add_months(t0, 11) - 1).await, 0, "{}: too early", t.name());
        let owed = hds::reminders_owed(&app.state.db, add_months(t0, 11)).await.unwrap();
        assert_eq!(owed.iter().map(|o| o.reminder).collect::<Vec<_>>(), [Reminder::Soon]);
        assert_eq!(sent(add_months(t0, 11)).await, 1, "{}", t.name());
        assert_eq!(sent(add_months(t0, 11) + 3600).await, 0, "{}: once", t.name());
        assert_eq!(sent(add_months(t0, 12)).await, 1, "{}: due", t.name());
        assert_eq!(sent(add_months(t0, 13)).await, 0, "{}: once", t.name());
        let soon = app
            .mail_texts("jeanne@example.com", "Votre contact santé : revue à faire dans un mois")
            .await;
        let due = app
            .mail_texts("jeanne@example.com", "Votre contact santé : revue à faire aujourd’hui")
            .await;
        assert_eq!((soon.len(), due.len()), (1, 1), "{}", t.name());
        assert!(due[0].contains("/account/hds"));

        // A review starts a new cycle: its reminders go again, later.
        let reviewed = add_months(t0, 13);
        hds::review(&app.state.db, &user.id, &Actor::default(), reviewed)
            .await
            .unwrap();
        assert_eq!(sent(add_months(reviewed, 6)).await, 0, "{}", t.name());
        // A server that was off past the due date sends only the "due" one.
        assert_eq!(sent(add_months(reviewed, 12) + 86_400).await, 1, "{}", t.name());
        assert_eq!(sent(add_months(reviewed, 12) + 2 * 86_400).await, 0, "{}", t.name());
        let soon = app
            .mail_texts("jeanne@example.com", "Votre contact santé : revue à faire dans un mois")
            .await;
        assert_eq!(soon.len(), 1, "{}: no late 'soon' mail", t.name());
        drop(app);
        t.finish().await;
    }
}
