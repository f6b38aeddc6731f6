//! Outgoing mail: through SMTP when `VESTIBULE_SMTP_URL` is set, otherwise as `.eml` files in
//! the outbox folder under the data directory (so a fresh install loses nothing and an
//! operator can read what would have been sent). Messages are queued in the database
//! (`db::mail_queue`) and delivered by `worker`, with retries.

pub mod compose;
pub mod worker;

use crate::db::mail_queue::OutgoingMail;
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::PathBuf;

#[derive(Clone)]
pub enum Mailer {
    Smtp {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        from: Mailbox,
    },
    Outbox {
        dir: PathBuf,
        from: Mailbox,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum MailerError {
    #[error("VESTIBULE_SMTP_URL: {0}")]
    SmtpUrl(String),
    #[error("VESTIBULE_MAIL_FROM: {0}")]
    From(String),
}

impl Mailer {
    pub fn new(smtp_url: Option<&str>, from: &str, outbox: PathBuf) -> Result<Mailer, MailerError> {
        let from: Mailbox = from.parse().map_err(|e| {
            MailerError::From(format!(
                "not a sender address like \"Vestibule <no-reply@example.com>\" ({e})"
            ))
        })?;
        Ok(match smtp_url {
            Some(url) => Mailer::Smtp {
                // The error names what is wrong, never the URL itself (it may hold a password).
                transport: AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| MailerError::SmtpUrl(e.to_string()))?
                    .timeout(Some(std::time::Duration::from_secs(20)))
                    .build(),
                from,
            },
            None => Mailer::Outbox { dir: outbox, from },
        })
    }

    /// Where mail goes, for the start-up message.
    pub fn describe(&self) -> String {
        match self {
            Mailer::Smtp { .. } => "SMTP (VESTIBULE_SMTP_URL)".into(),
            Mailer::Outbox { dir, .. } => format!("the outbox folder {}", dir.display()),
        }
    }

    fn from(&self) -> &Mailbox {
        match self {
            Mailer::Smtp { from, .. } | Mailer::Outbox { from, .. } => from,
        }
    }

    /// Plain text plus HTML, as one `multipart/alternative` message.
    pub fn message(&self, mail: &OutgoingMail) -> Result<Message, String> {
        let to: Mailbox = mail.to.parse().map_err(|e| format!("bad recipient: {e}"))?;
        Message::builder()
            .from(self.from().clone())
            .to(to)
            .subject(&mail.subject)
            .multipart(MultiPart::alternative_plain_html(mail.text.clone(), mail.html.clone()))
            .map_err(|e| e.to_string())
    }

    /// Sends one message now. `id` names the outbox file.
    pub async fn deliver(&self, id: i64, mail: &OutgoingMail) -> Result<(), String> {
        let message = self.message(mail)?;
        match self {
            Mailer::Smtp { transport, .. } => transport.send(message).await.map(|_| ()).map_err(|e| e.to_string()),
            Mailer::Outbox { dir, .. } => {
                crate::private_files::create_dir(dir).map_err(|e| e.to_string())?;
                let path = dir.join(format!("{:08}.eml", id));
                match crate::private_files::write_new(&path, &message.formatted()) {
                    // Already there: an earlier attempt wrote it before failing to record that.
                    Ok(_) => Ok(()),
                    Err(e) => Err(format!("cannot write {}: {e}", path.display())),
                }
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn mail() -> OutgoingMail {
        OutgoingMail {
            to: "alice@example.com".into(),
            subject: "Votre mot de passe a été modifié".into(),
            text: "Bonjour,\n\nVotre mot de passe a été modifié.".into(),
            html: "<p>Bonjour,</p><p>Votre mot de passe a été modifié.</p>".into(),
        }
    }

    #[test]
    fn messages_are_text_plus_html_with_an_encoded_subject() {
        let mailer = Mailer::new(None, "Vestibule <no-reply@example.com>", PathBuf::from("x")).unwrap();
        let raw = String::from_utf8(mailer.message(&mail()).unwrap().formatted()).unwrap();
        assert!(raw.contains("Content-Type: multipart/alternative"), "{raw}");
        assert!(raw.contains("Content-Type: text/plain; charset=utf-8"));
        assert!(raw.contains("Content-Type: text/html; charset=utf-8"));
        assert!(
            raw.contains("=?utf-8?b?w6l0w6kgbW9kaWZpw6k=?="),
            "non-ASCII words are encoded: {raw}"
        );
        assert!(raw.contains("From: Vestibule <no-reply@example.com>"));
    }

    #[test]
    fn bad_settings_are_named_without_echoing_secrets() {
        let from = Mailer::new(None, "not an address", PathBuf::from("x")).err().unwrap();
        assert!(from.to_string().starts_with("VESTIBULE_MAIL_FROM"));
        let url = Mailer::new(Some("ftp://user:hunter2@host"), "a@example.com", PathBuf::from("x"))
            .err()
            .unwrap();
        assert!(url.to_string().starts_with("VESTIBULE_SMTP_URL") && !url.to_string().contains("hunter2"));
    }

    #[tokio::test]
    async fn without_smtp_mail_lands_in_the_outbox_once() {
        let dir = tempfile::tempdir().unwrap();
        let outbox = dir.path().join("outbox");
        let mailer = Mailer::new(None, "no-reply@example.com", outbox.clone()).unwrap();
        mailer.deliver(7, &mail()).await.unwrap();
        mailer.deliver(7, &mail()).await.unwrap();
        let files: Vec<_> = std::fs::read_dir(&outbox).unwrap().collect();
        assert_eq!(files.len(), 1);
        let eml = std::fs::read_to_string(outbox.join("00000007.eml")).unwrap();
        assert!(eml.contains("To: alice@example.com"));
    }
}
