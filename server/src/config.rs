//! Operator settings, read once from the environment. A missing or malformed value stops the
//! server with one line naming the variable, before anything else happens.

use std::net::SocketAddr;
use std::path::PathBuf;

pub const PREFIX: &str = "VESTIBULE_";

/// Not `Debug`-derived: the key and the database password must not reach a log (see below).
#[derive(Clone)]
pub struct Config {
    pub site_addr: SocketAddr,
    pub database_url: String,
    pub data_dir: PathBuf,
    /// 32 bytes given by the operator; when absent one is generated in `data_dir`.
    pub secret_key: Option<[u8; 32]>,
    pub signup_open: bool,
    /// Served over HTTPS: cookies get `Secure` and the `__Host-` prefix, responses get HSTS.
    pub https: bool,
    /// The address links in e-mails start with: `VESTIBULE_PUBLIC_URL`, else this server's own.
    /// Never taken from a request's Host header, which the sender controls.
    pub public_url: String,
    /// Take the client address from the last `X-Forwarded-For` hop (behind one reverse proxy).
    pub trust_proxy: bool,
    /// Sign-ups one client address may attempt per hour.
    pub signups_per_hour: i64,
    /// Requests one API token may make per minute (`VESTIBULE_API_REQUESTS_PER_MINUTE`).
    pub api_requests_per_minute: u32,
    /// `smtp://` or `smtps://` URL of the mail relay (lettre's format); unset: the outbox folder.
    pub smtp_url: Option<String>,
    /// The sender of every message.
    pub mail_from: String,
    pub log_filter: String,
    /// GitHub and GitLab applications, and whether user-given URLs may be private.
    pub scm: crate::scm::settings::ScmSettings,
    /// The WebAuthn relying party (id: the host of `public_url`), or why passkeys are off.
    pub passkeys: Result<std::sync::Arc<webauthn_rs::Webauthn>, String>,
    /// Prices, the seller's details on invoices, and the monthly run's day.
    pub billing: crate::billing::settings::BillingSettings,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("site_addr", &self.site_addr)
            .field("database_url", &redact_password(&self.database_url))
            .field("data_dir", &self.data_dir)
            .field("secret_key", &self.secret_key.map(|_| "<redacted>"))
            .field("signup_open", &self.signup_open)
            .field("https", &self.https)
            .field("public_url", &self.public_url)
            .field("trust_proxy", &self.trust_proxy)
            .field("signups_per_hour", &self.signups_per_hour)
            .field("api_requests_per_minute", &self.api_requests_per_minute)
            .field("smtp_url", &self.smtp_url.as_deref().map(redact_password))
            .field("mail_from", &self.mail_from)
            .field("log_filter", &self.log_filter)
            .field("scm", &self.scm)
            .field("passkeys", &self.passkeys.as_ref().map(|_| "on"))
            .field("billing", &self.billing)
            .finish()
    }
}

/// `postgres://user:secret@host/db` → `postgres://user:<redacted>@host/db`.
fn redact_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let Some((credentials, host)) = rest.rsplit_once('@') else {
        return url.to_string();
    };
    match credentials.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:<redacted>@{host}"),
        None => url.to_string(),
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{name}: {problem}")]
pub struct ConfigError {
    pub name: String,
    pub problem: String,
}

fn invalid(name: &str, problem: impl Into<String>) -> ConfigError {
    ConfigError {
        name: name.to_string(),
        problem: problem.into(),
    }
}

impl Config {
    pub fn from_env() -> Result<Config, ConfigError> {
        Self::from_lookup(|key| std::env::var(key).ok())
    }

    /// Reads every setting through `get`, so tests can pass a map instead of the environment.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let var = |suffix: &str| get(&format!("{PREFIX}{suffix}")).filter(|v| !v.trim().is_empty());

        let site_addr = match get("LEPTOS_SITE_ADDR").filter(|v| !v.trim().is_empty()) {
            None => SocketAddr::from(([127, 0, 0, 1], 3000)),
            Some(raw) => raw.trim().parse().map_err(|_| {
                invalid(
                    "LEPTOS_SITE_ADDR",
                    format!("expected an address like 127.0.0.1:3000, got {raw:?}"),
                )
            })?,
        };

        let data_dir = PathBuf::from(var("DATA_DIR").unwrap_or_else(|| "data".into()));

        let database_url = match get("DATABASE_URL").filter(|v| !v.trim().is_empty()) {
            None => format!("sqlite://{}/vestibule.db", data_dir.display()),
            Some(url) => {
                let url = url.trim().to_string();
                let known = ["sqlite:", "postgres://", "postgresql://"];
                if !known.iter().any(|p| url.starts_with(p)) {
                    // Only the scheme is echoed: the rest may hold a password.
                    let scheme = url.split(':').next().unwrap_or("");
                    return Err(invalid(
                        "DATABASE_URL",
                        format!("must start with sqlite:// or postgres:// (got scheme {scheme:?})"),
                    ));
                }
                url
            }
        };

        let secret_key = match var("SECRET_KEY") {
            None => None,
            Some(hex_key) => {
                let bytes = hex::decode(hex_key.trim()).ok().filter(|b| b.len() == 32);
                let bytes = bytes.ok_or_else(|| {
                    invalid(
                        "VESTIBULE_SECRET_KEY",
                        "must be 64 hexadecimal characters (32 bytes); generate one with `openssl rand -hex 32`",
                    )
                })?;
                let mut key = [0u8; 32];
                key.copy_from_slice(&bytes);
                Some(key)
            }
        };

        let signup_open = match var("SIGNUP").as_deref().map(str::trim) {
            None | Some("open") => true,
            Some("closed") => false,
            Some(other) => {
                return Err(invalid(
                    "VESTIBULE_SIGNUP",
                    format!("must be \"open\" or \"closed\", got {other:?}"),
                ))
            }
        };

        let https = match var("PUBLIC_URL") {
            None => false,
            Some(url) if url.starts_with("https://") => true,
            Some(url) if url.starts_with("http://") => false,
            Some(url) => {
                return Err(invalid(
                    "VESTIBULE_PUBLIC_URL",
                    format!("must start with https:// or http://, got {url:?}"),
                ))
            }
        };

        let public_url = var("PUBLIC_URL")
            .map(|url| url.trim().trim_end_matches('/').to_string())
            .unwrap_or_else(|| format!("http://{site_addr}"));

        let trust_proxy = parse_bool("VESTIBULE_TRUST_PROXY", var("TRUST_PROXY"))?;

        let signups_per_hour = match var("SIGNUPS_PER_HOUR") {
            None => 10,
            Some(raw) => raw.trim().parse::<i64>().ok().filter(|n| *n > 0).ok_or_else(|| {
                invalid(
                    "VESTIBULE_SIGNUPS_PER_HOUR",
                    format!("must be a whole number above 0, got {raw:?}"),
                )
            })?,
        };

        let api_requests_per_minute = match var("API_REQUESTS_PER_MINUTE") {
            None => 600,
            Some(raw) => raw.trim().parse::<u32>().ok().filter(|n| *n > 0).ok_or_else(|| {
                invalid(
                    "VESTIBULE_API_REQUESTS_PER_MINUTE",
                    format!("must be a whole number above 0, got {raw:?}"),
                )
            })?,
        };

        let smtp_url = var("SMTP_URL").map(|url| url.trim().to_string());
        if let Some(url) = &smtp_url {
            if !(url.starts_with("smtp://") || url.starts_with("smtps://")) {
                let scheme = url.split(':').next().unwrap_or("");
                return Err(invalid(
                    "VESTIBULE_SMTP_URL",
                    format!("must start with smtps:// or smtp:// (got scheme {scheme:?}); see the README"),
                ));
            }
        }
        let mail_from = match (var("MAIL_FROM"), &smtp_url) {
            (Some(from), _) => from.trim().to_string(),
            (None, None) => "Vestibule <no-reply@localhost>".into(),
            (None, Some(_)) => {
                return Err(invalid(
                    "VESTIBULE_MAIL_FROM",
                    "is required with VESTIBULE_SMTP_URL: the sender, like \"Vestibule <no-reply@example.com>\"",
                ))
            }
        };

        let log_filter = var("LOG").unwrap_or_else(|| "info".into());
        tracing_subscriber::EnvFilter::try_new(&log_filter).map_err(|_| {
            invalid(
                "VESTIBULE_LOG",
                format!("is not a log filter (try \"info\" or \"debug\"), got {log_filter:?}"),
            )
        })?;

        let scm = crate::scm::settings::ScmSettings::from_vars(var)?;
        let billing = crate::billing::settings::BillingSettings::from_vars(var)?;
        let passkeys = crate::passkeys::relying_party(&public_url).map(std::sync::Arc::new);

        Ok(Config {
            scm,
            billing,
            passkeys,
            site_addr,
            database_url,
            data_dir,
            secret_key,
            signup_open,
            https,
            public_url,
            trust_proxy,
            signups_per_hour,
            api_requests_per_minute,
            smtp_url,
            mail_from,
            log_filter,
        })
    }

    pub fn is_sqlite(&self) -> bool {
        self.database_url.starts_with("sqlite:")
    }
}

fn parse_bool(name: &str, value: Option<String>) -> Result<bool, ConfigError> {
    match value.as_deref().map(str::trim) {
        None | Some("false") | Some("0") | Some("no") => Ok(false),
        Some("true") | Some("1") | Some("yes") => Ok(true),
        Some(other) => Err(invalid(name, format!("must be true or false, got {other:?}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn load(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_are_a_local_sqlite_site() {
        let config = load(&[]).unwrap();
        assert_eq!(config.site_addr.to_string(), "127.0.0.1:3000");
        assert_eq!(config.database_url, "sqlite://data/vestibule.db");
        assert!(config.signup_open);
        assert!(!config.https);
    }

    #[test]
    fn each_bad_setting_is_named() {
        let cases = [
            ("LEPTOS_SITE_ADDR", "localhost"),
            ("DATABASE_URL", "mysql://root:hunter2@db/x"),
            ("VESTIBULE_SECRET_KEY", "abc"),
            ("VESTIBULE_SIGNUP", "maybe"),
            ("VESTIBULE_PUBLIC_URL", "example.com"),
            ("VESTIBULE_TRUST_PROXY", "perhaps"),
            ("VESTIBULE_LOG", "[[["),
            ("VESTIBULE_SIGNUPS_PER_HOUR", "0"),
            ("VESTIBULE_SIGNUPS_PER_HOUR", "lots"),
            ("VESTIBULE_SMTP_URL", "mail.example.com"),
        ];
        for (name, value) in cases {
            let err = load(&[(name, value)]).unwrap_err();
            assert_eq!(err.name, name);
        }
    }

    #[test]
    fn database_password_is_never_echoed() {
        let err = load(&[("DATABASE_URL", "mysql://root:hunter2@db/x")]).unwrap_err();
        assert!(!err.to_string().contains("hunter2"));
    }

    #[test]
    fn debug_output_hides_the_key_and_the_database_password() {
        let key = "ab".repeat(32);
        let config = load(&[
            ("DATABASE_URL", "postgres://vestibule:hunter2@db.internal/vestibule"),
            ("VESTIBULE_SECRET_KEY", &key),
        ])
        .unwrap();
        let shown = format!("{config:?}");
        assert!(!shown.contains("hunter2") && !shown.contains(&key), "{shown}");
        assert!(shown.contains("postgres://vestibule:<redacted>@db.internal/vestibule"));
        assert!(shown.contains("secret_key: Some(\"<redacted>\")"));
    }

    #[test]
    fn smtp_needs_a_sender_and_its_password_is_hidden() {
        let err = load(&[("VESTIBULE_SMTP_URL", "smtps://u:hunter2@mail.example.com")]).unwrap_err();
        assert_eq!(err.name, "VESTIBULE_MAIL_FROM");
        let config = load(&[
            ("VESTIBULE_SMTP_URL", "smtps://u:hunter2@mail.example.com"),
            ("VESTIBULE_MAIL_FROM", "Vestibule <no-reply@example.com>"),
        ])
        .unwrap();
        assert!(!format!("{config:?}").contains("hunter2"));
    }

    #[test]
    fn https_and_closed_signup() {
        let key = "ab".repeat(32);
        let config = load(&[
            ("VESTIBULE_PUBLIC_URL", "https://account.example.com"),
            ("VESTIBULE_SIGNUP", "closed"),
            ("VESTIBULE_SECRET_KEY", &key),
        ])
        .unwrap();
        assert!(config.https);
        assert!(!config.signup_open);
        assert_eq!(config.secret_key, Some([0xab; 32]));
    }
}
