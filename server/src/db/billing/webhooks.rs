//! Provider webhooks applied: a charge that was still processing (a SEPA debit) settles the
//! invoice or the credit purchase waiting for it. The event is recorded in the transaction
//! that applies it, so it counts once and only once it changed something.

use super::super::events::Actor;
use super::super::mail_queue::OutgoingMail;
use super::super::Db;
use super::invoices::{find_owned, StoredInvoice};
use super::methods::Kind;
use super::payment::{fail, record_paid, Failure, Owner};
use app::model::OperationSource;
use sqlx::{AnyConnection, Row};

/// What a webhook settled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Settled {
    /// An invoice of this month (`YYYY-MM`).
    Invoice {
        month: String,
        paid: bool,
    },
    CreditPurchase,
    /// The payment is known and was settled before (a card charge the run recorded itself):
    /// nothing to do.
    AlreadySettled,
    /// Nothing waits for this payment (yet): the provider should try again later.
    Nothing,
    /// This event was applied before.
    Replay,
}

/// Records the event as applied, in the transaction applying it: `false` if it was before.
async fn first_time(conn: &mut AnyConnection, event_id: &str, at: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("INSERT INTO provider_events (id, received_at) VALUES ($1, $2) ON CONFLICT DO NOTHING")
        .bind(event_id)
        .bind(at)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// A webhook said a charge ended: settles the invoice (or the credit purchase) waiting for it,
/// recording the event in the same transaction, so an event counts once and only once it has
/// changed something.
#[allow(clippy::too_many_arguments)]
pub async fn settle_processing(
    db: &Db,
    event_id: &str,
    intent: &str,
    reference: &str,
    succeeded: bool,
    actor: &Actor,
    at: i64,
    mail: &(dyn Fn(&Owner, &StoredInvoice, &Failure) -> OutgoingMail + Sync),
) -> Result<Settled, sqlx::Error> {
    let seen = sqlx::query("SELECT 1 AS one FROM provider_events WHERE id = $1")
        .bind(event_id)
        .fetch_optional(&db.pool)
        .await?;
    if seen.is_some() {
        return Ok(Settled::Replay);
    }
    let row = sqlx::query("SELECT id, user_id FROM invoices WHERE payment_intent = $1 AND state = 'processing'")
        .bind(intent)
        .fetch_optional(&db.pool)
        .await?;
    if let Some(row) = row {
        let user_id: String = row.try_get("user_id")?;
        let id: String = row.try_get("id")?;
        let mut tx = db.begin_write_for_user(&user_id).await?;
        let Some(invoice) = find_owned(&mut tx, &user_id, &id).await? else {
            return Ok(Settled::Nothing);
        };
        if invoice.state != "processing" {
            return Ok(Settled::AlreadySettled);
        }
        if !first_time(&mut tx, event_id, at).await? {
            return Ok(Settled::Replay);
        }
        let source = OperationSource::from_code(&invoice.payment_method).unwrap_or(OperationSource::Sepa);
        if succeeded {
            record_paid(&mut tx, &invoice, source, intent, actor, at).await?;
        } else {
            let failure = Failure::Declined {
                method: if source == OperationSource::Card {
                    Kind::Card
                } else {
                    Kind::Sepa
                },
                message: String::new(),
            };
            fail(db, &mut tx, &invoice, &failure, actor, at, mail).await?;
        }
        tx.commit().await?;
        return Ok(Settled::Invoice {
            month: invoice.month,
            paid: succeeded,
        });
    }
    let mut tx = db.begin_write().await?;
    if !first_time(&mut tx, event_id, at).await? {
        return Ok(Settled::Replay);
    }
    if super::purchases::settle(&mut tx, intent, reference, succeeded, actor, at).await? {
        tx.commit().await?;
        return Ok(Settled::CreditPurchase);
    }
    // Not applied: the event is not kept, so the provider's next try is read again.
    drop(tx);
    let known = sqlx::query(
        "SELECT 1 AS one FROM invoices WHERE payment_intent = $1 \
         UNION SELECT 1 AS one FROM credit_purchases WHERE payment_intent = $1",
    )
    .bind(intent)
    .fetch_optional(&db.pool)
    .await?;
    Ok(if known.is_some() {
        Settled::AlreadySettled
    } else {
        Settled::Nothing
    })
}
