//! The Billing tab and `/v1/account/billing/*`, `/v1/account/invoices*`: one set of rules behind
//! both doors.

use super::{internal, ServerHost};
use crate::billing::vat;
use crate::db::billing::methods::{Kind, StoredMethod};
use crate::db::billing::{self, invoices, LedgerEntry, StoredInvoice};
use crate::db::now;
use crate::tz;
use app::error::{AppError, FieldError};
use app::host::{BillingPort, Caller};
use app::i18n::Key;
use app::model::{
    AuthChanged, BillingField, BillingOperation, BillingOverview, BillingProfile, CardSetup, InvoiceSummary, Paged,
    PaymentKind, PaymentMethodView,
};

/// Rows per page of the invoice list and of the history, on the tab.
pub const TAB_PAGE_SIZE: u32 = 10;
const MAX_LINE_CHARS: usize = 100;
const MAX_INFO_CHARS: usize = 500;
const MAX_ZIP_CHARS: usize = 16;

/// Every field checked on its own, all problems reported at once; the profile as it will be
/// stored (trimmed, the country as its code, the VAT number in capitals without spaces).
pub fn checked_profile(typed: &BillingProfile) -> Result<BillingProfile, AppError> {
    let mut problems: Vec<FieldError> = Vec::new();
    let mut stored = BillingProfile::default();
    let country = app::countries::code(&typed.address_country);
    for field in BillingField::ALL {
        let multiline = field == BillingField::InvoiceAdditionalInfo;
        let value: String = field
            .get(typed)
            .trim()
            .chars()
            .filter(|c| !c.is_control() || (multiline && *c == '\n'))
            .collect();
        match check(field, &value, country) {
            Ok(value) => field.set(&mut stored, value),
            Err(key) => problems.push(FieldError::new(field.name(), key)),
        }
    }
    if problems.is_empty() {
        Ok(stored)
    } else {
        Err(AppError::Invalid(problems))
    }
}

fn check(field: BillingField, value: &str, country: Option<&'static str>) -> Result<String, Key> {
    let chars = value.chars().count();
    if !field.optional() && value.is_empty() {
        return Err(Key::ErrRequired);
    }
    match field {
        BillingField::Email => app::validate::email(value),
        BillingField::AddressCountry => country.map(str::to_string).ok_or(Key::ErrInvalidChoice),
        BillingField::VatNumber => vat::checked_number(value, country),
        BillingField::AddressZip
            if chars > MAX_ZIP_CHARS || !value.chars().all(|c| c.is_alphanumeric() || c == ' ' || c == '-') =>
        {
            Err(Key::ErrZipInvalid)
        }
        BillingField::InvoiceAdditionalInfo if chars > MAX_INFO_CHARS => Err(Key::ErrInvoiceInfoTooLong),
        BillingField::InvoiceAdditionalInfo => Ok(value.to_string()),
        _ if chars > MAX_LINE_CHARS => Err(Key::ErrNameTooLong),
        _ => Ok(value.to_string()),
    }
}

/// `(limit, offset, page)` for a 1-based page of `size` among `total` rows: a page past the end
/// reads the last one.
pub fn page_window(page: u32, size: u32, total: i64) -> (i64, i64, u32) {
    let pages = pages_of(total, size);
    let page = page.clamp(1, pages);
    (i64::from(size), i64::from((page - 1) * size), page)
}

pub fn pages_of(total: i64, size: u32) -> u32 {
    let size = i64::from(size.max(1));
    u32::try_from(((total + size - 1) / size).max(1)).unwrap_or(u32::MAX)
}

pub fn invoice_summary(invoice: &StoredInvoice, zone: &str) -> InvoiceSummary {
    InvoiceSummary {
        id: invoice.id.clone(),
        number: invoice.number.clone(),
        month: invoice.month.clone(),
        issued_at: tz::stamp(invoice.issued_at, zone),
        total_cents: invoice.total_cents,
        total_with_vat_cents: invoice.total_with_vat_cents,
        state: invoice.state(),
    }
}

pub fn method_view(method: &StoredMethod, zone: &str) -> PaymentMethodView {
    PaymentMethodView {
        id: method.id.clone(),
        kind: match method.kind {
            Kind::Card => PaymentKind::Card,
            Kind::Sepa => PaymentKind::Sepa,
        },
        brand: method.brand.clone(),
        last4: method.last4.clone(),
        expiry: if method.kind == Kind::Card {
            format!("{:02}/{}", method.exp_month, method.exp_year)
        } else {
            String::new()
        },
        country: method.country.clone(),
        mandate_reference: method.mandate_reference.clone(),
        mandate_signed_at: (method.kind == Kind::Sepa).then(|| tz::stamp(method.mandate_signed_at, zone)),
        is_default: method.is_default,
    }
}

pub fn operation(entry: &LedgerEntry, zone: &str) -> BillingOperation {
    BillingOperation {
        id: entry.id.clone(),
        at: tz::stamp(entry.created_at, zone),
        amount_cents: entry.amount_cents,
        source: entry.source,
        description: entry.description.clone(),
        invoice: entry.invoice.clone(),
    }
}

impl ServerHost {
    /// A page of invoices, newest first, and how many there are in all.
    pub async fn invoices_page(
        &self,
        caller: &Caller,
        page: u32,
        size: u32,
    ) -> Result<(Vec<StoredInvoice>, i64, u32), AppError> {
        let fail = |e: sqlx::Error| internal(&caller.request_id, e);
        let mut conn = self.db.pool.acquire().await.map_err(fail)?;
        // The count first, so a page past the end reads the last one.
        let total = invoices::count(&mut conn, &caller.user_id).await.map_err(fail)?;
        let (limit, offset, page) = page_window(page, size, total);
        let items = invoices::page(&mut conn, &caller.user_id, limit, offset)
            .await
            .map_err(fail)?;
        Ok((items, total, page))
    }

    pub async fn history_page(
        &self,
        caller: &Caller,
        page: u32,
        size: u32,
    ) -> Result<(Vec<LedgerEntry>, i64, u32), AppError> {
        let fail = |e: sqlx::Error| internal(&caller.request_id, e);
        let mut conn = self.db.pool.acquire().await.map_err(fail)?;
        let total = billing::ledger_count(&mut conn, &caller.user_id).await.map_err(fail)?;
        let (limit, offset, page) = page_window(page, size, total);
        let items = billing::ledger_page(&mut conn, &caller.user_id, limit, offset)
            .await
            .map_err(fail)?;
        Ok((items, total, page))
    }

    pub async fn invoice(&self, caller: &Caller, id: &str) -> Result<StoredInvoice, AppError> {
        let fail = |e: sqlx::Error| internal(&caller.request_id, e);
        let mut conn = self.db.pool.acquire().await.map_err(fail)?;
        invoices::find_owned(&mut conn, &caller.user_id, id)
            .await
            .map_err(fail)?
            .ok_or(AppError::NotFound)
    }

    pub async fn billing_profile(&self, caller: &Caller) -> Result<(Option<BillingProfile>, i64), AppError> {
        let fail = |e: sqlx::Error| internal(&caller.request_id, e);
        let mut conn = self.db.pool.acquire().await.map_err(fail)?;
        let profile = billing::find_profile(&mut conn, &caller.user_id).await.map_err(fail)?;
        let credit = billing::credit(&mut conn, &caller.user_id).await.map_err(fail)?;
        Ok((profile, credit))
    }

    pub async fn store_billing_profile(
        &self,
        caller: &Caller,
        typed: &BillingProfile,
    ) -> Result<BillingProfile, AppError> {
        let profile = checked_profile(typed)?;
        billing::save_profile(&self.db, &caller.user_id, &profile, now())
            .await
            .map_err(|e| internal(&caller.request_id, e))?;
        Ok(profile)
    }
}

#[async_trait::async_trait]
impl BillingPort for ServerHost {
    async fn billing_overview(
        &self,
        caller: &Caller,
        invoices_page: u32,
        history_page: u32,
    ) -> Result<BillingOverview, AppError> {
        let zone = caller.time_zone.as_str();
        let (profile, credit_cents) = self.billing_profile(caller).await?;
        let (invoices, invoices_total, invoices_page) =
            self.invoices_page(caller, invoices_page, TAB_PAGE_SIZE).await?;
        let (entries, history_total, history_page) = self.history_page(caller, history_page, TAB_PAGE_SIZE).await?;
        Ok(BillingOverview {
            profile,
            credit_cents,
            invoices: Paged {
                items: invoices.iter().map(|i| invoice_summary(i, zone)).collect(),
                page: invoices_page,
                pages: pages_of(invoices_total, TAB_PAGE_SIZE),
                total: u64::try_from(invoices_total).unwrap_or(0),
            },
            history: Paged {
                items: entries.iter().map(|e| operation(e, zone)).collect(),
                page: history_page,
                pages: pages_of(history_total, TAB_PAGE_SIZE),
                total: u64::try_from(history_total).unwrap_or(0),
            },
            app_hour_price_cents: self.config.billing.app_hour_price_cents,
            payments_configured: self.stripe().is_some(),
            methods: self
                .payment_methods(caller)
                .await?
                .iter()
                .map(|m| method_view(m, zone))
                .collect(),
            reauth_until: self.window_open(caller, now()).await?.map(|at| tz::stamp(at, zone)),
            two_factor_on: self.two_factor_on(caller).await?,
            has_passkeys: self.has_passkeys(caller).await?,
            purchase_key: crate::db::billing::purchases::new_request_key(),
        })
    }

    async fn save_billing_profile(&self, caller: &Caller, typed: BillingProfile) -> Result<BillingProfile, AppError> {
        self.store_billing_profile(caller, &typed).await
    }

    // The rules live in `host::payments`; these are the tab's doors to them.
    async fn begin_card(&self, caller: &Caller) -> Result<CardSetup, AppError> {
        ServerHost::begin_card(self, caller).await
    }

    async fn finish_card(&self, caller: &Caller, setup_intent: &str) -> Result<AuthChanged, AppError> {
        ServerHost::finish_card(self, caller, setup_intent).await
    }

    async fn add_sepa(
        &self,
        caller: &Caller,
        iban: &str,
        holder: &str,
        accepted: bool,
    ) -> Result<AuthChanged, AppError> {
        ServerHost::add_sepa(self, caller, iban, holder, accepted).await
    }

    async fn make_default_method(&self, caller: &Caller, id: &str) -> Result<AuthChanged, AppError> {
        ServerHost::make_default_method(self, caller, id).await
    }

    async fn remove_method(&self, caller: &Caller, id: &str) -> Result<AuthChanged, AppError> {
        ServerHost::remove_method(self, caller, id).await
    }

    async fn buy_credit(&self, caller: &Caller, amount: &str, request_key: &str) -> Result<AuthChanged, AppError> {
        ServerHost::buy_credit(self, caller, amount, request_key).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> BillingProfile {
        BillingProfile {
            name: " Ada Lovelace ".into(),
            company: "Analytical SAS".into(),
            email: "Billing@Example.com".into(),
            address_line1: "1 rue de la Paix".into(),
            address_line2: String::new(),
            address_city: "Paris".into(),
            address_zip: "75002".into(),
            address_country: "fr".into(),
            vat_number: "fr 40 303265045".into(),
            invoice_additional_info: "PO 1234".into(),
        }
    }

    #[test]
    fn a_valid_profile_is_stored_normalised() {
        let Ok(stored) = checked_profile(&valid()) else {
            panic!("valid profile refused");
        };
        assert_eq!(stored.name, "Ada Lovelace");
        assert_eq!(stored.email, "billing@example.com");
        assert_eq!(stored.address_country, "FR");
        assert_eq!(stored.vat_number, "FR40303265045");
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let mut typed = valid();
        typed.name = "  ".into();
        typed.email = "nope".into();
        typed.address_country = "XX".into();
        typed.vat_number = "FR40303265046".into();
        typed.address_zip = "<script>".into();
        let Err(AppError::Invalid(problems)) = checked_profile(&typed) else {
            panic!("invalid profile accepted");
        };
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(
            fields,
            ["name", "email", "address_zip", "address_country", "vat_number"]
        );
        let vat = problems.iter().find(|p| p.field == "vat_number").map(|p| p.key);
        // Without a valid country the number cannot be checked: that is what is said.
        assert_eq!(vat, Some(Key::ErrVatNeedsCountry));
        typed.address_country = "FR".into();
        let Err(AppError::Invalid(problems)) = checked_profile(&typed) else {
            panic!("invalid profile accepted");
        };
        let vat = problems.iter().find(|p| p.field == "vat_number").map(|p| p.key);
        assert_eq!(vat, Some(Key::ErrVatInvalid));
    }

    #[test]
    fn pages_clamp_to_what_exists() {
        assert_eq!(page_window(1, 10, 0), (10, 0, 1));
        assert_eq!(page_window(3, 10, 25), (10, 20, 3));
        assert_eq!(page_window(9, 10, 25), (10, 20, 3));
        assert_eq!(page_window(0, 10, 25), (10, 0, 1));
        assert_eq!(pages_of(30, 10), 3);
        assert_eq!(pages_of(31, 10), 4);
    }
}
