//! The form posts behind the sign-in, sign-up, sign-out and preference forms. They are plain
//! HTML forms so they work before hydration and without JavaScript; a refused form is rendered
//! again with its errors and everything the user typed except the password.

use super::middleware::{see_other, CurrentSession, RequestId};
use super::{render, safe_next, BODY_LIMIT};
use crate::auth::session_token;
use crate::auth::signin::{self, Client, SignInError, SignUpError, Started};
use crate::state::AppState;
use app::context::{FormFeedback, FormId};
use app::i18n::{Key, Lang};
use app::prefs::{Theme, LANG_COOKIE, THEME_COOKIE};
use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use http::request::Parts;
use http::{header, HeaderValue, StatusCode};
use serde::de::DeserializeOwned;
use serde::Deserialize;

/// Reads an `application/x-www-form-urlencoded` body, answering 415/413/400 for anything else.
async fn read_form<T: DeserializeOwned>(req: Request) -> Result<(Parts, T), Response> {
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

fn client(parts: &Parts) -> Client {
    parts.extensions.get::<Client>().cloned().unwrap_or_default()
}

fn current_session(parts: &Parts) -> Option<CurrentSession> {
    parts.extensions.get::<Option<CurrentSession>>().cloned().flatten()
}

fn request_id(parts: &Parts) -> String {
    parts
        .extensions
        .get::<RequestId>()
        .map(|r| r.0.clone())
        .unwrap_or_default()
}

/// Signs the browser in: new session cookie (a fresh id, so no fixation), then `next`.
async fn signed_in(state: &AppState, parts: &Parts, started: Started, next: &str) -> Response {
    // The session the browser had before, if any, is dropped rather than left dangling.
    if let Some(previous) = current_session(parts) {
        if let Err(e) = crate::db::sessions::revoke(&state.db, &previous.digest).await {
            tracing::warn!(error = %e, "could not revoke the previous session");
        }
    }
    let cookie = session_token::set_cookie(&started.token, state.config.https, state.lifetimes.absolute_secs);
    let mut response = see_other(&safe_next(next).unwrap_or_else(|| "/account".into()));
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

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
        ("login".into(), form.login.trim().to_string()),
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
        Ok(started) => signed_in(&state, &parts, started, &form.next).await,
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

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SignupForm {
    username: String,
    email: String,
    password: String,
    next: String,
}

pub async fn signup(State(state): State<AppState>, req: Request) -> Response {
    let (parts, form) = match read_form::<SignupForm>(req).await {
        Ok(read) => read,
        Err(response) => return response,
    };
    let mut feedback = FormFeedback::new(FormId::Signup);
    feedback.values = vec![
        ("username".into(), form.username.trim().to_string()),
        ("email".into(), form.email.trim().to_string()),
        ("next".into(), form.next.clone()),
    ];
    let client = client(&parts);
    match signin::sign_up(&state, &form.username, &form.email, form.password, &client).await {
        Ok(started) => signed_in(&state, &parts, started, &form.next).await,
        Err(SignUpError::Invalid(errors)) => {
            feedback.field_errors = errors.into_iter().map(|(f, k)| (f.to_string(), k)).collect();
            render::with_feedback(&state, parts, feedback, StatusCode::UNPROCESSABLE_ENTITY, None).await
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
async fn internal_error(state: &AppState, parts: Parts, mut feedback: FormFeedback, cause: &str) -> Response {
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
    if let Ok(value) = HeaderValue::from_str(&session_token::clear_cookie(state.config.https)) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PreferencesForm {
    theme: Option<String>,
    lang: Option<String>,
    return_to: String,
}

/// Stores the theme or language in a cookie for a year and sends the reader back.
pub async fn preferences(State(state): State<AppState>, req: Request) -> Response {
    let (_parts, form) = match read_form::<PreferencesForm>(req).await {
        Ok(read) => read,
        Err(response) => return response,
    };
    let mut cookies = Vec::new();
    if let Some(theme) = form.theme.as_deref() {
        let Some(theme) = Theme::from_code(theme) else {
            return (StatusCode::BAD_REQUEST, "Unknown theme.\n").into_response();
        };
        cookies.push(pref_cookie(THEME_COOKIE, theme.code(), state.config.https));
    }
    if let Some(lang) = form.lang.as_deref() {
        let Some(lang) = Lang::from_code(lang) else {
            return (StatusCode::BAD_REQUEST, "Unknown language.\n").into_response();
        };
        cookies.push(pref_cookie(LANG_COOKIE, lang.code(), state.config.https));
    }
    let mut response = see_other(&safe_next(&form.return_to).unwrap_or_else(|| "/account".into()));
    for cookie in cookies {
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

fn pref_cookie(name: &str, value: &str, https: bool) -> String {
    let secure = if https { "; Secure" } else { "" };
    format!("{name}={value}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly{secure}")
}
