use super::{changed_notice, field_error, reload_after, use_auth};
use crate::api::auth::ChangePassword;
use crate::components::{ErrorSummary, Problems, StatusNotice, SubmitButton, TextField};
use crate::context::{tr, use_lang};
use crate::flash::form_outcome;
use crate::i18n::Key;
use leptos::prelude::*;

/// Current password, new password twice, with the policy checked as the user types.
#[component]
pub fn PasswordSection() -> impl IntoView {
    let auth = use_auth();
    let action = ServerAction::<ChangePassword>::new();
    let outcome = form_outcome(action);
    reload_after(action, auth);
    let problems = Signal::derive(move || Problems::of(&outcome.get()));
    let typed = RwSignal::new((String::new(), String::new()));
    let clear = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if let Some(Ok(_)) = outcome.get() {
            // Saved: the fields empty themselves, and the rules start over.
            clear.set(Some(String::new()));
            typed.set((String::new(), String::new()));
        }
    });
    let form = NodeRef::<leptos::html::Form>::new();
    let on_input = move |_| {
        let Some(form) = form.get_untracked() else { return };
        if let Ok(data) = leptos::web_sys::FormData::new_with_form(&form) {
            let value = |name: &str| data.get(name).as_string().unwrap_or_default();
            // Only `typed` changes here: setting `clear` (even to the same value) would reset
            // every field of the form.
            typed.set((value("new_password"), value("confirm_password")));
        }
    };
    let rules = move || {
        let (new, confirm) = typed.get();
        let (username, email) = auth.overview.with(|o| (o.username.clone(), o.email.to_lowercase()));
        let length = new.chars().count();
        let lowered = new.to_lowercase();
        [
            (Key::RuleLength, length >= 8),
            (Key::RuleLong, length >= 15),
            (
                Key::RuleNotName,
                !new.is_empty() && lowered != username && lowered != email,
            ),
            (Key::RuleSame, !new.is_empty() && new == confirm),
        ]
    };
    let lang = use_lang();
    view! {
        <section class="card" id="password" aria-labelledby="password-heading">
            <h2 id="password-heading">{tr(Key::PasswordSection)}</h2>
            <ErrorSummary problems />
            <ActionForm action node_ref=form attr:novalidate=true on:input=on_input>
                <TextField
                    name="current_password"
                    label=Key::CurrentPasswordLabel
                    input_type="password"
                    autocomplete="current-password"
                    error=field_error(outcome, "current_password")
                    reset=clear
                />
                <TextField
                    name="new_password"
                    label=Key::NewPasswordLabel
                    input_type="password"
                    autocomplete="new-password"
                    help=Some(Key::NewPasswordHelp)
                    error=field_error(outcome, "new_password")
                    reset=clear
                />
                <TextField
                    name="confirm_password"
                    label=Key::ConfirmPasswordLabel
                    input_type="password"
                    autocomplete="new-password"
                    error=field_error(outcome, "confirm_password")
                    reset=clear
                />
                <ul class="rules" data-testid="password-rules">
                    {move || {
                        rules()
                            .into_iter()
                            .map(|(rule, met)| {
                                let state = if met { Key::RuleMet } else { Key::RuleNotMet };
                                view! {
                                    <li class:rule-met=met>
                                        <span aria-hidden="true" class="rule-mark">
                                            {if met { "✓" } else { "·" }}
                                        </span>
                                        {rule.text(lang.get())}
                                        <span class="visually-hidden">
                                            {format!(" ({})", state.text(lang.get()))}
                                        </span>
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ul>
                <div class="form-actions">
                    <SubmitButton label=Key::ChangePasswordSubmit busy_label=Key::Saving busy=action.pending() />
                    <StatusNotice text=changed_notice(outcome) />
                </div>
            </ActionForm>
        </section>
    }
}
