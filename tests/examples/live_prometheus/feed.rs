//! The articles fed to ingest during the live run: the samples, then replicated load.

use std::io::Write as _;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context, Result};
use eventwire_schema::page::split_date_header;
use eventwire_schema::topics;
use eventwire_tests::service::die_with_parent;
use eventwire_tests::{free_port, produce, tail};
use serde_json::json;

use crate::operator_files::{files_with, read};
use crate::{BAD_INPUT_EVERY, FOREIGN_EVERY};

/// ingest reading JSONL from a pipe, killed on drop.
pub(crate) struct FeedIngest {
    pub(crate) child: Child,
    pub(crate) log: PathBuf,
    pub(crate) _dir: tempfile::TempDir,
    pub(crate) addr: SocketAddr,
}

impl FeedIngest {
    pub(crate) fn start(brokers: &str, prefix: &str) -> Result<(FeedIngest, ChildStdin)> {
        let bin = eventwire_tests::binary("eventwire-ingest")?;
        let dir = tempfile::Builder::new()
            .prefix("eventwire-live-ingest-")
            .tempdir()?;
        let log = dir.path().join("ingest.log");
        let out = std::fs::File::create(&log)?;
        let addr = SocketAddr::from(([127, 0, 0, 1], free_port()?));
        let mut cmd = Command::new(&bin);
        cmd.args([
            "--brokers",
            brokers,
            "--topic-prefix",
            prefix,
            "--metrics-addr",
            &addr.to_string(),
            "--source",
            "live-check",
            "-",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::from(out.try_clone()?))
        .stderr(Stdio::from(out));
        for (k, _) in std::env::vars_os() {
            if k.to_string_lossy().starts_with("EVENTWIRE_") {
                cmd.env_remove(k);
            }
        }
        cmd.env("EVENTWIRE_LOG", "info,rdkafka=warn")
            .env("NO_COLOR", "1");
        die_with_parent(&mut cmd);
        let mut child = cmd
            .spawn()
            .with_context(|| format!("cannot start {}", bin.display()))?;
        let stdin = child
            .stdin
            .take()
            .ok_or_else(|| anyhow!("ingest has no stdin pipe"))?;
        Ok((
            FeedIngest {
                child,
                log,
                _dir: dir,
                addr,
            },
            stdin,
        ))
    }

    pub(crate) fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    pub(crate) fn wait(&mut self, timeout: Duration) -> Result<std::process::ExitStatus> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(s) = self.child.try_wait()? {
                return Ok(s);
            }
            if Instant::now() >= deadline {
                bail!(
                    "ingest still running {timeout:?} after its input closed; log:\n{}",
                    tail(&self.log(), 30)
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for FeedIngest {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// A sample article: its id (file stem), publication date and text.
pub(crate) struct Sample {
    pub(crate) id: String,
    pub(crate) published: Option<String>,
    pub(crate) text: String,
}

/// Reads the sample articles (`.txt` in the samples' format: ` date YYYY-MM-DD ` then the text).
pub(crate) fn samples(dir: &Path) -> Result<Vec<Sample>> {
    let mut out = Vec::new();
    for path in files_with(dir, "txt")? {
        let raw = read(&path)?;
        let (published, text) = split_date_header(&raw);
        out.push(Sample {
            id: path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
            published,
            text: text.to_string(),
        });
    }
    if out.is_empty() {
        bail!("no sample articles in {}", dir.display());
    }
    Ok(out)
}

/// The JSONL line of article `n` of the load: a copy of a sample, exact for every third, else
/// without one of its lines (a near copy), with its own id.
pub(crate) fn load_line(samples: &[Sample], n: u64) -> String {
    let s = &samples[(n % samples.len() as u64) as usize];
    let lines: Vec<&str> = s.text.lines().filter(|l| !l.trim().is_empty()).collect();
    let text = if n % 3 == 0 || lines.len() < 4 {
        s.text.clone()
    } else {
        let drop = (n / 3) as usize % lines.len();
        lines
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != drop)
            .map(|(_, l)| *l)
            .collect::<Vec<_>>()
            .join("\n")
    };
    let mut v = json!({"id": format!("live-{n:06}-{}", s.id), "text": text});
    if let Some(p) = &s.published {
        v["published"] = json!(p);
    }
    v.to_string()
}

/// Inputs ingest cannot read, fed once in a while: `invalid_json` and `empty`.
pub(crate) fn bad_line(n: u64) -> String {
    if n % 2 == 0 {
        format!("{{\"id\": \"broken-{n}\", \"text\": ")
    } else {
        format!("{{\"id\": \"blank-{n}\", \"text\": \"   \"}}")
    }
}

/// Feeds ingest on a thread: the samples, then the load, until stopped.
pub(crate) struct Feeder {
    pub(crate) stop: Arc<AtomicBool>,
    pub(crate) fed: Arc<AtomicU64>,
    pub(crate) thread: Option<JoinHandle<Result<()>>>,
}

impl Feeder {
    pub(crate) fn start(
        mut stdin: ChildStdin,
        samples: Vec<Sample>,
        rate: f64,
        brokers: String,
        prefix: String,
    ) -> Feeder {
        let stop = Arc::new(AtomicBool::new(false));
        let fed = Arc::new(AtomicU64::new(0));
        let (stop2, fed2) = (Arc::clone(&stop), Arc::clone(&fed));
        let thread = std::thread::spawn(move || -> Result<()> {
            for s in &samples {
                let mut v = json!({"id": s.id, "text": s.text});
                if let Some(p) = &s.published {
                    v["published"] = json!(p);
                }
                writeln!(stdin, "{v}").context("cannot write to ingest's stdin")?;
                fed2.fetch_add(1, Ordering::Relaxed);
            }
            stdin.flush()?;
            let period = Duration::from_secs_f64(1.0 / rate);
            let started = Instant::now();
            let mut n = 0u64;
            let mut foreign = 0u64;
            while !stop2.load(Ordering::Relaxed) {
                // One input in BAD_INPUT_EVERY is unreadable; every FOREIGN_EVERY one foreign
                // record that is not JSON goes to articles.raw and one to articles.clean.
                let line = if n % BAD_INPUT_EVERY == BAD_INPUT_EVERY - 1 {
                    bad_line(n)
                } else {
                    load_line(&samples, n)
                };
                writeln!(stdin, "{line}").context("cannot write to ingest's stdin")?;
                stdin.flush()?;
                fed2.fetch_add(1, Ordering::Relaxed);
                n += 1;
                if started.elapsed().as_secs() / FOREIGN_EVERY.as_secs() + 1 > foreign {
                    for logical in [topics::ARTICLES_RAW, topics::ARTICLES_CLEAN] {
                        let topic = format!("{prefix}{logical}");
                        let key = format!("foreign-{foreign}");
                        produce(
                            &brokers,
                            &topic,
                            key.as_bytes(),
                            b"this is not JSON",
                            &[],
                            Duration::from_secs(30),
                        )
                        .with_context(|| format!("cannot write a foreign record to {topic}"))?;
                    }
                    foreign += 1;
                }
                let next = started + period.mul_f64(n as f64);
                if let Some(wait) = next.checked_duration_since(Instant::now()) {
                    std::thread::sleep(wait);
                }
            }
            // Dropping stdin closes the pipe: ingest publishes what it has and exits.
            Ok(())
        });
        Feeder {
            stop,
            fed,
            thread: Some(thread),
        }
    }

    pub(crate) fn fed(&self) -> u64 {
        self.fed.load(Ordering::Relaxed)
    }

    pub(crate) fn finished(&self) -> bool {
        self.thread.as_ref().is_none_or(JoinHandle::is_finished)
    }

    /// Stops feeding, closes ingest's input and reports the thread's error, if any.
    pub(crate) fn finish(mut self) -> Result<()> {
        self.stop.store(true, Ordering::Relaxed);
        match self.thread.take() {
            Some(t) => t
                .join()
                .map_err(|_| anyhow!("the feeder thread panicked"))?,
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use eventwire_tests::workspace_root;
    use serde_json::Value;

    #[test]
    fn load_lines_are_copies_of_the_samples() {
        let samples = vec![Sample {
            id: "000_x".into(),
            published: Some("2025-04-16".into()),
            text: "one line here\ntwo line here\nthree\nfour\nfive".into(),
        }];
        let exact: Value = serde_json::from_str(&load_line(&samples, 0)).unwrap();
        assert_eq!(exact["id"], "live-000000-000_x");
        assert_eq!(exact["text"], samples[0].text);
        assert_eq!(exact["published"], "2025-04-16");
        let near: Value = serde_json::from_str(&load_line(&samples, 1)).unwrap();
        assert_eq!(near["text"].as_str().unwrap().lines().count(), 4);
        assert!(serde_json::from_str::<Value>(&bad_line(0)).is_err());
        let blank: Value = serde_json::from_str(&bad_line(1)).unwrap();
        assert_eq!(blank["text"], "   ");
        let real = samples_or_panic();
        assert!(real.len() >= 5 && real.iter().all(|s| s.published.is_some()));
    }

    fn samples_or_panic() -> Vec<Sample> {
        samples(&workspace_root().join("examples/articles")).unwrap()
    }
}
