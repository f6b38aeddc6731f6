//! Theme, language and time zone. Signed out, they live in cookies; signed in, they are also
//! saved on the account, so they follow the user to a new browser.

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::error::FieldError;
#[cfg(feature = "ssr")]
use crate::i18n::{Key, Lang};
use crate::prefs::Prefs;
#[cfg(feature = "ssr")]
use crate::prefs::Theme;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What is in force after a save.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedPrefs {
    pub prefs: Prefs,
    /// Only for a signed-in user: the time zone saved on the account.
    pub time_zone: Option<String>,
}

/// Each argument is optional: the theme and language buttons send one, the preferences form
/// sends all three.
#[server(prefix = "/api", endpoint = "preferences")]
pub async fn save_preferences(
    theme: Option<String>,
    lang: Option<String>,
    time_zone: Option<String>,
) -> Result<SavedPrefs, AppError> {
    let (host, caller) = crate::host::maybe_signed_in()?;
    // This tab's port only.
    let host: std::sync::Arc<dyn crate::host::ProfilePort> = host;
    let mut errors = Vec::new();
    let theme = match theme.as_deref().map(Theme::from_code) {
        Some(None) => {
            errors.push(FieldError::new("theme", Key::ErrInvalidChoice));
            None
        }
        other => other.flatten(),
    };
    let lang = match lang.as_deref().map(Lang::from_code) {
        Some(None) => {
            errors.push(FieldError::new("lang", Key::ErrInvalidChoice));
            None
        }
        other => other.flatten(),
    };
    let time_zone = match time_zone.as_deref().map(crate::validate::time_zone_name) {
        Some(Ok(name)) if host.is_time_zone(&name) => Some(name),
        Some(Ok(_)) => {
            errors.push(FieldError::new("time_zone", Key::ErrTimeZoneUnknown));
            None
        }
        Some(Err(key)) => {
            errors.push(FieldError::new("time_zone", key));
            None
        }
        None => None,
    };
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let (prefs, time_zone) = match caller {
        Some(caller) => {
            let change = crate::host::PrefsChange { theme, lang, time_zone };
            let saved = host.save_preferences(&caller, change).await?;
            let prefs = Prefs {
                theme: saved.theme,
                lang: saved.lang,
            };
            (prefs, Some(saved.time_zone))
        }
        None => {
            let current = crate::context::from_request().prefs;
            let prefs = Prefs {
                theme: theme.unwrap_or(current.theme),
                lang: lang.unwrap_or(current.lang),
            };
            (prefs, None)
        }
    };
    crate::prefs::set_cookies(prefs, crate::host::request_info().https);
    Ok(SavedPrefs { prefs, time_zone })
}
