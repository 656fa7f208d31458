//! One of the pipeline's binaries running as a child process: its output goes to a log file in a
//! temporary directory, it can be stopped with SIGTERM or SIGKILL, and it is killed on drop, so no
//! process outlives its test, even one that panics (on Linux the child also gets SIGKILL if the
//! thread that started it dies). When a test panics, the log's tail is printed and the log kept.
use std::fs::File;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use tempfile::TempDir;

use crate::{bins, http, ports, tail};

/// Lines of log shown in error messages and on panic.
const TAIL_LINES: usize = 40;

/// A running (or finished) child process.
pub struct Service {
    name: String,
    child: Child,
    /// Set once the child has been reaped; the pid must not be signalled after that.
    status: Option<ExitStatus>,
    log: PathBuf,
    dir: Option<TempDir>,
    metrics_addr: Option<SocketAddr>,
}

/// A process run to completion by [`Service::run`].
#[derive(Debug)]
pub struct Finished {
    pub status: ExitStatus,
    /// Its stdout and stderr, interleaved.
    pub log: String,
}

impl Service {
    /// Starts workspace binary `bin` with `args` and extra environment `env`. Inherited
    /// `EVENTWIRE_*` variables are removed so the tests do not depend on the caller's shell;
    /// `EVENTWIRE_LOG` defaults to `info`, and `NO_COLOR` keeps the log files free of colour codes.
    pub fn spawn(bin: &str, args: &[String], env: &[(&str, &str)]) -> Result<Service> {
        let path = bins::binary(bin)?;
        Self::spawn_path(bin, &path, args, env)
    }

    /// Starts the executable at `path` (named `name` in messages).
    pub fn spawn_path(
        name: &str,
        path: &Path,
        args: &[String],
        env: &[(&str, &str)],
    ) -> Result<Service> {
        Self::spawn_with_stdin(name, path, args, env, Stdio::null())
    }

    /// Like [`Service::spawn_path`] with a pipe on stdin; [`Service::take_stdin`] gives its end.
    pub fn spawn_path_piped(
        name: &str,
        path: &Path,
        args: &[String],
        env: &[(&str, &str)],
    ) -> Result<Service> {
        Self::spawn_with_stdin(name, path, args, env, Stdio::piped())
    }

    /// The writing end of the stdin of a service started with [`Service::spawn_path_piped`].
    pub fn take_stdin(&mut self) -> Option<std::process::ChildStdin> {
        self.child.stdin.take()
    }

    fn spawn_with_stdin(
        name: &str,
        path: &Path,
        args: &[String],
        env: &[(&str, &str)],
        stdin: Stdio,
    ) -> Result<Service> {
        let dir = tempfile::Builder::new()
            .prefix(&format!("eventwire-e2e-{name}-"))
            .tempdir()
            .context("cannot create a temporary directory for a service log")?;
        let log = dir.path().join(format!("{name}.log"));
        let out = File::create(&log).with_context(|| format!("cannot create {}", log.display()))?;
        let err = out.try_clone()?;
        let mut cmd = Command::new(path);
        cmd.args(args)
            .stdin(stdin)
            .stdout(Stdio::from(out))
            .stderr(Stdio::from(err));
        for (k, _) in std::env::vars_os() {
            if k.to_string_lossy().starts_with("EVENTWIRE_") {
                cmd.env_remove(k);
            }
        }
        cmd.env("EVENTWIRE_LOG", "info").env("NO_COLOR", "1");
        for (k, v) in env {
            cmd.env(k, v);
        }
        die_with_parent(&mut cmd);
        let child = cmd
            .spawn()
            .with_context(|| format!("cannot start {}", path.display()))?;
        Ok(Service {
            name: name.to_string(),
            child,
            status: None,
            log,
            dir: Some(dir),
            metrics_addr: None,
        })
    }

    /// Starts a consuming service (`eventwire-cleaner`, `eventwire-tagger`) on `brokers` with
    /// `prefix`, consumer group `group` and a free metrics port, plus `extra` arguments.
    pub fn stage(
        bin: &str,
        brokers: &str,
        prefix: &str,
        group: &str,
        extra: &[&str],
    ) -> Result<Service> {
        let port = ports::free_port()?;
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let mut args = vec![
            "--brokers".to_string(),
            brokers.to_string(),
            "--topic-prefix".to_string(),
            prefix.to_string(),
            "--group".to_string(),
            group.to_string(),
            "--metrics-addr".to_string(),
            addr.to_string(),
        ];
        args.extend(extra.iter().map(|s| s.to_string()));
        let mut s = Self::spawn(bin, &args, &[])?;
        s.metrics_addr = Some(addr);
        Ok(s)
    }

    /// Starts `eventwire-ingest` on `path`, a file or directory, with `extra` flags (it exits
    /// once everything is acknowledged).
    pub fn ingest(brokers: &str, prefix: &str, path: &Path, extra: &[&str]) -> Result<Service> {
        let port = ports::free_port()?;
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let mut args = vec![
            "--brokers".to_string(),
            brokers.to_string(),
            "--topic-prefix".to_string(),
            prefix.to_string(),
            "--metrics-addr".to_string(),
            addr.to_string(),
        ];
        args.extend(extra.iter().map(|s| s.to_string()));
        args.push(path.display().to_string());
        let mut s = Self::spawn("eventwire-ingest", &args, &[])?;
        s.metrics_addr = Some(addr);
        Ok(s)
    }

    /// Runs binary `bin` to completion; fails if it is still running after `timeout` (it is killed).
    pub fn run(
        bin: &str,
        args: &[String],
        env: &[(&str, &str)],
        timeout: Duration,
    ) -> Result<Finished> {
        let mut s = Self::spawn(bin, args, env)?;
        let status = s.wait(timeout)?;
        Ok(Finished {
            status,
            log: s.log(),
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Where `/metrics`, `/healthz` and `/readyz` are served, for services started with one.
    pub fn metrics_addr(&self) -> Option<SocketAddr> {
        self.metrics_addr
    }

    /// Everything the process has written so far.
    pub fn log(&self) -> String {
        std::fs::read(&self.log)
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_else(|e| format!("(cannot read {}: {e})", self.log.display()))
    }

    pub fn log_path(&self) -> &Path {
        &self.log
    }

    /// The exit status if the process has ended (reaping it), else `None`.
    pub fn try_status(&mut self) -> Result<Option<ExitStatus>> {
        if self.status.is_none() {
            self.status = self
                .child
                .try_wait()
                .with_context(|| format!("cannot check on {}", self.name))?;
        }
        Ok(self.status)
    }

    /// Waits for the process to end; fails (leaving it running) after `timeout`.
    pub fn wait(&mut self, timeout: Duration) -> Result<ExitStatus> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(s) = self.try_status()? {
                return Ok(s);
            }
            if Instant::now() >= deadline {
                bail!(
                    "{} (pid {}) still running after {timeout:?}; its log ends with:\n{}",
                    self.name,
                    self.pid(),
                    tail(&self.log(), TAIL_LINES)
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Polls `/readyz` until it answers 200; fails early with the log if the process exits.
    pub fn wait_ready(&mut self, timeout: Duration) -> Result<()> {
        let Some(addr) = self.metrics_addr else {
            bail!("{} was started without a metrics address", self.name);
        };
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.try_status()? {
                bail!(
                    "{} exited ({status}) before becoming ready; its log ends with:\n{}",
                    self.name,
                    tail(&self.log(), TAIL_LINES)
                );
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match http::wait_ready(addr, left.min(Duration::from_millis(500))) {
                Ok(()) => return Ok(()),
                Err(e) if Instant::now() >= deadline => {
                    bail!(
                        "{} not ready after {timeout:?}: {e:#}; its log ends with:\n{}",
                        self.name,
                        tail(&self.log(), TAIL_LINES)
                    )
                }
                Err(_) => {}
            }
        }
    }

    /// The service's `/metrics` text.
    pub fn metrics(&self) -> Result<String> {
        let Some(addr) = self.metrics_addr else {
            bail!("{} was started without a metrics address", self.name);
        };
        let (code, body) = http::http_get(addr, "/metrics", Duration::from_secs(5))?;
        if code != 200 {
            bail!("{}: GET /metrics answered {code}: {body}", self.name);
        }
        Ok(body)
    }

    /// Sends SIGTERM (graceful stop). A no-op if the process has already ended.
    pub fn sigterm(&mut self) -> Result<()> {
        self.signal(libc::SIGTERM)
    }

    /// Sends SIGKILL and reaps the process: a crash, with no chance to commit or flush.
    pub fn kill9(&mut self) -> Result<ExitStatus> {
        self.signal(libc::SIGKILL)?;
        self.wait(Duration::from_secs(10))
    }

    fn signal(&mut self, sig: libc::c_int) -> Result<()> {
        if self.try_status()?.is_some() {
            return Ok(());
        }
        let pid = libc::pid_t::try_from(self.child.id()).context("pid out of range")?;
        // SAFETY: kill(2) has no memory-safety preconditions; the pid is our unreaped child.
        let rc = unsafe { libc::kill(pid, sig) };
        if rc != 0 {
            bail!(
                "cannot signal {} (pid {pid}): {}",
                self.name,
                std::io::Error::last_os_error()
            );
        }
        Ok(())
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        let running = matches!(self.try_status(), Ok(None));
        if running {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        if std::thread::panicking() {
            if let Some(dir) = self.dir.take() {
                let kept = dir.keep();
                eprintln!(
                    "---- {} log (kept at {}), last {TAIL_LINES} lines:\n{}\n----",
                    self.name,
                    kept.join(format!("{}.log", self.name)).display(),
                    tail(&self.log(), TAIL_LINES)
                );
            }
        }
    }
}

/// On Linux, asks the kernel to SIGKILL the child when the thread that spawned it dies, so a
/// test process killed from outside (a CI timeout) leaves no service behind.
pub fn die_with_parent(cmd: &mut Command) {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::process::CommandExt;
        // SAFETY: the closure runs between fork and exec and only calls prctl(2), which is
        // async-signal-safe.
        unsafe {
            cmd.pre_exec(|| {
                if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = cmd;
}
