//! The in-memory bus behind `eventwire run` and the tests: topics with offsets and bounded
//! per-subscriber queues, and a runner that drives a [`Stage`] from it with the same semantics as
//! the Kafka transport. Delivery guarantee: every record published is handed, in order, to every
//! subscriber registered before it was published; `publish` waits while a subscriber's queue is
//! full (backpressure), so memory stays bounded. One partition per topic.
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use futures::StreamExt;
use tokio::sync::{mpsc, Mutex};
use tokio_util::sync::CancellationToken;

use crate::process::{Outcome, Processor};
use crate::publish::Publisher;
use crate::{InputRecord, OutputRecord, RuntimeError};

#[derive(Default)]
struct Topic {
    subscribers: Vec<mpsc::Sender<Arc<InputRecord>>>,
    next_offset: i64,
    closed: bool,
}

/// Topics by name. Subscribe first, then publish; close a topic to end its subscribers' streams.
pub struct MemoryBus {
    capacity: usize,
    topics: std::sync::Mutex<HashMap<String, Arc<Mutex<Topic>>>>,
}

/// A subscription: records of one topic, in offset order, ending when the topic is closed.
pub type Subscription = mpsc::Receiver<Arc<InputRecord>>;

impl MemoryBus {
    /// A bus whose subscriber queues hold at most `capacity` records each.
    pub fn new(capacity: usize) -> Arc<Self> {
        Arc::new(MemoryBus {
            capacity: capacity.max(1),
            topics: std::sync::Mutex::new(HashMap::new()),
        })
    }

    fn topic(&self, name: &str) -> Arc<Mutex<Topic>> {
        let mut map = match self.topics.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        Arc::clone(map.entry(name.to_string()).or_default())
    }

    /// Registers a subscriber; it sees every record published from now on.
    pub async fn subscribe(&self, topic: &str) -> Subscription {
        let (tx, rx) = mpsc::channel(self.capacity);
        let t = self.topic(topic);
        let mut t = t.lock().await;
        if !t.closed {
            t.subscribers.push(tx);
        }
        rx
    }

    /// Publishes one record; returns its offset once every subscriber has it queued.
    pub async fn send(&self, out: OutputRecord) -> Result<i64, RuntimeError> {
        let topic = self.topic(&out.topic);
        // Holding the topic lock across the sends keeps offsets and delivery order identical.
        let mut t = topic.lock().await;
        if t.closed {
            return Err(RuntimeError::Bus(format!(
                "publish to closed topic {}",
                out.topic
            )));
        }
        let offset = t.next_offset;
        t.next_offset += 1;
        let rec = Arc::new(InputRecord {
            topic: out.topic,
            partition: 0,
            offset,
            timestamp_ms: Some(chrono::Utc::now().timestamp_millis()),
            key: out.key,
            payload: out.payload,
            headers: out.headers,
        });
        // A subscriber that went away no longer counts; the others still get the record.
        let mut alive = Vec::with_capacity(t.subscribers.len());
        for s in t.subscribers.drain(..) {
            if s.send(Arc::clone(&rec)).await.is_ok() {
                alive.push(s);
            }
        }
        t.subscribers = alive;
        Ok(offset)
    }

    /// Closes a topic: its subscribers' streams end after the records already queued.
    pub async fn close(&self, topic: &str) {
        let t = self.topic(topic);
        let mut t = t.lock().await;
        t.closed = true;
        t.subscribers.clear();
    }
}

#[async_trait]
impl Publisher for MemoryBus {
    async fn publish(&self, record: OutputRecord) -> Result<(), RuntimeError> {
        self.send(record).await.map(|_| ())
    }

    async fn flush(&self, _timeout: Duration) -> Result<(), RuntimeError> {
        Ok(())
    }
}

/// Counts from one stage's run on the bus.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct RunCounts {
    pub records_in: u64,
    pub records_out: u64,
    pub dead_letters: u64,
}

/// Drives `processor`'s stage from `input` until the subscription ends (or `cancel`), up to
/// `concurrency` records at once with outputs published in input order; closes the stage's
/// output topics and its dead-letter topic at the end so downstream stages finish too.
pub async fn run_stage(
    processor: Arc<Processor>,
    bus: Arc<MemoryBus>,
    input_topic: &str,
    input: Subscription,
    concurrency: usize,
    cancel: CancellationToken,
) -> Result<RunCounts, RuntimeError> {
    let mut counts = RunCounts::default();
    let outputs = processor.stage().output_topics();
    let dlq = eventwire_schema::topics::dlq_for(input_topic);
    let metrics = processor.metrics().clone();
    let stream =
        futures::stream::unfold(
            input,
            |mut rx| async move { rx.recv().await.map(|r| (r, rx)) },
        )
        .map(|rec| {
            let p = Arc::clone(&processor);
            let c = cancel.clone();
            metrics.in_flight.inc();
            async move { p.handle(rec, &c).await }
        })
        .buffered(concurrency.max(1));
    futures::pin_mut!(stream);
    let mut result = Ok(());
    while let Some(outcome) = stream.next().await {
        metrics.in_flight.dec();
        counts.records_in += 1;
        let records = match outcome {
            Ok(Outcome::Emit(outs)) => outs,
            Ok(Outcome::DeadLetter(d)) => {
                counts.dead_letters += 1;
                vec![d]
            }
            Ok(Outcome::Abandoned) => continue,
            Err(e) => {
                result = Err(e);
                break;
            }
        };
        for out in records {
            let shown = out.clone();
            if let Err(e) = bus.send(out).await {
                result = Err(e);
                break;
            }
            counts.records_out += 1;
            processor.acknowledged(&shown, input_topic);
        }
        if result.is_err() {
            break;
        }
        metrics.mark_processed();
    }
    for t in outputs.iter().chain(std::iter::once(&dlq)) {
        bus.close(t).await;
    }
    result.map(|_| counts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::breaker::BreakerConfig;
    use crate::metrics::Metrics;
    use crate::process::RetryPolicy;
    use crate::{Stage, StageError};

    struct Echo;
    #[async_trait]
    impl Stage for Echo {
        fn name(&self) -> &'static str {
            "echo"
        }
        fn output_topics(&self) -> Vec<String> {
            vec!["out".into()]
        }
        async fn process(&self, r: Arc<InputRecord>) -> Result<Vec<OutputRecord>, StageError> {
            if r.payload.starts_with(b"bad") {
                return Err(StageError::bad("decode_error", "bad payload"));
            }
            // Finish out of order to prove outputs keep input order.
            let n: u64 = std::str::from_utf8(&r.payload).unwrap().parse().unwrap();
            tokio::time::sleep(Duration::from_millis((10 - n % 10) * 2)).await;
            Ok(vec![OutputRecord::new(
                "out",
                r.payload.clone(),
                r.payload.clone(),
            )])
        }
    }

    #[tokio::test]
    async fn stage_on_bus_keeps_order_and_dead_letters() {
        let bus = MemoryBus::new(4);
        let input = bus.subscribe("in").await;
        let mut out = bus.subscribe("out").await;
        let mut dlq = bus.subscribe("in.dlq").await;
        let p = Arc::new(Processor::new(
            Arc::new(Echo),
            "svc",
            Metrics::new("svc"),
            RetryPolicy::default(),
            BreakerConfig::default(),
            1 << 20,
        ));
        let runner = tokio::spawn(run_stage(
            p,
            Arc::clone(&bus),
            "in",
            input,
            4,
            CancellationToken::new(),
        ));
        let producer = {
            let bus = Arc::clone(&bus);
            tokio::spawn(async move {
                for i in 0..30u32 {
                    let payload = if i == 7 {
                        b"bad".to_vec()
                    } else {
                        i.to_string().into_bytes()
                    };
                    bus.send(OutputRecord::new("in", "k", payload))
                        .await
                        .unwrap();
                }
                bus.close("in").await;
            })
        };
        let mut seen = Vec::new();
        while let Some(r) = out.recv().await {
            seen.push(
                String::from_utf8(r.payload.clone())
                    .unwrap()
                    .parse::<u32>()
                    .unwrap(),
            );
        }
        producer.await.unwrap();
        let counts = runner.await.unwrap().unwrap();
        let expected: Vec<u32> = (0..30).filter(|i| *i != 7).collect();
        assert_eq!(seen, expected);
        let d = dlq.recv().await.unwrap();
        assert_eq!(d.payload, b"bad");
        assert!(dlq.recv().await.is_none(), "dlq topic closed at the end");
        assert_eq!(
            counts,
            RunCounts {
                records_in: 30,
                records_out: 30,
                dead_letters: 1
            }
        );
    }

    #[tokio::test]
    async fn publishing_to_a_closed_topic_fails() {
        let bus = MemoryBus::new(1);
        bus.close("t").await;
        assert!(bus.send(OutputRecord::new("t", "k", vec![])).await.is_err());
    }
}
