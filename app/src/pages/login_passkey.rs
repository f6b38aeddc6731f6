//! "Sign in with a passkey" under the sign-in form, and "Use a passkey instead" under the code
//! form: with JavaScript only (the browser's prompt has no form). The server's `…/begin` and
//! `…/finish` do the checking and set the session cookie; this asks the browser for the
//! passkey in between and then goes where the server says (a full load: the page changes from
//! signed out to signed in).

use crate::context::tr;
use crate::i18n::Key;
use crate::passkey_prompt::{self, PromptError};
use leptos::prelude::*;
use serde_json::{json, Value};

#[component]
pub fn PasskeySignIn(
    next: String,
    /// `/login/passkey` (a passkey alone) or `/login/code/passkey` (instead of the code).
    path: &'static str,
    label: Key,
) -> impl IntoView {
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(passkey_prompt::supported()));
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let next = StoredValue::new(next);
    let lang = crate::context::use_lang();
    let start = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            match sign_in(path, next.get_value(), lang.get_untracked()).await {
                Ok(to) => go_to(&to),
                Err(message) => {
                    error.set(Some(message));
                    busy.set(false);
                    crate::components::focus_by_id("passkey-error");
                }
            }
        });
    };
    view! {
        <Show when=move || hydrated.get()>
            <div class="passkey-sign-in">
                <p class="or-divider" aria-hidden="true">
                    <span>"·"</span>
                </p>
                <button
                    type="button"
                    class="button button-secondary button-block"
                    on:click=start
                    aria-busy=move || busy.get().then_some("true")
                    data-testid="passkey-sign-in"
                >
                    {move || if busy.get() { tr(Key::AddingPasskey) } else { tr(label) }}
                </button>
                {move || {
                    error
                        .get()
                        .map(|message| {
                            view! {
                                <p id="passkey-error" class="field-error" role="alert" tabindex="-1">
                                    {message}
                                </p>
                            }
                        })
                }}
            </div>
        </Show>
    }
}

/// The whole ceremony; where to go, or the sentence to show.
async fn sign_in(path: &str, next: String, lang: crate::i18n::Lang) -> Result<String, String> {
    let text = |key: Key| key.text(lang).to_string();
    let prompt_error = |e: PromptError| text(e.key());
    let (status, body) = passkey_prompt::post_json(&format!("{path}/begin"), "{}")
        .await
        .map_err(prompt_error)?;
    let begun: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
    if status != 200 {
        return Err(server_error(&begun).unwrap_or_else(|| text(Key::ErrInternalNoReference)));
    }
    let options = begun["options"].to_string();
    let ceremony = begun["ceremony"].as_str().unwrap_or_default().to_string();
    let credential = passkey_prompt::get(&options).await.map_err(prompt_error)?;
    let credential: Value = serde_json::from_str(&credential).unwrap_or(Value::Null);
    let answer = json!({ "ceremony": ceremony, "credential": credential, "next": next }).to_string();
    let (status, body) = passkey_prompt::post_json(&format!("{path}/finish"), &answer)
        .await
        .map_err(prompt_error)?;
    let finished: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
    match (status, finished["redirect"].as_str()) {
        (200, Some(to)) => Ok(to.to_string()),
        _ => Err(server_error(&finished).unwrap_or_else(|| text(Key::ErrInternalNoReference))),
    }
}

fn server_error(body: &Value) -> Option<String> {
    body["error"].as_str().map(str::to_string)
}

fn go_to(to: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(window) = web_sys::window() {
        let _ = window.location().assign(to);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = to;
}
