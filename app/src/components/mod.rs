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
