//! `/v1/contracts`: the legal documents, as the Basic information tab shows them, and their
//! acceptance through the same host rule (only the current version can be accepted).

use super::bearer::ApiUser;
use super::body::{Body, Wrapped};
use super::error::ApiError;
use super::rfc3339;
use crate::db::documents::{self, StoredAcceptance, StoredDocument};
use crate::state::AppState;
use app::host::ProfilePort;
use app::i18n::Lang;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use utoipa::ToSchema;

fn contract_json(base: &str, doc: &StoredDocument, latest: bool, accepted: Option<&StoredAcceptance>) -> Value {
    let required_for: &[&str] = match (doc.required, doc.kind.is_hds()) {
        (true, true) => &["hds"],
        (true, false) => &["platform"],
        (false, _) => &[],
    };
    json!({
        "id": doc.id,
        "version": doc.version,
        "latest": latest,
        "required_for": required_for,
        "published_at": rfc3339(doc.published_at),
        "name": { "en": doc.kind.name().text(Lang::En), "fr": doc.kind.name().text(Lang::Fr) },
        "documents": [{ "url": format!("{base}{}", doc.kind.path(Some(&doc.version))) }],
        "accepted": accepted.map(|a| json!({ "on": rfc3339(a.accepted_at), "locale": a.lang.code() })),
    })
}

async fn account_documents(state: &AppState, user: &ApiUser) -> Result<documents::AccountDocuments, ApiError> {
    documents::for_account(&state.db, &user.caller.user_id)
        .await
        .map_err(user.fail())
}

#[utoipa::path(get, path = "/v1/contracts", tag = "contracts", security(("bearer" = [])),
    responses((status = 200, description = "`{\"contracts\":[Contract]}`: the current version of each document. Contract = `{id,version,latest,required_for,published_at,name:{en,fr},documents:[{url}],accepted:{on,locale}|null}`")))]
pub async fn current(State(state): State<AppState>, user: ApiUser) -> Result<Response, ApiError> {
    let base = &state.config.public_url;
    let docs = account_documents(&state, &user).await?;
    let contracts: Vec<Value> = docs
        .current
        .iter()
        .map(|(d, a)| contract_json(base, d, true, a.as_ref()))
        .collect();
    Ok(Json(json!({ "contracts": contracts })).into_response())
}

#[utoipa::path(get, path = "/v1/contracts/history", tag = "contracts", security(("bearer" = [])),
    responses((status = 200, description = "`{\"contracts\":[Contract]}`: earlier versions this account accepted, newest first")))]
pub async fn history(State(state): State<AppState>, user: ApiUser) -> Result<Response, ApiError> {
    let base = &state.config.public_url;
    let docs = account_documents(&state, &user).await?;
    let contracts: Vec<Value> = docs
        .archived
        .iter()
        .map(|(d, a)| contract_json(base, d, false, Some(a)))
        .collect();
    Ok(Json(json!({ "contracts": contracts })).into_response())
}

#[derive(Deserialize, Default, ToSchema)]
pub struct Acceptance {
    locale: Option<String>,
}

impl Wrapped for Acceptance {
    const KEY: &'static str = "contract";
}

#[utoipa::path(post, path = "/v1/contracts/{id}/accept", tag = "contracts", security(("bearer" = [])),
    params(("id" = String, Path)),
    request_body(content = Acceptance, description = "`{\"locale\":\"en\"}`: the language the document was read in (the caller's `Accept-Language` when absent)"),
    responses((status = 200, description = "`{\"contract\":Contract}`"), (status = 404, description = "unknown document"),
        (status = 409, description = "not the current version")))]
pub async fn accept(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    Body(body): Body<Acceptance>,
) -> Result<Response, ApiError> {
    let lang = match body.locale.as_deref() {
        None => user.lang,
        Some(code) => Lang::from_code(code).ok_or_else(|| {
            let message = app::i18n::Key::ErrInvalidChoice.text(user.lang).to_string();
            ApiError::Invalid(vec![("locale".into(), message)])
        })?,
    };
    state
        .server_host
        .accept_document(&user.caller, &id, lang)
        .await
        .map_err(|e| ApiError::from_app(e, "contract", user.lang))?;
    let docs = account_documents(&state, &user).await?;
    let (doc, accepted) = docs
        .current
        .iter()
        .find(|(d, _)| d.id == id)
        .ok_or(ApiError::NotFound("contract"))?;
    let contract = contract_json(&state.config.public_url, doc, true, accepted.as_ref());
    Ok(Json(json!({ "contract": contract })).into_response())
}
