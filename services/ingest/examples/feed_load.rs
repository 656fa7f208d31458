//! Feed throughput: a local server lists N items (links only) whose pages are about 50 KB of
//! HTML; one poll fetches every page and produces every article to the in-memory bus (a
//! subscriber drains it). Prints items/s and MB/s of page bodies. Not a test: numbers depend on
//! the machine. Kafka is not involved; the broker's cost is measured by the load harness.
//!
//! cargo run --release -p eventwire-ingest --example feed_load -- [ITEMS] [PER_HOST_CONCURRENCY] [FEEDS]
//!
//! With FEEDS > 1, that many feeds (each listing ITEMS / FEEDS items of its own) are polled at
//! once, each by its own task, as the service does; run it under `/usr/bin/time -v` for the
//! peak RSS.
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::Path;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use eventwire_ingest::source::feed::{config, FeedPoller, FeedShared};
use eventwire_ingest::source::fetch::{FetchSettings, Fetcher};
use eventwire_ingest::source::metrics::SourceMetrics;
use eventwire_ingest::source::seen::SeenSet;
use eventwire_ingest::source::Sink;
use eventwire_runtime::memory::MemoryBus;
use eventwire_runtime::metrics::Metrics;
use eventwire_schema::topics;

const PAGE_BYTES: usize = 50 * 1024;

fn feed(first: usize, items: usize) -> String {
    let items: String = (first..first + items)
        .map(|i| format!("<item><title>Item {i}</title><link>/p/{i}</link><guid>{i}</guid></item>"))
        .collect();
    format!("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>load</title><link>http://x/</link><description>d</description>{items}</channel></rss>")
}

fn page(i: &str) -> String {
    let para =
        format!("<p>Ministers of Velmora and Ostrand met on day {i} to discuss the border. </p>\n");
    let mut html = format!("<html><head><title>Page {i}</title></head><body>\n");
    while html.len() < PAGE_BYTES {
        html.push_str(&para);
    }
    html.push_str("</body></html>");
    html
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let items: usize = args.next().map_or(Ok(2000), |a| a.parse())?;
    let per_host: usize = args.next().map_or(Ok(16), |a| a.parse())?;
    let feeds: usize = args.next().map_or(Ok(1), |a| a.parse())?;
    let per_feed = (items / feeds.max(1)).max(1);
    let app = Router::new()
        .route(
            "/feed/{n}",
            get(move |Path(n): Path<usize>| async move { feed(n * per_feed, per_feed) }),
        )
        .route(
            "/p/{i}",
            get(|Path(i): Path<String>| async move {
                ([("content-type", "text/html; charset=utf-8")], page(&i)).into_response()
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move { axum::serve(listener, app).await });

    let metrics = Metrics::new("ingest");
    let sources = SourceMetrics::register(&metrics.registry)?;
    let settings = FetchSettings {
        per_host_concurrency: per_host,
        per_host_interval: Duration::ZERO,
        obey_robots: true,
        ..FetchSettings::default()
    };
    let fetcher = Arc::new(Fetcher::new(settings, sources.clone())?);
    let shared = FeedShared::new(
        fetcher,
        Arc::new(SeenSet::new(items * 2)),
        sources,
        per_host,
    );
    let bus = MemoryBus::new(1024);
    let mut raw = bus.subscribe(topics::ARTICLES_RAW).await;
    let drained = tokio::spawn(async move {
        let mut n = 0usize;
        while raw.recv().await.is_some() {
            n += 1;
        }
        n
    });
    let toml: String = (0..feeds)
        .map(|n| format!("[[feed]]\nurl = \"http://{addr}/feed/{n}\"\nsource = \"load{n}\"\n"))
        .collect();
    let sink = Sink::new(bus.clone(), metrics);
    let start = Instant::now();
    let polls = config::parse(&toml)?.into_iter().map(|f| {
        let (shared, sink) = (Arc::clone(&shared), sink.clone());
        tokio::spawn(async move { FeedPoller::new(f, shared).poll(&sink).await })
    });
    let mut new = 0;
    for p in futures::future::join_all(polls).await {
        new += p??.new;
    }
    let secs = start.elapsed().as_secs_f64();
    let items = per_feed * feeds;
    bus.close(topics::ARTICLES_RAW).await;
    let produced = drained.await?;
    let mb = (produced * PAGE_BYTES) as f64 / 1e6;
    println!(
        "{} items in {feeds} feeds ({} produced, per-host concurrency {per_host}, ~{} KB pages) in {secs:.2} s: {:.0} items/s, {:.1} MB/s",
        items,
        new,
        PAGE_BYTES / 1024,
        produced as f64 / secs,
        mb / secs
    );
    anyhow::ensure!(produced == items, "produced {produced} of {items}");
    Ok(())
}
