//! The samples' raw-page text format: an optional ` date YYYY-MM-DD ` header, then the page text.
//! The header is parsed by `eventwire_schema::page` (one parser for every reader of the samples);
//! feed dates are normalised here.
use chrono::Datelike;
use eventwire_schema::page::is_iso_date;

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
