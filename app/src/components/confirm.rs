use crate::context::tr;
use crate::i18n::Key;
use leptos::prelude::*;

/// A destructive action that asks first. A disclosure works without JavaScript: the first click
/// only opens it, showing `warning` and `children` (the form that really acts). `subject` names
/// the item for screen readers, since a list holds one such button per item. Once hydrated it
/// closes on Escape, or a click or Tab outside (`data-dismiss`).
#[component]
pub fn Confirm(action: Key, subject: String, warning: Key, children: Children) -> impl IntoView {
    view! {
        <details class="confirm" data-dismiss>
            <summary class="button button-small button-secondary">
                {tr(action)} <span class="visually-hidden">" " {subject}</span>
            </summary>
            <div class="confirm-box">
                <p>{tr(warning)}</p>
                {children()}
            </div>
        </details>
    }
}
