//! Publication dates as feeds and archives write them, normalised to the contract's
//! `YYYY-MM-DD` (`RawArticle.published`).
//!
//! The date is the one *as written*, in the timestamp's own offset: "2025-04-15T23:30:00-05:00"
//! is 2025-04-15, the day the publisher's readers saw, not the UTC day. Forms without a zone are
//! taken as written too. Day/month orders that cannot be told apart ("04/05/2025") are not
//! guessed: they are refused like any other unreadable date.
use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime};

/// Timestamps with a numeric offset that RFC 3339 does not cover (no colon in the offset, a
/// space before it), as `chrono` formats. `%.f` also matches no fraction at all.
const OFFSET_FORMATS: [&str; 3] = [
    "%Y-%m-%dT%H:%M:%S%.f%z",  // 2025-04-15T10:00:00+0200
    "%Y-%m-%d %H:%M:%S%.f%z",  // 2025-04-15 10:00:00+0200
    "%Y-%m-%d %H:%M:%S%.f %z", // 2025-04-15 10:00:00 +0000 (SQL and Go exports)
];

/// Timestamps without an offset (or with a named UTC), taken as written.
const NAIVE_TIMESTAMP_FORMATS: [&str; 8] = [
    "%Y-%m-%dT%H:%M:%S%.f",     // ISO 8601 without a zone
    "%Y-%m-%d %H:%M:%S%.f",     // news-please's date_publish, SQL
    "%Y-%m-%dT%H:%M",           // ISO 8601 without seconds
    "%Y-%m-%d %H:%M",           //
    "%Y-%m-%d %H:%M:%S%.f UTC", // 2025-04-15 10:00:00 UTC
    "%Y-%m-%d %H:%M:%S%.f GMT", //
    "%Y%m%d%H%M%S",             // GDELT's DATEADDED and 2.0 timestamps (14 digits)
    "%Y%m%dT%H%M%S",            // ISO 8601 basic form
];

/// Bare dates. `%B` reads full and abbreviated English month names alike.
const DATE_FORMATS: [&str; 7] = [
    "%Y-%m-%d",  // the contract's own form
    "%Y%m%d",    // GDELT's SQLDATE (8 digits)
    "%Y/%m/%d",  // 2025/04/15
    "%d %B %Y",  // 15 April 2025, 15 Apr 2025
    "%B %d, %Y", // April 15, 2025
    "%B %d %Y",  // April 15 2025
    "%d. %B %Y", // 15. April 2025
];

/// The publication date in `s` as `YYYY-MM-DD`, or `None` when `s` is in none of the known
/// forms: RFC 3339, RFC 2822 (RSS), the formats in this module's tables, and an RFC 2822-like
/// date whose zone name or weekday `chrono` refuses ("Tue, 15 Apr 2025 10:00:00 CEST").
pub(crate) fn published_date(s: &str) -> Option<String> {
    let s = s.trim();
    let date = zoned_date(s)
        .or_else(|| naive_date(s))
        .or_else(|| mail_date_lenient(s))?;
    four_digit_year(date).then(|| date.format("%Y-%m-%d").to_string())
}

/// A timestamp with an offset, reduced to its date in that offset.
fn zoned_date(s: &str) -> Option<NaiveDate> {
    DateTime::parse_from_rfc3339(s)
        .or_else(|_| DateTime::parse_from_rfc2822(s))
        .ok()
        .or_else(|| {
            OFFSET_FORMATS
                .iter()
                .find_map(|f| DateTime::parse_from_str(s, f).ok())
        })
        .map(|dt| dt.date_naive())
}

/// A timestamp without an offset, or a bare date.
fn naive_date(s: &str) -> Option<NaiveDate> {
    NAIVE_TIMESTAMP_FORMATS
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
        .map(|dt| dt.date())
        .or_else(|| {
            DATE_FORMATS
                .iter()
                .find_map(|f| NaiveDate::parse_from_str(s, f).ok())
        })
}

/// The date of an RFC 2822-shaped string that the strict parser refused: an optional weekday
/// (not checked), then `day month year`, then nothing or a time (whose zone is ignored).
fn mail_date_lenient(s: &str) -> Option<NaiveDate> {
    let rest = match s.split_once(',') {
        Some((weekday, rest)) if weekday.chars().all(|c| c.is_ascii_alphabetic()) => rest,
        _ => s,
    };
    let (date, tail) = NaiveDate::parse_and_remainder(rest.trim_start(), "%d %B %Y").ok()?;
    let time_follows = tail
        .strip_prefix(' ')
        .is_some_and(|t| t.starts_with(|c: char| c.is_ascii_digit()));
    (tail.is_empty() || time_follows).then_some(date)
}

/// Whether the year prints as the four digits `YYYY-MM-DD` has room for.
fn four_digit_year(d: NaiveDate) -> bool {
    (0..=9999).contains(&d.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn date(s: &str) -> Option<String> {
        published_date(s)
    }

    #[test]
    fn feed_and_archive_forms_give_the_date_as_written() {
        for (input, want) in [
            ("2025-04-15", "2025-04-15"),
            ("Tue, 15 Apr 2025 10:00:00 GMT", "2025-04-15"),
            ("Tue, 15 Apr 2025 23:30:00 -0500", "2025-04-15"),
            ("15 Apr 2025 10:00 +0000", "2025-04-15"),
            ("20250415100000", "2025-04-15"),
            ("20250415", "2025-04-15"),
            ("2025-04-15 10:00:00", "2025-04-15"),
            ("2025-04-15T10:00:00", "2025-04-15"),
            ("2025-04-15T10:00", "2025-04-15"),
            ("2025-04-15T10:00:00.123+02:00", "2025-04-15"),
            ("2025-04-15T23:30:00-05:00", "2025-04-15"),
            ("2025-04-16T01:02:03.5Z", "2025-04-16"),
            ("2025-04-15T10:00:00+0200", "2025-04-15"),
            ("2025-04-15 10:00:00 +0000", "2025-04-15"),
            ("2025-04-15 10:00:00 UTC", "2025-04-15"),
            ("20250415T100000", "2025-04-15"),
            ("15 April 2025", "2025-04-15"),
            ("15 Apr 2025", "2025-04-15"),
            ("April 15, 2025", "2025-04-15"),
            ("2025/04/15", "2025-04-15"),
            ("  2025-04-15 ", "2025-04-15"),
        ] {
            assert_eq!(date(input).as_deref(), Some(want), "{input:?}");
        }
    }

    #[test]
    fn rss_dates_with_unknown_zones_or_wrong_weekdays_keep_their_date() {
        assert_eq!(
            date("Tue, 15 Apr 2025 10:00:00 CEST").as_deref(),
            Some("2025-04-15")
        );
        // 15 April 2025 was a Tuesday; feeds get weekdays wrong.
        assert_eq!(
            date("Mon, 15 Apr 2025 10:00:00 GMT").as_deref(),
            Some("2025-04-15")
        );
    }

    #[test]
    fn unreadable_or_ambiguous_dates_are_none() {
        for input in [
            "",
            "April",
            "sometime last week",
            "2025-02-30",
            "04/05/2025",
            "15 Apr 2025 garbage",
            "2025041510",
            "Tuesday",
        ] {
            assert_eq!(date(input), None, "{input:?}");
        }
    }
}
