//! Account event types and their categories; the sentence each reads as in the Timeline, in
//! both languages, is in `sentence`. Shared by the host (which records events and exports them)
//! and the pages (which show them), so a type cannot exist without its sentence: see the tests.

use crate::i18n::Key;
use serde::{Deserialize, Serialize};

mod sentence;

pub use sentence::{agent_text, describe, sentence, sentence_names_place};

/// Event types, named like the public Scalingo API's (`new_user`, `login_success`, …); types
/// Scalingo does not name follow the same snake_case style.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EventType {
    NewUser,
    LoginSuccess,
    LoginFailure,
    Logout,
    EditPassword,
    EditProfile,
    EditNewsletter,
    EditPreferences,
    AcceptContract,
    Reauthenticate,
    RevokeSession,
    TfaEnabled,
    TfaDisabled,
    RegenerateRecoveryCodes,
    RequestEmailChange,
    EditEmail,
    CancelEmailChange,
    DeleteAccount,
    NewKey,
    DeleteKey,
    NewToken,
    RegenerateToken,
    DeleteToken,
    NewApp,
    DeleteApp,
    AddPaymentMethod,
    EditPaymentMethod,
    DeletePaymentMethod,
    AddCredit,
    PaymentAttempt,
    SecurityReport,
    EditHdsContact,
    ReviewHdsContact,
    NewIntegration,
    DeleteIntegration,
    NewPasskey,
    DeletePasskey,
}

impl EventType {
    pub const ALL: [EventType; 37] = [
        EventType::NewUser,
        EventType::LoginSuccess,
        EventType::LoginFailure,
        EventType::Logout,
        EventType::EditPassword,
        EventType::EditProfile,
        EventType::EditNewsletter,
        EventType::EditPreferences,
        EventType::AcceptContract,
        EventType::Reauthenticate,
        EventType::RevokeSession,
        EventType::TfaEnabled,
        EventType::TfaDisabled,
        EventType::RegenerateRecoveryCodes,
        EventType::RequestEmailChange,
        EventType::EditEmail,
        EventType::CancelEmailChange,
        EventType::DeleteAccount,
        EventType::NewKey,
        EventType::DeleteKey,
        EventType::NewToken,
        EventType::RegenerateToken,
        EventType::DeleteToken,
        EventType::NewApp,
        EventType::DeleteApp,
        EventType::AddPaymentMethod,
        EventType::EditPaymentMethod,
        EventType::DeletePaymentMethod,
        EventType::AddCredit,
        EventType::PaymentAttempt,
        EventType::SecurityReport,
        EventType::EditHdsContact,
        EventType::ReviewHdsContact,
        EventType::NewIntegration,
        EventType::DeleteIntegration,
        EventType::NewPasskey,
        EventType::DeletePasskey,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventType::NewUser => "new_user",
            EventType::LoginSuccess => "login_success",
            EventType::LoginFailure => "login_failure",
            EventType::Logout => "logout",
            EventType::EditPassword => "edit_password",
            EventType::EditProfile => "edit_profile",
            EventType::EditNewsletter => "edit_newsletter",
            EventType::EditPreferences => "edit_preferences",
            EventType::AcceptContract => "accept_contract",
            EventType::Reauthenticate => "reauthenticate",
            EventType::RevokeSession => "revoke_session",
            EventType::TfaEnabled => "tfa_enabled",
            EventType::TfaDisabled => "tfa_disabled",
            EventType::RegenerateRecoveryCodes => "regenerate_recovery_codes",
            EventType::RequestEmailChange => "request_email_change",
            EventType::EditEmail => "edit_email",
            EventType::CancelEmailChange => "cancel_email_change",
            EventType::DeleteAccount => "delete_account",
            EventType::NewKey => "new_key",
            EventType::DeleteKey => "delete_key",
            EventType::NewToken => "new_token",
            EventType::RegenerateToken => "regenerate_token",
            EventType::DeleteToken => "delete_token",
            EventType::NewApp => "new_app",
            EventType::DeleteApp => "delete_app",
            EventType::AddPaymentMethod => "add_payment_method",
            EventType::EditPaymentMethod => "edit_payment_method",
            EventType::DeletePaymentMethod => "delete_payment_method",
            EventType::AddCredit => "add_credit",
            EventType::PaymentAttempt => "payment_attempt",
            EventType::SecurityReport => "security_report",
            EventType::EditHdsContact => "edit_hds_contact",
            EventType::ReviewHdsContact => "review_hds_contact",
            EventType::NewIntegration => "new_integration",
            EventType::DeleteIntegration => "delete_integration",
            EventType::NewPasskey => "new_passkey",
            EventType::DeletePasskey => "delete_passkey",
        }
    }

    pub fn from_name(name: &str) -> Option<EventType> {
        Self::ALL.into_iter().find(|t| t.as_str() == name)
    }

    pub fn category(self) -> Category {
        match self {
            EventType::NewUser
            | EventType::LoginSuccess
            | EventType::LoginFailure
            | EventType::Logout
            | EventType::EditPassword
            | EventType::Reauthenticate
            | EventType::RevokeSession
            | EventType::TfaEnabled
            | EventType::TfaDisabled
            | EventType::RegenerateRecoveryCodes
            | EventType::RequestEmailChange
            | EventType::EditEmail
            | EventType::CancelEmailChange
            | EventType::DeleteAccount
            | EventType::NewPasskey
            | EventType::DeletePasskey
            | EventType::SecurityReport => Category::Security,
            EventType::EditProfile
            | EventType::EditNewsletter
            | EventType::EditPreferences
            | EventType::AcceptContract
            | EventType::EditHdsContact
            | EventType::ReviewHdsContact => Category::Profile,
            EventType::NewKey | EventType::DeleteKey => Category::Keys,
            EventType::NewToken | EventType::RegenerateToken | EventType::DeleteToken => Category::Tokens,
            EventType::NewApp | EventType::DeleteApp => Category::Apps,
            EventType::AddPaymentMethod
            | EventType::EditPaymentMethod
            | EventType::DeletePaymentMethod
            | EventType::AddCredit
            | EventType::PaymentAttempt => Category::Billing,
            EventType::NewIntegration | EventType::DeleteIntegration => Category::Integrations,
        }
    }
}

/// What the Timeline filters by. `Other` holds types this release does not know.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Category {
    Security,
    Profile,
    Keys,
    Tokens,
    Apps,
    Integrations,
    Billing,
    Other,
}

impl Category {
    /// The categories a user can filter by, in menu order.
    pub const FILTERS: [Category; 7] = [
        Category::Security,
        Category::Profile,
        Category::Keys,
        Category::Tokens,
        Category::Apps,
        Category::Integrations,
        Category::Billing,
    ];

    /// Stored in the events table and used in URLs (`?category=security`).
    pub fn slug(self) -> &'static str {
        match self {
            Category::Security => "security",
            Category::Profile => "profile",
            Category::Keys => "keys",
            Category::Tokens => "tokens",
            Category::Apps => "apps",
            Category::Integrations => "integrations",
            Category::Billing => "billing",
            Category::Other => "other",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Category> {
        Self::FILTERS.into_iter().find(|c| c.slug() == slug)
    }

    pub fn label(self) -> Key {
        match self {
            Category::Security => Key::CategorySecurity,
            Category::Profile => Key::CategoryProfile,
            Category::Keys => Key::CategoryKeys,
            Category::Tokens => Key::CategoryTokens,
            Category::Apps => Key::CategoryApps,
            Category::Integrations => Key::CategoryIntegrations,
            Category::Billing => Key::CategoryBilling,
            Category::Other => Key::CategoryOther,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names_round_trip_and_each_has_a_category() {
        for t in EventType::ALL {
            assert_eq!(EventType::from_name(t.as_str()), Some(t));
            assert_ne!(t.category(), Category::Other);
        }
        assert_eq!(EventType::from_name("new_key_from_the_future"), None);
    }

    #[test]
    fn category_slugs_round_trip() {
        for c in Category::FILTERS {
            assert_eq!(Category::from_slug(c.slug()), Some(c));
        }
        assert_eq!(Category::from_slug("other"), None);
    }
}
