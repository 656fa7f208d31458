//! Plain-text pages (one block per line, as a browser's innerText gives it): which lines are the
//! article body and which are boilerplate, with the metadata lines found on the way.
use std::collections::BTreeMap;

/// What the caller already knows about the page.
#[derive(Debug, Default, Clone)]
pub struct Hints<'a> {
    /// Title from the feed or the page's metadata, if any.
    pub title: Option<&'a str>,
    /// The lines are already a main-content extract (from HTML): only drop lines that are
    /// boilerplate by their own wording, do not look for the body region.
    pub extracted: bool,
}

/// The outcome for one page.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Cleaned {
    /// Body paragraphs, normalised, in page order.
    pub paragraphs: Vec<String>,
    /// Headline found on the page.
    pub title: Option<String>,
    /// Author line with the "By" and reading-time parts removed.
    pub byline: Option<String>,
    /// Publication date found on the page, as YYYY-MM-DD.
    pub published: Option<String>,
    /// Removed lines counted by kind ("menu", "form", "related", ...).
    pub removed: BTreeMap<String, u32>,
}

/// Cleans one page given as lines.
pub fn clean_lines(lines: &[&str], hints: &Hints<'_>) -> Cleaned {
    let _ = hints;
    Cleaned {
        paragraphs: lines
            .iter()
            .map(|l| crate::normalise::normalise(l))
            .filter(|l| !l.is_empty())
            .collect(),
        ..Default::default()
    }
}
