//! Push endpoint throughput: REQUESTS requests of NDJSON batches of BATCH articles (~2 KB each)
//! from CONCURRENCY clients, against the router on the in-memory bus (a subscriber drains it).
//! Prints requests/s, articles/s and the p50/p99 request latency. Not a test; Kafka is not
//! involved.
//!
//! cargo run --release -p eventwire-ingest --example push_load -- [REQUESTS] [BATCH] [CONCURRENCY]
use std::time::{Duration, Instant};

use eventwire_ingest::read::ReadOptions;
use eventwire_ingest::source::metrics::SourceMetrics;
use eventwire_ingest::source::push::{self, PushSettings};
use eventwire_ingest::source::Sink;
use eventwire_runtime::memory::MemoryBus;
use eventwire_runtime::metrics::Metrics;
use eventwire_schema::topics;
use futures::StreamExt;

fn batch(req: usize, size: usize) -> String {
    let text = "The foreign minister of Ostrand met the president of Velmora. ".repeat(30);
    (0..size)
        .map(|i| format!("{{\"id\":\"r{req}-{i}\",\"text\":\"{text}\"}}\n"))
        .collect()
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let requests: usize = args.next().map_or(Ok(500), |a| a.parse())?;
    let size: usize = args.next().map_or(Ok(100), |a| a.parse())?;
    let concurrency: usize = args.next().map_or(Ok(8), |a| a.parse())?;
    let bus = MemoryBus::new(4096);
    let mut raw = bus.subscribe(topics::ARTICLES_RAW).await;
    let drained = tokio::spawn(async move {
        let mut n = 0usize;
        while raw.recv().await.is_some() {
            n += 1;
        }
        n
    });
    let metrics = Metrics::new("ingest");
    let sources = SourceMetrics::register(&metrics.registry)?;
    let settings = PushSettings {
        addr: "127.0.0.1:0".parse()?,
        token: "t".into(),
        max_body_bytes: 16 << 20,
        max_queue: 4096,
        retry_after: Duration::from_secs(1),
        read: ReadOptions::default(),
    };
    let app = push::router(settings, Sink::new(bus.clone(), metrics), sources);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}{}", listener.local_addr()?, push::PUSH_PATH);
    tokio::spawn(async move { axum::serve(listener, app).await });
    let client = reqwest::Client::new();
    let bodies: Vec<String> = (0..requests).map(|r| batch(r, size)).collect();
    let start = Instant::now();
    let mut latencies: Vec<Duration> = futures::stream::iter(bodies)
        .map(|body| {
            let (client, url) = (client.clone(), url.clone());
            async move {
                let t = Instant::now();
                let resp = client.post(url).bearer_auth("t").body(body).send().await?;
                anyhow::ensure!(resp.status() == 202, "status {}", resp.status());
                Ok::<_, anyhow::Error>(t.elapsed())
            }
        })
        .buffer_unordered(concurrency)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<anyhow::Result<_>>()?;
    let secs = start.elapsed().as_secs_f64();
    bus.close(topics::ARTICLES_RAW).await;
    let produced = drained.await?;
    latencies.sort();
    let pct = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    println!(
        "{requests} requests x {size} articles, {concurrency} clients: {:.0} requests/s, {:.0} articles/s, p50 {:.1} ms, p99 {:.1} ms ({produced} produced)",
        requests as f64 / secs,
        produced as f64 / secs,
        pct(0.50).as_secs_f64() * 1000.0,
        pct(0.99).as_secs_f64() * 1000.0
    );
    anyhow::ensure!(produced == requests * size, "produced {produced}");
    Ok(())
}
