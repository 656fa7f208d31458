//! The article-extraction benchmark: its metric, ported exactly from the benchmark's `score.py`
//! (bags of word 4-grams, per-page precision and recall averaged over pages, F1 of the two
//! means), and loading its pages (`ground-truth.json`, `html/<id>.html.gz`).
//!
//! Scoring lives here, beside the other scorers, not in the cleaner it measures;
//! `eventwire bench extraction` (crates/cli) runs the cleaner on the pages and scores them
//! with this module. The cleaner's extractor vote reads words with [`words`] too.
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use unicode_general_category::{get_general_category, GeneralCategory as Gc};

/// Length of the word n-grams the metric compares.
pub const GRAM: usize = 4;

/// Errors while loading the benchmark.
#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    /// A file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// `ground-truth.json` is not the expected JSON shape.
    #[error("{path} is not a ground-truth file: {detail}")]
    Format {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        detail: String,
    },
}

impl BenchError {
    /// A short snake_case error code.
    pub fn code(&self) -> &'static str {
        match self {
            BenchError::Io { .. } => "io",
            BenchError::Format { .. } => "format",
        }
    }
}

/// True for what Python's `re` calls a word character (`\w` on `str`): letters and numbers
/// (general categories L* and N*, i.e. `str.isalnum()`) and the underscore. Combining marks
/// are not word characters there, so they split words exactly as in `score.py`.
pub fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || c == '_';
    }
    matches!(
        get_general_category(c),
        Gc::UppercaseLetter
            | Gc::LowercaseLetter
            | Gc::TitlecaseLetter
            | Gc::ModifierLetter
            | Gc::OtherLetter
            | Gc::DecimalNumber
            | Gc::LetterNumber
            | Gc::OtherNumber
    )
}

/// The `\w+` tokens of `text`, in order.
pub fn words(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in text.char_indices() {
        match (is_word_char(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(&text[s..i]);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(&text[s..]);
    }
    out
}

/// The bag of word n-grams of a token list as `score.py` builds it: every window of
/// [`GRAM`] tokens, or the whole list as one shorter gram when it has fewer tokens; no gram
/// for an empty list.
pub fn grams<'t, 'a>(tokens: &'t [&'a str]) -> HashMap<&'t [&'a str], u32> {
    let mut bag = HashMap::new();
    if tokens.is_empty() {
        return bag;
    }
    if tokens.len() < GRAM {
        bag.insert(tokens, 1);
        return bag;
    }
    for w in tokens.windows(GRAM) {
        *bag.entry(w).or_insert(0) += 1;
    }
    bag
}

/// One page's true positives, false positives and false negatives as shares of their sum
/// (all zero when both texts have no gram).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct PageCounts {
    /// Shared grams.
    pub tp: f64,
    /// Predicted grams not in the truth.
    pub fp: f64,
    /// Truth grams not predicted.
    pub fn_: f64,
}

impl PageCounts {
    /// Precision with `score.py`'s conventions (1 when nothing is wrong).
    pub fn precision(&self) -> f64 {
        if self.fp == 0.0 && self.fn_ == 0.0 {
            1.0
        } else if self.tp + self.fp > 0.0 {
            self.tp / (self.tp + self.fp)
        } else {
            0.0
        }
    }

    /// Recall with `score.py`'s conventions (1 when nothing is wrong).
    pub fn recall(&self) -> f64 {
        if self.fp == 0.0 && self.fn_ == 0.0 {
            1.0
        } else if self.tp + self.fn_ > 0.0 {
            self.tp / (self.tp + self.fn_)
        } else {
            0.0
        }
    }

    /// Whether the page takes part in the precision mean (it predicted something, or nothing
    /// is wrong).
    fn counts_for_precision(&self) -> bool {
        self.tp + self.fp > 0.0 || (self.fp == 0.0 && self.fn_ == 0.0)
    }

    /// Whether the page takes part in the recall mean (it has a truth, or nothing is wrong).
    fn counts_for_recall(&self) -> bool {
        self.tp + self.fn_ > 0.0 || (self.fp == 0.0 && self.fn_ == 0.0)
    }
}

/// Compares one predicted body with its truth.
pub fn page_counts(truth: &str, pred: &str) -> PageCounts {
    let (tt, pt) = (words(truth), words(pred));
    let (t, p) = (grams(&tt), grams(&pt));
    let mut tp = 0u64;
    let mut fn_ = 0u64;
    for (k, &n) in &t {
        let m = p.get(k).copied().unwrap_or(0);
        tp += u64::from(n.min(m));
        fn_ += u64::from(n.saturating_sub(m));
    }
    let fp: u64 = p
        .iter()
        .map(|(k, &m)| u64::from(m.saturating_sub(t.get(k).copied().unwrap_or(0))))
        .sum();
    let s = tp + fp + fn_;
    if s == 0 {
        return PageCounts::default();
    }
    let s = s as f64;
    PageCounts {
        tp: tp as f64 / s,
        fp: fp as f64 / s,
        fn_: fn_ as f64 / s,
    }
}

/// The benchmark score over a set of pages.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Score {
    /// Harmonic mean of `precision` and `recall`.
    pub f1: f64,
    /// Mean per-page precision.
    pub precision: f64,
    /// Mean per-page recall.
    pub recall: f64,
    /// Pages scored.
    pub pages: usize,
}

/// Scores per-page counts the way `score.py` does.
pub fn score_counts(rows: &[PageCounts]) -> Score {
    let mean = |xs: Vec<f64>| {
        if xs.is_empty() {
            0.0
        } else {
            xs.iter().sum::<f64>() / xs.len() as f64
        }
    };
    let p = mean(
        rows.iter()
            .filter(|r| r.counts_for_precision())
            .map(PageCounts::precision)
            .collect(),
    );
    let r = mean(
        rows.iter()
            .filter(|r| r.counts_for_recall())
            .map(PageCounts::recall)
            .collect(),
    );
    let f1 = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    Score {
        f1,
        precision: p,
        recall: r,
        pages: rows.len(),
    }
}

/// Scores `(truth, prediction)` pairs; a missing prediction is an empty string.
pub fn score<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Score {
    let rows: Vec<PageCounts> = pairs.into_iter().map(|(t, p)| page_counts(t, p)).collect();
    score_counts(&rows)
}

/// One benchmark page's truth.
#[derive(Debug, Clone, PartialEq)]
pub struct TruthPage {
    /// The page id (the `html/<id>.html.gz` stem).
    pub id: String,
    /// The page's address.
    pub url: Option<String>,
    /// The expected article body.
    pub article_body: String,
}

/// Reads `ground-truth.json` (`{id: {"articleBody": ..., "url": ...}}`), pages sorted by id.
pub fn load_truth(path: &Path) -> Result<Vec<TruthPage>, BenchError> {
    let text = std::fs::read_to_string(path).map_err(|source| BenchError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    parse_truth(&text).map_err(|detail| BenchError::Format {
        path: path.to_path_buf(),
        detail,
    })
}

fn parse_truth(text: &str) -> Result<Vec<TruthPage>, String> {
    let v: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let obj = v.as_object().ok_or("the top level is not an object")?;
    let mut pages = Vec::with_capacity(obj.len());
    for (id, entry) in obj {
        let entry = entry
            .as_object()
            .ok_or_else(|| format!("entry {id} is not an object"))?;
        pages.push(TruthPage {
            id: id.clone(),
            url: entry.get("url").and_then(|u| u.as_str()).map(str::to_owned),
            article_body: entry
                .get("articleBody")
                .and_then(|b| b.as_str())
                .unwrap_or_default()
                .to_owned(),
        });
    }
    pages.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(pages)
}

/// Reads `html/<id>.html.gz` under the benchmark directory as text (UTF-8; any invalid byte
/// is replaced, which no page of the benchmark needs).
pub fn load_html(dir: &Path, id: &str) -> Result<String, BenchError> {
    let path = dir.join("html").join(format!("{id}.html.gz"));
    let io = |source| BenchError::Io {
        path: path.clone(),
        source,
    };
    let file = std::fs::File::open(&path).map_err(io)?;
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(file)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    Ok(match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_follow_python_word_characters() {
        assert_eq!(
            words("Hello, wörld_2 — 3.5%!"),
            ["Hello", "wörld_2", "3", "5"]
        );
        // A combining accent is not \w in Python: "e\u{301}" splits after the e.
        assert_eq!(words("cafe\u{301} x"), ["cafe", "x"]);
        assert_eq!(words("北京 ٣"), ["北京", "٣"]);
        assert!(words("  ... ").is_empty());
    }

    #[test]
    fn short_texts_are_one_gram() {
        let t = words("a b c");
        let g = grams(&t);
        assert_eq!(g.len(), 1);
        assert_eq!(g.get(&t[..]), Some(&1));
        let t = words("a b c d a b c d");
        let g = grams(&t);
        assert_eq!(g.len(), 4);
        assert_eq!(g.get(&t[0..4]), Some(&2));
    }

    #[test]
    fn page_counts_are_shares() {
        let c = page_counts("one two three four five", "one two three four six");
        // truth grams: [1234, 2345]; pred: [1234, 2346]
        assert!((c.tp - 1.0 / 3.0).abs() < 1e-12);
        assert!((c.fp - 1.0 / 3.0).abs() < 1e-12);
        assert!((c.fn_ - 1.0 / 3.0).abs() < 1e-12);
        assert!((c.precision() - 0.5).abs() < 1e-12);
        assert!((c.recall() - 0.5).abs() < 1e-12);
    }

    #[test]
    fn empty_page_conventions() {
        // Both empty: counts in both means as a perfect page.
        let both = page_counts("", "...");
        assert_eq!(both, PageCounts::default());
        assert_eq!((both.precision(), both.recall()), (1.0, 1.0));
        // Nothing predicted: recall 0, left out of the precision mean.
        let none = page_counts("a b c d", "");
        assert!(!none.counts_for_precision());
        assert!(none.counts_for_recall());
        // Nothing expected: precision 0, left out of the recall mean.
        let extra = page_counts("", "a b c d");
        assert!(extra.counts_for_precision());
        assert!(!extra.counts_for_recall());
        let s = score([("a b c d", ""), ("", "a b c d"), ("x y z w", "x y z w")]);
        assert_eq!(s.pages, 3);
        assert!((s.precision - 0.5).abs() < 1e-12);
        assert!((s.recall - 0.5).abs() < 1e-12);
        assert!((s.f1 - 0.5).abs() < 1e-12);
        assert_eq!(score(std::iter::empty()).f1, 0.0);
    }

    #[test]
    fn truth_file_shape() {
        let p = parse_truth(r#"{"b": {"articleBody": "x", "url": "u"}, "a": {}}"#).unwrap();
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].id, "a");
        assert_eq!(p[0].article_body, "");
        assert_eq!(p[1].url.as_deref(), Some("u"));
        assert!(parse_truth("[]").is_err());
        assert!(parse_truth(r#"{"a": 3}"#).is_err());
    }
}
