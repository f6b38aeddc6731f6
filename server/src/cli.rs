//! The binary's subcommands. Hand-parsed: three commands do not justify an argument parser.

use crate::auth::common_passwords;
use crate::auth::password::Hasher;
use crate::db::events::Actor;
use crate::db::users::{self, CreateUserError, NewUser};
use crate::db::Db;
use app::i18n::{Key, Lang};
use serde_json::json;
use std::io::Read;

pub const USAGE: &str = "\
Usage: vestibule [COMMAND]

Commands:
  serve                                      Run the web server (the default)
  migrate                                    Apply database migrations, then exit
  user create --username NAME --email ADDR   Create an account; the password is read from standard input
  user reset-password --username NAME        Set a new password (from standard input) and sign the user out everywhere

Configuration comes from the environment: see the README.";

#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    Serve,
    Migrate,
    CreateUser { username: String, email: String },
    ResetPassword { username: String },
    Help,
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

fn only_flags(args: &[&str], known: &[&str]) -> Result<(), String> {
    for pair in args.chunks(2) {
        if !known.contains(&pair[0]) {
            return Err(format!("unexpected argument: {}", pair[0]));
        }
    }
    Ok(())
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
    let password_hash = hasher.hash(password.to_string()).await.map_err(|e| e.to_string())?;
    let new = NewUser {
        username: &username,
        email: &email,
        password_hash,
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
    let hash = hasher.hash(password.to_string()).await.map_err(|e| e.to_string())?;
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
    }

    #[test]
    fn password_from_stdin_keeps_inner_spaces() {
        assert_eq!(read_password("  two words \n".as_bytes()).unwrap(), "  two words ");
        assert_eq!(read_password("pw\r\n".as_bytes()).unwrap(), "pw");
        assert_eq!(read_password("pw".as_bytes()).unwrap(), "pw");
    }
}
