//! Widgets shared by several pages.

mod confirm;
mod date;
mod error_summary;
mod field;
mod header;
mod notice;
mod prefs_switcher;
mod submit;

pub use confirm::Confirm;
pub use date::{format_date, format_date_time, format_iso, format_offset, format_relative, DateTime, RelativeTime};
pub use error_summary::{ErrorSummary, Problems};
pub use field::{TextArea, TextField};
pub use header::SiteHeader;
pub use notice::{FormsSubmitted, StatusNotice};
pub use prefs_switcher::{apply_saved_prefs, theme_label, PrefsSwitcher};
pub use submit::SubmitButton;

/// Moves keyboard focus to `element` (a no-op for elements that cannot take focus).
pub(crate) fn focus(element: leptos::web_sys::Element) {
    use leptos::wasm_bindgen::JsCast;
    let _ = element.unchecked_into::<leptos::web_sys::HtmlElement>().focus();
}

/// With JavaScript, once an action succeeds, moves focus to the element with `id`: what the
/// action changed or its confirmation. Without this, focus falls to `<body>` whenever the
/// clicked button goes away (a removed row, a form that gives way to the next step), and a
/// keyboard or screen-reader user is left at the top of the page. The element may appear only
/// after the tab has read its data again; `focus_by_id` waits for it.
pub fn focus_on_success<S>(action: leptos::prelude::ServerAction<S>, id: &'static str)
where
    S: leptos::server_fn::ServerFn<Error = crate::error::AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    use leptos::prelude::*;
    Effect::new(move |_| {
        if action.value().with(|v| matches!(v, Some(Ok(_)))) {
            focus_by_id(id);
        }
    });
}

/// Focuses the element with `id` once it is in the page (checked every 50 ms for up to five
/// seconds, the time a tab takes to read its data again on a slow line), making it focusable
/// first (`tabindex="-1"`) if it cannot take focus by itself (a button keeps its place in the
/// Tab order). Not generic, so it stays in the main WASM module
/// (`browser::keep_closures_in_main_module`).
#[inline(never)]
pub fn focus_by_id(id: &'static str) {
    #[cfg(feature = "hydrate")]
    focus_when_present(id, 100, true);
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
}

/// `focus_by_id` without scrolling the page: for a region that is already where the user
/// looks (a tab panel just shown). Scrolling it to its top would also slide other links under
/// a resting mouse pointer.
#[inline(never)]
pub fn focus_by_id_in_place(id: &'static str) {
    #[cfg(feature = "hydrate")]
    focus_when_present(id, 100, false);
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
}

#[cfg(feature = "hydrate")]
fn focus_when_present(id: &'static str, tries: u32, scroll: bool) {
    use leptos::prelude::*;
    // After the current update has reached the page: the element may be the one it replaces.
    set_timeout(
        move || match document().get_element_by_id(id) {
            Some(element) => {
                use leptos::wasm_bindgen::JsCast;
                let takes_focus = element
                    .dyn_ref::<leptos::web_sys::HtmlElement>()
                    .is_some_and(|e| e.tab_index() >= 0);
                if !takes_focus && !element.has_attribute("tabindex") {
                    let _ = element.set_attribute("tabindex", "-1");
                }
                if scroll {
                    focus(element);
                } else {
                    let options = leptos::web_sys::FocusOptions::new();
                    options.set_prevent_scroll(true);
                    let element = element.unchecked_into::<leptos::web_sys::HtmlElement>();
                    let _ = element.focus_with_options(&options);
                }
            }
            None if tries > 0 => focus_when_present(id, tries - 1, scroll),
            None => {}
        },
        std::time::Duration::from_millis(if tries == 100 { 0 } else { 50 }),
    );
}
