//! API tokens, for the tab and for `/v1/tokens` alike. Creating and renewing hand out a secret:
//! they need the re-authentication window. Revoking only takes access away: it does not.

use super::alerts::Named;
use super::keys::{both, checked_name};
use super::{actor, ServerHost};
use crate::db::api_tokens::{self, CreateTokenError, NewToken, StoredToken};
use crate::db::now;
use crate::db::security_reports::Alert;
use crate::tz;
use app::error::AppError;
use app::host::Caller;
use app::i18n::Key;
use app::model::{AuthChanged, TokenExpiry, TokenScopes, TokenSecret, TokenView, TokensOverview};

/// Furthest expiry date accepted.
const MAX_EXPIRY_SECS: i64 = 10 * 366 * 86_400;

pub fn token_view(token: &StoredToken, zone: &str, at: i64) -> TokenView {
    TokenView {
        id: token.id.clone(),
        name: token.name.clone(),
        hint: token.hint.clone(),
        created: tz::stamp(token.created_at, zone),
        last_used: token.last_used_at.map(|t| tz::stamp(t, zone)),
        // The last second it works: a token that ends at midnight shows the day before it
        // (chosen as 30 June, it ends as 1 July begins, and shows 30 June).
        expires: token.expires_at.map(|t| tz::stamp(t - 1, zone)),
        expired: token.is_expired(at),
        scopes: token.scopes.clone(),
    }
}

/// The instant an expiry choice ends at, checked against now.
fn expires_at(expiry: TokenExpiry, zone: &str, at: i64) -> Result<Option<i64>, AppError> {
    match expiry {
        TokenExpiry::Never => Ok(None),
        TokenExpiry::Days(days) => Ok(Some(at + i64::from(days) * 86_400)),
        TokenExpiry::Date(day) => {
            // The next midnight: the token works all of the chosen day.
            let end = tz::end_of_day(day, zone).ok_or(AppError::invalid("expiry_date", Key::ErrDateInvalid))?;
            if end <= at + 60 {
                Err(AppError::invalid("expiry_date", Key::ErrExpiryDatePast))
            } else if end > at + MAX_EXPIRY_SECS {
                Err(AppError::invalid("expiry_date", Key::ErrExpiryDateFar))
            } else {
                Ok(Some(end))
            }
        }
    }
}

/// A limited token hands out, renews or revokes only tokens that can do no more than itself
/// (a browser session has full access). Otherwise one leaked `account:read` token could renew
/// the full-access one and read its new secret.
fn require_covers(caller: &Caller, scopes: &TokenScopes) -> Result<(), AppError> {
    if super::caller_scopes(caller).covers(scopes) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

impl ServerHost {
    pub async fn stored_tokens(&self, caller: &Caller) -> Result<Vec<StoredToken>, AppError> {
        api_tokens::for_user(&self.db, &caller.user_id)
            .await
            .map_err(self.db_error(caller))
    }

    pub(super) async fn tokens_overview(&self, caller: &Caller) -> Result<TokensOverview, AppError> {
        let zone = caller.time_zone.as_str();
        let at = now();
        let tokens = self.stored_tokens(caller).await?;
        Ok(TokensOverview {
            tokens: tokens.iter().map(|t| token_view(t, zone, at)).collect(),
            reauth_until: self.window_open(caller, at).await?.map(|t| tz::stamp(t, zone)),
            two_factor_on: self.two_factor_on(caller).await?,
            has_passkeys: self.has_passkeys(caller).await?,
        })
    }

    /// The new token and its secret (shown once).
    pub async fn create_stored_token(
        &self,
        caller: &Caller,
        name: &str,
        expiry: TokenExpiry,
        scopes: TokenScopes,
    ) -> Result<(StoredToken, String), AppError> {
        require_covers(caller, &scopes)?;
        self.require_recent_auth(caller).await?;
        let at = now();
        let name = checked_name(name, "name");
        let expires = expires_at(expiry, &caller.time_zone, at);
        let (name, expires) = both(name, expires)?;
        let expires = self.no_later_than_caller(caller, expires).await?;
        let user = self.user(caller).await?;
        let named = Named {
            name: &name,
            fingerprint: None,
        };
        let alert = self.owner_alert(caller, &user, Alert::NewToken, Some(named));
        match api_tokens::create(
            &self.db,
            &caller.user_id,
            NewToken {
                name: &name,
                expires_at: expires,
                scopes,
            },
            &actor(caller),
            Some(&alert),
            at,
        )
        .await
        {
            Ok(created) => {
                self.wake_mail();
                super::mark_secret_response();
                Ok(created)
            }
            Err(CreateTokenError::TooMany) => Err(AppError::Conflict(Key::ErrTooManyTokens)),
            Err(CreateTokenError::Db(e)) => Err(self.db_error(caller)(e)),
        }
    }

    /// A token made by a limited token ends no later than it: a leaked short-lived token cannot
    /// mint itself a lasting one. (A full-access token can do anything anyway, as Scalingo's.)
    async fn no_later_than_caller(&self, caller: &Caller, expires: Option<i64>) -> Result<Option<i64>, AppError> {
        let Some(api) = super::api_caller(caller).filter(|api| !api.scopes.is_full()) else {
            return Ok(expires);
        };
        let parent = api_tokens::find(&self.db, &caller.user_id, &api.token_id)
            .await
            .map_err(self.db_error(caller))?;
        Ok(match parent.and_then(|p| p.expires_at) {
            Some(limit) => Some(expires.map_or(limit, |e| e.min(limit))),
            None => expires,
        })
    }

    /// A new secret for a token is as good as a new token: the owner hears of it too.
    pub async fn renew_stored_token(&self, caller: &Caller, id: &str) -> Result<(StoredToken, String), AppError> {
        self.require_recent_auth(caller).await?;
        let user = self.user(caller).await?;
        let existing = api_tokens::find(&self.db, &caller.user_id, id)
            .await
            .map_err(self.db_error(caller))?
            .ok_or(AppError::NotFound)?;
        require_covers(caller, &existing.scopes)?;
        let named = Named {
            name: &existing.name,
            fingerprint: None,
        };
        let alert = self.owner_alert(caller, &user, Alert::RenewedToken, Some(named));
        let renewed = api_tokens::renew(&self.db, &caller.user_id, id, &actor(caller), Some(&alert), now())
            .await
            .map_err(self.db_error(caller))?
            .ok_or(AppError::NotFound)?;
        self.wake_mail();
        super::mark_secret_response();
        Ok(renewed)
    }

    pub async fn revoke_stored_token(&self, caller: &Caller, id: &str) -> Result<StoredToken, AppError> {
        if !super::caller_scopes(caller).is_full() {
            let existing = api_tokens::find(&self.db, &caller.user_id, id)
                .await
                .map_err(self.db_error(caller))?
                .ok_or(AppError::NotFound)?;
            require_covers(caller, &existing.scopes)?;
        }
        api_tokens::revoke(&self.db, &caller.user_id, id, &actor(caller))
            .await
            .map_err(self.db_error(caller))?
            .ok_or(AppError::NotFound)
    }

    pub(super) async fn create_token(
        &self,
        caller: &Caller,
        name: &str,
        expiry: TokenExpiry,
        scopes: TokenScopes,
    ) -> Result<TokenSecret, AppError> {
        let (token, secret) = self.create_stored_token(caller, name, expiry, scopes).await?;
        Ok(TokenSecret {
            id: token.id,
            name: token.name,
            secret,
            what: Key::TokenCreatedNotice,
        })
    }

    pub(super) async fn renew_token(&self, caller: &Caller, id: &str) -> Result<TokenSecret, AppError> {
        let (token, secret) = self.renew_stored_token(caller, id).await?;
        Ok(TokenSecret {
            id: token.id,
            name: token.name,
            secret,
            what: Key::TokenRenewedNotice,
        })
    }

    pub(super) async fn revoke_token(&self, caller: &Caller, id: &str) -> Result<AuthChanged, AppError> {
        self.revoke_stored_token(caller, id).await?;
        Ok(AuthChanged {
            what: Key::TokenRevokedNotice,
        })
    }
}

#[async_trait::async_trait]
impl app::host::TokensPort for ServerHost {
    async fn tokens_overview(&self, caller: &Caller) -> Result<TokensOverview, AppError> {
        ServerHost::tokens_overview(self, caller).await
    }

    async fn create_token(
        &self,
        caller: &Caller,
        name: &str,
        expiry: TokenExpiry,
        scopes: TokenScopes,
    ) -> Result<TokenSecret, AppError> {
        ServerHost::create_token(self, caller, name, expiry, scopes).await
    }

    async fn renew_token(&self, caller: &Caller, id: &str) -> Result<TokenSecret, AppError> {
        ServerHost::renew_token(self, caller, id).await
    }

    async fn revoke_token(&self, caller: &Caller, id: &str) -> Result<AuthChanged, AppError> {
        ServerHost::revoke_token(self, caller, id).await
    }
}
