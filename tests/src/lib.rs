//! Harness for eventwire's end-to-end tests: the pipeline's services run as separate OS processes
//! against a real Kafka-protocol broker (Tansu), and the tests read the topics back with rdkafka.
//!
//! * [`Tansu`] installs (via `scripts/install-tansu.sh`) and runs a throw-away in-memory broker.
//! * [`Service`] runs one of the workspace's binaries, located (and brought up to date once per
//!   process) by [`bins`], with its log in a temporary file; it is killed on drop, even when a
//!   test panics.
//! * [`kafka`] reads topics back and produces raw records.
//! * [`http`] talks to the services' `/metrics`, `/healthz` and `/readyz` over plain TCP.
//!
//! Every test works in its own namespace: [`unique_prefix`] gives topic prefixes (and group ids)
//! that never collide with another test, even when tests share a broker or run in parallel.
//! Nothing here is used by production code.

pub mod bins;
pub mod http;
pub mod kafka;
pub mod load;
pub mod ports;
pub mod service;
pub mod tansu;

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

pub use bins::{binary, workspace_root};
pub use http::{http_get, metric_value, wait_ready};
pub use kafka::{is_empty, produce, read_records, read_settled, read_topic, Record, TopicReader};
pub use ports::free_port;
pub use service::{Finished, Service};
pub use tansu::Tansu;

/// The dead-letter topics (logical names).
pub const DLQ_TOPICS: [&str; 3] = ["ingest.dlq", "articles.raw.dlq", "articles.clean.dlq"];

/// A topic prefix no other test (or earlier run) uses: `t<millis>-<pid>-<n>-<test>.`, restricted
/// to the characters Kafka allows in topic names.
pub fn unique_prefix(test: &str) -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let name: String = test
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .take(60)
        .collect();
    format!("t{millis}-{}-{n}-{name}.", std::process::id())
}

/// Runs `eventwire topics create` for every pipeline topic under `prefix`.
pub fn create_topics(brokers: &str, prefix: &str, partitions: u32) -> anyhow::Result<()> {
    create_topics_with(&bins::binary("eventwire")?, brokers, prefix, partitions)
}

/// [`create_topics`] with the `eventwire` binary at `cli` (the load harnesses use release builds).
pub fn create_topics_with(
    cli: &std::path::Path,
    brokers: &str,
    prefix: &str,
    partitions: u32,
) -> anyhow::Result<()> {
    let args = [
        "topics".to_string(),
        "create".to_string(),
        "--brokers".to_string(),
        brokers.to_string(),
        "--topic-prefix".to_string(),
        prefix.to_string(),
        "--partitions".to_string(),
        partitions.to_string(),
    ];
    let mut cmd = Service::spawn_path("eventwire", cli, &args, &[])?;
    let status = cmd.wait(std::time::Duration::from_secs(60))?;
    if !status.success() {
        anyhow::bail!(
            "`eventwire topics create` failed ({status}); its output:\n{}",
            cmd.log()
        );
    }
    Ok(())
}

/// The last `lines` lines of `text`, for error messages.
pub fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    let start = all.len().saturating_sub(lines);
    all[start..].join("\n")
}
