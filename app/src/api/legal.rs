//! Legal documents: reading any published version, and accepting the current ones.

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::i18n::{Key, Lang};
#[cfg(feature = "ssr")]
use crate::model::DocumentKind;
use crate::model::{DocumentPage, DocumentSummary, Documents};
use leptos::prelude::*;

/// One version of a document, for anyone (sign-up links to them). `version` empty means the
/// current one; the body is in `lang` when the operator wrote it in that language.
#[server(prefix = "/api", endpoint = "legal/document")]
pub async fn legal_document(kind: String, version: String, lang: String) -> Result<DocumentPage, AppError> {
    let (host, caller) = crate::host::maybe_signed_in()?;
    // This tab's port only.
    let host: std::sync::Arc<dyn crate::host::ProfilePort> = host;
    let kind = DocumentKind::from_slug(&kind).ok_or(AppError::NotFound)?;
    let lang = Lang::from_code(&lang).unwrap_or_default();
    let version = Some(version.trim()).filter(|v| !v.is_empty());
    host.document(caller.as_ref(), kind, version, lang).await
}

/// The current documents sign-up asks to accept.
#[server(prefix = "/api", endpoint = "legal/signup")]
pub async fn signup_documents() -> Result<Vec<DocumentSummary>, AppError> {
    let (host, _) = crate::host::maybe_signed_in()?;
    // This tab's port only.
    let host: std::sync::Arc<dyn crate::host::ProfilePort> = host;
    host.signup_documents().await
}

/// Current required documents the signed-in user has not accepted (the banner).
#[server(prefix = "/api", endpoint = "account/documents/pending")]
pub async fn pending_documents() -> Result<Vec<DocumentSummary>, AppError> {
    let (host, caller) = crate::host::signed_in()?;
    // This tab's port only.
    let host: std::sync::Arc<dyn crate::host::ProfilePort> = host;
    host.pending_documents(&caller).await
}

/// Accepts the current version `id`, in `lang` (the language it was shown in).
#[server(prefix = "/api", endpoint = "account/documents/accept")]
pub async fn accept_document(id: String, lang: String) -> Result<Documents, AppError> {
    let (host, caller) = crate::host::signed_in()?;
    // This tab's port only.
    let host: std::sync::Arc<dyn crate::host::ProfilePort> = host;
    let lang = Lang::from_code(&lang).ok_or(AppError::invalid("lang", Key::ErrInvalidChoice))?;
    if id.is_empty() || id.len() > 64 {
        return Err(AppError::NotFound);
    }
    host.accept_document(&caller, &id, lang).await
}
