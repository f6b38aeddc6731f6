//! The account dashboard: header, tab navigation from the tab registry, and the active tab.

mod auth;
mod banner;
mod basic;
mod keys;
pub(crate) mod reauth_card;
mod tab_error;
mod timeline;
mod tokens;

pub use tab_error::TabError;

use crate::components::SiteHeader;
use crate::context::tr;
use crate::i18n::Key;
use crate::pages::NotFound;
use crate::tabs::AccountTab;
use leptos::prelude::*;
use leptos_router::components::{Outlet, A};
use leptos_router::hooks::use_params_map;

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
                                        <A href=tab.path() exact=true>
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

/// Renders the tab registered under `/account/:tab`, or a 404 for unknown and unbuilt tabs.
#[component]
pub fn TabBySlug() -> impl IntoView {
    let params = use_params_map();
    move || {
        let slug = params.with(|p| p.get("tab")).unwrap_or_default();
        tab_view(AccountTab::from_slug(&slug))
    }
}

#[component]
pub fn BasicTab() -> impl IntoView {
    tab_view(Some(AccountTab::Basic))
}

fn tab_view(tab: Option<AccountTab>) -> AnyView {
    match tab {
        Some(AccountTab::Basic) => view! { <basic::BasicInformation /> }.into_any(),
        Some(AccountTab::Authentication) => view! { <auth::AuthenticationTab /> }.into_any(),
        Some(AccountTab::SshKeys) => view! { <keys::KeysTab /> }.into_any(),
        Some(AccountTab::ApiTokens) => view! { <tokens::TokensTab /> }.into_any(),
        Some(AccountTab::Timeline) => view! { <timeline::TimelineTab /> }.into_any(),
        _ => view! { <NotFound /> }.into_any(),
    }
}
