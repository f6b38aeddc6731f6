//! Sign-in and sign-up findings of issue 15's review, each with the test that failed before its
//! fix: the account lock-out no longer names an address's username, device cookies live on
//! the server and end with the password, re-authentication guesses count with sign-in ones,
//! sign-up mails are capped per address, and the sign-up link asks for the form's password.

use crate::support::{TestApp, TestDb, PASSWORD};
use http::StatusCode;

const ATTACKER: &str = "198.51.100.9";
const NEW_PASSWORD: &str = "a brand new passphrase";

async fn done(app: TestApp, pg: Option<TestDb>) {
    drop(app);
    if let Some(pg) = pg {
        pg.finish().await;
    }
}

async fn user_id(app: &TestApp, username: &str) -> String {
    use sqlx::Row;
    sqlx::query("SELECT id FROM users WHERE username = $1")
        .bind(username)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap()
        .get(0)
}

/// Failures counted on the account's own sign-in counter.
async fn account_failures(app: &TestApp, username: &str) -> i64 {
    let key = format!("user:{}", user_id(app, username).await);
    app.count(&format!(
        "SELECT COALESCE(MAX(failures), 0) FROM login_throttle WHERE key = '{key}'"
    ))
    .await
}

async fn guess(app: &TestApp, login: &str, password: &str, cookie: Option<&str>) -> crate::support::Reply {
    app.post_form_from("/login", &[("login", login), ("password", password)], cookie, ATTACKER)
        .await
}

#[tokio::test]
async fn a_paused_account_answers_like_a_wrong_password() {
    for (app, pg) in TestApp::on_each_database().await {
        let db = app.backend();
        app.sign_up("alice", "alice@example.com", PASSWORD).await;
        app.sign_up("bob", "bob@example.com", PASSWORD).await;
        for _ in 0..5 {
            guess(&app, "alice@example.com", "wrong guess", None).await;
        }
        // Does "alice" own alice@example.com? Both usernames answer alike.
        let alice = guess(&app, "alice", "wrong guess", None).await;
        let bob = guess(&app, "bob", "wrong guess", None).await;
        let nobody = guess(&app, "nobody", "wrong guess", None).await;
        for reply in [&alice, &bob, &nobody] {
            assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{db}");
            assert!(reply.header("retry-after").is_empty());
            assert!(reply.body.contains("The username, e-mail or password is incorrect."));
        }
        // Paused means paused: even the right password signs nobody in, and says nothing more.
        let right = guess(&app, "alice", PASSWORD, None).await;
        assert_eq!(right.status, StatusCode::UNAUTHORIZED, "{db}");
        assert!(right.session_cookie().is_none());
        // The guesses still count against the guessing address.
        for n in 0..20 {
            guess(&app, &format!("someone{n}"), "x", None).await;
        }
        assert_eq!(
            guess(&app, "bob", PASSWORD, None).await.status,
            StatusCode::TOO_MANY_REQUESTS
        );
        done(app, pg).await;
    }
}

#[tokio::test]
async fn device_cookies_end_with_the_password_and_are_capped_per_account() {
    for (app, pg) in TestApp::on_each_database().await {
        let db = app.backend();
        let cookie = app.sign_up("alice", "alice@example.com", PASSWORD).await;
        let mut devices = Vec::new();
        for _ in 0..3 {
            let signed_in = guess(&app, "alice", PASSWORD, None).await;
            devices.push(signed_in.cookie("vestibule_device").expect("a device cookie"));
        }
        let changed = app
            .call(
                "/api/account/password",
                &[
                    ("current_password", PASSWORD),
                    ("new_password", NEW_PASSWORD),
                    ("confirm_password", NEW_PASSWORD),
                ],
                Some(&cookie),
            )
            .await;
        assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
        // Every known browser was forgotten; only the one that changed the password is known.
        assert!(changed.cookie("vestibule_device").is_some());
        assert_eq!(app.count("SELECT COUNT(*) FROM device_nonces").await, 1, "{db}");
        // Three old cookies no longer buy three fresh sets of guesses: every guess counts on
        // the account, which paused after five (and refused the other ten unchecked).
        for device in &devices {
            for _ in 0..5 {
                guess(&app, "alice", "wrong guess", Some(device)).await;
            }
        }
        assert_eq!(account_failures(&app, "alice").await, 15, "{db}");
        let checked = app
            .count("SELECT COUNT(*) FROM account_events WHERE type = 'login_failure' AND data NOT LIKE '%paused%'")
            .await;
        assert_eq!(
            checked, 5,
            "{db}: five guesses checked, whatever cookies came with them"
        );

        // However often an account signs in, it keeps a bounded number of known browsers.
        app.sign_up("bob", "bob@example.com", PASSWORD).await;
        for _ in 0..14 {
            let reply = app.sign_in("bob", PASSWORD).await;
            assert_eq!(reply.status, StatusCode::SEE_OTHER);
        }
        let bob = user_id(&app, "bob").await;
        let kept = app
            .count(&format!("SELECT COUNT(*) FROM device_nonces WHERE user_id = '{bob}'"))
            .await;
        assert_eq!(kept, 10, "{db}");
        done(app, pg).await;
    }
}

#[tokio::test]
async fn a_known_browser_keeps_its_device_cookie() {
    let app = TestApp::new().await;
    app.sign_up("alice", "alice@example.com", PASSWORD).await;
    let first = app.sign_in("alice", PASSWORD).await;
    let device = first.cookie("vestibule_device").unwrap();
    let again = guess(&app, "alice", PASSWORD, Some(&device)).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    assert_eq!(
        again.cookie("vestibule_device").unwrap(),
        device,
        "the same browser, the same cookie"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM device_nonces").await, 2);
}

#[tokio::test]
async fn re_authentication_guesses_count_with_sign_in_ones() {
    for (app, pg) in TestApp::on_each_database().await {
        let db = app.backend();
        let cookie = app.sign_up("alice", "alice@example.com", PASSWORD).await;
        for _ in 0..3 {
            guess(&app, "alice", "wrong guess", None).await;
        }
        for _ in 0..2 {
            let wrong = app
                .call(
                    "/api/account/reauthenticate",
                    &[("reauth_password", "wrong guess")],
                    Some(&cookie),
                )
                .await;
            assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
        }
        assert_eq!(account_failures(&app, "alice").await, 5, "{db}");
        let paused = app
            .post_form_from(
                "/login",
                &[("login", "alice"), ("password", PASSWORD)],
                None,
                "192.0.2.80",
            )
            .await;
        assert_eq!(paused.status, StatusCode::UNAUTHORIZED, "{db}");
        done(app, pg).await;
    }
}

#[tokio::test]
async fn sign_up_mails_are_capped_per_address_too() {
    for (app, pg) in TestApp::on_each_database().await {
        let db = app.backend();
        let mut answers = Vec::new();
        for n in 0..10 {
            let name = format!("flood{n}");
            let reply = app
                .post_form_from(
                    "/signup",
                    &[
                        ("username", &name),
                        ("email", "victim@example.com"),
                        ("password", PASSWORD),
                    ],
                    None,
                    &format!("192.0.2.{}", 100 + n),
                )
                .await;
            answers.push((reply.status, reply.location().to_string()));
        }
        let sent = (StatusCode::SEE_OTHER, "/signup?sent=1".to_string());
        let refused = (StatusCode::TOO_MANY_REQUESTS, String::new());
        assert!(answers[..3].iter().all(|a| *a == sent), "{db}: {answers:?}");
        assert!(
            answers[3..].iter().all(|a| *a == refused),
            "{db}: then a plain refusal: {answers:?}"
        );
        let mails = app
            .count("SELECT COUNT(*) FROM mail_queue WHERE to_address = 'victim@example.com'")
            .await;
        assert_eq!(mails, 3, "{db}");
        // An address with an account is refused the same way (the answer tells nothing).
        app.sign_up("owner", "owner@example.com", PASSWORD).await;
        let mut statuses = Vec::new();
        for n in 0..4 {
            let name = format!("other{n}");
            let reply = app
                .post_form_from(
                    "/signup",
                    &[
                        ("username", &name),
                        ("email", "owner@example.com"),
                        ("password", PASSWORD),
                    ],
                    None,
                    "192.0.2.200",
                )
                .await;
            statuses.push(reply.status);
            if reply.status == StatusCode::TOO_MANY_REQUESTS {
                assert!(reply.body.contains("Too many sign-up e-mails went to this address"));
            }
        }
        // The sign-up itself sent one mail to the address: two notices more, then the refusal.
        let expected = [
            StatusCode::SEE_OTHER,
            StatusCode::SEE_OTHER,
            StatusCode::TOO_MANY_REQUESTS,
            StatusCode::TOO_MANY_REQUESTS,
        ];
        assert_eq!(statuses, expected, "{db}");
        done(app, pg).await;
    }
}

#[tokio::test]
async fn the_sign_up_link_asks_for_the_password_chosen_on_the_form() {
    for (app, pg) in TestApp::on_each_database().await {
        let db = app.backend();
        // Mallory signs up with Alice's address, hoping Alice follows the link.
        let form = [
            ("username", "mallory"),
            ("email", "alice@example.com"),
            ("password", PASSWORD),
        ];
        assert_eq!(
            app.post_form("/signup", &form, None).await.status,
            StatusCode::SEE_OTHER
        );
        let token = app.mailed_token("alice@example.com", "/signup/confirm").await;
        let page = app.get(&format!("/signup/confirm?token={token}"), None).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains(r#"name="password""#), "{}", page.body);

        let without = app.post_form("/signup/confirm", &[("token", &token)], None).await;
        assert_eq!(without.status, StatusCode::UNPROCESSABLE_ENTITY, "{db}");
        let alices_own = app
            .post_form(
                "/signup/confirm",
                &[("token", &token), ("password", "alice's own password")],
                None,
            )
            .await;
        assert_eq!(alices_own.status, StatusCode::UNAUTHORIZED, "{db}");
        assert!(alices_own.session_cookie().is_none());
        assert!(
            alices_own.body.contains("not the password chosen"),
            "{}",
            alices_own.body
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM users").await,
            0,
            "{db}: no account for Mallory"
        );

        // Guessing is limited per link.
        for _ in 0..5 {
            app.post_form("/signup/confirm", &[("token", &token), ("password", "guess")], None)
                .await;
        }
        let late = app
            .post_form("/signup/confirm", &[("token", &token), ("password", PASSWORD)], None)
            .await;
        assert_eq!(late.status, StatusCode::TOO_MANY_REQUESTS, "{db}");
        assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 0);

        // Whoever chose the password completes it.
        let form = [
            ("username", "carol"),
            ("email", "carol@example.com"),
            ("password", PASSWORD),
        ];
        let created = app.sign_up_reply(&form, None).await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{db}: {}", created.body);
        assert!(created.session_cookie().is_some());
        done(app, pg).await;
    }
}

#[tokio::test]
async fn guessers_cannot_keep_the_owner_from_confirming_but_a_session_that_missed_waits() {
    for (app, pg) in TestApp::on_each_database().await {
        let db = app.backend();
        let cookie = app.sign_up("alice", "alice@example.com", PASSWORD).await;
        for _ in 0..6 {
            guess(&app, "alice", "wrong guess", None).await;
        }
        // Sign-in is paused, but the owner's session confirms with the right password.
        let confirmed = app
            .call(
                "/api/account/reauthenticate",
                &[("reauth_password", PASSWORD)],
                Some(&cookie),
            )
            .await;
        assert_eq!(confirmed.status, StatusCode::OK, "{db}: {}", confirmed.body);
        let cookie = confirmed.session_cookie().unwrap();
        // A session that misses while the pause lasts waits for its end: at most one guess
        // on top of sign-in's.
        let missed = app
            .call(
                "/api/account/reauthenticate",
                &[("reauth_password", "a guess")],
                Some(&cookie),
            )
            .await;
        assert_eq!(missed.status, StatusCode::UNPROCESSABLE_ENTITY, "{db}");
        let waits = app
            .call(
                "/api/account/reauthenticate",
                &[("reauth_password", PASSWORD)],
                Some(&cookie),
            )
            .await;
        assert_eq!(waits.status, StatusCode::TOO_MANY_REQUESTS, "{db}");
        // The owner's success did not give the guessers fresh tries.
        let paused = guess(&app, "alice", PASSWORD, None).await;
        assert_eq!(paused.status, StatusCode::UNAUTHORIZED, "{db}");
        done(app, pg).await;
    }
}
