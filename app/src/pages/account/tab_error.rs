use crate::components::{ErrorSummary, Problems};
use crate::error::AppError;
use leptos::prelude::*;

/// A tab whose data could not be loaded: what happened and what to do (sign in again after
/// the session ended, quote the reference after an internal error).
#[component]
pub fn TabError(error: AppError) -> impl IntoView {
    view! { <ErrorSummary problems=Signal::stored(Problems::from_error(&error)) /> }
}
