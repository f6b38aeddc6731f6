//! The account dashboard: header, tab navigation from the tab registry, and the active tab.
//! Each tab is a lazily loaded route (`#[lazy_route]`, its own WASM chunk; see `crate::App`).

mod auth;
mod banner;
mod basic;
mod keys;
pub(crate) mod reauth_card;
mod tab_error;
mod timeline;
mod tokens;

pub use tab_error::{loaded_tab, TabError};

use crate::components::SiteHeader;
use crate::context::tr;
use crate::i18n::Key;
use crate::tabs::AccountTab;
use leptos::prelude::*;
use leptos_router::components::{Outlet, A};

pub use auth::AuthRoute;
pub use basic::BasicRoute;
pub use keys::KeysRoute;
pub use timeline::TimelineRoute;
pub use tokens::TokensRoute;

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
    view! {
        <SiteHeader />
        <main id="main" class="account">
            <h1 class="page-title">{tr(Key::UserSettingsTitle)}</h1>
            <banner::DocumentsBanner />
            <div class="account-grid">
                <nav class="tabs" aria-label=tr(Key::AccountSections)>
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
                <div class="tab-panel">
                    <Outlet />
                </div>
            </div>
        </main>
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
            AccountTab::Timeline => <TimelineRoute as LazyRoute>::preload().await,
            _ => {}
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = tab;
}
