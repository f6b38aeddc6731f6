//! Server functions: the only way pages read and change data. Each has a stable URL under
//! `/api/`, checks the session itself (client-side navigation passes no server redirect),
//! validates with the shared validators, calls the host and returns [`crate::error::AppError`].

pub mod auth;
pub mod basic;
pub mod billing;
pub mod hds;
pub mod keys;
pub mod legal;
pub mod passkeys;
pub mod payments;
pub mod prefs;
pub mod referrals;
pub mod scm;
pub mod timeline;
pub mod tokens;

use leptos::server_fn::ServerFn;

/// The server functions a signed-out visitor may call (the sign-in and sign-up pages use
/// them). The host refuses every other `/api/` call without a session before even reading its
/// arguments; each function also checks for itself.
pub fn public_paths() -> [&'static str; 3] {
    [
        prefs::SavePreferences::PATH,
        legal::LegalDocument::PATH,
        legal::SignupDocuments::PATH,
    ]
}
