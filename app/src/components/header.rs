use crate::components::PrefsSwitcher;
use crate::context::{tr, use_ui};
use crate::i18n::Key;
use leptos::prelude::*;

/// The top bar: product name, and for a signed-in user the round initials button that opens
/// the account menu. The menu is a `<details>` disclosure, so it opens with Enter/Space and
/// works without JavaScript; once hydrated, it closes like a menu (`data-dismiss`: Escape, a click
/// or Tab outside; see `browser::dismiss_disclosures`).
#[component]
pub fn SiteHeader() -> impl IntoView {
    let ui = use_ui();
    let signed_in = move || ui.user.with(Option::is_some);
    let username = move || {
        ui.user
            .with(|u| u.as_ref().map(|u| u.username.clone()).unwrap_or_default())
    };
    let initials = move || ui.user.with(|u| u.as_ref().map(|u| u.initials()).unwrap_or_default());
    // Its name starts with the initials it shows (WCAG 2.5.3: a voice user says what they see).
    let menu_label = move || format!(" {} ({})", tr(Key::AccountMenu)(), username());
    // Hydrated, the router would take the click on "#main" as a navigation and leave focus on
    // the link; move it to the content, as the browser does without JavaScript.
    let skip_to_main = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        super::focus_by_id("main");
    };
    view! {
        <header class="site-header">
            <a class="skip-link" href="#main" on:click=skip_to_main>
                {tr(Key::SkipToContent)}
            </a>
            <a class="brand" href="/account">{tr(Key::ProductName)}</a>
            <Show when=signed_in>
                <details class="user-menu" data-dismiss>
                    // No aria-label: the name must contain the visible initials.
                    <summary class="avatar">
                        <span>{initials}</span>
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
