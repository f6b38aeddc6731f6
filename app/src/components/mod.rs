//! Widgets shared by several pages.

mod date;
mod error_summary;
mod field;
mod header;
mod prefs_switcher;
mod submit;

pub use date::LocalDate;
pub use error_summary::ErrorSummary;
pub use field::TextField;
pub use header::SiteHeader;
pub use prefs_switcher::PrefsSwitcher;
pub use submit::SubmitButton;

/// Moves keyboard focus to `element` (a no-op for elements that cannot take focus).
pub(crate) fn focus(element: leptos::web_sys::Element) {
    use leptos::wasm_bindgen::JsCast;
    let _ = element.unchecked_into::<leptos::web_sys::HtmlElement>().focus();
}
