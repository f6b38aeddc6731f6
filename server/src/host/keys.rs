//! SSH keys, for the tab and for `/v1/keys` alike: one set of rules behind both doors.

use super::alerts::Named;
use super::{actor, ServerHost};
use crate::db::security_reports::Alert;
use crate::db::ssh_keys::{self, AddKeyError, StoredKey};
use crate::db::{now, totp as totp_store};
use crate::keys::parse::{self, KeyProblem};
use crate::tz;
use app::error::AppError;
use app::host::Caller;
use app::i18n::Key;
use app::model::{AuthChanged, KeysOverview, SshKeyView};

/// Longest key or token name, in characters.
pub const MAX_NAME_CHARS: usize = 100;

/// A trimmed, non-empty name without control characters.
pub fn checked_name(name: &str, field: &str) -> Result<String, AppError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(AppError::invalid(field, Key::ErrRequired));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(AppError::invalid(field, Key::ErrNameTooLong));
    }
    Ok(name.chars().filter(|c| !c.is_control()).collect())
}

/// Two independent checks: both values, or every field problem of both at once.
pub fn both<A, B>(a: Result<A, AppError>, b: Result<B, AppError>) -> Result<(A, B), AppError> {
    match (a, b) {
        (Ok(a), Ok(b)) => Ok((a, b)),
        (Err(AppError::Invalid(mut first)), Err(AppError::Invalid(second))) => {
            first.extend(second);
            Err(AppError::Invalid(first))
        }
        (Err(e), _) | (_, Err(e)) => Err(e),
    }
}

pub fn problem_key(problem: KeyProblem) -> Key {
    match problem {
        KeyProblem::Empty => Key::ErrRequired,
        KeyProblem::TooLong => Key::ErrKeyTooLong,
        KeyProblem::PrivateKey => Key::ErrKeyPrivate,
        KeyProblem::SeveralKeys => Key::ErrKeySeveral,
        KeyProblem::Dsa => Key::ErrKeyDsa,
        KeyProblem::RsaTooShort => Key::ErrKeyRsaShort,
        KeyProblem::Unsupported => Key::ErrKeyUnsupported,
        KeyProblem::Unreadable => Key::ErrKeyUnreadable,
    }
}

pub fn key_view(key: &StoredKey, zone: &str) -> SshKeyView {
    SshKeyView {
        id: key.id.clone(),
        name: key.name.clone(),
        algorithm: key.algorithm.clone(),
        bits: u32::try_from(key.bits).unwrap_or_default(),
        fingerprint: key.fingerprint.clone(),
        comment: key.comment.clone(),
        added: tz::stamp(key.created_at, zone),
    }
}

impl ServerHost {
    pub(super) async fn two_factor_on(&self, caller: &Caller) -> Result<bool, AppError> {
        totp_store::is_enabled(&self.db, &caller.user_id)
            .await
            .map_err(self.db_error(caller))
    }

    pub(super) async fn has_passkeys(&self, caller: &Caller) -> Result<bool, AppError> {
        crate::db::passkeys::has_any(&self.db, &caller.user_id)
            .await
            .map_err(self.db_error(caller))
    }

    pub async fn stored_keys(&self, caller: &Caller) -> Result<Vec<StoredKey>, AppError> {
        ssh_keys::for_user(&self.db, &caller.user_id)
            .await
            .map_err(self.db_error(caller))
    }

    pub(super) async fn keys_overview(&self, caller: &Caller) -> Result<KeysOverview, AppError> {
        let zone = caller.time_zone.as_str();
        let keys = self.stored_keys(caller).await?;
        Ok(KeysOverview {
            keys: keys.iter().map(|k| key_view(k, zone)).collect(),
            reauth_until: self.window_open(caller, now()).await?.map(|at| tz::stamp(at, zone)),
            two_factor_on: self.two_factor_on(caller).await?,
            has_passkeys: self.has_passkeys(caller).await?,
        })
    }

    /// Every problem with the form at once: the name and the key are checked together.
    pub async fn add_stored_key(&self, caller: &Caller, name: &str, content: &str) -> Result<StoredKey, AppError> {
        self.require_recent_auth(caller).await?;
        let name = checked_name(name, "key_name");
        let parsed = parse::parse(content).map_err(|p| AppError::invalid("key_content", problem_key(p)));
        let (name, parsed) = both(name, parsed)?;
        let user = self.user(caller).await?;
        let named = Named {
            name: &name,
            fingerprint: Some(&parsed.fingerprint),
        };
        let alert = self.owner_alert(caller, &user, Alert::NewKey, Some(named));
        match ssh_keys::add(
            &self.db,
            &caller.user_id,
            &name,
            &parsed,
            &actor(caller),
            Some(&alert),
            now(),
        )
        .await
        {
            Ok(key) => {
                self.wake_mail();
                Ok(key)
            }
            Err(AddKeyError::NameTaken) => Err(AppError::invalid("key_name", Key::ErrKeyNameTaken)),
            Err(AddKeyError::AlreadyYours(_)) => Err(AppError::invalid("key_content", Key::ErrKeyAlreadyYours)),
            Err(AddKeyError::InUse) => Err(AppError::invalid("key_content", Key::ErrKeyInUse)),
            Err(AddKeyError::TooMany) => Err(AppError::Conflict(Key::ErrTooManyKeys)),
            Err(AddKeyError::Db(e)) => Err(self.db_error(caller)(e)),
        }
    }

    pub async fn remove_stored_key(&self, caller: &Caller, id: &str) -> Result<StoredKey, AppError> {
        self.require_recent_auth(caller).await?;
        ssh_keys::remove(&self.db, &caller.user_id, id, &actor(caller))
            .await
            .map_err(self.db_error(caller))?
            .ok_or(AppError::NotFound)
    }

    pub(super) async fn add_key(&self, caller: &Caller, name: &str, content: &str) -> Result<AuthChanged, AppError> {
        self.add_stored_key(caller, name, content).await?;
        Ok(AuthChanged {
            what: Key::KeyAddedNotice,
        })
    }

    pub(super) async fn remove_key(&self, caller: &Caller, id: &str) -> Result<AuthChanged, AppError> {
        self.remove_stored_key(caller, id).await?;
        Ok(AuthChanged {
            what: Key::KeyRemovedNotice,
        })
    }
}

#[async_trait::async_trait]
impl app::host::KeysPort for ServerHost {
    async fn keys_overview(&self, caller: &Caller) -> Result<KeysOverview, AppError> {
        ServerHost::keys_overview(self, caller).await
    }

    async fn add_key(&self, caller: &Caller, name: &str, content: &str) -> Result<AuthChanged, AppError> {
        ServerHost::add_key(self, caller, name, content).await
    }

    async fn remove_key(&self, caller: &Caller, id: &str) -> Result<AuthChanged, AppError> {
        ServerHost::remove_key(self, caller, id).await
    }
}
