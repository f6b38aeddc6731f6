//! Pages: deep links, the tab registry, 404s, preferences and language.

use crate::support::{TestApp, PASSWORD};
use app::tabs::AccountTab;
use http::StatusCode;

#[tokio::test]
async fn signed_out_deep_links_go_to_sign_in_and_come_back() {
    let app = TestApp::new().await;
    for tab in AccountTab::ALL {
        let reply = app.get(&tab.path(), None).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", tab.path());
        assert_eq!(reply.location(), format!("/login?next={}", tab.path()));
    }
    let with_query = app.get("/account/keys?sort=name&x=1", None).await;
    assert_eq!(with_query.location(), "/login?next=/account/keys%3Fsort%3Dname%26x%3D1");

    let login_page = app.get("/login?next=/account", None).await;
    assert!(login_page.body.contains(r#"name="next" value="/account""#));
    app.sign_up("alice", "alice@example.com", PASSWORD).await;
    let back = app
        .post_form(
            "/login",
            &[("login", "alice"), ("password", PASSWORD), ("next", "/account")],
            None,
        )
        .await;
    assert_eq!(back.location(), "/account");
}

#[tokio::test]
async fn the_nav_lists_available_tabs_in_order_and_marks_the_current_one() {
    let app = TestApp::new().await;
    let cookie = app.sign_up("alice", "alice@example.com", PASSWORD).await;
    let page = app.get("/account", Some(&cookie)).await;
    let mut last = 0;
    for tab in AccountTab::available() {
        let link = format!(r#"href="{}""#, tab.path());
        let at = page
            .body
            .find(&link)
            .unwrap_or_else(|| panic!("{} missing from the nav", tab.path()));
        assert!(at >= last, "tabs out of order");
        last = at;
    }
    for tab in AccountTab::ALL.into_iter().filter(|t| !t.is_available()) {
        assert!(
            !page.body.contains(&format!(r#"href="{}""#, tab.path())),
            "{} is listed but not built",
            tab.path()
        );
    }
    assert!(page.body.contains(r#"aria-current="page""#));
    assert!(page.body.contains("Basic information"));
}

#[tokio::test]
async fn every_built_tab_is_a_route_of_its_own_and_renders_whole_without_javascript() {
    // `path!` takes literals: the routes are written out by hand, and this keeps them in step
    // with the tab registry.
    let routes: Vec<String> = server::web::route_list()
        .iter()
        .map(|route| route.path().to_string())
        .collect();
    let app = TestApp::new().await;
    let cookie = app.sign_up("alice", "alice@example.com", PASSWORD).await;
    for tab in AccountTab::available() {
        assert!(routes.contains(&tab.path()), "{} has no route: {routes:?}", tab.path());
        let page = app.get(&tab.path(), Some(&cookie)).await;
        assert_eq!(page.status, StatusCode::OK, "{}", tab.path());
        let title = format!("<title>{} · Vestibule</title>", tab.label().text(app::i18n::Lang::En));
        assert!(page.body.contains(&title), "{}: {title}", tab.path());
        assert!(
            !page.body.contains(r#"class="loading""#),
            "{} rendered its data",
            tab.path()
        );
    }
}

#[tokio::test]
async fn unknown_paths_and_unbuilt_tabs_are_real_404s() {
    let app = TestApp::new().await;
    let cookie = app.sign_up("alice", "alice@example.com", PASSWORD).await;
    for path in ["/nope", "/account/nope", "/account/billing/nope"] {
        let reply = app.get(path, Some(&cookie)).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
        assert!(reply.body.contains("Page not found"), "{path}");
    }
    let french = app.get("/nope", Some("lang=fr")).await;
    assert_eq!(french.status, StatusCode::NOT_FOUND);
    assert!(french.body.contains("Page introuvable"));
}

#[tokio::test]
async fn signed_in_visitors_skip_the_sign_in_page() {
    let app = TestApp::new().await;
    let cookie = app.sign_up("alice", "alice@example.com", PASSWORD).await;
    assert_eq!(app.get("/login", Some(&cookie)).await.location(), "/account");
    assert_eq!(
        app.get("/signup?next=/account", Some(&cookie)).await.location(),
        "/account"
    );
    assert_eq!(app.get("/", None).await.location(), "/account");
}

#[tokio::test]
async fn language_follows_the_cookie_then_accept_language() {
    let app = TestApp::new().await;
    let english = app.get("/login", None).await;
    assert!(english.body.contains(r#"<html lang="en" data-theme="system""#));
    assert!(english.body.contains("Sign in to manage your account."));

    let req = http::Request::get("/login")
        .header("accept-language", "fr-FR,fr;q=0.9,en;q=0.5")
        .body(axum::body::Body::empty())
        .unwrap();
    let french = app.send(req).await;
    assert!(french.body.contains(r#"<html lang="fr""#));
    assert!(french.body.contains("Connectez-vous pour gérer votre compte."));

    let cookie_wins = app.get("/login", Some("lang=en; theme=dark")).await;
    assert!(cookie_wins.body.contains(r#"<html lang="en" data-theme="dark""#));
}

#[tokio::test]
async fn signed_out_preferences_are_stored_in_cookies_and_send_you_back() {
    let app = TestApp::new().await;
    let reply = app
        .post_without_js("/api/preferences", &[("theme", "dark")], None, "/login?next=/account")
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(reply.location(), "/login?next=/account");
    assert_eq!(reply.cookie("theme").as_deref(), Some("theme=dark"));
    // With JavaScript: the same function answers JSON and sets the cookie.
    let lang = app.call("/api/preferences", &[("lang", "fr")], None).await;
    assert_eq!(lang.status, StatusCode::OK, "{}", lang.body);
    assert_eq!(lang.json()["prefs"]["lang"], "Fr");
    assert_eq!(lang.cookie("lang").as_deref(), Some("lang=fr"));
    for bad in [("theme", "neon"), ("lang", "tlh")] {
        let refused = app.call("/api/preferences", &[bad], None).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad:?}");
        assert_eq!(refused.json()["Invalid"][0]["field"], bad.0);
        assert!(refused.cookie(bad.0).is_none());
    }
}

#[tokio::test]
async fn every_account_page_is_translated() {
    let app = TestApp::new().await;
    let cookie = app.sign_up("alice", "alice@example.com", PASSWORD).await;
    // Signed in, the language saved on the account wins over the browser's cookie.
    let english = app.get("/account", Some(&format!("{cookie}; lang=fr"))).await;
    assert!(english.body.contains("Basic information"));
    app.call("/api/preferences", &[("lang", "fr")], Some(&cookie)).await;
    let page = app.get("/account", Some(&cookie)).await;
    for text in [
        "Paramètres du compte",
        "Informations générales",
        "Membre depuis",
        "Se déconnecter",
    ] {
        assert!(page.body.contains(text), "{text}");
    }
    for english in ["User settings", "Basic information", "Member since", "Sign out"] {
        assert!(!page.body.contains(english), "{english} left in French page");
    }
}

#[tokio::test]
async fn healthz_answers_when_the_database_does() {
    let app = TestApp::new().await;
    let ok = app.get("/healthz", None).await;
    assert_eq!(ok.status, StatusCode::OK);
    assert_eq!(ok.body, r#"{"status":"ok"}"#);
    app.state.db.pool.close().await;
    assert_eq!(app.get("/healthz", None).await.status, StatusCode::SERVICE_UNAVAILABLE);
}
