//! Invariants the cleaner's fuzz targets check on every output, beyond "does not panic".
//!
//! Every check panics with a message naming the broken invariant, which libFuzzer reports as a
//! crash and saves the input under `artifacts/<target>/`.
use eventwire_cleaner::text::{Cleaned, Hints};
use eventwire_cleaner::CleanError;
use eventwire_schema::v1::{CleanArticle, ContentType, RawArticle};
use eventwire_schema::{ids, SCHEMA_VERSION};

/// The article id every fuzz input gets.
pub const ID: &str = "fuzz";

/// A raw article of the given content type whose body is `bytes` decoded as lossy UTF-8 (what a
/// reader that replaces bad bytes instead of rejecting the page would hand the cleaner).
pub fn raw(bytes: &[u8], content_type: ContentType) -> RawArticle {
    RawArticle {
        id: ID.to_string(),
        source: "fuzz".to_string(),
        body: String::from_utf8_lossy(bytes).into_owned(),
        content_type: content_type as i32,
        ..Default::default()
    }
}

/// Checks the outcome of `eventwire_cleaner::clean(raw)`.
///
/// * Text pages with an id never fail; an HTML page may fail, with a snake_case error code
///   (the dead letter's `dlq.error.code`).
/// * `empty` iff the body is empty iff there are no paragraphs.
/// * The body has no `"\n\n\n"`; paragraphs are non-empty, trimmed, single-line, in order, and
///   the body is exactly their slices (code-point offsets) joined by one blank line.
/// * `content_hash` is 64 lower-case hex digits and is the hash of this body.
/// * `language` is a 2- or 3-letter lower-case code; title and byline, when set, are non-empty
///   single trimmed lines; `published`, when set, is a real `YYYY-MM-DD` date.
pub fn check_outcome(raw: &RawArticle, outcome: &Result<CleanArticle, CleanError>) {
    let a = match outcome {
        Ok(a) => a,
        Err(e) => {
            let code = e.code();
            assert!(
                raw.content_type == ContentType::Html as i32,
                "a text page failed: {code} ({e})"
            );
            assert!(
                !code.is_empty() && code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                "error code {code:?} is not a snake_case code ({e})"
            );
            return;
        }
    };
    assert_eq!(a.id, raw.id, "id not carried");
    assert_eq!(a.schema_version, SCHEMA_VERSION, "schema_version");
    assert!(!a.producer_version.is_empty(), "producer_version is empty");
    assert_eq!(
        a.empty,
        a.body.is_empty(),
        "`empty` must equal body.is_empty()"
    );
    assert_eq!(
        a.body.is_empty(),
        a.paragraphs.is_empty(),
        "an empty body has no paragraphs and a non-empty one has some"
    );
    assert!(!a.body.contains("\n\n\n"), "body contains \"\\n\\n\\n\"");
    check_paragraphs(a);
    assert!(
        a.content_hash.len() == 64
            && a.content_hash
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)),
        "content_hash is not 64 lower-case hex digits: {:?}",
        a.content_hash
    );
    assert_eq!(
        a.content_hash,
        ids::content_hash(&a.body),
        "content_hash is not the body's"
    );
    assert!(
        (2..=3).contains(&a.language.len()) && a.language.bytes().all(|b| b.is_ascii_lowercase()),
        "language is not a 2-3 letter code: {:?}",
        a.language
    );
    for (what, v) in [("title", &a.title), ("byline", &a.byline)] {
        if let Some(v) = v {
            check_line(what, v);
        }
    }
    if let Some(p) = &a.published {
        check_date(p);
    }
}

/// Paragraph offsets (code points) are in order, inside the body, and cover it exactly with one
/// blank line between consecutive paragraphs.
fn check_paragraphs(a: &CleanArticle) {
    // Byte offset of every code point, plus the end of the body.
    let bytes_at: Vec<usize> = a
        .body
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(a.body.len()))
        .collect();
    let chars = bytes_at.len() - 1;
    let mut prev_end: Option<usize> = None;
    for (k, p) in a.paragraphs.iter().enumerate() {
        let (s, e) = (p.start as usize, p.end as usize);
        assert!(
            s < e && e <= chars,
            "paragraph {k} [{s}, {e}) is empty or outside the body of {chars} code points"
        );
        let gap_start = prev_end.unwrap_or(0);
        assert!(
            gap_start <= s,
            "paragraph {k} starts before the previous one ends"
        );
        let gap = &a.body[bytes_at[gap_start]..bytes_at[s]];
        let want = if prev_end.is_some() { "\n\n" } else { "" };
        assert_eq!(
            gap,
            want,
            "text between paragraphs {} and {k}",
            k.wrapping_sub(1)
        );
        let text = &a.body[bytes_at[s]..bytes_at[e]];
        check_line("paragraph", text);
        prev_end = Some(e);
    }
    assert_eq!(
        prev_end.unwrap_or(0),
        chars,
        "text after the last paragraph"
    );
}

/// A non-empty single line without surrounding white space.
fn check_line(what: &str, s: &str) {
    assert!(!s.is_empty(), "{what} is empty");
    assert_eq!(s, s.trim(), "{what} has surrounding white space: {s:?}");
    assert!(!s.contains('\n'), "{what} spans lines: {s:?}");
}

/// `YYYY-MM-DD` with a real month and day.
fn check_date(s: &str) {
    let b = s.as_bytes();
    let ok = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    assert!(ok, "published is not YYYY-MM-DD: {s:?}");
    let m: u32 = s[5..7].parse().unwrap_or(0);
    let d: u32 = s[8..10].parse().unwrap_or(0);
    assert!(
        (1..=12).contains(&m) && (1..=31).contains(&d),
        "published is not a date: {s:?}"
    );
}

/// Checks the outcome of `text::clean_lines(lines, hints)`: every paragraph is a non-empty
/// trimmed single line, there are no more paragraphs than non-blank input lines, every removed
/// line is counted under a non-empty key, and metadata lines are well formed. On an extract
/// (`hints.extracted`) the title is the caller's hint passed through as given (`clean`
/// normalises it), or none when no line is left; otherwise it is a normalised line of the page.
pub fn check_cleaned(lines: &[&str], hints: &Hints<'_>, c: &Cleaned) {
    let nonblank = lines.iter().filter(|l| !l.trim().is_empty()).count();
    assert!(
        c.paragraphs.len() <= nonblank,
        "{} paragraphs from {nonblank} non-blank lines",
        c.paragraphs.len()
    );
    let removed: u64 = c.removed.values().map(|&n| u64::from(n)).sum();
    assert!(
        c.paragraphs.len() as u64 + removed <= nonblank as u64,
        "kept {} + removed {removed} lines out of {nonblank}",
        c.paragraphs.len()
    );
    assert!(
        c.removed.iter().all(|(k, &n)| !k.is_empty() && n > 0),
        "removed: {:?}",
        c.removed
    );
    for p in &c.paragraphs {
        check_line("paragraph", p);
    }
    if hints.extracted {
        // The hint, or nothing when no line is left to take metadata from.
        assert!(
            c.title.is_none() || c.title.as_deref() == hints.title,
            "an extract's title is not the hint: {:?}",
            c.title
        );
    } else if let Some(t) = &c.title {
        check_line("title", t);
    }
    if let Some(b) = &c.byline {
        check_line("byline", b);
    }
    if let Some(p) = &c.published {
        check_date(p);
    }
}
