//! The long-running sources against a local HTTP server (no internet): feeds in three formats,
//! conditional GET, HTTP failures, page fetch limits, robots.txt, charsets, the push endpoint
//! and the directory watch. Delays are short and only as long as the behaviour needs.
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Path as UrlPath, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use eventwire_ingest::source::feed::{config, FeedPoller, FeedShared, FeedSource};
use eventwire_ingest::source::fetch::{FetchSettings, Fetcher};
use eventwire_ingest::source::metrics::SourceMetrics;
use eventwire_ingest::source::seen::SeenSet;
use eventwire_ingest::source::{run_all, Sink, Source};
use eventwire_runtime::memory::{MemoryBus, Subscription};
use eventwire_runtime::metrics::Metrics;
use eventwire_runtime::InputRecord;
use eventwire_schema::v1::RawArticle;
use eventwire_schema::{dlq, json, topics};
use tokio_util::sync::CancellationToken;

// ---------------------------------------------------------------- the local web server

#[derive(Default)]
struct Site {
    hits: Mutex<HashMap<String, usize>>,
    /// Version of the `/etag.xml` feed; its ETag is `"v<n>"`.
    etag_version: AtomicU32,
    /// `If-None-Match` values received by `/etag.xml`.
    conditional: Mutex<Vec<String>>,
    /// User-Agent of the last request.
    user_agent: Mutex<String>,
}

impl Site {
    fn hits(&self, path: &str) -> usize {
        self.hits.lock().unwrap().get(path).copied().unwrap_or(0)
    }
}

const ROBOTS: &str = "User-agent: *\nDisallow: /private/\n";
/// "Le président a rencontré le ministre à Saint-Évrard" in windows-1252, no charset anywhere.
const LATIN1_PAGE: &[u8] = b"<html><body><p>Le pr\xe9sident a rencontr\xe9 le ministre \xe0 Saint-\xc9vrard, \x93un \xe9change fructueux\x94.</p></body></html>";
const BIG_PAGE_BYTES: usize = 50 * 1024 * 1024;

fn rss(items: &[(&str, &str)]) -> String {
    let items: String = items
        .iter()
        .map(|(guid, link)| {
            format!("<item><title>Item {guid}</title><link>{link}</link><guid>{guid}</guid><pubDate>Tue, 15 Apr 2025 10:00:00 GMT</pubDate><description>short</description></item>")
        })
        .collect();
    format!("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title><link>http://x/</link><description>d</description>{items}</channel></rss>")
}

const ATOM: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>a</title><id>urn:feed</id><updated>2025-04-16T09:00:00Z</updated>
<entry><title>Talks in Velmora</title><id>urn:a1</id><link href="/atom/a1"/><updated>2025-04-16T09:00:00Z</updated>
<content type="html">&lt;p&gt;Ministers met in Velmora.&lt;/p&gt;</content></entry>
</feed>"#;

const JSON_FEED: &str = r#"{"version":"https://jsonfeed.org/version/1.1","title":"j","items":[
{"id":"j1","url":"http://example.invalid/j1","title":"A call","content_html":"<p>The leaders spoke by phone.</p>","date_published":"2025-04-17T08:00:00Z"}]}"#;

async fn page(State(site): State<Arc<Site>>, UrlPath(n): UrlPath<String>) -> Response {
    *site
        .hits
        .lock()
        .unwrap()
        .entry(format!("/page/{n}"))
        .or_default() += 1;
    let html = format!(
        "<html><head><title>Page {n}</title></head><body><p>Article {n} text.</p></body></html>"
    );
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response()
}

fn etag_feed(site: &Site, headers: &HeaderMap) -> Response {
    let v = site.etag_version.load(Ordering::SeqCst);
    let etag = format!("\"v{v}\"");
    if let Some(inm) = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|h| h.to_str().ok())
    {
        site.conditional.lock().unwrap().push(inm.to_owned());
        if inm == etag {
            return StatusCode::NOT_MODIFIED.into_response();
        }
    }
    let items: Vec<(String, String)> = (0..=v)
        .map(|i| (format!("e{i}"), format!("/page/e{i}")))
        .collect();
    let refs: Vec<(&str, &str)> = items
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    ([(header::ETAG, etag)], rss(&refs)).into_response()
}

/// 50 MB of HTML made on the fly, without a Content-Length, so the client must stop reading.
fn big_page() -> Response {
    let chunk = Bytes::from(vec![b'a'; 64 * 1024]);
    let n = BIG_PAGE_BYTES / chunk.len();
    let stream = futures::stream::iter((0..n).map(move |_| Ok::<_, std::io::Error>(chunk.clone())));
    (
        [(header::CONTENT_TYPE, "text/html")],
        Body::from_stream(stream),
    )
        .into_response()
}

async fn route(
    State(site): State<Arc<Site>>,
    uri: axum::http::Uri,
    headers: HeaderMap,
) -> Response {
    let path = uri.path().to_owned();
    *site.hits.lock().unwrap().entry(path.clone()).or_default() += 1;
    if let Some(ua) = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
    {
        *site.user_agent.lock().unwrap() = ua.to_owned();
    }
    match path.as_str() {
        "/robots.txt" => ROBOTS.into_response(),
        "/rss.xml" => rss(&[
            ("r1", "/page/r1"),
            ("r2", "/page/r2"),
            ("r1-again", "/page/r1"),
        ])
        .into_response(),
        "/atom.xml" => ATOM.into_response(),
        "/feed.json" => {
            ([(header::CONTENT_TYPE, "application/feed+json")], JSON_FEED).into_response()
        }
        "/etag.xml" => etag_feed(&site, &headers),
        "/bad.xml" => "<rss><channel><item><title>broken</item></channel>".into_response(),
        "/missing.xml" => StatusCode::NOT_FOUND.into_response(),
        "/error.xml" => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        "/busy.xml" => (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, "120")],
        )
            .into_response(),
        "/hard.xml" => rss(&[
            ("ok", "/page/ok"),
            ("gone", "/gone"),
            ("slow", "/slow"),
            ("loop", "/loop"),
            ("big", "/big"),
            ("private", "/private/secret"),
            ("latin1", "/latin1"),
            ("pdf", "/doc.pdf"),
        ])
        .into_response(),
        "/gone" => StatusCode::NOT_FOUND.into_response(),
        "/slow" => {
            tokio::time::sleep(Duration::from_secs(5)).await;
            "<p>too late</p>".into_response()
        }
        "/loop" => (StatusCode::FOUND, [(header::LOCATION, "/loop")]).into_response(),
        "/big" => big_page(),
        "/latin1" => ([(header::CONTENT_TYPE, "text/html")], LATIN1_PAGE).into_response(),
        "/private/secret" => "<p>secret</p>".into_response(),
        "/doc.pdf" => ([(header::CONTENT_TYPE, "application/pdf")], "%PDF-1.4").into_response(),
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn serve(site: Arc<Site>) -> SocketAddr {
    let app = Router::new()
        .route("/page/{n}", get(page))
        .fallback(route)
        .with_state(site);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    addr
}

// ---------------------------------------------------------------- the ingest side

struct Harness {
    addr: SocketAddr,
    site: Arc<Site>,
    metrics: Metrics,
    sources: SourceMetrics,
    shared: Arc<FeedShared>,
    sink: Sink,
    raw: Subscription,
    dlq: Subscription,
}

const CAP_BYTES: usize = 1024 * 1024;

fn test_fetch_settings() -> FetchSettings {
    FetchSettings {
        timeout: Duration::from_millis(500),
        max_bytes: CAP_BYTES,
        per_host_concurrency: 4,
        per_host_interval: Duration::ZERO,
        ..FetchSettings::default()
    }
}

async fn harness() -> Harness {
    let site = Arc::new(Site::default());
    let addr = serve(Arc::clone(&site)).await;
    let metrics = Metrics::new("ingest");
    let sources = SourceMetrics::register(&metrics.registry).unwrap();
    let fetcher = Arc::new(Fetcher::new(test_fetch_settings(), sources.clone()).unwrap());
    let shared = FeedShared::new(fetcher, Arc::new(SeenSet::new(1000)), sources.clone(), 4);
    let bus = MemoryBus::new(1024);
    let raw = bus.subscribe(topics::ARTICLES_RAW).await;
    let dlq = bus.subscribe(&topics::dlq_for(topics::INGEST)).await;
    let sink = Sink::new(bus, metrics.clone());
    Harness {
        addr,
        site,
        metrics,
        sources,
        shared,
        sink,
        raw,
        dlq,
    }
}

impl Harness {
    fn feed(&self, path: &str, source: &str) -> config::FeedConfig {
        let toml = format!(
            "[[feed]]\nurl = \"http://{}{path}\"\nsource = \"{source}\"\ninterval = \"1m\"\n",
            self.addr
        );
        config::parse(&toml).unwrap().remove(0)
    }

    fn poller(&self, path: &str, source: &str) -> FeedPoller {
        FeedPoller::new(self.feed(path, source), Arc::clone(&self.shared))
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// The value of `name` with these labels (and any others).
    fn metric(&self, name: &str, labels: &[(&str, &str)]) -> String {
        let text = self.metrics.render();
        let wanted: Vec<String> = labels.iter().map(|(k, v)| format!("{k}=\"{v}\"")).collect();
        text.lines()
            .find(|l| {
                l.split(['{', ' ']).next() == Some(name)
                    && wanted.iter().all(|w| l.contains(w.as_str()))
            })
            .unwrap_or_else(|| panic!("no {name} {labels:?} in\n{text}"))
            .rsplit(' ')
            .next()
            .unwrap()
            .to_owned()
    }
}

fn drain(sub: &mut Subscription) -> Vec<Arc<InputRecord>> {
    let mut out = Vec::new();
    while let Ok(r) = sub.try_recv() {
        out.push(r);
    }
    out
}

fn articles(sub: &mut Subscription) -> Vec<RawArticle> {
    drain(sub)
        .iter()
        .map(|r| json::decode(&r.payload).unwrap())
        .collect()
}

fn dlq_codes(sub: &mut Subscription) -> Vec<(String, String)> {
    let mut codes: Vec<(String, String)> = drain(sub)
        .iter()
        .map(|r| {
            (
                String::from_utf8_lossy(&r.payload).into_owned(),
                r.headers.get_str(dlq::ERROR_CODE).unwrap_or("").to_owned(),
            )
        })
        .collect();
    codes.sort();
    codes
}

// ---------------------------------------------------------------- feeds

#[tokio::test]
async fn rss_items_with_only_a_link_have_their_page_fetched_once() {
    let mut h = harness().await;
    let mut p = h.poller("/rss.xml", "wire");
    let report = p.poll(&h.sink).await.unwrap();
    assert_eq!(
        (report.outcome, report.new, report.seen),
        ("ok", 2, 1),
        "{report:?}"
    );
    let mut got = articles(&mut h.raw);
    got.sort_by(|a, b| a.url.cmp(&b.url));
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].url.as_deref(), Some(h.url("/page/r1").as_str()));
    assert!(
        got[0].body.contains("<p>Article r1 text.</p>"),
        "{}",
        got[0].body
    );
    assert_eq!(got[0].source, "wire");
    assert_eq!(got[0].published.as_deref(), Some("2025-04-15"));
    assert_eq!(got[0].title.as_deref(), Some("Item r1"));
    assert_eq!(
        got[0].id,
        eventwire_ingest::read::url_id(&h.url("/page/r1"))
    );
    // The third item repeats r1's link: one fetch, one article.
    assert_eq!(h.site.hits("/page/r1"), 1);
}

#[tokio::test]
async fn atom_and_json_feeds_carrying_content_are_produced_without_a_fetch() {
    let mut h = harness().await;
    let a = h.poller("/atom.xml", "atom").poll(&h.sink).await.unwrap();
    let j = h.poller("/feed.json", "json").poll(&h.sink).await.unwrap();
    assert_eq!((a.new, j.new), (1, 1));
    let got = articles(&mut h.raw);
    assert_eq!(got[0].body, "<p>Ministers met in Velmora.</p>");
    assert_eq!(got[0].url.as_deref(), Some(h.url("/atom/a1").as_str()));
    assert_eq!(got[0].published.as_deref(), Some("2025-04-16"));
    assert_eq!(got[1].body, "<p>The leaders spoke by phone.</p>");
    assert_eq!(got[1].source, "json");
    assert_eq!(h.site.hits("/atom/a1"), 0);
    let ua = h.site.user_agent.lock().unwrap().clone();
    assert!(
        ua.starts_with("eventwire/") && ua.contains("news event extraction"),
        "{ua}"
    );
}

#[tokio::test]
async fn a_feed_repeating_old_items_does_not_produce_them_again() {
    let mut h = harness().await;
    let mut p = h.poller("/rss.xml", "wire");
    p.poll(&h.sink).await.unwrap();
    let again = p.poll(&h.sink).await.unwrap();
    assert_eq!((again.new, again.seen), (0, 3), "{again:?}");
    assert_eq!(articles(&mut h.raw).len(), 2);
    assert_eq!((h.site.hits("/page/r1"), h.site.hits("/page/r2")), (1, 1));
    assert_eq!(
        h.metric(
            "eventwire_feed_items_total",
            &[("feed", "wire"), ("status", "seen")]
        ),
        "4"
    );
}

#[tokio::test]
async fn conditional_get_gets_304_until_the_etag_changes() {
    let mut h = harness().await;
    let mut p = h.poller("/etag.xml", "etag");
    assert_eq!(p.poll(&h.sink).await.unwrap().new, 1);
    let second = p.poll(&h.sink).await.unwrap();
    assert_eq!((second.outcome, second.new), ("not_modified", 0));
    h.site.etag_version.store(1, Ordering::SeqCst);
    let third = p.poll(&h.sink).await.unwrap();
    assert_eq!((third.outcome, third.new, third.seen), ("ok", 1, 1));
    assert_eq!(
        *h.site.conditional.lock().unwrap(),
        vec!["\"v0\"", "\"v0\""]
    );
    assert_eq!(articles(&mut h.raw).len(), 2);
    assert_eq!(
        h.metric(
            "eventwire_feed_polls_total",
            &[("feed", "etag"), ("outcome", "not_modified")]
        ),
        "1"
    );
    assert_ne!(
        h.metric(
            "eventwire_feed_last_success_timestamp_seconds",
            &[("feed", "etag")]
        ),
        "0"
    );
}

#[tokio::test]
async fn http_errors_are_counted_and_retry_after_is_honoured() {
    let h = harness().await;
    for (path, name) in [("/missing.xml", "missing"), ("/error.xml", "error")] {
        let r = h.poller(path, name).poll(&h.sink).await.unwrap();
        assert_eq!(r.outcome, "http_error");
    }
    let mut busy = h.poller("/busy.xml", "busy");
    let r = busy.poll(&h.sink).await.unwrap();
    assert_eq!(
        (r.outcome, r.retry_after),
        ("http_error", Some(Duration::from_secs(120)))
    );
    // The interval is 1 minute; the server asked for 2.
    assert!(
        busy.next_delay() >= Duration::from_secs(120),
        "{:?}",
        busy.next_delay()
    );
    assert_eq!(
        h.metric(
            "eventwire_feed_polls_total",
            &[("feed", "missing"), ("outcome", "http_error")]
        ),
        "1"
    );
    assert_eq!(
        h.metric("eventwire_page_fetches_total", &[("status_class", "4xx")]),
        "2"
    );
    assert_eq!(
        h.metric("eventwire_page_fetches_total", &[("status_class", "5xx")]),
        "1"
    );
}

#[tokio::test]
async fn malformed_xml_is_counted_and_the_other_feeds_go_on() {
    let mut h = harness().await;
    let feeds = vec![h.feed("/bad.xml", "bad"), h.feed("/atom.xml", "atom")];
    let source: Box<dyn Source> = Box::new(FeedSource::new(feeds, Arc::clone(&h.shared), true));
    run_all(vec![source], h.sink.clone(), CancellationToken::new())
        .await
        .unwrap();
    assert_eq!(articles(&mut h.raw).len(), 1);
    assert_eq!(
        h.metric(
            "eventwire_feed_polls_total",
            &[("feed", "bad"), ("outcome", "parse_error")]
        ),
        "1"
    );
    assert_eq!(
        h.metric(
            "eventwire_feed_polls_total",
            &[("feed", "atom"), ("outcome", "ok")]
        ),
        "1"
    );
}

#[tokio::test]
async fn page_failures_are_dead_lettered_or_retried_and_latin1_is_decoded() {
    let mut h = harness().await;
    let mut p = h.poller("/hard.xml", "hard");
    let r = p.poll(&h.sink).await.unwrap();
    // ok + latin1 produced; gone, loop, big, private, pdf dead-lettered; slow left for later.
    assert_eq!((r.new, r.retry_later), (7, 1), "{r:?}");
    let got = articles(&mut h.raw);
    let latin1 = got
        .iter()
        .find(|a| a.url.as_deref() == Some(h.url("/latin1").as_str()))
        .unwrap();
    assert!(
        latin1.body.contains(
            "Le président a rencontré le ministre à Saint-Évrard, “un échange fructueux”."
        ),
        "{}",
        latin1.body
    );
    let want: Vec<(String, String)> = [
        ("/big", "too_large"),
        ("/doc.pdf", "not_a_page"),
        ("/gone", "http_4xx"),
        ("/loop", "too_many_redirects"),
        ("/private/secret", "robots_disallowed"),
    ]
    .iter()
    .map(|(p, c)| (h.url(p), c.to_string()))
    .collect();
    assert_eq!(dlq_codes(&mut h.dlq), want);
    assert_eq!(
        h.site.hits("/private/secret"),
        0,
        "robots.txt was not obeyed"
    );
    assert_eq!(
        h.site.hits("/robots.txt"),
        1,
        "robots.txt is cached per host"
    );
    assert_eq!(h.metric("eventwire_robots_refusals_total", &[]), "1");
    assert_eq!(
        h.metric(
            "eventwire_page_fetches_total",
            &[("status_class", "timeout")]
        ),
        "1"
    );
    // The 50 MB page was cut at the cap: far less than it was read.
    let read: u64 = h
        .metric("eventwire_page_fetched_bytes_total", &[])
        .parse()
        .unwrap();
    assert!(read < 2 * CAP_BYTES as u64, "read {read} bytes");
    // The next poll retries only the slow page (it times out again) and fetches nothing else.
    let again = p.poll(&h.sink).await.unwrap();
    assert_eq!(
        (again.new, again.seen, again.retry_later),
        (0, 7, 1),
        "{again:?}"
    );
    assert_eq!(h.site.hits("/gone"), 1);
    drop(h.sources);
}

// ---------------------------------------------------------------- the seen log on Kafka

#[tokio::test]
async fn the_seen_log_carries_the_seen_set_across_a_restart() {
    use eventwire_ingest::source::seen_log;
    use eventwire_runtime::config::KafkaArgs;
    use eventwire_runtime::health::Health;
    use eventwire_runtime::kafka::KafkaPublisher;

    let cluster = rdkafka::mocking::MockCluster::new(1).unwrap();
    for t in [topics::ARTICLES_RAW, "ingest.dlq", topics::INGEST_SEEN] {
        cluster.create_topic(t, 2, 1).unwrap();
    }
    let kafka = KafkaArgs {
        brokers: cluster.bootstrap_servers(),
        kafka_options: Vec::new(),
        topic_prefix: String::new(),
    };
    let mut h = harness().await;
    let publisher = KafkaPublisher::connect(
        kafka.clone(),
        "ingest",
        h.metrics.clone(),
        Health::new(),
        &[topics::ARTICLES_RAW, topics::INGEST_SEEN],
        CancellationToken::new(),
    )
    .await
    .unwrap();
    // First life: the feed's two pages are produced to Kafka and their keys to the seen log.
    let fetcher = Arc::new(Fetcher::new(test_fetch_settings(), h.sources.clone()).unwrap());
    let seen_topic = Some(topics::INGEST_SEEN.to_string());
    let first = FeedShared::with_seen_topic(
        Arc::clone(&fetcher),
        Arc::new(SeenSet::new(100)),
        h.sources.clone(),
        4,
        seen_topic,
    );
    let kafka_sink = Sink::new(Arc::new(publisher), h.metrics.clone());
    let feed = h.feed("/rss.xml", "wire");
    let r = FeedPoller::new(feed.clone(), first)
        .poll(&kafka_sink)
        .await
        .unwrap();
    assert_eq!(r.new, 2);
    // Second life: the set is rebuilt from the topic, and nothing is fetched or produced again.
    let rebuilt = Arc::new(SeenSet::new(100));
    let (k, set) = (kafka.clone(), Arc::clone(&rebuilt));
    let report = tokio::task::spawn_blocking(move || {
        seen_log::rebuild(
            &k,
            topics::INGEST_SEEN,
            Duration::from_secs(3600),
            Duration::from_secs(20),
            &set,
        )
    })
    .await
    .unwrap()
    .unwrap();
    assert_eq!((report.keys, report.complete, rebuilt.len()), (2, true, 2));
    let second = FeedShared::new(fetcher, rebuilt, h.sources.clone(), 4);
    let r = FeedPoller::new(feed, second).poll(&h.sink).await.unwrap();
    assert_eq!((r.new, r.seen), (0, 3), "{r:?}");
    assert!(articles(&mut h.raw).is_empty());
    assert_eq!((h.site.hits("/page/r1"), h.site.hits("/page/r2")), (1, 1));
}

// ---------------------------------------------------------------- per-host limits

/// A host that records how many requests it serves at once and when each started.
#[derive(Default)]
struct Busy {
    now: std::sync::atomic::AtomicUsize,
    max: std::sync::atomic::AtomicUsize,
    starts: Mutex<Vec<std::time::Instant>>,
}

async fn busy_host(busy: Arc<Busy>) -> SocketAddr {
    let app = Router::new().route(
        "/{n}",
        get(move || {
            let busy = Arc::clone(&busy);
            async move {
                busy.starts.lock().unwrap().push(std::time::Instant::now());
                let n = busy.now.fetch_add(1, Ordering::SeqCst) + 1;
                busy.max.fetch_max(n, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(50)).await;
                busy.now.fetch_sub(1, Ordering::SeqCst);
                "<p>x</p>"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    addr
}

async fn fetch_four(settings: FetchSettings, addr: SocketAddr) {
    let metrics = SourceMetrics::register(&prometheus::Registry::new()).unwrap();
    let fetcher = Fetcher::new(settings, metrics).unwrap();
    let gets = (0..4).map(|n| {
        let url = reqwest::Url::parse(&format!("http://{addr}/{n}")).unwrap();
        let f = &fetcher;
        async move { f.get(&url, Default::default()).await.unwrap() }
    });
    futures::future::join_all(gets).await;
}

#[tokio::test]
async fn requests_to_one_host_are_limited_in_number_and_spaced() {
    let busy = Arc::new(Busy::default());
    let addr = busy_host(Arc::clone(&busy)).await;
    let two_at_once = FetchSettings {
        per_host_concurrency: 2,
        per_host_interval: Duration::ZERO,
        ..test_fetch_settings()
    };
    fetch_four(two_at_once, addr).await;
    assert_eq!(busy.max.load(Ordering::SeqCst), 2);

    let busy = Arc::new(Busy::default());
    let addr = busy_host(Arc::clone(&busy)).await;
    let spaced = FetchSettings {
        per_host_concurrency: 4,
        per_host_interval: Duration::from_millis(100),
        ..test_fetch_settings()
    };
    fetch_four(spaced, addr).await;
    let starts = busy.starts.lock().unwrap().clone();
    assert_eq!(starts.len(), 4);
    for w in starts.windows(2) {
        let gap = w[1] - w[0];
        assert!(gap >= Duration::from_millis(90), "requests {gap:?} apart");
    }
}
