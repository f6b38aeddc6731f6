//! SCM integrations through `/v1/scm_integrations`, against stand-in GitHub Enterprise and
//! GitLab servers on loopback: the token checked at the provider before anything is saved,
//! user-given addresses on private networks refused unless the operator allows them, a server
//! that never answers, one integration per type, and keys imported with the SSH keys rules.

use crate::http_api::{api, bearer, keygen, tab_token};
use crate::support::{TestApp, TestDb, PASSWORD};
use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::get;
use axum::{Json, Router};
use http::StatusCode;
use serde_json::{json, Value};
use std::sync::Arc;

const GOOD_TOKEN: &str = "glpat-good-token";

/// The keys the stand-in's account lists.
#[derive(Clone)]
struct Provider {
    keys: Arc<Vec<Value>>,
}

fn authorised(headers: &HeaderMap) -> bool {
    headers.get("authorization").and_then(|v| v.to_str().ok()) == Some(&format!("Bearer {GOOD_TOKEN}"))
}

async fn gitlab_user(headers: HeaderMap) -> Result<Json<Value>, StatusCode> {
    if !authorised(&headers) {
        return Err(StatusCode::UNAUTHORIZED);
    }
    Ok(Json(json!({
        "id": 42, "username": "jane", "name": "Jane", "email": "jane@gitlab.example",
        "avatar_url": "https://gitlab.example/avatar.png", "web_url": "https://gitlab.example/jane"
    })))
}

async fn github_user(headers: HeaderMap) -> Result<Json<Value>, StatusCode> {
    if !authorised(&headers) {
        return Err(StatusCode::UNAUTHORIZED);
    }
    Ok(Json(json!({
        "id": 7, "login": "octocat", "name": "Octo", "email": null,
        "avatar_url": "https://ghe.example/avatar.png", "html_url": "https://ghe.example/octocat"
    })))
}

async fn user_keys(State(p): State<Provider>, headers: HeaderMap) -> Result<Json<Value>, StatusCode> {
    if !authorised(&headers) {
        return Err(StatusCode::UNAUTHORIZED);
    }
    Ok(Json(Value::Array(p.keys.as_ref().clone())))
}

/// A stand-in provider on loopback; its base address.
async fn stand_in(keys: Vec<Value>) -> String {
    let app = Router::new()
        .route("/api/v4/user", get(gitlab_user))
        .route("/api/v4/user/keys", get(user_keys))
        .route("/api/v3/user", get(github_user))
        .route("/api/v3/user/keys", get(user_keys))
        // Answers that must not be taken: a redirect (to the real user endpoint), a huge body.
        .route(
            "/moved/api/v4/user",
            get(|| async { axum::response::Redirect::temporary("/api/v4/user") }),
        )
        .route("/huge/api/v4/user", get(|| async { "x".repeat(2 * 1024 * 1024) }))
        .with_state(Provider { keys: Arc::new(keys) });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}")
}

/// A server that accepts connections and never answers.
async fn silent() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    format!("http://{addr}")
}

async fn signed_up(app: &TestApp, name: &str) -> (String, String) {
    let cookie = app.sign_up(name, &format!("{name}@example.com"), PASSWORD).await;
    let secret = tab_token(app, &cookie, "cli").await;
    (cookie, bearer(app, &secret).await)
}

fn body(scm_type: &str, url: &str, token: &str) -> String {
    json!({ "scm_integration": { "scm_type": scm_type, "url": url, "access_token": token } }).to_string()
}

#[tokio::test]
async fn a_user_given_address_on_a_private_network_or_plain_http_is_refused_unless_allowed() {
    let provider = stand_in(vec![]).await;
    let app = TestApp::new().await;
    let (_, auth) = signed_up(&app, "alice").await;
    let provider = provider.replace("http://", "https://");
    for url in [
        provider.as_str(),
        "https://169.254.169.254",
        "https://[::1]:1",
        "https://localhost:1",
        "https://[::ffff:127.0.0.1]",
    ] {
        let refused = api(
            &app,
            "POST",
            "/v1/scm_integrations",
            &auth,
            Some(&body("gitlab-self-hosted", url, GOOD_TOKEN)),
        )
        .await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{url}: {}",
            refused.body
        );
        assert!(
            refused.json()["errors"]["url"][0]
                .as_str()
                .unwrap()
                .contains("private network"),
            "{}",
            refused.body
        );
    }
    // A public server only over https: the token must not travel in clear text.
    let plain = body("gitlab-self-hosted", "http://93.184.215.14", GOOD_TOKEN);
    let plain = api(&app, "POST", "/v1/scm_integrations", &auth, Some(&plain)).await;
    let message = plain.json()["errors"]["url"][0].as_str().unwrap_or("").to_string();
    assert!(message.contains("https://"), "{}", plain.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM scm_integrations").await, 0);
}

#[tokio::test]
async fn self_hosted_servers_connect_with_a_token_the_provider_accepts_once_per_type() {
    let provider = stand_in(vec![]).await;
    let allow = [("VESTIBULE_SCM_ALLOW_PRIVATE_NETWORKS", "true")];
    let mut apps = vec![(TestApp::with_env(&allow).await, None)];
    if let Some(pg) = TestDb::postgres().await {
        apps.push((
            TestApp::on_database(tempfile::tempdir().unwrap(), &pg.url, &allow).await,
            Some(pg),
        ));
    }
    for (app, pg) in apps {
        connect_list_and_disconnect(&app, &provider).await;
        drop(app);
        if let Some(pg) = pg {
            pg.finish().await;
        }
    }
}

async fn connect_list_and_disconnect(app: &TestApp, provider: &str) {
    let provider = provider.to_string();
    let (_, auth) = signed_up(app, "alice").await;
    let post = |b: String| {
        let auth = auth.clone();
        async move { api(app, "POST", "/v1/scm_integrations", &auth, Some(&b)).await }
    };

    let wrong = post(body("gitlab-self-hosted", &provider, "nope")).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", wrong.body);
    assert!(wrong.json()["errors"]["access_token"].is_array());
    let cloud = post(body("github", &provider, GOOD_TOKEN)).await;
    assert!(
        cloud.json()["errors"]["scm_type"][0]
            .as_str()
            .unwrap()
            .contains("sign-in page"),
        "{}",
        cloud.body
    );
    let bad_url = post(body("gitlab-self-hosted", "gitlab.example.com", GOOD_TOKEN)).await;
    assert!(bad_url.json()["errors"]["url"].is_array(), "{}", bad_url.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM scm_integrations").await, 0);

    let made = post(body("gitlab-self-hosted", &format!("{provider}/"), GOOD_TOKEN)).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let made = made.json()["scm_integration"].clone();
    assert_eq!(made["username"], "jane");
    assert_eq!(made["uid"], "42");
    assert_eq!(made["url"], provider.as_str());
    assert_eq!(made["access_token"], "");
    let ghe = post(body("github-enterprise", &provider, GOOD_TOKEN)).await;
    assert_eq!(ghe.status, StatusCode::CREATED, "{}", ghe.body);
    assert_eq!(ghe.json()["scm_integration"]["username"], "octocat");
    let twice = post(body("gitlab-self-hosted", &provider, GOOD_TOKEN)).await;
    assert_eq!(twice.status, StatusCode::CONFLICT, "{}", twice.body);

    // The token is sealed at rest, and never in the events.
    let stored = app
        .count(&format!(
            "SELECT COUNT(*) FROM scm_integrations WHERE access_token LIKE '%{GOOD_TOKEN}%'"
        ))
        .await;
    assert_eq!(stored, 0);
    let leaked = app
        .count(&format!(
            "SELECT COUNT(*) FROM account_events WHERE data LIKE '%{GOOD_TOKEN}%'"
        ))
        .await;
    assert_eq!(leaked, 0);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM account_events WHERE type = 'new_integration'")
            .await,
        2
    );

    let list = api(app, "GET", "/v1/scm_integrations?", &auth, None).await;
    let types: Vec<&str> = list.json()["scm_integrations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["scm_type"].as_str().unwrap().to_string().leak() as &str)
        .collect();
    assert_eq!(types, ["github-enterprise", "gitlab-self-hosted"]);
    let by_type = api(app, "GET", "/v1/scm_integrations/gitlab-self-hosted?", &auth, None).await;
    assert_eq!(by_type.json()["scm_integration"]["id"], made["id"]);
    let gone = api(app, "DELETE", "/v1/scm_integrations/gitlab-self-hosted?", &auth, None).await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT);
    let again = api(
        app,
        "GET",
        &format!("/v1/scm_integrations/{}?", made["id"].as_str().unwrap()),
        &auth,
        None,
    )
    .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM account_events WHERE type = 'delete_integration'")
            .await,
        1
    );
}

#[tokio::test]
async fn a_server_that_never_answers_is_given_up_within_seconds() {
    let app = TestApp::with_env(&[("VESTIBULE_SCM_ALLOW_PRIVATE_NETWORKS", "true")]).await;
    let (_, auth) = signed_up(&app, "alice").await;
    let started = std::time::Instant::now();
    let url = silent().await;
    let refused = api(
        &app,
        "POST",
        "/v1/scm_integrations",
        &auth,
        Some(&body("gitlab-self-hosted", &url, GOOD_TOKEN)),
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(refused.json()["errors"]["url"][0]
        .as_str()
        .unwrap()
        .contains("did not answer"));
    assert!(started.elapsed() < std::time::Duration::from_secs(15));
    assert_eq!(app.count("SELECT COUNT(*) FROM scm_integrations").await, 0);
}

#[tokio::test]
async fn redirects_are_not_followed_and_huge_answers_not_read() {
    let provider = stand_in(vec![]).await;
    let app = TestApp::with_env(&[("VESTIBULE_SCM_ALLOW_PRIVATE_NETWORKS", "true")]).await;
    let (_, auth) = signed_up(&app, "alice").await;
    for path in ["moved", "huge"] {
        let url = format!("{provider}/{path}");
        let refused = api(
            &app,
            "POST",
            "/v1/scm_integrations",
            &auth,
            Some(&body("gitlab-self-hosted", &url, GOOD_TOKEN)),
        )
        .await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{path}: {}",
            refused.body
        );
        assert!(refused.json()["errors"]["url"].is_array(), "{}", refused.body);
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM scm_integrations").await, 0);
}

#[tokio::test]
async fn imported_keys_follow_the_ssh_keys_rules_and_the_summary_says_what_was_skipped() {
    let (good, fingerprint) = keygen("ed25519", "", "jane@laptop");
    let (foreign, _) = keygen("ed25519", "", "bob@desktop");
    let provider = stand_in(vec![
        json!({ "id": 1, "title": "laptop", "key": good.trim() }),
        json!({ "id": 2, "title": "broken", "key": "ssh-ed25519 AAAA" }),
        json!({ "id": 3, "title": "desktop", "key": foreign.trim() }),
    ])
    .await;
    let app = TestApp::with_env(&[("VESTIBULE_SCM_ALLOW_PRIVATE_NETWORKS", "true")]).await;
    let (bob_cookie, _) = signed_up(&app, "bob").await;
    let added = app
        .call(
            "/api/account/keys/add",
            &[("key_name", "desktop"), ("key_content", foreign.trim())],
            Some(&bob_cookie),
        )
        .await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    let (_, auth) = signed_up(&app, "alice").await;
    let made = api(
        &app,
        "POST",
        "/v1/scm_integrations",
        &auth,
        Some(&body("gitlab-self-hosted", &provider, GOOD_TOKEN)),
    )
    .await;
    let id = made.json()["scm_integration"]["id"].as_str().unwrap().to_string();

    let imported = api(
        &app,
        "POST",
        &format!("/v1/scm_integrations/{id}/import_keys"),
        &auth,
        Some("{}"),
    )
    .await;
    assert_eq!(imported.status, StatusCode::CREATED, "{}", imported.body);
    let reply = imported.json();
    assert_eq!(reply["keys"].as_array().unwrap().len(), 1, "{reply}");
    assert_eq!(reply["keys"][0]["name"], "gitlab-self-hosted-laptop");
    assert_eq!(reply["keys"][0]["fingerprint"], fingerprint);
    let skipped: Vec<&str> = reply["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(skipped, ["gitlab-self-hosted-broken", "gitlab-self-hosted-desktop"]);
    // Importing again adds nothing: the one key is already there.
    let again = api(
        &app,
        "POST",
        "/v1/scm_integrations/gitlab-self-hosted/import_keys",
        &auth,
        Some("{}"),
    )
    .await;
    assert_eq!(again.json()["keys"], json!([]));
    assert_eq!(again.json()["skipped"].as_array().unwrap().len(), 3);
}
