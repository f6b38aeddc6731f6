/// Returns `next` when it is a path on this site, so `?next=` cannot send anyone elsewhere.
/// Refuses absolute URLs, scheme-relative `//host`, backslash tricks and control characters.
pub fn safe_next(next: &str) -> Option<String> {
    let next = next.trim();
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && next.len() <= 2048
        && !next.chars().any(|c| c.is_control() || c == '\\');
    ok.then(|| next.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_same_site_paths() {
        assert_eq!(safe_next("/account/keys"), Some("/account/keys".into()));
        assert_eq!(safe_next("/account?tab=1"), Some("/account?tab=1".into()));
        for bad in [
            "",
            "account",
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "/a\\b",
            "/a\nb",
            "javascript:alert(1)",
        ] {
            assert_eq!(safe_next(bad), None, "{bad:?}");
        }
    }
}
