//! Passkeys over HTTP with a software authenticator: adding one on the Authentication tab,
//! signing in with it alone, and the answers that must be refused: another origin, a replayed
//! answer, an old assertion for a new challenge, a counter gone backwards, an unknown passkey.

use crate::http_authentication::{close_window, enable_two_factor, overview};
use crate::soft_authenticator::SoftAuthenticator;
use crate::support::{Reply, TestApp, TestDb, PASSWORD};
use axum::body::Body;
use http::{header, Request, StatusCode};
use serde_json::{json, Value};

const ORIGIN: &str = "http://localhost:3000";

async fn app_on(pg: Option<&TestDb>) -> TestApp {
    let env = [("VESTIBULE_PUBLIC_URL", ORIGIN)];
    match pg {
        None => TestApp::with_env(&env).await,
        Some(pg) => TestApp::on_database(tempfile::tempdir().unwrap(), &pg.url, &env).await,
    }
}

/// A JSON post from the sign-in page's script.
async fn post_json(app: &TestApp, path: &str, body: &Value) -> Reply {
    post_json_with(app, path, body, None).await
}

async fn post_json_with(app: &TestApp, path: &str, body: &Value, cookie: Option<&str>) -> Reply {
    let mut request = Request::post(path);
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    let request = request
        .header(header::CONTENT_TYPE, "application/json")
        .header("sec-fetch-site", "same-origin")
        .header("x-forwarded-for", "203.0.113.9")
        .header(header::USER_AGENT, "integration-test")
        .body(Body::from(body.to_string()))
        .unwrap();
    app.send(request).await
}

/// Adds a passkey named `name` from `authenticator` through the tab's server functions.
async fn add_passkey(
    app: &TestApp,
    cookie: &str,
    authenticator: &mut SoftAuthenticator,
    name: &str,
    origin: &str,
) -> Reply {
    let begun = app.call("/api/account/passkeys/begin", &[], Some(cookie)).await;
    assert_eq!(begun.status, StatusCode::OK, "{}", begun.body);
    let ceremony = begun.json()["ceremony"].as_str().unwrap().to_string();
    let options: Value = serde_json::from_str(begun.json()["options"].as_str().unwrap()).unwrap();
    assert_eq!(options["authenticatorSelection"]["residentKey"], "required");
    let credential = authenticator.register(&options, origin).to_string();
    let fields = [
        ("ceremony", ceremony.as_str()),
        ("passkey_name", name),
        ("credential", credential.as_str()),
    ];
    app.call("/api/account/passkeys/finish", &fields, Some(cookie)).await
}

/// A fresh challenge from the sign-in page: (its sealed cookie, options).
async fn sign_in_challenge(app: &TestApp) -> (String, Value) {
    let begun = post_json(app, "/login/passkey/begin", &json!({})).await;
    assert_eq!(begun.status, StatusCode::OK, "{}", begun.body);
    let cookie = begun
        .cookie("vestibule_passkey")
        .expect("the challenge travels in a cookie");
    (cookie, begun.json()["options"].clone())
}

async fn finish(app: &TestApp, challenge: &str, credential: &Value) -> Reply {
    let body = json!({ "ceremony": "", "credential": credential, "next": "/account/keys" });
    post_json_with(app, "/login/passkey/finish", &body, Some(challenge)).await
}

#[tokio::test]
async fn a_passkey_is_added_then_signs_in_alone_once_per_challenge() {
    let mut pgs = vec![None];
    if let Some(pg) = TestDb::postgres().await {
        pgs.push(Some(pg));
    }
    for pg in pgs {
        let app = app_on(pg.as_ref()).await;
        let db = app.backend();
        let cookie = app.sign_up("alice", "alice@example.com", PASSWORD).await;
        let mut phone = SoftAuthenticator::new();

        // Another origin's answer is refused, nothing stored.
        let forged = add_passkey(&app, &cookie, &mut phone, "Phone", "http://evil.test").await;
        assert_eq!(forged.status, StatusCode::CONFLICT, "{db}: {}", forged.body);
        assert_eq!(app.count("SELECT COUNT(*) FROM passkeys").await, 0);
        // A name is required, before the ceremony is spent.
        let nameless = add_passkey(&app, &cookie, &mut phone, "  ", ORIGIN).await;
        assert_eq!(
            nameless.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{db}: {}",
            nameless.body
        );

        let added = add_passkey(&app, &cookie, &mut phone, "Phone", ORIGIN).await;
        assert_eq!(added.status, StatusCode::OK, "{db}: {}", added.body);
        assert_eq!(added.json()["what"], "PasskeyAddedNotice");
        let page = app.get("/account/authorization", Some(&cookie)).await;
        assert!(page.body.contains("Phone"), "{db}");
        assert!(
            page.body.contains("On one device"),
            "{db}: the kind the browser reported"
        );

        // Signed out, the passkey alone opens a session, and the answer says where to go.
        let (ceremony, options) = sign_in_challenge(&app).await;
        assert_eq!(options["rpId"], "localhost");
        assert_eq!(options["userVerification"], "required");
        let answer = phone.assert(&options, ORIGIN);
        let signed_in = finish(&app, &ceremony, &answer).await;
        assert_eq!(signed_in.status, StatusCode::OK, "{db}: {}", signed_in.body);
        assert_eq!(signed_in.json()["redirect"], "/account/keys");
        let session = signed_in.session_cookie().expect("a session cookie");
        let keys = app.get("/account/keys", Some(&session)).await;
        assert_eq!(keys.status, StatusCode::OK, "{db}");
        let timeline = app.get("/account/timeline", Some(&session)).await;
        assert!(timeline.body.contains("Signed in with a passkey (Phone)"), "{db}");
        assert!(timeline.body.contains("Passkey added: Phone"), "{db}");

        // The same answer again: its challenge is spent.
        let replayed = finish(&app, &ceremony, &answer).await;
        assert_eq!(replayed.status, StatusCode::BAD_REQUEST, "{db}: {}", replayed.body);
        assert!(replayed.session_cookie().is_none());
        // The old answer for a new challenge (an older tab's): signed over the wrong one.
        let (fresh, _) = sign_in_challenge(&app).await;
        let stale = finish(&app, &fresh, &answer).await;
        assert_eq!(stale.status, StatusCode::BAD_REQUEST, "{db}: {}", stale.body);
        assert!(stale.json()["error"].as_str().unwrap().contains("expired"), "{db}");
        assert!(stale.session_cookie().is_none());
        // Another origin's assertion.
        let (ceremony, options) = sign_in_challenge(&app).await;
        let elsewhere = finish(&app, &ceremony, &phone.assert(&options, "http://evil.test")).await;
        assert_eq!(elsewhere.status, StatusCode::UNAUTHORIZED, "{db}: {}", elsewhere.body);
        // A copy of the authenticator whose counter is behind the original's.
        let (ceremony, options) = sign_in_challenge(&app).await;
        assert_eq!(
            finish(&app, &ceremony, &phone.assert(&options, ORIGIN)).await.status,
            StatusCode::OK
        );
        phone.counter = 0;
        let (ceremony, options) = sign_in_challenge(&app).await;
        let cloned = finish(&app, &ceremony, &phone.assert(&options, ORIGIN)).await;
        assert_eq!(cloned.status, StatusCode::UNAUTHORIZED, "{db}: {}", cloned.body);
        assert!(
            cloned.json()["error"].as_str().unwrap().contains("copied"),
            "{}",
            cloned.body
        );
        // Without the challenge's cookie, or with one this server did not seal: nothing to answer.
        let (_, options) = sign_in_challenge(&app).await;
        let bare = post_json(
            &app,
            "/login/passkey/finish",
            &json!({"ceremony": "", "credential": phone.assert(&options, ORIGIN)}),
        )
        .await;
        assert_eq!(bare.status, StatusCode::BAD_REQUEST, "{db}: {}", bare.body);
        let forged = finish(&app, "vestibule_passkey=v1.AAAA", &phone.assert(&options, ORIGIN)).await;
        assert_eq!(forged.status, StatusCode::BAD_REQUEST, "{db}: {}", forged.body);
        // Asking for challenges writes nothing: a flood of them fills no table.
        let before = app.count("SELECT COUNT(*) FROM passkey_ceremonies").await;
        for _ in 0..50 {
            sign_in_challenge(&app).await;
        }
        assert_eq!(
            app.count("SELECT COUNT(*) FROM passkey_ceremonies").await,
            before,
            "{db}"
        );
        // A passkey this server never registered.
        let mut stranger = SoftAuthenticator::new();
        stranger.user_handle = uuid::Uuid::new_v4().as_bytes().to_vec();
        let (ceremony, options) = sign_in_challenge(&app).await;
        let unknown = finish(&app, &ceremony, &stranger.assert(&options, ORIGIN)).await;
        assert_eq!(unknown.status, StatusCode::UNAUTHORIZED, "{db}: {}", unknown.body);
        assert!(unknown.json()["error"].as_str().unwrap().contains("not registered"));

        // The same authenticator cannot be added twice; removing it ends its sign-ins.
        let again = add_passkey(&app, &cookie, &mut phone, "Phone again", ORIGIN).await;
        assert_eq!(again.status, StatusCode::CONFLICT, "{db}: {}", again.body);
        let id = app.count("SELECT COUNT(*) FROM passkeys").await;
        assert_eq!(id, 1);
        drop(app);
        if let Some(pg) = pg {
            pg.finish().await;
        }
    }
}

#[tokio::test]
async fn removing_a_passkey_needs_the_window_and_ends_its_sign_ins() {
    let app = app_on(None).await;
    let cookie = app.sign_up("alice", "alice@example.com", PASSWORD).await;
    let mut key = SoftAuthenticator::new();
    assert_eq!(
        add_passkey(&app, &cookie, &mut key, "Key", ORIGIN).await.status,
        StatusCode::OK
    );
    // The same answer posted twice at once: one session, not two.
    let (challenge, options) = sign_in_challenge(&app).await;
    let answer = key.assert(&options, ORIGIN);
    let (first, second) = tokio::join!(finish(&app, &challenge, &answer), finish(&app, &challenge, &answer));
    let sessions = [&first, &second].iter().filter(|r| r.status == StatusCode::OK).count();
    assert_eq!(sessions, 1, "{} / {}", first.body, second.body);
    let page = app.get("/account/authorization", Some(&cookie)).await;
    let at = page.body.find(r#"name="id" value=""#).expect("the remove form");
    let id: String = page.body[at + 17..].chars().take_while(|c| *c != '"').collect();
    // Renamed (no window needed); an empty name is refused for the whole form.
    let blank = app
        .call(
            "/api/account/passkeys/rename",
            &[("id", &id), ("passkey_name", " ")],
            Some(&cookie),
        )
        .await;
    assert_eq!(blank.status, StatusCode::CONFLICT, "{}", blank.body);
    let renamed = app
        .call(
            "/api/account/passkeys/rename",
            &[("id", &id), ("passkey_name", "Blue key")],
            Some(&cookie),
        )
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.body);
    assert!(app
        .get("/account/authorization", Some(&cookie))
        .await
        .body
        .contains("Blue key"));
    // Someone else's session cannot remove it.
    let bob = app.sign_up("bob", "bob@example.com", PASSWORD).await;
    let theirs = app
        .call("/api/account/passkeys/remove", &[("id", &id)], Some(&bob))
        .await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND, "{}", theirs.body);
    let removed = app
        .call("/api/account/passkeys/remove", &[("id", &id)], Some(&cookie))
        .await;
    assert_eq!(removed.status, StatusCode::OK, "{}", removed.body);
    let (ceremony, options) = sign_in_challenge(&app).await;
    let refused = finish(&app, &ceremony, &key.assert(&options, ORIGIN)).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    let timeline = app.get("/account/timeline", Some(&cookie)).await;
    assert!(timeline.body.contains("Passkey removed: Blue key"));
}

#[tokio::test]
async fn a_server_reached_by_address_says_passkeys_are_off() {
    let app = TestApp::new().await;
    let cookie = app.sign_up("alice", "alice@example.com", PASSWORD).await;
    let page = app.get("/account/authorization", Some(&cookie)).await;
    assert!(page.body.contains("Passkeys are not available on this server."));
    let begun = app.call("/api/account/passkeys/begin", &[], Some(&cookie)).await;
    assert_eq!(begun.status, StatusCode::CONFLICT);
    let sign_in = post_json(&app, "/login/passkey/begin", &json!({})).await;
    assert_eq!(sign_in.status, StatusCode::NOT_FOUND);
    assert!(sign_in.json()["error"].is_string());
}

#[tokio::test]
async fn a_passkey_confirms_it_is_you_and_stands_in_for_the_code() {
    let app = app_on(None).await;
    let cookie = app.sign_up("alice", "alice@example.com", PASSWORD).await;
    let mut phone = SoftAuthenticator::new();
    assert_eq!(
        add_passkey(&app, &cookie, &mut phone, "Phone", ORIGIN).await.status,
        StatusCode::OK
    );

    // "Confirm it's you" with the passkey instead of the password.
    close_window(&app).await;
    assert!(overview(&app, &cookie).await["reauth_until"].is_null());
    let begun = app
        .call("/api/account/passkeys/confirm/begin", &[], Some(&cookie))
        .await;
    assert_eq!(begun.status, StatusCode::OK, "{}", begun.body);
    let ceremony = begun.json()["ceremony"].as_str().unwrap().to_string();
    let options: Value = serde_json::from_str(begun.json()["options"].as_str().unwrap()).unwrap();
    assert_eq!(options["allowCredentials"].as_array().map(Vec::len), Some(1));
    let answer = phone.assert(&options, ORIGIN).to_string();
    // Another account's session cannot use this ceremony.
    let bob = app.sign_up("bob", "bob@example.com", PASSWORD).await;
    let fields = [("ceremony", ceremony.as_str()), ("credential", answer.as_str())];
    let theirs = app
        .call("/api/account/passkeys/confirm/finish", &fields, Some(&bob))
        .await;
    assert_eq!(theirs.status, StatusCode::CONFLICT, "{}", theirs.body);
    // That try spent the ceremony: a new one for alice.
    let begun = app
        .call("/api/account/passkeys/confirm/begin", &[], Some(&cookie))
        .await;
    let ceremony = begun.json()["ceremony"].as_str().unwrap().to_string();
    let options: Value = serde_json::from_str(begun.json()["options"].as_str().unwrap()).unwrap();
    let answer = phone.assert(&options, ORIGIN).to_string();
    let fields = [("ceremony", ceremony.as_str()), ("credential", answer.as_str())];
    let confirmed = app
        .call("/api/account/passkeys/confirm/finish", &fields, Some(&cookie))
        .await;
    assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.body);
    // A new session id, as after the password.
    let cookie = confirmed.session_cookie().expect("the session id is renewed");
    assert!(overview(&app, &cookie).await["reauth_until"].is_object());
    let timeline = app.get("/account/timeline", Some(&cookie)).await;
    assert!(timeline.body.contains("Identity confirmed with a passkey (Phone)"));

    // With a second factor on, the passkey answers sign-in's second step instead of a code.
    enable_two_factor(&app, &cookie).await;
    let first = app.sign_in("alice", PASSWORD).await;
    // The code step is told the account has a passkey, and offers it (a wrong code keeps it).
    assert_eq!(first.location(), "/login/code?passkey=1");
    let challenge = first.cookie("vestibule_challenge").expect("a challenge cookie");
    let page = app.get("/login/code?passkey=1", Some(&challenge)).await;
    assert!(page.body.contains(r#"name="passkey" value="1""#), "{}", page.body);
    let wrong = app
        .post_form(
            "/login/code",
            &[("code", "000000"), ("next", ""), ("passkey", "1")],
            Some(&challenge),
        )
        .await;
    assert!(wrong.body.contains(r#"name="passkey" value="1""#), "{}", wrong.body);
    let no_challenge = post_json(&app, "/login/code/passkey/begin", &json!({})).await;
    assert_eq!(no_challenge.status, StatusCode::BAD_REQUEST);
    let begun = post_json_with(&app, "/login/code/passkey/begin", &json!({}), Some(&challenge)).await;
    assert_eq!(begun.status, StatusCode::OK, "{}", begun.body);
    let body = begun.json();
    let answer = phone.assert(&body["options"], ORIGIN);
    let finish_body = json!({ "ceremony": body["ceremony"], "credential": answer, "next": "" });
    let signed_in = post_json_with(&app, "/login/code/passkey/finish", &finish_body, Some(&challenge)).await;
    assert_eq!(signed_in.status, StatusCode::OK, "{}", signed_in.body);
    assert_eq!(signed_in.json()["redirect"], "/account");
    let session = signed_in.session_cookie().expect("a session");
    assert_eq!(app.get("/account/keys", Some(&session)).await.status, StatusCode::OK);
    // The challenge is answered: neither the passkey nor a code can use it again.
    let again = post_json_with(&app, "/login/code/passkey/begin", &json!({}), Some(&challenge)).await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_owner_is_told_of_a_new_passkey_and_the_mail_can_remove_it() {
    let app = app_on(None).await;
    let cookie = app.sign_up("alice", "alice@example.com", PASSWORD).await;
    let mut intruder = SoftAuthenticator::new();
    assert_eq!(
        add_passkey(&app, &cookie, &mut intruder, "Not mine", ORIGIN)
            .await
            .status,
        StatusCode::OK
    );
    let subjects = app.mail_texts("alice@example.com", "A new passkey was added").await;
    assert_eq!(subjects.len(), 1, "one mail to the owner");
    assert!(subjects[0].contains("Not mine"));
    // "It was not me": every session ends and the passkey goes with them.
    let token = app.mailed_token("alice@example.com", "/security/report").await;
    let reported = app.post_form("/security/report", &[("token", &token)], None).await;
    assert_eq!(reported.location(), "/security/report?done=1&passkey=removed");
    let page = app.get("/security/report?done=1&passkey=removed", None).await;
    assert!(page.body.contains("The passkey the e-mail was about was removed."));
    assert_eq!(app.count("SELECT COUNT(*) FROM passkeys").await, 0);
    let (ceremony, options) = sign_in_challenge(&app).await;
    let refused = finish(&app, &ceremony, &intruder.assert(&options, ORIGIN)).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_password_reset_removes_every_passkey() {
    // Someone who had the password (or a session inside its window) may have added one: the
    // reset that takes the account back must not leave it a way in.
    let app = app_on(None).await;
    let cookie = app.sign_up("alice", "alice@example.com", PASSWORD).await;
    let mut intruder = SoftAuthenticator::new();
    assert_eq!(
        add_passkey(&app, &cookie, &mut intruder, "Mine now", ORIGIN)
            .await
            .status,
        StatusCode::OK
    );
    let asked = app
        .post_form("/password/forgot", &[("email", "alice@example.com")], None)
        .await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER, "{}", asked.body);
    let token = app.mailed_token("alice@example.com", "/password/reset").await;
    let fields = [
        ("token", token.as_str()),
        ("password", "a brand new passphrase"),
        ("confirm", "a brand new passphrase"),
    ];
    let reset = app.post_form("/password/reset", &fields, None).await;
    assert!(reset.status.is_redirection(), "{} {}", reset.status, reset.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM passkeys").await, 0);
    let (challenge, options) = sign_in_challenge(&app).await;
    let refused = finish(&app, &challenge, &intruder.assert(&options, ORIGIN)).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
}
