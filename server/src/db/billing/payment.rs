//! Paying an invoice, in Scalingo's order: the prepaid credit if it covers all of it, else the
//! account's default method (a SEPA mandate or a card) through the provider. The provider is
//! never called inside a database transaction: the invoice is first claimed (`paying`), so a
//! second run leaves it alone, then charged, then the outcome recorded.

use super::super::events::{self, Actor, EventType, NewEvent};
use super::super::mail_queue::{self, OutgoingMail};
use super::super::Db;
use super::invoices::{find_owned, StoredInvoice};
use super::methods::{self, Kind, StoredMethod};
use super::{append, credit, Movement};
use app::model::{InvoiceState, OperationSource};
use serde_json::json;
use sqlx::{AnyConnection, Row};

/// A claim older than this is taken as a run that stopped midway: the next run charges again,
/// with the same idempotency key, so the provider answers with the first charge.
pub const STALE_CLAIM_SECS: i64 = 3600;

/// Why an invoice failed, for the owner's mail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// No credit covering it and no payment method.
    NoMethod,
    /// The provider refused the charge; its message.
    Declined { method: Kind, message: String },
}

/// What the first step decided.
#[derive(Debug)]
pub enum Step {
    /// Paid or failed before, or claimed by another run: nothing to do.
    Settled,
    PaidFromCredit,
    Failed(Failure),
    /// Claimed for the provider: charge `method` for the invoice.
    Charge(Box<Claimed>),
}

/// An invoice claimed for the provider, with what to charge.
#[derive(Debug)]
pub struct Claimed {
    pub invoice: StoredInvoice,
    pub method: StoredMethod,
    pub customer: String,
}

/// How the provider's charge ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChargeOutcome {
    Succeeded {
        intent: String,
    },
    Processing {
        intent: String,
    },
    Declined {
        message: String,
    },
    /// The provider could not be asked to the end: the charge may have happened. The claim
    /// stays; a later run repeats the same request.
    Unavailable,
}

/// The account owner as a failure mail needs them.
pub struct Owner {
    pub username: String,
    pub email: String,
    pub lang: String,
}

async fn owner(conn: &mut AnyConnection, user_id: &str) -> Result<Option<Owner>, sqlx::Error> {
    let row = sqlx::query("SELECT username, email, lang FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(conn)
        .await?;
    row.map(|row| {
        Ok(Owner {
            username: row.try_get("username")?,
            email: row.try_get("email")?,
            lang: row.try_get("lang")?,
        })
    })
    .transpose()
}

async fn set_state(
    conn: &mut AnyConnection,
    invoice_id: &str,
    state: &str,
    method: &str,
    paid_at: Option<i64>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE invoices SET state = $1, payment_method = $2, paid_at = $3 WHERE id = $4")
        .bind(state)
        .bind(method)
        .bind(paid_at)
        .bind(invoice_id)
        .execute(conn)
        .await?;
    Ok(())
}

fn attempt_event<'a>(
    user_id: &'a str,
    invoice: &StoredInvoice,
    method: &str,
    status: &str,
    actor: &'a Actor,
) -> NewEvent<'a> {
    NewEvent {
        user_id: Some(user_id),
        kind: EventType::PaymentAttempt,
        actor,
        data: json!({
            "amount": invoice.total_with_vat_cents, "payment_method": method, "status": status,
            "invoice_id": invoice.id, "invoice_number": invoice.number,
        }),
    }
}

/// Marks the invoice failed, mails the owner and records the attempt, in `conn`'s transaction.
pub(super) async fn fail(
    db: &Db,
    conn: &mut AnyConnection,
    invoice: &StoredInvoice,
    failure: &Failure,
    actor: &Actor,
    at: i64,
    mail: &(dyn Fn(&Owner, &StoredInvoice, &Failure) -> OutgoingMail + Sync),
) -> Result<(), sqlx::Error> {
    set_state(conn, &invoice.id, InvoiceState::Failed.code(), "", None).await?;
    if let Some(owner) = owner(conn, &invoice.user_id).await? {
        mail_queue::enqueue(db, conn, &mail(&owner, invoice, failure), at).await?;
    }
    let method = match failure {
        Failure::NoMethod => "",
        Failure::Declined { method, .. } => method.code(),
    };
    events::record(conn, attempt_event(&invoice.user_id, invoice, method, "failed", actor)).await
}

/// Pays the invoice from the credit, in `conn`'s transaction under the account's lock (the
/// caller checked the credit covers it): the ledger line, the state, the event.
async fn pay_from_credit(
    conn: &mut AnyConnection,
    invoice: &StoredInvoice,
    actor: &Actor,
    at: i64,
) -> Result<(), sqlx::Error> {
    let amount = invoice.total_with_vat_cents;
    let description = format!("Facture {}", invoice.number);
    let movement = Movement {
        user_id: &invoice.user_id,
        amount_cents: -amount,
        credit_cents: -amount,
        source: OperationSource::Credit,
        description: &description,
        invoice_id: Some(&invoice.id),
        at,
    };
    append(conn, movement).await?;
    set_state(conn, &invoice.id, InvoiceState::Paid.code(), "credit", Some(at)).await?;
    events::record(conn, attempt_event(&invoice.user_id, invoice, "credit", "paid", actor)).await
}

/// The first step, under the account's lock: pay from credit, fail for want of a method, or
/// claim the invoice for the provider.
pub async fn begin(
    db: &Db,
    invoice_id: &str,
    actor: &Actor,
    at: i64,
    mail: &(dyn Fn(&Owner, &StoredInvoice, &Failure) -> OutgoingMail + Sync),
) -> Result<Step, sqlx::Error> {
    let owner_id: Option<String> = sqlx::query("SELECT user_id FROM invoices WHERE id = $1")
        .bind(invoice_id)
        .fetch_optional(&db.pool)
        .await?
        .map(|r| r.try_get("user_id"))
        .transpose()?;
    let Some(owner_id) = owner_id else {
        return Ok(Step::Settled);
    };
    let mut tx = db.begin_write_for_user(&owner_id).await?;
    let Some(invoice) = find_owned(&mut tx, &owner_id, invoice_id).await? else {
        return Ok(Step::Settled);
    };
    let claim = sqlx::query(
        "SELECT paying_since, paying_kind, paying_provider_id, paying_customer FROM invoices WHERE id = $1",
    )
    .bind(invoice_id)
    .fetch_one(&mut *tx)
    .await?;
    let paying_since: Option<i64> = claim.try_get("paying_since")?;
    let stale_claim = invoice.state == "paying" && paying_since.is_some_and(|since| since + STALE_CLAIM_SECS < at);
    if stale_claim {
        // A charge may have gone through before the outage: the same request again (same
        // method, same idempotency key), never the credit or another method.
        let kind: Option<String> = claim.try_get("paying_kind")?;
        let provider_id: Option<String> = claim.try_get("paying_provider_id")?;
        let customer: Option<String> = claim.try_get("paying_customer")?;
        if let (Some(kind), Some(provider_id), Some(customer)) = (kind, provider_id, customer) {
            sqlx::query("UPDATE invoices SET paying_since = $1 WHERE id = $2")
                .bind(at)
                .bind(&invoice.id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            let method = StoredMethod {
                kind: if kind == "sepa" { Kind::Sepa } else { Kind::Card },
                provider_id,
                ..methods::placeholder(&owner_id)
            };
            return Ok(Step::Charge(Box::new(Claimed {
                invoice,
                method,
                customer,
            })));
        }
    }
    if invoice.state != InvoiceState::New.code() {
        return Ok(Step::Settled);
    }
    let amount = invoice.total_with_vat_cents;
    if credit(&mut tx, &owner_id).await? >= amount {
        pay_from_credit(&mut tx, &invoice, actor, at).await?;
        tx.commit().await?;
        return Ok(Step::PaidFromCredit);
    }
    let method = methods::default_of(&mut tx, &owner_id).await?;
    let customer: Option<String> = sqlx::query("SELECT customer_id FROM billing_customers WHERE user_id = $1")
        .bind(&owner_id)
        .fetch_optional(&mut *tx)
        .await?
        .map(|r| r.try_get("customer_id"))
        .transpose()?;
    match (method, customer) {
        (Some(method), Some(customer)) => {
            sqlx::query(
                "UPDATE invoices SET state = 'paying', paying_since = $1, paying_kind = $2, paying_provider_id = $3, \
                 paying_customer = $4 WHERE id = $5",
            )
            .bind(at)
            .bind(method.kind.code())
            .bind(&method.provider_id)
            .bind(&customer)
            .bind(&invoice.id)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(Step::Charge(Box::new(Claimed {
                invoice,
                method,
                customer,
            })))
        }
        _ => {
            fail(db, &mut tx, &invoice, &Failure::NoMethod, actor, at, mail).await?;
            tx.commit().await?;
            Ok(Step::Failed(Failure::NoMethod))
        }
    }
}

/// The last step: records the provider's answer for a claimed invoice.
pub async fn finish(
    db: &Db,
    invoice: &StoredInvoice,
    method: &StoredMethod,
    outcome: &ChargeOutcome,
    actor: &Actor,
    at: i64,
    mail: &(dyn Fn(&Owner, &StoredInvoice, &Failure) -> OutgoingMail + Sync),
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write_for_user(&invoice.user_id).await?;
    let state: Option<String> = sqlx::query("SELECT state FROM invoices WHERE id = $1")
        .bind(&invoice.id)
        .fetch_optional(&mut *tx)
        .await?
        .map(|r| r.try_get("state"))
        .transpose()?;
    if state.as_deref() != Some("paying") {
        return Ok(());
    }
    let source = match method.kind {
        Kind::Card => OperationSource::Card,
        Kind::Sepa => OperationSource::Sepa,
    };
    match outcome {
        ChargeOutcome::Succeeded { intent } => {
            record_paid(&mut tx, invoice, source, intent, actor, at).await?;
        }
        ChargeOutcome::Processing { intent } => {
            sqlx::query(
                "UPDATE invoices SET state = 'processing', payment_method = $1, payment_intent = $2 WHERE id = $3",
            )
            .bind(source.code())
            .bind(intent)
            .bind(&invoice.id)
            .execute(&mut *tx)
            .await?;
        }
        ChargeOutcome::Declined { message } => {
            let failure = Failure::Declined {
                method: method.kind,
                message: message.clone(),
            };
            fail(db, &mut tx, invoice, &failure, actor, at, mail).await?;
        }
        // The charge may or may not have happened: the claim stays, and a later run sends the
        // same request again once it is stale (`begin`).
        ChargeOutcome::Unavailable => {}
    }
    tx.commit().await
}

/// Paid through the provider: the invoice, a history line (money that did not touch the
/// credit), and the event.
pub(super) async fn record_paid(
    conn: &mut AnyConnection,
    invoice: &StoredInvoice,
    source: OperationSource,
    intent: &str,
    actor: &Actor,
    at: i64,
) -> Result<(), sqlx::Error> {
    let description = format!("Facture {}", invoice.number);
    let movement = Movement {
        user_id: &invoice.user_id,
        amount_cents: -invoice.total_with_vat_cents,
        credit_cents: 0,
        source,
        description: &description,
        invoice_id: Some(&invoice.id),
        at,
    };
    append(conn, movement).await?;
    sqlx::query(
        "UPDATE invoices SET state = 'paid', payment_method = $1, paid_at = $2, payment_intent = $3 WHERE id = $4",
    )
    .bind(source.code())
    .bind(at)
    .bind(intent)
    .bind(&invoice.id)
    .execute(&mut *conn)
    .await?;
    events::record(
        conn,
        attempt_event(&invoice.user_id, invoice, source.code(), "paid", actor),
    )
    .await
}

/// Pays the account's failed invoices, oldest first, from its credit where it covers each one:
/// how a payment made outside the provider (a bank transfer the operator records) settles
/// them. Returns how many were paid.
pub async fn pay_failed_from_credit(db: &Db, user_id: &str, actor: &Actor, at: i64) -> Result<usize, sqlx::Error> {
    let mut tx = db.begin_write_for_user(user_id).await?;
    let ids: Vec<String> =
        sqlx::query("SELECT id FROM invoices WHERE user_id = $1 AND state = 'failed' ORDER BY issued_at, number")
            .bind(user_id)
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|r| r.try_get("id"))
            .collect::<Result<_, _>>()?;
    let mut paid = 0;
    for id in ids {
        let Some(invoice) = find_owned(&mut tx, user_id, &id).await? else {
            continue;
        };
        let amount = invoice.total_with_vat_cents;
        if credit(&mut tx, user_id).await? < amount {
            break;
        }
        pay_from_credit(&mut tx, &invoice, actor, at).await?;
        paid += 1;
    }
    tx.commit().await?;
    Ok(paid)
}
