//! "Forgot password?": ask for a link by e-mail, then choose a new password with it. Plain
//! forms posting to the server (`server/src/web/password_reset.rs`), like sign-in.

use crate::components::{ErrorSummary, PrefsSwitcher, Problems, SubmitButton, TextField};
use crate::context::{page_title, tr, use_page_context, FormFeedback, FormId};
use crate::i18n::Key;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let ctx = use_page_context();
    let feedback = ctx
        .feedback_for(FormId::ForgotPassword)
        .unwrap_or_else(|| FormFeedback::new(FormId::ForgotPassword));
    let sent = use_query_map().with_untracked(|q| q.get("sent").is_some()) && !feedback.has_errors();
    let (busy, set_busy) = signal(false);
    let problems = Problems::from_feedback(&feedback);
    view! {
        <Title text=page_title(Key::ForgotTitle) />
        <main id="main" class="auth-page">
            <div class="auth-card">
                <p class="auth-brand">{tr(Key::ProductName)}</p>
                <h1>{tr(Key::ForgotTitle)}</h1>
                {sent.then(|| view! { <p class="notice" role="status">{tr(Key::ForgotSentNotice)}</p> })}
                <p class="lead">{tr(Key::ForgotIntro)}</p>
                <ErrorSummary problems=Signal::stored(problems) />
                <form method="post" action="/password/forgot" novalidate on:submit=move |_| set_busy.set(true)>
                    <TextField
                        name="email"
                        label=Key::EmailLabel
                        input_type="email"
                        autocomplete="email"
                        value=feedback.value("email")
                        error=feedback.error("email")
                    />
                    <SubmitButton label=Key::ForgotButton busy_label=Key::ForgotBusy busy=busy />
                </form>
                <p class="auth-switch">
                    <a href="/login">{tr(Key::BackToSignIn)}</a>
                </p>
            </div>
            <PrefsSwitcher />
        </main>
    }
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let ctx = use_page_context();
    let feedback = ctx
        .feedback_for(FormId::ResetPassword)
        .unwrap_or_else(|| FormFeedback::new(FormId::ResetPassword));
    // A refused form is rendered again at /password/reset without its query: the token comes
    // back from the form.
    let token = use_query_map()
        .with_untracked(|q| q.get("token"))
        .unwrap_or_else(|| feedback.value("token"));
    let link_unusable = feedback.form_error == Some(Key::ErrResetLinkUnusable);
    let (busy, set_busy) = signal(false);
    let problems = Problems::from_feedback(&feedback);
    view! {
        <Title text=page_title(Key::ResetTitle) />
        <main id="main" class="auth-page">
            <div class="auth-card">
                <p class="auth-brand">{tr(Key::ProductName)}</p>
                <h1>{tr(Key::ResetTitle)}</h1>
                <ErrorSummary problems=Signal::stored(problems) />
                {if link_unusable {
                    view! {
                        <p class="auth-switch">
                            <a href="/password/forgot">{tr(Key::AskNewLink)}</a>
                        </p>
                    }
                        .into_any()
                } else {
                    view! {
                        <p class="lead">{tr(Key::ResetIntro)}</p>
                        <form method="post" action="/password/reset" novalidate on:submit=move |_| set_busy.set(true)>
                            <input type="hidden" name="token" value=token />
                            <TextField
                                name="password"
                                label=Key::NewPasswordLabel
                                help=Some(Key::NewPasswordHelp)
                                input_type="password"
                                autocomplete="new-password"
                                error=feedback.error("password")
                            />
                            <TextField
                                name="confirm"
                                label=Key::ConfirmPasswordLabel
                                input_type="password"
                                autocomplete="new-password"
                                error=feedback.error("confirm")
                            />
                            <SubmitButton label=Key::ResetButton busy_label=Key::ResetBusy busy=busy />
                        </form>
                    }
                        .into_any()
                }}
            </div>
            <PrefsSwitcher />
        </main>
    }
}
