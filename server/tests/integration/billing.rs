//! The Billing tab and its API: the billing profile checked field by field, the monthly invoice
//! run (numbers, VAT, payment in Scalingo's order, running twice, running in parallel), the
//! invoice PDF read back, and the API's shapes, on SQLite and PostgreSQL.

use crate::http_api::{api, bearer, tab_token};
use crate::support::{new_user, TestApp, TestDb, PASSWORD};
use http::StatusCode;
use server::billing::money::Month;
use server::billing::run::run_month;
use server::db::billing::{self as store, invoices};
use server::db::events::Actor;

/// The seller's details every invoice needs.
pub const SELLER: [(&str, &str); 4] = [
    ("VESTIBULE_SELLER_NAME", "Hébergeur Exemple SAS"),
    ("VESTIBULE_SELLER_ADDRESS", "1 rue de la Paix | 75002 Paris | France"),
    ("VESTIBULE_SELLER_SIREN", "303265045"),
    ("VESTIBULE_SELLER_VAT_NUMBER", "FR40303265045"),
];

/// 2026-12-06T12:00:00Z: November 2026 is over, December is not.
const DECEMBER: i64 = 1_796_558_400;

fn november() -> Month {
    Month::parse("2026-11").unwrap()
}

async fn apps_with(extra: &[(&str, &str)]) -> Vec<(TestApp, Option<TestDb>)> {
    let mut env: Vec<(&str, &str)> = SELLER.to_vec();
    env.extend_from_slice(extra);
    let mut apps = vec![(TestApp::with_env(&env).await, None)];
    if let Some(pg) = TestDb::postgres().await {
        let app = TestApp::on_database(tempfile::tempdir().unwrap(), &pg.url, &env).await;
        apps.push((app, Some(pg)));
    }
    apps
}

fn operator() -> Actor {
    Actor {
        ip: None,
        user_agent: Some("test".into()),
    }
}

/// An account owning `app_name`, with `hours` of usage in November.
async fn user_with_usage(app: &TestApp, username: &str, app_name: &str, hours: i64) -> String {
    let user = new_user(&app.state.db, username).await;
    server::cli::create_app(&app.state.db, username, app_name)
        .await
        .unwrap();
    invoices::record_usage(&app.state.db, app_name, november(), hours, DECEMBER)
        .await
        .unwrap();
    user.id
}

const PROFILE: [(&str, &str); 10] = [
    ("name", "Ada Lovelace"),
    ("company", "Analytical SAS"),
    ("email", "billing@analytical.example"),
    ("address_line1", "1 rue de la Paix"),
    ("address_line2", ""),
    ("address_zip", "75002"),
    ("address_city", "Paris"),
    ("address_country", "FR"),
    ("vat_number", "FR 40 303 265 045"),
    ("invoice_additional_info", "PO 1234"),
];

fn profile_with(changes: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
    PROFILE
        .iter()
        .map(|(k, v)| (*k, changes.iter().find(|(c, _)| c == k).map_or(*v, |(_, v)| *v)))
        .collect()
}

#[tokio::test]
async fn the_billing_profile_is_checked_field_by_field_and_stored_normalised() {
    let app = TestApp::with_env(&SELLER).await;
    let cookie = app.sign_up("ada", "ada@example.com", PASSWORD).await;
    let page = app.get("/account/billing", Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("No billing profile yet"), "{}", page.body);
    assert!(page.body.contains("not set up on this server"), "{}", page.body);
    assert!(page.body.contains("No invoice yet"), "{}", page.body);

    let bad = profile_with(&[
        ("email", "nope"),
        ("vat_number", "FR40303265046"),
        ("address_zip", "<b>"),
    ]);
    let refused = app.call("/api/account/billing/profile", &bad, Some(&cookie)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    for key in ["ErrEmailInvalid", "ErrVatInvalid", "ErrZipInvalid"] {
        assert!(refused.body.contains(key), "{key} in {}", refused.body);
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM billing_profiles").await, 0);
    let other_country = profile_with(&[("address_country", "DE")]);
    let refused = app
        .call("/api/account/billing/profile", &other_country, Some(&cookie))
        .await;
    assert!(refused.body.contains("ErrVatWrongCountry"), "{}", refused.body);

    // Without JavaScript a refusal comes back to the page with what was typed.
    let no_js = app
        .post_without_js("/api/account/billing/profile", &bad, Some(&cookie), "/account/billing")
        .await;
    assert_eq!(no_js.status, StatusCode::SEE_OTHER);
    let flash = no_js.cookie("vestibule_flash").unwrap();
    let back = app.get("/account/billing", Some(&format!("{cookie}; {flash}"))).await;
    assert!(back.body.contains("FR40303265046"), "typed VAT number kept");
    assert!(back.body.contains("This is not a valid VAT number"), "{}", back.body);

    let saved = app.call("/api/account/billing/profile", &PROFILE, Some(&cookie)).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert_eq!(saved.json()["vat_number"], "FR40303265045");
    let page = app.get("/account/billing", Some(&cookie)).await;
    assert!(page.body.contains("Analytical SAS") && !page.body.contains("No billing profile yet"));

    // The API reads and writes the same profile, with the same rules.
    let secret = tab_token(&app, &cookie, "billing").await;
    let auth = bearer(&app, &secret).await;
    let shown = api(&app, "GET", "/v1/account/billing/profile", &auth, None).await;
    assert_eq!(shown.status, StatusCode::OK, "{}", shown.body);
    let body = shown.json();
    assert_eq!(body["billing_profile"]["vat_number"], "FR40303265045");
    assert_eq!(body["billing_profile"]["credit"], 0);
    let put = api(
        &app,
        "PUT",
        "/v1/account/billing/profile",
        &auth,
        Some(r#"{"billing_profile":{"name":"Ada","email":"a@example.com","address_line1":"Street 1","address_zip":"10115","address_city":"Berlin","address_country":"DE","vat_number":"DE 136 695 977"}}"#),
    )
    .await;
    assert_eq!(put.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", put.body);
    assert!(put.body.contains("vat_number"), "{}", put.body);
    let stored = api(&app, "GET", "/v1/account/billing/profile", &auth, None)
        .await
        .json();
    assert_eq!(
        stored["billing_profile"]["address_country"], "FR",
        "nothing written on refusal"
    );
}

#[tokio::test]
async fn a_month_is_invoiced_once_paid_in_scalingos_order_and_numbered_without_gaps() {
    for (app, pg) in apps_with(&[("VESTIBULE_APP_HOUR_PRICE_CENTS", "1")]).await {
        let db = &app.state.db;
        let config = &app.state.config;
        let ada = user_with_usage(&app, "ada", "ada-web", 743).await;
        invoices::record_usage(db, "ada-web", november(), 743, DECEMBER)
            .await
            .unwrap();
        let bob = user_with_usage(&app, "bob", "bob-web", 500).await;
        server::cli::create_app(db, "bob", "bob-worker").await.unwrap();
        invoices::record_usage(db, "bob-worker", november(), 100, DECEMBER)
            .await
            .unwrap();
        let carol = user_with_usage(&app, "carol", "carol-web", 200).await;
        // Ada's credit covers her invoice; Bob's covers only part of his (it is not spent).
        store::add_operator_credit(db, &ada, 1000, "Bank transfer", &operator(), DECEMBER)
            .await
            .unwrap();
        store::add_operator_credit(db, &bob, 500, "Bank transfer", &operator(), DECEMBER)
            .await
            .unwrap();
        // Carol is a German business: reverse charge.
        let german = app_model_profile("DE", "DE136695976");
        store::save_profile(db, &carol, &german, DECEMBER).await.unwrap();

        let summary = run_month(db, config, november(), DECEMBER).await.unwrap();
        assert_eq!(
            (summary.issued, summary.paid, summary.failed),
            (3, 1, 2),
            "{}",
            app.backend()
        );

        let mut conn = db.pool.acquire().await.unwrap();
        let ada_invoices = invoices::page(&mut conn, &ada, 10, 0).await.unwrap();
        let a = &ada_invoices[0];
        // 743 h at 1 cent; VAT 20 % of 7.43 € is 1.486 €, rounded half up once: 1.49 €.
        assert_eq!((a.total_cents, a.vat_cents, a.total_with_vat_cents), (743, 149, 892));
        assert_eq!((a.state.as_str(), a.payment_method.as_str()), ("paid", "credit"));
        assert_eq!(store::credit(&mut conn, &ada).await.unwrap(), 1000 - 892);
        let bob_invoices = invoices::page(&mut conn, &bob, 10, 0).await.unwrap();
        let b = invoices::find_owned(&mut conn, &bob, &bob_invoices[0].id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(b.lines.len(), 2, "one line per app");
        assert_eq!((b.total_cents, b.vat_cents, b.state.as_str()), (600, 120, "failed"));
        assert_eq!(
            store::credit(&mut conn, &bob).await.unwrap(),
            500,
            "a partial credit is not spent"
        );
        let carol_invoices = invoices::page(&mut conn, &carol, 10, 0).await.unwrap();
        let c = &carol_invoices[0];
        assert_eq!(
            (c.vat_rate_permille, c.vat_cents, c.vat_mention.as_str()),
            (0, 0, "reverse_charge")
        );

        let mut numbers: Vec<String> = [a, &b, c].iter().map(|i| i.number.clone()).collect();
        numbers.sort();
        assert_eq!(numbers, ["2026-000001", "2026-000002", "2026-000003"]);
        let failed_mail = app
            .mail_texts("bob@example.com", "Your invoice could not be paid")
            .await;
        assert_eq!(failed_mail.len(), 1);
        assert!(
            failed_mail[0].contains(&b.number) && failed_mail[0].contains("€7.20"),
            "{}",
            failed_mail[0]
        );
        let attempts = app
            .count("SELECT COUNT(*) FROM account_events WHERE type = 'payment_attempt'")
            .await;
        assert_eq!(attempts, 3);

        // Again: nothing changes.
        let again = run_month(db, config, november(), DECEMBER + 3600).await.unwrap();
        assert_eq!((again.issued, again.paid, again.failed), (0, 0, 0));
        assert_eq!(app.count("SELECT COUNT(*) FROM invoices").await, 3);
        assert_eq!(app.count("SELECT COUNT(*) FROM billing_ledger").await, 3);
        assert_eq!(app.count("SELECT COUNT(*) FROM mail_queue").await, 2);
        // The usage of an invoiced month is frozen; a month not over cannot be billed.
        let frozen = invoices::record_usage(db, "ada-web", november(), 1, DECEMBER).await;
        assert!(matches!(frozen, Err(invoices::UsageError::AlreadyInvoiced(_))));
        let early = run_month(db, config, Month::parse("2026-12").unwrap(), DECEMBER).await;
        assert!(early.unwrap_err().to_string().contains("not over"));
        // Bob pays by bank transfer, as his mail asked: the operator records it, and it pays
        // the failed invoice.
        let said = server::billing::operator::add_credit(db, "bob", 1000, "Transfer for the failed invoice").await;
        assert!(
            said.as_ref().is_ok_and(|s| s.contains("1 failed invoice(s) paid")),
            "{said:?}"
        );
        let b = invoices::find_owned(&mut conn, &bob, &b.id).await.unwrap().unwrap();
        assert_eq!((b.state.as_str(), b.payment_method.as_str()), ("paid", "credit"));
        assert_eq!(store::credit(&mut conn, &bob).await.unwrap(), 500 + 1000 - 720);
        drop(conn);
        if let Some(pg) = pg {
            pg.finish().await;
        }
    }
}

fn app_model_profile(country: &str, vat: &str) -> app::model::BillingProfile {
    app::model::BillingProfile {
        name: "Carol Klein".into(),
        company: "Klein GmbH".into(),
        email: "billing@klein.example".into(),
        address_line1: "Hauptstraße 1".into(),
        address_city: "Berlin".into(),
        address_zip: "10115".into(),
        address_country: country.into(),
        vat_number: vat.into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn parallel_runs_bill_each_account_once_with_consecutive_numbers() {
    for (app, pg) in apps_with(&[]).await {
        let db = &app.state.db;
        for i in 0..12 {
            user_with_usage(&app, &format!("user{i}"), &format!("app-{i}"), 10).await;
        }
        let config = &app.state.config;
        let runs =
            futures_util::future::join_all((0..4).map(|k| run_month(db, config, november(), DECEMBER + k))).await;
        let issued: usize = runs.iter().map(|r| r.as_ref().map(|s| s.issued).unwrap_or(0)).sum();
        let failures: Vec<String> = runs
            .iter()
            .filter_map(|r| r.as_ref().err())
            .map(|e| e.to_string())
            .collect();
        assert!(failures.is_empty(), "{}: {failures:?}", app.backend());
        assert_eq!(issued, 12, "{}", app.backend());
        assert_eq!(app.count("SELECT COUNT(*) FROM invoices").await, 12);
        assert_eq!(app.count("SELECT COUNT(DISTINCT user_id) FROM invoices").await, 12);
        assert_eq!(app.count("SELECT MAX(last_number) FROM invoice_counters").await, 12);
        let numbers = sqlx::query_scalar::<_, String>("SELECT number FROM invoices ORDER BY number")
            .fetch_all(&db.pool)
            .await
            .unwrap();
        let expected: Vec<String> = (1..=12).map(|n| format!("2026-{n:06}")).collect();
        assert_eq!(numbers, expected, "{}", app.backend());
        if let Some(pg) = pg {
            pg.finish().await;
        }
    }
}

#[tokio::test]
async fn parallel_payments_and_credits_never_spend_a_cent_twice() {
    for (app, pg) in apps_with(&[]).await {
        let db = &app.state.db;
        let ada = user_with_usage(&app, "ada", "ada-web", 500).await;
        invoices::record_usage(db, "ada-web", Month::parse("2026-10").unwrap(), 500, DECEMBER)
            .await
            .unwrap();
        // 6.00 € each with VAT; 10.00 € of credit pays one, not both.
        store::add_operator_credit(db, &ada, 1000, "Bank transfer", &operator(), DECEMBER)
            .await
            .unwrap();
        let config = &app.state.config;
        let october = Month::parse("2026-10").unwrap();
        let someone = operator();
        let credit_meanwhile = store::add_operator_credit(db, &ada, 1, "Rounding", &someone, DECEMBER);
        let (oct, nov, credited) = tokio::join!(
            run_month(db, config, october, DECEMBER),
            run_month(db, config, november(), DECEMBER),
            credit_meanwhile,
        );
        let paid = oct.unwrap().paid + nov.unwrap().paid;
        credited.unwrap();
        assert_eq!(paid, 1, "{}", app.backend());
        let mut conn = db.pool.acquire().await.unwrap();
        assert_eq!(store::credit(&mut conn, &ada).await.unwrap(), 1001 - 600);
        let sum: i64 = sqlx::query_scalar::<_, i64>("SELECT CAST(SUM(credit_cents) AS BIGINT) FROM billing_ledger")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        assert_eq!(sum, 401);
        drop(conn);
        if let Some(pg) = pg {
            pg.finish().await;
        }
    }
}

#[tokio::test]
async fn invoices_read_back_as_pdf_with_the_mentions_a_french_invoice_needs() {
    let app = TestApp::with_env(&SELLER).await;
    let cookie = app.sign_up("carol", "carol@example.com", PASSWORD).await;
    let db = &app.state.db;
    let carol = server::db::users::find_by_login(db, "carol").await.unwrap().unwrap();
    store::save_profile(db, &carol.id, &app_model_profile("DE", "DE136695976"), DECEMBER)
        .await
        .unwrap();
    server::cli::create_app(db, "carol", "carol-web").await.unwrap();
    invoices::record_usage(db, "carol-web", november(), 720, DECEMBER)
        .await
        .unwrap();
    run_month(db, &app.state.config, november(), DECEMBER).await.unwrap();

    let page = app.get("/account/billing", Some(&cookie)).await;
    assert!(page.body.contains("2026-000001"), "{}", page.body);
    assert!(page.body.contains("Payment failed"), "{}", page.body);
    let id = sqlx::query_scalar::<_, String>("SELECT id FROM invoices")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    let pdf = app
        .send(
            http::Request::get(format!("/account/billing/invoices/{id}/pdf"))
                .header("cookie", &cookie)
                .header("x-forwarded-for", crate::support::IP)
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert_eq!(pdf.header("content-type"), "application/pdf");
    // The body went through a lossy UTF-8 string in `send`: fetch the bytes again to read them.
    let invoice = invoices::find_owned(&mut db.pool.acquire().await.unwrap(), &carol.id, &id)
        .await
        .unwrap()
        .unwrap();
    let bytes = server::billing::pdf::invoice_pdf(&invoice);
    let text = pdf_extract::extract_text_from_mem(&bytes).unwrap();
    for needed in [
        "Facture n° 2026-000001",
        "Date d’émission : 06/12/2026",
        "Période facturée : novembre 2026",
        "Hébergeur Exemple SAS",
        "SIREN : 303265045",
        "FR40303265045",
        "Klein GmbH",
        "N° TVA : DE136695976",
        "carol-web",
        "720",
        "7,20 €",
        "Total HT",
        "TVA 0 %",
        "Total TTC",
        "Autoliquidation",
        "40 €",
        "Échéance : 05/01/2027",
    ] {
        assert!(text.contains(needed), "{needed:?} missing from:\n{text}");
    }

    // Another account cannot read it, through the page or the API.
    let other = app.sign_up("mallory", "mallory@example.com", PASSWORD).await;
    let theirs = app
        .get(&format!("/account/billing/invoices/{id}/pdf"), Some(&other))
        .await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
    let secret = tab_token(&app, &other, "m").await;
    let auth = bearer(&app, &secret).await;
    let api_theirs = api(&app, "GET", &format!("/v1/account/invoices/{id}/pdf"), &auth, None).await;
    assert_eq!(api_theirs.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_api_lists_invoices_and_operations_in_scalingos_shapes() {
    let app = TestApp::with_env(&SELLER).await;
    let cookie = app.sign_up("ada", "ada@example.com", PASSWORD).await;
    let db = &app.state.db;
    let ada = server::db::users::find_by_login(db, "ada").await.unwrap().unwrap();
    server::cli::create_app(db, "ada", "ada-web").await.unwrap();
    invoices::record_usage(db, "ada-web", november(), 100, DECEMBER)
        .await
        .unwrap();
    store::add_operator_credit(db, &ada.id, 5000, "Bank transfer 2026-11", &operator(), DECEMBER)
        .await
        .unwrap();
    run_month(db, &app.state.config, november(), DECEMBER).await.unwrap();

    let secret = tab_token(&app, &cookie, "ci").await;
    let auth = bearer(&app, &secret).await;
    let list = api(&app, "GET", "/v1/account/invoices?per_page=1", &auth, None).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let body = list.json();
    let invoice = &body["invoices"][0];
    assert_eq!(invoice["invoice_number"], "2026-000001");
    assert_eq!(invoice["billing_month"], "2026-11-01");
    assert_eq!(invoice["total_price"], 100);
    assert_eq!(invoice["total_price_with_vat"], 120);
    assert_eq!(invoice["vat_rate"], 200);
    assert_eq!(invoice["state"], "paid");
    assert_eq!(invoice["items"][0]["price"], 100);
    assert_eq!(invoice["detailed_items"][0]["app"], "ada-web");
    assert_eq!(body["meta"]["pagination"]["total_count"], 1);
    let pdf_url = invoice["pdf_url"].as_str().unwrap();
    let path = pdf_url.split_once("/v1/").map(|(_, p)| format!("/v1/{p}")).unwrap();
    let pdf = api(&app, "GET", &path, &auth, None).await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert!(pdf.body.starts_with("%PDF-"));
    let id = invoice["id"].as_str().unwrap();
    let one = api(&app, "GET", &format!("/v1/account/invoices/{id}"), &auth, None).await;
    assert_eq!(one.json()["invoice"]["id"], id);
    let missing = api(&app, "GET", "/v1/account/invoices/nope", &auth, None).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);

    let ops = api(&app, "GET", "/v1/account/billing/operations", &auth, None).await;
    assert_eq!(ops.status, StatusCode::OK, "{}", ops.body);
    let ops = ops.json();
    let list = ops["billing-operations"].as_array().unwrap();
    assert_eq!(list.len(), 2);
    // Newest first: the invoice paid from the credit, then the transfer.
    assert_eq!(
        (list[0]["amount"].as_i64(), list[0]["source"].as_str()),
        (Some(-120), Some("credit"))
    );
    assert_eq!(list[0]["invoice_id"], id);
    assert_eq!(
        (list[1]["amount"].as_i64(), list[1]["source"].as_str()),
        (Some(5000), Some("operator"))
    );
    let bad_page = api(&app, "GET", "/v1/account/invoices?page=0", &auth, None).await;
    assert_eq!(bad_page.status, StatusCode::BAD_REQUEST);

    // The tab shows the same, and the Timeline tells the story.
    let page = app.get("/account/billing", Some(&cookie)).await;
    assert!(page.body.contains("€48.80"), "credit balance shown: {}", page.body);
    assert!(page.body.contains("Bank transfer 2026-11"));
    let timeline = app.get("/account/timeline", Some(&cookie)).await;
    assert!(timeline.body.contains("Credit added"), "{}", timeline.body);
    assert!(timeline.body.contains("Invoice paid"), "{}", timeline.body);
}
