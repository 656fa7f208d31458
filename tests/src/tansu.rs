//! A throw-away Tansu broker (Kafka protocol, in-memory storage) for one test: installed once per
//! machine by `scripts/install-tansu.sh`, started on a free port with its log in a temporary file,
//! ready once it answers a Kafka metadata request, killed on drop.
//!
//! Limits of Tansu 0.6.0 that tests must work around (they are the broker's, not eventwire's):
//! * no transactions;
//! * a partition's high watermark is reported as the base offset of its last record batch plus
//!   one, so watermarks undercount topics written in multi-record batches (count by reading, see
//!   [`crate::read_settled`]; an empty partition still reads as empty);
//! * a fetch from an offset inside a multi-record batch skips the rest of that batch, so a
//!   consumer resuming from such a committed offset silently misses records. Tests that restart a
//!   consumer mid-stream have its input written one record per batch (`-X batch.num.messages=1`).
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context, Result};
use rdkafka::config::ClientConfig;
use rdkafka::consumer::{BaseConsumer, Consumer};

use crate::{bins, ports, tail, Service};

/// How long a started broker gets to answer metadata requests.
const START_TIMEOUT: Duration = Duration::from_secs(30);

/// A running broker.
pub struct Tansu {
    process: Service,
    port: u16,
}

/// The tansu executable: `$EVENTWIRE_TANSU` if set, else what `scripts/install-tansu.sh` prints
/// (building it on first use: about 11 minutes on 2 cores). Installed once per process.
pub fn tansu_binary() -> Result<PathBuf> {
    static BIN: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    BIN.get_or_init(install).clone().map_err(|e| anyhow!(e))
}

fn install() -> Result<PathBuf, String> {
    if let Some(bin) = std::env::var_os("EVENTWIRE_TANSU").filter(|b| !b.is_empty()) {
        let bin = PathBuf::from(bin);
        if bin.is_file() {
            return Ok(bin);
        }
        return Err(format!("EVENTWIRE_TANSU={} is not a file", bin.display()));
    }
    let script = bins::workspace_root().join("scripts/install-tansu.sh");
    let started = Instant::now();
    // stderr is inherited so a cold build's progress (and any error) shows as it happens.
    let output = Command::new("bash")
        .arg(&script)
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", script.display()))?;
    let fail = |why: String| {
        Err(format!(
            "cannot install the Tansu broker the end-to-end tests need: {why}.\n\
             {} builds tansu with `cargo install` on first use (network access, about 11 min on \
             2 cores) and caches it under $EVENTWIRE_CACHE (default ~/.cache/eventwire); \
             alternatively set EVENTWIRE_TANSU to an existing tansu 0.6 binary",
            script.display()
        ))
    };
    if !output.status.success() {
        return fail(format!(
            "the script exited with {} (its output is above)",
            output.status
        ));
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let Some(path) = stdout.lines().map(str::trim).rfind(|l| !l.is_empty()) else {
        return fail("the script printed no path".into());
    };
    let bin = PathBuf::from(path);
    if !bin.is_file() {
        return fail(format!("the script printed {path:?}, which is not a file"));
    }
    if started.elapsed() > Duration::from_secs(5) {
        eprintln!(
            "e2e: tansu installed in {:.0}s",
            started.elapsed().as_secs_f64()
        );
    }
    Ok(bin)
}

impl Tansu {
    /// Installs (if needed) and starts a broker on a free port with in-memory storage, and waits
    /// until it serves metadata. A port taken in the meantime by another process is retried.
    pub fn start() -> Result<Tansu> {
        let bin = tansu_binary()?;
        let mut last_error = None;
        for _ in 0..3 {
            let port = ports::free_port()?;
            let url = format!("tcp://127.0.0.1:{port}");
            let args = [
                "broker",
                "--listener-url",
                &url,
                "--advertised-listener-url",
                &url,
                "--storage-engine",
                "memory://tansu/",
            ]
            .map(String::from);
            let mut process = Service::spawn_path("tansu", &bin, &args, &[])?;
            match wait_serving(&mut process, port) {
                Ok(()) => return Ok(Tansu { process, port }),
                Err(e) => {
                    // A broker that exited at start most likely lost its port to someone else.
                    if process.try_status()?.is_none() {
                        return Err(e);
                    }
                    last_error = Some(e);
                }
            }
        }
        Err(last_error.unwrap_or_else(|| anyhow!("tansu did not start")))
    }

    /// The bootstrap address, `127.0.0.1:<port>`.
    pub fn brokers(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// The broker's log so far.
    pub fn log(&self) -> String {
        self.process.log()
    }
}

/// Waits until the broker accepts connections and answers a metadata request with itself as a
/// broker; fails early if the process exits.
fn wait_serving(process: &mut Service, port: u16) -> Result<()> {
    let deadline = Instant::now() + START_TIMEOUT;
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let exited = |process: &mut Service| -> Result<()> {
        if let Some(status) = process.try_status()? {
            bail!(
                "tansu exited ({status}) at start; its log:\n{}",
                tail(&process.log(), 40)
            );
        }
        Ok(())
    };
    while TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
        exited(process)?;
        if Instant::now() >= deadline {
            bail!(
                "tansu does not accept connections on {addr} after {START_TIMEOUT:?}; its log:\n{}",
                tail(&process.log(), 40)
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let client: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", addr.to_string())
        .set("group.id", "eventwire-tests-probe")
        .create()
        .context("cannot create a Kafka client")?;
    loop {
        exited(process)?;
        let last = match client.fetch_metadata(None, Duration::from_secs(2)) {
            Ok(md) if !md.brokers().is_empty() => return Ok(()),
            Ok(_) => "metadata lists no broker".to_string(),
            Err(e) => e.to_string(),
        };
        if Instant::now() >= deadline {
            bail!(
                "tansu on {addr} does not answer metadata requests after {START_TIMEOUT:?} ({last}); its log:\n{}",
                tail(&process.log(), 40)
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}
