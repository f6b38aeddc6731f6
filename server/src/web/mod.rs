//! HTTP: the router, its middleware and the form handlers.

mod client;
mod forms;
mod health;
mod middleware;
mod redirect;
mod render;

pub use client::client_info;
pub use middleware::{CurrentSession, RequestId};
pub use redirect::safe_next;

use crate::state::AppState;
use axum::response::Redirect;
use axum::routing::{get, post};
use axum::Router;
use leptos_axum::LeptosRoutes;
use tower_http::limit::RequestBodyLimitLayer;

/// Form posts are a few hundred bytes; nothing here needs more than this.
pub const BODY_LIMIT: usize = 64 * 1024;

pub fn router(state: AppState) -> Router {
    let routes = leptos_axum::generate_route_list(app::App);
    let options = state.leptos.clone();
    let shell = move || app::shell(options.clone());
    let fallback_options = state.leptos.clone();
    Router::new()
        .route("/", get(|| async { Redirect::to("/account") }))
        .route("/healthz", get(health::healthz))
        .route("/login", post(forms::login))
        .route("/signup", post(forms::signup))
        .route("/logout", post(forms::logout))
        .route("/preferences", post(forms::preferences))
        .leptos_routes_with_context(&state, routes, render::leptos_context, shell)
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(
            render::leptos_context,
            move |_| app::shell(fallback_options.clone()),
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::session_context,
        ))
        .layer(axum::middleware::from_fn(middleware::refuse_cross_site))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::security_headers,
        ))
        .layer(axum::middleware::from_fn(middleware::request_log))
        .with_state(state)
}
