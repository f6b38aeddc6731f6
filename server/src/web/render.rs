use super::middleware::CspNonce;
use crate::state::AppState;
use app::context::{FormFeedback, PageContext};
use app::host::SharedHost;
use axum::body::Body;
use axum::response::Response;
use http::request::Parts;
use http::{HeaderValue, Request, StatusCode};
use leptos::prelude::*;

/// Extra context for every Leptos render and server-function call: the nonce the CSP header
/// announced for this response and the host the server functions call. Not Leptos' WASM split
/// manifest: the shell announces the route's chunks itself (see `app::assets::AssetLinks`).
pub fn leptos_context(host: SharedHost) -> impl Fn() + Clone + Send + 'static {
    move || {
        let nonce = use_context::<Parts>().and_then(|parts| parts.extensions.get::<CspNonce>().cloned());
        if let Some(CspNonce(nonce)) = nonce {
            provide_context(leptos::nonce::Nonce::from_value(nonce));
        }
        provide_context(host.clone());
    }
}

/// Renders the page at the request's path again, with the refused form's feedback, under
/// `status` (422, 401, 429…). Works the same with and without JavaScript.
pub async fn with_feedback(
    state: &AppState,
    mut parts: Parts,
    feedback: FormFeedback,
    status: StatusCode,
    retry_after: Option<i64>,
) -> Response {
    if let Some(page) = parts.extensions.get_mut::<PageContext>() {
        page.feedback = Some(feedback);
    }
    let assets = state.assets.clone();
    let render = leptos_axum::render_app_async_with_context(leptos_context(state.host.clone()), move || {
        app::shell(assets.clone())
    });
    let mut response = render(Request::from_parts(parts, Body::empty())).await;
    *response.status_mut() = status;
    if let Some(secs) = retry_after {
        if let Ok(value) = HeaderValue::from_str(&secs.max(1).to_string()) {
            response.headers_mut().insert(http::header::RETRY_AFTER, value);
        }
    }
    response
}
