//! "Confirm it's you": the password (and code) that open the re-authentication window. Shared
//! by every tab with sensitive changes (Authentication, SSH keys, API tokens).

use crate::api::auth::Reauthenticate;
use crate::components::{focus_on_success, DateTime, ErrorSummary, Problems, SubmitButton, TextField};
use crate::context::tr;
use crate::flash::form_outcome;
use crate::i18n::Key;
use crate::model::Stamp;
use leptos::prelude::*;

/// `until` is when the window closes (`None`: closed); `on_done` runs after a try, to read
/// the tab's data again.
#[component]
pub fn ReauthCard(
    #[prop(into)] until: Signal<Option<Stamp>>,
    #[prop(into)] two_factor_on: Signal<bool>,
    on_done: Callback<()>,
) -> impl IntoView {
    let action = ServerAction::<Reauthenticate>::new();
    let outcome = form_outcome(action);
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
                    }
                        .into_any()
                }
            }}
        </section>
    }
}
