//! The two stops of the OAuth flow in the browser: `connect` (a link on the SCM integrations
//! tab) sends the browser to the provider; the provider sends it back to `callback`. Both end
//! on the tab, the outcome in the flash cookie the tab reads (works without JavaScript: only
//! links and redirects). Signed-out visitors are sent to sign in first by the session layer,
//! and come back here after.

use super::flash_cookie;
use super::middleware::see_other;
use crate::scm::ScmType;
use crate::state::AppState;
use app::error::AppError;
use app::flash::{Flash, FlashOutcome};
use app::host::Caller;
use axum::extract::{Path, Query, Request, State};
use axum::response::{IntoResponse, Response};
use http::{header, HeaderValue};
use serde::Deserialize;

/// The tab, where both stops end.
pub const TAB: &str = "/account/integrations";

/// Back to the tab with the outcome for it to show.
fn back_to_tab(state: &AppState, outcome: Result<ScmType, AppError>) -> Response {
    let outcome = match outcome {
        Ok(scm_type) => FlashOutcome::Ok(serde_json::json!(scm_type.code()).to_string()),
        Err(e) => FlashOutcome::Err(e),
    };
    let flash = Flash {
        path: TAB.to_string(),
        action: app::api::scm::CONNECT_OUTCOME.to_string(),
        values: Vec::new(),
        outcome,
    };
    let mut response = see_other(TAB);
    if let Some(value) = flash_cookie::encode(&flash, &state.secret) {
        if let Ok(cookie) = HeaderValue::from_str(&flash_cookie::set_cookie(&value, state.config.https)) {
            response.headers_mut().append(header::SET_COOKIE, cookie);
        }
    }
    response
}

fn caller_of(req: &Request) -> Option<Caller> {
    req.extensions().get::<Option<Caller>>().cloned().flatten()
}

pub async fn connect(State(state): State<AppState>, Path(kind): Path<String>, req: Request) -> Response {
    let Some(caller) = caller_of(&req) else {
        return see_other("/login");
    };
    let Some(scm_type) = ScmType::from_code(&kind).filter(|t| !t.is_self_hosted()) else {
        return back_to_tab(&state, Err(AppError::NotFound));
    };
    match state.server_host.start_oauth(&caller, scm_type).await {
        Ok(url) => see_other(&url),
        Err(e) => back_to_tab(&state, Err(e)),
    }
}

#[derive(Deserialize, Default)]
pub struct CallbackQuery {
    #[serde(default)]
    code: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    error: Option<String>,
}

pub async fn callback(
    State(state): State<AppState>,
    Path(kind): Path<String>,
    Query(q): Query<CallbackQuery>,
    req: Request,
) -> Response {
    let Some(caller) = caller_of(&req) else {
        return see_other("/login");
    };
    let Some(scm_type) = ScmType::from_code(&kind).filter(|t| !t.is_self_hosted()) else {
        return back_to_tab(&state, Err(AppError::NotFound));
    };
    let outcome = state
        .server_host
        .finish_oauth(&caller, scm_type, &q.code, &q.state, q.error.as_deref())
        .await
        .map(|_| scm_type);
    back_to_tab(&state, outcome).into_response()
}
