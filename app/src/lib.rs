//! The shared Leptos crate: pages, tab components, server functions and the types the server
//! hands to them. Compiled with `ssr` into the server and with `hydrate` into the browser's WASM.
// Leptos views are deeply nested types; type layout needs more than the default 128.
#![recursion_limit = "256"]

pub mod api;
#[cfg(feature = "ssr")]
pub mod assets;
pub mod browser;
pub mod components;
pub mod context;
pub mod countries;
pub mod error;
pub mod events;
pub mod flash;
#[cfg(feature = "ssr")]
pub mod host;
pub mod i18n;
pub mod model;
pub mod pages;
pub mod passkey_prompt;
pub mod prefs;
pub mod stripe_js;
pub mod tabs;
pub mod time_zones;
pub mod validate;

use context::{PageContext, Ui};
use leptos::prelude::*;
use leptos::server::SharedValue;
use leptos_meta::{provide_meta_context, Html};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{path, Lazy, SsrMode};
use pages::account::{
    AccountLayout, AuthRoute, BasicRoute, BillingRoute, CardRoute, HdsRoute, IntegrationsRoute, KeysRoute,
    ReferralsRoute, TabNotFound, TimelineRoute, TokensRoute,
};
use pages::{
    EmailConfirmRoute, EmailReportRoute, ForgotPasswordRoute, LegalRoute, LoginCodeRoute, LoginRoute, NotFound,
    ResetPasswordRoute, SecurityReportRoute, SignupConfirmRoute, SignupRoute,
};

/// The HTML document (server-only). `<html lang data-theme>` is filled in by `<Html>` from the
/// request's preferences, so the very first paint has the right language and theme.
#[cfg(feature = "ssr")]
pub fn shell(assets: std::sync::Arc<assets::Assets>) -> impl IntoView {
    use leptos_meta::MetaTags;
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light dark" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <assets::AssetLinks assets />
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
    let ui = Ui::new(&page);
    provide_context(page);
    provide_context(ui);
    let submitted = RwSignal::new(0);
    provide_context(components::FormsSubmitted(submitted));
    #[cfg(feature = "hydrate")]
    {
        browser::keep_closures_in_main_module();
        browser::dismiss_disclosures();
        browser::count_form_submissions(submitted);
    }

    // Pages that show data from server functions render it before answering (`Async`), so
    // they read complete without JavaScript; with JavaScript, later visits fetch it.
    view! {
        <Html {..} lang=move || ui.prefs.with(|p| p.lang.code()) data-theme=move || ui.prefs.with(|p| p.theme.code()) />
        <Router>
            <Routes fallback=|| view! { <NotFound /> }>
                <Route path=path!("/login") view={Lazy::<LoginRoute>::new()} />
                <Route path=path!("/login/code") view={Lazy::<LoginCodeRoute>::new()} />
                <Route path=path!("/signup") view={Lazy::<SignupRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/signup/confirm") view={Lazy::<SignupConfirmRoute>::new()} />
                <Route path=path!("/password/forgot") view={Lazy::<ForgotPasswordRoute>::new()} />
                <Route path=path!("/password/reset") view={Lazy::<ResetPasswordRoute>::new()} />
                <Route path=path!("/email/confirm") view={Lazy::<EmailConfirmRoute>::new()} />
                <Route path=path!("/email/report") view={Lazy::<EmailReportRoute>::new()} />
                <Route path=path!("/security/report") view={Lazy::<SecurityReportRoute>::new()} />
                <Route path=path!("/legal/:kind") view={Lazy::<LegalRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("/legal/:kind/:version") view={Lazy::<LegalRoute>::new()} ssr=SsrMode::Async />
                // One lazily loaded route per built tab (its code is a WASM chunk fetched when
                // the tab is first shown). `path!` takes literals: a test checks these against
                // the tab registry. Unknown and unbuilt tabs fall to the last route, a 404.
                <ParentRoute path=path!("/account") view=AccountLayout ssr=SsrMode::Async>
                    <Route path=path!("") view={Lazy::<BasicRoute>::new()} />
                    <Route path=path!("authorization") view={Lazy::<AuthRoute>::new()} />
                    <Route path=path!("keys") view={Lazy::<KeysRoute>::new()} />
                    <Route path=path!("tokens") view={Lazy::<TokensRoute>::new()} />
                    <Route path=path!("integrations") view={Lazy::<IntegrationsRoute>::new()} />
                    <Route path=path!("hds") view={Lazy::<HdsRoute>::new()} />
                    <Route path=path!("referrals") view={Lazy::<ReferralsRoute>::new()} />
                    <Route path=path!("billing") view={Lazy::<BillingRoute>::new()} />
                    <Route path=path!("billing/card") view={Lazy::<CardRoute>::new()} />
                    <Route path=path!("timeline") view={Lazy::<TimelineRoute>::new()} />
                    <Route path=path!(":tab") view=TabNotFound />
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
