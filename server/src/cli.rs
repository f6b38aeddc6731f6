//! The binary's subcommands. Hand-parsed: three commands do not justify an argument parser.

use crate::auth::common_passwords;
use crate::auth::password::Hasher;
use crate::billing::money::Month;
use crate::db::documents;
use crate::db::events::Actor;
use crate::db::users::{self, CreateUserError, NewUser};
use crate::db::Db;
use app::i18n::{Key, Lang};
use app::model::DocumentKind;
use serde_json::json;
use std::io::Read;
use std::path::{Path, PathBuf};

pub const USAGE: &str = "\
Usage: vestibule [COMMAND]

Commands:
  serve                                      Run the web server (the default)
  migrate                                    Apply database migrations, then exit
  user create --username NAME --email ADDR   Create an account; the password is read from standard input
  user reset-password --username NAME        Set a new password (from standard input) and sign the user out everywhere
  documents publish --kind KIND --version V --en FILE --fr FILE [--required]
                                             Publish a legal document (KIND: terms, privacy, dpa, or hds for
                                             the health data contract) from Markdown files; with --required
                                             every account must accept it (hds: every account hosting
                                             health data, on its Health data tab)
  documents list                             List every published version
  mail test --to ADDR                        Send a test message now, to check the mail settings
  apps create --owner USER --name NAME       Record an application owned by USER (a name of 3 to 48
                                             lowercase letters, digits and dashes)
  apps delete --name NAME                    Delete an application
  billing usage --app NAME --month YYYY-MM --hours N
                                             Record the hours an application ran in a month (again:
                                             replaces the figure, until the month is invoiced)
  billing run --month YYYY-MM                Invoice a finished month and take payment (running it
                                             again changes nothing)
  billing credit --user NAME --amount-cents N --reason TEXT
                                             Record a payment received outside the provider (a
                                             bank transfer) as prepaid credit

Configuration comes from the environment: see the README.";

#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    Serve,
    Migrate,
    CreateUser {
        username: String,
        email: String,
    },
    ResetPassword {
        username: String,
    },
    PublishDocument(PublishArgs),
    ListDocuments,
    TestMail {
        to: String,
    },
    CreateApp {
        owner: String,
        name: String,
    },
    DeleteApp {
        name: String,
    },
    BillingUsage {
        app: String,
        month: Month,
        hours: i64,
    },
    BillingRun {
        month: Month,
    },
    BillingCredit {
        user: String,
        amount_cents: i64,
        reason: String,
    },
    Help,
}

#[derive(Debug, PartialEq, Eq)]
pub struct PublishArgs {
    pub kind: DocumentKind,
    pub version: String,
    pub en: PathBuf,
    pub fr: PathBuf,
    pub required: bool,
}

pub fn parse(args: &[String]) -> Result<Command, String> {
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    match words.as_slice() {
        [] | ["serve"] => Ok(Command::Serve),
        ["migrate"] => Ok(Command::Migrate),
        ["-h"] | ["--help"] | ["help"] => Ok(Command::Help),
        ["user", "create", rest @ ..] => {
            let username = flag(rest, "--username")?;
            let email = flag(rest, "--email")?;
            only_flags(rest, &["--username", "--email"])?;
            Ok(Command::CreateUser { username, email })
        }
        ["user", "reset-password", rest @ ..] => {
            let username = flag(rest, "--username")?;
            only_flags(rest, &["--username"])?;
            Ok(Command::ResetPassword { username })
        }
        ["documents", "list"] => Ok(Command::ListDocuments),
        ["apps", "create", rest @ ..] => {
            let owner = flag(rest, "--owner")?;
            let name = flag(rest, "--name")?;
            only_flags(rest, &["--owner", "--name"])?;
            valid_app_name(&name)?;
            Ok(Command::CreateApp { owner, name })
        }
        ["apps", "delete", rest @ ..] => {
            let name = flag(rest, "--name")?;
            only_flags(rest, &["--name"])?;
            Ok(Command::DeleteApp { name })
        }
        ["mail", "test", rest @ ..] => {
            let to = flag(rest, "--to")?;
            only_flags(rest, &["--to"])?;
            Ok(Command::TestMail { to })
        }
        ["documents", "publish", rest @ ..] => {
            let required = rest.contains(&"--required");
            let rest: Vec<&str> = rest.iter().copied().filter(|a| *a != "--required").collect();
            let kind_name = flag(&rest, "--kind")?;
            let kind = DocumentKind::from_slug(&kind_name)
                .ok_or_else(|| format!("--kind must be one of: terms, privacy, dpa, hds (not {kind_name:?})"))?;
            let version = flag(&rest, "--version")?;
            valid_version(&version)?;
            let en = PathBuf::from(flag(&rest, "--en")?);
            let fr = PathBuf::from(flag(&rest, "--fr")?);
            only_flags(&rest, &["--kind", "--version", "--en", "--fr"])?;
            Ok(Command::PublishDocument(PublishArgs {
                kind,
                version,
                en,
                fr,
                required,
            }))
        }
        ["billing", "usage", rest @ ..] => {
            let app = flag(rest, "--app")?;
            let month = month_flag(rest)?;
            let hours = number_flag(rest, "--hours", 0..=744)?;
            only_flags(rest, &["--app", "--month", "--hours"])?;
            Ok(Command::BillingUsage { app, month, hours })
        }
        ["billing", "run", rest @ ..] => {
            let month = month_flag(rest)?;
            only_flags(rest, &["--month"])?;
            Ok(Command::BillingRun { month })
        }
        ["billing", "credit", rest @ ..] => {
            let user = flag(rest, "--user")?;
            let amount_cents = number_flag(rest, "--amount-cents", 1..=100_000_000)?;
            let reason = flag(rest, "--reason")?.trim().to_string();
            if reason.is_empty() || reason.chars().count() > 200 {
                return Err("--reason needs a text of 1 to 200 characters".into());
            }
            only_flags(rest, &["--user", "--amount-cents", "--reason"])?;
            Ok(Command::BillingCredit {
                user,
                amount_cents,
                reason,
            })
        }
        _ => Err(format!("unknown command: {}", words.join(" "))),
    }
}

fn flag(args: &[&str], name: &str) -> Result<String, String> {
    let position = args
        .iter()
        .position(|a| *a == name)
        .ok_or_else(|| format!("missing {name}"))?;
    args.get(position + 1)
        .filter(|v| !v.starts_with("--"))
        .map(|v| v.to_string())
        .ok_or_else(|| format!("{name} needs a value"))
}

fn month_flag(args: &[&str]) -> Result<Month, String> {
    let raw = flag(args, "--month")?;
    Month::parse(&raw).ok_or_else(|| format!("--month must be a month like 2026-11, not {raw:?}"))
}

/// A whole number within `range` (hours in a month: at most 744).
fn number_flag(args: &[&str], name: &str, range: std::ops::RangeInclusive<i64>) -> Result<i64, String> {
    let raw = flag(args, name)?;
    raw.parse::<i64>().ok().filter(|n| range.contains(n)).ok_or_else(|| {
        format!(
            "{name} must be a whole number from {} to {}, not {raw:?}",
            range.start(),
            range.end()
        )
    })
}

fn only_flags(args: &[&str], known: &[&str]) -> Result<(), String> {
    for pair in args.chunks(2) {
        if !known.contains(&pair[0]) {
            return Err(format!("unexpected argument: {}", pair[0]));
        }
    }
    Ok(())
}

/// Versions appear in URLs (`/legal/terms/2026-11`): short, and letters, digits, `.`, `-`, `_`.
fn valid_version(version: &str) -> Result<(), String> {
    let ok =
        (1..=32).contains(&version.len()) && version.chars().all(|c| c.is_ascii_alphanumeric() || ".-_".contains(c));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "--version must be 1 to 32 letters, digits, '.', '-' or '_' (not {version:?})"
        ))
    }
}

/// Application names appear in URLs and host names: a letter first, then lowercase letters,
/// digits and single dashes, 3 to 48 characters.
fn valid_app_name(name: &str) -> Result<(), String> {
    let ok = (3..=48).contains(&name.len())
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && !name.ends_with('-')
        && !name.contains("--")
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "--name must be 3 to 48 lowercase letters, digits and single dashes, starting with a letter (not {name:?})"
        ))
    }
}

pub async fn create_app(db: &Db, owner: &str, name: &str) -> Result<String, String> {
    let user = users::find_by_login(db, owner)
        .await
        .map_err(|e| format!("database: {e}"))?
        .filter(|u| u.username == owner.trim().to_lowercase())
        .ok_or_else(|| format!("no user named {owner:?}"))?;
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
    let user = users::find_by_login(db, username)
        .await
        .map_err(|e| format!("database: {e}"))?
        .filter(|u| u.username == username.trim().to_lowercase())
        .ok_or_else(|| format!("no user named {username:?}"))?;
    check_password(password, &user.username, &user.email).map_err(|m| format!("password: {m}"))?;
    let hash = hasher
        .hash(crate::auth::hash_queue::Lane::Priority, password.to_string())
        .await
        .map_err(|e| e.to_string())?;
    users::reset_password(db, &user.id, &hash, &operator())
        .await
        .map_err(|e| format!("database: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> Vec<String> {
        line.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn parses_commands() {
        assert_eq!(parse(&args("")), Ok(Command::Serve));
        assert_eq!(parse(&args("migrate")), Ok(Command::Migrate));
        assert_eq!(
            parse(&args("user create --email a@b.io --username al")),
            Ok(Command::CreateUser {
                username: "al".into(),
                email: "a@b.io".into()
            })
        );
        assert_eq!(
            parse(&args("user reset-password --username al")),
            Ok(Command::ResetPassword { username: "al".into() })
        );
    }

    #[test]
    fn explains_mistakes() {
        assert_eq!(parse(&args("frobnicate")), Err("unknown command: frobnicate".into()));
        assert_eq!(parse(&args("user create --username al")), Err("missing --email".into()));
        assert_eq!(
            parse(&args("user create --username --email x")),
            Err("--username needs a value".into())
        );
        assert!(parse(&args("user reset-password --username al --force yes")).is_err());
        assert!(parse(&args("documents publish --kind eula --version 1 --en a --fr b"))
            .unwrap_err()
            .contains("terms, privacy, dpa"));
        assert!(
            parse(&args("documents publish --kind terms --version a/b --en a --fr b"))
                .unwrap_err()
                .contains("--version")
        );
        assert_eq!(
            parse(&args("documents publish --kind terms --version 1 --en a")),
            Err("missing --fr".into())
        );
    }

    #[test]
    fn parses_billing_commands() {
        let month = Month::parse("2026-11").map(|m| m.to_string());
        assert_eq!(month.as_deref(), Some("2026-11"));
        assert!(matches!(
            parse(&args("billing usage --app my-app --month 2026-11 --hours 720")),
            Ok(Command::BillingUsage { hours: 720, .. })
        ));
        assert!(matches!(
            parse(&args("billing run --month 2026-11")),
            Ok(Command::BillingRun { .. })
        ));
        assert!(matches!(
            parse(&args("billing credit --user al --amount-cents 5000 --reason transfer")),
            Ok(Command::BillingCredit { amount_cents: 5000, .. })
        ));
        for (line, says) in [
            ("billing usage --app a --month 2026-13 --hours 1", "--month must be"),
            ("billing usage --app a --month 2026-11 --hours -1", "--hours must be"),
            ("billing usage --app a --month 2026-11 --hours 745", "--hours must be"),
            ("billing usage --app a --month 2026-11", "missing --hours"),
            (
                "billing credit --user al --amount-cents 0 --reason x",
                "--amount-cents must be",
            ),
            (
                "billing credit --user al --amount-cents 1.5 --reason x",
                "--amount-cents must be",
            ),
            ("billing run --month 2026-11 --force yes", "unexpected argument"),
        ] {
            match parse(&args(line)) {
                Err(message) => assert!(message.contains(says), "{line}: {message}"),
                Ok(command) => panic!("{line} parsed as {command:?}"),
            }
        }
    }

    #[test]
    fn parses_app_commands() {
        assert_eq!(
            parse(&args("apps create --owner al --name my-app-1")),
            Ok(Command::CreateApp {
                owner: "al".into(),
                name: "my-app-1".into()
            })
        );
        assert_eq!(
            parse(&args("apps delete --name my-app-1")),
            Ok(Command::DeleteApp {
                name: "my-app-1".into()
            })
        );
        for bad in ["My-App", "1app", "ab", "app-", "a--b", "app_1"] {
            let line = format!("apps create --owner al --name {bad}");
            assert!(parse(&args(&line)).unwrap_err().contains("--name"), "{bad}");
        }
    }

    #[test]
    fn parses_document_commands() {
        assert_eq!(parse(&args("documents list")), Ok(Command::ListDocuments));
        assert_eq!(
            parse(&args(
                "documents publish --required --kind terms --version 2026-11 --en t.en.md --fr t.fr.md"
            )),
            Ok(Command::PublishDocument(PublishArgs {
                kind: DocumentKind::Terms,
                version: "2026-11".into(),
                en: "t.en.md".into(),
                fr: "t.fr.md".into(),
                required: true,
            }))
        );
    }

    #[test]
    fn password_from_stdin_keeps_inner_spaces() {
        assert_eq!(read_password("  two words \n".as_bytes()).unwrap(), "  two words ");
        assert_eq!(read_password("pw\r\n".as_bytes()).unwrap(), "pw");
        assert_eq!(read_password("pw".as_bytes()).unwrap(), "pw");
    }
}
