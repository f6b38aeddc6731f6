//! The OAuth 2 authorization-code flow with `state` and PKCE for GitHub and GitLab (cloud):
//! "Connect" leaves for the provider, whose answer comes back to the callback. The `state`
//! names one flow started by one signed-in user, consumed by its callback; the code is
//! exchanged with the PKCE verifier; the provider account is read; the integration is saved
//! for the user who started the flow. Refresh tokens (GitLab's last two hours) are rotated.

use super::{internal, ServerHost};
use crate::auth::seal;
use crate::db::now;
use crate::db::scm::{self, OAuthState, StoredIntegration};
use crate::scm::net;
use crate::scm::provider::{self, ProviderError};
use crate::scm::settings::OAuthApp;
use crate::scm::ScmType;
use app::error::AppError;
use app::host::Caller;
use app::i18n::Key;
use oauth2::basic::BasicClient;
use oauth2::{
    AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointNotSet, EndpointSet, PkceCodeChallenge,
    PkceCodeVerifier, RedirectUrl, RefreshToken, RequestTokenError, Scope, TokenResponse, TokenUrl,
};
use sha2::{Digest, Sha256};

/// How long a started flow may take at the provider.
pub const FLOW_SECS: i64 = 600;
const VERIFIER_PURPOSE: &str = "scm pkce verifier";

type Configured = BasicClient<EndpointSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointSet>;

fn digest(state: &str) -> String {
    hex::encode(Sha256::digest(state.as_bytes()))
}

/// Where each provider signs people in and hands out tokens, and the scopes asked for:
/// reading the account and its public keys (GitHub), the API (GitLab, whose keys need it).
fn endpoints(scm_type: ScmType, app: &OAuthApp) -> (String, String, &'static [&'static str]) {
    if scm_type.is_github() {
        (
            format!("{}/login/oauth/authorize", app.web_url),
            format!("{}/login/oauth/access_token", app.web_url),
            &["read:user", "user:email", "read:public_key"],
        )
    } else {
        (
            format!("{}/oauth/authorize", app.web_url),
            format!("{}/oauth/token", app.web_url),
            &["read_user", "api"],
        )
    }
}

/// The provider's error, as the user reads it. GitHub answers a bad or used code with HTTP 200
/// and `{"error":"bad_verification_code"}`, which the oauth2 crate cannot read as a token: any
/// answer that is not a token is the provider refusing.
fn exchange_problem<E: std::error::Error>(e: RequestTokenError<E, oauth2::basic::BasicErrorResponse>) -> AppError {
    match e {
        RequestTokenError::Request(_) => AppError::Conflict(Key::ErrScmProviderDown),
        RequestTokenError::ServerResponse(_) | RequestTokenError::Parse(_, _) | RequestTokenError::Other(_) => {
            AppError::Conflict(Key::ErrScmCodeRefused)
        }
    }
}

impl ServerHost {
    pub fn oauth_app(&self, scm_type: ScmType) -> Option<&OAuthApp> {
        match scm_type {
            ScmType::Github => self.config.scm.github.as_ref(),
            ScmType::Gitlab => self.config.scm.gitlab.as_ref(),
            _ => None,
        }
    }

    fn oauth_client(&self, scm_type: ScmType) -> Result<Configured, AppError> {
        let app = self
            .oauth_app(scm_type)
            .ok_or(AppError::Conflict(Key::ErrScmNotConfigured))?;
        let (auth, token, _) = endpoints(scm_type, app);
        let callback = format!(
            "{}/account/integrations/{}/callback",
            self.config.public_url,
            scm_type.code()
        );
        let bad = |e| internal("", e);
        Ok(BasicClient::new(ClientId::new(app.client_id.clone()))
            .set_client_secret(ClientSecret::new(app.client_secret.clone()))
            .set_auth_uri(AuthUrl::new(auth).map_err(bad)?)
            .set_token_uri(TokenUrl::new(token).map_err(bad)?)
            .set_redirect_uri(RedirectUrl::new(callback).map_err(bad)?))
    }

    /// Starts a flow: remembers it and answers the provider's address to send the browser to.
    pub async fn start_oauth(&self, caller: &Caller, scm_type: ScmType) -> Result<String, AppError> {
        let client = self.oauth_client(scm_type)?;
        let connected = scm::find(&self.db, &caller.user_id, scm_type.code())
            .await
            .map_err(|e| internal(&caller.request_id, e))?;
        if connected.is_some() {
            return Err(AppError::Conflict(Key::ErrScmAlreadyConnected));
        }
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (_, _, scopes) = self
            .oauth_app(scm_type)
            .map(|a| endpoints(scm_type, a))
            .unwrap_or_default();
        let (url, state) = client
            .authorize_url(CsrfToken::new_random)
            .add_scopes(scopes.iter().map(|s| Scope::new((*s).to_string())))
            .set_pkce_challenge(challenge)
            .url();
        let sealed = seal::seal(&self.secret, VERIFIER_PURPOSE, verifier.secret().as_bytes())
            .ok_or_else(|| internal(&caller.request_id, "sealing failed"))?;
        let flow = OAuthState {
            user_id: caller.user_id.clone(),
            scm_type: scm_type.code().to_string(),
            pkce_verifier: sealed,
            created_at: now(),
        };
        scm::save_state(&self.db, &digest(state.secret()), &flow)
            .await
            .map_err(|e| internal(&caller.request_id, e))?;
        Ok(url.to_string())
    }

    /// The provider sent the browser back: checks the flow, exchanges the code, reads the
    /// account and saves the integration for the user who started the flow.
    pub async fn finish_oauth(
        &self,
        caller: &Caller,
        scm_type: ScmType,
        code: &str,
        state: &str,
        provider_error: Option<&str>,
    ) -> Result<StoredIntegration, AppError> {
        let lost = AppError::Conflict(Key::ErrScmFlowLost);
        if state.is_empty() || state.len() > 200 {
            return Err(lost);
        }
        // Taken whatever happens next: a state serves one callback.
        let flow = scm::take_state(&self.db, &digest(state))
            .await
            .map_err(|e| internal(&caller.request_id, e))?
            .ok_or(lost.clone())?;
        if flow.user_id != caller.user_id || flow.scm_type != scm_type.code() || now() - flow.created_at > FLOW_SECS {
            return Err(lost);
        }
        if provider_error.is_some() {
            return Err(AppError::Conflict(Key::ErrScmDenied));
        }
        if code.is_empty() || code.len() > 512 {
            return Err(AppError::Conflict(Key::ErrScmCodeRefused));
        }
        let verifier = seal::open(&self.secret, VERIFIER_PURPOSE, &flow.pkce_verifier)
            .and_then(|b| String::from_utf8(b).ok())
            .ok_or_else(|| internal(&caller.request_id, "a PKCE verifier does not open"))?;
        let http = net::trusted_client().map_err(|_| AppError::Conflict(Key::ErrScmProviderDown))?;
        let token = self
            .oauth_client(scm_type)?
            .exchange_code(AuthorizationCode::new(code.to_string()))
            .set_pkce_verifier(PkceCodeVerifier::new(verifier))
            .request_async(&http)
            .await
            .map_err(exchange_problem)?;
        let access = token.access_token().secret().clone();
        let api = self.oauth_app(scm_type).map(|a| a.api_url.clone()).unwrap_or_default();
        let found = provider::user(&http, scm_type, &api, &access)
            .await
            .map_err(|e| match e {
                ProviderError::TokenRefused => AppError::Conflict(Key::ErrScmCodeRefused),
                _ => AppError::Conflict(Key::ErrScmProviderDown),
            })?;
        let refresh = token.refresh_token().map(|r| self.seal_token(r.secret())).transpose()?;
        let integration = StoredIntegration {
            id: uuid::Uuid::new_v4().to_string(),
            user_id: caller.user_id.clone(),
            scm_type,
            url: self.oauth_app(scm_type).map(|a| a.web_url.clone()).unwrap_or_default(),
            uid: found.uid,
            username: found.username,
            email: found.email,
            avatar_url: found.avatar_url,
            profile_url: found.profile_url,
            access_token: self.seal_token(&access)?,
            refresh_token: refresh,
            token_expires_at: token.expires_in().map(|d| now() + d.as_secs() as i64),
            created_at: now(),
        };
        self.save_integration(caller, integration).await
    }

    /// The integration's access token, refreshed first when it has expired or is about to
    /// (GitLab's last two hours; a refresh invalidates the old pair, so the new one is stored).
    pub(super) async fn fresh_access_token(&self, integration: &StoredIntegration) -> Option<String> {
        let open = |sealed: &str| self.open_token(sealed);
        let current = open(&integration.access_token)?;
        let expiring = integration.token_expires_at.is_some_and(|at| at - 60 <= now());
        let (Some(refresh), true) = (integration.refresh_token.as_deref().and_then(open), expiring) else {
            return Some(current);
        };
        let http = net::trusted_client().ok()?;
        let token = self
            .oauth_client(integration.scm_type)
            .ok()?
            .exchange_refresh_token(&RefreshToken::new(refresh))
            .request_async(&http)
            .await
            .ok()?;
        let access = token.access_token().secret().clone();
        let sealed_access = self.seal_token(&access).ok()?;
        let sealed_refresh = token.refresh_token().and_then(|r| self.seal_token(r.secret()).ok());
        let expires_at = token.expires_in().map(|d| now() + d.as_secs() as i64);
        if let Err(e) = scm::update_tokens(
            &self.db,
            &integration.id,
            &sealed_access,
            sealed_refresh.as_deref(),
            expires_at,
        )
        .await
        {
            tracing::warn!(error = %e, "storing a refreshed SCM token failed");
        }
        Some(access)
    }

    /// Asks the provider to forget the grant, in the background: disconnecting never waits on
    /// the provider, and a failure is only logged. GitLab is sent the refresh token (revoking
    /// it ends the pair; no refresh first). Self-hosted personal tokens are the user's to revoke.
    pub(super) fn revoke_grant(&self, integration: &StoredIntegration) {
        let Some(app) = self.oauth_app(integration.scm_type).cloned() else {
            return;
        };
        let open = |sealed: &str| self.open_token(sealed);
        let github = integration.scm_type.is_github();
        let token = match (github, integration.refresh_token.as_deref().and_then(open)) {
            (false, Some(refresh)) => Some(refresh),
            _ => open(&integration.access_token),
        };
        let (Some(token), Ok(http)) = (token, net::trusted_client()) else {
            return;
        };
        tokio::spawn(async move {
            let sent = if github {
                http.delete(format!("{}/applications/{}/grant", app.api_url, app.client_id))
                    .basic_auth(&app.client_id, Some(&app.client_secret))
                    .header(reqwest::header::ACCEPT, "application/vnd.github+json")
                    .json(&serde_json::json!({ "access_token": token }))
                    .send()
                    .await
            } else {
                http.post(format!("{}/oauth/revoke", app.web_url))
                    .form(&[
                        ("client_id", app.client_id.as_str()),
                        ("client_secret", app.client_secret.as_str()),
                        ("token", token.as_str()),
                    ])
                    .send()
                    .await
            };
            match sent {
                Ok(r) if r.status().is_success() => {}
                Ok(r) => tracing::warn!(status = %r.status(), "the provider did not revoke the grant"),
                Err(e) => tracing::warn!(error = %e, "the provider could not be asked to revoke the grant"),
            }
        });
    }
}
