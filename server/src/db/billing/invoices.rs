//! Usage, invoices and their payment. An invoice is issued in one transaction with its
//! number (gap-free, per year) and its lines; it is paid in another, under the account's write
//! lock, so a parallel credit purchase or a second run can neither spend a cent twice nor bill
//! twice.

use super::super::Db;
use crate::billing::money::{per_mille_of, Month};
use crate::billing::settings::Seller;
use crate::billing::vat;
use app::model::{BillingProfile, InvoiceState};
use serde::{Deserialize, Serialize};
use sqlx::{AnyConnection, Row};

/// Days between issue and due date.
pub const PAYMENT_TERM_DAYS: i64 = 30;

/// The buyer as the invoice names it, frozen when it is issued.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Buyer {
    pub name: String,
    pub company: String,
    pub email: String,
    pub address: Vec<String>,
    pub country: String,
    pub vat_number: String,
    pub additional_info: String,
}

impl Buyer {
    /// From the billing profile, or, without one, the account's name and address.
    pub fn from_profile(profile: Option<&BillingProfile>, username: &str, email: &str) -> Buyer {
        let Some(p) = profile else {
            return Buyer {
                name: username.to_string(),
                email: email.to_string(),
                ..Buyer::default()
            };
        };
        let zip_city = format!("{} {}", p.address_zip, p.address_city).trim().to_string();
        Buyer {
            name: p.name.clone(),
            company: p.company.clone(),
            email: p.email.clone(),
            address: [p.address_line1.clone(), p.address_line2.clone(), zip_city]
                .into_iter()
                .filter(|l| !l.is_empty())
                .collect(),
            country: p.address_country.clone(),
            vat_number: p.vat_number.clone(),
            additional_info: p.invoice_additional_info.clone(),
        }
    }

    /// The lines the invoice prints.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = vec![self.name.clone()];
        if !self.company.is_empty() {
            lines.push(self.company.clone());
        }
        lines.extend(self.address.iter().cloned());
        if let Some(country) = app::countries::name(&self.country, app::i18n::Lang::Fr) {
            lines.push(country.to_string());
        }
        if !self.vat_number.is_empty() {
            lines.push(format!("N° TVA : {}", self.vat_number));
        }
        lines.push(self.email.clone());
        lines
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvoiceLine {
    pub app_name: String,
    pub hours: i64,
    pub unit_price_cents: i64,
    pub price_cents: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredInvoice {
    pub id: String,
    pub user_id: String,
    pub number: String,
    /// `YYYY-MM`.
    pub month: String,
    pub total_cents: i64,
    pub vat_rate_permille: i64,
    pub vat_cents: i64,
    pub total_with_vat_cents: i64,
    pub vat_mention: String,
    pub state: String,
    pub payment_method: String,
    pub buyer: Buyer,
    pub seller: Seller,
    pub issued_at: i64,
    pub due_at: i64,
    pub paid_at: Option<i64>,
    pub lines: Vec<InvoiceLine>,
}

impl StoredInvoice {
    pub fn state(&self) -> InvoiceState {
        InvoiceState::from_code(&self.state)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum UsageError {
    #[error("no application named {0:?}")]
    UnknownApp(String),
    #[error("{0} is invoiced already: its usage can no longer change")]
    AlreadyInvoiced(String),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Sets the hours an application ran in `month` (recording again replaces the figure), unless
/// its owner's invoice for that month is issued.
pub async fn record_usage(db: &Db, app_name: &str, month: Month, hours: i64, at: i64) -> Result<(), UsageError> {
    let app = sqlx::query("SELECT id, owner_id FROM apps WHERE name = $1")
        .bind(app_name)
        .fetch_optional(&db.pool)
        .await?
        .ok_or_else(|| UsageError::UnknownApp(app_name.to_string()))?;
    let app_id: String = app.try_get("id")?;
    let owner_id: String = app.try_get("owner_id")?;
    let mut tx = db.begin_write_for_user(&owner_id).await?;
    let invoiced = sqlx::query("SELECT 1 AS one FROM invoices WHERE user_id = $1 AND month = $2")
        .bind(&owner_id)
        .bind(month.to_string())
        .fetch_optional(&mut *tx)
        .await?;
    if invoiced.is_some() {
        return Err(UsageError::AlreadyInvoiced(month.to_string()));
    }
    sqlx::query("DELETE FROM app_usage WHERE app_id = $1 AND month = $2")
        .bind(&app_id)
        .bind(month.to_string())
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO app_usage (app_id, app_name, user_id, month, hours, recorded_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&app_id)
    .bind(app_name)
    .bind(&owner_id)
    .bind(month.to_string())
    .bind(hours)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Accounts with usage in `month` and no invoice for it yet.
pub async fn accounts_to_invoice(db: &Db, month: Month) -> Result<Vec<String>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT DISTINCT u.user_id FROM app_usage u WHERE u.month = $1 \
         AND NOT EXISTS (SELECT 1 FROM invoices i WHERE i.user_id = u.user_id AND i.month = $1) \
         AND EXISTS (SELECT 1 FROM users a WHERE a.id = u.user_id) ORDER BY u.user_id",
    )
    .bind(month.to_string())
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(|r| r.try_get("user_id")).collect()
}

/// Invoices waiting for payment: those of `month` a run stopped before paying, and those of any
/// month whose charge could not be confirmed (a claim older than `STALE_CLAIM_SECS`).
pub async fn unpaid_in_month(db: &Db, month: Month, at: i64) -> Result<Vec<String>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id FROM invoices WHERE (month = $1 AND state = 'new') OR (state = 'paying' AND paying_since < $2) \
         ORDER BY number",
    )
    .bind(month.to_string())
    .bind(at - super::payment::STALE_CLAIM_SECS)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(|r| r.try_get("id")).collect()
}

/// Issues the account's invoice for `month`: `None` when it has one already or no usage.
pub async fn issue(
    db: &Db,
    user_id: &str,
    month: Month,
    unit_price_cents: i64,
    seller: &Seller,
    at: i64,
) -> Result<Option<StoredInvoice>, sqlx::Error> {
    let mut tx = db.begin_write_for_user(user_id).await?;
    let exists = sqlx::query("SELECT 1 AS one FROM invoices WHERE user_id = $1 AND month = $2")
        .bind(user_id)
        .bind(month.to_string())
        .fetch_optional(&mut *tx)
        .await?;
    if exists.is_some() {
        return Ok(None);
    }
    let usage = sqlx::query("SELECT app_name, hours FROM app_usage WHERE user_id = $1 AND month = $2")
        .bind(user_id)
        .bind(month.to_string())
        .fetch_all(&mut *tx)
        .await?;
    let mut lines = Vec::with_capacity(usage.len());
    for row in &usage {
        let hours: i64 = row.try_get("hours")?;
        lines.push(InvoiceLine {
            app_name: row.try_get("app_name")?,
            hours,
            unit_price_cents,
            price_cents: hours.saturating_mul(unit_price_cents),
        });
    }
    if lines.is_empty() {
        return Ok(None);
    }
    lines.sort_by(|a, b| alphanumeric_sort::compare_str(&a.app_name, &b.app_name));
    let user = sqlx::query("SELECT username, email FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(&mut *tx)
        .await?;
    let Some(user) = user else {
        return Ok(None);
    };
    let profile = super::find_profile(&mut tx, user_id).await?;
    let buyer = Buyer::from_profile(
        profile.as_ref(),
        &user.try_get::<String, _>("username")?,
        &user.try_get::<String, _>("email")?,
    );
    let tax = vat::for_buyer(&buyer.country, &buyer.vat_number);
    let total_cents: i64 = lines.iter().map(|l| l.price_cents).sum();
    // VAT is computed once, on the total, and rounded half up.
    let vat_cents = per_mille_of(total_cents, tax.rate_permille);
    let number = next_number(&mut tx, Month::of(at).year).await?;
    let invoice = StoredInvoice {
        id: uuid::Uuid::new_v4().to_string(),
        user_id: user_id.to_string(),
        number,
        month: month.to_string(),
        total_cents,
        vat_rate_permille: tax.rate_permille,
        vat_cents,
        total_with_vat_cents: total_cents + vat_cents,
        vat_mention: tax.mention.code().to_string(),
        state: InvoiceState::New.code().to_string(),
        payment_method: String::new(),
        buyer,
        seller: seller.clone(),
        issued_at: at,
        due_at: at + PAYMENT_TERM_DAYS * 86_400,
        paid_at: None,
        lines,
    };
    insert(&mut tx, &invoice).await?;
    tx.commit().await?;
    Ok(Some(invoice))
}

/// The next number of `year`'s series, `2026-000001`. The counter row is locked by the update
/// until the transaction ends, and rolled back with it: no number is skipped or given twice.
async fn next_number(conn: &mut AnyConnection, year: i32) -> Result<String, sqlx::Error> {
    let year = i64::from(year);
    sqlx::query("INSERT INTO invoice_counters (year, last_number) VALUES ($1, 0) ON CONFLICT (year) DO NOTHING")
        .bind(year)
        .execute(&mut *conn)
        .await?;
    let last: i64 =
        sqlx::query("UPDATE invoice_counters SET last_number = last_number + 1 WHERE year = $1 RETURNING last_number")
            .bind(year)
            .fetch_one(conn)
            .await?
            .try_get("last_number")?;
    Ok(format!("{year}-{last:06}"))
}

async fn insert(conn: &mut AnyConnection, invoice: &StoredInvoice) -> Result<(), sqlx::Error> {
    let buyer = serde_json::to_string(&invoice.buyer).unwrap_or_default();
    let seller = serde_json::to_string(&invoice.seller).unwrap_or_default();
    sqlx::query(
        "INSERT INTO invoices (id, user_id, number, month, total_cents, vat_rate_permille, vat_cents, \
         total_with_vat_cents, vat_mention, state, payment_method, buyer, seller, issued_at, due_at, paid_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, NULL)",
    )
    .bind(&invoice.id)
    .bind(&invoice.user_id)
    .bind(&invoice.number)
    .bind(&invoice.month)
    .bind(invoice.total_cents)
    .bind(invoice.vat_rate_permille)
    .bind(invoice.vat_cents)
    .bind(invoice.total_with_vat_cents)
    .bind(&invoice.vat_mention)
    .bind(&invoice.state)
    .bind(&invoice.payment_method)
    .bind(buyer)
    .bind(seller)
    .bind(invoice.issued_at)
    .bind(invoice.due_at)
    .execute(&mut *conn)
    .await?;
    for (position, line) in invoice.lines.iter().enumerate() {
        sqlx::query(
            "INSERT INTO invoice_lines (invoice_id, position, app_name, hours, unit_price_cents, price_cents) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&invoice.id)
        .bind(position as i64)
        .bind(&line.app_name)
        .bind(line.hours)
        .bind(line.unit_price_cents)
        .bind(line.price_cents)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

const INVOICE_COLUMNS: &str = "id, user_id, number, month, total_cents, vat_rate_permille, vat_cents, \
                               total_with_vat_cents, vat_mention, state, payment_method, buyer, seller, \
                               issued_at, due_at, paid_at";

fn from_row(row: &sqlx::any::AnyRow) -> Result<StoredInvoice, sqlx::Error> {
    let buyer: String = row.try_get("buyer")?;
    let seller: String = row.try_get("seller")?;
    let decode = |e: serde_json::Error| sqlx::Error::Decode(Box::new(e));
    Ok(StoredInvoice {
        id: row.try_get("id")?,
        user_id: row.try_get("user_id")?,
        number: row.try_get("number")?,
        month: row.try_get("month")?,
        total_cents: row.try_get("total_cents")?,
        vat_rate_permille: row.try_get("vat_rate_permille")?,
        vat_cents: row.try_get("vat_cents")?,
        total_with_vat_cents: row.try_get("total_with_vat_cents")?,
        vat_mention: row.try_get("vat_mention")?,
        state: row.try_get("state")?,
        payment_method: row.try_get("payment_method")?,
        buyer: serde_json::from_str(&buyer).map_err(decode)?,
        seller: serde_json::from_str(&seller).map_err(decode)?,
        issued_at: row.try_get("issued_at")?,
        due_at: row.try_get("due_at")?,
        paid_at: row.try_get("paid_at")?,
        lines: Vec::new(),
    })
}

async fn lines_of(conn: &mut AnyConnection, invoice_id: &str) -> Result<Vec<InvoiceLine>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT app_name, hours, unit_price_cents, price_cents FROM invoice_lines WHERE invoice_id = $1 \
         ORDER BY position",
    )
    .bind(invoice_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(InvoiceLine {
                app_name: row.try_get("app_name")?,
                hours: row.try_get("hours")?,
                unit_price_cents: row.try_get("unit_price_cents")?,
                price_cents: row.try_get("price_cents")?,
            })
        })
        .collect()
}

/// One of the account's invoices, with its lines.
pub async fn find_owned(
    conn: &mut AnyConnection,
    user_id: &str,
    id: &str,
) -> Result<Option<StoredInvoice>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "SELECT {INVOICE_COLUMNS} FROM invoices WHERE id = $1 AND user_id = $2"
    ))
    .bind(id)
    .bind(user_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(mut invoice) = row.as_ref().map(from_row).transpose()? else {
        return Ok(None);
    };
    invoice.lines = lines_of(conn, &invoice.id).await?;
    Ok(Some(invoice))
}

/// How many invoices the account has (read before a page, to know which pages exist).
pub async fn count(conn: &mut AnyConnection, user_id: &str) -> Result<i64, sqlx::Error> {
    sqlx::query("SELECT COUNT(*) AS n FROM invoices WHERE user_id = $1")
        .bind(user_id)
        .fetch_one(conn)
        .await?
        .try_get("n")
}

/// A page of the account's invoices, newest first.
pub async fn page(
    conn: &mut AnyConnection,
    user_id: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<StoredInvoice>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT {INVOICE_COLUMNS} FROM invoices WHERE user_id = $1 ORDER BY issued_at DESC, number DESC \
         LIMIT $2 OFFSET $3"
    ))
    .bind(user_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(&mut *conn)
    .await?;
    let mut invoices = rows.iter().map(from_row).collect::<Result<Vec<_>, _>>()?;
    // A page is at most 100 invoices of a handful of lines each: one query per invoice is fine.
    for invoice in &mut invoices {
        invoice.lines = lines_of(conn, &invoice.id).await?;
    }
    Ok(invoices)
}
