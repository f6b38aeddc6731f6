//! The API tokens tab's data.

use super::{Day, Stamp};
use crate::i18n::Key;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenView {
    pub id: String,
    pub name: String,
    /// The secret's last four characters: enough to tell tokens apart, useless to an attacker.
    pub hint: String,
    pub created: Stamp,
    pub last_used: Option<Stamp>,
    pub expires: Option<Stamp>,
    pub expired: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokensOverview {
    pub tokens: Vec<TokenView>,
    /// Creating and renewing need the re-authentication window: until when it is open.
    pub reauth_until: Option<Stamp>,
    pub two_factor_on: bool,
}

/// A token's secret, answered once, when it is created or renewed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenSecret {
    pub id: String,
    pub name: String,
    pub secret: String,
    pub what: Key,
}

/// When a new token stops working, as the form offers it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TokenExpiry {
    Never,
    Days(u32),
    /// At the end of this day in the account's time zone.
    Date(Day),
}

impl TokenExpiry {
    /// The options of the form's menu: (value, label).
    pub const CHOICES: [(&'static str, Key); 5] = [
        ("never", Key::ExpiryNever),
        ("30", Key::Expiry30),
        ("90", Key::Expiry90),
        ("365", Key::Expiry365),
        ("date", Key::ExpiryOnDate),
    ];

    /// Reads the form's two fields; the error names the field to fix.
    pub fn from_form(choice: &str, date: &str) -> Result<TokenExpiry, (&'static str, Key)> {
        match choice.trim() {
            "" | "never" => Ok(TokenExpiry::Never),
            "30" => Ok(TokenExpiry::Days(30)),
            "90" => Ok(TokenExpiry::Days(90)),
            "365" => Ok(TokenExpiry::Days(365)),
            "date" => {
                let date = date.trim();
                if date.is_empty() {
                    return Err(("expiry_date", Key::ErrExpiryDateMissing));
                }
                crate::validate::day(date)
                    .map(TokenExpiry::Date)
                    .map_err(|key| ("expiry_date", key))
            }
            _ => Err(("expiry", Key::ErrExpiryInvalid)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiry_choices_read_from_the_form() {
        assert_eq!(TokenExpiry::from_form("never", ""), Ok(TokenExpiry::Never));
        assert_eq!(TokenExpiry::from_form("90", "2030-01-01"), Ok(TokenExpiry::Days(90)));
        assert_eq!(
            TokenExpiry::from_form("date", "2030-01-31"),
            Ok(TokenExpiry::Date(Day {
                year: 2030,
                month: 1,
                day: 31
            }))
        );
        assert_eq!(
            TokenExpiry::from_form("date", ""),
            Err(("expiry_date", Key::ErrExpiryDateMissing))
        );
        assert_eq!(
            TokenExpiry::from_form("date", "31/01/2030"),
            Err(("expiry_date", Key::ErrDateInvalid))
        );
        assert_eq!(TokenExpiry::from_form("7", ""), Err(("expiry", Key::ErrExpiryInvalid)));
    }
}
