//! Mail delivery against a real SMTP server process on loopback (Python's aiosmtpd, which
//! `scripts/install-tools --test` installs), with the queue on both databases.

use crate::support::TestDb;
use server::db::mail_queue::{self, OutgoingMail};
use server::mail::worker::{deliver_due, Round, RETRY_DELAYS};
use server::mail::Mailer;
use sqlx::Row;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// An aiosmtpd process that stores what it receives in a Maildir.
struct SmtpServer {
    child: Child,
    maildir: PathBuf,
    _dir: tempfile::TempDir,
}

impl SmtpServer {
    async fn start(port: u16) -> SmtpServer {
        let dir = tempfile::tempdir().unwrap();
        let maildir = dir.path().join("maildir");
        let child = Command::new("python3")
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}")])
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&maildir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 with aiosmtpd (scripts/install-tools --test installs it)");
        // Owned from here, so the process is reaped (Drop) even if it never starts listening.
        let server = SmtpServer {
            child,
            maildir,
            _dir: dir,
        };
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
                return server;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("aiosmtpd did not start on port {port}");
    }

    fn received(&self) -> Vec<String> {
        let new = self.maildir.join("new");
        match std::fs::read_dir(&new) {
            Ok(entries) => entries
                .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
                .collect(),
            Err(_) => Vec::new(),
        }
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn mailer(port: u16, outbox: &Path) -> Mailer {
    let url = format!("smtp://127.0.0.1:{port}");
    Mailer::new(Some(&url), "Vestibule <no-reply@example.com>", outbox.to_path_buf()).unwrap()
}

fn message(to: &str) -> OutgoingMail {
    OutgoingMail {
        to: to.into(),
        subject: "Your password was changed".into(),
        text: "Hello,\n\nYour password was changed.\n".into(),
        html: "<p>Hello,</p><p>Your password was changed.</p>".into(),
    }
}

async fn queue(t: &TestDb, mail: &OutgoingMail) -> i64 {
    let mut conn = t.db.pool.acquire().await.unwrap();
    mail_queue::enqueue(&t.db, &mut conn, mail, server::db::now())
        .await
        .unwrap()
}

async fn attempts_and_next(t: &TestDb, id: i64) -> (i64, i64) {
    let row = sqlx::query("SELECT attempts, next_attempt_at FROM mail_queue WHERE id = $1")
        .bind(id)
        .fetch_one(&t.db.pool)
        .await
        .unwrap();
    (row.get("attempts"), row.get("next_attempt_at"))
}

#[tokio::test]
async fn queued_mail_reaches_a_real_smtp_server_as_text_and_html() {
    for t in TestDb::all().await {
        let port = free_port();
        let smtp = SmtpServer::start(port).await;
        let id = queue(&t, &message("alice@example.com")).await;
        let round = deliver_due(&t.db, &mailer(port, Path::new("unused"))).await.unwrap();
        assert_eq!(round, Round { sent: 1, failed: 0 }, "{}", t.name());
        let received = smtp.received();
        assert_eq!(received.len(), 1);
        let raw = &received[0];
        assert!(raw.contains("Subject: Your password was changed"), "{raw}");
        assert!(raw.contains("text/plain") && raw.contains("text/html"));
        assert!(raw.contains("To: alice@example.com"));
        let (sent, error) = mail_queue::status(&t.db, id).await.unwrap();
        assert!(sent.is_some() && error.is_none());
        // Sent once: another round finds nothing to do.
        let again = deliver_due(&t.db, &mailer(port, Path::new("unused"))).await.unwrap();
        assert_eq!(again, Round::default());
        drop(smtp);
        t.finish().await;
    }
}

#[tokio::test]
async fn a_failed_delivery_is_kept_retried_later_and_then_delivered() {
    for t in TestDb::all().await {
        let port = free_port(); // nothing listens there yet
        let before = server::db::now();
        let id = queue(&t, &message("bob@example.com")).await;
        let round = deliver_due(&t.db, &mailer(port, Path::new("unused"))).await.unwrap();
        assert_eq!(round, Round { sent: 0, failed: 1 }, "{}", t.name());
        let (sent, error) = mail_queue::status(&t.db, id).await.unwrap();
        assert!(sent.is_none());
        assert!(error.is_some_and(|e| !e.is_empty()), "the error is recorded");
        let (attempts, next) = attempts_and_next(&t, id).await;
        assert_eq!(attempts, 1);
        assert!(
            next >= before + RETRY_DELAYS[0],
            "retried after the first delay, not at once"
        );
        // Not due yet: nothing happens.
        let early = deliver_due(&t.db, &mailer(port, Path::new("unused"))).await.unwrap();
        assert_eq!(early, Round::default());

        // The relay comes back and the delay passes.
        let smtp = SmtpServer::start(port).await;
        sqlx::query("UPDATE mail_queue SET next_attempt_at = 0 WHERE id = $1")
            .bind(id)
            .execute(&t.db.pool)
            .await
            .unwrap();
        let round = deliver_due(&t.db, &mailer(port, Path::new("unused"))).await.unwrap();
        assert_eq!(round, Round { sent: 1, failed: 0 });
        assert_eq!(smtp.received().len(), 1);
        assert_eq!(attempts_and_next(&t, id).await.0, 2);
        drop(smtp);
        t.finish().await;
    }
}

#[tokio::test]
async fn after_the_last_retry_the_message_stays_with_its_error() {
    let t = TestDb::sqlite().await;
    let port = free_port();
    let id = queue(&t, &message("carol@example.com")).await;
    for _ in 0..=RETRY_DELAYS.len() {
        sqlx::query(
            "UPDATE mail_queue SET next_attempt_at = 0 WHERE id = $1 AND next_attempt_at < 9000000000000000000",
        )
        .bind(id)
        .execute(&t.db.pool)
        .await
        .unwrap();
        deliver_due(&t.db, &mailer(port, Path::new("unused"))).await.unwrap();
    }
    let (attempts, next) = attempts_and_next(&t, id).await;
    assert_eq!(attempts, RETRY_DELAYS.len() as i64 + 1);
    assert_eq!(next, i64::MAX, "no further tries");
    let (sent, error) = mail_queue::status(&t.db, id).await.unwrap();
    assert!(sent.is_none() && error.is_some(), "kept, not deleted");
    assert_eq!(
        bodies(&t, id).await,
        (String::new(), String::new()),
        "no retry needs the body now"
    );
    t.finish().await;
}

async fn bodies(t: &TestDb, id: i64) -> (String, String) {
    let row = sqlx::query("SELECT body_text, body_html FROM mail_queue WHERE id = $1")
        .bind(id)
        .fetch_one(&t.db.pool)
        .await
        .unwrap();
    (row.get(0), row.get(1))
}

#[tokio::test]
async fn a_delivered_message_leaves_no_live_link_in_the_database() {
    for t in TestDb::all().await {
        let outbox = tempfile::tempdir().unwrap();
        let mailer = Mailer::new(None, "Vestibule <no-reply@example.com>", outbox.path().to_path_buf()).unwrap();
        let mut mail = message("alice@example.com");
        mail.text = "Reset it: http://dash.test/password/reset?token=live-secret-token\n".into();
        mail.html = r#"<a href="http://dash.test/password/reset?token=live-secret-token">Reset</a>"#.into();
        let id = queue(&t, &mail).await;
        assert!(
            bodies(&t, id).await.0.contains("live-secret-token"),
            "kept until it is sent"
        );
        let round = deliver_due(&t.db, &mailer).await.unwrap();
        assert_eq!(round, Round { sent: 1, failed: 0 }, "{}", t.name());
        assert_eq!(bodies(&t, id).await, (String::new(), String::new()), "{}", t.name());
        let row = sqlx::query("SELECT to_address, subject, sent_at FROM mail_queue WHERE id = $1")
            .bind(id)
            .fetch_one(&t.db.pool)
            .await
            .unwrap();
        assert_eq!(
            row.get::<String, _>(0),
            "alice@example.com",
            "the log keeps who and what"
        );
        assert_eq!(row.get::<String, _>(1), "Your password was changed");
        assert!(row.get::<Option<i64>, _>(2).is_some());
        let delivered: String = std::fs::read_dir(outbox.path())
            .unwrap()
            .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
            .collect();
        assert!(delivered.contains("live-secret-token"), "the recipient got it");
        t.finish().await;
    }
}

#[tokio::test]
async fn queued_bodies_are_sealed_with_the_server_key() {
    for t in TestDb::all().await {
        let key = server::secret::SecretKey::from_bytes([5; 32]);
        let db = t.db.clone().sealing_mail_with(key);
        let mut mail = message("alice@example.com");
        mail.text = "Reset it: http://dash.test/password/reset?token=sealed-secret-token\n".into();
        let mut conn = db.pool.acquire().await.unwrap();
        let id = mail_queue::enqueue(&db, &mut conn, &mail, server::db::now())
            .await
            .unwrap();
        drop(conn);
        let (text, html) = bodies(&t, id).await;
        assert!(
            text.starts_with("sealed:") && html.starts_with("sealed:"),
            "{}",
            t.name()
        );
        assert!(
            !text.contains("sealed-secret-token"),
            "the database alone does not hold the link"
        );
        assert_eq!(mail_queue::opened(&db, &text).unwrap(), mail.text);

        // A server with another key cannot send it, and says why.
        let other =
            t.db.clone()
                .sealing_mail_with(server::secret::SecretKey::from_bytes([6; 32]));
        let outbox = tempfile::tempdir().unwrap();
        let mailer = Mailer::new(None, "Vestibule <no-reply@example.com>", outbox.path().to_path_buf()).unwrap();
        let round = deliver_due(&other, &mailer).await.unwrap();
        assert_eq!(round, Round { sent: 0, failed: 1 }, "{}", t.name());
        let (_, error) = mail_queue::status(&t.db, id).await.unwrap();
        assert!(error.unwrap().contains("another server key"));

        // The right key delivers it in clear to the recipient.
        sqlx::query("UPDATE mail_queue SET next_attempt_at = 0 WHERE id = $1")
            .bind(id)
            .execute(&t.db.pool)
            .await
            .unwrap();
        assert_eq!(deliver_due(&db, &mailer).await.unwrap(), Round { sent: 1, failed: 0 });
        let delivered: String = std::fs::read_dir(outbox.path())
            .unwrap()
            .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
            .collect();
        assert!(delivered.contains("sealed-secret-token"));
        t.finish().await;
    }
}
