//! The Authentication tab through the real router: the re-authentication window, password
//! change, sessions, two-factor authentication (checked against oathtool) and deletion, over
//! server-function calls (as the hydrated page makes them) and plain form posts.

use crate::support::{away_from_step_edge, oathtool, Reply, TestApp, PASSWORD};
use http::StatusCode;
use serde_json::Value;
use sqlx::Row;

const NEW_PASSWORD: &str = "another unusual passphrase";

fn error_key(reply: &Reply, field: &str) -> String {
    let json = reply.json();
    json["Invalid"]
        .as_array()
        .and_then(|errors| errors.iter().find(|e| e["field"] == field))
        .and_then(|e| e["key"].as_str())
        .unwrap_or_else(|| panic!("no error for {field}: {}", reply.body))
        .to_string()
}

pub(crate) async fn overview(app: &TestApp, cookie: &str) -> Value {
    let reply = app.call("/api/account/auth", &[], Some(cookie)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.json()
}

/// Closes the window, as if the password had been typed 11 minutes ago.
pub(crate) async fn close_window(app: &TestApp) {
    sqlx::query("UPDATE sessions SET reauth_at = reauth_at - 660")
        .execute(&app.state.db.pool)
        .await
        .unwrap();
}

async fn events(app: &TestApp) -> Vec<(String, String)> {
    sqlx::query("SELECT type, data FROM account_events ORDER BY id")
        .fetch_all(&app.state.db.pool)
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get::<String, _>(0), r.get::<String, _>(1)))
        .collect()
}

fn now() -> i64 {
    server::db::now()
}

/// Turns two-factor authentication on with the previous step's code, so the current step's
/// code is still unused. Returns the secret and the recovery codes.
pub(crate) async fn enable_two_factor(app: &TestApp, cookie: &str) -> (String, Vec<String>) {
    away_from_step_edge().await;
    let started = app.call("/api/account/two-factor/start", &[], Some(cookie)).await;
    assert_eq!(started.status, StatusCode::OK, "{}", started.body);
    let secret = overview(app, cookie).await["two_factor"]["Pending"]["secret"]
        .as_str()
        .expect("a pending secret")
        .to_string();
    let code = oathtool(&secret, now() - 30);
    let confirmed = app
        .call(
            "/api/account/two-factor/confirm",
            &[("enable_code", &code)],
            Some(cookie),
        )
        .await;
    assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.body);
    let codes: Vec<String> = confirmed.json()["codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect();
    (secret, codes)
}

#[tokio::test]
async fn the_tab_lists_sessions_and_needs_a_session() {
    let app = TestApp::new().await;
    let signed_out = app.get("/account/authorization", None).await;
    assert_eq!(signed_out.location(), "/login?next=/account/authorization");
    let cookie = app.sign_up("alice", "alice@example.com", PASSWORD).await;
    let page = app.get("/account/authorization", Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    for text in [
        "Confirm it’s you",
        "Two-factor authentication",
        "This session",
        "Delete the account",
    ] {
        assert!(page.body.contains(text), "{text}");
    }
    let view = overview(&app, &cookie).await;
    assert_eq!(view["sessions"].as_array().unwrap().len(), 1);
    assert_eq!(view["sessions"][0]["current"], true);
    assert!(view["reauth_until"].is_object(), "signing in opens the window");
    assert_eq!(view["two_factor"], "Off");
}

#[tokio::test]
async fn sensitive_changes_need_a_recent_password_and_reauthentication_rotates_the_session() {
    let app = TestApp::new().await;
    let cookie = app.sign_up("alice", "alice@example.com", PASSWORD).await;
    close_window(&app).await;
    assert!(overview(&app, &cookie).await["reauth_until"].is_null());
    let refused = app
        .call("/api/account/sessions/revoke-others", &[], Some(&cookie))
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(refused.json(), "ReauthRequired");

    let wrong = app
        .call(
            "/api/account/reauthenticate",
            &[("reauth_password", "not it at all")],
            Some(&cookie),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_key(&wrong, "reauth_password"), "ErrWrongPassword");

    let right = app
        .call(
            "/api/account/reauthenticate",
            &[("reauth_password", PASSWORD)],
            Some(&cookie),
        )
        .await;
    assert_eq!(right.status, StatusCode::OK, "{}", right.body);
    let fresh = right.session_cookie().expect("a new session id");
    assert_ne!(fresh, cookie);
    assert_eq!(app.get("/account", Some(&cookie)).await.status, StatusCode::SEE_OTHER);
    assert!(overview(&app, &fresh).await["reauth_until"].is_object());
    let allowed = app.call("/api/account/sessions/revoke-others", &[], Some(&fresh)).await;
    assert_eq!(allowed.status, StatusCode::OK);
    assert!(events(&app).await.iter().any(|(t, _)| t == "reauthenticate"));
}

#[tokio::test]
async fn reauthentication_is_throttled() {
    let app = TestApp::new().await;
    let cookie = app.sign_up("alice", "alice@example.com", PASSWORD).await;
    for _ in 0..5 {
        let wrong = app
            .call(
                "/api/account/reauthenticate",
                &[("reauth_password", "wrong guess here")],
                Some(&cookie),
            )
            .await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let blocked = app
        .call(
            "/api/account/reauthenticate",
            &[("reauth_password", PASSWORD)],
            Some(&cookie),
        )
        .await;
    assert_eq!(blocked.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(!blocked.header("retry-after").is_empty());
}

#[tokio::test]
async fn changing_the_password_signs_out_other_sessions_and_tells_the_owner() {
    let app = TestApp::new().await;
    let cookie = app.sign_up("alice", "alice@example.com", PASSWORD).await;
    let other = app.sign_in("alice", PASSWORD).await.session_cookie().unwrap();

    let change = |current: &'static str, new: &'static str, confirm: &'static str| {
        let cookie = cookie.clone();
        let app = &app;
        async move {
            app.call(
                "/api/account/password",
                &[
                    ("current_password", current),
                    ("new_password", new),
                    ("confirm_password", confirm),
                ],
                Some(&cookie),
            )
            .await
        }
    };
    let wrong = change("not my password", NEW_PASSWORD, NEW_PASSWORD).await;
    assert_eq!(error_key(&wrong, "current_password"), "ErrWrongPassword");
    let differ = change(PASSWORD, NEW_PASSWORD, "something else").await;
    assert_eq!(error_key(&differ, "confirm_password"), "ErrPasswordsDiffer");
    // Two mistakes at once are reported at once, not one submit at a time.
    let both = change("not my password", NEW_PASSWORD, "something else").await;
    assert_eq!(error_key(&both, "current_password"), "ErrWrongPassword");
    assert_eq!(error_key(&both, "confirm_password"), "ErrPasswordsDiffer");
    let short = change(PASSWORD, "short", "short").await;
    assert_eq!(error_key(&short, "new_password"), "ErrPasswordTooShort");
    let common = change(PASSWORD, "password1234", "password1234").await;
    assert_eq!(error_key(&common, "new_password"), "ErrPasswordCommon");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM mail_queue").await,
        0,
        "nothing half-done"
    );

    let done = change(PASSWORD, NEW_PASSWORD, NEW_PASSWORD).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(app.get("/account", Some(&cookie)).await.status, StatusCode::OK);
    assert_eq!(app.get("/account", Some(&other)).await.status, StatusCode::SEE_OTHER);
    let mail: String = sqlx::query("SELECT subject FROM mail_queue WHERE to_address = 'alice@example.com'")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap()
        .get(0);
    assert_eq!(mail, "Your password was changed");
    assert_eq!(app.sign_in("alice", PASSWORD).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.sign_in("alice", NEW_PASSWORD).await.status, StatusCode::SEE_OTHER);
    assert!(events(&app)
        .await
        .iter()
        .any(|(t, d)| t == "edit_password" && d.contains("\"user\"")));
}

#[tokio::test]
async fn a_revoked_session_is_signed_out_on_its_next_request() {
    let app = TestApp::new().await;
    let cookie = app.sign_up("alice", "alice@example.com", PASSWORD).await;
    let other = app.sign_in("alice", PASSWORD).await.session_cookie().unwrap();
    let bob = app.sign_up("bob", "bob@example.com", PASSWORD).await;
    let view = overview(&app, &cookie).await;
    let sessions = view["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 2);
    let mine = sessions.iter().find(|s| s["current"] == true).unwrap()["id"]
        .as_str()
        .unwrap();
    let theirs = sessions.iter().find(|s| s["current"] == false).unwrap()["id"]
        .as_str()
        .unwrap();
    let bobs = overview(&app, &bob).await["sessions"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();

    let current = app
        .call("/api/account/sessions/revoke", &[("session", mine)], Some(&cookie))
        .await;
    assert_eq!(current.status, StatusCode::CONFLICT);
    let foreign = app
        .call("/api/account/sessions/revoke", &[("session", &bobs)], Some(&cookie))
        .await;
    assert_eq!(
        foreign.status,
        StatusCode::NOT_FOUND,
        "another account's session is not found"
    );
    let unknown = app
        .call("/api/account/sessions/revoke", &[("session", "nope")], Some(&cookie))
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);

    let done = app
        .call("/api/account/sessions/revoke", &[("session", theirs)], Some(&cookie))
        .await;
    assert_eq!(done.status, StatusCode::OK);
    let page = app.get("/account/authorization", Some(&other)).await;
    assert_eq!(page.location(), "/login?next=/account/authorization");
    let call = app.call("/api/account/basic", &[], Some(&other)).await;
    assert_eq!(call.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.get("/account", Some(&bob)).await.status,
        StatusCode::OK,
        "bob is untouched"
    );
}

#[tokio::test]
async fn two_factor_codes_from_oathtool_work_once_and_sign_in_asks_for_them() {
    let app = TestApp::new().await;
    let cookie = app.sign_up("alice", "alice@example.com", PASSWORD).await;
    let started = app.call("/api/account/two-factor/start", &[], Some(&cookie)).await;
    assert_eq!(started.status, StatusCode::OK);
    let pending = &overview(&app, &cookie).await["two_factor"]["Pending"];
    assert!(pending["otpauth_uri"]
        .as_str()
        .unwrap()
        .starts_with("otpauth://totp/Vestibule:alice"));
    let svg = pending["qr_svg"].as_str().unwrap();
    assert!(svg.starts_with("<svg") && !svg.contains("style"));
    let sealed: String = sqlx::query("SELECT sealed_secret FROM totp_secrets")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap()
        .get(0);
    let secret = pending["secret"].as_str().unwrap().replace(' ', "");
    assert!(!sealed.contains(&secret), "the secret is sealed at rest");
    let wrong = app
        .call(
            "/api/account/two-factor/confirm",
            &[("enable_code", "000000")],
            Some(&cookie),
        )
        .await;
    if oathtool(&secret, now()) != "000000" {
        assert_eq!(error_key(&wrong, "enable_code"), "ErrCodeWrong");
    }
    assert!(overview(&app, &cookie).await["two_factor"]["Pending"].is_object());

    // Start again from scratch with the helper (a new secret replaces the pending one).
    let (secret, recovery) = enable_two_factor(&app, &cookie).await;
    assert_eq!(recovery.len(), 10);
    let on = &overview(&app, &cookie).await["two_factor"]["On"];
    assert_eq!(on["recovery_codes_left"], 10);

    // Sign-in: the password alone gives no session, only the code step.
    let first = app.sign_in("alice", PASSWORD).await;
    assert_eq!(first.location(), "/login/code");
    assert!(first.session_cookie().is_none());
    let challenge = first.cookie("vestibule_challenge").expect("a challenge cookie");
    let answer = |code: String| {
        let challenge = challenge.clone();
        let app = &app;
        async move {
            app.post_form("/login/code", &[("code", &code), ("next", "")], Some(&challenge))
                .await
        }
    };
    let wrong = answer("123456".into()).await;
    if oathtool(&secret, now()) != "123456" && oathtool(&secret, now() - 30) != "123456" {
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
        assert!(wrong.body.contains("This code is not right"));
    }
    // The code used to turn it on (previous step) is spent; the current one works once.
    let spent = answer(oathtool(&secret, now() - 30)).await;
    assert_eq!(spent.status, StatusCode::UNAUTHORIZED);
    let current = oathtool(&secret, now());
    let ok = answer(current.clone()).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    assert_eq!(ok.location(), "/account");
    assert!(ok.session_cookie().is_some());
    assert!(events(&app)
        .await
        .iter()
        .any(|(t, d)| t == "login_success" && d.contains("totp")));

    // Replayed on a new sign-in: refused as used.
    let again = app.sign_in("alice", PASSWORD).await;
    let challenge = again.cookie("vestibule_challenge").unwrap();
    let replay = app
        .post_form("/login/code", &[("code", &current), ("next", "")], Some(&challenge))
        .await;
    assert_eq!(replay.status, StatusCode::UNAUTHORIZED);
    assert!(replay.body.contains("already used"));
    // A recovery code works once, in any case and spacing.
    let code = recovery[0].to_uppercase().replace('-', " ");
    let by_recovery = app
        .post_form(
            "/login/code",
            &[("code", &code), ("next", "/account/timeline")],
            Some(&challenge),
        )
        .await;
    assert_eq!(by_recovery.location(), "/account/timeline");
    let third = app.sign_in("alice", PASSWORD).await;
    let challenge = third.cookie("vestibule_challenge").unwrap();
    let reused = app
        .post_form("/login/code", &[("code", &recovery[0]), ("next", "")], Some(&challenge))
        .await;
    assert_eq!(reused.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        overview(&app, &cookie).await["two_factor"]["On"]["recovery_codes_left"],
        9
    );

    // Without a live challenge the code step sends back to the password.
    let none = app
        .post_form("/login/code", &[("code", "123456"), ("next", "")], None)
        .await;
    assert_eq!(none.location(), "/login?notice=code-expired");
}

#[tokio::test]
async fn code_guesses_are_throttled() {
    let app = TestApp::new().await;
    let cookie = app.sign_up("alice", "alice@example.com", PASSWORD).await;
    let (secret, _) = enable_two_factor(&app, &cookie).await;
    let challenge = app
        .sign_in("alice", PASSWORD)
        .await
        .cookie("vestibule_challenge")
        .unwrap();
    let mut statuses = Vec::new();
    for guess in 0..7 {
        let code = format!("{:06}", 111111 * (guess % 9) + 7);
        let reply = app
            .post_form("/login/code", &[("code", &code), ("next", "")], Some(&challenge))
            .await;
        statuses.push(reply.status);
    }
    assert_eq!(statuses.last(), Some(&StatusCode::TOO_MANY_REQUESTS), "{statuses:?}");
    // Even the right code waits out the block.
    let right = app
        .post_form(
            "/login/code",
            &[("code", &oathtool(&secret, now())), ("next", "")],
            Some(&challenge),
        )
        .await;
    assert_eq!(right.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn a_password_reset_does_not_bypass_the_second_factor_and_disabling_needs_a_code() {
    let app = TestApp::new().await;
    let cookie = app.sign_up("alice", "alice@example.com", PASSWORD).await;
    let (_, recovery) = enable_two_factor(&app, &cookie).await;
    // The operator's reset, like a reset link, sets the password and ends the sessions.
    let user_id: String = sqlx::query("SELECT id FROM users")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap()
        .get(0);
    let hash = app
        .state
        .hasher
        .hash(server::auth::hash_queue::Lane::Priority, NEW_PASSWORD.into())
        .await
        .unwrap();
    server::db::users::reset_password(&app.state.db, &user_id, &hash, &Default::default())
        .await
        .unwrap();
    let after_reset = app.sign_in("alice", NEW_PASSWORD).await;
    assert_eq!(
        after_reset.location(),
        "/login/code",
        "a reset leaves the second factor on"
    );

    let cookie = app
        .post_form(
            "/login/code",
            &[("code", &recovery[1]), ("next", "")],
            after_reset.cookie("vestibule_challenge").as_deref(),
        )
        .await
        .session_cookie()
        .unwrap();
    let wrong = app
        .call(
            "/api/account/two-factor/disable",
            &[("disable_code", "nope-nope")],
            Some(&cookie),
        )
        .await;
    assert_eq!(error_key(&wrong, "disable_code"), "ErrCodeWrong");
    let off = app
        .call(
            "/api/account/two-factor/disable",
            &[("disable_code", &recovery[2])],
            Some(&cookie),
        )
        .await;
    assert_eq!(off.status, StatusCode::OK, "{}", off.body);
    assert_eq!(overview(&app, &cookie).await["two_factor"], "Off");
    assert_eq!(app.count("SELECT COUNT(*) FROM recovery_codes").await, 0);
    assert_eq!(app.sign_in("alice", NEW_PASSWORD).await.location(), "/account");
    let types: Vec<String> = events(&app).await.into_iter().map(|(t, _)| t).collect();
    assert!(types.contains(&"tfa_enabled".to_string()) && types.contains(&"tfa_disabled".to_string()));
}

#[tokio::test]
async fn deletion_is_refused_while_owning_apps_then_removes_everything_but_events() {
    let app = TestApp::new().await;
    let cookie = app.sign_up("alice", "alice@example.com", PASSWORD).await;
    let user_id: String = sqlx::query("SELECT id FROM users")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap()
        .get(0);
    let operator = server::db::events::Actor::default();
    let by = server::db::apps::ChangedBy::Operator;
    server::db::apps::create(&app.state.db, &user_id, "my-app", 1, &operator, by, now())
        .await
        .unwrap();
    let view = overview(&app, &cookie).await;
    assert_eq!(view["apps"][0]["name"], "my-app");

    let owning = app
        .call("/api/account/delete", &[("delete_username", "alice")], Some(&cookie))
        .await;
    assert_eq!(owning.status, StatusCode::CONFLICT);
    assert_eq!(owning.json(), serde_json::json!({"Conflict": "ErrOwnsApps"}));
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 1);

    let which = server::db::apps::Which::Named("my-app");
    server::db::apps::delete(&app.state.db, which, &operator, by)
        .await
        .unwrap();
    let mistyped = app
        .call("/api/account/delete", &[("delete_username", "alicia")], Some(&cookie))
        .await;
    assert_eq!(error_key(&mistyped, "delete_username"), "ErrUsernameMismatch");
    close_window(&app).await;
    let stale = app
        .call("/api/account/delete", &[("delete_username", "alice")], Some(&cookie))
        .await;
    assert_eq!(stale.status, StatusCode::FORBIDDEN);
    let fresh = app
        .call(
            "/api/account/reauthenticate",
            &[("reauth_password", PASSWORD)],
            Some(&cookie),
        )
        .await
        .session_cookie()
        .unwrap();

    // Without JavaScript: a plain form post, answered with the sign-in page and its notice.
    let deleted = app
        .post_without_js(
            "/api/account/delete",
            &[("delete_username", "Alice"), ("delete_reason", "Moving on")],
            Some(&fresh),
            "/account/authorization",
        )
        .await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER);
    assert_eq!(deleted.location(), "/login?notice=account-deleted");
    assert!(deleted.header("set-cookie").contains("vestibule_session=;"));
    for table in ["users", "sessions", "document_acceptances", "password_resets"] {
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM {table}")).await, 0, "{table}");
    }
    let last = events(&app).await.pop().unwrap();
    assert_eq!(last.0, "delete_account");
    assert!(last.1.contains("Moving on"));
    assert_eq!(app.get("/account", Some(&fresh)).await.status, StatusCode::SEE_OTHER);
    let goodbye: String = sqlx::query("SELECT subject FROM mail_queue ORDER BY id DESC LIMIT 1")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap()
        .get(0);
    assert_eq!(goodbye, "Your account was deleted");
    let page = app.get("/login?notice=account-deleted", None).await;
    assert!(page.body.contains("Your account was deleted"));
}

#[tokio::test]
async fn without_javascript_a_refused_change_comes_back_with_its_error() {
    let app = TestApp::new().await;
    let cookie = app.sign_up("alice", "alice@example.com", PASSWORD).await;
    let refused = app
        .post_without_js(
            "/api/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", NEW_PASSWORD),
                ("confirm_password", "typo"),
            ],
            Some(&cookie),
            "/account/authorization",
        )
        .await;
    assert_eq!(refused.location(), "/account/authorization");
    let flash = refused.cookie("vestibule_flash").expect("a flash");
    assert!(!flash.contains("passphrase"), "passwords never go in the flash");
    let page = app
        .get("/account/authorization", Some(&format!("{cookie}; {flash}")))
        .await;
    assert!(page.body.contains("The two passwords are not the same."));
}
