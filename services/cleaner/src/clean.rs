//! Pure cleaning: a RawArticle in, a CleanArticle out. No I/O.
use crate::normalise::normalise;
use crate::{html, text};
use eventwire_schema::v1::{CleanArticle, ContentType, Paragraph, RawArticle};
use eventwire_schema::{ids, SCHEMA_VERSION};

/// Name and version stamped on every CleanArticle.
pub const PRODUCER: &str = concat!("eventwire-cleaner/", env!("CARGO_PKG_VERSION"));

#[derive(Debug, thiserror::Error)]
pub enum CleanError {
    #[error("article has no id")]
    MissingId,
    #[error("unknown content type {0}")]
    ContentType(i32),
    #[error("HTML extraction failed: {message}")]
    Html { code: &'static str, message: String },
}

impl CleanError {
    pub fn code(&self) -> &'static str {
        match self {
            CleanError::MissingId => "missing_id",
            CleanError::ContentType(_) => "content_type",
            CleanError::Html { code, .. } => code,
        }
    }
}

/// Largest body the cleaner works on, in bytes; a larger page is cut at a line boundary below
/// this (counted in `removed_blocks["truncated"]`). Ingest refuses records over its own limit
/// first; this bound keeps one pathological page from stalling a worker.
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// Most lines of a text page looked at: no article has more, and each line costs the line
/// classifier a few hundred bytes (a 10 MB page of one-letter lines would need a gigabyte).
pub const MAX_LINES: usize = 50_000;

/// Largest clean body kept, in bytes, and most paragraphs: a clean article must fit the next
/// stage's record limit (10 MiB) with its paragraph offsets, and no news article comes near.
pub const MAX_CLEAN_BYTES: usize = 2 * 1024 * 1024;
/// See [`MAX_CLEAN_BYTES`].
pub const MAX_PARAGRAPHS: usize = 20_000;

/// Cleans one article. An article with no text left is returned with `empty` set rather than
/// as an error, so consumers can count and skip it; a non-English article carries its language
/// code, and consumers that read only English skip it by that.
pub fn clean(raw: &RawArticle) -> Result<CleanArticle, CleanError> {
    if raw.id.trim().is_empty() {
        return Err(CleanError::MissingId);
    }
    let (input, mut truncated) = bounded(&raw.body);
    let (cleaned, page_language) = match ContentType::try_from(raw.content_type) {
        Ok(ContentType::Text) | Ok(ContentType::Unspecified) => {
            let lines: Vec<&str> = input.lines().take(MAX_LINES + 1).collect();
            let (lines, more) = match lines.split_at_checked(MAX_LINES) {
                Some((head, tail)) if !tail.is_empty() => (head.to_vec(), true),
                _ => (lines, false),
            };
            truncated |= more;
            let hints = text::Hints {
                title: raw.title.as_deref(),
                extracted: false,
            };
            (text::clean_lines(&lines, &hints), None)
        }
        Ok(ContentType::Html) => html_clean(input, raw.title.as_deref())?,
        Err(_) => return Err(CleanError::ContentType(raw.content_type)),
    };
    let text::Cleaned {
        paragraphs,
        title,
        byline,
        published,
        mut removed,
    } = cleaned;
    let paragraphs = bounded_paragraphs(paragraphs, &mut truncated);
    if truncated {
        removed.insert("truncated".to_string(), 1);
    }
    let title = title
        .or_else(|| raw.title.clone())
        .map(|t| normalise(&t))
        .filter(|t| !t.is_empty());
    let (body, paragraphs) = join_paragraphs(&paragraphs);
    let language = crate::language::detect(&body)
        .or(page_language)
        .unwrap_or_else(|| "und".to_string());
    Ok(CleanArticle {
        schema_version: SCHEMA_VERSION,
        id: raw.id.clone(),
        source: raw.source.clone(),
        url: raw.url.clone(),
        title,
        byline: byline.map(|b| normalise(&b)).filter(|b| !b.is_empty()),
        published: raw.published.clone().or(published),
        language,
        content_hash: ids::content_hash(&body),
        fingerprint: String::new(),
        duplicate_of: None,
        duplicate_similarity: None,
        removed_blocks: removed.into_iter().collect(),
        ingested_at: raw.ingested_at,
        cleaned_at: Some(eventwire_schema::now_timestamp()),
        empty: body.is_empty(),
        producer_version: PRODUCER.to_string(),
        paragraphs,
        body,
    })
}

/// At most [`MAX_PARAGRAPHS`] paragraphs and [`MAX_CLEAN_BYTES`] of text, whole paragraphs
/// only; sets `truncated` when anything is dropped.
fn bounded_paragraphs(mut paragraphs: Vec<String>, truncated: &mut bool) -> Vec<String> {
    let mut bytes = 0usize;
    let keep = paragraphs
        .iter()
        .take(MAX_PARAGRAPHS)
        .take_while(|p| {
            bytes += p.len() + 2;
            bytes <= MAX_CLEAN_BYTES
        })
        .count();
    if keep < paragraphs.len() {
        paragraphs.truncate(keep);
        *truncated = true;
    }
    paragraphs
}

/// The body cut to [`MAX_BODY_BYTES`] at a line boundary, and whether it was cut.
fn bounded(body: &str) -> (&str, bool) {
    if body.len() <= MAX_BODY_BYTES {
        return (body, false);
    }
    let mut cut = MAX_BODY_BYTES;
    while !body.is_char_boundary(cut) {
        cut -= 1;
    }
    let cut = body[..cut].rfind('\n').unwrap_or(cut);
    (&body[..cut], true)
}

/// HTML: main content and metadata from the page, then the wording rules on the blocks.
fn html_clean(
    html: &str,
    feed_title: Option<&str>,
) -> Result<(text::Cleaned, Option<String>), CleanError> {
    let page = html::extract(html).map_err(|e| CleanError::Html {
        code: e.code(),
        message: e.to_string(),
    })?;
    let blocks: Vec<&str> = page.blocks.iter().map(String::as_str).collect();
    let mut cleaned = text::clean_lines(
        &blocks,
        &text::Hints {
            title: page.title.as_deref().or(feed_title),
            extracted: true,
        },
    );
    cleaned.title = page.title.or(cleaned.title);
    cleaned.byline = page.byline.or(cleaned.byline);
    cleaned.published = page.published.or(cleaned.published);
    Ok((cleaned, page.language))
}

/// Joins blocks with blank lines; paragraph offsets are in code points.
fn join_paragraphs(blocks: &[String]) -> (String, Vec<Paragraph>) {
    let mut body = String::new();
    let mut paragraphs = Vec::with_capacity(blocks.len());
    let mut pos: u32 = 0;
    for (i, b) in blocks.iter().enumerate() {
        if i > 0 {
            body.push_str("\n\n");
            pos += 2;
        }
        let n = u32::try_from(b.chars().count()).unwrap_or(u32::MAX);
        paragraphs.push(Paragraph {
            start: pos,
            end: pos.saturating_add(n),
        });
        pos = pos.saturating_add(n);
        body.push_str(b);
    }
    (body, paragraphs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(body: &str, ct: ContentType) -> RawArticle {
        RawArticle {
            id: "a".into(),
            body: body.into(),
            content_type: ct as i32,
            ..Default::default()
        }
    }

    #[test]
    fn text_lines_become_paragraphs_with_code_point_offsets() {
        let a = clean(&raw(
            "  Café\u{00a0}talks \n\n\nSecond  line.",
            ContentType::Text,
        ))
        .unwrap();
        assert_eq!(a.body, "Café talks\n\nSecond line.");
        assert_eq!(a.paragraphs.len(), 2);
        let chars: Vec<char> = a.body.chars().collect();
        let p = &a.paragraphs[1];
        let s: String = chars[p.start as usize..p.end as usize].iter().collect();
        assert_eq!(s, "Second line.");
        assert!(!a.empty);
        assert_eq!(a.content_hash.len(), 64);
    }

    #[test]
    fn nfc_is_applied() {
        let a = clean(&raw("Cafe\u{301}", ContentType::Text)).unwrap();
        assert_eq!(a.body, "Café");
    }

    #[test]
    fn empty_and_missing_id() {
        assert!(clean(&raw(" \n ", ContentType::Text)).unwrap().empty);
        let mut r = raw("x", ContentType::Text);
        r.id.clear();
        assert_eq!(clean(&r).unwrap_err().code(), "missing_id");
        assert_eq!(clean(&raw("x", ContentType::Text)).unwrap().language, "und");
    }

    #[test]
    fn html_article_text_is_extracted() {
        let html = "<html><head><title>Talks in Paris</title></head><body><nav>Home News</nav>\
            <article><h1>Talks in Paris</h1><p>The ministers met in Paris on Thursday to discuss the \
            war, the officials said in a statement that was published later that day by the ministry.</p>\
            <p>They will meet again next week in Rome, according to the statement, which gave no further details \
            of the agenda or of the delegations that are expected to attend the meeting there.</p></article></body></html>";
        let a = clean(&raw(html, ContentType::Html)).unwrap();
        assert!(a.body.contains("The ministers met in Paris"), "{}", a.body);
        assert_eq!(a.title.as_deref(), Some("Talks in Paris"));
        assert_eq!(a.language, "en");
    }
}
