//! What the operator's commands do, once parsed (`super::parse`): each returns the line to
//! print, or the error to show.

use crate::auth::common_passwords;
use crate::auth::password::Hasher;
use crate::db::documents;
use crate::db::events::Actor;
use crate::db::users::{self, CreateUserError, NewUser};
use crate::db::Db;
use app::i18n::{Key, Lang};
use serde_json::json;
use std::io::Read;
use std::path::Path;

use super::PublishArgs;

/// The account whose username is `name` (not its e-mail address, which `find_by_login` also
/// accepts: an operator's command names a user).
async fn user_named(db: &Db, name: &str) -> Result<users::User, String> {
    users::find_by_login(db, name)
        .await
        .map_err(|e| format!("database: {e}"))?
        .filter(|u| u.username == name.trim().to_lowercase())
        .ok_or_else(|| format!("no user named {name:?}"))
}

pub async fn create_app(db: &Db, owner: &str, name: &str) -> Result<String, String> {
    let user = user_named(db, owner).await?;
    use crate::db::apps::{ChangedBy, CreateAppError};
    // The operator is not held to the owners' limit.
    let actor = operator();
    let created = crate::db::apps::create(
        db,
        &user.id,
        name,
        i64::MAX,
        &actor,
        ChangedBy::Operator,
        crate::db::now(),
    );
    match created.await {
        Ok(app) => Ok(format!(
            "Created application {} ({}) owned by {}.",
            app.name, app.id, user.username
        )),
        Err(CreateAppError::NameTaken(name)) => Err(format!("an application named {name:?} exists already")),
        Err(CreateAppError::TooMany) => Err(format!("{} owns too many applications", user.username)),
        Err(CreateAppError::Db(e)) => Err(format!("database: {e}")),
    }
}

pub async fn delete_app(db: &Db, name: &str) -> Result<String, String> {
    use crate::db::apps::{ChangedBy, Which};
    match crate::db::apps::delete(db, Which::Named(name), &operator(), ChangedBy::Operator).await {
        Ok(Some(_)) => Ok(format!("Deleted application {name}.")),
        Ok(None) => Err(format!("no application named {name:?}")),
        Err(e) => Err(format!("database: {e}")),
    }
}

/// Queues a test message and delivers what is due now, reporting this message's outcome.
pub async fn send_test_mail(db: &Db, mailer: &crate::mail::Mailer, to: &str) -> Result<String, String> {
    let to = app::validate::email(to).map_err(|_| format!("--to is not an e-mail address: {to:?}"))?;
    let mail = crate::db::mail_queue::OutgoingMail {
        to: to.clone(),
        subject: "Vestibule: test message".into(),
        text: "This message checks the mail settings of a Vestibule server. Nothing else to do.\n".into(),
        html: "<p>This message checks the mail settings of a Vestibule server. Nothing else to do.</p>\n".into(),
    };
    let mut conn = db.pool.acquire().await.map_err(|e| e.to_string())?;
    let id = crate::db::mail_queue::enqueue(db, &mut conn, &mail, crate::db::now())
        .await
        .map_err(|e| e.to_string())?;
    drop(conn);
    crate::mail::worker::deliver_due(db, mailer)
        .await
        .map_err(|e| e.to_string())?;
    match crate::db::mail_queue::status(db, id).await.map_err(|e| e.to_string())? {
        (Some(_), _) => Ok(format!("Test message to {to} delivered to {}.", mailer.describe())),
        (None, error) => Err(format!(
            "Test message to {to} not delivered: {}. It stays queued; a running server retries it.",
            error.unwrap_or_else(|| "unknown error".into())
        )),
    }
}

/// Reads one language's Markdown; an empty file is refused (a blank document is a mistake).
fn read_markdown(path: &Path, language: &str) -> Result<String, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read the {language} text {}: {e}", path.display()))?;
    if text.trim().is_empty() {
        return Err(format!("the {language} text {} is empty", path.display()));
    }
    Ok(text)
}

pub async fn publish_document(db: &Db, args: &PublishArgs) -> Result<String, String> {
    let en = crate::markdown::to_html(&read_markdown(&args.en, "English")?);
    let fr = crate::markdown::to_html(&read_markdown(&args.fr, "French")?);
    let new = documents::NewDocument {
        kind: args.kind,
        version: &args.version,
        required: args.required,
        body_en: &en,
        body_fr: &fr,
    };
    match documents::publish(db, new, crate::db::now()).await {
        Ok(doc) => Ok(format!(
            "Published {} version {}{} ({}). It is now the current version.",
            args.kind.slug(),
            doc.version,
            if doc.required { ", required" } else { "" },
            doc.id
        )),
        Err(documents::PublishError::VersionExists(v)) => Err(format!(
            "{} version {v} is already published; published versions never change, so choose a new version",
            args.kind.slug()
        )),
        Err(documents::PublishError::Db(e)) => Err(format!("database: {e}")),
    }
}

pub async fn list_documents(db: &Db) -> Result<String, String> {
    let docs = documents::all(db).await.map_err(|e| format!("database: {e}"))?;
    if docs.is_empty() {
        return Ok("No document has been published yet.".into());
    }
    let mut out = format!(
        "{:<8} {:<12} {:<9} {:<8} {}\n",
        "KIND", "VERSION", "REQUIRED", "CURRENT", "PUBLISHED (UTC)"
    );
    for (doc, current) in docs {
        let published = time::OffsetDateTime::from_unix_timestamp(doc.published_at)
            .ok()
            .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
            .unwrap_or_default();
        out.push_str(&format!(
            "{:<8} {:<12} {:<9} {:<8} {}\n",
            doc.kind.slug(),
            doc.version,
            if doc.required { "yes" } else { "no" },
            if current { "yes" } else { "" },
            published
        ));
    }
    Ok(out.trim_end().to_string())
}

/// Reads the password from standard input, dropping one trailing line break.
pub fn read_password(mut input: impl Read) -> Result<String, String> {
    let mut text = String::new();
    input
        .read_to_string(&mut text)
        .map_err(|_| "the password on standard input is not valid UTF-8".to_string())?;
    let password = text
        .strip_suffix('\n')
        .map(|t| t.strip_suffix('\r').unwrap_or(t))
        .unwrap_or(&text);
    Ok(password.to_string())
}

fn english(key: Key) -> String {
    key.text(Lang::En).to_string()
}

fn check_password(password: &str, username: &str, email: &str) -> Result<(), String> {
    app::validate::new_password(password, username, email).map_err(english)?;
    if common_passwords::is_common(password) {
        return Err(english(Key::ErrPasswordCommon));
    }
    Ok(())
}

fn operator() -> Actor {
    Actor {
        ip: None,
        user_agent: Some("vestibule cli".into()),
    }
}

pub async fn create_user(
    db: &Db,
    hasher: &Hasher,
    username: &str,
    email: &str,
    password: &str,
) -> Result<String, String> {
    let username = app::validate::username(username).map_err(|k| format!("username: {}", english(k)))?;
    let email = app::validate::email(email).map_err(|k| format!("email: {}", english(k)))?;
    check_password(password, &username, &email).map_err(|m| format!("password: {m}"))?;
    let password_hash = hasher
        .hash(crate::auth::hash_queue::Lane::Priority, password.to_string())
        .await
        .map_err(|e| e.to_string())?;
    let new = NewUser {
        username: &username,
        email: &email,
        password_hash,
        prefs: Default::default(),
        time_zone: "UTC",
    };
    match users::create(db, new, &operator(), json!({"by": "operator"})).await {
        Ok(user) => Ok(user.id),
        Err(CreateUserError::UsernameTaken) => Err(format!("username: {}", english(Key::ErrUsernameTaken))),
        Err(CreateUserError::EmailTaken) => Err(format!("email: {}", english(Key::ErrEmailTaken))),
        Err(CreateUserError::Db(e)) => Err(format!("database: {e}")),
    }
}

pub async fn reset_password(db: &Db, hasher: &Hasher, username: &str, password: &str) -> Result<(), String> {
    let user = user_named(db, username).await?;
    check_password(password, &user.username, &user.email).map_err(|m| format!("password: {m}"))?;
    let hash = hasher
        .hash(crate::auth::hash_queue::Lane::Priority, password.to_string())
        .await
        .map_err(|e| e.to_string())?;
    users::reset_password(db, &user.id, &hash, &operator())
        .await
        .map_err(|e| format!("database: {e}"))
}
