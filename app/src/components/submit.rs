use crate::context::tr;
use crate::i18n::Key;
use leptos::prelude::*;

/// The one primary button of a form. Once hydrated, it shows a busy label while the form is
/// being submitted (and ignores further clicks); without JavaScript it is a plain submit button.
#[component]
pub fn SubmitButton(
    label: Key,
    busy_label: Key,
    #[prop(into)] busy: Signal<bool>,
    #[prop(optional)] name: Option<&'static str>,
    #[prop(optional)] value: Option<&'static str>,
    #[prop(optional)] id: Option<&'static str>,
    #[prop(default = "button button-primary")] class: &'static str,
) -> impl IntoView {
    let label = tr(label);
    let busy_label = tr(busy_label);
    view! {
        <button
            type="submit"
            id=id
            class=class
            name=name
            value=value
            aria-disabled=move || busy.get().then_some("true")
            data-busy=move || busy.get().then_some("true")
            on:click=move |ev| {
                if busy.get_untracked() {
                    ev.prevent_default();
                }
            }
        >
            {move || if busy.get() { busy_label() } else { label() }}
        </button>
    }
}
