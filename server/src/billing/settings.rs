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
        Ok(BillingSettings {
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
