//! The operator commands, run as the real binary.

use crate::support::{TestApp, PASSWORD};
use http::StatusCode;
use std::io::Write;
use std::process::{Command, Stdio};

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn vestibule(args: &[&str], env: &[(&str, &str)], stdin: &str) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_vestibule"))
        .args(args)
        .env_clear()
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into(),
        stderr: String::from_utf8_lossy(&out.stderr).into(),
    }
}

#[test]
fn a_bad_setting_stops_the_server_with_one_line_naming_it() {
    for (name, value) in [
        ("LEPTOS_SITE_ADDR", "nowhere"),
        ("DATABASE_URL", "mysql://u:pw@h/db"),
        ("VESTIBULE_SIGNUP", "sometimes"),
    ] {
        let run = vestibule(&[], &[(name, value)], "");
        assert_eq!(run.code, 2, "{name}");
        assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
        assert!(
            run.stderr
                .starts_with(&format!("vestibule: configuration error: {name}:")),
            "{}",
            run.stderr
        );
    }
    let unknown = vestibule(&["frobnicate"], &[], "");
    assert_eq!(unknown.code, 2);
    assert!(unknown.stderr.contains("unknown command"));
}

#[test]
fn an_unreachable_database_is_reported_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let run = vestibule(
        &["migrate"],
        &[
            ("DATABASE_URL", "postgres://nobody@127.0.0.1:1/none"),
            ("VESTIBULE_DATA_DIR", dir.path().to_str().unwrap()),
        ],
        "",
    );
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("cannot open the database (DATABASE_URL)"),
        "{}",
        run.stderr
    );
}

#[tokio::test]
async fn migrate_create_and_reset_password_work_on_the_servers_database() {
    let app = TestApp::new().await;
    let url = app.state.config.database_url.clone();
    let data = app.dir.path().to_str().unwrap().to_string();
    let env = [("DATABASE_URL", url.as_str()), ("VESTIBULE_DATA_DIR", data.as_str())];

    let migrate = vestibule(&["migrate"], &env, "");
    assert_eq!(migrate.code, 0, "{}", migrate.stderr);

    let weak = vestibule(
        &["user", "create", "--username", "ops", "--email", "ops@example.com"],
        &env,
        "password1\n",
    );
    assert_eq!(weak.code, 1);
    assert!(
        weak.stderr.contains("password: This password is too common"),
        "{}",
        weak.stderr
    );

    let create = vestibule(
        &["user", "create", "--username", "ops", "--email", "ops@example.com"],
        &env,
        &format!("{PASSWORD}\n"),
    );
    assert_eq!(create.code, 0, "{}", create.stderr);
    assert!(create.stdout.starts_with("Created user ops"));
    let cookie = app.sign_in("ops", PASSWORD).await.session_cookie().unwrap();

    let twice = vestibule(
        &["user", "create", "--username", "ops", "--email", "x@example.com"],
        &env,
        &format!("{PASSWORD}\n"),
    );
    assert!(twice.stderr.contains("username: This username is already taken."));

    let reset = vestibule(
        &["user", "reset-password", "--username", "ops"],
        &env,
        "another long passphrase\n",
    );
    assert_eq!(reset.code, 0, "{}", reset.stderr);
    assert_eq!(
        app.get("/account", Some(&cookie)).await.status,
        StatusCode::SEE_OTHER,
        "sessions revoked"
    );
    assert_eq!(app.sign_in("ops", PASSWORD).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.sign_in("ops", "another long passphrase").await.status,
        StatusCode::SEE_OTHER
    );

    let nobody = vestibule(
        &["user", "reset-password", "--username", "ghost"],
        &env,
        "another long passphrase\n",
    );
    assert_eq!(nobody.code, 1);
    assert!(nobody.stderr.contains("no user named"));
}

#[tokio::test]
async fn documents_are_published_from_markdown_files_and_listed() {
    let app = TestApp::new().await;
    let url = app.state.config.database_url.clone();
    let data = app.dir.path().to_str().unwrap().to_string();
    let env = [("DATABASE_URL", url.as_str()), ("VESTIBULE_DATA_DIR", data.as_str())];
    let en = app.dir.path().join("terms.en.md");
    let fr = app.dir.path().join("terms.fr.md");
    std::fs::write(&en, "# Terms\n\nBe kind. <script>alert(1)</script>\n").unwrap();
    std::fs::write(&fr, "# Conditions\n\nSoyez aimables.\n").unwrap();
    let (en, fr) = (en.to_str().unwrap(), fr.to_str().unwrap());

    let empty = vestibule(&["documents", "list"], &env, "");
    assert_eq!(
        (empty.code, empty.stdout.trim()),
        (0, "No document has been published yet.")
    );

    let publish = |version: &str, extra: &[&str]| {
        let mut args = vec![
            "documents",
            "publish",
            "--kind",
            "terms",
            "--version",
            version,
            "--en",
            en,
            "--fr",
            fr,
        ];
        args.extend_from_slice(extra);
        vestibule(&args, &env, "")
    };
    let first = publish("2026-01", &["--required"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert!(first.stdout.starts_with("Published terms version 2026-01, required"));
    let again = publish("2026-01", &[]);
    assert_eq!(again.code, 1);
    assert!(again.stderr.contains("already published"), "{}", again.stderr);
    let missing = vestibule(
        &[
            "documents",
            "publish",
            "--kind",
            "privacy",
            "--version",
            "1",
            "--en",
            "/nope.md",
            "--fr",
            fr,
        ],
        &env,
        "",
    );
    assert_eq!(missing.code, 1);
    assert!(
        missing.stderr.contains("cannot read the English text /nope.md"),
        "{}",
        missing.stderr
    );
    let blank = app.dir.path().join("blank.md");
    std::fs::write(&blank, "  \n").unwrap();
    let empty_text = vestibule(
        &[
            "documents",
            "publish",
            "--kind",
            "privacy",
            "--version",
            "1",
            "--en",
            en,
            "--fr",
            blank.to_str().unwrap(),
        ],
        &env,
        "",
    );
    assert!(empty_text.stderr.contains("is empty"), "{}", empty_text.stderr);
    let bad_kind = vestibule(&["documents", "publish", "--kind", "eula"], &env, "");
    assert_eq!(bad_kind.code, 2);

    assert_eq!(publish("2026-11", &["--required"]).code, 0);
    let list = vestibule(&["documents", "list"], &env, "");
    let lines: Vec<&str> = list.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", list.stdout);
    assert!(
        lines[1].starts_with("terms    2026-11      yes       yes"),
        "{}",
        lines[1]
    );
    assert!(lines[2].starts_with("terms    2026-01      yes      "), "{}", lines[2]);

    // The server shows what was published, rendered, with the raw HTML as text.
    let page = app.get("/legal/terms", None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<h2>Terms</h2>"));
    assert!(page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!page.body.contains("<script>alert(1)"));
}

#[test]
fn mail_test_writes_to_the_outbox_or_says_why_it_could_not_send() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/cli.db", dir.path().display());
    let data = dir.path().display().to_string();
    let env = [("DATABASE_URL", url.as_str()), ("VESTIBULE_DATA_DIR", data.as_str())];
    let sent = vestibule(&["mail", "test", "--to", "ops@example.com"], &env, "");
    assert_eq!(sent.code, 0, "{}", sent.stderr);
    assert!(
        sent.stdout.contains("delivered to the outbox folder"),
        "{}",
        sent.stdout
    );
    let outbox: Vec<_> = std::fs::read_dir(dir.path().join("outbox")).unwrap().collect();
    assert_eq!(outbox.len(), 1);

    let bad = vestibule(&["mail", "test", "--to", "not-an-address"], &env, "");
    assert_eq!(bad.code, 1);
    assert!(bad.stderr.contains("--to is not an e-mail address"), "{}", bad.stderr);

    // A relay that does not answer: the message is reported undelivered and kept for retries.
    let closed_port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let smtp = format!("smtp://127.0.0.1:{closed_port}");
    let env = [
        ("DATABASE_URL", url.as_str()),
        ("VESTIBULE_DATA_DIR", data.as_str()),
        ("VESTIBULE_SMTP_URL", smtp.as_str()),
        ("VESTIBULE_MAIL_FROM", "Vestibule <no-reply@example.com>"),
    ];
    let failed = vestibule(&["mail", "test", "--to", "ops@example.com"], &env, "");
    assert_eq!(failed.code, 1);
    assert!(failed.stderr.contains("not delivered"), "{}", failed.stderr);
    assert!(failed.stderr.contains("stays queued"), "{}", failed.stderr);
}
