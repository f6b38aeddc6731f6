//! Changing the e-mail address through the real router: the request from the Authentication
//! tab, the link the new address follows, the one the old address can report with, resend and
//! cancel, and every refusal leaving the account as it was.

use crate::support::{Reply, TestApp, PASSWORD};
use http::StatusCode;
use serde_json::Value;
use sqlx::Row;

const OLD: &str = "alice@example.com";
const NEW: &str = "alice@new.example";

fn error_key(reply: &Reply, field: &str) -> String {
    reply.json()["Invalid"]
        .as_array()
        .and_then(|errors| errors.iter().find(|e| e["field"] == field))
        .and_then(|e| e["key"].as_str())
        .unwrap_or_else(|| panic!("no error for {field}: {}", reply.body))
        .to_string()
}

async fn overview(app: &TestApp, cookie: &str) -> Value {
    let reply = app.call("/api/account/auth", &[], Some(cookie)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.json()
}

async fn request(app: &TestApp, cookie: &str, new_email: &str) -> Reply {
    app.call("/api/account/email", &[("new_email", new_email)], Some(cookie))
        .await
}

async fn follow(app: &TestApp, path: &str, token: &str) -> Reply {
    app.post_form(path, &[("token", token)], None).await
}

async fn email_of(app: &TestApp, username: &str) -> String {
    sqlx::query("SELECT email FROM users WHERE username = $1")
        .bind(username)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap()
        .get(0)
}

async fn event_types(app: &TestApp) -> Vec<String> {
    sqlx::query("SELECT type FROM account_events ORDER BY id")
        .fetch_all(&app.state.db.pool)
        .await
        .unwrap()
        .iter()
        .map(|r| r.get::<String, _>(0))
        .collect()
}

#[tokio::test]
async fn the_new_address_confirms_the_change_once_and_the_old_one_is_told() {
    let app = TestApp::new().await;
    let cookie = app.sign_up("alice", OLD, PASSWORD).await;
    // A reset link mailed to the old address before the change must not outlive it.
    app.post_form("/password/forgot", &[("email", OLD)], None).await;
    let reset_token = app.mailed_token(OLD, "/password/reset").await;

    let sent = request(&app, &cookie, " Alice@New.Example ").await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    assert_eq!(sent.json()["what"], "EmailChangeSentNotice");
    let view = overview(&app, &cookie).await;
    assert_eq!(view["email"], OLD, "nothing changes before the link is followed");
    assert_eq!(view["pending_email"]["address"], NEW);

    let token = app.mailed_token(NEW, "/email/confirm").await;
    let heads_up = app.mail_texts(OLD, "%being changed%").await.remove(0);
    assert!(
        heads_up.contains(NEW) && heads_up.contains("/email/report?token="),
        "{heads_up}"
    );

    // Opening the link (as a mail scanner would) changes nothing.
    let page = app.get(&format!("/email/confirm?token={token}"), None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Confirm the new address"));
    assert_eq!(email_of(&app, "alice").await, OLD);

    let confirmed = follow(&app, "/email/confirm", &token).await;
    assert_eq!(confirmed.status, StatusCode::SEE_OTHER, "{}", confirmed.body);
    assert_eq!(confirmed.location(), "/email/confirm?done=1");
    assert_eq!(email_of(&app, "alice").await, NEW);
    let done = app.get("/email/confirm?done=1", None).await;
    assert!(done.body.contains("Your e-mail address was changed."));
    assert!(overview(&app, &cookie).await["pending_email"].is_null());
    assert_eq!(app.sign_in(NEW, PASSWORD).await.status, StatusCode::SEE_OTHER);

    let again = follow(&app, "/email/confirm", &token).await;
    assert_eq!(again.status, StatusCode::GONE);
    assert!(again.body.contains("was already used"));
    let reset = app
        .post_form(
            "/password/reset",
            &[
                ("token", &reset_token),
                ("password", "a brand new passphrase"),
                ("confirm", "a brand new passphrase"),
            ],
            None,
        )
        .await;
    assert_eq!(
        reset.status,
        StatusCode::GONE,
        "the old address's reset link died with it"
    );
    let types = event_types(&app).await;
    assert!(types.contains(&"request_email_change".to_string()));
    assert!(types.contains(&"edit_email".to_string()));
}

#[tokio::test]
async fn bad_requests_are_refused_per_field_and_change_nothing() {
    let app = TestApp::new().await;
    let cookie = app.sign_up("alice", OLD, PASSWORD).await;
    app.sign_up("bob", "bob@example.com", PASSWORD).await;
    let mails_before = app.count("SELECT COUNT(*) FROM mail_queue").await;

    let invalid = request(&app, &cookie, "not an address").await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_key(&invalid, "new_email"), "ErrEmailInvalid");
    let same = request(&app, &cookie, "ALICE@example.com").await;
    assert_eq!(error_key(&same, "new_email"), "ErrEmailSame");
    // Bob's address: refused, in words that do not say whose it is.
    let taken = request(&app, &cookie, "bob@example.com").await;
    assert_eq!(error_key(&taken, "new_email"), "ErrEmailUnavailable");
    assert!(!taken.body.contains("bob"));

    assert_eq!(app.count("SELECT COUNT(*) FROM email_changes").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM mail_queue").await, mails_before);

    sqlx::query("UPDATE sessions SET reauth_at = reauth_at - 660")
        .execute(&app.state.db.pool)
        .await
        .unwrap();
    let closed = request(&app, &cookie, NEW).await;
    assert_eq!(closed.status, StatusCode::FORBIDDEN);
    assert_eq!(closed.json(), "ReauthRequired");
    assert_eq!(app.count("SELECT COUNT(*) FROM email_changes").await, 0);
}

#[tokio::test]
async fn resend_replaces_the_link_cancel_withdraws_it_and_both_are_limited() {
    let app = TestApp::new().await;
    let cookie = app.sign_up("alice", OLD, PASSWORD).await;
    let none = app.call("/api/account/email/resend", &[], Some(&cookie)).await;
    assert_eq!(none.status, StatusCode::CONFLICT);
    assert_eq!(none.json(), serde_json::json!({"Conflict": "ErrNoPendingEmail"}));

    assert_eq!(request(&app, &cookie, NEW).await.status, StatusCode::OK);
    let first = app.mailed_token(NEW, "/email/confirm").await;
    let resent = app.call("/api/account/email/resend", &[], Some(&cookie)).await;
    assert_eq!(resent.status, StatusCode::OK, "{}", resent.body);
    assert_eq!(resent.json()["what"], "EmailChangeResentNotice");
    let second = app.mailed_token(NEW, "/email/confirm").await;
    assert_ne!(first, second);
    assert_eq!(follow(&app, "/email/confirm", &first).await.status, StatusCode::GONE);

    let cancelled = app.call("/api/account/email/cancel", &[], Some(&cookie)).await;
    assert_eq!(cancelled.status, StatusCode::OK, "{}", cancelled.body);
    assert!(overview(&app, &cookie).await["pending_email"].is_null());
    assert_eq!(follow(&app, "/email/confirm", &second).await.status, StatusCode::GONE);
    assert_eq!(email_of(&app, "alice").await, OLD);
    let again = app.call("/api/account/email/cancel", &[], Some(&cookie)).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(event_types(&app).await.contains(&"cancel_email_change".to_string()));

    // Two requests and a resend so far; five mails an hour to new addresses at most.
    for _ in 0..3 {
        assert_eq!(request(&app, &cookie, NEW).await.status, StatusCode::OK);
    }
    let limited = app.call("/api/account/email/resend", &[], Some(&cookie)).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS, "{}", limited.body);
    assert!(limited.headers.get("retry-after").is_some());
}

#[tokio::test]
async fn the_old_address_can_cancel_before_and_undo_after_the_confirmation() {
    let app = TestApp::new().await;
    let cookie = app.sign_up("alice", OLD, PASSWORD).await;

    request(&app, &cookie, NEW).await;
    let report = app.mailed_token(OLD, "/email/report").await;
    let page = app.get(&format!("/email/report?token={report}"), None).await;
    assert!(page.body.contains("Was it not you?"));
    let cancelled = follow(&app, "/email/report", &report).await;
    assert_eq!(cancelled.location(), "/email/report?done=cancelled");
    let confirm = app.mailed_token(NEW, "/email/confirm").await;
    assert_eq!(follow(&app, "/email/confirm", &confirm).await.status, StatusCode::GONE);
    assert_eq!(email_of(&app, "alice").await, OLD);
    assert_eq!(
        follow(&app, "/email/report", &report).await.status,
        StatusCode::GONE,
        "single use"
    );
    // Whoever asked had a session in its window: every session ends, even before confirming.
    let ended = app.call("/api/account/auth", &[], Some(&cookie)).await;
    assert_eq!(ended.status, StatusCode::UNAUTHORIZED);
    let cookie = app.sign_in("alice", PASSWORD).await.session_cookie().unwrap();

    // An attacker with the password and the session changes the address to theirs and
    // confirms at once; the owner's link still undoes it.
    request(&app, &cookie, NEW).await;
    let report = app.mailed_token(OLD, "/email/report").await;
    let confirm = app.mailed_token(NEW, "/email/confirm").await;
    follow(&app, "/email/confirm", &confirm).await;
    assert_eq!(email_of(&app, "alice").await, NEW);
    let reverted = follow(&app, "/email/report", &report).await;
    assert_eq!(reverted.location(), "/email/report?done=reverted");
    assert_eq!(email_of(&app, "alice").await, OLD);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.username = 'alice'")
            .await,
        0
    );
    let signed_out = app.call("/api/account/auth", &[], Some(&cookie)).await;
    assert_eq!(signed_out.status, StatusCode::UNAUTHORIZED);
    let page = app.get("/email/report?done=reverted", None).await;
    assert!(page.body.contains("Your previous address is back"));
    let data: String =
        sqlx::query("SELECT data FROM account_events WHERE type = 'cancel_email_change' ORDER BY id DESC")
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap()
            .get(0);
    assert!(
        data.contains("old address") && data.contains("\"reverted\":true"),
        "{data}"
    );
}

#[tokio::test]
async fn an_address_taken_before_the_link_is_followed_is_not_applied() {
    let app = TestApp::new().await;
    let cookie = app.sign_up("alice", OLD, PASSWORD).await;
    request(&app, &cookie, NEW).await;
    let token = app.mailed_token(NEW, "/email/confirm").await;
    app.sign_up("carol", NEW, PASSWORD).await;
    let refused = follow(&app, "/email/confirm", &token).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(refused.body.contains("Another account started using this address"));
    assert_eq!(email_of(&app, "alice").await, OLD);
    assert!(overview(&app, &cookie).await["pending_email"].is_null());
}

#[tokio::test]
async fn without_javascript_the_request_comes_back_to_the_tab_with_its_outcome() {
    let app = TestApp::new().await;
    let cookie = app.sign_up("alice", OLD, PASSWORD).await;
    let page = "/account/authorization";
    let refused = app
        .post_without_js(
            "/api/account/email",
            &[("new_email", "still not an address")],
            Some(&cookie),
            page,
        )
        .await;
    assert_eq!(refused.status, StatusCode::SEE_OTHER);
    let flash = refused.cookie("vestibule_flash").expect("a flash cookie");
    let shown = app.get(page, Some(&format!("{cookie}; {flash}"))).await;
    assert!(shown.body.contains("still not an address"), "what was typed is kept");
    assert!(shown.body.contains("Enter an e-mail address like name@example.com."));

    let sent = app
        .post_without_js("/api/account/email", &[("new_email", NEW)], Some(&cookie), page)
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER);
    let flash = sent.cookie("vestibule_flash").expect("a flash cookie");
    let shown = app.get(page, Some(&format!("{cookie}; {flash}"))).await;
    assert!(shown.body.contains("Link sent."), "{}", shown.body);
    assert!(shown.body.contains(NEW) && shown.body.contains("Send the link again"));
}
