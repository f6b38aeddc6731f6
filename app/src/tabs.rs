//! The one registry of account tabs: it drives the navigation, the routes and the tests.

use crate::i18n::Key;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AccountTab {
    Basic,
    Authentication,
    SshKeys,
    ApiTokens,
    Integrations,
    Hds,
    Referrals,
    Billing,
    Timeline,
}

impl AccountTab {
    /// Every tab in the order the navigation shows them.
    pub const ALL: [AccountTab; 9] = [
        AccountTab::Basic,
        AccountTab::Authentication,
        AccountTab::SshKeys,
        AccountTab::ApiTokens,
        AccountTab::Integrations,
        AccountTab::Hds,
        AccountTab::Referrals,
        AccountTab::Billing,
        AccountTab::Timeline,
    ];

    /// The path segment after `/account/` (empty for the Basic information tab).
    pub fn slug(self) -> &'static str {
        match self {
            AccountTab::Basic => "",
            AccountTab::Authentication => "authorization",
            AccountTab::SshKeys => "keys",
            AccountTab::ApiTokens => "tokens",
            AccountTab::Integrations => "integrations",
            AccountTab::Hds => "hds",
            AccountTab::Referrals => "referrals",
            AccountTab::Billing => "billing",
            AccountTab::Timeline => "timeline",
        }
    }

    pub fn path(self) -> String {
        match self.slug() {
            "" => "/account".to_string(),
            slug => format!("/account/{slug}"),
        }
    }

    pub fn label(self) -> Key {
        match self {
            AccountTab::Basic => Key::TabBasic,
            AccountTab::Authentication => Key::TabAuthentication,
            AccountTab::SshKeys => Key::TabSshKeys,
            AccountTab::ApiTokens => Key::TabApiTokens,
            AccountTab::Integrations => Key::TabIntegrations,
            AccountTab::Hds => Key::TabHds,
            AccountTab::Referrals => Key::TabReferrals,
            AccountTab::Billing => Key::TabBilling,
            AccountTab::Timeline => Key::TabTimeline,
        }
    }

    /// Whether the tab is built yet. The navigation lists only tabs that work; the others
    /// answer 404 until their issue lands and flips this.
    pub fn is_available(self) -> bool {
        matches!(
            self,
            AccountTab::Basic
                | AccountTab::Authentication
                | AccountTab::SshKeys
                | AccountTab::ApiTokens
                | AccountTab::Integrations
                | AccountTab::Hds
                | AccountTab::Referrals
                | AccountTab::Billing
                | AccountTab::Timeline
        )
    }

    pub fn available() -> impl Iterator<Item = AccountTab> {
        Self::ALL.into_iter().filter(|t| t.is_available())
    }

    /// The available tab at `/account/{slug}`, if any.
    pub fn from_slug(slug: &str) -> Option<AccountTab> {
        Self::available().find(|t| t.slug() == slug)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_follow_the_seed_order() {
        let paths: Vec<String> = AccountTab::ALL.iter().map(|t| t.path()).collect();
        assert_eq!(
            paths,
            [
                "/account",
                "/account/authorization",
                "/account/keys",
                "/account/tokens",
                "/account/integrations",
                "/account/hds",
                "/account/referrals",
                "/account/billing",
                "/account/timeline"
            ]
        );
    }

    #[test]
    fn tabs_resolve_by_slug() {
        assert_eq!(AccountTab::from_slug(""), Some(AccountTab::Basic));
        assert_eq!(AccountTab::from_slug("timeline"), Some(AccountTab::Timeline));
        assert_eq!(AccountTab::from_slug("authorization"), Some(AccountTab::Authentication));
        assert_eq!(AccountTab::from_slug("keys"), Some(AccountTab::SshKeys));
        assert_eq!(AccountTab::from_slug("hds"), Some(AccountTab::Hds));
        assert_eq!(AccountTab::from_slug("billing"), Some(AccountTab::Billing));
        assert_eq!(AccountTab::from_slug("referrals"), Some(AccountTab::Referrals));
        assert_eq!(AccountTab::from_slug("nope"), None);
    }
}
