//! Directory watch: files landing in a directory are read as they arrive and then moved to its
//! `done/` subdirectory (`failed/` when the file could not be opened). Changes are noticed
//! through `notify` (inotify on Linux), with a rescan every `poll_interval` as the fallback
//! when the watcher cannot start or misses events (network filesystems).
//!
//! A half-written file is never read half: a file is taken only once its size and
//! modification time have stayed the same for `settle` (two looks that far apart). Writers
//! that can should write under a hidden name (`.name.tmp`, ignored) and rename it in, which is
//! atomic and is taken after `settle`. Only top-level files in a supported format are taken;
//! subdirectories and hidden files are ignored. Delivery: a file is moved only after every
//! record read from it is acknowledged, so a crash re-reads it on restart (ids are
//! deterministic, so the copies overwrite downstream).
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use notify::{RecursiveMode, Watcher};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::metrics::SourceMetrics;
use super::{Sink, Source, SourceError};
use crate::read::{format_of, ReadOptions};

/// Where finished files go, inside the watched directory.
pub const DONE_DIR: &str = "done";
/// Where files that could not be opened go.
pub const FAILED_DIR: &str = "failed";

#[derive(Debug, Clone)]
pub struct WatchSettings {
    pub dir: PathBuf,
    /// How long size and mtime must stay unchanged before a file is read.
    pub settle: Duration,
    /// Rescan period when no event arrives.
    pub poll_interval: Duration,
    pub read: ReadOptions,
}

impl WatchSettings {
    pub fn new(dir: PathBuf) -> Self {
        WatchSettings {
            dir,
            settle: Duration::from_secs(2),
            poll_interval: Duration::from_secs(5),
            read: ReadOptions::default(),
        }
    }
}

/// A file's size and mtime at one look, and since when they have been so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Look {
    size: u64,
    mtime: Option<SystemTime>,
}

pub struct WatchSource {
    settings: WatchSettings,
    metrics: SourceMetrics,
}

impl WatchSource {
    pub fn new(settings: WatchSettings, metrics: SourceMetrics) -> Self {
        WatchSource { settings, metrics }
    }
}

/// Whether the watch takes this directory entry: a visible, top-level file in a known format.
fn is_candidate(path: &Path) -> bool {
    let hidden = path
        .file_name()
        .is_none_or(|n| n.to_string_lossy().starts_with('.'));
    !hidden && format_of(path).is_some() && path.is_file()
}

/// The candidates now in `dir`, with their look.
fn scan(dir: &Path) -> HashMap<PathBuf, Look> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return HashMap::new();
    };
    entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| is_candidate(p))
        .filter_map(|p| {
            let meta = std::fs::metadata(&p).ok()?;
            let look = Look {
                size: meta.len(),
                mtime: meta.modified().ok(),
            };
            Some((p, look))
        })
        .collect()
}

/// Files seen and since when each has looked the same.
#[derive(Default)]
struct Settling {
    files: HashMap<PathBuf, (Look, Instant)>,
}

impl Settling {
    /// Takes a new scan; returns the files unchanged for at least `settle`, in name order.
    fn observe(&mut self, now: HashMap<PathBuf, Look>, settle: Duration) -> Vec<PathBuf> {
        self.files.retain(|p, _| now.contains_key(p));
        let mut ready = Vec::new();
        for (path, look) in now {
            match self.files.get(&path) {
                Some((old, since)) if *old == look => {
                    if since.elapsed() >= settle {
                        ready.push(path);
                    }
                }
                _ => {
                    self.files.insert(path, (look, Instant::now()));
                }
            }
        }
        ready.sort();
        ready
    }

    fn forget(&mut self, path: &Path) {
        self.files.remove(path);
    }
}

/// Moves `path` into `dir/sub/`, adding a timestamp when the name is taken.
async fn move_into(path: &Path, sub: &Path) -> std::io::Result<()> {
    let name = path.file_name().unwrap_or_default();
    let mut target = sub.join(name);
    if tokio::fs::try_exists(&target).await.unwrap_or(false) {
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.f");
        target = sub.join(format!("{}.{stamp}", name.to_string_lossy()));
    }
    tokio::fs::rename(path, target).await
}

impl WatchSource {
    /// Starts the `notify` watcher; `None` (polling only) when it cannot.
    fn start_watcher(&self, wake: mpsc::Sender<()>) -> Option<notify::RecommendedWatcher> {
        let handler = move |_: notify::Result<notify::Event>| {
            // A full channel already holds a wake-up; the rescan finds every change.
            let _ = wake.try_send(());
        };
        let started = notify::recommended_watcher(handler).and_then(|mut w| {
            w.watch(&self.settings.dir, RecursiveMode::NonRecursive)
                .map(|_| w)
        });
        match started {
            Ok(w) => Some(w),
            Err(e) => {
                tracing::warn!(dir = %self.settings.dir.display(), error = %e, "cannot watch for changes; polling instead");
                None
            }
        }
    }

    /// Reads one settled file, publishes its items, and moves it to done/ (or failed/).
    async fn take(&self, path: &Path, sink: &Sink) -> Result<(), SourceError> {
        let dir = &self.settings.dir;
        let (sub, outcome) = match crate::spawn_reader(
            path.to_path_buf(),
            self.settings.read.clone(),
        ) {
            Ok(mut rx) => {
                while let Some(item) = futures::StreamExt::next(&mut rx).await {
                    sink.emit(item).await?;
                }
                (dir.join(DONE_DIR), "done")
            }
            Err(e) => {
                tracing::warn!(path = %path.display(), error = %e, "cannot read a watched file");
                (dir.join(FAILED_DIR), "failed")
            }
        };
        self.metrics.watch_files.with_label_values(&[outcome]).inc();
        if let Err(e) = move_into(path, &sub).await {
            return Err(SourceError::Start {
                source_name: "watch",
                reason: format!("cannot move {} to {}: {e}", path.display(), sub.display()),
            });
        }
        Ok(())
    }

    fn make_dirs(&self) -> Result<(), SourceError> {
        for sub in [DONE_DIR, FAILED_DIR] {
            let p = self.settings.dir.join(sub);
            std::fs::create_dir_all(&p).map_err(|e| SourceError::Start {
                source_name: "watch",
                reason: format!("cannot create {}: {e}", p.display()),
            })?;
        }
        Ok(())
    }
}

#[async_trait::async_trait]
impl Source for WatchSource {
    fn name(&self) -> &'static str {
        "watch"
    }

    async fn run(
        self: Box<Self>,
        sink: Sink,
        cancel: CancellationToken,
    ) -> Result<(), SourceError> {
        self.make_dirs()?;
        let (wake_tx, mut wake) = mpsc::channel(1);
        let _watcher = self.start_watcher(wake_tx);
        let mut settling = Settling::default();
        let s = &self.settings;
        loop {
            let dir = s.dir.clone();
            let looks = tokio::task::spawn_blocking(move || scan(&dir))
                .await
                .unwrap_or_default();
            for path in settling.observe(looks, s.settle) {
                self.take(&path, &sink).await?;
                settling.forget(&path);
            }
            // While a file settles, look again soon; otherwise wait for an event or the poll.
            let tick = if settling.files.is_empty() {
                s.poll_interval
            } else {
                s.settle.min(s.poll_interval)
            };
            tokio::select! {
                _ = cancel.cancelled() => return Ok(()),
                _ = wake.recv() => {}
                _ = tokio::time::sleep(tick) => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_ready_only_after_looking_the_same_for_the_settle_time() {
        let mut s = Settling::default();
        let p = PathBuf::from("a.jsonl");
        let look = |size| HashMap::from([(p.clone(), Look { size, mtime: None })]);
        assert!(s.observe(look(1), Duration::ZERO).is_empty(), "first look");
        assert!(s.observe(look(2), Duration::ZERO).is_empty(), "it grew");
        assert_eq!(s.observe(look(2), Duration::ZERO), vec![p.clone()]);
        assert!(s.observe(look(3), Duration::from_secs(3600)).is_empty());
        assert!(
            s.observe(look(3), Duration::from_secs(3600)).is_empty(),
            "not settled yet"
        );
    }

    #[test]
    fn hidden_and_unknown_files_are_not_candidates() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["a.jsonl", ".b.jsonl", "c.tmp"] {
            std::fs::write(dir.path().join(name), "x").unwrap();
        }
        std::fs::create_dir(dir.path().join("done.jsonl")).unwrap();
        let found: Vec<_> = scan(dir.path()).into_keys().collect();
        assert_eq!(found, vec![dir.path().join("a.jsonl")]);
    }
}
