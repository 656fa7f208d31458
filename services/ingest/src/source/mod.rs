//! Long-running sources: feeds polled with their article pages fetched ([`feed`]), an HTTP push
//! endpoint ([`push`]) and a watched directory ([`watch`]). Each is a [`Source`] with typed
//! config, counted in [`metrics::SourceMetrics`], and emits `RawArticle`s (or dead letters)
//! through one [`Sink`], which returns only once the publisher acknowledged the record: a
//! source marks an input done (seen, moved, answered 202) only after that.
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use async_trait::async_trait;
use eventwire_runtime::metrics::Metrics;
use eventwire_runtime::publish::Publisher;
use eventwire_runtime::RuntimeError;
use tokio_util::sync::CancellationToken;

use crate::read::ReadItem;

pub mod feed;
pub mod fetch;
pub mod metrics;
pub mod push;
pub mod seen;
pub mod seen_log;
pub mod watch;

/// Why a source stopped the service.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// The publisher could not deliver (fatal client error, or cancelled mid-publish).
    #[error("publish failed: {0}")]
    Publish(#[from] RuntimeError),
    /// The source could not start (a port in use, a directory missing).
    #[error("{source_name} cannot start: {reason}")]
    Start {
        source_name: &'static str,
        reason: String,
    },
}

/// A long-running input.
#[async_trait]
pub trait Source: Send {
    /// `feeds`, `push` or `watch`: for logs.
    fn name(&self) -> &'static str;
    /// Runs until `cancel`, or until done for a one-shot source. An error stops the service.
    async fn run(self: Box<Self>, sink: Sink, cancel: CancellationToken)
        -> Result<(), SourceError>;
}

/// Where every source's items go: published, acknowledged, then counted.
#[derive(Clone)]
pub struct Sink {
    publisher: Arc<dyn Publisher>,
    metrics: Metrics,
    counts: Arc<Counts>,
}

/// What went through a sink, for a run's summary.
#[derive(Default)]
struct Counts {
    articles: AtomicU64,
    rejected: AtomicU64,
    warnings: AtomicU64,
}

impl Sink {
    pub fn new(publisher: Arc<dyn Publisher>, metrics: Metrics) -> Self {
        Sink {
            publisher,
            metrics,
            counts: Arc::default(),
        }
    }

    /// Articles, rejects and warnings emitted so far (through every clone of this sink).
    pub fn summary(&self) -> crate::Summary {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        crate::Summary {
            articles: get(&self.counts.articles),
            rejected: get(&self.counts.rejected),
            skipped: 0,
            warnings: get(&self.counts.warnings),
        }
    }

    fn count(&self, item: &ReadItem) {
        let c = &self.counts;
        match item {
            ReadItem::Article { warnings, .. } => {
                c.articles.fetch_add(1, Ordering::Relaxed);
                c.warnings
                    .fetch_add(warnings.len() as u64, Ordering::Relaxed);
            }
            ReadItem::Rejected(_) => {
                c.rejected.fetch_add(1, Ordering::Relaxed);
            }
            ReadItem::Skipped { .. } => {}
        }
    }

    /// Publishes an article (to `articles.raw`) or a rejected input (to `ingest.dlq`) and
    /// waits for the acknowledgement.
    pub async fn emit(&self, item: ReadItem) -> Result<(), RuntimeError> {
        if let Some(record) = crate::to_record(&item) {
            self.publisher.publish(record).await?;
        }
        crate::count_item(&item, &self.metrics);
        self.count(&item);
        Ok(())
    }

    /// Publishes a record of the source's own (a seen-log entry) and waits for the ack.
    pub async fn publish(
        &self,
        record: eventwire_runtime::OutputRecord,
    ) -> Result<(), RuntimeError> {
        self.publisher.publish(record).await
    }

    /// Dead-letters an input that is not a `ReadError` (a page that could not be fetched),
    /// with `raw` as the payload.
    pub async fn dead_letter(
        &self,
        origin: &str,
        code: &'static str,
        message: &str,
        raw: Vec<u8>,
    ) -> Result<(), RuntimeError> {
        let record = crate::dead_letter_record(origin, None, code, message, raw);
        self.publisher.publish(record).await?;
        crate::count_dead_letter(code, &self.metrics);
        self.counts.rejected.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    pub fn metrics(&self) -> &Metrics {
        &self.metrics
    }
}

/// Runs the sources side by side until all finish, `cancel` fires, or one fails (which
/// cancels the others and is returned).
pub async fn run_all(
    sources: Vec<Box<dyn Source>>,
    sink: Sink,
    cancel: CancellationToken,
) -> Result<(), SourceError> {
    let mut tasks = tokio::task::JoinSet::new();
    for source in sources {
        let (sink, cancel) = (sink.clone(), cancel.clone());
        tasks.spawn(async move {
            let name = source.name();
            tracing::info!(source = name, "source started");
            let res = source.run(sink, cancel).await;
            tracing::info!(source = name, ok = res.is_ok(), "source stopped");
            res
        });
    }
    let mut first_error = None;
    while let Some(joined) = tasks.join_next().await {
        let res = joined.unwrap_or_else(|e| {
            Err(SourceError::Start {
                source_name: "source",
                reason: format!("task failed: {e}"),
            })
        });
        if let Err(e) = res {
            cancel.cancel();
            first_error.get_or_insert(e);
        }
    }
    first_error.map_or(Ok(()), Err)
}
