use crate::api::basic::UpdateProfile;
use crate::components::{DateTime, ErrorSummary, Problems, StatusNotice, SubmitButton, TextArea, TextField};
use crate::context::{tr, use_lang, use_ui};
use crate::flash::{form_outcome, restored_draft, typed_or};
use crate::i18n::Key;
use crate::model::{Profile, ProfileField, Stamp};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

#[component]
pub fn ProfileSection(profile: Profile, email: String, member_since: RwSignal<Stamp>) -> impl IntoView {
    let action = ServerAction::<UpdateProfile>::new();
    let outcome = form_outcome(action);
    let ui = use_ui();
    let lang = use_lang();

    // What the page was rendered with: the saved profile, or what was typed before a refused
    // no-JavaScript post or an ended session brought the user back here.
    let typed = |field: ProfileField| typed_or(UpdateProfile::PATH, field.name(), field.get(&profile));
    let initial = Profile {
        username: typed(ProfileField::Username),
        fullname: typed(ProfileField::Fullname),
        location: typed(ProfileField::Location),
        company: typed(ProfileField::Company),
        bio: typed(ProfileField::Bio),
    };
    let saved = RwSignal::new(profile.clone());
    let reset = RwSignal::new(None::<Profile>);
    let dirty = RwSignal::new(initial != profile);
    let form = NodeRef::<leptos::html::Form>::new();

    Effect::new(move |_| {
        if let Some(Ok(done)) = outcome.get() {
            saved.set(done.profile.clone());
            // Show the values as stored (trimmed, lowercase username).
            reset.set(Some(done.profile.clone()));
            dirty.set(false);
            ui.user.update(|user| {
                if let Some(user) = user {
                    user.username = done.profile.username.clone();
                }
            });
        }
    });
    let on_input = move |_| {
        if let Some(current) = read_profile(form) {
            dirty.set(current != saved.get_untracked());
        }
    };
    crate::browser::warn_before_leaving(dirty.into(), tr(Key::UnsavedChanges));

    let problems = Signal::derive(move || Problems::of(&outcome.get()));
    let error = move |field: ProfileField| {
        Signal::derive(move || {
            outcome.with(|o| {
                o.as_ref()
                    .and_then(|r| r.as_ref().err())
                    .and_then(|e| e.field(field.name()))
            })
        })
    };
    let reset_of =
        move |field: ProfileField| Signal::derive(move || reset.with(|r| r.as_ref().map(|p| field.get(p).to_string())));
    let draft = restored_draft(UpdateProfile::PATH);
    let notice = Signal::derive(move || match outcome.get() {
        Some(Ok(done)) if done.changed.is_empty() => Some(Key::NothingChanged.text(lang.get()).to_string()),
        Some(Ok(done)) => {
            let names: Vec<&str> = done.changed.iter().map(|f| f.label().text(lang.get())).collect();
            Some(format!("{} {}.", Key::SavedFields.text(lang.get()), names.join(", ")))
        }
        _ if draft && dirty.get() => Some(Key::RestoredDraft.text(lang.get()).to_string()),
        _ => None,
    });

    view! {
        <section class="card" id="profile" aria-labelledby="profile-heading">
            <div class="card-heading">
                <h2 id="profile-heading">{tr(Key::ProfileSection)}</h2>
                <Show when=move || dirty.get()>
                    <span class="badge badge-warning">{tr(Key::UnsavedBadge)}</span>
                </Show>
            </div>
            <p class="card-intro">{tr(Key::ProfileIntro)}</p>
            <dl class="facts">
                <div>
                    <dt>{tr(Key::EmailLabel)}</dt>
                    <dd data-testid="profile-email">{email}</dd>
                </div>
                <div>
                    <dt>{tr(Key::MemberSince)}</dt>
                    <dd data-testid="profile-created">
                        {move || view! { <DateTime stamp=member_since.get() /> }}
                    </dd>
                </div>
            </dl>
            <ErrorSummary problems />
            <ActionForm action node_ref=form attr:novalidate=true on:input=on_input>
                <TextField
                    name="username"
                    label=Key::UsernameLabel
                    help=Some(Key::UsernameHelp)
                    autocomplete="username"
                    value=initial.username
                    error=error(ProfileField::Username)
                    reset=reset_of(ProfileField::Username)
                />
                <TextField
                    name="fullname"
                    label=Key::FullnameLabel
                    autocomplete="name"
                    value=initial.fullname
                    error=error(ProfileField::Fullname)
                    reset=reset_of(ProfileField::Fullname)
                    optional=true
                />
                <TextField
                    name="location"
                    label=Key::LocationLabel
                    autocomplete="address-level2"
                    value=initial.location
                    error=error(ProfileField::Location)
                    reset=reset_of(ProfileField::Location)
                    optional=true
                />
                <TextField
                    name="company"
                    label=Key::CompanyLabel
                    autocomplete="organization"
                    value=initial.company
                    error=error(ProfileField::Company)
                    reset=reset_of(ProfileField::Company)
                    optional=true
                />
                <TextArea
                    name="bio"
                    label=Key::BioLabel
                    help=Some(Key::BioHelp)
                    value=initial.bio
                    error=error(ProfileField::Bio)
                    reset=reset_of(ProfileField::Bio)
                    optional=true
                />
                <div class="form-actions">
                    <SubmitButton label=Key::SaveProfile busy_label=Key::Saving busy=action.pending() />
                    <StatusNotice text=notice />
                </div>
            </ActionForm>
        </section>
    }
    .into_any()
}

/// The profile as currently typed in the form (browser only).
fn read_profile(form: NodeRef<leptos::html::Form>) -> Option<Profile> {
    let data = leptos::web_sys::FormData::new_with_form(&form.get_untracked()?).ok()?;
    let value = |name: &str| data.get(name).as_string().unwrap_or_default();
    Some(Profile {
        username: value("username"),
        fullname: value("fullname"),
        location: value("location"),
        company: value("company"),
        bio: value("bio"),
    })
}
