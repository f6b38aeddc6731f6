//! The links mailed to confirm an address (sign-up, e-mail change) or report a change ("it was
//! not me"), posted from their pages as plain forms (they work without JavaScript and without
//! a session: the token is the proof, with the form's password for a sign-up). The token
//! travels in the query string and a hidden field, never in the path: request logs record
//! paths.

use super::forms::{client, internal_error, read_form, signed_in};
use super::middleware::see_other;
use super::render;
use crate::auth::session_token;
use crate::auth::signup::{self, CompleteError};
use crate::db::email_changes::{self, Confirmed, Reported};
use crate::db::now;
use crate::db::security_reports::{self, Reported as SecurityReported};
use crate::state::AppState;
use app::context::{FormFeedback, FormId};
use app::i18n::Key;
use axum::extract::{Request, State};
use axum::response::Response;
use http::StatusCode;
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LinkForm {
    token: String,
    /// Sign-up only: the password chosen on the form.
    password: String,
}

fn feedback(form: FormId, token: &str) -> FormFeedback {
    let mut feedback = FormFeedback::new(form);
    feedback.values = vec![("token".into(), token.chars().take(64).collect())];
    feedback
}

/// From the new address: the change applies.
pub async fn confirm(State(state): State<AppState>, req: Request) -> Response {
    let (parts, form) = match read_form::<LinkForm>(req).await {
        Ok(read) => read,
        Err(response) => return response,
    };
    let mut feedback = feedback(FormId::EmailConfirm, &form.token);
    let digest = session_token::digest(form.token.trim());
    let (status, key) = match email_changes::confirm(&state.db, &digest, &client(&parts).actor(), now()).await {
        Ok(Confirmed::Applied { .. }) => return see_other("/email/confirm?done=1"),
        Ok(Confirmed::Unusable) => (StatusCode::GONE, Key::ErrEmailLinkUnusable),
        Ok(Confirmed::Taken) => (StatusCode::CONFLICT, Key::ErrEmailTakenMeanwhile),
        Err(e) => return internal_error(&state, parts, feedback, &e.to_string()).await,
    };
    feedback.form_error = Some(key);
    render::with_feedback(&state, parts, feedback, status, None).await
}

/// From the old address: "it was not me".
pub async fn report(State(state): State<AppState>, req: Request) -> Response {
    let (parts, form) = match read_form::<LinkForm>(req).await {
        Ok(read) => read,
        Err(response) => return response,
    };
    let mut feedback = feedback(FormId::EmailReport, &form.token);
    let digest = session_token::digest(form.token.trim());
    match email_changes::report(&state.db, &digest, &client(&parts).actor(), now()).await {
        Ok(Reported::Cancelled) => see_other("/email/report?done=cancelled"),
        Ok(Reported::Reverted) => see_other("/email/report?done=reverted"),
        Ok(Reported::SignedOut) => see_other("/email/report?done=signed-out"),
        Ok(Reported::Unusable) => {
            feedback.form_error = Some(Key::ErrEmailLinkUnusable);
            render::with_feedback(&state, parts, feedback, StatusCode::GONE, None).await
        }
        Err(e) => internal_error(&state, parts, feedback, &e.to_string()).await,
    }
}

/// From a new account's address: the account is created and signed in.
pub async fn signup(State(state): State<AppState>, req: Request) -> Response {
    let (parts, form) = match read_form::<LinkForm>(req).await {
        Ok(read) => read,
        Err(response) => return response,
    };
    let mut feedback = feedback(FormId::SignupConfirm, &form.token);
    let (status, key) = match signup::complete(&state, &form.token, form.password, &client(&parts)).await {
        Ok((started, next)) => return signed_in(&state, &parts, started, &next).await,
        Err(CompleteError::PasswordMissing) => {
            feedback.field_errors = vec![("password".into(), Key::ErrRequired)];
            return render::with_feedback(&state, parts, feedback, StatusCode::UNPROCESSABLE_ENTITY, None).await;
        }
        Err(CompleteError::WrongPassword) => {
            feedback.field_errors = vec![("password".into(), Key::ErrSignupPasswordWrong)];
            return render::with_feedback(&state, parts, feedback, StatusCode::UNAUTHORIZED, None).await;
        }
        Err(CompleteError::Throttled(secs)) => {
            feedback.form_error = Some(Key::ErrTooManyAttempts);
            feedback.retry_after_secs = Some(secs.max(1) as u64);
            return render::with_feedback(&state, parts, feedback, StatusCode::TOO_MANY_REQUESTS, Some(secs)).await;
        }
        Err(CompleteError::Busy) => {
            feedback.form_error = Some(Key::ErrBusy);
            return render::with_feedback(&state, parts, feedback, StatusCode::SERVICE_UNAVAILABLE, Some(2)).await;
        }
        Err(CompleteError::UnusableLink) => (StatusCode::GONE, Key::ErrEmailLinkUnusable),
        Err(CompleteError::UsernameTaken) => (StatusCode::CONFLICT, Key::ErrUsernameTakenMeanwhile),
        Err(CompleteError::EmailTaken) => (StatusCode::CONFLICT, Key::ErrAccountExistsSignIn),
        Err(CompleteError::Internal(cause)) => return internal_error(&state, parts, feedback, &cause).await,
    };
    feedback.form_error = Some(key);
    render::with_feedback(&state, parts, feedback, status, None).await
}

/// From the account's own address, after a new token, key or second-factor change: every
/// session and API token ends (and the key the mail was about goes).
pub async fn security_report(State(state): State<AppState>, req: Request) -> Response {
    let (parts, form) = match read_form::<LinkForm>(req).await {
        Ok(read) => read,
        Err(response) => return response,
    };
    let mut feedback = feedback(FormId::SecurityReport, &form.token);
    let digest = session_token::digest(form.token.trim());
    match security_reports::report(&state.db, &digest, &client(&parts).actor(), now()).await {
        Ok(SecurityReported::Done { key_removed: true, .. }) => see_other("/security/report?done=1&key=removed"),
        Ok(SecurityReported::Done {
            passkey_removed: true, ..
        }) => see_other("/security/report?done=1&passkey=removed"),
        Ok(SecurityReported::Done { .. }) => see_other("/security/report?done=1"),
        Ok(SecurityReported::Unusable) => {
            feedback.form_error = Some(Key::ErrEmailLinkUnusable);
            render::with_feedback(&state, parts, feedback, StatusCode::GONE, None).await
        }
        Err(e) => internal_error(&state, parts, feedback, &e.to_string()).await,
    }
}
