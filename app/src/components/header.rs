use crate::components::PrefsSwitcher;
use crate::context::{tr, use_page_context};
use crate::i18n::Key;
use leptos::prelude::*;

/// The top bar: product name, and for a signed-in user the round initials button that opens
/// the account menu. The menu is a `<details>` disclosure, so it opens with Enter/Space and
/// works without JavaScript; once hydrated, Escape also closes it and returns focus to the button.
#[component]
pub fn SiteHeader() -> impl IntoView {
    let user = use_page_context().user;
    view! {
        <header class="site-header">
            <a class="skip-link" href="#main">{tr(Key::SkipToContent)}</a>
            <a class="brand" href="/account">{tr(Key::ProductName)}</a>
            {user
                .map(|user| {
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
                    let menu_label = format!("{} ({})", tr(Key::AccountMenu), user.username);
                    view! {
                        <details class="user-menu" node_ref=menu on:keydown=close_on_escape>
                            // No aria-label: the name must contain the visible initials.
                            <summary class="avatar">
                                <span aria-hidden="true">{user.initials()}</span>
                                <span class="visually-hidden">{menu_label}</span>
                            </summary>
                            <div class="menu-panel">
                                <p class="menu-identity">
                                    {tr(Key::SignedInAs)} " " <strong>{user.username.clone()}</strong>
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
                    }
                })}
        </header>
    }
}
