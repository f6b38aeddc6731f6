//! The data that server functions carry between the host and the pages. Never a secret, but
//! for the one answer that shows a new API token (`TokenSecret`).

use crate::i18n::{Key, Lang};
use crate::prefs::Theme;
use serde::{Deserialize, Serialize};

mod billing;
mod hds;
mod keys;
mod passkeys;
mod scm;
mod tokens;
pub use billing::*;
pub use hds::*;
pub use keys::*;
pub use passkeys::*;
pub use scm::*;
pub use tokens::*;

/// An instant, with the UTC offset of the reader's time zone at that instant. The host knows
/// the time-zone rules, so the browser needs no time-zone database to show local times.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    /// Unix seconds, UTC.
    pub unix: i64,
    pub offset_secs: i32,
}

/// The editable profile, as stored (already normalised).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub username: String,
    pub fullname: String,
    pub location: String,
    pub company: String,
    pub bio: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProfileField {
    Username,
    Fullname,
    Location,
    Company,
    Bio,
}

impl ProfileField {
    pub const ALL: [ProfileField; 5] = [
        ProfileField::Username,
        ProfileField::Fullname,
        ProfileField::Location,
        ProfileField::Company,
        ProfileField::Bio,
    ];

    /// The form field's name, also used in event data.
    pub fn name(self) -> &'static str {
        match self {
            ProfileField::Username => "username",
            ProfileField::Fullname => "fullname",
            ProfileField::Location => "location",
            ProfileField::Company => "company",
            ProfileField::Bio => "bio",
        }
    }

    pub fn label(self) -> Key {
        match self {
            ProfileField::Username => Key::UsernameLabel,
            ProfileField::Fullname => Key::FullnameLabel,
            ProfileField::Location => Key::LocationLabel,
            ProfileField::Company => Key::CompanyLabel,
            ProfileField::Bio => Key::BioLabel,
        }
    }

    pub fn get(self, profile: &Profile) -> &str {
        match self {
            ProfileField::Username => &profile.username,
            ProfileField::Fullname => &profile.fullname,
            ProfileField::Location => &profile.location,
            ProfileField::Company => &profile.company,
            ProfileField::Bio => &profile.bio,
        }
    }

    /// The fields whose value differs between `before` and `after`, in form order.
    pub fn changed(before: &Profile, after: &Profile) -> Vec<ProfileField> {
        Self::ALL
            .into_iter()
            .filter(|f| f.get(before) != f.get(after))
            .collect()
    }
}

/// What a profile save did: the stored profile and which fields it changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileSaved {
    pub profile: Profile,
    pub changed: Vec<ProfileField>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Newsletter {
    pub subscribed: bool,
    /// When the user last chose; `None` until they do.
    pub changed_at: Option<Stamp>,
}

/// The legal documents operators publish.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DocumentKind {
    Terms,
    Privacy,
    Dpa,
    /// The health data hosting (HDS) contract: shown on the Health data tab, and required only
    /// of accounts that host health data, so it never blocks sign-up nor shows in the banner.
    Hds,
}

impl DocumentKind {
    pub const ALL: [DocumentKind; 4] = [
        DocumentKind::Terms,
        DocumentKind::Privacy,
        DocumentKind::Dpa,
        DocumentKind::Hds,
    ];

    /// Documents of the Health data tab rather than of every account.
    pub fn is_hds(self) -> bool {
        self == DocumentKind::Hds
    }

    pub fn slug(self) -> &'static str {
        match self {
            DocumentKind::Terms => "terms",
            DocumentKind::Privacy => "privacy",
            DocumentKind::Dpa => "dpa",
            DocumentKind::Hds => "hds",
        }
    }

    pub fn from_slug(slug: &str) -> Option<DocumentKind> {
        Self::ALL.into_iter().find(|k| k.slug() == slug)
    }

    pub fn name(self) -> Key {
        match self {
            DocumentKind::Terms => Key::DocTerms,
            DocumentKind::Privacy => Key::DocPrivacy,
            DocumentKind::Dpa => Key::DocDpa,
            DocumentKind::Hds => Key::DocHds,
        }
    }

    /// The public page of one version (or of the current one when `version` is `None`).
    pub fn path(self, version: Option<&str>) -> String {
        match version {
            Some(v) => format!("/legal/{}/{}", self.slug(), crate::pages::encode_query_value(v)),
            None => format!("/legal/{}", self.slug()),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Acceptance {
    pub at: Stamp,
    pub lang: Lang,
}

/// One published version of a document, as the account sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentSummary {
    pub id: String,
    pub kind: DocumentKind,
    pub version: String,
    pub published_at: Stamp,
    /// Every account must accept it (sign-up asks for it; a new version shows a banner).
    pub required: bool,
    pub accepted: Option<Acceptance>,
}

/// The current version of each document, and the earlier versions the user accepted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Documents {
    pub current: Vec<DocumentSummary>,
    pub archived: Vec<DocumentSummary>,
}

impl Documents {
    /// Only the documents of one tab: the HDS ones, or every other.
    pub fn only(mut self, hds: bool) -> Documents {
        self.current.retain(|d| d.kind.is_hds() == hds);
        self.archived.retain(|d| d.kind.is_hds() == hds);
        self
    }

    /// Current required versions the user has not accepted yet.
    pub fn pending(&self) -> Vec<DocumentSummary> {
        self.current
            .iter()
            .filter(|d| d.required && d.accepted.is_none())
            .cloned()
            .collect()
    }
}

/// One version of a document to read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentPage {
    pub summary: DocumentSummary,
    pub is_current: bool,
    /// The language the body is written in (the reader's, when the operator provided it).
    pub body_lang: Lang,
    /// HTML rendered by the host from the operator's Markdown, raw HTML and scripts removed.
    pub body_html: String,
}

/// Preferences saved on the account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountPrefs {
    pub theme: Theme,
    pub lang: Lang,
    /// An IANA name such as `Europe/Paris`; every date the dashboard shows uses it.
    pub time_zone: String,
}

impl Default for AccountPrefs {
    fn default() -> Self {
        AccountPrefs {
            theme: Theme::System,
            lang: Lang::En,
            time_zone: "UTC".into(),
        }
    }
}

/// Everything the Basic information tab shows, in one round trip.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BasicInfo {
    pub profile: Profile,
    pub email: String,
    pub member_since: Stamp,
    pub newsletter: Newsletter,
    pub documents: Documents,
    pub prefs: AccountPrefs,
}

/// How the browser behind an event described itself, for people ("Firefox", "Linux").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agent {
    pub browser: String,
    pub system: Option<String>,
}

/// One account event, as the Timeline shows it. The page turns `kind` and `data` into a
/// sentence in the reader's language (`crate::events::sentence`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventView {
    pub id: i64,
    pub kind: String,
    pub category: crate::events::Category,
    pub at: Stamp,
    pub ip: Option<String>,
    pub agent: Option<Agent>,
    pub data: serde_json::Value,
}

/// One page of the Timeline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimelinePage {
    pub events: Vec<EventView>,
    /// The cursor of the next older page, when there is one.
    pub older: Option<String>,
    /// The cursor of the page above, when this is not the newest page.
    pub newer: Option<String>,
    /// The server's clock (Unix seconds), so "3 days ago" reads the same on the server and in
    /// the browser.
    pub now: i64,
}

/// Where a Timeline page starts, as written in its URL (`before=<time>.<id>`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum PageCursor {
    #[default]
    Newest,
    Before {
        at: i64,
        id: i64,
    },
    After {
        at: i64,
        id: i64,
    },
}

impl PageCursor {
    pub fn encode(at: i64, id: i64) -> String {
        format!("{at}.{id}")
    }

    /// Parses `<time>.<id>` (both non-negative integers); anything else is refused.
    pub fn decode(text: &str) -> Option<(i64, i64)> {
        let (at, id) = text.split_once('.')?;
        let digits = |s: &str| !s.is_empty() && s.len() <= 19 && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(at) || !digits(id) {
            return None;
        }
        Some((at.parse().ok()?, id.parse().ok()?))
    }
}

/// A calendar day of the period filter, in the reader's time zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Day {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

/// A checked Timeline request (see `crate::validate::timeline`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineRequest {
    pub category: Option<crate::events::Category>,
    pub from: Option<Day>,
    pub to: Option<Day>,
    pub cursor: PageCursor,
}

/// The Timeline's filters as they appear in its URL, kept as typed (the page shows them back).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineFilters {
    pub category: String,
    pub from: String,
    pub to: String,
}

impl TimelineFilters {
    /// The query string for these filters plus an optional cursor (`before` or `after`).
    pub fn query(&self, cursor: Option<(&str, &str)>) -> String {
        let enc = crate::pages::encode_query_value;
        let mut parts: Vec<String> = [("category", &self.category), ("from", &self.from), ("to", &self.to)]
            .into_iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={}", enc(v)))
            .collect();
        if let Some((name, value)) = cursor {
            parts.push(format!("{name}={}", enc(value)));
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("?{}", parts.join("&"))
        }
    }
}

/// Everything the Authentication tab shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuthOverview {
    pub username: String,
    pub email: String,
    /// A new address waiting for its confirmation link to be followed.
    pub pending_email: Option<PendingEmail>,
    /// Until when sensitive changes are allowed without typing the password again.
    pub reauth_until: Option<Stamp>,
    pub two_factor: TwoFactorState,
    pub sessions: Vec<SessionView>,
    /// Applications the account owns (deletion waits until there are none).
    pub apps: Vec<AppSummary>,
    pub passkeys: PasskeysState,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingEmail {
    pub address: String,
    pub requested_at: Stamp,
    pub expires_at: Stamp,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TwoFactorState {
    Off,
    /// Enrolment started: the secret waits for its first code. Shown only while the
    /// re-authentication window is open.
    Pending(TotpSetup),
    On {
        enabled_at: Stamp,
        recovery_codes_left: u32,
    },
}

/// What an authenticator app needs: the secret as text and as a QR code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TotpSetup {
    /// Base32, in groups of four for reading aloud.
    pub secret: String,
    pub otpauth_uri: String,
    /// Server-rendered SVG, without style attributes (the CSP forbids inline styles).
    pub qr_svg: String,
}

/// Recovery codes, shown once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecoveryCodes {
    pub codes: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionView {
    /// A handle for revoking it; not the session id, nor its digest.
    pub id: String,
    pub agent: Option<Agent>,
    pub ip: String,
    pub started: Stamp,
    pub last_active: Stamp,
    pub current: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppSummary {
    pub name: String,
    pub created: Stamp,
}

/// What a change on the tab answers: enough for the page to say what happened; the page
/// then reads the overview again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthChanged {
    pub what: crate::i18n::Key,
}
