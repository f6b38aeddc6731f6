//! Passkeys: the list (with "Remove", which works without JavaScript) and "Add a passkey",
//! which opens the browser's prompt and so needs JavaScript; without it the section says so.

use super::{changed_notice, reload_after, use_auth};
use crate::api::passkeys::{begin_passkey_registration, finish_passkey_registration, RemovePasskey, RenamePasskey};
use crate::components::{
    focus_by_id, Confirm, DateTime, ErrorSummary, Problems, StatusNotice, SubmitButton, TextField,
};
use crate::context::tr;
use crate::error::AppError;
use crate::flash::form_outcome;
use crate::i18n::Key;
use crate::model::{AuthChanged, PasskeyView};
use leptos::prelude::*;

#[component]
pub fn PasskeysSection() -> impl IntoView {
    let auth = use_auth();
    let remove = ServerAction::<RemovePasskey>::new();
    let rename = ServerAction::<RenamePasskey>::new();
    let removed = form_outcome(remove);
    let renamed = form_outcome(rename);
    reload_after(remove, auth);
    reload_after(rename, auth);
    // The outcome of adding (a prompt and two calls, not one form post).
    let added = RwSignal::new(None::<Result<AuthChanged, AppError>>);
    let last = RwSignal::new(removed.get_untracked().or_else(|| renamed.get_untracked()));
    Effect::new(move |_| {
        if let Some(o) = removed.get() {
            last.set(Some(o));
        }
    });
    Effect::new(move |_| {
        if let Some(o) = renamed.get() {
            last.set(Some(o));
        }
    });
    Effect::new(move |_| {
        if let Some(o) = added.get() {
            last.set(Some(o));
        }
    });
    Effect::new(move |_| {
        if last.with(|l| matches!(l, Some(Ok(_)))) {
            focus_by_id("passkeys-status");
        }
    });
    let last: Signal<Option<Result<AuthChanged, AppError>>> = last.into();
    let problems = Signal::derive(move || Problems::of(&last.get()));
    let list = Memo::new(move |_| auth.overview.with(|o| o.passkeys.list.clone()));
    let available = move || auth.overview.with(|o| o.passkeys.available);
    view! {
        <section class="card" id="passkeys" aria-labelledby="passkeys-heading">
            <h2 id="passkeys-heading">{tr(Key::PasskeysHeading)}</h2>
            <p class="card-intro">{tr(Key::PasskeysIntro)}</p>
            <ErrorSummary problems />
            <StatusNotice text=changed_notice(last) id="passkeys-status" />
            <Show
                when=move || list.with(|l| !l.is_empty())
                fallback=|| view! { <p class="empty-state" data-testid="no-passkeys">{tr(Key::NoPasskeys)}</p> }
            >
                <ul class="item-list" data-testid="passkeys">
                    <For each=move || list.get() key=|p| (p.id.clone(), p.name.clone()) let:passkey>
                        <PasskeyItem passkey remove rename />
                    </For>
                </ul>
            </Show>
            <Show
                when=available
                fallback=|| view! { <p class="muted">{tr(Key::PasskeysOff)}</p> }
            >
                <AddPasskey added />
            </Show>
        </section>
    }
}

/// The name field and the button that opens the prompt; shown once the page runs its script.
#[component]
fn AddPasskey(added: RwSignal<Option<Result<AuthChanged, AppError>>>) -> impl IntoView {
    let auth = use_auth();
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let busy = RwSignal::new(false);
    let clear = RwSignal::new(None::<String>);
    let name_error = Signal::derive(move || {
        added.with(|o| {
            o.as_ref()
                .and_then(|r| r.as_ref().err())
                .and_then(|e| e.field("passkey_name"))
        })
    });
    let window_closed = move || auth.overview.with(|o| o.reauth_until.is_none());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let typed = typed_value("field-passkey_name");
        busy.set(true);
        leptos::task::spawn_local(async move {
            let outcome = add_passkey(typed).await;
            if outcome.is_ok() {
                clear.set(Some(String::new()));
            }
            if matches!(outcome, Ok(_) | Err(AppError::ReauthRequired)) {
                auth.reload.run(());
            }
            added.set(Some(outcome));
            busy.set(false);
        });
    };
    view! {
        <Show
            when=move || hydrated.get()
            fallback=|| view! { <p class="notice" data-testid="passkeys-need-js">{tr(Key::PasskeysNeedJs)}</p> }
        >
            <Show
                when=crate::passkey_prompt::supported
                fallback=|| view! { <p class="notice">{tr(Key::PasskeysUnsupported)}</p> }
            >
                <Show when=window_closed>
                    <p class="muted">{tr(Key::NeedsReauthPasskeys)}</p>
                </Show>
                <form class="inline-form" novalidate on:submit=submit>
                    <TextField
                        name="passkey_name"
                        label=Key::NameLabel
                        autocomplete="off"
                        help=Some(Key::PasskeyNameHelp)
                        error=name_error
                        reset=clear
                    />
                    <div class="form-actions">
                        <SubmitButton
                            label=Key::AddPasskeySubmit
                            busy_label=Key::AddingPasskey
                            busy=Signal::from(busy)
                        />
                    </div>
                </form>
            </Show>
        </Show>
    }
}

/// What is in the input with this id now.
fn typed_value(id: &str) -> String {
    #[cfg(feature = "hydrate")]
    {
        use leptos::wasm_bindgen::JsCast;
        document()
            .get_element_by_id(id)
            .and_then(|el| el.dyn_into::<web_sys::HtmlInputElement>().ok())
            .map(|input| input.value())
            .unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = id;
        String::new()
    }
}

/// Asks the server for a challenge, the browser for a passkey, and the server to keep it.
async fn add_passkey(name: String) -> Result<AuthChanged, AppError> {
    // The name is checked before the prompt: no passkey made only to be refused for its name.
    if name.trim().is_empty() {
        return Err(AppError::invalid("passkey_name", Key::ErrRequired));
    }
    let ceremony = begin_passkey_registration().await?;
    let credential = crate::passkey_prompt::create(&ceremony.options)
        .await
        .map_err(|e| AppError::Conflict(e.key()))?;
    finish_passkey_registration(ceremony.ceremony, name, credential).await
}

#[component]
fn PasskeyItem(
    passkey: PasskeyView,
    remove: ServerAction<RemovePasskey>,
    rename: ServerAction<RenamePasskey>,
) -> impl IntoView {
    let PasskeyView {
        id,
        name,
        kind,
        created,
        last_used,
    } = passkey;
    let rename_id = id.clone();
    let rename_subject = name.clone();
    let rename_value = name.clone();
    let field_id = format!("passkey-name-{id}");
    view! {
        <li class="item" data-testid="passkey">
            <div class="item-main">
                <h3 class="item-title">{name.clone()}</h3>
                <dl class="facts">
                    {kind
                        .map(|kind| {
                            view! {
                                <div>
                                    <dt>{tr(Key::PasskeyKindLabel)}</dt>
                                    <dd>{tr(kind)}</dd>
                                </div>
                            }
                        })}
                    <div>
                        <dt>{tr(Key::CreatedOn)}</dt>
                        <dd>
                            <DateTime stamp=created />
                        </dd>
                    </div>
                    <div>
                        <dt>{tr(Key::LastUsed)}</dt>
                        <dd>
                            {match last_used {
                                Some(stamp) => view! { <DateTime stamp with_time=true /> }.into_any(),
                                None => tr(Key::NeverUsed).into_any(),
                            }}
                        </dd>
                    </div>
                </dl>
            </div>
            <div class="button-row">
                <details class="confirm" data-dismiss>
                    <summary class="button button-small button-secondary">
                        {tr(Key::RenamePasskey)} <span class="visually-hidden">" " {rename_subject}</span>
                    </summary>
                    <div class="confirm-box">
                        <ActionForm action=rename attr:novalidate=true>
                            <input type="hidden" name="id" value=rename_id />
                            <div class="field">
                                <label for=field_id.clone()>{tr(Key::NameLabel)}</label>
                                <input
                                    id=field_id
                                    name="passkey_name"
                                    value=rename_value
                                    autocomplete="off"
                                    maxlength="100"
                                    required
                                />
                            </div>
                            <SubmitButton
                                label=Key::RenamePasskeySubmit
                                busy_label=Key::Saving
                                busy=rename.pending()
                                class="button button-primary"
                            />
                        </ActionForm>
                    </div>
                </details>
                <Confirm action=Key::RemovePasskey subject=name warning=Key::RemovePasskeyWarning>
                    <ActionForm action=remove>
                        <input type="hidden" name="id" value=id />
                        <SubmitButton
                            label=Key::RemovePasskeyConfirm
                            busy_label=Key::Removing
                            busy=remove.pending()
                            class="button button-danger"
                        />
                    </ActionForm>
                </Confirm>
            </div>
        </li>
    }
}
