//! The outcome of a form post that left the page: a no-JavaScript post (the browser followed a
//! redirect back to the form) or a call refused because the session had ended (the user went
//! to sign in and came back). The host keeps it in a short-lived signed cookie and hands it to
//! the next render of the same page, which shows the errors or the confirmation and puts back
//! what was typed. Secret fields are never kept.

use crate::context::use_page_context;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FlashOutcome {
    /// The server function's result, as the JSON it answered with.
    Ok(String),
    Err(AppError),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flash {
    /// The page the form was posted from (a path, without query).
    pub path: String,
    /// The server function's URL, which names the form on that page.
    pub action: String,
    /// What the user typed, secret fields left out.
    pub values: Vec<(String, String)>,
    pub outcome: FlashOutcome,
}

/// Fields whose value is never kept or shown again: passwords, codes, tokens.
pub fn is_secret_field(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    // An IBAN is not a secret, but a bank account number has no business in a cookie.
    ["password", "secret", "token", "code", "iban"]
        .iter()
        .any(|s| name.contains(s))
}

impl Flash {
    pub fn value(&self, field: &str) -> Option<String> {
        self.values.iter().find(|(k, _)| k == field).map(|(_, v)| v.clone())
    }
}

/// The flash left for the form that posts to `action`, if any.
pub fn flash_for(action: &str) -> Option<Flash> {
    use_page_context().flash.filter(|f| f.action == action)
}

/// What the user typed into `field` of the form posting to `action`, when a refused post
/// brought it back; otherwise `fallback` (after a success, the stored value is the truth).
pub fn typed_or(action: &str, field: &str, fallback: impl Into<String>) -> String {
    flash_for(action)
        .filter(|f| matches!(f.outcome, FlashOutcome::Err(_)))
        .and_then(|f| f.value(field))
        .unwrap_or_else(|| fallback.into())
}

/// True when the form behind `action` was refused because the session had ended and the user
/// has signed in again since: what they typed is back in the form, not saved yet.
pub fn restored_draft(action: &str) -> bool {
    flash_for(action).is_some_and(|f| f.outcome == FlashOutcome::Err(AppError::SessionExpired))
}

/// The last outcome of the form behind `action`: the action's own value once it has run in
/// this page (with JavaScript), otherwise the flash a no-JavaScript post brought back.
pub fn form_outcome<S>(action: ServerAction<S>) -> Signal<Option<Result<S::Output, AppError>>>
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: DeserializeOwned + Clone + Send + Sync + 'static,
{
    let flashed = flash_for(S::PATH).and_then(|flash| match flash.outcome {
        FlashOutcome::Ok(json) => Some(serde_json::from_str::<S::Output>(&json).map_err(|_| AppError::Network)),
        // Signed in again since: the form shows the restored draft instead (`restored_draft`).
        FlashOutcome::Err(AppError::SessionExpired) => None,
        FlashOutcome::Err(error) => Some(Err(error)),
    });
    let value = action.value();
    Signal::derive(move || value.get().or_else(|| flashed.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_fields() {
        for name in [
            "password",
            "current_password",
            "new_password",
            "code",
            "recovery_code",
            "api_token",
        ] {
            assert!(is_secret_field(name), "{name}");
        }
        for name in ["username", "fullname", "bio", "theme", "time_zone"] {
            assert!(!is_secret_field(name), "{name}");
        }
    }
}
