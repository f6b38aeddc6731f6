//! The "Forgot password?" form posts, plain forms like sign-in (they work before hydration and
//! without JavaScript). The token travels in the query string and a hidden field, never in the
//! path: request logs record paths.

use super::forms::{client, internal_error, read_form};
use super::middleware::see_other;
use super::render;
use crate::auth::reset::{self, ResetError};
use crate::state::AppState;
use app::context::{FormFeedback, FormId};
use app::i18n::Key;
use axum::extract::{Request, State};
use axum::response::Response;
use http::StatusCode;
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ForgotForm {
    email: String,
}

pub async fn forgot(State(state): State<AppState>, req: Request) -> Response {
    let (parts, form) = match read_form::<ForgotForm>(req).await {
        Ok(read) => read,
        Err(response) => return response,
    };
    let mut feedback = FormFeedback::new(FormId::ForgotPassword);
    feedback.values = vec![("email".into(), form.email.trim().chars().take(320).collect())];
    match reset::request(&state, &form.email, &client(&parts)).await {
        // The same answer whether or not an account uses the address.
        Ok(()) => see_other("/password/forgot?sent=1"),
        Err(error) => refused(&state, parts, feedback, error).await,
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ResetForm {
    token: String,
    password: String,
    confirm: String,
}

pub async fn reset(State(state): State<AppState>, req: Request) -> Response {
    let (parts, form) = match read_form::<ResetForm>(req).await {
        Ok(read) => read,
        Err(response) => return response,
    };
    let mut feedback = FormFeedback::new(FormId::ResetPassword);
    feedback.values = vec![("token".into(), form.token.chars().take(64).collect())];
    match reset::complete(&state, &form.token, form.password, &form.confirm, &client(&parts)).await {
        Ok(user_id) => {
            let mut response = see_other("/login?notice=password-reset");
            match crate::auth::signin::remember_browser(&state, &user_id).await {
                Ok(Some(token)) => {
                    let cookie = crate::auth::device_cookie::set_cookie(&token, state.config.https);
                    if let Ok(value) = http::HeaderValue::from_str(&cookie) {
                        response.headers_mut().append(http::header::SET_COOKIE, value);
                    }
                }
                Ok(None) => {}
                // The password is changed; only the browser's head start on sign-in is lost.
                Err(e) => tracing::warn!(error = %e, "could not remember the browser after a reset"),
            }
            response
        }
        Err(error) => refused(&state, parts, feedback, error).await,
    }
}

async fn refused(
    state: &AppState,
    parts: http::request::Parts,
    mut feedback: FormFeedback,
    error: ResetError,
) -> Response {
    let (status, retry) = match &error {
        ResetError::Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, None),
        ResetError::UnusableLink => (StatusCode::GONE, None),
        ResetError::Throttled(secs) => (StatusCode::TOO_MANY_REQUESTS, Some(*secs)),
        ResetError::Busy => (StatusCode::SERVICE_UNAVAILABLE, Some(2)),
        ResetError::Internal(cause) => return internal_error(state, parts, feedback, cause).await,
    };
    match error {
        ResetError::Invalid(errors) => {
            feedback.field_errors = errors.into_iter().map(|(f, k)| (f.to_string(), k)).collect();
        }
        ResetError::UnusableLink => feedback.form_error = Some(Key::ErrResetLinkUnusable),
        ResetError::Throttled(secs) => {
            feedback.form_error = Some(Key::ErrTooManyRequests);
            feedback.retry_after_secs = Some(secs.max(1) as u64);
        }
        _ => feedback.form_error = Some(Key::ErrBusy),
    }
    render::with_feedback(state, parts, feedback, status, retry).await
}
