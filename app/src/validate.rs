//! Pure validators shared by the browser (instant feedback) and the server (enforcement).
//! Each returns the normalised value or the message key explaining what to fix.

use crate::i18n::Key;

pub const USERNAME_MIN: usize = 3;
pub const USERNAME_MAX: usize = 30;
pub const PASSWORD_MIN: usize = 8;
/// Long passphrases are welcome; the cap only bounds the hashing cost of one request.
pub const PASSWORD_MAX: usize = 1024;
const EMAIL_MAX: usize = 254;
/// Full name, location and company: room for long names, not for essays.
pub const SHORT_TEXT_MAX: usize = 100;
/// The profile text: a few sentences, like a bio on GitHub.
pub const BIO_MAX: usize = 300;

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
    let local_ok = !local.is_empty() && local.chars().all(is_local_part_char);
    let domain_ok = domain.contains('.') && domain.split('.').all(is_domain_label);
    if !local_ok || !domain_ok {
        return Err(Key::ErrEmailInvalid);
    }
    Ok(email)
}

// The WHATWG definition of a valid e-mail address, the one `<input type="email">` enforces:
// a deliberate subset of RFC 5322 without quoted parts or comments, so no `,;<>"` or spaces
// that could split a mail header. A few lines, shared with the browser build, where a crate
// would add to the WASM (the `email_address` crate also accepts quoted local parts).
fn is_local_part_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || ".!#$%&'*+/=?^_`{|}~-".contains(c)
}

fn is_domain_label(label: &str) -> bool {
    let bytes = label.as_bytes();
    (1..=63).contains(&bytes.len())
        && bytes.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'-')
        && bytes.first() != Some(&b'-')
        && bytes.last() != Some(&b'-')
}

/// An optional one-line field (full name, location, company): trimmed, inner whitespace runs
/// collapsed, at most [`SHORT_TEXT_MAX`] characters, no control characters.
pub fn short_text(input: &str) -> Result<String, Key> {
    if input.chars().any(char::is_control) {
        return Err(Key::ErrControlChars);
    }
    let text = input.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() > SHORT_TEXT_MAX {
        return Err(Key::ErrMax100);
    }
    Ok(text)
}

/// The profile text: line breaks allowed (normalised to `\n`), surrounding blank space
/// trimmed, at most [`BIO_MAX`] characters, no other control characters.
pub fn bio(input: &str) -> Result<String, Key> {
    let text = input.replace("\r\n", "\n").replace('\r', "\n");
    if text.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(Key::ErrControlChars);
    }
    let text = text.trim().to_string();
    if text.chars().count() > BIO_MAX {
        return Err(Key::ErrMax300);
    }
    Ok(text)
}

/// The shape of an IANA time-zone name (`UTC`, `Europe/Paris`, `America/Argentina/Buenos_Aires`).
/// Whether the zone exists is for the host's time-zone database to say.
pub fn time_zone_name(input: &str) -> Result<String, Key> {
    let name = input.trim();
    if name.is_empty() {
        return Err(Key::ErrRequired);
    }
    let shape_ok = name.len() <= 64
        && name
            .split('/')
            .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric() || "_+-".contains(c)));
    if !shape_ok {
        return Err(Key::ErrTimeZoneUnknown);
    }
    Ok(name.to_string())
}

/// The whole profile form, checked field by field so every problem shows at once.
pub fn profile(
    username: &str,
    fullname: &str,
    location: &str,
    company: &str,
    bio: &str,
) -> Result<crate::model::Profile, Vec<crate::error::FieldError>> {
    use crate::error::FieldError;
    let mut errors = Vec::new();
    let mut check = |field: &str, result: Result<String, Key>| match result {
        Ok(value) => value,
        Err(key) => {
            errors.push(FieldError::new(field, key));
            String::new()
        }
    };
    let profile = crate::model::Profile {
        username: check("username", self::username(username)),
        fullname: check("fullname", short_text(fullname)),
        location: check("location", short_text(location)),
        company: check("company", short_text(company)),
        bio: check("bio", self::bio(bio)),
    };
    if errors.is_empty() {
        Ok(profile)
    } else {
        Err(errors)
    }
}

/// A day written `YYYY-MM-DD` (what `<input type="date">` sends), a real calendar day.
pub fn day(input: &str) -> Result<crate::model::Day, Key> {
    let mut parts = input.trim().splitn(3, '-');
    let (Some(y), Some(m), Some(d)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(Key::ErrDateInvalid);
    };
    let number = |s: &str, len: usize| {
        (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<i32>().ok())
            .flatten()
    };
    let (Some(year), Some(month), Some(day)) = (number(y, 4), number(m, 2), number(d, 2)) else {
        return Err(Key::ErrDateInvalid);
    };
    let month_ok = time::Month::try_from(month as u8).ok();
    month_ok
        .and_then(|m| time::Date::from_calendar_date(year, m, day as u8).ok())
        .map(|_| crate::model::Day {
            year,
            month: month as u8,
            day: day as u8,
        })
        .ok_or(Key::ErrDateInvalid)
}

/// The Timeline's URL parameters: every field checked, so all problems show at once. An
/// unreadable cursor is not the user's doing (they follow links): it reads as the first page.
pub fn timeline(
    category: &str,
    from: &str,
    to: &str,
    before: &str,
    after: &str,
) -> Result<crate::model::TimelineRequest, Vec<crate::error::FieldError>> {
    use crate::error::FieldError;
    use crate::model::{PageCursor, TimelineRequest};
    let mut errors = Vec::new();
    let category = match category.trim() {
        "" => None,
        slug => crate::events::Category::from_slug(slug).or_else(|| {
            errors.push(FieldError::new("category", Key::ErrInvalidChoice));
            None
        }),
    };
    let mut date = |field: &str, text: &str| match text.trim() {
        "" => None,
        text => day(text).map_err(|key| errors.push(FieldError::new(field, key))).ok(),
    };
    let (from, to) = (date("from", from), date("to", to));
    if let (Some(from), Some(to)) = (from, to) {
        if from > to {
            errors.push(FieldError::new("to", Key::ErrDateRange));
        }
    }
    let cursor = match (PageCursor::decode(before), PageCursor::decode(after)) {
        (Some((at, id)), _) => PageCursor::Before { at, id },
        (None, Some((at, id))) => PageCursor::After { at, id },
        (None, None) => PageCursor::Newest,
    };
    if errors.is_empty() {
        Ok(TimelineRequest {
            category,
            from,
            to,
            cursor,
        })
    } else {
        Err(errors)
    }
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
    // Any Unicode is welcome, but not what no keyboard types into a password field (a NUL, a
    // line break): set through the API, such a password could never be typed to sign in.
    if password.chars().any(char::is_control) {
        return Err(Key::ErrPasswordControl);
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
    fn passwords_take_any_unicode_but_no_control_characters() {
        assert_eq!(new_password("ünïcödé pässwörd ✓", "alice", "a@example.com"), Ok(()));
        assert_eq!(
            new_password("tab\tinside password", "alice", ""),
            Err(Key::ErrPasswordControl)
        );
        assert_eq!(
            new_password("nul\u{0}inside password", "alice", ""),
            Err(Key::ErrPasswordControl)
        );
    }

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
            "a,b@x.io",
            "a;b@x.io",
            "<a>@x.io",
            "\"a\"@x.io",
            "a@x.io>",
            "a@-x.io",
            "a@x_y.io",
        ] {
            assert_eq!(email(bad), Err(Key::ErrEmailInvalid), "{bad}");
        }
        assert_eq!(email("   "), Err(Key::ErrRequired));
        assert_eq!(
            email("o'brien+tag@mail.example.co.uk"),
            Ok("o'brien+tag@mail.example.co.uk".into())
        );
    }

    #[test]
    fn short_texts() {
        assert_eq!(short_text("  Ada   Lovelace "), Ok("Ada Lovelace".into()));
        assert_eq!(short_text(""), Ok(String::new()));
        assert_eq!(short_text(&"é".repeat(100)), Ok("é".repeat(100)));
        assert_eq!(short_text(&"é".repeat(101)), Err(Key::ErrMax100));
        assert_eq!(short_text("a\u{0}b"), Err(Key::ErrControlChars));
        assert_eq!(short_text("two\nlines"), Err(Key::ErrControlChars));
    }

    #[test]
    fn bios() {
        assert_eq!(bio("  Hello\r\nworld  "), Ok("Hello\nworld".into()));
        assert_eq!(bio(&"x".repeat(300)), Ok("x".repeat(300)));
        assert_eq!(bio(&"x".repeat(301)), Err(Key::ErrMax300));
        assert_eq!(bio("bell\u{7}"), Err(Key::ErrControlChars));
    }

    #[test]
    fn time_zone_names() {
        assert_eq!(time_zone_name(" Europe/Paris "), Ok("Europe/Paris".into()));
        assert!(time_zone_name("America/Argentina/Buenos_Aires").is_ok());
        assert!(time_zone_name("Etc/GMT+5").is_ok());
        assert_eq!(time_zone_name(""), Err(Key::ErrRequired));
        for bad in ["../etc/passwd", "Europe//Paris", "Europe/Paris ok", "/UTC"] {
            assert_eq!(time_zone_name(bad), Err(Key::ErrTimeZoneUnknown), "{bad}");
        }
    }

    #[test]
    fn days() {
        assert_eq!(
            day("2026-02-28"),
            Ok(crate::model::Day {
                year: 2026,
                month: 2,
                day: 28
            })
        );
        for bad in [
            "2026-02-29",
            "2026-13-01",
            "26-01-01",
            "2026-1-1",
            "yesterday",
            "",
            "2026-01-01-01",
        ] {
            assert_eq!(day(bad), Err(Key::ErrDateInvalid), "{bad}");
        }
    }

    #[test]
    fn timeline_parameters() {
        use crate::model::PageCursor;
        let ok = timeline("security", "2026-01-01", "2026-01-31", "1795341840.42", "").unwrap();
        assert_eq!(ok.category, Some(crate::events::Category::Security));
        assert_eq!(
            ok.cursor,
            PageCursor::Before {
                at: 1_795_341_840,
                id: 42
            }
        );
        let errors = timeline("nope", "2026-02-30", "2026-01-01", "", "").unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["category", "from"]);
        let reversed = timeline("", "2026-02-01", "2026-01-01", "", "").unwrap_err();
        assert_eq!(reversed[0].key, Key::ErrDateRange);
        // A mangled cursor is the first page, not an error.
        assert_eq!(timeline("", "", "", "1.2.3", "x").unwrap().cursor, PageCursor::Newest);
        assert_eq!(timeline("", "", "", "-1.2", "").unwrap().cursor, PageCursor::Newest);
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
