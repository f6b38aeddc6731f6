//! "Confirm it's you": the password (and code) that open the re-authentication window. Shared
//! by every tab with sensitive changes (Authentication, SSH keys, API tokens).

use crate::api::auth::Reauthenticate;
use crate::components::{focus_on_success, DateTime, ErrorSummary, Problems, SubmitButton, TextField};
use crate::context::tr;
use crate::error::AppError;
use crate::flash::form_outcome;
use crate::i18n::Key;
use crate::model::{AuthChanged, Stamp};
use leptos::prelude::*;

/// "Confirm with a passkey": the browser's prompt instead of the password (JavaScript only;
/// without it the password form above is the way).
#[component]
fn PasskeyConfirm(outcome: RwSignal<Option<Result<AuthChanged, AppError>>>, on_done: Callback<()>) -> impl IntoView {
    let ready = RwSignal::new(false);
    Effect::new(move |_| ready.set(crate::passkey_prompt::supported()));
    let busy = RwSignal::new(false);
    let confirm = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = confirm_with_passkey().await;
            let ok = result.is_ok();
            outcome.set(Some(result));
            busy.set(false);
            if ok {
                on_done.run(());
                crate::components::focus_by_id("reauth-open");
            }
        });
    };
    view! {
        <Show when=move || ready.get()>
            <div class="form-actions">
                <button
                    type="button"
                    class="button button-secondary"
                    on:click=confirm
                    aria-busy=move || busy.get().then_some("true")
                    data-testid="reauth-passkey"
                >
                    {move || if busy.get() { tr(Key::AddingPasskey) } else { tr(Key::ConfirmWithPasskey) }}
                </button>
            </div>
        </Show>
    }
}

async fn confirm_with_passkey() -> Result<AuthChanged, AppError> {
    use crate::api::passkeys::{begin_passkey_reauth, finish_passkey_reauth};
    let ceremony = begin_passkey_reauth().await?;
    let credential = crate::passkey_prompt::get(&ceremony.options)
        .await
        .map_err(|e| AppError::Conflict(e.key()))?;
    finish_passkey_reauth(ceremony.ceremony, credential).await
}

/// `until` is when the window closes (`None`: closed); `on_done` runs after a try, to read
/// the tab's data again. With `passkeys` (the account has one), a passkey may confirm instead.
#[component]
pub fn ReauthCard(
    #[prop(into)] until: Signal<Option<Stamp>>,
    #[prop(into)] two_factor_on: Signal<bool>,
    on_done: Callback<()>,
    #[prop(optional, into)] passkeys: Signal<bool>,
) -> impl IntoView {
    let action = ServerAction::<Reauthenticate>::new();
    let form = form_outcome(action);
    // The passkey's outcome, when it was the last try.
    let by_passkey = RwSignal::new(None::<Result<AuthChanged, AppError>>);
    Effect::new(move |_| {
        if form.with(Option::is_some) {
            by_passkey.set(None);
        }
    });
    let outcome = Signal::derive(move || by_passkey.get().or_else(|| form.get()));
    Effect::new(move |_| {
        if action.value().with(|v| matches!(v, Some(Ok(_)))) {
            on_done.run(());
        }
    });
    // The form gives way to the notice saying until when changes are allowed.
    focus_on_success(action, "reauth-open");
    let field_error = move |name: &'static str| {
        Signal::derive(move || outcome.with(|o| o.as_ref().and_then(|r| r.as_ref().err()).and_then(|e| e.field(name))))
    };
    let problems = Signal::derive(move || Problems::of(&outcome.get()));
    view! {
        <section class="card" id="reauth" aria-labelledby="reauth-heading">
            <h2 id="reauth-heading">{tr(Key::ReauthHeading)}</h2>
            {move || match until.get() {
                Some(stamp) => {
                    view! {
                        <p class="notice" role="status" id="reauth-open" tabindex="-1" data-testid="reauth-open">
                            {tr(Key::ReauthOpenUntil)} " " <DateTime stamp with_time=true /> "."
                        </p>
                    }
                        .into_any()
                }
                None => {
                    view! {
                        <p class="card-intro">{tr(Key::ReauthIntro)}</p>
                        <ErrorSummary problems />
                        <ActionForm action attr:novalidate=true>
                            <TextField
                                name="reauth_password"
                                label=Key::PasswordLabel
                                input_type="password"
                                autocomplete="current-password"
                                error=field_error("reauth_password")
                            />
                            <Show when=move || two_factor_on.get()>
                                <TextField
                                    name="reauth_code"
                                    label=Key::TotpCodeLabel
                                    help=Some(Key::TotpCodeHelp)
                                    autocomplete="one-time-code"
                                    error=field_error("reauth_code")
                                />
                            </Show>
                            <div class="form-actions">
                                <SubmitButton label=Key::ReauthSubmit busy_label=Key::Checking busy=action.pending() />
                            </div>
                        </ActionForm>
                        <Show when=move || passkeys.get()>
                            <PasskeyConfirm outcome=by_passkey on_done />
                        </Show>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}
