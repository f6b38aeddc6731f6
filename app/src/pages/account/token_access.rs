//! What a new API token may do: full access (the default, as Scalingo's tokens) or only the
//! ticked scopes; and how a token's access reads in the list.

use crate::api::tokens::CreateToken;
use crate::context::{tr, use_lang};
use crate::flash::typed_or;
use crate::i18n::Key;
use crate::model::{Scope, TokenScopes};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// The access part of the creation form. Works without JavaScript: the radio and the
/// checkboxes are plain form fields, and a refused post brings back what was chosen.
#[component]
pub fn AccessChoice(
    /// The message for `access` or `scopes`, whichever the last refusal named.
    error: Signal<Option<Key>>,
    /// Set after a token is created: the form goes back to full access.
    reset: RwSignal<Option<String>>,
) -> impl IntoView {
    let lang = use_lang();
    let limited_before = typed_or(CreateToken::PATH, "access", "full") == "limited";
    let limited = RwSignal::new(limited_before);
    // "Full access" clears the boxes, so what is shown is what is sent (a ticked box makes a
    // limited token on the server, whatever the radio says).
    let untick = RwSignal::new(0u32);
    Effect::new(move |_| {
        if reset.get().is_some() {
            limited.set(false);
        }
    });
    let described_by = move || {
        if error.get().is_some() {
            "field-access-help field-access-error"
        } else {
            "field-access-help"
        }
    };
    view! {
        <fieldset class="field choices access-choice" class:field-invalid=move || error.get().is_some()>
            <legend>{tr(Key::TokenAccessLegend)}</legend>
            <p class="field-help" id="field-access-help">{tr(Key::TokenAccessHelp)}</p>
            {move || {
                error
                    .get()
                    .map(|e| {
                        view! {
                            <p class="field-error" id="field-access-error">
                                <span class="field-error-icon" aria-hidden="true">"!"</span>
                                {move || e.text(lang.get())}
                            </p>
                        }
                    })
            }}
            <div class="choice">
                <input
                    type="radio"
                    id="field-access"
                    name="access"
                    value="full"
                    checked=!limited_before
                    prop:checked=move || !limited.get()
                    on:change=move |_| {
                        limited.set(false);
                        untick.update(|n| *n += 1);
                    }
                    aria-describedby=described_by
                    aria-invalid=move || error.get().map(|_| "true")
                />
                <label for="field-access">{tr(Key::TokenAccessFull)}</label>
            </div>
            <div class="choice">
                <input
                    type="radio"
                    id="field-access-limited"
                    name="access"
                    value="limited"
                    checked=limited_before
                    prop:checked=move || limited.get()
                    on:change=move |_| limited.set(true)
                    aria-describedby=described_by
                    aria-invalid=move || error.get().map(|_| "true")
                />
                <label for="field-access-limited">{tr(Key::TokenAccessLimited)}</label>
            </div>
            <div class="scope-list" role="group" aria-label=move || Key::TokenAccessLimited.text(lang.get())>
                {Scope::ALL
                    .into_iter()
                    .enumerate()
                    .map(|(at, scope)| {
                        // The error summary's `scopes` link lands on the first box.
                        let id = if at == 0 { "field-scopes".to_string() } else { format!("field-{}", scope.field()) };
                        let ticked = !typed_or(CreateToken::PATH, scope.field(), "").is_empty();
                        let ticked_now = RwSignal::new(ticked);
                        Effect::new(move |_| {
                            if reset.get().is_some() || untick.get() > 0 {
                                ticked_now.set(false);
                            }
                        });
                        view! {
                            <div class="choice">
                                <input
                                    type="checkbox"
                                    id=id.clone()
                                    name=scope.field()
                                    value="on"
                                    checked=ticked
                                    prop:checked=move || ticked_now.get()
                                    aria-describedby=described_by
                                    aria-invalid=move || error.get().map(|_| "true")
                                    // Ticking a scope means a limited token: say so in the radio.
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        ticked_now.set(on);
                                        if on {
                                            limited.set(true);
                                        }
                                    }
                                />
                                <label for=id>
                                    <code>{scope.as_str()}</code>
                                    " "
                                    {tr(scope.description())}
                                </label>
                            </div>
                        }
                    })
                    .collect_view()}
            </div>
        </fieldset>
    }
}

/// "Full access", or the scopes' names.
#[component]
pub fn AccessFact(scopes: TokenScopes) -> impl IntoView {
    if scopes.is_full() {
        return tr(Key::TokenAccessFullShort).into_any();
    }
    let names = scopes.names().join(", ");
    view! { <code data-testid="token-scopes">{names}</code> }.into_any()
}
