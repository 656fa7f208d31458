//! Configuration shared by every service, from flags and `EVENTWIRE_*` environment variables,
//! validated at start with messages a user can act on. One place: services only add their own.
use std::net::SocketAddr;
use std::time::Duration;

use crate::breaker::BreakerConfig;
use crate::process::RetryPolicy;
use crate::telemetry::LogFormat;
use crate::RuntimeError;

/// Default largest record (article) accepted: 10 MiB.
pub const DEFAULT_MAX_RECORD_BYTES: usize = 10 * 1024 * 1024;

/// The consumer group session timeout the runtime sets unless a `-X session.timeout.ms` is
/// given; a graceful drain (`--shutdown-timeout-secs`) must end before it.
pub const DEFAULT_SESSION_TIMEOUT_SECS: u64 = 45;

/// librdkafka settings the runtime owns, because its delivery guarantee depends on them.
const RESERVED_KAFKA_KEYS: &[(&str, &str)] = &[
    ("bootstrap.servers", "--brokers / EVENTWIRE_BROKERS"),
    ("metadata.broker.list", "--brokers / EVENTWIRE_BROKERS"),
    ("group.id", "--group / EVENTWIRE_GROUP"),
    (
        "enable.auto.commit",
        "nothing: offsets are committed by the runtime after delivery",
    ),
    (
        "enable.auto.offset.store",
        "nothing: offsets are stored by the runtime after delivery",
    ),
    (
        "enable.idempotence",
        "nothing: the producer is always idempotent",
    ),
];

/// Connection to Kafka.
#[derive(clap::Args, Debug, Clone)]
pub struct KafkaArgs {
    /// Bootstrap brokers, comma-separated host:port.
    #[arg(long, env = "EVENTWIRE_BROKERS", default_value = "localhost:9092")]
    pub brokers: String,
    /// A librdkafka setting passed through as key=value (TLS, SASL, timeouts); repeatable.
    /// In the environment, separate several with ';'.
    #[arg(
        long = "kafka-option",
        short = 'X',
        env = "EVENTWIRE_KAFKA_OPTIONS",
        value_delimiter = ';'
    )]
    pub kafka_options: Vec<String>,
    /// Prefix for every topic name, e.g. "staging." (tests use it to keep topics apart).
    #[arg(long, env = "EVENTWIRE_TOPIC_PREFIX", default_value = "")]
    pub topic_prefix: String,
}

impl KafkaArgs {
    /// The pass-through options as validated (key, value) pairs.
    pub fn options(&self) -> Result<Vec<(String, String)>, RuntimeError> {
        let mut out = Vec::new();
        for raw in &self.kafka_options {
            let raw = raw.trim();
            if raw.is_empty() {
                continue;
            }
            let Some((k, v)) = raw.split_once('=') else {
                return Err(RuntimeError::Config(format!(
                    "kafka option {raw:?} is not key=value (example: -X security.protocol=SASL_SSL)"
                )));
            };
            let k = k.trim();
            if let Some((_, use_instead)) = RESERVED_KAFKA_KEYS.iter().find(|(r, _)| *r == k) {
                return Err(RuntimeError::Config(format!(
                    "kafka option {k} is managed by eventwire; use {use_instead}"
                )));
            }
            out.push((k.to_string(), v.trim().to_string()));
        }
        if self.brokers.split(',').all(|b| b.trim().is_empty()) {
            return Err(RuntimeError::Config(
                "no brokers given; set --brokers or EVENTWIRE_BROKERS (host:port,...)".into(),
            ));
        }
        Ok(out)
    }

    /// The physical topic name for a logical one.
    pub fn topic(&self, logical: &str) -> String {
        format!("{}{}", self.topic_prefix, logical)
    }
}

/// How a consuming stage runs.
#[derive(clap::Args, Debug, Clone)]
pub struct ConsumerArgs {
    /// Consumer group id (default: eventwire-<service>).
    #[arg(long, env = "EVENTWIRE_GROUP")]
    pub group: Option<String>,
    /// Records processed at once within a partition (order of outputs is kept).
    #[arg(long, env = "EVENTWIRE_CONCURRENCY", default_value_t = default_concurrency())]
    pub concurrency: usize,
    /// Records read but not yet acknowledged, across partitions; fetching pauses at this bound.
    #[arg(long, env = "EVENTWIRE_MAX_IN_FLIGHT", default_value_t = 256)]
    pub max_in_flight: usize,
    /// Largest record accepted, in bytes; larger ones are dead-lettered as too_large.
    #[arg(long, env = "EVENTWIRE_MAX_RECORD_BYTES", default_value_t = DEFAULT_MAX_RECORD_BYTES)]
    pub max_record_bytes: usize,
    /// How often stored offsets are committed, in milliseconds.
    #[arg(long, env = "EVENTWIRE_COMMIT_INTERVAL_MS", default_value_t = 1000)]
    pub commit_interval_ms: u64,
    /// Deadline for a graceful shutdown or a revoke drain, in seconds; keep it below the
    /// consumer session timeout (45 s by default).
    #[arg(long, env = "EVENTWIRE_SHUTDOWN_TIMEOUT_SECS", default_value_t = 20)]
    pub shutdown_timeout_secs: u64,
    /// First retry pause after a retriable error, in milliseconds (doubles up to the max).
    #[arg(long, env = "EVENTWIRE_RETRY_INITIAL_MS", default_value_t = 100)]
    pub retry_initial_ms: u64,
    /// Longest retry pause, in milliseconds.
    #[arg(long, env = "EVENTWIRE_RETRY_MAX_MS", default_value_t = 30_000)]
    pub retry_max_ms: u64,
    /// Attempts before a record that keeps failing is dead-lettered; 0 retries until shutdown.
    #[arg(long, env = "EVENTWIRE_RETRY_MAX_ATTEMPTS", default_value_t = 0)]
    pub retry_max_attempts: u32,
    /// Stop when this many records in a row are dead-lettered (0 disables).
    #[arg(long, env = "EVENTWIRE_DLQ_MAX_CONSECUTIVE", default_value_t = 100)]
    pub dlq_max_consecutive: u32,
    /// Stop when more than this share of the last --dlq-window records is dead-lettered.
    #[arg(long, env = "EVENTWIRE_DLQ_MAX_RATIO", default_value_t = 0.5)]
    pub dlq_max_ratio: f64,
    /// Records over which the dead-letter ratio is judged.
    #[arg(long, env = "EVENTWIRE_DLQ_WINDOW", default_value_t = 1000)]
    pub dlq_window: usize,
}

/// Records processed at once by default: one per available core (2 when unknown).
pub fn default_concurrency() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
}

/// Whether a drain deadline of `secs` is positive and shorter than the default session timeout.
fn drain_ends_before_session_timeout(secs: u64) -> bool {
    (1..DEFAULT_SESSION_TIMEOUT_SECS).contains(&secs)
}

/// Validated settings for running one stage.
#[derive(Debug, Clone)]
pub struct StageSettings {
    pub group: String,
    pub concurrency: usize,
    pub max_in_flight: usize,
    pub max_record_bytes: usize,
    pub commit_interval: Duration,
    pub shutdown_timeout: Duration,
    pub retry: RetryPolicy,
    pub breaker: BreakerConfig,
}

impl ConsumerArgs {
    pub fn settings(&self, service: &str) -> Result<StageSettings, RuntimeError> {
        let bad = |m: String| Err(RuntimeError::Config(m));
        if !(1..=1024).contains(&self.concurrency) {
            return bad(format!(
                "--concurrency must be between 1 and 1024 (got {})",
                self.concurrency
            ));
        }
        if self.max_in_flight < self.concurrency {
            return bad(format!(
                "--max-in-flight ({}) must be at least --concurrency ({})",
                self.max_in_flight, self.concurrency
            ));
        }
        if self.max_record_bytes < 1024 {
            return bad(format!(
                "--max-record-bytes must be at least 1024 (got {})",
                self.max_record_bytes
            ));
        }
        if self.commit_interval_ms == 0 {
            return bad("--commit-interval-ms must be positive".into());
        }
        if !drain_ends_before_session_timeout(self.shutdown_timeout_secs) {
            return bad(format!(
                "--shutdown-timeout-secs must be between 1 and {} so a drain ends before the \
                 group's session timeout (got {})",
                DEFAULT_SESSION_TIMEOUT_SECS - 1,
                self.shutdown_timeout_secs
            ));
        }
        if self.retry_initial_ms == 0 || self.retry_max_ms < self.retry_initial_ms {
            return bad(
                "retry pauses must satisfy 0 < --retry-initial-ms <= --retry-max-ms".into(),
            );
        }
        if !(self.dlq_max_ratio > 0.0 && self.dlq_max_ratio <= 1.0) {
            return bad(format!(
                "--dlq-max-ratio must be in (0, 1] (got {})",
                self.dlq_max_ratio
            ));
        }
        let group = match &self.group {
            Some(g) if g.trim().is_empty() => return bad("--group must not be empty".into()),
            Some(g) => g.clone(),
            None => format!("eventwire-{service}"),
        };
        Ok(StageSettings {
            group,
            concurrency: self.concurrency,
            max_in_flight: self.max_in_flight,
            max_record_bytes: self.max_record_bytes,
            commit_interval: Duration::from_millis(self.commit_interval_ms),
            shutdown_timeout: Duration::from_secs(self.shutdown_timeout_secs),
            retry: RetryPolicy {
                initial: Duration::from_millis(self.retry_initial_ms),
                max: Duration::from_millis(self.retry_max_ms),
                max_attempts: self.retry_max_attempts,
            },
            breaker: BreakerConfig {
                max_consecutive: self.dlq_max_consecutive,
                max_ratio: self.dlq_max_ratio,
                window: self.dlq_window,
                min_records: (self.dlq_window / 10).max(1),
            },
        })
    }
}

/// Everything a consuming service takes on its command line: connection, consumer and
/// telemetry settings. Services flatten this into their own `clap` parser.
#[derive(clap::Args, Debug, Clone)]
pub struct ConsumerServiceArgs {
    #[command(flatten)]
    pub kafka: KafkaArgs,
    #[command(flatten)]
    pub consumer: ConsumerArgs,
    #[command(flatten)]
    pub serve: ServeArgs,
}

/// Telemetry endpoints and logs.
#[derive(clap::Args, Debug, Clone)]
pub struct ServeArgs {
    /// Address for /metrics, /healthz and /readyz (default 0.0.0.0:<service port>).
    #[arg(long, env = "EVENTWIRE_METRICS_ADDR")]
    pub metrics_addr: Option<SocketAddr>,
    /// Log format on stderr; the level comes from EVENTWIRE_LOG (e.g. "info,rdkafka=warn").
    #[arg(long, env = "EVENTWIRE_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
}

impl ServeArgs {
    pub fn addr(&self, default_port: u16) -> SocketAddr {
        self.metrics_addr
            .unwrap_or_else(|| SocketAddr::from(([0, 0, 0, 0], default_port)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct T {
        #[command(flatten)]
        kafka: KafkaArgs,
        #[command(flatten)]
        consumer: ConsumerArgs,
    }

    fn parse(args: &[&str]) -> T {
        T::try_parse_from(std::iter::once("t").chain(args.iter().copied())).unwrap()
    }

    #[test]
    fn defaults_validate() {
        let t = parse(&[]);
        let s = t.consumer.settings("cleaner").unwrap();
        assert_eq!(s.group, "eventwire-cleaner");
        assert!(t.kafka.options().unwrap().is_empty());
    }

    #[test]
    fn pass_through_options_parse_and_reserved_keys_are_refused() {
        let t = parse(&[
            "-X",
            "security.protocol=SASL_SSL",
            "-X",
            "sasl.mechanism=SCRAM-SHA-512",
        ]);
        assert_eq!(t.kafka.options().unwrap().len(), 2);
        let t = parse(&["-X", "enable.auto.commit=true"]);
        let e = t.kafka.options().unwrap_err().to_string();
        assert!(e.contains("managed by eventwire"), "{e}");
        let t = parse(&["-X", "nonsense"]);
        assert!(t
            .kafka
            .options()
            .unwrap_err()
            .to_string()
            .contains("key=value"));
    }

    #[test]
    fn bad_numbers_are_explained() {
        let t = parse(&["--concurrency", "0"]);
        assert!(t
            .consumer
            .settings("x")
            .unwrap_err()
            .to_string()
            .contains("--concurrency"));
        let t = parse(&["--shutdown-timeout-secs", "60"]);
        assert!(t
            .consumer
            .settings("x")
            .unwrap_err()
            .to_string()
            .contains("session timeout"));
        let t = parse(&["--dlq-max-ratio", "0"]);
        assert!(t.consumer.settings("x").is_err());
        let t = parse(&["--brokers", " , "]);
        assert!(t.kafka.options().is_err());
    }

    #[test]
    fn topic_prefix_applies() {
        let t = parse(&["--topic-prefix", "t1."]);
        assert_eq!(t.kafka.topic("articles.raw"), "t1.articles.raw");
    }
}
