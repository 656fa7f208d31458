//! The Kafka transport (rdkafka, bundled librdkafka).
//!
//! Delivery guarantee: **at-least-once with per-partition order**. Auto-commit and automatic
//! offset storing are off. A record's offset is stored only after every output it produced (or
//! its dead letter) has been acknowledged by the broker, and offsets are stored in offset order
//! per partition, so a commit only ever covers the contiguous processed prefix; stored offsets are
//! committed on a timer, on partition revoke and on shutdown. A crash therefore redelivers at most
//! what was processed since the last commit, and never loses a record. The producer is
//! idempotent (no duplicates from producer retries); redelivered records reproduce the same
//! output keys, so downstream overwrites rather than duplicates. Transactions are not used.
//!
//! Shape: one receive loop keeps the consumer polled and hands records to one worker per
//! partition; a worker processes up to `concurrency` records at once (CPU work runs off the
//! reactor inside the stage), enqueues outputs in input order, awaits acknowledgements and stores
//! offsets in order. A global semaphore bounds records in flight; when it is exhausted the loop
//! stops fetching until work completes.
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use futures::StreamExt;
use rdkafka::client::ClientContext;
use rdkafka::config::ClientConfig;
use rdkafka::consumer::{
    BaseConsumer, CommitMode, Consumer, ConsumerContext, Rebalance, StreamConsumer,
};
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::message::{Header, Headers as _, Message, OwnedHeaders};
use rdkafka::producer::{DeliveryFuture, FutureProducer, FutureRecord, Producer};
use rdkafka::statistics::Statistics;
use rdkafka::topic_partition_list::TopicPartitionList;
use tokio::sync::{mpsc, OwnedSemaphorePermit, Semaphore};
use tokio_util::sync::CancellationToken;

use crate::config::{KafkaArgs, StageSettings, DEFAULT_SESSION_TIMEOUT_SECS};
use crate::health::Health;
use crate::metrics::Metrics;
use crate::process::{Outcome, Processor, RetryPolicy};
use crate::publish::Publisher;
use crate::telemetry::RateLimiter;
use crate::{Headers, InputRecord, OutputRecord, RuntimeError};

/// How long the receive loop waits for a broker answer to metadata at start before retrying.
const METADATA_TIMEOUT: Duration = Duration::from_secs(10);

/// Shared between the receive loop, the partition workers and librdkafka's callbacks.
struct Shared {
    metrics: Metrics,
    health: Arc<Health>,
    workers: Mutex<HashMap<i32, WorkerHandle>>,
    drain_timeout: Duration,
    /// Cancelled when librdkafka reports a fatal error: the service must stop.
    fatal: CancellationToken,
    fatal_reason: Mutex<Option<String>>,
    /// Client errors repeat for as long as a broker is down (hundreds a second): log a few per
    /// period and the count of the rest; the metric still counts every one.
    client_log: RateLimiter,
}

/// Client error lines logged per [`CLIENT_LOG_PERIOD`].
const CLIENT_LOG_BURST: u32 = 5;
const CLIENT_LOG_PERIOD: Duration = Duration::from_secs(10);

impl Shared {
    fn fail(&self, reason: String) {
        tracing::error!(%reason, "fatal Kafka client error");
        if let Ok(mut r) = self.fatal_reason.lock() {
            r.get_or_insert(reason);
        }
        self.fatal.cancel();
    }

    fn workers(&self) -> std::sync::MutexGuard<'_, HashMap<i32, WorkerHandle>> {
        match self.workers.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        }
    }

    fn client_error(&self, error: &KafkaError, reason: &str) {
        let code = error
            .rdkafka_error_code()
            .map(|c| format!("{c:?}"))
            .unwrap_or_else(|| "other".to_string());
        self.metrics
            .client_errors
            .with_label_values(&[&code.to_lowercase()])
            .inc();
        if error.rdkafka_error_code() == Some(RDKafkaErrorCode::Fatal) {
            self.fail(format!("{error}: {reason}"));
        } else if self.client_log.allow() {
            tracing::warn!(%error, %reason, "kafka client error (librdkafka retries on its own)");
        }
    }
}

struct WorkerHandle {
    tx: mpsc::Sender<Work>,
    revoked: CancellationToken,
    pending: Arc<AtomicUsize>,
}

struct Work {
    record: Arc<InputRecord>,
    _permit: OwnedSemaphorePermit,
}

/// librdkafka callbacks for the consumer: statistics to metrics, rebalance drain and commit.
pub struct ConsumerCtx {
    shared: Arc<Shared>,
}

impl ClientContext for ConsumerCtx {
    fn stats(&self, stats: Statistics) {
        for (topic, t) in &stats.topics {
            for (partition, p) in &t.partitions {
                if *partition >= 0 && p.consumer_lag >= 0 {
                    self.shared
                        .metrics
                        .consumer_lag
                        .with_label_values(&[topic.as_str(), &partition.to_string()])
                        .set(p.consumer_lag);
                }
            }
        }
    }

    fn error(&self, error: KafkaError, reason: &str) {
        self.shared.client_error(&error, reason);
    }
}

impl ConsumerContext for ConsumerCtx {
    fn pre_rebalance(&self, consumer: &BaseConsumer<Self>, rebalance: &Rebalance<'_>) {
        match rebalance {
            Rebalance::Revoke(tpl) => {
                let lost = consumer.assignment_lost();
                self.shared
                    .metrics
                    .rebalances
                    .with_label_values(&[if lost { "lost" } else { "revoke" }])
                    .inc();
                let handles: Vec<WorkerHandle> = {
                    let mut w = self.shared.workers();
                    tpl.elements()
                        .iter()
                        .filter_map(|e| w.remove(&e.partition()))
                        .collect()
                };
                for h in &handles {
                    h.revoked.cancel();
                }
                if lost {
                    // Another member owns these partitions now; committing would be refused.
                    return;
                }
                // Drain: let records already being processed finish and store their offsets,
                // then commit, so the next owner starts right after them.
                let deadline = Instant::now() + self.shared.drain_timeout;
                let wait = || {
                    while handles
                        .iter()
                        .any(|h| h.pending.load(Ordering::Acquire) > 0)
                        && Instant::now() < deadline
                    {
                        std::thread::sleep(Duration::from_millis(5));
                    }
                };
                block_briefly(wait);
                commit_sync(consumer, "revoke");
            }
            Rebalance::Assign(_) => {}
            Rebalance::Error(e) => tracing::warn!(error = %e, "rebalance error"),
        }
    }

    fn post_rebalance(&self, consumer: &BaseConsumer<Self>, rebalance: &Rebalance<'_>) {
        if let Rebalance::Assign(tpl) = rebalance {
            self.shared
                .metrics
                .rebalances
                .with_label_values(&["assign"])
                .inc();
            tracing::info!(partitions = tpl.count(), "partitions assigned");
            self.shared.health.set_assigned(true);
        }
        let n = consumer.assignment().map(|a| a.count()).unwrap_or(0);
        self.shared
            .metrics
            .assigned_partitions
            .set(i64::try_from(n).unwrap_or(i64::MAX));
    }

    fn commit_callback(
        &self,
        result: rdkafka::error::KafkaResult<()>,
        _offsets: &TopicPartitionList,
    ) {
        if let Err(e) = result {
            if e.rdkafka_error_code() != Some(RDKafkaErrorCode::NoOffset) {
                tracing::warn!(error = %e, "offset commit failed; the next commit retries");
            }
        }
    }
}

/// Runs `f` (which blocks) without starving other tasks on this tokio worker thread.
fn block_briefly(f: impl FnOnce()) {
    match tokio::runtime::Handle::try_current() {
        Ok(h) if h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(f)
        }
        _ => f(),
    }
}

fn commit_sync<C: ConsumerContext>(consumer: &BaseConsumer<C>, why: &str) {
    match consumer.commit_consumer_state(CommitMode::Sync) {
        Ok(()) => tracing::debug!(why, "offsets committed"),
        Err(e) if e.rdkafka_error_code() == Some(RDKafkaErrorCode::NoOffset) => {}
        Err(e) => tracing::warn!(why, error = %e, "offset commit failed"),
    }
}

/// librdkafka callbacks for the producer: queue depth and fatal errors.
pub struct ProducerCtx {
    shared: Arc<Shared>,
}

impl ClientContext for ProducerCtx {
    fn stats(&self, stats: Statistics) {
        self.shared
            .metrics
            .producer_queue
            .set(i64::try_from(stats.msg_cnt).unwrap_or(i64::MAX));
    }

    fn error(&self, error: KafkaError, reason: &str) {
        self.shared.client_error(&error, reason);
    }
}

/// The librdkafka settings every eventwire client starts from: the brokers, then the
/// The consumers' `fetch.wait.max.ms` unless set with `-X`.
pub const DEFAULT_FETCH_WAIT_MS: u32 = 50;

/// Why a topic could not be opened for reading back.
#[derive(Debug, thiserror::Error)]
pub enum ReplayError {
    #[error("kafka configuration: {0}")]
    Config(String),
    #[error("kafka: {0}")]
    Kafka(#[from] KafkaError),
    #[error("topic {0} has no partitions")]
    NoPartitions(String),
}

/// How long a read-back consumer waits for metadata and watermarks.
pub const REPLAY_BROKER_TIMEOUT: Duration = Duration::from_secs(10);

/// A consumer for reading `topic` (physical name) back at start, to rebuild a service's state
/// from it (the cleaner's duplicate index, ingest's seen-set): it joins no group and commits
/// nothing (group `eventwire-NAME-rebuild`, client `eventwire-NAME`), with the end offset of
/// each partition now. The caller assigns the partitions from where it wants to read.
pub fn replay_consumer(
    kafka: &KafkaArgs,
    topic: &str,
    name: &str,
) -> Result<(BaseConsumer, HashMap<i32, i64>), ReplayError> {
    let mut cfg = client_config(kafka).map_err(|e| ReplayError::Config(e.to_string()))?;
    cfg.set("group.id", format!("eventwire-{name}-rebuild"))
        .set("enable.auto.commit", "false")
        .set("enable.auto.offset.store", "false")
        .set("auto.offset.reset", "earliest")
        .set("client.id", format!("eventwire-{name}"));
    let consumer: BaseConsumer = cfg.create()?;
    let md = consumer.fetch_metadata(Some(topic), REPLAY_BROKER_TIMEOUT)?;
    let partitions: Vec<i32> = md
        .topics()
        .iter()
        .filter(|t| t.name() == topic)
        .flat_map(|t| t.partitions().iter().map(|p| p.id()))
        .collect();
    if partitions.is_empty() {
        return Err(ReplayError::NoPartitions(topic.to_string()));
    }
    let mut ends = HashMap::new();
    for p in partitions {
        let (_, high) = consumer.fetch_watermarks(topic, p, REPLAY_BROKER_TIMEOUT)?;
        ends.insert(p, high);
    }
    Ok((consumer, ends))
}

/// `-X key=value` pass-through options (validated by [`KafkaArgs::options`]). Clients add their
/// own settings on top (group, offsets, client id).
pub fn client_config(kafka: &KafkaArgs) -> Result<ClientConfig, RuntimeError> {
    let opts = kafka.options()?;
    let mut c = ClientConfig::new();
    c.set("bootstrap.servers", &kafka.brokers);
    for (k, v) in opts {
        c.set(k, v);
    }
    Ok(c)
}

/// [`client_config`] with statistics every 5 s (unless set with `-X`), for the clients whose
/// context turns them into metrics.
fn base_config(kafka: &KafkaArgs) -> Result<ClientConfig, RuntimeError> {
    let mut c = client_config(kafka)?;
    if c.get("statistics.interval.ms").is_none() {
        c.set("statistics.interval.ms", "5000");
    }
    Ok(c)
}

fn producer_config(kafka: &KafkaArgs, client_id: &str) -> Result<ClientConfig, RuntimeError> {
    let mut c = base_config(kafka)?;
    // Defaults a user may override; idempotence is not optional.
    for (k, v) in [
        ("client.id", client_id),
        ("linger.ms", "5"),
        ("compression.type", "zstd"),
        ("message.timeout.ms", "300000"),
    ] {
        if c.get(k).is_none() {
            c.set(k, v);
        }
    }
    c.set("enable.idempotence", "true").set("acks", "all");
    Ok(c)
}

fn build_producer(
    kafka: &KafkaArgs,
    client_id: &str,
    shared: &Arc<Shared>,
) -> Result<FutureProducer<ProducerCtx>, RuntimeError> {
    producer_config(kafka, client_id)?
        .create_with_context(ProducerCtx {
            shared: Arc::clone(shared),
        })
        .map_err(|e| RuntimeError::Config(format!("cannot create Kafka producer: {e}")))
}

fn to_input(msg: &rdkafka::message::BorrowedMessage<'_>) -> InputRecord {
    let mut headers = Headers::new();
    if let Some(h) = msg.headers() {
        for Header { key, value } in h.iter() {
            headers
                .0
                .push((key.to_string(), value.unwrap_or_default().to_vec()));
        }
    }
    InputRecord {
        topic: msg.topic().to_string(),
        partition: msg.partition(),
        offset: msg.offset(),
        timestamp_ms: msg.timestamp().to_millis(),
        key: msg.key().map(<[u8]>::to_vec),
        payload: msg.payload().unwrap_or_default().to_vec(),
        headers,
    }
}

fn owned_headers(h: &Headers) -> OwnedHeaders {
    let mut out = OwnedHeaders::new_with_capacity(h.len());
    for (k, v) in h.iter() {
        out = out.insert(Header {
            key: k,
            value: Some(v),
        });
    }
    out
}

/// Enqueues one record, waiting (with backoff) while the producer queue is full or the broker is
/// unavailable. Returns None only on cancellation.
async fn enqueue<C: ClientContext + 'static>(
    producer: &FutureProducer<C>,
    out: &OutputRecord,
    retry: &RetryPolicy,
    metrics: &Metrics,
    cancel: &CancellationToken,
) -> Option<DeliveryFuture> {
    let mut attempt = 0;
    loop {
        let headers = owned_headers(&out.headers);
        let mut rec = FutureRecord::to(&out.topic)
            .payload(&out.payload)
            .headers(headers);
        if let Some(k) = &out.key {
            rec = rec.key(k);
        }
        match producer.send_result(rec) {
            Ok(f) => return Some(f),
            Err((e, _)) => {
                attempt += 1;
                metrics.retries.with_label_values(&["produce"]).inc();
                if attempt == 1 || attempt % 50 == 0 {
                    tracing::warn!(error = %e, topic = %out.topic, "cannot enqueue; retrying");
                }
                let pause = if e.rdkafka_error_code() == Some(RDKafkaErrorCode::QueueFull) {
                    Duration::from_millis(10)
                } else {
                    retry.delay(attempt)
                };
                tokio::select! {
                    _ = cancel.cancelled() => return None,
                    _ = tokio::time::sleep(pause) => {}
                }
            }
        }
    }
}

/// Awaits acknowledgement of every record, re-sending any whose delivery failed. Returns false
/// when cancelled before everything was acknowledged.
async fn await_acks<C: ClientContext + 'static>(
    producer: &FutureProducer<C>,
    mut pending: Vec<(OutputRecord, DeliveryFuture)>,
    retry: &RetryPolicy,
    metrics: &Metrics,
    cancel: &CancellationToken,
) -> Result<Vec<OutputRecord>, ()> {
    let mut done = Vec::with_capacity(pending.len());
    let mut attempt = 0;
    while !pending.is_empty() {
        let mut failed = Vec::new();
        for (out, fut) in pending.drain(..) {
            let res = tokio::select! {
                _ = cancel.cancelled() => return Err(()),
                r = fut => r,
            };
            match res {
                Ok(Ok(_)) => done.push(out),
                Ok(Err((e, _))) => {
                    tracing::warn!(error = %e, topic = %out.topic, "delivery failed; re-sending");
                    failed.push(out);
                }
                Err(_canceled) => failed.push(out),
            }
        }
        if failed.is_empty() {
            break;
        }
        attempt += 1;
        metrics.retries.with_label_values(&["deliver"]).inc();
        tokio::select! {
            _ = cancel.cancelled() => return Err(()),
            _ = tokio::time::sleep(retry.delay(attempt)) => {}
        }
        for out in failed {
            match enqueue(producer, &out, retry, metrics, cancel).await {
                Some(f) => pending.push((out, f)),
                None => return Err(()),
            }
        }
    }
    Ok(done)
}

/// Everything a partition worker needs.
struct WorkerEnv {
    processor: Arc<Processor>,
    producer: FutureProducer<ProducerCtx>,
    consumer: Arc<StreamConsumer<ConsumerCtx>>,
    kafka: KafkaArgs,
    settings: StageSettings,
    shared: Arc<Shared>,
    /// Cancelled when processing must stop without finishing (drain deadline passed).
    abort: CancellationToken,
}

// long: one stream pipeline per partition (filter revoked, process with retries, publish, store the
// offset) whose closures share the worker's counters and tokens.
async fn partition_worker(
    env: Arc<WorkerEnv>,
    rx: mpsc::Receiver<Work>,
    revoked: CancellationToken,
    pending: Arc<AtomicUsize>,
) {
    let stalled = Arc::new(AtomicBool::new(false));
    let metrics = env.processor.metrics().clone();
    let finish = |p: &AtomicUsize| {
        p.fetch_sub(1, Ordering::AcqRel);
        metrics.in_flight.dec();
    };
    let input =
        futures::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|w| (w, rx)) });
    let processed = input
        .filter_map(|w| {
            // Records queued for a partition we no longer own are left for its next owner.
            let keep = !revoked.is_cancelled();
            if !keep {
                finish(&pending);
            }
            async move { keep.then_some(w) }
        })
        .map(|w| {
            let env = Arc::clone(&env);
            async move {
                let outcome = env
                    .processor
                    .handle(Arc::clone(&w.record), &env.abort)
                    .await;
                (w, outcome)
            }
        })
        .buffered(env.settings.concurrency)
        // Enqueue one record's outputs at a time so output order follows input order.
        .then(|(w, outcome)| {
            let env = Arc::clone(&env);
            async move {
                let records = match outcome {
                    Ok(Outcome::Emit(outs)) => outs
                        .into_iter()
                        .map(|mut o| {
                            o.topic = env.kafka.topic(&o.topic);
                            o
                        })
                        .collect(),
                    Ok(Outcome::DeadLetter(d)) => vec![d],
                    Ok(Outcome::Abandoned) => return (w, Err(None)),
                    Err(e) => return (w, Err(Some(e))),
                };
                let mut futs = Vec::with_capacity(records.len());
                for r in records {
                    match enqueue(
                        &env.producer,
                        &r,
                        &env.settings.retry,
                        env.processor.metrics(),
                        &env.abort,
                    )
                    .await
                    {
                        Some(f) => futs.push((r, f)),
                        None => return (w, Err(None)),
                    }
                }
                (w, Ok(futs))
            }
        })
        .map(|(w, enq)| {
            let env = Arc::clone(&env);
            async move {
                match enq {
                    Ok(futs) => {
                        let acked = await_acks(
                            &env.producer,
                            futs,
                            &env.settings.retry,
                            env.processor.metrics(),
                            &env.abort,
                        )
                        .await;
                        (w, acked.map_err(|_| None))
                    }
                    Err(e) => (w, Err(e)),
                }
            }
        })
        // Waiting for acknowledgements costs no CPU: allow the whole in-flight bound, or the
        // producer's linger time caps each partition at a few records per batch.
        .buffered(env.settings.max_in_flight.max(1));
    futures::pin_mut!(processed);
    while let Some((w, result)) = processed.next().await {
        let r = &w.record;
        match result {
            Ok(acked) => {
                for out in &acked {
                    env.processor.acknowledged(out, &r.topic);
                }
                metrics.mark_processed();
                // Offsets advance only over a contiguous processed prefix: once a record of this
                // partition could not be finished, later ones must not be stored either.
                if !stalled.load(Ordering::Acquire) {
                    if let Err(e) = env.consumer.store_offset(&r.topic, r.partition, r.offset) {
                        tracing::debug!(error = %e, partition = r.partition, "offset not stored (partition revoked?)");
                    }
                }
            }
            Err(None) => stalled.store(true, Ordering::Release),
            Err(Some(e)) => {
                stalled.store(true, Ordering::Release);
                env.shared.fail(e.to_string());
            }
        }
        finish(&pending);
    }
}

/// Runs one stage on Kafka until `shutdown` (or a fatal error), then shuts down gracefully:
/// stop fetching, drain in-flight work, flush the producer, commit, leave the group.
// long: the stage's life in order (set up, dispatch, drain, close), each step a function of
// its own; what remains is the wiring of the shared handles between them.
pub async fn run_stage(
    processor: Arc<Processor>,
    kafka: KafkaArgs,
    settings: StageSettings,
    input_topic: &str,
    health: Arc<Health>,
    shutdown: CancellationToken,
) -> Result<(), RuntimeError> {
    let service = processor.service().to_string();
    let metrics = processor.metrics().clone();
    let shared = Arc::new(Shared {
        metrics: metrics.clone(),
        health: Arc::clone(&health),
        workers: Mutex::new(HashMap::new()),
        drain_timeout: settings.shutdown_timeout,
        fatal: CancellationToken::new(),
        fatal_reason: Mutex::new(None),
        client_log: RateLimiter::new(CLIENT_LOG_BURST, CLIENT_LOG_PERIOD),
    });
    let input = kafka.topic(input_topic);
    let producer = build_producer(&kafka, &format!("eventwire-{service}"), &shared)?;
    let consumer = build_consumer(&kafka, &service, &settings.group, &shared)?;

    // Topics must exist: a typo should stop the service at start, not dead-letter silently.
    let needed = stage_topics(&processor, &kafka, &input);
    if !wait_for_topics(&producer, &needed, &shutdown).await? {
        return Ok(());
    }
    health.set_producer_connected(true);

    consumer
        .subscribe(&[&input])
        .map_err(|e| RuntimeError::Kafka(format!("cannot subscribe to {input}: {e}")))?;
    tracing::info!(%input, group = %settings.group, "consuming");

    let abort = CancellationToken::new();
    let env = Arc::new(WorkerEnv {
        processor: Arc::clone(&processor),
        producer: producer.clone(),
        consumer: Arc::clone(&consumer),
        kafka: kafka.clone(),
        settings: settings.clone(),
        shared: Arc::clone(&shared),
        abort: abort.clone(),
    });

    let committer = spawn_committer(
        Arc::clone(&consumer),
        shutdown.clone(),
        settings.commit_interval,
    );
    // If this future is dropped (an abort, not a graceful stop), end the helpers too, so the
    // consumer is closed and leaves the group rather than lingering in a reference cycle.
    let _guard = StopGuard {
        shared: Arc::clone(&shared),
        abort: abort.clone(),
        committer: committer.abort_handle(),
    };

    let (tasks, failure) = dispatch_records(&env, &shutdown).await;

    // Graceful stop: no more fetching; let workers finish what they hold, within the deadline.
    tracing::info!("stopping: draining in-flight records");
    let deadline = Instant::now() + settings.shutdown_timeout;
    shared.workers().clear();
    let drain = futures::future::join_all(tasks);
    if tokio::time::timeout(settings.shutdown_timeout, drain)
        .await
        .is_err()
    {
        tracing::warn!(
            "drain deadline passed; abandoning unfinished records (they will be redelivered)"
        );
        abort.cancel();
    }
    committer.abort();
    let remaining = deadline
        .saturating_duration_since(Instant::now())
        .max(Duration::from_secs(1));
    flush_and_commit(producer.clone(), Arc::clone(&consumer), remaining).await;
    health.set_assigned(false);
    drop(env);
    drop(consumer);
    tracing::info!("stopped; left the consumer group");

    if let Some(f) = failure {
        return Err(f);
    }
    let reason = shared.fatal_reason.lock().ok().and_then(|r| r.clone());
    match reason {
        Some(r) => {
            health.set_failed();
            Err(RuntimeError::Fatal {
                stage: processor.stage().name().to_string(),
                message: r,
            })
        }
        None => Ok(()),
    }
}

/// Reads records and hands each to its partition's worker, one permit of `max_in_flight`
/// each, until `shutdown`, a fatal processing error or a fatal consume error; returns the
/// worker tasks and the consume error, if that was the end.
async fn dispatch_records(
    env: &Arc<WorkerEnv>,
    shutdown: &CancellationToken,
) -> (Vec<tokio::task::JoinHandle<()>>, Option<RuntimeError>) {
    let (shared, consumer) = (&env.shared, &env.consumer);
    let permits = Arc::new(Semaphore::new(env.settings.max_in_flight));
    let mut tasks = Vec::new();
    let mut failure: Option<RuntimeError> = None;
    loop {
        let permit = tokio::select! {
            _ = shutdown.cancelled() => break,
            _ = shared.fatal.cancelled() => break,
            p = Arc::clone(&permits).acquire_owned() => match p {
                Ok(p) => p,
                Err(_) => break,
            },
        };
        let msg = tokio::select! {
            _ = shutdown.cancelled() => break,
            _ = shared.fatal.cancelled() => break,
            m = consumer.recv() => m,
        };
        let record = match msg {
            Ok(m) => Arc::new(to_input(&m)),
            Err(e) => {
                shared.client_error(&e, "consume");
                if matches!(e, KafkaError::MessageConsumptionFatal(_)) {
                    failure = Some(RuntimeError::Kafka(e.to_string()));
                    break;
                }
                continue;
            }
        };
        let partition = record.partition;
        let tx = worker_for(env, partition, &mut tasks);
        if tx
            .send(Work {
                record,
                _permit: permit,
            })
            .await
            .is_err()
        {
            tracing::debug!(
                partition,
                "worker gone (partition revoked); record left for its next owner"
            );
        }
        tasks.retain(|t| !t.is_finished());
    }
    (tasks, failure)
}

/// The stage's consumer: the base config, the service's client id, reading from the earliest
/// offset and the default session timeout unless configured, in `group`, committing offsets
/// itself (after the outputs are acknowledged).
fn build_consumer(
    kafka: &KafkaArgs,
    service: &str,
    group: &str,
    shared: &Arc<Shared>,
) -> Result<Arc<StreamConsumer<ConsumerCtx>>, RuntimeError> {
    let mut cc = base_config(kafka)?;
    for (k, v) in [
        ("client.id", format!("eventwire-{service}")),
        ("auto.offset.reset", "earliest".to_string()),
        (
            "session.timeout.ms",
            (DEFAULT_SESSION_TIMEOUT_SECS * 1000).to_string(),
        ),
        // A broker that does not answer a waiting fetch as soon as data arrives (Tansu does
        // not) holds every record up to this long at every hop; librdkafka's 500 ms made the
        // pipeline's p50 ~0.8 s at 200 articles/s (50 ms: 0.18 s; docs/load.md). Kafka answers
        // at once either way; the cost is an empty fetch per 50 ms per idle broker connection.
        ("fetch.wait.max.ms", DEFAULT_FETCH_WAIT_MS.to_string()),
    ] {
        if cc.get(k).is_none() {
            cc.set(k, v);
        }
    }
    cc.set("group.id", group)
        .set("enable.auto.commit", "false")
        .set("enable.auto.offset.store", "false");
    let consumer = cc
        .create_with_context(ConsumerCtx {
            shared: Arc::clone(shared),
        })
        .map_err(|e| RuntimeError::Config(format!("cannot create Kafka consumer: {e}")))?;
    Ok(Arc::new(consumer))
}

/// Every topic the stage reads or writes: its outputs, its input and the input's dead-letter
/// topic.
fn stage_topics(processor: &Processor, kafka: &KafkaArgs, input: &str) -> Vec<String> {
    let mut needed: Vec<String> = processor
        .stage()
        .output_topics()
        .iter()
        .map(|t| kafka.topic(t))
        .collect();
    needed.push(input.to_string());
    needed.push(eventwire_schema::topics::dlq_for(input));
    needed
}

/// Commits the stored offsets every `every` until `stop`.
fn spawn_committer(
    consumer: Arc<StreamConsumer<ConsumerCtx>>,
    stop: CancellationToken,
    every: Duration,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        loop {
            tokio::select! {
                _ = stop.cancelled() => break,
                _ = tick.tick() => {
                    if let Err(e) = consumer.commit_consumer_state(CommitMode::Async) {
                        if e.rdkafka_error_code() != Some(RDKafkaErrorCode::NoOffset) {
                            tracing::warn!(error = %e, "offset commit failed");
                        }
                    }
                }
            }
        }
    })
}

/// The channel to the worker of `partition`, started (and its task added to `tasks`) if the
/// partition has none; the record about to be sent counts as pending and in flight.
fn worker_for(
    env: &Arc<WorkerEnv>,
    partition: i32,
    tasks: &mut Vec<tokio::task::JoinHandle<()>>,
) -> mpsc::Sender<Work> {
    let shared = &env.shared;
    let mut workers = shared.workers();
    let h = workers.entry(partition).or_insert_with(|| {
        let (tx, rx) = mpsc::channel(env.settings.max_in_flight);
        let revoked = CancellationToken::new();
        let pending = Arc::new(AtomicUsize::new(0));
        tasks.push(tokio::spawn(partition_worker(
            Arc::clone(env),
            rx,
            revoked.clone(),
            Arc::clone(&pending),
        )));
        WorkerHandle {
            tx,
            revoked,
            pending,
        }
    });
    h.pending.fetch_add(1, Ordering::AcqRel);
    shared.metrics.in_flight.inc();
    h.tx.clone()
}

/// At a stop: flushes the producer within `remaining` and commits the final offsets (off the
/// async threads: both block).
async fn flush_and_commit(
    producer: FutureProducer<ProducerCtx>,
    consumer: Arc<StreamConsumer<ConsumerCtx>>,
    remaining: Duration,
) {
    let _ = tokio::task::spawn_blocking(move || {
        if let Err(e) = producer.flush(remaining) {
            tracing::warn!(error = %e, "producer flush incomplete");
        }
        match consumer.commit_consumer_state(CommitMode::Sync) {
            Ok(()) => {}
            Err(e) if e.rdkafka_error_code() == Some(RDKafkaErrorCode::NoOffset) => {}
            Err(e) => tracing::warn!(error = %e, "final commit failed"),
        }
    })
    .await;
}

struct StopGuard {
    shared: Arc<Shared>,
    abort: CancellationToken,
    committer: tokio::task::AbortHandle,
}

impl Drop for StopGuard {
    fn drop(&mut self) {
        self.committer.abort();
        self.shared.workers().clear();
        self.abort.cancel();
    }
}

/// Waits until the brokers answer and every topic exists. Ok(false) means shutdown came first.
async fn wait_for_topics<C: ClientContext + 'static>(
    producer: &FutureProducer<C>,
    topics: &[String],
    shutdown: &CancellationToken,
) -> Result<bool, RuntimeError> {
    let mut attempt = 0;
    let retry = RetryPolicy {
        initial: Duration::from_millis(500),
        max: Duration::from_secs(10),
        max_attempts: 0,
    };
    loop {
        let p = producer.clone();
        let md = tokio::task::spawn_blocking(move || {
            p.client().fetch_metadata(None, METADATA_TIMEOUT).map(|m| {
                m.topics()
                    .iter()
                    .map(|t| t.name().to_string())
                    .collect::<Vec<_>>()
            })
        })
        .await
        .map_err(|e| RuntimeError::Kafka(e.to_string()))?;
        match md {
            Ok(existing) => {
                let missing: Vec<&String> =
                    topics.iter().filter(|t| !existing.contains(t)).collect();
                if missing.is_empty() {
                    return Ok(true);
                }
                return Err(RuntimeError::Config(format!(
                    "topics missing on the brokers: {}; create them first (`eventwire topics create`)",
                    missing.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
                )));
            }
            Err(e) => {
                attempt += 1;
                tracing::warn!(error = %e, attempt, "brokers not reachable yet; retrying");
                tokio::select! {
                    _ = shutdown.cancelled() => return Ok(false),
                    _ = tokio::time::sleep(retry.delay(attempt)) => {}
                }
            }
        }
    }
}

/// A producer for sources (ingest): `publish` returns once the broker has acknowledged.
pub struct KafkaPublisher {
    producer: FutureProducer<ProducerCtx>,
    kafka: KafkaArgs,
    metrics: Metrics,
    retry: RetryPolicy,
    cancel: CancellationToken,
    shared: Arc<Shared>,
}

impl KafkaPublisher {
    /// Connects and checks that `topics` (logical names) exist, waiting for the brokers.
    pub async fn connect(
        kafka: KafkaArgs,
        service: &str,
        metrics: Metrics,
        health: Arc<Health>,
        topics: &[&str],
        cancel: CancellationToken,
    ) -> Result<Self, RuntimeError> {
        let shared = Arc::new(Shared {
            metrics: metrics.clone(),
            health: Arc::clone(&health),
            workers: Mutex::new(HashMap::new()),
            drain_timeout: Duration::from_secs(10),
            fatal: CancellationToken::new(),
            fatal_reason: Mutex::new(None),
            client_log: RateLimiter::new(CLIENT_LOG_BURST, CLIENT_LOG_PERIOD),
        });
        let producer = build_producer(&kafka, &format!("eventwire-{service}"), &shared)?;
        let physical: Vec<String> = topics.iter().map(|t| kafka.topic(t)).collect();
        if !wait_for_topics(&producer, &physical, &cancel).await? {
            return Err(RuntimeError::Kafka("cancelled while connecting".into()));
        }
        health.set_producer_connected(true);
        health.set_assigned(true);
        Ok(KafkaPublisher {
            producer,
            kafka,
            metrics,
            retry: RetryPolicy::default(),
            cancel,
            shared,
        })
    }
}

#[async_trait]
impl Publisher for KafkaPublisher {
    async fn publish(&self, mut record: OutputRecord) -> Result<(), RuntimeError> {
        if self.shared.fatal.is_cancelled() {
            let r = self.shared.fatal_reason.lock().ok().and_then(|r| r.clone());
            return Err(RuntimeError::Kafka(
                r.unwrap_or_else(|| "fatal client error".into()),
            ));
        }
        record.topic = self.kafka.topic(&record.topic);
        let fut = enqueue(
            &self.producer,
            &record,
            &self.retry,
            &self.metrics,
            &self.cancel,
        )
        .await
        .ok_or_else(|| RuntimeError::Kafka("cancelled before the record was queued".into()))?;
        let acked = await_acks(
            &self.producer,
            vec![(record, fut)],
            &self.retry,
            &self.metrics,
            &self.cancel,
        )
        .await
        .map_err(|_| RuntimeError::Kafka("cancelled before the broker acknowledged".into()))?;
        for out in &acked {
            self.metrics
                .records_out
                .with_label_values(&[&out.topic])
                .inc();
        }
        Ok(())
    }

    async fn flush(&self, timeout: Duration) -> Result<(), RuntimeError> {
        let p = self.producer.clone();
        tokio::task::spawn_blocking(move || p.flush(timeout))
            .await
            .map_err(|e| RuntimeError::Kafka(e.to_string()))?
            .map_err(|e| RuntimeError::Kafka(format!("flush: {e}")))
    }
}

/// Creates topics that do not exist yet (used by `eventwire topics create` and the tests).
pub async fn create_topics(
    kafka: &KafkaArgs,
    topics: &[String],
    partitions: i32,
    replication: i32,
) -> Result<Vec<String>, RuntimeError> {
    use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
    let admin: AdminClient<rdkafka::client::DefaultClientContext> = base_config(kafka)?
        .create()
        .map_err(|e| RuntimeError::Config(format!("cannot create Kafka admin client: {e}")))?;
    let physical: Vec<String> = topics.iter().map(|t| kafka.topic(t)).collect();
    let new: Vec<NewTopic<'_>> = physical
        .iter()
        .map(|t| NewTopic::new(t, partitions, TopicReplication::Fixed(replication)))
        .collect();
    let opts = AdminOptions::new().operation_timeout(Some(Duration::from_secs(30)));
    let results = admin
        .create_topics(new.iter(), &opts)
        .await
        .map_err(|e| RuntimeError::Kafka(format!("create topics: {e}")))?;
    let mut created = Vec::new();
    for r in results {
        match r {
            Ok(t) => created.push(t),
            Err((t, RDKafkaErrorCode::TopicAlreadyExists)) => {
                tracing::debug!(topic = %t, "topic exists");
            }
            Err((t, code)) => {
                return Err(RuntimeError::Kafka(format!(
                    "cannot create topic {t}: {code:?}"
                )))
            }
        }
    }
    Ok(created)
}
