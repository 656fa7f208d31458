//! Load harness: records/s through the stage runtime with a pass-through stage, on the in-memory
//! bus or on a Kafka-protocol broker. A benchmark tool, not a test: it prints numbers.
//!
//! ```text
//! cargo run --release -p eventwire-runtime --example throughput -- --transport memory --size 1024
//! cargo run --release -p eventwire-runtime --example throughput -- \
//!     --transport kafka --brokers 127.0.0.1:19092 --records 20000 --size 1024
//! ```
//!
//! memory: one phase, `stage`, timed from the first publish on `in` to the last output seen on
//! `out` (publish → process → publish, in-process).
//!
//! kafka: topics `<prefix>in`, `<prefix>out`, `<prefix>in.dlq` are created; phase `produce`
//! pre-loads the records into `in` with an idempotent, zstd-compressing producer (timed from the
//! first send to the last acknowledgement); phase `stage` starts `kafka::run_stage` in a fresh
//! group and is timed from the stage's start until a reader has seen every record on `out`
//! (group join, consume → process → produce → ack → store offset). The stage line also shows
//! `startup` (stage start to first output) and `steady` (rate from first to last output). The
//! stage is then stopped gracefully and must return Ok.
//!
//! MB/s is 2^20 bytes of payload per second (keys and headers are not counted). Logs go to
//! stderr at `warn` unless EVENTWIRE_LOG or RUST_LOG says otherwise.
use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context, Result};
use async_trait::async_trait;
use clap::{Parser, ValueEnum};
use eventwire_runtime::breaker::BreakerConfig;
use eventwire_runtime::config::{ConsumerArgs, KafkaArgs, StageSettings, DEFAULT_MAX_RECORD_BYTES};
use eventwire_runtime::health::Health;
use eventwire_runtime::memory::{self, MemoryBus};
use eventwire_runtime::metrics::Metrics;
use eventwire_runtime::process::Processor;
use eventwire_runtime::{kafka, InputRecord, OutputRecord, Stage, StageError};
use futures::StreamExt;
use rdkafka::config::ClientConfig;
use rdkafka::consumer::{Consumer, StreamConsumer};
use rdkafka::message::Message;
use rdkafka::producer::{FutureProducer, FutureRecord, Producer};
use rdkafka::topic_partition_list::{Offset, TopicPartitionList};
use tokio_util::sync::CancellationToken;

/// Logical topic names of the stage (the prefix is applied by `KafkaArgs`).
const IN: &str = "in";
const OUT: &str = "out";
const SERVICE: &str = "throughput";
/// Queue depth per subscriber on the in-memory bus.
const BUS_CAPACITY: usize = 1024;
/// Records the pre-load producer keeps unacknowledged at once.
const PRODUCE_WINDOW: usize = 4096;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Transport {
    Memory,
    Kafka,
}

impl Transport {
    fn name(self) -> &'static str {
        match self {
            Transport::Memory => "memory",
            Transport::Kafka => "kafka",
        }
    }
}

/// Measures records/s through the stage runtime with a pass-through stage.
#[derive(Parser, Debug)]
#[command(name = "throughput")]
struct Cli {
    /// Where the stage runs.
    #[arg(long, value_enum, default_value_t = Transport::Memory)]
    transport: Transport,
    /// Bootstrap brokers (kafka), host:port[,host:port].
    #[arg(long, default_value = "127.0.0.1:9092")]
    brokers: String,
    /// Records to push through.
    #[arg(long, default_value_t = 20_000)]
    records: usize,
    /// Payload size of each record, in bytes.
    #[arg(long, default_value_t = 1024)]
    size: usize,
    /// Partitions of the created topics (kafka).
    #[arg(long, default_value_t = 4)]
    partitions: i32,
    /// Records processed at once (per partition on kafka).
    #[arg(long, default_value_t = 2)]
    concurrency: usize,
    /// Records read but not yet acknowledged, across partitions (kafka).
    #[arg(long, default_value_t = 256)]
    max_in_flight: usize,
    /// Prefix of the topic names (default: unique per run, "tp-<millis>.").
    #[arg(long)]
    topic_prefix: Option<String>,
    /// A librdkafka setting key=value for every Kafka client of the run; repeatable.
    #[arg(long = "kafka-option", short = 'X')]
    kafka_options: Vec<String>,
    /// Give up on a phase that has not finished after this many seconds.
    #[arg(long, default_value_t = 120)]
    timeout_secs: u64,
    /// Print one JSON object per phase instead of a text line.
    #[arg(long)]
    json: bool,
}

/// Copies each input to "out" under the same key.
struct PassThrough;

#[async_trait]
impl Stage for PassThrough {
    fn name(&self) -> &'static str {
        "passthrough"
    }
    fn output_topics(&self) -> Vec<String> {
        vec![OUT.to_string()]
    }
    async fn process(&self, r: Arc<InputRecord>) -> Result<Vec<OutputRecord>, StageError> {
        let key = r.key.clone().unwrap_or_default();
        Ok(vec![OutputRecord::new(OUT, key, r.payload.clone())])
    }
}

/// `n` distinct records of `size` bytes: key `k<i>`, payload `rec-<i>:` followed by
/// deterministic pseudo-random filler from a 64-letter alphabet (text-like, and not trivially
/// compressible, since the runtime's producer compresses with zstd).
fn payloads(n: usize, size: usize) -> Vec<(Vec<u8>, Vec<u8>)> {
    const ALPHABET: &[u8; 64] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .";
    (0..n)
        .map(|i| {
            let key = format!("k{i:08}").into_bytes();
            let mut payload = format!("rec-{i}:").into_bytes();
            payload.truncate(size);
            let mut x: u64 = (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
            while payload.len() < size {
                // xorshift64*
                x ^= x >> 12;
                x ^= x << 25;
                x ^= x >> 27;
                let v = x.wrapping_mul(0x2545_F491_4F6C_DD1D);
                for b in v.to_le_bytes() {
                    if payload.len() == size {
                        break;
                    }
                    payload.push(ALPHABET[usize::from(b & 63)]);
                }
            }
            (key, payload)
        })
        .collect()
}

/// One extra fact of a phase.
struct Extra {
    name: &'static str,
    text: String,
    json_key: &'static str,
    json: serde_json::Value,
}

/// One measured phase.
struct Report<'a> {
    cli: &'a Cli,
    phase: &'static str,
    records: usize,
    elapsed: Duration,
    /// Extra facts printed after the rate: (text shown as `name=text`, JSON key, JSON value).
    extra: Vec<Extra>,
}

impl Report<'_> {
    fn print(&self) {
        let secs = self.elapsed.as_secs_f64().max(1e-9);
        let rate = self.records as f64 / secs;
        let mbs = (self.records * self.cli.size) as f64 / secs / (1024.0 * 1024.0);
        if self.cli.json {
            let mut o = serde_json::json!({
                "transport": self.cli.transport.name(),
                "size": self.cli.size,
                "partitions": self.partitions(),
                "concurrency": self.cli.concurrency,
                "records": self.records,
                "phase": self.phase,
                "elapsed_s": round3(secs),
                "rate_rec_s": rate.round(),
                "rate_mb_s": round3(mbs),
            });
            if let Some(m) = o.as_object_mut() {
                for e in &self.extra {
                    m.insert(e.json_key.to_string(), e.json.clone());
                }
            }
            println!("{o}");
        } else {
            let mut line = format!(
                "transport={} size={} partitions={} concurrency={} records={} phase={} \
                 elapsed={:.2}s rate={:.0} rec/s {:.1} MB/s",
                self.cli.transport.name(),
                self.cli.size,
                self.partitions(),
                self.cli.concurrency,
                self.records,
                self.phase,
                secs,
                rate,
                mbs
            );
            for e in &self.extra {
                line.push_str(&format!(" {}={}", e.name, e.text));
            }
            println!("{line}");
        }
    }

    /// The memory bus has one partition per topic.
    fn partitions(&self) -> i32 {
        match self.cli.transport {
            Transport::Memory => 1,
            Transport::Kafka => self.cli.partitions,
        }
    }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

fn processor() -> (Arc<Processor>, Metrics) {
    let metrics = Metrics::new(SERVICE);
    let p = Arc::new(Processor::new(
        Arc::new(PassThrough),
        SERVICE,
        metrics.clone(),
        Default::default(),
        BreakerConfig::default(),
        DEFAULT_MAX_RECORD_BYTES,
    ));
    (p, metrics)
}

async fn run_memory(cli: &Cli) -> Result<()> {
    let n = cli.records;
    let records = payloads(n, cli.size);
    let bus = MemoryBus::new(BUS_CAPACITY);
    let input = bus.subscribe(IN).await;
    let mut out = bus.subscribe(OUT).await;
    let (processor, _metrics) = processor();
    let cancel = CancellationToken::new();

    let started = Instant::now();
    let runner = tokio::spawn({
        let bus = Arc::clone(&bus);
        let (c, cancel) = (cli.concurrency, cancel.clone());
        async move { memory::run_stage(processor, bus, IN, input, c, cancel).await }
    });
    let publisher = tokio::spawn({
        let bus = Arc::clone(&bus);
        async move {
            for (key, payload) in records {
                bus.send(OutputRecord::new(IN, key, payload)).await?;
            }
            bus.close(IN).await;
            Ok::<_, eventwire_runtime::RuntimeError>(())
        }
    });

    let deadline = Duration::from_secs(cli.timeout_secs);
    let mut seen = 0usize;
    let mut bytes = 0usize;
    let mut last = None;
    let read = tokio::time::timeout(deadline, async {
        while let Some(r) = out.recv().await {
            seen += 1;
            bytes += r.payload.len();
            if seen == n {
                last = Some(Instant::now());
            }
        }
    })
    .await;
    if read.is_err() {
        cancel.cancel();
        bail!(
            "memory run stalled: {seen}/{n} records on {OUT} after {}s",
            cli.timeout_secs
        );
    }
    publisher
        .await
        .context("publisher task")?
        .context("publishing")?;
    let counts = runner.await.context("stage task")?.context("stage run")?;
    let Some(last) = last else {
        bail!("only {seen}/{n} records came out of the stage");
    };
    if seen != n || bytes != n * cli.size || counts.records_in != n as u64 {
        bail!(
            "mismatch: {seen} records / {bytes} bytes out, stage counted {counts:?}; expected {n} \
             records of {} bytes",
            cli.size
        );
    }
    Report {
        cli,
        phase: "stage",
        records: n,
        elapsed: last - started,
        extra: vec![],
    }
    .print();
    Ok(())
}

/// KafkaArgs and StageSettings the way a service gets them: parsed from flags (so the runtime's
/// own validation applies).
#[derive(Parser)]
struct StageFlags {
    #[command(flatten)]
    kafka: KafkaArgs,
    #[command(flatten)]
    consumer: ConsumerArgs,
}

fn stage_flags(cli: &Cli, prefix: &str, group: &str) -> Result<(KafkaArgs, StageSettings)> {
    let (conc, mif) = (cli.concurrency.to_string(), cli.max_in_flight.to_string());
    let mut v: Vec<&str> = vec![
        "throughput",
        "--brokers",
        &cli.brokers,
        "--topic-prefix",
        prefix,
        "--group",
        group,
        "--concurrency",
        &conc,
        "--max-in-flight",
        &mif,
        "--shutdown-timeout-secs",
        "10",
    ];
    for o in &cli.kafka_options {
        v.extend(["-X", o.as_str()]);
    }
    let f = StageFlags::try_parse_from(v).context("stage flags")?;
    let settings = f.consumer.settings(SERVICE)?;
    f.kafka.options()?;
    Ok((f.kafka, settings))
}

/// A client config with the brokers and the pass-through options.
fn client_config(kafka: &KafkaArgs) -> Result<ClientConfig> {
    let mut c = ClientConfig::new();
    c.set("bootstrap.servers", &kafka.brokers);
    for (k, v) in kafka.options()? {
        c.set(k, v);
    }
    Ok(c)
}

/// Waits until every topic is in the metadata with `partitions` partitions.
async fn wait_for_topics(
    producer: &FutureProducer,
    topics: &[String],
    partitions: i32,
) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let p = producer.clone();
        let md = tokio::task::spawn_blocking(move || {
            p.client()
                .fetch_metadata(None, Duration::from_secs(5))
                .map(|m| {
                    m.topics()
                        .iter()
                        .map(|t| (t.name().to_string(), t.partitions().len()))
                        .collect::<Vec<_>>()
                })
        })
        .await
        .context("metadata task")?;
        let missing: Vec<&String> = match &md {
            Ok(found) => topics
                .iter()
                .filter(|t| {
                    !found
                        .iter()
                        .any(|(n, p)| n == *t && i32::try_from(*p).ok() == Some(partitions))
                })
                .collect(),
            Err(_) => topics.iter().collect(),
        };
        if missing.is_empty() {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("topics not ready after 30s: {missing:?} (last metadata: {md:?})");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

// long: the benchmark's phases in order (topics, preload, stage, stop, report); each step is a
// function, what remains passes their results on.
async fn run_kafka(cli: &Cli) -> Result<()> {
    let n = cli.records;
    let millis = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0);
    let prefix = cli
        .topic_prefix
        .clone()
        .unwrap_or_else(|| format!("tp-{millis}."));
    let group = format!("{prefix}{SERVICE}");
    let (kafka_args, settings) = stage_flags(cli, &prefix, &group)?;
    let logical: Vec<String> = [IN, OUT]
        .iter()
        .map(|t| t.to_string())
        .chain(std::iter::once(eventwire_schema::topics::dlq_for(IN)))
        .collect();
    let physical: Vec<String> = logical.iter().map(|t| kafka_args.topic(t)).collect();
    let created = kafka::create_topics(&kafka_args, &logical, cli.partitions, 1)
        .await
        .context("creating topics")?;
    eprintln!(
        "topics {} ({} created now), {} partitions; group {group}",
        physical.join(", "),
        created.len(),
        cli.partitions
    );

    let in_topic = kafka_args.topic(IN);
    preload(cli, &kafka_args, &physical, &in_topic).await?;

    // Phase 2: a reader assigned every partition of `out` (no group join, so its start-up is not
    // measured), then the stage.
    let out_topic = kafka_args.topic(OUT);
    let reader = out_reader(&kafka_args, &prefix, &out_topic, cli.partitions)?;

    let (processor, metrics) = processor();
    let stop = CancellationToken::new();
    let started = Instant::now();
    let mut stage = tokio::spawn(kafka::run_stage(
        processor,
        kafka_args.clone(),
        settings.clone(),
        IN,
        Health::new(),
        stop.clone(),
    ));

    let seen = read_outputs(
        &reader,
        &mut stage,
        n,
        &out_topic,
        started,
        cli.timeout_secs,
    )
    .await;
    let Outputs {
        total,
        bytes,
        first,
        last,
        failure,
        stage_ended,
    } = seen;
    let stage_done = started.elapsed();

    // Graceful stop; the stage must return Ok.
    stop.cancel();
    let stopping = Instant::now();
    let stopped = if stage_ended {
        None
    } else {
        Some(tokio::time::timeout(settings.shutdown_timeout + Duration::from_secs(15), stage).await)
    };
    let stop_elapsed = stopping.elapsed();
    if let Some(f) = failure {
        return Err(f);
    }
    stopped_cleanly(stopped)?;
    if bytes != n * cli.size {
        bail!(
            "{bytes} payload bytes on {out_topic}, expected {}",
            n * cli.size
        );
    }
    let stage_in = metrics.records_in.with_label_values(&[&in_topic]).get();
    let (first, last) = match (first, last) {
        (Some(f), Some(l)) => (f, l),
        _ => bail!("no records seen"),
    };
    let startup = first - started;
    let steady = if n > 1 && last > first {
        ((n - 1) as f64 / (last - first).as_secs_f64()).round()
    } else {
        0.0
    };
    Report {
        cli,
        phase: "stage",
        records: n,
        elapsed: stage_done,
        extra: stage_extras(startup, steady, total, stage_in, stop_elapsed),
    }
    .print();
    Ok(())
}

/// What the reader saw on `out` while the stage ran.
struct Outputs {
    /// Records read, redeliveries included.
    total: usize,
    /// Payload bytes of the distinct records.
    bytes: usize,
    /// When the first record, and the last new one, came.
    first: Option<Instant>,
    last: Option<Instant>,
    /// Why the run stopped before every record came through, if it did.
    failure: Option<anyhow::Error>,
    /// The stage task has ended (and was awaited).
    stage_ended: bool,
}

/// Reads `out_topic` until `n` distinct records are there, the stage ends or `timeout_secs`
/// pass, with a progress line every 5 s.
async fn read_outputs(
    reader: &StreamConsumer,
    stage: &mut tokio::task::JoinHandle<std::result::Result<(), eventwire_runtime::RuntimeError>>,
    n: usize,
    out_topic: &str,
    started: Instant,
    timeout_secs: u64,
) -> Outputs {
    let mut keys: HashSet<Vec<u8>> = HashSet::with_capacity(n);
    let (mut total, mut bytes) = (0usize, 0usize);
    let (mut first, mut last) = (None, None);
    let mut progress = tokio::time::interval(Duration::from_secs(5));
    progress.tick().await;
    let deadline = tokio::time::sleep(Duration::from_secs(timeout_secs));
    tokio::pin!(deadline);
    let mut failure: Option<anyhow::Error> = None;
    let mut stage_ended = false;
    while keys.len() < n {
        tokio::select! {
            m = reader.recv() => match m {
                Ok(m) => {
                    total += 1;
                    let now = Instant::now();
                    first.get_or_insert(now);
                    if keys.insert(m.key().unwrap_or_default().to_vec()) {
                        bytes += m.payload().map(<[u8]>::len).unwrap_or(0);
                        last = Some(now);
                    }
                }
                Err(e) => eprintln!("reader: {e}"),
            },
            _ = progress.tick() => eprintln!(
                "stage: {}/{n} distinct records on {out_topic} after {:.1}s",
                keys.len(),
                started.elapsed().as_secs_f64()
            ),
            r = &mut *stage => {
                stage_ended = true;
                failure = Some(match r {
                    Ok(Ok(())) => anyhow!("stage returned early"),
                    Ok(Err(e)) => anyhow::Error::new(e).context("stage failed"),
                    Err(e) => anyhow::Error::new(e).context("stage task"),
                });
                break;
            }
            _ = &mut deadline => {
                failure = Some(anyhow!(
                    "stalled: {}/{n} distinct records on {out_topic} after {}s",
                    keys.len(),
                    timeout_secs
                ));
                break;
            }
        }
    }
    Outputs {
        total,
        bytes,
        first,
        last,
        failure,
        stage_ended,
    }
}

/// Phase 1: pre-loads `n` records into `in_topic`, with the runtime's producer defaults
/// (idempotent, acks=all, zstd, linger 5 ms) unless -X overrides them, and reports the rate.
async fn preload(
    cli: &Cli,
    kafka_args: &KafkaArgs,
    physical: &[String],
    in_topic: &str,
) -> Result<()> {
    let mut pc = client_config(kafka_args)?;
    for (k, v) in [
        ("linger.ms", "5"),
        ("compression.type", "zstd"),
        ("message.timeout.ms", "60000"),
    ] {
        if pc.get(k).is_none() {
            pc.set(k, v);
        }
    }
    pc.set("enable.idempotence", "true").set("acks", "all");
    let producer: FutureProducer = pc.create().context("creating the pre-load producer")?;
    wait_for_topics(&producer, physical, cli.partitions).await?;
    let n = cli.records;
    let records = payloads(n, cli.size);
    let started = Instant::now();
    let sends = futures::stream::iter(records.iter())
        .map(|(key, payload)| {
            let producer = &producer;
            async move {
                producer
                    .send(
                        FutureRecord::to(in_topic).key(key).payload(payload),
                        Duration::from_secs(30),
                    )
                    .await
                    .map_err(|(e, _)| anyhow!("pre-load delivery failed: {e}"))
            }
        })
        .buffer_unordered(PRODUCE_WINDOW)
        .fold(Ok(0usize), |acc, r| async move {
            match (acc, r) {
                (Ok(k), Ok(_)) => Ok(k + 1),
                (Err(e), _) | (_, Err(e)) => Err(e),
            }
        });
    let acked = tokio::time::timeout(Duration::from_secs(cli.timeout_secs), sends)
        .await
        .map_err(|_| anyhow!("pre-load stalled for {}s", cli.timeout_secs))??;
    let produce_elapsed = started.elapsed();
    if acked != n {
        bail!("pre-load acknowledged {acked}/{n} records");
    }
    Report {
        cli,
        phase: "produce",
        records: n,
        elapsed: produce_elapsed,
        extra: vec![],
    }
    .print();
    drop(records);
    Ok(())
}

/// A reader assigned every partition of `out_topic` from the beginning (no group join, so its
/// start-up is not measured).
fn out_reader(
    kafka_args: &KafkaArgs,
    prefix: &str,
    out_topic: &str,
    partitions: i32,
) -> Result<StreamConsumer> {
    let reader: StreamConsumer = client_config(kafka_args)?
        .set("group.id", format!("{prefix}reader"))
        .set("enable.auto.commit", "false")
        .set("auto.offset.reset", "earliest")
        .create()
        .context("creating the reader")?;
    let mut tpl = TopicPartitionList::new();
    for p in 0..partitions {
        tpl.add_partition_offset(out_topic, p, Offset::Beginning)
            .context("reader assignment")?;
    }
    reader.assign(&tpl).context("assigning the reader")?;
    Ok(reader)
}

/// What the stage task gave back: its own result, or the task's failure.
type StageEnd = std::result::Result<
    std::result::Result<(), eventwire_runtime::RuntimeError>,
    tokio::task::JoinError,
>;

/// The stage's end after the stop: it must have returned Ok within the deadline (`None`: it had
/// ended before the stop).
fn stopped_cleanly(
    stopped: Option<std::result::Result<StageEnd, tokio::time::error::Elapsed>>,
) -> Result<()> {
    match stopped {
        Some(Ok(Ok(Ok(())))) => Ok(()),
        Some(Ok(Ok(Err(e)))) => Err(anyhow::Error::new(e).context("stage stop")),
        Some(Ok(Err(e))) => Err(anyhow::Error::new(e).context("stage task")),
        Some(Err(_)) => bail!("stage did not stop within the shutdown deadline"),
        None => bail!("stage ended before the run finished"),
    }
}

/// The stage phase's figures besides its rate: start-up, steady rate, outputs seen, records
/// the stage read, and the time it took to stop.
fn stage_extras(
    startup: Duration,
    steady: f64,
    total: usize,
    stage_in: u64,
    stop_elapsed: Duration,
) -> Vec<Extra> {
    vec![
        Extra {
            name: "startup",
            text: format!("{:.2}s", startup.as_secs_f64()),
            json_key: "startup_s",
            json: round3(startup.as_secs_f64()).into(),
        },
        Extra {
            name: "steady",
            text: format!("{steady:.0}rec/s"),
            json_key: "steady_rec_s",
            json: steady.into(),
        },
        Extra {
            name: "out_seen",
            text: total.to_string(),
            json_key: "out_seen",
            json: total.into(),
        },
        Extra {
            name: "stage_in",
            text: stage_in.to_string(),
            json_key: "stage_in",
            json: stage_in.into(),
        },
        Extra {
            name: "stop",
            text: format!("{:.2}s", stop_elapsed.as_secs_f64()),
            json_key: "stop_s",
            json: round3(stop_elapsed.as_secs_f64()).into(),
        },
    ]
}

#[tokio::main]
async fn main() -> Result<()> {
    let cli = Cli::parse();
    let filter = std::env::var("EVENTWIRE_LOG")
        .or_else(|_| std::env::var("RUST_LOG"))
        .unwrap_or_else(|_| "warn".to_string());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_new(filter)?)
        .with_writer(std::io::stderr)
        .try_init();
    if cli.records == 0 || cli.size == 0 || cli.partitions < 1 || cli.concurrency == 0 {
        bail!("--records, --size, --partitions and --concurrency must be positive");
    }
    match cli.transport {
        Transport::Memory => run_memory(&cli).await,
        Transport::Kafka => run_kafka(&cli).await,
    }
}
