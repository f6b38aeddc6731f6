//! Pure validators shared by the browser (instant feedback) and the server (enforcement).
//! Each returns the normalised value or the message key explaining what to fix.

use crate::i18n::Key;

pub const USERNAME_MIN: usize = 3;
pub const USERNAME_MAX: usize = 30;
pub const PASSWORD_MIN: usize = 8;
/// Long passphrases are welcome; the cap only bounds the hashing cost of one request.
pub const PASSWORD_MAX: usize = 1024;
const EMAIL_MAX: usize = 254;

/// Names that would collide with API paths (`/v1/users/self`) or impersonate staff.
const RESERVED_USERNAMES: &[&str] = &[
    "self",
    "admin",
    "administrator",
    "root",
    "support",
    "security",
    "staff",
    "api",
    "system",
];

/// Usernames are lowercase so that `Alice` and `alice` cannot both exist.
pub fn username(input: &str) -> Result<String, Key> {
    let name = input.trim().to_lowercase();
    if name.is_empty() {
        return Err(Key::ErrRequired);
    }
    let len = name.chars().count();
    if !(USERNAME_MIN..=USERNAME_MAX).contains(&len) {
        return Err(Key::ErrUsernameLength);
    }
    let mut chars = name.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    let rest_ok = chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if !first_ok || !rest_ok {
        return Err(Key::ErrUsernameChars);
    }
    if RESERVED_USERNAMES.contains(&name.as_str()) {
        return Err(Key::ErrUsernameReserved);
    }
    Ok(name)
}

/// A deliberately permissive check: one `@`, a dotted domain, no spaces. The confirmation
/// e-mail (a later issue) is the real proof.
pub fn email(input: &str) -> Result<String, Key> {
    let email = input.trim().to_lowercase();
    if email.is_empty() {
        return Err(Key::ErrRequired);
    }
    if email.len() > EMAIL_MAX || email.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Key::ErrEmailInvalid);
    }
    let Some((local, domain)) = email.split_once('@') else {
        return Err(Key::ErrEmailInvalid);
    };
    let domain_ok = domain.contains('.') && !domain.contains('@') && domain.split('.').all(|label| !label.is_empty());
    if local.is_empty() || !domain_ok {
        return Err(Key::ErrEmailInvalid);
    }
    Ok(email)
}

/// Length rules only: any Unicode, no composition rules, no truncation. The server adds the
/// common-password check (the list is not shipped to browsers).
pub fn new_password(password: &str, username: &str, email: &str) -> Result<(), Key> {
    let len = password.chars().count();
    if len == 0 {
        return Err(Key::ErrRequired);
    }
    if len < PASSWORD_MIN {
        return Err(Key::ErrPasswordTooShort);
    }
    if len > PASSWORD_MAX {
        return Err(Key::ErrPasswordTooLong);
    }
    let lowered = password.to_lowercase();
    if (!username.is_empty() && lowered == username.trim().to_lowercase())
        || (!email.is_empty() && lowered == email.trim().to_lowercase())
    {
        return Err(Key::ErrPasswordIsUsername);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames() {
        assert_eq!(username("  Alice_01 "), Ok("alice_01".into()));
        assert_eq!(username(""), Err(Key::ErrRequired));
        assert_eq!(username("ab"), Err(Key::ErrUsernameLength));
        assert_eq!(username(&"a".repeat(31)), Err(Key::ErrUsernameLength));
        assert_eq!(username("-abc"), Err(Key::ErrUsernameChars));
        assert_eq!(username("a b c"), Err(Key::ErrUsernameChars));
        assert_eq!(username("élodie"), Err(Key::ErrUsernameChars));
        assert_eq!(username("Self"), Err(Key::ErrUsernameReserved));
    }

    #[test]
    fn emails() {
        assert_eq!(email(" Bob@Example.COM "), Ok("bob@example.com".into()));
        for bad in [
            "bob",
            "bob@",
            "@x.io",
            "bob@localhost",
            "a b@x.io",
            "a@b@c.io",
            "a@x..io",
        ] {
            assert_eq!(email(bad), Err(Key::ErrEmailInvalid), "{bad}");
        }
        assert_eq!(email("   "), Err(Key::ErrRequired));
    }

    #[test]
    fn passwords() {
        assert_eq!(new_password("", "u", "e"), Err(Key::ErrRequired));
        assert_eq!(new_password("short", "u", "e"), Err(Key::ErrPasswordTooShort));
        // Counted in characters, not bytes: eight accented letters are enough.
        assert_eq!(new_password("éééééééé", "u", "e"), Ok(()));
        assert_eq!(new_password(&"x".repeat(64), "u", "e"), Ok(()));
        assert_eq!(new_password(&"x".repeat(1025), "u", "e"), Err(Key::ErrPasswordTooLong));
        assert_eq!(
            new_password("Alice_0123", "alice_0123", "e"),
            Err(Key::ErrPasswordIsUsername)
        );
    }
}
