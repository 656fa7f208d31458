//! The HTTP push endpoint (auth, limits, bad lines, backpressure, 202 only after the
//! acknowledgement) and the directory watch (new files, half-written files).
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use eventwire_ingest::read::ReadOptions;
use eventwire_ingest::source::metrics::SourceMetrics;
use eventwire_ingest::source::push::{self, PushSettings};
use eventwire_ingest::source::watch::{WatchSettings, WatchSource};
use eventwire_ingest::source::{Sink, Source};
use eventwire_runtime::memory::{MemoryBus, Subscription};
use eventwire_runtime::metrics::Metrics;
use eventwire_runtime::publish::Publisher;
use eventwire_runtime::{OutputRecord, RuntimeError};
use eventwire_schema::v1::RawArticle;
use eventwire_schema::{json, topics};
use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;

const TOKEN: &str = "test-token";

/// A publisher that acknowledges only when the test lets it (one permit per record).
struct Gated {
    gate: Semaphore,
    inner: Arc<MemoryBus>,
}

#[async_trait]
impl Publisher for Gated {
    async fn publish(&self, record: OutputRecord) -> Result<(), RuntimeError> {
        self.gate
            .acquire()
            .await
            .map_err(|e| RuntimeError::Bus(e.to_string()))?
            .forget();
        self.inner.publish(record).await
    }

    async fn flush(&self, _: Duration) -> Result<(), RuntimeError> {
        Ok(())
    }
}

fn settings(max_queue: usize) -> PushSettings {
    PushSettings {
        addr: "127.0.0.1:0".parse().unwrap(),
        token: TOKEN.into(),
        max_body_bytes: 4096,
        max_queue,
        retry_after: Duration::from_secs(3),
        read: ReadOptions::default(),
    }
}

async fn serve_push(publisher: Arc<dyn Publisher>, max_queue: usize) -> (SocketAddr, Metrics) {
    let metrics = Metrics::new("ingest");
    let sources = SourceMetrics::register(&metrics.registry).unwrap();
    let app = push::router(
        settings(max_queue),
        Sink::new(publisher, metrics.clone()),
        sources,
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (addr, metrics)
}

fn post(addr: SocketAddr, body: impl Into<reqwest::Body>) -> reqwest::RequestBuilder {
    reqwest::Client::new()
        .post(format!("http://{addr}{}", push::PUSH_PATH))
        .bearer_auth(TOKEN)
        .header("content-type", "application/x-ndjson")
        .body(body)
}

fn articles(sub: &mut Subscription) -> Vec<RawArticle> {
    let mut out = Vec::new();
    while let Ok(r) = sub.try_recv() {
        out.push(json::decode(&r.payload).unwrap());
    }
    out
}

#[tokio::test]
async fn push_accepts_ndjson_and_one_json_article() {
    let bus = MemoryBus::new(64);
    let mut raw = bus.subscribe(topics::ARTICLES_RAW).await;
    let (addr, metrics) = serve_push(bus.clone(), 16).await;
    let batch = "{\"id\":\"p1\",\"text\":\"Talks in Velmora.\"}\n\n{\"id\":\"p2\",\"html\":\"<p>x</p>\",\"published\":\"20250415100000\"}\n";
    let resp = post(addr, batch).send().await.unwrap();
    assert_eq!(resp.status(), 202);
    assert_eq!(resp.text().await.unwrap(), r#"{"accepted":2}"#);
    let one = reqwest::Client::new()
        .post(format!("http://{addr}{}", push::PUSH_PATH))
        .bearer_auth(TOKEN)
        .header("content-type", "application/json")
        .body("{\n  \"url\": \"http://example.invalid/a\",\n  \"maintext\": \"A call.\"\n}")
        .send()
        .await
        .unwrap();
    assert_eq!(one.status(), 202);
    let got = articles(&mut raw);
    let ids: Vec<&str> = got.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids[..2], ["p1", "p2"]);
    assert_eq!(got[1].published.as_deref(), Some("2025-04-15"));
    assert_eq!(got[2].source, "push");
    assert_eq!(got[2].body, "A call.");
    assert!(metrics
        .render()
        .contains("eventwire_push_requests_total{code=\"202\",service=\"ingest\"} 2"));
}

#[tokio::test]
async fn push_refuses_without_the_token_past_the_limit_and_names_a_bad_line() {
    let bus = MemoryBus::new(64);
    let mut raw = bus.subscribe(topics::ARTICLES_RAW).await;
    let (addr, _) = serve_push(bus.clone(), 16).await;
    let url = format!("http://{addr}{}", push::PUSH_PATH);
    let client = reqwest::Client::new();
    let line = "{\"text\":\"x\"}\n";
    let none = client.post(&url).body(line).send().await.unwrap();
    assert_eq!(none.status(), 401);
    let wrong = client
        .post(&url)
        .bearer_auth("nope")
        .body(line)
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    let big = post(addr, line.repeat(1000)).send().await.unwrap();
    assert_eq!(big.status(), 413);
    let bad = post(addr, format!("{line}{line}{{\"text\": 5}}\n{line}"))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    let msg = bad.text().await.unwrap();
    assert!(msg.contains("line 3: field \\\"text\\\""), "{msg}");
    assert!(
        articles(&mut raw).is_empty(),
        "nothing of a refused request is produced"
    );
}

#[tokio::test]
async fn push_answers_202_only_after_the_ack_and_429_when_the_queue_is_full() {
    let bus = MemoryBus::new(64);
    let mut raw = bus.subscribe(topics::ARTICLES_RAW).await;
    let gated = Arc::new(Gated {
        gate: Semaphore::new(0),
        inner: bus.clone(),
    });
    let (addr, metrics) = serve_push(gated.clone(), 2).await;
    let first = tokio::spawn(
        post(
            addr,
            "{\"id\":\"a\",\"text\":\"x\"}\n{\"id\":\"b\",\"text\":\"y\"}\n",
        )
        .send(),
    );
    // Wait until the first request holds the whole queue.
    let queued = "eventwire_push_queue_records{service=\"ingest\"} 2";
    for _ in 0..200 {
        if metrics.render().contains(queued) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(metrics.render().contains(queued));
    let full = post(addr, "{\"id\":\"c\",\"text\":\"z\"}\n")
        .send()
        .await
        .unwrap();
    assert_eq!(full.status(), 429);
    assert_eq!(full.headers()["retry-after"], "3");
    assert!(
        !first.is_finished(),
        "answered before the records were acknowledged"
    );
    assert!(articles(&mut raw).is_empty());
    gated.gate.add_permits(2);
    let resp = first.await.unwrap().unwrap();
    assert_eq!(resp.status(), 202);
    assert_eq!(articles(&mut raw).len(), 2);
    assert!(metrics
        .render()
        .contains("eventwire_push_queue_records{service=\"ingest\"} 0"));
}

// ---------------------------------------------------------------- directory watch

async fn next_article(sub: &mut Subscription) -> RawArticle {
    let rec = tokio::time::timeout(Duration::from_secs(10), sub.recv())
        .await
        .expect("an article within 10 s")
        .expect("topic open");
    json::decode(&rec.payload).unwrap()
}

fn start_watch(dir: &std::path::Path, bus: Arc<MemoryBus>, settle: Duration) -> CancellationToken {
    let metrics = Metrics::new("ingest");
    let sources = SourceMetrics::register(&metrics.registry).unwrap();
    let settings = WatchSettings {
        settle,
        poll_interval: Duration::from_millis(50),
        ..WatchSettings::new(dir.to_path_buf())
    };
    let source = Box::new(WatchSource::new(settings, sources));
    let cancel = CancellationToken::new();
    let (sink, c) = (Sink::new(bus, metrics), cancel.clone());
    tokio::spawn(async move { source.run(sink, c).await.unwrap() });
    cancel
}

#[tokio::test]
async fn watch_reads_a_new_file_and_moves_it_to_done() {
    let dir = tempfile::tempdir().unwrap();
    let bus = MemoryBus::new(64);
    let mut raw = bus.subscribe(topics::ARTICLES_RAW).await;
    let cancel = start_watch(dir.path(), bus.clone(), Duration::from_millis(100));
    std::fs::write(
        dir.path().join(".hidden.jsonl"),
        "{\"id\":\"h\",\"text\":\"no\"}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("new.jsonl"),
        "{\"id\":\"w1\",\"text\":\"Talks.\"}\n",
    )
    .unwrap();
    let a = next_article(&mut raw).await;
    assert_eq!((a.id.as_str(), a.body.as_str()), ("w1", "Talks."));
    for _ in 0..100 {
        if dir.path().join("done/new.jsonl").exists() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(dir.path().join("done/new.jsonl").exists());
    assert!(!dir.path().join("new.jsonl").exists());
    assert!(
        dir.path().join(".hidden.jsonl").exists(),
        "hidden files are left alone"
    );
    cancel.cancel();
}

#[tokio::test]
async fn watch_does_not_read_a_half_written_file() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let bus = MemoryBus::new(64);
    let mut raw = bus.subscribe(topics::ARTICLES_RAW).await;
    let mut dlq = bus.subscribe(&topics::dlq_for(topics::INGEST)).await;
    let cancel = start_watch(dir.path(), bus.clone(), Duration::from_millis(600));
    let path = dir.path().join("slow.jsonl");
    let mut f = std::fs::File::create(&path).unwrap();
    f.write_all(b"{\"id\":\"w2\",\"text\":\"The first half")
        .unwrap();
    f.flush().unwrap();
    // The watcher sees the file now; the writer is still busy.
    tokio::time::sleep(Duration::from_millis(250)).await;
    f.write_all(b" and the second half.\"}\n").unwrap();
    drop(f);
    let a = next_article(&mut raw).await;
    assert_eq!(a.body, "The first half and the second half.");
    assert!(
        dlq.try_recv().is_err(),
        "the half line was read and rejected"
    );
    assert!(raw.try_recv().is_err());
    cancel.cancel();
}
