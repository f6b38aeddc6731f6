use super::{changed_notice, reload_after, use_auth};
use crate::api::auth::{RevokeOtherSessions, RevokeSession};
use crate::components::{focus_on_success, DateTime, ErrorSummary, Problems, StatusNotice, SubmitButton};
use crate::context::{tr, use_lang};
use crate::error::AppError;
use crate::events::agent_text;
use crate::flash::form_outcome;
use crate::i18n::Key;
use crate::model::{AuthChanged, SessionView};
use leptos::prelude::*;

/// Where the account is signed in; sign out one session, or all the others.
#[component]
pub fn SessionsSection() -> impl IntoView {
    let auth = use_auth();
    let revoke = ServerAction::<RevokeSession>::new();
    let revoke_others = ServerAction::<RevokeOtherSessions>::new();
    let one = form_outcome(revoke);
    let others = form_outcome(revoke_others);
    reload_after(revoke, auth);
    reload_after(revoke_others, auth);
    // The clicked button goes away with its row (or its section): focus goes to what it did.
    focus_on_success(revoke, "sessions-status");
    focus_on_success(revoke_others, "sessions-status");
    // The latest of the two forms' outcomes speaks.
    // Seeded from a no-JavaScript post's flash (effects do not run on the server).
    let last = RwSignal::new(one.get_untracked().or_else(|| others.get_untracked()));
    Effect::new(move |_| {
        if let Some(o) = one.get() {
            last.set(Some(o));
        }
    });
    Effect::new(move |_| {
        if let Some(o) = others.get() {
            last.set(Some(o));
        }
    });
    let last: Signal<Option<Result<AuthChanged, AppError>>> = last.into();
    let problems = Signal::derive(move || Problems::of(&last.get()));
    let sessions = Memo::new(move |_| auth.overview.with(|o| o.sessions.clone()));
    let has_others = move || sessions.with(|s| s.iter().any(|s| !s.current));
    view! {
        <section class="card" id="sessions" aria-labelledby="sessions-heading">
            <h2 id="sessions-heading">{tr(Key::SessionsSection)}</h2>
            <p class="card-intro">{tr(Key::SessionsIntro)}</p>
            <ErrorSummary problems />
            <table class="data-table" data-testid="sessions">
                <thead>
                    <tr>
                        <th scope="col">{tr(Key::SessionsSection)}</th>
                        <th scope="col">{tr(Key::SessionAddress)}</th>
                        <th scope="col">{tr(Key::SessionStarted)}</th>
                        <th scope="col">{tr(Key::SessionLastActive)}</th>
                        <th scope="col">
                            <span class="visually-hidden">{tr(Key::RevokeSession)}</span>
                        </th>
                    </tr>
                </thead>
                <tbody>
                    <For each=move || sessions.get() key=|s| s.id.clone() let:session>
                        <SessionRow session action=revoke />
                    </For>
                </tbody>
            </table>
            <div class="form-actions">
                <Show
                    when=has_others
                    fallback=|| view! { <p class="muted">{tr(Key::NoOtherSessions)}</p> }
                >
                    <ActionForm action=revoke_others>
                        <SubmitButton
                            label=Key::RevokeOthers
                            busy_label=Key::Saving
                            busy=revoke_others.pending()
                            class="button button-secondary"
                        />
                    </ActionForm>
                </Show>
                <StatusNotice text=changed_notice(last) id="sessions-status" />
            </div>
        </section>
    }
}

#[component]
fn SessionRow(session: SessionView, action: ServerAction<RevokeSession>) -> impl IntoView {
    let lang = use_lang();
    let agent = session.agent.clone();
    let browser = move || match &agent {
        Some(agent) => agent_text(agent, lang.get()),
        None => Key::UnknownBrowser.text(lang.get()).to_string(),
    };
    let button_subject = browser.clone();
    let SessionView {
        id,
        ip,
        started,
        last_active,
        current,
        ..
    } = session;
    view! {
        <tr class:current-session=current>
            <td>
                {browser} {current.then(|| view! { " " <span class="badge">{tr(Key::ThisSession)}</span> })}
            </td>
            // Labels for narrow screens, where the rows stack and the headings are hidden.
            <td data-label=tr(Key::SessionAddress)>{ip}</td>
            <td data-label=tr(Key::SessionStarted)>
                <DateTime stamp=started with_time=true />
            </td>
            <td data-label=tr(Key::SessionLastActive)>
                <DateTime stamp=last_active with_time=true />
            </td>
            <td>
                {(!current)
                    .then(|| {
                        view! {
                            <ActionForm action>
                                <input type="hidden" name="session" value=id />
                                <button type="submit" class="button button-small button-secondary">
                                    // One such button per row: its name says which session.
                                    {tr(Key::RevokeSession)}
                                    <span class="visually-hidden">" " {button_subject.clone()}</span>
                                </button>
                            </ActionForm>
                        }
                    })}
            </td>
        </tr>
    }
}
