//! The service side of `eventwire-ingest`: flags of the long-running sources, and the run that
//! connects them to Kafka until SIGTERM (or, with `--once`, until every feed was polled once).
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use eventwire_ingest::read::ReadOptions;
use eventwire_ingest::source::feed::{config, FeedShared, FeedSource};
use eventwire_ingest::source::fetch::{FetchSettings, Fetcher};
use eventwire_ingest::source::metrics::SourceMetrics;
use eventwire_ingest::source::push::{
    PushSettings, PushSource, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_QUEUE,
};
use eventwire_ingest::source::seen::{SeenSet, DEFAULT_SEEN_CAPACITY};
use eventwire_ingest::source::seen_log;
use eventwire_ingest::source::watch::{WatchSettings, WatchSource};
use eventwire_ingest::source::{run_all, Sink, Source};
use eventwire_runtime::config::{KafkaArgs, ServeArgs};
use eventwire_runtime::health::{self, Health};
use eventwire_runtime::kafka::KafkaPublisher;
use eventwire_runtime::metrics::Metrics;
use eventwire_runtime::publish::Publisher;
use eventwire_runtime::{shutdown, telemetry};
use eventwire_schema::topics;
use tokio_util::sync::CancellationToken;

/// Flags of the long-running sources.
#[derive(clap::Args, Debug)]
pub struct SourceArgs {
    /// Poll the RSS/Atom/JSON feeds listed in this TOML file (`[[feed]] url, source, interval, headers`).
    #[arg(long, env = "EVENTWIRE_FEEDS")]
    pub feeds: Option<PathBuf>,
    /// Poll only this replica's share of the feeds: I/N (0 <= I < N) takes the feeds whose URL
    /// hashes to I, so N replicas with 0/N .. N-1/N and the same feeds file poll each feed once.
    #[arg(long, env = "EVENTWIRE_SHARD", default_value = "0/1")]
    pub shard: config::Shard,
    /// With --feeds: poll each feed once, produce its items and exit.
    #[arg(long, requires = "feeds", conflicts_with_all = ["listen", "watch"])]
    pub once: bool,
    /// Serve POST /v1/articles on this address (e.g. 0.0.0.0:8080).
    #[arg(long, env = "EVENTWIRE_PUSH_ADDR")]
    pub listen: Option<SocketAddr>,
    /// File holding the push endpoint's bearer token (else EVENTWIRE_PUSH_TOKEN).
    #[arg(long, env = "EVENTWIRE_PUSH_TOKEN_FILE")]
    pub token_file: Option<PathBuf>,
    /// Largest push request body, in bytes (413 above).
    #[arg(long, env = "EVENTWIRE_PUSH_MAX_BODY_BYTES", default_value_t = DEFAULT_MAX_BODY_BYTES)]
    pub push_max_body_bytes: usize,
    /// Pushed records awaiting acknowledgement at once (429 when full).
    #[arg(long, env = "EVENTWIRE_PUSH_MAX_QUEUE", default_value_t = DEFAULT_MAX_QUEUE)]
    pub push_max_queue: usize,
    /// Read files landing in this directory, then move them to its done/ subdirectory.
    #[arg(long, env = "EVENTWIRE_WATCH_DIR")]
    pub watch: Option<PathBuf>,
    /// Milliseconds a watched file's size and mtime must stay unchanged before it is read.
    #[arg(long, default_value_t = 2000)]
    pub watch_settle_ms: u64,
    /// Milliseconds between rescans of the watched directory (the fallback to notifications).
    #[arg(long, default_value_t = 5000)]
    pub watch_poll_ms: u64,
    /// Whole-request timeout of feed and page fetches, in seconds.
    #[arg(long, default_value_t = 20)]
    pub fetch_timeout_secs: u64,
    /// Redirects followed per fetch.
    #[arg(long, default_value_t = 5)]
    pub fetch_max_redirects: usize,
    /// Requests to one host at once.
    #[arg(long, default_value_t = 2)]
    pub per_host_concurrency: usize,
    /// Least milliseconds between two requests to one host.
    #[arg(long, default_value_t = 500)]
    pub per_host_interval_ms: u64,
    /// Pages of one feed fetched at once.
    #[arg(long, default_value_t = 8)]
    pub item_concurrency: usize,
    /// User-Agent of every fetch (default names eventwire and its version).
    #[arg(long, env = "EVENTWIRE_USER_AGENT")]
    pub user_agent: Option<String>,
    /// Feed items (links or GUIDs) remembered as produced.
    #[arg(long, default_value_t = DEFAULT_SEEN_CAPACITY)]
    pub seen_capacity: usize,
    /// Keep the seen-set in this compacted topic too (rebuilt at start), e.g. ingest.seen, so
    /// restarts and other replicas skip what was produced. Off by default.
    #[arg(long, env = "EVENTWIRE_SEEN_TOPIC")]
    pub seen_topic: Option<String>,
    /// Hours a produced item stays in the rebuilt seen-set (set the topic's retention.ms to match).
    #[arg(long, default_value_t = 30 * 24)]
    pub seen_ttl_hours: u64,
    /// Longest the start-up rebuild of the seen-set may take, in seconds.
    #[arg(long, default_value_t = 120)]
    pub seen_rebuild_timeout_secs: u64,
}

/// The push token: the file's first line, else EVENTWIRE_PUSH_TOKEN; never empty.
fn push_token(file: Option<&Path>) -> anyhow::Result<String> {
    let token = match file {
        Some(f) => std::fs::read_to_string(f)
            .with_context(|| format!("cannot read the token file {}", f.display()))?,
        None => std::env::var("EVENTWIRE_PUSH_TOKEN")
            .context("--listen needs --token-file or EVENTWIRE_PUSH_TOKEN")?,
    };
    let token = token.lines().next().unwrap_or("").trim().to_owned();
    anyhow::ensure!(!token.is_empty(), "the push token is empty");
    Ok(token)
}

impl SourceArgs {
    fn fetch_settings(&self, max_bytes: usize) -> FetchSettings {
        let defaults = FetchSettings::default();
        FetchSettings {
            timeout: Duration::from_secs(self.fetch_timeout_secs),
            max_redirects: self.fetch_max_redirects,
            max_bytes,
            per_host_concurrency: self.per_host_concurrency,
            per_host_interval: Duration::from_millis(self.per_host_interval_ms),
            user_agent: self
                .user_agent
                .clone()
                .unwrap_or(defaults.user_agent.clone()),
            ..defaults
        }
    }

    /// The seen-set, rebuilt from the seen topic when there is one.
    async fn seen_set(&self, kafka: &KafkaArgs) -> anyhow::Result<Arc<SeenSet>> {
        let seen = Arc::new(SeenSet::new(self.seen_capacity));
        let Some(topic) = self.seen_topic.clone() else {
            return Ok(seen);
        };
        let (kafka, set) = (kafka.clone(), Arc::clone(&seen));
        let ttl = Duration::from_secs(self.seen_ttl_hours.saturating_mul(3600));
        let timeout = Duration::from_secs(self.seen_rebuild_timeout_secs);
        let report = tokio::task::spawn_blocking(move || {
            seen_log::rebuild(&kafka, &topic, ttl, timeout, &set)
        })
        .await??;
        tracing::info!(
            keys = report.keys,
            complete = report.complete,
            "seen-set rebuilt"
        );
        Ok(seen)
    }

    /// The configured sources, validated (a bad feeds file or token stops here).
    async fn build(
        &self,
        metrics: &SourceMetrics,
        kafka: &KafkaArgs,
        max_bytes: usize,
    ) -> anyhow::Result<Vec<Box<dyn Source>>> {
        let mut sources: Vec<Box<dyn Source>> = Vec::new();
        let read = ReadOptions {
            max_bytes,
            source: None,
        };
        if let Some(path) = &self.feeds {
            let all = config::load(path)?;
            let total = all.len();
            let feeds = self.shard.select(all);
            let fetcher = Fetcher::new(self.fetch_settings(max_bytes), metrics.clone())?;
            let seen = self.seen_set(kafka).await?;
            let (fetcher, m) = (Arc::new(fetcher), metrics.clone());
            let topic = self.seen_topic.clone();
            let shared =
                FeedShared::with_seen_topic(fetcher, seen, m, self.item_concurrency, topic);
            tracing::info!(feeds = feeds.len(), total, shard = ?self.shard, file = %path.display(), "feeds loaded");
            sources.push(Box::new(FeedSource::new(feeds, shared, self.once)));
        }
        if let Some(addr) = self.listen {
            let settings = PushSettings {
                addr,
                token: push_token(self.token_file.as_deref())?,
                max_body_bytes: self.push_max_body_bytes,
                max_queue: self.push_max_queue.max(1),
                retry_after: Duration::from_secs(1),
                read: read.clone(),
            };
            sources.push(Box::new(PushSource::new(settings, metrics.clone())));
        }
        if let Some(dir) = &self.watch {
            anyhow::ensure!(dir.is_dir(), "--watch {}: not a directory", dir.display());
            let settings = WatchSettings {
                settle: Duration::from_millis(self.watch_settle_ms),
                poll_interval: Duration::from_millis(self.watch_poll_ms.max(10)),
                read,
                ..WatchSettings::new(dir.clone())
            };
            sources.push(Box::new(WatchSource::new(settings, metrics.clone())));
        }
        Ok(sources)
    }
}

/// The topics the service writes to (they must exist).
fn output_topics(args: &SourceArgs) -> Vec<String> {
    let mut t = vec![
        topics::ARTICLES_RAW.to_string(),
        topics::dlq_for(topics::INGEST),
    ];
    if let (Some(seen), Some(_)) = (&args.seen_topic, &args.feeds) {
        t.push(seen.clone());
    }
    t
}

/// Runs the sources on Kafka until a signal (or, with `--once`, until the feeds are done).
pub async fn run_service(
    args: SourceArgs,
    kafka: KafkaArgs,
    serve: ServeArgs,
    max_bytes: usize,
) -> anyhow::Result<()> {
    telemetry::init_tracing(serve.log_format);
    kafka.options()?;
    let metrics = Metrics::new("ingest");
    let source_metrics = SourceMetrics::register(&metrics.registry)?;
    let health = Health::new();
    let stop_server = CancellationToken::new();
    health::serve(
        serve.addr(9101),
        metrics.clone(),
        Arc::clone(&health),
        stop_server.clone(),
    )
    .await?;
    // After the health server: the seen-set rebuild may take a while, and /healthz must answer
    // meanwhile (/readyz stays 503 until the publisher is connected).
    let sources = args.build(&source_metrics, &kafka, max_bytes).await?;
    let cancel = shutdown::on_signals();
    let out_topics = output_topics(&args);
    let publisher = KafkaPublisher::connect(
        kafka,
        "ingest",
        metrics.clone(),
        Arc::clone(&health),
        &out_topics.iter().map(String::as_str).collect::<Vec<_>>(),
        cancel.clone(),
    )
    .await?;
    let publisher: Arc<dyn Publisher> = Arc::new(publisher);
    let result = run_all(sources, Sink::new(Arc::clone(&publisher), metrics), cancel).await;
    publisher.flush(Duration::from_secs(30)).await?;
    stop_server.cancel();
    if let Err(e) = &result {
        health.set_failed();
        tracing::error!(error = %e, "stopping on error");
    }
    result.map_err(Into::into)
}
