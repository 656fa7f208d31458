//! Ingest: reads articles from files, directories, JSONL and stdin ([`read`]) and publishes them
//! as RawArticle JSON to `articles.raw`, keyed by article id, with the ingest time in a header.
//! Inputs that cannot be read become dead letters on `ingest.dlq` (original bytes, error code,
//! origin), never silent skips. Works with any [`Publisher`]: Kafka or the in-memory bus.
pub mod read;
pub mod source;

use std::sync::Arc;

use eventwire_runtime::metrics::Metrics;
use eventwire_runtime::process::dead_letter;
use eventwire_runtime::publish::Publisher;
use eventwire_runtime::{Headers, InputRecord, OutputRecord, RuntimeError, INGESTED_AT_HEADER};
use eventwire_schema::{json, topics, v1::RawArticle};
use futures::StreamExt;

pub use read::{ReadItem, ReadOptions};

/// What one ingest run did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub articles: u64,
    pub rejected: u64,
    pub skipped: u64,
    /// Warnings on articles that were still published (e.g. an unreadable date).
    pub warnings: u64,
}

/// Receives progress as items are published (a progress bar, or nothing).
pub trait Progress: Send + Sync {
    fn advance(&self, item: &ReadItem);
}

impl Progress for () {
    fn advance(&self, _: &ReadItem) {}
}

/// Publishes every item: articles to `articles.raw`, rejects to `ingest.dlq`. Returns when all are
/// acknowledged; an error means the publisher failed (the run should exit non-zero).
pub async fn publish_all(
    items: impl futures::Stream<Item = ReadItem>,
    publisher: Arc<dyn Publisher>,
    metrics: &Metrics,
    progress: &dyn Progress,
    concurrency: usize,
) -> Result<Summary, RuntimeError> {
    let mut summary = Summary::default();
    let results = items
        .map(|item| {
            let publisher = Arc::clone(&publisher);
            async move {
                let record = to_record(&item);
                let res = match &record {
                    Some(r) => publisher.publish(r.clone()).await,
                    None => Ok(()),
                };
                (item, res)
            }
        })
        .buffered(concurrency.max(1));
    futures::pin_mut!(results);
    while let Some((item, res)) = results.next().await {
        res?;
        progress.advance(&item);
        match &item {
            ReadItem::Article { warnings, .. } => {
                summary.articles += 1;
                summary.warnings += warnings.len() as u64;
            }
            ReadItem::Rejected(_) => summary.rejected += 1,
            ReadItem::Skipped { .. } => summary.skipped += 1,
        }
        count_item(&item, metrics);
    }
    Ok(summary)
}

/// Counts and logs one published item: an input read, its warnings, or its dead letter.
pub(crate) fn count_item(item: &ReadItem, metrics: &Metrics) {
    match item {
        ReadItem::Article { article, warnings } => {
            metrics
                .records_in
                .with_label_values(&[topics::INGEST])
                .inc();
            record_warnings(article, warnings, metrics);
        }
        ReadItem::Rejected(r) => {
            count_dead_letter(r.error.code(), metrics);
            tracing::warn!(origin = %r.origin, code = r.error.code(), error = %r.error, "input rejected; dead-lettered");
        }
        ReadItem::Skipped { path, reason } => {
            tracing::info!(path = %path.display(), %reason, "skipped");
        }
    }
}

/// Counts an input read and dead-lettered with `code`.
pub(crate) fn count_dead_letter(code: &str, metrics: &Metrics) {
    metrics
        .records_in
        .with_label_values(&[topics::INGEST])
        .inc();
    metrics
        .dead_letters
        .with_label_values(&[topics::INGEST, code])
        .inc();
}

/// Logs and counts the warnings of a published article, in
/// `eventwire_errors_total{stage="read", error_code}`.
fn record_warnings(article: &RawArticle, warnings: &[read::ReadWarning], metrics: &Metrics) {
    for w in warnings {
        metrics
            .errors
            .with_label_values(&[READ_STAGE, w.code()])
            .inc();
        tracing::warn!(id = %article.id, source = %article.source, code = w.code(), warning = %w, "input read with a warning");
    }
}

/// The `stage` label of ingest's reading, in metrics and dead letters.
const READ_STAGE: &str = "read";

/// The record an item becomes: the article, or a dead letter of the rejected input.
pub fn to_record(item: &ReadItem) -> Option<OutputRecord> {
    match item {
        ReadItem::Article { article, .. } => Some(article_record(article)),
        ReadItem::Rejected(r) => Some(dead_letter_record(
            &r.origin,
            r.line,
            r.error.code(),
            &r.to_string(),
            r.raw.clone(),
        )),
        ReadItem::Skipped { .. } => None,
    }
}

/// The dead letter of an input from `origin` (`line` for JSONL) that could not be read.
pub fn dead_letter_record(
    origin: &str,
    line: Option<usize>,
    code: &str,
    message: &str,
    raw: Vec<u8>,
) -> OutputRecord {
    let mut headers = Headers::new();
    headers.insert("dlq.original.source", origin.as_bytes());
    let pseudo = InputRecord {
        topic: topics::INGEST.to_string(),
        partition: -1,
        offset: line.map(|l| l as i64).unwrap_or(-1),
        timestamp_ms: None,
        key: None,
        payload: raw,
        headers,
    };
    dead_letter(&pseudo, "ingest", READ_STAGE, code, message)
}

fn article_record(a: &RawArticle) -> OutputRecord {
    // Encoding our own generated type cannot fail; fall back to an empty object defensively.
    let payload = json::encode(a).unwrap_or_else(|_| b"{}".to_vec());
    let mut out = OutputRecord::new(topics::ARTICLES_RAW, a.id.as_bytes(), payload);
    let ms = a
        .ingested_at
        .map(|t| t.seconds * 1000 + i64::from(t.nanos) / 1_000_000)
        .unwrap_or_else(|| chrono::Utc::now().timestamp_millis());
    out.headers.insert(INGESTED_AT_HEADER, ms.to_string());
    out
}

/// Reads `path` (or stdin for "-") on a blocking thread into a bounded channel.
pub fn spawn_reader(
    path: std::path::PathBuf,
    opts: ReadOptions,
) -> Result<futures::channel::mpsc::Receiver<ReadItem>, read::ReadError> {
    let (mut tx, rx) = futures::channel::mpsc::channel(256);
    let items: Box<dyn Iterator<Item = ReadItem> + Send> = if path.as_os_str() == "-" {
        let stdin = std::io::BufReader::new(std::io::stdin());
        Box::new(read::read_stream(stdin, "stdin", &opts))
    } else {
        Box::new(read::read_path(&path, &opts)?)
    };
    std::thread::spawn(move || {
        for item in items {
            if futures::executor::block_on(futures::SinkExt::send(&mut tx, item)).is_err() {
                break;
            }
        }
    });
    Ok(rx)
}

#[cfg(test)]
mod tests {
    use super::*;
    use eventwire_runtime::memory::MemoryBus;

    #[tokio::test]
    async fn samples_and_rejects_reach_their_topics() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("a.txt"),
            " date 2025-04-16 Talks were held.\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("b.jsonl"),
            "{\"id\":\"x\",\"text\":\"hi\"}\nnot json\n",
        )
        .unwrap();
        let bus = MemoryBus::new(16);
        let mut raw = bus.subscribe(topics::ARTICLES_RAW).await;
        let mut dlq = bus.subscribe("ingest.dlq").await;
        let rx = spawn_reader(dir.path().to_path_buf(), ReadOptions::default()).unwrap();
        let m = Metrics::new("ingest");
        let s = publish_all(rx, bus.clone(), &m, &(), 4).await.unwrap();
        assert_eq!(
            s,
            Summary {
                articles: 2,
                rejected: 1,
                skipped: 0,
                warnings: 0
            }
        );
        let first = raw.recv().await.unwrap();
        assert!(first.headers.get_str(INGESTED_AT_HEADER).is_some());
        let a: RawArticle = json::decode(&first.payload).unwrap();
        assert_eq!(a.published.as_deref(), Some("2025-04-16"));
        let d = dlq.recv().await.unwrap();
        assert_eq!(d.payload, b"not json");
        assert_eq!(
            d.headers.get_str(eventwire_schema::dlq::ERROR_CODE),
            Some("invalid_json")
        );
        assert!(d
            .headers
            .get_str("dlq.original.source")
            .unwrap()
            .contains("b.jsonl"));
    }

    #[tokio::test]
    async fn an_unreadable_date_is_published_counted_and_not_dead_lettered() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("feed.jsonl"),
            "{\"id\":\"x\",\"text\":\"hi\",\"published\":\"last week\"}\n",
        )
        .unwrap();
        let bus = MemoryBus::new(16);
        let mut raw = bus.subscribe(topics::ARTICLES_RAW).await;
        let rx = spawn_reader(dir.path().to_path_buf(), ReadOptions::default()).unwrap();
        let m = Metrics::new("ingest");
        let s = publish_all(rx, bus.clone(), &m, &(), 4).await.unwrap();
        assert_eq!((s.articles, s.rejected, s.warnings), (1, 0, 1));
        let a: RawArticle = json::decode(&raw.recv().await.unwrap().payload).unwrap();
        assert_eq!((a.id.as_str(), a.published), ("x", None));
        let exposed = m.render();
        assert!(
            exposed.contains(r#"error_code="unreadable_date""#)
                && exposed.contains(r#"stage="read""#),
            "{exposed}"
        );
    }
}
