//! Payment through Stripe, against `localstripe` (started per test on a free port; installed by
//! `scripts/install-tools --test`): cards and SEPA mandates added, a declined card and a failing
//! charge shown clearly, credit bought, a month paid in each order of the rules, webhooks
//! verified before they change anything, and parallel purchases and runs.

use crate::billing::SELLER;
use crate::support::{new_user, TestApp, TestDb, PASSWORD};
use http::StatusCode;
use server::billing::money::Month;
use server::billing::run::run_month;
use server::billing::webhook_signature::sign_webhook;
use server::db::billing::{self as store, invoices};
use server::db::events::Actor;
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const WEBHOOK_SECRET: &str = "whsec_vestibule_tests";
const DECEMBER: i64 = 1_796_558_400;

/// A localstripe process, stopped when dropped.
pub struct LocalStripe {
    child: Child,
    pub url: String,
}

impl Drop for LocalStripe {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl LocalStripe {
    pub async fn start() -> LocalStripe {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new("localstripe")
            .args(["--port", &port.to_string(), "--from-scratch"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("localstripe is installed (scripts/install-tools --test): {e}"));
        let url = format!("http://127.0.0.1:{port}");
        let server = LocalStripe { child, url };
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
                return server;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("localstripe did not start on port {port}");
    }

    /// The server's settings for this stand-in.
    pub fn env(&self) -> Vec<(String, String)> {
        let mut env: Vec<(String, String)> = SELLER.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        env.extend([
            ("VESTIBULE_STRIPE_SECRET_KEY".into(), "sk_test_vestibule".into()),
            ("VESTIBULE_STRIPE_PUBLISHABLE_KEY".into(), "pk_test_vestibule".into()),
            ("VESTIBULE_STRIPE_API_URL".into(), self.url.clone()),
            (
                "VESTIBULE_STRIPE_JS_URL".into(),
                format!("{}/js.stripe.com/v3/", self.url),
            ),
            ("VESTIBULE_STRIPE_WEBHOOK_SECRET".into(), WEBHOOK_SECRET.into()),
            ("VESTIBULE_SEPA_CREDITOR_ID".into(), "FR72ZZZ123456".into()),
        ]);
        env
    }

    /// What Stripe.js does in the page to confirm a card for a SetupIntent: the test plays the
    /// browser's part against localstripe's endpoint.
    pub async fn confirm_card(&self, client_secret: &str, number: &str) -> Result<String, String> {
        let intent = client_secret.split("_secret_").next().unwrap();
        let body = serde_json::json!({
            "key": "pk_test_vestibule",
            "client_secret": client_secret,
            "payment_method_data": {"type": "card", "card": {
                "number": number, "exp_month": "12", "exp_year": "2030", "cvc": "123"}},
        });
        let reply = reqwest::Client::new()
            .post(format!("{}/v1/setup_intents/{intent}/confirm", self.url))
            .json(&body)
            .send()
            .await
            .unwrap();
        if reply.status().is_success() {
            Ok(intent.to_string())
        } else {
            Err(reply.text().await.unwrap())
        }
    }
}

async fn app_on(stripe: &LocalStripe, url: Option<&str>) -> TestApp {
    let env = stripe.env();
    let pairs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    match url {
        None => TestApp::with_env(&pairs).await,
        Some(url) => TestApp::on_database(tempfile::tempdir().unwrap(), url, &pairs).await,
    }
}

/// An app on SQLite, and one on a PostgreSQL database of its own when a server is configured
/// (the database is handed back, to be dropped once the app is done with).
async fn apps_on_both_databases(stripe: &LocalStripe) -> Vec<(TestApp, Option<TestDb>)> {
    let mut targets = vec![(app_on(stripe, None).await, None)];
    if let Some(pg) = TestDb::postgres().await {
        targets.push((app_on(stripe, Some(&pg.url)).await, Some(pg)));
    }
    targets
}

/// Signs in as a new user with the re-authentication window open (sign-up opens it).
async fn signed_up(app: &TestApp, name: &str) -> String {
    app.sign_up(name, &format!("{name}@example.com"), PASSWORD).await
}

/// Buys credit from a freshly read purchase form (a key of its own).
async fn buy(app: &TestApp, amount: &str, cookie: &str) -> crate::support::Reply {
    let key = uuid::Uuid::new_v4().to_string();
    buy_with_key(app, amount, &key, cookie).await
}

async fn buy_with_key(app: &TestApp, amount: &str, key: &str, cookie: &str) -> crate::support::Reply {
    app.call(
        "/api/account/billing/credit",
        &[("amount", amount), ("purchase_key", key)],
        Some(cookie),
    )
    .await
}

async fn add_card(app: &TestApp, stripe: &LocalStripe, cookie: &str, number: &str) -> crate::support::Reply {
    let begun = app.call("/api/account/billing/card/begin", &[], Some(cookie)).await;
    assert_eq!(begun.status, StatusCode::OK, "{}", begun.body);
    let secret = begun.json()["client_secret"].as_str().unwrap().to_string();
    let intent = stripe.confirm_card(&secret, number).await.unwrap();
    app.call(
        "/api/account/billing/card/finish",
        &[("setup_intent", &intent)],
        Some(cookie),
    )
    .await
}

#[tokio::test]
async fn cards_and_sepa_mandates_are_added_and_a_declined_card_is_said_clearly() {
    let stripe = LocalStripe::start().await;
    let app = app_on(&stripe, None).await;
    let cookie = signed_up(&app, "ada").await;

    // Only the card page lets Stripe.js in.
    let card_page = app.get("/account/billing/card", Some(&cookie)).await;
    assert_eq!(card_page.status, StatusCode::OK);
    let csp = card_page.header("content-security-policy");
    assert!(
        csp.contains("script-src 'self' 'nonce-") && csp.contains(&stripe.url),
        "{csp}"
    );
    assert!(
        csp.contains("frame-src 'self'") && csp.contains("https://hooks.stripe.com"),
        "{csp}"
    );
    let tab = app.get("/account/billing", Some(&cookie)).await;
    assert!(!tab.header("content-security-policy").contains(&stripe.url));
    assert!(!tab.header("content-security-policy").contains("frame-src"));

    let added = add_card(&app, &stripe, &cookie, "4242424242424242").await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    // A declined card is refused by Stripe in the page (Stripe.js says so): the setup never
    // succeeds, and finishing it anyway is refused without storing anything.
    let begun = app.call("/api/account/billing/card/begin", &[], Some(&cookie)).await;
    let secret = begun.json()["client_secret"].as_str().unwrap().to_string();
    let refused = stripe.confirm_card(&secret, "4000000000000002").await;
    assert!(
        refused.as_ref().is_err_and(|e| e.contains("card_declined")),
        "{refused:?}"
    );
    let intent = secret.split("_secret_").next().unwrap();
    let forced = app
        .call(
            "/api/account/billing/card/finish",
            &[("setup_intent", intent)],
            Some(&cookie),
        )
        .await;
    assert_eq!(forced.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", forced.body);
    assert!(forced.body.contains("ErrCardNotConfirmed"), "{}", forced.body);
    // Someone else's confirmed setup cannot be claimed either.
    let eve = signed_up(&app, "eve").await;
    let eves = app.call("/api/account/billing/card/begin", &[], Some(&eve)).await;
    let eves_secret = eves.json()["client_secret"].as_str().unwrap().to_string();
    let eves_intent = stripe.confirm_card(&eves_secret, "4242424242424242").await.unwrap();
    let stolen = app
        .call(
            "/api/account/billing/card/finish",
            &[("setup_intent", &eves_intent)],
            Some(&cookie),
        )
        .await;
    assert!(stolen.body.contains("ErrCardNotConfirmed"), "{}", stolen.body);

    // A wrong IBAN never reaches the provider; a right one signs a mandate.
    let bad = app
        .call(
            "/api/account/billing/sepa",
            &[
                ("iban", "FR1420041010050500013M02607"),
                ("holder", ""),
                ("accept_mandate", "yes"),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body.contains("ErrIbanInvalid") && bad.body.contains("holder"),
        "{}",
        bad.body
    );
    let unaccepted = app
        .call(
            "/api/account/billing/sepa",
            &[("iban", "FR1420041010050500013M02606"), ("holder", "Ada Lovelace")],
            Some(&cookie),
        )
        .await;
    assert!(unaccepted.body.contains("ErrMandateNotAccepted"), "{}", unaccepted.body);
    let signed = app
        .call(
            "/api/account/billing/sepa",
            &[
                ("iban", "FR14 2004 1010 0505 0001 3M02 606"),
                ("holder", "Ada Lovelace"),
                ("accept_mandate", "yes"),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(signed.status, StatusCode::OK, "{}", signed.body);

    let overview = app
        .call(
            "/api/account/billing",
            &[("invoices_page", "1"), ("history_page", "1")],
            Some(&cookie),
        )
        .await
        .json();
    let methods = overview["methods"].as_array().unwrap();
    assert_eq!(methods.len(), 2, "{overview}");
    assert_eq!(methods[0]["last4"], "4242");
    assert_eq!(methods[0]["is_default"], true, "the first method is the default");
    assert_eq!(methods[0]["expiry"], "12/2030");
    assert_eq!(methods[1]["kind"], "Sepa");
    assert_eq!(methods[1]["last4"], "2606");
    assert!(!methods[1]["mandate_reference"].as_str().unwrap().is_empty());
    let stored = app
        .count("SELECT COUNT(*) FROM payment_methods WHERE last4 = '4242'")
        .await;
    assert_eq!(stored, 1);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM account_events WHERE type = 'add_payment_method'")
            .await,
        2
    );

    // The mandate reads back as a PDF with what SEPA asks for.
    let sepa_id = methods[1]["id"].as_str().unwrap();
    let mandate = server::db::billing::methods::find_owned(
        &mut app.state.db.pool.acquire().await.unwrap(),
        &server::db::users::find_by_login(&app.state.db, "ada")
            .await
            .unwrap()
            .unwrap()
            .id,
        sepa_id,
    )
    .await
    .unwrap()
    .unwrap();
    let billing = &app.state.config.billing;
    let pdf = server::billing::mandate_pdf::mandate_pdf(&mandate, billing.seller.as_ref(), &billing.creditor_id);
    let text = pdf_extract::extract_text_from_mem(&pdf).unwrap();
    for needed in [
        &mandate.mandate_reference,
        "FR72ZZZ123456",
        "Hébergeur Exemple SAS",
        "Ada Lovelace",
        "2606",
        "récurrent",
        "8 semaines",
        "8 weeks",
        "Signé électroniquement le",
    ] {
        assert!(text.contains(needed), "{needed:?} missing from:\n{text}");
    }
    let download = app
        .get(&format!("/account/billing/mandates/{sepa_id}/pdf"), Some(&cookie))
        .await;
    assert_eq!(download.status, StatusCode::OK);
    let other = signed_up(&app, "mallory").await;
    let theirs = app
        .get(&format!("/account/billing/mandates/{sepa_id}/pdf"), Some(&other))
        .await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);

    // Make the mandate the default; remove the card.
    let default = app
        .call("/api/account/billing/method/default", &[("id", sepa_id)], Some(&cookie))
        .await;
    assert_eq!(default.status, StatusCode::OK, "{}", default.body);
    let recorded: String = sqlx::query_scalar("SELECT data FROM account_events WHERE type = 'edit_payment_method'")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    assert!(recorded.contains("\"sepa\""), "the new default is named: {recorded}");
    let theirs_default = app
        .call("/api/account/billing/method/default", &[("id", sepa_id)], Some(&other))
        .await;
    assert_eq!(theirs_default.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM account_events WHERE type = 'edit_payment_method'")
            .await,
        1,
        "a refused change records nothing"
    );
    let card_id = methods[0]["id"].as_str().unwrap();
    let removed = app
        .call("/api/account/billing/method/remove", &[("id", card_id)], Some(&cookie))
        .await;
    assert_eq!(removed.status, StatusCode::OK, "{}", removed.body);
    let theirs = app
        .call("/api/account/billing/method/remove", &[("id", sepa_id)], Some(&other))
        .await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn credit_is_bought_with_the_default_method_and_a_failing_charge_buys_nothing() {
    let stripe = LocalStripe::start().await;
    let app = app_on(&stripe, None).await;
    let cookie = signed_up(&app, "ada").await;
    let no_method = buy(&app, "20", &cookie).await;
    assert!(no_method.body.contains("ErrNoPaymentMethod"), "{}", no_method.body);
    add_card(&app, &stripe, &cookie, "4242424242424242").await;
    for (typed, key) in [
        ("4,99", "ErrCreditAmount"),
        ("abc", "ErrCreditAmount"),
        ("-10", "ErrCreditAmount"),
    ] {
        let refused = buy(&app, typed, &cookie).await;
        assert!(refused.body.contains(key), "{typed}: {}", refused.body);
    }
    let bought = buy(&app, "20,50", &cookie).await;
    assert_eq!(bought.status, StatusCode::OK, "{}", bought.body);
    let ada = server::db::users::find_by_login(&app.state.db, "ada")
        .await
        .unwrap()
        .unwrap();
    let mut conn = app.state.db.pool.acquire().await.unwrap();
    assert_eq!(store::credit(&mut conn, &ada.id).await.unwrap(), 2050);
    drop(conn);

    // A card that attaches but whose charges fail: nothing is credited, the user is told.
    let bob = signed_up(&app, "bob").await;
    let added = add_card(&app, &stripe, &bob, "4000000000000341").await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    let failed = buy(&app, "10", &bob).await;
    assert_eq!(failed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(failed.body.contains("ErrChargeDeclined"), "{}", failed.body);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM billing_ledger WHERE source = 'card'")
            .await,
        1,
        "only Ada's purchase"
    );

    // Two purchases at once: both charged, both credited, nothing lost.
    let (a, b) = tokio::join!(buy(&app, "5", &cookie), buy(&app, "7", &cookie),);
    assert_eq!(
        (a.status, b.status),
        (StatusCode::OK, StatusCode::OK),
        "{} {}",
        a.body,
        b.body
    );
    let mut conn = app.state.db.pool.acquire().await.unwrap();
    assert_eq!(store::credit(&mut conn, &ada.id).await.unwrap(), 2050 + 500 + 700);
}

#[tokio::test]
async fn the_same_purchase_form_sent_twice_buys_once() {
    let stripe = LocalStripe::start().await;
    let targets = apps_on_both_databases(&stripe).await;
    for (app, pg) in targets {
        let cookie = signed_up(&app, "ada").await;
        add_card(&app, &stripe, &cookie, "4242424242424242").await;
        // Each reading of the tab hands out a new key.
        let read = || {
            app.call(
                "/api/account/billing",
                &[("invoices_page", "1"), ("history_page", "1")],
                Some(&cookie),
            )
        };
        let (first, second) = (read().await.json(), read().await.json());
        let key = first["purchase_key"].as_str().unwrap().to_string();
        assert!(uuid::Uuid::try_parse(&key).is_ok(), "{first}");
        assert_ne!(first["purchase_key"], second["purchase_key"]);

        // The form sent twice at once (a double click), then once more (a resent POST).
        let (a, b) = tokio::join!(
            buy_with_key(&app, "5", &key, &cookie),
            buy_with_key(&app, "5", &key, &cookie)
        );
        assert_eq!(
            (a.status, b.status),
            (StatusCode::OK, StatusCode::OK),
            "{} {}",
            a.body,
            b.body
        );
        let mut answers = [a.body.contains("CreditBought"), b.body.contains("CreditBought")];
        answers.sort();
        assert_eq!(answers, [false, true], "{}: {} / {}", app.backend(), a.body, b.body);
        assert!(
            a.body.contains("CreditAlreadySent") || b.body.contains("CreditAlreadySent"),
            "{} {}",
            a.body,
            b.body
        );
        let again = buy_with_key(&app, "5", &key, &cookie).await;
        assert!(again.body.contains("CreditAlreadySent"), "{}", again.body);
        let ada = server::db::users::find_by_login(&app.state.db, "ada")
            .await
            .unwrap()
            .unwrap();
        let mut conn = app.state.db.pool.acquire().await.unwrap();
        assert_eq!(
            store::credit(&mut conn, &ada.id).await.unwrap(),
            500,
            "{}",
            app.backend()
        );
        drop(conn);
        assert_eq!(app.count("SELECT COUNT(*) FROM credit_purchases").await, 1);

        // A form without a key, or with one it could not have, buys nothing and says why.
        for fields in [
            vec![("amount", "5")],
            vec![("amount", "5"), ("purchase_key", "1; DROP TABLE")],
        ] {
            let refused = app.call("/api/account/billing/credit", &fields, Some(&cookie)).await;
            assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
            assert!(refused.body.contains("ErrPurchaseFormOutOfDate"), "{}", refused.body);
        }
        assert_eq!(app.count("SELECT COUNT(*) FROM credit_purchases").await, 1);

        // Another account's form with the same key is its own purchase; a declined charge
        // leaves the key free, so the same form can try again.
        let bob = signed_up(&app, "bob").await;
        add_card(&app, &stripe, &bob, "4000000000000341").await;
        for _ in 0..2 {
            let declined = buy_with_key(&app, "5", &key, &bob).await;
            assert!(declined.body.contains("ErrChargeDeclined"), "{}", declined.body);
        }
        assert_eq!(app.count("SELECT COUNT(*) FROM credit_purchases").await, 3);
        if let Some(pg) = pg {
            pg.finish().await;
        }
    }
}

#[tokio::test]
async fn a_month_is_paid_by_credit_then_mandate_then_card_and_a_failing_card_fails_the_invoice() {
    let stripe = LocalStripe::start().await;
    let targets = apps_on_both_databases(&stripe).await;
    for (app, pg) in targets {
        let db = &app.state.db;
        let nov = Month::parse("2026-11").unwrap();
        let actor = Actor {
            ip: None,
            user_agent: None,
        };
        // credit: covers all; sepa: a mandate; card: a card; failing: a card whose charge fails;
        // partial: credit that does not cover, and a card (the card pays, the credit stays).
        let mut cookies = Vec::new();
        for name in ["credit", "sepa", "card", "failing", "partial"] {
            let cookie = signed_up(&app, name).await;
            server::cli::create_app(db, name, &format!("{name}-web")).await.unwrap();
            invoices::record_usage(db, &format!("{name}-web"), nov, 500, DECEMBER)
                .await
                .unwrap();
            cookies.push(cookie);
        }
        let id_of =
            |name: &'static str| async move { server::db::users::find_by_login(db, name).await.unwrap().unwrap().id };
        store::add_operator_credit(db, &id_of("credit").await, 10_000, "Transfer", &actor, DECEMBER)
            .await
            .unwrap();
        store::add_operator_credit(db, &id_of("partial").await, 100, "Transfer", &actor, DECEMBER)
            .await
            .unwrap();
        let sepa = app
            .call(
                "/api/account/billing/sepa",
                &[
                    ("iban", "DE89370400440532013000"),
                    ("holder", "Sepa Person"),
                    ("accept_mandate", "yes"),
                ],
                Some(&cookies[1]),
            )
            .await;
        assert_eq!(sepa.status, StatusCode::OK, "{}", sepa.body);
        // The mandate pays even with a card beside it, when it is the default.
        add_card(&app, &stripe, &cookies[1], "4242424242424242").await;
        add_card(&app, &stripe, &cookies[2], "4242424242424242").await;
        add_card(&app, &stripe, &cookies[3], "4000000000000341").await;
        add_card(&app, &stripe, &cookies[4], "4242424242424242").await;

        let summary = run_month(db, &app.state.config, nov, DECEMBER).await.unwrap();
        assert_eq!(
            (summary.issued, summary.paid, summary.failed),
            (5, 4, 1),
            "{}",
            app.backend()
        );
        let state_of = |name: &'static str| async move {
            let id = id_of(name).await;
            let mut conn = db.pool.acquire().await.unwrap();
            let list = invoices::page(&mut conn, &id, 1, 0).await.unwrap();
            (list[0].state.clone(), list[0].payment_method.clone())
        };
        assert_eq!(state_of("credit").await, ("paid".into(), "credit".into()));
        assert_eq!(state_of("sepa").await, ("paid".into(), "sepa".into()));
        assert_eq!(state_of("card").await, ("paid".into(), "card".into()));
        assert_eq!(state_of("failing").await, ("failed".into(), "".into()));
        assert_eq!(state_of("partial").await, ("paid".into(), "card".into()));
        let mut conn = db.pool.acquire().await.unwrap();
        assert_eq!(store::credit(&mut conn, &id_of("partial").await).await.unwrap(), 100);
        drop(conn);
        let mail = app
            .mail_texts("failing@example.com", "Your invoice could not be paid")
            .await;
        assert_eq!(mail.len(), 1);
        assert!(mail[0].contains("card"), "{}", mail[0]);
        // Running again charges nobody twice.
        let again = run_month(db, &app.state.config, nov, DECEMBER + 60).await.unwrap();
        assert_eq!((again.issued, again.paid, again.failed), (0, 0, 0));
        assert_eq!(
            app.count("SELECT COUNT(*) FROM billing_ledger WHERE source IN ('card', 'sepa')")
                .await,
            3
        );
        if let Some(pg) = pg {
            pg.finish().await;
        }
    }
}

#[tokio::test]
async fn webhooks_are_verified_before_they_change_anything_and_a_replay_is_refused() {
    let stripe = LocalStripe::start().await;
    let app = app_on(&stripe, None).await;
    let db = &app.state.db;
    let user = new_user(db, "ada").await;
    // A purchase whose SEPA debit is still processing.
    let purchase = match server::db::billing::purchases::start(
        db,
        &user.id,
        "4a7e2f0c-9d15-4c8e-b0a4-2f7d6c1e9b30",
        1500,
        server::db::billing::methods::Kind::Sepa,
        DECEMBER,
    )
    .await
    .unwrap()
    {
        server::db::billing::purchases::Started::New(id) => id,
        other => panic!("{other:?}"),
    };
    let processing = server::db::billing::payment::ChargeOutcome::Processing {
        intent: "pi_test_1".into(),
    };
    let actor = Actor {
        ip: None,
        user_agent: None,
    };
    server::db::billing::purchases::finish(db, &user.id, &purchase, &processing, &actor, DECEMBER)
        .await
        .unwrap();
    let body = br#"{"id":"evt_1","type":"payment_intent.succeeded","data":{"object":{"id":"pi_test_1"}}}"#;
    let post = |signature: Option<String>, body: &'static [u8]| {
        let mut request = http::Request::post("/webhooks/stripe").header("content-type", "application/json");
        if let Some(signature) = signature {
            request = request.header("stripe-signature", signature);
        }
        app.send(request.body(axum::body::Body::from(body)).unwrap())
    };
    let unsigned = post(None, body).await;
    assert_eq!(unsigned.status, StatusCode::BAD_REQUEST);
    let forged = post(Some(sign_webhook("whsec_wrong", body, server::db::now())), body).await;
    assert_eq!(forged.status, StatusCode::BAD_REQUEST);
    let stale = post(Some(sign_webhook(WEBHOOK_SECRET, body, server::db::now() - 3600)), body).await;
    assert_eq!(stale.status, StatusCode::BAD_REQUEST);
    let mut conn = db.pool.acquire().await.unwrap();
    assert_eq!(
        store::credit(&mut conn, &user.id).await.unwrap(),
        0,
        "nothing changed yet"
    );
    drop(conn);
    let signed = post(Some(sign_webhook(WEBHOOK_SECRET, body, server::db::now())), body).await;
    assert_eq!(signed.status, StatusCode::OK, "{}", signed.body);
    let replay = post(Some(sign_webhook(WEBHOOK_SECRET, body, server::db::now())), body).await;
    assert_eq!(replay.status, StatusCode::CONFLICT);
    // Another event about the same, settled payment changes nothing and is acknowledged; an
    // event nothing waits for (yet) is left for the provider to send again.
    let again = br#"{"id":"evt_1b","type":"payment_intent.succeeded","data":{"object":{"id":"pi_test_1"}}}"#;
    let settled = post(Some(sign_webhook(WEBHOOK_SECRET, again, server::db::now())), again).await;
    assert_eq!(settled.status, StatusCode::OK);
    let unknown = br#"{"id":"evt_x","type":"payment_intent.succeeded","data":{"object":{"id":"pi_nobody"}}}"#;
    let waiting = post(Some(sign_webhook(WEBHOOK_SECRET, unknown, server::db::now())), unknown).await;
    assert_eq!(waiting.status, StatusCode::CONFLICT);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM provider_events WHERE id = 'evt_x'")
            .await,
        0
    );
    let mut conn = db.pool.acquire().await.unwrap();
    assert_eq!(store::credit(&mut conn, &user.id).await.unwrap(), 1500);
    drop(conn);

    // An invoice whose SEPA debit was processing: the webhook settles it as paid, once.
    server::cli::create_app(db, "ada", "ada-web").await.unwrap();
    let nov = Month::parse("2026-11").unwrap();
    invoices::record_usage(db, "ada-web", nov, 10_000, DECEMBER)
        .await
        .unwrap();
    run_month(db, &app.state.config, nov, DECEMBER).await.unwrap();
    sqlx::query("UPDATE invoices SET state = 'processing', payment_method = 'sepa', payment_intent = 'pi_invoice'")
        .execute(&db.pool)
        .await
        .unwrap();
    let paid = br#"{"id":"evt_2","type":"payment_intent.succeeded","data":{"object":{"id":"pi_invoice"}}}"#;
    let settled = post(Some(sign_webhook(WEBHOOK_SECRET, paid, server::db::now())), paid).await;
    assert_eq!(settled.status, StatusCode::OK);
    assert_eq!(app.count("SELECT COUNT(*) FROM invoices WHERE state = 'paid'").await, 1);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM billing_ledger WHERE source = 'sepa' AND invoice_id IS NOT NULL")
            .await,
        1
    );
}

#[tokio::test]
async fn a_run_during_a_method_change_and_parallel_purchases_never_bill_twice() {
    let stripe = LocalStripe::start().await;
    let targets = apps_on_both_databases(&stripe).await;
    for (app, pg) in targets {
        let db = &app.state.db;
        let cookie = signed_up(&app, "ada").await;
        let ada = server::db::users::find_by_login(db, "ada").await.unwrap().unwrap().id;
        add_card(&app, &stripe, &cookie, "4242424242424242").await;
        add_card(&app, &stripe, &cookie, "5555555555554444").await;
        let methods = app
            .call(
                "/api/account/billing",
                &[("invoices_page", "1"), ("history_page", "1")],
                Some(&cookie),
            )
            .await
            .json()["methods"]
            .clone();
        let first = methods[0]["id"].as_str().unwrap().to_string();
        let second = methods[1]["id"].as_str().unwrap().to_string();
        server::cli::create_app(db, "ada", "ada-web").await.unwrap();
        let nov = Month::parse("2026-11").unwrap();
        invoices::record_usage(db, "ada-web", nov, 300, DECEMBER).await.unwrap();

        // The run, a change of default, the removal of the old default and two purchases, at once.
        let (make_second_default, remove_first) = ([("id", second.as_str())], [("id", first.as_str())]);
        let (run, default, removed, a, b) = tokio::join!(
            run_month(db, &app.state.config, nov, DECEMBER),
            app.call(
                "/api/account/billing/method/default",
                &make_second_default,
                Some(&cookie)
            ),
            app.call("/api/account/billing/method/remove", &remove_first, Some(&cookie)),
            buy(&app, "5", &cookie),
            buy(&app, "6", &cookie),
        );
        let run = run.unwrap();
        assert_eq!(run.issued, 1, "{}", app.backend());
        assert_eq!(default.status, StatusCode::OK, "{}", default.body);
        assert_eq!(removed.status, StatusCode::OK, "{}", removed.body);
        assert_eq!(
            (a.status, b.status),
            (StatusCode::OK, StatusCode::OK),
            "{} {}",
            a.body,
            b.body
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM invoices").await, 1);
        let invoice_rows = app
            .count("SELECT COUNT(*) FROM billing_ledger WHERE invoice_id IS NOT NULL")
            .await;
        assert!(
            invoice_rows <= 1,
            "{}: the invoice was paid at most once",
            app.backend()
        );
        let mut conn = db.pool.acquire().await.unwrap();
        let credit = store::credit(&mut conn, &ada).await.unwrap();
        // The two purchases are in the credit, less the invoice if the credit paid it.
        let (paid_by, state): (String, String) = sqlx::query_as("SELECT payment_method, state FROM invoices")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        let spent = if paid_by == "credit" { 360 } else { 0 };
        assert_eq!(credit, 1100 - spent, "{}: {state} by {paid_by}", app.backend());
        drop(conn);
        let again = run_month(db, &app.state.config, nov, DECEMBER + 60).await.unwrap();
        assert_eq!((again.issued, again.paid, again.failed), (0, 0, 0));
        if let Some(pg) = pg {
            pg.finish().await;
        }
    }
}

#[tokio::test]
async fn a_charge_left_unconfirmed_is_sent_again_as_it_was_never_paid_twice() {
    let stripe = LocalStripe::start().await;
    let app = app_on(&stripe, None).await;
    let db = &app.state.db;
    let cookie = signed_up(&app, "ada").await;
    let ada = server::db::users::find_by_login(db, "ada").await.unwrap().unwrap().id;
    add_card(&app, &stripe, &cookie, "4242424242424242").await;
    server::cli::create_app(db, "ada", "ada-web").await.unwrap();
    let nov = Month::parse("2026-11").unwrap();
    invoices::record_usage(db, "ada-web", nov, 100, DECEMBER).await.unwrap();
    // Issued, then claimed for the card by a run that stopped before the provider answered.
    let seller = app.state.config.billing.seller.clone().unwrap();
    invoices::issue(db, &ada, nov, 1, &seller, DECEMBER)
        .await
        .unwrap()
        .unwrap();
    let (provider_id, customer): (String, String) = sqlx::query_as(
        "SELECT m.provider_id, c.customer_id FROM payment_methods m JOIN billing_customers c ON c.user_id = m.user_id",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    sqlx::query(
        "UPDATE invoices SET state = 'paying', paying_since = $1, paying_kind = 'card', paying_provider_id = $2, \
         paying_customer = $3",
    )
    .bind(DECEMBER - 7200)
    .bind(&provider_id)
    .bind(&customer)
    .execute(&db.pool)
    .await
    .unwrap();
    // Meanwhile credit arrived: the retry must still be the card's charge, not the credit.
    let actor = Actor {
        ip: None,
        user_agent: None,
    };
    store::add_operator_credit(db, &ada, 10_000, "Transfer", &actor, DECEMBER)
        .await
        .unwrap();
    let fresh = run_month(db, &app.state.config, Month::parse("2026-10").unwrap(), DECEMBER)
        .await
        .unwrap();
    assert_eq!(fresh.paid, 1, "a stale claim of any month is picked up");
    let (state, method): (String, String) = sqlx::query_as("SELECT state, payment_method FROM invoices")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!((state.as_str(), method.as_str()), ("paid", "card"));
    let mut conn = db.pool.acquire().await.unwrap();
    assert_eq!(
        store::credit(&mut conn, &ada).await.unwrap(),
        10_000,
        "the credit was not spent as well"
    );
}

#[tokio::test]
async fn the_card_page_says_why_a_card_was_refused() {
    let stripe = LocalStripe::start().await;
    let app = app_on(&stripe, None).await;
    let cookie = signed_up(&app, "ada").await;
    let page = app.get("/account/billing/card?refused=declined", Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Your card was declined"), "{}", page.body);
}
