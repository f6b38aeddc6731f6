use crate::context::tr;
use crate::i18n::Key;
use leptos::prelude::*;

/// A labelled input with optional help text and an error message linked by
/// `aria-describedby`, following the GOV.UK form pattern.
#[component]
pub fn TextField(
    /// Form field name; the element id is `field-{name}` so error summaries can link to it.
    name: &'static str,
    label: Key,
    #[prop(default = "text")] input_type: &'static str,
    autocomplete: &'static str,
    #[prop(default = None)] help: Option<Key>,
    #[prop(optional)] value: String,
    #[prop(default = None)] error: Option<Key>,
) -> impl IntoView {
    let id = format!("field-{name}");
    let help_id = format!("{id}-help");
    let error_id = format!("{id}-error");
    let described_by = [help.map(|_| help_id.clone()), error.map(|_| error_id.clone())]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    view! {
        <div class="field" class:field-invalid=error.is_some()>
            <label for=id.clone()>{tr(label)}</label>
            {help.map(|h| view! { <p class="field-help" id=help_id.clone()>{tr(h)}</p> })}
            <input
                id=id
                name=name
                type=input_type
                value=value
                autocomplete=autocomplete
                spellcheck="false"
                autocapitalize="none"
                aria-invalid=error.map(|_| "true")
                aria-describedby=(!described_by.is_empty()).then_some(described_by)
            />
            {error
                .map(|e| {
                    view! {
                        <p class="field-error" id=error_id.clone()>
                            <span class="field-error-icon" aria-hidden="true">"!"</span>
                            {tr(e)}
                        </p>
                    }
                })}
        </div>
    }
}
