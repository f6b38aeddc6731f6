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
