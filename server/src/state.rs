use crate::auth::password::Hasher;
use crate::auth::throttle::Policy;
use crate::config::Config;
use crate::db::sessions::Lifetimes;
use crate::db::Db;
use crate::secret::SecretKey;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use std::sync::Arc;

/// Everything a request handler needs, cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub hasher: Hasher,
    pub config: Arc<Config>,
    pub leptos: LeptosOptions,
    pub secret: SecretKey,
    pub lifetimes: Lifetimes,
    pub throttle: Policy,
    /// Behind an `Arc`, as everything here: the state is cloned for every request.
    pub mailer: Arc<crate::mail::Mailer>,
    /// Wakes the mail worker after a message is queued.
    pub mail_wake: Arc<tokio::sync::Notify>,
    /// What server functions call (see `app::host`).
    pub host: app::host::SharedHost,
    /// The same host, for the REST API's handlers (one set of rules behind both doors).
    pub server_host: Arc<crate::host::ServerHost>,
    /// Requests per API token (see `crate::api::limit`).
    pub api_limiter: Arc<crate::api::limit::Limiter>,
    /// The hashed names of the built WASM, JS and CSS, and the split manifest. Behind an `Arc`:
    /// axum clones the state into every route's service for every request, and a deep copy of
    /// the manifest (some 300 strings) was most of a signed-in page's CPU time.
    pub assets: Arc<app::assets::Assets>,
    /// Signed-in pages as last rendered (see `web::page_cache`).
    pub pages: Arc<crate::web::page_cache::PageCache>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos.clone()
    }
}
