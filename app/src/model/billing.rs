//! The Billing tab's data: the billing profile, the prepaid credit, invoices and the history of
//! every movement of money. Amounts are integer cents.

use super::Stamp;
use crate::i18n::{Key, Lang};
use serde::{Deserialize, Serialize};

/// Who invoices are made out to, as typed (in a form) or as stored (trimmed, the country as an
/// ISO code, the VAT number without spaces).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillingProfile {
    pub name: String,
    pub company: String,
    pub email: String,
    pub address_line1: String,
    pub address_line2: String,
    pub address_city: String,
    pub address_zip: String,
    pub address_country: String,
    pub vat_number: String,
    pub invoice_additional_info: String,
}

/// The profile's fields in form order; their names are the form's, the API's and the errors'.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BillingField {
    Name,
    Company,
    Email,
    AddressLine1,
    AddressLine2,
    AddressZip,
    AddressCity,
    AddressCountry,
    VatNumber,
    InvoiceAdditionalInfo,
}

impl BillingField {
    pub const ALL: [BillingField; 10] = [
        BillingField::Name,
        BillingField::Company,
        BillingField::Email,
        BillingField::AddressLine1,
        BillingField::AddressLine2,
        BillingField::AddressZip,
        BillingField::AddressCity,
        BillingField::AddressCountry,
        BillingField::VatNumber,
        BillingField::InvoiceAdditionalInfo,
    ];

    pub fn name(self) -> &'static str {
        match self {
            BillingField::Name => "name",
            BillingField::Company => "company",
            BillingField::Email => "email",
            BillingField::AddressLine1 => "address_line1",
            BillingField::AddressLine2 => "address_line2",
            BillingField::AddressZip => "address_zip",
            BillingField::AddressCity => "address_city",
            BillingField::AddressCountry => "address_country",
            BillingField::VatNumber => "vat_number",
            BillingField::InvoiceAdditionalInfo => "invoice_additional_info",
        }
    }

    fn slot(self, p: &mut BillingProfile) -> &mut String {
        match self {
            BillingField::Name => &mut p.name,
            BillingField::Company => &mut p.company,
            BillingField::Email => &mut p.email,
            BillingField::AddressLine1 => &mut p.address_line1,
            BillingField::AddressLine2 => &mut p.address_line2,
            BillingField::AddressZip => &mut p.address_zip,
            BillingField::AddressCity => &mut p.address_city,
            BillingField::AddressCountry => &mut p.address_country,
            BillingField::VatNumber => &mut p.vat_number,
            BillingField::InvoiceAdditionalInfo => &mut p.invoice_additional_info,
        }
    }

    pub fn get(self, p: &BillingProfile) -> &str {
        match self {
            BillingField::Name => &p.name,
            BillingField::Company => &p.company,
            BillingField::Email => &p.email,
            BillingField::AddressLine1 => &p.address_line1,
            BillingField::AddressLine2 => &p.address_line2,
            BillingField::AddressZip => &p.address_zip,
            BillingField::AddressCity => &p.address_city,
            BillingField::AddressCountry => &p.address_country,
            BillingField::VatNumber => &p.vat_number,
            BillingField::InvoiceAdditionalInfo => &p.invoice_additional_info,
        }
    }

    pub fn set(self, p: &mut BillingProfile, value: String) {
        *self.slot(p) = value;
    }

    pub fn label(self) -> Key {
        match self {
            BillingField::Name => Key::BillingNameLabel,
            BillingField::Company => Key::CompanyLabel,
            BillingField::Email => Key::BillingEmailLabel,
            BillingField::AddressLine1 => Key::AddressLine1Label,
            BillingField::AddressLine2 => Key::AddressLine2Label,
            BillingField::AddressZip => Key::ZipLabel,
            BillingField::AddressCity => Key::CityLabel,
            BillingField::AddressCountry => Key::CountryLabel,
            BillingField::VatNumber => Key::VatNumberLabel,
            BillingField::InvoiceAdditionalInfo => Key::InvoiceInfoLabel,
        }
    }

    /// Fields that may stay empty.
    pub fn optional(self) -> bool {
        matches!(
            self,
            BillingField::Company
                | BillingField::AddressLine2
                | BillingField::VatNumber
                | BillingField::InvoiceAdditionalInfo
        )
    }

    pub fn from_name(name: &str) -> Option<BillingField> {
        Self::ALL.into_iter().find(|f| f.name() == name)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum InvoiceState {
    New,
    Paid,
    Failed,
}

impl InvoiceState {
    pub fn code(self) -> &'static str {
        match self {
            InvoiceState::New => "new",
            InvoiceState::Paid => "paid",
            InvoiceState::Failed => "failed",
        }
    }

    pub fn from_code(code: &str) -> InvoiceState {
        match code {
            "paid" => InvoiceState::Paid,
            "failed" => InvoiceState::Failed,
            _ => InvoiceState::New,
        }
    }

    pub fn label(self) -> Key {
        match self {
            InvoiceState::New => Key::InvoiceStateNew,
            InvoiceState::Paid => Key::InvoiceStatePaid,
            InvoiceState::Failed => Key::InvoiceStateFailed,
        }
    }
}

/// An invoice as the tab lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceSummary {
    pub id: String,
    pub number: String,
    /// `YYYY-MM`.
    pub month: String,
    pub issued_at: Stamp,
    pub total_cents: i64,
    pub total_with_vat_cents: i64,
    pub state: InvoiceState,
}

/// Where a movement of money came from or went.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OperationSource {
    /// Credit recorded by the operator (a bank transfer, say).
    Operator,
    /// An invoice paid from the prepaid credit.
    Credit,
    /// A referee's invoice earned the referrer credit.
    Referral,
    Card,
    Sepa,
}

impl OperationSource {
    pub fn code(self) -> &'static str {
        match self {
            OperationSource::Operator => "operator",
            OperationSource::Credit => "credit",
            OperationSource::Referral => "referral",
            OperationSource::Card => "card",
            OperationSource::Sepa => "sepa",
        }
    }

    pub fn from_code(code: &str) -> Option<OperationSource> {
        [
            OperationSource::Operator,
            OperationSource::Credit,
            OperationSource::Referral,
            OperationSource::Card,
            OperationSource::Sepa,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }

    pub fn label(self) -> Key {
        match self {
            OperationSource::Operator => Key::SourceOperator,
            OperationSource::Credit => Key::SourceCredit,
            OperationSource::Referral => Key::SourceReferral,
            OperationSource::Card => Key::SourceCard,
            OperationSource::Sepa => Key::SourceSepa,
        }
    }
}

/// One line of the billing history: positive amounts came in, negative ones were spent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillingOperation {
    pub id: String,
    pub at: Stamp,
    pub amount_cents: i64,
    pub source: OperationSource,
    /// The operator's reason, as given (not translated).
    pub description: String,
    /// The invoice it paid, if any: `(id, number)`.
    pub invoice: Option<(String, String)>,
}

/// A page of a list, newest first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paged<T> {
    pub items: Vec<T>,
    /// 1-based.
    pub page: u32,
    pub pages: u32,
    pub total: u64,
}

/// Everything the Billing tab shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillingOverview {
    /// `None` until first saved.
    pub profile: Option<BillingProfile>,
    pub credit_cents: i64,
    pub invoices: Paged<InvoiceSummary>,
    pub history: Paged<BillingOperation>,
    /// Price of an application hour, excluding VAT.
    pub app_hour_price_cents: i64,
    /// Whether card and SEPA payment are set up on this server.
    pub payments_configured: bool,
    pub methods: Vec<PaymentMethodView>,
    /// The re-authentication window payment changes need.
    pub reauth_until: Option<Stamp>,
    pub two_factor_on: bool,
    pub has_passkeys: bool,
    /// A fresh key for the credit purchase form, each time the tab is read: the same form
    /// sent twice buys once, and the next purchase comes from a form read anew.
    pub purchase_key: String,
}

/// `1234` → `€12.34` / `12,34 €`; negative amounts keep their sign.
pub fn format_euros(cents: i64, lang: Lang) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let whole = (cents.unsigned_abs() / 100).to_string();
    let cents_part = cents.unsigned_abs() % 100;
    let (group, decimal) = match lang {
        Lang::En => (',', '.'),
        Lang::Fr => ('\u{202f}', ','),
    };
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(group);
        }
        grouped.push(c);
    }
    match lang {
        Lang::En => format!("{sign}€{grouped}{decimal}{cents_part:02}"),
        Lang::Fr => format!("{sign}{grouped}{decimal}{cents_part:02}\u{a0}€"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn euros_in_both_languages() {
        assert_eq!(format_euros(1234, Lang::En), "€12.34");
        assert_eq!(format_euros(123456789, Lang::En), "€1,234,567.89");
        assert_eq!(format_euros(-500, Lang::En), "-€5.00");
        assert_eq!(format_euros(1234, Lang::Fr), "12,34\u{a0}€");
        assert_eq!(format_euros(123456, Lang::Fr), "1\u{202f}234,56\u{a0}€");
        assert_eq!(format_euros(7, Lang::Fr), "0,07\u{a0}€");
    }

    #[test]
    fn field_names_round_trip() {
        let mut profile = BillingProfile::default();
        for field in BillingField::ALL {
            assert_eq!(BillingField::from_name(field.name()), Some(field));
            field.set(&mut profile, field.name().to_string());
            assert_eq!(field.get(&profile), field.name());
        }
    }
}

/// A referee as their referrer sees them: a masked name, when they signed up, what they brought.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefereeView {
    pub masked_name: String,
    pub signed_up_at: Stamp,
    pub earned_cents: i64,
}

/// Everything the Referrals tab shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralsOverview {
    /// The personal link, absolute.
    pub url: String,
    pub clicks: i64,
    pub signups: i64,
    pub earned_cents: i64,
    pub referees: Vec<RefereeView>,
}

/// What Stripe.js needs to confirm a new card in the page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardSetup {
    pub client_secret: String,
    pub publishable_key: String,
    pub js_url: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PaymentKind {
    Card,
    Sepa,
}

/// A payment method as the tab shows it: never more than the last four digits.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentMethodView {
    pub id: String,
    pub kind: PaymentKind,
    /// A card's brand (`visa`), as the provider names it.
    pub brand: String,
    pub last4: String,
    /// A card's expiry, `MM/YYYY`.
    pub expiry: String,
    /// A mandate's bank country, reference and signature.
    pub country: String,
    pub mandate_reference: String,
    pub mandate_signed_at: Option<Stamp>,
    pub is_default: bool,
}
