//! The per-article path of the one-shot commands (`tag`, `clean`, `entities`): each input item
//! goes through ingest -> cleaner -> tagger as one unit, with the same processors (retries, dead
//! letters, dedup order) as the in-memory bus. Items run in parallel, and their outputs come out
//! in input order through a bounded reordering window, so output streams as it is ready and
//! memory does not grow with the input (only the dedup index, bounded by its configuration).
use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use eventwire_cleaner::CleanStage;
use eventwire_ingest::{spawn_reader, to_record, ReadItem, ReadOptions};
use eventwire_runtime::process::{Outcome, Processor};
use eventwire_runtime::{Blocking, InputRecord, OutputRecord, RuntimeError};
use eventwire_schema::topics;
use eventwire_tagger::TagStage;
use futures::{Stream, StreamExt};
use tokio_util::sync::CancellationToken;

use crate::pipeline::{processor, RunOptions};

/// How far an article goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    /// Ingest and clean.
    Clean,
    /// Ingest, clean and tag.
    Tag,
}

/// What one input item became: the records each stage wrote for it, in pipeline order (the
/// clean article, then its events; or the dead letter that stopped it). Empty for a skipped
/// file.
#[derive(Debug)]
pub struct ArticleOutput {
    pub kind: ItemKind,
    /// Warnings the reader raised on the input (logged when read).
    pub warnings: u64,
    pub records: Vec<OutputRecord>,
}

/// What the reader made of an input item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    Article,
    Rejected,
    Skipped,
}

impl ArticleOutput {
    /// The records written to `topic`.
    pub fn on<'a>(&'a self, topic: &'a str) -> impl Iterator<Item = &'a OutputRecord> + 'a {
        self.records.iter().filter(move |r| r.topic == topic)
    }
}

/// The stages an article goes through.
struct Stages {
    cleaner: Arc<Processor>,
    tagger: Option<Arc<Processor>>,
    /// Never cancelled: an article that has started is finished (Ctrl-C stops the reading).
    running: CancellationToken,
}

impl Stages {
    fn new(depth: Depth, opts: &RunOptions) -> Self {
        let cleaner = processor(
            Arc::new(CleanStage::new(opts.dedup.clone(), opts.concurrency)),
            "cleaner",
            opts,
        );
        let tagger = (depth == Depth::Tag).then(|| {
            processor(
                Arc::new(Blocking::new(TagStage::new(None), opts.concurrency)),
                "tagger",
                opts,
            )
        });
        Stages {
            cleaner,
            tagger,
            running: CancellationToken::new(),
        }
    }

    /// Runs item number `seq` through every stage.
    async fn article(&self, seq: i64, item: ReadItem) -> Result<ArticleOutput, RuntimeError> {
        let (kind, warnings) = match &item {
            ReadItem::Article { article, warnings } => {
                for w in warnings {
                    tracing::warn!(id = %article.id, source = %article.source, code = w.code(), warning = %w, "input read with a warning");
                }
                (ItemKind::Article, warnings.len() as u64)
            }
            ReadItem::Rejected(_) => (ItemKind::Rejected, 0),
            ReadItem::Skipped { .. } => (ItemKind::Skipped, 0),
        };
        let mut out = ArticleOutput {
            kind,
            warnings,
            records: Vec::new(),
        };
        let Some(raw) = to_record(&item) else {
            return Ok(out);
        };
        if kind != ItemKind::Article {
            out.records.push(raw);
            return Ok(out);
        }
        for cleaned in self.through(&self.cleaner, seq, raw).await? {
            let tagged = match &self.tagger {
                Some(tagger) if cleaned.topic == topics::ARTICLES_CLEAN => {
                    self.through(tagger, seq, cleaned.clone()).await?
                }
                _ => Vec::new(),
            };
            out.records.push(cleaned);
            out.records.extend(tagged);
        }
        Ok(out)
    }

    /// What `stage` writes for `record` (read at offset `seq` of its topic).
    async fn through(
        &self,
        stage: &Processor,
        seq: i64,
        record: OutputRecord,
    ) -> Result<Vec<OutputRecord>, RuntimeError> {
        let input = Arc::new(InputRecord {
            topic: record.topic,
            partition: 0,
            offset: seq,
            timestamp_ms: Some(chrono::Utc::now().timestamp_millis()),
            key: record.key,
            payload: record.payload,
            headers: record.headers,
        });
        Ok(match stage.handle(input, &self.running).await? {
            Outcome::Emit(outputs) => outputs,
            Outcome::DeadLetter(letter) => vec![letter],
            Outcome::Abandoned => Vec::new(),
        })
    }
}

/// Articles in flight per worker: enough to keep every worker busy while a slow article holds
/// the head of the window, few enough that the reordering buffer stays small.
const WINDOW_PER_WORKER: usize = 4;

/// Every input item of `path` ("-" for stdin), taken to `depth`, in input order. Reading stops
/// when `stop` is cancelled; the articles already started still come out.
pub fn article_outputs(
    path: &Path,
    depth: Depth,
    opts: &RunOptions,
    stop: CancellationToken,
) -> anyhow::Result<impl Stream<Item = Result<ArticleOutput, RuntimeError>>> {
    let read = ReadOptions {
        max_bytes: opts.max_record_bytes,
        source: None,
    };
    let items = spawn_reader(path.to_path_buf(), read)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let stages = Arc::new(Stages::new(depth, opts));
    let window = opts.concurrency.max(1) * WINDOW_PER_WORKER;
    Ok(items
        .take_until(stop.cancelled_owned())
        .enumerate()
        .map(move |(seq, item)| {
            let stages = Arc::clone(&stages);
            async move {
                let seq = i64::try_from(seq).unwrap_or(i64::MAX);
                stages.article(seq, item).await
            }
        })
        .buffered(window))
}
