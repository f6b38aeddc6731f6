use crate::api::prefs::SavePreferences;
use crate::context::{tr, use_ui};
use crate::i18n::{Key, Lang};
use crate::prefs::Theme;
use leptos::prelude::*;

pub fn theme_label(theme: Theme) -> Key {
    match theme {
        Theme::Light => Key::ThemeLight,
        Theme::Dark => Key::ThemeDark,
        Theme::System => Key::ThemeSystem,
    }
}

/// Applies saved preferences to the open page: the theme and every string switch in place.
pub fn apply_saved_prefs(action: ServerAction<SavePreferences>) {
    let ui = use_ui();
    Effect::new(move |_| {
        if let Some(Ok(saved)) = action.value().get() {
            ui.prefs.set(saved.prefs);
        }
    });
}

/// Theme and language buttons (account menu, sign-in page). Each button submits the form with
/// its own value: with JavaScript the change applies in place, without it the page reloads.
#[component]
pub fn PrefsSwitcher() -> impl IntoView {
    let ui = use_ui();
    let action = ServerAction::<SavePreferences>::new();
    apply_saved_prefs(action);
    let pressed = move |on: bool| if on { "true" } else { "false" };
    view! {
        <ActionForm action attr:class="prefs">
            <input type="hidden" name="source" value="switcher" />
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
                                aria-pressed=move || pressed(ui.prefs.with(|p| p.theme == theme))
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
                                aria-pressed=move || pressed(ui.prefs.with(|p| p.lang == lang))
                            >
                                {lang.native_name()}
                            </button>
                        }
                    })
                    .collect_view()}
            </fieldset>
        </ActionForm>
    }
}
