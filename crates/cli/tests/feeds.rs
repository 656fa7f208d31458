//! `eventwire run --feeds F --once` against a local feed server: the feed is polled once, its
//! pages fetched and taken through the pipeline, and the command exits.
use std::process::Command;

use axum::routing::get;
use axum::Router;

const PAGE: &str = "<html><head><title>Strike</title></head><body><article><h1>Strike</h1>\
<p>At least twelve people were killed and 30 wounded when an air strike hit a market in the \
town of Darnel on Wednesday, local officials said.</p></article></body></html>";

#[tokio::test(flavor = "multi_thread")]
async fn run_feeds_once_takes_the_feeds_pages_through_the_pipeline_and_exits() {
    let app = Router::new()
        .route(
            "/rss.xml",
            get(|| async {
                "<rss version=\"2.0\"><channel><title>t</title><link>http://x/</link>\
                 <description>d</description>\
                 <item><title>One</title><link>/a/1</link><guid>1</guid></item>\
                 <item><title>Two</title><link>/a/2</link><guid>2</guid></item>\
                 <item><title>One again</title><link>/a/1</link><guid>1b</guid></item>\
                 </channel></rss>"
            }),
        )
        .route(
            "/a/{n}",
            get(|| async { ([("content-type", "text/html")], PAGE) }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    let dir = tempfile::tempdir().unwrap();
    let feeds = dir.path().join("feeds.toml");
    let toml = format!("[[feed]]\nurl = \"http://{addr}/rss.xml\"\nsource = \"local\"\n");
    std::fs::write(&feeds, toml).unwrap();
    let out_path = dir.path().join("out.jsonl");
    let (f, o) = (feeds.clone(), out_path.clone());
    let out = tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_eventwire"))
            .args(["run", "--feeds"])
            .arg(&f)
            .args(["--once", "--quiet", "--no-db", "-o"])
            .arg(&o)
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("articles: 2 read, 0 rejected"), "{stderr}");
    let lines = std::fs::read_to_string(&out_path).unwrap();
    let clean = lines
        .lines()
        .filter(|l| l.contains("\"topic\":\"articles.clean\""))
        .count();
    assert_eq!(clean, 2, "{lines}");
    assert!(lines.contains("\"topic\":\"events.casualty\""), "{lines}");
}
