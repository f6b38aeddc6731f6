use crate::context::{tr, use_page_context};
use crate::i18n::{Key, Lang};
use crate::prefs::Theme;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

fn theme_label(theme: Theme) -> Key {
    match theme {
        Theme::Light => Key::ThemeLight,
        Theme::Dark => Key::ThemeDark,
        Theme::System => Key::ThemeSystem,
    }
}

/// Theme and language buttons. A plain form post, so it works before hydration and without
/// JavaScript; the server stores the cookie and sends the reader back to the same page.
#[component]
pub fn PrefsSwitcher() -> impl IntoView {
    let prefs = use_page_context().prefs;
    let location = use_location();
    let return_to = move || {
        let search = location.search.get();
        let path = location.pathname.get();
        if search.is_empty() {
            path
        } else {
            format!("{path}?{search}")
        }
    };
    view! {
        <form method="post" action="/preferences" class="prefs">
            <input type="hidden" name="return_to" value=return_to />
            <fieldset class="segmented">
                <legend>{tr(Key::Theme)}</legend>
                {Theme::ALL
                    .into_iter()
                    .map(|theme| {
                        view! {
                            <button
                                type="submit"
                                name="theme"
                                value=theme.code()
                                aria-pressed=if prefs.theme == theme { "true" } else { "false" }
                            >
                                {tr(theme_label(theme))}
                            </button>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <fieldset class="segmented">
                <legend>{tr(Key::Language)}</legend>
                {Lang::ALL
                    .into_iter()
                    .map(|lang| {
                        view! {
                            <button
                                type="submit"
                                name="lang"
                                value=lang.code()
                                lang=lang.code()
                                aria-pressed=if prefs.lang == lang { "true" } else { "false" }
                            >
                                {lang.native_name()}
                            </button>
                        }
                    })
                    .collect_view()}
            </fieldset>
        </form>
    }
}
