use super::use_auth;
use crate::model::TwoFactorState;
use crate::pages::account::reauth_card::ReauthCard;
use leptos::prelude::*;

/// The Authentication tab's window, from its overview.
#[component]
pub fn ReauthSection() -> impl IntoView {
    let auth = use_auth();
    let until = Memo::new(move |_| auth.overview.with(|o| o.reauth_until));
    let two_factor_on = Memo::new(move |_| {
        auth.overview
            .with(|o| matches!(o.two_factor, TwoFactorState::On { .. }))
    });
    let passkeys = Memo::new(move |_| auth.overview.with(|o| !o.passkeys.list.is_empty()));
    view! { <ReauthCard until two_factor_on on_done=auth.reload passkeys /> }
}
