//! The second factor's changes on the Authentication tab and `/v1/client/tfa`: enrolment
//! (secret, QR code, first code), recovery codes, turning it off. Each needs the
//! re-authentication window (from the API, the password in the request), and each change is
//! mailed to the owner with an "it was not me" link.

use super::{actor, internal, ServerHost};
use crate::auth::second_factor::{self, CodeError};
use crate::auth::{seal, throttle, totp};
use crate::db::security_reports::Alert;
use crate::db::users::User;
use crate::db::{now, totp as totp_store};
use app::error::AppError;
use app::host::Caller;
use app::i18n::Key;
use app::model::*;

pub(super) fn code_error(caller: &Caller, field: &str, error: CodeError) -> AppError {
    match error {
        CodeError::Missing => AppError::invalid(field, Key::ErrCodeRequired),
        CodeError::Wrong => AppError::invalid(field, Key::ErrCodeWrong),
        CodeError::Replayed => AppError::invalid(field, Key::ErrCodeReplayed),
        CodeError::Throttled(secs) => AppError::RateLimited {
            retry_after_secs: secs.max(1) as u64,
        },
        CodeError::NotEnabled => AppError::Conflict(Key::ErrTfaOff),
        CodeError::Internal(cause) => internal(&caller.request_id, cause),
    }
}

/// The second factor as the REST API shows it.
pub struct TwoFactorStatus {
    pub enabled_at: Option<i64>,
    /// Whether enrolment waits for its first code. Its secret is never shown here: only the
    /// answer to the (password-checked) start hands it out.
    pub pending: bool,
}

impl ServerHost {
    pub(super) fn totp_setup(&self, caller: &Caller, user: &User, sealed: &str) -> Result<TotpSetup, AppError> {
        super::mark_secret_response();
        let secret = second_factor::open_secret(&self.secret, sealed).map_err(|e| internal(&caller.request_id, e))?;
        let uri = totp::otpauth_uri(&secret, &user.username)
            .ok_or_else(|| internal(&caller.request_id, "otpauth URI refused"))?;
        let qr_svg = totp::qr_svg(&uri).ok_or_else(|| internal(&caller.request_id, "QR code refused"))?;
        Ok(TotpSetup {
            secret: totp::grouped(&totp::base32(&secret)),
            otpauth_uri: uri,
            qr_svg,
        })
    }

    pub async fn two_factor_status(&self, caller: &Caller) -> Result<TwoFactorStatus, AppError> {
        let stored = totp_store::get(&self.db, &caller.user_id)
            .await
            .map_err(self.db_error(caller))?;
        Ok(TwoFactorStatus {
            enabled_at: stored.as_ref().and_then(|t| t.enabled_at),
            pending: stored.is_some_and(|t| t.enabled_at.is_none()),
        })
    }

    /// Starts enrolment and hands out the secret to scan, once (the API's door; the tab shows
    /// it while its window is open).
    pub async fn start_two_factor_setup(&self, caller: &Caller) -> Result<TotpSetup, AppError> {
        self.start_two_factor(caller).await?;
        let stored = totp_store::get(&self.db, &caller.user_id)
            .await
            .map_err(self.db_error(caller))?
            .ok_or(AppError::Conflict(Key::ErrTfaNotPending))?;
        let user = self.user(caller).await?;
        self.totp_setup(caller, &user, &stored.sealed_secret)
    }

    pub(super) async fn start_two_factor(&self, caller: &Caller) -> Result<AuthChanged, AppError> {
        self.require_identity(caller).await?;
        let sealed = seal::seal(&self.secret, second_factor::SEAL_PURPOSE, &totp::new_secret())
            .ok_or_else(|| internal(&caller.request_id, "sealing failed"))?;
        let started = totp_store::start(&self.db, &caller.user_id, &sealed, now())
            .await
            .map_err(self.db_error(caller))?;
        if !started {
            return Err(AppError::Conflict(Key::ErrTfaAlreadyOn));
        }
        Ok(AuthChanged { what: Key::TfaScanHelp })
    }

    /// Turning the factor on needs the window from a browser; from the API, only the first
    /// code: its secret was handed out once, to the password-checked start, so a bearer alone
    /// cannot compute it.
    pub(super) async fn confirm_two_factor(&self, caller: &Caller, code: &str) -> Result<RecoveryCodes, AppError> {
        self.require_recent_auth(caller).await?;
        let stored = totp_store::get(&self.db, &caller.user_id)
            .await
            .map_err(self.db_error(caller))?;
        let pending = match stored {
            Some(t) if t.enabled_at.is_some() => return Err(AppError::Conflict(Key::ErrTfaAlreadyOn)),
            Some(t) => t,
            None => return Err(AppError::Conflict(Key::ErrTfaNotPending)),
        };
        let at = now();
        let keys = throttle::Keys::single(
            second_factor::throttle_key(&caller.user_id),
            self.throttle.free_per_account,
        );
        let attempt = match throttle::begin_attempt(&self.db, &self.throttle, &keys, at)
            .await
            .map_err(self.db_error(caller))?
        {
            Ok(attempt) => attempt,
            Err(wait) => return Err(code_error(caller, "enable_code", CodeError::Throttled(wait))),
        };
        let secret = second_factor::open_secret(&self.secret, &pending.sealed_secret)
            .map_err(|e| code_error(caller, "enable_code", e))?;
        let step = match second_factor::check_enrolment(&secret, code, at) {
            Ok(step) => step,
            Err(e) => {
                throttle::confirm_failure(&self.db, &self.throttle, attempt, at)
                    .await
                    .map_err(self.db_error(caller))?;
                return Err(code_error(caller, "enable_code", e));
            }
        };
        throttle::record_success(&self.db, attempt)
            .await
            .map_err(self.db_error(caller))?;
        let codes = totp::new_recovery_codes();
        let digests: Vec<String> = codes.iter().map(|c| totp::recovery_digest(c)).collect();
        let user = self.user(caller).await?;
        let alert = self.owner_alert(caller, &user, Alert::TfaEnabled, None);
        let enabled = totp_store::enable(
            &self.db,
            &caller.user_id,
            step,
            &digests,
            &actor(caller),
            Some(&alert),
            at,
        )
        .await
        .map_err(self.db_error(caller))?;
        if !enabled {
            return Err(AppError::Conflict(Key::ErrTfaNotPending));
        }
        self.wake_mail();
        super::mark_secret_response();
        Ok(RecoveryCodes { codes })
    }

    pub(super) async fn regenerate_recovery_codes(&self, caller: &Caller) -> Result<RecoveryCodes, AppError> {
        self.require_identity(caller).await?;
        let on = totp_store::is_enabled(&self.db, &caller.user_id)
            .await
            .map_err(self.db_error(caller))?;
        if !on {
            return Err(AppError::Conflict(Key::ErrTfaOff));
        }
        let codes = totp::new_recovery_codes();
        let digests: Vec<String> = codes.iter().map(|c| totp::recovery_digest(c)).collect();
        let user = self.user(caller).await?;
        let alert = self.owner_alert(caller, &user, Alert::RecoveryCodes, None);
        totp_store::replace_recovery_codes(&self.db, &caller.user_id, &digests, &actor(caller), Some(&alert))
            .await
            .map_err(self.db_error(caller))?;
        self.wake_mail();
        super::mark_secret_response();
        Ok(RecoveryCodes { codes })
    }

    pub(super) async fn disable_two_factor(&self, caller: &Caller, code: &str) -> Result<AuthChanged, AppError> {
        self.require_identity(caller).await?;
        second_factor::check(&self.db, &self.secret, &self.throttle, &caller.user_id, code, now())
            .await
            .map_err(|e| code_error(caller, "disable_code", e))?;
        let user = self.user(caller).await?;
        let alert = self.owner_alert(caller, &user, Alert::TfaDisabled, None);
        totp_store::disable(&self.db, &caller.user_id, &actor(caller), Some(&alert))
            .await
            .map_err(self.db_error(caller))?;
        self.wake_mail();
        Ok(AuthChanged {
            what: Key::TfaDisabledNotice,
        })
    }
}
