//! Billing in the database: the billing profile, the ledger every movement of money is
//! appended to (the prepaid credit is its sum), and invoices (`invoices`).

pub mod invoices;
pub mod methods;
pub mod payment;
pub mod purchases;
pub mod webhooks;

use super::events::{self, Actor, EventType, NewEvent};
use super::Db;
use app::model::{BillingField, BillingProfile, OperationSource};
use serde_json::json;
use sqlx::{AnyConnection, Row};

pub use invoices::{Buyer, InvoiceLine, StoredInvoice};

/// The profile's columns, in the fields' order (the binds follow the same order).
fn profile_columns() -> String {
    BillingField::ALL.map(BillingField::name).join(", ")
}

fn profile_from_row(row: &sqlx::any::AnyRow) -> Result<BillingProfile, sqlx::Error> {
    let mut profile = BillingProfile::default();
    for field in BillingField::ALL {
        field.set(&mut profile, row.try_get(field.name())?);
    }
    Ok(profile)
}

pub async fn find_profile(conn: &mut AnyConnection, user_id: &str) -> Result<Option<BillingProfile>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "SELECT {} FROM billing_profiles WHERE user_id = $1",
        profile_columns()
    ))
    .bind(user_id)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(profile_from_row).transpose()
}

/// Saves a checked profile (insert or replace).
pub async fn save_profile(db: &Db, user_id: &str, profile: &BillingProfile, now: i64) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write_for_user(user_id).await?;
    sqlx::query("DELETE FROM billing_profiles WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    let sql = format!(
        "INSERT INTO billing_profiles (user_id, {}, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        profile_columns()
    );
    let mut insert = sqlx::query(&sql).bind(user_id);
    for field in BillingField::ALL {
        insert = insert.bind(field.get(profile).to_string());
    }
    insert.bind(now).execute(&mut *tx).await?;
    tx.commit().await
}

/// A movement of money as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LedgerEntry {
    pub id: String,
    pub amount_cents: i64,
    pub credit_cents: i64,
    pub source: OperationSource,
    pub description: String,
    pub invoice: Option<(String, String)>,
    pub created_at: i64,
}

/// What to append to the ledger.
pub struct Movement<'a> {
    pub user_id: &'a str,
    /// Shown in the history: positive came in, negative was spent.
    pub amount_cents: i64,
    /// What it does to the prepaid credit.
    pub credit_cents: i64,
    pub source: OperationSource,
    pub description: &'a str,
    pub invoice_id: Option<&'a str>,
    pub at: i64,
}

/// Appends a movement. The caller holds the account's write lock (`begin_write_for_user`), which
/// makes the sequence number and any balance check it made before this one consistent.
pub async fn append(conn: &mut AnyConnection, movement: Movement<'_>) -> Result<String, sqlx::Error> {
    let seq: i64 = sqlx::query("SELECT COALESCE(MAX(seq), 0) + 1 AS next FROM billing_ledger WHERE user_id = $1")
        .bind(movement.user_id)
        .fetch_one(&mut *conn)
        .await?
        .try_get("next")?;
    let id = uuid::Uuid::new_v4().to_string();
    sqlx::query(
        "INSERT INTO billing_ledger (id, user_id, amount_cents, credit_cents, source, description, invoice_id, \
         created_at, seq) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&id)
    .bind(movement.user_id)
    .bind(movement.amount_cents)
    .bind(movement.credit_cents)
    .bind(movement.source.code())
    .bind(movement.description)
    .bind(movement.invoice_id)
    .bind(movement.at)
    .bind(seq)
    .execute(conn)
    .await?;
    Ok(id)
}

/// The prepaid credit: the sum of the ledger.
pub async fn credit(conn: &mut AnyConnection, user_id: &str) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "SELECT CAST(COALESCE(SUM(credit_cents), 0) AS BIGINT) AS credit FROM billing_ledger WHERE user_id = $1",
    )
    .bind(user_id)
    .fetch_one(conn)
    .await?
    .try_get("credit")
}

/// Credit the operator recorded (a payment received outside the provider), with its event.
pub async fn add_operator_credit(
    db: &Db,
    user_id: &str,
    amount_cents: i64,
    reason: &str,
    actor: &Actor,
    at: i64,
) -> Result<i64, sqlx::Error> {
    let mut tx = db.begin_write_for_user(user_id).await?;
    let movement = Movement {
        user_id,
        amount_cents,
        credit_cents: amount_cents,
        source: OperationSource::Operator,
        description: reason,
        invoice_id: None,
        at,
    };
    append(&mut tx, movement).await?;
    let event = NewEvent {
        user_id: Some(user_id),
        kind: EventType::AddCredit,
        actor,
        data: json!({"payment_method": "operator", "amount": amount_cents, "reason": reason}),
    };
    events::record(&mut tx, event).await?;
    let balance = credit(&mut tx, user_id).await?;
    tx.commit().await?;
    Ok(balance)
}

/// How many movements the account's ledger holds (read before a page, to know which exist).
pub async fn ledger_count(conn: &mut AnyConnection, user_id: &str) -> Result<i64, sqlx::Error> {
    sqlx::query("SELECT COUNT(*) AS n FROM billing_ledger WHERE user_id = $1")
        .bind(user_id)
        .fetch_one(conn)
        .await?
        .try_get("n")
}

/// A page of the ledger, newest first.
pub async fn ledger_page(
    conn: &mut AnyConnection,
    user_id: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<LedgerEntry>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT l.id, l.amount_cents, l.credit_cents, l.source, l.description, l.invoice_id, l.created_at, \
         i.number FROM billing_ledger l LEFT JOIN invoices i ON i.id = l.invoice_id \
         WHERE l.user_id = $1 ORDER BY l.seq DESC LIMIT $2 OFFSET $3",
    )
    .bind(user_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(&mut *conn)
    .await?;
    let mut entries = Vec::with_capacity(rows.len());
    for row in &rows {
        let source: String = row.try_get("source")?;
        let invoice_id: Option<String> = row.try_get("invoice_id")?;
        let number: Option<String> = row.try_get("number")?;
        entries.push(LedgerEntry {
            id: row.try_get("id")?,
            amount_cents: row.try_get("amount_cents")?,
            credit_cents: row.try_get("credit_cents")?,
            source: OperationSource::from_code(&source).unwrap_or(OperationSource::Operator),
            description: row.try_get("description")?,
            invoice: invoice_id.zip(number),
            created_at: row.try_get("created_at")?,
        });
    }
    Ok(entries)
}
