use leptos::prelude::*;

/// A short confirmation after a successful action ("Saved."), announced politely. The region
/// is always in the page so screen readers notice when text appears in it.
#[component]
pub fn StatusNotice(#[prop(into)] text: Signal<Option<String>>) -> impl IntoView {
    view! {
        <p class="status-notice" role="status" class:status-notice-empty=move || text.with(Option::is_none)>
            {move || text.get()}
        </p>
    }
}
