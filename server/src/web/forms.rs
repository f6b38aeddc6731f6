//! The form posts behind the sign-in, sign-up, sign-out and preference forms. They are plain
//! HTML forms so they work before hydration and without JavaScript; a refused form is rendered
//! again with its errors and everything the user typed except the password.

use super::middleware::{see_other, CurrentSession, RequestId};
use super::{render, safe_next, BODY_LIMIT};
use crate::auth::signin::{self, Client, SignInError, SignedIn, Started};
use crate::auth::signup::{self, SignUpError};
use crate::auth::{device_cookie, session_token};
use crate::state::AppState;
use app::context::{FormFeedback, FormId};
use app::i18n::Key;
use app::prefs::{pref_cookie, LANG_COOKIE, THEME_COOKIE};
use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use http::request::Parts;
use http::{header, HeaderValue, StatusCode};
use serde::de::DeserializeOwned;
use serde::Deserialize;

/// Reads an `application/x-www-form-urlencoded` body, answering 415/413/400 for anything else.
pub(super) async fn read_form<T: DeserializeOwned>(req: Request) -> Result<(Parts, T), Response> {
    let (parts, body) = req.into_parts();
    let is_form = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Err((
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Expected a form (application/x-www-form-urlencoded).\n",
        )
            .into_response());
    }
    let bytes = axum::body::to_bytes(body, BODY_LIMIT)
        .await
        .map_err(|_| (StatusCode::PAYLOAD_TOO_LARGE, "The form is too large.\n").into_response())?;
    let form = serde_urlencoded::from_bytes(&bytes)
        .map_err(|_| (StatusCode::BAD_REQUEST, "The form could not be read.\n").into_response())?;
    Ok((parts, form))
}

pub(super) fn client(parts: &Parts) -> Client {
    parts.extensions.get::<Client>().cloned().unwrap_or_default()
}

fn current_session(parts: &Parts) -> Option<CurrentSession> {
    parts.extensions.get::<Option<CurrentSession>>().cloned().flatten()
}

pub(super) fn request_id(parts: &Parts) -> String {
    parts
        .extensions
        .get::<RequestId>()
        .map(|r| r.0.clone())
        .unwrap_or_default()
}

/// Signs the browser in: new session cookie (a fresh id, so no fixation), then `next`.
pub(super) async fn signed_in(state: &AppState, parts: &Parts, started: Started, next: &str) -> Response {
    // The session the browser had before, if any, is dropped rather than left dangling.
    if let Some(previous) = current_session(parts) {
        if let Err(e) = crate::db::sessions::revoke(&state.db, &previous.digest).await {
            tracing::warn!(error = %e, "could not revoke the previous session");
        }
    }
    let https = state.config.https;
    let prefs = started.user.prefs();
    let device = started
        .device
        .as_deref()
        .map(|token| device_cookie::set_cookie(token, https));
    let cookies = [
        Some(session_token::set_cookie(
            &started.token,
            https,
            state.lifetimes.absolute_secs,
        )),
        // The account's theme and language, for the pages seen signed out on this browser.
        Some(pref_cookie(THEME_COOKIE, prefs.theme.code(), https)),
        Some(pref_cookie(LANG_COOKIE, prefs.lang.code(), https)),
        device,
    ];
    let mut response = see_other(&safe_next(next).unwrap_or_else(|| "/account".into()));
    for cookie in cookies.into_iter().flatten() {
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

/// What is echoed back into a refused form: enough for any real login, not 20 kB of junk.
const MAX_ECHOED_CHARS: usize = 320;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LoginForm {
    login: String,
    password: String,
    next: String,
}

pub async fn login(State(state): State<AppState>, req: Request) -> Response {
    let (parts, form) = match read_form::<LoginForm>(req).await {
        Ok(read) => read,
        Err(response) => return response,
    };
    let mut feedback = FormFeedback::new(FormId::Login);
    feedback.values = vec![
        (
            "login".into(),
            form.login.trim().chars().take(MAX_ECHOED_CHARS).collect(),
        ),
        ("next".into(), form.next.clone()),
    ];
    let mut missing = Vec::new();
    if form.login.trim().is_empty() {
        missing.push(("login".to_string(), Key::ErrRequired));
    }
    if form.password.is_empty() {
        missing.push(("password".to_string(), Key::ErrRequired));
    }
    if !missing.is_empty() {
        feedback.field_errors = missing;
        return render::with_feedback(&state, parts, feedback, StatusCode::UNPROCESSABLE_ENTITY, None).await;
    }
    let client = client(&parts);
    match signin::sign_in(&state, &form.login, form.password, &client).await {
        Ok(SignedIn::Started(started)) => signed_in(&state, &parts, started, &form.next).await,
        Ok(SignedIn::NeedsCode {
            challenge,
            has_passkeys,
        }) => super::second_step::ask_for_code(&state, &challenge, &form.next, has_passkeys),
        Err(SignInError::BadCredentials) => {
            feedback.form_error = Some(Key::ErrBadCredentials);
            render::with_feedback(&state, parts, feedback, StatusCode::UNAUTHORIZED, None).await
        }
        Err(SignInError::Throttled(secs)) => {
            feedback.form_error = Some(Key::ErrTooManyAttempts);
            feedback.retry_after_secs = Some(secs.max(1) as u64);
            render::with_feedback(&state, parts, feedback, StatusCode::TOO_MANY_REQUESTS, Some(secs)).await
        }
        Err(SignInError::Busy) => {
            feedback.form_error = Some(Key::ErrBusy);
            render::with_feedback(&state, parts, feedback, StatusCode::SERVICE_UNAVAILABLE, Some(2)).await
        }
        Err(SignInError::Internal(cause)) => internal_error(&state, parts, feedback, &cause).await,
    }
}

/// Read from the posted pairs by hand: `documents` repeats, which serde_urlencoded cannot
/// put in a struct field.
#[derive(Default)]
pub struct SignupForm {
    username: String,
    email: String,
    password: String,
    next: String,
    time_zone: String,
    accept: bool,
    documents: Vec<String>,
}

impl SignupForm {
    fn from_pairs(pairs: Vec<(String, String)>) -> SignupForm {
        let mut form = SignupForm::default();
        for (name, value) in pairs {
            match name.as_str() {
                "username" => form.username = value,
                "email" => form.email = value,
                "password" => form.password = value,
                "next" => form.next = value,
                "time_zone" => form.time_zone = value,
                "accept" => form.accept = value == "yes",
                "documents" => form.documents.push(value),
                _ => {}
            }
        }
        form
    }
}

pub async fn signup(State(state): State<AppState>, req: Request) -> Response {
    let (parts, form) = match read_form::<Vec<(String, String)>>(req).await {
        Ok((parts, pairs)) => (parts, SignupForm::from_pairs(pairs)),
        Err(response) => return response,
    };
    let prefs = parts
        .extensions
        .get::<app::context::PageContext>()
        .map(|page| page.prefs)
        .unwrap_or_default();
    let extras = signup::SignUpExtras {
        prefs,
        time_zone: Some(form.time_zone.clone()).filter(|z| !z.is_empty()),
        documents: form.documents.clone(),
        accepted: form.accept,
        next: safe_next(&form.next).unwrap_or_default(),
        referrer_id: super::referral_link::referrer_of(&state, &parts).await,
    };
    let mut feedback = FormFeedback::new(FormId::Signup);
    feedback.values = vec![
        ("username".into(), form.username.trim().to_string()),
        ("email".into(), form.email.trim().to_string()),
        ("next".into(), form.next.clone()),
    ];
    let client = client(&parts);
    match signup::request(&state, &form.username, &form.email, form.password, extras, &client).await {
        // The same answer whether or not an account already uses the address.
        Ok(()) => see_other("/signup?sent=1"),
        Err(SignUpError::Invalid(errors)) => {
            feedback.field_errors = errors.into_iter().map(|(f, k)| (f.to_string(), k)).collect();
            render::with_feedback(&state, parts, feedback, StatusCode::UNPROCESSABLE_ENTITY, None).await
        }
        Err(SignUpError::Throttled(secs)) => {
            feedback.form_error = Some(Key::ErrTooManySignUps);
            feedback.retry_after_secs = Some(secs.max(1) as u64);
            render::with_feedback(&state, parts, feedback, StatusCode::TOO_MANY_REQUESTS, Some(secs)).await
        }
        Err(SignUpError::TooManyMails(secs)) => {
            feedback.field_errors = vec![("email".into(), Key::ErrTooManySignUpMails)];
            feedback.retry_after_secs = Some(secs.max(1) as u64);
            render::with_feedback(&state, parts, feedback, StatusCode::TOO_MANY_REQUESTS, Some(secs)).await
        }
        Err(SignUpError::Closed) => {
            feedback.form_error = Some(Key::ErrSignUpClosed);
            render::with_feedback(&state, parts, feedback, StatusCode::FORBIDDEN, None).await
        }
        Err(SignUpError::Busy) => {
            feedback.form_error = Some(Key::ErrBusy);
            render::with_feedback(&state, parts, feedback, StatusCode::SERVICE_UNAVAILABLE, Some(2)).await
        }
        Err(SignUpError::Internal(cause)) => internal_error(&state, parts, feedback, &cause).await,
    }
}

/// Logs the cause with the request id; the page shows only the id, as a support reference.
pub(super) async fn internal_error(
    state: &AppState,
    parts: Parts,
    mut feedback: FormFeedback,
    cause: &str,
) -> Response {
    let id = request_id(&parts);
    tracing::error!(request_id = %id, error = %cause, "form submission failed");
    feedback.form_error = Some(Key::ErrInternal);
    feedback.reference = Some(id);
    render::with_feedback(state, parts, feedback, StatusCode::INTERNAL_SERVER_ERROR, None).await
}

pub async fn logout(State(state): State<AppState>, req: Request) -> Response {
    let (parts, _body) = req.into_parts();
    let mut response = see_other("/login?notice=signed-out");
    if let Some(session) = current_session(&parts) {
        if let Err(e) = signin::sign_out(&state, &session.digest, &session.user.id, &client(&parts)).await {
            tracing::error!(request_id = %request_id(&parts), error = %e, "sign-out failed");
            return (StatusCode::SERVICE_UNAVAILABLE, "Signing out failed. Try again.\n").into_response();
        }
    }
    // A flash can hold what was typed in a form: it does not outlive the session.
    for cookie in [
        session_token::clear_cookie(state.config.https),
        super::flash_cookie::clear_cookie(state.config.https),
    ] {
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}
