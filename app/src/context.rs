//! What the server knows about a request that the page needs: preferences, the signed-in user,
//! and the outcome of a form post. The server builds it; the app reads it once through a
//! `SharedValue`, so the browser hydrates with exactly what the server rendered, then keeps the
//! parts that change without a reload (preferences, the user) in signals: see [`Ui`].

use crate::flash::Flash;
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
    /// The healthcare point of contact is due for its yearly review: every account page says so.
    #[serde(default)]
    pub hds_review_due: bool,
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
    ForgotPassword,
    ResetPassword,
    LoginCode,
    EmailConfirm,
    EmailReport,
    SignupConfirm,
    SecurityReport,
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
    /// The outcome of a server-function form post that redirected back to this page.
    pub flash: Option<Flash>,
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

/// What can change while the app is open, without a reload: a saved preference switches the
/// theme and every string in place; a new username shows in the header at once.
#[derive(Clone, Copy, Debug)]
pub struct Ui {
    pub prefs: RwSignal<Prefs>,
    pub user: RwSignal<Option<SessionUser>>,
}

impl Ui {
    pub fn new(page: &PageContext) -> Ui {
        Ui {
            prefs: RwSignal::new(page.prefs),
            user: RwSignal::new(page.user.clone()),
        }
    }
}

pub fn use_ui() -> Ui {
    use_context::<Ui>().unwrap_or_else(|| Ui::new(&use_page_context()))
}

/// The reader's language, as a signal.
pub fn use_lang() -> Signal<Lang> {
    let prefs = use_ui().prefs;
    Signal::derive(move || prefs.with(|p| p.lang))
}

/// The current language's text for `key`, as a reactive closure: in a view it re-renders when
/// the language changes. `tr(key)()` reads it once.
pub fn tr(key: Key) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let prefs = use_ui().prefs;
    move || key.text(prefs.with(|p| p.lang))
}

/// A page title, "Section · Vestibule", in the current language.
pub fn page_title(key: Key) -> leptos::text_prop::TextProp {
    title_text(move |lang| format!("{} · {}", key.text(lang), Key::ProductName.text(lang)))
}

/// A title that follows the language in the browser. On the server it is a plain string:
/// leptos_meta reads titles when it writes `<head>`, after the render's reactive scope has
/// ended, where reading a signal would panic.
pub fn title_text(text: impl Fn(Lang) -> String + Send + Sync + 'static) -> leptos::text_prop::TextProp {
    let prefs = use_ui().prefs;
    if cfg!(feature = "ssr") {
        text(prefs.with_untracked(|p| p.lang)).into()
    } else {
        (move || text(prefs.with(|p| p.lang))).into()
    }
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
            hds_review_due: false,
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
