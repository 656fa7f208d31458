//! The seen-set across restarts and replicas (opt-in with `--seen-topic`): every key the feeds
//! add is also published, after its article was acknowledged, to a topic (`ingest.seen` by
//! default; create it with `cleanup.policy=compact,delete` and `retention.ms` = the TTL), keyed
//! by the item key with the production time (Unix ms) as value. At start the set is rebuilt by
//! reading every partition, assigned directly (no group, no commits), from the beginning up to
//! the high watermarks seen at start, keeping the keys of records younger than the TTL; so a
//! restarted replica skips what was produced within the TTL. Bounded three ways: compaction
//! keeps one record per key, retention drops keys older than the TTL, and the in-memory set
//! keeps at most `--seen-capacity` keys. The log is not followed after the rebuild: replicas
//! split the feeds (`--shard`, [`Shard`](super::feed::config::Shard)), so each feed has one
//! poller and only its own keys matter to it.
use std::collections::HashMap;
use std::time::{Duration, Instant};

use eventwire_runtime::config::KafkaArgs;
use eventwire_runtime::kafka::{replay_consumer, ReplayError};
use eventwire_runtime::OutputRecord;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::message::Message;
use rdkafka::topic_partition_list::{Offset, TopicPartitionList};

use super::seen::SeenSet;

/// Default topic of the seen log.
pub const SEEN_TOPIC: &str = eventwire_schema::topics::INGEST_SEEN;
const POLL: Duration = Duration::from_millis(200);

#[derive(Debug, thiserror::Error)]
pub enum SeenLogError {
    #[error("kafka configuration: {0}")]
    Config(String),
    #[error("kafka: {0}")]
    Kafka(#[from] rdkafka::error::KafkaError),
    #[error("topic {0} has no partitions (create it: see docs/ingest.md)")]
    NoPartitions(String),
}

impl From<ReplayError> for SeenLogError {
    fn from(e: ReplayError) -> Self {
        match e {
            ReplayError::Config(m) => SeenLogError::Config(m),
            ReplayError::Kafka(k) => SeenLogError::Kafka(k),
            ReplayError::NoPartitions(t) => SeenLogError::NoPartitions(t),
        }
    }
}

/// The record that marks `key` as produced, on the logical topic `topic`.
pub fn seen_record(topic: &str, key: &str) -> OutputRecord {
    let now_ms = chrono::Utc::now().timestamp_millis();
    OutputRecord::new(topic, key.as_bytes(), now_ms.to_string().into_bytes())
}

/// What the rebuild loaded.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct RebuildReport {
    pub keys: u64,
    /// False when `timeout` passed before every partition was read to its end.
    pub complete: bool,
}

/// Reads the seen log into `seen` (blocking: run it on a blocking thread).
pub fn rebuild(
    kafka: &KafkaArgs,
    topic: &str,
    ttl: Duration,
    timeout: Duration,
    seen: &SeenSet,
) -> Result<RebuildReport, SeenLogError> {
    let physical = kafka.topic(topic);
    let (consumer, ends) = open(kafka, &physical)?;
    let since_ms = chrono::Utc::now().timestamp_millis()
        - i64::try_from(ttl.as_millis()).unwrap_or(i64::MAX / 2);
    Ok(read_to_ends(&consumer, ends, since_ms, timeout, seen))
}

fn open(kafka: &KafkaArgs, topic: &str) -> Result<(BaseConsumer, HashMap<i32, i64>), SeenLogError> {
    let (consumer, ends) = replay_consumer(kafka, topic, "ingest-seen")?;
    // From the beginning: retention keeps the topic near the TTL, and older records are
    // skipped by their timestamp (brokers' time lookups are not all reliable).
    let mut assign = TopicPartitionList::new();
    for &p in ends.keys() {
        assign.add_partition_offset(topic, p, Offset::Beginning)?;
    }
    consumer.assign(&assign)?;
    Ok((consumer, ends))
}

fn read_to_ends(
    consumer: &BaseConsumer,
    ends: HashMap<i32, i64>,
    since_ms: i64,
    timeout: Duration,
    seen: &SeenSet,
) -> RebuildReport {
    let started = Instant::now();
    let mut report = RebuildReport::default();
    let mut pending: HashMap<i32, i64> = ends.into_iter().filter(|(_, e)| *e > 0).collect();
    drop_finished(consumer, &mut pending);
    while !pending.is_empty() && started.elapsed() < timeout {
        match consumer.poll(POLL) {
            Some(Ok(m)) => {
                let fresh = m.timestamp().to_millis().is_none_or(|t| t >= since_ms);
                if let Some(key) = m.key().and_then(|k| std::str::from_utf8(k).ok()) {
                    if fresh {
                        seen.insert(key.to_owned());
                        report.keys += 1;
                    }
                }
                let p = m.partition();
                if pending.get(&p).is_some_and(|&end| m.offset() + 1 >= end) {
                    pending.remove(&p);
                }
            }
            Some(Err(e)) => tracing::debug!(error = %e, "seen log rebuild: consume error"),
            None => drop_finished(consumer, &mut pending),
        }
    }
    report.complete = pending.is_empty();
    report
}

/// Removes partitions whose reader already stands at (or past) the end.
fn drop_finished(consumer: &BaseConsumer, pending: &mut HashMap<i32, i64>) {
    if let Ok(pos) = consumer.position() {
        for e in pos.elements() {
            if let (Offset::Offset(o), Some(&end)) = (e.offset(), pending.get(&e.partition())) {
                if o >= end {
                    pending.remove(&e.partition());
                }
            }
        }
    }
}
