//! Dedup on the real samples (through `eventwire_cleaner::clean`), the stage's ordering under
//! concurrency on the in-memory bus, and the metric list in docs/metrics.md.
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use eventwire_cleaner::dedup::{DedupConfig, DedupIndex, Signature, Verdict};
use eventwire_cleaner::stage::DedupMetrics;
use eventwire_cleaner::CleanStage;
use eventwire_runtime::breaker::BreakerConfig;
use eventwire_runtime::memory::{run_stage, MemoryBus};
use eventwire_runtime::metrics::Metrics;
use eventwire_runtime::process::{Processor, RetryPolicy};
use eventwire_runtime::OutputRecord;
use eventwire_schema::page::split_date_header;
use eventwire_schema::v1::{CleanArticle, ContentType, RawArticle};
use eventwire_schema::{json, topics, SCHEMA_VERSION};
use tokio_util::sync::CancellationToken;

fn raw(id: &str, body: &str, published: Option<&str>) -> RawArticle {
    RawArticle {
        schema_version: SCHEMA_VERSION,
        id: id.to_string(),
        source: "test".into(),
        published: published.map(String::from),
        content_type: ContentType::Text as i32,
        body: body.to_string(),
        ingested_at: Some(eventwire_schema::Timestamp {
            seconds: 1_744_848_000,
            nanos: 0,
        }),
        ..Default::default()
    }
}

/// The five sample pages as ingest reads them: the ` date YYYY-MM-DD ` header becomes
/// `published`, the id is the file name without its extension.
fn samples() -> Vec<RawArticle> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/articles");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("examples/articles")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).expect("sample text");
            let (date, body) = split_date_header(&text);
            let id = p.file_stem().and_then(|s| s.to_str()).expect("file name");
            raw(id, body, date.as_deref())
        })
        .collect()
}

fn cleaned() -> Vec<(CleanArticle, Signature)> {
    samples()
        .iter()
        .map(|r| {
            let c = eventwire_cleaner::clean(r).expect("sample cleans");
            let s = Signature::of_body(&c.body);
            (c, s)
        })
        .collect()
}

#[test]
fn sample_004_is_a_copy_of_003_and_the_others_are_originals() {
    let arts = cleaned();
    assert_eq!(arts.len(), 5);
    let mut idx = DedupIndex::new(DedupConfig::default());
    let mut verdicts = Vec::new();
    for (a, s) in &arts {
        verdicts.push(idx.check_and_insert(&a.id, 0, &a.content_hash, s));
    }
    for (i, v) in verdicts.iter().enumerate() {
        if i == 4 {
            let Verdict::Duplicate { of, similarity, .. } = v else {
                panic!("004 should be a duplicate, got {v:?}")
            };
            assert_eq!(of, "003_c841b23a78d9760a");
            assert!(*similarity >= 0.8, "{similarity}");
        } else {
            assert_eq!(*v, Verdict::Original, "sample {i}");
        }
    }
    // Same story, different text: far below any sensible threshold.
    let s12 = arts[1].1.compare(&arts[2].1);
    assert!(s12.overlap < 0.3, "001/002: {s12:?}");
    let s34 = arts[3].1.compare(&arts[4].1);
    eprintln!("003/004: {s34:?}\n001/002: {s12:?}");
}

fn record(a: &RawArticle) -> OutputRecord {
    OutputRecord::new(
        topics::ARTICLES_RAW,
        a.id.clone().into_bytes(),
        json::encode(a).expect("encode"),
    )
}

/// Runs the stage on the bus over `inputs` with `concurrency`; returns the clean articles.
async fn run(stage: CleanStage, inputs: Vec<RawArticle>, concurrency: usize) -> Vec<CleanArticle> {
    let bus = MemoryBus::new(64);
    let input = bus.subscribe(topics::ARTICLES_RAW).await;
    let mut out = bus.subscribe(topics::ARTICLES_CLEAN).await;
    let p = Arc::new(Processor::new(
        Arc::new(stage),
        "cleaner",
        Metrics::new("cleaner"),
        RetryPolicy::default(),
        BreakerConfig::default(),
        1 << 20,
    ));
    let runner = tokio::spawn(run_stage(
        p,
        Arc::clone(&bus),
        topics::ARTICLES_RAW,
        input,
        concurrency,
        CancellationToken::new(),
    ));
    for a in &inputs {
        bus.send(record(a)).await.expect("publish");
    }
    bus.close(topics::ARTICLES_RAW).await;
    let mut got = Vec::new();
    while let Some(r) = out.recv().await {
        got.push(json::decode::<CleanArticle>(&r.payload).expect("clean article"));
    }
    runner.await.expect("runner").expect("run");
    got
}

fn body(seed: u64, words: usize) -> String {
    (0..words)
        .map(|i| format!("w{}x{}", seed, (i as u64 * 7919 + seed * 31) % 1009))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Earlier records are cleaned slowly and their copies fast: with 4 at once the copies finish
/// cleaning first, yet every copy is marked as the duplicate and every original is kept.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn earlier_record_wins_whatever_finishes_first() {
    let mut inputs = Vec::new();
    for i in 0..12u64 {
        let b = body(i, 150);
        inputs.push(raw(&format!("orig{i:02}"), &format!("SLOW {b}"), None));
        inputs.push(raw(&format!("copy{i:02}"), &format!("{b} fast"), None));
    }
    let stage = CleanStage::new(DedupConfig::default(), 4).with_cleaner(|r| {
        if r.body.starts_with("SLOW") {
            std::thread::sleep(Duration::from_millis(40));
        }
        eventwire_cleaner::clean(r)
    });
    let got = run(stage, inputs, 4).await;
    assert_eq!(got.len(), 24);
    for a in &got {
        assert!(a.fingerprint.starts_with("mh1:"), "{}", a.id);
        if let Some(n) = a.id.strip_prefix("copy") {
            assert_eq!(a.duplicate_of.as_deref(), Some(format!("orig{n}").as_str()));
            assert!(a.duplicate_similarity.unwrap_or(0.0) > 0.9);
        } else {
            assert_eq!(a.duplicate_of, None, "{}", a.id);
        }
    }
}

/// Bad records release their ticket: a stream with undecodable records still finishes and
/// the records after them are judged.
#[tokio::test]
async fn bad_records_do_not_stall_the_gate() {
    let b = body(99, 120);
    let stage = CleanStage::new(DedupConfig::default(), 2);
    let bus = MemoryBus::new(8);
    let input = bus.subscribe(topics::ARTICLES_RAW).await;
    let mut out = bus.subscribe(topics::ARTICLES_CLEAN).await;
    let mut dlq = bus.subscribe(&topics::dlq_for(topics::ARTICLES_RAW)).await;
    let p = Arc::new(Processor::new(
        Arc::new(stage),
        "cleaner",
        Metrics::new("cleaner"),
        RetryPolicy::default(),
        BreakerConfig::default(),
        1 << 20,
    ));
    let runner = tokio::spawn(run_stage(
        p,
        Arc::clone(&bus),
        topics::ARTICLES_RAW,
        input,
        2,
        CancellationToken::new(),
    ));
    bus.send(record(&raw("a", &b, None))).await.expect("send");
    bus.send(OutputRecord::new(
        topics::ARTICLES_RAW,
        "bad",
        b"{not json".to_vec(),
    ))
    .await
    .expect("send");
    bus.send(record(&raw("", &b, None))).await.expect("send"); // missing id
    bus.send(record(&raw("b", &b, None))).await.expect("send");
    bus.close(topics::ARTICLES_RAW).await;
    let mut got = Vec::new();
    while let Some(r) = out.recv().await {
        got.push(json::decode::<CleanArticle>(&r.payload).expect("clean"));
    }
    tokio::time::timeout(Duration::from_secs(5), runner)
        .await
        .expect("no stall")
        .expect("join")
        .expect("run");
    assert_eq!(got.len(), 2);
    assert_eq!(got[1].duplicate_of.as_deref(), Some("a"));
    assert!(dlq.recv().await.is_some() && dlq.recv().await.is_some());
}

/// docs/metrics.md lists exactly the cleaner's own metrics in its cleaner table.
#[test]
fn metrics_doc_lists_the_cleaner_metrics() {
    let doc = include_str!("../../../docs/metrics.md");
    let documented: BTreeSet<String> = doc
        .lines()
        .filter_map(|l| l.strip_prefix("| cleaner | `"))
        .filter_map(|l| l.split('`').next())
        .map(String::from)
        .collect();
    let reg = prometheus::Registry::new();
    let m = DedupMetrics::register(&reg).expect("register");
    m.duplicates.with_label_values(&["near"]).inc();
    m.evictions.with_label_values(&["window"]).inc();
    m.followed.with_label_values(&["inserted"]).inc();
    let emitted: BTreeSet<String> = reg.gather().iter().map(|f| f.name().to_string()).collect();
    assert_eq!(emitted, documented);
}
