//! Rebuilding the dedup index after a restart, and following other replicas' originals.
//!
//! Before the stage's first dedup step, every partition of `articles.clean` is read (assigned
//! directly: no consumer group, no commits) from the first record of the dedup window
//! (`offsets_for_times`, or the beginning when the broker cannot answer) up to the high
//! watermarks seen at start. Every original (`duplicate_of` unset) goes into the index from its
//! stored `fingerprint`, without re-hashing text. Records are cleaned meanwhile; only their
//! dedup step waits (see [`crate::stage::CleanStage::pending_rebuild`]).
//!
//! With `follow` on, the reader then keeps reading new records of `articles.clean`, so that
//! replicas consuming different partitions of `articles.raw` learn each other's originals
//! (their own come back as already known). Timing between replicas decides which of two copies
//! processed at the same moment on different replicas wins; `docs/dedup.md` has the details.
use std::collections::HashMap;
use std::time::{Duration, Instant};

use eventwire_runtime::config::KafkaArgs;
use eventwire_runtime::kafka::{replay_consumer, ReplayError, REPLAY_BROKER_TIMEOUT};
use eventwire_schema::v1::CleanArticle;
use eventwire_schema::{json, topics};
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::message::Message;
use rdkafka::topic_partition_list::{Offset, TopicPartitionList};

use crate::dedup::Signature;
use crate::stage::{article_time, lock_index, DedupMetrics, ReadyGuard, SharedIndex};

const POLL: Duration = Duration::from_millis(500);

/// Why the rebuild could not run.
#[derive(Debug, thiserror::Error)]
pub enum RebuildError {
    #[error("kafka configuration: {0}")]
    Config(String),
    #[error("kafka: {0}")]
    Kafka(#[from] rdkafka::error::KafkaError),
    #[error("topic {0} has no partitions (does it exist?)")]
    NoPartitions(String),
}

impl From<ReplayError> for RebuildError {
    fn from(e: ReplayError) -> Self {
        match e {
            ReplayError::Config(m) => RebuildError::Config(m),
            ReplayError::Kafka(k) => RebuildError::Kafka(k),
            ReplayError::NoPartitions(t) => RebuildError::NoPartitions(t),
        }
    }
}

/// Rebuild settings from flags and `EVENTWIRE_DEDUP_*` variables (service only).
#[derive(clap::Args, Debug, Clone)]
pub struct RebuildArgs {
    /// After the rebuild, keep reading articles.clean so replicas see each other's originals.
    #[arg(long = "dedup-follow", env = "EVENTWIRE_DEDUP_FOLLOW", default_value_t = true, action = clap::ArgAction::Set)]
    pub follow: bool,
    /// Longest the start-up rebuild may take; dedup then goes on with what was loaded.
    #[arg(long = "dedup-rebuild-timeout", env = "EVENTWIRE_DEDUP_REBUILD_TIMEOUT", default_value = "5m", value_parser = humantime::parse_duration)]
    pub timeout: Duration,
}

/// What the rebuild loaded.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct RebuildReport {
    /// Records read from `articles.clean`.
    pub records: u64,
    /// Originals inserted.
    pub entries: u64,
    /// Records skipped: duplicates, redeliveries, undecodable payloads or fingerprints.
    pub skipped: u64,
    /// Wall time.
    pub seconds: f64,
    /// False when the deadline passed before every partition was read.
    pub complete: bool,
}

/// Everything the reader thread needs.
pub struct Rebuild {
    /// Broker settings (the service's own).
    pub kafka: KafkaArgs,
    /// The stage's index.
    pub index: SharedIndex,
    /// Released (dropped) when the rebuild ends, successfully or not.
    pub ready: ReadyGuard,
    /// Where to report.
    pub metrics: Option<DedupMetrics>,
    /// How far back to read.
    pub window: Duration,
    /// Settings from the command line.
    pub args: RebuildArgs,
}

/// Outcome of feeding one record to the index.
#[derive(Debug, PartialEq, Eq)]
pub enum Fed {
    /// An original, now in the index.
    Inserted,
    /// Not inserted: a duplicate, an empty body, already known, or unreadable.
    Skipped,
}

/// Inserts the original carried by one `articles.clean` payload, if it is one.
pub fn feed(index: &SharedIndex, payload: &[u8], record_ms: Option<i64>) -> Fed {
    let Ok(article) = json::decode::<CleanArticle>(payload) else {
        return Fed::Skipped;
    };
    if article
        .duplicate_of
        .as_deref()
        .is_some_and(|d| !d.is_empty())
    {
        return Fed::Skipped;
    }
    let Ok(sig) = Signature::from_fingerprint(&article.fingerprint) else {
        return Fed::Skipped;
    };
    let time = match article.ingested_at {
        Some(_) => article_time(&article, None),
        None => record_ms.map(|ms| ms.div_euclid(1000)).unwrap_or(0),
    };
    if lock_index(index).insert(&article.id, time, &article.content_hash, sig) {
        Fed::Inserted
    } else {
        Fed::Skipped
    }
}

impl Rebuild {
    /// Runs the rebuild (then the follower, if on) on its own thread.
    pub fn spawn(self) -> std::io::Result<std::thread::JoinHandle<()>> {
        std::thread::Builder::new()
            .name("dedup-rebuild".into())
            .spawn(move || self.run())
    }

    fn run(self) {
        let Rebuild {
            kafka,
            index,
            ready,
            metrics,
            window,
            args,
        } = self;
        let topic = kafka.topic(topics::ARTICLES_CLEAN);
        let consumer = match open(&kafka, &topic, window) {
            Ok(c) => c,
            Err(e) => {
                tracing::error!(error = %e, %topic, "dedup index rebuild failed; deduplicating against new articles only");
                drop(ready);
                return;
            }
        };
        let (consumer, ends) = consumer;
        let report = read_to_ends(&consumer, &ends, &index, args.timeout);
        if let Some(m) = &metrics {
            m.rebuild_entries
                .set(i64::try_from(report.entries).unwrap_or(i64::MAX));
            m.rebuild_seconds.set(report.seconds);
            m.observe(&lock_index(&index));
        }
        if report.complete {
            tracing::info!(
                entries = report.entries,
                records = report.records,
                skipped = report.skipped,
                seconds = report.seconds,
                %topic,
                "dedup index rebuilt"
            );
        } else {
            tracing::warn!(
                entries = report.entries,
                records = report.records,
                seconds = report.seconds,
                %topic,
                "dedup index rebuild hit its deadline; going on with a partial index"
            );
        }
        drop(ready);
        if args.follow {
            follow(&consumer, &index, metrics.as_ref());
        }
    }
}

/// Creates the reader and assigns it every partition from the window's start; returns it with
/// the high watermarks to read up to.
fn open(
    kafka: &KafkaArgs,
    topic: &str,
    window: Duration,
) -> Result<(BaseConsumer, HashMap<i32, i64>), RebuildError> {
    let (consumer, ends) = replay_consumer(kafka, topic, "cleaner-dedup")?;
    let partitions: Vec<i32> = ends.keys().copied().collect();
    let since_ms = chrono::Utc::now().timestamp_millis()
        - i64::try_from(window.as_millis()).unwrap_or(i64::MAX / 2);
    let mut query = TopicPartitionList::new();
    for &p in &partitions {
        query.add_partition_offset(topic, p, Offset::Offset(since_ms))?;
    }
    let starts = match consumer.offsets_for_times(query, REPLAY_BROKER_TIMEOUT) {
        Ok(found) => found,
        Err(e) => {
            tracing::warn!(error = %e, "broker cannot look offsets up by time; reading articles.clean from the beginning");
            let mut all = TopicPartitionList::new();
            for &p in &partitions {
                all.add_partition_offset(topic, p, Offset::Beginning)?;
            }
            all
        }
    };
    let mut assign = TopicPartitionList::new();
    for e in starts.elements() {
        let end = ends.get(&e.partition()).copied().unwrap_or(0);
        let start = match e.offset() {
            Offset::Offset(o) if o >= 0 => Offset::Offset(o),
            // No record at or after the time: nothing to load, start at the end.
            Offset::End => Offset::Offset(end),
            _ => Offset::Beginning,
        };
        assign.add_partition_offset(topic, e.partition(), start)?;
    }
    consumer.assign(&assign)?;
    Ok((consumer, ends))
}

fn read_to_ends(
    consumer: &BaseConsumer,
    ends: &HashMap<i32, i64>,
    index: &SharedIndex,
    timeout: Duration,
) -> RebuildReport {
    let started = Instant::now();
    let mut report = RebuildReport::default();
    let mut pending: HashMap<i32, i64> = ends
        .iter()
        .filter(|(_, &e)| e > 0)
        .map(|(&p, &e)| (p, e))
        .collect();
    // Partitions whose reader already stands at (or past) the end need no reading.
    let settle = |consumer: &BaseConsumer, pending: &mut HashMap<i32, i64>| {
        if let Ok(pos) = consumer.position() {
            for e in pos.elements() {
                if let (Offset::Offset(o), Some(&end)) = (e.offset(), pending.get(&e.partition())) {
                    if o >= end {
                        pending.remove(&e.partition());
                    }
                }
            }
        }
    };
    settle(consumer, &mut pending);
    while !pending.is_empty() && started.elapsed() < timeout {
        match consumer.poll(POLL) {
            Some(Ok(m)) => {
                // Every record read is fed, including those past a partition's end that arrive
                // while other partitions are still being read (they would be lost otherwise).
                report.records += 1;
                match feed(
                    index,
                    m.payload().unwrap_or_default(),
                    m.timestamp().to_millis(),
                ) {
                    Fed::Inserted => report.entries += 1,
                    Fed::Skipped => report.skipped += 1,
                }
                let p = m.partition();
                if pending.get(&p).is_some_and(|&end| m.offset() + 1 >= end) {
                    pending.remove(&p);
                }
            }
            Some(Err(e)) => tracing::debug!(error = %e, "dedup rebuild: consume error"),
            None => settle(consumer, &mut pending),
        }
    }
    report.complete = pending.is_empty();
    report.seconds = started.elapsed().as_secs_f64();
    report
}

/// Keeps inserting originals written after the rebuild (by this replica or others).
fn follow(consumer: &BaseConsumer, index: &SharedIndex, metrics: Option<&DedupMetrics>) {
    loop {
        match consumer.poll(Duration::from_secs(1)) {
            Some(Ok(m)) => {
                // Records the rebuild already read come back as skipped (their content is known).
                let outcome = match feed(
                    index,
                    m.payload().unwrap_or_default(),
                    m.timestamp().to_millis(),
                ) {
                    Fed::Inserted => "inserted",
                    Fed::Skipped => "skipped",
                };
                if let Some(mx) = metrics {
                    mx.followed.with_label_values(&[outcome]).inc();
                    mx.observe(&lock_index(index));
                }
            }
            Some(Err(e)) => tracing::debug!(error = %e, "dedup follower: consume error"),
            None => {}
        }
    }
}
