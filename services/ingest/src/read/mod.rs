//! Turning files, directories and byte streams into [`RawArticle`]s: pure and synchronous.
//!
//! # Formats
//!
//! | file name (case-insensitive) | [`Format`] | id | content type |
//! | --- | --- | --- | --- |
//! | `*.txt` | `Text` | file name without `.txt` | text |
//! | `*.html`, `*.htm` | `Html` | file name without the extension | html |
//! | `*.html.gz`, `*.htm.gz` | `HtmlGz` | file name without the extensions | html |
//! | `*.jsonl`, `*.ndjson` | `Jsonl` | the record's `id`, else [`url_id`], else [`content_id`] | per record |
//! | `*.json` | `Json` | the record's `id`, else [`url_id`], else file name without `.json` | per record |
//!
//! * **Text** is the samples' raw-page format: an optional header ` date YYYY-MM-DD ` (leading
//!   space, `date`, space, a real date, then a space or line break) followed by the page text.
//!   The date becomes `published` and the header is removed from the body. Without a
//!   well-formed header the whole file is the body and `published` is `None`; that is not an
//!   error. Text must be UTF-8 (a UTF-8 BOM is dropped).
//! * **HTML** is decoded to UTF-8 and otherwise kept as is: a BOM wins, then valid UTF-8, then a
//!   charset declared by `<meta charset>` / `<meta http-equiv="content-type">` in the first
//!   4 KiB if `encoding_rs` knows it; otherwise (no declaration, or an unknown label) the
//!   charset is detected from the bytes with `chardetng`, as browsers do. A page declared
//!   UTF-8 or UTF-16 that is not valid, or that does not decode, is rejected as `invalid_utf8`.
//!   `.gz` pages are gunzipped with the decompressed size bounded by `max_bytes`.
//! * **JSONL**: one object per line with `text` or `html` (exactly one, a string), and optional
//!   string fields `id`, `url`, `published`, `title` and `source`. `null` or blank strings
//!   count as absent; unknown fields are ignored. Blank lines are skipped. A bad line is
//!   rejected on its own (origin `path:line`) and reading goes on with the next line.
//!   news-please's field names are read where eventwire's are absent: `maintext` for `text`,
//!   `date_publish` for `published`, `source_domain` for `source` (its `title` and `url`
//!   already match; `authors`, `description`, `language` and the rest are ignored).
//! * **JSON** (`.json`): one such record per file, pretty-printed or not; in practice a
//!   news-please article. On a stream, a pretty-printed object is told from JSONL by its first
//!   line (see [`read_stream`]). A `.json` that is no article (no `text`, `html` or `maintext`, or not
//!   an object) is rejected with its code (`missing_body`, `invalid_json`), never skipped.
//!
//! # Publication dates
//!
//! `published` is normalised to the contract's `YYYY-MM-DD`, the date as written in the
//! timestamp's own offset. Accepted: RFC 3339, RFC 2822 (RSS, also with an unknown zone name
//! or a wrong weekday), ISO 8601 with or without a zone or fraction, `YYYY-MM-DD HH:MM:SS`
//! (news-please, SQL), GDELT's `YYYYMMDDHHMMSS` and `YYYYMMDD`, `YYYY/MM/DD`, and English
//! dates like `15 April 2025` and `April 15, 2025` (tables in `published.rs`). Numeric
//! day/month orders (`04/05/2025`) are ambiguous and not guessed. A date in no known form does
//! not reject the article: it is kept with `published` empty and a [`ReadWarning`]
//! (`unreadable_date`), which ingest logs and counts. The contract makes `published` optional
//! ("when the feed states it"), and the body is worth more than the date; later stages find a
//! date in the page itself when the feed has none.
//!
//! # Items
//!
//! Every reader yields [`ReadItem`]s: an article (with its warnings), a rejected input (with the error, its code
//! and the original bytes for a dead letter), or a skipped file (a directory entry in no
//! supported format). Nothing is dropped silently except hidden entries (names starting with
//! `.`) inside a directory and blank JSONL lines.
//!
//! # Metadata
//!
//! `source` is [`ReadOptions::source`] when set, else the path as walked (root as given joined
//! with the relative path), or the stream's origin; a JSONL record's own `source` wins over
//! both. `fetched_at` is the file's modification time (now for streams), `ingested_at` is the
//! time the item was read.
use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, Chain, Cursor, Read};
use std::path::{Path, PathBuf};

use eventwire_schema::ids::stable_hash;
use eventwire_schema::v1::{ContentType, RawArticle};
use eventwire_schema::{now_timestamp, timestamp_from_system, Timestamp, SCHEMA_VERSION};
use flate2::read::MultiGzDecoder;

mod error;
mod html;
mod jsonl;
mod published;
mod walk;

pub use error::{ReadError, ReadWarning};

use jsonl::JsonlItems;
use walk::{Entry, Walker};

/// Default [`ReadOptions::max_bytes`]: 10 MiB.
pub const DEFAULT_MAX_BYTES: usize = 10 * 1024 * 1024;

pub(crate) const UTF8_BOM: &[u8] = b"\xef\xbb\xbf";

/// How inputs are read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadOptions {
    /// Largest article accepted, in bytes: a file, a decompressed `.gz` page, a decoded HTML
    /// body, a stdin document or one JSONL line. Larger inputs are rejected as `too_large`
    /// after reading at most `max_bytes + 1` bytes of them.
    pub max_bytes: usize,
    /// `source` to stamp on every article instead of the file path / stream origin (a JSONL
    /// record's own `source` still wins).
    pub source: Option<String>,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            max_bytes: DEFAULT_MAX_BYTES,
            source: None,
        }
    }
}

/// An input format, told by file name ([`format_of`]) or given for a stream ([`read_stream_as`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Raw-page text with an optional ` date YYYY-MM-DD ` header (`.txt`).
    Text,
    /// An HTML page (`.html`, `.htm`).
    Html,
    /// A gzipped HTML page (`.html.gz`, `.htm.gz`).
    HtmlGz,
    /// JSON Lines (`.jsonl`, `.ndjson`).
    Jsonl,
    /// One JSON article per file (`.json`): a news-please article or one JSONL-shaped record.
    Json,
}

/// Known extensions, longest first so `.html.gz` wins over `.gz`-less matches.
const EXTENSIONS: [(&str, Format); 8] = [
    (".html.gz", Format::HtmlGz),
    (".htm.gz", Format::HtmlGz),
    (".ndjson", Format::Jsonl),
    (".jsonl", Format::Jsonl),
    (".json", Format::Json),
    (".html", Format::Html),
    (".htm", Format::Html),
    (".txt", Format::Text),
];

/// The format of a file, from its name's extension (ASCII case-insensitive); `None` when the
/// name has no supported extension (or is nothing but the extension, like `.txt`).
pub fn format_of(path: &Path) -> Option<Format> {
    split_extension(path).map(|(_, f)| f)
}

/// The file name without its supported extension, and the format.
fn split_extension(path: &Path) -> Option<(String, Format)> {
    let name = path.file_name()?.to_string_lossy();
    let lower = name.to_ascii_lowercase();
    EXTENSIONS.iter().find_map(|&(ext, f)| {
        (lower.len() > ext.len() && lower.ends_with(ext))
            .then(|| (name[..name.len() - ext.len()].to_string(), f))
    })
}

/// Id of an article known only by its URL: `stable_hash(["url", url], 16)`, 32 hex digits.
pub fn url_id(url: &str) -> String {
    stable_hash(&[b"url", url.as_bytes()], 16)
}

/// Id of an article known only by its body: `stable_hash(["content", body], 16)`, 32 hex
/// digits. The domain tags keep it from ever equalling a [`url_id`].
pub fn content_id(body: &str) -> String {
    stable_hash(&[b"content", body.as_bytes()], 16)
}

/// An input that could not be read as an article, with what a dead letter needs.
#[derive(Debug)]
pub struct Rejected {
    /// Where it came from: `path`, `path:line` for JSONL, or the stream's origin.
    pub origin: String,
    /// 1-based line number for JSONL inputs.
    pub line: Option<usize>,
    /// What went wrong; [`ReadError::code`] is the dead letter's error code.
    pub error: ReadError,
    /// The original bytes (the file as stored, compressed for `.gz`, or the JSONL line without
    /// its line break), cut to `max_bytes`; empty when nothing could be read.
    pub raw: Vec<u8>,
}

impl std::fmt::Display for Rejected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.origin, self.error)
    }
}

/// One result of reading.
#[derive(Debug)]
pub enum ReadItem {
    /// An article ready to publish, with what was wrong in its input but did not stop it being
    /// read (log and count each warning).
    Article {
        article: RawArticle,
        warnings: Vec<ReadWarning>,
    },
    /// An input that failed; send it to the dead-letter topic.
    Rejected(Rejected),
    /// A file in a directory that is not read (unsupported extension, not a regular file, a
    /// directory reached twice through links). Count and log it.
    Skipped { path: PathBuf, reason: String },
}

impl ReadItem {
    /// The article, if this is one.
    pub fn article(&self) -> Option<&RawArticle> {
        match self {
            ReadItem::Article { article, .. } => Some(article),
            _ => None,
        }
    }

    /// The rejection, if this is one.
    pub fn rejected(&self) -> Option<&Rejected> {
        match self {
            ReadItem::Rejected(r) => Some(r),
            _ => None,
        }
    }

    /// Whether this is a skipped file.
    pub fn is_skipped(&self) -> bool {
        matches!(self, ReadItem::Skipped { .. })
    }
}

/// Where items come from, shared by every item of one file or stream.
#[derive(Debug, Clone)]
pub(crate) struct Ctx {
    pub origin: String,
    pub source: String,
    pub fetched_at: Timestamp,
}

impl Ctx {
    fn for_file(path: &Path, file: &File, opts: &ReadOptions) -> Ctx {
        let origin = path.display().to_string();
        let fetched_at = file
            .metadata()
            .and_then(|m| m.modified())
            .map_or_else(|_| now_timestamp(), timestamp_from_system);
        Ctx {
            source: opts.source.clone().unwrap_or_else(|| origin.clone()),
            origin,
            fetched_at,
        }
    }

    fn for_stream(origin: &str, opts: &ReadOptions) -> Ctx {
        Ctx {
            origin: origin.to_owned(),
            source: opts.source.clone().unwrap_or_else(|| origin.to_owned()),
            fetched_at: now_timestamp(),
        }
    }

    fn reject(&self, error: ReadError, raw: Vec<u8>) -> ReadItem {
        ReadItem::Rejected(Rejected {
            origin: self.origin.clone(),
            line: None,
            error,
            raw,
        })
    }
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn build_article(
    id: String,
    source: String,
    ctx: &Ctx,
    url: Option<String>,
    published: Option<String>,
    content_type: ContentType,
    body: String,
    title: Option<String>,
) -> RawArticle {
    RawArticle {
        schema_version: SCHEMA_VERSION,
        id,
        source,
        url,
        fetched_at: Some(ctx.fetched_at),
        ingested_at: Some(now_timestamp()),
        published,
        content_type: content_type as i32,
        body,
        title,
    }
}

/// Reads all of `r` unless it holds more than `max` bytes. On error, gives back what was read
/// (at most `max` bytes) for the dead letter.
fn read_bounded<R: Read>(r: R, max: usize) -> Result<Vec<u8>, (ReadError, Vec<u8>)> {
    let mut buf = Vec::new();
    let limit = u64::try_from(max).unwrap_or(u64::MAX).saturating_add(1);
    match r.take(limit).read_to_end(&mut buf) {
        Ok(_) if buf.len() > max => {
            buf.truncate(max);
            Err((ReadError::TooLarge { limit: max }, buf))
        }
        Ok(_) => Ok(buf),
        Err(e) => {
            buf.truncate(max);
            Err((ReadError::io(String::new(), e), buf))
        }
    }
}

/// Reads one whole-document input (text or HTML) into an item. `id` is `None` for streams,
/// whose articles are identified by [`content_id`].
fn read_document<R: Read>(
    reader: R,
    format: Format,
    id: Option<String>,
    ctx: &Ctx,
    max: usize,
) -> ReadItem {
    let bytes = match read_bounded(reader, max) {
        Ok(b) => b,
        Err((ReadError::Io { source, .. }, raw)) => {
            return ctx.reject(ReadError::io(ctx.origin.clone(), source), raw)
        }
        Err((e, raw)) => return ctx.reject(e, raw),
    };
    match document_from_bytes(&bytes, format, id, ctx, max) {
        Ok(item) => item,
        Err(e) => ctx.reject(e, bytes),
    }
}

/// A `.json` document: one record in the JSONL shape or a news-please article. Its id is the
/// record's `id`, else [`url_id`] of its `url`, else `stem` (the file name), else
/// [`content_id`].
fn json_document(bytes: &[u8], stem: Option<String>, ctx: &Ctx) -> Result<ReadItem, ReadError> {
    let bytes = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    let rec = jsonl::parse_record(bytes)?;
    let id = match (&rec.id, &rec.url, stem) {
        (Some(id), _, _) => id.clone(),
        (None, Some(url), _) => url_id(url),
        (None, None, Some(stem)) => stem,
        (None, None, None) => content_id(&rec.body),
    };
    Ok(rec.into_item(id, ctx))
}

fn document_from_bytes(
    bytes: &[u8],
    format: Format,
    id: Option<String>,
    ctx: &Ctx,
    max: usize,
) -> Result<ReadItem, ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::Empty);
    }
    if format == Format::Json {
        return json_document(bytes, id, ctx);
    }
    let (body, published, content_type) = match format {
        Format::Text => {
            let bytes = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
            let s = std::str::from_utf8(bytes).map_err(|e| ReadError::InvalidUtf8 {
                detail: format!("invalid byte at offset {}", e.valid_up_to()),
            })?;
            let (published, body) = eventwire_schema::page::split_date_header(s);
            (body.to_owned(), published, ContentType::Text)
        }
        Format::Html => (html::decode_html(bytes)?, None, ContentType::Html),
        Format::HtmlGz => {
            let page = match read_bounded(MultiGzDecoder::new(bytes), max) {
                Ok(p) => p,
                Err((ReadError::Io { source, .. }, _)) => {
                    return Err(ReadError::InvalidGzip {
                        detail: source.to_string(),
                    })
                }
                Err((e, _)) => return Err(e),
            };
            (html::decode_html(&page)?, None, ContentType::Html)
        }
        Format::Json | Format::Jsonl => {
            // Not a whole-document format; callers route JSONL to `JsonlItems`.
            return Err(ReadError::UnsupportedFormat {
                path: ctx.origin.clone(),
            });
        }
    };
    if body.trim().is_empty() {
        return Err(ReadError::Empty);
    }
    if body.len() > max {
        return Err(ReadError::TooLarge { limit: max });
    }
    let id = id.unwrap_or_else(|| content_id(&body));
    let article = build_article(
        id,
        ctx.source.clone(),
        ctx,
        None,
        published,
        content_type,
        body,
        None,
    );
    Ok(ReadItem::Article {
        article,
        warnings: Vec::new(),
    })
}

/// One JSON article (a JSONL line, a `.json` document or a pushed record), read with the
/// JSONL rules: id from the record, else [`url_id`], else [`content_id`]; `origin` and
/// [`ReadOptions::source`] stand for the file a record would have come from.
pub fn read_record(
    bytes: &[u8],
    origin: &str,
    opts: &ReadOptions,
) -> Result<(RawArticle, Vec<ReadWarning>), ReadError> {
    if bytes.len() > opts.max_bytes {
        return Err(ReadError::TooLarge {
            limit: opts.max_bytes,
        });
    }
    let bytes = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    let rec = jsonl::parse_record(bytes)?;
    let id = match (&rec.id, &rec.url) {
        (Some(id), _) => id.clone(),
        (None, Some(url)) => url_id(url),
        (None, None) => content_id(&rec.body),
    };
    match rec.into_item(id, &Ctx::for_stream(origin, opts)) {
        ReadItem::Article { article, warnings } => Ok((article, warnings)),
        // `into_item` builds an article from a checked record, never anything else.
        _ => Err(ReadError::MissingBody),
    }
}

/// An HTML page fetched from `url` (a feed item's link), decoded like an `.html` file except
/// that a charset in the HTTP `Content-Type` comes before the page's own declaration.
pub fn page_article(
    url: &str,
    bytes: &[u8],
    http_charset: Option<&str>,
    source: &str,
    published: Option<String>,
    title: Option<String>,
) -> Result<RawArticle, ReadError> {
    let body = html::decode_page(bytes, http_charset)?;
    if body.trim().is_empty() {
        return Err(ReadError::Empty);
    }
    let ctx = Ctx::for_stream(url, &ReadOptions::default());
    Ok(build_article(
        url_id(url),
        source.to_owned(),
        &ctx,
        Some(url.to_owned()),
        published,
        ContentType::Html,
        body,
        title,
    ))
}

/// An article whose body came inside a feed item (HTML content), identified by `id`.
pub fn feed_item_article(
    id: String,
    url: Option<String>,
    html: String,
    source: &str,
    published: Option<String>,
    title: Option<String>,
) -> RawArticle {
    let ctx = Ctx::for_stream(source, &ReadOptions::default());
    build_article(
        id,
        source.to_owned(),
        &ctx,
        url,
        published,
        ContentType::Html,
        html,
        title,
    )
}

fn rejected_io(path: &Path, e: io::Error) -> ReadItem {
    let origin = path.display().to_string();
    ReadItem::Rejected(Rejected {
        origin: origin.clone(),
        line: None,
        error: ReadError::io(origin, e),
        raw: Vec::new(),
    })
}

/// Items of a file or a directory; see [`read_path`].
pub struct PathItems {
    opts: ReadOptions,
    single: Option<(PathBuf, Format, File)>,
    walker: Option<Walker>,
    jsonl: Option<JsonlItems<BufReader<File>>>,
}

impl std::fmt::Debug for PathItems {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PathItems")
            .field("opts", &self.opts)
            .finish_non_exhaustive()
    }
}

impl Iterator for PathItems {
    type Item = ReadItem;

    fn next(&mut self) -> Option<ReadItem> {
        loop {
            if let Some(items) = &mut self.jsonl {
                if let Some(item) = items.next() {
                    return Some(item);
                }
                self.jsonl = None;
            }
            let (path, format, file) = match self.single.take() {
                Some(s) => s,
                None => match self.walker.as_mut()?.next()? {
                    Entry::File(path, format) => match File::open(&path) {
                        Ok(file) => (path, format, file),
                        Err(e) => return Some(rejected_io(&path, e)),
                    },
                    Entry::Skipped(path, reason) => {
                        return Some(ReadItem::Skipped { path, reason })
                    }
                    Entry::Error(path, e) => return Some(rejected_io(&path, e)),
                },
            };
            let ctx = Ctx::for_file(&path, &file, &self.opts);
            if format == Format::Jsonl {
                self.jsonl = Some(JsonlItems::new(
                    BufReader::new(file),
                    ctx,
                    self.opts.max_bytes,
                ));
                continue;
            }
            let id = split_extension(&path).map(|(stem, _)| stem);
            return Some(read_document(file, format, id, &ctx, self.opts.max_bytes));
        }
    }
}

/// Reads a file or, recursively, a directory.
///
/// A file must have a supported extension (else [`ReadError::UnsupportedFormat`]); it is
/// opened here, so a missing or unreadable path is an `Err` naming the path. A directory is
/// listed here and walked lazily: files in sorted path order, hidden entries (name starting
/// with `.`) ignored, other unsupported files yielded as [`ReadItem::Skipped`], entries that
/// cannot be read yielded as [`ReadItem::Rejected`] with code `io_error`. Only one file is
/// open at a time and JSONL is read line by line, so memory stays bounded by `max_bytes`.
pub fn read_path(path: &Path, opts: &ReadOptions) -> Result<PathItems, ReadError> {
    let shown = || path.display().to_string();
    let meta = fs::metadata(path).map_err(|e| ReadError::io(shown(), e))?;
    let mut items = PathItems {
        opts: opts.clone(),
        single: None,
        walker: None,
        jsonl: None,
    };
    if meta.is_dir() {
        items.walker = Some(Walker::new(path).map_err(|e| ReadError::io(shown(), e))?);
    } else {
        let format =
            format_of(path).ok_or_else(|| ReadError::UnsupportedFormat { path: shown() })?;
        let file = File::open(path).map_err(|e| ReadError::io(shown(), e))?;
        items.single = Some((path.to_path_buf(), format, file));
    }
    Ok(items)
}

/// Items of a byte stream; see [`read_stream`].
pub struct StreamItems<R> {
    state: StreamState<R>,
    ctx: Ctx,
    max_bytes: usize,
}

enum StreamState<R> {
    Sniff(R),
    Fixed(R, Format),
    Jsonl(JsonlItems<Chain<Cursor<Vec<u8>>, R>>),
    Done,
}

impl<R> std::fmt::Debug for StreamItems<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StreamItems")
            .field("origin", &self.ctx.origin)
            .finish_non_exhaustive()
    }
}

impl<R: BufRead> Iterator for StreamItems<R> {
    type Item = ReadItem;

    fn next(&mut self) -> Option<ReadItem> {
        loop {
            match std::mem::replace(&mut self.state, StreamState::Done) {
                StreamState::Done => return None,
                StreamState::Jsonl(mut items) => {
                    let item = items.next();
                    if item.is_some() {
                        self.state = StreamState::Jsonl(items);
                    }
                    return item;
                }
                StreamState::Fixed(r, Format::Jsonl) => {
                    self.state = StreamState::Jsonl(JsonlItems::new(
                        Cursor::new(Vec::new()).chain(r),
                        self.ctx.clone(),
                        self.max_bytes,
                    ));
                }
                StreamState::Fixed(r, format) => {
                    return Some(read_document(r, format, None, &self.ctx, self.max_bytes));
                }
                StreamState::Sniff(mut r) => {
                    let (prefix, json) = match sniff(&mut r, self.max_bytes) {
                        Ok(x) => x,
                        Err(e) => {
                            let error = ReadError::io(self.ctx.origin.clone(), e);
                            return Some(self.ctx.reject(error, Vec::new()));
                        }
                    };
                    if !json {
                        return Some(read_document(
                            Cursor::new(prefix).chain(r),
                            Format::Text,
                            None,
                            &self.ctx,
                            self.max_bytes,
                        ));
                    }
                    match json_stream(prefix, r, self.max_bytes) {
                        Ok(JsonStream::Document(doc)) => {
                            let (ctx, max) = (&self.ctx, self.max_bytes);
                            return Some(read_document(doc, Format::Json, None, ctx, max));
                        }
                        Ok(JsonStream::Lines(r)) => {
                            let items = JsonlItems::new(r, self.ctx.clone(), self.max_bytes);
                            self.state = StreamState::Jsonl(items);
                        }
                        Err(e) => {
                            let error = ReadError::io(self.ctx.origin.clone(), e);
                            return Some(self.ctx.reject(error, Vec::new()));
                        }
                    }
                }
            }
        }
    }
}

/// What a stream that starts with `{` holds.
enum JsonStream<R> {
    /// One JSON object over several lines (a pretty-printed news-please file piped in).
    Document(Cursor<Vec<u8>>),
    /// JSON Lines, with the bytes already looked at put back in front.
    Lines(Chain<Cursor<Vec<u8>>, R>),
}

/// Tells JSON Lines from one multi-line JSON object. It is JSONL unless the first line is an
/// incomplete JSON value and the whole stream, read up to `max` bytes, is one JSON object; so a
/// JSONL stream whose first line is cut keeps its other lines, and only the first line is read
/// ahead of a JSONL stream.
fn json_stream<R: BufRead>(prefix: Vec<u8>, mut r: R, max: usize) -> io::Result<JsonStream<R>> {
    let mut seen = prefix;
    let first = match jsonl::read_line_bounded(&mut r, max)? {
        jsonl::Line::Full(line) => line,
        jsonl::Line::TooLong(kept) => {
            // Only the first `max` bytes were kept. Put back a line that is still too long, so
            // JSONL rejects it as too_large with those same bytes.
            seen.extend_from_slice(&kept);
            seen.extend_from_slice(b" \n");
            return Ok(JsonStream::Lines(Cursor::new(seen).chain(r)));
        }
        jsonl::Line::Eof => return Ok(JsonStream::Lines(Cursor::new(seen).chain(r))),
    };
    seen.extend_from_slice(&first);
    seen.push(b'\n');
    if !is_incomplete_json(&first) {
        return Ok(JsonStream::Lines(Cursor::new(seen).chain(r)));
    }
    let room = u64::try_from(max.saturating_sub(seen.len())).unwrap_or(u64::MAX);
    r.by_ref()
        .take(room.saturating_add(1))
        .read_to_end(&mut seen)?;
    if seen.len() <= max && is_one_object(&seen) {
        return Ok(JsonStream::Document(Cursor::new(seen)));
    }
    Ok(JsonStream::Lines(Cursor::new(seen).chain(r)))
}

/// Whether `line` is the start of a JSON value that goes on past the end of the line.
fn is_incomplete_json(line: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Value>(line).is_err_and(|e| e.is_eof())
}

/// Whether `bytes` are exactly one JSON object (surrounding whitespace aside).
fn is_one_object(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    matches!(
        serde_json::from_slice(bytes),
        Ok(serde_json::Value::Object(_))
    )
}

/// Consumes leading whitespace (and a UTF-8 BOM), returning it and whether the first other
/// byte is `{`. Stops early once the whitespace exceeds `max` (the input is then too large
/// as text anyway).
fn sniff<R: BufRead>(r: &mut R, max: usize) -> io::Result<(Vec<u8>, bool)> {
    let mut prefix = Vec::new();
    loop {
        let buf = jsonl::fill_buf_retrying(r)?;
        if buf.is_empty() {
            return Ok((prefix, false));
        }
        let mut n = 0;
        if prefix.is_empty() && buf.starts_with(UTF8_BOM) {
            n = UTF8_BOM.len();
        }
        n += buf[n..]
            .iter()
            .take_while(|b| b.is_ascii_whitespace())
            .count();
        prefix.extend_from_slice(&buf[..n]);
        let first = buf.get(n).copied();
        r.consume(n);
        if let Some(b) = first {
            return Ok((prefix, b == b'{'));
        }
        if prefix.len() > max {
            return Ok((prefix, false));
        }
    }
}

/// Reads a stream, sniffing its format: if the first byte that is not whitespace is `{` it
/// is JSONL (origins `origin:line`), or one `.json`-style article when its first line is an
/// incomplete JSON value and the whole stream (up to `max_bytes`) is one object (a
/// pretty-printed news-please file piped in); otherwise the whole stream is one text-format article
/// (` date ` header honoured) whose id is [`content_id`] of its body. `source` is
/// `opts.source` or `origin` (pass `"stdin"` for standard input); `fetched_at` is now.
/// Nothing is read until the first `next()`.
pub fn read_stream<R: BufRead>(reader: R, origin: &str, opts: &ReadOptions) -> StreamItems<R> {
    StreamItems {
        state: StreamState::Sniff(reader),
        ctx: Ctx::for_stream(origin, opts),
        max_bytes: opts.max_bytes,
    }
}

/// Like [`read_stream`] with the format given instead of sniffed. Whole-document formats
/// (`Text`, `Html`, `HtmlGz`) yield one item whose id is [`content_id`] of the body.
pub fn read_stream_as<R: BufRead>(
    reader: R,
    format: Format,
    origin: &str,
    opts: &ReadOptions,
) -> StreamItems<R> {
    StreamItems {
        state: StreamState::Fixed(reader, format),
        ctx: Ctx::for_stream(origin, opts),
        max_bytes: opts.max_bytes,
    }
}

/// How many items [`read_path`] will yield, for a progress bar: 1 per non-JSONL supported
/// file, 1 per non-blank line of each JSONL file, 1 per skipped or unreadable entry; hidden
/// entries are not counted. It reads every JSONL file through once (bounded memory) and only
/// stats the others. 0 when the path does not exist, cannot be listed, or is a file in no
/// supported format (the cases where `read_path` returns an `Err`). The count can drift if
/// files change between the count and the read.
pub fn count_inputs(path: &Path) -> usize {
    let Ok(meta) = fs::metadata(path) else {
        return 0;
    };
    if !meta.is_dir() {
        return match format_of(path) {
            Some(Format::Jsonl) => count_jsonl(path),
            Some(_) => 1,
            None => 0,
        };
    }
    let Ok(walker) = Walker::new(path) else {
        return 0;
    };
    walker
        .map(|e| match e {
            Entry::File(p, Format::Jsonl) => count_jsonl(&p),
            _ => 1,
        })
        .sum()
}

/// Non-blank lines of a JSONL file (an unreadable file counts 1, like its one rejection).
fn count_jsonl(path: &Path) -> usize {
    let Ok(file) = File::open(path) else {
        return 1;
    };
    let mut r = BufReader::new(file);
    let mut count = 0;
    let mut nonblank = false;
    loop {
        let Ok(buf) = jsonl::fill_buf_retrying(&mut r) else {
            return count + 1;
        };
        if buf.is_empty() {
            break;
        }
        for &b in buf {
            if b == b'\n' {
                count += usize::from(nonblank);
                nonblank = false;
            } else if !b.is_ascii_whitespace() {
                nonblank = true;
            }
        }
        let n = buf.len();
        r.consume(n);
    }
    count + usize::from(nonblank)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_extension() {
        let f = |p: &str| format_of(Path::new(p));
        assert_eq!(f("a/x.txt"), Some(Format::Text));
        assert_eq!(f("X.TXT"), Some(Format::Text));
        assert_eq!(f("p.html"), Some(Format::Html));
        assert_eq!(f("p.HTM"), Some(Format::Html));
        assert_eq!(f("p.html.gz"), Some(Format::HtmlGz));
        assert_eq!(f("p.Html.GZ"), Some(Format::HtmlGz));
        assert_eq!(f("f.jsonl"), Some(Format::Jsonl));
        assert_eq!(f("f.ndjson"), Some(Format::Jsonl));
        assert_eq!(f("a.json"), Some(Format::Json));
        assert_eq!(f("A.JSON"), Some(Format::Json));
        assert_eq!(f("x.gz"), None);
        assert_eq!(f("x.pdf"), None);
        assert_eq!(f(".txt"), None);
        assert_eq!(f("dir/"), None);
        assert_eq!(
            split_extension(Path::new("d/000_ab.TXT")),
            Some(("000_ab".to_string(), Format::Text))
        );
        assert_eq!(
            split_extension(Path::new("a.b.html.gz")),
            Some(("a.b".to_string(), Format::HtmlGz))
        );
    }

    #[test]
    fn ids_are_domain_separated() {
        assert_ne!(url_id("x"), content_id("x"));
        assert_eq!(url_id("https://a/b"), url_id("https://a/b"));
        assert_eq!(content_id("body").len(), 32);
    }

    #[test]
    fn read_bounded_stops_after_the_limit() {
        let (e, raw) = read_bounded(&b"abcdef"[..], 4).unwrap_err();
        assert_eq!(e.code(), "too_large");
        assert_eq!(raw, b"abcd");
        assert_eq!(read_bounded(&b"abcd"[..], 4).unwrap(), b"abcd");
    }

    #[test]
    fn sniff_skips_whitespace_and_bom() {
        let mut r = Cursor::new(b"\xef\xbb\xbf \n\n{\"a\":1}".to_vec());
        let (prefix, json) = sniff(&mut r, 100).unwrap();
        assert!(json);
        assert_eq!(prefix, b"\xef\xbb\xbf \n\n");
        let mut r = Cursor::new(b" date 2025-01-01 x".to_vec());
        let (prefix, json) = sniff(&mut r, 100).unwrap();
        assert!(!json);
        assert_eq!(prefix, b" ");
    }
}
