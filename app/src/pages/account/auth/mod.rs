//! The Authentication tab: confirm it's you (the re-authentication window), e-mail, password,
//! two-factor authentication, sessions and account deletion. One server call loads the
//! overview; each section changes one thing and then asks for the overview again.

mod delete;
mod email;
mod passkeys;
mod password;
mod reauth;
mod sessions;
mod two_factor;

use super::loaded_tab;
use crate::api::auth::{load_auth_overview, LoadAuthOverview};
use crate::context::{tr, use_lang};
use crate::error::AppError;
use crate::i18n::Key;
use crate::model::{AuthChanged, AuthOverview};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::{lazy_route, LazyRoute};

/// What the sections share: the overview and a way to read it again.
#[derive(Clone, Copy)]
struct AuthContext {
    overview: RwSignal<AuthOverview>,
    reload: Callback<()>,
}

fn use_auth() -> AuthContext {
    use_context::<AuthContext>().unwrap_or_else(|| AuthContext {
        overview: RwSignal::new(AuthOverview {
            username: String::new(),
            email: String::new(),
            pending_email: None,
            reauth_until: None,
            two_factor: crate::model::TwoFactorState::Off,
            sessions: Vec::new(),
            apps: Vec::new(),
            passkeys: Default::default(),
        }),
        reload: Callback::new(|_| ()),
    })
}

/// After a change (or a refusal because the window closed), the overview is read again.
fn reload_after<S>(action: ServerAction<S>, auth: AuthContext)
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    Effect::new(move |_| {
        let done = action
            .value()
            .with(|v| matches!(v, Some(Ok(_)) | Some(Err(AppError::ReauthRequired))));
        if done {
            auth.reload.run(());
        }
    });
}

/// The error for one field of a form's last outcome.
fn field_error<T>(outcome: Signal<Option<Result<T, AppError>>>, name: &'static str) -> Signal<Option<Key>>
where
    T: Clone + Send + Sync + 'static,
{
    Signal::derive(move || outcome.with(|o| o.as_ref().and_then(|r| r.as_ref().err()).and_then(|e| e.field(name))))
}

/// The confirmation of an [`AuthChanged`] outcome, in the reader's language.
fn changed_notice(outcome: Signal<Option<Result<AuthChanged, AppError>>>) -> Signal<Option<String>> {
    let lang = use_lang();
    Signal::derive(move || match outcome.get() {
        Some(Ok(changed)) => Some(changed.what.text(lang.get()).to_string()),
        _ => None,
    })
}

/// The Authentication tab, a lazily loaded route: its code, its data's types and the call that loads
/// them are a WASM chunk of their own, fetched when the tab is first shown or its link is
/// hovered or focused (so the click rarely waits for it).
pub struct AuthRoute;

#[lazy_route]
impl LazyRoute for AuthRoute {
    fn data() -> Self {
        AuthRoute
    }

    fn view(_this: Self) -> AnyView {
        loaded_tab(Key::TabAuthentication, load_auth_overview, |initial| {
            view! { <Sections initial /> }.into_any()
        })
    }
}

#[component]
fn Sections(initial: AuthOverview) -> impl IntoView {
    let overview = RwSignal::new(initial);
    let reload = ServerAction::<LoadAuthOverview>::new();
    Effect::new(move |_| {
        if let Some(Ok(fresh)) = reload.value().get() {
            overview.set(fresh);
        }
    });
    provide_context(AuthContext {
        overview,
        reload: Callback::new(move |_| {
            reload.dispatch(LoadAuthOverview {});
        }),
    });
    view! {
        <p class="card-intro">{tr(Key::AuthIntro)}</p>
        <reauth::ReauthSection />
        <email::EmailSection />
        <password::PasswordSection />
        <two_factor::TwoFactorSection />
        <passkeys::PasskeysSection />
        <sessions::SessionsSection />
        <delete::DeleteSection />
    }
}
