use crate::components::{ErrorSummary, PrefsSwitcher, SubmitButton, TextField};
use crate::context::{tr, use_page_context, FormFeedback, FormId};
use crate::i18n::Key;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SignupPage() -> impl IntoView {
    let ctx = use_page_context();
    let next = use_query_map().with_untracked(|q| q.get("next")).unwrap_or_default();
    let login_href = if next.is_empty() {
        "/login".to_string()
    } else {
        format!("/login?next={}", super::encode_query_value(&next))
    };
    let title = format!("{} · {}", tr(Key::SignUpTitle), tr(Key::ProductName));
    if !ctx.signup_open {
        return view! {
            <Title text=title />
            <main id="main" class="auth-page">
                <div class="auth-card">
                    <h1>{tr(Key::SignUpClosedTitle)}</h1>
                    <p>{tr(Key::SignUpClosedBody)}</p>
                    <p class="auth-switch">
                        {tr(Key::HaveAccount)} " " <a href=login_href>{tr(Key::SignInLink)}</a>
                    </p>
                </div>
            </main>
        }
        .into_any();
    }
    let feedback = ctx
        .feedback_for(FormId::Signup)
        .unwrap_or_else(|| FormFeedback::new(FormId::Signup));
    let (busy, set_busy) = signal(false);
    view! {
        <Title text=title />
        <main id="main" class="auth-page">
            <div class="auth-card">
                <p class="auth-brand">{tr(Key::ProductName)}</p>
                <h1>{tr(Key::SignUpTitle)}</h1>
                <p class="lead">{tr(Key::SignUpIntro)}</p>
                <ErrorSummary
                    field_errors=feedback.field_errors.clone()
                    form_error=feedback.form_error
                    retry_after_secs=feedback.retry_after_secs
                    reference=feedback.reference.clone()
                />
                <form
                    method="post"
                    action="/signup"
                    novalidate
                    on:submit=move |_| set_busy.set(true)
                >
                    <input type="hidden" name="next" value=next />
                    <TextField
                        name="username"
                        label=Key::UsernameLabel
                        help=Some(Key::UsernameHelp)
                        autocomplete="username"
                        value=feedback.value("username")
                        error=feedback.error("username")
                    />
                    <TextField
                        name="email"
                        label=Key::EmailLabel
                        input_type="email"
                        autocomplete="email"
                        value=feedback.value("email")
                        error=feedback.error("email")
                    />
                    <TextField
                        name="password"
                        label=Key::PasswordLabel
                        help=Some(Key::NewPasswordHelp)
                        input_type="password"
                        autocomplete="new-password"
                        error=feedback.error("password")
                    />
                    <SubmitButton label=Key::SignUpButton busy_label=Key::CreatingAccount busy=busy />
                </form>
                <p class="auth-switch">
                    {tr(Key::HaveAccount)} " " <a href=login_href>{tr(Key::SignInLink)}</a>
                </p>
            </div>
            <PrefsSwitcher />
        </main>
    }
    .into_any()
}
