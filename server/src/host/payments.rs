//! Payment methods (a card through Stripe.js, a SEPA mandate from an IBAN), the default, and
//! prepaid credit bought with it. Every change needs the re-authentication window (a session
//! someone else sits at must not add, remove or spend), and records its event.

use super::{actor, internal, ServerHost};
use crate::billing::stripe::{Charge, ProviderError, Stripe};
use crate::db::billing::methods::{self, Kind, StoredMethod};
use crate::db::billing::payment::ChargeOutcome;
use crate::db::billing::purchases;
use crate::db::now;
use app::error::AppError;
use app::host::Caller;
use app::i18n::Key;
use app::model::{AuthChanged, CardSetup};
use iban::IbanLike;

/// The provider's answer in the host's terms; the detail of an outage goes to the log.
pub fn charge_outcome(answer: Result<Charge, ProviderError>, what: &str) -> ChargeOutcome {
    match answer {
        Ok(Charge::Succeeded { intent_id }) => ChargeOutcome::Succeeded { intent: intent_id },
        Ok(Charge::Processing { intent_id }) => ChargeOutcome::Processing { intent: intent_id },
        Ok(Charge::Failed { message }) | Err(ProviderError::Declined { message, .. }) => {
            ChargeOutcome::Declined { message }
        }
        Err(ProviderError::Unavailable(detail)) => {
            tracing::warn!(%what, %detail, "payment provider unavailable");
            ChargeOutcome::Unavailable
        }
    }
}

/// A refusal the user can act on.
fn provider_error(caller: &Caller, error: ProviderError, field: &'static str) -> AppError {
    match error {
        ProviderError::Declined { code, .. } if code == "card_declined" => {
            AppError::invalid(field, Key::ErrCardDeclined)
        }
        ProviderError::Declined { code, .. } if code == "setup_intent_unusable" => {
            AppError::invalid(field, Key::ErrCardNotConfirmed)
        }
        ProviderError::Declined { .. } => AppError::invalid(field, Key::ErrPaymentMethodRefused),
        ProviderError::Unavailable(detail) => {
            tracing::warn!(request_id = %caller.request_id, %detail, "payment provider unavailable");
            AppError::Conflict(Key::ErrProviderUnavailable)
        }
    }
}

/// `"20"`, `"20.5"`, `"20,50"`, `"€ 20"` → 2050 cents; `None` for anything else.
pub fn euros_to_cents(typed: &str) -> Option<i64> {
    let cleaned: String = typed
        .trim()
        .trim_start_matches('€')
        .trim_end_matches('€')
        .trim()
        .replace(',', ".");
    let (whole, fraction) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
    if whole.is_empty() || whole.len() > 7 || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if fraction.len() > 2 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let cents = format!("{fraction:0<2}").parse::<i64>().ok()?;
    Some(whole.parse::<i64>().ok()? * 100 + cents)
}

/// An IBAN as stored for the provider (no spaces, capitals), checked: country length and the
/// mod-97 check digits (`iban_validate`).
pub fn checked_iban(typed: &str) -> Result<iban::Iban, Key> {
    let compact: String = typed
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    if compact.is_empty() {
        return Err(Key::ErrRequired);
    }
    if compact.len() > 34 {
        return Err(Key::ErrIbanInvalid);
    }
    compact.parse::<iban::Iban>().map_err(|_| Key::ErrIbanInvalid)
}

impl ServerHost {
    pub fn stripe(&self) -> Option<&Stripe> {
        self.config.billing.stripe.as_ref()
    }

    fn require_stripe(&self) -> Result<&Stripe, AppError> {
        self.stripe().ok_or(AppError::Conflict(Key::ErrPaymentsNotConfigured))
    }

    /// The account's customer at the provider, made on first need.
    async fn customer(&self, caller: &Caller, stripe: &Stripe) -> Result<String, AppError> {
        let fail = |e: sqlx::Error| internal(&caller.request_id, e);
        if let Some(id) = methods::customer_of(&self.db, &caller.user_id).await.map_err(fail)? {
            return Ok(id);
        }
        let user = self.user(caller).await?;
        let made = stripe
            .create_customer(&user.email, &user.username, &user.id)
            .await
            .map_err(|e| provider_error(caller, e, "payment_method"))?;
        methods::keep_customer(&self.db, &caller.user_id, &made)
            .await
            .map_err(fail)
    }

    /// Starts adding a card: the SetupIntent's secret for Stripe.js.
    pub async fn begin_card(&self, caller: &Caller) -> Result<CardSetup, AppError> {
        self.require_recent_auth(caller).await?;
        let stripe = self.require_stripe()?;
        let customer = self.customer(caller, stripe).await?;
        let intent = stripe
            .card_setup(&customer)
            .await
            .map_err(|e| provider_error(caller, e, "card"))?;
        Ok(CardSetup {
            client_secret: intent.client_secret,
            publishable_key: stripe.settings().publishable_key.clone(),
            js_url: stripe.settings().js_url.clone(),
        })
    }

    /// Keeps the card Stripe.js confirmed: brand, last four and expiry only.
    pub async fn finish_card(&self, caller: &Caller, setup_intent: &str) -> Result<AuthChanged, AppError> {
        self.require_recent_auth(caller).await?;
        let stripe = self.require_stripe()?;
        // It goes into the provider's URL: only what Stripe's ids are made of.
        let setup_intent = setup_intent.trim();
        let well_formed = setup_intent.starts_with("seti_")
            && setup_intent.len() <= 255
            && setup_intent.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        if !well_formed {
            return Err(AppError::invalid("card", Key::ErrCardNotConfirmed));
        }
        let customer = self.customer(caller, stripe).await?;
        let card = stripe
            .finish_card(&customer, setup_intent)
            .await
            .map_err(|e| provider_error(caller, e, "card"))?;
        let fail = |e: sqlx::Error| internal(&caller.request_id, e);
        // The same card finished twice (a double click): it is there already.
        match methods::owner_of_provider_id(&self.db, &card.provider_id)
            .await
            .map_err(fail)?
        {
            Some(owner) if owner == caller.user_id => return Ok(AuthChanged { what: Key::CardAdded }),
            Some(_) => return Err(AppError::invalid("card", Key::ErrCardNotConfirmed)),
            None => {}
        }
        let method = StoredMethod {
            id: uuid::Uuid::new_v4().to_string(),
            user_id: caller.user_id.clone(),
            kind: Kind::Card,
            provider_id: card.provider_id,
            brand: card.brand,
            last4: card.last4,
            exp_month: card.exp_month,
            exp_year: card.exp_year,
            country: String::new(),
            holder: String::new(),
            mandate_reference: String::new(),
            mandate_signed_at: 0,
            mandate_ip: String::new(),
            is_default: false,
            created_at: now(),
        };
        methods::add(&self.db, &method, &actor(caller))
            .await
            .map_err(|e| internal(&caller.request_id, e))?;
        Ok(AuthChanged { what: Key::CardAdded })
    }

    /// Signs a SEPA Direct Debit mandate: the IBAN checked here first, the mandate's reference
    /// from the provider, its signature date and address kept for the mandate's PDF.
    pub async fn add_sepa(
        &self,
        caller: &Caller,
        iban: &str,
        holder: &str,
        accepted: bool,
    ) -> Result<AuthChanged, AppError> {
        let mut problems = Vec::new();
        let iban = checked_iban(iban).map_err(|key| problems.push(app::error::FieldError::new("iban", key)));
        let holder = holder.trim();
        if holder.is_empty() {
            problems.push(app::error::FieldError::new("holder", Key::ErrRequired));
        } else if holder.chars().count() > 70 {
            problems.push(app::error::FieldError::new("holder", Key::ErrNameTooLong));
        }
        if !accepted {
            problems.push(app::error::FieldError::new(
                "accept_mandate",
                Key::ErrMandateNotAccepted,
            ));
        }
        let Ok(iban) = iban else {
            return Err(AppError::Invalid(problems));
        };
        if !problems.is_empty() {
            return Err(AppError::Invalid(problems));
        }
        self.require_recent_auth(caller).await?;
        let stripe = self.require_stripe()?;
        let customer = self.customer(caller, stripe).await?;
        let user = self.user(caller).await?;
        let sepa = stripe
            .add_sepa(&customer, iban.electronic_str(), holder, &user.email)
            .await
            .map_err(|e| provider_error(caller, e, "iban"))?;
        let at = now();
        let reference = if sepa.mandate_reference.is_empty() {
            format!(
                "VST-{}",
                &uuid::Uuid::new_v4().simple().to_string()[..20].to_uppercase()
            )
        } else {
            sepa.mandate_reference
        };
        let method = StoredMethod {
            id: uuid::Uuid::new_v4().to_string(),
            user_id: caller.user_id.clone(),
            kind: Kind::Sepa,
            provider_id: sepa.provider_id,
            brand: "sepa_debit".into(),
            last4: sepa.last4,
            exp_month: 0,
            exp_year: 0,
            country: if sepa.country.is_empty() {
                iban.country_code().to_string()
            } else {
                sepa.country
            },
            holder: holder.to_string(),
            mandate_reference: reference,
            mandate_signed_at: at,
            mandate_ip: caller.ip.clone(),
            is_default: false,
            created_at: at,
        };
        methods::add(&self.db, &method, &actor(caller))
            .await
            .map_err(|e| internal(&caller.request_id, e))?;
        Ok(AuthChanged {
            what: Key::MandateSigned,
        })
    }

    pub async fn make_default_method(&self, caller: &Caller, id: &str) -> Result<AuthChanged, AppError> {
        self.require_recent_auth(caller).await?;
        let done = methods::make_default(&self.db, &caller.user_id, id, &actor(caller))
            .await
            .map_err(|e| internal(&caller.request_id, e))?;
        if !done {
            return Err(AppError::NotFound);
        }
        Ok(AuthChanged {
            what: Key::DefaultMethodChanged,
        })
    }

    /// Removes a method here, then detaches it at the provider (a failure there is logged: the
    /// method is never charged again, as only stored methods are).
    pub async fn remove_method(&self, caller: &Caller, id: &str) -> Result<AuthChanged, AppError> {
        self.require_recent_auth(caller).await?;
        let removed = methods::remove(&self.db, &caller.user_id, id, &actor(caller))
            .await
            .map_err(|e| internal(&caller.request_id, e))?
            .ok_or(AppError::NotFound)?;
        if let Some(stripe) = self.stripe() {
            if let Err(e) = stripe.detach(&removed.provider_id).await {
                tracing::warn!(request_id = %caller.request_id, error = %e, "payment method not detached at the provider");
            }
        }
        Ok(AuthChanged {
            what: Key::PaymentMethodRemoved,
        })
    }

    /// Buys credit with the default method: at least 5 €. The same form (`request_key`) sent
    /// twice buys once: the second copy is told so, and nothing is charged.
    pub async fn buy_credit(&self, caller: &Caller, amount: &str, request_key: &str) -> Result<AuthChanged, AppError> {
        if !purchases::is_request_key(request_key) {
            return Err(AppError::invalid("amount", Key::ErrPurchaseFormOutOfDate));
        }
        let cents = euros_to_cents(amount)
            .filter(|c| (purchases::MIN_CENTS..=purchases::MAX_CENTS).contains(c))
            .ok_or_else(|| AppError::invalid("amount", Key::ErrCreditAmount))?;
        self.require_recent_auth(caller).await?;
        let stripe = self.require_stripe()?;
        let fail = |e: sqlx::Error| internal(&caller.request_id, e);
        let mut conn = self.db.pool.acquire().await.map_err(fail)?;
        let method = methods::default_of(&mut conn, &caller.user_id)
            .await
            .map_err(fail)?
            .ok_or_else(|| AppError::invalid("amount", Key::ErrNoPaymentMethod))?;
        drop(conn);
        let customer = self.customer(caller, stripe).await?;
        let at = now();
        let purchase = match purchases::start(&self.db, &caller.user_id, request_key, cents, method.kind, at)
            .await
            .map_err(fail)?
        {
            purchases::Started::New(id) => id,
            purchases::Started::AlreadySent => {
                return Ok(AuthChanged {
                    what: Key::CreditAlreadySent,
                })
            }
        };
        let answer = stripe
            .charge(
                &customer,
                &method.provider_id,
                cents,
                "Prepaid credit",
                &format!("credit-{purchase}"),
            )
            .await;
        let outcome = charge_outcome(answer, "credit purchase");
        let state = purchases::finish(&self.db, &caller.user_id, &purchase, &outcome, &actor(caller), at)
            .await
            .map_err(fail)?;
        match state {
            "succeeded" => {
                // Credit bought after a failed invoice pays it.
                crate::db::billing::payment::pay_failed_from_credit(&self.db, &caller.user_id, &actor(caller), at)
                    .await
                    .map_err(fail)?;
                Ok(AuthChanged {
                    what: Key::CreditBought,
                })
            }
            "processing" => Ok(AuthChanged {
                what: Key::CreditProcessing,
            }),
            "unknown" => Err(AppError::Conflict(Key::ErrPaymentUnconfirmed)),
            _ => Err(AppError::invalid("amount", Key::ErrChargeDeclined)),
        }
    }

    pub async fn payment_methods(&self, caller: &Caller) -> Result<Vec<StoredMethod>, AppError> {
        let fail = |e: sqlx::Error| internal(&caller.request_id, e);
        let mut conn = self.db.pool.acquire().await.map_err(fail)?;
        methods::list(&mut conn, &caller.user_id).await.map_err(fail)
    }

    pub async fn sepa_method(&self, caller: &Caller, id: &str) -> Result<StoredMethod, AppError> {
        let fail = |e: sqlx::Error| internal(&caller.request_id, e);
        let mut conn = self.db.pool.acquire().await.map_err(fail)?;
        methods::find_owned(&mut conn, &caller.user_id, id)
            .await
            .map_err(fail)?
            .filter(|m| m.kind == Kind::Sepa)
            .ok_or(AppError::NotFound)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_read_as_people_type_them() {
        assert_eq!(euros_to_cents("20"), Some(2000));
        assert_eq!(euros_to_cents("20,5"), Some(2050));
        assert_eq!(euros_to_cents(" 20.05 "), Some(2005));
        assert_eq!(euros_to_cents("€5"), Some(500));
        assert_eq!(euros_to_cents("5 €"), Some(500));
        for bad in ["", "-5", "5.005", "1e3", "five", "12345678", "5.5.5"] {
            assert_eq!(euros_to_cents(bad), None, "{bad}");
        }
    }

    #[test]
    fn ibans_are_checked_before_the_provider_sees_them() {
        let ok = checked_iban("fr14 2004 1010 0505 0001 3m02 606").map(|i| i.electronic_str().to_string());
        assert_eq!(ok, Ok("FR1420041010050500013M02606".into()));
        assert_eq!(
            checked_iban("FR1420041010050500013M02607").err(),
            Some(Key::ErrIbanInvalid)
        );
        assert_eq!(checked_iban("").err(), Some(Key::ErrRequired));
        assert_eq!(checked_iban(&"1".repeat(200)).err(), Some(Key::ErrIbanInvalid));
    }
}
