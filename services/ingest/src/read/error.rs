//! Typed reader errors, each with a low-cardinality code for metrics and dead letters.
use std::io;

/// Why an input could not be turned into a `RawArticle`.
///
/// [`ReadError::code`] gives the stable, low-cardinality `error_code` to put in a dead letter
/// (`dlq.error.code`) or a metric label; `Display` gives the human message (`dlq.error.message`).
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// A file or directory could not be opened, listed or read.
    #[error("cannot read {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: io::Error,
    },
    /// A file given explicitly whose name ends in none of the supported extensions.
    #[error("{path}: unsupported format (expected .txt, .html, .htm, .html.gz, .htm.gz, .json, .jsonl or .ndjson)")]
    UnsupportedFormat { path: String },
    /// The article (file, decompressed page, decoded body or JSONL line) exceeds `max_bytes`.
    #[error("input is larger than the limit of {limit} bytes")]
    TooLarge { limit: usize },
    /// The file, line body or page is empty or only whitespace.
    #[error("input is empty")]
    Empty,
    /// The bytes are not UTF-8 and no usable charset was declared.
    #[error("input is not valid UTF-8: {detail}")]
    InvalidUtf8 { detail: String },
    /// A `.gz` file that does not decompress.
    #[error("gzip data is corrupt: {detail}")]
    InvalidGzip { detail: String },
    /// A JSONL line or `.json` file that is not JSON, or not a JSON object.
    #[error("not a JSON object: {detail}")]
    InvalidJson { detail: String },
    /// A JSONL record or `.json` file with none of `text`, `html` and news-please's `maintext`.
    #[error("record has no body: none of \"text\", \"html\" or news-please's \"maintext\"")]
    MissingBody,
    /// A JSONL record whose field has the wrong type or an invalid value.
    #[error("field \"{field}\" {reason}")]
    InvalidField { field: &'static str, reason: String },
}

impl ReadError {
    /// Every code [`ReadError::code`] can return.
    pub const CODES: [&'static str; 9] = [
        "io_error",
        "unsupported_format",
        "too_large",
        "empty",
        "invalid_utf8",
        "invalid_gzip",
        "invalid_json",
        "missing_body",
        "invalid_field",
    ];

    /// The low-cardinality error code, one of [`ReadError::CODES`].
    pub fn code(&self) -> &'static str {
        match self {
            ReadError::Io { .. } => "io_error",
            ReadError::UnsupportedFormat { .. } => "unsupported_format",
            ReadError::TooLarge { .. } => "too_large",
            ReadError::Empty => "empty",
            ReadError::InvalidUtf8 { .. } => "invalid_utf8",
            ReadError::InvalidGzip { .. } => "invalid_gzip",
            ReadError::InvalidJson { .. } => "invalid_json",
            ReadError::MissingBody => "missing_body",
            ReadError::InvalidField { .. } => "invalid_field",
        }
    }

    pub(crate) fn io(path: impl Into<String>, source: io::Error) -> Self {
        ReadError::Io {
            path: path.into(),
            source,
        }
    }

    pub(crate) fn field(field: &'static str, reason: impl Into<String>) -> Self {
        ReadError::InvalidField {
            field,
            reason: reason.into(),
        }
    }
}

/// Something wrong with an input that was still read as an article: logged, counted in
/// `eventwire_errors_total{stage="read", error_code}` and in the run's summary, never a dead
/// letter.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadWarning {
    /// A `published` (or news-please `date_publish`) value in no known date form; the article
    /// is kept with `published` empty. `value` is cut to [`ReadWarning::MAX_VALUE_CHARS`].
    #[error("published date {value:?} is in no known form; article kept without a date")]
    UnreadableDate { value: String },
}

impl ReadWarning {
    /// Longest input value quoted in a warning, in characters.
    pub const MAX_VALUE_CHARS: usize = 80;

    /// Every code [`ReadWarning::code`] can return.
    pub const CODES: [&'static str; 1] = ["unreadable_date"];

    /// The low-cardinality warning code, one of [`ReadWarning::CODES`].
    pub fn code(&self) -> &'static str {
        match self {
            ReadWarning::UnreadableDate { .. } => "unreadable_date",
        }
    }

    pub(crate) fn unreadable_date(value: &str) -> Self {
        ReadWarning::UnreadableDate {
            value: value.chars().take(Self::MAX_VALUE_CHARS).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{ReadError, ReadWarning};

    #[test]
    fn warnings_quote_a_bounded_value() {
        let w = ReadWarning::unreadable_date(&"x".repeat(500));
        assert!(ReadWarning::CODES.contains(&w.code()));
        let ReadWarning::UnreadableDate { value } = &w;
        assert_eq!(value.len(), ReadWarning::MAX_VALUE_CHARS);
        assert!(w.to_string().contains("kept without a date"));
    }

    #[test]
    fn codes_are_listed_and_messages_name_the_path() {
        let errs = [
            ReadError::io("a/b.txt", std::io::Error::other("boom")),
            ReadError::UnsupportedFormat {
                path: "x.pdf".into(),
            },
            ReadError::TooLarge { limit: 1 },
            ReadError::Empty,
            ReadError::InvalidUtf8 { detail: "x".into() },
            ReadError::InvalidGzip { detail: "x".into() },
            ReadError::InvalidJson { detail: "x".into() },
            ReadError::MissingBody,
            ReadError::field("id", "must be a string"),
        ];
        for e in &errs {
            assert!(ReadError::CODES.contains(&e.code()), "{}", e.code());
        }
        assert!(errs[0].to_string().contains("a/b.txt"));
        assert!(errs[1].to_string().contains("x.pdf"));
        assert_eq!(errs[8].to_string(), "field \"id\" must be a string");
    }
}
