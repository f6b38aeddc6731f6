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
    pub scopes: TokenScopes,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokensOverview {
    pub tokens: Vec<TokenView>,
    /// Creating and renewing need the re-authentication window: until when it is open.
    pub reauth_until: Option<Stamp>,
    pub two_factor_on: bool,
    /// The account has a passkey: "Confirm it's you" offers it.
    pub has_passkeys: bool,
}

/// A token's secret, answered once, when it is created or renewed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenSecret {
    pub id: String,
    pub name: String,
    pub secret: String,
    pub what: Key,
}

/// One thing a limited token may do through `/v1`. A route declares the scope it needs next to
/// its path (`server/src/api/scopes.rs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Scope {
    /// Read the profile, keys, tokens, events, integrations and health-data contact.
    AccountRead,
    /// Add, remove and import SSH keys.
    KeysWrite,
    /// Create and delete apps.
    AppsWrite,
    /// Read the billing profile, invoices (and their PDF) and the billing history.
    BillingRead,
}

impl Scope {
    pub const ALL: [Scope; 4] = [
        Scope::AccountRead,
        Scope::KeysWrite,
        Scope::AppsWrite,
        Scope::BillingRead,
    ];

    /// The name the API uses.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::AccountRead => "account:read",
            Scope::KeysWrite => "keys:write",
            Scope::AppsWrite => "apps:write",
            Scope::BillingRead => "billing:read",
        }
    }

    pub fn parse(name: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|s| s.as_str() == name.trim())
    }

    /// What the scope allows, in words.
    pub fn description(self) -> Key {
        match self {
            Scope::AccountRead => Key::ScopeAccountRead,
            Scope::KeysWrite => Key::ScopeKeysWrite,
            Scope::AppsWrite => Key::ScopeAppsWrite,
            Scope::BillingRead => Key::ScopeBillingRead,
        }
    }

    /// The form's checkbox for this scope.
    pub fn field(self) -> &'static str {
        match self {
            Scope::AccountRead => "scope_account_read",
            Scope::KeysWrite => "scope_keys_write",
            Scope::AppsWrite => "scope_apps_write",
            Scope::BillingRead => "scope_billing_read",
        }
    }
}

/// What a token may do: everything (what Scalingo tokens do, the default; the API lists no
/// scope for it) or only the listed scopes, sorted and without repeats.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum TokenScopes {
    #[default]
    Full,
    /// Possibly empty: a stored list this version cannot read allows nothing.
    Limited(Vec<Scope>),
}

impl TokenScopes {
    pub fn full() -> TokenScopes {
        TokenScopes::Full
    }

    pub fn limited(scopes: impl IntoIterator<Item = Scope>) -> TokenScopes {
        let mut list: Vec<Scope> = scopes.into_iter().collect();
        list.sort();
        list.dedup();
        TokenScopes::Limited(list)
    }

    pub fn is_full(&self) -> bool {
        matches!(self, TokenScopes::Full)
    }

    pub fn allows(&self, scope: Scope) -> bool {
        match self {
            TokenScopes::Full => true,
            TokenScopes::Limited(list) => list.contains(&scope),
        }
    }

    /// Whether a token with these scopes may hand out (create, renew) or take away a token with
    /// `other`: never one that can do more than itself.
    pub fn covers(&self, other: &TokenScopes) -> bool {
        match (self, other) {
            (TokenScopes::Full, _) => true,
            (TokenScopes::Limited(_), TokenScopes::Full) => false,
            (TokenScopes::Limited(mine), TokenScopes::Limited(theirs)) => theirs.iter().all(|s| mine.contains(s)),
        }
    }

    /// The API's names ([] for full access).
    pub fn names(&self) -> Vec<&'static str> {
        match self {
            TokenScopes::Full => Vec::new(),
            TokenScopes::Limited(list) => list.iter().map(|s| s.as_str()).collect(),
        }
    }

    /// How the database keeps them: "" is full access, else the names space-separated.
    pub fn joined(&self) -> String {
        self.names().join(" ")
    }

    /// Reads `joined`'s form. A name this version does not know is dropped, and a list of only
    /// such names allows nothing: a token never gains access from a name it cannot read.
    pub fn from_joined(text: &str) -> TokenScopes {
        if text.trim().is_empty() {
            return TokenScopes::Full;
        }
        TokenScopes::limited(text.split_whitespace().filter_map(Scope::parse))
    }

    /// The API's list: every name must be known. Empty is full access.
    pub fn from_names<S: AsRef<str>>(names: &[S]) -> Result<TokenScopes, String> {
        if names.is_empty() {
            return Ok(TokenScopes::Full);
        }
        let mut scopes = Vec::new();
        for name in names {
            match Scope::parse(name.as_ref()) {
                Some(scope) => scopes.push(scope),
                None => return Err(name.as_ref().to_string()),
            }
        }
        Ok(TokenScopes::limited(scopes))
    }

    /// The form's radio (`full` or `limited`) and its checkboxes (`Scope::field`, present when
    /// ticked). A ticked box means a limited token whatever the radio says (without JavaScript
    /// the radio does not follow the boxes): a tick never widens into full access. Limited with
    /// nothing ticked is refused.
    pub fn from_form(access: &str, ticked: impl Fn(Scope) -> bool) -> Result<TokenScopes, (&'static str, Key)> {
        let chosen: Vec<Scope> = Scope::ALL.into_iter().filter(|s| ticked(*s)).collect();
        match access.trim() {
            "" | "full" | "limited" if !chosen.is_empty() => Ok(TokenScopes::limited(chosen)),
            "" | "full" => Ok(TokenScopes::Full),
            "limited" => Err(("scopes", Key::ErrScopesNone)),
            _ => Err(("access", Key::ErrAccessInvalid)),
        }
    }
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
    fn scopes_cover_only_what_they_hold() {
        let read = TokenScopes::limited([Scope::AccountRead]);
        let read_keys = TokenScopes::limited([Scope::KeysWrite, Scope::AccountRead, Scope::KeysWrite]);
        assert_eq!(read_keys.names(), vec!["account:read", "keys:write"]);
        assert!(TokenScopes::full().covers(&read_keys));
        assert!(TokenScopes::full().covers(&TokenScopes::full()));
        assert!(read_keys.covers(&read));
        assert!(read_keys.covers(&read_keys));
        assert!(!read.covers(&read_keys));
        // A limited token never hands out full access.
        assert!(!read_keys.covers(&TokenScopes::full()));
        assert!(read.allows(Scope::AccountRead) && !read.allows(Scope::AppsWrite));
        assert!(TokenScopes::full().allows(Scope::AppsWrite));
    }

    #[test]
    fn scopes_read_from_the_api_the_database_and_the_form() {
        assert_eq!(
            TokenScopes::from_names(&["keys:write", "account:read"]),
            Ok(TokenScopes::limited([Scope::AccountRead, Scope::KeysWrite]))
        );
        assert_eq!(TokenScopes::from_names(&["admin"]), Err("admin".to_string()));
        assert_eq!(TokenScopes::from_names::<&str>(&[]), Ok(TokenScopes::full()));
        let both = TokenScopes::limited([Scope::AccountRead, Scope::AppsWrite]);
        assert_eq!(TokenScopes::from_joined(&both.joined()), both);
        assert_eq!(
            TokenScopes::from_joined("account:read someday:write"),
            TokenScopes::limited([Scope::AccountRead])
        );
        assert_eq!(TokenScopes::from_joined(""), TokenScopes::full());
        // Names from a later version: nothing allowed, not everything.
        let unknown = TokenScopes::from_joined("someday:write");
        assert!(!unknown.is_full() && !unknown.allows(Scope::AccountRead));
        assert_eq!(TokenScopes::from_form("full", |_| false), Ok(TokenScopes::full()));
        // A tick with the radio left on full (no JavaScript): limited, never full.
        assert_eq!(
            TokenScopes::from_form("full", |s| s == Scope::AccountRead),
            Ok(TokenScopes::limited([Scope::AccountRead]))
        );
        assert_eq!(
            TokenScopes::from_form("limited", |s| s == Scope::KeysWrite),
            Ok(TokenScopes::limited([Scope::KeysWrite]))
        );
        assert_eq!(
            TokenScopes::from_form("limited", |_| false),
            Err(("scopes", Key::ErrScopesNone))
        );
        assert_eq!(
            TokenScopes::from_form("root", |_| false),
            Err(("access", Key::ErrAccessInvalid))
        );
    }

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
