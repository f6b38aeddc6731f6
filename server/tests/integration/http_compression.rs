//! Dynamic responses are compressed as the client accepts, except those that hold a secret
//! (BREACH): a token's secret, a bearer, a second factor's secret or recovery codes, a page
//! showing a form's flash.

use crate::http_api::{basic, tab_token};
use crate::support::{Reply, TestApp, PASSWORD};
use axum::body::Body;
use http::{header, Request, StatusCode};

async fn get_with(app: &TestApp, path: &str, cookie: Option<&str>, accept: &str) -> Reply {
    let mut request = Request::get(path)
        .header("x-forwarded-for", "203.0.113.7")
        .header(header::ACCEPT_ENCODING, accept);
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    app.send(request.body(Body::empty()).unwrap()).await
}

fn encoding(reply: &Reply) -> &str {
    reply.header("content-encoding")
}

#[tokio::test]
async fn pages_json_and_exports_are_compressed_as_the_client_accepts() {
    let app = TestApp::new().await;
    let cookie = app.sign_up("alice", "alice@example.com", PASSWORD).await;
    let page = get_with(&app, "/account", Some(&cookie), "gzip, deflate, br").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        encoding(&page),
        "gzip",
        "gzip, not brotli: see server/src/web/compress.rs"
    );
    assert!(page.header("vary").to_ascii_lowercase().contains("accept-encoding"));
    let login = get_with(&app, "/login", None, "gzip").await;
    assert_eq!(encoding(&login), "gzip");
    let plain = get_with(&app, "/account", Some(&cookie), "identity").await;
    assert_eq!(encoding(&plain), "");
    let brotli_only = get_with(&app, "/account", Some(&cookie), "br").await;
    assert_eq!(encoding(&brotli_only), "");
    assert!(brotli_only.body.contains("<!DOCTYPE html>"));
    assert!(plain.body.contains("<!DOCTYPE html>"));
    let export = get_with(&app, "/account/timeline/export.csv", Some(&cookie), "br, gzip").await;
    assert_eq!(export.status, StatusCode::OK);
    assert_eq!(encoding(&export), "gzip");

    let secret = tab_token(&app, &cookie, "cli").await;
    let auth = crate::http_api::bearer(&app, &secret).await;
    let request = Request::get("/v1/users/self")
        .header(header::AUTHORIZATION, &auth)
        .header(header::ACCEPT_ENCODING, "gzip")
        .body(Body::empty())
        .unwrap();
    let me = app.send(request).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(encoding(&me), "gzip");
}

#[tokio::test]
async fn responses_that_hold_a_secret_are_never_compressed() {
    let app = TestApp::new().await;
    let cookie = app.sign_up("alice", "alice@example.com", PASSWORD).await;
    let post = |path: &'static str, fields: &'static [(&'static str, &'static str)], accept: &'static str| {
        let app = &app;
        let cookie = cookie.clone();
        async move {
            let body = serde_urlencoded::to_string(fields).unwrap();
            let request = Request::post(path)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::ACCEPT, accept)
                .header(header::ACCEPT_ENCODING, "br, gzip")
                .header(header::REFERER, "http://dash.test/account/tokens")
                .header(header::HOST, "dash.test")
                .header("sec-fetch-site", "same-origin")
                .header("x-forwarded-for", "203.0.113.7")
                .header(header::COOKIE, cookie)
                .body(Body::from(body))
                .unwrap();
            app.send(request).await
        }
    };
    // The token's secret, answered to the hydrated tab.
    let created = post(
        "/api/account/tokens/create",
        &[("name", "cli"), ("expiry", "never")],
        "application/json",
    )
    .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    assert!(created.body.contains("tk-us-"));
    assert_eq!(encoding(&created), "", "never compressed");
    assert_eq!(
        created.header("x-vestibule-secret-inside"),
        "",
        "the marker stays inside"
    );

    // Without JavaScript the secret comes back through the flash, on the next page.
    let no_js = post(
        "/api/account/tokens/create",
        &[("name", "other"), ("expiry", "never")],
        "text/html",
    )
    .await;
    let flash = no_js.cookie("vestibule_flash").expect("a flash");
    let both = format!("{cookie}; {flash}");
    let shown = get_with(&app, "/account/tokens", Some(&both), "br, gzip").await;
    assert!(shown.body.contains("tk-us-"), "the secret is shown once");
    assert_eq!(encoding(&shown), "");
    let again = get_with(&app, "/account/tokens", Some(&cookie), "br, gzip").await;
    assert_eq!(encoding(&again), "gzip", "the same page without a secret is compressed");

    // The second factor's secret, on the page while enrolment waits.
    app.call("/api/account/two-factor/start", &[], Some(&cookie)).await;
    let pending = get_with(&app, "/account/authorization", Some(&cookie), "br, gzip").await;
    assert_eq!(pending.status, StatusCode::OK);
    assert_eq!(encoding(&pending), "");

    // The API's secrets: a new token, a bearer.
    let request = Request::post("/v1/tokens")
        .header(header::AUTHORIZATION, basic("alice", PASSWORD))
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ACCEPT_ENCODING, "gzip")
        .body(Body::from(r#"{"token":{"name":"cli2"}}"#))
        .unwrap();
    let made = app.send(request).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    assert_eq!(encoding(&made), "");
    let secret = made.json()["token"]["token"].as_str().unwrap().to_string();
    let request = Request::post("/v1/tokens/exchange")
        .header(header::AUTHORIZATION, basic("", &secret))
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ACCEPT_ENCODING, "gzip")
        .body(Body::from("{}"))
        .unwrap();
    let exchanged = app.send(request).await;
    assert_eq!(exchanged.status, StatusCode::OK);
    assert_eq!(encoding(&exchanged), "");
}
