//! Sign-ups waiting for the link mailed to their address (migration 0008). Following the link
//! creates the account and uses the request up in one transaction.

use super::documents::{self, StoredDocument};
use super::events::Actor;
use super::mail_queue::{self, OutgoingMail};
use super::users::{self, CreateUserError, NewUser, PasswordHash, User};
use super::Db;
use app::i18n::Lang;
use app::prefs::{Prefs, Theme};
use serde_json::json;
use sqlx::Row;

/// How long the link works.
pub const LIFETIME_SECS: i64 = 24 * 3600;

/// What the form said, checked and hashed, waiting for the address to answer.
#[derive(Clone, Debug)]
pub struct SignUpRequest {
    pub username: String,
    pub email: String,
    pub password_hash: PasswordHash,
    pub prefs: Prefs,
    pub time_zone: String,
    /// The ids of the required documents the form showed and the person accepted.
    pub documents: Vec<String>,
    /// Where to go once signed in (already checked to be same-site, or empty).
    pub next: String,
    /// The account whose referral link brought the visitor, if any.
    pub referrer_id: Option<String>,
}

/// Stores the request and queues the mail that carries its link: both or neither.
pub async fn create(
    db: &Db,
    request: &SignUpRequest,
    token_digest: &str,
    mail: &OutgoingMail,
    now: i64,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO signup_requests (token_digest, username, email, password_hash, theme, lang, time_zone, \
         documents, next_path, created_at, expires_at, referrer_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(token_digest)
    .bind(&request.username)
    .bind(&request.email)
    .bind(&request.password_hash.0)
    .bind(request.prefs.theme.code())
    .bind(request.prefs.lang.code())
    .bind(&request.time_zone)
    .bind(json!(request.documents).to_string())
    .bind(&request.next)
    .bind(now)
    .bind(now + LIFETIME_SECS)
    .bind(&request.referrer_id)
    .execute(&mut *tx)
    .await?;
    mail_queue::enqueue(db, &mut tx, mail, now).await?;
    tx.commit().await
}

pub async fn find_usable(db: &Db, token_digest: &str, now: i64) -> Result<Option<SignUpRequest>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT username, email, password_hash, theme, lang, time_zone, documents, next_path, referrer_id \
         FROM signup_requests WHERE token_digest = $1 AND expires_at > $2",
    )
    .bind(token_digest)
    .bind(now)
    .fetch_optional(&db.pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let documents: String = row.try_get("documents")?;
    Ok(Some(SignUpRequest {
        username: row.try_get("username")?,
        email: row.try_get("email")?,
        password_hash: PasswordHash(row.try_get("password_hash")?),
        prefs: Prefs {
            theme: Theme::from_code(&row.try_get::<String, _>("theme")?).unwrap_or_default(),
            lang: Lang::from_code(&row.try_get::<String, _>("lang")?).unwrap_or_default(),
        },
        time_zone: row.try_get("time_zone")?,
        documents: serde_json::from_str(&documents).unwrap_or_default(),
        next: row.try_get("next_path")?,
        referrer_id: row.try_get("referrer_id")?,
    }))
}

/// Creates the account from the request, records the acceptance of `accepted` (the documents
/// the form accepted that are still current) and deletes the request (and any other one for
/// the same address), all in the account's transaction. A request used meanwhile rolls the
/// whole transaction back (`Db(RowNotFound)`).
pub async fn complete(
    db: &Db,
    token_digest: &str,
    request: &SignUpRequest,
    accepted: Vec<StoredDocument>,
    actor: &Actor,
) -> Result<User, CreateUserError> {
    let new = NewUser {
        username: &request.username,
        email: &request.email,
        password_hash: request.password_hash.clone(),
        prefs: request.prefs,
        time_zone: &request.time_zone,
    };
    let (token_digest, email, lang) = (token_digest.to_string(), request.email.clone(), request.prefs.lang);
    let accept_actor = actor.clone();
    let referrer_id = request.referrer_id.clone();
    users::create_with(db, new, actor, json!({}), move |conn, user| {
        Box::pin(async move {
            let used = sqlx::query("DELETE FROM signup_requests WHERE token_digest = $1")
                .bind(&token_digest)
                .execute(&mut *conn)
                .await?;
            if used.rows_affected() != 1 {
                return Err(sqlx::Error::RowNotFound);
            }
            sqlx::query("DELETE FROM signup_requests WHERE email = $1")
                .bind(&email)
                .execute(&mut *conn)
                .await?;
            for doc in &accepted {
                documents::record_acceptance(conn, &user.id, doc, lang, &accept_actor, user.created_at).await?;
            }
            if let Some(referrer_id) = &referrer_id {
                super::referrals::attribute(conn, referrer_id, &user.id, user.created_at).await?;
            }
            Ok(())
        })
    })
    .await
}

/// Deletes requests whose link has expired (they hold a password hash).
pub async fn purge_expired(db: &Db, now: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM signup_requests WHERE expires_at <= $1")
        .bind(now)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected())
}
