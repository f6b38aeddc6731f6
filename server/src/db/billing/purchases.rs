//! Prepaid credit bought with a payment method. The purchase is written first (`pending`),
//! then charged; the credit reaches the ledger only once the money is in (at once for a card,
//! with the provider's webhook for a SEPA debit).

use super::super::events::{self, Actor, EventType, NewEvent};
use super::super::Db;
use super::methods::Kind;
use super::payment::ChargeOutcome;
use super::{append, Movement};
use app::model::OperationSource;
use serde_json::json;
use sqlx::{AnyConnection, Row};

/// At least 5 €, as Scalingo asks.
pub const MIN_CENTS: i64 = 500;
/// A ceiling against a typing slip (an extra zero or three).
pub const MAX_CENTS: i64 = 1_000_000;

/// A form's purchase key as `new_request_key` makes them (a UUID); anything else is refused
/// before it reaches the database.
pub fn is_request_key(key: &str) -> bool {
    uuid::Uuid::try_parse(key).is_ok()
}

/// A key for one rendering of the purchase form.
pub fn new_request_key() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// What `start` did with a purchase sent from a form.
#[derive(Debug, PartialEq, Eq)]
pub enum Started {
    /// Written as `pending`, with this id: charge it.
    New(String),
    /// The same form was already sent and its purchase has not failed: nothing written.
    AlreadySent,
}

/// Writes a pending purchase, unless one from the same form (`request_key`) is already under
/// way or done. The check and the write share one write transaction (the account's row is
/// locked on PostgreSQL; SQLite has one writer), so two copies of a form sent at once buy once.
pub async fn start(
    db: &Db,
    user_id: &str,
    request_key: &str,
    amount_cents: i64,
    method: Kind,
    at: i64,
) -> Result<Started, sqlx::Error> {
    let mut tx = db.begin_write_for_user(user_id).await?;
    let taken = sqlx::query(
        "SELECT 1 FROM credit_purchases WHERE user_id = $1 AND request_key = $2 AND state <> 'failed' LIMIT 1",
    )
    .bind(user_id)
    .bind(request_key)
    .fetch_optional(&mut *tx)
    .await?
    .is_some();
    if taken {
        return Ok(Started::AlreadySent);
    }
    let id = uuid::Uuid::new_v4().to_string();
    sqlx::query(
        "INSERT INTO credit_purchases (id, user_id, amount_cents, method, payment_intent, state, created_at, request_key) \
         VALUES ($1, $2, $3, $4, NULL, 'pending', $5, $6)",
    )
    .bind(&id)
    .bind(user_id)
    .bind(amount_cents)
    .bind(method.code())
    .bind(at)
    .bind(request_key)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Started::New(id))
}

fn source_of(method: &str) -> OperationSource {
    if method == "sepa" {
        OperationSource::Sepa
    } else {
        OperationSource::Card
    }
}

async fn credit_it(
    conn: &mut AnyConnection,
    user_id: &str,
    amount: i64,
    method: &str,
    actor: &Actor,
    at: i64,
) -> Result<(), sqlx::Error> {
    let movement = Movement {
        user_id,
        amount_cents: amount,
        credit_cents: amount,
        source: source_of(method),
        description: "",
        invoice_id: None,
        at,
    };
    append(conn, movement).await?;
    let event = NewEvent {
        user_id: Some(user_id),
        kind: EventType::AddCredit,
        actor,
        data: json!({"payment_method": method, "amount": amount}),
    };
    events::record(conn, event).await
}

/// Records the charge's outcome. Returns the purchase's state afterwards.
pub async fn finish(
    db: &Db,
    user_id: &str,
    purchase_id: &str,
    outcome: &ChargeOutcome,
    actor: &Actor,
    at: i64,
) -> Result<&'static str, sqlx::Error> {
    let mut tx = db.begin_write_for_user(user_id).await?;
    let row = sqlx::query("SELECT amount_cents, method, state FROM credit_purchases WHERE id = $1 AND user_id = $2")
        .bind(purchase_id)
        .bind(user_id)
        .fetch_optional(&mut *tx)
        .await?;
    let Some(row) = row else {
        return Ok("failed");
    };
    if row.try_get::<String, _>("state")? != "pending" {
        return Ok("settled");
    }
    let amount: i64 = row.try_get("amount_cents")?;
    let method: String = row.try_get("method")?;
    let (state, intent) = match outcome {
        ChargeOutcome::Succeeded { intent } => {
            credit_it(&mut tx, user_id, amount, &method, actor, at).await?;
            ("succeeded", Some(intent.as_str()))
        }
        ChargeOutcome::Processing { intent } => ("processing", Some(intent.as_str())),
        ChargeOutcome::Declined { .. } => ("failed", None),
        // The charge may have happened: not failed (the user must not pay again), settled by
        // the provider's webhook.
        ChargeOutcome::Unavailable => ("unknown", None),
    };
    sqlx::query("UPDATE credit_purchases SET state = $1, payment_intent = $2 WHERE id = $3")
        .bind(state)
        .bind(intent)
        .bind(purchase_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(state)
}

/// A webhook settled a purchase still waiting: a processing one (by its intent), or one whose
/// outcome was unknown (by `reference`, `credit-{id}`, which the charge carried in its
/// metadata). In the caller's transaction; `false` when none waited.
pub async fn settle(
    conn: &mut AnyConnection,
    intent: &str,
    reference: &str,
    succeeded: bool,
    actor: &Actor,
    at: i64,
) -> Result<bool, sqlx::Error> {
    let by_reference = reference.strip_prefix("credit-").unwrap_or("");
    let row = sqlx::query(
        "SELECT id, user_id, amount_cents, method FROM credit_purchases \
         WHERE (payment_intent = $1 AND state = 'processing') OR (id = $2 AND state = 'unknown')",
    )
    .bind(intent)
    .bind(by_reference)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else {
        return Ok(false);
    };
    let id: String = row.try_get("id")?;
    let user_id: String = row.try_get("user_id")?;
    // Claimed by this update: a parallel delivery finds the state changed and does nothing.
    let claimed = sqlx::query(
        "UPDATE credit_purchases SET state = $1, payment_intent = $2 WHERE id = $3 AND state IN ('processing', 'unknown')",
    )
    .bind(if succeeded { "succeeded" } else { "failed" })
    .bind(intent)
    .bind(&id)
    .execute(&mut *conn)
    .await?;
    if claimed.rows_affected() != 1 {
        return Ok(false);
    }
    if succeeded {
        let amount: i64 = row.try_get("amount_cents")?;
        let method: String = row.try_get("method")?;
        credit_it(conn, &user_id, amount, &method, actor, at).await?;
    }
    Ok(true)
}
