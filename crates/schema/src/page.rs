//! The samples' raw-page text format: an optional ` date YYYY-MM-DD ` header line, then the page
//! text. Ingest reads `.txt` pages this way; the tests and load harnesses read the samples the
//! same way through [`split_date_header`].
use chrono::NaiveDate;

const HEADER_PREFIX: &str = " date ";
const ISO_DATE_LEN: usize = 10;

/// Splits the ` date YYYY-MM-DD ` header off a raw page: `(date, body)`.
///
/// The header counts only when the text starts with exactly one space, the word `date`, one
/// space, a real calendar date in `YYYY-MM-DD` form, and then a space, a line break or the end of
/// the text; that one separator is removed too. Anything else (no leading space, `dated`, an
/// impossible date such as `2025-02-30`, a date glued to a word) is not a header: the whole text
/// is the body and there is no date.
pub fn split_date_header(text: &str) -> (Option<String>, &str) {
    let Some(rest) = text.strip_prefix(HEADER_PREFIX) else {
        return (None, text);
    };
    let Some(date) = rest.get(..ISO_DATE_LEN) else {
        return (None, text);
    };
    if !is_iso_date(date) {
        return (None, text);
    }
    match strip_header_separator(&rest[ISO_DATE_LEN..]) {
        Some(body) => (Some(date.to_owned()), body),
        None => (None, text),
    }
}

/// The text after the header's date without its one separator (a space, `\r\n` or `\n`), or
/// the empty text itself; `None` when the date is glued to something else.
fn strip_header_separator(after: &str) -> Option<&str> {
    if after.is_empty() {
        return Some(after);
    }
    after
        .strip_prefix(' ')
        .or_else(|| after.strip_prefix("\r\n"))
        .or_else(|| after.strip_prefix('\n'))
}

/// Whether `s` is exactly `YYYY-MM-DD` and a real calendar date.
pub fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != ISO_DATE_LEN || b[4] != b'-' || b[7] != b'-' {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_is_split_when_well_formed() {
        assert_eq!(
            split_date_header(" date 2025-04-16 Witkoff, who"),
            (Some("2025-04-16".into()), "Witkoff, who")
        );
        assert_eq!(
            split_date_header(" date 2025-04-16\nBody"),
            (Some("2025-04-16".into()), "Body")
        );
        assert_eq!(
            split_date_header(" date 2025-04-16\r\nBody"),
            (Some("2025-04-16".into()), "Body")
        );
        assert_eq!(
            split_date_header(" date 2024-02-29"),
            (Some("2024-02-29".into()), "")
        );
    }

    #[test]
    fn only_one_separator_is_removed() {
        assert_eq!(
            split_date_header(" date 2025-04-16  Two spaces"),
            (Some("2025-04-16".into()), " Two spaces")
        );
        assert_eq!(
            split_date_header(" date 2025-04-16\n\nBody"),
            (Some("2025-04-16".into()), "\nBody")
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
            "No header.",
        ] {
            assert_eq!(split_date_header(t), (None, t), "{t:?}");
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
        assert!(!is_iso_date("2025-01-011"));
    }
}
