//! SCM integrations, for the tab and for `/v1/scm_integrations` alike: connecting a self-hosted
//! server with a personal token (checked at the provider before anything is saved), listing,
//! disconnecting, and importing the provider account's SSH keys with the SSH keys tab's rules.

use super::{actor, internal, ServerHost};
use crate::auth::seal;
use crate::db::now;
use crate::db::scm::{self, ConnectError, StoredIntegration};
use crate::db::ssh_keys::StoredKey;
use crate::scm::net::{self, NetError};
use crate::scm::provider::{self, ProviderError};
use crate::scm::ScmType;
use app::error::{AppError, FieldError};
use app::host::Caller;
use app::i18n::Key;

/// What the sealed provider tokens are bound to (a distinct key per purpose).
const TOKEN_PURPOSE: &str = "scm token";

/// An import's outcome: the keys added, and each key left out with the reason.
#[derive(Debug, Default)]
pub struct ImportSummary {
    pub imported: Vec<StoredKey>,
    pub skipped: Vec<(String, Key)>,
}

/// The provider's answer as field errors of the connect form.
fn provider_problem(e: ProviderError) -> AppError {
    let (field, key) = match e {
        ProviderError::Net(NetError::BadUrl) => ("url", Key::ErrScmUrl),
        ProviderError::Net(NetError::NotHttps) => ("url", Key::ErrScmNeedsHttps),
        ProviderError::Net(NetError::Private) => ("url", Key::ErrScmPrivateUrl),
        ProviderError::Net(NetError::Unreachable | NetError::TooLarge) | ProviderError::Unexpected => {
            ("url", Key::ErrScmUnreachable)
        }
        ProviderError::TokenRefused => ("access_token", Key::ErrScmTokenRefused),
    };
    AppError::Invalid(vec![FieldError::new(field, key)])
}

impl ServerHost {
    pub fn seal_token(&self, token: &str) -> Result<String, AppError> {
        seal::seal(&self.secret, TOKEN_PURPOSE, token.as_bytes()).ok_or_else(|| internal("", "sealing failed"))
    }

    /// `None` when the stored text was not sealed by this server's key for provider tokens.
    pub(super) fn open_token(&self, sealed: &str) -> Option<String> {
        seal::open(&self.secret, TOKEN_PURPOSE, sealed).and_then(|b| String::from_utf8(b).ok())
    }

    pub async fn integrations(&self, caller: &Caller) -> Result<Vec<StoredIntegration>, AppError> {
        scm::for_user(&self.db, &caller.user_id)
            .await
            .map_err(|e| internal(&caller.request_id, e))
    }

    /// A client for an integration's provider: the operator's own providers are trusted, a
    /// user-given server goes through the address guard.
    async fn client_for(
        &self,
        scm_type: ScmType,
        server_url: &str,
    ) -> Result<(reqwest::Client, String), ProviderError> {
        if scm_type.is_self_hosted() {
            let allow = self.config.scm.allow_private_networks;
            let (client, _) = net::guarded_client(server_url, allow).await?;
            Ok((client, provider::api_base(scm_type, server_url)))
        } else {
            let app = match scm_type {
                ScmType::Github => self.config.scm.github.as_ref(),
                _ => self.config.scm.gitlab.as_ref(),
            };
            let api = app.map(|a| a.api_url.clone()).ok_or(ProviderError::Unexpected)?;
            Ok((net::trusted_client()?, api))
        }
    }

    /// GitHub Enterprise or GitLab self-hosted: the server's address and a personal access
    /// token, checked by asking the provider who it belongs to before anything is saved.
    pub async fn connect_self_hosted(
        &self,
        caller: &Caller,
        scm_type: &str,
        url: &str,
        token: &str,
    ) -> Result<StoredIntegration, AppError> {
        let mut problems = Vec::new();
        let scm_type = match ScmType::from_code(scm_type) {
            Some(t) if t.is_self_hosted() => Some(t),
            Some(_) => {
                problems.push(FieldError::new("scm_type", Key::ErrScmCloudType));
                None
            }
            None => {
                problems.push(FieldError::new("scm_type", Key::ErrInvalidChoice));
                None
            }
        };
        let url = url.trim().trim_end_matches('/').to_string();
        let parsed = url::Url::parse(&url).ok();
        if !parsed.is_some_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some()) {
            problems.push(FieldError::new("url", Key::ErrScmUrl));
        }
        let token = token.trim();
        if token.is_empty() {
            problems.push(FieldError::new("access_token", Key::ErrRequired));
        }
        let Some(scm_type) = scm_type.filter(|_| problems.is_empty()) else {
            return Err(AppError::Invalid(problems));
        };
        let found = async {
            let (client, api) = self.client_for(scm_type, &url).await?;
            provider::user(&client, scm_type, &api, token).await
        }
        .await
        .map_err(provider_problem)?;
        let integration = StoredIntegration {
            id: uuid::Uuid::new_v4().to_string(),
            user_id: caller.user_id.clone(),
            scm_type,
            url,
            uid: found.uid,
            username: found.username,
            email: found.email,
            avatar_url: found.avatar_url,
            profile_url: found.profile_url,
            access_token: self.seal_token(token)?,
            refresh_token: None,
            token_expires_at: None,
            created_at: now(),
        };
        self.save_integration(caller, integration).await
    }

    pub(crate) async fn save_integration(
        &self,
        caller: &Caller,
        integration: StoredIntegration,
    ) -> Result<StoredIntegration, AppError> {
        match scm::insert(&self.db, &integration, &actor(caller)).await {
            Ok(()) => Ok(integration),
            Err(ConnectError::AlreadyConnected) => Err(AppError::Conflict(Key::ErrScmAlreadyConnected)),
            Err(ConnectError::Db(e)) => Err(internal(&caller.request_id, e)),
        }
    }

    pub async fn disconnect_integration(
        &self,
        caller: &Caller,
        id_or_type: &str,
    ) -> Result<StoredIntegration, AppError> {
        let gone = scm::delete(&self.db, &caller.user_id, id_or_type, &actor(caller))
            .await
            .map_err(|e| internal(&caller.request_id, e))?
            .ok_or(AppError::NotFound)?;
        self.revoke_grant(&gone);
        Ok(gone)
    }

    /// Adds the provider account's public keys as SSH keys named `<type>-<title>`, each with
    /// the SSH keys tab's rules; a key refused by them is skipped with its reason.
    pub async fn import_integration_keys(&self, caller: &Caller, id_or_type: &str) -> Result<ImportSummary, AppError> {
        self.require_recent_auth(caller).await?;
        let integration = scm::find(&self.db, &caller.user_id, id_or_type)
            .await
            .map_err(|e| internal(&caller.request_id, e))?
            .ok_or(AppError::NotFound)?;
        let token = self
            .fresh_access_token(&integration)
            .await
            .ok_or(AppError::Conflict(Key::ErrScmTokenRefused))?;
        let listed = async {
            let (client, api) = self.client_for(integration.scm_type, &integration.url).await?;
            provider::keys(&client, integration.scm_type, &api, &token).await
        }
        .await
        .map_err(|e| match e {
            ProviderError::TokenRefused => AppError::Conflict(Key::ErrScmTokenRefused),
            _ => AppError::Conflict(Key::ErrScmUnreachable),
        })?;
        let mut summary = ImportSummary::default();
        for key in listed {
            let title = if key.title.trim().is_empty() {
                "key"
            } else {
                key.title.trim()
            };
            let name: String = format!("{}-{title}", integration.scm_type.code())
                .chars()
                .take(100)
                .collect();
            match self.add_stored_key(caller, &name, &key.key).await {
                Ok(stored) => summary.imported.push(stored),
                Err(AppError::Invalid(errors)) => {
                    let reason = errors.first().map_or(Key::ErrKeyUnreadable, |e| e.key);
                    summary.skipped.push((name, reason));
                }
                Err(AppError::Conflict(reason)) => summary.skipped.push((name, reason)),
                Err(other) => return Err(other),
            }
        }
        Ok(summary)
    }
}

/// A provider's profile address, kept only when it is an `http(s)` one: a self-hosted server
/// answers what it likes, and the tab makes it a link.
fn web_link(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok()?;
    matches!(parsed.scheme(), "http" | "https").then(|| parsed.to_string())
}

fn integration_view(i: &StoredIntegration, zone: &str) -> app::model::IntegrationView {
    app::model::IntegrationView {
        id: i.id.clone(),
        scm_type: i.scm_type,
        url: i.url.clone(),
        username: i.username.clone(),
        profile_url: web_link(&i.profile_url),
        connected: crate::tz::stamp(i.created_at, zone),
    }
}

#[async_trait::async_trait]
impl app::host::ScmPort for ServerHost {
    async fn scm_overview(&self, caller: &Caller) -> Result<app::model::ScmOverview, AppError> {
        let zone = caller.time_zone.as_str();
        let connected = self.integrations(caller).await?;
        let rows = ScmType::ALL
            .into_iter()
            .map(|scm_type| app::model::ProviderRow {
                scm_type,
                configured: scm_type.is_self_hosted() || self.oauth_app(scm_type).is_some(),
                integration: connected
                    .iter()
                    .find(|i| i.scm_type == scm_type)
                    .map(|i| integration_view(i, zone)),
            })
            .collect();
        Ok(app::model::ScmOverview {
            rows,
            reauth_until: self
                .window_open(caller, now())
                .await?
                .map(|at| crate::tz::stamp(at, zone)),
            two_factor_on: self.two_factor_on(caller).await?,
            has_passkeys: self.has_passkeys(caller).await?,
        })
    }

    async fn connect_scm(
        &self,
        caller: &Caller,
        scm_type: &str,
        url: &str,
        token: &str,
    ) -> Result<app::model::AuthChanged, AppError> {
        self.connect_self_hosted(caller, scm_type, url, token).await?;
        Ok(app::model::AuthChanged {
            what: Key::ScmConnectedNotice,
        })
    }

    async fn disconnect_scm(&self, caller: &Caller, id: &str) -> Result<app::model::AuthChanged, AppError> {
        self.disconnect_integration(caller, id).await?;
        Ok(app::model::AuthChanged {
            what: Key::ScmDisconnectedNotice,
        })
    }

    async fn import_scm_keys(&self, caller: &Caller, id: &str) -> Result<app::model::ImportOutcome, AppError> {
        let summary = self.import_integration_keys(caller, id).await?;
        Ok(app::model::ImportOutcome {
            imported: summary.imported.into_iter().map(|k| k.name).collect(),
            skipped: summary.skipped,
        })
    }
}
