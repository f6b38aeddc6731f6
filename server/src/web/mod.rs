//! HTTP: the router, its middleware and the form handlers.

pub mod assets;
mod billing_pdf;
mod client;
pub mod compress;
pub mod connections;
mod email_links;
mod export;
mod finish_render;
mod flash_cookie;
mod forms;
mod health;
mod link_check;
pub mod listener;
mod middleware;
pub mod page_cache;
mod passkey_sign_in;
mod password_reset;
mod redirect;
mod referral_link;
mod render;
mod scm_oauth;
mod scoped_cookie;
mod second_step;
mod server_fns;
mod signed_in;
mod stripe_webhook;
mod write_stall;

pub use client::client_info;
pub use middleware::{CurrentSession, RequestId};
pub use redirect::safe_next;

use crate::state::AppState;
use axum::response::Redirect;
use axum::routing::{get, post};
use axum::Router;
use leptos_axum::LeptosRoutes;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::services::ServeDir;
use tower_http::timeout::TimeoutLayer;

/// Form posts are a few hundred bytes; nothing here needs more than this.
pub const BODY_LIMIT: usize = 64 * 1024;
/// Time to read a request body and produce the response head (a streamed export's body may
/// take longer). A client trickling its body in is answered 408 and its connection freed.
pub const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// The app's routes, generated once per process. Generating renders the whole app with leptos'
/// process-wide `SuppressResourceLoad` flag set (leptos-rs/leptos#4773): a `Resource` created
/// meanwhile on any thread never loads, and its page hangs until the request timeout. Once,
/// before any router exists, no page can be rendering. The tests build a router per test, in
/// parallel: generating per router hung about one page per test run.
pub fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> = std::sync::OnceLock::new();
    #[allow(clippy::disallowed_methods)] // the one call: see above
    ROUTES
        .get_or_init(|| leptos_axum::generate_route_list(app::App))
        .clone()
}

pub fn router(state: AppState) -> Router {
    let routes = route_list();
    let assets = state.assets.clone();
    let shell = move || app::shell(assets.clone());
    let fallback_assets = state.assets.clone();
    let context = render::leptos_context(state.host.clone());
    let pkg_dir = std::path::Path::new(&*state.leptos.site_root).join(&*state.leptos.site_pkg_dir);
    // The build's files under `/pkg/<build id>/` (immutable), and under plain `/pkg/` too
    // (revalidated): see `assets`.
    let prefix = assets::BuildPrefix::of(&state.assets);
    let files = || ServeDir::new(&pkg_dir).precompressed_br().precompressed_gzip();
    let pkg = Router::new()
        .nest_service(prefix.0.trim_end_matches('/'), files())
        .fallback_service(files())
        .layer(axum::middleware::from_fn_with_state(
            prefix.clone(),
            assets::cache_headers,
        ));
    let pages = Router::new()
        .route("/", get(|| async { Redirect::to("/account") }))
        .route("/healthz", get(health::healthz))
        .route("/login", post(forms::login))
        .route("/signup", post(forms::signup))
        .route("/login/code", post(second_step::answer))
        .route("/login/passkey/begin", post(passkey_sign_in::begin))
        .route("/login/passkey/finish", post(passkey_sign_in::finish))
        .route("/login/code/passkey/begin", post(passkey_sign_in::second_factor_begin))
        .route(
            "/login/code/passkey/finish",
            post(passkey_sign_in::second_factor_finish),
        )
        .route("/logout", post(forms::logout))
        .route("/r/{code}", get(referral_link::follow))
        .route("/password/forgot", post(password_reset::forgot))
        .route("/password/reset", post(password_reset::reset))
        .route("/signup/confirm", post(email_links::signup))
        .route("/email/confirm", post(email_links::confirm))
        .route("/email/report", post(email_links::report))
        .route("/security/report", post(email_links::security_report))
        .route("/account/timeline/export.csv", get(export::csv))
        .route("/account/timeline/export.json", get(export::json))
        .route("/account/billing/invoices/{id}/pdf", get(billing_pdf::invoice))
        .route("/account/billing/mandates/{id}/pdf", get(billing_pdf::mandate))
        .route("/account/integrations/{kind}/connect", get(scm_oauth::connect))
        .route("/account/integrations/{kind}/callback", get(scm_oauth::callback))
        .nest("/pkg", pkg)
        .leptos_routes_with_context(&state, routes, context.clone(), shell)
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(
            context,
            move |_| app::shell(fallback_assets.clone()),
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            link_check::check_on_open,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            server_fns::outcomes,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.pages.clone(),
            page_cache::serve_or_keep,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::session_context,
        ))
        .layer(axum::middleware::from_fn(middleware::refuse_cross_site))
        .layer(axum::middleware::from_fn(finish_render::finish_render));
    // The API is nested outside the session and cross-site layers: it never reads cookies.
    Router::new()
        .merge(pages)
        .nest("/v1", crate::api::router())
        // The provider's calls: signed, never a browser's (outside the session and cross-site
        // layers, like the API).
        .route("/webhooks/stripe", post(stripe_webhook::receive))
        .layer(compress::layer())
        .layer(axum::middleware::from_fn(compress::strip_marker))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::security_headers,
        ))
        .layer(TimeoutLayer::with_status_code(
            http::StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(axum::middleware::from_fn(middleware::request_log))
        .with_state(state)
}
