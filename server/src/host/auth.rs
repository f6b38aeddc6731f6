//! The Authentication tab on the server: the re-authentication window, password, sessions and
//! deletion (the second factor is in `two_factor.rs`). Every change checks the window first and
//! records its event.

use super::two_factor::code_error;
use super::{actor, internal, ServerHost};
use crate::auth::hash_queue::Lane;
use crate::auth::password::HashError;
use crate::auth::second_factor;
use crate::auth::{common_passwords, device_cookie, session_token, throttle};
use crate::db::events::{self, EventType};
use crate::db::security::{self, Deletion};
use crate::db::users::{self, User};
use crate::db::{apps, devices, now, sessions, throttle as throttle_store, totp as totp_store};
use crate::mail::compose::{notice, Notice};
use crate::tz;
use app::error::{AppError, FieldError};
use app::host::Caller;
use app::i18n::{Key, Lang};
use app::model::*;
use serde_json::json;
use sha2::{Digest, Sha256};

/// How long a confirmed password unlocks sensitive changes.
pub const REAUTH_WINDOW_SECS: i64 = 10 * 60;

/// The handle the page uses for a session: derived from the digest, useless as a credential.
pub fn session_handle(digest: &str) -> String {
    hex::encode(Sha256::digest(format!("session-handle:{digest}")))[..20].to_string()
}

fn hash_error(caller: &Caller, error: HashError) -> AppError {
    match error {
        HashError::Busy => AppError::Busy,
        HashError::Internal(cause) => internal(&caller.request_id, cause),
    }
}

impl ServerHost {
    pub(super) fn db_error(&self, caller: &Caller) -> impl Fn(sqlx::Error) -> AppError + '_ {
        let id = caller.request_id.clone();
        move |e| internal(&id, e)
    }

    pub(super) async fn user(&self, caller: &Caller) -> Result<User, AppError> {
        if let Some(memo) = super::request_account(caller) {
            return Ok(memo.account.user.clone());
        }
        let mut conn = self.db.pool.acquire().await.map_err(self.db_error(caller))?;
        users::find_by_id(&mut conn, &caller.user_id)
            .await
            .map_err(self.db_error(caller))?
            .ok_or(AppError::SessionExpired)
    }

    pub(super) async fn window_open(&self, caller: &Caller, at: i64) -> Result<Option<i64>, AppError> {
        let since = sessions::reauthenticated_at(&self.db, &caller.session_digest)
            .await
            .map_err(self.db_error(caller))?;
        Ok(since.map(|t| t + REAUTH_WINDOW_SECS).filter(|until| at < *until))
    }

    pub(super) async fn record(
        &self,
        caller: &Caller,
        kind: EventType,
        data: serde_json::Value,
    ) -> Result<(), AppError> {
        let mut conn = self.db.pool.acquire().await.map_err(self.db_error(caller))?;
        events::note(&mut conn, &caller.user_id, kind, &actor(caller), data)
            .await
            .map_err(self.db_error(caller))
    }

    /// Checks the account's password, counted before the check on the session's own counter
    /// (which refuses after five failures) and on the account's sign-in counter (which pauses
    /// sign-in, never this check): anonymous guessers cannot keep the owner from confirming,
    /// and a session or bearer adds its guesses to sign-in's instead of getting its own.
    pub(super) async fn check_password(
        &self,
        caller: &Caller,
        user: &User,
        password: String,
        field: &str,
    ) -> Result<(), AppError> {
        if password.is_empty() {
            return Err(AppError::invalid(field, Key::ErrRequired));
        }
        let at = now();
        let own = format!("reauth:user:{}", user.id);
        let account = throttle::account_key(Some(&user.id), &user.username);
        // While guessers keep the account's sign-in paused, its owner still confirms with the
        // right password; a session that has already missed once waits for the pause to end,
        // so a stolen session gets at most one guess on top of sign-in's.
        if let Some(until) = throttle_store::blocked_until(&self.db, &account, at)
            .await
            .map_err(self.db_error(caller))?
        {
            let missed = throttle_store::failures(&self.db, &own, at, self.throttle.window_secs)
                .await
                .map_err(self.db_error(caller))?;
            if missed > 0 {
                return Err(AppError::RateLimited {
                    retry_after_secs: (until - at).max(1) as u64,
                });
            }
        }
        let keys = throttle::Keys::signed_in(own, account, self.throttle.free_per_account);
        let attempt = match throttle::begin_attempt(&self.db, &self.throttle, &keys, at)
            .await
            .map_err(self.db_error(caller))?
        {
            Ok(attempt) => attempt,
            Err(wait) => {
                return Err(AppError::RateLimited {
                    retry_after_secs: wait.max(1) as u64,
                })
            }
        };
        let verified = self
            .hasher
            .verify(Lane::Priority, password, Some(user.password_hash.clone()))
            .await;
        match verified {
            Ok(v) if v.ok => throttle::record_success(&self.db, attempt)
                .await
                .map_err(self.db_error(caller)),
            Ok(_) => {
                throttle::confirm_failure(&self.db, &self.throttle, attempt, at)
                    .await
                    .map_err(self.db_error(caller))?;
                Err(AppError::invalid(field, Key::ErrWrongPassword))
            }
            Err(e) => {
                throttle::withdraw(&self.db, attempt)
                    .await
                    .map_err(self.db_error(caller))?;
                Err(hash_error(caller, e))
            }
        }
    }

    pub(super) fn set_session_cookie(&self, value: String) {
        if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            if let Ok(value) = http::HeaderValue::from_str(&value) {
                response.append_header(http::header::SET_COOKIE, value);
            }
        }
    }

    pub(super) fn wake_mail(&self) {
        self.mail_wake.notify_one();
    }

    pub(super) async fn auth_overview(&self, caller: &Caller) -> Result<AuthOverview, AppError> {
        let user = self.user(caller).await?;
        let zone = caller.time_zone.as_str();
        let at = now();
        let reauth_until = self.window_open(caller, at).await?;
        let stored = totp_store::get(&self.db, &user.id)
            .await
            .map_err(self.db_error(caller))?;
        let two_factor = match stored {
            None => TwoFactorState::Off,
            Some(t) => match t.enabled_at {
                Some(enabled_at) => TwoFactorState::On {
                    enabled_at: tz::stamp(enabled_at, zone),
                    recovery_codes_left: totp_store::codes_left(&self.db, &user.id)
                        .await
                        .map_err(self.db_error(caller))?
                        .max(0) as u32,
                },
                // The secret is shown only while the window is open.
                None if reauth_until.is_some() => {
                    TwoFactorState::Pending(self.totp_setup(caller, &user, &t.sealed_secret)?)
                }
                None => TwoFactorState::Off,
            },
        };
        let sessions = sessions::for_user(&self.db, &user.id, self.lifetimes, at)
            .await
            .map_err(self.db_error(caller))?
            .into_iter()
            .map(|s| SessionView {
                id: session_handle(&s.id_digest),
                agent: crate::agent::describe(&s.user_agent),
                ip: s.ip,
                started: tz::stamp(s.created_at, zone),
                last_active: tz::stamp(s.last_seen_at, zone),
                current: s.id_digest == caller.session_digest,
            })
            .collect();
        let mut conn = self.db.pool.acquire().await.map_err(self.db_error(caller))?;
        let apps = apps::owned_by(&mut conn, &user.id)
            .await
            .map_err(self.db_error(caller))?
            .into_iter()
            .map(|a| AppSummary {
                name: a.name,
                created: tz::stamp(a.created_at, zone),
            })
            .collect();
        Ok(AuthOverview {
            username: user.username,
            email: user.email,
            pending_email: self.pending_email(caller, at).await?,
            reauth_until: reauth_until.map(|t| tz::stamp(t, zone)),
            two_factor,
            sessions,
            apps,
            passkeys: self.passkeys_state(caller, zone).await?,
        })
    }

    pub(super) async fn reauthenticate(
        &self,
        caller: &Caller,
        password: String,
        code: String,
    ) -> Result<AuthChanged, AppError> {
        let user = self.user(caller).await?;
        let tfa_on = totp_store::is_enabled(&self.db, &user.id)
            .await
            .map_err(self.db_error(caller))?;
        if tfa_on && code.trim().is_empty() {
            let mut errors = vec![FieldError::new("reauth_code", Key::ErrCodeRequired)];
            if password.is_empty() {
                errors.insert(0, FieldError::new("reauth_password", Key::ErrRequired));
            }
            return Err(AppError::Invalid(errors));
        }
        self.check_password(caller, &user, password, "reauth_password").await?;
        if tfa_on {
            second_factor::check(&self.db, &self.secret, &self.throttle, &user.id, &code, now())
                .await
                .map_err(|e| code_error(caller, "reauth_code", e))?;
        }
        self.open_window(caller, json!({})).await
    }

    /// Opens the re-authentication window for the caller's session (the password, or a
    /// passkey, was just checked), with a new session id as at sign-in.
    pub(super) async fn open_window(&self, caller: &Caller, data: serde_json::Value) -> Result<AuthChanged, AppError> {
        let (token, digest) = session_token::generate();
        let rotated = sessions::reauthenticate(&self.db, &caller.session_digest, &digest, now())
            .await
            .map_err(self.db_error(caller))?;
        if !rotated {
            return Err(AppError::SessionExpired);
        }
        self.set_session_cookie(session_token::set_cookie(
            &token,
            self.config.https,
            self.lifetimes.absolute_secs,
        ));
        self.record(caller, EventType::Reauthenticate, data).await?;
        Ok(AuthChanged { what: Key::ReauthDone })
    }

    pub(super) async fn change_password(
        &self,
        caller: &Caller,
        current: String,
        new: String,
        confirm: String,
    ) -> Result<AuthChanged, AppError> {
        self.require_identity(caller).await?;
        // An API request checked the password (and code) already, in `prove_identity`.
        let proven = super::identity_proven(caller);
        let user = self.user(caller).await?;
        let mut errors = Vec::new();
        if current.is_empty() && !proven {
            errors.push(FieldError::new("current_password", Key::ErrRequired));
        }
        match app::validate::new_password(&new, &user.username, &user.email) {
            Err(key) => errors.push(FieldError::new("new_password", key)),
            Ok(()) if common_passwords::is_common(&new) => {
                errors.push(FieldError::new("new_password", Key::ErrPasswordCommon))
            }
            Ok(()) => {}
        }
        if new != confirm {
            errors.push(FieldError::new("confirm_password", Key::ErrPasswordsDiffer));
        }
        if !proven && !current.is_empty() {
            // Checked even when the new password is refused, so a wrong current password is
            // reported with the other mistakes, not on the next submit. The check counts
            // towards the sign-in throttle, like any other.
            match self.check_password(caller, &user, current, "current_password").await {
                Ok(()) => {}
                Err(AppError::Invalid(wrong)) => errors.extend(wrong),
                Err(other) => return Err(other),
            }
        }
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let hash = self
            .hasher
            .hash(Lane::Priority, new)
            .await
            .map_err(|e| hash_error(caller, e))?;
        let (subject, body, not_you) = match user.lang {
            Lang::Fr => (
                "Votre mot de passe a été modifié",
                "Le mot de passe de votre compte vient d’être modifié depuis la page Authentification. Vos autres sessions ont été fermées.",
                "Si ce n’était pas vous, réinitialisez-le tout de suite et contactez le support :",
            ),
            Lang::En => (
                "Your password was changed",
                "The password of your account was just changed on the Authentication page. Your other sessions were signed out.",
                "If it was not you, reset it right away and contact support:",
            ),
        };
        let forgot = format!("{}/password/forgot", self.config.public_url);
        let mail = notice(Notice {
            to: &user.email,
            username: &user.username,
            lang: user.lang,
            subject,
            paragraphs: &[body],
            link: Some((not_you, &forgot)),
        });
        security::change_password(
            &self.db,
            &user.id,
            &caller.session_digest,
            &hash,
            &actor(caller),
            &mail,
            now(),
        )
        .await
        .map_err(self.db_error(caller))?;
        self.wake_mail();
        // Every known browser was forgotten with the old password; the one that chose the new
        // one is known from now on (its sign-ins count on their own, out of guessers' reach).
        if super::api_caller(caller).is_none() {
            if let Some((token, nonce)) = device_cookie::issue(&user.id, &self.secret) {
                devices::remember(&self.db, &user.id, &nonce, now())
                    .await
                    .map_err(self.db_error(caller))?;
                self.set_session_cookie(device_cookie::set_cookie(&token, self.config.https));
            }
        }
        Ok(AuthChanged {
            what: Key::PasswordChangedNotice,
        })
    }

    pub(super) async fn revoke_session(&self, caller: &Caller, handle: &str) -> Result<AuthChanged, AppError> {
        self.require_recent_auth(caller).await?;
        let all = sessions::for_user(&self.db, &caller.user_id, self.lifetimes, now())
            .await
            .map_err(self.db_error(caller))?;
        // Another account's session, or one already gone, is simply not found.
        let target = all
            .into_iter()
            .find(|s| session_handle(&s.id_digest) == handle)
            .ok_or(AppError::NotFound)?;
        if target.id_digest == caller.session_digest {
            return Err(AppError::Conflict(Key::ErrCurrentSession));
        }
        let mut tx = self.db.begin_write().await.map_err(self.db_error(caller))?;
        let revoked = sessions::revoke_for_user(&mut tx, &caller.user_id, &target.id_digest)
            .await
            .map_err(self.db_error(caller))?;
        if !revoked {
            return Err(AppError::NotFound);
        }
        events::note(
            &mut tx,
            &caller.user_id,
            EventType::RevokeSession,
            &actor(caller),
            json!({"scope": "one", "count": 1}),
        )
        .await
        .map_err(self.db_error(caller))?;
        tx.commit().await.map_err(self.db_error(caller))?;
        Ok(AuthChanged {
            what: Key::SessionRevokedNotice,
        })
    }

    pub(super) async fn revoke_other_sessions(&self, caller: &Caller) -> Result<AuthChanged, AppError> {
        self.require_recent_auth(caller).await?;
        let mut tx = self.db.begin_write().await.map_err(self.db_error(caller))?;
        let count = sessions::revoke_others(&mut tx, &caller.user_id, &caller.session_digest)
            .await
            .map_err(self.db_error(caller))?;
        if count == 0 {
            return Ok(AuthChanged {
                what: Key::NoOtherSessions,
            });
        }
        events::note(
            &mut tx,
            &caller.user_id,
            EventType::RevokeSession,
            &actor(caller),
            json!({"scope": "others", "count": count}),
        )
        .await
        .map_err(self.db_error(caller))?;
        tx.commit().await.map_err(self.db_error(caller))?;
        Ok(AuthChanged {
            what: Key::OthersRevokedNotice,
        })
    }

    pub(super) async fn delete_account(&self, caller: &Caller, username: &str, reason: &str) -> Result<(), AppError> {
        self.require_recent_auth(caller).await?;
        let user = self.user(caller).await?;
        if username.trim().to_lowercase() != user.username {
            return Err(AppError::invalid("delete_username", Key::ErrUsernameMismatch));
        }
        self.finish_deletion(caller, &user, reason).await?;
        self.set_session_cookie(session_token::clear_cookie(self.config.https));
        Ok(())
    }

    /// Deletes the account once its door's own checks passed: refused (409) while it owns
    /// applications; otherwise the goodbye mail goes in the same transaction.
    pub(super) async fn finish_deletion(&self, caller: &Caller, user: &User, reason: &str) -> Result<(), AppError> {
        let (subject, body) = match user.lang {
            Lang::Fr => (
                "Votre compte a été supprimé",
                "Votre compte et ses données personnelles ont été supprimés, comme vous l’avez demandé. Merci d’avoir utilisé le service.",
            ),
            Lang::En => (
                "Your account was deleted",
                "Your account and its personal data were deleted, as you asked. Thank you for using the service.",
            ),
        };
        let goodbye = notice(Notice {
            to: &user.email,
            username: &user.username,
            lang: user.lang,
            subject,
            paragraphs: &[body],
            link: None,
        });
        let outcome = security::delete_account(&self.db, &user.id, &actor(caller), reason, &goodbye, now())
            .await
            .map_err(self.db_error(caller))?;
        match outcome {
            Deletion::OwnsApps(_) => Err(AppError::Conflict(Key::ErrOwnsApps)),
            Deletion::Deleted => {
                self.wake_mail();
                Ok(())
            }
        }
    }
}

#[async_trait::async_trait]
impl app::host::AuthPort for ServerHost {
    async fn auth_overview(&self, caller: &Caller) -> Result<AuthOverview, AppError> {
        ServerHost::auth_overview(self, caller).await
    }

    async fn reauthenticate(&self, caller: &Caller, password: String, code: String) -> Result<AuthChanged, AppError> {
        ServerHost::reauthenticate(self, caller, password, code).await
    }

    async fn change_password(
        &self,
        caller: &Caller,
        current: String,
        new: String,
        confirm: String,
    ) -> Result<AuthChanged, AppError> {
        ServerHost::change_password(self, caller, current, new, confirm).await
    }

    async fn revoke_session(&self, caller: &Caller, id: &str) -> Result<AuthChanged, AppError> {
        ServerHost::revoke_session(self, caller, id).await
    }

    async fn revoke_other_sessions(&self, caller: &Caller) -> Result<AuthChanged, AppError> {
        ServerHost::revoke_other_sessions(self, caller).await
    }

    async fn start_two_factor(&self, caller: &Caller) -> Result<AuthChanged, AppError> {
        ServerHost::start_two_factor(self, caller).await
    }

    async fn confirm_two_factor(&self, caller: &Caller, code: &str) -> Result<RecoveryCodes, AppError> {
        ServerHost::confirm_two_factor(self, caller, code).await
    }

    async fn regenerate_recovery_codes(&self, caller: &Caller) -> Result<RecoveryCodes, AppError> {
        ServerHost::regenerate_recovery_codes(self, caller).await
    }

    async fn disable_two_factor(&self, caller: &Caller, code: &str) -> Result<AuthChanged, AppError> {
        ServerHost::disable_two_factor(self, caller, code).await
    }

    async fn delete_account(&self, caller: &Caller, username: &str, reason: &str) -> Result<(), AppError> {
        ServerHost::delete_account(self, caller, username, reason).await
    }

    async fn request_email_change(&self, caller: &Caller, new_email: &str) -> Result<AuthChanged, AppError> {
        ServerHost::request_email_change(self, caller, new_email).await
    }

    async fn resend_email_change(&self, caller: &Caller) -> Result<AuthChanged, AppError> {
        ServerHost::resend_email_change(self, caller).await
    }

    async fn cancel_email_change(&self, caller: &Caller) -> Result<AuthChanged, AppError> {
        ServerHost::cancel_email_change(self, caller).await
    }
}
