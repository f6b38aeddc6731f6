//! "It was not me" (migration 0011): the owner is mailed when a token is created, a key added or
//! the second factor changed, with a link that ends every session and API token. The mail is
//! queued with its link, in the transaction of the change it tells about.

use super::events::{self, Actor, EventType};
use super::mail_queue::{self, OutgoingMail};
use super::security::{self, Keep};
use super::Db;
use serde_json::json;
use sqlx::{AnyConnection, Row};

/// How long the link works: as long as the e-mail change's report link.
pub const LIFETIME_SECS: i64 = 7 * 86_400;

/// What the mail tells the owner about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Alert {
    NewToken,
    RenewedToken,
    NewKey,
    NewPasskey,
    TfaEnabled,
    TfaDisabled,
    RecoveryCodes,
}

impl Alert {
    pub fn name(self) -> &'static str {
        match self {
            Alert::NewToken => "new_token",
            Alert::RenewedToken => "regenerate_token",
            Alert::NewKey => "new_key",
            Alert::NewPasskey => "new_passkey",
            Alert::TfaEnabled => "tfa_enabled",
            Alert::TfaDisabled => "tfa_disabled",
            Alert::RecoveryCodes => "regenerate_recovery_codes",
        }
    }
}

/// A mail to the owner and the digest of the link it carries.
#[derive(Clone, Debug)]
pub struct OwnerAlert {
    pub alert: Alert,
    /// What the link may undo besides ending access: a new key's fingerprint, a new passkey's
    /// credential id.
    pub subject: Option<String>,
    pub token_digest: String,
    pub mail: OutgoingMail,
}

/// Stores the link and queues its mail, inside the transaction of the change.
pub async fn queue(
    db: &Db,
    conn: &mut AnyConnection,
    user_id: &str,
    alert: &OwnerAlert,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO security_reports (token_digest, user_id, kind, subject, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&alert.token_digest)
    .bind(user_id)
    .bind(alert.alert.name())
    .bind(alert.subject.as_deref())
    .bind(now)
    .bind(now + LIFETIME_SECS)
    .execute(&mut *conn)
    .await?;
    mail_queue::enqueue(db, conn, &alert.mail, now).await?;
    Ok(())
}

/// True when the link can still be followed.
pub async fn is_usable(db: &Db, token_digest: &str, now: i64) -> Result<bool, sqlx::Error> {
    let row =
        sqlx::query("SELECT 1 FROM security_reports WHERE token_digest = $1 AND used_at IS NULL AND expires_at > $2")
            .bind(token_digest)
            .bind(now)
            .fetch_optional(&db.pool)
            .await?;
    Ok(row.is_some())
}

#[derive(Debug, PartialEq, Eq)]
pub enum Reported {
    /// Every session and API token ended; the key or passkey the mail was about removed, if it
    /// still was.
    Done { key_removed: bool, passkey_removed: bool },
    /// Used, expired or never issued.
    Unusable,
}

/// Follows the link: in one transaction, ends every session, API token (and bearer), sign-in
/// waiting for a code and known browser, removes the key the mail was about, and records
/// `security_report`. Only ever takes access away, so a mailbox alone gains nothing by it.
pub async fn report(db: &Db, token_digest: &str, actor: &Actor, now: i64) -> Result<Reported, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let used = sqlx::query(
        "UPDATE security_reports SET used_at = $1 WHERE token_digest = $2 AND used_at IS NULL AND expires_at > $1 \
         RETURNING user_id, kind, subject",
    )
    .bind(now)
    .bind(token_digest)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = used else {
        return Ok(Reported::Unusable);
    };
    let user_id: String = row.try_get("user_id")?;
    let kind: String = row.try_get("kind")?;
    let subject: Option<String> = row.try_get("subject")?;
    let key_removed = match (kind.as_str(), subject.clone()) {
        ("new_key", Some(fingerprint)) => {
            let removed = sqlx::query("DELETE FROM ssh_keys WHERE user_id = $1 AND fingerprint = $2 RETURNING name")
                .bind(&user_id)
                .bind(&fingerprint)
                .fetch_optional(&mut *tx)
                .await?;
            match removed {
                Some(row) => {
                    let name: String = row.try_get("name")?;
                    let data = json!({ "name": name, "fingerprint": fingerprint, "by": "report" });
                    events::note(&mut tx, &user_id, EventType::DeleteKey, actor, data).await?;
                    true
                }
                None => false,
            }
        }
        _ => false,
    };
    let passkey_removed = match (kind.as_str(), subject) {
        ("new_passkey", Some(credential_id)) => {
            let removed =
                sqlx::query("DELETE FROM passkeys WHERE user_id = $1 AND credential_id = $2 RETURNING id, name")
                    .bind(&user_id)
                    .bind(&credential_id)
                    .fetch_optional(&mut *tx)
                    .await?;
            match removed {
                Some(row) => {
                    let name: String = row.try_get("name")?;
                    let id: String = row.try_get("id")?;
                    let data = json!({ "name": name, "passkey_id": id, "by": "report" });
                    events::note(&mut tx, &user_id, EventType::DeletePasskey, actor, data).await?;
                    true
                }
                None => false,
            }
        }
        _ => false,
    };
    // After the passkey the mail was about, so its removal is recorded by name; then the rest.
    let ended = security::end_access(&mut tx, &user_id, Keep::Nothing).await?;
    let data = json!({
        "about": kind,
        "passkeys": ended.passkeys,
        "sessions": ended.sessions,
        "tokens": ended.tokens,
        "email_change_cancelled": ended.email_changes > 0,
        "key_removed": key_removed,
        "passkey_removed": passkey_removed,
    });
    events::note(&mut tx, &user_id, EventType::SecurityReport, actor, data).await?;
    tx.commit().await?;
    Ok(Reported::Done {
        key_removed,
        passkey_removed,
    })
}
