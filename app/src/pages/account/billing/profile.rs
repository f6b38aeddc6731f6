//! The billing profile form: checked field by field on the server, what was typed kept on a
//! refusal (with or without JavaScript), the stored form shown after a save.

use crate::api::billing::SaveBillingProfile;
use crate::components::{focus_on_success, ErrorSummary, Problems, StatusNotice, SubmitButton, TextArea, TextField};
use crate::context::{tr, use_lang};
use crate::error::AppError;
use crate::flash::{form_outcome, typed_or};
use crate::i18n::Key;
use crate::model::{BillingField, BillingProfile};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// How each text field is shown: input type, autofill name, help.
fn field_traits(field: BillingField) -> (&'static str, &'static str, Option<Key>) {
    match field {
        BillingField::Name => ("text", "name", None),
        BillingField::Company => ("text", "organization", None),
        BillingField::Email => ("email", "email", None),
        BillingField::AddressLine1 => ("text", "address-line1", None),
        BillingField::AddressLine2 => ("text", "address-line2", None),
        BillingField::AddressZip => ("text", "postal-code", None),
        BillingField::AddressCity => ("text", "address-level2", None),
        BillingField::VatNumber => ("text", "off", Some(Key::VatNumberHelp)),
        BillingField::AddressCountry | BillingField::InvoiceAdditionalInfo => ("text", "off", None),
    }
}

fn profile_label(name: &str) -> Option<Key> {
    BillingField::from_name(name).map(BillingField::label)
}

#[component]
pub fn ProfileSection(profile: Option<BillingProfile>) -> impl IntoView {
    let action = ServerAction::<SaveBillingProfile>::new();
    let outcome = form_outcome(action);
    let lang = use_lang();
    let has_profile = RwSignal::new(profile.is_some());
    let stored = profile.unwrap_or_default();
    // What the page was rendered with: the stored profile, or what was typed before a refused
    // post without JavaScript.
    let mut initial = BillingProfile::default();
    for field in BillingField::ALL {
        field.set(
            &mut initial,
            typed_or(SaveBillingProfile::PATH, field.name(), field.get(&stored)),
        );
    }
    focus_on_success(action, "billing-profile-status");
    // The profile as stored, set by a successful save only: a refusal leaves every field as
    // typed (a reset that went back to nothing would empty them).
    let saved = RwSignal::new(None::<BillingProfile>);
    Effect::new(move |_| {
        if let Some(Ok(profile)) = outcome.get() {
            has_profile.set(true);
            saved.set(Some(profile));
        }
    });
    let error = move |field: BillingField| {
        Signal::derive(move || {
            outcome.with(|o| {
                o.as_ref()
                    .and_then(|r| r.as_ref().err())
                    .and_then(|e: &AppError| e.field(field.name()))
            })
        })
    };
    // After a save, each field shows the value as stored (the VAT number without spaces).
    let reset_of =
        move |field: BillingField| Signal::derive(move || saved.with(|s| s.as_ref().map(|p| field.get(p).to_string())));
    let notice = Signal::derive(move || {
        matches!(outcome.get(), Some(Ok(_))).then(|| Key::BillingProfileSaved.text(lang.get()).to_string())
    });
    let text_field = |field: BillingField| {
        let (input_type, autocomplete, help) = field_traits(field);
        view! {
            <TextField
                name=field.name()
                label=field.label()
                input_type
                autocomplete
                help
                value=field.get(&initial).to_string()
                error=error(field)
                reset=reset_of(field)
                optional=field.optional()
            />
        }
    };
    let fields = [
        BillingField::Name,
        BillingField::Company,
        BillingField::Email,
        BillingField::AddressLine1,
        BillingField::AddressLine2,
        BillingField::AddressZip,
        BillingField::AddressCity,
    ]
    .map(text_field);
    let vat = text_field(BillingField::VatNumber);
    view! {
        <section class="card" id="billing-profile" aria-labelledby="billing-profile-heading">
            <h2 id="billing-profile-heading">{tr(Key::BillingProfileSection)}</h2>
            <p class="card-intro">{tr(Key::BillingProfileIntro)}</p>
            <Show when=move || !has_profile.get()>
                <p class="empty-state" data-testid="no-billing-profile">{tr(Key::BillingNoProfile)}</p>
            </Show>
            <ErrorSummary problems=Signal::derive(move || Problems::of(&outcome.get())) labels=profile_label />
            <ActionForm action attr:novalidate=true>
                {fields}
                <CountrySelect
                    value=initial.address_country.clone()
                    error=error(BillingField::AddressCountry)
                    reset=reset_of(BillingField::AddressCountry)
                />
                {vat}
                <TextArea
                    name=BillingField::InvoiceAdditionalInfo.name()
                    label=Key::InvoiceInfoLabel
                    help=Some(Key::InvoiceInfoHelp)
                    value=initial.invoice_additional_info.clone()
                    error=error(BillingField::InvoiceAdditionalInfo)
                    reset=reset_of(BillingField::InvoiceAdditionalInfo)
                    optional=true
                />
                <div class="form-actions">
                    <SubmitButton label=Key::BillingSaveButton busy_label=Key::Saving busy=action.pending() />
                    <StatusNotice text=notice id="billing-profile-status" />
                </div>
            </ActionForm>
        </section>
    }
}

/// The country of the address, with its error, like `TextField`.
#[component]
fn CountrySelect(
    value: String,
    #[prop(into)] error: Signal<Option<Key>>,
    #[prop(into)] reset: Signal<Option<String>>,
) -> impl IntoView {
    let lang = use_lang();
    let name = BillingField::AddressCountry.name();
    let id = format!("field-{name}");
    let error_id = format!("{id}-error");
    let described_by = {
        let error_id = error_id.clone();
        move || error.get().map(|_| error_id.clone())
    };
    let select = NodeRef::<leptos::html::Select>::new();
    Effect::new(move |_| {
        if let (Some(value), Some(select)) = (reset.get(), select.get_untracked()) {
            select.set_value(&value);
        }
    });
    let options = crate::countries::sorted(lang.get_untracked())
        .into_iter()
        .map(|(code, _)| {
            let selected = code.eq_ignore_ascii_case(&value);
            view! {
                <option value=code selected=selected>
                    {move || crate::countries::name(code, lang.get()).unwrap_or(code)}
                </option>
            }
        })
        .collect_view();
    view! {
        <div class="field" class:field-invalid=move || error.get().is_some()>
            <label for=id.clone()>{tr(Key::CountryLabel)}</label>
            <select
                id=id
                name=name
                autocomplete="country"
                node_ref=select
                aria-invalid=move || error.get().map(|_| "true")
                aria-describedby=described_by
            >
                <option value="" selected=value.is_empty()>
                    {tr(Key::ChooseCountry)}
                </option>
                {options}
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
