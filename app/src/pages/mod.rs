pub mod account;
mod email_link;
mod legal;
mod login;
mod not_found;
mod password;
mod signup;

pub use email_link::{EmailConfirmPage, EmailReportPage, SecurityReportPage, SignupConfirmPage};
pub use legal::LegalPage;
pub use login::{LoginCodePage, LoginPage};
pub use not_found::NotFound;
pub use password::{ForgotPasswordPage, ResetPasswordPage};
pub use signup::SignupPage;

/// Percent-encodes a value (such as a same-site path) for use inside a query string.
pub fn encode_query_value(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn encodes_query_values() {
        assert_eq!(
            super::encode_query_value("/account/keys?a=b&c"),
            "/account/keys%3Fa%3Db%26c"
        );
        assert_eq!(super::encode_query_value("é"), "%C3%A9");
    }
}
