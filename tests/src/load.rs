//! Helpers for load measurements (`tests/examples/load_cleaner.rs`): release binaries, a bulk
//! producer, a topic reader that keeps record timestamps, and process statistics from `/proc`
//! (resident memory, its high-water mark, CPU time) sampled on a background thread.
//!
//! Measurements need optimised binaries, so [`release_binary`] looks in `<target>/release` and
//! builds the requested binaries there once per process (`EVENTWIRE_LOAD_NO_BUILD=1` only checks
//! that they exist). The `/proc` readers work on Linux only; elsewhere they return an error.
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context, Result};
use rdkafka::config::ClientConfig;
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::message::{Header, OwnedHeaders};
use rdkafka::producer::{BaseRecord, DeliveryResult, Producer, ProducerContext, ThreadedProducer};
use rdkafka::ClientContext;

use crate::{bins, tail};

/// The directory holding release binaries: `$EVENTWIRE_RELEASE_BIN_DIR`, else
/// `<target>/release` where `<target>` is `$CARGO_TARGET_DIR` or the workspace's `target/`.
pub fn release_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("EVENTWIRE_RELEASE_BIN_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    bins::target_dir().join("release")
}

/// The path of release binary `name`. The first call runs `cargo build --release --bin ...` for
/// every name in `all` (so later calls find theirs up to date); with `EVENTWIRE_LOAD_NO_BUILD`
/// set it only checks that the file exists.
pub fn release_binary(name: &str, all: &[&str]) -> Result<PathBuf> {
    static BUILT: OnceLock<Result<(), String>> = OnceLock::new();
    BUILT
        .get_or_init(|| build_release(all))
        .clone()
        .map_err(|e| anyhow!(e))?;
    let path = release_dir().join(name);
    if path.is_file() {
        Ok(path)
    } else {
        bail!(
            "release binary {name} not found at {}; build it with `cargo build --release --bin {name}`",
            path.display()
        )
    }
}

fn build_release(names: &[&str]) -> Result<(), String> {
    if std::env::var_os("EVENTWIRE_LOAD_NO_BUILD").is_some_and(|v| !v.is_empty() && v != "0") {
        return Ok(());
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(&cargo);
    cmd.args(["build", "--release"]);
    for n in names {
        cmd.args(["--bin", n]);
    }
    eprintln!(
        "load: running `cargo build --release{}` so the measurement uses fresh optimised binaries",
        names
            .iter()
            .map(|n| format!(" --bin {n}"))
            .collect::<String>()
    );
    let output = cmd
        .current_dir(bins::workspace_root())
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "`cargo build --release` failed ({}):\n{}",
            output.status,
            tail(&String::from_utf8_lossy(&output.stderr), 60)
        ));
    }
    Ok(())
}

/// Memory figures of a process, from `/proc/<pid>/status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MemStatus {
    /// Resident set size now (`VmRSS`), bytes.
    pub rss: u64,
    /// Highest resident set size so far (`VmHWM`), bytes.
    pub hwm: u64,
}

/// Reads `VmRSS` and `VmHWM` out of the text of a `/proc/<pid>/status` file.
pub fn parse_status(text: &str) -> Result<MemStatus> {
    let field = |name: &str| -> Result<u64> {
        let line = text
            .lines()
            .find_map(|l| l.strip_prefix(name)?.strip_prefix(':'))
            .ok_or_else(|| anyhow!("no {name} line in the process status"))?;
        let mut parts = line.split_whitespace();
        let value: u64 = parts
            .next()
            .ok_or_else(|| anyhow!("{name} has no value"))?
            .parse()
            .with_context(|| format!("{name} is not a number"))?;
        match parts.next() {
            Some("kB") => Ok(value * 1024),
            other => bail!("{name} has unit {other:?}, expected kB"),
        }
    };
    Ok(MemStatus {
        rss: field("VmRSS")?,
        hwm: field("VmHWM")?,
    })
}

/// Memory figures of process `pid` now.
pub fn mem_status(pid: u32) -> Result<MemStatus> {
    let path = format!("/proc/{pid}/status");
    let text = std::fs::read_to_string(&path).with_context(|| format!("cannot read {path}"))?;
    parse_status(&text)
}

/// User plus system CPU time, in clock ticks, out of the text of a `/proc/<pid>/stat` file
/// (fields 14 and 15; the command name in parentheses may itself hold spaces or parentheses).
pub fn parse_stat_ticks(text: &str) -> Result<u64> {
    let after = text
        .rfind(')')
        .map(|i| &text[i + 1..])
        .ok_or_else(|| anyhow!("malformed stat line: {text:?}"))?;
    // After the command come field 3 (state) onwards, so utime (14) is the 12th of them.
    let fields: Vec<&str> = after.split_whitespace().collect();
    let get = |i: usize| -> Result<u64> {
        fields
            .get(i)
            .ok_or_else(|| anyhow!("stat line too short: {text:?}"))?
            .parse::<u64>()
            .with_context(|| format!("stat field {} is not a number", i + 3))
    };
    Ok(get(11)? + get(12)?)
}

/// CPU seconds (user plus system) process `pid` has used so far.
pub fn cpu_seconds(pid: u32) -> Result<f64> {
    let path = format!("/proc/{pid}/stat");
    let text = std::fs::read_to_string(&path).with_context(|| format!("cannot read {path}"))?;
    let ticks = parse_stat_ticks(&text)?;
    // SAFETY: sysconf has no preconditions.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    if hz <= 0 {
        bail!("cannot read the clock tick rate");
    }
    Ok(ticks as f64 / hz as f64)
}

/// Child processes of this process whose command name (`/proc/<pid>/comm`) is `name`.
pub fn children_named(name: &str) -> Vec<u32> {
    let me = std::process::id();
    let mut out = BTreeSet::new();
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{me}/task")) else {
        return Vec::new();
    };
    for task in tasks.flatten() {
        let Ok(children) = std::fs::read_to_string(task.path().join("children")) else {
            continue;
        };
        for pid in children
            .split_whitespace()
            .filter_map(|p| p.parse::<u32>().ok())
        {
            let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
            if comm.trim() == name {
                out.insert(pid);
            }
        }
    }
    out.into_iter().collect()
}

/// One sample taken by a [`MemSampler`].
#[derive(Debug, Clone, Copy)]
pub struct MemSample {
    /// Time since the sampler started.
    pub at: Duration,
    /// The process's memory at that time.
    pub mem: MemStatus,
}

/// Samples a process's memory on a background thread until stopped (or the process is gone).
pub struct MemSampler {
    started: Instant,
    samples: Arc<Mutex<Vec<MemSample>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl MemSampler {
    /// Starts sampling `pid` every `every`.
    pub fn start(pid: u32, every: Duration) -> MemSampler {
        let started = Instant::now();
        let samples = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (samples, stop) = (Arc::clone(&samples), Arc::clone(&stop));
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let Ok(mem) = mem_status(pid) else { break };
                    let sample = MemSample {
                        at: started.elapsed(),
                        mem,
                    };
                    match samples.lock() {
                        Ok(mut s) => s.push(sample),
                        Err(p) => p.into_inner().push(sample),
                    }
                    std::thread::sleep(every);
                }
            })
        };
        MemSampler {
            started,
            samples,
            stop,
            thread: Some(thread),
        }
    }

    /// When sampling started.
    pub fn started(&self) -> Instant {
        self.started
    }

    /// The samples so far.
    pub fn samples(&self) -> Vec<MemSample> {
        match self.samples.lock() {
            Ok(s) => s.clone(),
            Err(p) => p.into_inner().clone(),
        }
    }

    /// Stops sampling; returns every sample taken.
    pub fn stop(mut self) -> Vec<MemSample> {
        self.halt();
        self.samples()
    }

    fn halt(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for MemSampler {
    fn drop(&mut self) {
        self.halt();
    }
}

/// Counts delivery reports of a [`produce_all`] run.
#[derive(Default)]
struct BulkCtx {
    failed: Mutex<Option<String>>,
    delivered: std::sync::atomic::AtomicU64,
}

impl ClientContext for BulkCtx {}

impl ProducerContext for BulkCtx {
    type DeliveryOpaque = ();

    fn delivery(&self, result: &DeliveryResult<'_>, _: ()) {
        match result {
            Ok(_) => {
                self.delivered.fetch_add(1, Ordering::Relaxed);
            }
            Err((e, _)) => {
                if let Ok(mut slot) = self.failed.lock() {
                    slot.get_or_insert_with(|| e.to_string());
                }
            }
        }
    }
}

/// What [`produce_all`] did.
#[derive(Debug, Clone, Copy)]
pub struct ProduceReport {
    /// Records acknowledged by the broker.
    pub records: u64,
    /// Payload bytes sent (keys and headers excluded).
    pub bytes: u64,
    /// From the first send to the last acknowledgement.
    pub elapsed: Duration,
}

/// Produces every `(key, payload)` of `records` to `topic` with the `headers` given by
/// `headers_for` (called per record), batching as a real producer would, and waits until every
/// record is acknowledged (fails on the first delivery error, or after `timeout`). `extra` are
/// librdkafka settings (e.g. `("linger.ms", "20")`).
// long: one producer's life: configure, send with a bounded window, wait for every acknowledgement,
// report.
pub fn produce_all<'a>(
    brokers: &str,
    topic: &str,
    records: impl IntoIterator<Item = (&'a [u8], &'a [u8])>,
    headers_for: impl Fn() -> Vec<(String, Vec<u8>)>,
    extra: &[(&str, &str)],
    timeout: Duration,
) -> Result<ProduceReport> {
    let mut cfg = ClientConfig::new();
    cfg.set("bootstrap.servers", brokers)
        .set("enable.idempotence", "true")
        .set("linger.ms", "10")
        .set("queue.buffering.max.kbytes", "262144")
        .set("message.timeout.ms", timeout.as_millis().to_string());
    for (k, v) in extra {
        cfg.set(*k, *v);
    }
    let producer: ThreadedProducer<BulkCtx> = cfg
        .create_with_context(BulkCtx::default())
        .context("cannot create a Kafka producer")?;
    let started = Instant::now();
    let deadline = started + timeout;
    let (mut sent, mut bytes) = (0u64, 0u64);
    for (key, payload) in records {
        let mut owned = OwnedHeaders::new();
        let headers = headers_for();
        for (k, v) in &headers {
            owned = owned.insert(Header {
                key: k,
                value: Some(v),
            });
        }
        let mut record = BaseRecord::to(topic)
            .key(key)
            .payload(payload)
            .headers(owned);
        loop {
            match producer.send(record) {
                Ok(()) => break,
                Err((KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull), back)) => {
                    if Instant::now() >= deadline {
                        bail!("producer queue still full after {timeout:?}");
                    }
                    record = back;
                    std::thread::sleep(Duration::from_millis(5));
                }
                Err((e, _)) => bail!("cannot queue a record for {topic}: {e}"),
            }
        }
        sent += 1;
        bytes += payload.len() as u64;
        if let Some(e) = producer
            .context()
            .failed
            .lock()
            .ok()
            .and_then(|f| f.clone())
        {
            bail!("a record for {topic} was not delivered: {e}");
        }
    }
    producer
        .flush(deadline.saturating_duration_since(Instant::now()))
        .with_context(|| format!("records for {topic} not acknowledged within {timeout:?}"))?;
    let elapsed = started.elapsed();
    if let Some(e) = producer
        .context()
        .failed
        .lock()
        .ok()
        .and_then(|f| f.clone())
    {
        bail!("a record for {topic} was not delivered: {e}");
    }
    let delivered = producer.context().delivered.load(Ordering::Relaxed);
    if delivered != sent {
        bail!("{sent} records sent to {topic} but {delivered} acknowledged");
    }
    Ok(ProduceReport {
        records: sent,
        bytes,
        elapsed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_fields_are_read_in_bytes() {
        let text = "Name:\teventwire-clea\nVmPeak:\t  900000 kB\nVmHWM:\t  123456 kB\n\
                    VmRSS:\t  100000 kB\nThreads:\t12\n";
        let m = parse_status(text).unwrap();
        assert_eq!(m.rss, 100_000 * 1024);
        assert_eq!(m.hwm, 123_456 * 1024);
        assert!(parse_status("VmRSS:\t1 kB\n").is_err(), "VmHWM missing");
        assert!(
            parse_status("VmRSS:\t1 MB\nVmHWM:\t1 kB\n").is_err(),
            "unknown unit"
        );
    }

    #[test]
    fn stat_ticks_skip_a_command_name_with_spaces() {
        // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
        let text = "4242 (my (odd) name) S 1 4242 4242 0 -1 4194560 500 0 0 0 1234 567 0 0 20 0";
        assert_eq!(parse_stat_ticks(text).unwrap(), 1234 + 567);
        assert!(parse_stat_ticks("4242 (x) S 1 2").is_err());
    }

    #[test]
    fn own_process_statistics_are_readable() {
        if cfg!(target_os = "linux") {
            let me = std::process::id();
            let m = mem_status(me).unwrap();
            assert!(m.rss > 0 && m.hwm >= m.rss);
            assert!(cpu_seconds(me).unwrap() >= 0.0);
        }
    }
}

/// The ids a load run saw on the event topics, for `duplicate_event_ids`: ids carried by two
/// records with different content (after removing fields that change on every delivery, such
/// as `ingested_at`). A redelivery repeats an id with the same content and is not counted.
#[derive(Debug, Default)]
pub struct EventIdCheck {
    /// Each id's first content, as JSON text (one producer writes fields in one order).
    content_of: std::collections::HashMap<String, String>,
    duplicate_ids: BTreeSet<String>,
}

impl EventIdCheck {
    /// Records one event record's JSON value; returns whether its id was already seen with other
    /// content.
    pub fn record(&mut self, value: &[u8]) -> Result<bool> {
        let mut event: serde_json::Value =
            serde_json::from_slice(value).context("event record is not JSON")?;
        let id = event["event_id"]
            .as_str()
            .ok_or_else(|| anyhow!("event record without event_id"))?
            .to_string();
        if let Some(map) = event.as_object_mut() {
            map.remove("ingested_at");
        }
        let content = event.to_string();
        let clash = match self.content_of.get(&id) {
            Some(seen) => seen != &content,
            None => {
                self.content_of.insert(id.clone(), content);
                false
            }
        };
        if clash {
            self.duplicate_ids.insert(id);
        }
        Ok(clash)
    }

    /// `duplicate_event_ids`: how many ids were seen with different content.
    pub fn duplicate_event_ids(&self) -> usize {
        self.duplicate_ids.len()
    }
}

#[cfg(test)]
mod event_id_check_tests {
    use super::EventIdCheck;

    #[test]
    fn counts_ids_seen_with_other_content_not_redeliveries() {
        let mut check = EventIdCheck::default();
        let a = br#"{"event_id":"x","kind":"meet","ingested_at":"1"}"#;
        let a_again = br#"{"event_id":"x","kind":"meet","ingested_at":"2"}"#;
        let b = br#"{"event_id":"x","kind":"visit"}"#;
        assert!(!check.record(a).unwrap());
        assert!(
            !check.record(a_again).unwrap(),
            "a redelivery is no duplicate"
        );
        assert_eq!(check.duplicate_event_ids(), 0);
        assert!(check.record(b).unwrap());
        assert_eq!(check.duplicate_event_ids(), 1);
        assert!(check.record(b"not json").is_err());
    }
}
