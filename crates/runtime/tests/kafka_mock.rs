//! Runtime tests on librdkafka's mock cluster: redelivery after a crash, a poison record in the
//! dead-letter topic while the stream goes on, the broker going down and coming back, and a
//! graceful stop that commits so a restart reprocesses nothing.
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use clap::Parser;
use eventwire_runtime::breaker::BreakerConfig;
use eventwire_runtime::config::{ConsumerArgs, KafkaArgs, StageSettings};
use eventwire_runtime::health::Health;
use eventwire_runtime::kafka;
use eventwire_runtime::metrics::Metrics;
use eventwire_runtime::process::{Processor, RetryPolicy};
use eventwire_runtime::{InputRecord, OutputRecord, Stage, StageError};
use eventwire_schema::dlq;
use rdkafka::config::ClientConfig;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::message::{Headers as _, Message};
use rdkafka::mocking::MockCluster;
use rdkafka::producer::{FutureProducer, FutureRecord};
use tokio_util::sync::CancellationToken;

/// Upper-cases payloads; "poison" payloads are bad records.
struct Upper;

#[async_trait]
impl Stage for Upper {
    fn name(&self) -> &'static str {
        "upper"
    }
    fn output_topics(&self) -> Vec<String> {
        vec!["out".into()]
    }
    async fn process(&self, r: Arc<InputRecord>) -> Result<Vec<OutputRecord>, StageError> {
        if r.payload.starts_with(b"poison") {
            return Err(StageError::bad("decode_error", "poison payload"));
        }
        let key = r.key.clone().unwrap_or_default();
        Ok(vec![OutputRecord::new(
            "out",
            key,
            r.payload.to_ascii_uppercase(),
        )])
    }
}

#[derive(Parser)]
struct Args {
    #[command(flatten)]
    kafka: KafkaArgs,
    #[command(flatten)]
    consumer: ConsumerArgs,
}

fn args(brokers: &str, extra: &[&str]) -> (KafkaArgs, StageSettings) {
    // The mock group waits a session timeout before admitting a member after the last one left
    // (real brokers do not), so keep it short; it also exercises librdkafka pass-through.
    let mut v = vec![
        "t",
        "--brokers",
        brokers,
        "--group",
        "g1",
        "--concurrency",
        "4",
        "--shutdown-timeout-secs",
        "4",
        "-X",
        "session.timeout.ms=10000",
    ];
    v.extend_from_slice(extra);
    let a = Args::try_parse_from(v).expect("test args parse");
    let mut s = a.consumer.settings("test").expect("valid settings");
    s.retry = RetryPolicy {
        initial: Duration::from_millis(20),
        max: Duration::from_millis(200),
        max_attempts: 0,
    };
    s.breaker = BreakerConfig::default();
    (a.kafka, s)
}

fn processor(metrics: Metrics) -> Arc<Processor> {
    Arc::new(Processor::new(
        Arc::new(Upper),
        "test",
        metrics,
        RetryPolicy::default(),
        BreakerConfig::default(),
        1 << 20,
    ))
}

fn cluster() -> MockCluster<'static, rdkafka::producer::DefaultProducerContext> {
    let c = MockCluster::new(1).expect("mock cluster");
    for t in ["in", "out", "in.dlq"] {
        c.create_topic(t, 2, 1).expect("mock topic");
    }
    c
}

async fn produce(brokers: &str, payloads: impl IntoIterator<Item = (String, String)>) {
    let p: FutureProducer = ClientConfig::new()
        .set("bootstrap.servers", brokers)
        .set("message.timeout.ms", "60000")
        .create()
        .expect("producer");
    let futs: Vec<_> = payloads
        .into_iter()
        .map(|(k, v)| {
            let p = p.clone();
            async move {
                p.send(
                    FutureRecord::to("in").key(&k).payload(&v),
                    Duration::from_secs(30),
                )
                .await
                .expect("test record delivered");
            }
        })
        .collect();
    futures::future::join_all(futs).await;
}

/// Reads everything on `topic` until `want` records arrived or `timeout` passed.
/// Records of `topic` until `want` of them are read (duplicates included) or `timeout` passes.
fn read_all(
    brokers: &str,
    topic: &str,
    want: usize,
    timeout: Duration,
) -> Vec<(String, Vec<u8>, HashMap<String, String>)> {
    read_until(brokers, topic, timeout, |out| out.len() >= want)
}

/// Records of `topic` until `want` distinct keys are among them or `timeout` passes: under
/// at-least-once delivery an outage may repeat records, and a repeat must not end the read
/// before every key has come through.
fn read_distinct_keys(
    brokers: &str,
    topic: &str,
    want: usize,
    timeout: Duration,
) -> Vec<(String, Vec<u8>, HashMap<String, String>)> {
    read_until(brokers, topic, timeout, |out| {
        out.iter()
            .map(|(k, _, _)| k.as_str())
            .collect::<std::collections::HashSet<_>>()
            .len()
            >= want
    })
}

fn read_until(
    brokers: &str,
    topic: &str,
    timeout: Duration,
    done: impl Fn(&[(String, Vec<u8>, HashMap<String, String>)]) -> bool,
) -> Vec<(String, Vec<u8>, HashMap<String, String>)> {
    let c: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", brokers)
        .set("group.id", format!("reader-{topic}-{}", rand_suffix()))
        .set("auto.offset.reset", "earliest")
        .set("enable.auto.commit", "false")
        .create()
        .expect("reader");
    c.subscribe(&[topic]).expect("subscribe");
    let mut out = Vec::new();
    let deadline = Instant::now() + timeout;
    while !done(&out) && Instant::now() < deadline {
        if let Some(Ok(m)) = c.poll(Duration::from_millis(100)) {
            let key = String::from_utf8_lossy(m.key().unwrap_or_default()).to_string();
            let mut headers = HashMap::new();
            if let Some(h) = m.headers() {
                for x in h.iter() {
                    headers.insert(
                        x.key.to_string(),
                        String::from_utf8_lossy(x.value.unwrap_or_default()).to_string(),
                    );
                }
            }
            out.push((key, m.payload().unwrap_or_default().to_vec(), headers));
        }
    }
    out
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0)
}

fn records(range: std::ops::Range<u32>) -> Vec<(String, String)> {
    range
        .map(|i| (format!("k{i}"), format!("rec-{i}")))
        .collect()
}

async fn read_async(
    brokers: &str,
    topic: &str,
    want: usize,
    timeout: Duration,
) -> Vec<(String, Vec<u8>, HashMap<String, String>)> {
    let (b, t) = (brokers.to_string(), topic.to_string());
    tokio::task::spawn_blocking(move || read_all(&b, &t, want, timeout))
        .await
        .expect("reader task")
}

/// Environment variable that turns [`crash_child_process`] into the first instance of the crash
/// test (it is a no-op otherwise): the test binary re-runs itself so the parent can SIGKILL it.
const CRASH_CHILD_ENV: &str = "EVENTWIRE_TEST_CRASH_CHILD_BROKERS";

/// Entry point of the child process of `crash_before_commit_redelivers_and_loses_nothing`, not a
/// test of its own: it only runs when that test starts it (with `--ignored`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "child-process entry point; run by crash_before_commit_redelivers_and_loses_nothing"]
async fn crash_child_process() {
    let brokers = std::env::var(CRASH_CHILD_ENV)
        .expect("started by crash_before_commit_redelivers_and_loses_nothing");
    // Commits would only happen after an hour: everything processed before the kill is
    // acknowledged downstream but uncommitted.
    let (k, s) = args(&brokers, &["--commit-interval-ms", "3600000"]);
    let _ = kafka::run_stage(
        processor(Metrics::new("test")),
        k,
        s,
        "in",
        Health::new(),
        CancellationToken::new(),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crash_before_commit_redelivers_and_loses_nothing() {
    let c = cluster();
    let brokers = c.bootstrap_servers();
    produce(&brokers, records(0..100)).await;

    // First instance: a separate process, killed with SIGKILL once its outputs are out, so it
    // has no chance to commit (a real crash, not a graceful close).
    let exe = std::env::current_exe().expect("test binary path");
    let mut child = std::process::Command::new(exe)
        .args(["--exact", "crash_child_process", "--ignored", "--nocapture"])
        .env(CRASH_CHILD_ENV, &brokers)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn child");
    let first = read_async(&brokers, "out", 100, Duration::from_secs(90)).await;
    child.kill().expect("SIGKILL the child");
    let _ = child.wait();
    assert_eq!(first.len(), 100, "first instance processed everything");

    // Second instance in the same group: everything comes again (at-least-once), same keys.
    let (k, s) = args(&brokers, &[]);
    let stop = CancellationToken::new();
    let run2 = tokio::spawn(kafka::run_stage(
        processor(Metrics::new("test")),
        k,
        s,
        "in",
        Health::new(),
        stop.clone(),
    ));
    let both = read_async(&brokers, "out", 200, Duration::from_secs(120)).await;
    stop.cancel();
    run2.await.expect("join").expect("clean stop");
    assert_eq!(both.len(), 200, "the uncommitted records were redelivered");
    let mut per_key: HashMap<String, usize> = HashMap::new();
    for (key, payload, _) in &both {
        assert_eq!(payload.to_ascii_uppercase(), *payload);
        *per_key.entry(key.clone()).or_default() += 1;
    }
    assert_eq!(per_key.len(), 100);
    assert!(per_key.values().all(|n| *n == 2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn poison_record_goes_to_dlq_with_headers_and_stream_continues() {
    let c = cluster();
    let brokers = c.bootstrap_servers();
    let mut recs = records(0..20);
    recs.insert(10, ("kp".into(), "poison!".into()));
    produce(&brokers, recs).await;
    let (k, s) = args(&brokers, &[]);
    let stop = CancellationToken::new();
    let metrics = Metrics::new("test");
    let run = tokio::spawn(kafka::run_stage(
        processor(metrics.clone()),
        k,
        s,
        "in",
        Health::new(),
        stop.clone(),
    ));
    let out = read_async(&brokers, "out", 20, Duration::from_secs(60)).await;
    let dead = read_async(&brokers, "in.dlq", 1, Duration::from_secs(30)).await;
    stop.cancel();
    run.await.expect("join").expect("clean stop");
    assert_eq!(out.len(), 20, "every good record came through");
    assert_eq!(dead.len(), 1);
    let (key, payload, headers) = &dead[0];
    assert_eq!(key, "kp");
    assert_eq!(payload, b"poison!", "original bytes unchanged");
    for h in dlq::ALL {
        assert!(
            headers.contains_key(h),
            "dead letter lacks header {h}: {headers:?}"
        );
    }
    assert_eq!(headers[dlq::ORIGINAL_TOPIC], "in");
    assert_eq!(headers[dlq::ERROR_CODE], "decode_error");
    assert_eq!(headers[dlq::SERVICE], "test");
    assert!(headers[dlq::ORIGINAL_OFFSET].parse::<i64>().is_ok());
    let text = metrics.render();
    assert!(
        text.contains(
            r#"eventwire_dead_letters_total{error_code="decode_error",topic="in",service="test"} 1"#
        ),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn broker_down_then_up_loses_nothing() {
    let c = cluster();
    let brokers = c.bootstrap_servers();
    produce(&brokers, records(0..30)).await;
    let (k, s) = args(&brokers, &[]);
    let stop = CancellationToken::new();
    let run = tokio::spawn(kafka::run_stage(
        processor(Metrics::new("test")),
        k,
        s,
        "in",
        Health::new(),
        stop.clone(),
    ));
    assert_eq!(
        read_async(&brokers, "out", 30, Duration::from_secs(60))
            .await
            .len(),
        30
    );

    c.broker_down(1).expect("broker down");
    let b2 = brokers.clone();
    let late = tokio::spawn(async move { produce(&b2, records(30..60)).await });
    tokio::time::sleep(Duration::from_secs(3)).await;
    c.broker_up(1).expect("broker up");
    late.await.expect("late producer");

    let (b3, timeout) = (brokers.clone(), Duration::from_secs(90));
    let all = tokio::task::spawn_blocking(move || read_distinct_keys(&b3, "out", 60, timeout))
        .await
        .expect("reader task");
    stop.cancel();
    run.await.expect("join").expect("clean stop");
    let keys: std::collections::HashSet<_> = all.iter().map(|(k, _, _)| k.clone()).collect();
    assert_eq!(
        keys.len(),
        60,
        "every record produced around the outage came through"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graceful_stop_commits_so_a_restart_reprocesses_nothing() {
    let c = cluster();
    let brokers = c.bootstrap_servers();
    produce(&brokers, records(0..40)).await;
    let (k, s) = args(&brokers, &[]);
    let stop = CancellationToken::new();
    let run = tokio::spawn(kafka::run_stage(
        processor(Metrics::new("test")),
        k.clone(),
        s.clone(),
        "in",
        Health::new(),
        stop.clone(),
    ));
    assert_eq!(
        read_async(&brokers, "out", 40, Duration::from_secs(60))
            .await
            .len(),
        40
    );
    stop.cancel();
    run.await.expect("join").expect("clean stop");

    let metrics = Metrics::new("test");
    let health = Health::new();
    let stop = CancellationToken::new();
    let run = tokio::spawn(kafka::run_stage(
        processor(metrics.clone()),
        k,
        s,
        "in",
        Arc::clone(&health),
        stop.clone(),
    ));
    let deadline = Instant::now() + Duration::from_secs(30);
    while !health.ready() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(health.ready(), "second instance joined the group");
    tokio::time::sleep(Duration::from_secs(2)).await;
    stop.cancel();
    run.await.expect("join").expect("clean stop");
    assert!(
        !metrics.render().contains("eventwire_records_in_total{"),
        "nothing was reprocessed after a committed stop"
    );
}
