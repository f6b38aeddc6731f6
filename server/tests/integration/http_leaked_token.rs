//! What someone holding one leaked secret can do (issue 15's review): an API token or bearer
//! alone cannot change the address, turn the second factor on or off, or divert the deletion
//! code; the owner hears of every new token, key and second-factor change, with an "it was not
//! me" link that ends every session and API token; a password reset ends them too. Each test
//! runs on SQLite and, when configured, PostgreSQL.

use crate::http_api::{api, basic, bearer, keygen, tab_token};
use crate::support::{away_from_step_edge, oathtool, Reply, TestApp, TestDb, PASSWORD};
use http::StatusCode;
use serde_json::json;
use sqlx::Row;

const NEW_PASSWORD: &str = "a brand new passphrase";

/// A signed-up account: its session cookie, an API token made on the tab, and a bearer.
async fn account(app: &TestApp, username: &str) -> (String, String, String) {
    let cookie = app
        .sign_up(username, &format!("{username}@example.com"), PASSWORD)
        .await;
    let secret = tab_token(app, &cookie, "cli").await;
    let auth = bearer(app, &secret).await;
    (cookie, secret, auth)
}

async fn done(app: TestApp, pg: Option<TestDb>) {
    drop(app);
    if let Some(pg) = pg {
        pg.finish().await;
    }
}

/// Subjects of the mails queued to `to`, oldest first.
async fn subjects(app: &TestApp, to: &str) -> Vec<String> {
    sqlx::query("SELECT subject FROM mail_queue WHERE to_address = $1 ORDER BY id")
        .bind(to)
        .fetch_all(&app.state.db.pool)
        .await
        .unwrap()
        .iter()
        .map(|r| r.get::<String, _>(0))
        .collect()
}

async fn put_user(app: &TestApp, auth: &str, user: serde_json::Value) -> Reply {
    let body = json!({ "user": user }).to_string();
    api(app, "PUT", "/v1/users/account", auth, Some(&body)).await
}

fn field_error(reply: &Reply, field: &str) -> bool {
    reply.json()["errors"][field][0].is_string()
}

#[tokio::test]
async fn a_bearer_alone_cannot_change_the_address() {
    for (app, pg) in TestApp::on_each_database().await {
        let db = app.backend();
        let (_, _, auth) = account(&app, "alice").await;

        let bare = put_user(&app, &auth, json!({ "email": "mallory@evil.test" })).await;
        assert_eq!(bare.status, StatusCode::UNPROCESSABLE_ENTITY, "{db}: {}", bare.body);
        assert!(field_error(&bare, "current_password"), "{}", bare.body);
        let guessed = put_user(
            &app,
            &auth,
            json!({ "email": "mallory@evil.test", "current_password": "a guess at it" }),
        )
        .await;
        assert_eq!(guessed.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", guessed.body);
        assert!(field_error(&guessed, "current_password"));
        assert_eq!(app.count("SELECT COUNT(*) FROM email_changes").await, 0, "{db}");
        assert!(subjects(&app, "mallory@evil.test").await.is_empty());
        // The guess counts with the sign-in failures of the account.
        let counted = app
            .count("SELECT COALESCE(MAX(failures), 0) FROM login_throttle WHERE key LIKE 'user:%'")
            .await;
        assert_eq!(counted, 1, "{db}");

        // With the password, as the tab's window would ask, the change is mailed to confirm.
        let right = put_user(
            &app,
            &auth,
            json!({ "email": "alice.new@example.com", "current_password": PASSWORD }),
        )
        .await;
        assert_eq!(right.status, StatusCode::OK, "{db}: {}", right.body);
        assert_eq!(right.json()["user"]["unconfirmed_email"], "alice.new@example.com");
        done(app, pg).await;
    }
}

#[tokio::test]
async fn a_bearer_alone_cannot_turn_the_second_factor_on_or_off() {
    for (app, pg) in TestApp::on_each_database().await {
        let db = app.backend();
        let (_, _, auth) = account(&app, "alice").await;
        let totp = r#"{"tfa":{"provider":"totp"}}"#;
        let bare = api(&app, "POST", "/v1/client/tfa", &auth, Some(totp)).await;
        assert_eq!(bare.status, StatusCode::UNPROCESSABLE_ENTITY, "{db}: {}", bare.body);
        assert!(field_error(&bare, "current_password"));
        assert_eq!(app.count("SELECT COUNT(*) FROM totp_secrets").await, 0);

        away_from_step_edge().await;
        let body = json!({ "tfa": { "provider": "totp", "current_password": PASSWORD } }).to_string();
        let started = api(&app, "POST", "/v1/client/tfa", &auth, Some(&body)).await;
        assert_eq!(started.status, StatusCode::CREATED, "{db}: {}", started.body);
        let uri = started.json()["tfa"]["uri"].as_str().unwrap().to_string();
        let secret = uri
            .split("secret=")
            .nth(1)
            .unwrap()
            .split('&')
            .next()
            .unwrap()
            .to_string();
        // The secret is handed out once, to the password-checked call: a bearer cannot read it.
        let shown = api(&app, "GET", "/v1/client/tfa?", &auth, None).await;
        assert!(shown.json()["tfa"].get("uri").is_none(), "{}", shown.body);
        let code = oathtool(&secret, server::db::now() - 30);
        let validate = json!({ "tfa": { "attempt": code } }).to_string();
        let on = api(&app, "POST", "/v1/client/tfa/validate", &auth, Some(&validate)).await;
        assert_eq!(on.status, StatusCode::OK, "{db}: {}", on.body);
        let codes = on.json()["tfa"]["codes"].as_array().unwrap().clone();

        // With the factor on, the address needs a code as well as the password.
        let no_code = put_user(
            &app,
            &auth,
            json!({ "email": "alice.new@example.com", "current_password": PASSWORD }),
        )
        .await;
        assert_eq!(no_code.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", no_code.body);
        assert!(field_error(&no_code, "otp"), "{}", no_code.body);
        let with_code = put_user(
            &app,
            &auth,
            json!({ "email": "alice.new@example.com", "current_password": PASSWORD, "otp": codes[0] }),
        )
        .await;
        assert_eq!(with_code.status, StatusCode::OK, "{db}: {}", with_code.body);

        // Turning it off: a code is not enough without the password.
        let code_only = json!({ "tfa": { "attempt": codes[1] } }).to_string();
        let refused = api(&app, "DELETE", "/v1/client/tfa?", &auth, Some(&code_only)).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
        assert!(field_error(&refused, "current_password"));
        assert_eq!(
            app.count("SELECT COUNT(*) FROM totp_secrets WHERE enabled_at IS NOT NULL")
                .await,
            1
        );
        let both = json!({ "tfa": { "attempt": codes[1], "current_password": PASSWORD } }).to_string();
        let off = api(&app, "DELETE", "/v1/client/tfa?", &auth, Some(&both)).await;
        assert_eq!(off.status, StatusCode::NO_CONTENT, "{db}: {}", off.body);

        // The owner heard of both changes, at the confirmed address.
        let told = subjects(&app, "alice@example.com").await;
        assert!(
            told.contains(&"Two-factor authentication was turned on".to_string()),
            "{told:?}"
        );
        assert!(
            told.contains(&"Two-factor authentication was turned off".to_string()),
            "{told:?}"
        );
        done(app, pg).await;
    }
}

#[tokio::test]
async fn the_deletion_code_goes_to_the_confirmed_address_not_a_pending_one() {
    for (app, pg) in TestApp::on_each_database().await {
        let (cookie, _, auth) = account(&app, "alice").await;
        let pending = app
            .call(
                "/api/account/email",
                &[("new_email", "elsewhere@example.com")],
                Some(&cookie),
            )
            .await;
        assert_eq!(pending.status, StatusCode::OK, "{}", pending.body);
        let asked = api(&app, "POST", "/v1/users/delete", &auth, Some("{}")).await;
        assert_eq!(asked.status, StatusCode::CREATED, "{}", asked.body);
        let to_new = subjects(&app, "elsewhere@example.com").await;
        assert!(!to_new.iter().any(|s| s.contains("deletion")), "{to_new:?}");
        let to_old = subjects(&app, "alice@example.com").await;
        assert!(
            to_old.iter().any(|s| s == "Confirm your account's deletion"),
            "{to_old:?}"
        );
        done(app, pg).await;
    }
}

/// The "it was not me" token of the newest mail to `to` with that subject.
async fn way_out(app: &TestApp, to: &str, subject: &str) -> String {
    let body = app
        .mail_texts(to, subject)
        .await
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no mail {subject:?} to {to}"));
    let marker = "/security/report?token=";
    let start = body.find(marker).expect("an it-was-not-me link") + marker.len();
    body[start..].split_whitespace().next().unwrap().to_string()
}

#[tokio::test]
async fn new_tokens_and_keys_are_told_and_it_was_not_me_ends_every_session_and_token() {
    for (app, pg) in TestApp::on_each_database().await {
        let db = app.backend();
        let (cookie, first_secret, auth) = account(&app, "alice").await;
        // What a thief with the bearer would do: a token of their own, and a key to push with.
        let made = api(
            &app,
            "POST",
            "/v1/tokens",
            &auth,
            Some(r#"{"token":{"name":"mine now"}}"#),
        )
        .await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
        let thief_secret = made.json()["token"]["token"].as_str().unwrap().to_string();
        let (public, _) = keygen("ed25519", "", "thief@box");
        let key = json!({ "key": { "name": "box", "content": public } }).to_string();
        assert_eq!(
            api(&app, "POST", "/v1/keys", &auth, Some(&key)).await.status,
            StatusCode::CREATED
        );
        let other_session = app.sign_in("alice", PASSWORD).await.session_cookie().unwrap();

        let told = subjects(&app, "alice@example.com").await;
        let tokens_told = told.iter().filter(|s| *s == "A new API token was created").count();
        assert_eq!(tokens_told, 2, "{db}: the tab's token and the API's: {told:?}");
        assert!(told.contains(&"A new SSH key was added".to_string()), "{told:?}");

        let token = way_out(&app, "alice@example.com", "A new SSH key was added").await;
        // Opening the link changes nothing (mail scanners open links): it shows one button.
        let page = app.get(&format!("/security/report?token={token}"), None).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains(r#"action="/security/report""#), "{}", page.body);
        assert_eq!(app.get("/account", Some(&cookie)).await.status, StatusCode::OK);

        let reported = app.post_form("/security/report", &[("token", &token)], None).await;
        assert_eq!(reported.status, StatusCode::SEE_OTHER, "{db}: {}", reported.body);
        assert_eq!(reported.location(), "/security/report?done=1&key=removed");
        let outcome = app.get(reported.location(), None).await;
        assert!(
            outcome
                .body
                .contains("Every session and API token of your account was ended"),
            "{}",
            outcome.body
        );
        for session in [&cookie, &other_session] {
            assert_eq!(
                app.get("/account", Some(session)).await.status,
                StatusCode::SEE_OTHER,
                "{db}"
            );
        }
        let gone = api(&app, "GET", "/v1/users/self?", &auth, None).await;
        assert_eq!(gone.status, StatusCode::UNAUTHORIZED, "{db}: the bearer ended");
        for secret in [&first_secret, &thief_secret] {
            let exchange = api(&app, "POST", "/v1/tokens/exchange", &basic("", secret), Some("{}")).await;
            assert_eq!(exchange.status, StatusCode::UNAUTHORIZED, "{db}: every token ended");
        }
        assert_eq!(
            app.count("SELECT COUNT(*) FROM ssh_keys").await,
            0,
            "{db}: the reported key is gone"
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM account_events WHERE type = 'security_report'")
                .await,
            1
        );
        // Once only.
        let again = app.post_form("/security/report", &[("token", &token)], None).await;
        assert_eq!(again.status, StatusCode::GONE);
        let reopened = app.get(&format!("/security/report?token={token}"), None).await;
        assert_eq!(reopened.status, StatusCode::GONE);
        assert!(!reopened.body.contains(r#"action="/security/report""#));
        done(app, pg).await;
    }
}

#[tokio::test]
async fn recovery_codes_made_again_are_told() {
    let app = TestApp::new().await;
    let cookie = app.sign_up("alice", "alice@example.com", PASSWORD).await;
    away_from_step_edge().await;
    assert_eq!(
        app.call("/api/account/two-factor/start", &[], Some(&cookie))
            .await
            .status,
        StatusCode::OK
    );
    let overview = app.call("/api/account/auth", &[], Some(&cookie)).await.json();
    let secret = overview["two_factor"]["Pending"]["secret"]
        .as_str()
        .unwrap()
        .to_string();
    let code = oathtool(&secret, server::db::now() - 30);
    let on = app
        .call(
            "/api/account/two-factor/confirm",
            &[("enable_code", &code)],
            Some(&cookie),
        )
        .await;
    assert_eq!(on.status, StatusCode::OK, "{}", on.body);
    let again = app
        .call("/api/account/two-factor/recovery-codes", &[], Some(&cookie))
        .await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    let told = subjects(&app, "alice@example.com").await;
    assert!(
        told.contains(&"Two-factor authentication was turned on".to_string()),
        "{told:?}"
    );
    assert!(told.contains(&"New recovery codes were made".to_string()), "{told:?}");
    way_out(&app, "alice@example.com", "New recovery codes were made").await;
}

#[tokio::test]
async fn a_password_reset_ends_every_token_bearer_and_started_sign_in() {
    for (app, pg) in TestApp::on_each_database().await {
        let db = app.backend();
        let (cookie, secret, auth) = account(&app, "alice").await;
        away_from_step_edge().await;
        app.call("/api/account/two-factor/start", &[], Some(&cookie)).await;
        let overview = app.call("/api/account/auth", &[], Some(&cookie)).await.json();
        let totp = overview["two_factor"]["Pending"]["secret"]
            .as_str()
            .unwrap()
            .to_string();
        let first = oathtool(&totp, server::db::now() - 30);
        app.call(
            "/api/account/two-factor/confirm",
            &[("enable_code", &first)],
            Some(&cookie),
        )
        .await;
        // Someone with the old password begins a sign-in and waits at the code step.
        let begun = app.sign_in("alice", PASSWORD).await;
        assert_eq!(begun.location(), "/login/code");
        let challenge = begun.cookie("vestibule_challenge").unwrap();

        app.post_form("/password/forgot", &[("email", "alice@example.com")], None)
            .await;
        let token = app.mailed_token("alice@example.com", "/password/reset").await;
        let page = app.get(&format!("/password/reset?token={token}"), None).await;
        assert!(
            page.body.contains("every API token"),
            "the reset page says what it ends: {}",
            page.body
        );
        let reset = app
            .post_form(
                "/password/reset",
                &[("token", &token), ("password", NEW_PASSWORD), ("confirm", NEW_PASSWORD)],
                None,
            )
            .await;
        assert_eq!(reset.status, StatusCode::SEE_OTHER, "{db}: {}", reset.body);

        let code = oathtool(&totp, server::db::now());
        let late = app
            .post_form("/login/code", &[("code", &code), ("next", "")], Some(&challenge))
            .await;
        assert!(late.session_cookie().is_none(), "{db}: the old challenge ended");
        assert!(
            late.location().starts_with("/login?notice=code-expired"),
            "{}",
            late.location()
        );
        assert_eq!(
            api(&app, "GET", "/v1/users/self?", &auth, None).await.status,
            StatusCode::UNAUTHORIZED
        );
        let exchange = api(&app, "POST", "/v1/tokens/exchange", &basic("", &secret), Some("{}")).await;
        assert_eq!(exchange.status, StatusCode::UNAUTHORIZED, "{db}");
        assert_eq!(app.count("SELECT COUNT(*) FROM api_tokens").await, 0);
        done(app, pg).await;
    }
}

#[tokio::test]
async fn a_used_or_unknown_reset_link_says_so_when_opened() {
    let app = TestApp::new().await;
    app.sign_up("alice", "alice@example.com", PASSWORD).await;
    for path in ["/password/reset?token=not-a-real-one", "/password/reset"] {
        let page = app.get(path, None).await;
        assert_eq!(page.status, StatusCode::GONE, "{path}");
        assert!(page.body.contains("This link has expired or was already used."));
        assert!(
            !page.body.contains(r#"name="password""#),
            "no form to fill in for nothing"
        );
    }
    app.post_form("/password/forgot", &[("email", "alice@example.com")], None)
        .await;
    let token = app.mailed_token("alice@example.com", "/password/reset").await;
    let fresh = app.get(&format!("/password/reset?token={token}"), None).await;
    assert_eq!(fresh.status, StatusCode::OK);
    assert!(fresh.body.contains(r#"name="password""#));
    app.post_form(
        "/password/reset",
        &[("token", &token), ("password", NEW_PASSWORD), ("confirm", NEW_PASSWORD)],
        None,
    )
    .await;
    let used = app.get(&format!("/password/reset?token={token}"), None).await;
    assert_eq!(used.status, StatusCode::GONE);
    assert!(!used.body.contains(r#"name="password""#));
}

#[tokio::test]
async fn it_was_not_me_and_a_reset_also_end_a_pending_address_change_and_enrolment() {
    for (app, pg) in TestApp::on_each_database().await {
        let db = app.backend();
        // Someone in a fresh session starts an address change and a second factor of theirs,
        // and makes a token.
        let cookie = app.sign_up("alice", "alice@example.com", PASSWORD).await;
        let asked = app
            .call(
                "/api/account/email",
                &[("new_email", "mallory@evil.test")],
                Some(&cookie),
            )
            .await;
        assert_eq!(asked.status, StatusCode::OK, "{}", asked.body);
        app.call("/api/account/two-factor/start", &[], Some(&cookie)).await;
        tab_token(&app, &cookie, "mine").await;
        let confirm = app.mailed_token("mallory@evil.test", "/email/confirm").await;

        let token = way_out(&app, "alice@example.com", "A new API token was created").await;
        let reported = app.post_form("/security/report", &[("token", &token)], None).await;
        assert_eq!(reported.status, StatusCode::SEE_OTHER, "{db}");
        let late = app.post_form("/email/confirm", &[("token", &confirm)], None).await;
        assert_eq!(late.status, StatusCode::GONE, "{db}: the change ended with the report");
        assert_eq!(
            app.count("SELECT COUNT(*) FROM users WHERE email = 'alice@example.com'")
                .await,
            1
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM totp_secrets").await,
            0,
            "{db}: no pending secret"
        );

        // The same after a password reset.
        let cookie = app.sign_in("alice", PASSWORD).await.session_cookie().unwrap();
        app.call(
            "/api/account/email",
            &[("new_email", "mallory@evil.test")],
            Some(&cookie),
        )
        .await;
        let confirm = app.mailed_token("mallory@evil.test", "/email/confirm").await;
        app.post_form("/password/forgot", &[("email", "alice@example.com")], None)
            .await;
        let reset = app.mailed_token("alice@example.com", "/password/reset").await;
        let reset = app
            .post_form(
                "/password/reset",
                &[("token", &reset), ("password", NEW_PASSWORD), ("confirm", NEW_PASSWORD)],
                None,
            )
            .await;
        assert_eq!(reset.status, StatusCode::SEE_OTHER);
        assert!(
            reset.cookie("vestibule_device").is_some(),
            "the browser that reset is known again"
        );
        let late = app.post_form("/email/confirm", &[("token", &confirm)], None).await;
        assert_eq!(late.status, StatusCode::GONE, "{db}");
        done(app, pg).await;
    }
}

#[tokio::test]
async fn a_renewed_token_is_told_and_names_in_alerts_are_short_labelled_lines() {
    let app = TestApp::new().await;
    let (_, _, auth) = account(&app, "alice").await;
    let phishing = "backup\u{201d} by support. This was us: ignore this mail; the link below deletes your account.";
    let body = json!({ "token": { "name": phishing } }).to_string();
    let made = api(&app, "POST", "/v1/tokens", &auth, Some(&body)).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let id = made.json()["token"]["id"].as_str().unwrap().to_string();
    let text = app
        .mail_texts("alice@example.com", "A new API token was created")
        .await
        .remove(0);
    // Quoted on a labelled line of its own, cut short: never read as the mail's own words.
    assert!(!text.contains("deletes your account"), "{text}");
    assert!(
        text.contains("\nName (as given when it was made): backup\u{201d} by support. "),
        "{text}"
    );
    assert!(text.contains("…\n"), "{text}");

    let renewed = api(&app, "PATCH", &format!("/v1/tokens/{id}/renew"), &auth, Some("{}")).await;
    assert_eq!(renewed.status, StatusCode::OK, "{}", renewed.body);
    let told = subjects(&app, "alice@example.com").await;
    assert!(told.contains(&"An API token was renewed".to_string()), "{told:?}");
    way_out(&app, "alice@example.com", "An API token was renewed").await;
}

#[tokio::test]
async fn an_account_update_refused_for_a_taken_address_writes_nothing() {
    let app = TestApp::new().await;
    app.sign_up("bob", "bob@example.com", PASSWORD).await;
    let (_, _, auth) = account(&app, "alice").await;
    let both = json!({
        "username": "alice2", "fullname": "Alice L.", "email": "bob@example.com",
        "current_password": PASSWORD, "password": NEW_PASSWORD, "password_confirmation": NEW_PASSWORD,
    });
    let refused = put_user(&app, &auth, both).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(field_error(&refused, "email"));
    let me = api(&app, "GET", "/v1/users/self?", &auth, None).await.json();
    assert_eq!(me["user"]["username"], "alice");
    assert_eq!(me["user"]["fullname"], "");
    assert_eq!(
        app.sign_in("alice", PASSWORD).await.status,
        StatusCode::SEE_OTHER,
        "the password stays"
    );
    // A password no keyboard can type is refused.
    let control = json!({ "current_password": PASSWORD, "password": "nul\u{0}inside a password" });
    let refused = put_user(&app, &auth, control).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(field_error(&refused, "password"), "{}", refused.body);
}

#[tokio::test]
async fn every_mailed_link_says_it_is_spent_when_opened() {
    let app = TestApp::new().await;
    for path in [
        "/email/confirm?token=bogus",
        "/email/report?token=bogus",
        "/password/reset?done=1&token=bogus",
        "/signup/confirm?done=1&token=bogus",
        "/security/report?token=bogus",
    ] {
        let page = app.get(path, None).await;
        assert_eq!(page.status, StatusCode::GONE, "{path}");
        assert!(
            !page.body.contains(r#"name="token""#),
            "{path}: no form to fill in: {}",
            page.body
        );
    }
}
