//! The safety baseline: headers, cross-site refusal, limits, malformed input, logs.

use crate::support::{TestApp, PASSWORD};
use axum::body::Body;
use http::{header, Request, StatusCode};

#[tokio::test]
async fn html_pages_carry_a_nonce_csp_and_the_other_headers() {
    let app = TestApp::new().await;
    let cookie = app.sign_up("alice", "alice@example.com", PASSWORD).await;
    for (path, cookie) in [
        ("/login", None),
        ("/signup", None),
        ("/account", Some(cookie.as_str())),
        ("/nope", None),
    ] {
        let reply = app.get(path, cookie).await;
        let csp = reply.header("content-security-policy");
        let nonce = csp
            .split("'nonce-")
            .nth(1)
            .and_then(|s| s.split('\'').next())
            .unwrap_or_else(|| panic!("{path}: {csp}"));
        assert!(
            csp.contains("frame-ancestors 'none'")
                && csp.contains("'wasm-unsafe-eval'")
                && csp.contains("base-uri 'none'")
        );
        assert!(
            reply.body.contains(&format!(r#"nonce="{nonce}""#)),
            "{path}: hydration scripts carry the nonce"
        );
        assert_eq!(reply.header("x-content-type-options"), "nosniff");
        assert_eq!(reply.header("referrer-policy"), "same-origin");
        assert_eq!(reply.header("cross-origin-opener-policy"), "same-origin");
        assert_eq!(reply.header("cache-control"), "no-store", "{path}");
        assert_eq!(reply.header("x-request-id").len(), 16);
        assert!(
            reply.header("strict-transport-security").is_empty(),
            "no HSTS over plain HTTP"
        );
    }
    let a = app
        .get("/login", None)
        .await
        .header("content-security-policy")
        .to_string();
    let b = app
        .get("/login", None)
        .await
        .header("content-security-policy")
        .to_string();
    assert_ne!(a, b, "a new nonce per response");
    let json = app.get("/healthz", None).await;
    assert!(!json.header("content-security-policy").is_empty());
    assert_eq!(json.header("x-content-type-options"), "nosniff");
}

async fn post_with(app: &TestApp, headers: &[(&str, &str)]) -> StatusCode {
    let mut builder = Request::post("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::HOST, "vestibule.test");
    for (k, v) in headers {
        builder = builder.header(*k, *v);
    }
    app.send(builder.body(Body::from("login=a&password=b")).unwrap())
        .await
        .status
}

#[tokio::test]
async fn cross_site_posts_are_refused() {
    let app = TestApp::new().await;
    assert_eq!(
        post_with(&app, &[("sec-fetch-site", "cross-site")]).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        post_with(&app, &[("sec-fetch-site", "same-site")]).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        post_with(&app, &[("origin", "https://evil.example")]).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        post_with(&app, &[("sec-fetch-site", "same-origin")]).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        post_with(&app, &[("origin", "http://vestibule.test")]).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM account_events").await,
        2,
        "refused posts never reached sign-in"
    );
}

#[tokio::test]
async fn malformed_and_oversized_requests_get_4xx() {
    let app = TestApp::new().await;
    let cases: Vec<(&str, &str, Vec<u8>, StatusCode)> = vec![
        (
            "/login",
            "application/json",
            br#"{"login":"a"}"#.to_vec(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        (
            "/signup",
            "text/plain",
            b"hello".to_vec(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        (
            "/login",
            "application/x-www-form-urlencoded",
            vec![0xff, 0xfe, b'=', 0xff],
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "/login",
            "application/x-www-form-urlencoded",
            b"login=a&login=b".to_vec(),
            StatusCode::BAD_REQUEST,
        ),
        (
            "/api/preferences",
            "application/x-www-form-urlencoded",
            b"theme=dark&theme=light".to_vec(),
            StatusCode::BAD_REQUEST,
        ),
        (
            "/login",
            "application/x-www-form-urlencoded",
            vec![b'a'; 100 * 1024],
            StatusCode::PAYLOAD_TOO_LARGE,
        ),
    ];
    for (path, content_type, body, expected) in cases {
        let req = Request::post(path)
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body))
            .unwrap();
        assert_eq!(app.send(req).await.status, expected, "{path} {content_type}");
    }
    let weird_cookie = app
        .get("/account", Some("vestibule_session=%%%; theme=\"\"; lang"))
        .await;
    assert_eq!(weird_cookie.status, StatusCode::SEE_OTHER);
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 0);
}

#[tokio::test]
async fn a_very_long_password_is_hashed_whole_and_a_too_long_one_refused() {
    let app = TestApp::new().await;
    let long = "é".repeat(1024);
    app.sign_up("alice", "alice@example.com", &long).await;
    let almost = format!("{}x", &long[..long.len() - 2]);
    assert_eq!(
        app.sign_in("alice", &almost).await.status,
        StatusCode::UNAUTHORIZED,
        "no truncation"
    );
    assert_eq!(app.sign_in("alice", &long).await.status, StatusCode::SEE_OTHER);
    let too_long = app
        .post_form(
            "/signup",
            &[
                ("username", "bob"),
                ("email", "b@example.com"),
                ("password", &"x".repeat(1025)),
            ],
            None,
        )
        .await;
    assert_eq!(too_long.status, StatusCode::UNPROCESSABLE_ENTITY);
}

/// Log output captured from the real middleware: one line per request, no secrets.
#[derive(Clone, Default)]
struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A process-wide subscriber: a thread-local one races tracing's callsite cache when other
/// tests log on other threads. Lines are told apart by the request id each response carries.
fn captured_logs() -> Captured {
    static CAPTURED: std::sync::OnceLock<Captured> = std::sync::OnceLock::new();
    CAPTURED
        .get_or_init(|| {
            let captured = Captured::default();
            let writer = captured.clone();
            let subscriber = tracing_subscriber::fmt()
                .with_writer(move || writer.clone())
                .with_ansi(false)
                .finish();
            tracing::subscriber::set_global_default(subscriber).unwrap();
            captured
        })
        .clone()
}

#[tokio::test]
async fn request_logs_have_one_line_per_request_and_no_secrets() {
    let captured = captured_logs();
    let app = TestApp::new().await;
    let password = "log test passphrase 7f3a9c";
    let signup = app
        .sign_up_reply(
            &[
                ("username", "logger"),
                ("email", "log@example.com"),
                ("password", password),
            ],
            None,
        )
        .await;
    let cookie = signup.session_cookie().unwrap();
    let page = app.get("/account?secret=query-value-7f3a9c", Some(&cookie)).await;
    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    for (reply, method, path, status) in [
        (&signup, "POST", "/signup/confirm", 303),
        (&page, "GET", "/account", 200),
    ] {
        let id = format!("request_id={}", reply.header("x-request-id"));
        let lines: Vec<&str> = logs.lines().filter(|l| l.contains(&id)).collect();
        assert_eq!(lines.len(), 1, "one line for {path}: {logs}");
        let line = lines[0];
        assert!(
            line.contains(&format!("method={method}")) && line.contains(&format!("path={path} ")),
            "{line}"
        );
        assert!(
            line.contains(&format!("status={status}")) && line.contains("duration_ms="),
            "{line}"
        );
    }
    let token = cookie.trim_start_matches("vestibule_session=");
    for secret in [password, token, "query-value-7f3a9c"] {
        assert!(!logs.contains(secret), "{secret} leaked into the logs");
    }
}

/// A client that sends its form a trickle at a time, or stops half-way, is answered 408 once
/// the request timeout passes, and its connection is freed (the clock is paused and advanced).
#[tokio::test]
async fn a_request_body_that_never_ends_times_out() {
    use futures_util::StreamExt as _;
    let app = TestApp::new().await;
    // Paused only now: opening the database needs the real clock.
    tokio::time::pause();
    let first = futures_util::stream::once(async { Ok::<_, std::io::Error>(bytes::Bytes::from_static(b"login=al")) });
    let never = futures_util::stream::pending();
    let request = http::Request::post("/login")
        .header(http::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "same-origin")
        .body(axum::body::Body::from_stream(first.chain(never)))
        .unwrap();
    let reply = app.send(request).await;
    assert_eq!(reply.status, StatusCode::REQUEST_TIMEOUT);
}
