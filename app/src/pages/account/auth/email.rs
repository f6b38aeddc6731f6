use super::{changed_notice, field_error, reload_after, use_auth};
use crate::api::auth::{CancelEmailChange, RequestEmailChange, ResendEmailChange};
use crate::components::{focus_on_success, DateTime, ErrorSummary, Problems, StatusNotice, SubmitButton, TextField};
use crate::context::tr;
use crate::error::AppError;
use crate::flash::{form_outcome, typed_or};
use crate::i18n::Key;
use crate::model::AuthChanged;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// The current address; a new one waits for its link (with resend and cancel) before it is used.
#[component]
pub fn EmailSection() -> impl IntoView {
    let auth = use_auth();
    let request = ServerAction::<RequestEmailChange>::new();
    let resend = ServerAction::<ResendEmailChange>::new();
    let cancel = ServerAction::<CancelEmailChange>::new();
    reload_after(request, auth);
    reload_after(resend, auth);
    reload_after(cancel, auth);
    // Cancelling removes the waiting change with its buttons: focus goes to the confirmation.
    focus_on_success(cancel, "email-status");
    let requested = form_outcome(request);
    let resent = form_outcome(resend);
    let cancelled = form_outcome(cancel);
    // The latest of the three forms' outcomes speaks; seeded from a no-JavaScript post's flash.
    let last = RwSignal::new(
        requested
            .get_untracked()
            .or_else(|| resent.get_untracked())
            .or_else(|| cancelled.get_untracked()),
    );
    for outcome in [requested, resent, cancelled] {
        Effect::new(move |_| {
            if let Some(o) = outcome.get() {
                last.set(Some(o));
            }
        });
    }
    let last: Signal<Option<Result<AuthChanged, AppError>>> = last.into();
    let problems = Signal::derive(move || Problems::of(&last.get()));
    // After a request is sent the field empties; a refused one keeps what was typed.
    let clear = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if let Some(Ok(_)) = requested.get() {
            clear.set(Some(String::new()));
        }
    });
    let current = move || auth.overview.with(|o| o.email.clone());
    let pending = Memo::new(move |_| auth.overview.with(|o| o.pending_email.clone()));
    view! {
        <section class="card" id="email" aria-labelledby="email-heading">
            <h2 id="email-heading">{tr(Key::EmailSection)}</h2>
            <ErrorSummary problems />
            <dl class="facts">
                <div>
                    <dt>{tr(Key::CurrentEmail)}</dt>
                    <dd data-testid="current-email">{current}</dd>
                </div>
            </dl>
            {move || {
                pending
                    .get()
                    .map(|p| {
                        view! {
                            <div class="pending-box" data-testid="pending-email">
                                <h3>{tr(Key::EmailPendingTitle)}</h3>
                                <p class="pending-address">{p.address.clone()}</p>
                                <p class="muted">
                                    {tr(Key::EmailPendingText)} " " <DateTime stamp=p.expires_at with_time=true />
                                    "."
                                </p>
                                <div class="button-row">
                                    <ActionForm action=resend>
                                        <SubmitButton
                                            label=Key::ResendLink
                                            busy_label=Key::Sending
                                            busy=resend.pending()
                                            class="button button-secondary"
                                        />
                                    </ActionForm>
                                    <ActionForm action=cancel>
                                        <SubmitButton
                                            label=Key::CancelEmailChange
                                            busy_label=Key::Saving
                                            busy=cancel.pending()
                                            class="button button-secondary"
                                        />
                                    </ActionForm>
                                </div>
                            </div>
                        }
                    })
            }}
            <ActionForm action=request attr:novalidate=true>
                <TextField
                    name="new_email"
                    label=Key::NewEmailLabel
                    input_type="email"
                    autocomplete="email"
                    help=Some(Key::NewEmailHelp)
                    value=typed_or(RequestEmailChange::PATH, "new_email", "")
                    error=field_error(requested, "new_email")
                    reset=clear
                />
                <div class="form-actions">
                    <SubmitButton label=Key::ChangeEmailSubmit busy_label=Key::Sending busy=request.pending() />
                    <StatusNotice text=changed_notice(last) id="email-status" />
                </div>
            </ActionForm>
        </section>
    }
}
