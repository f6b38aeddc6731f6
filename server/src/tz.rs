//! Time zones: the server keeps the rules (jiff's bundled IANA database) and hands the browser
//! each instant with its offset in the reader's zone, so the WASM needs no zone database.

use app::model::Stamp;
use jiff::tz::TimeZone;
use jiff::Timestamp;

/// True when the database knows `name`.
pub fn is_known(name: &str) -> bool {
    TimeZone::get(name).is_ok()
}

/// `unix` as seen in `zone`; an unknown zone reads as UTC rather than failing the page.
pub fn stamp(unix: i64, zone: &str) -> Stamp {
    let offset_secs = TimeZone::get(zone)
        .ok()
        .zip(Timestamp::from_second(unix).ok())
        .map(|(tz, at)| tz.to_offset(at).seconds())
        .unwrap_or(0);
    Stamp { unix, offset_secs }
}

/// The first second of `day` in `zone` (midnight, or the first instant after a daylight-saving
/// gap); `None` for an unknown zone or a day out of range.
pub fn start_of_day(day: app::model::Day, zone: &str) -> Option<i64> {
    let tz = TimeZone::get(zone).ok()?;
    let date = jiff::civil::Date::new(
        i16::try_from(day.year).ok()?,
        i8::try_from(day.month).ok()?,
        i8::try_from(day.day).ok()?,
    )
    .ok()?;
    Some(date.to_zoned(tz).ok()?.timestamp().as_second())
}

/// The first second after `day` in `zone`: the end of a period that includes `day`.
pub fn end_of_day(day: app::model::Day, zone: &str) -> Option<i64> {
    let tz = TimeZone::get(zone).ok()?;
    let date = jiff::civil::Date::new(
        i16::try_from(day.year).ok()?,
        i8::try_from(day.month).ok()?,
        i8::try_from(day.day).ok()?,
    )
    .ok()?;
    Some(date.tomorrow().ok()?.to_zoned(tz).ok()?.timestamp().as_second())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_follow_daylight_saving_time() {
        // 2026-01-15 and 2026-07-15, noon UTC.
        assert_eq!(stamp(1_768_478_400, "Europe/Paris").offset_secs, 3600);
        assert_eq!(stamp(1_784_116_800, "Europe/Paris").offset_secs, 7200);
        assert_eq!(stamp(1_784_116_800, "America/New_York").offset_secs, -4 * 3600);
        assert_eq!(stamp(1_784_116_800, "Asia/Kolkata").offset_secs, 19_800);
    }

    #[test]
    fn unknown_zones_read_as_utc() {
        assert!(!is_known("Mars/Olympus_Mons"));
        assert_eq!(stamp(1_784_116_800, "Mars/Olympus_Mons").offset_secs, 0);
    }

    #[test]
    fn days_begin_at_local_midnight() {
        let day = app::model::Day {
            year: 2026,
            month: 7,
            day: 15,
        };
        // Paris is two hours ahead of UTC in July.
        assert_eq!(start_of_day(day, "Europe/Paris"), Some(1_784_066_400));
        assert_eq!(end_of_day(day, "Europe/Paris"), Some(1_784_066_400 + 86_400));
        assert_eq!(start_of_day(day, "UTC"), Some(1_784_073_600));
        assert_eq!(start_of_day(day, "Nowhere/Land"), None);
    }

    #[test]
    fn every_zone_the_form_offers_is_known() {
        for zone in app::time_zones::TIME_ZONES {
            assert!(is_known(zone), "{zone}");
        }
    }
}
