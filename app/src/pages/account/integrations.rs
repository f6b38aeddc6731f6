//! The SCM integrations tab: GitHub and GitLab (cloud, through their own sign-in page) and
//! their self-hosted servers (address and personal token), one row per type; importing a
//! connected account's SSH keys (needs the re-authentication window) and disconnecting (asks
//! first).

use super::loaded_tab;
use super::reauth_card::ReauthCard;
use crate::api::scm::{
    load_integrations, ConnectSelfHosted, DisconnectIntegration, ImportKeys, LoadIntegrations, CONNECT_OUTCOME,
};
use crate::components::{
    focus_on_success, Confirm, DateTime, ErrorSummary, Problems, StatusNotice, SubmitButton, TextField,
};
use crate::context::{tr, use_lang};
use crate::error::AppError;
use crate::flash::{flash_for, form_outcome, typed_or, FlashOutcome};
use crate::i18n::Key;
use crate::model::{IntegrationView, ProviderRow, ScmOverview, ScmType};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::{lazy_route, LazyRoute};

/// The SCM integrations tab, a lazily loaded route (its own WASM chunk, like every tab).
pub struct IntegrationsRoute;

#[lazy_route]
impl LazyRoute for IntegrationsRoute {
    fn data() -> Self {
        IntegrationsRoute
    }

    fn view(_this: Self) -> AnyView {
        loaded_tab(Key::TabIntegrations, load_integrations, |initial| {
            view! { <IntegrationsSections initial /> }.into_any()
        })
    }
}

/// What the last action said: a notice, or problems for the error summary.
fn outcome_of<T>(o: &Option<Result<T, AppError>>) -> Option<Result<(), AppError>> {
    o.as_ref().map(|r| r.as_ref().map(|_| ()).map_err(Clone::clone))
}

#[component]
fn IntegrationsSections(initial: ScmOverview) -> impl IntoView {
    let overview = RwSignal::new(initial);
    let reload = ServerAction::<LoadIntegrations>::new();
    Effect::new(move |_| {
        if let Some(Ok(fresh)) = reload.value().get() {
            overview.set(fresh);
        }
    });
    let on_done = Callback::new(move |_| {
        reload.dispatch(LoadIntegrations {});
    });
    let connect = ServerAction::<ConnectSelfHosted>::new();
    let disconnect = ServerAction::<DisconnectIntegration>::new();
    let import = ServerAction::<ImportKeys>::new();
    let connected = form_outcome(connect);
    let disconnected = form_outcome(disconnect);
    let imported = form_outcome(import);
    Effect::new(move |_| {
        let done = |v: Option<Result<(), AppError>>| matches!(v, Some(Ok(())) | Some(Err(AppError::ReauthRequired)));
        if done(outcome_of(&connected.get()))
            || done(outcome_of(&disconnected.get()))
            || done(outcome_of(&imported.get()))
        {
            on_done.run(());
        }
    });
    // The OAuth flow's outcome, brought back by the callback's redirect.
    let oauth = flash_for(CONNECT_OUTCOME).map(|f| match f.outcome {
        FlashOutcome::Ok(_) => Ok(()),
        FlashOutcome::Err(e) => Err(e),
    });
    // Without JavaScript the page is rendered after the post, from its flash: effects do not
    // run on the server, so the outcome is read here too.
    let last = RwSignal::new(
        oauth
            .or_else(|| outcome_of(&imported.get_untracked()))
            .or_else(|| outcome_of(&disconnected.get_untracked())),
    );
    let last_import = RwSignal::new(imported.get_untracked().and_then(Result::ok));
    for outcome in [
        Signal::derive(move || outcome_of(&disconnected.get())),
        Signal::derive(move || outcome_of(&imported.get())),
    ] {
        Effect::new(move |_| {
            if let Some(o) = outcome.get() {
                last.set(Some(o));
            }
        });
    }
    // The import summary belongs to the last import, until something else is done.
    Effect::new(move |_| {
        if let Some(outcome) = imported.get() {
            last_import.set(outcome.ok());
        }
    });
    Effect::new(move |_| {
        if disconnected.with(Option::is_some) {
            last_import.set(None);
        }
    });
    focus_on_success(disconnect, "scm-status");
    focus_on_success(import, "scm-status");
    let lang = use_lang();
    let notice = Signal::derive(move || match last.get() {
        Some(Ok(())) => Some(
            match (last_import.get(), disconnected.with(|d| matches!(d, Some(Ok(_))))) {
                (Some(done), _) if done.imported.is_empty() => Key::ScmImportedNone.text(lang.get()).to_string(),
                (Some(done), _) => format!("{} {}", Key::ScmImported.text(lang.get()), done.imported.join(", ")),
                (None, true) => Key::ScmDisconnectedNotice.text(lang.get()).to_string(),
                (None, false) => Key::ScmConnectedNotice.text(lang.get()).to_string(),
            },
        ),
        _ => None,
    });
    let problems =
        Signal::derive(move || last.with(|l| l.as_ref().map(|r| Problems::of(&Some(r.clone()))).unwrap_or_default()));
    let rows = Memo::new(move |_| overview.with(|o| o.rows.clone()));
    let until = Signal::derive(move || overview.with(|o| o.reauth_until));
    let two_factor_on = Signal::derive(move || overview.with(|o| o.two_factor_on));
    let passkeys = Signal::derive(move || overview.with(|o| o.has_passkeys));
    view! {
        <p class="card-intro">{tr(Key::ScmIntro)}</p>
        <ReauthCard until two_factor_on on_done passkeys />
        <section class="card" id="providers" aria-labelledby="providers-heading">
            <h2 id="providers-heading">{tr(Key::ScmProvidersHeading)}</h2>
            <ErrorSummary problems />
            <StatusNotice text=notice id="scm-status" />
            <Show when=move || last_import.with(|i| i.as_ref().is_some_and(|i| !i.skipped.is_empty()))>
                <div class="notice notice-warning" data-testid="scm-skipped">
                    <p>{tr(Key::ScmSkipped)}</p>
                    <ul>
                        {move || {
                            last_import
                                .get()
                                .map(|i| i.skipped)
                                .unwrap_or_default()
                                .into_iter()
                                .map(|(name, why)| view! { <li>{name} " — " {move || why.text(lang.get())}</li> })
                                .collect_view()
                        }}
                    </ul>
                </div>
            </Show>
            <Show when=move || until.with(Option::is_none)>
                <p class="muted">{tr(Key::NeedsReauthScm)}</p>
            </Show>
            <ul class="item-list" data-testid="providers">
                <For each=move || rows.get() key=|r| (r.scm_type.code(), r.integration.as_ref().map(|i| i.id.clone())) let:row>
                    <Provider row disconnect import />
                </For>
            </ul>
        </section>
        <SelfHostedForm action=connect />
    }
}

#[component]
fn Provider(
    row: ProviderRow,
    disconnect: ServerAction<DisconnectIntegration>,
    import: ServerAction<ImportKeys>,
) -> impl IntoView {
    let lang = use_lang();
    let scm_type = row.scm_type;
    let name = move || scm_type.name(lang.get());
    let body = match (row.integration, row.configured) {
        (Some(integration), _) => view! { <Connected integration disconnect import /> }.into_any(),
        (None, true) if scm_type.is_self_hosted() => view! {
            <p class="muted">{tr(Key::ScmNotConnected)}</p>
            <a class="button button-secondary button-small" href="#self-hosted">
                {tr(Key::ScmConnectLink)} <span class="visually-hidden">" " {name}</span>
            </a>
        }
        .into_any(),
        // `rel=external`: the browser leaves for the provider, the router must not catch it.
        (None, true) => view! {
            <p class="muted">{tr(Key::ScmNotConnected)}</p>
            <a
                class="button button-primary button-small"
                rel="external"
                href=format!("/account/integrations/{}/connect", scm_type.code())
            >
                {tr(Key::ScmConnectLink)} <span class="visually-hidden">" " {name}</span>
            </a>
        }
        .into_any(),
        (None, false) => {
            let prefix = if scm_type.is_github() {
                "VESTIBULE_GITHUB"
            } else {
                "VESTIBULE_GITLAB"
            };
            view! {
                <p class="muted" data-testid="not-configured">
                    {tr(Key::ScmNotConfiguredHint)} " " <code>{format!("{prefix}_CLIENT_ID")}</code> " / "
                    <code>{format!("{prefix}_CLIENT_SECRET")}</code> "."
                </p>
            }
            .into_any()
        }
    };
    view! {
        <li class="item" data-testid=format!("provider-{}", scm_type.code())>
            <div class="item-main">
                <h3 class="item-title">{name}</h3>
                {body}
            </div>
        </li>
    }
}

#[component]
fn Connected(
    integration: IntegrationView,
    disconnect: ServerAction<DisconnectIntegration>,
    import: ServerAction<ImportKeys>,
) -> impl IntoView {
    let lang = use_lang();
    let IntegrationView {
        id,
        scm_type,
        url,
        username,
        profile_url,
        connected,
    } = integration;
    let account = match profile_url {
        Some(href) => view! { <a href=href rel="external noopener noreferrer">{username.clone()}</a> }.into_any(),
        None => view! { <span>{username.clone()}</span> }.into_any(),
    };
    let subject = format!("{} ({username})", scm_type.name(lang.get_untracked()));
    let import_id = id.clone();
    view! {
        <dl class="facts">
            <div>
                <dt>{tr(Key::ScmConnectedAs)}</dt>
                <dd data-testid="scm-username">{account}</dd>
            </div>
            <div>
                <dt>{tr(Key::ScmServerLabel)}</dt>
                <dd>
                    <code>{url}</code>
                </dd>
            </div>
            <div>
                <dt>{tr(Key::ScmConnectedOn)}</dt>
                <dd>
                    <DateTime stamp=connected />
                </dd>
            </div>
        </dl>
        <div class="form-actions">
            <ActionForm action=import>
                <input type="hidden" name="integration" value=import_id />
                <SubmitButton
                    label=Key::ScmImportKeys
                    busy_label=Key::ScmImporting
                    busy=import.pending()
                    class="button button-secondary button-small"
                />
            </ActionForm>
            <Confirm action=Key::ScmDisconnect subject warning=Key::ScmDisconnectWarning>
                <ActionForm action=disconnect>
                    <input type="hidden" name="integration" value=id />
                    <SubmitButton
                        label=Key::ScmDisconnectConfirm
                        busy_label=Key::ScmDisconnecting
                        busy=disconnect.pending()
                        class="button button-danger"
                    />
                </ActionForm>
            </Confirm>
        </div>
    }
}

#[component]
fn SelfHostedForm(action: ServerAction<ConnectSelfHosted>) -> impl IntoView {
    let outcome = form_outcome(action);
    let lang = use_lang();
    let field = move |name: &'static str| {
        Signal::derive(move || outcome.with(|o| o.as_ref().and_then(|r| r.as_ref().err()).and_then(|e| e.field(name))))
    };
    let notice = Signal::derive(move || {
        matches!(outcome.get(), Some(Ok(_))).then(|| Key::ScmConnectedNotice.text(lang.get()).to_string())
    });
    let clear = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if let Some(Ok(_)) = outcome.get() {
            clear.set(Some(String::new()));
        }
    });
    focus_on_success(action, "self-hosted-status");
    let typed_type = typed_or(ConnectSelfHosted::PATH, "scm_type", ScmType::GitlabSelfHosted.code());
    view! {
        <section class="card" id="self-hosted" aria-labelledby="self-hosted-heading">
            <h2 id="self-hosted-heading">{tr(Key::ScmSelfHostedHeading)}</h2>
            <p class="card-intro">{tr(Key::ScmSelfHostedIntro)}</p>
            <ErrorSummary problems=Signal::derive(move || Problems::of(&outcome.get())) />
            <ActionForm action attr:novalidate=true>
                <div class="field" class:field-invalid=move || field("scm_type").get().is_some()>
                    <label for="field-scm_type">{tr(Key::ScmTypeLabel)}</label>
                    <select
                        id="field-scm_type"
                        name="scm_type"
                        aria-invalid=move || field("scm_type").get().map(|_| "true")
                        aria-describedby=move || field("scm_type").get().map(|_| "field-scm_type-error")
                    >
                        {[ScmType::GitlabSelfHosted, ScmType::GithubEnterprise]
                            .into_iter()
                            .map(|t| {
                                view! {
                                    <option value=t.code() selected=typed_type == t.code()>
                                        {move || t.name(lang.get())}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                    {move || {
                        field("scm_type")
                            .get()
                            .map(|e| {
                                view! {
                                    <p class="field-error" id="field-scm_type-error">
                                        <span class="field-error-icon" aria-hidden="true">"!"</span>
                                        {move || e.text(lang.get())}
                                    </p>
                                }
                            })
                    }}
                </div>
                <TextField
                    name="url"
                    label=Key::ScmUrlLabel
                    input_type="url"
                    autocomplete="url"
                    value=typed_or(ConnectSelfHosted::PATH, "url", "")
                    error=field("url")
                    reset=clear
                />
                <TextField
                    name="access_token"
                    label=Key::ScmTokenLabel
                    input_type="password"
                    autocomplete="off"
                    help=Some(Key::ScmScopesHelp)
                    error=field("access_token")
                    reset=clear
                />
                <div class="form-actions">
                    <SubmitButton label=Key::ScmConnectSubmit busy_label=Key::ScmChecking busy=action.pending() />
                    <StatusNotice text=notice id="self-hosted-status" />
                </div>
            </ActionForm>
        </section>
    }
}
