use crate::context::{tr, use_lang};
use crate::i18n::Key;
use leptos::prelude::*;

/// The box at the top of a refused form: the form-wide error, then one link per field error
/// that moves focus to the field. It takes focus itself so screen readers announce it.
#[component]
pub fn ErrorSummary(
    field_errors: Vec<(String, Key)>,
    #[prop(default = None)] form_error: Option<Key>,
    #[prop(default = None)] retry_after_secs: Option<u64>,
    #[prop(default = None)] reference: Option<String>,
) -> impl IntoView {
    if field_errors.is_empty() && form_error.is_none() {
        return None;
    }
    let lang = use_lang();
    let retry =
        retry_after_secs.map(|secs| format!("{} {secs} {}.", Key::ErrRetryIn.text(lang), Key::Seconds.text(lang)));
    Some(view! {
        <div class="error-summary" role="alert" tabindex="-1" autofocus>
            <h2 class="error-summary-title">{tr(Key::ErrorSummaryTitle)}</h2>
            {form_error
                .map(|e| {
                    view! {
                        <p class="error-summary-body">
                            {tr(e)} {retry.map(|r| view! { " " {r} })}
                            {reference.map(|r| view! { " " <code>{r}</code> })}
                        </p>
                    }
                })}
            <ul class="error-summary-list">
                {field_errors
                    .into_iter()
                    .map(|(field, key)| {
                        let id = format!("field-{field}");
                        view! {
                            <li>
                                <a href=format!("#{id}") on:click=move |ev| focus_field(ev, &id)>
                                    {tr(key)}
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </div>
    })
}

/// Moves focus to the field, as the browser does for a fragment link before hydration; the
/// router would otherwise treat the click as a navigation and leave focus on the link.
fn focus_field(ev: leptos::ev::MouseEvent, id: &str) {
    if let Some(field) = document().get_element_by_id(id) {
        ev.prevent_default();
        super::focus(field);
    }
}
