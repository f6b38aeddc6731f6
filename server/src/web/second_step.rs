//! Sign-in's second step. After a right password, an account with a second factor gets a
//! challenge cookie (no session) and the `/login/code` form; the code turns the challenge into
//! a session. The cookie is scoped to `/login` and lives as long as the challenge.

use super::forms::{client, internal_error, read_form, signed_in};
use super::middleware::see_other;
use super::render;
use super::scoped_cookie::ScopedCookie;
use crate::auth::code_step::{self, ChallengeError};
use crate::auth::second_factor::CodeError;
use crate::db::challenges::LIFETIME_SECS;
use crate::state::AppState;
use app::context::{FormFeedback, FormId};
use app::i18n::Key;
use axum::extract::{Request, State};
use axum::response::Response;
use http::StatusCode;
use serde::Deserialize;

/// The challenge a right password earns, held until the code (or a passkey) answers it.
pub(super) const CHALLENGE: ScopedCookie = ScopedCookie {
    name: "vestibule_challenge",
    secure_name: "__Secure-vestibule_challenge",
    path: "/login",
    same_site: "Strict",
};

/// The challenge the browser holds (its cookie), or "".
pub(super) fn challenge_of(parts: &http::request::Parts, https: bool) -> String {
    CHALLENGE.read(parts, https).unwrap_or("").to_string()
}

/// The answer to a right password when a code is needed: to `/login/code`, keeping `next`.
/// `passkey=1` tells the page to offer "Use a passkey instead" (only a button: whoever sets it
/// by hand gains nothing, the passkey is still checked).
pub fn ask_for_code(state: &AppState, challenge: &str, next: &str, has_passkeys: bool) -> Response {
    let mut location = match super::safe_next(next) {
        Some(next) => format!("/login/code?next={}", app::pages::encode_query_value(&next)),
        None => "/login/code".to_string(),
    };
    if has_passkeys {
        location.push_str(if location.contains('?') {
            "&passkey=1"
        } else {
            "?passkey=1"
        });
    }
    let mut response = see_other(&location);
    CHALLENGE.set(&mut response, challenge, state.config.https, LIFETIME_SECS);
    response
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CodeForm {
    code: String,
    next: String,
    /// "1" when the page offered a passkey: a refused code keeps the offer.
    passkey: String,
}

pub async fn answer(State(state): State<AppState>, req: Request) -> Response {
    let (parts, form) = match read_form::<CodeForm>(req).await {
        Ok(read) => read,
        Err(response) => return response,
    };
    let https = state.config.https;
    let challenge = challenge_of(&parts, https);
    let mut feedback = FormFeedback::new(FormId::LoginCode);
    feedback.values = vec![
        ("next".into(), form.next.clone()),
        ("passkey".into(), if form.passkey == "1" { "1" } else { "" }.into()),
    ];
    let expired = || {
        let location = match super::safe_next(&form.next) {
            Some(next) => format!(
                "/login?notice=code-expired&next={}",
                app::pages::encode_query_value(&next)
            ),
            None => "/login?notice=code-expired".to_string(),
        };
        let mut response = see_other(&location);
        CHALLENGE.clear(&mut response, https);
        response
    };
    if challenge.is_empty() {
        return expired();
    }
    if form.code.trim().is_empty() {
        feedback.field_errors = vec![("code".into(), Key::ErrCodeRequired)];
        return render::with_feedback(&state, parts, feedback, StatusCode::UNPROCESSABLE_ENTITY, None).await;
    }
    match code_step::answer_challenge(&state, &challenge, &form.code, &client(&parts)).await {
        Ok(started) => {
            let mut response = signed_in(&state, &parts, started, &form.next).await;
            CHALLENGE.clear(&mut response, https);
            response
        }
        Err(ChallengeError::Expired) | Err(ChallengeError::Code(CodeError::NotEnabled)) => expired(),
        Err(ChallengeError::Code(CodeError::Throttled(secs))) => {
            feedback.form_error = Some(Key::ErrTooManyAttempts);
            feedback.retry_after_secs = Some(secs.max(1) as u64);
            render::with_feedback(&state, parts, feedback, StatusCode::TOO_MANY_REQUESTS, Some(secs)).await
        }
        Err(ChallengeError::Code(e @ (CodeError::Wrong | CodeError::Replayed | CodeError::Missing))) => {
            let key = match e {
                CodeError::Replayed => Key::ErrCodeReplayed,
                CodeError::Missing => Key::ErrCodeRequired,
                _ => Key::ErrCodeWrong,
            };
            feedback.field_errors = vec![("code".into(), key)];
            render::with_feedback(&state, parts, feedback, StatusCode::UNAUTHORIZED, None).await
        }
        Err(ChallengeError::Code(CodeError::Internal(cause))) | Err(ChallengeError::Internal(cause)) => {
            internal_error(&state, parts, feedback, &cause).await
        }
    }
}
