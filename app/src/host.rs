//! The seam between server functions and the Axum host (server-only).
//!
//! Server functions live in this crate so pages can call them, but SQL, hashing and session
//! logic belong to the host. The host implements the ports (one per tab or concern, together
//! [`AccountHost`]) and provides them in the Leptos
//! context of every render and server-function call; its middleware attaches the signed-in
//! [`Caller`] to the request. A server function checks the session, validates with the shared
//! validators, calls the host and returns its typed [`AppError`].

use crate::error::AppError;
use crate::i18n::Lang;
use crate::model::*;
use crate::prefs::Theme;
use leptos::prelude::*;
use std::sync::Arc;

/// Who is calling: the signed-in session the host's middleware resolved for this request.
#[derive(Clone, Debug)]
pub struct Caller {
    pub user_id: String,
    /// SHA-256 digest of the session id (the table's key), never the id itself.
    pub session_digest: String,
    pub ip: String,
    pub user_agent: String,
    pub request_id: String,
    /// The account's time zone, for the dates the host returns.
    pub time_zone: String,
    /// What the host's middleware already read for this request, for the host to reuse.
    pub host_data: HostData,
}

/// Data the host attached to a caller, opaque to this crate: the host downcasts it to its own
/// type (the account row its session lookup read, a per-request memo) instead of asking the
/// database again while the same page renders.
#[derive(Clone, Default)]
pub struct HostData(pub Option<Arc<dyn std::any::Any + Send + Sync>>);

impl std::fmt::Debug for HostData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HostData(..)")
    }
}

/// Where an anonymous request came from (for preference changes before sign-in).
#[derive(Clone, Debug, Default)]
pub struct RequestInfo {
    pub request_id: String,
    pub https: bool,
}

/// Validated input for a profile save.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileInput(pub Profile);

/// Validated preference changes; `None` leaves a preference as it is.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PrefsChange {
    pub theme: Option<Theme>,
    pub lang: Option<Lang>,
    pub time_zone: Option<String>,
}

/// The Basic information tab, legal documents and preferences.
#[async_trait::async_trait]
pub trait ProfilePort: Send + Sync {
    async fn basic_info(&self, caller: &Caller) -> Result<BasicInfo, AppError>;
    async fn update_profile(&self, caller: &Caller, input: ProfileInput) -> Result<ProfileSaved, AppError>;
    async fn set_newsletter(&self, caller: &Caller, subscribed: bool) -> Result<Newsletter, AppError>;
    async fn accept_document(&self, caller: &Caller, document_id: &str, lang: Lang) -> Result<Documents, AppError>;
    async fn pending_documents(&self, caller: &Caller) -> Result<Vec<DocumentSummary>, AppError>;
    /// Saves the changes on the account and returns what is now stored.
    async fn save_preferences(&self, caller: &Caller, change: PrefsChange) -> Result<AccountPrefs, AppError>;
    /// True when the host's time-zone database knows `name`.
    fn is_time_zone(&self, name: &str) -> bool;
    /// One version of a document (the current one when `version` is `None`), for anyone.
    async fn document(
        &self,
        caller: Option<&Caller>,
        kind: DocumentKind,
        version: Option<&str>,
        lang: Lang,
    ) -> Result<DocumentPage, AppError>;
    /// The current documents that sign-up asks to accept.
    async fn signup_documents(&self) -> Result<Vec<DocumentSummary>, AppError>;
}

/// The Timeline tab.
#[async_trait::async_trait]
pub trait TimelinePort: Send + Sync {
    /// One page of the caller's own events.
    async fn timeline(&self, caller: &Caller, request: TimelineRequest) -> Result<TimelinePage, AppError>;
}

/// The Authentication tab. Every change but `reauthenticate` needs the window it opens.
#[async_trait::async_trait]
pub trait AuthPort: Send + Sync {
    async fn auth_overview(&self, caller: &Caller) -> Result<AuthOverview, AppError>;
    /// Checks the password (and second factor when on) and opens the window.
    async fn reauthenticate(&self, caller: &Caller, password: String, code: String) -> Result<AuthChanged, AppError>;
    async fn change_password(
        &self,
        caller: &Caller,
        current: String,
        new: String,
        confirm: String,
    ) -> Result<AuthChanged, AppError>;
    async fn revoke_session(&self, caller: &Caller, id: &str) -> Result<AuthChanged, AppError>;
    async fn revoke_other_sessions(&self, caller: &Caller) -> Result<AuthChanged, AppError>;
    async fn start_two_factor(&self, caller: &Caller) -> Result<AuthChanged, AppError>;
    async fn confirm_two_factor(&self, caller: &Caller, code: &str) -> Result<RecoveryCodes, AppError>;
    async fn regenerate_recovery_codes(&self, caller: &Caller) -> Result<RecoveryCodes, AppError>;
    async fn disable_two_factor(&self, caller: &Caller, code: &str) -> Result<AuthChanged, AppError>;
    /// Deletes the account and ends the session (its cookie is cleared).
    async fn delete_account(&self, caller: &Caller, username: &str, reason: &str) -> Result<(), AppError>;
    /// Mails a link to the new address (and a notice to the current one); nothing changes yet.
    async fn request_email_change(&self, caller: &Caller, new_email: &str) -> Result<AuthChanged, AppError>;
    async fn resend_email_change(&self, caller: &Caller) -> Result<AuthChanged, AppError>;
    async fn cancel_email_change(&self, caller: &Caller) -> Result<AuthChanged, AppError>;
}

/// The SSH keys tab: adding and removing need the re-authentication window.
#[async_trait::async_trait]
pub trait KeysPort: Send + Sync {
    async fn keys_overview(&self, caller: &Caller) -> Result<KeysOverview, AppError>;
    async fn add_key(&self, caller: &Caller, name: &str, content: &str) -> Result<AuthChanged, AppError>;
    async fn remove_key(&self, caller: &Caller, id: &str) -> Result<AuthChanged, AppError>;
}

/// The API tokens tab: creating and renewing need the window; revoking does not.
#[async_trait::async_trait]
pub trait TokensPort: Send + Sync {
    async fn tokens_overview(&self, caller: &Caller) -> Result<TokensOverview, AppError>;
    async fn create_token(
        &self,
        caller: &Caller,
        name: &str,
        expiry: TokenExpiry,
        scopes: TokenScopes,
    ) -> Result<TokenSecret, AppError>;
    async fn renew_token(&self, caller: &Caller, id: &str) -> Result<TokenSecret, AppError>;
    async fn revoke_token(&self, caller: &Caller, id: &str) -> Result<AuthChanged, AppError>;
}

/// The Health data (HDS) tab: the point of contact and its yearly review. The contract
/// documents are accepted through [`ProfilePort::accept_document`], like every document.
#[async_trait::async_trait]
pub trait HdsPort: Send + Sync {
    async fn hds_overview(&self, caller: &Caller) -> Result<HdsOverview, AppError>;
    /// Checks every field (all problems at once), saves, and counts as a review.
    async fn save_hds_contact(&self, caller: &Caller, typed: HdsContact) -> Result<HdsSaved, AppError>;
    /// Records that the stored contact is still accurate.
    async fn review_hds_contact(&self, caller: &Caller) -> Result<HdsSaved, AppError>;
}

/// The SCM integrations tab (the cloud providers connect through the OAuth web flow, outside
/// server functions). Importing keys needs the re-authentication window, like adding one.
#[async_trait::async_trait]
pub trait ScmPort: Send + Sync {
    async fn scm_overview(&self, caller: &Caller) -> Result<ScmOverview, AppError>;
    async fn connect_scm(
        &self,
        caller: &Caller,
        scm_type: &str,
        url: &str,
        token: &str,
    ) -> Result<AuthChanged, AppError>;
    async fn disconnect_scm(&self, caller: &Caller, id: &str) -> Result<AuthChanged, AppError>;
    async fn import_scm_keys(&self, caller: &Caller, id: &str) -> Result<ImportOutcome, AppError>;
}

/// Passkeys, on the Authentication tab (signing in with one is outside server functions: it
/// sets the session cookie). Adding and removing need the re-authentication window.
#[async_trait::async_trait]
pub trait PasskeysPort: Send + Sync {
    /// The options for the browser's `navigator.credentials.create`.
    async fn begin_passkey_registration(&self, caller: &Caller) -> Result<PasskeyCeremony, AppError>;
    /// Checks the browser's answer (`credential`: its `toJSON()`) and stores the passkey.
    async fn finish_passkey_registration(
        &self,
        caller: &Caller,
        ceremony: &str,
        name: &str,
        credential: &str,
    ) -> Result<AuthChanged, AppError>;
    async fn remove_passkey(&self, caller: &Caller, id: &str) -> Result<AuthChanged, AppError>;
    async fn rename_passkey(&self, caller: &Caller, id: &str, name: &str) -> Result<AuthChanged, AppError>;
    /// A challenge for the account's own passkeys, for "Confirm it's you".
    async fn begin_passkey_reauth(&self, caller: &Caller) -> Result<PasskeyCeremony, AppError>;
    /// A checked passkey opens the re-authentication window, as the password does.
    async fn finish_passkey_reauth(
        &self,
        caller: &Caller,
        ceremony: &str,
        credential: &str,
    ) -> Result<AuthChanged, AppError>;
}

/// The Billing tab: the billing profile, the prepaid credit, invoices and the history. Pages
/// are 1-based; a page past the end answers the last one.
#[async_trait::async_trait]
pub trait BillingPort: Send + Sync {
    async fn billing_overview(
        &self,
        caller: &Caller,
        invoices_page: u32,
        history_page: u32,
    ) -> Result<BillingOverview, AppError>;
    /// Checks every field (all problems at once) and saves; answers the profile as stored.
    async fn save_billing_profile(&self, caller: &Caller, typed: BillingProfile) -> Result<BillingProfile, AppError>;
    /// Payment methods and credit purchases need the re-authentication window.
    async fn begin_card(&self, caller: &Caller) -> Result<CardSetup, AppError>;
    async fn finish_card(&self, caller: &Caller, setup_intent: &str) -> Result<AuthChanged, AppError>;
    async fn add_sepa(
        &self,
        caller: &Caller,
        iban: &str,
        holder: &str,
        accepted: bool,
    ) -> Result<AuthChanged, AppError>;
    async fn make_default_method(&self, caller: &Caller, id: &str) -> Result<AuthChanged, AppError>;
    async fn remove_method(&self, caller: &Caller, id: &str) -> Result<AuthChanged, AppError>;
    /// `request_key`: the key the form was rendered with (`BillingOverview::purchase_key`).
    async fn buy_credit(&self, caller: &Caller, amount: &str, request_key: &str) -> Result<AuthChanged, AppError>;
}

/// The Referrals tab: the personal link, its figures and the referees.
#[async_trait::async_trait]
pub trait ReferralsPort: Send + Sync {
    async fn referrals_overview(&self, caller: &Caller) -> Result<ReferralsOverview, AppError>;
}

/// Everything the host offers: one port per tab (or concern), so each tab's server functions
/// name only the port they use (bring that one trait into scope), and each port stays small
/// enough to read at once. A new tab adds its port here.
pub trait AccountHost:
    ProfilePort
    + TimelinePort
    + AuthPort
    + KeysPort
    + TokensPort
    + HdsPort
    + ScmPort
    + PasskeysPort
    + BillingPort
    + ReferralsPort
{
}

impl<
        T: ProfilePort
            + TimelinePort
            + AuthPort
            + KeysPort
            + TokensPort
            + HdsPort
            + ScmPort
            + PasskeysPort
            + BillingPort
            + ReferralsPort,
    > AccountHost for T
{
}

pub type SharedHost = Arc<dyn AccountHost>;

/// The host, from the context the server provides to every render and server-function call.
pub fn host() -> Result<SharedHost, AppError> {
    use_context::<SharedHost>().ok_or(AppError::Internal {
        reference: String::new(),
    })
}

fn request_parts() -> Option<http::request::Parts> {
    use_context::<http::request::Parts>()
}

/// The signed-in caller, or `SessionExpired`. Every server function that touches an account
/// starts here: with client-side navigation no server redirect guards the page.
pub fn signed_in() -> Result<(SharedHost, Caller), AppError> {
    let caller = request_parts()
        .and_then(|parts| parts.extensions.get::<Option<Caller>>().cloned().flatten())
        .ok_or(AppError::SessionExpired)?;
    Ok((host()?, caller))
}

/// The caller when there is one, for functions that also serve signed-out visitors.
pub fn maybe_signed_in() -> Result<(SharedHost, Option<Caller>), AppError> {
    let caller = request_parts().and_then(|parts| parts.extensions.get::<Option<Caller>>().cloned().flatten());
    Ok((host()?, caller))
}

pub fn request_info() -> RequestInfo {
    request_parts()
        .and_then(|parts| parts.extensions.get::<RequestInfo>().cloned())
        .unwrap_or_default()
}
