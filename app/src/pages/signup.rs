use crate::api::legal::signup_documents;
use crate::components::{ErrorSummary, PrefsSwitcher, Problems, SubmitButton, TextField};
use crate::context::{page_title, tr, use_lang, use_page_context, FormFeedback, FormId};
use crate::i18n::Key;
use crate::model::DocumentSummary;
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
    if !ctx.signup_open {
        return view! {
            <Title text=page_title(Key::SignUpTitle) />
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
    if use_query_map().with_untracked(|q| q.get("sent").is_some()) && !feedback.has_errors() {
        return view! {
            <Title text=page_title(Key::SignupSentTitle) />
            <main id="main" class="auth-page">
                <div class="auth-card">
                    <p class="auth-brand">{tr(Key::ProductName)}</p>
                    <h1>{tr(Key::SignupSentTitle)}</h1>
                    <p class="notice" role="status">{tr(Key::SignupSentNotice)}</p>
                    <p class="muted">{tr(Key::SignupSentHelp)}</p>
                    <p class="auth-switch">
                        {tr(Key::HaveAccount)} " " <a href="/login">{tr(Key::SignInLink)}</a>
                    </p>
                </div>
                <PrefsSwitcher />
            </main>
        }
        .into_any();
    }
    let documents = Resource::new(|| (), |_| signup_documents());
    let (busy, set_busy) = signal(false);
    let accept_error = feedback.error("accept");
    view! {
        <Title text=page_title(Key::SignUpTitle) />
        <main id="main" class="auth-page">
            <div class="auth-card">
                <p class="auth-brand">{tr(Key::ProductName)}</p>
                <h1>{tr(Key::SignUpTitle)}</h1>
                <p class="lead">{tr(Key::SignUpIntro)}</p>
                <ErrorSummary problems=Signal::stored(Problems::from_feedback(&feedback)) />
                <form
                    method="post"
                    action="/signup"
                    novalidate
                    on:submit=move |_| set_busy.set(true)
                >
                    <input type="hidden" name="next" value=next />
                    <input type="hidden" name="time_zone" value="" node_ref=browser_time_zone() />
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
                    <Suspense>
                        {move || Suspend::new(async move {
                            let docs = documents.await.unwrap_or_default();
                            (!docs.is_empty()).then(|| view! { <AcceptDocuments docs error=accept_error /> })
                        })}
                    </Suspense>
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

/// The checkbox accepting the current required documents, each linked (opening in a new tab
/// so nothing typed is lost). The ids say which versions were shown: if a new one is published
/// meanwhile, the server asks again.
#[component]
fn AcceptDocuments(docs: Vec<DocumentSummary>, error: Option<Key>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="field field-checkbox" class:field-invalid=error.is_some()>
            {docs
                .iter()
                .map(|d| view! { <input type="hidden" name="documents" value=d.id.clone() /> })
                .collect_view()}
            <input
                type="checkbox"
                id="field-accept"
                name="accept"
                value="yes"
                aria-invalid=error.map(|_| "true")
                aria-describedby=error.map(|_| "field-accept-error")
            />
            <label for="field-accept">
                {tr(Key::AcceptDocumentsLabel)} " "
                {docs
                    .iter()
                    .enumerate()
                    .map(|(i, d)| {
                        let kind = d.kind;
                        view! {
                            {(i > 0).then_some(", ")}
                            <a href=kind.path(None) target="_blank" rel="noopener">
                                {move || kind.name().text(lang.get())}
                            </a>
                        }
                    })
                    .collect_view()}
            </label>
            {error
                .map(|e| {
                    view! {
                        <p class="field-error" id="field-accept-error">
                            <span class="field-error-icon" aria-hidden="true">"!"</span>
                            {tr(e)}
                        </p>
                    }
                })}
        </div>
    }
}

/// Fills the hidden `time_zone` field with the browser's zone once hydrated, so a new account
/// starts in the right time zone (without JavaScript it starts in UTC, changeable later).
fn browser_time_zone() -> NodeRef<leptos::html::Input> {
    let input = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if let (Some(input), Some(zone)) = (input.get(), crate::browser::time_zone()) {
            input.set_value(&zone);
        }
    });
    input
}
