use crate::context::use_lang;
use crate::i18n::{Key, Lang};
use crate::model::Stamp;
use leptos::prelude::*;
use time::{OffsetDateTime, UtcOffset};

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

/// The instant in the reader's time zone (the offset the host computed for it).
fn local(stamp: Stamp) -> Option<OffsetDateTime> {
    let offset = UtcOffset::from_whole_seconds(stamp.offset_secs).ok()?;
    Some(OffsetDateTime::from_unix_timestamp(stamp.unix).ok()?.to_offset(offset))
}

/// A calendar date in the reader's language: "22 November 2026" / "22 novembre 2026".
pub fn format_date(stamp: Stamp, lang: Lang) -> String {
    let Some(at) = local(stamp) else {
        return String::new();
    };
    let month = usize::from(u8::from(at.month())) - 1;
    let name = match lang {
        Lang::En => MONTHS_EN[month],
        Lang::Fr => MONTHS_FR[month],
    };
    format!("{} {name} {}", at.day(), at.year())
}

/// Date and 24-hour time: "22 November 2026 at 10:04" / "22 novembre 2026 à 10:04".
pub fn format_date_time(stamp: Stamp, lang: Lang) -> String {
    let Some(at) = local(stamp) else {
        return String::new();
    };
    format!(
        "{} {} {:02}:{:02}",
        format_date(stamp, lang),
        Key::DateAt.text(lang),
        at.hour(),
        at.minute()
    )
}

/// How long ago, as people say it: "just now", "5 minutes ago", "yesterday at 18:02",
/// "3 days ago"; beyond a week, the date and time. `now` is the server's clock (Unix seconds).
pub fn format_relative(now: i64, stamp: Stamp, lang: Lang) -> String {
    let elapsed = now - stamp.unix;
    let ago = |n: i64, one: Key, many: Key| {
        let unit = if n == 1 { one } else { many }.text(lang);
        match lang {
            Lang::En => format!("{n} {unit} {}", Key::Ago.text(lang)),
            Lang::Fr => format!("{} {n} {unit}", Key::Ago.text(lang)),
        }
    };
    let day_number = |unix: i64| (unix + i64::from(stamp.offset_secs)).div_euclid(86_400);
    match elapsed {
        e if e < 60 => Key::JustNow.text(lang).to_string(),
        e if e < 3600 => ago(e / 60, Key::Minute, Key::Minutes),
        e if e < 86_400 && day_number(now) == day_number(stamp.unix) => ago(e / 3600, Key::Hour, Key::Hours),
        _ if day_number(now) - day_number(stamp.unix) == 1 => {
            let time = format_date_time(stamp, lang);
            let clock = time.rsplit(' ').next().unwrap_or_default().to_string();
            format!("{} {} {clock}", Key::Yesterday.text(lang), Key::DateAt.text(lang))
        }
        e if e < 7 * 86_400 => ago((day_number(now) - day_number(stamp.unix)).max(2), Key::Day, Key::Days),
        _ => format_date_time(stamp, lang),
    }
}

/// The UTC offset as people read it: "UTC", "UTC+01:00", "UTC-03:30".
pub fn format_offset(offset_secs: i32) -> String {
    if offset_secs == 0 {
        return "UTC".into();
    }
    let sign = if offset_secs < 0 { '-' } else { '+' };
    let minutes = offset_secs.unsigned_abs() / 60;
    format!("UTC{sign}{:02}:{:02}", minutes / 60, minutes % 60)
}

/// The machine-readable instant with its offset, for `<time datetime>` and exports.
pub fn format_iso(stamp: Stamp) -> String {
    iso(stamp)
}

fn iso(stamp: Stamp) -> String {
    local(stamp)
        .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
        .unwrap_or_default()
}

/// A date (or date and time) in the reader's language and time zone, in a `<time>` element
/// whose tooltip gives the exact time and offset.
#[component]
pub fn DateTime(stamp: Stamp, #[prop(optional)] with_time: bool) -> impl IntoView {
    let lang = use_lang();
    let text = move || {
        if with_time {
            format_date_time(stamp, lang.get())
        } else {
            format_date(stamp, lang.get())
        }
    };
    let exact = move || {
        format!(
            "{} ({})",
            format_date_time(stamp, lang.get()),
            format_offset(stamp.offset_secs)
        )
    };
    view! {
        <time datetime=iso(stamp) title=exact>
            {text}
        </time>
    }
}

/// A relative time in a `<time>` element; its tooltip gives the exact time and offset.
#[component]
pub fn RelativeTime(stamp: Stamp, now: i64) -> impl IntoView {
    let lang = use_lang();
    let exact = move || {
        format!(
            "{} ({})",
            format_date_time(stamp, lang.get()),
            format_offset(stamp.offset_secs)
        )
    };
    view! {
        <time datetime=iso(stamp) title=exact>
            {move || format_relative(now, stamp, lang.get())}
        </time>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2026-11-22T10:04:00Z
    const AT: i64 = 1_795_341_840;

    #[test]
    fn dates_in_both_languages() {
        let utc = Stamp {
            unix: AT,
            offset_secs: 0,
        };
        assert_eq!(format_date(utc, Lang::En), "22 November 2026");
        assert_eq!(format_date(utc, Lang::Fr), "22 novembre 2026");
        assert_eq!(format_date_time(utc, Lang::En), "22 November 2026 at 10:04");
        assert_eq!(format_date_time(utc, Lang::Fr), "22 novembre 2026 à 10:04");
    }

    #[test]
    fn relative_times_in_both_languages() {
        let at = |unix| Stamp { unix, offset_secs: 0 };
        let now = AT;
        let cases = [
            (now - 20, "just now", "à l’instant"),
            (now - 60, "1 minute ago", "il y a 1 minute"),
            (now - 5 * 60, "5 minutes ago", "il y a 5 minutes"),
            (now - 3 * 3600, "3 hours ago", "il y a 3 heures"),
            (now - 16 * 3600, "yesterday at 18:04", "hier à 18:04"),
            (now - 3 * 86_400, "3 days ago", "il y a 3 jours"),
            (now - 30 * 86_400, "23 October 2026 at 10:04", "23 octobre 2026 à 10:04"),
        ];
        for (unix, en, fr) in cases {
            assert_eq!(format_relative(now, at(unix), Lang::En), en);
            assert_eq!(format_relative(now, at(unix), Lang::Fr), fr);
        }
    }

    #[test]
    fn the_offset_moves_the_local_time_and_can_change_the_day() {
        let tokyo = Stamp {
            unix: AT + 14 * 3600,
            offset_secs: 9 * 3600,
        };
        assert_eq!(format_date_time(tokyo, Lang::En), "23 November 2026 at 09:04");
        assert_eq!(iso(tokyo), "2026-11-23T09:04:00+09:00");
        assert_eq!(format_offset(9 * 3600), "UTC+09:00");
        assert_eq!(format_offset(-(3 * 3600 + 1800)), "UTC-03:30");
        assert_eq!(format_offset(0), "UTC");
    }
}
