//! The shared Leptos crate: pages, tab components and the types the server hands to them.
//! Compiled with `ssr` into the server and with `hydrate` into the browser's WASM.

pub mod components;
pub mod context;
pub mod i18n;
pub mod pages;
pub mod prefs;
pub mod tabs;
pub mod validate;

use context::PageContext;
use leptos::prelude::*;
use leptos::server::SharedValue;
use leptos_meta::{provide_meta_context, Stylesheet};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::path;
use pages::account::{AccountLayout, BasicTab, TabBySlug};
use pages::{LoginPage, NotFound, SignupPage};

/// The HTML document. Server-only: `<html lang data-theme>` comes from the request's cookies,
/// so the very first paint has the right language and theme.
#[cfg(feature = "ssr")]
pub fn shell(options: LeptosOptions) -> impl IntoView {
    use leptos_meta::MetaTags;
    let prefs = context::from_request().prefs;
    view! {
        <!DOCTYPE html>
        <html lang=prefs.lang.code() data-theme=prefs.theme.code()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light dark" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Computed from the request on the server, read back from the page while hydrating.
    let page = SharedValue::new(server_page_context).into_inner();
    provide_context(page);

    view! {
        <Stylesheet id="leptos" href="/pkg/vestibule.css" />
        <Router>
            <Routes fallback=|| view! { <NotFound /> }>
                <Route path=path!("/login") view=LoginPage />
                <Route path=path!("/signup") view=SignupPage />
                <ParentRoute path=path!("/account") view=AccountLayout>
                    <Route path=path!("") view=BasicTab />
                    <Route path=path!(":tab") view=TabBySlug />
                </ParentRoute>
            </Routes>
        </Router>
    }
}

fn server_page_context() -> PageContext {
    #[cfg(feature = "ssr")]
    {
        context::from_request()
    }
    #[cfg(not(feature = "ssr"))]
    {
        PageContext::default()
    }
}

/// Marks the page as hydrated, so browser tests (and curious people) can tell the WASM took over.
#[cfg(feature = "hydrate")]
pub fn mark_hydrated() {
    if let Some(body) = document().body() {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}
