//! The binary's subcommands. Hand-parsed: three commands do not justify an argument parser.

use crate::billing::money::Month;
use app::model::DocumentKind;
use std::path::PathBuf;

mod operations;
pub use operations::{
    create_app, create_user, delete_app, list_documents, publish_document, read_password, reset_password,
    send_test_mail,
};

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
