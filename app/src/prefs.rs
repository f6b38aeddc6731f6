//! Display preferences (theme and language), kept in cookies so the server renders the first
//! paint right: no flash of the wrong theme or language.

use crate::i18n::{negotiate, Lang};
use serde::{Deserialize, Serialize};

pub const THEME_COOKIE: &str = "theme";
pub const LANG_COOKIE: &str = "lang";

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Theme {
    Light,
    Dark,
    /// Follows the operating system through `prefers-color-scheme`, in pure CSS.
    #[default]
    System,
}

impl Theme {
    pub const ALL: [Theme; 3] = [Theme::Light, Theme::Dark, Theme::System];

    pub fn code(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
            Theme::System => "system",
        }
    }

    pub fn from_code(code: &str) -> Option<Theme> {
        match code.trim() {
            "light" => Some(Theme::Light),
            "dark" => Some(Theme::Dark),
            "system" => Some(Theme::System),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prefs {
    pub theme: Theme,
    pub lang: Lang,
}

impl Prefs {
    /// Reads the preferences from a `Cookie` header, falling back to `Accept-Language` for the
    /// language and to the system theme. Unknown cookie values are ignored, never an error.
    pub fn from_headers(cookie_header: Option<&str>, accept_language: Option<&str>) -> Prefs {
        let theme = cookie_value(cookie_header.unwrap_or(""), THEME_COOKIE)
            .and_then(Theme::from_code)
            .unwrap_or_default();
        let lang = cookie_value(cookie_header.unwrap_or(""), LANG_COOKIE)
            .and_then(Lang::from_code)
            .unwrap_or_else(|| negotiate(accept_language.unwrap_or("")));
        Prefs { theme, lang }
    }
}

/// The `Set-Cookie` value keeping one preference for a year. HttpOnly: only the server reads it.
pub fn pref_cookie(name: &str, value: &str, https: bool) -> String {
    let secure = if https { "; Secure" } else { "" };
    format!("{name}={value}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly{secure}")
}

/// Adds the theme and language cookies to the server function's response.
#[cfg(feature = "ssr")]
pub fn set_cookies(prefs: Prefs, https: bool) {
    use leptos::prelude::use_context;
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        for cookie in [
            pref_cookie(THEME_COOKIE, prefs.theme.code(), https),
            pref_cookie(LANG_COOKIE, prefs.lang.code(), https),
        ] {
            if let Ok(value) = http::HeaderValue::from_str(&cookie) {
                response.append_header(http::header::SET_COOKIE, value);
            }
        }
    }
}

/// Finds one cookie's value in a `Cookie` request header.
pub fn cookie_value<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header.split(';').find_map(|pair| {
        let (k, v) = pair.trim().split_once('=')?;
        (k == name).then_some(v.trim_matches('"'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_beats_accept_language() {
        let p = Prefs::from_headers(Some("a=b; lang=fr; theme=dark"), Some("en"));
        assert_eq!(
            p,
            Prefs {
                theme: Theme::Dark,
                lang: Lang::Fr
            }
        );
    }

    #[test]
    fn accept_language_when_no_cookie() {
        let p = Prefs::from_headers(None, Some("fr-CA"));
        assert_eq!(
            p,
            Prefs {
                theme: Theme::System,
                lang: Lang::Fr
            }
        );
    }

    #[test]
    fn junk_cookies_fall_back() {
        let p = Prefs::from_headers(Some("lang=klingon; theme=neon; ;;=;x"), None);
        assert_eq!(p, Prefs::default());
    }

    #[test]
    fn cookie_names_match_exactly() {
        assert_eq!(cookie_value("xlang=fr; lang=en", "lang"), Some("en"));
        assert_eq!(cookie_value("langx=fr", "lang"), None);
    }
}
