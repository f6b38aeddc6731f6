//! Which VAT an invoice carries, from the buyer's country and VAT number. The seller is in
//! France:
//! - a buyer in France pays French VAT (20 %);
//! - a business in another EU state (a valid VAT number of that state) pays none: it accounts
//!   for the VAT itself ("Autoliquidation", reverse charge, CGI art. 283-2);
//! - a person in another EU state pays that state's standard rate (the one-stop shop rule for
//!   services supplied electronically);
//! - a buyer outside the EU pays no French VAT (CGI art. 259 B).
//!
//! A VAT number is checked offline, format and checksum per country (`vat_id_validator`).

use app::i18n::Key;

/// Standard VAT rates of the EU member states in 2025, per mille.
const EU_STANDARD_RATES: [(&str, i64); 27] = [
    ("AT", 200),
    ("BE", 210),
    ("BG", 200),
    ("CY", 190),
    ("CZ", 210),
    ("DE", 190),
    ("DK", 250),
    ("EE", 240),
    ("ES", 210),
    ("FI", 255),
    ("FR", 200),
    ("GR", 240),
    ("HR", 250),
    ("HU", 270),
    ("IE", 230),
    ("IT", 220),
    ("LT", 210),
    ("LU", 170),
    ("LV", 210),
    ("MT", 180),
    ("NL", 210),
    ("PL", 230),
    ("PT", 230),
    ("RO", 210),
    ("SE", 250),
    ("SI", 220),
    ("SK", 230),
];

pub const SELLER_COUNTRY: &str = "FR";

/// Why an invoice carries the VAT it does; the invoice's `vat_mention`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mention {
    /// The rate of the buyer's country (France, or a person elsewhere in the EU).
    Standard,
    /// A business elsewhere in the EU: no VAT, "Autoliquidation".
    ReverseCharge,
    /// Outside the EU: no French VAT.
    OutsideEu,
}

impl Mention {
    pub fn code(self) -> &'static str {
        match self {
            Mention::Standard => "standard",
            Mention::ReverseCharge => "reverse_charge",
            Mention::OutsideEu => "outside_eu",
        }
    }

    pub fn from_code(code: &str) -> Mention {
        match code {
            "reverse_charge" => Mention::ReverseCharge,
            "outside_eu" => Mention::OutsideEu,
            _ => Mention::Standard,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Vat {
    pub rate_permille: i64,
    pub mention: Mention,
}

pub fn standard_rate(country: &str) -> Option<i64> {
    EU_STANDARD_RATES
        .iter()
        .find(|(code, _)| *code == country)
        .map(|(_, rate)| *rate)
}

/// The VAT of an invoice to a buyer in `country` (ISO code; empty when unknown, which bills
/// as France) with `vat_number` (already checked; empty for none).
pub fn for_buyer(country: &str, vat_number: &str) -> Vat {
    let country = if country.is_empty() { SELLER_COUNTRY } else { country };
    match standard_rate(country) {
        None => Vat {
            rate_permille: 0,
            mention: Mention::OutsideEu,
        },
        Some(_) if country != SELLER_COUNTRY && !vat_number.is_empty() => Vat {
            rate_permille: 0,
            mention: Mention::ReverseCharge,
        },
        Some(rate) => Vat {
            rate_permille: rate,
            mention: Mention::Standard,
        },
    }
}

/// The prefix a country's VAT numbers start with (Greece writes EL).
fn prefix(country: &str) -> &str {
    if country == "GR" {
        "EL"
    } else {
        country
    }
}

/// A VAT number as stored (upper case, no spaces or dots), checked against the billing
/// country: format and checksum. Empty stays empty (the field is optional).
pub fn checked_number(typed: &str, country: Option<&str>) -> Result<String, Key> {
    let number = vat_id_validator::remove_extra_chars(typed);
    if number.is_empty() {
        return Ok(number);
    }
    if number.len() > 20 {
        return Err(Key::ErrVatInvalid);
    }
    let Some(country) = country else {
        return Err(Key::ErrVatNeedsCountry);
    };
    if standard_rate(country).is_none() {
        return Err(Key::ErrVatOutsideEu);
    }
    if !number.starts_with(prefix(country)) {
        return Err(Key::ErrVatWrongCountry);
    }
    if vat_id_validator::check_vat_by_country(&number, country).is_valid {
        Ok(number)
    } else {
        Err(Key::ErrVatInvalid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vat_follows_the_buyer() {
        let france = for_buyer("FR", "");
        assert_eq!((france.rate_permille, france.mention), (200, Mention::Standard));
        // A French business still pays French VAT.
        assert_eq!(for_buyer("FR", "FR40303265045").rate_permille, 200);
        // Unknown country: billed as France.
        assert_eq!(for_buyer("", "").rate_permille, 200);
        let german_person = for_buyer("DE", "");
        assert_eq!(
            (german_person.rate_permille, german_person.mention),
            (190, Mention::Standard)
        );
        let german_business = for_buyer("DE", "DE136695976");
        assert_eq!(
            (german_business.rate_permille, german_business.mention),
            (0, Mention::ReverseCharge)
        );
        let swiss = for_buyer("CH", "");
        assert_eq!((swiss.rate_permille, swiss.mention), (0, Mention::OutsideEu));
        assert_eq!(for_buyer("FI", "").rate_permille, 255);
    }

    #[test]
    fn vat_numbers_are_checked_per_country() {
        assert_eq!(checked_number("", Some("FR")), Ok(String::new()));
        assert_eq!(
            checked_number("fr 40 303 265 045", Some("FR")),
            Ok("FR40303265045".into())
        );
        assert_eq!(checked_number("DE136695976", Some("DE")), Ok("DE136695976".into()));
        // One digit changed: the checksum fails.
        assert_eq!(checked_number("FR40303265046", Some("FR")), Err(Key::ErrVatInvalid));
        assert_eq!(checked_number("DE136695977", Some("DE")), Err(Key::ErrVatInvalid));
        assert_eq!(
            checked_number("FR40303265045", Some("DE")),
            Err(Key::ErrVatWrongCountry)
        );
        assert_eq!(checked_number("FR40303265045", None), Err(Key::ErrVatNeedsCountry));
        assert_eq!(checked_number("CHE123456789", Some("CH")), Err(Key::ErrVatOutsideEu));
        assert_eq!(checked_number("FR123", Some("FR")), Err(Key::ErrVatInvalid));
        assert_eq!(checked_number(&"9".repeat(300), Some("FR")), Err(Key::ErrVatInvalid));
    }
}
