//! The SCM integrations tab's data: which providers an account can connect.

use crate::i18n::{Key, Lang};
use serde::{Deserialize, Serialize};

/// The four kinds of integration, named as Scalingo's API names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ScmType {
    Github,
    GithubEnterprise,
    Gitlab,
    GitlabSelfHosted,
}

impl ScmType {
    pub const ALL: [ScmType; 4] = [
        ScmType::Github,
        ScmType::GithubEnterprise,
        ScmType::Gitlab,
        ScmType::GitlabSelfHosted,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ScmType::Github => "github",
            ScmType::GithubEnterprise => "github-enterprise",
            ScmType::Gitlab => "gitlab",
            ScmType::GitlabSelfHosted => "gitlab-self-hosted",
        }
    }

    pub fn from_code(code: &str) -> Option<ScmType> {
        Self::ALL.into_iter().find(|t| t.code() == code.trim())
    }

    /// Connected with the server's URL and a personal access token (the cloud ones through
    /// the OAuth 2 web flow).
    pub fn is_self_hosted(self) -> bool {
        matches!(self, ScmType::GithubEnterprise | ScmType::GitlabSelfHosted)
    }

    pub fn is_github(self) -> bool {
        matches!(self, ScmType::Github | ScmType::GithubEnterprise)
    }

    /// The provider's name: brand names stay as they are, "self-hosted" is translated.
    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            ScmType::Github => "GitHub",
            ScmType::GithubEnterprise => "GitHub Enterprise",
            ScmType::Gitlab => "GitLab",
            ScmType::GitlabSelfHosted => Key::ScmGitlabSelfHosted.text(lang),
        }
    }
}

/// A connected provider account, as the tab shows it (never its token).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntegrationView {
    pub id: String,
    pub scm_type: ScmType,
    /// The server (cloud or self-hosted) it is on.
    pub url: String,
    pub username: String,
    /// An `http(s)` address only (a self-hosted server chooses what it answers).
    pub profile_url: Option<String>,
    pub connected: super::Stamp,
}

/// One row of the tab per provider type.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderRow {
    pub scm_type: ScmType,
    /// Cloud providers need the operator's OAuth application; self-hosted ones never do.
    pub configured: bool,
    pub integration: Option<IntegrationView>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScmOverview {
    pub rows: Vec<ProviderRow>,
    /// Importing keys needs the re-authentication window: until when it is open.
    pub reauth_until: Option<super::Stamp>,
    pub two_factor_on: bool,
    /// The account has a passkey: "Confirm it's you" offers it.
    pub has_passkeys: bool,
}

/// What an import did: the names of the keys added, and each key left out with the reason.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportOutcome {
    pub imported: Vec<String>,
    pub skipped: Vec<(String, Key)>,
}
