use super::{field_error, reload_after, use_auth};
use crate::api::auth::Reauthenticate;
use crate::components::{DateTime, ErrorSummary, Problems, SubmitButton, TextField};
use crate::context::tr;
use crate::flash::form_outcome;
use crate::i18n::Key;
use crate::model::TwoFactorState;
use leptos::prelude::*;

/// "Confirm it's you": the password (and code) that unlock sensitive changes for a while.
#[component]
pub fn ReauthSection() -> impl IntoView {
    let auth = use_auth();
    let action = ServerAction::<Reauthenticate>::new();
    let outcome = form_outcome(action);
    reload_after(action, auth);
    let until = Memo::new(move |_| auth.overview.with(|o| o.reauth_until));
    let tfa_on = Memo::new(move |_| {
        auth.overview
            .with(|o| matches!(o.two_factor, TwoFactorState::On { .. }))
    });
    let problems = Signal::derive(move || Problems::of(&outcome.get()));
    view! {
        <section class="card" id="reauth" aria-labelledby="reauth-heading">
            <h2 id="reauth-heading">{tr(Key::ReauthHeading)}</h2>
            {move || match until.get() {
                Some(stamp) => {
                    view! {
                        <p class="notice" role="status" data-testid="reauth-open">
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
                                error=field_error(outcome, "reauth_password")
                            />
                            <Show when=move || tfa_on.get()>
                                <TextField
                                    name="reauth_code"
                                    label=Key::TotpCodeLabel
                                    help=Some(Key::TotpCodeHelp)
                                    autocomplete="one-time-code"
                                    error=field_error(outcome, "reauth_code")
                                />
                            </Show>
                            <div class="form-actions">
                                <SubmitButton label=Key::ReauthSubmit busy_label=Key::Checking busy=action.pending() />
                            </div>
                        </ActionForm>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}
