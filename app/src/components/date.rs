use crate::context::use_lang;
use crate::i18n::Lang;
use leptos::prelude::*;
use time::OffsetDateTime;

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const MONTHS_FR: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// A calendar date in the reader's language, e.g. "22 November 2026" / "22 novembre 2026".
pub fn format_date(unix_secs: i64, lang: Lang) -> String {
    let Ok(at) = OffsetDateTime::from_unix_timestamp(unix_secs) else {
        return String::new();
    };
    let month = usize::from(u8::from(at.month())) - 1;
    let name = match lang {
        Lang::En => MONTHS_EN[month],
        Lang::Fr => MONTHS_FR[month],
    };
    format!("{} {name} {}", at.day(), at.year())
}

/// A `<time>` element whose machine-readable value is the exact UTC instant.
#[component]
pub fn LocalDate(unix_secs: i64) -> impl IntoView {
    let iso = OffsetDateTime::from_unix_timestamp(unix_secs)
        .ok()
        .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
        .unwrap_or_default();
    view! { <time datetime=iso.clone() title=iso>{format_date(unix_secs, use_lang())}</time> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_both_languages() {
        // 2026-11-22T10:00:00Z
        assert_eq!(format_date(1_795_341_600, Lang::En), "22 November 2026");
        assert_eq!(format_date(1_795_341_600, Lang::Fr), "22 novembre 2026");
    }
}
