//! Money is integer cents from the database to the page. A percentage is applied once, on a
//! total, and rounded half up: the only place a fraction of a cent can arise.

/// `permille` thousandths of `cents`, rounded half up (away from zero for a negative amount).
/// 20 % is 200 ‰; Finland's 25.5 % VAT is 255 ‰, which is why rates are kept in per mille.
pub fn per_mille_of(cents: i64, permille: i64) -> i64 {
    let exact = i128::from(cents) * i128::from(permille);
    let rounded = if exact >= 0 {
        (exact + 500) / 1000
    } else {
        (exact - 500) / 1000
    };
    i64::try_from(rounded).unwrap_or(if rounded > 0 { i64::MAX } else { i64::MIN })
}

/// `1234` → `12,34 €` (French writing, as invoices are French documents).
pub fn euros_fr(cents: i64) -> String {
    format!("{} €", amount_fr(cents))
}

/// `-123456` → `-1 234,56`.
pub fn amount_fr(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let units = cents.unsigned_abs() / 100;
    let digits = units.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            // A narrow no-break space would be typographically right, but Helvetica's WinAnsi
            // encoding has no such glyph: a plain space it is.
            grouped.push(' ');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped},{:02}", cents.unsigned_abs() % 100)
}

/// A calendar month, `YYYY-MM`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Month {
    pub year: i32,
    pub month: u8,
}

impl Month {
    pub fn parse(text: &str) -> Option<Month> {
        let (year, month) = text.trim().split_once('-')?;
        if year.len() != 4 || month.len() != 2 {
            return None;
        }
        let year: i32 = year.parse().ok()?;
        let month: u8 = month.parse().ok()?;
        ((2000..=9999).contains(&year) && (1..=12).contains(&month)).then_some(Month { year, month })
    }

    /// The month a Unix time falls in, in UTC.
    pub fn of(unix: i64) -> Month {
        let at = time::OffsetDateTime::from_unix_timestamp(unix).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
        Month {
            year: at.year(),
            month: u8::from(at.month()),
        }
    }

    pub fn previous(self) -> Month {
        if self.month == 1 {
            Month {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Month {
                year: self.year,
                month: self.month - 1,
            }
        }
    }

    /// The first day, as Scalingo's `billing_month` (`2026-11-01`).
    pub fn first_day(self) -> String {
        format!("{self}-01")
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_mille_rounds_half_up_once() {
        assert_eq!(per_mille_of(1000, 200), 200);
        // 0.5 cent goes up, 0.4999 goes down.
        assert_eq!(per_mille_of(1, 500), 1);
        assert_eq!(per_mille_of(2, 200), 0);
        assert_eq!(per_mille_of(3, 200), 1); // 0.6
        assert_eq!(per_mille_of(1234, 200), 247); // 246.8
        assert_eq!(per_mille_of(1225, 200), 245); // exactly 245
        assert_eq!(per_mille_of(1237, 200), 247); // 247.4
        assert_eq!(per_mille_of(1238, 255), 316); // 315.69
        assert_eq!(per_mille_of(-1234, 200), -247);
        assert_eq!(per_mille_of(0, 200), 0);
        assert_eq!(per_mille_of(i64::MAX, 1000), i64::MAX);
    }

    #[test]
    fn euros_are_written_the_french_way() {
        assert_eq!(euros_fr(0), "0,00 €");
        assert_eq!(euros_fr(5), "0,05 €");
        assert_eq!(euros_fr(123456), "1 234,56 €");
        assert_eq!(euros_fr(-1000), "-10,00 €");
        assert_eq!(amount_fr(100000000), "1 000 000,00");
    }

    #[test]
    fn months_parse_strictly() {
        assert_eq!(Month::parse("2026-11"), Some(Month { year: 2026, month: 11 }));
        for bad in ["2026-13", "2026-00", "26-11", "2026-1", "2026/11", "", "abcd-ef"] {
            assert_eq!(Month::parse(bad), None, "{bad}");
        }
        assert_eq!(Month::parse("2026-01").map(Month::previous), Month::parse("2025-12"));
        assert_eq!(Month { year: 2026, month: 3 }.first_day(), "2026-03-01");
        // 2026-12-01T00:00:00Z
        assert_eq!(Month::of(1_796_083_200).to_string(), "2026-12");
    }
}
