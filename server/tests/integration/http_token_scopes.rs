//! Limited API tokens: every `/v1` route, taken from the route table itself, refuses a token
//! lacking the scope it declares; a limited token never hands out, renews or revokes a token
//! that can do more than itself, and never reaches what could take the account.

use crate::http_api::{api, basic, bearer, tab_token};
use crate::support::{TestApp, PASSWORD};
use app::model::{Scope, TokenScopes};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use http::StatusCode;
use serde_json::{json, Value};
use server::api::scopes::{table, Need};

/// A token with exactly these scopes, made through the API by a full-access bearer.
async fn scoped_token(app: &TestApp, full: &str, name: &str, scopes: &[Scope]) -> String {
    let names: Vec<&str> = scopes.iter().map(|s| s.as_str()).collect();
    let body = json!({ "token": { "name": name, "scopes": names } }).to_string();
    let reply = api(app, "POST", "/v1/tokens", full, Some(&body)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(reply.json()["token"]["scopes"], json!(names));
    reply.json()["token"]["token"].as_str().unwrap().to_string()
}

fn refused_for_scope(status: StatusCode, body: &Value) -> bool {
    let error = body["error"].as_str().unwrap_or("");
    status == StatusCode::FORBIDDEN && (error.contains("lacks the scope") || error.contains("full access"))
}

#[tokio::test]
async fn every_route_refuses_a_token_lacking_its_declared_scope() {
    let app = TestApp::new().await;
    let cookie = app.sign_up("alice", "alice@example.com", PASSWORD).await;
    let full = bearer(&app, &tab_token(&app, &cookie, "full").await).await;
    let mut checked = 0;
    for route in table() {
        let (lacking, holding): (Vec<Scope>, Vec<Scope>) = match route.need {
            // No bearer at all, or the handler's own rule (tested below).
            Need::Public | Need::AnyToken => continue,
            Need::AnyOf(wanted) => {
                let lacking: Vec<Scope> = Scope::ALL.into_iter().filter(|s| !wanted.contains(s)).collect();
                assert!(
                    !lacking.is_empty(),
                    "{} {} is open to every scope: declare it AnyToken",
                    route.method,
                    route.path
                );
                (lacking, vec![wanted[0]])
            }
            // Every scope there is, and still not full access.
            Need::Full => (Scope::ALL.to_vec(), Vec::new()),
        };
        let path = format!(
            "/v1{}",
            route.path.replace("{id}", "00000000-0000-4000-8000-000000000000")
        );
        let method = route.method.as_str();
        let without = bearer(&app, &scoped_token(&app, &full, "lacking", &lacking).await).await;
        let refused = api(&app, method, &path, &without, Some("{}")).await;
        assert!(
            refused_for_scope(refused.status, &refused.json()),
            "{method} {path} with {lacking:?}: {} {}",
            refused.status,
            refused.body
        );
        let message = refused.json()["error"].as_str().unwrap().to_string();
        match route.need {
            Need::AnyOf(wanted) => assert!(wanted.iter().all(|s| message.contains(s.as_str())), "{message}"),
            _ => assert!(message.contains("full access"), "{message}"),
        }
        // The same route with the scope (or full access) gets past the check: the refusal
        // above came from the scope, not from the route refusing everyone.
        let with = if holding.is_empty() {
            full.clone()
        } else {
            bearer(&app, &scoped_token(&app, &full, "holding", &holding).await).await
        };
        let passed = api(&app, method, &path, &with, Some("{}")).await;
        assert!(
            !refused_for_scope(passed.status, &passed.json()),
            "{method} {path} with {holding:?}: {}",
            passed.body
        );
        checked += 1;
        // Keep under the 100 tokens an account may hold.
        for token in api(&app, "GET", "/v1/tokens?", &full, None).await.json()["tokens"]
            .as_array()
            .unwrap()
        {
            if token["name"] != "full" {
                let id = token["id"].as_str().unwrap();
                api(&app, "DELETE", &format!("/v1/tokens/{id}?"), &full, None).await;
            }
        }
    }
    assert!(checked >= 25, "only {checked} routes checked");
}

#[tokio::test]
async fn a_limited_token_never_hands_out_more_than_it_has() {
    for (app, pg) in TestApp::on_each_database().await {
        let cookie = app.sign_up("alice", "alice@example.com", PASSWORD).await;
        let full_secret = tab_token(&app, &cookie, "full").await;
        let full = bearer(&app, &full_secret).await;
        let listed = api(&app, "GET", "/v1/tokens?", &full, None).await;
        assert_eq!(
            listed.json()["tokens"][0]["scopes"],
            json!([]),
            "full access: an empty list"
        );

        let read_secret = scoped_token(&app, &full, "reader", &[Scope::AccountRead]).await;
        let read = bearer(&app, &read_secret).await;
        // The bearer carries the token's scopes for the client to read.
        let jwt = read.trim_start_matches("Bearer ");
        let claims: Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(jwt.split('.').nth(1).unwrap()).unwrap()).unwrap();
        assert_eq!(claims["scp"], json!(["account:read"]));
        assert_eq!(
            api(&app, "GET", "/v1/users/self?", &read, None).await.status,
            StatusCode::OK
        );

        // More than it has, or full access: refused, nothing created.
        let tokens_before = app.count("SELECT COUNT(*) FROM api_tokens").await;
        for asked in [json!([]), json!(["account:read", "keys:write"]), json!(null)] {
            let body = json!({ "token": { "name": "more", "scopes": asked } }).to_string();
            let reply = api(&app, "POST", "/v1/tokens", &read, Some(&body)).await;
            assert!(
                reply.status == StatusCode::FORBIDDEN || reply.status == StatusCode::BAD_REQUEST,
                "{asked}: {} {}",
                reply.status,
                reply.body
            );
        }
        let none = api(&app, "POST", "/v1/tokens", &read, Some(r#"{"token":{"name":"more"}}"#)).await;
        assert_eq!(none.status, StatusCode::FORBIDDEN, "{}", none.body);
        assert!(none.json()["error"].as_str().unwrap().contains("more than itself"));
        assert_eq!(app.count("SELECT COUNT(*) FROM api_tokens").await, tokens_before);
        // As much as it has: fine.
        let same = json!({ "token": { "name": "also reader", "scopes": ["account:read"] } }).to_string();
        assert_eq!(
            api(&app, "POST", "/v1/tokens", &read, Some(&same)).await.status,
            StatusCode::CREATED
        );
        // A short-lived limited token cannot mint itself a lasting one.
        let brief = json!({ "token": { "name": "brief", "scopes": ["account:read"], "expires_in_days": 1 } });
        let brief = api(&app, "POST", "/v1/tokens", &full, Some(&brief.to_string())).await;
        assert_eq!(brief.status, StatusCode::CREATED, "{}", brief.body);
        let brief_ends = brief.json()["token"]["expires_at"].as_str().unwrap().to_string();
        let brief_bearer = bearer(&app, brief.json()["token"]["token"].as_str().unwrap()).await;
        let forever = json!({ "token": { "name": "forever", "scopes": ["account:read"] } }).to_string();
        let minted = api(&app, "POST", "/v1/tokens", &brief_bearer, Some(&forever)).await;
        assert_eq!(minted.status, StatusCode::CREATED, "{}", minted.body);
        assert_eq!(minted.json()["token"]["expires_at"], brief_ends.as_str());

        // It cannot renew the full-access token (and read its new secret), nor revoke it.
        let full_id = api(&app, "GET", "/v1/tokens?", &full, None).await.json()["tokens"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["name"] == "full")
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string();
        let renew = api(&app, "PATCH", &format!("/v1/tokens/{full_id}/renew"), &read, Some("{}")).await;
        assert_eq!(renew.status, StatusCode::FORBIDDEN, "{}", renew.body);
        let revoke = api(&app, "DELETE", &format!("/v1/tokens/{full_id}?"), &read, None).await;
        assert_eq!(revoke.status, StatusCode::FORBIDDEN);
        assert_eq!(
            api(&app, "GET", "/v1/users/self?", &full, None).await.status,
            StatusCode::OK
        );

        // Renewing itself keeps its scopes.
        let read_id = api(&app, "GET", "/v1/tokens?", &full, None).await.json()["tokens"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["name"] == "reader")
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string();
        let renewed = api(&app, "PATCH", &format!("/v1/tokens/{read_id}/renew"), &full, Some("{}")).await;
        assert_eq!(renewed.status, StatusCode::OK, "{}", renewed.body);
        assert_eq!(renewed.json()["token"]["scopes"], json!(["account:read"]));
        let new_secret = renewed.json()["token"]["token"].as_str().unwrap().to_string();
        let renewed_bearer = bearer(&app, &new_secret).await;
        let keys = api(&app, "POST", "/v1/keys", &renewed_bearer, Some("{}")).await;
        assert_eq!(keys.status, StatusCode::FORBIDDEN, "{}", keys.body);

        // Never the account: not even with the password in the request.
        let change = json!({ "user": { "current_password": PASSWORD, "password": "another long passphrase",
                                       "password_confirmation": "another long passphrase" } })
        .to_string();
        let every = bearer(
            &app,
            &scoped_token(
                &app,
                &full,
                "every scope",
                &[Scope::AccountRead, Scope::KeysWrite, Scope::AppsWrite],
            )
            .await,
        )
        .await;
        let refused = api(&app, "PUT", "/v1/users/account", &every, Some(&change)).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
        assert!(refused.json()["error"].as_str().unwrap().contains("full access"));
        let deletion = api(&app, "POST", "/v1/users/delete", &every, Some("{}")).await;
        assert_eq!(deletion.status, StatusCode::FORBIDDEN);
        assert_eq!(app.sign_in("alice", PASSWORD).await.status, StatusCode::SEE_OTHER);

        // An unknown scope is named, nothing created.
        let unknown = json!({ "token": { "name": "x", "scopes": ["admin"] } }).to_string();
        let reply = api(&app, "POST", "/v1/tokens", &full, Some(&unknown)).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(reply.json()["errors"]["scopes"][0].as_str().unwrap().contains("admin"));

        // `scalingo login` (Basic login:password) still makes a full-access token.
        let login = api(
            &app,
            "POST",
            "/v1/tokens",
            &basic("alice", PASSWORD),
            Some(r#"{"name":"cli"}"#),
        )
        .await;
        assert_eq!(login.status, StatusCode::CREATED, "{}", login.body);
        assert_eq!(login.json()["token"]["scopes"], json!([]));
        drop(app);
        if let Some(pg) = pg {
            pg.finish().await;
        }
    }
}

#[tokio::test]
async fn the_tab_creates_a_limited_token_with_and_without_javascript() {
    let app = TestApp::new().await;
    let cookie = app.sign_up("alice", "alice@example.com", PASSWORD).await;
    let made = app
        .call(
            "/api/account/tokens/create",
            &[
                ("name", "deploy keys"),
                ("expiry", "never"),
                ("access", "limited"),
                ("scope_keys_write", "on"),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    let stored = app
        .count("SELECT COUNT(*) FROM api_tokens WHERE scopes = 'keys:write'")
        .await;
    assert_eq!(stored, 1);
    // Without JavaScript the radio stays on "Full access" when a box is ticked: the tick wins.
    let ticked = [
        ("name", "reader"),
        ("expiry", "never"),
        ("access", "full"),
        ("scope_account_read", "on"),
    ];
    let reply = app
        .post_without_js("/api/account/tokens/create", &ticked, Some(&cookie), "/account/tokens")
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let limited = app
        .count("SELECT COUNT(*) FROM api_tokens WHERE scopes = 'account:read'")
        .await;
    assert_eq!(limited, 1);
    let page = app.get("/account/tokens", Some(&cookie)).await;
    assert!(
        page.body.contains(r#"data-testid="token-scopes">keys:write"#),
        "{}",
        page.body
    );

    // Limited with nothing ticked: refused with the field named, the choice kept, nothing made.
    let bad = [("name", "nothing"), ("expiry", "never"), ("access", "limited")];
    let reply = app
        .post_without_js("/api/account/tokens/create", &bad, Some(&cookie), "/account/tokens")
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let flash = reply.cookie("vestibule_flash").expect("a flash cookie");
    let page = app.get("/account/tokens", Some(&format!("{cookie}; {flash}"))).await;
    assert!(page.body.contains("Choose at least one permission"), "{}", page.body);
    assert!(page.body.contains(r##"href="#field-scopes""##));
    let limited_radio = page.body.find(r#"id="field-access-limited""#).unwrap();
    assert!(page.body[limited_radio - 120..limited_radio + 120].contains("checked"));
    assert_eq!(app.count("SELECT COUNT(*) FROM api_tokens").await, 2);

    // The Timeline says what the limited token may do.
    let timeline = app.get("/account/timeline", Some(&cookie)).await;
    assert!(timeline.body.contains("deploy keys (keys:write)"), "{}", timeline.body);
    assert_eq!(
        TokenScopes::from_joined("keys:write"),
        TokenScopes::limited([Scope::KeysWrite])
    );
}
