//! Pure cleaning: a RawArticle in, a CleanArticle out. No I/O.
use eventwire_schema::v1::{CleanArticle, ContentType, Paragraph, RawArticle};
use eventwire_schema::{ids, SCHEMA_VERSION};
use crate::normalise::normalise;

/// Name and version stamped on every CleanArticle.
pub const PRODUCER: &str = concat!("eventwire-cleaner/", env!("CARGO_PKG_VERSION"));

#[derive(Debug, thiserror::Error)]
pub enum CleanError {
    #[error("article has no id")]
    MissingId,
    #[error("unknown content type {0}")]
    ContentType(i32),
    #[error("HTML extraction failed: {0}")]
    Html(String),
}

impl CleanError {
    pub fn code(&self) -> &'static str {
        match self {
            CleanError::MissingId => "missing_id",
            CleanError::ContentType(_) => "content_type",
            CleanError::Html(_) => "html_extraction",
        }
    }
}

/// Cleans one article. An article with no text left is returned with `empty` set rather than
/// as an error, so consumers can count and skip it.
pub fn clean(raw: &RawArticle) -> Result<CleanArticle, CleanError> {
    if raw.id.trim().is_empty() {
        return Err(CleanError::MissingId);
    }
    let Extracted {
        blocks,
        title,
        byline,
    } = match ContentType::try_from(raw.content_type) {
        Ok(ContentType::Text) | Ok(ContentType::Unspecified) => Extracted {
            blocks: text_blocks(&raw.body),
            title: raw.title.clone(),
            byline: None,
        },
        Ok(ContentType::Html) => html_blocks(&raw.body)?,
        Err(_) => return Err(CleanError::ContentType(raw.content_type)),
    };
    let title = title
        .or_else(|| raw.title.clone())
        .map(|t| normalise(&t))
        .filter(|t| !t.is_empty());
    let (body, paragraphs) = join_paragraphs(&blocks);
    Ok(CleanArticle {
        schema_version: SCHEMA_VERSION,
        id: raw.id.clone(),
        source: raw.source.clone(),
        url: raw.url.clone(),
        title,
        byline: byline.filter(|b: &String| !b.is_empty()),
        published: raw.published.clone(),
        language: guess_language(&body).to_string(),
        content_hash: ids::content_hash(&body),
        fingerprint: String::new(),
        duplicate_of: None,
        duplicate_similarity: None,
        removed_blocks: Default::default(),
        ingested_at: raw.ingested_at,
        cleaned_at: Some(eventwire_schema::now_timestamp()),
        empty: body.is_empty(),
        producer_version: PRODUCER.to_string(),
        paragraphs,
        body,
    })
}

fn text_blocks(body: &str) -> Vec<String> {
    body.lines()
        .map(normalise)
        .filter(|l| !l.is_empty())
        .collect()
}

/// Text blocks and the metadata found beside them.
struct Extracted {
    blocks: Vec<String>,
    title: Option<String>,
    byline: Option<String>,
}

fn html_blocks(html: &str) -> Result<Extracted, CleanError> {
    let cfg = dom_smoothie::Config {
        text_mode: dom_smoothie::TextMode::Formatted,
        ..Default::default()
    };
    let mut r = dom_smoothie::Readability::new(html, None, Some(cfg))
        .map_err(|e| CleanError::Html(e.to_string()))?;
    match r.parse() {
        Ok(a) => {
            let title = Some(a.title.clone()).filter(|t| !t.trim().is_empty());
            Ok(Extracted {
                blocks: text_blocks(&a.text_content),
                title,
                byline: a.byline.map(|b| normalise(&b)),
            })
        }
        // A page with no extractable article is an empty article, not a failure.
        Err(_) => Ok(Extracted {
            blocks: Vec::new(),
            title: None,
            byline: None,
        }),
    }
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

/// "en" when common English function words make up a plausible share of the words, else "und".
fn guess_language(body: &str) -> &'static str {
    const EN: &[&str] = &[
        "the", "of", "and", "to", "in", "a", "is", "that", "for", "on", "was", "with", "he", "it",
        "as", "at", "by", "from", "his", "said", "have", "has", "will", "are", "were", "be",
    ];
    let mut words = 0usize;
    let mut hits = 0usize;
    for w in body
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .take(2000)
    {
        words += 1;
        if EN.iter().any(|e| w.eq_ignore_ascii_case(e)) {
            hits += 1;
        }
    }
    if words >= 20 && hits * 100 >= words * 15 {
        "en"
    } else {
        "und"
    }
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
