//! The API tokens tab: the account's tokens, creating one (its secret shown once), renewing and
//! revoking after a confirmation. Creating and renewing need the re-authentication window.

use super::loaded_tab;
use super::reauth_card::ReauthCard;
use super::token_access::{AccessChoice, AccessFact};
use crate::api::tokens::{load_tokens, CreateToken, LoadTokens, RenewToken, RevokeToken};
use crate::components::{
    focus_on_success, Confirm, DateTime, ErrorSummary, Problems, StatusNotice, SubmitButton, TextField,
};
use crate::context::{tr, use_lang};
use crate::error::AppError;
use crate::flash::{form_outcome, typed_or};
use crate::i18n::Key;
use crate::model::{TokenExpiry, TokenSecret, TokenView, TokensOverview};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::{lazy_route, LazyRoute};

/// The API tokens tab, a lazily loaded route: its code, its data's types and the call that loads
/// them are a WASM chunk of their own, fetched when the tab is first shown or its link is
/// hovered or focused (so the click rarely waits for it).
pub struct TokensRoute;

#[lazy_route]
impl LazyRoute for TokensRoute {
    fn data() -> Self {
        TokensRoute
    }

    fn view(_this: Self) -> AnyView {
        loaded_tab(Key::TabApiTokens, load_tokens, |initial| {
            view! { <TokensSections initial /> }.into_any()
        })
    }
}

/// What the last form said: a new secret, a confirmation, or a refusal.
#[derive(Clone)]
enum Outcome {
    Secret(TokenSecret),
    Revoked(Key),
    Refused(AppError),
}

fn outcome_of<T>(result: Result<T, AppError>, ok: impl Fn(T) -> Outcome) -> Outcome {
    match result {
        Ok(value) => ok(value),
        Err(error) => Outcome::Refused(error),
    }
}

#[component]
fn TokensSections(initial: TokensOverview) -> impl IntoView {
    let overview = RwSignal::new(initial);
    let reload = ServerAction::<LoadTokens>::new();
    Effect::new(move |_| {
        if let Some(Ok(fresh)) = reload.value().get() {
            overview.set(fresh);
        }
    });
    let on_done = Callback::new(move |_| {
        reload.dispatch(LoadTokens {});
    });
    let create = ServerAction::<CreateToken>::new();
    let renew = ServerAction::<RenewToken>::new();
    let revoke = ServerAction::<RevokeToken>::new();
    let created = form_outcome(create);
    let renewed = form_outcome(renew);
    let revoked = form_outcome(revoke);
    let secret = |r: Result<TokenSecret, AppError>| outcome_of(r, Outcome::Secret);
    let gone = |r: Result<crate::model::AuthChanged, AppError>| outcome_of(r, |c| Outcome::Revoked(c.what));
    let last = RwSignal::new(
        created
            .get_untracked()
            .map(secret)
            .or_else(|| renewed.get_untracked().map(secret))
            .or_else(|| revoked.get_untracked().map(gone)),
    );
    Effect::new(move |_| {
        if let Some(o) = created.get() {
            last.set(Some(secret(o)));
        }
    });
    Effect::new(move |_| {
        if let Some(o) = renewed.get() {
            last.set(Some(secret(o)));
        }
    });
    Effect::new(move |_| {
        if let Some(o) = revoked.get() {
            last.set(Some(gone(o)));
        }
    });
    Effect::new(move |_| {
        if last.with(|l| {
            matches!(
                l,
                Some(Outcome::Secret(_) | Outcome::Revoked(_)) | Some(Outcome::Refused(AppError::ReauthRequired))
            )
        }) {
            on_done.run(());
        }
    });
    // A new secret is shown once, at the top of the tab: bring it into view (a phone may be
    // a screen or two below) and focus it. A revoked token's row goes with its button.
    focus_on_success(create, "token-secret");
    focus_on_success(renew, "token-secret");
    focus_on_success(revoke, "tokens-status");
    // "Confirm it's you first" no longer applies once the user has.
    Effect::new(move |_| {
        if overview.with(|o| o.reauth_until.is_some())
            && last.with_untracked(|l| matches!(l, Some(Outcome::Refused(AppError::ReauthRequired))))
        {
            last.set(None);
        }
    });
    let lang = use_lang();
    let problems = Signal::derive(move || match last.get() {
        Some(Outcome::Refused(error)) => Problems::from_error(&error),
        _ => Problems::default(),
    });
    let notice = Signal::derive(move || match last.get() {
        Some(Outcome::Revoked(what)) => Some(what.text(lang.get()).to_string()),
        Some(Outcome::Secret(s)) => Some(s.what.text(lang.get()).to_string()),
        _ => None,
    });
    let new_secret = Signal::derive(move || match last.get() {
        Some(Outcome::Secret(s)) => Some(s),
        _ => None,
    });
    let field = move |name: &'static str| {
        Signal::derive(move || created.with(|o| o.as_ref().and_then(|r| r.as_ref().err()).and_then(|e| e.field(name))))
    };
    let clear = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if let Some(Ok(_)) = created.get() {
            clear.set(Some(String::new()));
        }
    });
    let tokens = Memo::new(move |_| overview.with(|o| o.tokens.clone()));
    let until = Signal::derive(move || overview.with(|o| o.reauth_until));
    let two_factor_on = Signal::derive(move || overview.with(|o| o.two_factor_on));
    let passkeys = Signal::derive(move || overview.with(|o| o.has_passkeys));
    let typed_expiry = typed_or(CreateToken::PATH, "expiry", "never");
    view! {
        <p class="card-intro">{tr(Key::TokensIntro)}</p>
        <ReauthCard until two_factor_on on_done passkeys />
        {move || new_secret.get().map(|s| view! { <SecretBox secret=s /> })}
        <section class="card" id="tokens" aria-labelledby="tokens-heading">
            <h2 id="tokens-heading">{tr(Key::TokensListHeading)}</h2>
            <ErrorSummary problems />
            <StatusNotice text=notice id="tokens-status" />
            <Show
                when=move || tokens.with(|t| !t.is_empty())
                fallback=|| view! { <p class="empty-state" data-testid="no-tokens">{tr(Key::NoTokens)}</p> }
            >
                <ul class="item-list" data-testid="tokens">
                    <For each=move || tokens.get() key=|t| (t.id.clone(), t.hint.clone()) let:token>
                        <TokenItem token renew revoke />
                    </For>
                </ul>
            </Show>
        </section>
        <section class="card" id="new-token" aria-labelledby="new-token-heading">
            <h2 id="new-token-heading">{tr(Key::NewTokenHeading)}</h2>
            <Show when=move || until.with(Option::is_none)>
                <p class="muted">{tr(Key::NeedsReauthTokens)}</p>
            </Show>
            <ActionForm action=create attr:novalidate=true>
                <TextField
                    name="name"
                    label=Key::NameLabel
                    autocomplete="off"
                    help=Some(Key::TokenNameHelp)
                    value=typed_or(CreateToken::PATH, "name", "")
                    error=field("name")
                    reset=clear
                />
                <div class="field" class:field-invalid=move || field("expiry").get().is_some()>
                    <label for="field-expiry">{tr(Key::TokenExpiryLabel)}</label>
                    <select id="field-expiry" name="expiry">
                        {TokenExpiry::CHOICES
                            .into_iter()
                            .map(|(value, label)| {
                                let selected = typed_expiry == value;
                                view! {
                                    <option value=value selected=selected>
                                        {tr(label)}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
                <TextField
                    name="expiry_date"
                    label=Key::TokenExpiryDateLabel
                    input_type="date"
                    autocomplete="off"
                    help=Some(Key::TokenExpiryDateHelp)
                    value=typed_or(CreateToken::PATH, "expiry_date", "")
                    error=field("expiry_date")
                    optional=true
                />
                <AccessChoice
                    error=Signal::derive(move || field("scopes").get().or_else(|| field("access").get()))
                    reset=clear
                />
                <div class="form-actions">
                    <SubmitButton label=Key::CreateTokenSubmit busy_label=Key::Creating busy=create.pending() />
                </div>
            </ActionForm>
        </section>
    }
}

/// The new secret, once, with a copy button (with JavaScript) and the warning.
#[component]
fn SecretBox(secret: TokenSecret) -> impl IntoView {
    let copied = RwSignal::new(false);
    let value = secret.secret.clone();
    let copy = move |_| {
        #[cfg(feature = "hydrate")]
        {
            if let Some(window) = web_sys::window() {
                let _ = window.navigator().clipboard().write_text(&value);
                copied.set(true);
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = &value;
    };
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    view! {
        <section
            class="card secret-box"
            id="token-secret"
            tabindex="-1"
            aria-labelledby="secret-heading"
            data-testid="token-secret"
        >
            <h2 id="secret-heading">{tr(Key::TokenSecretHeading)} " · " {secret.name}</h2>
            <p class="notice notice-warning">{tr(Key::TokenSecretWarning)}</p>
            <p>
                <code class="secret" data-testid="secret-value">{secret.secret}</code>
            </p>
            <Show when=move || hydrated.get()>
                <button type="button" class="button button-secondary" on:click=copy.clone()>
                    {tr(Key::CopyButton)}
                </button>
                <span role="status" class="muted">
                    {move || copied.get().then(|| tr(Key::CopiedNotice))}
                </span>
            </Show>
        </section>
    }
}

#[component]
fn TokenItem(token: TokenView, renew: ServerAction<RenewToken>, revoke: ServerAction<RevokeToken>) -> impl IntoView {
    let TokenView {
        id,
        name,
        hint,
        created,
        last_used,
        expires,
        expired,
        scopes,
    } = token;
    let renew_id = id.clone();
    view! {
        <li class="item" data-testid="token">
            <div class="item-main">
                <h3 class="item-title">
                    {name.clone()}
                    {expired.then(|| view! { " " <span class="badge badge-warning">{tr(Key::ExpiredBadge)}</span> })}
                </h3>
                <dl class="facts">
                    <div>
                        <dt>{tr(Key::TokenEndsWith)}</dt>
                        <dd>
                            <code>"…" {hint}</code>
                        </dd>
                    </div>
                    <div>
                        <dt>{tr(Key::TokenAccessLegend)}</dt>
                        <dd>
                            <AccessFact scopes />
                        </dd>
                    </div>
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
                    <div>
                        <dt>{tr(Key::ExpiresOn)}</dt>
                        <dd>
                            {match expires {
                                Some(stamp) => view! { <DateTime stamp /> }.into_any(),
                                None => tr(Key::ExpiryNever).into_any(),
                            }}
                        </dd>
                    </div>
                </dl>
            </div>
            <div class="button-row">
                <Confirm action=Key::RenewToken subject=name.clone() warning=Key::RenewTokenWarning>
                    <ActionForm action=renew>
                        <input type="hidden" name="id" value=renew_id />
                        <SubmitButton
                            label=Key::RenewTokenConfirm
                            busy_label=Key::Saving
                            busy=renew.pending()
                            class="button button-primary"
                        />
                    </ActionForm>
                </Confirm>
                <Confirm action=Key::RevokeToken subject=name warning=Key::RevokeTokenWarning>
                    <ActionForm action=revoke>
                        <input type="hidden" name="id" value=id />
                        <SubmitButton
                            label=Key::RevokeTokenConfirm
                            busy_label=Key::Removing
                            busy=revoke.pending()
                            class="button button-danger"
                        />
                    </ActionForm>
                </Confirm>
            </div>
        </li>
    }
}
