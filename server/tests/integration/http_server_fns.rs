//! Server functions over real HTTP on the real router: the session and cross-site checks on
//! every one of them, typed errors with meaningful statuses, and the no-JavaScript round trip
//! (redirect back, errors shown, typed values kept).

use crate::support::{TestApp, PASSWORD};
use axum::body::Body;
use http::{header, Request, StatusCode};
use leptos::server_fn::axum::server_fn_paths;
use server::db::documents::{self, NewDocument};

/// Server functions a signed-out visitor may call (sign-in and sign-up pages use them).
const PUBLIC: &[&str] = &["/api/preferences", "/api/legal/document", "/api/legal/signup"];

#[test]
fn the_public_server_functions_are_the_expected_ones() {
    assert_eq!(app::api::public_paths(), PUBLIC);
}

fn all_server_fns() -> Vec<&'static str> {
    let mut paths: Vec<&str> = server_fn_paths().map(|(path, _)| path).collect();
    paths.sort_unstable();
    assert!(paths.len() >= 8, "server functions not registered: {paths:?}");
    paths
}

pub async fn publish(app: &TestApp, kind: app::model::DocumentKind, version: &str, required: bool) -> String {
    let new = NewDocument {
        kind,
        version,
        required,
        body_en: "<p>English terms</p>",
        body_fr: "<p>Conditions en français</p>",
    };
    documents::publish(&app.state.db, new, server::db::now())
        .await
        .unwrap()
        .id
}

#[tokio::test]
async fn every_server_function_lives_under_api_and_takes_post_only() {
    for path in all_server_fns() {
        assert!(path.starts_with("/api/"), "{path}");
    }
    let app = TestApp::new().await;
    for path in all_server_fns() {
        let reply = app.get(path, None).await;
        assert!(
            reply.status == StatusCode::METHOD_NOT_ALLOWED || reply.status == StatusCode::NOT_FOUND,
            "GET {path} answered {}",
            reply.status
        );
    }
}

#[tokio::test]
async fn every_private_server_function_refuses_a_missing_or_dead_session() {
    let app = TestApp::new().await;
    for path in all_server_fns().into_iter().filter(|p| !PUBLIC.contains(p)) {
        for cookie in [None, Some("vestibule_session=forged-or-expired")] {
            let reply = app.call(path, &[], cookie).await;
            assert_eq!(
                reply.status,
                StatusCode::UNAUTHORIZED,
                "{path} {cookie:?}: {}",
                reply.body
            );
            assert_eq!(reply.json(), serde_json::json!("SessionExpired"), "{path}");
        }
    }
}

#[tokio::test]
async fn every_server_function_refuses_cross_site_calls() {
    let app = TestApp::new().await;
    let cookie = app.sign_up("alice", "alice@example.com", PASSWORD).await;
    for path in all_server_fns() {
        for (name, value) in [
            ("sec-fetch-site", "cross-site"),
            ("sec-fetch-site", "same-site"),
            ("origin", "https://evil.example"),
        ] {
            let req = Request::post(path)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::HOST, "dash.test")
                .header(header::COOKIE, &cookie)
                .header(name, value)
                .body(Body::from("theme=dark&username=mallory"))
                .unwrap();
            let reply = app.send(req).await;
            assert_eq!(reply.status, StatusCode::FORBIDDEN, "{path} with {name}: {value}");
        }
    }
    // Nothing changed.
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE username = 'mallory'").await,
        0
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM users WHERE theme = 'dark'").await, 0);
}

#[tokio::test]
async fn malformed_calls_get_a_4xx_never_a_500() {
    let app = TestApp::new().await;
    let cookie = app.sign_up("alice", "alice@example.com", PASSWORD).await;
    let bodies: [(&str, &[u8]); 5] = [
        ("application/x-www-form-urlencoded", b"%%%&&=="),
        ("application/x-www-form-urlencoded", b"username=a&username=b&bio[x]=1"),
        ("application/x-www-form-urlencoded", &[0xff, 0xfe, b'=', 0xff]),
        ("application/json", b"{\"username\": 3"),
        ("text/plain", b"hello"),
    ];
    for path in all_server_fns() {
        for (content_type, body) in bodies {
            let req = Request::post(path)
                .header(header::CONTENT_TYPE, content_type)
                .header(header::ACCEPT, "application/json")
                .header(header::COOKIE, &cookie)
                .body(Body::from(body.to_vec()))
                .unwrap();
            let reply = app.send(req).await;
            assert!(
                reply.status.is_client_error() || reply.status.is_success(),
                "{path} {content_type} {body:?} answered {}: {}",
                reply.status,
                reply.body
            );
        }
    }
}

#[tokio::test]
async fn profile_changes_are_validated_saved_and_recorded() {
    let app = TestApp::new().await;
    let cookie = app.sign_up("alice", "alice@example.com", PASSWORD).await;
    app.sign_up("bob", "bob@example.com", PASSWORD).await;
    let profile = |username: &str, fullname: &str, bio: &str| {
        vec![
            ("username", username.to_string()),
            ("fullname", fullname.to_string()),
            ("location", "Lyon".to_string()),
            ("company", "".to_string()),
            ("bio", bio.to_string()),
        ]
    };
    let send = |fields: Vec<(&'static str, String)>| {
        let cookie = cookie.clone();
        let app = &app;
        async move {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.call("/api/account/profile", &fields, Some(&cookie)).await
        }
    };

    let refused = send(profile("BOB", &"x".repeat(101), &"y".repeat(301))).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    let errors = refused.json()["Invalid"].clone();
    let fields: Vec<&str> = errors
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["fullname", "bio"]);
    // The username is only checked against others once the rest is valid: case-insensitively.
    let taken = send(profile("BOB", "Alice A.", "")).await;
    assert_eq!(taken.json()["Invalid"][0]["key"], "ErrUsernameTaken");
    for (name, key) in [
        ("admin", "ErrUsernameReserved"),
        ("a", "ErrUsernameLength"),
        ("al ice", "ErrUsernameChars"),
    ] {
        let reply = send(profile(name, "", "")).await;
        assert_eq!(reply.json()["Invalid"][0]["key"], key, "{name}");
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM account_events WHERE type = 'edit_profile'")
            .await,
        0
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM users WHERE location = 'Lyon'").await, 0);

    let saved = send(profile("  Alice-Renamed ", " Alice   Liddell ", "Hello\r\nworld ")).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let json = saved.json();
    assert_eq!(json["profile"]["username"], "alice-renamed");
    assert_eq!(json["profile"]["fullname"], "Alice Liddell");
    assert_eq!(json["profile"]["bio"], "Hello\nworld");
    assert_eq!(
        json["changed"],
        serde_json::json!(["Username", "Fullname", "Location", "Bio"])
    );
    // The session survives the new username.
    let page = app.get("/account", Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("alice-renamed"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM account_events WHERE type = 'edit_profile'")
            .await,
        1
    );
    // Saving the same values again changes (and records) nothing.
    let again = send(profile("alice-renamed", "Alice Liddell", "Hello\nworld")).await;
    assert_eq!(again.json()["changed"], serde_json::json!([]));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM account_events WHERE type = 'edit_profile'")
            .await,
        1
    );
}

#[tokio::test]
async fn without_javascript_a_refused_form_comes_back_with_its_errors_and_input() {
    let app = TestApp::new().await;
    let cookie = app.sign_up("alice", "alice@example.com", PASSWORD).await;
    let fields = [
        ("username", "alice"),
        ("fullname", "Ada <b>Lovelace</b>"),
        ("location", "Paris"),
        ("company", &*"c".repeat(150)),
        ("bio", "Analytical </textarea><b>engines</b>"),
    ];
    let reply = app
        .post_without_js("/api/account/profile", &fields, Some(&cookie), "/account")
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(reply.location(), "/account");
    let flash = reply.cookie("vestibule_flash").expect("a flash cookie");
    let page = app.get("/account", Some(&format!("{cookie}; {flash}"))).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Use at most 100 characters."));
    assert!(page.body.contains(r#"aria-invalid="true""#));
    // What was typed is back in the form, escaped.
    assert!(page.body.contains("Ada &lt;b&gt;Lovelace&lt;/b&gt;"));
    assert!(page.body.contains(r#"value="Paris""#));
    // A text area's text is escaped too: typed markup cannot end the element.
    assert!(page
        .body
        .contains("Analytical &lt;/textarea>&lt;b>engines&lt;/b></textarea>"));
    // The flash is used once.
    assert_eq!(page.cookie("vestibule_flash").as_deref(), Some("vestibule_flash="));
    // Nothing was saved.
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE location = 'Paris'").await,
        0
    );
    // A forged or tampered flash is ignored.
    let forged = app
        .get("/account", Some(&format!("{cookie}; vestibule_flash=eyJ4Ijoi.AAAA")))
        .await;
    assert_eq!(forged.status, StatusCode::OK);
    assert!(!forged.body.contains("Use at most 100 characters."));

    let ok = app
        .post_without_js(
            "/api/account/profile",
            &[
                ("username", "alice"),
                ("fullname", "Ada"),
                ("location", "Paris"),
                ("company", ""),
                ("bio", ""),
            ],
            Some(&cookie),
            "/account",
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    let flash = ok.cookie("vestibule_flash").unwrap();
    let page = app.get("/account", Some(&format!("{cookie}; {flash}"))).await;
    assert!(
        page.body.contains("Saved. Changed: Full name, Location."),
        "confirmation missing"
    );
}

#[tokio::test]
async fn an_ended_session_keeps_what_was_typed_through_sign_in() {
    let app = TestApp::new().await;
    let cookie = app.sign_up("alice", "alice@example.com", PASSWORD).await;
    app.post_form("/logout", &[], Some(&cookie)).await;
    let fields = [
        ("username", "alice"),
        ("fullname", "Typed before expiry"),
        ("location", ""),
        ("company", ""),
        ("bio", ""),
    ];
    // Without JavaScript: straight to sign-in, with the way back.
    let no_js = app
        .post_without_js("/api/account/profile", &fields, Some(&cookie), "/account")
        .await;
    assert_eq!(no_js.status, StatusCode::SEE_OTHER);
    assert_eq!(no_js.location(), "/login?next=/account&notice=session-ended");
    // With JavaScript: 401 and the same flash.
    let js = app.call("/api/account/profile", &fields, Some(&cookie)).await;
    assert_eq!(js.status, StatusCode::UNAUTHORIZED);
    let flash = js.cookie("vestibule_flash").expect("typed values kept");

    let signed_in = app.sign_in("alice", PASSWORD).await;
    let cookie = signed_in.session_cookie().unwrap();
    let page = app.get("/account", Some(&format!("{cookie}; {flash}"))).await;
    assert!(page.body.contains(r#"value="Typed before expiry""#));
    assert!(page.body.contains("We kept what you typed."));
    assert_eq!(app.count("SELECT COUNT(*) FROM users WHERE fullname <> ''").await, 0);
}

#[tokio::test]
async fn newsletter_choice_is_kept_with_its_date_and_recorded() {
    let app = TestApp::new().await;
    let cookie = app.sign_up("alice", "alice@example.com", PASSWORD).await;
    let on = app
        .call("/api/account/newsletter", &[("subscribed", "true")], Some(&cookie))
        .await;
    assert_eq!(on.status, StatusCode::OK, "{}", on.body);
    assert_eq!(on.json()["subscribed"], true);
    assert!(on.json()["changed_at"]["unix"].as_i64().unwrap() > 0);
    let again = app
        .call("/api/account/newsletter", &[("subscribed", "true")], Some(&cookie))
        .await;
    assert_eq!(again.json(), on.json());
    let bad = app
        .call("/api/account/newsletter", &[("subscribed", "maybe")], Some(&cookie))
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let off = app
        .call("/api/account/newsletter", &[("subscribed", "false")], Some(&cookie))
        .await;
    assert_eq!(off.json()["subscribed"], false);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM account_events WHERE type = 'edit_newsletter'")
            .await,
        2
    );
}

#[tokio::test]
async fn preferences_are_saved_on_the_account_and_follow_the_user() {
    let app = TestApp::new().await;
    let cookie = app.sign_up("alice", "alice@example.com", PASSWORD).await;
    let saved = app
        .call(
            "/api/preferences",
            &[("theme", "dark"), ("lang", "fr"), ("time_zone", "Asia/Tokyo")],
            Some(&cookie),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert_eq!(saved.json()["time_zone"], "Asia/Tokyo");
    for (tz, key) in [("Mars/Base", "ErrTimeZoneUnknown"), ("../../etc", "ErrTimeZoneUnknown")] {
        let refused = app.call("/api/preferences", &[("time_zone", tz)], Some(&cookie)).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(refused.json()["Invalid"][0]["key"], key);
    }
    // A fresh browser (no preference cookies) signing in gets them on the first paint.
    let fresh = app.sign_in("alice", PASSWORD).await;
    assert_eq!(fresh.cookie("theme").as_deref(), Some("theme=dark"));
    assert_eq!(fresh.cookie("lang").as_deref(), Some("lang=fr"));
    let page = app.get("/account", Some(&fresh.session_cookie().unwrap())).await;
    assert!(
        page.body.contains(r#"<html lang="fr" data-theme="dark""#),
        "first paint"
    );
    // Dates read in the account's time zone (+09:00).
    assert!(page.body.contains("+09:00"), "member-since date not in Tokyo time");
    let events = app
        .count("SELECT COUNT(*) FROM account_events WHERE type = 'edit_preferences'")
        .await;
    assert_eq!(events, 1);
}

#[tokio::test]
async fn documents_are_accepted_once_in_the_current_version_only() {
    use app::model::DocumentKind;
    let app = TestApp::new().await;
    let cookie = app.sign_up("alice", "alice@example.com", PASSWORD).await;
    let v1 = publish(&app, DocumentKind::Terms, "2026-01", true).await;
    let banner = app.get("/account", Some(&cookie)).await;
    assert!(banner.body.contains("Updated documents need your acceptance"));

    let accepted = app
        .call(
            "/api/account/documents/accept",
            &[("id", &v1), ("lang", "fr")],
            Some(&cookie),
        )
        .await;
    assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.body);
    assert_eq!(accepted.json()["current"][0]["accepted"]["lang"], "Fr");
    let page = app.get("/account", Some(&cookie)).await;
    assert!(!page.body.contains("Updated documents need your acceptance"));

    let v2 = publish(&app, DocumentKind::Terms, "2026-11", true).await;
    let outdated = app
        .call(
            "/api/account/documents/accept",
            &[("id", &v1), ("lang", "en")],
            Some(&cookie),
        )
        .await;
    assert_eq!(outdated.status, StatusCode::CONFLICT);
    assert_eq!(outdated.json()["Conflict"], "ErrDocumentOutdated");
    let unknown = app
        .call(
            "/api/account/documents/accept",
            &[("id", "nope"), ("lang", "en")],
            Some(&cookie),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let bad_lang = app
        .call(
            "/api/account/documents/accept",
            &[("id", &v2), ("lang", "xx")],
            Some(&cookie),
        )
        .await;
    assert_eq!(bad_lang.status, StatusCode::UNPROCESSABLE_ENTITY);

    let banner = app.get("/account", Some(&cookie)).await;
    assert!(banner.body.contains("Updated documents need your acceptance"));
    let accepted = app
        .call(
            "/api/account/documents/accept",
            &[("id", &v2), ("lang", "en")],
            Some(&cookie),
        )
        .await;
    let json = accepted.json();
    assert_eq!(json["current"][0]["version"], "2026-11");
    assert_eq!(json["archived"][0]["version"], "2026-01");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM account_events WHERE type = 'accept_contract'")
            .await,
        2
    );
    // Both versions stay readable, to anyone.
    let old = app.get("/legal/terms/2026-01", None).await;
    assert_eq!(old.status, StatusCode::OK);
    assert!(old.body.contains("English terms"));
    assert!(old.body.contains("earlier version"));
    let french = app.get("/legal/terms", Some("lang=fr")).await;
    assert!(french.body.contains("Conditions en français"));
    assert_eq!(app.get("/legal/terms/1999", None).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/legal/eula", None).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn sign_up_requires_the_current_required_documents() {
    use app::model::DocumentKind;
    let app = TestApp::new().await;
    let terms = publish(&app, DocumentKind::Terms, "1", true).await;
    let privacy = publish(&app, DocumentKind::Privacy, "1", true).await;
    publish(&app, DocumentKind::Dpa, "1", false).await;
    let form = app.get("/signup", None).await;
    assert!(form.body.contains(&format!(r#"value="{terms}""#)));
    assert!(form.body.contains(r#"href="/legal/privacy""#));

    let base = [
        ("username", "carol"),
        ("email", "carol@example.com"),
        ("password", PASSWORD),
        ("documents", terms.as_str()),
        ("documents", privacy.as_str()),
    ];
    let unticked = app.post_form("/signup", &base, None).await;
    assert_eq!(unticked.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unticked.body.contains("Accept the documents to create your account."));
    assert!(unticked.body.contains(r#"value="carol@example.com""#));
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 0);

    let mut stale = base.to_vec();
    stale.truncate(4);
    stale.push(("accept", "yes"));
    let changed = app.post_form("/signup", &stale, None).await;
    assert!(changed
        .body
        .contains("The documents were updated while you were signing up."));

    let mut ticked = base.to_vec();
    ticked.push(("accept", "yes"));
    ticked.push(("time_zone", "Europe/Paris"));
    let created = app.sign_up_reply(&ticked, Some("lang=fr")).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM document_acceptances WHERE lang = 'fr'")
            .await,
        2
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE time_zone = 'Europe/Paris' AND lang = 'fr'")
            .await,
        1
    );
}
