//! What a plain handler behind the session middleware reads from it: the caller (none when
//! signed out) and the page's language, and the answer for a signed-out visitor.

use app::context::PageContext;
use app::host::Caller;
use app::i18n::{Key, Lang};
use axum::response::{IntoResponse, Response};
use http::request::Parts;
use http::StatusCode;

pub fn caller_and_lang(parts: &Parts) -> (Option<Caller>, Lang) {
    let lang = parts
        .extensions
        .get::<PageContext>()
        .map(|p| p.prefs.lang)
        .unwrap_or_default();
    (parts.extensions.get::<Option<Caller>>().cloned().flatten(), lang)
}

pub fn sign_in_required(lang: Lang) -> Response {
    (StatusCode::UNAUTHORIZED, Key::SignInRequiredNotice.text(lang)).into_response()
}
