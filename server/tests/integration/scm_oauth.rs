//! The OAuth 2 flows of GitHub and GitLab (cloud) against stand-in providers on loopback:
//! state and PKCE checked, the code exchanged once, provider errors and time-outs, a callback
//! replayed or carried to another account, GitHub's "HTTP 200 with an error" answer, the
//! grant revoked on disconnect, and GitLab's two-hour tokens refreshed before use.

use crate::support::{Reply, TestApp, PASSWORD};
use axum::extract::{Form, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use http::StatusCode;
use serde_json::json;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

#[derive(Clone, Default)]
struct Stand {
    /// code → the PKCE challenge its authorisation was asked with.
    challenges: Arc<Mutex<HashMap<String, String>>>,
    /// Access tokens handed out, and those revoked.
    issued: Arc<Mutex<Vec<String>>>,
    revoked: Arc<Mutex<Vec<String>>>,
    refreshed: Arc<Mutex<u32>>,
}

async fn authorize(State(s): State<Stand>, Query(q): Query<HashMap<String, String>>) -> Response {
    assert_eq!(q.get("code_challenge_method").map(String::as_str), Some("S256"));
    let code = format!("code-{}", s.challenges.lock().unwrap().len());
    s.challenges
        .lock()
        .unwrap()
        .insert(code.clone(), q["code_challenge"].clone());
    let back = format!("{}?code={code}&state={}", q["redirect_uri"], q["state"]);
    Redirect::to(&back).into_response()
}

/// Checks the code and its PKCE verifier; `github` answers errors as HTTP 200, like GitHub.
fn exchange(s: &Stand, form: &HashMap<String, String>, github: bool) -> Response {
    if form.get("grant_type").map(String::as_str) == Some("refresh_token") {
        *s.refreshed.lock().unwrap() += 1;
        let token = format!("refreshed-{}", s.refreshed.lock().unwrap());
        s.issued.lock().unwrap().push(token.clone());
        return Json(json!({"access_token": token, "token_type": "bearer", "expires_in": 7200, "refresh_token": "r2"}))
            .into_response();
    }
    let code = form.get("code").cloned().unwrap_or_default();
    let verifier = form.get("code_verifier").cloned().unwrap_or_default();
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    let known = s.challenges.lock().unwrap().remove(&code);
    if known.as_deref() != Some(challenge.as_str()) {
        let body =
            Json(json!({"error": "bad_verification_code", "error_description": "The code is incorrect or expired."}));
        return if github {
            body.into_response()
        } else {
            (StatusCode::BAD_REQUEST, Json(json!({"error": "invalid_grant"}))).into_response()
        };
    }
    let token = format!("token-{code}");
    s.issued.lock().unwrap().push(token.clone());
    if github {
        Json(json!({"access_token": token, "scope": "read:user", "token_type": "bearer"})).into_response()
    } else {
        Json(json!({"access_token": token, "token_type": "bearer", "expires_in": 7200, "refresh_token": "r1", "created_at": 0}))
            .into_response()
    }
}

fn bearer_ok(s: &Stand, headers: &HeaderMap) -> bool {
    let auth = headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or("");
    s.issued.lock().unwrap().iter().any(|t| auth == format!("Bearer {t}"))
}

async fn stand_in() -> (String, Stand) {
    let s = Stand::default();
    let app = Router::new()
        .route("/login/oauth/authorize", get(authorize))
        .route("/oauth/authorize", get(authorize))
        .route(
            "/login/oauth/access_token",
            post(|State(s): State<Stand>, Form(f): Form<HashMap<String, String>>| async move {
                if f.get("code").map(String::as_str) == Some("slow") {
                    tokio::time::sleep(std::time::Duration::from_secs(20)).await;
                }
                exchange(&s, &f, true)
            }),
        )
        .route(
            "/oauth/token",
            post(|State(s): State<Stand>, Form(f): Form<HashMap<String, String>>| async move { exchange(&s, &f, false) }),
        )
        .route(
            "/api/user",
            get(|State(s): State<Stand>, h: HeaderMap| async move {
                if !bearer_ok(&s, &h) {
                    return StatusCode::UNAUTHORIZED.into_response();
                }
                Json(json!({"id": 1, "login": "octocat", "avatar_url": "", "html_url": "javascript:alert(1)", "email": null}))
                    .into_response()
            }),
        )
        .route(
            "/api/v4/user",
            get(|State(s): State<Stand>, h: HeaderMap| async move {
                if !bearer_ok(&s, &h) {
                    return StatusCode::UNAUTHORIZED.into_response();
                }
                Json(json!({"id": 2, "username": "tanuki", "web_url": "https://gitlab.example/tanuki"})).into_response()
            }),
        )
        .route(
            "/api/v4/user/keys",
            get(|State(s): State<Stand>, h: HeaderMap| async move {
                if !bearer_ok(&s, &h) {
                    return StatusCode::UNAUTHORIZED.into_response();
                }
                Json(json!([])).into_response()
            }),
        )
        .route(
            "/api/applications/{client}/grant",
            delete(|State(s): State<Stand>, Json(body): Json<serde_json::Value>| async move {
                s.revoked.lock().unwrap().push(body["access_token"].as_str().unwrap_or("").to_string());
                StatusCode::NO_CONTENT
            }),
        )
        .route(
            "/oauth/revoke",
            post(|State(s): State<Stand>, Form(f): Form<HashMap<String, String>>| async move {
                s.revoked.lock().unwrap().push(f.get("token").cloned().unwrap_or_default());
                StatusCode::OK
            }),
        )
        .with_state(s.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{addr}"), s)
}

async fn app_with(base: &str) -> TestApp {
    let api = format!("{base}/api");
    TestApp::with_env(&[
        ("VESTIBULE_PUBLIC_URL", "http://dash.test"),
        ("VESTIBULE_GITHUB_CLIENT_ID", "gh-id"),
        ("VESTIBULE_GITHUB_CLIENT_SECRET", "gh-secret"),
        ("VESTIBULE_GITHUB_URL", base),
        ("VESTIBULE_GITHUB_API_URL", &api),
        ("VESTIBULE_GITLAB_CLIENT_ID", "gl-id"),
        ("VESTIBULE_GITLAB_CLIENT_SECRET", "gl-secret"),
        ("VESTIBULE_GITLAB_URL", base),
    ])
    .await
}

/// "Connect": the address the browser is sent to at the provider.
async fn start(app: &TestApp, cookie: &str, kind: &str) -> String {
    let reply = app
        .get(&format!("/account/integrations/{kind}/connect"), Some(cookie))
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    reply.location().to_string()
}

/// The provider's redirect back: the callback path (with code and state) on this server.
async fn authorise_at_provider(authorize_url: &str) -> String {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let answer = client.get(authorize_url).send().await.unwrap();
    let back = answer.headers()["location"].to_str().unwrap().to_string();
    back.strip_prefix("http://dash.test").unwrap().to_string()
}

/// Follows a callback to the tab and returns the tab's HTML with the outcome shown.
async fn land(app: &TestApp, cookie: &str, callback: &str) -> Reply {
    let reply = app.get(callback, Some(cookie)).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_eq!(reply.location(), "/account/integrations");
    let flash = reply.cookie("vestibule_flash").expect("an outcome");
    app.get("/account/integrations", Some(&format!("{cookie}; {flash}")))
        .await
}

fn param(url: &str, name: &str) -> String {
    url::Url::parse(url)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
        .unwrap()
}

#[tokio::test]
async fn github_connects_with_state_and_pkce_and_refuses_replays_other_accounts_and_bad_codes() {
    let (base, stand) = stand_in().await;
    let app = app_with(&base).await;
    let alice = app.sign_up("alice", "alice@example.com", PASSWORD).await;
    let bob = app.sign_up("bob", "bob@example.com", PASSWORD).await;

    let authorize = start(&app, &alice, "github").await;
    assert!(
        authorize.starts_with(&format!("{base}/login/oauth/authorize?")),
        "{authorize}"
    );
    assert_eq!(
        param(&authorize, "redirect_uri"),
        "http://dash.test/account/integrations/github/callback"
    );
    assert_eq!(param(&authorize, "client_id"), "gh-id");
    let callback = authorise_at_provider(&authorize).await;

    // Bob follows Alice's callback: the flow is Alice's, and is spent.
    let page = land(&app, &bob, &callback).await;
    assert!(
        page.body
            .contains("This connection attempt is unknown, expired or already used"),
        "{}",
        page.body
    );
    let page = land(&app, &alice, &callback).await;
    assert!(page.body.contains("already used"), "a state serves one callback");
    assert_eq!(app.count("SELECT COUNT(*) FROM scm_integrations").await, 0);

    // A forged state, a missing one, the user saying no at the provider.
    let page = land(
        &app,
        &alice,
        "/account/integrations/github/callback?code=x&state=forged",
    )
    .await;
    assert!(page.body.contains("already used"));
    let page = land(&app, &alice, "/account/integrations/github/callback").await;
    assert!(page.body.contains("already used"));
    let authorize = start(&app, &alice, "github").await;
    let state = param(&authorize, "state");
    let denied = format!("/account/integrations/github/callback?error=access_denied&state={state}");
    assert!(land(&app, &alice, &denied).await.body.contains("did not grant access"));

    // A wrong code: GitHub says so with HTTP 200 and an error field.
    let authorize = start(&app, &alice, "github").await;
    let state = param(&authorize, "state");
    let wrong = format!("/account/integrations/github/callback?code=nope&state={state}");
    assert!(land(&app, &alice, &wrong)
        .await
        .body
        .contains("The provider refused this sign-in"));
    assert_eq!(app.count("SELECT COUNT(*) FROM scm_integrations").await, 0);

    // The real thing.
    let callback = authorise_at_provider(&start(&app, &alice, "github").await).await;
    let page = land(&app, &alice, &callback).await;
    assert!(page.body.contains("Connected."), "{}", page.body);
    assert!(page.body.contains("octocat"));
    assert!(
        !page.body.contains("javascript:alert"),
        "a profile address that is not http(s) is dropped"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM scm_integrations").await, 1);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM scm_integrations WHERE access_token LIKE 'token-%'")
            .await,
        0
    );
    // One per type: connecting again is refused before leaving for the provider.
    let again = app.get("/account/integrations/github/connect", Some(&alice)).await;
    assert_eq!(again.location(), "/account/integrations");

    // Disconnecting asks GitHub to revoke the grant.
    let id: String = sqlx::query_scalar("SELECT id FROM scm_integrations")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    let gone = app
        .call(
            "/api/account/integrations/disconnect",
            &[("integration", &id)],
            Some(&alice),
        )
        .await;
    assert_eq!(gone.status, StatusCode::OK, "{}", gone.body);
    // The revocation goes in the background: disconnecting does not wait for it.
    for _ in 0..50 {
        if !stand.revoked.lock().unwrap().is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(stand.revoked.lock().unwrap().len(), 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM scm_integrations").await, 0);
}

#[tokio::test]
async fn a_provider_that_does_not_answer_in_time_saves_nothing() {
    let (base, _) = stand_in().await;
    let app = app_with(&base).await;
    let alice = app.sign_up("alice", "alice@example.com", PASSWORD).await;
    let state = param(&start(&app, &alice, "github").await, "state");
    let started = std::time::Instant::now();
    let slow = format!("/account/integrations/github/callback?code=slow&state={state}");
    assert!(land(&app, &alice, &slow).await.body.contains("did not answer in time"));
    assert!(started.elapsed() < std::time::Duration::from_secs(15));
    assert_eq!(app.count("SELECT COUNT(*) FROM scm_integrations").await, 0);
}

#[tokio::test]
async fn gitlab_tokens_are_refreshed_before_use_and_the_new_pair_kept() {
    let (base, stand) = stand_in().await;
    let app = app_with(&base).await;
    let alice = app.sign_up("alice", "alice@example.com", PASSWORD).await;
    let authorize = start(&app, &alice, "gitlab").await;
    assert!(
        authorize.starts_with(&format!("{base}/oauth/authorize?")),
        "{authorize}"
    );
    let page = land(&app, &alice, &authorise_at_provider(&authorize).await).await;
    assert!(page.body.contains("tanuki"), "{}", page.body);
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM scm_integrations WHERE refresh_token IS NOT NULL AND token_expires_at IS NOT NULL"
        )
        .await,
        1
    );
    // Two hours later the token has expired: importing refreshes it first.
    sqlx::query("UPDATE scm_integrations SET token_expires_at = 0")
        .execute(&app.state.db.pool)
        .await
        .unwrap();
    let imported = app
        .call(
            "/api/account/integrations/import",
            &[("integration", "gitlab")],
            Some(&alice),
        )
        .await;
    assert_eq!(imported.status, StatusCode::OK, "{}", imported.body);
    assert_eq!(*stand.refreshed.lock().unwrap(), 1);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM scm_integrations WHERE token_expires_at > 0")
            .await,
        1
    );
}
