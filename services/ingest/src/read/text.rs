//! The samples' raw-page text format: an optional ` date YYYY-MM-DD ` header, then the page text.
use chrono::{Datelike, NaiveDate};

const HEADER_PREFIX: &str = " date ";

/// Splits the ` date YYYY-MM-DD ` header off a raw page.
///
/// The header counts only when the text starts with exactly one space, the word `date`, one
/// space, a real calendar date in `YYYY-MM-DD` form, and then a space, a line break or the end of
/// the text; that one separator is removed too. Anything else (no leading space, `dated`, an
/// impossible date such as `2025-02-30`, a date glued to a word) is not a header: the whole text
/// is the body and there is no date.
pub(crate) fn split_header(text: &str) -> (Option<String>, &str) {
    let Some(rest) = text.strip_prefix(HEADER_PREFIX) else {
        return (None, text);
    };
    let Some(date) = rest.get(..10) else {
        return (None, text);
    };
    if !is_iso_date(date) {
        return (None, text);
    }
    let after = &rest[10..];
    let body = if after.is_empty() {
        after
    } else if let Some(b) = after
        .strip_prefix(' ')
        .or_else(|| after.strip_prefix("\r\n"))
        .or_else(|| after.strip_prefix('\n'))
    {
        b
    } else {
        return (None, text);
    };
    (Some(date.to_owned()), body)
}

/// Whether `s` is exactly `YYYY-MM-DD` and a real calendar date.
pub(crate) fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if !(digits(0..4) && digits(5..7) && digits(8..10)) {
        return false;
    }
    let (Ok(y), Ok(m), Ok(d)) = (s[0..4].parse(), s[5..7].parse(), s[8..10].parse()) else {
        return false;
    };
    NaiveDate::from_ymd_opt(y, m, d).is_some()
}

/// A feed's publication date as `YYYY-MM-DD`: either that form already, or an RFC 3339
/// timestamp whose date part (in its own offset, as written) is kept.
pub(crate) fn normalize_published(s: &str) -> Option<String> {
    let s = s.trim();
    if is_iso_date(s) {
        return Some(s.to_owned());
    }
    let dt = chrono::DateTime::parse_from_rfc3339(s).ok()?;
    let d = dt.date_naive();
    if !(0..=9999).contains(&d.year()) {
        return None;
    }
    Some(format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_is_split_when_well_formed() {
        assert_eq!(
            split_header(" date 2025-04-16 Witkoff, who"),
            (Some("2025-04-16".into()), "Witkoff, who")
        );
        assert_eq!(
            split_header(" date 2025-04-16\nBody"),
            (Some("2025-04-16".into()), "Body")
        );
        assert_eq!(
            split_header(" date 2025-04-16\r\nBody"),
            (Some("2025-04-16".into()), "Body")
        );
        assert_eq!(
            split_header(" date 2024-02-29"),
            (Some("2024-02-29".into()), "")
        );
    }

    #[test]
    fn text_that_merely_looks_like_a_header_is_kept() {
        for t in [
            "date 2025-04-16 no leading space",
            " dated 2025-04-16 text",
            " date 2025-02-30 impossible day",
            " date 2025-4-16 short month",
            " date 2025-04-16x glued",
            " date 20250416 compact",
            " date é",
            "",
            " date ",
            "  date 2025-04-16 two spaces",
            " Date 2025-04-16 capital",
        ] {
            assert_eq!(split_header(t), (None, t), "{t:?}");
        }
    }

    #[test]
    fn dates_are_validated() {
        assert!(is_iso_date("2025-04-16"));
        assert!(is_iso_date("2024-02-29"));
        assert!(!is_iso_date("2023-02-29"));
        assert!(!is_iso_date("2025-13-01"));
        assert!(!is_iso_date("2025-00-10"));
        assert!(!is_iso_date("+025-01-01"));
        assert!(!is_iso_date("2025-01-1 "));
    }

    #[test]
    fn published_accepts_dates_and_rfc3339() {
        assert_eq!(
            normalize_published("2025-04-16").as_deref(),
            Some("2025-04-16")
        );
        assert_eq!(
            normalize_published("2025-04-16T23:30:00-05:00").as_deref(),
            Some("2025-04-16")
        );
        assert_eq!(
            normalize_published("2025-04-17T01:02:03.5Z").as_deref(),
            Some("2025-04-17")
        );
        assert_eq!(normalize_published("16 April 2025"), None);
        assert_eq!(normalize_published("2025-02-30"), None);
        assert_eq!(normalize_published(""), None);
    }
}
