//! Sign-in and sign-up under attack: parallel guesses, lock-outs of the owner, sign-up floods,
//! oversized input (issue 7's review, each finding with the test that failed before its fix).

use crate::support::{TestApp, PASSWORD};
use http::StatusCode;

const ATTACKER: &str = "198.51.100.9";

/// The device cookie (`name=value`) a successful sign-in handed to the browser.
fn device_cookie(reply: &crate::support::Reply) -> String {
    reply
        .cookie("vestibule_device")
        .expect("a sign-in sets a device cookie")
}

#[tokio::test]
async fn parallel_wrong_passwords_are_counted_before_any_is_checked() {
    let app = std::sync::Arc::new(TestApp::new().await);
    app.sign_up("alice", "alice@example.com", PASSWORD).await;
    let guesses: Vec<_> = (0..32)
        .map(|n| {
            let app = app.clone();
            tokio::spawn(async move {
                let password = format!("wrong guess {n}");
                app.post_form_from("/login", &[("login", "alice"), ("password", &password)], None, ATTACKER)
                    .await
                    .status
            })
        })
        .collect();
    for guess in guesses {
        // Verified or met by the account's pause, a guess gets a wrong password's answer,
        // until the guessing address itself is refused.
        let status = guess.await.unwrap();
        assert!(
            matches!(status, StatusCode::UNAUTHORIZED | StatusCode::TOO_MANY_REQUESTS),
            "unexpected {status}"
        );
    }
    // The policy allows five failures per account: no more were ever verified; the others
    // met the pause (and say so on the owner's Timeline). Fewer than five happen about one
    // run in six on 2 cores (measured on this test as it stood before, too): how many of the
    // parallel guesses reach the hash before the account pauses is up to the race. It can
    // only refuse more, never let one more through, which is what is checked.
    let verified = app
        .count("SELECT COUNT(*) FROM account_events WHERE type = 'login_failure' AND data NOT LIKE '%paused%'")
        .await;
    assert!((1..=5).contains(&verified), "{verified} guesses verified");
}

#[tokio::test]
async fn a_browser_that_signed_in_before_gets_through_a_block_on_its_address() {
    let app = TestApp::new().await;
    app.sign_up("alice", "alice@example.com", PASSWORD).await;
    let earlier = app
        .post_form_from("/login", &[("login", "alice"), ("password", PASSWORD)], None, ATTACKER)
        .await;
    assert_eq!(earlier.status, StatusCode::SEE_OTHER);
    let device = device_cookie(&earlier);
    // Someone behind the same address guesses at alice until the account and address block.
    for _ in 0..20 {
        app.post_form_from("/login", &[("login", "alice"), ("password", "nope")], None, ATTACKER)
            .await;
    }
    let stranger = app
        .post_form_from("/login", &[("login", "alice"), ("password", PASSWORD)], None, ATTACKER)
        .await;
    assert_eq!(stranger.status, StatusCode::TOO_MANY_REQUESTS, "a new browser waits");
    let owner = app
        .post_form_from(
            "/login",
            &[("login", "alice"), ("password", PASSWORD)],
            Some(&device),
            ATTACKER,
        )
        .await;
    assert_eq!(
        owner.status,
        StatusCode::SEE_OTHER,
        "alice's own browser is let through"
    );
}

#[tokio::test]
async fn a_device_cookie_is_limited_too_and_only_for_its_own_account() {
    let app = TestApp::new().await;
    app.sign_up("alice", "alice@example.com", PASSWORD).await;
    app.sign_up("bob", "bob@example.com", PASSWORD).await;
    let device = device_cookie(&app.sign_in("alice", PASSWORD).await);
    for _ in 0..5 {
        let reply = app
            .post_form_from(
                "/login",
                &[("login", "alice"), ("password", "nope")],
                Some(&device),
                ATTACKER,
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    }
    let after = app
        .post_form_from(
            "/login",
            &[("login", "alice"), ("password", PASSWORD)],
            Some(&device),
            ATTACKER,
        )
        .await;
    assert_eq!(after.status, StatusCode::TOO_MANY_REQUESTS);
    // Alice's device cookie means nothing for bob: his guesses count on account and address.
    for _ in 0..5 {
        app.post_form_from(
            "/login",
            &[("login", "bob"), ("password", "nope")],
            Some(&device),
            ATTACKER,
        )
        .await;
    }
    let bob = app
        .post_form_from(
            "/login",
            &[("login", "bob"), ("password", PASSWORD)],
            Some(&device),
            ATTACKER,
        )
        .await;
    // Bob's account is paused, which is answered like a wrong password.
    assert_eq!(bob.status, StatusCode::UNAUTHORIZED);
    assert!(bob.session_cookie().is_none());
}

#[tokio::test]
async fn sign_ups_are_limited_per_address() {
    let app = TestApp::with_env(&[("VESTIBULE_SIGNUPS_PER_HOUR", "3")]).await;
    for n in 0..3 {
        let name = format!("user{n}");
        let reply = app
            .post_form_from(
                "/signup",
                &[
                    ("username", &name),
                    ("email", &format!("{name}@example.com")),
                    ("password", PASSWORD),
                ],
                None,
                ATTACKER,
            )
            .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    }
    // Asking whether an address is taken counts too.
    let fourth = app
        .post_form_from(
            "/signup",
            &[
                ("username", "user9"),
                ("email", "user0@example.com"),
                ("password", PASSWORD),
            ],
            None,
            ATTACKER,
        )
        .await;
    assert_eq!(fourth.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(fourth.header("retry-after").parse::<i64>().unwrap() > 0);
    assert!(fourth.body.contains("Too many"), "{}", fourth.body);
    assert!(fourth.body.contains("user9"), "what was typed is kept");
    assert_eq!(app.count("SELECT COUNT(*) FROM signup_requests").await, 3);
    // Another address is not affected.
    let elsewhere = app
        .post_form_from(
            "/signup",
            &[
                ("username", "carol"),
                ("email", "carol@example.com"),
                ("password", PASSWORD),
            ],
            None,
            "192.0.2.44",
        )
        .await;
    assert_eq!(elsewhere.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn an_absurdly_long_login_is_an_ordinary_failure() {
    let app = TestApp::new().await;
    let login = "a".repeat(20_000);
    let reply = app.sign_in(&login, "whatever").await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert!(!reply.body.contains(&login), "the form does not echo 20 kB back");
}

#[tokio::test]
async fn ipv6_guesses_are_counted_per_64_block() {
    let app = TestApp::new().await;
    for n in 0..20 {
        let ip = format!("2001:db8:1:2::{n:x}");
        let login = format!("guess{n}");
        app.post_form_from("/login", &[("login", &login), ("password", "x")], None, &ip)
            .await;
    }
    let same_block = app
        .post_form_from(
            "/login",
            &[("login", "other"), ("password", "x")],
            None,
            "2001:db8:1:2::ffff",
        )
        .await;
    assert_eq!(same_block.status, StatusCode::TOO_MANY_REQUESTS);
    let next_block = app
        .post_form_from(
            "/login",
            &[("login", "other"), ("password", "x")],
            None,
            "2001:db8:1:3::1",
        )
        .await;
    assert_eq!(next_block.status, StatusCode::UNAUTHORIZED);
}
