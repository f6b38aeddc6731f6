//! Mail delivery against a real SMTP server process on loopback (Python's aiosmtpd, which
//! `scripts/install-tools --test` installs), with the queue on both databases.

use crate::support::TestDb;
use server::db::mail_queue::{self, OutgoingMail};
use server::mail::worker::{deliver_due, Round, RETRY_DELAYS};
use server::mail::Mailer;
use sqlx::Row;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::Duration;

/// An aiosmtpd process that stores what it receives in a Maildir.
struct SmtpServer {
    child: Child,
    maildir: PathBuf,
    log: PathBuf,
    _dir: tempfile::TempDir,
}

impl SmtpServer {
    async fn start(address: SocketAddr) -> SmtpServer {
        let dir = tempfile::tempdir().unwrap();
        let maildir = dir.path().join("maildir");
        let log = dir.path().join("aiosmtpd.log");
        let child = Command::new("python3")
            .args(["-m", "aiosmtpd", "-n", "-d", "-l", &address.to_string()])
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&maildir)
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .expect("python3 with aiosmtpd (scripts/install-tools --test installs it)");
        // Owned from here, so the process is reaped (Drop) even if it never starts listening.
        let mut server = SmtpServer {
            child,
            maildir,
            log,
            _dir: dir,
        };
        for _ in 0..100 {
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!("aiosmtpd exited ({status}): {}", server.log());
            }
            // Our aiosmtpd, not whatever else may hold the port: its greeting names it.
            if greeting(address).is_some_and(|g| g.contains("Python SMTP")) {
                return server;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("aiosmtpd did not start on {address}: {}", server.log());
    }

    /// The messages in the Maildir once there are `expected` of them. Polls briefly: the
    /// message is stored before the server answers 250, but a slow machine should not make
    /// this test fail, and a failure shows the server's own log.
    async fn received(&self, expected: usize) -> Vec<String> {
        let new = self.maildir.join("new");
        let mut found = Vec::new();
        for _ in 0..50 {
            found = match std::fs::read_dir(&new) {
                Ok(entries) => entries
                    .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
                    .collect(),
                Err(_) => Vec::new(),
            };
            if found.len() >= expected {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(found.len(), expected, "aiosmtpd log: {}", self.log());
        found
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

/// The first line an SMTP server sends, if one answers on the port within a second.
/// (Blocking: the test has nothing else to run meanwhile.)
fn greeting(address: SocketAddr) -> Option<String> {
    use std::io::Read;
    let mut stream = std::net::TcpStream::connect(address).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(1))).ok()?;
    let mut buf = [0u8; 256];
    let n = stream.read(&mut buf).ok()?;
    Some(String::from_utf8_lossy(&buf[..n]).into_owned())
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An address no other test uses: a port free at the time, on a loopback address of this
/// test's own (all of 127.0.0.0/8 is loopback). A free port alone is not enough: a test that
/// leaves its port unused for a while (to see delivery fail) could see another test start its
/// relay there, and deliver to that one.
fn free_address() -> SocketAddr {
    static NEXT: AtomicU8 = AtomicU8::new(1);
    let process = u8::try_from(std::process::id() % 250).unwrap() + 1;
    let host = Ipv4Addr::new(127, 1, process, NEXT.fetch_add(1, Ordering::Relaxed));
    std::net::TcpListener::bind((host, 0)).unwrap().local_addr().unwrap()
}

fn mailer(address: SocketAddr, outbox: &Path) -> Mailer {
    let url = format!("smtp://{address}");
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
        let relay = free_address();
        let smtp = SmtpServer::start(relay).await;
        let id = queue(&t, &message("alice@example.com")).await;
        let round = deliver_due(&t.db, &mailer(relay, Path::new("unused"))).await.unwrap();
        assert_eq!(round, Round { sent: 1, failed: 0 }, "{}", t.name());
        let received = smtp.received(1).await;
        let raw = &received[0];
        assert!(raw.contains("Subject: Your password was changed"), "{raw}");
        assert!(raw.contains("text/plain") && raw.contains("text/html"));
        assert!(raw.contains("To: alice@example.com"));
        let (sent, error) = mail_queue::status(&t.db, id).await.unwrap();
        assert!(sent.is_some() && error.is_none());
        // Sent once: another round finds nothing to do.
        let again = deliver_due(&t.db, &mailer(relay, Path::new("unused"))).await.unwrap();
        assert_eq!(again, Round::default());
        drop(smtp);
        t.finish().await;
    }
}

#[tokio::test]
async fn a_failed_delivery_is_kept_retried_later_and_then_delivered() {
    for t in TestDb::all().await {
        let relay = free_address(); // nothing listens there yet
        let before = server::db::now();
        let id = queue(&t, &message("bob@example.com")).await;
        let round = deliver_due(&t.db, &mailer(relay, Path::new("unused"))).await.unwrap();
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
        let early = deliver_due(&t.db, &mailer(relay, Path::new("unused"))).await.unwrap();
        assert_eq!(early, Round::default());

        // The relay comes back and the delay passes.
        let smtp = SmtpServer::start(relay).await;
        sqlx::query("UPDATE mail_queue SET next_attempt_at = 0 WHERE id = $1")
            .bind(id)
            .execute(&t.db.pool)
            .await
            .unwrap();
        let round = deliver_due(&t.db, &mailer(relay, Path::new("unused"))).await.unwrap();
        assert_eq!(round, Round { sent: 1, failed: 0 });
        smtp.received(1).await;
        assert_eq!(attempts_and_next(&t, id).await.0, 2);
        drop(smtp);
        t.finish().await;
    }
}

#[tokio::test]
async fn after_the_last_retry_the_message_stays_with_its_error() {
    let t = TestDb::sqlite().await;
    let relay = free_address();
    let id = queue(&t, &message("carol@example.com")).await;
    for _ in 0..=RETRY_DELAYS.len() {
        sqlx::query(
            "UPDATE mail_queue SET next_attempt_at = 0 WHERE id = $1 AND next_attempt_at < 9000000000000000000",
        )
        .bind(id)
        .execute(&t.db.pool)
        .await
        .unwrap();
        deliver_due(&t.db, &mailer(relay, Path::new("unused"))).await.unwrap();
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
