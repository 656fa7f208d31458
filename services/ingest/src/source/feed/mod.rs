//! RSS, Atom and JSON Feed polling (parsed by `feed-rs`). Each feed is polled on its own
//! interval with ±10% jitter, with a conditional GET (`If-None-Match` from the last ETag,
//! `If-Modified-Since` from the last Last-Modified; a 304 costs nothing more). A failed poll
//! backs off exponentially (the interval, doubled per consecutive failure, at most
//! [`MAX_BACKOFF`] or the interval if longer), and never comes sooner than a 429's or 503's
//! `Retry-After`. An item whose link or GUID is in the seen-set is skipped before any fetch;
//! an item is added to it once its article (or dead letter) is acknowledged. Items carrying
//! their HTML (`content`) are produced as they are; items with only a link have the page
//! fetched ([`fetch`](super::fetch)). A transient page failure (5xx, 429, timeout, network)
//! leaves the item unseen, so the next poll tries it again; a permanent one (4xx, robots.txt,
//! too large, undecodable) is dead-lettered once.
use std::sync::Arc;
use std::time::Duration;

use eventwire_runtime::telemetry::RateLimiter;
use eventwire_runtime::RuntimeError;
use eventwire_schema::ids::stable_hash;
use feed_rs::model::Entry;
use futures::StreamExt;
use rand::Rng;
use reqwest::header::{
    HeaderMap, HeaderValue, ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED,
};
use reqwest::{StatusCode, Url};
use tokio_util::sync::CancellationToken;

use super::fetch::{parse_http_url, FetchError, Fetcher};
use super::metrics::SourceMetrics;
use super::seen::{item_key, SeenSet};
use super::{Sink, Source, SourceError};
use crate::read::{self, ReadItem, Rejected};

pub mod config;

pub use config::FeedConfig;

/// Longest wait after repeated failures (unless the interval itself is longer).
pub const MAX_BACKOFF: Duration = Duration::from_secs(3600);
/// Longest `Retry-After` honoured; a larger one is taken as this.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(6 * 3600);
/// Jitter on every delay: a factor in [1 - JITTER, 1 + JITTER].
const JITTER: f64 = 0.1;

/// What feeds share: the HTTP client, the seen-set, the metrics and the page concurrency.
pub struct FeedShared {
    pub fetcher: Arc<Fetcher>,
    pub seen: Arc<SeenSet>,
    pub metrics: SourceMetrics,
    /// Pages of one feed fetched at once (per-host limits apply on top).
    pub item_concurrency: usize,
    /// Topic that records produced keys across restarts and replicas ([`seen_log`](super::seen_log)).
    pub seen_topic: Option<String>,
    log_limit: RateLimiter,
}

impl FeedShared {
    pub fn new(
        fetcher: Arc<Fetcher>,
        seen: Arc<SeenSet>,
        metrics: SourceMetrics,
        item_concurrency: usize,
    ) -> Arc<Self> {
        Self::with_seen_topic(fetcher, seen, metrics, item_concurrency, None)
    }

    /// [`FeedShared::new`], also writing each produced key to `seen_topic`.
    pub fn with_seen_topic(
        fetcher: Arc<Fetcher>,
        seen: Arc<SeenSet>,
        metrics: SourceMetrics,
        item_concurrency: usize,
        seen_topic: Option<String>,
    ) -> Arc<Self> {
        Arc::new(FeedShared {
            fetcher,
            seen,
            metrics,
            item_concurrency: item_concurrency.max(1),
            seen_topic,
            log_limit: RateLimiter::new(20, Duration::from_secs(10)),
        })
    }
}

/// What one poll did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PollReport {
    /// One of [`POLL_OUTCOMES`](super::metrics::POLL_OUTCOMES).
    pub outcome: &'static str,
    /// Items produced now (articles and dead letters).
    pub new: usize,
    /// Items skipped as seen before.
    pub seen: usize,
    /// Items left for the next poll after a transient page failure.
    pub retry_later: usize,
    /// The server's `Retry-After` on a 429 or 503.
    pub retry_after: Option<Duration>,
}

/// One feed and what it remembers between polls.
pub struct FeedPoller {
    feed: FeedConfig,
    shared: Arc<FeedShared>,
    etag: Option<HeaderValue>,
    last_modified: Option<HeaderValue>,
    failures: u32,
    retry_after: Option<Duration>,
}

/// Why a poll got no items.
#[derive(Debug, thiserror::Error)]
enum PollError {
    #[error(transparent)]
    Fetch(#[from] FetchError),
    #[error("cannot parse the feed: {0}")]
    Parse(String),
}

impl PollError {
    fn outcome(&self) -> &'static str {
        match self {
            PollError::Fetch(FetchError::Status { .. }) => "http_error",
            PollError::Fetch(_) => "transport_error",
            PollError::Parse(_) => "parse_error",
        }
    }
}

/// A feed entry reduced to what ingest uses.
struct Item {
    key: String,
    id: String,
    link: Option<Url>,
    html: Option<String>,
    title: Option<String>,
    published: Option<String>,
}

impl FeedPoller {
    pub fn new(feed: FeedConfig, shared: Arc<FeedShared>) -> Self {
        shared.metrics.add_feed(&feed.source, feed.interval);
        FeedPoller {
            feed,
            shared,
            etag: None,
            last_modified: None,
            failures: 0,
            retry_after: None,
        }
    }

    /// Polls once and produces the new items; an error only when the publisher fails.
    pub async fn poll(&mut self, sink: &Sink) -> Result<PollReport, RuntimeError> {
        let mut report = PollReport::default();
        report.outcome = match self.fetch_items().await {
            Ok(None) => "not_modified",
            Ok(Some(items)) => {
                self.produce(items, sink, &mut report).await?;
                "ok"
            }
            Err(e) => {
                report.retry_after = e_retry_after(&e);
                self.log_failure(&e);
                e.outcome()
            }
        };
        self.record(&report);
        Ok(report)
    }

    fn record(&mut self, report: &PollReport) {
        let m = &self.shared.metrics;
        let feed = self.feed.source.as_str();
        m.feed_polls
            .with_label_values(&[feed, report.outcome])
            .inc();
        m.feed_items
            .with_label_values(&[feed, "new"])
            .inc_by(report.new as u64);
        m.feed_items
            .with_label_values(&[feed, "seen"])
            .inc_by(report.seen as u64);
        if matches!(report.outcome, "ok" | "not_modified") {
            self.failures = 0;
            let now = chrono::Utc::now().timestamp_millis() as f64 / 1000.0;
            m.feed_last_success.with_label_values(&[feed]).set(now);
        } else {
            self.failures = self.failures.saturating_add(1);
        }
        self.retry_after = report.retry_after;
    }

    fn log_failure(&self, e: &PollError) {
        if self.shared.log_limit.allow() {
            tracing::warn!(feed = %self.feed.source, url = %self.feed.url, error = %e, "feed poll failed");
        }
    }

    /// The time to wait before the next poll, after the last one.
    pub fn next_delay(&self) -> Duration {
        let jitter = rand::rng().random_range(1.0 - JITTER..=1.0 + JITTER);
        next_delay(self.feed.interval, self.failures, self.retry_after, jitter)
    }

    /// GETs the feed (conditionally) and parses it; `None` on 304.
    async fn fetch_items(&mut self) -> Result<Option<Vec<Item>>, PollError> {
        let fetched = self
            .shared
            .fetcher
            .get(&self.feed.url, self.conditional_headers())
            .await?;
        if fetched.status == StatusCode::NOT_MODIFIED {
            return Ok(None);
        }
        let feed = feed_rs::parser::parse(fetched.body.as_slice())
            .map_err(|e| PollError::Parse(e.to_string()))?;
        // Remember validators only from a feed that parsed, so a broken one is fetched again.
        self.etag = fetched.headers.get(ETAG).cloned();
        self.last_modified = fetched.headers.get(LAST_MODIFIED).cloned();
        let base = &fetched.url;
        let items = feed
            .entries
            .iter()
            .map(|e| item_of(e, base, &self.feed.source))
            .collect();
        Ok(Some(items))
    }

    fn conditional_headers(&self) -> HeaderMap {
        let mut h = self.feed.headers.clone();
        if let Some(v) = &self.etag {
            h.insert(IF_NONE_MATCH, v.clone());
        }
        if let Some(v) = &self.last_modified {
            h.insert(IF_MODIFIED_SINCE, v.clone());
        }
        h
    }

    /// Produces the unseen items, fetching pages a few at a time.
    async fn produce(
        &self,
        items: Vec<Item>,
        sink: &Sink,
        report: &mut PollReport,
    ) -> Result<(), RuntimeError> {
        let total = items.len();
        let mut keys = std::collections::HashSet::new();
        // Items seen before, and repeats within this feed (the first copy is produced).
        let fresh: Vec<Item> = items
            .into_iter()
            .filter(|i| !self.shared.seen.contains(&i.key) && keys.insert(i.key.clone()))
            .collect();
        report.seen = total - fresh.len();
        let results = futures::stream::iter(fresh)
            .map(|item| self.produce_item(item, sink))
            .buffered(self.shared.item_concurrency);
        futures::pin_mut!(results);
        while let Some(done) = results.next().await {
            if done? {
                report.new += 1;
            } else {
                report.retry_later += 1;
            }
        }
        Ok(())
    }

    /// Produces one item; `false` when it is left for the next poll.
    async fn produce_item(&self, item: Item, sink: &Sink) -> Result<bool, RuntimeError> {
        let key = item.key.clone();
        match self.item_article(item).await {
            ItemOutcome::Ready(read_item) => sink.emit(*read_item).await?,
            ItemOutcome::Refused { origin, error } => {
                let message = format!("{origin}: {error}");
                sink.dead_letter(&origin, error.code(), &message, origin.as_bytes().to_vec())
                    .await?;
            }
            ItemOutcome::Later { origin, error } => {
                if self.shared.log_limit.allow() {
                    tracing::warn!(feed = %self.feed.source, url = %origin, %error, "page fetch failed; retried at the next poll");
                }
                return Ok(false);
            }
        }
        if let Some(topic) = &self.shared.seen_topic {
            sink.publish(super::seen_log::seen_record(topic, &key))
                .await?;
        }
        self.shared.seen.insert(key);
        Ok(true)
    }

    async fn item_article(&self, item: Item) -> ItemOutcome {
        let source = self.feed.source.as_str();
        if let Some(html) = item.html {
            let url = item.link.map(String::from);
            let a = read::feed_item_article(item.id, url, html, source, item.published, item.title);
            return ItemOutcome::article(a);
        }
        let Some(link) = item.link else {
            let error = read::ReadError::MissingBody;
            return ItemOutcome::Ready(Box::new(ReadItem::Rejected(Rejected {
                origin: format!("{source}: item {}", item.id),
                line: None,
                error,
                raw: Vec::new(),
            })));
        };
        self.fetch_page(link, item.title, item.published).await
    }

    async fn fetch_page(
        &self,
        link: Url,
        title: Option<String>,
        published: Option<String>,
    ) -> ItemOutcome {
        let origin = link.to_string();
        let fetcher = &self.shared.fetcher;
        if !fetcher.allowed(&link).await {
            let error = FetchError::RobotsDisallowed;
            return ItemOutcome::Refused { origin, error };
        }
        let fetched = match fetcher.get(&link, HeaderMap::new()).await {
            Ok(f) => f,
            Err(error) if error.is_transient() => return ItemOutcome::Later { origin, error },
            Err(error) => return ItemOutcome::Refused { origin, error },
        };
        if let Err(error) = fetched.check_page_type() {
            return ItemOutcome::Refused { origin, error };
        }
        let source = self.feed.source.as_str();
        match read::page_article(
            &origin,
            &fetched.body,
            fetched.charset(),
            source,
            published,
            title,
        ) {
            Ok(a) => ItemOutcome::article(a),
            Err(error) => ItemOutcome::Ready(Box::new(ReadItem::Rejected(Rejected {
                origin,
                line: None,
                error,
                raw: fetched.body,
            }))),
        }
    }
}

fn e_retry_after(e: &PollError) -> Option<Duration> {
    match e {
        PollError::Fetch(f) => f.retry_after(),
        PollError::Parse(_) => None,
    }
}

enum ItemOutcome {
    Ready(Box<ReadItem>),
    Refused { origin: String, error: FetchError },
    Later { origin: String, error: FetchError },
}

impl ItemOutcome {
    fn article(article: eventwire_schema::v1::RawArticle) -> Self {
        ItemOutcome::Ready(Box::new(ReadItem::Article {
            article,
            warnings: Vec::new(),
        }))
    }
}

/// The entry's article link: its `alternate` (or unlabelled) link, resolved against the
/// feed's URL; a link that is not http(s) counts as none.
fn entry_link(entry: &Entry, base: &Url) -> Option<Url> {
    let link = entry
        .links
        .iter()
        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .or_else(|| entry.links.first())?;
    let url = base.join(link.href.trim()).ok()?;
    parse_http_url(url.as_str()).ok()
}

fn item_of(entry: &Entry, base: &Url, source: &str) -> Item {
    let link = entry_link(entry, base);
    let key = item_key(source, link.as_ref().map(Url::as_str), &entry.id);
    let id = match &link {
        Some(url) => read::url_id(url.as_str()),
        None => stable_hash(&[b"feed", source.as_bytes(), entry.id.as_bytes()], 16),
    };
    let html = entry
        .content
        .as_ref()
        .and_then(|c| c.body.clone())
        .filter(|b| !b.trim().is_empty());
    Item {
        key,
        id,
        link,
        html,
        title: entry.title.as_ref().map(|t| t.content.trim().to_owned()),
        published: entry
            .published
            .or(entry.updated)
            .map(|d| d.format("%Y-%m-%d").to_string()),
    }
}

/// The delay before the next poll: the interval after a success; after `failures`
/// consecutive failures the interval doubled per failure beyond the first, capped at
/// [`MAX_BACKOFF`] (or the interval if longer); never less than `retry_after` (capped at
/// [`MAX_RETRY_AFTER`]). `jitter` multiplies the result.
pub fn next_delay(
    interval: Duration,
    failures: u32,
    retry_after: Option<Duration>,
    jitter: f64,
) -> Duration {
    let base = if failures == 0 {
        interval
    } else {
        let factor = 1u32 << failures.saturating_sub(1).min(16);
        interval
            .saturating_mul(factor)
            .min(MAX_BACKOFF.max(interval))
    };
    let floor = retry_after.unwrap_or_default().min(MAX_RETRY_AFTER);
    base.mul_f64(jitter).max(floor)
}

/// Every configured feed, each polled by its own task.
pub struct FeedSource {
    feeds: Vec<FeedConfig>,
    shared: Arc<FeedShared>,
    /// Poll each feed once, produce its items and stop (`--once`).
    once: bool,
}

impl FeedSource {
    pub fn new(feeds: Vec<FeedConfig>, shared: Arc<FeedShared>, once: bool) -> Self {
        FeedSource {
            feeds,
            shared,
            once,
        }
    }
}

#[async_trait::async_trait]
impl Source for FeedSource {
    fn name(&self) -> &'static str {
        "feeds"
    }

    async fn run(
        self: Box<Self>,
        sink: Sink,
        cancel: CancellationToken,
    ) -> Result<(), SourceError> {
        if self.feeds.is_empty() && !self.once {
            // A shard can own no feed; the service still runs (its other sources, its metrics).
            tracing::warn!("no feed to poll on this replica");
            cancel.cancelled().await;
            return Ok(());
        }
        let mut tasks = tokio::task::JoinSet::new();
        for feed in self.feeds {
            let poller = FeedPoller::new(feed, Arc::clone(&self.shared));
            tasks.spawn(run_feed(poller, sink.clone(), cancel.clone(), self.once));
        }
        let mut result = Ok(());
        while let Some(joined) = tasks.join_next().await {
            match joined {
                Ok(Ok(())) => {}
                Ok(Err(e)) => {
                    cancel.cancel();
                    result = Err(SourceError::Publish(e));
                }
                Err(e) => tracing::error!(error = %e, "feed task failed"),
            }
        }
        result
    }
}

async fn run_feed(
    mut poller: FeedPoller,
    sink: Sink,
    cancel: CancellationToken,
    once: bool,
) -> Result<(), RuntimeError> {
    loop {
        let report = tokio::select! {
            _ = cancel.cancelled() => return Ok(()),
            r = poller.poll(&sink) => r?,
        };
        tracing::debug!(feed = %poller.feed.source, ?report, "polled");
        if once {
            return Ok(());
        }
        tokio::select! {
            _ = cancel.cancelled() => return Ok(()),
            _ = tokio::time::sleep(poller.next_delay()) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: Duration = Duration::from_secs(60);

    #[test]
    fn delay_is_the_interval_then_backs_off_and_honours_retry_after() {
        assert_eq!(next_delay(MIN, 0, None, 1.0), MIN);
        assert_eq!(next_delay(MIN, 1, None, 1.0), MIN);
        assert_eq!(next_delay(MIN, 3, None, 1.0), MIN * 4);
        assert_eq!(next_delay(MIN, 30, None, 1.0), MAX_BACKOFF);
        let day = Duration::from_secs(86_400);
        assert_eq!(next_delay(day, 5, None, 1.0), day);
        let ra = Some(Duration::from_secs(600));
        assert_eq!(next_delay(MIN, 1, ra, 1.0), Duration::from_secs(600));
        assert_eq!(next_delay(MIN, 1, Some(day * 7), 1.0), MAX_RETRY_AFTER);
        assert_eq!(next_delay(MIN, 0, None, 1.1), Duration::from_secs(66));
    }
}
