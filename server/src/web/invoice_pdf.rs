//! `GET /account/billing/invoices/{id}/pdf`: an invoice as PDF for the signed-in browser (the
//! tab's download link). The API's `pdf_url` serves the same document to a bearer.

use crate::state::AppState;
use app::context::PageContext;
use app::host::Caller;
use app::i18n::Key;
use axum::extract::{Path, Request, State};
use axum::response::{IntoResponse, Response};
use http::StatusCode;

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
    match state.server_host.invoice(&caller, &id).await {
        Ok(invoice) => crate::api::billing::pdf_response(&invoice),
        Err(app::error::AppError::NotFound) => (StatusCode::NOT_FOUND, Key::InvoiceNotFound.text(lang)).into_response(),
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, Key::ErrInternal.text(lang)).into_response(),
    }
}
