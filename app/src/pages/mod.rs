pub mod account;
mod email_link;
mod legal;
mod login;
mod login_passkey;
mod not_found;
mod password;
mod signup;

pub use not_found::NotFound;

use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

/// A page as a lazily loaded route: its view is a WASM chunk of its own, so the main module
/// that every page downloads holds only the shell, the router and what the pages share.
/// (Each expansion gets its own split name: `#[lazy_route]` names the chunk after the type.)
macro_rules! lazy_page {
    ($route:ident, $page:path) => {
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
                $page().into_any()
            }
        }
    };
}

lazy_page!(LoginRoute, login::LoginPage);
lazy_page!(LoginCodeRoute, login::LoginCodePage);
lazy_page!(SignupRoute, signup::SignupPage);
lazy_page!(SignupConfirmRoute, email_link::SignupConfirmPage);
lazy_page!(ForgotPasswordRoute, password::ForgotPasswordPage);
lazy_page!(ResetPasswordRoute, password::ResetPasswordPage);
lazy_page!(EmailConfirmRoute, email_link::EmailConfirmPage);
lazy_page!(EmailReportRoute, email_link::EmailReportPage);
lazy_page!(SecurityReportRoute, email_link::SecurityReportPage);
lazy_page!(LegalRoute, legal::LegalPage);

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
