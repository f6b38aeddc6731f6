use crate::context::tr;
use crate::i18n::Key;
use leptos::prelude::*;

/// The one primary button of a form. Once hydrated, it shows a busy label while the form is
/// being submitted; without JavaScript it is a plain submit button.
#[component]
pub fn SubmitButton(label: Key, busy_label: Key, busy: ReadSignal<bool>) -> impl IntoView {
    view! {
        <button
            type="submit"
            class="button button-primary"
            aria-disabled=move || busy.get().then_some("true")
            data-busy=move || busy.get().then_some("true")
        >
            {move || if busy.get() { tr(busy_label) } else { tr(label) }}
        </button>
    }
}
