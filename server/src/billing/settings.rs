//! The operator's billing settings: the price of an application hour, and the seller's details
//! every invoice must carry (a French invoice names the seller, its address, SIREN and VAT
//! number).

use crate::config::ConfigError;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seller {
    pub name: String,
    /// Lines of the postal address (the setting separates them with `|` or new lines).
    pub address: Vec<String>,
    pub siren: String,
    pub vat_number: String,
}

#[derive(Clone, Debug)]
pub struct BillingSettings {
    /// `VESTIBULE_APP_HOUR_PRICE_CENTS`, excluding VAT.
    pub app_hour_price_cents: i64,
    /// `None` until every `VESTIBULE_SELLER_*` setting is given: invoices cannot be issued then,
    /// and `missing_seller` says which are missing.
    pub seller: Option<Seller>,
    pub missing_seller: Vec<&'static str>,
    /// `VESTIBULE_BILLING_RUN_DAY`: from this day of the month (UTC) the server bills the month
    /// before by itself, leaving the days before it for the operator to record usage; 0 turns
    /// the automatic run off.
    pub run_day: u8,
    /// The payment provider, when `VESTIBULE_STRIPE_SECRET_KEY` and `…_PUBLISHABLE_KEY` are set.
    pub stripe: Option<super::stripe::Stripe>,
    /// `VESTIBULE_SEPA_CREDITOR_ID`, the SEPA creditor identifier mandates name (required with
    /// Stripe).
    pub creditor_id: String,
}

fn problem(name: &str, text: impl Into<String>) -> ConfigError {
    ConfigError {
        name: name.to_string(),
        problem: text.into(),
    }
}

/// A SIREN: nine digits whose Luhn sum is a multiple of ten.
pub fn valid_siren(siren: &str) -> bool {
    let digits: Vec<u32> = siren.chars().filter_map(|c| c.to_digit(10)).collect();
    if siren.len() != 9 || digits.len() != 9 {
        return false;
    }
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| match (i % 2 == 1, d * 2) {
            (true, doubled) if doubled > 9 => doubled - 9,
            (true, doubled) => doubled,
            (false, _) => *d,
        })
        .sum();
    sum.is_multiple_of(10)
}

/// Stripe's settings: both keys or neither, and the SEPA creditor identifier with them.
fn stripe_from_vars(
    var: &impl Fn(&str) -> Option<String>,
) -> Result<(Option<super::stripe::Stripe>, String), ConfigError> {
    let (secret_key, publishable_key) = match (var("STRIPE_SECRET_KEY"), var("STRIPE_PUBLISHABLE_KEY")) {
        (None, None) => return Ok((None, String::new())),
        (Some(secret), Some(public)) => (secret.trim().to_string(), public.trim().to_string()),
        (Some(_), None) => {
            return Err(problem(
                "VESTIBULE_STRIPE_PUBLISHABLE_KEY",
                "is required with VESTIBULE_STRIPE_SECRET_KEY",
            ))
        }
        (None, Some(_)) => {
            return Err(problem(
                "VESTIBULE_STRIPE_SECRET_KEY",
                "is required with VESTIBULE_STRIPE_PUBLISHABLE_KEY",
            ))
        }
    };
    let url = |name: &str, default: &str| -> Result<String, ConfigError> {
        let value = var(name).unwrap_or_else(|| default.to_string());
        match url::Url::parse(value.trim()) {
            Ok(parsed) if matches!(parsed.scheme(), "http" | "https") => Ok(value.trim().to_string()),
            _ => Err(problem(
                &format!("VESTIBULE_{name}"),
                format!("must be an http(s) URL, got {value:?}"),
            )),
        }
    };
    let creditor_id = var("SEPA_CREDITOR_ID")
        .map(|c| c.trim().to_uppercase())
        .unwrap_or_default();
    if !valid_creditor_id(&creditor_id) {
        return Err(problem(
            "VESTIBULE_SEPA_CREDITOR_ID",
            format!("is required with Stripe: the SEPA creditor identifier mandates name (like FR72ZZZ123456), got {creditor_id:?}"),
        ));
    }
    let settings = super::stripe::StripeSettings {
        secret_key,
        publishable_key,
        api_url: url("STRIPE_API_URL", "https://api.stripe.com")?,
        js_url: url("STRIPE_JS_URL", "https://js.stripe.com/v3/")?,
        webhook_secret: var("STRIPE_WEBHOOK_SECRET").map(|s| s.trim().to_string()),
    };
    let stripe = super::stripe::Stripe::new(settings).map_err(|e| problem("VESTIBULE_STRIPE_API_URL", e))?;
    Ok((Some(stripe), creditor_id))
}

/// A SEPA creditor identifier: country, two check digits, a three-character business code and
/// the national identifier, checked with ISO 7064 mod 97-10 (the business code left out).
pub fn valid_creditor_id(id: &str) -> bool {
    if !(8..=35).contains(&id.len()) || !id.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return false;
    }
    let (country, rest) = id.split_at(2);
    let (check, rest) = rest.split_at(2);
    let national = &rest[3..];
    let rearranged = format!("{national}{country}{check}");
    let mut remainder: u32 = 0;
    for c in rearranged.chars() {
        let Some(value) = c.to_digit(36) else {
            return false;
        };
        for digit in value.to_string().chars() {
            remainder = (remainder * 10 + digit.to_digit(10).unwrap_or(0)) % 97;
        }
    }
    country.bytes().all(|b| b.is_ascii_uppercase()) && remainder == 1
}

impl BillingSettings {
    /// `var` reads `VESTIBULE_<suffix>`, empty values counting as unset.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<BillingSettings, ConfigError> {
        let app_hour_price_cents = match var("APP_HOUR_PRICE_CENTS") {
            None => 1,
            Some(raw) => match raw.trim().parse::<i64>() {
                Ok(cents) if (0..=1_000_000).contains(&cents) => cents,
                _ => {
                    return Err(problem(
                        "VESTIBULE_APP_HOUR_PRICE_CENTS",
                        format!("must be a whole number of cents between 0 and 1000000, got {raw:?}"),
                    ))
                }
            },
        };
        let names = [
            ("SELLER_NAME", "VESTIBULE_SELLER_NAME"),
            ("SELLER_ADDRESS", "VESTIBULE_SELLER_ADDRESS"),
            ("SELLER_SIREN", "VESTIBULE_SELLER_SIREN"),
            ("SELLER_VAT_NUMBER", "VESTIBULE_SELLER_VAT_NUMBER"),
        ];
        let values: Vec<Option<String>> = names.iter().map(|(suffix, _)| var(suffix)).collect();
        let missing_seller: Vec<&'static str> = names
            .iter()
            .zip(&values)
            .filter(|(_, v)| v.is_none())
            .map(|((_, full), _)| *full)
            .collect();
        let seller = match values.as_slice() {
            [Some(name), Some(address), Some(siren), Some(vat)] => {
                let siren: String = siren.chars().filter(|c| !c.is_whitespace()).collect();
                if !valid_siren(&siren) {
                    return Err(problem(
                        "VESTIBULE_SELLER_SIREN",
                        format!("is not a SIREN (nine digits with a valid check digit), got {siren:?}"),
                    ));
                }
                let vat_number = super::vat::checked_number(vat, Some(super::vat::SELLER_COUNTRY)).map_err(|_| {
                    problem(
                        "VESTIBULE_SELLER_VAT_NUMBER",
                        format!("is not a valid French VAT number (FR and 11 characters), got {vat:?}"),
                    )
                })?;
                let address = address
                    .split(['|', '\n'])
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(String::from)
                    .collect();
                Some(Seller {
                    name: name.trim().to_string(),
                    address,
                    siren,
                    vat_number,
                })
            }
            _ => None,
        };
        let run_day = match var("BILLING_RUN_DAY") {
            None => 2,
            Some(raw) => match raw.trim().parse::<u8>() {
                Ok(day) if day <= 28 => day,
                _ => {
                    return Err(problem(
                        "VESTIBULE_BILLING_RUN_DAY",
                        format!("must be a day of the month from 1 to 28, or 0 for no automatic run, got {raw:?}"),
                    ))
                }
            },
        };
        let (stripe, creditor_id) = stripe_from_vars(&var)?;
        Ok(BillingSettings {
            stripe,
            creditor_id,
            run_day,
            app_hour_price_cents,
            seller,
            missing_seller,
        })
    }

    /// The seller, or an error naming the settings still missing.
    pub fn require_seller(&self) -> Result<&Seller, String> {
        self.seller.as_ref().ok_or_else(|| {
            format!(
                "invoices need the seller's details: set {} (see the README, Billing)",
                self.missing_seller.join(", ")
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn settings(pairs: &[(&str, &str)]) -> Result<BillingSettings, ConfigError> {
        let map: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        BillingSettings::from_vars(|k| map.get(k).cloned())
    }

    #[test]
    fn creditor_identifiers_have_check_digits() {
        assert!(valid_creditor_id("FR72ZZZ123456"));
        assert!(valid_creditor_id("DE98ZZZ09999999999"));
        assert!(!valid_creditor_id("FR73ZZZ123456"));
        assert!(!valid_creditor_id(""));
        assert!(!valid_creditor_id("FR12ZZZ"));
    }

    #[test]
    fn stripe_settings_come_together() {
        let half = settings(&[("STRIPE_SECRET_KEY", "sk_test")]).err().map(|e| e.name);
        assert_eq!(half.as_deref(), Some("VESTIBULE_STRIPE_PUBLISHABLE_KEY"));
        let no_creditor = settings(&[("STRIPE_SECRET_KEY", "sk"), ("STRIPE_PUBLISHABLE_KEY", "pk")])
            .err()
            .map(|e| e.name);
        assert_eq!(no_creditor.as_deref(), Some("VESTIBULE_SEPA_CREDITOR_ID"));
        let full = settings(&[
            ("STRIPE_SECRET_KEY", "sk"),
            ("STRIPE_PUBLISHABLE_KEY", "pk"),
            ("SEPA_CREDITOR_ID", "FR72ZZZ123456"),
            ("STRIPE_API_URL", "http://127.0.0.1:8420"),
        ]);
        let Ok(full) = full else {
            panic!("full Stripe settings refused")
        };
        let stripe = full.stripe.as_ref().map(|s| s.settings().api_url.clone());
        assert_eq!(stripe.as_deref(), Some("http://127.0.0.1:8420"));
        let bad_url = settings(&[
            ("STRIPE_SECRET_KEY", "sk"),
            ("STRIPE_PUBLISHABLE_KEY", "pk"),
            ("SEPA_CREDITOR_ID", "FR72ZZZ123456"),
            ("STRIPE_JS_URL", "javascript:alert(1)"),
        ]);
        assert_eq!(
            bad_url.err().map(|e| e.name).as_deref(),
            Some("VESTIBULE_STRIPE_JS_URL")
        );
    }

    #[test]
    fn sirens_have_a_check_digit() {
        assert!(valid_siren("303265045"));
        assert!(valid_siren("732829320"));
        assert!(!valid_siren("303265046"));
        assert!(!valid_siren("30326504"));
        assert!(!valid_siren("30326504a"));
    }

    #[test]
    fn seller_settings_are_all_or_nothing() {
        let none = settings(&[]).map_err(|e| e.problem);
        let none = none
            .as_ref()
            .map(|s| (s.app_hour_price_cents, s.seller.is_none(), s.missing_seller.len()));
        assert_eq!(none, Ok((1, true, 4)));
        let full = settings(&[
            ("SELLER_NAME", "Hébergeur SAS"),
            ("SELLER_ADDRESS", "1 rue de la Paix | 75002 Paris | France"),
            ("SELLER_SIREN", "303 265 045"),
            ("SELLER_VAT_NUMBER", "FR40303265045"),
            ("APP_HOUR_PRICE_CENTS", "3"),
        ]);
        let Ok(full) = full else {
            panic!("valid settings refused");
        };
        assert_eq!(full.app_hour_price_cents, 3);
        let seller = full.require_seller().map(|s| s.address.len());
        assert_eq!(seller, Ok(3));
        assert!(settings(&[("APP_HOUR_PRICE_CENTS", "-1")]).is_err());
        assert!(settings(&[("APP_HOUR_PRICE_CENTS", "1.5")]).is_err());
        let bad_siren = settings(&[
            ("SELLER_NAME", "X"),
            ("SELLER_ADDRESS", "Y"),
            ("SELLER_SIREN", "123456789"),
            ("SELLER_VAT_NUMBER", "FR40303265045"),
        ]);
        assert_eq!(bad_siren.err().map(|e| e.name), Some("VESTIBULE_SELLER_SIREN".into()));
        let missing = settings(&[("SELLER_NAME", "X")]).map(|s| s.require_seller().err());
        assert!(matches!(missing, Ok(Some(m)) if m.contains("VESTIBULE_SELLER_SIREN")));
    }
}
