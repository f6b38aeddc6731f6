//! The SSH keys tab: the account's public keys, adding one (pasted, or read from a chosen
//! `.pub` file once the page is hydrated) and removing one after a confirmation. Both need the
//! re-authentication window, shown at the top.

use super::loaded_tab;
use super::reauth_card::ReauthCard;
use crate::api::keys::{load_keys, AddKey, LoadKeys, RemoveKey};
use crate::components::{
    focus_on_success, Confirm, DateTime, ErrorSummary, Problems, StatusNotice, SubmitButton, TextArea, TextField,
};
use crate::context::{tr, use_lang};
use crate::error::AppError;
use crate::flash::{form_outcome, typed_or};
use crate::i18n::Key;
use crate::model::{AuthChanged, KeysOverview, SshKeyView};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::{lazy_route, LazyRoute};

/// Public key files are a few hundred bytes; RSA 16384 stays under 3 KiB.
const MAX_KEY_FILE_BYTES: f64 = 16.0 * 1024.0;

/// The SSH keys tab, a lazily loaded route: its code, its data's types and the call that loads
/// them are a WASM chunk of their own, fetched when the tab is first shown or its link is
/// hovered or focused (so the click rarely waits for it).
pub struct KeysRoute;

#[lazy_route]
impl LazyRoute for KeysRoute {
    fn data() -> Self {
        KeysRoute
    }

    fn view(_this: Self) -> AnyView {
        loaded_tab(Key::TabSshKeys, load_keys, |initial| {
            view! { <KeysSections initial /> }.into_any()
        })
    }
}

#[component]
fn KeysSections(initial: KeysOverview) -> impl IntoView {
    let overview = RwSignal::new(initial);
    let reload = ServerAction::<LoadKeys>::new();
    Effect::new(move |_| {
        if let Some(Ok(fresh)) = reload.value().get() {
            overview.set(fresh);
        }
    });
    let on_done = Callback::new(move |_| {
        reload.dispatch(LoadKeys {});
    });
    let add = ServerAction::<AddKey>::new();
    let remove = ServerAction::<RemoveKey>::new();
    let added = form_outcome(add);
    let removed = form_outcome(remove);
    for action_done in [add.value(), remove.value()] {
        Effect::new(move |_| {
            if action_done.with(|v| matches!(v, Some(Ok(_)) | Some(Err(AppError::ReauthRequired)))) {
                on_done.run(());
            }
        });
    }
    let last = RwSignal::new(added.get_untracked().or_else(|| removed.get_untracked()));
    for outcome in [added, removed] {
        Effect::new(move |_| {
            if let Some(o) = outcome.get() {
                last.set(Some(o));
            }
        });
    }
    // The removed key's row goes away with the button: focus goes to the confirmation.
    focus_on_success(remove, "keys-status");
    // "Confirm it's you first" no longer applies once the user has.
    Effect::new(move |_| {
        if overview.with(|o| o.reauth_until.is_some())
            && last.with_untracked(|l| matches!(l, Some(Err(AppError::ReauthRequired))))
        {
            last.set(None);
        }
    });
    let last: Signal<Option<Result<AuthChanged, AppError>>> = last.into();
    let lang = use_lang();
    let notice = Signal::derive(move || match last.get() {
        Some(Ok(changed)) => Some(changed.what.text(lang.get()).to_string()),
        _ => None,
    });
    let problems = Signal::derive(move || Problems::of(&last.get()));
    let field = move |name: &'static str| {
        Signal::derive(move || added.with(|o| o.as_ref().and_then(|r| r.as_ref().err()).and_then(|e| e.field(name))))
    };
    // A key that was added empties the form; a refused one keeps what was pasted. A chosen
    // file fills the text area the same way.
    let clear = RwSignal::new(None::<String>);
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let file_refused = RwSignal::new(false);
    let on_file = move |ev| {
        file_refused.set(false);
        crate::browser::read_chosen_file(ev, MAX_KEY_FILE_BYTES, move |text| match text {
            Some(text) => clear.set(Some(text.trim().to_string())),
            None => file_refused.set(true),
        });
    };
    Effect::new(move |_| {
        if let Some(Ok(_)) = added.get() {
            clear.set(Some(String::new()));
        }
    });
    let keys = Memo::new(move |_| overview.with(|o| o.keys.clone()));
    let until = Signal::derive(move || overview.with(|o| o.reauth_until));
    let two_factor_on = Signal::derive(move || overview.with(|o| o.two_factor_on));
    let passkeys = Signal::derive(move || overview.with(|o| o.has_passkeys));
    view! {
        <p class="card-intro">{tr(Key::KeysIntro)}</p>
        <ReauthCard until two_factor_on on_done passkeys />
        <section class="card" id="keys" aria-labelledby="keys-heading">
            <h2 id="keys-heading">{tr(Key::KeysListHeading)}</h2>
            <ErrorSummary problems />
            <StatusNotice text=notice id="keys-status" />
            <Show
                when=move || keys.with(|k| !k.is_empty())
                fallback=|| view! { <p class="empty-state" data-testid="no-keys">{tr(Key::NoKeys)}</p> }
            >
                <ul class="item-list" data-testid="keys">
                    <For each=move || keys.get() key=|k| k.id.clone() let:key>
                        <KeyItem key action=remove />
                    </For>
                </ul>
            </Show>
        </section>
        <section class="card" id="add-key" aria-labelledby="add-key-heading">
            <h2 id="add-key-heading">{tr(Key::AddKeyHeading)}</h2>
            <Show when=move || until.with(Option::is_none)>
                <p class="muted">{tr(Key::NeedsReauthKeys)}</p>
            </Show>
            <ActionForm action=add attr:novalidate=true>
                <TextField
                    name="key_name"
                    label=Key::NameLabel
                    autocomplete="off"
                    help=Some(Key::KeyNameHelp)
                    value=typed_or(AddKey::PATH, "key_name", "")
                    error=field("key_name")
                    reset=clear
                />
                <TextArea
                    name="key_content"
                    label=Key::KeyContentLabel
                    help=Some(Key::KeyContentHelp)
                    value=typed_or(AddKey::PATH, "key_content", "")
                    error=field("key_content")
                    reset=clear
                />
                // Without JavaScript a file input would send only the file's name: the picker
                // appears once the page can read the file itself.
                <Show when=move || hydrated.get()>
                    <div class="field">
                        <label for="key_file">{tr(Key::KeyFileLabel)}</label>
                        <input
                            id="key_file"
                            type="file"
                            accept=".pub,text/plain"
                            data-testid="key-file"
                            on:change=on_file
                        />
                        <Show when=move || file_refused.get()>
                            <p class="field-error" role="alert">{tr(Key::ErrKeyTooLong)}</p>
                        </Show>
                    </div>
                </Show>
                <div class="form-actions">
                    <SubmitButton label=Key::AddKeySubmit busy_label=Key::Adding busy=add.pending() />
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
fn KeyItem(key: SshKeyView, action: ServerAction<RemoveKey>) -> impl IntoView {
    let SshKeyView {
        id,
        name,
        algorithm,
        bits,
        fingerprint,
        comment,
        added,
    } = key;
    let has_comment = !comment.is_empty();
    view! {
        <li class="item" data-testid="key">
            <div class="item-main">
                <h3 class="item-title">{name.clone()}</h3>
                <dl class="facts">
                    <div>
                        <dt>{tr(Key::KeyTypeLabel)}</dt>
                        <dd>{format!("{algorithm} · {bits} bits")}</dd>
                    </div>
                    <div>
                        <dt>{tr(Key::KeyFingerprintLabel)}</dt>
                        <dd>
                            <code data-testid="fingerprint">{fingerprint}</code>
                        </dd>
                    </div>
                    {has_comment
                        .then(|| {
                            view! {
                                <div>
                                    <dt>{tr(Key::KeyCommentLabel)}</dt>
                                    <dd>{comment}</dd>
                                </div>
                            }
                        })}
                    <div>
                        <dt>{tr(Key::AddedOn)}</dt>
                        <dd>
                            <DateTime stamp=added />
                        </dd>
                    </div>
                </dl>
            </div>
            <Confirm action=Key::RemoveKey subject=name warning=Key::RemoveKeyWarning>
                <ActionForm action>
                    <input type="hidden" name="key" value=id />
                    <SubmitButton
                        label=Key::RemoveKeyConfirm
                        busy_label=Key::Removing
                        busy=action.pending()
                        class="button button-danger"
                    />
                </ActionForm>
            </Confirm>
        </li>
    }
}
