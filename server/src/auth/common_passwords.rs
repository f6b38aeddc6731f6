//! A small offline list of passwords seen at the top of breach corpora (8 characters or more,
//! since shorter ones are already refused). Checked case-insensitively, on the server only.

use std::collections::HashSet;
use std::sync::OnceLock;

const LIST: &str = include_str!("common_passwords.txt");

fn set() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| LIST.lines().map(str::trim).filter(|l| !l.is_empty()).collect())
}

pub fn is_common(password: &str) -> bool {
    set().contains(password.trim().to_lowercase().as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_ones_are_found_case_insensitively() {
        assert!(is_common("password123"));
        assert!(is_common("PassWord123"));
        assert!(is_common("motdepasse"));
        assert!(!is_common("correct horse battery staple"));
    }

    #[test]
    fn every_entry_is_long_enough_to_matter() {
        for line in LIST.lines() {
            assert!(line.chars().count() >= 8, "{line} is shorter than the minimum length");
        }
    }
}
