//! The Billing tab's downloads for the signed-in browser: an invoice
//! (`/account/billing/invoices/{id}/pdf`; the API's `pdf_url` serves the same to a bearer) and
//! a SEPA mandate (`/account/billing/mandates/{id}/pdf`). Another account's is a 404.

use crate::api::billing::{invoice_pdf_response, pdf_download};
use crate::state::AppState;
use app::context::PageContext;
use app::error::AppError;
use app::host::Caller;
use app::i18n::{Key, Lang};
use axum::extract::{Path, Request, State};
use axum::response::{IntoResponse, Response};
use http::StatusCode;

/// The caller the session middleware attached (none when signed out), and the page language.
fn signed_in(req: Request) -> (Option<Caller>, Lang) {
    let (parts, _) = req.into_parts();
    let lang = parts
        .extensions
        .get::<PageContext>()
        .map(|p| p.prefs.lang)
        .unwrap_or_default();
    (parts.extensions.get::<Option<Caller>>().cloned().flatten(), lang)
}

fn signed_out(lang: Lang) -> Response {
    (StatusCode::UNAUTHORIZED, Key::SignInRequiredNotice.text(lang)).into_response()
}

fn refused(error: AppError, not_found: Key, lang: Lang) -> Response {
    match error {
        AppError::NotFound => (StatusCode::NOT_FOUND, not_found.text(lang)).into_response(),
        _ => (StatusCode::INTERNAL_SERVER_ERROR, Key::ErrInternal.text(lang)).into_response(),
    }
}

pub async fn invoice(State(state): State<AppState>, Path(id): Path<String>, req: Request) -> Response {
    let (caller, lang) = signed_in(req);
    let Some(caller) = caller else {
        return signed_out(lang);
    };
    match state.server_host.invoice(&caller, &id).await {
        Ok(invoice) => invoice_pdf_response(&invoice),
        Err(e) => refused(e, Key::InvoiceNotFound, lang),
    }
}

pub async fn mandate(State(state): State<AppState>, Path(id): Path<String>, req: Request) -> Response {
    let (caller, lang) = signed_in(req);
    let Some(caller) = caller else {
        return signed_out(lang);
    };
    match state.server_host.sepa_method(&caller, &id).await {
        Ok(method) => {
            let billing = &state.config.billing;
            let bytes =
                crate::billing::mandate_pdf::mandate_pdf(&method, billing.seller.as_ref(), &billing.creditor_id);
            pdf_download(bytes, &format!("mandate-{}.pdf", method.mandate_reference))
        }
        Err(e) => refused(e, Key::MandateNotFound, lang),
    }
}
