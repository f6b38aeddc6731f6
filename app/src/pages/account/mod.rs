//! The account dashboard: header, tab navigation from the tab registry, and the active tab.
//! Each tab is a lazily loaded route (`#[lazy_route]`, its own WASM chunk; see `crate::App`).

mod auth;
mod banner;
mod basic;
mod billing;
mod documents;
mod hds;
mod integrations;
mod keys;
pub(crate) mod reauth_card;
mod referrals;
mod tab_error;
mod timeline;
mod token_access;
mod tokens;

pub use tab_error::{loaded_tab, TabError};

use crate::components::SiteHeader;
use crate::context::tr;
use crate::i18n::Key;
use crate::tabs::AccountTab;
use leptos::prelude::*;
use leptos_router::components::{Outlet, A};
use leptos_router::hooks::use_location;

pub use auth::AuthRoute;
pub use basic::BasicRoute;
pub use billing::{BillingRoute, CardRoute};
pub use hds::HdsRoute;
pub use integrations::IntegrationsRoute;
pub use keys::KeysRoute;
pub use referrals::ReferralsRoute;
pub use timeline::TimelineRoute;
pub use tokens::TokensRoute;

/// A tab that does not exist (or is not built yet), inside the account layout: a 404 status,
/// and a card in the layout's `<main>`, not a second page with its own `<main>` and `<h1>`.
#[component]
pub fn TabNotFound() -> impl IntoView {
    use crate::context::page_title;
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <leptos_meta::Title text=page_title(Key::NotFoundTitle) />
        <section class="card" aria-labelledby="not-found-heading">
            <h2 id="not-found-heading">{tr(Key::NotFoundTitle)}</h2>
            <p>{tr(Key::NotFoundBody)}</p>
            <p>
                <a class="button button-primary" href="/account">{tr(Key::BackToAccount)}</a>
            </p>
        </section>
    }
}

/// Signals the tabs share with the layout around them.
#[derive(Clone, Copy)]
pub struct AccountSignals {
    /// Bumped when the user accepts a document, so the banner asks the server again.
    pub documents_changed: RwSignal<u32>,
}

pub fn use_account_signals() -> AccountSignals {
    use_context::<AccountSignals>().unwrap_or_else(|| AccountSignals {
        documents_changed: RwSignal::new(0),
    })
}

#[component]
pub fn AccountLayout() -> impl IntoView {
    provide_context(AccountSignals {
        documents_changed: RwSignal::new(0),
    });
    let pathname = use_location().pathname;
    let current_tab = Memo::new(move |_| {
        pathname.with(|p| AccountTab::from_slug(p.trim_start_matches("/account").trim_matches('/')))
    });
    let panel_label = move || current_tab.get().map(|tab| tr(tab.label())()).unwrap_or_default();
    announce_tab_changes(pathname);
    view! {
        <SiteHeader />
        <main id="main" class="account" tabindex="-1">
            <h1 class="page-title">{tr(Key::UserSettingsTitle)}</h1>
            <banner::DocumentsBanner />
            <banner::HdsReviewBanner />
            <div class="account-grid">
                <nav class="tabs" id="account-tabs" aria-label=tr(Key::AccountSections)>
                    <ul>
                        {AccountTab::available()
                            .map(|tab| {
                                view! {
                                    <li>
                                        <A
                                            href=tab.path()
                                            exact=true
                                            on:mouseenter=move |_| prefetch(tab)
                                            on:focus=move |_| prefetch(tab)
                                        >
                                            {tr(tab.label())}
                                        </A>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </nav>
                // Named after the tab shown, and focused when another tab is shown (see
                // `announce_tab_changes`).
                <section class="tab-panel" id="tab-panel" tabindex="-1" aria-label=panel_label>
                    <Outlet />
                </section>
            </div>
        </main>
    }
}

/// After a move to another tab (not on the first page load), focus goes to the new tab's panel,
/// whose name is the tab's, as accessible routers do: a screen reader says where the user is,
/// and the next Tab key goes into the tab's content, not back to the top of the page. The
/// active tab is also scrolled into view in the tab strip (on a phone it scrolls sideways).
fn announce_tab_changes(pathname: Memo<String>) {
    Effect::new(move |previous: Option<String>| {
        let now = pathname.get();
        reveal_active_tab();
        if previous.as_ref().is_some_and(|p| *p != now) {
            crate::components::focus_by_id_in_place("tab-panel");
        }
        now
    });
}

/// Scrolls the tab strip sideways so the active tab shows (only the strip: the page does not
/// move).
fn reveal_active_tab() {
    #[cfg(feature = "hydrate")]
    {
        use leptos::wasm_bindgen::JsCast;
        use leptos::web_sys::HtmlElement;
        request_animation_frame(|| {
            let active = document().query_selector("#account-tabs a[aria-current=\"page\"]");
            let strip = document().query_selector("#account-tabs ul");
            if let (Ok(Some(active)), Ok(Some(strip))) = (active, strip) {
                let active = active.unchecked_into::<HtmlElement>();
                let strip = strip.unchecked_into::<HtmlElement>();
                let centred = active.offset_left() - (strip.client_width() - active.offset_width()) / 2;
                strip.set_scroll_left(centred.max(0));
            }
        });
    }
}

/// Starts loading a tab's code (its WASM chunk) before it is shown: when its link is hovered or
/// focused, so moving to it feels immediate. Only the code: its data loads when it is shown.
fn prefetch(tab: AccountTab) {
    #[cfg(feature = "hydrate")]
    leptos::task::spawn_local(async move {
        use leptos_router::LazyRoute;
        match tab {
            AccountTab::Basic => <BasicRoute as LazyRoute>::preload().await,
            AccountTab::Authentication => <AuthRoute as LazyRoute>::preload().await,
            AccountTab::SshKeys => <KeysRoute as LazyRoute>::preload().await,
            AccountTab::ApiTokens => <TokensRoute as LazyRoute>::preload().await,
            AccountTab::Integrations => <IntegrationsRoute as LazyRoute>::preload().await,
            AccountTab::Hds => <HdsRoute as LazyRoute>::preload().await,
            AccountTab::Referrals => <ReferralsRoute as LazyRoute>::preload().await,
            AccountTab::Billing => <BillingRoute as LazyRoute>::preload().await,
            AccountTab::Timeline => <TimelineRoute as LazyRoute>::preload().await,
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = tab;
}
