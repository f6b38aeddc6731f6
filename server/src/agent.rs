//! "Firefox on Linux" from a `User-Agent` header, for the Timeline. Parsed with woothee (the
//! Rust port of Project Woothee's shared dataset) rather than by hand.

use app::model::Agent;

/// The browser and system, when the header names a known browser.
pub fn describe(user_agent: &str) -> Option<Agent> {
    if user_agent.trim().is_empty() {
        return None;
    }
    let parsed = woothee::parser::Parser::new().parse(user_agent)?;
    let known = |s: &str| !s.is_empty() && s != woothee::woothee::VALUE_UNKNOWN;
    known(parsed.name).then(|| Agent {
        browser: parsed.name.to_string(),
        system: known(parsed.os).then(|| parsed.os.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_browsers() {
        let firefox = describe("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0").unwrap();
        assert_eq!(
            (firefox.browser.as_str(), firefox.system.as_deref()),
            ("Firefox", Some("Linux"))
        );
        let chrome = describe(
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
        )
        .unwrap();
        assert_eq!(chrome.browser, "Chrome");
        assert!(chrome.system.unwrap().starts_with("Windows"));
    }

    #[test]
    fn tools_and_nonsense_are_not_named() {
        assert_eq!(describe(""), None);
        assert_eq!(describe("integration-test"), None);
    }
}
