//! HTML pages: the main-content blocks and the page's metadata (title, byline, publication
//! date, language).
//!
//! Main content comes from two independent extractors that vote: `dom_smoothie` (a
//! Readability port) gives the blocks in page order, and a block is kept only when
//! `rs-trafilatura` (a trafilatura port, different heuristics) also extracted most of its
//! text. On the 181-page article-extraction benchmark this takes F1 from 0.951
//! (dom_smoothie alone) and 0.957 (rs-trafilatura alone) to 0.974, because the two make
//! different mistakes (menus, teasers, comment blocks) and agree on the article.
//!
//! The confirming extractor reads only the article Readability chose, with the page's
//! class and id attributes kept, not the whole page: the vote only ever decides about
//! blocks inside that article, and trafilatura's block rules (class and id names such as
//! "related" or "comments", link density, text density) need the block's own markup,
//! not the rest of the page. This halves the time per page (the confirmer was two thirds
//! of it) at the same F1 (0.974 on the benchmark). When Readability finds nothing, the
//! confirmer reads the whole page as the fallback.
//!
//! Pages are bounded before any tree work: a size limit, and a nesting limit (HTML parsing
//! and both extractors slow down quadratically with element depth).
use std::collections::{HashMap, HashSet};
use std::panic::{catch_unwind, AssertUnwindSafe};

use chrono::{DateTime, NaiveDate};
use dom_query::{Document, NodeRef};

// Words and 4-grams as the extraction benchmark's metric reads them, so the vote between the
// extractors compares text the way the pages are scored.
use eventwire_eval::extraction::{words, GRAM};

/// Fewest words the second extractor must find to be used when readability finds nothing.
const MIN_FALLBACK_WORDS: usize = 20;
/// Largest page accepted, in bytes (the runtime's default record limit).
pub const MAX_HTML_BYTES: usize = 10 * 1024 * 1024;
/// Deepest element nesting accepted in the parsed tree (Blink's parser limit).
pub const MAX_DEPTH: usize = 512;
/// Deepest nesting accepted by the cheap pre-parse estimate (keeps the parse itself fast).
const MAX_ESTIMATED_DEPTH: usize = 3000;
/// Articles above this size skip the confirming extractor (the slower of the two): the
/// benchmark's largest page is 1.5 MB, larger articles are rare and mostly not articles.
pub const MAX_CONFIRM_BYTES: usize = 2 * 1024 * 1024;
/// Share of a block's word 4-grams the confirming extractor must have for the block to stay.
const CONFIRM_SHARE: f64 = 0.5;
/// The vote is skipped when the confirming extractor found fewer words than this share of
/// the primary's: it most likely missed the article rather than disagreeing about blocks.
const MIN_CONFIRMER_SHARE: f64 = 0.3;

/// One page's main content and metadata.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HtmlPage {
    /// Main-content blocks in page order (one paragraph, heading or list item each), trimmed
    /// but not otherwise normalised.
    pub blocks: Vec<String>,
    /// Headline.
    pub title: Option<String>,
    /// Author name(s), without a leading "By".
    pub byline: Option<String>,
    /// Publication date, YYYY-MM-DD.
    pub published: Option<String>,
    /// Primary language subtag, lower-case ("en").
    pub language: Option<String>,
}

/// Why a page could not be extracted.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum HtmlError {
    /// The page is larger than [`MAX_HTML_BYTES`].
    #[error("page is {bytes} bytes, above the limit of {limit}")]
    TooLarge {
        /// Page size.
        bytes: usize,
        /// The limit.
        limit: usize,
    },
    /// Elements are nested deeper than the limit.
    #[error("elements are nested {depth} deep, above the limit of {limit}")]
    TooDeep {
        /// Depth found (or estimated before parsing).
        depth: usize,
        /// The limit.
        limit: usize,
    },
    /// Every extractor failed.
    #[error("main-content extraction failed: {0}")]
    Extractor(String),
}

impl HtmlError {
    /// A short snake_case error code (for dead-letter headers and metrics).
    pub fn code(&self) -> &'static str {
        match self {
            HtmlError::TooLarge { .. } => "html_too_large",
            HtmlError::TooDeep { .. } => "html_too_deep",
            HtmlError::Extractor(_) => "html_extractor",
        }
    }
}

/// Extracts the main content and metadata of one HTML page.
pub fn extract(html: &str) -> Result<HtmlPage, HtmlError> {
    let stripped = strip_inert(html);
    let html = stripped.as_str();
    let doc = parse_bounded(html)?;
    let mut meta = page_metadata(&doc);

    let primary = catch_unwind(AssertUnwindSafe(|| readability(doc)));
    let primary = match primary {
        Ok(Ok(a)) => Some(a),
        Ok(Err(_)) | Err(_) => None,
    };
    // The article alone when Readability found one (see the module notes), else the page.
    let article;
    let confirm_input = match &primary {
        Some(p) => {
            article = format!("<html><body>{}</body></html>", p.html);
            article.as_str()
        }
        None => html,
    };
    let confirmer = if confirm_input.len() <= MAX_CONFIRM_BYTES || primary.is_none() {
        catch_unwind(AssertUnwindSafe(|| trafilatura(confirm_input)))
            .ok()
            .flatten()
    } else {
        None
    };

    let blocks = match (&primary, &confirmer) {
        (Some(p), Some(c)) => confirmed_blocks(&p.blocks, &c.text),
        (Some(p), None) => p.blocks.clone(),
        // The fallback alone is trusted only with some text: on a page with no article it
        // returns the title or menu text, sometimes repeated.
        (None, Some(c)) if words(&c.text).len() >= MIN_FALLBACK_WORDS => lines(&c.text),
        (None, Some(_)) => Vec::new(),
        (None, None) => {
            return Err(HtmlError::Extractor(
                "neither extractor returned a result".into(),
            ))
        }
    };

    // Metadata the page declares wins; the extractors' own guesses fill the gaps.
    if let Some(p) = primary {
        meta.title = meta.title.or(p.title);
        meta.byline = meta.byline.or(p.byline);
        meta.published = meta.published.or(p.published);
        meta.language = meta.language.or(p.language);
    }
    if let Some(c) = confirmer {
        meta.title = meta.title.or(c.title);
        meta.byline = meta.byline.or(c.byline);
        meta.published = meta.published.or(c.published);
    }
    Ok(HtmlPage { blocks, ..meta })
}

/// Parses a page after checking its size and (cheaply) its nesting, then checks the real depth.
pub(crate) fn parse_bounded(html: &str) -> Result<Document, HtmlError> {
    if html.len() > MAX_HTML_BYTES {
        return Err(HtmlError::TooLarge {
            bytes: html.len(),
            limit: MAX_HTML_BYTES,
        });
    }
    let estimate = nesting_estimate(html);
    if estimate > MAX_ESTIMATED_DEPTH {
        return Err(HtmlError::TooDeep {
            depth: estimate,
            limit: MAX_DEPTH,
        });
    }
    let doc = Document::from(html);
    let depth = tree_depth(&doc);
    if depth > MAX_DEPTH {
        return Err(HtmlError::TooDeep {
            depth,
            limit: MAX_DEPTH,
        });
    }
    Ok(doc)
}

/// Elements with no content or an optional end tag: not counted by [`nesting_estimate`].
const UNCOUNTED: &[&str] = &[
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img", "input",
    "keygen", "link", "meta", "param", "source", "track", "wbr", "p", "li", "dt", "dd", "option",
    "optgroup", "tr", "td", "th", "tbody", "thead", "tfoot", "colgroup", "caption", "rb", "rt",
    "rtc", "rp", "html", "head", "body",
];
/// Elements whose content is raw text, skipped to their end tag.
const RAW_TEXT: &[&str] = &[
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes",
];

/// An upper-bound-ish estimate of element nesting from a linear scan of the tags, used to
/// refuse pathological pages before the (quadratic in depth) tree construction.
pub(crate) fn nesting_estimate(html: &str) -> usize {
    let b = html.as_bytes();
    // Open elements by name: an end tag closes the nearest open element of its name (and
    // what it contains), as the parser does; an end tag nothing matches is ignored, as the
    // parser ignores it, so stray end tags cannot hide deep nesting.
    let mut open: Vec<String> = Vec::new();
    let mut open_count: HashMap<String, usize> = HashMap::new();
    let (mut i, mut max) = (0usize, 0usize);
    while let Some(off) = b[i..].iter().position(|&c| c == b'<') {
        i += off + 1;
        if b[i..].starts_with(b"!--") {
            match find(b, i + 3, b"-->") {
                Some(e) => i = e + 3,
                None => break,
            }
            continue;
        }
        let closing = b.get(i) == Some(&b'/');
        if closing {
            i += 1;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_alphanumeric() {
            i += 1;
        }
        if i == start {
            continue;
        }
        let name = html[start..i].to_ascii_lowercase();
        let Some(end) = b[i..].iter().position(|&c| c == b'>').map(|e| i + e) else {
            break;
        };
        let self_closing = b[end - 1] == b'/';
        i = end + 1;
        let counted = !UNCOUNTED.contains(&name.as_str());
        if closing {
            // Amortised linear: the search ends at the element popped, and only runs when
            // an element of that name is open.
            if counted && open_count.get(&name).copied().unwrap_or(0) > 0 {
                while let Some(top) = open.pop() {
                    if let Some(c) = open_count.get_mut(&top) {
                        *c = c.saturating_sub(1);
                    }
                    if top == name {
                        break;
                    }
                }
            }
        } else if RAW_TEXT.contains(&name.as_str()) {
            match find_end_tag(b, i, name.as_bytes()) {
                Some(e) => i = e,
                None => break,
            }
        } else if counted && !self_closing {
            *open_count.entry(name.clone()).or_insert(0) += 1;
            open.push(name);
            max = max.max(open.len());
            if max > MAX_ESTIMATED_DEPTH {
                break;
            }
        }
    }
    max
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

/// Position of the next `</name` (any case) at or after `from`.
fn find_end_tag(b: &[u8], from: usize, name: &[u8]) -> Option<usize> {
    let mut i = from;
    while let Some(p) = find(b, i, b"</") {
        let s = p + 2;
        if b.len() >= s + name.len() && b[s..s + name.len()].eq_ignore_ascii_case(name) {
            return Some(p);
        }
        i = s;
    }
    None
}

/// Deepest element nesting of a parsed tree (iterative: no recursion on deep trees).
pub(crate) fn tree_depth(doc: &Document) -> usize {
    let mut max = 0;
    let mut stack: Vec<(NodeRef<'_>, usize)> = vec![(doc.root(), 0)];
    while let Some((node, d)) = stack.pop() {
        max = max.max(d);
        let mut child = node.first_child();
        while let Some(c) = child {
            if c.is_element() {
                stack.push((c, d + 1));
            }
            child = c.next_sibling();
        }
    }
    max
}

/// What one extractor found.
struct Extracted {
    /// The extracted article as HTML (Readability only; empty for the confirmer).
    html: String,
    blocks: Vec<String>,
    text: String,
    title: Option<String>,
    byline: Option<String>,
    published: Option<String>,
    language: Option<String>,
}

/// The primary extractor: dom_smoothie (Readability), blocks from its formatted text.
fn readability(doc: Document) -> Result<Extracted, dom_smoothie::ReadabilityError> {
    let cfg = dom_smoothie::Config {
        text_mode: dom_smoothie::TextMode::Formatted,
        // The confirming extractor reads this article's HTML: it needs the page's class
        // and id names (its boilerplate rules match them), which Readability drops by default.
        keep_classes: true,
        ..Default::default()
    };
    let mut r = dom_smoothie::Readability::with_document(doc, None, Some(cfg))?;
    let a = r.parse()?;
    Ok(Extracted {
        html: a.content.to_string(),
        blocks: lines(&a.text_content),
        text: String::new(),
        title: non_empty(&a.title),
        byline: a.byline.as_deref().and_then(clean_byline),
        published: a.published_time.as_deref().and_then(to_ymd),
        language: a.lang.as_deref().and_then(primary_subtag),
    })
}

/// The confirming extractor: rs-trafilatura; `None` when it fails.
fn trafilatura(html: &str) -> Option<Extracted> {
    let opts = rs_trafilatura::Options {
        // Its default length cap truncates inside a UTF-8 sequence and panics.
        max_extracted_len: usize::MAX,
        // The cleaner reads articles: its page-type classifier (an ML model, a third of the
        // extractor's time) would only pick the article profile again.
        page_type: Some(rs_trafilatura::page_type::PageType::Article),
        ..Default::default()
    };
    let r = rs_trafilatura::extract_with_options(html, &opts).ok()?;
    Some(Extracted {
        html: String::new(),
        blocks: Vec::new(),
        title: r.metadata.title.as_deref().and_then(non_empty),
        byline: r.metadata.author.as_deref().and_then(clean_byline),
        published: r.metadata.date.map(|d| d.format("%Y-%m-%d").to_string()),
        language: None,
        text: r.content_text,
    })
}

/// Non-blank lines, trimmed.
fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The blocks whose text the confirming extractor also found: at least [`CONFIRM_SHARE`] of
/// their word 4-grams, or, for blocks of fewer than four words, the same word sequence.
/// Blocks with no word at all are dropped. When the confirmer found far less text than the
/// primary, it is not trusted and every block is kept.
pub fn confirmed_blocks(blocks: &[String], confirmer: &str) -> Vec<String> {
    let ref_words = words(confirmer);
    let primary_words: usize = blocks.iter().map(|b| words(b).len()).sum();
    if (ref_words.len() as f64) < MIN_CONFIRMER_SHARE * primary_words as f64 {
        return blocks.to_vec();
    }
    let ref_grams: HashSet<&[&str]> = ref_words.windows(GRAM).collect();
    let joined = format!(" {} ", ref_words.join(" "));
    blocks
        .iter()
        .filter(|b| {
            let w = words(b);
            if w.is_empty() {
                false
            } else if w.len() < GRAM {
                joined.contains(&format!(" {} ", w.join(" ")))
            } else {
                let total = w.len() + 1 - GRAM;
                let hit = w.windows(GRAM).filter(|g| ref_grams.contains(g)).count();
                hit as f64 >= CONFIRM_SHARE * total as f64
            }
        })
        .cloned()
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Metadata

/// Meta tag keys (property, name, itemprop or http-equiv, lower-case) in order of preference.
const TITLE_KEYS: &[&str] = &[
    "og:title",
    "twitter:title",
    "parsely-title",
    "sailthru.title",
    "dc.title",
    "dcterms.title",
    "title",
    "headline",
];
const AUTHOR_KEYS: &[&str] = &[
    "author",
    "article:author",
    "parsely-author",
    "sailthru.author",
    "dc.creator",
    "dcterms.creator",
    "byl",
];
const DATE_KEYS: &[&str] = &[
    "article:published_time",
    "og:published_time",
    "article:published",
    "datepublished",
    "datecreated",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.date",
    "pubdate",
    "publishdate",
    "publish-date",
    "date",
    "og:updated_time",
    "article:modified_time",
];
const LANGUAGE_KEYS: &[&str] = &[
    "content-language",
    "language",
    "dc.language",
    "dcterms.language",
    "og:locale",
];

/// schema.org types of an author that is not a person.
const ORGANISATION_TYPES: &[&str] = &[
    "Organization",
    "NewsMediaOrganization",
    "Corporation",
    "GovernmentOrganization",
    "WebSite",
];

/// schema.org types whose headline, author and date describe the article.
const ARTICLE_TYPES: &[&str] = &[
    "Article",
    "NewsArticle",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "BackgroundNewsArticle",
    "ReviewNewsArticle",
    "BlogPosting",
    "LiveBlogPosting",
    "Report",
    "ScholarlyArticle",
    "SocialMediaPosting",
    // A fact-check page (schema.org's markup for fact-checking articles).
    "ClaimReview",
];

/// The metadata a page declares: JSON-LD article objects first, then meta tags, then
/// `<time datetime>`, then `<html lang>`.
fn page_metadata(doc: &Document) -> HtmlPage {
    let ld = json_ld(doc);
    let metas = meta_tags(doc);
    let meta = |keys: &[&str]| -> Vec<String> {
        keys.iter()
            .filter_map(|k| metas.get(*k).cloned())
            .collect::<Vec<_>>()
    };
    let title = ld
        .title
        .into_iter()
        .chain(meta(TITLE_KEYS))
        .find_map(|t| non_empty(&t));
    let byline = ld
        .byline
        .into_iter()
        .chain(meta(AUTHOR_KEYS).into_iter().filter(|a| !looks_like_url(a)))
        .chain(dom_byline(doc))
        .chain(ld.byline_org)
        .find_map(|a| clean_byline(&a));
    let published = ld
        .published
        .into_iter()
        .chain(meta(DATE_KEYS))
        .chain(time_datetimes(doc))
        .find_map(|d| to_ymd(&d));
    let language = doc
        .select("html")
        .attr("lang")
        .or_else(|| doc.select("html").attr("xml:lang"))
        .map(|l| l.to_string())
        .into_iter()
        .chain(meta(LANGUAGE_KEYS))
        .find_map(|l| primary_subtag(&l));
    HtmlPage {
        blocks: Vec::new(),
        title,
        byline,
        published,
        language,
    }
}

/// Most words and characters of a byline (several names and their titles fit, an author's
/// biography or a sentence does not).
const MAX_BYLINE_WORDS: usize = 12;
const MAX_BYLINE_CHARS: usize = 100;

/// The author as the page marks it up: microdata (`itemprop=author`, its `name` when it
/// has one), `rel=author` links, then elements classed `byline` or `author`. The first
/// short one wins: sidebars and teasers come later in the page than the article header
/// in most templates, and their own author lines are rarely classed exactly so. Bylines
/// too long to be names are skipped ([`clean_byline`]).
fn dom_byline(doc: &Document) -> Option<String> {
    let marked = doc.select(
        "body [itemprop~=author] [itemprop~=name], body [itemprop~=author], \
         body a[rel~=author], body .byline, body .author",
    );
    marked
        .nodes()
        .iter()
        .find_map(|n| clean_byline(&n.text()).filter(|name| !looks_like_url(name)))
}

/// Meta tag contents by lower-cased key (first occurrence wins).
fn meta_tags(doc: &Document) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for m in doc.select("meta").nodes() {
        let Some(content) = m.attr("content") else {
            continue;
        };
        for attr in ["property", "name", "itemprop", "http-equiv"] {
            // `itemprop` (and, in RDFa, `property`) may list several names.
            for k in m.attr(attr).iter().flat_map(|k| k.split_whitespace()) {
                out.entry(k.to_ascii_lowercase())
                    .or_insert_with(|| content.trim().to_string());
            }
        }
    }
    out
}

/// `datetime` of `<time>` elements marked as the publication time first, then of any.
fn time_datetimes(doc: &Document) -> Vec<String> {
    let marked = doc.select(
        "time[pubdate][datetime], time[itemprop=datePublished][datetime], \
         [itemprop=datePublished][datetime], [itemprop=datePublished][content]",
    );
    let any = doc.select("time[datetime]");
    marked
        .nodes()
        .iter()
        .chain(any.nodes().iter().take(1))
        .filter_map(|n| n.attr("datetime").or_else(|| n.attr("content")))
        .map(|d| d.to_string())
        .collect()
}

/// What the JSON-LD article objects say.
#[derive(Default)]
struct LdMeta {
    title: Option<String>,
    byline: Option<String>,
    /// An organisation named as the author (a wire service, the site itself): used only
    /// when neither a person in JSON-LD nor a meta tag names the author.
    byline_org: Option<String>,
    published: Option<String>,
}

fn json_ld(doc: &Document) -> LdMeta {
    let values: Vec<serde_json::Value> = doc
        .select(r#"script[type="application/ld+json"]"#)
        .nodes()
        .iter()
        .filter_map(|script| {
            let text = script.text();
            let text = text
                .trim()
                .trim_start_matches("<!--")
                .trim_end_matches("-->")
                .trim();
            serde_json::from_str(text).ok()
        })
        .collect();
    let mut articles = Vec::new();
    let mut pages = Vec::new();
    let mut by_id = HashMap::new();
    for v in &values {
        collect_ld(v, &mut articles, &mut pages);
        index_ld_ids(v, &mut by_id);
    }
    let mut out = LdMeta::default();
    for obj in articles.iter().chain(pages.iter()) {
        if out.title.is_none() {
            out.title = obj
                .get("headline")
                .or_else(|| obj.get("name"))
                .and_then(|v| v.as_str())
                .and_then(non_empty);
        }
        if out.byline.is_none() {
            out.byline = obj.get("author").and_then(|a| ld_names(a, &by_id, false));
        }
        if out.byline_org.is_none() {
            out.byline_org = obj.get("author").and_then(|a| ld_names(a, &by_id, true));
        }
        if out.published.is_none() {
            out.published = obj
                .get("datePublished")
                .or_else(|| obj.get("dateCreated"))
                .and_then(|v| v.as_str())
                .map(str::to_owned);
        }
    }
    out
}

/// Gathers objects of article types (and, separately, web pages) from a JSON-LD value,
/// looking into arrays, `@graph` and `mainEntity`.
fn collect_ld<'v>(
    v: &'v serde_json::Value,
    articles: &mut Vec<&'v serde_json::Map<String, serde_json::Value>>,
    pages: &mut Vec<&'v serde_json::Map<String, serde_json::Value>>,
) {
    match v {
        serde_json::Value::Array(items) => {
            for item in items {
                collect_ld(item, articles, pages);
            }
        }
        serde_json::Value::Object(obj) => {
            let types: Vec<&str> = match obj.get("@type") {
                Some(serde_json::Value::String(s)) => vec![s.as_str()],
                Some(serde_json::Value::Array(a)) => a.iter().filter_map(|t| t.as_str()).collect(),
                _ => Vec::new(),
            };
            let short = |t: &str| t.rsplit('/').next().unwrap_or(t).to_string();
            if types
                .iter()
                .any(|t| ARTICLE_TYPES.contains(&short(t).as_str()))
            {
                articles.push(obj);
            } else if types.iter().any(|t| short(t) == "WebPage") {
                pages.push(obj);
            }
            for key in ["@graph", "mainEntity", "mainEntityOfPage"] {
                if let Some(inner) = obj.get(key) {
                    collect_ld(inner, articles, pages);
                }
            }
        }
        _ => {}
    }
}

/// JSON-LD nodes by `@id`, from every level (a `@graph` often describes the author once
/// and has the article refer to it: `"author": {"@id": "...#/schema/person/1"}`).
fn index_ld_ids<'v>(
    v: &'v serde_json::Value,
    out: &mut HashMap<&'v str, &'v serde_json::Map<String, serde_json::Value>>,
) {
    match v {
        serde_json::Value::Array(items) => items.iter().for_each(|i| index_ld_ids(i, out)),
        serde_json::Value::Object(obj) => {
            if let Some(id) = obj.get("@id").and_then(|i| i.as_str()) {
                // A bare reference has only "@id": the description elsewhere wins.
                if obj.len() > 1 {
                    out.entry(id).or_insert(obj);
                }
            }
            obj.values().for_each(|i| index_ld_ids(i, out));
        }
        _ => {}
    }
}

/// Author names from a JSON-LD `author` (a string, a Person/Organization, a reference to
/// one by `@id`, or a list of these); organisations only when `organisations` is set.
fn ld_names(
    v: &serde_json::Value,
    by_id: &HashMap<&str, &serde_json::Map<String, serde_json::Value>>,
    organisations: bool,
) -> Option<String> {
    let mut names: Vec<String> = Vec::new();
    let items: Vec<&serde_json::Value> = match v {
        serde_json::Value::Array(a) => a.iter().collect(),
        other => vec![other],
    };
    for item in items {
        let name = match item {
            serde_json::Value::String(s) => Some(s.as_str()),
            serde_json::Value::Object(o) => {
                let node = match o.get("@id").and_then(|i| i.as_str()) {
                    Some(id) if !o.contains_key("name") => by_id.get(id).copied().unwrap_or(o),
                    _ => o,
                };
                let organisation = node.get("@type").is_some_and(|t| {
                    let org = |t: &serde_json::Value| {
                        t.as_str()
                            .map(|t| t.rsplit('/').next().unwrap_or(t))
                            .is_some_and(|t| ORGANISATION_TYPES.contains(&t))
                    };
                    org(t) || t.as_array().is_some_and(|a| a.iter().any(org))
                });
                if organisation && !organisations {
                    None
                } else {
                    node.get("name").and_then(|n| n.as_str())
                }
            }
            _ => None,
        };
        if let Some(n) = name.and_then(clean_byline) {
            if !looks_like_url(&n) && !names.contains(&n) {
                names.push(n);
            }
        }
    }
    (!names.is_empty()).then(|| names.join(", "))
}

fn non_empty(s: &str) -> Option<String> {
    let t = s.split_whitespace().collect::<Vec<_>>().join(" ");
    (!t.is_empty()).then_some(t)
}

fn looks_like_url(s: &str) -> bool {
    let s = s.trim();
    s.starts_with("http://") || s.starts_with("https://") || s.starts_with("www.")
}

/// A date or time written after an author's name ("Jane Doe — November 18, 2019",
/// "Jane DoeNov. 15, 2019", "JANE DOE - 2019-04-10", "Jane DoeMonday, November 18"), or
/// social-media handles ("Jane Doe @janedoe"), with what follows.
static TRAILING_DATE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"(?i)[\s,|·–—-]*(?:@\w+\s*$|(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday),?\s+(?:\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|(?:january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?\s+\d{1,2}\b|\d{1,2}\s+(?:january|february|march|april|may|june|july|august|september|october|november|december)\b|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4}|(?:updated|published)\b).*$",
    )
    .expect("the trailing-date pattern is valid")
});

/// Words that introduce a byline ("By", "Posted by", "Written by").
const BYLINE_LEADS: &[&str] = &["by ", "posted by ", "written by ", "words by ", "story by "];

/// White space collapsed, a leading "By" (or "Posted by", ...) and a trailing date removed;
/// `None` when nothing is left or the text is too long to be a byline.
fn clean_byline(s: &str) -> Option<String> {
    // Padded so that a lead alone ("By") is stripped too.
    let t = format!("{} ", non_empty(s)?);
    let lower = t.to_lowercase();
    let rest = BYLINE_LEADS
        .iter()
        .find(|lead| lower.starts_with(*lead) && t.is_char_boundary(lead.len()))
        .map_or(t.as_str(), |lead| &t[lead.len()..]);
    let rest = TRAILING_DATE.replace(rest, "");
    non_empty(&rest).filter(|b| {
        b.split_whitespace().count() <= MAX_BYLINE_WORDS && b.chars().count() <= MAX_BYLINE_CHARS
    })
}

/// "en" from "en-US", "EN_gb", "en"; `None` unless the subtag is 2-3 ASCII letters.
fn primary_subtag(lang: &str) -> Option<String> {
    let p = lang.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    ((2..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_lowercase())).then_some(p)
}

/// A date in any of the common machine and human forms, as YYYY-MM-DD (the date as written,
/// in the page's own time zone).
pub fn to_ymd(s: &str) -> Option<String> {
    let s = s.trim();
    let ymd = |d: NaiveDate| Some(d.format("%Y-%m-%d").to_string());
    // ISO 8601 and its relatives: 2019-11-19, 2019-11-19T10:00:00Z, 2019/11/19, 2019.11.19.
    if s.len() >= 10 && s.is_char_boundary(10) {
        let head = &s[..10];
        for fmt in ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d"] {
            if let Ok(d) = NaiveDate::parse_from_str(head, fmt) {
                return ymd(d);
            }
        }
    }
    // Compact 20191119 and Unix timestamps (seconds or milliseconds).
    if s.bytes().all(|b| b.is_ascii_digit()) {
        if s.len() == 8 {
            if let Ok(d) = NaiveDate::parse_from_str(s, "%Y%m%d") {
                return ymd(d);
            }
        }
        let n: i64 = s.parse().ok()?;
        let secs = match s.len() {
            9 | 10 => n,
            12 | 13 => n / 1000,
            _ => return None,
        };
        return DateTime::from_timestamp(secs, 0).and_then(|d| ymd(d.date_naive()));
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(s) {
        return ymd(d.date_naive());
    }
    // Human forms: "November 19, 2019", "Nov. 19, 2019", "19 November 2019", with a time or
    // weekday around them.
    let cleaned: String = s
        .replace(['.', ','], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let toks: Vec<&str> = cleaned.split(' ').collect();
    for w in toks.windows(3) {
        let joined = w.join(" ");
        for fmt in ["%B %d %Y", "%b %d %Y", "%d %B %Y", "%d %b %Y"] {
            if let Ok(d) = NaiveDate::parse_from_str(&joined, fmt) {
                return ymd(d);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_common_forms() {
        assert_eq!(
            to_ymd("2019-11-19T22:30:00-05:00").as_deref(),
            Some("2019-11-19")
        );
        assert_eq!(to_ymd("2019/11/19").as_deref(), Some("2019-11-19"));
        assert_eq!(to_ymd("20191119").as_deref(), Some("2019-11-19"));
        assert_eq!(to_ymd("1574208000").as_deref(), Some("2019-11-20"));
        assert_eq!(
            to_ymd("Tue, 19 Nov 2019 10:00:00 GMT").as_deref(),
            Some("2019-11-19")
        );
        assert_eq!(
            to_ymd("Nov. 19, 2019 5:30 PM").as_deref(),
            Some("2019-11-19")
        );
        assert_eq!(
            to_ymd("Updated 19 November 2019").as_deref(),
            Some("2019-11-19")
        );
        assert_eq!(to_ymd("2019-13-45"), None);
        assert_eq!(to_ymd("yesterday"), None);
        assert_eq!(to_ymd("ééééééééééé"), None);
    }

    #[test]
    fn bylines_lose_leads_dates_and_handles() {
        for (raw, want) in [
            ("By Jane Doe", Some("Jane Doe")),
            ("Posted by Vortex", Some("Vortex")),
            ("Jeff Foust — November 18, 2019", Some("Jeff Foust")),
            ("Carrie ArnoldNovember 15, 2019", Some("Carrie Arnold")),
            ("Jeff FoustMonday, November 18, 2019", Some("Jeff Foust")),
            ("FEDERICA LUSIARDI - 2019-04-10", Some("FEDERICA LUSIARDI")),
            (
                "Associated Press November 19, 2019, 9:02 AM",
                Some("Associated Press"),
            ),
            ("Bryan DeArdo @BryanDeArdo", Some("Bryan DeArdo")),
            ("Jane Doe | Updated 10:43", Some("Jane Doe")),
            (
                "MEG KINNARD and ERRIN HAINES, Associated Press",
                Some("MEG KINNARD and ERRIN HAINES, Associated Press"),
            ),
            // Names that contain month-like words stay whole.
            ("April Ryan", Some("April Ryan")),
            ("Mark Marchand", Some("Mark Marchand")),
            ("By ", None),
            (
                "Jane Doe has covered European diplomacy for twenty years and lives in Brussels.",
                None,
            ),
        ] {
            assert_eq!(clean_byline(raw).as_deref(), want, "{raw}");
        }
    }

    #[test]
    fn language_subtags() {
        assert_eq!(primary_subtag("en-US").as_deref(), Some("en"));
        assert_eq!(primary_subtag("PT_br").as_deref(), Some("pt"));
        assert_eq!(primary_subtag("x"), None);
        assert_eq!(primary_subtag("en1"), None);
    }

    #[test]
    fn nesting_estimate_ignores_void_optional_and_raw_text() {
        assert_eq!(
            nesting_estimate("<div><div><p>x<br><img src=a></div></div>"),
            2
        );
        assert_eq!(
            nesting_estimate("<script>if (a<b) { '<div><div>' }</script><div>"),
            1
        );
        assert_eq!(nesting_estimate("<!-- <div><div> --><span/>"), 0);
        // The scan stops once past the limit.
        assert_eq!(
            nesting_estimate(&"<div>".repeat(5000)),
            MAX_ESTIMATED_DEPTH + 1
        );
        // End tags with no open element of their name are ignored, as the parser ignores them;
        // an end tag closes what its element contains.
        assert_eq!(nesting_estimate(&"<div></x>".repeat(100)), 100);
        assert_eq!(nesting_estimate("<div><span><b></div><div>"), 3);
        assert_eq!(nesting_estimate("<div"), 0);
        assert_eq!(nesting_estimate("a < b and <3"), 0);
    }

    #[test]
    fn confirmation_keeps_agreed_blocks_only() {
        let blocks: Vec<String> = [
            "The ministers met in Paris on Thursday to discuss the war.",
            "Subscribe to our newsletter for the latest updates today.",
            "Short heading",
            "***",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let confirmer =
            "Short heading\nThe ministers met in Paris on Thursday to discuss the war. \
                         They will meet again next week in Rome according to the statement.";
        assert_eq!(
            confirmed_blocks(&blocks, confirmer),
            vec![blocks[0].clone(), blocks[2].clone()]
        );
        // A confirmer that found almost nothing is not trusted.
        assert_eq!(confirmed_blocks(&blocks, "Paris"), blocks);
    }
}

/// The page without what no extractor reads: scripts (JSON-LD kept), styles, inline SVG,
/// templates and comments. Parsing is most of the cost of extraction, and on news pages these
/// are often most of the bytes.
pub fn strip_inert(html: &str) -> String {
    let b = html.as_bytes();
    let lower = html.to_ascii_lowercase();
    let lb = lower.as_bytes();
    let mut out = String::with_capacity(html.len());
    let mut i = 0usize;
    let mut copied = 0usize;
    while let Some(off) = lb[i..].iter().position(|&c| c == b'<') {
        let at = i + off;
        let rest = &lb[at..];
        let mut keep_until: Option<usize> = None;
        let skip_to = if rest.starts_with(b"<!--") {
            find(lb, at + 4, b"-->").map(|e| e + 3)
        } else {
            let mut hit = None;
            for name in ["script", "style", "svg", "template", "noscript"] {
                let n = name.len();
                if rest.len() > n + 1
                    && &rest[1..=n] == name.as_bytes()
                    && matches!(rest[n + 1], b'>' | b' ' | b'\t' | b'\n' | b'\r' | b'/')
                {
                    let tag_end = lb[at..].iter().position(|&c| c == b'>').map(|e| at + e);
                    let Some(tag_end) = tag_end else { break };
                    if name == "script" && lower[at..tag_end].contains("ld+json") {
                        // Kept whole, comments inside included: scanning resumes after it.
                        keep_until = find_end_tag(lb, tag_end + 1, b"script");
                        break;
                    }
                    hit = find_end_tag(lb, tag_end + 1, name.as_bytes()).map(|e| {
                        lb[e..]
                            .iter()
                            .position(|&c| c == b'>')
                            .map_or(lb.len(), |x| e + x + 1)
                    });
                    if hit.is_none() {
                        hit = Some(lb.len());
                    }
                    break;
                }
            }
            hit
        };
        match skip_to {
            Some(end) => {
                out.push_str(&html[copied..at]);
                copied = end.min(b.len());
                i = copied;
            }
            None => i = keep_until.unwrap_or(at + 1).max(at + 1),
        }
        if i >= lb.len() {
            break;
        }
    }
    out.push_str(&html[copied.min(html.len())..]);
    out
}

#[cfg(test)]
mod strip_tests {
    use super::strip_inert;

    #[test]
    fn inert_elements_go_and_json_ld_stays() {
        let page = "<html><head><style>p{}</style><SCRIPT src=x>var a = '</p>';</SCRIPT>\
            <script type=\"application/ld+json\">{\"headline\":\"H\"}</script></head>\
            <body><!-- c --><p>Text <svg><path d=\"M0\"/></svg>here</p><noscript>n</noscript>\
            <template><p>t</p></template><scripted>kept</scripted></body></html>";
        let out = strip_inert(page);
        assert_eq!(
            out,
            "<html><head><script type=\"application/ld+json\">{\"headline\":\"H\"}</script></head>\
             <body><p>Text here</p><scripted>kept</scripted></body></html>"
        );
        // Unclosed elements drop the rest; odd input passes through.
        assert_eq!(strip_inert("<p>a</p><script>x"), "<p>a</p>");
        assert_eq!(strip_inert("a < b <"), "a < b <");
        assert_eq!(strip_inert(""), "");
        assert_eq!(strip_inert("<p>é</p><!-- ü -->ñ"), "<p>é</p>ñ");
    }
}
