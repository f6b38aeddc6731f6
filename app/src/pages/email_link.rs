//! The links mailed to an address: sign-up's, which creates the account (with the password
//! chosen on the form); an e-mail change's, which the new address confirms and the old address
//! can report; and "it was not me", after a new token, key or second-factor change. Opening a
//! link changes nothing (mail scanners open links); its button posts a plain form to the
//! server (`server/src/web/email_links.rs`), which works without JavaScript and without being
//! signed in. A link already used or expired says so as soon as it is opened.

use crate::components::{ErrorSummary, PrefsSwitcher, Problems, SubmitButton, TextField};
use crate::context::{page_title, tr, use_page_context, FormFeedback, FormId};
use crate::i18n::Key;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SignupConfirmPage() -> impl IntoView {
    view! {
        <LinkPage
            form=FormId::SignupConfirm
            action="/signup/confirm"
            title=Key::SignupConfirmTitle
            intro=Key::SignupConfirmIntro
            button=Key::SignupConfirmButton
            done=None
            back=(Key::SignUpAgain, "/signup")
            password=true
        />
    }
}

#[component]
pub fn EmailConfirmPage() -> impl IntoView {
    let done = use_query_map()
        .with_untracked(|q| q.get("done").is_some())
        .then_some(Key::EmailConfirmedNotice);
    view! {
        <LinkPage
            form=FormId::EmailConfirm
            action="/email/confirm"
            title=Key::EmailConfirmTitle
            intro=Key::EmailConfirmIntro
            button=Key::EmailConfirmButton
            done
            back=(Key::GoToAccount, "/account/authorization")
        />
    }
}

#[component]
pub fn SecurityReportPage() -> impl IntoView {
    let (done, also) = use_query_map().with_untracked(|q| {
        let also = if q.get("key").as_deref() == Some("removed") {
            Some(Key::SecurityReportKeyRemoved)
        } else if q.get("passkey").as_deref() == Some("removed") {
            Some(Key::SecurityReportPasskeyRemoved)
        } else {
            None
        };
        (q.get("done").is_some(), also)
    });
    view! {
        <LinkPage
            form=FormId::SecurityReport
            action="/security/report"
            title=Key::SecurityReportTitle
            intro=Key::SecurityReportIntro
            button=Key::SecurityReportButton
            done=done.then_some(Key::SecurityReportDone)
            also=also
            back=(Key::ResetPasswordLink, "/password/forgot")
        />
    }
}

#[component]
pub fn EmailReportPage() -> impl IntoView {
    let done = use_query_map().with_untracked(|q| match q.get("done").as_deref() {
        Some("cancelled") => Some(Key::EmailReportCancelled),
        Some("reverted") => Some(Key::EmailReportReverted),
        Some("signed-out") => Some(Key::EmailReportSignedOut),
        _ => None,
    });
    view! {
        <LinkPage
            form=FormId::EmailReport
            action="/email/report"
            title=Key::EmailReportTitle
            intro=Key::EmailReportIntro
            button=Key::EmailReportButton
            done
            back=(Key::GoToAccount, "/account/authorization")
        />
    }
}

/// A page with one button that uses the link's token; once used, what happened and where to go.
#[component]
fn LinkPage(
    form: FormId,
    action: &'static str,
    title: Key,
    intro: Key,
    button: Key,
    done: Option<Key>,
    /// A second sentence for the outcome.
    #[prop(default = None)]
    also: Option<Key>,
    /// Where a spent link sends the reader.
    back: (Key, &'static str),
    /// The form asks for the password chosen at sign-up.
    #[prop(optional)]
    password: bool,
) -> impl IntoView {
    let ctx = use_page_context();
    let feedback = ctx.feedback_for(form).unwrap_or_else(|| FormFeedback::new(form));
    // A refused form is rendered again without its query: the token comes back from the form.
    let token = use_query_map()
        .with_untracked(|q| q.get("token"))
        .unwrap_or_else(|| feedback.value("token"));
    // These two refusals are final: the button would only be refused again.
    let spent = matches!(
        feedback.form_error,
        Some(Key::ErrEmailLinkUnusable)
            | Some(Key::ErrEmailTakenMeanwhile)
            | Some(Key::ErrUsernameTakenMeanwhile)
            | Some(Key::ErrAccountExistsSignIn)
    );
    let (busy, set_busy) = signal(false);
    let problems = Problems::from_feedback(&feedback);
    // After "it was not me", the next step is a new password.
    let reported = matches!(form, FormId::EmailReport | FormId::SecurityReport);
    let to_account = move || view! { <p class="auth-switch"><a href=back.1>{tr(back.0)}</a></p> };
    let body = match done {
        Some(outcome) => view! {
            <p class="notice" role="status">{tr(outcome)} {also.map(|k| view! { " " {tr(k)} })}</p>
            {if reported {
                view! { <p class="auth-switch"><a href="/password/forgot">{tr(Key::ResetPasswordLink)}</a></p> }.into_any()
            } else {
                to_account().into_any()
            }}
        }
        .into_any(),
        None if token.is_empty() => view! {
            <p class="notice notice-warning" role="alert">{tr(Key::ErrEmailLinkUnusable)}</p>
            {to_account()}
        }
        .into_any(),
        None if spent => to_account().into_any(),
        None => view! {
            <p class="lead">{tr(intro)}</p>
            <form method="post" action=action novalidate on:submit=move |_| set_busy.set(true)>
                <input type="hidden" name="token" value=token />
                {password.then(|| view! {
                    <TextField
                        name="password"
                        label=Key::SignupPasswordLabel
                        input_type="password"
                        autocomplete="current-password"
                        error=feedback.error("password")
                    />
                })}
                <SubmitButton label=button busy_label=Key::Saving busy=busy />
            </form>
        }
        .into_any(),
    };
    view! {
        <Title text=page_title(title) />
        <main id="main" class="auth-page">
            <div class="auth-card">
                <p class="auth-brand">{tr(Key::ProductName)}</p>
                <h1>{tr(title)}</h1>
                <ErrorSummary problems=Signal::stored(problems) />
                {body}
            </div>
            <PrefsSwitcher />
        </main>
    }
}
