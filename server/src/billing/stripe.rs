//! The payment provider: Stripe, behind `PaymentProvider`, the one interface the host uses.
//!
//! Called over its REST API with reqwest and serde, reading only the fields used here. Not the
//! `async-stripe` crate: its 1.0 line is still a release candidate, its generated crates are
//! the largest build in the tree on two cores, and its strict types refuse the older object
//! shapes `localstripe` (the stand-in the tests run against) answers with.

use serde::Deserialize;
use std::time::Duration;

/// Stripe's settings: both keys or neither.
#[derive(Clone)]
pub struct StripeSettings {
    pub secret_key: String,
    pub publishable_key: String,
    /// `VESTIBULE_STRIPE_API_URL`, Stripe's own by default.
    pub api_url: String,
    /// `VESTIBULE_STRIPE_JS_URL`, the Stripe.js the card page loads.
    pub js_url: String,
    /// `VESTIBULE_STRIPE_WEBHOOK_SECRET` (`whsec_…`): without it webhooks are refused.
    pub webhook_secret: Option<String>,
}

impl std::fmt::Debug for StripeSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StripeSettings")
            .field("api_url", &self.api_url)
            .field("js_url", &self.js_url)
            .field("webhook_secret", &self.webhook_secret.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

impl StripeSettings {
    /// The origin (`scheme://host[:port]`) of a URL, for the CSP.
    pub fn origin(url: &str) -> Option<String> {
        let parsed = url::Url::parse(url).ok()?;
        match parsed.origin() {
            url::Origin::Tuple(..) => Some(parsed.origin().ascii_serialization()),
            url::Origin::Opaque(_) => None,
        }
    }
}

/// What went wrong with the provider, in terms the host can act on.
#[derive(Debug, thiserror::Error)]
pub enum ProviderError {
    /// The provider refused the payment method or the payment (a declined card, a bad IBAN):
    /// its message is for the user.
    #[error("{message}")]
    Declined { code: String, message: String },
    /// The provider could not be reached or answered something unexpected: the user is told
    /// to try again later; the detail goes to the log.
    #[error("payment provider unavailable: {0}")]
    Unavailable(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CardDetails {
    pub provider_id: String,
    pub brand: String,
    pub last4: String,
    pub exp_month: i64,
    pub exp_year: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SepaDetails {
    pub provider_id: String,
    pub country: String,
    pub last4: String,
    pub mandate_reference: String,
}

/// How a charge ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Charge {
    Succeeded {
        intent_id: String,
    },
    /// Accepted, money not there yet (a SEPA debit takes days): a webhook tells the end.
    Processing {
        intent_id: String,
    },
    Failed {
        message: String,
    },
}

#[derive(Clone)]
pub struct Stripe {
    settings: StripeSettings,
    client: reqwest::Client,
}

impl std::fmt::Debug for Stripe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Stripe").field("settings", &self.settings).finish()
    }
}

#[derive(Deserialize)]
struct ErrorBody {
    error: ErrorDetail,
}

#[derive(Deserialize)]
struct ErrorDetail {
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    message: Option<String>,
}

#[derive(Deserialize)]
struct Id {
    id: String,
}

#[derive(Deserialize)]
pub struct SetupIntent {
    pub id: String,
    pub client_secret: String,
    #[serde(default)]
    pub customer: Option<String>,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub payment_method: Option<String>,
}

#[derive(Deserialize)]
struct PaymentMethod {
    id: String,
    #[serde(default)]
    card: Option<CardObject>,
    #[serde(default)]
    sepa_debit: Option<SepaObject>,
}

#[derive(Deserialize)]
struct CardObject {
    #[serde(default)]
    brand: String,
    #[serde(default)]
    last4: String,
    #[serde(default)]
    exp_month: i64,
    #[serde(default)]
    exp_year: i64,
}

#[derive(Deserialize)]
struct SepaObject {
    #[serde(default)]
    country: String,
    #[serde(default)]
    last4: String,
    #[serde(default)]
    mandate_reference: Option<String>,
}

#[derive(Deserialize)]
struct PaymentIntent {
    id: String,
    status: String,
    #[serde(default)]
    last_payment_error: Option<ErrorDetail>,
}

impl Stripe {
    pub fn new(settings: StripeSettings) -> Result<Stripe, String> {
        let client = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(20))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Stripe { settings, client })
    }

    pub fn settings(&self) -> &StripeSettings {
        &self.settings
    }

    fn url(&self, path: &str) -> String {
        format!("{}/v1/{path}", self.settings.api_url.trim_end_matches('/'))
    }

    /// A form-encoded call; Stripe's errors become `Declined` when they are about the card or
    /// the account details, `Unavailable` otherwise.
    async fn call<T: serde::de::DeserializeOwned>(
        &self,
        method: reqwest::Method,
        path: &str,
        form: &[(&str, &str)],
        idempotency_key: Option<&str>,
    ) -> Result<T, ProviderError> {
        let mut request = self
            .client
            .request(method, self.url(path))
            .basic_auth(&self.settings.secret_key, Some(""));
        if !form.is_empty() {
            request = request.form(form);
        }
        if let Some(key) = idempotency_key {
            request = request.header("Idempotency-Key", key);
        }
        let response = request
            .send()
            .await
            .map_err(|e| ProviderError::Unavailable(format!("{path}: {e}")))?;
        let status = response.status();
        let bytes = response
            .bytes()
            .await
            .map_err(|e| ProviderError::Unavailable(format!("{path}: {e}")))?;
        if status.is_success() {
            return serde_json::from_slice(&bytes)
                .map_err(|e| ProviderError::Unavailable(format!("{path}: unreadable answer: {e}")));
        }
        match serde_json::from_slice::<ErrorBody>(&bytes) {
            // 401 (our key), 409 (the same idempotency key still in flight) and 429 (rate limit)
            // say nothing about the card: they are outages, retried later.
            Ok(body) if status.is_client_error() && !matches!(status.as_u16(), 401 | 403 | 409 | 429) => {
                Err(ProviderError::Declined {
                    code: body.error.code.unwrap_or_default(),
                    message: body.error.message.unwrap_or_default(),
                })
            }
            _ => Err(ProviderError::Unavailable(format!("{path}: HTTP {status}"))),
        }
    }

    pub async fn create_customer(&self, email: &str, name: &str, account_id: &str) -> Result<String, ProviderError> {
        let form = [("email", email), ("name", name), ("metadata[account_id]", account_id)];
        let customer: Id = self
            .call(
                reqwest::Method::POST,
                "customers",
                &form,
                Some(&format!("customer-{account_id}")),
            )
            .await?;
        Ok(customer.id)
    }

    /// A SetupIntent for a card: its client secret goes to Stripe.js in the browser.
    pub async fn card_setup(&self, customer: &str) -> Result<SetupIntent, ProviderError> {
        let form = [
            ("customer", customer),
            ("payment_method_types[]", "card"),
            ("usage", "off_session"),
        ];
        self.call(reqwest::Method::POST, "setup_intents", &form, None).await
    }

    /// Checks the SetupIntent the browser confirmed (ours, succeeded), attaches its card to the
    /// customer and reads what is kept of it.
    pub async fn finish_card(&self, customer: &str, setup_intent_id: &str) -> Result<CardDetails, ProviderError> {
        let path = format!("setup_intents/{setup_intent_id}");
        let intent: SetupIntent = self.call(reqwest::Method::GET, &path, &[], None).await?;
        let unusable = || ProviderError::Declined {
            code: "setup_intent_unusable".into(),
            message: String::new(),
        };
        if intent.customer.as_deref() != Some(customer) || intent.status != "succeeded" {
            return Err(unusable());
        }
        let method_id = intent.payment_method.ok_or_else(unusable)?;
        let attached: PaymentMethod = self
            .call(
                reqwest::Method::POST,
                &format!("payment_methods/{method_id}/attach"),
                &[("customer", customer)],
                None,
            )
            .await?;
        let card = attached.card.ok_or_else(unusable)?;
        Ok(CardDetails {
            provider_id: attached.id,
            brand: card.brand,
            last4: card.last4,
            exp_month: card.exp_month,
            exp_year: card.exp_year,
        })
    }

    /// A SEPA Direct Debit method from an IBAN (already checked here), attached to the customer.
    pub async fn add_sepa(
        &self,
        customer: &str,
        iban: &str,
        holder: &str,
        email: &str,
    ) -> Result<SepaDetails, ProviderError> {
        let form = [
            ("type", "sepa_debit"),
            ("sepa_debit[iban]", iban),
            ("billing_details[name]", holder),
            ("billing_details[email]", email),
        ];
        let created: PaymentMethod = self.call(reqwest::Method::POST, "payment_methods", &form, None).await?;
        let attached: PaymentMethod = self
            .call(
                reqwest::Method::POST,
                &format!("payment_methods/{}/attach", created.id),
                &[("customer", customer)],
                None,
            )
            .await?;
        let sepa = attached
            .sepa_debit
            .ok_or_else(|| ProviderError::Unavailable("no sepa_debit".into()))?;
        Ok(SepaDetails {
            provider_id: attached.id,
            country: sepa.country,
            last4: sepa.last4,
            mandate_reference: sepa.mandate_reference.unwrap_or_default(),
        })
    }

    pub async fn detach(&self, provider_id: &str) -> Result<(), ProviderError> {
        let _: Id = self
            .call(
                reqwest::Method::POST,
                &format!("payment_methods/{provider_id}/detach"),
                &[],
                None,
            )
            .await?;
        Ok(())
    }

    /// Charges `amount_cents` euros off-session. The idempotency key makes a retried charge
    /// (after a crash or a timeout) the same charge, never a second one.
    pub async fn charge(
        &self,
        customer: &str,
        provider_id: &str,
        amount_cents: i64,
        description: &str,
        idempotency_key: &str,
    ) -> Result<Charge, ProviderError> {
        let amount = amount_cents.to_string();
        let form = [
            ("customer", customer),
            ("payment_method", provider_id),
            ("amount", amount.as_str()),
            ("currency", "eur"),
            // `description` would be Stripe's place for it; localstripe refuses the parameter,
            // and metadata serves the same reader (the operator in Stripe's dashboard).
            ("metadata[purpose]", description),
            ("metadata[reference]", idempotency_key),
            ("confirm", "true"),
            ("off_session", "true"),
        ];
        let answer: Result<PaymentIntent, ProviderError> = self
            .call(reqwest::Method::POST, "payment_intents", &form, Some(idempotency_key))
            .await;
        match answer {
            Ok(intent) if intent.status == "succeeded" => Ok(Charge::Succeeded { intent_id: intent.id }),
            Ok(intent) if intent.status == "processing" => Ok(Charge::Processing { intent_id: intent.id }),
            Ok(intent) => Ok(Charge::Failed {
                message: intent
                    .last_payment_error
                    .and_then(|e| e.message)
                    .unwrap_or_else(|| format!("payment {}", intent.status)),
            }),
            Err(ProviderError::Declined { message, .. }) => Ok(Charge::Failed { message }),
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_for_the_csp() {
        assert_eq!(
            StripeSettings::origin("https://js.stripe.com/v3/").as_deref(),
            Some("https://js.stripe.com")
        );
        assert_eq!(
            StripeSettings::origin("http://127.0.0.1:8420/js.stripe.com/v3/").as_deref(),
            Some("http://127.0.0.1:8420")
        );
        assert_eq!(StripeSettings::origin("not a url"), None);
    }
}
