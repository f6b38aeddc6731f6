//! Changing the account's e-mail address from the Authentication tab: the request (inside the
//! re-authentication window), resending its link and cancelling it. Following the links is in
//! `web/email_links.rs`.

use super::actor;
use super::ServerHost;
use crate::auth::{session_token, throttle};
use crate::db::email_changes::{self, Request, Requested, CONFIRM_LIFETIME_SECS, REPORT_LIFETIME_SECS};
use crate::db::mail_queue::OutgoingMail;
use crate::db::now;
use crate::db::users::User;
use crate::mail::compose::{notice, Notice};
use crate::tz;
use app::error::AppError;
use app::host::Caller;
use app::i18n::{Key, Lang};
use app::model::{AuthChanged, PendingEmail};

/// Requests and resends per account per hour: each sends a mail, and each request can ask
/// whether an address is in use.
const MAILS_PER_HOUR: i64 = 5;
const WINDOW_SECS: i64 = 3600;

impl ServerHost {
    pub(super) async fn pending_email(&self, caller: &Caller, at: i64) -> Result<Option<PendingEmail>, AppError> {
        let pending = email_changes::pending(&self.db, &caller.user_id, at)
            .await
            .map_err(self.db_error(caller))?;
        let zone = caller.time_zone.as_str();
        Ok(pending.map(|p| PendingEmail {
            address: p.new_email,
            requested_at: tz::stamp(p.created_at, zone),
            expires_at: tz::stamp(p.expires_at, zone),
        }))
    }

    async fn mail_budget(&self, caller: &Caller, at: i64) -> Result<(), AppError> {
        let key = format!("email-change:user:{}", caller.user_id);
        match throttle::over_limit(&self.db, &key, MAILS_PER_HOUR, WINDOW_SECS, at)
            .await
            .map_err(self.db_error(caller))?
        {
            Some(wait) => Err(AppError::RateLimited {
                retry_after_secs: wait.max(1) as u64,
            }),
            None => Ok(()),
        }
    }

    pub(super) async fn request_email_change(&self, caller: &Caller, new_email: &str) -> Result<AuthChanged, AppError> {
        self.require_identity(caller).await?;
        let user = self.user(caller).await?;
        let new_email = app::validate::email(new_email).map_err(|key| AppError::invalid("new_email", key))?;
        if new_email == user.email {
            return Err(AppError::invalid("new_email", Key::ErrEmailSame));
        }
        let at = now();
        self.mail_budget(caller, at).await?;
        let (token, token_digest) = session_token::generate();
        let (cancel, cancel_digest) = session_token::generate();
        let mails = [
            self.confirm_mail(&user, &new_email, &token),
            self.heads_up_mail(&user, &new_email, &cancel),
        ];
        let request = Request {
            user_id: &user.id,
            old_email: &user.email,
            new_email: &new_email,
            token_digest: &token_digest,
            cancel_digest: &cancel_digest,
        };
        let stored = email_changes::request(&self.db, request, &actor(caller), &mails, at)
            .await
            .map_err(self.db_error(caller))?;
        match stored {
            // The same words whoever uses the address.
            Requested::Taken => Err(AppError::invalid("new_email", Key::ErrEmailUnavailable)),
            Requested::Stored => {
                self.wake_mail();
                Ok(AuthChanged {
                    what: Key::EmailChangeSentNotice,
                })
            }
        }
    }

    /// Sending the link again gives the change another day: like asking for it, it needs the
    /// window (or, from the API, the password), or any session could keep it alive.
    pub(super) async fn resend_email_change(&self, caller: &Caller) -> Result<AuthChanged, AppError> {
        self.require_identity(caller).await?;
        let user = self.user(caller).await?;
        let at = now();
        // Nothing pending is not a mail sent: it does not count against the limit.
        if self.pending_email(caller, at).await?.is_none() {
            return Err(AppError::Conflict(Key::ErrNoPendingEmail));
        }
        self.mail_budget(caller, at).await?;
        let (token, digest) = session_token::generate();
        let sent = email_changes::resend(
            &self.db,
            &user.id,
            &digest,
            |to| self.confirm_mail(&user, to, &token),
            at,
        )
        .await
        .map_err(self.db_error(caller))?;
        if !sent {
            return Err(AppError::Conflict(Key::ErrNoPendingEmail));
        }
        self.wake_mail();
        Ok(AuthChanged {
            what: Key::EmailChangeResentNotice,
        })
    }

    /// Withdrawing a change only keeps things as they are: it needs no window.
    pub(super) async fn cancel_email_change(&self, caller: &Caller) -> Result<AuthChanged, AppError> {
        let cancelled = email_changes::cancel(&self.db, &caller.user_id, &actor(caller), now())
            .await
            .map_err(self.db_error(caller))?;
        if !cancelled {
            return Err(AppError::Conflict(Key::ErrNoPendingEmail));
        }
        Ok(AuthChanged {
            what: Key::EmailChangeCancelledNotice,
        })
    }

    /// To the new address: the link that applies the change.
    fn confirm_mail(&self, user: &User, to: &str, token: &str) -> OutgoingMail {
        let link = format!("{}/email/confirm?token={token}", self.config.public_url);
        let hours = CONFIRM_LIFETIME_SECS / 3600;
        let (subject, body, ignore, follow) = match user.lang {
            Lang::Fr => (
                "Confirmez votre nouvelle adresse e-mail",
                format!(
                    "Quelqu’un (vous, espérons-le) a demandé que le compte {} utilise cette adresse. \
                     Le changement prend effet quand vous suivez le lien ci-dessous, valable {hours} heures et une seule fois.",
                    user.username
                ),
                "Si ce n’était pas vous, ignorez ce message : rien ne change.",
                "Confirmer la nouvelle adresse :",
            ),
            Lang::En => (
                "Confirm your new e-mail address",
                format!(
                    "Someone (you, we hope) asked for the account {} to use this address. The change \
                     takes effect when you follow the link below, which works once, within {hours} hours.",
                    user.username
                ),
                "If it was not you, ignore this message: nothing changes.",
                "Confirm the new address:",
            ),
        };
        notice(Notice {
            to,
            username: &user.username,
            lang: user.lang,
            subject,
            paragraphs: &[&body, ignore],
            link: Some((follow, &link)),
        })
    }

    /// To the current address: what is happening, and how to stop it.
    fn heads_up_mail(&self, user: &User, new_email: &str, cancel: &str) -> OutgoingMail {
        let link = format!("{}/email/report?token={cancel}", self.config.public_url);
        let days = REPORT_LIFETIME_SECS / 86_400;
        let (subject, body, report) = match user.lang {
            Lang::Fr => (
                "Changement de votre adresse e-mail",
                format!(
                    "Un changement de l’adresse de votre compte vers {new_email} a été demandé. Il prendra \
                     effet quand la nouvelle adresse le confirmera."
                ),
                format!(
                    "Si ce n’était pas vous, annulez-le avec ce lien (valable {days} jours, même après la \
                     confirmation : votre adresse est alors rétablie) ; il ferme aussi toutes les sessions et \
                     révoque tous les jetons d’API :"
                ),
            ),
            Lang::En => (
                "Your e-mail address is being changed",
                format!(
                    "A change of your account's address to {new_email} was requested. It takes effect once \
                     the new address confirms it."
                ),
                format!(
                    "If it was not you, cancel it with this link (it works for {days} days, even after \
                     the confirmation: your address then comes back); it also signs out every session and \
                     revokes every API token:"
                ),
            ),
        };
        notice(Notice {
            to: &user.email,
            username: &user.username,
            lang: user.lang,
            subject,
            paragraphs: &[&body],
            link: Some((&report, &link)),
        })
    }
}
