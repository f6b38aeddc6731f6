//! Who may make a sensitive change. From a browser: the password typed in the last few minutes
//! (the re-authentication window). From the API: a token for what a token may do, and the
//! password (and a code) in the same request for what could take the account.

use super::two_factor::code_error;
use super::ServerHost;
use crate::auth::second_factor;
use crate::db::{now, totp as totp_store};
use app::error::{AppError, FieldError};
use app::host::Caller;
use app::i18n::Key;

impl ServerHost {
    /// Changes a token may make (keys, tokens, sessions) need, from a browser session, the
    /// password from the last few minutes: the window guards a session someone else may be
    /// sitting at. An API caller passes: its token was created inside a window, and the owner
    /// is mailed about each new key and token (`alerts.rs`).
    pub(super) async fn require_recent_auth(&self, caller: &Caller) -> Result<(), AppError> {
        if super::api_caller(caller).is_some() {
            return Ok(());
        }
        self.require_window(caller).await
    }

    /// Changes that could take the account (its address, its password, its second factor)
    /// need the window from a browser, and from the API the password (and a code when the
    /// second factor is on) in the same request (`prove_identity`): a leaked token or bearer
    /// alone never makes them.
    pub(super) async fn require_identity(&self, caller: &Caller) -> Result<(), AppError> {
        match super::api_caller(caller) {
            // The routes that come here need full access already; this holds if one is wired
            // wrong: a limited token never takes the account, password or not.
            Some(api) if !api.scopes.is_full() => Err(AppError::Forbidden),
            Some(api) if api.identity_proven => Ok(()),
            Some(_) => Err(AppError::ReauthRequired),
            None => self.require_window(caller).await,
        }
    }

    async fn require_window(&self, caller: &Caller) -> Result<(), AppError> {
        match self.window_open(caller, now()).await? {
            Some(_) => Ok(()),
            None => Err(AppError::ReauthRequired),
        }
    }

    /// For an API request that carries the account's password and, with the second factor
    /// on, a code (`None` when the operation checks a code of its own, as turning the factor
    /// off does): the same caller, marked as proven. The password is counted with the account's
    /// sign-in failures, the code with its code failures.
    pub async fn prove_identity(
        &self,
        caller: &Caller,
        password: &str,
        code: Option<&str>,
    ) -> Result<Caller, AppError> {
        let Some(api) = super::api_caller(caller) else {
            return Err(AppError::Forbidden);
        };
        let user = self.user(caller).await?;
        let tfa_on = totp_store::is_enabled(&self.db, &user.id)
            .await
            .map_err(self.db_error(caller))?;
        let code = code.filter(|_| tfa_on);
        let mut errors = Vec::new();
        if password.is_empty() {
            errors.push(FieldError::new("current_password", Key::ErrRequired));
        }
        if code.is_some_and(|c| c.trim().is_empty()) {
            errors.push(FieldError::new("otp", Key::ErrCodeRequired));
        }
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        self.check_password(caller, &user, password.to_string(), "current_password")
            .await?;
        if let Some(code) = code {
            second_factor::check(&self.db, &self.secret, &self.throttle, &user.id, code, now())
                .await
                .map_err(|e| code_error(caller, "otp", e))?;
        }
        let mut proven = caller.clone();
        proven.host_data = app::host::HostData(Some(std::sync::Arc::new(super::ApiCaller {
            token_id: api.token_id.clone(),
            identity_proven: true,
            scopes: api.scopes.clone(),
        })));
        Ok(proven)
    }
}
