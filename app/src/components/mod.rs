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
pub use notice::StatusNotice;
pub use prefs_switcher::{apply_saved_prefs, theme_label, PrefsSwitcher};
pub use submit::SubmitButton;

/// Moves keyboard focus to `element` (a no-op for elements that cannot take focus).
pub(crate) fn focus(element: leptos::web_sys::Element) {
    use leptos::wasm_bindgen::JsCast;
    let _ = element.unchecked_into::<leptos::web_sys::HtmlElement>().focus();
}
