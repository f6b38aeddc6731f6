//! The monthly invoice run: one invoice per account with usage in the month, then payment.
//! Running it again for the same month changes nothing: an account with an invoice for the
//! month is skipped, and only invoices still `new` (a run stopped between issuing and paying)
//! are paid.

use super::money::Month;
use crate::config::Config;
use crate::db::billing::invoices::{self, StoredInvoice};
use crate::db::billing::methods::Kind;
use crate::db::billing::payment::{self, Failure, Owner, Step};
use crate::db::events::Actor;
use crate::db::mail_queue::OutgoingMail;
use crate::db::Db;
use crate::mail::compose::{notice, Notice};
use app::i18n::{Key, Lang};
use app::model::format_euros;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunSummary {
    pub issued: usize,
    pub paid: usize,
    pub failed: usize,
    /// Referrers credited for their referees' paid invoices.
    pub referral_credits: usize,
}

impl std::fmt::Display for RunSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} invoice(s) issued; {} paid, {} failed; {} referral credit(s)",
            self.issued, self.paid, self.failed, self.referral_credits
        )
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("{0} is not over yet: a month is billed once it has ended")]
    MonthNotOver(Month),
    #[error("{0}")]
    Settings(String),
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
}

/// The mail an owner gets when an invoice could not be paid.
pub fn payment_failed_mail(
    public_url: &str,
    owner: &Owner,
    invoice: &StoredInvoice,
    failure: &Failure,
) -> OutgoingMail {
    let lang = Lang::from_code(&owner.lang).unwrap_or_default();
    let amount = format_euros(invoice.total_with_vat_cents, lang);
    let body = match failure {
        Failure::NoMethod => Key::MailPaymentFailedBody.text(lang).to_string(),
        Failure::Declined { method, .. } => {
            let method = match method {
                Kind::Card => Key::MethodCard,
                Kind::Sepa => Key::MethodSepa,
            };
            Key::MailPaymentDeclinedBody
                .text(lang)
                .replace("{method}", method.text(lang))
        }
    }
    .replace("{number}", &invoice.number)
    .replace("{amount}", &amount);
    let link = format!("{}/account/billing", public_url.trim_end_matches('/'));
    notice(Notice {
        to: &owner.email,
        username: &owner.username,
        lang,
        subject: Key::MailPaymentFailedSubject.text(lang),
        paragraphs: &[&body],
        link: Some((Key::MailPaymentFailedLink.text(lang), &link)),
    })
}

/// Bills `month` at `at`: issues the invoices, then pays each in Scalingo's order.
pub async fn run_month(db: &Db, config: &Config, month: Month, at: i64) -> Result<RunSummary, RunError> {
    if month >= Month::of(at) {
        return Err(RunError::MonthNotOver(month));
    }
    let seller = config.billing.require_seller().map_err(RunError::Settings)?;
    let price = config.billing.app_hour_price_cents;
    let mut summary = RunSummary::default();
    for user_id in invoices::accounts_to_invoice(db, month).await? {
        if invoices::issue(db, &user_id, month, price, seller, at).await?.is_some() {
            summary.issued += 1;
        }
    }
    let actor = Actor {
        ip: None,
        user_agent: Some("vestibule billing run".into()),
    };
    let public_url = config.public_url.clone();
    let mail = move |owner: &Owner, invoice: &StoredInvoice, failure: &Failure| {
        payment_failed_mail(&public_url, owner, invoice, failure)
    };
    for invoice_id in invoices::unpaid_in_month(db, month, at).await? {
        match payment::begin(db, &invoice_id, &actor, at, &mail).await? {
            Step::Settled => {}
            Step::PaidFromCredit => summary.paid += 1,
            Step::Failed(_) => summary.failed += 1,
            Step::Charge(claimed) => {
                let payment::Claimed {
                    invoice,
                    method,
                    customer,
                } = *claimed;
                let outcome = match config.billing.stripe.as_ref() {
                    Some(stripe) => {
                        let answer = stripe
                            .charge(
                                &customer,
                                &method.provider_id,
                                invoice.total_with_vat_cents,
                                &format!("Facture {}", invoice.number),
                                &format!("invoice-{}", invoice.id),
                            )
                            .await;
                        crate::host::payments::charge_outcome(answer, "invoice")
                    }
                    // Methods stored while Stripe was set up, and it is no longer: try later.
                    None => payment::ChargeOutcome::Unavailable,
                };
                payment::finish(db, &invoice, &method, &outcome, &actor, at, &mail).await?;
                match outcome {
                    payment::ChargeOutcome::Succeeded { .. } => summary.paid += 1,
                    payment::ChargeOutcome::Declined { .. } => summary.failed += 1,
                    payment::ChargeOutcome::Processing { .. } | payment::ChargeOutcome::Unavailable => {}
                }
            }
        }
    }
    summary.referral_credits = crate::db::referrals::credit_referrers(db, month, &actor, at).await?;
    Ok(summary)
}

/// The automatic run, called by the server's hourly sweep: bills the month before once the
/// month reaches `VESTIBULE_BILLING_RUN_DAY`. `None` when it is off, before that day, or when
/// the seller's details are missing (the server said so at start-up). Several instances may
/// run it at once: the run is safe in parallel.
pub async fn scheduled(db: &Db, config: &Config, at: i64) -> Option<Result<(Month, RunSummary), RunError>> {
    let day = time::OffsetDateTime::from_unix_timestamp(at).ok()?.day();
    let settings = &config.billing;
    if settings.run_day == 0 || day < settings.run_day || settings.seller.is_none() {
        return None;
    }
    let month = Month::of(at).previous();
    Some(run_month(db, config, month, at).await.map(|summary| (month, summary)))
}
