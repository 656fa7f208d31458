//! The cleaner as a stage: RawArticle JSON from `articles.raw` to CleanArticle JSON on
//! `articles.clean`, keyed by article id, with near-duplicate marking. Undecodable records and
//! articles that cannot be cleaned are bad records (dead-lettered by the runtime).
//!
//! Records are cleaned in parallel on the blocking pool (at most `max_parallel` at once), but
//! their dedup step (check the index, insert originals) runs one at a time in input order: each
//! record takes a ticket from the [`Sequencer`] synchronously when its processing starts, which
//! both transports do in input order, and waits for its turn after cleaning. The cleaning permit
//! is released before waiting, so a slow early record never starves the pool. Within a
//! partition the outcome is therefore the same on every run; across partitions it follows the
//! order in which records were started.
use std::sync::{Arc, Mutex, MutexGuard};

use async_trait::async_trait;
use eventwire_runtime::{InputRecord, OutputRecord, Stage, StageError, INGESTED_AT_HEADER};
use eventwire_schema::v1::{CleanArticle, RawArticle};
use eventwire_schema::{json, topics};
use prometheus::{Gauge, IntCounterVec, IntGauge, Opts, Registry};
use tokio::sync::{watch, Semaphore};

use crate::dedup::{DedupConfig, DedupIndex, Signature, Verdict};
use crate::order::Sequencer;
use crate::CleanError;

/// The cleaning function the stage runs (`crate::clean`, or a stand-in in tests).
pub type CleanFn = dyn Fn(&RawArticle) -> Result<CleanArticle, CleanError> + Send + Sync;

/// The cleaner's own metrics (listed in `docs/metrics.md`).
#[derive(Clone)]
pub struct DedupMetrics {
    /// Duplicates found, by kind (`exact`, `near`).
    pub duplicates: IntCounterVec,
    /// Originals in the index.
    pub index_entries: IntGauge,
    /// Entries evicted, by reason (`capacity`, `window`).
    pub evictions: IntCounterVec,
    /// Originals loaded from `articles.clean` at start.
    pub rebuild_entries: IntGauge,
    /// Time the start-up rebuild took.
    pub rebuild_seconds: Gauge,
    /// Originals of other replicas added by the follower after the rebuild.
    pub followed: IntCounterVec,
}

impl DedupMetrics {
    /// Registers the metrics on a service's registry.
    pub fn register(reg: &Registry) -> Result<Self, prometheus::Error> {
        let counter =
            |name: &str, help: &str, label: &str| -> Result<IntCounterVec, prometheus::Error> {
                let c = IntCounterVec::new(Opts::new(name, help), &[label])?;
                reg.register(Box::new(c.clone()))?;
                Ok(c)
            };
        let duplicates = counter(
            "eventwire_dedup_duplicates_total",
            "Articles marked as duplicates of an earlier original, by kind (exact, near).",
            "kind",
        )?;
        let evictions = counter(
            "eventwire_dedup_evictions_total",
            "Originals evicted from the dedup index, by reason (capacity, window).",
            "reason",
        )?;
        let followed = counter(
            "eventwire_dedup_followed_total",
            "Records read back from articles.clean after the rebuild, by outcome (inserted, skipped).",
            "outcome",
        )?;
        let index_entries = IntGauge::new(
            "eventwire_dedup_index_entries",
            "Originals held in the dedup index.",
        )?;
        reg.register(Box::new(index_entries.clone()))?;
        let rebuild_entries = IntGauge::new(
            "eventwire_dedup_rebuild_entries",
            "Originals loaded from articles.clean by the start-up rebuild.",
        )?;
        reg.register(Box::new(rebuild_entries.clone()))?;
        let rebuild_seconds = Gauge::new(
            "eventwire_dedup_rebuild_duration_seconds",
            "Time the start-up rebuild of the dedup index took.",
        )?;
        reg.register(Box::new(rebuild_seconds.clone()))?;
        Ok(DedupMetrics {
            duplicates,
            index_entries,
            evictions,
            rebuild_entries,
            rebuild_seconds,
            followed,
        })
    }

    /// Brings the index gauges and eviction counters up to date.
    pub fn observe(&self, idx: &DedupIndex) {
        self.index_entries
            .set(i64::try_from(idx.len()).unwrap_or(i64::MAX));
        let ev = idx.evictions();
        for (reason, total) in [("capacity", ev.capacity), ("window", ev.window)] {
            let c = self.evictions.with_label_values(&[reason]);
            c.inc_by(total.saturating_sub(c.get()));
        }
    }
}

/// The index shared by the stage and the rebuild/follower.
pub type SharedIndex = Arc<Mutex<DedupIndex>>;

/// Locks the shared index; a panic elsewhere cannot leave it half-updated (every mutation
/// completes before the lock is released or is a no-op), so a poisoned lock is still usable.
pub fn lock_index(index: &SharedIndex) -> MutexGuard<'_, DedupIndex> {
    match index.lock() {
        Ok(g) => g,
        Err(p) => p.into_inner(),
    }
}

/// Marks the index ready when dropped: the stage's dedup steps wait for it (see
/// [`CleanStage::pending_rebuild`]).
pub struct ReadyGuard(watch::Sender<bool>);

impl Drop for ReadyGuard {
    fn drop(&mut self) {
        self.0.send_replace(true);
    }
}

/// The clean stage with near-duplicate detection.
pub struct CleanStage {
    clean: Arc<CleanFn>,
    index: SharedIndex,
    gate: Arc<Sequencer>,
    permits: Arc<Semaphore>,
    ready: watch::Receiver<bool>,
    metrics: Option<DedupMetrics>,
}

impl CleanStage {
    /// A stage running [`crate::clean`] on at most `max_parallel` records at once, with an empty
    /// index configured by `cfg`.
    pub fn new(cfg: DedupConfig, max_parallel: usize) -> Self {
        let (_, ready) = watch::channel(true);
        CleanStage {
            clean: Arc::new(crate::clean),
            index: Arc::new(Mutex::new(DedupIndex::new(cfg))),
            gate: Sequencer::new(),
            permits: Arc::new(Semaphore::new(max_parallel.max(1))),
            ready,
            metrics: None,
        }
    }

    /// Uses another cleaning function (tests use a slow one).
    pub fn with_cleaner(
        mut self,
        f: impl Fn(&RawArticle) -> Result<CleanArticle, CleanError> + Send + Sync + 'static,
    ) -> Self {
        self.clean = Arc::new(f);
        self
    }

    /// Reports to `metrics`.
    pub fn with_metrics(mut self, metrics: DedupMetrics) -> Self {
        self.metrics = Some(metrics);
        self
    }

    /// The index, for the rebuild and the follower.
    pub fn index(&self) -> SharedIndex {
        Arc::clone(&self.index)
    }

    /// Makes dedup steps wait until the returned guard is dropped (the rebuild has loaded the
    /// index). Records are still read and cleaned meanwhile.
    pub fn pending_rebuild(&mut self) -> ReadyGuard {
        let (tx, rx) = watch::channel(false);
        self.ready = rx;
        ReadyGuard(tx)
    }

    /// Cleans and fingerprints one record on the blocking pool.
    async fn prepare(
        &self,
        record: &Arc<InputRecord>,
    ) -> Result<(CleanArticle, Signature), StageError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| StageError::Fatal("cleaning pool closed".into()))?;
        let clean = Arc::clone(&self.clean);
        let rec = Arc::clone(record);
        let work = move || -> Result<(CleanArticle, Signature), StageError> {
            let raw: RawArticle = json::decode(&rec.payload)?;
            json::check_version::<RawArticle>(raw.schema_version)?;
            let article = clean(&raw).map_err(|e| StageError::bad(e.code(), e.to_string()))?;
            let sig = Signature::of_body(&article.body);
            Ok((article, sig))
        };
        // A panic is dead-lettered as `panic`, a cancelled task retried.
        eventwire_runtime::blocking_outcome(tokio::task::spawn_blocking(work).await)
    }
}

/// The time an article is placed at in the index: its ingest time, else the record's ingest
/// header, else the record timestamp (seconds since the epoch).
pub fn article_time(article: &CleanArticle, record: Option<&InputRecord>) -> i64 {
    if let Some(t) = &article.ingested_at {
        return t.seconds;
    }
    record
        .and_then(|r| {
            r.headers
                .get_str(INGESTED_AT_HEADER)
                .and_then(|v| v.parse::<i64>().ok())
                .or(r.timestamp_ms)
        })
        .map(|ms| ms.div_euclid(1000))
        .unwrap_or(0)
}

/// Writes the verdict into the article.
pub fn apply_verdict(article: &mut CleanArticle, sig: &Signature, verdict: &Verdict) {
    article.fingerprint = sig.to_fingerprint();
    if let Verdict::Duplicate { of, similarity, .. } = verdict {
        article.duplicate_of = Some(of.clone());
        article.duplicate_similarity = Some((similarity * 1000.0).round() / 1000.0);
    } else {
        article.duplicate_of = None;
        article.duplicate_similarity = None;
    }
}

#[async_trait]
impl Stage for CleanStage {
    fn name(&self) -> &'static str {
        "clean"
    }

    fn output_topics(&self) -> Vec<String> {
        vec![topics::ARTICLES_CLEAN.to_string()]
    }

    async fn process(&self, record: Arc<InputRecord>) -> Result<Vec<OutputRecord>, StageError> {
        // Taken before any await, so tickets follow the order in which records were started.
        let ticket = self.gate.ticket();
        let (mut article, sig) = self.prepare(&record).await?;
        ticket.turn().await;
        if !*self.ready.borrow() {
            let mut ready = self.ready.clone();
            // An Err means the guard's sender is gone, which also means "ready".
            let _ = ready.wait_for(|r| *r).await;
        }
        let time = article_time(&article, Some(&record));
        let verdict = {
            let mut idx = lock_index(&self.index);
            let v = idx.check_and_insert(&article.id, time, &article.content_hash, &sig);
            if let Some(m) = &self.metrics {
                m.observe(&idx);
            }
            v
        };
        drop(ticket);
        if let (Some(m), Verdict::Duplicate { exact, .. }) = (&self.metrics, &verdict) {
            let kind = if *exact { "exact" } else { "near" };
            m.duplicates.with_label_values(&[kind]).inc();
        }
        apply_verdict(&mut article, &sig, &verdict);
        let payload = json::encode(&article)?;
        Ok(vec![OutputRecord::new(
            topics::ARTICLES_CLEAN,
            article.id.into_bytes(),
            payload,
        )])
    }
}
