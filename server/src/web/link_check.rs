//! Mailed links say they are spent when they are opened, not after a form was filled in for
//! nothing: opening a used, expired or unknown reset, sign-up, e-mail change or "it was not me"
//! link renders its page with the refusal (410) and without the form. Checking reads, never
//! writes (mail scanners open links).

use crate::auth::session_token;
use crate::db::{email_changes, now, password_resets, security_reports, signup_requests};
use crate::state::AppState;
use app::context::{FormFeedback, FormId, PageContext};
use app::i18n::Key;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use http::{Method, StatusCode};

/// The form a link page holds, and the refusal it shows for a spent link.
fn link_page(path: &str) -> Option<(FormId, Key)> {
    match path {
        "/password/reset" => Some((FormId::ResetPassword, Key::ErrResetLinkUnusable)),
        "/signup/confirm" => Some((FormId::SignupConfirm, Key::ErrEmailLinkUnusable)),
        "/security/report" => Some((FormId::SecurityReport, Key::ErrEmailLinkUnusable)),
        "/email/confirm" => Some((FormId::EmailConfirm, Key::ErrEmailLinkUnusable)),
        "/email/report" => Some((FormId::EmailReport, Key::ErrEmailLinkUnusable)),
        _ => None,
    }
}

fn query_value(query: &str, name: &str) -> Option<String> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(query)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

async fn usable(state: &AppState, form: FormId, token: &str) -> Result<bool, sqlx::Error> {
    let digest = session_token::digest(token.trim());
    let at = now();
    Ok(match form {
        FormId::ResetPassword => password_resets::find_usable(&state.db, &digest, at).await?.is_some(),
        FormId::SignupConfirm => signup_requests::find_usable(&state.db, &digest, at).await?.is_some(),
        FormId::EmailConfirm => email_changes::link_usable(&state.db, &digest, false, at).await?,
        FormId::EmailReport => email_changes::link_usable(&state.db, &digest, true, at).await?,
        _ => security_reports::is_usable(&state.db, &digest, at).await?,
    })
}

pub async fn check_on_open(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let Some((form, refusal)) = link_page(req.uri().path()).filter(|_| req.method() == Method::GET) else {
        return next.run(req).await;
    };
    let query = req.uri().query().unwrap_or("");
    // The pages that tell what a used link did ("?done=…") carry no token to check.
    let tells_outcome = !matches!(form, FormId::ResetPassword | FormId::SignupConfirm);
    if tells_outcome && query_value(query, "done").is_some() {
        return next.run(req).await;
    }
    let token = query_value(query, "token").unwrap_or_default();
    let spent = match token.is_empty() {
        true => true,
        false => match usable(&state, form, &token).await {
            Ok(usable) => !usable,
            Err(e) => {
                // The form's post checks again: a database hiccup here only loses the early word.
                tracing::warn!(error = %e, "could not check a mailed link");
                false
            }
        },
    };
    if !spent {
        return next.run(req).await;
    }
    if let Some(page) = req.extensions_mut().get_mut::<PageContext>() {
        let mut feedback = FormFeedback::new(form);
        feedback.form_error = Some(refusal);
        page.feedback = Some(feedback);
    }
    let mut response = next.run(req).await;
    *response.status_mut() = StatusCode::GONE;
    response
}
