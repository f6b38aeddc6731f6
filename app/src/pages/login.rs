use crate::components::{ErrorSummary, PrefsSwitcher, Problems, SubmitButton, TextField};
use crate::context::{page_title, tr, use_page_context, FormFeedback, FormId};
use crate::i18n::Key;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LoginPage() -> impl IntoView {
    let ctx = use_page_context();
    let query = use_query_map();
    let feedback = ctx
        .feedback_for(FormId::Login)
        .unwrap_or_else(|| FormFeedback::new(FormId::Login));
    // A refused sign-in is rendered again at /login without its query: keep `next` from the form.
    let next = query
        .with_untracked(|q| q.get("next"))
        .unwrap_or_else(|| feedback.value("next"));
    let notice = query.with_untracked(|q| match q.get("notice").as_deref() {
        Some("signed-out") => Some(Key::SignedOutNotice),
        Some("sign-in-required") => Some(Key::SignInRequiredNotice),
        Some("session-ended") => Some(Key::SessionEndedNotice),
        Some("password-reset") => Some(Key::PasswordResetNotice),
        Some("code-expired") => Some(Key::ErrChallengeExpired),
        Some("account-deleted") => Some(Key::AccountDeletedNotice),
        _ => None,
    });
    let (busy, set_busy) = signal(false);
    let signup_href = if next.is_empty() {
        "/signup".to_string()
    } else {
        format!("/signup?next={}", super::encode_query_value(&next))
    };
    let problems = Problems::from_feedback(&feedback);
    let passkey_next = next.clone();
    view! {
        <Title text=page_title(Key::SignInTitle) />
        <main id="main" class="auth-page">
            <div class="auth-card">
                <p class="auth-brand">{tr(Key::ProductName)}</p>
                <h1>{tr(Key::SignInTitle)}</h1>
                <p class="lead">{tr(Key::SignInIntro)}</p>
                {(!feedback.has_errors())
                    .then_some(notice)
                    .flatten()
                    .map(|n| view! { <p class="notice" role="status">{tr(n)}</p> })}
                <ErrorSummary problems=Signal::stored(problems) />
                // A paused account is answered like a wrong password (anything else would tell
                // which username owns an address): say what that answer can mean.
                {(feedback.form_error == Some(Key::ErrBadCredentials))
                    .then(|| view! { <p class="field-help">{tr(Key::BadCredentialsHint)}</p> })}
                <form
                    method="post"
                    action="/login"
                    novalidate
                    on:submit=move |_| set_busy.set(true)
                >
                    <input type="hidden" name="next" value=next />
                    <TextField
                        name="login"
                        label=Key::LoginLabel
                        autocomplete="username"
                        value=feedback.value("login")
                        error=feedback.error("login")
                    />
                    <TextField
                        name="password"
                        label=Key::PasswordLabel
                        input_type="password"
                        autocomplete="current-password"
                        error=feedback.error("password")
                    />
                    <SubmitButton label=Key::SignInButton busy_label=Key::SigningIn busy=busy />
                </form>
                <super::login_passkey::PasskeySignIn
                    next=passkey_next
                    path="/login/passkey"
                    label=Key::SignInWithPasskey
                />
                <p class="auth-switch">
                    <a href="/password/forgot">{tr(Key::ForgotPasswordLink)}</a>
                </p>
                {ctx
                    .signup_open
                    .then(|| {
                        view! {
                            <p class="auth-switch">
                                {tr(Key::NoAccountYet)} " " <a href=signup_href>{tr(Key::CreateAccountLink)}</a>
                            </p>
                        }
                    })}
            </div>
            <PrefsSwitcher />
        </main>
    }
}

/// Sign-in's second step: the code from the authenticator app, or a recovery code. Posts to
/// `/login/code`, which reads the challenge from its cookie.
#[component]
pub fn LoginCodePage() -> impl IntoView {
    let ctx = use_page_context();
    let feedback = ctx
        .feedback_for(FormId::LoginCode)
        .unwrap_or_else(|| FormFeedback::new(FormId::LoginCode));
    let next = use_query_map()
        .with_untracked(|q| q.get("next"))
        .unwrap_or_else(|| feedback.value("next"));
    let (busy, set_busy) = signal(false);
    let problems = Problems::from_feedback(&feedback);
    let passkey_next = next.clone();
    // Set by the password step when the account has a passkey.
    let offer_passkey = use_query_map().with_untracked(|q| q.get("passkey").as_deref() == Some("1"))
        || feedback.value("passkey") == "1";
    view! {
        <Title text=page_title(Key::LoginCodeTitle) />
        <main id="main" class="auth-page">
            <div class="auth-card">
                <p class="auth-brand">{tr(Key::ProductName)}</p>
                <h1>{tr(Key::LoginCodeTitle)}</h1>
                <p class="lead">{tr(Key::LoginCodeIntro)}</p>
                <ErrorSummary problems=Signal::stored(problems) />
                <form method="post" action="/login/code" novalidate on:submit=move |_| set_busy.set(true)>
                    <input type="hidden" name="next" value=next />
                    <input type="hidden" name="passkey" value=if offer_passkey { "1" } else { "" } />
                    <TextField
                        name="code"
                        label=Key::TotpCodeLabel
                        help=Some(Key::LoginCodeRecovery)
                        autocomplete="one-time-code"
                        error=feedback.error("code")
                    />
                    <SubmitButton label=Key::LoginCodeSubmit busy_label=Key::Checking busy=busy />
                </form>
                {offer_passkey
                    .then(|| {
                        view! {
                            <super::login_passkey::PasskeySignIn
                                next=passkey_next
                                path="/login/code/passkey"
                                label=Key::UsePasskeyInstead
                            />
                        }
                    })}
                <p class="auth-switch">
                    <a href="/login">{tr(Key::BackToSignIn)}</a>
                </p>
            </div>
            <PrefsSwitcher />
        </main>
    }
}
