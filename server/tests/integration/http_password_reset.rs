//! "Forgot password?" through the real router: the same answer for any address, a single-use
//! one-hour link by mail, every session ended, a notice afterwards.

use crate::support::{TestApp, PASSWORD};
use http::StatusCode;
use sqlx::Row;

const NEW_PASSWORD: &str = "a brand new passphrase";

async fn request_link(app: &TestApp, email: &str) -> crate::support::Reply {
    app.post_form("/password/forgot", &[("email", email)], None).await
}

/// The token of the newest reset mail to `to`, read from the queued message.
async fn link_token(app: &TestApp, to: &str) -> String {
    let body = app.mail_texts(to, "%").await.remove(0);
    let start = body.find("/password/reset?token=").expect("a reset link") + "/password/reset?token=".len();
    body[start..].split_whitespace().next().unwrap().to_string()
}

async fn reset(app: &TestApp, token: &str, password: &str, confirm: &str) -> crate::support::Reply {
    app.post_form(
        "/password/reset",
        &[("token", token), ("password", password), ("confirm", confirm)],
        None,
    )
    .await
}

#[tokio::test]
async fn known_and_unknown_addresses_get_the_same_answer_and_only_one_mail() {
    let app = TestApp::new().await;
    app.sign_up("alice", "alice@example.com", PASSWORD).await;
    let known = request_link(&app, "Alice@Example.com").await;
    let unknown = request_link(&app, "nobody@example.com").await;
    assert_eq!(known.status, StatusCode::SEE_OTHER);
    assert_eq!(known.location(), unknown.location());
    assert_eq!(known.location(), "/password/forgot?sent=1");
    assert_eq!(app.count("SELECT COUNT(*) FROM mail_queue").await, 1);
    let page = app.get("/password/forgot?sent=1", None).await;
    assert!(page
        .body
        .contains("If an account uses this address, a link is on its way."));
    let bad = request_link(&app, "not an address").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("not an address"), "what was typed is kept");
}

#[tokio::test]
async fn the_link_sets_a_new_password_ends_every_session_once_and_tells_the_owner() {
    let app = TestApp::new().await;
    let session = app.sign_up("alice", "alice@example.com", PASSWORD).await;
    request_link(&app, "alice@example.com").await;
    let token = link_token(&app, "alice@example.com").await;
    let page = app.get(&format!("/password/reset?token={token}"), None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&format!(r#"name="token" value="{token}""#)));

    // Refused input: both problems at once, nothing changed, the token still good.
    let refused = reset(&app, &token, "short", "different").await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("The two passwords are not the same."),
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains(&format!(r#"name="token" value="{token}""#)),
        "the token is kept"
    );

    let done = reset(&app, &token, NEW_PASSWORD, NEW_PASSWORD).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(done.location(), "/login?notice=password-reset");
    assert_eq!(
        app.get("/account", Some(&session)).await.status,
        StatusCode::SEE_OTHER,
        "signed out"
    );
    assert_eq!(app.sign_in("alice", PASSWORD).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.sign_in("alice", NEW_PASSWORD).await.status, StatusCode::SEE_OTHER);
    let notices = app
        .count("SELECT COUNT(*) FROM mail_queue WHERE subject = 'Your password was changed'")
        .await;
    assert_eq!(notices, 1);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM account_events WHERE type = 'edit_password'")
            .await,
        1
    );

    // Single use.
    let again = reset(&app, &token, "yet another passphrase", "yet another passphrase").await;
    assert_eq!(again.status, StatusCode::GONE);
    assert!(again.body.contains("This link has expired or was already used."));
    assert_eq!(app.sign_in("alice", NEW_PASSWORD).await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn expired_forged_and_superseded_links_are_refused() {
    let app = TestApp::new().await;
    app.sign_up("alice", "alice@example.com", PASSWORD).await;
    request_link(&app, "alice@example.com").await;
    let first = link_token(&app, "alice@example.com").await;
    request_link(&app, "alice@example.com").await;
    let second = link_token(&app, "alice@example.com").await;
    assert_ne!(first, second);
    let forged = reset(&app, "made-up-token", NEW_PASSWORD, NEW_PASSWORD).await;
    assert_eq!(forged.status, StatusCode::GONE);
    // Using one link ends the other.
    assert_eq!(
        reset(&app, &second, NEW_PASSWORD, NEW_PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        reset(&app, &first, "other passphrase here", "other passphrase here")
            .await
            .status,
        StatusCode::GONE
    );
    // An hour later a fresh link is dead too.
    request_link(&app, "alice@example.com").await;
    let late = link_token(&app, "alice@example.com").await;
    sqlx::query("UPDATE password_resets SET expires_at = 0")
        .execute(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(
        reset(&app, &late, "other passphrase here", "other passphrase here")
            .await
            .status,
        StatusCode::GONE
    );
    assert_eq!(app.sign_in("alice", NEW_PASSWORD).await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn requests_are_limited_per_address_and_mails_per_account() {
    let app = TestApp::new().await;
    app.sign_up("alice", "alice@example.com", PASSWORD).await;
    for _ in 0..10 {
        assert_eq!(
            request_link(&app, "alice@example.com").await.status,
            StatusCode::SEE_OTHER
        );
    }
    // Alice's inbox got three links, not ten.
    assert_eq!(app.count("SELECT COUNT(*) FROM mail_queue").await, 3);
    let eleventh = request_link(&app, "alice@example.com").await;
    assert_eq!(eleventh.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(eleventh.header("retry-after").parse::<i64>().unwrap() > 0);
    let elsewhere = app
        .post_form_from(
            "/password/forgot",
            &[("email", "alice@example.com")],
            None,
            "192.0.2.44",
        )
        .await;
    assert_eq!(elsewhere.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_link_mail_is_in_the_account_language_and_points_at_the_public_url() {
    let app = TestApp::with_env(&[("VESTIBULE_PUBLIC_URL", "https://account.example.com/")]).await;
    // Over HTTPS the session cookie has another name: sign up by hand.
    let fields = [
        ("username", "alice"),
        ("email", "alice@example.com"),
        ("password", PASSWORD),
    ];
    assert_eq!(app.sign_up_reply(&fields, None).await.status, StatusCode::SEE_OTHER);
    sqlx::query("UPDATE users SET lang = 'fr'")
        .execute(&app.state.db.pool)
        .await
        .unwrap();
    // A forged Host header must not end up in the link.
    let request = http::Request::post("/password/forgot")
        .header(http::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(http::header::HOST, "evil.example")
        .header("sec-fetch-site", "same-origin")
        .body(axum::body::Body::from("email=alice%40example.com"))
        .unwrap();
    assert_eq!(app.send(request).await.status, StatusCode::SEE_OTHER);
    let row = sqlx::query("SELECT subject, body_text, body_html FROM mail_queue")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    let open = |column: usize| server::db::mail_queue::opened(&app.state.db, &row.get::<String, _>(column)).unwrap();
    let (subject, text, html): (String, String, String) = (row.get(0), open(1), open(2));
    assert_eq!(subject, "Réinitialiser votre mot de passe");
    assert!(
        text.contains("https://account.example.com/password/reset?token="),
        "{text}"
    );
    assert!(!text.contains("evil.example") && !html.contains("evil.example"));
    assert!(html.contains("<a href=\"https://account.example.com/password/reset?token="));
}
