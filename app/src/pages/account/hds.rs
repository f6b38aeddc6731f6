//! The Health data (HDS) tab: the healthcare point of contact, its yearly review ("Still
//! accurate"), and the HDS contract documents.

use super::documents::DocumentsSection;
use super::loaded_tab;
use crate::api::hds::{load_hds, LoadHds, ReviewHdsContact, SaveHdsContact};
use crate::components::{
    focus_on_success, DateTime, ErrorSummary, Problems, StatusNotice, SubmitButton, TextArea, TextField,
};
use crate::context::{tr, use_lang, use_ui};
use crate::error::AppError;
use crate::flash::{form_outcome, typed_or};
use crate::i18n::Key;
use crate::model::{HdsContact, HdsField, HdsOverview, HdsReview, HdsSaved, OrgType};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::{lazy_route, LazyRoute};

/// The Health data tab, a lazily loaded route (its own WASM chunk, like every tab).
pub struct HdsRoute;

#[lazy_route]
impl LazyRoute for HdsRoute {
    fn data() -> Self {
        HdsRoute
    }

    fn view(_this: Self) -> AnyView {
        loaded_tab(Key::TabHds, load_hds, |initial| {
            view! { <HdsSections initial /> }.into_any()
        })
    }
}

#[component]
fn HdsSections(initial: HdsOverview) -> impl IntoView {
    let has_contact = initial.contact.is_some();
    let overview = RwSignal::new(initial.clone());
    let documents = RwSignal::new(initial.documents);
    let save = ServerAction::<SaveHdsContact>::new();
    let review = ServerAction::<ReviewHdsContact>::new();
    let reload = ServerAction::<LoadHds>::new();
    // After a save the form shows the contact as stored (the phone number in international
    // form): the answer is kept small, the contact is read again.
    let contact_reset = RwSignal::new(None::<HdsContact>);
    Effect::new(move |_| {
        if let Some(Ok(fresh)) = reload.value().get() {
            contact_reset.set(fresh.contact.clone());
            overview.set(fresh);
        }
    });
    let ui = use_ui();
    for (done, read_again) in [(form_outcome(save), true), (form_outcome(review), false)] {
        Effect::new(move |_| {
            if let Some(Ok(saved)) = done.get() {
                let due = saved.review.due;
                overview.update(|o| o.review = Some(saved.review));
                // The banner on every account page goes as soon as the review is done.
                ui.user.update(|user| {
                    if let Some(user) = user {
                        user.hds_review_due = due;
                    }
                });
                if read_again {
                    reload.dispatch(LoadHds {});
                }
            }
        });
    }
    let stored_review = Memo::new(move |_| overview.with(|o| o.review.clone()));
    view! {
        <p class="card-intro">{tr(Key::HdsIntro)}</p>
        // Built once and fed the review as it changes: built again, it would take focus back
        // to an older confirmation.
        <Show when=move || stored_review.with(Option::is_some)>
            <ReviewSection review=stored_review action=review />
        </Show>
        <ContactSection contact=initial.contact has_contact action=save reset=contact_reset />
        <DocumentsSection documents hds=true />
    }
}

#[component]
fn ReviewSection(review: Memo<Option<HdsReview>>, action: ServerAction<ReviewHdsContact>) -> impl IntoView {
    let outcome = form_outcome(action);
    let lang = use_lang();
    // The button stays; focus goes to the confirmation so it is read out.
    focus_on_success(action, "hds-review-status");
    let notice = Signal::derive(move || {
        matches!(outcome.get(), Some(Ok(_))).then(|| Key::HdsReviewed.text(lang.get()).to_string())
    });
    let date = move |pick: fn(&HdsReview) -> crate::model::Stamp| {
        move || review.get().map(|r| view! { <DateTime stamp=pick(&r) /> })
    };
    let due = move || review.with(|r| r.as_ref().is_some_and(|r| r.due));
    view! {
        <section class="card" id="hds-review" aria-labelledby="hds-review-heading">
            <h2 id="hds-review-heading">{tr(Key::HdsReviewSection)}</h2>
            <p class="card-intro">{tr(Key::HdsReviewIntro)}</p>
            <dl class="facts">
                <div>
                    <dt>{tr(Key::HdsLastReviewed)}</dt>
                    <dd data-testid="hds-reviewed-at">{date(|r| r.reviewed_at)}</dd>
                </div>
                <div>
                    <dt>{tr(Key::HdsLastChanged)}</dt>
                    <dd>{date(|r| r.updated_at)}</dd>
                </div>
                <div>
                    <dt>{tr(Key::HdsNextReview)}</dt>
                    <dd data-testid="hds-due-at">{date(|r| r.due_at)}</dd>
                </div>
            </dl>
            <Show
                when=due
                fallback=|| view! { <p class="muted">{tr(Key::HdsReviewOk)}</p> }
            >
                <p class="notice notice-warning" data-testid="hds-review-due">{tr(Key::HdsReviewOverdue)}</p>
            </Show>
            <ErrorSummary problems=Signal::derive(move || Problems::of(&outcome.get())) />
            <ActionForm action>
                <div class="form-actions">
                    <SubmitButton label=Key::HdsStillAccurate busy_label=Key::HdsConfirming busy=action.pending() />
                </div>
            </ActionForm>
            <StatusNotice text=notice id="hds-review-status" />
        </section>
    }
}

/// The contact form's labels for the error summary ("Contact's full name", not the app-wide
/// "Name").
fn contact_label(name: &str) -> Option<Key> {
    HdsField::from_name(name).map(HdsField::label)
}

/// How each text field is shown: its input type, autofill name, help, and whether it may stay
/// empty. The two choices (organisation type, country) are selects.
fn field_traits(field: HdsField) -> (&'static str, &'static str, Option<Key>, bool) {
    match field {
        HdsField::Name => ("text", "name", None, false),
        HdsField::Email => ("email", "email", None, false),
        HdsField::PhoneNumber => ("tel", "tel", Some(Key::PhoneHelp), false),
        HdsField::Company => ("text", "organization", None, true),
        HdsField::AddressLine1 => ("text", "address-line1", None, false),
        HdsField::AddressLine2 => ("text", "address-line2", None, true),
        HdsField::AddressCity => ("text", "address-level2", None, false),
        HdsField::AddressZip => ("text", "postal-code", None, false),
        HdsField::OrgType | HdsField::AddressCountry | HdsField::Notes => ("text", "off", None, true),
    }
}

#[component]
fn ContactSection(
    contact: Option<HdsContact>,
    has_contact: bool,
    action: ServerAction<SaveHdsContact>,
    reset: RwSignal<Option<HdsContact>>,
) -> impl IntoView {
    let outcome = form_outcome(action);
    let lang = use_lang();
    let has_contact = RwSignal::new(has_contact);
    let stored = contact.unwrap_or_default();
    // What the page was rendered with: the stored contact, or what was typed before a refused
    // post without JavaScript.
    let mut initial = HdsContact::default();
    for field in HdsField::ALL {
        field.set(
            &mut initial,
            typed_or(SaveHdsContact::PATH, field.name(), field.get(&stored)),
        );
    }
    let org_type = initial.org_type.clone();
    let country = initial.address_country.clone();
    let notes = initial.notes.clone();
    let typed = move |field: HdsField| field.get(&initial).to_string();
    Effect::new(move |_| {
        if let Some(Ok(_)) = outcome.get() {
            has_contact.set(true);
        }
    });
    focus_on_success(action, "hds-contact-status");
    let error = move |field: HdsField| {
        Signal::derive(move || {
            outcome.with(|o| {
                o.as_ref()
                    .and_then(|r| r.as_ref().err())
                    .and_then(|e: &AppError| e.field(field.name()))
            })
        })
    };
    let reset_of =
        move |field: HdsField| Signal::derive(move || reset.with(|r| r.as_ref().map(|c| field.get(c).to_string())));
    let notice = Signal::derive(move || match outcome.get() {
        Some(Ok(HdsSaved { changed, .. })) if changed.is_empty() => Some(Key::HdsReviewed.text(lang.get()).to_string()),
        Some(Ok(_)) => Some(Key::HdsSaved.text(lang.get()).to_string()),
        _ => None,
    });
    let text_field = move |field: HdsField| {
        let (input_type, autocomplete, help, optional) = field_traits(field);
        view! {
            <TextField
                name=field.name()
                label=field.label()
                input_type
                autocomplete
                help
                value=typed(field)
                error=error(field)
                reset=reset_of(field)
                optional
            />
        }
    };
    let org_choices: Vec<(String, Key)> = OrgType::ALL.iter().map(|t| (t.code().to_string(), t.label())).collect();
    view! {
        <section class="card" id="hds-contact" aria-labelledby="hds-contact-heading">
            <h2 id="hds-contact-heading">{tr(Key::HdsContactSection)}</h2>
            <p class="card-intro">{tr(Key::HdsContactIntro)}</p>
            <Show when=move || !has_contact.get()>
                <p class="empty-state" data-testid="hds-no-contact">{tr(Key::HdsNoContact)}</p>
            </Show>
            <ErrorSummary problems=Signal::derive(move || Problems::of(&outcome.get())) labels=contact_label />
            <ActionForm action attr:novalidate=true>
                <SelectField
                    field=HdsField::OrgType
                    value=org_type
                    choices=org_choices.into_iter().map(|(code, key)| (code, Choice::Key(key))).collect()
                    error=error(HdsField::OrgType)
                    reset=reset_of(HdsField::OrgType)
                />
                {text_field(HdsField::Name)}
                {text_field(HdsField::Email)}
                {text_field(HdsField::PhoneNumber)}
                {text_field(HdsField::Company)}
                {text_field(HdsField::AddressLine1)}
                {text_field(HdsField::AddressLine2)}
                {text_field(HdsField::AddressZip)}
                {text_field(HdsField::AddressCity)}
                <SelectField
                    field=HdsField::AddressCountry
                    value=country
                    choices=crate::countries::sorted(lang.get_untracked())
                        .into_iter()
                        .map(|(code, _)| (code.to_string(), Choice::Country(code)))
                        .collect()
                    error=error(HdsField::AddressCountry)
                    reset=reset_of(HdsField::AddressCountry)
                    autocomplete="country"
                />
                <TextArea
                    name=HdsField::Notes.name()
                    label=Key::NotesLabel
                    help=Some(Key::NotesHelp)
                    value=notes
                    error=error(HdsField::Notes)
                    reset=reset_of(HdsField::Notes)
                    optional=true
                />
                <div class="form-actions">
                    <SubmitButton label=Key::HdsSaveButton busy_label=Key::Saving busy=action.pending() />
                    <StatusNotice text=notice id="hds-contact-status" />
                </div>
            </ActionForm>
        </section>
    }
}

/// An option's text: a translated key, or a country's name in the reader's language.
#[derive(Clone, Copy)]
enum Choice {
    Key(Key),
    Country(&'static str),
}

/// A labelled select with a "choose" placeholder and its error, like `TextField`.
#[component]
fn SelectField(
    field: HdsField,
    value: String,
    choices: Vec<(String, Choice)>,
    #[prop(into)] error: Signal<Option<Key>>,
    #[prop(into)] reset: Signal<Option<String>>,
    #[prop(default = "off")] autocomplete: &'static str,
) -> impl IntoView {
    let lang = use_lang();
    let id = format!("field-{}", field.name());
    let error_id = format!("{id}-error");
    let described_by = {
        let error_id = error_id.clone();
        move || error.get().map(|_| error_id.clone())
    };
    // After a save, show the stored choice (set only then: the browser keeps the user's
    // choice otherwise).
    let select = NodeRef::<leptos::html::Select>::new();
    Effect::new(move |_| {
        if let (Some(value), Some(select)) = (reset.get(), select.get_untracked()) {
            select.set_value(&value);
        }
    });
    let placeholder = match field {
        HdsField::AddressCountry => Key::ChooseCountry,
        _ => Key::ChooseOne,
    };
    view! {
        <div class="field" class:field-invalid=move || error.get().is_some()>
            <label for=id.clone()>{tr(field.label())}</label>
            <select
                id=id
                name=field.name()
                autocomplete=autocomplete
                node_ref=select
                aria-invalid=move || error.get().map(|_| "true")
                aria-describedby=described_by
            >
                <option value="" selected=value.is_empty()>
                    {tr(placeholder)}
                </option>
                {choices
                    .into_iter()
                    .map(|(code, choice)| {
                        let selected = code.eq_ignore_ascii_case(&value);
                        let text = move || match choice {
                            Choice::Key(key) => key.text(lang.get()),
                            Choice::Country(code) => crate::countries::name(code, lang.get()).unwrap_or(code),
                        };
                        view! {
                            <option value=code selected=selected>
                                {text}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            {move || {
                error
                    .get()
                    .map(|e| {
                        view! {
                            <p class="field-error" id=error_id.clone()>
                                <span class="field-error-icon" aria-hidden="true">"!"</span>
                                {move || e.text(lang.get())}
                            </p>
                        }
                    })
            }}
        </div>
    }
}
