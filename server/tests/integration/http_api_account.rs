//! The REST API's account endpoints, driven as Scalingo clients drive them: profile and
//! preferences, e-mail and password changes, legal documents, the second factor (codes from
//! oathtool), applications, two-step account deletion, and the per-token rate limit.

use crate::http_api::{api, basic, bearer, tab_token};
use crate::http_server_fns::publish;
use crate::support::{away_from_step_edge, oathtool, TestApp, PASSWORD};
use app::model::DocumentKind;
use http::StatusCode;
use serde_json::{json, Value};

const NEW_PASSWORD: &str = "another unusual passphrase";

/// A signed-up account's bearer header.
async fn signed_up(app: &TestApp, username: &str) -> String {
    let cookie = app
        .sign_up(username, &format!("{username}@example.com"), PASSWORD)
        .await;
    let secret = tab_token(app, &cookie, "cli").await;
    bearer(app, &secret).await
}

async fn me(app: &TestApp, auth: &str) -> Value {
    let reply = api(app, "GET", "/v1/users/self?", auth, None).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.json()["user"].clone()
}

#[tokio::test]
async fn users_account_changes_profile_preferences_email_and_password() {
    let app = TestApp::new().await;
    let auth = signed_up(&app, "alice").await;

    // Wrapped, as the Go client sends it.
    let body = json!({ "user": {
        "fullname": "Alice Liddell", "company": "Wonderland", "email_newsletter": true,
        "preferences": { "locale": "fr", "theme": "dark" },
    }});
    let saved = api(&app, "PUT", "/v1/users/account", &auth, Some(&body.to_string())).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let user = &saved.json()["user"];
    assert_eq!(user["fullname"], "Alice Liddell");
    assert_eq!(user["company"], "Wonderland");
    assert_eq!(user["email_newsletter"], true);
    assert_eq!(user["preferences"]["locale"], "fr");
    assert_eq!(user["preferences"]["theme"], "dark");

    // Unwrapped, through the Go client's other path: the other fields stay.
    let patched = api(
        &app,
        "PATCH",
        "/v1/account/profile",
        &auth,
        Some(r#"{"location":"Lyon"}"#),
    )
    .await;
    assert_eq!(patched.status, StatusCode::OK, "{}", patched.body);
    assert_eq!(patched.json()["user"]["location"], "Lyon");
    assert_eq!(patched.json()["user"]["fullname"], "Alice Liddell");

    // The whole object sent back changes nothing and records nothing.
    let edits =
        "SELECT COUNT(*) FROM account_events WHERE type IN ('edit_profile', 'edit_preferences', 'edit_newsletter')";
    let before = app.count(edits).await;
    let echo = json!({ "user": me(&app, &auth).await }).to_string();
    let echoed = api(&app, "PUT", "/v1/users/account", &auth, Some(&echo)).await;
    assert_eq!(echoed.status, StatusCode::OK, "{}", echoed.body);
    assert_eq!(app.count(edits).await, before);

    // Bad fields: every problem at once, in the caller's language, and nothing written.
    let bad = json!({ "user": { "username": "A B!", "fullname": "Alice L.", "preferences": { "locale": "de" } } });
    let refused = api(&app, "PUT", "/v1/users/account", &auth, Some(&bad.to_string())).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    let errors = &refused.json()["errors"];
    assert!(
        errors["username"][0].is_string() && errors["locale"][0].is_string(),
        "{errors}"
    );
    let unchanged = me(&app, &auth).await;
    assert_eq!(unchanged["username"], "alice");
    assert_eq!(unchanged["fullname"], "Alice Liddell");
    let wrong_type = api(
        &app,
        "PUT",
        "/v1/users/account",
        &auth,
        Some(r#"{"user":{"fullname":3}}"#),
    )
    .await;
    assert_eq!(wrong_type.status, StatusCode::BAD_REQUEST);
    assert!(wrong_type.json()["error"].is_string());

    // A new address waits for its link (the password says it is the owner asking); a
    // malformed one is refused.
    let moved = api(
        &app,
        "PUT",
        "/v1/users/account",
        &auth,
        Some(&json!({ "email": "alice@new.example", "current_password": PASSWORD }).to_string()),
    )
    .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    assert_eq!(moved.json()["user"]["email"], "alice@example.com");
    assert_eq!(moved.json()["user"]["unconfirmed_email"], "alice@new.example");
    let malformed = api(&app, "PUT", "/v1/users/account", &auth, Some(r#"{"email":"nope"}"#)).await;
    assert_eq!(malformed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(malformed.json()["errors"]["email"][0].is_string());

    // The password needs the current one; then the new one signs in.
    let change = |current: &str| {
        json!({ "user": { "current_password": current, "password": NEW_PASSWORD, "password_confirmation": NEW_PASSWORD } })
            .to_string()
    };
    let without = json!({ "user": { "password": NEW_PASSWORD } }).to_string();
    let missing = api(&app, "PUT", "/v1/users/account", &auth, Some(&without)).await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", missing.body);
    assert!(missing.json()["errors"]["current_password"][0].is_string());
    let wrong = api(
        &app,
        "PUT",
        "/v1/users/account",
        &auth,
        Some(&change("not my password")),
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", wrong.body);
    assert!(wrong.json()["errors"]["current_password"][0].is_string());
    let mismatch =
        json!({ "user": { "current_password": PASSWORD, "password": NEW_PASSWORD, "password_confirmation": "other" } });
    let differs = api(&app, "PUT", "/v1/users/account", &auth, Some(&mismatch.to_string())).await;
    assert_eq!(differs.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(differs.json()["errors"]["password_confirmation"][0].is_string());
    let changed = api(&app, "PUT", "/v1/users/account", &auth, Some(&change(PASSWORD))).await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    let login = api(
        &app,
        "POST",
        "/v1/tokens",
        &basic("alice", NEW_PASSWORD),
        Some(r#"{"token":{"name":"new"}}"#),
    )
    .await;
    assert_eq!(login.status, StatusCode::CREATED, "{}", login.body);
    let old = api(
        &app,
        "POST",
        "/v1/tokens",
        &basic("alice", PASSWORD),
        Some(r#"{"token":{"name":"old"}}"#),
    )
    .await;
    assert_eq!(old.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn contracts_show_current_and_accepted_versions_and_accept_the_current_one() {
    let app = TestApp::new().await;
    let auth = signed_up(&app, "alice").await;
    let v1 = publish(&app, DocumentKind::Terms, "2026-01", true).await;

    let listed = api(&app, "GET", "/v1/contracts?", &auth, None).await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);
    let contract = &listed.json()["contracts"][0];
    assert_eq!(contract["id"], v1.as_str());
    assert_eq!(contract["latest"], true);
    assert_eq!(contract["required_for"], json!(["platform"]));
    assert_eq!(contract["accepted"], Value::Null);
    assert!(contract["name"]["en"].is_string() && contract["name"]["fr"].is_string());
    assert!(contract["published_at"].is_string());

    let path = format!("/v1/contracts/{v1}/accept");
    let accepted = api(&app, "POST", &path, &auth, Some(r#"{"locale":"fr"}"#)).await;
    assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.body);
    assert_eq!(accepted.json()["contract"]["accepted"]["locale"], "fr");
    assert!(accepted.json()["contract"]["accepted"]["on"].is_string());

    // A new version: the old one moves to the history, and can no longer be accepted.
    let v2 = publish(&app, DocumentKind::Terms, "2026-06", true).await;
    let history = api(&app, "GET", "/v1/contracts/history?", &auth, None).await;
    assert_eq!(history.json()["contracts"][0]["id"], v1.as_str());
    assert_eq!(history.json()["contracts"][0]["latest"], false);
    let current = api(&app, "GET", "/v1/contracts?", &auth, None).await;
    assert_eq!(current.json()["contracts"][0]["id"], v2.as_str());
    let outdated = api(&app, "POST", &path, &auth, Some("{}")).await;
    assert_eq!(outdated.status, StatusCode::CONFLICT, "{}", outdated.body);
    assert!(outdated.json()["error"].is_string());
    let unknown = api(&app, "POST", "/v1/contracts/nope/accept", &auth, Some("{}")).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(unknown.json(), json!({ "resource": "contract", "error": "not found" }));
    let bad_locale = api(
        &app,
        "POST",
        &format!("/v1/contracts/{v2}/accept"),
        &auth,
        Some(r#"{"locale":"xx"}"#),
    )
    .await;
    assert_eq!(bad_locale.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn two_factor_through_the_api_and_password_login_asks_for_the_code() {
    let app = TestApp::new().await;
    let auth = signed_up(&app, "alice").await;
    let off = api(&app, "GET", "/v1/client/tfa?", &auth, None).await;
    assert_eq!(off.json()["tfa"]["enabled"], false);

    let other = api(
        &app,
        "POST",
        "/v1/client/tfa",
        &auth,
        Some(r#"{"tfa":{"provider":"sms"}}"#),
    )
    .await;
    assert_eq!(other.status, StatusCode::UNPROCESSABLE_ENTITY);
    away_from_step_edge().await;
    let started = api(
        &app,
        "POST",
        "/v1/client/tfa",
        &auth,
        Some(&json!({ "tfa": { "provider": "totp", "current_password": PASSWORD } }).to_string()),
    )
    .await;
    assert_eq!(started.status, StatusCode::CREATED, "{}", started.body);
    let uri = started.json()["tfa"]["uri"].as_str().unwrap().to_string();
    assert!(uri.starts_with("otpauth://totp/"), "{uri}");
    let secret = uri
        .split("secret=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap()
        .to_string();

    let wrong = api(
        &app,
        "POST",
        "/v1/client/tfa/validate",
        &auth,
        Some(r#"{"tfa":{"attempt":"000000"}}"#),
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", wrong.body);
    assert!(wrong.json()["errors"]["attempt"][0].is_string());
    // The code as a number, as the Go client sends it.
    let code: u64 = oathtool(&secret, server::db::now() - 30).parse().unwrap();
    let body = json!({ "tfa": { "attempt": code } }).to_string();
    let validated = api(&app, "POST", "/v1/client/tfa/validate", &auth, Some(&body)).await;
    assert_eq!(validated.status, StatusCode::OK, "{}", validated.body);
    assert_eq!(validated.json()["tfa"]["enabled"], true);
    let codes = validated.json()["tfa"]["codes"].as_array().unwrap().clone();
    assert!(codes.len() >= 8);

    // `scalingo login` with a password now gets exactly the answer it waits for.
    let login = |otp: Option<String>| {
        let app = &app;
        async move {
            let mut request = http::Request::builder()
                .method("POST")
                .uri("/v1/tokens")
                .header("content-type", "application/json")
                .header("authorization", basic("alice", PASSWORD));
            if let Some(otp) = otp {
                request = request.header("x-authorization-otp", otp);
            }
            app.send(
                request
                    .body(axum::body::Body::from(r#"{"token":{"name":"cli"}}"#))
                    .unwrap(),
            )
            .await
        }
    };
    let asked = login(None).await;
    assert_eq!(asked.status, StatusCode::UNAUTHORIZED);
    assert_eq!(asked.json(), json!({ "error": "OTP Required" }));
    let wrong_otp = login(Some("000000".into())).await;
    assert_eq!(wrong_otp.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong_otp.json(), json!({ "error": "OTP Required" }));
    let right = login(Some(oathtool(&secret, server::db::now()))).await;
    assert_eq!(right.status, StatusCode::CREATED, "{}", right.body);
    assert!(right.json()["token"]["token"].as_str().unwrap().starts_with("tk-us-"));

    // Turning it off takes the password and a code; a recovery code will do.
    let no_code = json!({ "tfa": { "current_password": PASSWORD } }).to_string();
    let refused = api(&app, "DELETE", "/v1/client/tfa?", &auth, Some(&no_code)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let recovery = json!({ "tfa": { "attempt": codes[0], "current_password": PASSWORD } }).to_string();
    let disabled = api(&app, "DELETE", "/v1/client/tfa?", &auth, Some(&recovery)).await;
    assert_eq!(disabled.status, StatusCode::NO_CONTENT, "{}", disabled.body);
    assert!(!me_tfa(&app, &auth).await);
    let again = api(&app, "DELETE", "/v1/client/tfa?", &auth, Some(&recovery)).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
}

async fn me_tfa(app: &TestApp, auth: &str) -> bool {
    let reply = api(app, "GET", "/v1/client/tfa?", auth, None).await;
    reply.json()["tfa"]["enabled"].as_bool().unwrap()
}

/// The confirmation code in the newest deletion mail to `to`.
async fn mailed_deletion_code(app: &TestApp, to: &str) -> String {
    let bodies = app.mail_texts(to, "%").await;
    let body = bodies.first().expect("a mail");
    let line = body
        .lines()
        .find(|l| l.starts_with("Confirmation code"))
        .expect("a deletion mail");
    line.rsplit(' ').next().unwrap().to_string()
}

#[tokio::test]
async fn apps_belong_to_their_owner_and_deletion_waits_for_them_and_the_mailed_code() {
    let app = TestApp::new().await;
    let alice = signed_up(&app, "alice").await;
    let bob = signed_up(&app, "bob").await;

    let created = api(
        &app,
        "POST",
        "/v1/apps",
        &alice,
        Some(r#"{"app":{"name":"wonder-app"}}"#),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.json()["app"]["id"].as_str().unwrap().to_string();
    for (body, field) in [
        (r#"{"name":"Wonder App"}"#, "name"),
        (r#"{"name":"wonder-app"}"#, "name"),
        ("{}", "name"),
    ] {
        let refused = api(&app, "POST", "/v1/apps", &bob, Some(body)).await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            refused.body
        );
        assert!(refused.json()["errors"][field][0].is_string());
    }
    let bobs = api(&app, "GET", "/v1/apps?", &bob, None).await;
    assert_eq!(bobs.json()["apps"], json!([]));
    let listed = api(&app, "GET", "/v1/apps?", &alice, None).await;
    assert_eq!(listed.json()["apps"][0]["name"], "wonder-app");
    let theft = api(&app, "DELETE", &format!("/v1/apps/{id}?"), &bob, None).await;
    assert_eq!(theft.status, StatusCode::NOT_FOUND);
    assert_eq!(theft.json(), json!({ "resource": "app", "error": "not found" }));

    // Deletion is refused while an application is owned, before any mail.
    let blocked = api(&app, "POST", "/v1/users/delete", &alice, Some("{}")).await;
    assert_eq!(blocked.status, StatusCode::CONFLICT, "{}", blocked.body);
    assert!(blocked.json()["error"].is_string());
    let misnamed = api(
        &app,
        "DELETE",
        &format!("/v1/apps/{id}?current_name=other"),
        &alice,
        None,
    )
    .await;
    assert_eq!(misnamed.status, StatusCode::UNPROCESSABLE_ENTITY);
    let removed = api(
        &app,
        "DELETE",
        "/v1/apps/wonder-app?current_name=wonder-app",
        &alice,
        None,
    )
    .await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT, "{}", removed.body);
    // Both changes are on Alice's timeline, naming the app at the top level as Scalingo does;
    // Bob's refused attempts left nothing on his.
    let events = api(&app, "GET", "/v1/events?per_page=2", &alice, None).await.json();
    let kinds: Vec<_> = events["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].clone())
        .collect();
    assert_eq!(kinds, [json!("delete_app"), json!("new_app")]);
    assert_eq!(events["events"][1]["app_id"], json!(id));
    assert_eq!(events["events"][1]["app_name"], "wonder-app");
    let bobs_events = api(&app, "GET", "/v1/events", &bob, None).await.json();
    assert!(bobs_events["events"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["app_id"].is_null()));

    let requested = api(&app, "POST", "/v1/users/delete", &alice, Some("{}")).await;
    assert_eq!(requested.status, StatusCode::CREATED, "{}", requested.body);
    let deletion = requested.json()["deletion"]["id"].as_str().unwrap().to_string();
    let code = mailed_deletion_code(&app, "alice@example.com").await;
    let confirm = format!("/v1/users/delete/{deletion}/confirm");
    let wrong = api(
        &app,
        "POST",
        &confirm,
        &alice,
        Some(r#"{"deletion":{"token":"guess"}}"#),
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.json()["errors"]["token"][0].is_string());
    let body = json!({ "deletion": { "token": code, "reason": "moving" } }).to_string();
    // Bob holds no such request, even with the right code.
    let not_bobs = api(&app, "POST", &confirm, &bob, Some(&body)).await;
    assert_eq!(not_bobs.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE username = 'alice'").await,
        1
    );

    let deleted = api(&app, "POST", &confirm, &alice, Some(&body)).await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{}", deleted.body);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE username = 'alice'").await,
        0
    );
    let after = api(&app, "GET", "/v1/users/self?", &alice, None).await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn each_token_has_its_own_request_budget() {
    let app = TestApp::with_env(&[("VESTIBULE_API_REQUESTS_PER_MINUTE", "3")]).await;
    let cookie = app.sign_up("alice", "alice@example.com", PASSWORD).await;
    let first = bearer(&app, &tab_token(&app, &cookie, "first").await).await;
    let second = bearer(&app, &tab_token(&app, &cookie, "second").await).await;
    for _ in 0..3 {
        let reply = api(&app, "GET", "/v1/users/self?", &first, None).await;
        assert_eq!(reply.status, StatusCode::OK);
    }
    let limited = api(&app, "GET", "/v1/users/self?", &first, None).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(limited.json()["error"].is_string());
    assert!(limited.header("retry-after").parse::<u64>().unwrap() >= 1);
    let other = api(&app, "GET", "/v1/users/self?", &second, None).await;
    assert_eq!(other.status, StatusCode::OK);
}
