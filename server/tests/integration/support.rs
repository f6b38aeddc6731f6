//! Real databases and the real router for the tests.

use axum::body::Body;
use axum::Router;
use http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use server::config::Config;
use server::db::Db;
use server::state::AppState;
use std::collections::HashMap;
use tempfile::TempDir;
use tower::ServiceExt;

/// PostgreSQL URL for the PostgreSQL half of the store tests; unset means SQLite only.
pub const POSTGRES_ENV: &str = "VESTIBULE_TEST_POSTGRES_URL";

/// A fresh, migrated database; PostgreSQL ones are dropped by `finish`.
pub struct TestDb {
    pub db: Db,
    pub url: String,
    _dir: Option<TempDir>,
    pg_admin: Option<(String, String)>,
}

impl TestDb {
    pub async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/test.db", dir.path().display());
        let db = Db::connect(&url).await.unwrap();
        db.migrate().await.unwrap();
        TestDb {
            db,
            url,
            _dir: Some(dir),
            pg_admin: None,
        }
    }

    /// A new database on the PostgreSQL server, or `None` when no server was configured.
    /// A configured but unreachable server fails the test: it must not silently skip.
    pub async fn postgres() -> Option<TestDb> {
        let admin_url = std::env::var(POSTGRES_ENV).ok().filter(|v| !v.is_empty())?;
        let admin = Db::connect(&admin_url)
            .await
            .unwrap_or_else(|e| panic!("{POSTGRES_ENV} is set but unreachable: {e}"));
        let name = format!("vestibule_test_{}", uuid::Uuid::new_v4().simple());
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&admin.pool)
            .await
            .unwrap();
        admin.pool.close().await;
        let base = admin_url.rsplit_once('/').map(|(b, _)| b).unwrap();
        let url = format!("{base}/{name}");
        let db = Db::connect(&url).await.unwrap();
        db.migrate().await.unwrap();
        Some(TestDb {
            db,
            url,
            _dir: None,
            pg_admin: Some((admin_url, name)),
        })
    }

    /// SQLite always, PostgreSQL when configured.
    pub async fn all() -> Vec<TestDb> {
        let mut dbs = vec![TestDb::sqlite().await];
        if let Some(pg) = TestDb::postgres().await {
            dbs.push(pg);
        }
        dbs
    }

    pub fn name(&self) -> &'static str {
        if self.pg_admin.is_some() {
            "postgres"
        } else {
            "sqlite"
        }
    }

    pub async fn finish(self) {
        self.db.pool.close().await;
        if let Some((admin_url, name)) = self.pg_admin {
            let admin = Db::connect(&admin_url).await.unwrap();
            sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&admin.pool)
                .await
                .unwrap();
        }
    }
}

pub struct TestApp {
    pub router: Router,
    pub state: AppState,
    pub dir: TempDir,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: http::HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
    }

    pub fn location(&self) -> &str {
        self.header("location")
    }

    /// `name=value` of the session cookie this reply set, if any.
    pub fn session_cookie(&self) -> Option<String> {
        self.cookie("vestibule_session")
    }

    /// `name=value` of the cookie `name` this reply set, if any.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.starts_with(&format!("{name}=")))
            .and_then(|c| c.split(';').next())
            .map(str::to_string)
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

pub const IP: &str = "203.0.113.7";
pub const TEST_BLOCK_SECS: i64 = 60;

impl TestApp {
    pub async fn new() -> TestApp {
        TestApp::with_env(&[]).await
    }

    /// A server on a fresh SQLite file, behind a "proxy" so tests choose the client address.
    pub async fn with_env(extra: &[(&str, &str)]) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/app.db", dir.path().display());
        TestApp::on_database(dir, &url, extra).await
    }

    /// The app on a fresh SQLite file, then on a fresh PostgreSQL database when one is
    /// configured; hand each PostgreSQL one back to `TestDb::finish` when done with its app.
    pub async fn on_each_database() -> Vec<(TestApp, Option<TestDb>)> {
        let mut apps = vec![(TestApp::new().await, None)];
        if let Some(pg) = TestDb::postgres().await {
            let app = TestApp::on_database(tempfile::tempdir().unwrap(), &pg.url, &[]).await;
            apps.push((app, Some(pg)));
        }
        apps
    }

    /// Which database this app runs on, for assertion messages.
    pub fn backend(&self) -> &'static str {
        match self.state.db.backend {
            server::db::Backend::Sqlite => "sqlite",
            server::db::Backend::Postgres => "postgres",
        }
    }

    pub async fn on_database(dir: TempDir, url: &str, extra: &[(&str, &str)]) -> TestApp {
        let mut env: HashMap<String, String> = HashMap::from([
            ("DATABASE_URL".into(), url.to_string()),
            ("VESTIBULE_DATA_DIR".into(), dir.path().display().to_string()),
            ("VESTIBULE_TRUST_PROXY".into(), "true".into()),
            // Tests sign many users up from one address; the limit has its own test.
            ("VESTIBULE_SIGNUPS_PER_HOUR".into(), "1000".into()),
        ]);
        for (k, v) in extra {
            env.insert(k.to_string(), v.to_string());
        }
        let config = Config::from_lookup(|k| env.get(k).cloned()).unwrap();
        let mut state = server::serve::build_state(config).await.unwrap();
        // The real first block is 2 s: a few debug-build hashes on a busy machine outlast it.
        // A minute keeps throttling tests about counting, not about the clock.
        state.throttle.base_block_secs = TEST_BLOCK_SECS;
        let router = server::web::router(state.clone());
        TestApp { router, state, dir }
    }

    pub async fn send(&self, request: Request<Body>) -> Reply {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn get(&self, path: &str, cookie: Option<&str>) -> Reply {
        let mut builder = Request::get(path).header("x-forwarded-for", IP);
        if let Some(cookie) = cookie {
            builder = builder.header(header::COOKIE, cookie);
        }
        self.send(builder.body(Body::empty()).unwrap()).await
    }

    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)], cookie: Option<&str>) -> Reply {
        self.post_form_from(path, fields, cookie, IP).await
    }

    pub async fn post_form_from(&self, path: &str, fields: &[(&str, &str)], cookie: Option<&str>, ip: &str) -> Reply {
        let body = serde_urlencoded::to_string(fields).unwrap();
        let mut builder = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("sec-fetch-site", "same-origin")
            .header("x-forwarded-for", ip)
            .header(header::USER_AGENT, "integration-test");
        if let Some(cookie) = cookie {
            builder = builder.header(header::COOKIE, cookie);
        }
        self.send(builder.body(Body::from(body)).unwrap()).await
    }

    /// Calls a server function as the hydrated app does (`fetch`, JSON answer).
    pub async fn call(&self, path: &str, fields: &[(&str, &str)], cookie: Option<&str>) -> Reply {
        let body = serde_urlencoded::to_string(fields).unwrap();
        let mut builder = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json")
            .header(header::HOST, "dash.test")
            .header(header::REFERER, "http://dash.test/account")
            .header("sec-fetch-site", "same-origin")
            .header("x-forwarded-for", IP)
            .header(header::USER_AGENT, "integration-test");
        if let Some(cookie) = cookie {
            builder = builder.header(header::COOKIE, cookie);
        }
        self.send(builder.body(Body::from(body)).unwrap()).await
    }

    /// Posts a form to a server function as a browser without JavaScript does, from `page`.
    pub async fn post_without_js(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        cookie: Option<&str>,
        page: &str,
    ) -> Reply {
        let body = serde_urlencoded::to_string(fields).unwrap();
        let mut builder = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "text/html,application/xhtml+xml,*/*;q=0.8")
            .header(header::HOST, "dash.test")
            .header(header::REFERER, format!("http://dash.test{page}"))
            .header("sec-fetch-site", "same-origin")
            .header("x-forwarded-for", IP)
            .header(header::USER_AGENT, "integration-test");
        if let Some(cookie) = cookie {
            builder = builder.header(header::COOKIE, cookie);
        }
        self.send(builder.body(Body::from(body)).unwrap()).await
    }

    /// Signs a new user up (the form, then the link mailed to the address) and returns their
    /// session cookie.
    pub async fn sign_up(&self, username: &str, email: &str, password: &str) -> String {
        let fields = [
            ("username", username),
            ("email", email),
            ("password", password),
            ("next", ""),
        ];
        let reply = self.sign_up_reply(&fields, None).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "sign-up failed: {}", reply.body);
        reply.session_cookie().expect("sign-up sets a session cookie")
    }

    /// Posts the sign-up form; when it is accepted, follows the link mailed to the address and
    /// returns that answer (which signs in), otherwise the form's answer.
    pub async fn sign_up_reply(&self, fields: &[(&str, &str)], cookie: Option<&str>) -> Reply {
        let reply = self.post_form("/signup", fields, cookie).await;
        if reply.status != StatusCode::SEE_OTHER {
            return reply;
        }
        assert_eq!(reply.location(), "/signup?sent=1");
        let email = fields
            .iter()
            .find(|(k, _)| *k == "email")
            .map(|(_, v)| v.trim().to_lowercase())
            .unwrap_or_default();
        let token = self.mailed_token(&email, "/signup/confirm").await;
        // Read and done with: tests that count mail then see only what their own steps sent.
        sqlx::query("DELETE FROM mail_queue WHERE to_address = $1 AND subject IN ($2, $3)")
            .bind(&email)
            .bind("Finish creating your account")
            .bind("Terminez la création de votre compte")
            .execute(&self.state.db.pool)
            .await
            .unwrap();
        // The confirmation asks again for the password chosen on the form (sign-up pre-hijack).
        let password = fields
            .iter()
            .find(|(k, _)| *k == "password")
            .map(|(_, v)| *v)
            .unwrap_or_default();
        self.post_form("/signup/confirm", &[("token", &token), ("password", password)], cookie)
            .await
    }

    /// The token in the newest queued mail to `to` whose link goes to `path`.
    pub async fn mailed_token(&self, to: &str, path: &str) -> String {
        use sqlx::Row;
        let rows = sqlx::query("SELECT body_text FROM mail_queue WHERE to_address = $1 ORDER BY id DESC")
            .bind(to)
            .fetch_all(&self.state.db.pool)
            .await
            .unwrap();
        let marker = format!("{path}?token=");
        rows.iter()
            .filter_map(|row| server::db::mail_queue::opened(&self.state.db, &row.get::<String, _>(0)))
            .find_map(|body| {
                let start = body.find(&marker)? + marker.len();
                Some(body[start..].split_whitespace().next()?.to_string())
            })
            .unwrap_or_else(|| panic!("no mail to {to} with a link to {path}"))
    }

    pub async fn sign_in(&self, login: &str, password: &str) -> Reply {
        self.post_form(
            "/login",
            &[("login", login), ("password", password), ("next", "")],
            None,
        )
        .await
    }

    /// The text of the queued mails to `to` whose subject is `subject`, newest first, opened.
    pub async fn mail_texts(&self, to: &str, subject: &str) -> Vec<String> {
        use sqlx::Row;
        sqlx::query("SELECT body_text FROM mail_queue WHERE to_address = $1 AND subject LIKE $2 ORDER BY id DESC")
            .bind(to)
            .bind(subject)
            .fetch_all(&self.state.db.pool)
            .await
            .unwrap()
            .iter()
            .map(|row| {
                server::db::mail_queue::opened(&self.state.db, &row.get::<String, _>(0)).expect("a readable body")
            })
            .collect()
    }

    pub async fn count(&self, sql: &str) -> i64 {
        use sqlx::Row;
        sqlx::query(sql)
            .fetch_one(&self.state.db.pool)
            .await
            .unwrap()
            .try_get::<i64, _>(0)
            .unwrap()
    }
}

pub const PASSWORD: &str = "a long and unusual passphrase";

/// The TOTP code for `secret` at `unix`, computed by oathtool.
pub fn oathtool(secret: &str, unix: i64) -> String {
    let output = std::process::Command::new("oathtool")
        .args(["--totp", "-b", &secret.replace(' ', ""), "-N", &format!("@{unix}")])
        .output()
        .expect("oathtool is installed (scripts/install-tools --test)");
    assert!(output.status.success());
    String::from_utf8(output.stdout).unwrap().trim().to_string()
}

/// Waits while the current 30-second step is about to end, so two codes computed in a row
/// belong to the steps the test means.
pub async fn away_from_step_edge() {
    let into_step = server::db::now() % 30;
    if into_step > 24 {
        tokio::time::sleep(std::time::Duration::from_secs((31 - into_step) as u64)).await;
    }
}

/// An account straight in the store (no password hash worth the name): for store tests.
pub async fn new_user(db: &server::db::Db, username: &str) -> server::db::users::User {
    use server::db::users::{self, NewUser, PasswordHash};
    let email = format!("{username}@example.com");
    let new = NewUser {
        username,
        email: &email,
        password_hash: PasswordHash("$argon2id$fake".into()),
        prefs: Default::default(),
        time_zone: "UTC",
    };
    users::create(db, new, &server::db::events::Actor::default(), serde_json::json!({}))
        .await
        .unwrap()
}

/// A mail for the queue, its contents beside the point.
pub fn test_mail(to: &str) -> server::db::mail_queue::OutgoingMail {
    server::db::mail_queue::OutgoingMail {
        to: to.into(),
        subject: "s".into(),
        text: "t".into(),
        html: "<p>t</p>".into(),
    }
}

/// The single integer a `SELECT COUNT(*) …` answers.
pub async fn count_rows(db: &server::db::Db, sql: &str) -> i64 {
    use sqlx::Row;
    sqlx::query(sql).fetch_one(&db.pool).await.unwrap().get::<i64, _>(0)
}
