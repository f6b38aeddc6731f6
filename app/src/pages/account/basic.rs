use crate::components::LocalDate;
use crate::context::{tr, use_page_context};
use crate::i18n::Key;
use leptos::prelude::*;
use leptos_meta::Title;

/// The Basic information tab. Editing arrives with its own issue; for now it shows who you are.
#[component]
pub fn BasicInformation() -> impl IntoView {
    let user = use_page_context().user;
    view! {
        <Title text=format!("{} · {}", tr(Key::TabBasic), tr(Key::ProductName)) />
        <section class="card" aria-labelledby="profile-heading">
            <h2 id="profile-heading">{tr(Key::ProfileSection)}</h2>
            <p class="card-intro">{tr(Key::ProfileIntro)}</p>
            {user
                .map(|user| {
                    view! {
                        <dl class="facts">
                            <div>
                                <dt>{tr(Key::UsernameLabel)}</dt>
                                <dd data-testid="profile-username">{user.username.clone()}</dd>
                            </div>
                            <div>
                                <dt>{tr(Key::EmailLabel)}</dt>
                                <dd data-testid="profile-email">{user.email.clone()}</dd>
                            </div>
                            <div>
                                <dt>{tr(Key::MemberSince)}</dt>
                                <dd data-testid="profile-created">
                                    <LocalDate unix_secs=user.created_at />
                                </dd>
                            </div>
                        </dl>
                    }
                })}
        </section>
    }
}
