use super::{changed_notice, field_error, reload_after, use_auth};
use crate::api::auth::{ConfirmTwoFactor, DisableTwoFactor, RegenerateRecoveryCodes, StartTwoFactor};
use crate::components::{focus_on_success, DateTime, ErrorSummary, Problems, StatusNotice, SubmitButton, TextField};
use crate::context::{tr, use_lang};
use crate::error::AppError;
use crate::flash::form_outcome;
use crate::i18n::Key;
use crate::model::{RecoveryCodes, TotpSetup, TwoFactorState};
use leptos::prelude::*;

/// Below this many unused recovery codes, the section warns.
const FEW_CODES: u32 = 3;

/// TOTP: set up (QR code, key, first code), recovery codes, turn off.
#[component]
pub fn TwoFactorSection() -> impl IntoView {
    let auth = use_auth();
    let start = ServerAction::<StartTwoFactor>::new();
    let confirm = ServerAction::<ConfirmTwoFactor>::new();
    let regenerate = ServerAction::<RegenerateRecoveryCodes>::new();
    let disable = ServerAction::<DisableTwoFactor>::new();
    reload_after(start, auth);
    reload_after(confirm, auth);
    reload_after(regenerate, auth);
    reload_after(disable, auth);
    // Each step replaces the form that was used: focus goes to the next step.
    focus_on_success(start, "tfa-setup");
    focus_on_success(confirm, "recovery-codes");
    focus_on_success(regenerate, "recovery-codes");
    focus_on_success(disable, "tfa-status");
    let started = form_outcome(start);
    let confirmed = form_outcome(confirm);
    let regenerated = form_outcome(regenerate);
    let disabled = form_outcome(disable);

    // Recovery codes from the last confirm or regenerate, shown once.
    let codes = Signal::derive(move || {
        let fresh = |o: Option<Result<RecoveryCodes, AppError>>| o.and_then(Result::ok);
        fresh(regenerated.get()).or_else(|| fresh(confirmed.get()))
    });
    let problems = Signal::derive(move || {
        let errors = [
            Problems::of(&started.get()),
            Problems::of(&confirmed.get()),
            Problems::of(&regenerated.get()),
            Problems::of(&disabled.get()),
        ];
        errors.into_iter().find(|p| !p.is_empty()).unwrap_or_default()
    });
    let state = Memo::new(move |_| auth.overview.with(|o| o.two_factor.clone()));
    let lang = use_lang();
    let codes_notice = Signal::derive(move || {
        if regenerated.with(|r| matches!(r, Some(Ok(_)))) {
            Some(Key::CodesRegeneratedNotice.text(lang.get()).to_string())
        } else if confirmed.with(|c| matches!(c, Some(Ok(_)))) {
            Some(Key::TfaEnabledNotice.text(lang.get()).to_string())
        } else {
            None
        }
    });
    view! {
        <section class="card" id="two-factor" aria-labelledby="two-factor-heading">
            <div class="card-heading">
                <h2 id="two-factor-heading">{tr(Key::TfaSection)}</h2>
                {move || match state.get() {
                    TwoFactorState::On { .. } => view! { <span class="badge badge-success">{tr(Key::BadgeOn)}</span> }.into_any(),
                    _ => view! { <span class="badge">{tr(Key::BadgeOff)}</span> }.into_any(),
                }}
            </div>
            <ErrorSummary problems />
            <StatusNotice text=codes_notice />
            {move || codes.get().map(|codes| view! { <RecoveryCodesBox codes=codes.codes /> })}
            {move || match state.get() {
                TwoFactorState::Off => {
                    view! {
                        <p class="card-intro">{tr(Key::TfaOffIntro)}</p>
                        <ActionForm action=start>
                            <div class="form-actions">
                                <SubmitButton label=Key::TfaStart busy_label=Key::Saving busy=start.pending() />
                                <StatusNotice text=changed_notice(disabled) id="tfa-status" />
                            </div>
                        </ActionForm>
                    }
                        .into_any()
                }
                TwoFactorState::Pending(setup) => view! { <Enrolment setup action=confirm /> }.into_any(),
                TwoFactorState::On { enabled_at, recovery_codes_left } => {
                    view! {
                        <dl class="facts">
                            <div>
                                <dt>{tr(Key::TfaOnSince)}</dt>
                                <dd>
                                    <DateTime stamp=enabled_at />
                                </dd>
                            </div>
                            <div>
                                <dt>{tr(Key::TfaCodesLeft)}</dt>
                                <dd data-testid="codes-left">{recovery_codes_left}</dd>
                            </div>
                        </dl>
                        {(recovery_codes_left <= FEW_CODES)
                            .then(|| view! { <p class="notice notice-warning">{tr(Key::TfaFewCodes)}</p> })}
                        <ActionForm action=regenerate>
                            <p class="field-help">{tr(Key::TfaRegenerateHelp)}</p>
                            <SubmitButton
                                label=Key::TfaRegenerate
                                busy_label=Key::Saving
                                busy=regenerate.pending()
                                class="button button-secondary"
                            />
                        </ActionForm>
                        <ActionForm action=disable attr:novalidate=true>
                            <TextField
                                name="disable_code"
                                label=Key::TotpCodeLabel
                                help=Some(Key::TfaDisableHelp)
                                autocomplete="one-time-code"
                                error=field_error(disabled, "disable_code")
                            />
                            <SubmitButton
                                label=Key::TfaDisable
                                busy_label=Key::Saving
                                busy=disable.pending()
                                class="button button-danger"
                            />
                        </ActionForm>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

#[component]
fn Enrolment(setup: TotpSetup, action: ServerAction<ConfirmTwoFactor>) -> impl IntoView {
    let outcome = form_outcome(action);
    view! {
        <p class="card-intro" id="tfa-setup" tabindex="-1">
            {tr(Key::TfaScanHelp)}
        </p>
        <div class="qr-code" role="img" aria-label=tr(Key::TfaQrLabel) inner_html=setup.qr_svg></div>
        <dl class="facts">
            <div>
                <dt>{tr(Key::TfaSecretLabel)}</dt>
                <dd>
                    <code data-testid="totp-secret">{setup.secret}</code>
                </dd>
            </div>
        </dl>
        <ActionForm action attr:novalidate=true>
            <TextField
                name="enable_code"
                label=Key::TotpCodeLabel
                autocomplete="one-time-code"
                error=field_error(outcome, "enable_code")
            />
            <SubmitButton label=Key::TfaConfirm busy_label=Key::Checking busy=action.pending() />
        </ActionForm>
    }
}

/// The codes, once: a copy button (with JavaScript) and a download link (always).
#[component]
fn RecoveryCodesBox(codes: Vec<String>) -> impl IntoView {
    let text = codes.join("\n");
    let href = format!(
        "data:text/plain;charset=utf-8,{}",
        crate::pages::encode_query_value(&format!("{text}\n"))
    );
    let copied = RwSignal::new(false);
    // Effects run only in the browser: without JavaScript there is no copy button.
    let can_copy = RwSignal::new(false);
    Effect::new(move |_| can_copy.set(true));
    let copy = move |_| copied.set(crate::browser::copy_text(&text));
    view! {
        <div
            class="secret-box"
            id="recovery-codes"
            tabindex="-1"
            role="region"
            aria-labelledby="codes-heading"
            data-testid="recovery-codes"
        >
            <h3 id="codes-heading">{tr(Key::RecoveryCodesTitle)}</h3>
            <p>{tr(Key::RecoveryCodesWarning)}</p>
            <ul class="codes">{codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}</ul>
            <div class="form-actions">
                <Show when=move || can_copy.get()>
                    <button type="button" class="button button-secondary" on:click=copy.clone()>
                        {move || if copied.get() { tr(Key::Copied)() } else { tr(Key::Copy)() }}
                    </button>
                </Show>
                <a class="button button-secondary" href=href.clone() download="recovery-codes.txt">
                    {tr(Key::Download)}
                </a>
            </div>
        </div>
    }
}
