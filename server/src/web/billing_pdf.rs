//! The Billing tab's downloads for the signed-in browser: an invoice
//! (`/account/billing/invoices/{id}/pdf`; the API's `pdf_url` serves the same to a bearer) and
//! a SEPA mandate (`/account/billing/mandates/{id}/pdf`). Another account's is a 404.

use super::signed_in::{caller_and_lang, sign_in_required};
use crate::api::billing::{invoice_pdf_response, pdf_download};
use crate::state::AppState;
use app::error::AppError;
use app::i18n::{Key, Lang};
use axum::extract::{Path, Request, State};
use axum::response::{IntoResponse, Response};
use http::StatusCode;

fn refused(error: AppError, not_found: Key, lang: Lang) -> Response {
    match error {
        AppError::NotFound => (StatusCode::NOT_FOUND, not_found.text(lang)).into_response(),
        _ => (StatusCode::INTERNAL_SERVER_ERROR, Key::ErrInternal.text(lang)).into_response(),
    }
}

pub async fn invoice(State(state): State<AppState>, Path(id): Path<String>, req: Request) -> Response {
    let (caller, lang) = caller_and_lang(&req.into_parts().0);
    let Some(caller) = caller else {
        return sign_in_required(lang);
    };
    match state.server_host.invoice(&caller, &id).await {
        Ok(invoice) => invoice_pdf_response(&invoice),
        Err(e) => refused(e, Key::InvoiceNotFound, lang),
    }
}

pub async fn mandate(State(state): State<AppState>, Path(id): Path<String>, req: Request) -> Response {
    let (caller, lang) = caller_and_lang(&req.into_parts().0);
    let Some(caller) = caller else {
        return sign_in_required(lang);
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
