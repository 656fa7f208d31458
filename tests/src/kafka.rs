//! Reading topics back and writing raw records, with rdkafka (the workspace's bundled librdkafka).
//!
//! Readers assign themselves every partition of the topic from the beginning, with a unique group
//! id that is never committed, so they see everything on the topic, do not disturb the services'
//! groups, and do not wait for a group rebalance.
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context, Result};
use rdkafka::config::ClientConfig;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::error::KafkaError;
use rdkafka::message::{Header, Headers, Message, OwnedHeaders};
use rdkafka::producer::{BaseRecord, DeliveryResult, Producer, ProducerContext, ThreadedProducer};
use rdkafka::{ClientContext, Offset, TopicPartitionList};

/// How long one metadata or watermark request may take.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// One record read from a topic.
#[derive(Debug, Clone)]
pub struct Record {
    pub topic: String,
    pub partition: i32,
    pub offset: i64,
    pub key: Option<Vec<u8>>,
    pub payload: Vec<u8>,
    pub headers: Vec<(String, Vec<u8>)>,
    /// The record's timestamp (the producer's create time), ms since the epoch, when present.
    pub timestamp_ms: Option<i64>,
}

impl Record {
    /// The key as text (lossy), empty when there is none.
    pub fn key_str(&self) -> String {
        self.key
            .as_deref()
            .map(|k| String::from_utf8_lossy(k).into_owned())
            .unwrap_or_default()
    }

    /// The last value of header `name`, as text.
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| String::from_utf8_lossy(v).into_owned())
    }

    /// The payload parsed as JSON.
    pub fn json(&self) -> Result<serde_json::Value> {
        serde_json::from_slice(&self.payload).with_context(|| {
            format!(
                "record {}/{}@{} is not JSON: {}",
                self.topic,
                self.partition,
                self.offset,
                String::from_utf8_lossy(&self.payload)
            )
        })
    }
}

fn unique_group() -> String {
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!(
        "eventwire-tests-reader-{}-{}-{nanos}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// Partition ids of `topic`; fails if the topic does not exist.
fn partitions<C: rdkafka::consumer::ConsumerContext>(
    consumer: &BaseConsumer<C>,
    topic: &str,
) -> Result<Vec<i32>> {
    let md = consumer
        .fetch_metadata(Some(topic), REQUEST_TIMEOUT)
        .with_context(|| format!("cannot fetch metadata of {topic}"))?;
    let t = md
        .topics()
        .iter()
        .find(|t| t.name() == topic)
        .ok_or_else(|| anyhow!("topic {topic} missing from metadata"))?;
    if let Some(e) = t.error() {
        bail!(
            "topic {topic}: {:?}",
            rdkafka::error::RDKafkaErrorCode::from(e)
        );
    }
    let ids: Vec<i32> = t.partitions().iter().map(|p| p.id()).collect();
    if ids.is_empty() {
        bail!("topic {topic} has no partitions (does it exist?)");
    }
    Ok(ids)
}

fn reader_config(brokers: &str) -> ClientConfig {
    let mut c = ClientConfig::new();
    c.set("bootstrap.servers", brokers)
        .set("group.id", unique_group())
        .set("enable.auto.commit", "false")
        .set("auto.offset.reset", "earliest")
        .set("enable.partition.eof", "false")
        .set("fetch.wait.max.ms", "100");
    c
}

/// Reads a topic incrementally: every partition, from the beginning.
pub struct TopicReader {
    consumer: BaseConsumer,
    topic: String,
}

impl TopicReader {
    pub fn new(brokers: &str, topic: &str) -> Result<TopicReader> {
        let consumer: BaseConsumer = reader_config(brokers)
            .create()
            .context("cannot create a Kafka consumer")?;
        let mut tpl = TopicPartitionList::new();
        for p in partitions(&consumer, topic)? {
            tpl.add_partition_offset(topic, p, Offset::Beginning)?;
        }
        consumer
            .assign(&tpl)
            .with_context(|| format!("cannot assign the partitions of {topic}"))?;
        Ok(TopicReader {
            consumer,
            topic: topic.to_string(),
        })
    }

    /// Records that arrive within `wait`; returns as soon as some have arrived and no more are
    /// immediately available.
    pub fn poll(&self, wait: Duration) -> Result<Vec<Record>> {
        let deadline = Instant::now() + wait;
        let mut out = Vec::new();
        loop {
            let timeout = if out.is_empty() {
                deadline.saturating_duration_since(Instant::now())
            } else {
                Duration::ZERO
            };
            match self.consumer.poll(timeout) {
                None => return Ok(out),
                Some(Ok(m)) => {
                    let headers = m
                        .headers()
                        .map(|h| {
                            h.iter()
                                .map(|Header { key, value }| {
                                    (key.to_string(), value.unwrap_or_default().to_vec())
                                })
                                .collect()
                        })
                        .unwrap_or_default();
                    out.push(Record {
                        topic: m.topic().to_string(),
                        partition: m.partition(),
                        offset: m.offset(),
                        key: m.key().map(<[u8]>::to_vec),
                        payload: m.payload().unwrap_or_default().to_vec(),
                        headers,
                        timestamp_ms: m.timestamp().to_millis(),
                    });
                }
                Some(Err(KafkaError::PartitionEOF(_))) => {}
                Some(Err(e)) => {
                    // Transient (broker busy, connection reset): librdkafka retries on its own.
                    eprintln!("e2e: reading {}: {e} (retrying)", self.topic);
                    if !out.is_empty() || Instant::now() >= deadline {
                        return Ok(out);
                    }
                    std::thread::sleep(Duration::from_millis(50));
                }
            }
        }
    }
}

/// Reads `topic` from the beginning until `want` records have been read or `timeout` passes;
/// returns what was read (possibly fewer, which the caller judges).
pub fn read_records(
    brokers: &str,
    topic: &str,
    want: usize,
    timeout: Duration,
) -> Result<Vec<Record>> {
    let deadline = Instant::now() + timeout;
    let reader = TopicReader::new(brokers, topic)?;
    let mut out = Vec::new();
    while out.len() < want {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        out.extend(reader.poll(left.min(Duration::from_millis(200)))?);
    }
    Ok(out)
}

/// [`read_records`] as `(key, payload)` pairs (keys as text, empty when absent).
pub fn read_topic(
    brokers: &str,
    topic: &str,
    want: usize,
    timeout: Duration,
) -> Result<Vec<(String, Vec<u8>)>> {
    Ok(read_records(brokers, topic, want, timeout)?
        .into_iter()
        .map(|r| (r.key_str(), r.payload))
        .collect())
}

/// Every record on `topic`, for a topic nobody writes to any more: reads from the beginning until
/// at least `want` records have arrived and then nothing more for `quiet` (so extra records are
/// seen too), or until `timeout`. Counting records this way rather than from watermarks is
/// deliberate: Tansu 0.6.0 reports a partition's high watermark as the base offset of its last
/// record batch plus one, which undercounts any topic written in multi-record batches.
pub fn read_settled(
    brokers: &str,
    topic: &str,
    want: usize,
    quiet: Duration,
    timeout: Duration,
) -> Result<Vec<Record>> {
    let deadline = Instant::now() + timeout;
    let reader = TopicReader::new(brokers, topic)?;
    let mut out = Vec::new();
    let mut last_news = Instant::now();
    loop {
        let now = Instant::now();
        if now >= deadline || (out.len() >= want && now.duration_since(last_news) >= quiet) {
            return Ok(out);
        }
        let batch = reader.poll(Duration::from_millis(100))?;
        if !batch.is_empty() {
            last_news = Instant::now();
            out.extend(batch);
        }
    }
}

/// Whether every partition of `topic` is empty (high watermark at the low one). Reliable on
/// Tansu too: its high watermark is wrong only for partitions that hold records.
pub fn is_empty(brokers: &str, topic: &str) -> Result<bool> {
    let consumer: BaseConsumer = reader_config(brokers)
        .create()
        .context("cannot create a Kafka consumer")?;
    for p in partitions(&consumer, topic)? {
        let (low, high) = consumer
            .fetch_watermarks(topic, p, REQUEST_TIMEOUT)
            .with_context(|| format!("cannot fetch the offsets of {topic}/{p}"))?;
        if high > low {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Remembers the delivery report of the one record a [`produce`] call sends.
#[derive(Default)]
struct DeliveryCtx {
    result: Mutex<Option<Result<(i32, i64), String>>>,
}

impl ClientContext for DeliveryCtx {}

impl ProducerContext for DeliveryCtx {
    type DeliveryOpaque = ();

    fn delivery(&self, result: &DeliveryResult<'_>, _: ()) {
        let r = match result {
            Ok(m) => Ok((m.partition(), m.offset())),
            Err((e, _)) => Err(e.to_string()),
        };
        if let Ok(mut slot) = self.result.lock() {
            *slot = Some(r);
        }
    }
}

/// Produces one record (as a foreign producer would, bypassing the services) and waits for the
/// broker's acknowledgement; returns its partition and offset.
pub fn produce(
    brokers: &str,
    topic: &str,
    key: &[u8],
    payload: &[u8],
    headers: &[(&str, &[u8])],
    timeout: Duration,
) -> Result<(i32, i64)> {
    let producer: ThreadedProducer<DeliveryCtx> = ClientConfig::new()
        .set("bootstrap.servers", brokers)
        .set("message.timeout.ms", timeout.as_millis().to_string())
        .create_with_context(DeliveryCtx::default())
        .context("cannot create a Kafka producer")?;
    let mut owned = OwnedHeaders::new();
    for (k, v) in headers {
        owned = owned.insert(Header {
            key: k,
            value: Some(*v),
        });
    }
    producer
        .send(
            BaseRecord::to(topic)
                .key(key)
                .payload(payload)
                .headers(owned),
        )
        .map_err(|(e, _)| anyhow!("cannot queue a record for {topic}: {e}"))?;
    producer
        .flush(timeout)
        .with_context(|| format!("record for {topic} not acknowledged within {timeout:?}"))?;
    let result = producer
        .context()
        .result
        .lock()
        .map_err(|_| anyhow!("delivery report lock poisoned"))?
        .take();
    match result {
        Some(Ok(at)) => Ok(at),
        Some(Err(e)) => bail!("record for {topic} was not delivered: {e}"),
        None => bail!("no delivery report for the record sent to {topic}"),
    }
}

/// Watches how far consumer group `group` is behind on `topic`: the sum over partitions of the
/// high watermark minus the group's committed offset (a partition with no commit counts from 0).
/// The watcher never joins the group, so it does not disturb its members.
pub struct LagWatcher {
    consumer: BaseConsumer,
    topic: String,
    partitions: Vec<i32>,
}

impl LagWatcher {
    pub fn new(brokers: &str, group: &str, topic: &str) -> Result<LagWatcher> {
        let mut cfg = reader_config(brokers);
        cfg.set("group.id", group);
        let consumer: BaseConsumer = cfg.create().context("cannot create a Kafka consumer")?;
        let partitions = partitions(&consumer, topic)?;
        Ok(LagWatcher {
            consumer,
            topic: topic.to_string(),
            partitions,
        })
    }

    /// Records the group has not committed yet.
    pub fn lag(&self) -> Result<i64> {
        let mut tpl = TopicPartitionList::new();
        for &p in &self.partitions {
            tpl.add_partition(&self.topic, p);
        }
        let committed = self
            .consumer
            .committed_offsets(tpl, REQUEST_TIMEOUT)
            .with_context(|| format!("cannot read the committed offsets on {}", self.topic))?;
        let mut lag = 0;
        for &p in &self.partitions {
            let (_, high) = self
                .consumer
                .fetch_watermarks(&self.topic, p, REQUEST_TIMEOUT)
                .with_context(|| format!("cannot read the watermarks of {}/{p}", self.topic))?;
            let done = match committed.find_partition(&self.topic, p).map(|e| e.offset()) {
                Some(Offset::Offset(o)) => o,
                _ => 0,
            };
            lag += (high - done).max(0);
        }
        Ok(lag)
    }
}
