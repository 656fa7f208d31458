//! Every metric the runtime emits, defined in one place (`docs/metrics.md` lists them). Labels are
//! bounded: topic, partition, stage, error_code, kind; never an article id or URL. The `service`
//! label is a constant label on the whole registry.
use prometheus::{
    Gauge, GaugeVec, Histogram, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, IntGaugeVec,
    Opts, Registry,
};

/// Buckets for per-record processing time: 50 µs to 30 s.
const PROCESSING_BUCKETS: &[f64] = &[
    0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0,
    2.5, 5.0, 10.0, 30.0,
];
/// Buckets for end-to-end latency since ingest: 1 ms to 10 min.
const LATENCY_BUCKETS: &[f64] = &[
    0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0,
    600.0,
];

/// Label values known in advance, exposed at 0 from start-up so that rates and alerts see the
/// counters' first increment (a labelled series is otherwise absent until then): the kinds of
/// rebalance, and the transport's own retry stages (publication and delivery of outputs).
pub const REBALANCE_KINDS: [&str; 3] = ["assign", "revoke", "lost"];
pub const TRANSPORT_RETRY_STAGES: [&str; 2] = ["produce", "deliver"];

/// The runtime's metrics for one service.
#[derive(Clone)]
pub struct Metrics {
    pub registry: Registry,
    pub records_in: IntCounterVec,
    pub records_out: IntCounterVec,
    pub errors: IntCounterVec,
    pub dead_letters: IntCounterVec,
    pub retries: IntCounterVec,
    pub processing_seconds: HistogramVec,
    pub end_to_end_seconds: HistogramVec,
    pub consumer_lag: IntGaugeVec,
    pub in_flight: IntGauge,
    pub last_processed: Gauge,
    pub rebalances: IntCounterVec,
    pub assigned_partitions: IntGauge,
    pub producer_queue: IntGauge,
    pub client_errors: IntCounterVec,
    pub build_info: GaugeVec,
}

/// Registers a metric and hands it back. Definitions are static, so a failure here is a bug
/// (a bad name or a metric registered twice), found by the tests, not by users.
fn register<M: prometheus::core::Collector + Clone + 'static>(reg: &Registry, metric: M) -> M {
    reg.register(Box::new(metric.clone()))
        .expect("metric defined validly and registered once");
    metric
}

fn counter(reg: &Registry, name: &str, help: &str, labels: &[&str]) -> IntCounterVec {
    register(
        reg,
        IntCounterVec::new(Opts::new(name, help), labels).expect("valid metric definition"),
    )
}

fn int_gauge(reg: &Registry, name: &str, help: &str) -> IntGauge {
    register(reg, IntGauge::new(name, help).expect("valid gauge"))
}

fn histogram_vec(
    reg: &Registry,
    name: &str,
    help: &str,
    buckets: &[f64],
    labels: &[&str],
) -> HistogramVec {
    register(
        reg,
        HistogramVec::new(
            HistogramOpts::new(name, help).buckets(buckets.to_vec()),
            labels,
        )
        .expect("valid histogram"),
    )
}

impl Metrics {
    /// A fresh registry for `service` with the runtime's metrics (and process metrics on Linux).
    pub fn new(service: &str) -> Self {
        let mut labels = std::collections::HashMap::new();
        labels.insert("service".to_string(), service.to_string());
        let registry =
            Registry::new_custom(None, Some(labels)).expect("service label is a valid label");
        Self::register(registry)
    }

    // long: one declaration per metric, each a field of the struct it fills; a metric added
    // is one more field here, which splitting the list would scatter.
    fn register(registry: Registry) -> Self {
        let reg = &registry;
        let metrics = Metrics {
            records_in: counter(
                reg,
                "eventwire_records_in_total",
                "Records read from an input topic (or feed, for ingest).",
                &["topic"],
            ),
            records_out: counter(
                reg,
                "eventwire_records_out_total",
                "Records written and acknowledged, by output topic (dead letters included).",
                &["topic"],
            ),
            errors: counter(
                reg,
                "eventwire_errors_total",
                "Errors while processing records, by stage and error code (retriable ones included).",
                &["stage", "error_code"],
            ),
            dead_letters: counter(
                reg,
                "eventwire_dead_letters_total",
                "Records sent to a dead-letter topic, by input topic and error code.",
                &["topic", "error_code"],
            ),
            retries: counter(
                reg,
                "eventwire_retries_total",
                "Retries of a record or of its delivery after a retriable error.",
                &["stage"],
            ),
            processing_seconds: histogram_vec(
                reg,
                "eventwire_processing_duration_seconds",
                "Time a stage spends on one record, retries included.",
                PROCESSING_BUCKETS,
                &["stage"],
            ),
            end_to_end_seconds: histogram_vec(
                reg,
                "eventwire_end_to_end_latency_seconds",
                "Time from the article's ingest to this service's output being acknowledged.",
                LATENCY_BUCKETS,
                &["topic"],
            ),
            consumer_lag: register(reg, IntGaugeVec::new(
                Opts::new(
                    "eventwire_consumer_lag_messages",
                    "Messages between the group's committed offset and the partition's end (librdkafka statistics).",
                ),
                &["topic", "partition"],
            ).expect("valid gauge")),
            in_flight: int_gauge(
                reg,
                "eventwire_in_flight_records",
                "Records read but not yet fully processed and acknowledged.",
            ),
            last_processed: register(
                reg,
                Gauge::new(
                    "eventwire_last_processed_timestamp_seconds",
                    "Unix time at which the last record finished processing.",
                )
                .expect("valid gauge"),
            ),
            rebalances: counter(
                reg,
                "eventwire_rebalances_total",
                "Consumer group rebalance events, by kind (assign, revoke, lost).",
                &["kind"],
            ),
            assigned_partitions: int_gauge(
                reg,
                "eventwire_assigned_partitions",
                "Partitions currently assigned to this consumer.",
            ),
            producer_queue: int_gauge(
                reg,
                "eventwire_producer_queue_messages",
                "Messages waiting in the producer's queue (librdkafka statistics).",
            ),
            client_errors: counter(
                reg,
                "eventwire_client_errors_total",
                "Errors reported by the Kafka client (broker down, timeouts), by error code.",
                &["error_code"],
            ),
            build_info: register(
                reg,
                GaugeVec::new(
                    Opts::new(
                        "eventwire_build_info",
                        "Always 1; labels carry the version.",
                    ),
                    &["version"],
                )
                .expect("valid gauge"),
            ),
                registry,
        };
        metrics.set_initial_values();
        metrics
    }

    /// What a fresh registry shows before any record: the build's version, every rebalance
    /// kind and transport retry stage at zero, and (on Linux) the process metrics.
    fn set_initial_values(&self) {
        self.build_info
            .with_label_values(&[env!("CARGO_PKG_VERSION")])
            .set(1.0);
        for kind in REBALANCE_KINDS {
            self.rebalances.with_label_values(&[kind]);
        }
        for stage in TRANSPORT_RETRY_STAGES {
            self.retries.with_label_values(&[stage]);
        }
        #[cfg(target_os = "linux")]
        {
            let pc = prometheus::process_collector::ProcessCollector::for_self();
            // Registration fails only if registered twice; process metrics are best-effort.
            let _ = self.registry.register(Box::new(pc));
        }
    }

    /// The text exposition of every metric in the registry.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let encoder = prometheus::TextEncoder::new();
        if let Err(e) = encoder.encode_utf8(&self.registry.gather(), &mut out) {
            tracing::warn!(error = %e, "could not encode metrics");
        }
        out
    }

    /// Observes end-to-end latency for one output, from the ingest-time header when present.
    pub fn observe_end_to_end(&self, topic: &str, ingested_at_ms: Option<i64>) {
        if let Some(ms) = ingested_at_ms {
            let now_ms = chrono::Utc::now().timestamp_millis();
            let secs = (now_ms - ms).max(0) as f64 / 1000.0;
            self.end_to_end_seconds
                .with_label_values(&[topic])
                .observe(secs);
        }
    }

    pub fn mark_processed(&self) {
        self.last_processed
            .set(chrono::Utc::now().timestamp_millis() as f64 / 1000.0);
    }
}

/// A histogram for service-specific use, registered on the same registry.
pub fn histogram(reg: &Registry, name: &str, help: &str, buckets: Vec<f64>) -> Histogram {
    register(
        reg,
        Histogram::with_opts(HistogramOpts::new(name, help).buckets(buckets))
            .expect("valid histogram"),
    )
}

/// A counter vector for service-specific use, registered on the same registry.
pub fn counter_vec(reg: &Registry, name: &str, help: &str, labels: &[&str]) -> IntCounterVec {
    counter(reg, name, help, labels)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exposition_has_service_label_and_core_metrics() {
        let m = Metrics::new("cleaner");
        m.records_in.with_label_values(&["articles.raw"]).inc();
        m.errors.with_label_values(&["clean", "decode_error"]).inc();
        m.processing_seconds
            .with_label_values(&["clean"])
            .observe(0.01);
        let text = m.render();
        assert!(text
            .contains(r#"eventwire_records_in_total{topic="articles.raw",service="cleaner"} 1"#));
        assert!(text.contains("eventwire_processing_duration_seconds_bucket"));
        assert!(text.contains("eventwire_build_info"));
    }

    #[test]
    fn known_label_values_are_exposed_at_zero_from_the_start() {
        let text = Metrics::new("tagger").render();
        for kind in REBALANCE_KINDS {
            let line = format!(r#"eventwire_rebalances_total{{kind="{kind}",service="tagger"}} 0"#);
            assert!(text.contains(&line), "{line} missing from:\n{text}");
        }
        for stage in TRANSPORT_RETRY_STAGES {
            let line = format!(r#"eventwire_retries_total{{stage="{stage}",service="tagger"}} 0"#);
            assert!(text.contains(&line), "{line} missing from:\n{text}");
        }
    }
}

#[cfg(test)]
mod doc_tests {
    use super::*;

    /// docs/metrics.md and the registry must list the same runtime metrics.
    #[test]
    fn docs_and_code_list_the_same_metrics() {
        let doc = include_str!("../../../docs/metrics.md");
        let documented: std::collections::BTreeSet<&str> = doc
            .lines()
            .filter_map(|l| l.strip_prefix("| `"))
            .filter_map(|l| l.split('`').next())
            .filter(|n| *n != "eventwire_events_total") // the tagger's own, checked end to end
            .collect();
        let m = Metrics::new("doc");
        // Touch every labelled metric once so it appears in the exposition.
        m.records_in.with_label_values(&["t"]).inc();
        m.records_out.with_label_values(&["t"]).inc();
        m.errors.with_label_values(&["s", "c"]).inc();
        m.dead_letters.with_label_values(&["t", "c"]).inc();
        m.retries.with_label_values(&["s"]).inc();
        m.processing_seconds.with_label_values(&["s"]).observe(0.1);
        m.end_to_end_seconds.with_label_values(&["t"]).observe(0.1);
        m.consumer_lag.with_label_values(&["t", "0"]).set(1);
        m.rebalances.with_label_values(&["assign"]).inc();
        m.client_errors.with_label_values(&["c"]).inc();
        let emitted: std::collections::BTreeSet<String> = m
            .registry
            .gather()
            .iter()
            .map(|f| f.name().to_string())
            .filter(|n| n.starts_with("eventwire_"))
            .collect();
        let documented: std::collections::BTreeSet<String> =
            documented.into_iter().map(String::from).collect();
        assert_eq!(emitted, documented);
    }
}
