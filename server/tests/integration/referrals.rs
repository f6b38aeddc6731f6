//! Referrals: the link counts clicks per browser per day, keeps the first referrer for 30 days
//! and through a confirmation from another browser; a referee's paid invoices earn the
//! referrer 20 % (excluding VAT) during their first 12 months, once per invoice.

use crate::billing::SELLER;
use crate::http_api::{api, bearer, tab_token};
use crate::support::{new_user, TestApp, TestDb, PASSWORD};
use http::StatusCode;
use server::billing::money::Month;
use server::billing::run::run_month;
use server::db::billing::{self as store, invoices};
use server::db::events::Actor;
use server::db::referrals;

const DECEMBER: i64 = 1_796_558_400;

async fn referral_path(app: &TestApp, cookie: &str) -> String {
    let overview = app.call("/api/account/referrals", &[], Some(cookie)).await;
    assert_eq!(overview.status, StatusCode::OK, "{}", overview.body);
    let url = overview.json()["url"].as_str().unwrap().to_string();
    let path = url.split_once("/r/").map(|(_, code)| format!("/r/{code}")).unwrap();
    assert!(url.starts_with("http"), "absolute: {url}");
    path
}

async fn stats(app: &TestApp, cookie: &str) -> (i64, i64, i64) {
    let o = app.call("/api/account/referrals", &[], Some(cookie)).await.json();
    (
        o["clicks"].as_i64().unwrap(),
        o["signups"].as_i64().unwrap(),
        o["earned_cents"].as_i64().unwrap(),
    )
}

#[tokio::test]
async fn a_referral_link_counts_clicks_and_attributes_the_sign_up_even_confirmed_elsewhere() {
    let app = TestApp::new().await;
    let alice = app.sign_up("alice", "alice@example.com", PASSWORD).await;
    let bob = app.sign_up("bob", "bob@example.com", PASSWORD).await;
    let link = referral_path(&app, &alice).await;
    assert_eq!(referral_path(&app, &alice).await, link, "one code per account");
    let bobs_link = referral_path(&app, &bob).await;

    let first = app.get(&link, None).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER);
    assert_eq!(first.location(), "/signup");
    let referrer = first.cookie("vestibule_referrer").unwrap();
    // Lax: the cookie must come back after arriving from another site's link.
    let set_cookies: Vec<&str> = first
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|c| c.to_str().unwrap())
        .collect();
    assert!(
        set_cookies.iter().all(|c| c.contains("SameSite=Lax")),
        "{set_cookies:?}"
    );
    let seen = first.cookie("vestibule_referral_seen").unwrap();
    assert!(
        first.header("set-cookie").contains("Max-Age=2592000") || {
            first
                .headers
                .get_all("set-cookie")
                .iter()
                .any(|c| c.to_str().unwrap().contains("Max-Age=2592000"))
        }
    );
    // The same browser the same day: not counted again, and the first referrer stays.
    let again = app.get(&link, Some(&format!("{seen}; {referrer}"))).await;
    assert_eq!(again.cookie("vestibule_referrer"), None);
    let other_link = app.get(&bobs_link, Some(&referrer)).await;
    assert_eq!(other_link.cookie("vestibule_referrer"), None, "first click wins");
    // Another browser counts; the owner's own clicks do not.
    app.get(&link, None).await;
    let own = app.get(&link, Some(&alice)).await;
    assert_eq!(own.cookie("vestibule_referrer"), None);
    assert_eq!(stats(&app, &alice).await, (2, 0, 0));
    let unknown = app.get("/r/zzzzzzzzzz", None).await;
    assert_eq!(
        (unknown.status, unknown.cookie("vestibule_referrer")),
        (StatusCode::SEE_OTHER, None)
    );
    let odd = app.get("/r/..%2F..%2Fetc", None).await;
    assert!(odd.status == StatusCode::SEE_OTHER || odd.status == StatusCode::NOT_FOUND);

    // Carol signs up in the browser that followed the link, and confirms on another device.
    let form = [
        ("username", "carol"),
        ("email", "carol@example.com"),
        ("password", PASSWORD),
        ("next", ""),
    ];
    let sent = app.post_form("/signup", &form, Some(&referrer)).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let token = app.mailed_token("carol@example.com", "/signup/confirm").await;
    let confirmed = app
        .post_form("/signup/confirm", &[("token", &token), ("password", PASSWORD)], None)
        .await;
    assert_eq!(confirmed.status, StatusCode::SEE_OTHER, "{}", confirmed.body);
    assert_eq!(stats(&app, &alice).await, (2, 1, 0));
    assert_eq!(stats(&app, &bob).await.1, 0);
    let page = app.get("/account/referrals", Some(&alice)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("c***l"), "{}", page.body);
    assert!(!page.body.contains("carol"), "the referee's name is masked");
    // Dave signs up without the cookie: nobody's referee.
    app.sign_up("dave", "dave@example.com", PASSWORD).await;
    assert_eq!(app.count("SELECT COUNT(*) FROM referrals").await, 1);
}

#[tokio::test]
async fn a_referees_paid_invoices_earn_the_referrer_a_fifth_for_twelve_months() {
    let mut targets = vec![(TestApp::with_env(&SELLER).await, None)];
    if let Some(pg) = TestDb::postgres().await {
        let app = TestApp::on_database(tempfile::tempdir().unwrap(), &pg.url, &SELLER).await;
        targets.push((app, Some(pg)));
    }
    for (app, pg) in targets {
        let db = &app.state.db;
        let actor = Actor {
            ip: None,
            user_agent: None,
        };
        let alice = new_user(db, "alice").await;
        let carol = new_user(db, "carol").await;
        let old = new_user(db, "olivia").await;
        // Sam bills to Alice's own invoice address: Alice referring herself from a second account.
        let sam = new_user(db, "sam").await;
        let same_address = app::model::BillingProfile {
            name: "A".into(),
            email: "books@alice.example".into(),
            address_line1: "1 rue".into(),
            address_city: "Paris".into(),
            address_zip: "75002".into(),
            address_country: "FR".into(),
            ..Default::default()
        };
        store::save_profile(db, &alice.id, &same_address, DECEMBER)
            .await
            .unwrap();
        store::save_profile(db, &sam.id, &same_address, DECEMBER).await.unwrap();
        let mut conn = db.pool.acquire().await.unwrap();
        // Carol signed up two months ago; Olivia fourteen months ago (her twelve months ended in October).
        referrals::attribute(&mut conn, &alice.id, &carol.id, DECEMBER - 60 * 86_400)
            .await
            .unwrap();
        referrals::attribute(&mut conn, &alice.id, &old.id, DECEMBER - 430 * 86_400)
            .await
            .unwrap();
        referrals::attribute(&mut conn, &alice.id, &alice.id, DECEMBER)
            .await
            .unwrap();
        referrals::attribute(&mut conn, &alice.id, &sam.id, DECEMBER - 60 * 86_400)
            .await
            .unwrap();
        drop(conn);
        let november = Month::parse("2026-11").unwrap();
        for (user, app_name) in [("carol", "carol-web"), ("olivia", "olivia-web"), ("sam", "sam-web")] {
            server::cli::create_app(db, user, app_name).await.unwrap();
            invoices::record_usage(db, app_name, november, 743, DECEMBER)
                .await
                .unwrap();
        }
        for id in [&carol.id, &old.id, &sam.id] {
            store::add_operator_credit(db, id, 5000, "Bank transfer", &actor, DECEMBER)
                .await
                .unwrap();
        }
        let summary = run_month(db, &app.state.config, november, DECEMBER).await.unwrap();
        assert_eq!((summary.paid, summary.referral_credits), (3, 1), "{}", app.backend());
        let mut conn = db.pool.acquire().await.unwrap();
        // 20 % of 7.43 € excluding VAT is 1.486 €: 1.49 €, as credit.
        assert_eq!(store::credit(&mut conn, &alice.id).await.unwrap(), 149);
        let entries = store::ledger_page(&mut conn, &alice.id, 10, 0).await.unwrap();
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].source, app::model::OperationSource::Referral);
        assert!(
            entries[0].description.starts_with("c***l"),
            "{}",
            entries[0].description
        );
        let referees = referrals::referees(&mut conn, &alice.id).await.unwrap();
        let earned: Vec<(String, i64)> = referees
            .iter()
            .map(|r| (r.masked_name.clone(), r.earned_cents))
            .collect();
        assert_eq!(
            earned,
            [
                ("c***l".to_string(), 149),
                ("s***m".to_string(), 0),
                ("o***a".to_string(), 0)
            ]
        );
        drop(conn);
        // Again, and in parallel: never credited twice.
        let (a, b) = tokio::join!(
            run_month(db, &app.state.config, november, DECEMBER + 1),
            referrals::credit_referrers(db, november, &actor, DECEMBER + 1),
        );
        assert_eq!(a.unwrap().referral_credits + b.unwrap(), 0);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM billing_ledger WHERE source = 'referral'")
                .await,
            1
        );
        if let Some(pg) = pg {
            pg.finish().await;
        }
    }
}

#[tokio::test]
async fn the_api_reports_referral_stats_and_the_users_referral_url() {
    let app = TestApp::new().await;
    let cookie = app.sign_up("alice", "alice@example.com", PASSWORD).await;
    let link = referral_path(&app, &cookie).await;
    app.get(&link, None).await;
    let secret = tab_token(&app, &cookie, "ci").await;
    let auth = bearer(&app, &secret).await;
    let reply = api(&app, "GET", "/v1/account/referrals/stats", &auth, None).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let body = reply.json();
    assert_eq!(body["referral_stats"]["clicks"], 1);
    assert_eq!(body["referral_stats"]["signups"], 0);
    assert_eq!(body["referral_stats"]["amount_earned"], 0);
    assert!(body["referral_stats"]["url"].as_str().unwrap().ends_with(&link));
    let me = api(&app, "GET", "/v1/users/self", &auth, None).await.json();
    assert!(me["user"]["referral_url"].as_str().unwrap().ends_with(&link));
}
