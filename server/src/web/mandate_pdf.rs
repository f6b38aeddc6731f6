//! `GET /account/billing/mandates/{id}/pdf`: a SEPA mandate as PDF for the signed-in browser.

use crate::state::AppState;
use app::context::PageContext;
use app::host::Caller;
use app::i18n::Key;
use axum::extract::{Path, Request, State};
use axum::response::{IntoResponse, Response};
use http::{header, HeaderValue, StatusCode};

pub async fn download(State(state): State<AppState>, Path(id): Path<String>, req: Request) -> Response {
    let (parts, _) = req.into_parts();
    let lang = parts
        .extensions
        .get::<PageContext>()
        .map(|p| p.prefs.lang)
        .unwrap_or_default();
    let Some(caller) = parts.extensions.get::<Option<Caller>>().cloned().flatten() else {
        return (StatusCode::UNAUTHORIZED, Key::SignInRequiredNotice.text(lang)).into_response();
    };
    let method = match state.server_host.sepa_method(&caller, &id).await {
        Ok(method) => method,
        Err(app::error::AppError::NotFound) => {
            return (StatusCode::NOT_FOUND, Key::MandateNotFound.text(lang)).into_response()
        }
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    let billing = &state.config.billing;
    let bytes = crate::billing::mandate_pdf::mandate_pdf(&method, billing.seller.as_ref(), &billing.creditor_id);
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/pdf"));
    let disposition = format!("attachment; filename=\"mandate-{}.pdf\"", method.mandate_reference);
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    response
}
