//! The REST API under `/v1`, driven the way Scalingo clients drive it: JSON content type on
//! every request (GET included), a bare `?` on GET and DELETE URLs, wrapped and unwrapped
//! bodies, Basic for the token exchange and for `scalingo login`, Bearer afterwards.

use crate::support::{Reply, TestApp, PASSWORD};
use axum::body::Body;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use http::{Request, StatusCode};
use serde_json::{json, Value};

pub async fn api(app: &TestApp, method: &str, path: &str, auth: &str, body: Option<&str>) -> Reply {
    let mut request = Request::builder()
        .method(method)
        .uri(path)
        .header("content-type", "application/json")
        .header("accept", "application/json")
        .header("x-forwarded-for", "203.0.113.9");
    if !auth.is_empty() {
        request = request.header("authorization", auth);
    }
    app.send(request.body(Body::from(body.unwrap_or("").to_string())).unwrap())
        .await
}

pub fn basic(user: &str, password: &str) -> String {
    format!("Basic {}", STANDARD.encode(format!("{user}:{password}")))
}

/// An API token made on the tab (the sign-up session has the window open).
pub async fn tab_token(app: &TestApp, cookie: &str, name: &str) -> String {
    let reply = app
        .call(
            "/api/account/tokens/create",
            &[("name", name), ("expiry", "never")],
            Some(cookie),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.json()["secret"].as_str().unwrap().to_string()
}

pub async fn bearer(app: &TestApp, secret: &str) -> String {
    let reply = api(app, "POST", "/v1/tokens/exchange", &basic("", secret), Some("{}")).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    format!("Bearer {}", reply.json()["token"].as_str().unwrap())
}

/// A real key from ssh-keygen, and the fingerprint ssh-keygen prints for it.
pub fn keygen(kind: &str, bits: &str, comment: &str) -> (String, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("id");
    let mut args = vec!["-q", "-t", kind, "-N", "", "-C", comment, "-f"];
    let path_str = path.to_str().unwrap();
    args.push(path_str);
    if !bits.is_empty() {
        args.extend(["-b", bits]);
    }
    let made = std::process::Command::new("ssh-keygen").args(&args).status().unwrap();
    assert!(made.success());
    let public = std::fs::read_to_string(dir.path().join("id.pub")).unwrap();
    let listed = std::process::Command::new("ssh-keygen")
        .args(["-lf", dir.path().join("id.pub").to_str().unwrap()])
        .output()
        .unwrap();
    let line = String::from_utf8(listed.stdout).unwrap();
    let fingerprint = line.split_whitespace().nth(1).unwrap().to_string();
    (public, fingerprint)
}

#[tokio::test]
async fn a_cli_exchanges_its_token_and_manages_keys_and_tokens() {
    let app = TestApp::new().await;
    let cookie = app.sign_up("alice", "alice@example.com", PASSWORD).await;
    let secret = tab_token(&app, &cookie, "laptop cli").await;
    assert!(secret.starts_with("tk-us-") && secret.len() >= 6 + 32);

    // Regions answer without authentication; everything else asks for it, in JSON.
    let regions = api(&app, "GET", "/v1/regions?", "", None).await;
    assert_eq!(regions.status, StatusCode::OK);
    assert_eq!(regions.json()["regions"][0]["default"], true);
    let anonymous = api(&app, "GET", "/v1/users/self?", "", None).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert!(anonymous.json()["error"].is_string());

    // The exchange mints a three-part JWT with sub, iat and a one-hour exp.
    let auth = bearer(&app, &secret).await;
    let jwt = auth.trim_start_matches("Bearer ");
    let parts: Vec<&str> = jwt.split('.').collect();
    assert_eq!(parts.len(), 3);
    let claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    assert_eq!(claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(), 3600);
    let wrong = api(
        &app,
        "POST",
        "/v1/tokens/exchange",
        &basic("", "tk-us-nope"),
        Some("{}"),
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.json()["error"].is_string());

    let me = api(&app, "GET", "/v1/users/self?", &auth, None).await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.body);
    let user = &me.json()["user"];
    assert_eq!(user["username"], "alice");
    assert_eq!(claims["sub"], user["id"]);
    assert!(user["id"].is_string() && user["flags"].is_object());
    assert_eq!(user["unconfirmed_email"], Value::Null);

    // Keys: a wrapped body (Go client), its fingerprint exactly as ssh-keygen prints it.
    let (ed25519, ed_fingerprint) = keygen("ed25519", "", "alice@laptop");
    let body = json!({ "key": { "name": "laptop", "content": ed25519 } }).to_string();
    let added = api(&app, "POST", "/v1/keys", &auth, Some(&body)).await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.body);
    let key = added.json()["key"].clone();
    assert_eq!(key["fingerprint"], ed_fingerprint.as_str());
    assert!(key["id"].is_string() && key["created_at"].is_string());
    // Unwrapped (JS client): RSA 3072 and ECDSA P-384 are accepted too.
    for (kind, bits, name) in [("rsa", "3072", "rsa"), ("ecdsa", "384", "ecdsa")] {
        let (content, fingerprint) = keygen(kind, bits, name);
        let body = json!({ "name": name, "content": content }).to_string();
        let reply = api(&app, "POST", "/v1/keys", &auth, Some(&body)).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{kind}: {}", reply.body);
        assert_eq!(reply.json()["key"]["fingerprint"], fingerprint.as_str());
    }
    let listed = api(&app, "GET", "/v1/keys?", &auth, None).await;
    assert_eq!(listed.json()["keys"].as_array().unwrap().len(), 3);

    // Refusals: the documented shapes, nothing stored.
    let again = api(
        &app,
        "POST",
        "/v1/keys",
        &auth,
        Some(&json!({"name": "dup", "content": ed25519}).to_string()),
    )
    .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.json()["errors"]["content"][0].is_string());
    let short = api(
        &app,
        "POST",
        "/v1/keys",
        &auth,
        Some(r#"{"key":{"name":"x","content":"ssh-ed25519 AAAA"}}"#),
    )
    .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    let (small_rsa, _) = keygen("rsa", "1024", "old");
    let body = json!({"name": "old", "content": small_rsa}).to_string();
    let refused = api(&app, "POST", "/v1/keys", &auth, Some(&body)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.json()["errors"]["content"][0]
        .as_str()
        .unwrap()
        .contains("2048"));
    let broken = api(&app, "POST", "/v1/keys", &auth, Some("{\"key\":")).await;
    assert_eq!(broken.status, StatusCode::BAD_REQUEST);
    assert!(broken.json()["error"].is_string());
    let wrong_type = api(
        &app,
        "POST",
        "/v1/keys",
        &auth,
        Some(r#"{"key":{"name":5,"content":[]}}"#),
    )
    .await;
    assert_eq!(wrong_type.status, StatusCode::BAD_REQUEST);
    assert_eq!(app.count("SELECT COUNT(*) FROM ssh_keys").await, 3);

    // Another account sees none of it, and cannot take the key.
    let bob_cookie = app.sign_up("bob", "bob@example.com", PASSWORD).await;
    let bob = bearer(&app, &tab_token(&app, &bob_cookie, "bob").await).await;
    let key_path = format!("/v1/keys/{}", key["id"].as_str().unwrap());
    let peek = api(&app, "GET", &key_path, &bob, None).await;
    assert_eq!(peek.status, StatusCode::NOT_FOUND);
    assert_eq!(peek.json(), json!({"resource": "key", "error": "not found"}));
    assert_eq!(
        api(&app, "DELETE", &format!("{key_path}?"), &bob, None).await.status,
        StatusCode::NOT_FOUND
    );
    let taken = api(
        &app,
        "POST",
        "/v1/keys",
        &bob,
        Some(&json!({"name": "mine", "content": ed25519}).to_string()),
    )
    .await;
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!taken.body.contains("alice"));
    assert_eq!(
        api(&app, "DELETE", &format!("{key_path}?"), &auth, None).await.status,
        StatusCode::NO_CONTENT
    );

    // Tokens: the list carries no secret; renewing ends the old secret and its bearers at once.
    let tokens = api(&app, "GET", "/v1/tokens?", &auth, None).await;
    let first = tokens.json()["tokens"][0].clone();
    assert!(first.get("token").is_none());
    assert!(first["last_used_at"].is_string());
    let id = first["id"].as_str().unwrap().to_string();
    let renewed = api(&app, "PATCH", &format!("/v1/tokens/{id}/renew"), &auth, Some("{}")).await;
    assert_eq!(renewed.status, StatusCode::OK, "{}", renewed.body);
    let new_secret = renewed.json()["token"]["token"].as_str().unwrap().to_string();
    assert_eq!(
        api(&app, "GET", "/v1/users/self", &auth, None).await.status,
        StatusCode::UNAUTHORIZED
    );
    let stale = api(&app, "POST", "/v1/tokens/exchange", &basic("", &secret), Some("{}")).await;
    assert_eq!(stale.status, StatusCode::UNAUTHORIZED);
    let auth = bearer(&app, &new_secret).await;
    assert_eq!(
        api(&app, "GET", &format!("/v1/tokens/{id}?"), &bob, None).await.status,
        StatusCode::NOT_FOUND
    );

    // `scalingo login`: Basic login:password creates a token.
    let login = api(
        &app,
        "POST",
        "/v1/tokens",
        &basic("alice", PASSWORD),
        Some(r#"{"token":{"name":"cli"}}"#),
    )
    .await;
    assert_eq!(login.status, StatusCode::CREATED, "{}", login.body);
    assert!(login.json()["token"]["token"].as_str().unwrap().starts_with("tk-us-"));
    let bad = api(
        &app,
        "POST",
        "/v1/tokens",
        &basic("alice", "wrong password"),
        Some("{}"),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNAUTHORIZED);

    // Revoking ends the bearer too.
    assert_eq!(
        api(&app, "DELETE", &format!("/v1/tokens/{id}?"), &auth, None)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        api(&app, "GET", "/v1/keys", &auth, None).await.status,
        StatusCode::UNAUTHORIZED
    );

    // Events, paginated, with the key and token events and `type_data` always present.
    let other = bearer(&app, login.json()["token"]["token"].as_str().unwrap()).await;
    let events = api(&app, "GET", "/v1/events?page=1&per_page=2", &other, None).await;
    assert_eq!(events.status, StatusCode::OK, "{}", events.body);
    let page = events.json();
    assert_eq!(page["events"].as_array().unwrap().len(), 2);
    assert_eq!(page["meta"]["pagination"]["current_page"], 1);
    assert_eq!(page["meta"]["pagination"]["next_page"], 2);
    let all = api(&app, "GET", "/v1/events?per_page=100", &other, None).await.json();
    let types: Vec<&str> = all["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    for expected in ["new_key", "delete_key", "new_token", "regenerate_token", "delete_token"] {
        assert!(types.contains(&expected), "{expected} missing from {types:?}");
    }
    assert!(all["events"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["type_data"].is_object()));
    let bad_page = api(&app, "GET", "/v1/events?page=zero", &other, None).await;
    assert_eq!(bad_page.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_openapi_document_and_unknown_routes_answer_json() {
    let app = TestApp::new().await;
    let doc = api(&app, "GET", "/v1/openapi.json", "", None).await;
    assert_eq!(doc.status, StatusCode::OK);
    let paths = doc.json()["paths"].clone();
    // Every route the router serves, with its method.
    let routes = [
        ("/v1/regions", "get"),
        ("/v1/tokens/exchange", "post"),
        ("/v1/tokens", "get"),
        ("/v1/tokens", "post"),
        ("/v1/tokens/{id}", "get"),
        ("/v1/tokens/{id}", "delete"),
        ("/v1/tokens/{id}/renew", "patch"),
        ("/v1/users/self", "get"),
        ("/v1/users/account", "put"),
        ("/v1/account/profile", "patch"),
        ("/v1/users/delete", "post"),
        ("/v1/users/delete/{id}/confirm", "post"),
        ("/v1/keys", "get"),
        ("/v1/keys", "post"),
        ("/v1/keys/{id}", "get"),
        ("/v1/keys/{id}", "delete"),
        ("/v1/events", "get"),
        ("/v1/contracts", "get"),
        ("/v1/contracts/history", "get"),
        ("/v1/contracts/{id}/accept", "post"),
        ("/v1/client/tfa", "get"),
        ("/v1/client/tfa", "post"),
        ("/v1/client/tfa", "delete"),
        ("/v1/client/tfa/validate", "post"),
        ("/v1/apps", "get"),
        ("/v1/apps", "post"),
        ("/v1/apps/{id}", "delete"),
    ];
    for (path, method) in routes {
        assert!(paths[path].get(method).is_some(), "{method} {path} not documented");
    }
    assert_eq!(doc.json()["openapi"].as_str().map(|v| v.starts_with("3.")), Some(true));
    let missing = api(&app, "GET", "/v1/nothing-here", "", None).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.json()["error"].is_string());
}

#[tokio::test]
async fn the_tab_refuses_keys_with_a_reason_each_and_keeps_names_unique() {
    let app = TestApp::new().await;
    let cookie = app.sign_up("carol", "carol@example.com", PASSWORD).await;
    let (content, _) = keygen("ed25519", "", "carol@desk");
    let add = |name: &'static str, content: String| {
        let app = &app;
        let cookie = cookie.clone();
        async move {
            app.call(
                "/api/account/keys/add",
                &[("key_name", name), ("key_content", &content)],
                Some(&cookie),
            )
            .await
        }
    };
    assert_eq!(add("desk", format!("  {content}\n\n")).await.status, StatusCode::OK);
    let cases = [
        ("desk", content.clone(), "ErrKeyAlreadyYours"),
        (
            "x",
            "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----".to_string(),
            "ErrKeyPrivate",
        ),
        (
            "y",
            format!("{content}\n{}", keygen("ed25519", "", "two").0),
            "ErrKeySeveral",
        ),
        ("z", "not a key at all, really not".to_string(), "ErrKeyUnreadable"),
    ];
    for (name, content, expected) in cases {
        let reply = add(name, content).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{expected}: {}",
            reply.body
        );
        assert!(reply.body.contains(expected), "{expected}: {}", reply.body);
    }
    let (other, _) = keygen("ed25519", "", "other");
    let dup_name = add("desk", other).await;
    assert!(dup_name.body.contains("ErrKeyNameTaken"), "{}", dup_name.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM ssh_keys").await, 1);
    let listed = app.call("/api/account/keys", &[], Some(&cookie)).await.json();
    assert_eq!(listed["keys"][0]["comment"], "carol@desk");
    assert_eq!(listed["keys"][0]["algorithm"], "ED25519");

    // Without JavaScript the tabs render their data on the server.
    let fingerprint = listed["keys"][0]["fingerprint"].as_str().unwrap().to_string();
    let page = app.get("/account/keys", Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&fingerprint) && page.body.contains("carol@desk"));
    let tokens = app.get("/account/tokens", Some(&cookie)).await;
    assert_eq!(tokens.status, StatusCode::OK);
    assert!(tokens.body.contains("No API token yet"));
}
