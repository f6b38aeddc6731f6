//! Passkeys on the Authentication tab: adding one (a WebAuthn registration ceremony) and
//! removing one need the re-authentication window, like every change that lets someone in.
//! Signing in with a passkey is in `web::passkey_sign_in` (it sets the session cookie).

use super::alerts::Named;
use super::keys::checked_name;
use super::{actor, ServerHost};
use crate::auth::session_token;
use crate::db::now;
use crate::db::passkeys::{self, AddPasskeyError, NewPasskey};
use crate::db::security_reports::Alert;
use crate::passkeys::{self as check, authenticator_kind, CheckError, Purpose, CEREMONY_SECS};
use crate::tz;
use app::error::AppError;
use app::host::Caller;
use app::i18n::Key;
use app::model::{passkey_kind, AuthChanged, PasskeyCeremony, PasskeyView, PasskeysState};
use webauthn_rs::prelude::{Passkey, PasskeyRegistration, RegisterPublicKeyCredential, Uuid, Webauthn};
use webauthn_rs_proto::ResidentKeyRequirement;

impl ServerHost {
    pub(crate) fn relying_party(&self) -> Result<&Webauthn, AppError> {
        self.config
            .passkeys
            .as_deref()
            .map_err(|_| AppError::Conflict(Key::PasskeysOff))
    }

    pub(super) async fn passkeys_state(&self, caller: &Caller, zone: &str) -> Result<PasskeysState, AppError> {
        let list = passkeys::for_user(&self.db, &caller.user_id)
            .await
            .map_err(self.db_error(caller))?
            .into_iter()
            .map(|p| PasskeyView {
                kind: passkey_kind(&p.kind),
                id: p.id,
                name: p.name,
                created: tz::stamp(p.created_at, zone),
                last_used: p.last_used_at.map(|t| tz::stamp(t, zone)),
            })
            .collect();
        Ok(PasskeysState {
            available: self.config.passkeys.is_ok(),
            list,
        })
    }

    pub(super) async fn begin_passkey_registration(&self, caller: &Caller) -> Result<PasskeyCeremony, AppError> {
        self.require_recent_auth(caller).await?;
        let relying_party = self.relying_party()?;
        let user = self.user(caller).await?;
        let handle = Uuid::parse_str(&user.id).map_err(|e| super::internal(&caller.request_id, e))?;
        // The authenticator refuses to make a second credential for this account.
        let existing = passkeys::for_user(&self.db, &user.id)
            .await
            .map_err(self.db_error(caller))?
            .iter()
            .filter_map(|p| serde_json::from_str::<Passkey>(&p.credential).ok())
            .map(|p| p.cred_id().clone())
            .collect();
        let (mut options, state) = relying_party
            .start_passkey_registration(handle, &user.username, &user.username, Some(existing))
            .map_err(|e| super::internal(&caller.request_id, e))?;
        // Signing in without typing a name needs the credential kept on the authenticator.
        if let Some(selection) = options.public_key.authenticator_selection.as_mut() {
            selection.resident_key = Some(ResidentKeyRequirement::Required);
            selection.require_resident_key = true;
        }
        let ceremony = session_token::generate().0;
        let state = serde_json::to_string(&state).map_err(|e| super::internal(&caller.request_id, e))?;
        let at = now();
        passkeys::begin_ceremony(
            &self.db,
            &ceremony,
            Some(&user.id),
            Purpose::Register.as_str(),
            &state,
            at + CEREMONY_SECS,
            at,
        )
        .await
        .map_err(self.db_error(caller))?;
        let options = serde_json::to_string(&options.public_key).map_err(|e| super::internal(&caller.request_id, e))?;
        Ok(PasskeyCeremony { ceremony, options })
    }

    pub(super) async fn finish_passkey_registration(
        &self,
        caller: &Caller,
        ceremony: &str,
        name: &str,
        credential: &str,
    ) -> Result<AuthChanged, AppError> {
        let name = checked_name(name, "passkey_name")?;
        // The window was checked when the ceremony began (it is the caller's, taken once and
        // five minutes long): checking again here would refuse a passkey the authenticator has
        // already made, leaving it a credential this server never knew.
        let relying_party = self.relying_party()?;
        let taken = passkeys::take_ceremony(&self.db, ceremony, Purpose::Register.as_str(), now())
            .await
            .map_err(self.db_error(caller))?;
        // Another account's ceremony is as unknown as a made-up one.
        let state = match taken {
            Some((Some(owner), state)) if owner == caller.user_id => state,
            _ => return Err(AppError::Conflict(Key::ErrPasskeyExpired)),
        };
        let state: PasskeyRegistration =
            serde_json::from_str(&state).map_err(|e| super::internal(&caller.request_id, e))?;
        let answer: RegisterPublicKeyCredential =
            serde_json::from_str(credential).map_err(|_| AppError::Conflict(Key::ErrPasskeyRefused))?;
        let passkey = relying_party
            .finish_passkey_registration(&answer, &state)
            .map_err(|e| {
                tracing::info!(request_id = %caller.request_id, error = %e, "passkey registration refused");
                AppError::Conflict(Key::ErrPasskeyRefused)
            })?;
        let attachment = serde_json::from_str::<serde_json::Value>(credential)
            .ok()
            .and_then(|v| v["authenticatorAttachment"].as_str().map(str::to_string));
        let backup_eligible = serde_json::to_value(&passkey)
            .ok()
            .and_then(|v| v["cred"]["backup_eligible"].as_bool())
            .unwrap_or(false);
        let stored = serde_json::to_string(&passkey).map_err(|e| super::internal(&caller.request_id, e))?;
        let credential_id = check::credential_key(passkey.cred_id());
        // The owner hears of it at the confirmed address, with a link that removes it.
        let user = self.user(caller).await?;
        let named = Named {
            name: &name,
            fingerprint: None,
        };
        let mut alert = self.owner_alert(caller, &user, Alert::NewPasskey, Some(named));
        alert.subject = Some(credential_id.clone());
        let new = NewPasskey {
            name: &name,
            credential_id: &credential_id,
            credential: &stored,
            kind: authenticator_kind(attachment.as_deref(), backup_eligible),
        };
        match passkeys::add(&self.db, &caller.user_id, new, &actor(caller), Some(&alert), now()).await {
            Ok(_) => {
                self.wake_mail();
                Ok(AuthChanged {
                    what: Key::PasskeyAddedNotice,
                })
            }
            Err(AddPasskeyError::TooMany) => Err(AppError::Conflict(Key::ErrTooManyPasskeys)),
            Err(AddPasskeyError::Duplicate) => Err(AppError::Conflict(Key::ErrPasskeyDuplicate)),
            Err(AddPasskeyError::Db(e)) => Err(self.db_error(caller)(e)),
        }
    }

    fn check_error(&self, caller: &Caller, error: CheckError) -> AppError {
        match error.key() {
            Some(key) => AppError::Conflict(key),
            None => super::internal(&caller.request_id, error),
        }
    }

    /// A challenge for the account's own passkeys, to open the re-authentication window.
    pub(super) async fn begin_passkey_reauth(&self, caller: &Caller) -> Result<PasskeyCeremony, AppError> {
        let relying_party = self.relying_party()?;
        let begun = check::begin_check(&self.db, relying_party, &caller.user_id, Purpose::Confirm)
            .await
            .map_err(|e| self.check_error(caller, e))?;
        Ok(PasskeyCeremony {
            ceremony: begun.ceremony,
            options: begun.options,
        })
    }

    /// A passkey stands in for the password (and code) of "Confirm it's you".
    pub(super) async fn finish_passkey_reauth(
        &self,
        caller: &Caller,
        ceremony: &str,
        credential: &str,
    ) -> Result<AuthChanged, AppError> {
        let relying_party = self.relying_party()?;
        let used = check::finish_check(
            &self.db,
            relying_party,
            &caller.user_id,
            ceremony,
            Purpose::Confirm,
            credential,
        )
        .await
        .map_err(|e| self.check_error(caller, e))?;
        self.open_window(caller, serde_json::json!({ "passkey": used.name }))
            .await
    }

    /// A new name changes what the list and the Timeline say, not who can sign in: no window.
    pub(super) async fn rename_passkey(&self, caller: &Caller, id: &str, name: &str) -> Result<AuthChanged, AppError> {
        // Said for the whole form: the rename box sits in a list of passkeys, where a field
        // link in the section's error summary could not point at the right one.
        let name = checked_name(name, "passkey_name").map_err(|_| AppError::Conflict(Key::ErrPasskeyNameInvalid))?;
        let renamed = passkeys::rename(&self.db, &caller.user_id, id, &name)
            .await
            .map_err(self.db_error(caller))?;
        if !renamed {
            return Err(AppError::NotFound);
        }
        Ok(AuthChanged {
            what: Key::PasskeyRenamedNotice,
        })
    }

    /// Every account keeps its password, so removing a passkey never removes the last way in.
    pub(super) async fn remove_passkey(&self, caller: &Caller, id: &str) -> Result<AuthChanged, AppError> {
        self.require_recent_auth(caller).await?;
        passkeys::remove(&self.db, &caller.user_id, id, &actor(caller))
            .await
            .map_err(self.db_error(caller))?
            .ok_or(AppError::NotFound)?;
        Ok(AuthChanged {
            what: Key::PasskeyRemovedNotice,
        })
    }
}

#[async_trait::async_trait]
impl app::host::PasskeysPort for ServerHost {
    async fn begin_passkey_registration(&self, caller: &Caller) -> Result<PasskeyCeremony, AppError> {
        ServerHost::begin_passkey_registration(self, caller).await
    }

    async fn finish_passkey_registration(
        &self,
        caller: &Caller,
        ceremony: &str,
        name: &str,
        credential: &str,
    ) -> Result<AuthChanged, AppError> {
        ServerHost::finish_passkey_registration(self, caller, ceremony, name, credential).await
    }

    async fn remove_passkey(&self, caller: &Caller, id: &str) -> Result<AuthChanged, AppError> {
        ServerHost::remove_passkey(self, caller, id).await
    }

    async fn begin_passkey_reauth(&self, caller: &Caller) -> Result<PasskeyCeremony, AppError> {
        ServerHost::begin_passkey_reauth(self, caller).await
    }

    async fn rename_passkey(&self, caller: &Caller, id: &str, name: &str) -> Result<AuthChanged, AppError> {
        ServerHost::rename_passkey(self, caller, id, name).await
    }

    async fn finish_passkey_reauth(
        &self,
        caller: &Caller,
        ceremony: &str,
        credential: &str,
    ) -> Result<AuthChanged, AppError> {
        ServerHost::finish_passkey_reauth(self, caller, ceremony, credential).await
    }
}
