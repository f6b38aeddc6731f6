use crate::context::tr;
use crate::i18n::Key;
use leptos::prelude::*;

/// The label of the form field called `name`, for the error summary: its links say which field
/// each error is about ("Username: This field is required."), since several fields can have the
/// same message. One table for every form: field names are unique in meaning across the app.
pub fn field_label(name: &str) -> Option<Key> {
    Some(match name {
        "username" => Key::UsernameLabel,
        "login" => Key::LoginLabel,
        "email" => Key::EmailLabel,
        "password" | "reauth_password" => Key::PasswordLabel,
        "fullname" => Key::FullnameLabel,
        "location" => Key::LocationLabel,
        "company" => Key::CompanyLabel,
        "bio" => Key::BioLabel,
        "theme" => Key::Theme,
        "lang" => Key::Language,
        "time_zone" => Key::TimeZoneLabel,
        "new_email" => Key::NewEmailLabel,
        "current_password" => Key::CurrentPasswordLabel,
        "new_password" => Key::NewPasswordLabel,
        "confirm" | "confirm_password" => Key::ConfirmPasswordLabel,
        "code" | "enable_code" | "disable_code" | "reauth_code" => Key::TotpCodeLabel,
        "delete_username" => Key::DeleteUsernameLabel,
        "delete_reason" => Key::DeleteReasonLabel,
        "key_name" | "name" => Key::NameLabel,
        "key_content" => Key::KeyContentLabel,
        "expiry" => Key::TokenExpiryLabel,
        "expiry_date" => Key::TokenExpiryDateLabel,
        "access" | "scopes" => Key::TokenAccessLegend,
        "passkey_name" => Key::NameLabel,
        "category" => Key::CategoryLabel,
        "from" => Key::PeriodFrom,
        "to" => Key::PeriodTo,
        "org_type" => Key::OrgTypeLabel,
        "phone_number" => Key::PhoneLabel,
        "address_line1" => Key::AddressLine1Label,
        "address_line2" => Key::AddressLine2Label,
        "address_city" => Key::CityLabel,
        "address_zip" => Key::ZipLabel,
        "address_country" => Key::CountryLabel,
        "notes" => Key::NotesLabel,
        "scm_type" => Key::ScmTypeLabel,
        "url" => Key::ScmUrlLabel,
        "access_token" => Key::ScmTokenLabel,
        _ => return None,
    })
}

/// The ids a field's label, help and error use: `field-{name}`, so an error summary can link
/// to the input, and the help and error are announced through `aria-describedby`.
struct FieldIds {
    input: String,
    help: String,
    error: String,
}

impl FieldIds {
    fn new(name: &str) -> Self {
        let input = format!("field-{name}");
        FieldIds {
            help: format!("{input}-help"),
            error: format!("{input}-error"),
            input,
        }
    }

    fn described_by(&self, has_help: bool, has_error: bool) -> Option<String> {
        let ids: Vec<&str> = [
            has_help.then_some(self.help.as_str()),
            has_error.then_some(self.error.as_str()),
        ]
        .into_iter()
        .flatten()
        .collect();
        (!ids.is_empty()).then(|| ids.join(" "))
    }
}

#[component]
fn Label(for_id: String, label: Key, optional: bool) -> impl IntoView {
    view! {
        <label for=for_id>
            {tr(label)}
            {optional.then(|| view! { " " <span class="field-optional">"(" {tr(Key::OptionalHint)} ")"</span> })}
        </label>
    }
}

#[component]
fn FieldMessage(id: String, error: MaybeProp<Key>) -> impl IntoView {
    let lang = crate::context::use_lang();
    move || {
        error.get().map(|e| {
            view! {
                <p class="field-error" id=id.clone()>
                    <span class="field-error-icon" aria-hidden="true">"!"</span>
                    {move || e.text(lang.get())}
                </p>
            }
        })
    }
}

/// A labelled input with optional help text and an error message linked by
/// `aria-describedby`, following the GOV.UK form pattern. The input is uncontrolled: the
/// browser keeps what the user types; `reset` replaces it (after a save normalised it).
#[component]
pub fn TextField(
    name: &'static str,
    label: Key,
    #[prop(default = "text")] input_type: &'static str,
    autocomplete: &'static str,
    #[prop(default = None)] help: Option<Key>,
    /// The value the page is rendered with.
    #[prop(optional)]
    value: String,
    #[prop(optional, into)] error: MaybeProp<Key>,
    #[prop(optional, into)] reset: MaybeProp<String>,
    #[prop(optional)] optional: bool,
) -> impl IntoView {
    let ids = FieldIds::new(name);
    let described_by = {
        let has_help = help.is_some();
        let ids = FieldIds::new(name);
        move || ids.described_by(has_help, error.get().is_some())
    };
    view! {
        <div class="field" class:field-invalid=move || error.get().is_some()>
            <Label for_id=ids.input.clone() label optional />
            {help.map(|h| view! { <p class="field-help" id=ids.help.clone()>{tr(h)}</p> })}
            <input
                id=ids.input.clone()
                name=name
                type=input_type
                value=value
                prop:value=move || reset.get()
                autocomplete=autocomplete
                spellcheck="false"
                autocapitalize="none"
                aria-invalid=move || error.get().map(|_| "true")
                aria-describedby=described_by
            />
            <FieldMessage id=ids.error.clone() error />
        </div>
    }
}

/// A multi-line [`TextField`].
#[component]
pub fn TextArea(
    name: &'static str,
    label: Key,
    #[prop(default = None)] help: Option<Key>,
    #[prop(optional)] value: String,
    #[prop(optional, into)] error: MaybeProp<Key>,
    #[prop(optional, into)] reset: MaybeProp<String>,
    #[prop(optional)] optional: bool,
) -> impl IntoView {
    let ids = FieldIds::new(name);
    let described_by = {
        let has_help = help.is_some();
        let ids = FieldIds::new(name);
        move || ids.described_by(has_help, error.get().is_some())
    };
    let value = textarea_text(value);
    view! {
        <div class="field" class:field-invalid=move || error.get().is_some()>
            <Label for_id=ids.input.clone() label optional />
            {help.map(|h| view! { <p class="field-help" id=ids.help.clone()>{tr(h)}</p> })}
            <textarea
                id=ids.input.clone()
                name=name
                rows="4"
                prop:value=move || reset.get()
                aria-invalid=move || error.get().map(|_| "true")
                aria-describedby=described_by
            >
                {value}
            </textarea>
            <FieldMessage id=ids.error.clone() error />
        </div>
    }
}

/// A textarea's initial text. Leptos writes a `<textarea>`'s children into server HTML without
/// escaping them (its element table treats them like a `<script>`'s), so typed text holding
/// `</textarea>` would end the element and the rest would be read as markup. The browser
/// decodes entities inside a textarea, so escaping on the server shows the text unchanged. In
/// the browser the text becomes a DOM text node, which needs no escaping.
fn textarea_text(value: String) -> String {
    if cfg!(feature = "ssr") {
        value.replace('&', "&amp;").replace('<', "&lt;")
    } else {
        value
    }
}
