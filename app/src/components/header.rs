use crate::components::PrefsSwitcher;
use crate::context::{tr, use_ui};
use crate::i18n::Key;
use leptos::prelude::*;

/// The top bar: product name, and for a signed-in user the round initials button that opens
/// the account menu. The menu is a `<details>` disclosure, so it opens with Enter/Space and
/// works without JavaScript; once hydrated, Escape also closes it and returns focus to the button.
#[component]
pub fn SiteHeader() -> impl IntoView {
    let ui = use_ui();
    let signed_in = move || ui.user.with(Option::is_some);
    let username = move || {
        ui.user
            .with(|u| u.as_ref().map(|u| u.username.clone()).unwrap_or_default())
    };
    let initials = move || ui.user.with(|u| u.as_ref().map(|u| u.initials()).unwrap_or_default());
    let menu = NodeRef::<leptos::html::Details>::new();
    let close_on_escape = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" {
            if let Some(details) = menu.get() {
                let _ = details.remove_attribute("open");
                if let Ok(Some(summary)) = details.query_selector("summary") {
                    super::focus(summary);
                }
            }
        }
    };
    let menu_label = move || format!("{} ({})", tr(Key::AccountMenu)(), username());
    view! {
        <header class="site-header">
            <a class="skip-link" href="#main">{tr(Key::SkipToContent)}</a>
            <a class="brand" href="/account">{tr(Key::ProductName)}</a>
            <Show when=signed_in>
                <details class="user-menu" node_ref=menu on:keydown=close_on_escape>
                    // No aria-label: the name must contain the visible initials.
                    <summary class="avatar">
                        <span aria-hidden="true">{initials}</span>
                        <span class="visually-hidden">{menu_label}</span>
                    </summary>
                    <div class="menu-panel">
                        <p class="menu-identity">
                            {tr(Key::SignedInAs)} " " <strong>{username}</strong>
                        </p>
                        <a class="menu-item" href="/account">{tr(Key::UserSettings)}</a>
                        <PrefsSwitcher />
                        <form method="post" action="/logout" class="menu-signout">
                            <button type="submit" class="button button-secondary">
                                {tr(Key::SignOut)}
                            </button>
                        </form>
                    </div>
                </details>
            </Show>
        </header>
    }
}
