//! The counting conventions: what figure a vague or collective quantity word stands for
//! ("dozens" at least 12, "a dozen" exactly 12). They are written once, in
//! `data/lexicon/counting.tsv` (its header explains the columns); this module loads that file
//! and answers by word. [`crate::numbers`] asks it whenever it reads such a word.

use std::sync::OnceLock;

use eventwire_wordmap::WordMap;

/// The conventions file, compiled in.
const COUNTING_TSV: &str = include_str!("../../../data/lexicon/counting.tsv");

/// A line of the conventions file that cannot be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("data/lexicon/counting.tsv:{line}: {reason}")]
pub struct CountingError {
    /// One-based line number.
    pub line: usize,
    /// What is wrong with it.
    pub reason: String,
}

/// How a word of the conventions file is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// Alone, a vague quantity with the figure as its low bound ("dozens").
    Vague,
    /// After "a" or a number, that many units of the figure, exactly ("a dozen").
    Unit,
}

/// The conventions, by reading.
#[derive(Debug, Default)]
pub struct Conventions {
    vague: WordMap<f64>,
    unit: WordMap<f64>,
    /// The vague words in file order.
    vague_words: Vec<&'static str>,
}

impl Conventions {
    /// Parses a file in the `counting.tsv` format.
    pub fn parse(text: &'static str) -> Result<Conventions, CountingError> {
        let mut vague = Vec::new();
        let mut unit = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim_end();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let error = |reason: String| CountingError {
                line: n + 1,
                reason,
            };
            let cols: Vec<&str> = line.split('\t').collect();
            let [word, figure, reading] = cols[..] else {
                return Err(error(format!("expected 3 columns, found {}", cols.len())));
            };
            let figure: f64 = figure
                .parse()
                .map_err(|_| error(format!("figure {figure:?} is not a number")))?;
            match reading {
                "vague" => vague.push((word, figure)),
                "unit" => unit.push((word, figure)),
                other => {
                    return Err(error(format!(
                        "reading must be vague or unit, not {other:?}"
                    )))
                }
            }
        }
        Ok(Conventions {
            vague_words: vague.iter().map(|&(w, _)| w).collect(),
            vague: WordMap::new(vague),
            unit: WordMap::new(unit),
        })
    }

    /// The figure of `word` read as `reading`, if the file lists it so.
    pub fn figure(&self, word: &str, reading: Reading) -> Option<f64> {
        match reading {
            Reading::Vague => self.vague.get(word).copied(),
            Reading::Unit => self.unit.get(word).copied(),
        }
    }
}

static CONVENTIONS: OnceLock<Conventions> = OnceLock::new();

/// The process's conventions: those [`configure`] installed, else the compiled-in file, parsed
/// on first use.
///
/// # Panics
/// Never with the shipped file: a unit test parses it. The file is a compile-time constant,
/// not input.
pub fn conventions() -> &'static Conventions {
    CONVENTIONS.get_or_init(|| match Conventions::parse(COUNTING_TSV) {
        Ok(c) => c,
        Err(e) => panic!("embedded counting conventions are invalid: {e}"),
    })
}

/// Why a conventions file given at run time could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigureError {
    #[error("reading {path}: {source}")]
    Io {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {source}")]
    Invalid {
        path: std::path::PathBuf,
        source: CountingError,
    },
}

/// Installs `data_dir/lexicon/counting.tsv` (a directory laid out like `data/`) as the
/// process's conventions when that file exists; returns whether it did. Call it before the
/// first number is read; a later call, or a call after first use, keeps what is in place.
pub fn configure(data_dir: &std::path::Path) -> Result<bool, ConfigureError> {
    let path = data_dir.join("lexicon/counting.tsv");
    if !path.exists() {
        return Ok(false);
    }
    let text = std::fs::read_to_string(&path).map_err(|source| ConfigureError::Io {
        path: path.clone(),
        source,
    })?;
    // parsed once per process and kept for its life: the words are borrowed from the text
    let text: &'static str = Box::leak(text.into_boxed_str());
    let parsed =
        Conventions::parse(text).map_err(|source| ConfigureError::Invalid { path, source })?;
    Ok(CONVENTIONS.set(parsed).is_ok())
}

/// The low bound a vague quantity word stands for alone ("dozens" → 12).
pub fn vague_figure(word: &str) -> Option<f64> {
    conventions().figure(word, Reading::Vague)
}

/// The size of the unit a collective word counts ("dozen" → 12, "pair" → 2).
pub fn unit_figure(word: &str) -> Option<f64> {
    conventions().figure(word, Reading::Unit)
}

/// The vague quantity words, in file order.
pub fn vague_words() -> impl Iterator<Item = &'static str> {
    conventions().vague_words.iter().copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_file_parses() {
        assert!(Conventions::parse(COUNTING_TSV).is_ok());
        assert_eq!(vague_figure("dozens"), Some(12.0));
        assert_eq!(unit_figure("dozen"), Some(12.0));
        assert_eq!(vague_figure("dozen"), None);
        assert!(vague_words().any(|w| w == "handful"));
    }

    #[test]
    fn bad_lines_are_named() {
        let e = Conventions::parse("# c\ndozens\t12\n").err();
        assert_eq!(e.map(|e| e.line), Some(2));
        assert!(Conventions::parse("dozens\ttwelve\tvague\n").is_err());
        assert!(Conventions::parse("dozens\t12\tmany\n").is_err());
    }
}
