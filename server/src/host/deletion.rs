//! Account deletion through the REST API, in Scalingo's two steps: the request mails a
//! one-time code to the account's address; the confirmation brings it back. A stolen bearer
//! token alone cannot delete an account. The web tab has its own door (username typed again,
//! re-authentication window); both end in `finish_deletion`.

use super::ServerHost;
use crate::auth::{session_token, throttle};
use crate::db::account_deletions::{self, DeletionRequest, LIFETIME_SECS};
use crate::db::now;
use crate::mail::compose::{notice, Notice};
use app::error::AppError;
use app::host::Caller;
use app::i18n::{Key, Lang};

/// Deletion codes mailed per account per hour: enough for retries, too few to flood a mailbox.
const REQUESTS_PER_HOUR: i64 = 5;

impl ServerHost {
    pub async fn request_deletion(&self, caller: &Caller) -> Result<DeletionRequest, AppError> {
        let user = self.user(caller).await?;
        // Refused before any mail: a code that could not be used would only confuse.
        if !self.apps(caller).await?.is_empty() {
            return Err(AppError::Conflict(Key::ErrOwnsApps));
        }
        let at = now();
        let budget = format!("account-deletion:user:{}", user.id);
        if let Some(wait) = throttle::over_limit(&self.db, &budget, REQUESTS_PER_HOUR, 3600, at)
            .await
            .map_err(self.db_error(caller))?
        {
            return Err(AppError::RateLimited {
                retry_after_secs: wait.max(1) as u64,
            });
        }
        let (code, digest) = session_token::generate();
        let minutes = LIFETIME_SECS / 60;
        let (subject, intro, code_line, warning) = match user.lang {
            Lang::Fr => (
                "Confirmez la suppression de votre compte",
                "Une demande de suppression de votre compte a été faite avec l’API.".to_string(),
                format!("Code de confirmation (valable {minutes} minutes) : {code}"),
                "Si vous n’êtes pas à l’origine de cette demande, ignorez cet e-mail et révoquez vos jetons d’API.",
            ),
            Lang::En => (
                "Confirm your account's deletion",
                "Someone asked, through the API, to delete your account.".to_string(),
                format!("Confirmation code (valid for {minutes} minutes): {code}"),
                "If this was not you, ignore this e-mail and revoke your API tokens.",
            ),
        };
        let mail = notice(Notice {
            to: &user.email,
            username: &user.username,
            lang: user.lang,
            subject,
            paragraphs: &[&intro, &code_line, warning],
            link: None,
        });
        let request = account_deletions::request(&self.db, &user.id, &digest, &mail, at)
            .await
            .map_err(self.db_error(caller))?;
        self.wake_mail();
        Ok(request)
    }

    /// `NotFound` for an unknown or expired request id; a wrong code is a field error.
    pub async fn confirm_deletion(&self, caller: &Caller, id: &str, code: &str, reason: &str) -> Result<(), AppError> {
        let user = self.user(caller).await?;
        let expected = account_deletions::live_digest(&self.db, &user.id, id, now())
            .await
            .map_err(self.db_error(caller))?
            .ok_or(AppError::NotFound)?;
        let code = code.trim();
        if code.is_empty() {
            return Err(AppError::invalid("token", Key::ErrRequired));
        }
        // The code carries 256 random bits: comparing digests leaks nothing worth timing.
        if session_token::digest(code) != expected {
            return Err(AppError::invalid("token", Key::ErrDeletionCodeWrong));
        }
        self.finish_deletion(caller, &user, reason).await
    }
}
