use super::{field_error, use_auth};
use crate::api::auth::DeleteAccount;
use crate::components::{DateTime, ErrorSummary, Problems, SubmitButton, TextArea, TextField};
use crate::context::tr;
use crate::flash::form_outcome;
use crate::i18n::Key;
use leptos::prelude::*;

/// Deleting the account: refused while it owns applications (listed, with what to do);
/// otherwise the username typed out confirms it.
#[component]
pub fn DeleteSection() -> impl IntoView {
    let auth = use_auth();
    let action = ServerAction::<DeleteAccount>::new();
    let outcome = form_outcome(action);
    // Refused because an application appeared meanwhile: show the list.
    Effect::new(move |_| {
        if let Some(Err(_)) = outcome.get() {
            auth.reload.run(());
        }
    });
    let problems = Signal::derive(move || Problems::of(&outcome.get()));
    let apps = Memo::new(move |_| auth.overview.with(|o| o.apps.clone()));
    view! {
        <section class="card card-danger" id="delete-account" aria-labelledby="delete-heading">
            <h2 id="delete-heading">{tr(Key::DeleteSection)}</h2>
            <p class="card-intro">{tr(Key::DeleteIntro)}</p>
            <p class="muted">{tr(Key::DeleteKept)}</p>
            <ErrorSummary problems />
            {move || {
                let owned = apps.get();
                if owned.is_empty() {
                    view! {
                        <ActionForm action attr:novalidate=true>
                            <TextField
                                name="delete_username"
                                label=Key::DeleteUsernameLabel
                                autocomplete="off"
                                error=field_error(outcome, "delete_username")
                            />
                            <TextArea name="delete_reason" label=Key::DeleteReasonLabel optional=true />
                            <SubmitButton
                                label=Key::DeleteSubmit
                                busy_label=Key::Deleting
                                busy=action.pending()
                                class="button button-danger"
                            />
                        </ActionForm>
                    }
                        .into_any()
                } else {
                    view! {
                        <p class="notice notice-warning">{tr(Key::DeleteOwnsApps)}</p>
                        <ul class="plain-list" data-testid="owned-apps">
                            {owned
                                .into_iter()
                                .map(|app| {
                                    view! {
                                        <li>
                                            <strong>{app.name}</strong>
                                            " · "
                                            <DateTime stamp=app.created />
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}
