//! The whole pipeline in one process on the in-memory bus: ingest -> cleaner -> tagger, the same
//! stages the services run on Kafka, then the resolver over the events as they are written.
//! Every message on an output topic is handed to a sink as soon as it is written; the bus's
//! bounded queues keep memory flat in the input size (the resolver's state is bounded by its
//! window and capacity).
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use eventwire_cleaner::dedup::DedupConfig;
use eventwire_cleaner::CleanStage;
use eventwire_ingest::source;
use eventwire_ingest::{publish_all, spawn_reader, ReadOptions, Summary};
use eventwire_resolver::{Outcome, Resolver, ResolverConfig};
use eventwire_runtime::breaker::BreakerConfig;
use eventwire_runtime::memory::{run_stage, MemoryBus, RunCounts};
use eventwire_runtime::metrics::Metrics;
use eventwire_runtime::process::{Processor, RetryPolicy};
use eventwire_runtime::{Blocking, Headers, InputRecord, Stage};
use eventwire_schema::v1::{CasualtyReport, DiplomaticEvent};
use eventwire_schema::{json, topics};
use eventwire_sink::{Change, Store};
use eventwire_tagger::TagStage;
use futures::StreamExt;
use tokio_util::sync::CancellationToken;

/// Knobs of an in-memory run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    pub concurrency: usize,
    pub max_record_bytes: usize,
    pub bus_capacity: usize,
    pub dedup: DedupConfig,
    pub resolver: ResolverConfig,
    /// Where the resolved events are written, if anywhere.
    pub store: Option<Store>,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            concurrency: eventwire_runtime::config::default_concurrency(),
            max_record_bytes: eventwire_runtime::config::DEFAULT_MAX_RECORD_BYTES,
            bus_capacity: 1024,
            dedup: DedupConfig::default(),
            resolver: ResolverConfig::default(),
            store: None,
        }
    }
}

/// What a run did.
#[derive(Debug, Default, Clone)]
pub struct RunReport {
    pub ingest: Summary,
    pub cleaner: RunCounts,
    pub tagger: RunCounts,
    pub diplomatic: u64,
    pub casualty: u64,
    pub dead_letters: u64,
    /// Real-world events the resolver keeps at the end.
    pub resolved: u64,
    pub elapsed: Duration,
}

/// Topics whose messages reach the sink: everything the stages write.
pub fn output_topics() -> Vec<String> {
    vec![
        topics::ARTICLES_CLEAN.to_string(),
        topics::EVENTS_DIPLOMATIC.to_string(),
        topics::EVENTS_CASUALTY.to_string(),
        topics::dlq_for(topics::INGEST),
        topics::dlq_for(topics::ARTICLES_RAW),
        topics::dlq_for(topics::ARTICLES_CLEAN),
    ]
}

/// What the sink of a run is told.
pub trait MessageSink {
    /// One output message.
    fn message(&mut self, record: &InputRecord) -> anyhow::Result<()>;
    /// Nothing more is ready for now: a moment to flush what was written.
    fn caught_up(&mut self) -> anyhow::Result<()>;
}

/// Advances a progress bar as ingest publishes.
struct BarProgress(indicatif::ProgressBar);

impl eventwire_ingest::Progress for BarProgress {
    fn advance(&self, _: &eventwire_ingest::ReadItem) {
        self.0.inc(1);
    }
}

type IngestTask = tokio::task::JoinHandle<anyhow::Result<Summary>>;

/// Starts ingest on the bus; it closes `articles.raw` and `ingest.dlq` when done.
fn spawn_ingest(
    input: Input<'_>,
    bus: Arc<MemoryBus>,
    opts: &RunOptions,
    stop: CancellationToken,
    bar: Option<indicatif::ProgressBar>,
) -> anyhow::Result<IngestTask> {
    let read = ReadOptions {
        max_bytes: opts.max_record_bytes,
        source: None,
    };
    let task = match input {
        Input::Path(path) => {
            let items = spawn_reader(path.to_path_buf(), read)
                .with_context(|| format!("cannot read {}", path.display()))?;
            tokio::spawn(async move {
                let metrics = Metrics::new("ingest");
                let publisher: Arc<dyn eventwire_runtime::publish::Publisher> = bus.clone();
                let items = items.take_until(stop.cancelled_owned());
                let res = match bar {
                    Some(bar) => {
                        publish_all(items, publisher, &metrics, &BarProgress(bar), 64).await
                    }
                    None => publish_all(items, publisher, &metrics, &(), 64).await,
                };
                close_ingest_topics(&bus).await;
                Ok(res?)
            })
        }
        Input::Feeds { file, once } => {
            let source = feeds::source(file, once, opts.max_record_bytes)?;
            tokio::spawn(async move {
                let sink = source::Sink::new(bus.clone(), source.metrics.clone());
                let res = source::run_all(vec![source.feeds], sink.clone(), stop).await;
                close_ingest_topics(&bus).await;
                res?;
                Ok(sink.summary())
            })
        }
    };
    Ok(task)
}

async fn close_ingest_topics(bus: &MemoryBus) {
    bus.close(topics::ARTICLES_RAW).await;
    bus.close(&topics::dlq_for(topics::INGEST)).await;
}

/// Feeds as `eventwire run --feeds` polls them: ingest's feed source with its defaults.
mod feeds {
    use std::path::Path;
    use std::sync::Arc;

    use eventwire_ingest::source::feed::{config, FeedShared, FeedSource};
    use eventwire_ingest::source::fetch::{FetchSettings, Fetcher};
    use eventwire_ingest::source::metrics::SourceMetrics;
    use eventwire_ingest::source::seen::{SeenSet, DEFAULT_SEEN_CAPACITY};
    use eventwire_ingest::source::Source;
    use eventwire_runtime::metrics::Metrics;

    /// Pages of one feed fetched at once.
    const ITEM_CONCURRENCY: usize = 8;

    pub struct FeedsSource {
        pub feeds: Box<dyn Source>,
        pub metrics: Metrics,
    }

    pub fn source(file: &Path, once: bool, max_bytes: usize) -> anyhow::Result<FeedsSource> {
        let feeds = config::load(file)?;
        let metrics = Metrics::new("ingest");
        let sm = SourceMetrics::register(&metrics.registry)?;
        let settings = FetchSettings {
            max_bytes,
            ..FetchSettings::default()
        };
        let fetcher = Arc::new(Fetcher::new(settings, sm.clone())?);
        let seen = Arc::new(SeenSet::new(DEFAULT_SEEN_CAPACITY));
        let shared = FeedShared::new(fetcher, seen, sm, ITEM_CONCURRENCY);
        Ok(FeedsSource {
            feeds: Box::new(FeedSource::new(feeds, shared, once)),
            metrics,
        })
    }
}

/// A stage's processor as a local run configures it.
pub fn processor(stage: Arc<dyn Stage>, service: &str, opts: &RunOptions) -> Arc<Processor> {
    Arc::new(Processor::new(
        stage,
        service,
        Metrics::new(service),
        RetryPolicy::default(),
        // A local run reports bad inputs; it does not stop on them.
        BreakerConfig {
            max_consecutive: 0,
            max_ratio: 1.0,
            ..BreakerConfig::default()
        },
        opts.max_record_bytes,
    ))
}

/// Where a run's articles come from.
#[derive(Debug, Clone, Copy)]
pub enum Input<'a> {
    /// A file, a directory, or "-" for stdin, read once.
    Path(&'a Path),
    /// The feeds of a feeds file (docs/ingest.md), their pages fetched: each polled once with
    /// `once`, else polled on their intervals until `stop`.
    Feeds { file: &'a Path, once: bool },
}

/// Runs the pipeline over `input`, handing `sink` every output message as it is
/// written (per topic, messages keep input order). Reading stops when `stop` is cancelled; what
/// was read is still processed. `bar` advances once per input item read from a path.
pub async fn run(
    input: Input<'_>,
    opts: &RunOptions,
    stop: CancellationToken,
    bar: Option<indicatif::ProgressBar>,
    sink: &mut dyn MessageSink,
) -> anyhow::Result<RunReport> {
    let started = Instant::now();
    let bus = MemoryBus::new(opts.bus_capacity);
    let raw_in = bus.subscribe(topics::ARTICLES_RAW).await;
    let clean_in = bus.subscribe(topics::ARTICLES_CLEAN).await;
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Arc<InputRecord>>(opts.bus_capacity);
    for t in output_topics() {
        let mut sub = bus.subscribe(&t).await;
        let tx = tx.clone();
        tokio::spawn(async move {
            while let Some(r) = sub.recv().await {
                if tx.send(r).await.is_err() {
                    break;
                }
            }
        });
    }
    drop(tx);
    let cancel = CancellationToken::new();
    let cleaner = tokio::spawn(run_stage(
        processor(
            Arc::new(CleanStage::new(opts.dedup.clone(), opts.concurrency)),
            "cleaner",
            opts,
        ),
        Arc::clone(&bus),
        topics::ARTICLES_RAW,
        raw_in,
        opts.concurrency,
        cancel.clone(),
    ));
    let tagger = tokio::spawn(run_stage(
        processor(
            Arc::new(Blocking::new(TagStage::new(None), opts.concurrency)),
            "tagger",
            opts,
        ),
        Arc::clone(&bus),
        topics::ARTICLES_CLEAN,
        clean_in,
        opts.concurrency,
        cancel.clone(),
    ));
    let ingest = spawn_ingest(input, Arc::clone(&bus), opts, stop, bar)?;
    let mut report = RunReport::default();
    let mut resolver = ResolveStep::new(opts.resolver);
    let mut pending: Vec<Change> = Vec::new();
    while let Some(r) = rx.recv().await {
        match r.topic.as_str() {
            topics::EVENTS_DIPLOMATIC => report.diplomatic += 1,
            topics::EVENTS_CASUALTY => report.casualty += 1,
            t if t.ends_with(topics::DLQ_SUFFIX) => report.dead_letters += 1,
            _ => {}
        }
        sink.message(&r)?;
        for change in resolver.resolve(&r) {
            sink.message(&resolver.record(&change)?)?;
            pending.push(change);
        }
        if pending.len() >= DB_BATCH || (rx.is_empty() && !pending.is_empty()) {
            write_changes(opts.store.as_ref(), &mut pending).await?;
        }
        if rx.is_empty() {
            sink.caught_up()?;
        }
    }
    report.ingest = ingest.await.context("ingest task")??;
    report.cleaner = cleaner.await.context("cleaner task")??;
    report.tagger = tagger.await.context("tagger task")??;
    write_changes(opts.store.as_ref(), &mut pending).await?;
    report.resolved = resolver.events();
    report.elapsed = started.elapsed();
    Ok(report)
}

/// Changes written to the database in one transaction at most.
const DB_BATCH: usize = 500;

/// Writes the pending changes to `store` (when there is one) in one transaction.
async fn write_changes(store: Option<&Store>, pending: &mut Vec<Change>) -> anyhow::Result<()> {
    if let Some(store) = store {
        if !pending.is_empty() {
            store
                .write(pending)
                .await
                .context("writing the resolved events")?;
        }
    }
    pending.clear();
    Ok(())
}

/// The resolver in the embedded run: each event message, as it is written, updates one
/// resolved event, written to `events.resolved` keyed by its id (and ids it merged retired
/// with an empty value), in the order the events arrive.
struct ResolveStep {
    resolver: Resolver,
    offset: i64,
}

impl ResolveStep {
    fn new(config: ResolverConfig) -> ResolveStep {
        ResolveStep {
            resolver: Resolver::new(config),
            offset: 0,
        }
    }

    /// The changes to the resolved events an output message makes (none for other topics,
    /// or for an event seen before): ids merged away, then the event's new version.
    fn resolve(&mut self, r: &InputRecord) -> Vec<Change> {
        let outcome = match r.topic.as_str() {
            topics::EVENTS_DIPLOMATIC => json::decode::<DiplomaticEvent>(&r.payload)
                .map(|e| self.resolver.add_diplomatic(&e)),
            topics::EVENTS_CASUALTY => {
                json::decode::<CasualtyReport>(&r.payload).map(|e| self.resolver.add_casualty(&e))
            }
            _ => return Vec::new(),
        };
        let record = match outcome {
            Ok(Outcome::New(record) | Outcome::Updated(record)) => record,
            Ok(Outcome::Unchanged) => return Vec::new(),
            Err(e) => {
                tracing::warn!(topic = %r.topic, error = %e, "event not resolved: unreadable");
                return Vec::new();
            }
        };
        let mut out: Vec<Change> = self
            .resolver
            .take_retired()
            .into_iter()
            .map(Change::Retire)
            .collect();
        out.push(Change::Upsert(Box::new(record)));
        out
    }

    /// The `events.resolved` message of a change: the record keyed by its id, or an empty
    /// value retiring the id.
    /// An event that cannot be encoded is an error, never an empty value (which would read as
    /// a retirement).
    fn record(&mut self, change: &Change) -> anyhow::Result<InputRecord> {
        let (key, payload) = match change {
            Change::Upsert(e) => (
                e.id.clone(),
                json::encode(e).context("encoding a resolved event")?,
            ),
            Change::Retire(id) => (id.clone(), Vec::new()),
        };
        self.offset += 1;
        Ok(InputRecord {
            topic: topics::EVENTS_RESOLVED.to_string(),
            partition: 0,
            offset: self.offset,
            timestamp_ms: None,
            key: Some(key.into_bytes()),
            payload,
            headers: Headers::default(),
        })
    }

    /// How many events are resolved.
    fn events(&self) -> u64 {
        self.resolver.len() as u64
    }
}
