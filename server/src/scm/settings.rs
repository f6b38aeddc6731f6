//! The operator's OAuth applications at GitHub and GitLab. A provider without its client id and
//! secret is "not configured": its row on the tab says what to set, and nothing else breaks.

use crate::config::ConfigError;

/// One OAuth application. The URLs come from the operator and are trusted as they are.
#[derive(Clone)]
pub struct OAuthApp {
    pub client_id: String,
    pub client_secret: String,
    /// Where people sign in: `https://github.com`, `https://gitlab.com`.
    pub web_url: String,
    /// The REST API's base: `https://api.github.com`, `https://gitlab.com/api/v4`.
    pub api_url: String,
}

impl std::fmt::Debug for OAuthApp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OAuthApp")
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .field("web_url", &self.web_url)
            .field("api_url", &self.api_url)
            .finish()
    }
}

#[derive(Clone, Debug, Default)]
pub struct ScmSettings {
    pub github: Option<OAuthApp>,
    pub gitlab: Option<OAuthApp>,
    /// Lets self-hosted integrations reach loopback and private addresses (an in-house GitLab,
    /// tests): `VESTIBULE_SCM_ALLOW_PRIVATE_NETWORKS=true`.
    pub allow_private_networks: bool,
}

fn base_url(name: &str, value: Option<String>, default: &str) -> Result<String, ConfigError> {
    let url = value.unwrap_or_else(|| default.to_string());
    let url = url.trim().trim_end_matches('/').to_string();
    match url::Url::parse(&url) {
        Ok(parsed) if matches!(parsed.scheme(), "http" | "https") && parsed.host().is_some() => Ok(url),
        _ => Err(ConfigError {
            name: name.to_string(),
            problem: format!("must be an http:// or https:// address, got {url:?}"),
        }),
    }
}

/// Both halves of an application, or neither.
fn credentials(prefix: &str, var: &impl Fn(&str) -> Option<String>) -> Result<Option<(String, String)>, ConfigError> {
    let id = var(&format!("{prefix}_CLIENT_ID"));
    let secret = var(&format!("{prefix}_CLIENT_SECRET"));
    match (id, secret) {
        (Some(id), Some(secret)) => Ok(Some((id.trim().to_string(), secret.trim().to_string()))),
        (None, None) => Ok(None),
        (Some(_), None) => Err(ConfigError {
            name: format!("VESTIBULE_{prefix}_CLIENT_SECRET"),
            problem: format!("is required with VESTIBULE_{prefix}_CLIENT_ID"),
        }),
        (None, Some(_)) => Err(ConfigError {
            name: format!("VESTIBULE_{prefix}_CLIENT_ID"),
            problem: format!("is required with VESTIBULE_{prefix}_CLIENT_SECRET"),
        }),
    }
}

impl ScmSettings {
    /// `var` reads `VESTIBULE_<suffix>`, empty values counting as unset.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<ScmSettings, ConfigError> {
        let github_web = base_url("VESTIBULE_GITHUB_URL", var("GITHUB_URL"), "https://github.com")?;
        let github_api = base_url(
            "VESTIBULE_GITHUB_API_URL",
            var("GITHUB_API_URL"),
            "https://api.github.com",
        )?;
        let gitlab_web = base_url("VESTIBULE_GITLAB_URL", var("GITLAB_URL"), "https://gitlab.com")?;
        let github = credentials("GITHUB", &var)?.map(|(client_id, client_secret)| OAuthApp {
            client_id,
            client_secret,
            web_url: github_web,
            api_url: github_api,
        });
        let gitlab = credentials("GITLAB", &var)?.map(|(client_id, client_secret)| OAuthApp {
            client_id,
            client_secret,
            api_url: format!("{gitlab_web}/api/v4"),
            web_url: gitlab_web,
        });
        let allow_private_networks = match var("SCM_ALLOW_PRIVATE_NETWORKS").as_deref().map(str::trim) {
            None | Some("false") | Some("0") | Some("no") => false,
            Some("true") | Some("1") | Some("yes") => true,
            Some(other) => {
                return Err(ConfigError {
                    name: "VESTIBULE_SCM_ALLOW_PRIVATE_NETWORKS".into(),
                    problem: format!("must be true or false, got {other:?}"),
                })
            }
        };
        Ok(ScmSettings {
            github,
            gitlab,
            allow_private_networks,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn read(pairs: &[(&str, &str)]) -> Result<ScmSettings, ConfigError> {
        let map: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        ScmSettings::from_vars(|k| map.get(k).cloned())
    }

    #[test]
    fn unset_providers_are_not_configured_and_defaults_are_the_clouds() {
        let s = read(&[("GITHUB_CLIENT_ID", "id"), ("GITHUB_CLIENT_SECRET", "s")]).unwrap();
        let github = s.github.unwrap();
        assert_eq!(github.web_url, "https://github.com");
        assert_eq!(github.api_url, "https://api.github.com");
        assert!(s.gitlab.is_none());
        assert!(!format!("{github:?}").contains("\"s\""));
    }

    #[test]
    fn half_an_application_or_a_bad_url_names_the_variable() {
        let e = read(&[("GITLAB_CLIENT_ID", "id")]).err().unwrap();
        assert_eq!(e.name, "VESTIBULE_GITLAB_CLIENT_SECRET");
        let e = read(&[("GITLAB_URL", "gitlab.example.com")]).err().unwrap();
        assert_eq!(e.name, "VESTIBULE_GITLAB_URL");
        let e = read(&[("SCM_ALLOW_PRIVATE_NETWORKS", "maybe")]).err().unwrap();
        assert_eq!(e.name, "VESTIBULE_SCM_ALLOW_PRIVATE_NETWORKS");
    }
}
