//! The `eventwire-ingest` binary against librdkafka's mock cluster: a one-shot read that finds
//! no article exits non-zero (unless --allow-empty), and `--feeds F --once` polls a local feed,
//! produces its articles and exits.
use std::process::{Command, Output};
use std::time::Duration;

use axum::routing::get;
use axum::Router;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::message::Message;
use rdkafka::mocking::MockCluster;
use rdkafka::ClientConfig;

fn cluster() -> MockCluster<'static, rdkafka::producer::DefaultProducerContext> {
    let c = MockCluster::new(1).unwrap();
    for t in ["articles.raw", "ingest.dlq"] {
        c.create_topic(t, 1, 1).unwrap();
    }
    c
}

fn ingest(brokers: &str, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_eventwire-ingest"));
    cmd.args(["--brokers", brokers, "--metrics-addr", "127.0.0.1:0"])
        .args(args)
        .env("RUST_BACKTRACE", "0");
    cmd.output().unwrap()
}

/// Keys of the first `n` records on `topic` (fewer if 3 s pass without the first, or 1 s
/// without a later one).
fn keys(brokers: &str, topic: &str, n: usize) -> Vec<String> {
    let consumer: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", brokers)
        .set("group.id", "cli-test")
        .set("auto.offset.reset", "earliest")
        .create()
        .unwrap();
    let mut tpl = rdkafka::TopicPartitionList::new();
    tpl.add_partition_offset(topic, 0, rdkafka::Offset::Beginning)
        .unwrap();
    consumer.assign(&tpl).unwrap();
    let mut out = Vec::new();
    while out.len() < n {
        let wait = Duration::from_secs(if out.is_empty() { 3 } else { 1 });
        let Some(m) = consumer.poll(wait) else {
            break;
        };
        let m = m.unwrap();
        out.push(String::from_utf8_lossy(m.key().unwrap_or_default()).into_owned());
    }
    out.sort();
    out
}

#[test]
fn a_read_that_finds_no_article_exits_non_zero_unless_allowed() {
    let c = cluster();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.jsonl"), "not json\n").unwrap();
    let path = dir.path().to_str().unwrap();
    let out = ingest(&c.bootstrap_servers(), &[path]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(
        stderr.contains("no article could be read") && stderr.contains("1 inputs rejected"),
        "{stderr}"
    );
    let allowed = ingest(&c.bootstrap_servers(), &["--allow-empty", path]);
    assert!(
        allowed.status.success(),
        "{}",
        String::from_utf8_lossy(&allowed.stderr)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn feeds_once_polls_fetches_produces_and_exits() {
    let app = Router::new()
        .route("/rss.xml", get(|| async {
            "<rss version=\"2.0\"><channel><title>t</title><link>http://x/</link><description>d</description>\
             <item><title>One</title><link>/a/1</link><guid>1</guid></item>\
             <item><title>Two</title><link>/a/2</link><guid>2</guid></item></channel></rss>"
        }))
        .route("/a/{n}", get(|| async { ([("content-type", "text/html")], "<p>Talks in Velmora.</p>") }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    let c = cluster();
    let dir = tempfile::tempdir().unwrap();
    let feeds = dir.path().join("feeds.toml");
    std::fs::write(
        &feeds,
        format!(
            "[[feed]]\nurl = \"http://{addr}/rss.xml\"\nsource = \"local\"\ninterval = \"1h\"\n"
        ),
    )
    .unwrap();
    let brokers = c.bootstrap_servers();
    let feeds_arg = feeds.to_str().unwrap().to_owned();
    let out = tokio::task::spawn_blocking({
        let brokers = brokers.clone();
        move || {
            let args = [
                "--feeds",
                &feeds_arg,
                "--once",
                "--per-host-interval-ms",
                "0",
            ];
            ingest(&brokers, &args)
        }
    })
    .await
    .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let want: Vec<String> = ["/a/1", "/a/2"]
        .iter()
        .map(|p| eventwire_ingest::read::url_id(&format!("http://{addr}{p}")))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    // One more than wanted, so that a duplicate would show.
    let n = want.len() + 1;
    let got = tokio::task::spawn_blocking(move || keys(&brokers, "articles.raw", n))
        .await
        .unwrap();
    assert_eq!(got, want, "{}", String::from_utf8_lossy(&out.stderr));
}
