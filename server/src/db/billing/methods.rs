//! Payment methods as stored: what the tab shows of them, the default, and the provider's
//! customer of each account.

use super::super::events::{self, Actor, EventType, NewEvent};
use super::super::Db;
use serde_json::json;
use sqlx::{AnyConnection, Row};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Card,
    Sepa,
}

impl Kind {
    pub fn code(self) -> &'static str {
        match self {
            Kind::Card => "card",
            Kind::Sepa => "sepa",
        }
    }

    fn from_code(code: &str) -> Kind {
        if code == "sepa" {
            Kind::Sepa
        } else {
            Kind::Card
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredMethod {
    pub id: String,
    pub user_id: String,
    pub kind: Kind,
    pub provider_id: String,
    pub brand: String,
    pub last4: String,
    pub exp_month: i64,
    pub exp_year: i64,
    pub country: String,
    pub holder: String,
    pub mandate_reference: String,
    pub mandate_signed_at: i64,
    pub mandate_ip: String,
    pub is_default: bool,
    pub created_at: i64,
}

const COLUMNS: &str = "id, user_id, kind, provider_id, brand, last4, exp_month, exp_year, country, holder, \
                       mandate_reference, mandate_signed_at, mandate_ip, is_default, created_at";

fn from_row(row: &sqlx::any::AnyRow) -> Result<StoredMethod, sqlx::Error> {
    Ok(StoredMethod {
        id: row.try_get("id")?,
        user_id: row.try_get("user_id")?,
        kind: Kind::from_code(&row.try_get::<String, _>("kind")?),
        provider_id: row.try_get("provider_id")?,
        brand: row.try_get("brand")?,
        last4: row.try_get("last4")?,
        exp_month: row.try_get("exp_month")?,
        exp_year: row.try_get("exp_year")?,
        country: row.try_get("country")?,
        holder: row.try_get("holder")?,
        mandate_reference: row.try_get("mandate_reference")?,
        mandate_signed_at: row.try_get("mandate_signed_at")?,
        mandate_ip: row.try_get("mandate_ip")?,
        is_default: row.try_get::<i64, _>("is_default")? != 0,
        created_at: row.try_get("created_at")?,
    })
}

/// A method with only its owner set, for building one from stored parts.
pub fn placeholder(user_id: &str) -> StoredMethod {
    StoredMethod {
        id: String::new(),
        user_id: user_id.to_string(),
        kind: Kind::Card,
        provider_id: String::new(),
        brand: String::new(),
        last4: String::new(),
        exp_month: 0,
        exp_year: 0,
        country: String::new(),
        holder: String::new(),
        mandate_reference: String::new(),
        mandate_signed_at: 0,
        mandate_ip: String::new(),
        is_default: false,
        created_at: 0,
    }
}

/// The account a provider's payment method is stored for, if any.
pub async fn owner_of_provider_id(db: &Db, provider_id: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query("SELECT user_id FROM payment_methods WHERE provider_id = $1")
        .bind(provider_id)
        .fetch_optional(&db.pool)
        .await?
        .map(|r| r.try_get("user_id"))
        .transpose()
}

pub async fn customer_of(db: &Db, user_id: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query("SELECT customer_id FROM billing_customers WHERE user_id = $1")
        .bind(user_id)
        .fetch_optional(&db.pool)
        .await?
        .map(|r| r.try_get("customer_id"))
        .transpose()
}

/// Keeps the provider's customer made for the account; with two made in parallel the first
/// stored wins, and is what both callers get.
pub async fn keep_customer(db: &Db, user_id: &str, customer_id: &str) -> Result<String, sqlx::Error> {
    sqlx::query("INSERT INTO billing_customers (user_id, customer_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
        .bind(user_id)
        .bind(customer_id)
        .execute(&db.pool)
        .await?;
    Ok(customer_of(db, user_id)
        .await?
        .unwrap_or_else(|| customer_id.to_string()))
}

/// The account's methods, the default first, then newest first.
pub async fn list(conn: &mut AnyConnection, user_id: &str) -> Result<Vec<StoredMethod>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM payment_methods WHERE user_id = $1 ORDER BY is_default DESC, created_at DESC, id"
    ))
    .bind(user_id)
    .fetch_all(conn)
    .await?;
    rows.iter().map(from_row).collect()
}

pub async fn find_owned(
    conn: &mut AnyConnection,
    user_id: &str,
    id: &str,
) -> Result<Option<StoredMethod>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM payment_methods WHERE user_id = $1 AND id = $2"
    ))
    .bind(user_id)
    .bind(id)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// The default method of `kind`, if the account's default is one.
pub async fn default_of(conn: &mut AnyConnection, user_id: &str) -> Result<Option<StoredMethod>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM payment_methods WHERE user_id = $1 AND is_default = 1"
    ))
    .bind(user_id)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// Stores a method the provider attached, with `add_payment_method`; the account's first
/// method becomes its default.
pub async fn add(db: &Db, method: &StoredMethod, actor: &Actor) -> Result<StoredMethod, sqlx::Error> {
    let mut tx = db.begin_write_for_user(&method.user_id).await?;
    let has_default = default_of(&mut tx, &method.user_id).await?.is_some();
    let mut stored = method.clone();
    stored.is_default = !has_default;
    sqlx::query(&format!(
        "INSERT INTO payment_methods ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"
    ))
    .bind(&stored.id)
    .bind(&stored.user_id)
    .bind(stored.kind.code())
    .bind(&stored.provider_id)
    .bind(&stored.brand)
    .bind(&stored.last4)
    .bind(stored.exp_month)
    .bind(stored.exp_year)
    .bind(&stored.country)
    .bind(&stored.holder)
    .bind(&stored.mandate_reference)
    .bind(stored.mandate_signed_at)
    .bind(&stored.mandate_ip)
    .bind(i64::from(stored.is_default))
    .bind(stored.created_at)
    .execute(&mut *tx)
    .await?;
    let event = NewEvent {
        user_id: Some(&stored.user_id),
        kind: EventType::AddPaymentMethod,
        actor,
        data: json!({"payment_method": stored.kind.code(), "last4": stored.last4, "brand": stored.brand}),
    };
    events::record(&mut tx, event).await?;
    tx.commit().await?;
    Ok(stored)
}

/// Makes `id` the default and records `edit_payment_method` (the method that is now the
/// default). `false` when it is not the account's.
pub async fn make_default(db: &Db, user_id: &str, id: &str, actor: &Actor) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write_for_user(user_id).await?;
    let Some(method) = find_owned(&mut tx, user_id, id).await? else {
        return Ok(false);
    };
    sqlx::query("UPDATE payment_methods SET is_default = CASE WHEN id = $2 THEN 1 ELSE 0 END WHERE user_id = $1")
        .bind(user_id)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let event = NewEvent {
        user_id: Some(user_id),
        kind: EventType::EditPaymentMethod,
        actor,
        data: json!({"payment_method": method.kind.code(), "last4": method.last4, "brand": method.brand, "default": true}),
    };
    events::record(&mut tx, event).await?;
    tx.commit().await?;
    Ok(true)
}

/// Removes a method; when it was the default, the newest other one becomes the default.
/// Records `delete_payment_method`. The removed method, if it was the account's.
pub async fn remove(db: &Db, user_id: &str, id: &str, actor: &Actor) -> Result<Option<StoredMethod>, sqlx::Error> {
    let mut tx = db.begin_write_for_user(user_id).await?;
    let Some(method) = find_owned(&mut tx, user_id, id).await? else {
        return Ok(None);
    };
    sqlx::query("DELETE FROM payment_methods WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if method.is_default {
        let next =
            sqlx::query("SELECT id FROM payment_methods WHERE user_id = $1 ORDER BY created_at DESC, id LIMIT 1")
                .bind(user_id)
                .fetch_optional(&mut *tx)
                .await?;
        if let Some(next) = next {
            sqlx::query("UPDATE payment_methods SET is_default = 1 WHERE id = $1")
                .bind(next.try_get::<String, _>("id")?)
                .execute(&mut *tx)
                .await?;
        }
    }
    let event = NewEvent {
        user_id: Some(user_id),
        kind: EventType::DeletePaymentMethod,
        actor,
        data: json!({"payment_method": method.kind.code(), "last4": method.last4, "brand": method.brand}),
    };
    events::record(&mut tx, event).await?;
    tx.commit().await?;
    Ok(Some(method))
}
