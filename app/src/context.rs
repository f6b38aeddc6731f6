//! What the server knows about a request that the page needs: preferences, the signed-in user,
//! and the outcome of a failed form post. The server builds it; the app reads it once through a
//! `SharedValue`, so the browser hydrates with exactly what the server rendered.

use crate::i18n::{Key, Lang};
use crate::prefs::Prefs;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The signed-in user as pages show them (never a secret).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionUser {
    pub id: String,
    pub username: String,
    pub email: String,
    /// Unix seconds, UTC.
    pub created_at: i64,
}

impl SessionUser {
    /// Two letters for the avatar: the first letters of the first two words of the username
    /// (`jane-doe` → `JD`), or its first two letters.
    pub fn initials(&self) -> String {
        let words: Vec<&str> = self.username.split(['-', '_', '.']).filter(|w| !w.is_empty()).collect();
        let letters: String = match words.as_slice() {
            [first, second, ..] => first.chars().take(1).chain(second.chars().take(1)).collect(),
            _ => self.username.chars().take(2).collect(),
        };
        letters.to_uppercase()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FormId {
    Login,
    Signup,
}

/// The result of a refused form post, rendered back into the same form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormFeedback {
    pub form: FormId,
    /// What the user typed (never a password), so nothing is lost.
    pub values: Vec<(String, String)>,
    /// Per-field errors, in the order of the form's fields.
    pub field_errors: Vec<(String, Key)>,
    /// An error that belongs to the whole form.
    pub form_error: Option<Key>,
    pub retry_after_secs: Option<u64>,
    /// The request id to quote to support after an internal error.
    pub reference: Option<String>,
}

impl FormFeedback {
    pub fn new(form: FormId) -> Self {
        FormFeedback {
            form,
            values: Vec::new(),
            field_errors: Vec::new(),
            form_error: None,
            retry_after_secs: None,
            reference: None,
        }
    }

    pub fn value(&self, field: &str) -> String {
        self.values
            .iter()
            .find(|(k, _)| k == field)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    pub fn error(&self, field: &str) -> Option<Key> {
        self.field_errors.iter().find(|(k, _)| k == field).map(|(_, e)| *e)
    }

    pub fn has_errors(&self) -> bool {
        !self.field_errors.is_empty() || self.form_error.is_some()
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageContext {
    pub prefs: Prefs,
    pub user: Option<SessionUser>,
    pub feedback: Option<FormFeedback>,
    pub signup_open: bool,
}

impl PageContext {
    pub fn feedback_for(&self, form: FormId) -> Option<FormFeedback> {
        self.feedback.clone().filter(|f| f.form == form)
    }
}

/// On the server, the context the middleware attached to the request.
#[cfg(feature = "ssr")]
pub fn from_request() -> PageContext {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<PageContext>().cloned())
        .unwrap_or_default()
}

/// Provided once at the top of the app; every component reads it from context.
pub fn use_page_context() -> PageContext {
    use_context::<PageContext>().unwrap_or_default()
}

pub fn use_lang() -> Lang {
    use_page_context().prefs.lang
}

/// The current language's text for `key`.
pub fn tr(key: Key) -> &'static str {
    key.text(use_lang())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(name: &str) -> SessionUser {
        SessionUser {
            id: "1".into(),
            username: name.into(),
            email: "e@x.io".into(),
            created_at: 0,
        }
    }

    #[test]
    fn initials() {
        assert_eq!(user("jane-doe").initials(), "JD");
        assert_eq!(user("alice").initials(), "AL");
        assert_eq!(user("x").initials(), "X");
        assert_eq!(user("bob_the_builder").initials(), "BT");
    }
}
