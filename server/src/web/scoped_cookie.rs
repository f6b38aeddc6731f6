//! Short-lived cookies scoped to one path (the sign-in challenge under `/login`, the passkey
//! challenge under `/login/passkey`, the referrer under `/`): HttpOnly, SameSite as each says, `Secure` with a `__Secure-`
//! name over HTTPS (not `__Host-`, which forbids a path).

use axum::response::Response;
use http::request::Parts;
use http::{header, HeaderValue};

pub(super) struct ScopedCookie {
    pub name: &'static str,
    /// `name` with the `__Secure-` prefix, used over HTTPS.
    pub secure_name: &'static str,
    pub path: &'static str,
    /// `Strict` for what only this site's own pages use; `Lax` for what must survive arriving
    /// from another site's link (the referral cookies).
    pub same_site: &'static str,
}

impl ScopedCookie {
    fn name(&self, https: bool) -> &'static str {
        if https {
            self.secure_name
        } else {
            self.name
        }
    }

    /// The `Set-Cookie` value; an empty value with `max_age` 0 removes it.
    pub fn header(&self, value: &str, https: bool, max_age: i64) -> String {
        let secure = if https { "; Secure" } else { "" };
        format!(
            "{}={value}; Path={}; HttpOnly; SameSite={}; Max-Age={max_age}{secure}",
            self.name(https),
            self.path,
            self.same_site
        )
    }

    /// Adds the cookie to `response`.
    pub fn set(&self, response: &mut Response, value: &str, https: bool, max_age: i64) {
        if let Ok(value) = HeaderValue::from_str(&self.header(value, https, max_age)) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }

    /// Removes the cookie from the browser.
    pub fn clear(&self, response: &mut Response, https: bool) {
        self.set(response, "", https, 0);
    }

    /// What the request carries under this cookie's name, if anything.
    pub fn read<'a>(&self, parts: &'a Parts, https: bool) -> Option<&'a str> {
        parts
            .headers
            .get(header::COOKIE)
            .and_then(|v| v.to_str().ok())
            .and_then(|cookies| app::prefs::cookie_value(cookies, self.name(https)))
            .filter(|value| !value.is_empty())
    }
}
