//! JSON Lines: one article object per line, read one bounded line at a time.
use std::io::{self, BufRead};

use eventwire_schema::v1::ContentType;
use serde_json::{Map, Value};

use super::error::{ReadError, ReadWarning};
use super::published::published_date;
use super::{build_article, content_id, url_id, Ctx, ReadItem, Rejected, UTF8_BOM};

/// One line as read by [`read_line_bounded`].
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Line {
    /// End of input before any byte of a new line.
    Eof,
    /// The line without its `\n` / `\r\n` terminator.
    Full(Vec<u8>),
    /// The line was longer than the limit: its first `max` bytes (the rest was skipped).
    TooLong(Vec<u8>),
}

/// `fill_buf`, retried when a signal interrupts the read (as `read_to_end` does).
pub(crate) fn fill_buf_retrying<R: BufRead>(r: &mut R) -> io::Result<&[u8]> {
    loop {
        match r.fill_buf() {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            _ => break,
        }
    }
    r.fill_buf()
}

/// Reads one line, keeping at most `max` bytes of it in memory; a longer line is consumed up to
/// its end and reported as [`Line::TooLong`].
pub(crate) fn read_line_bounded<R: BufRead>(r: &mut R, max: usize) -> io::Result<Line> {
    let mut out = Vec::new();
    let mut total = 0usize;
    let mut any = false;
    let mut last = None;
    loop {
        let buf = fill_buf_retrying(r)?;
        if buf.is_empty() {
            break;
        }
        any = true;
        let (chunk, found) = match buf.iter().position(|&b| b == b'\n') {
            Some(i) => (&buf[..i], true),
            None => (buf, false),
        };
        let room = max.saturating_sub(out.len());
        out.extend_from_slice(&chunk[..chunk.len().min(room)]);
        total = total.saturating_add(chunk.len());
        if let Some(&b) = chunk.last() {
            last = Some(b);
        }
        let used = chunk.len() + usize::from(found);
        r.consume(used);
        if found {
            break;
        }
    }
    if !any {
        return Ok(Line::Eof);
    }
    if last == Some(b'\r') {
        total -= 1;
        if out.len() > total {
            out.truncate(total);
        }
    }
    if total > max {
        Ok(Line::TooLong(out))
    } else {
        Ok(Line::Full(out))
    }
}

/// A line that is empty or only ASCII whitespace; such lines are skipped (and not counted).
pub(crate) fn is_blank(line: &[u8]) -> bool {
    line.iter().all(u8::is_ascii_whitespace)
}

/// The fields of one record (a JSONL line or a `.json` file), checked.
#[derive(Debug)]
pub(crate) struct Record {
    pub id: Option<String>,
    pub url: Option<String>,
    pub body: String,
    pub html: bool,
    pub published: Option<String>,
    pub title: Option<String>,
    pub source: Option<String>,
    /// What was wrong but did not stop the record from being read.
    pub warnings: Vec<ReadWarning>,
}

/// eventwire's own field names, each with the news-please field read in its place when the
/// record does not have it (so a news-please article reads as is). news-please's
/// `authors`, `description`, `language` and other fields have no place in `RawArticle`.
const FIELD_ALIASES: [(&str, &str); 3] = [
    ("text", "maintext"),
    ("published", "date_publish"),
    ("source", "source_domain"),
];

/// Parses and checks one non-blank line, or a whole `.json` file.
pub(crate) fn parse_record(line: &[u8]) -> Result<Record, ReadError> {
    let text = std::str::from_utf8(line).map_err(|e| ReadError::InvalidUtf8 {
        detail: format!("invalid byte at offset {}", e.valid_up_to()),
    })?;
    let value: Value = serde_json::from_str(text).map_err(|e| ReadError::InvalidJson {
        detail: e.to_string(),
    })?;
    let Value::Object(map) = value else {
        return Err(ReadError::InvalidJson {
            detail: format!("expected an object, found {}", kind_of(&value)),
        });
    };
    record_from_object(&map)
}

fn record_from_object(map: &Map<String, Value>) -> Result<Record, ReadError> {
    let (body, html) = body_field(map)?;
    let mut warnings = Vec::new();
    let published = match non_blank(aliased_field(map, "published")?) {
        None => None,
        Some(p) => {
            let date = published_date(&p);
            if date.is_none() {
                warnings.push(ReadWarning::unreadable_date(&p));
            }
            date
        }
    };
    Ok(Record {
        id: non_blank(string_field(map, "id")?),
        url: non_blank(string_field(map, "url")?).map(|u| u.trim().to_owned()),
        body,
        html,
        published,
        title: non_blank(string_field(map, "title")?),
        source: non_blank(aliased_field(map, "source")?),
        warnings,
    })
}

/// The body and whether it is HTML: exactly one of `text` (or news-please's `maintext`) and
/// `html`, not blank.
fn body_field(map: &Map<String, Value>) -> Result<(String, bool), ReadError> {
    let text_body = aliased_field(map, "text")?;
    let html_body = string_field(map, "html")?;
    let (body, html) = match (text_body, html_body) {
        (Some(t), None) => (t, false),
        (None, Some(h)) => (h, true),
        (None, None) => return Err(ReadError::MissingBody),
        (Some(_), Some(_)) => {
            return Err(ReadError::field(
                "html",
                "must not be given together with \"text\"",
            ))
        }
    };
    if body.trim().is_empty() {
        return Err(ReadError::Empty);
    }
    Ok((body, html))
}

/// A string field under eventwire's name, else under its news-please alias
/// ([`FIELD_ALIASES`]).
fn aliased_field(
    map: &Map<String, Value>,
    field: &'static str,
) -> Result<Option<String>, ReadError> {
    if let Some(v) = string_field(map, field)? {
        return Ok(Some(v));
    }
    match FIELD_ALIASES.iter().find(|(own, _)| *own == field) {
        Some(&(_, alias)) => string_field(map, alias),
        None => Ok(None),
    }
}

/// A string field: absent or `null` is `None`; any other non-string is an error.
fn string_field(
    map: &Map<String, Value>,
    field: &'static str,
) -> Result<Option<String>, ReadError> {
    match map.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(ReadError::field(
            field,
            format!("must be a string, found {}", kind_of(other)),
        )),
    }
}

fn non_blank(s: Option<String>) -> Option<String> {
    s.filter(|s| !s.trim().is_empty())
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Iterator over the items of a JSONL stream; stops after an I/O error.
pub(crate) struct JsonlItems<R> {
    reader: R,
    ctx: Ctx,
    max_bytes: usize,
    line: usize,
    done: bool,
}

impl<R: BufRead> JsonlItems<R> {
    pub(crate) fn new(reader: R, ctx: Ctx, max_bytes: usize) -> Self {
        JsonlItems {
            reader,
            ctx,
            max_bytes,
            line: 0,
            done: false,
        }
    }

    fn reject(&self, error: ReadError, raw: Vec<u8>) -> ReadItem {
        ReadItem::Rejected(Rejected {
            origin: format!("{}:{}", self.ctx.origin, self.line),
            line: Some(self.line),
            error,
            raw,
        })
    }
}

impl<R: BufRead> Iterator for JsonlItems<R> {
    type Item = ReadItem;

    fn next(&mut self) -> Option<ReadItem> {
        while !self.done {
            self.line += 1;
            let mut bytes = match read_line_bounded(&mut self.reader, self.max_bytes) {
                Ok(Line::Eof) => {
                    self.done = true;
                    return None;
                }
                Ok(Line::TooLong(prefix)) => {
                    let limit = self.max_bytes;
                    return Some(self.reject(ReadError::TooLarge { limit }, prefix));
                }
                Ok(Line::Full(bytes)) => bytes,
                Err(e) => {
                    self.done = true;
                    let origin = format!("{}:{}", self.ctx.origin, self.line);
                    return Some(self.reject(ReadError::io(origin, e), Vec::new()));
                }
            };
            if self.line == 1 && bytes.starts_with(UTF8_BOM) {
                bytes.drain(..UTF8_BOM.len());
            }
            if is_blank(&bytes) {
                continue;
            }
            return Some(match parse_record(&bytes) {
                Ok(rec) => self.article(rec),
                Err(e) => self.reject(e, bytes),
            });
        }
        None
    }
}

impl<R> JsonlItems<R> {
    fn article(&self, rec: Record) -> ReadItem {
        let id = match (&rec.id, &rec.url) {
            (Some(id), _) => id.clone(),
            (None, Some(url)) => url_id(url),
            (None, None) => content_id(&rec.body),
        };
        rec.into_item(id, &self.ctx)
    }
}

impl Record {
    /// The article, with `id` decided by the caller and `ctx.source` when the record has none.
    pub(crate) fn into_item(self, id: String, ctx: &Ctx) -> ReadItem {
        let content_type = if self.html {
            ContentType::Html
        } else {
            ContentType::Text
        };
        let source = self.source.unwrap_or_else(|| ctx.source.clone());
        let article = build_article(
            id,
            source,
            ctx,
            self.url,
            self.published,
            content_type,
            self.body,
            self.title,
        );
        ReadItem::Article {
            article,
            warnings: self.warnings,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufReader, Cursor};

    fn lines(input: &[u8], max: usize, cap: usize) -> Vec<Line> {
        // A tiny buffer so lines straddle fill_buf calls.
        let mut r = BufReader::with_capacity(cap, Cursor::new(input.to_vec()));
        let mut out = Vec::new();
        loop {
            let l = read_line_bounded(&mut r, max).unwrap();
            if l == Line::Eof {
                break;
            }
            out.push(l);
        }
        out
    }

    #[test]
    fn bounded_lines_split_and_truncate() {
        for cap in [1, 2, 3, 64] {
            assert_eq!(
                lines(b"ab\r\n\ncdefgh\nxyz", 4, cap),
                vec![
                    Line::Full(b"ab".to_vec()),
                    Line::Full(vec![]),
                    Line::TooLong(b"cdef".to_vec()),
                    Line::Full(b"xyz".to_vec()),
                ],
                "cap {cap}"
            );
            assert_eq!(
                lines(b"abcd\r\n", 4, cap),
                vec![Line::Full(b"abcd".to_vec())]
            );
            assert_eq!(lines(b"", 4, cap), vec![]);
        }
    }

    #[test]
    fn records_are_checked_field_by_field() {
        let r = parse_record(
            br#"{"id":"a","text":"hello","published":"2025-04-16T10:00:00Z","extra":1}"#,
        )
        .unwrap();
        assert_eq!(r.id.as_deref(), Some("a"));
        assert_eq!(r.published.as_deref(), Some("2025-04-16"));
        assert!(!r.html);
        let r =
            parse_record(br#"{"id":"","url":" https://x/a ","html":"<p>x","title":null}"#).unwrap();
        assert_eq!(r.id, None);
        assert_eq!(r.url.as_deref(), Some("https://x/a"));
        assert!(r.html);

        let code = |l: &[u8]| parse_record(l).unwrap_err().code();
        assert_eq!(code(b"not json"), "invalid_json");
        assert_eq!(code(b"[1,2]"), "invalid_json");
        assert_eq!(code(b"\"text\""), "invalid_json");
        assert_eq!(code(br#"{"id":"x"}"#), "missing_body");
        assert_eq!(code(br#"{"text":null}"#), "missing_body");
        assert_eq!(code(br#"{"text":"a","html":"b"}"#), "invalid_field");
        assert_eq!(code(br#"{"text":5}"#), "invalid_field");
        assert_eq!(code(br#"{"text":"a","id":7}"#), "invalid_field");
        assert_eq!(code(br#"{"text":"a","published":5}"#), "invalid_field");
        assert_eq!(code(br#"{"text":"  "}"#), "empty");
        assert_eq!(code(b"{\"text\":\"caf\xe9\"}"), "invalid_utf8");
    }

    #[test]
    fn an_unreadable_date_is_a_warning_not_a_rejection() {
        let r = parse_record(br#"{"text":"a","published":"April"}"#).unwrap();
        assert_eq!(r.published, None);
        assert_eq!(r.warnings, vec![ReadWarning::unreadable_date("April")]);
        let r =
            parse_record(br#"{"text":"a","published":"Tue, 15 Apr 2025 10:00:00 GMT"}"#).unwrap();
        assert_eq!(r.published.as_deref(), Some("2025-04-15"));
        assert!(r.warnings.is_empty());
    }

    #[test]
    fn news_please_fields_stand_in_for_missing_own_fields() {
        let r = parse_record(
            br#"{"maintext":"Body.","date_publish":"2025-04-15 10:00:00","title":"T",
                "url":"https://example.org/a","source_domain":"example.org","authors":["A"],
                "language":"en","description":"D","date_modify":null}"#,
        )
        .unwrap();
        assert_eq!(r.body, "Body.");
        assert!(!r.html);
        assert_eq!(r.published.as_deref(), Some("2025-04-15"));
        assert_eq!(r.source.as_deref(), Some("example.org"));
        assert_eq!(r.title.as_deref(), Some("T"));
        assert_eq!(r.url.as_deref(), Some("https://example.org/a"));
        // eventwire's own names win over the aliases.
        let r = parse_record(br#"{"text":"own","maintext":"np","source":"s","source_domain":"d"}"#)
            .unwrap();
        assert_eq!((r.body.as_str(), r.source.as_deref()), ("own", Some("s")));
        let code = |l: &[u8]| parse_record(l).unwrap_err().code();
        assert_eq!(code(br#"{"maintext":null,"title":"T"}"#), "missing_body");
        assert_eq!(code(br#"{"maintext":" "}"#), "empty");
        assert_eq!(code(br#"{"maintext":"a","html":"b"}"#), "invalid_field");
    }
}
