//! Throughput of the whole entity pass (segmentation, people, coreference, places, dates and
//! numbers), one core:
//!
//! * `entities/sample_articles`: the raw sample pages (`examples/articles/*.txt`, boilerplate
//!   included), in bytes/s;
//! * `entities/clean_bodies`: the clean bodies of the same articles
//!   (`tests/fixtures/entities/samples.bodies.jsonl`, each with its publication date), what
//!   the tagger service analyses, in articles/s and bytes/s.
//!
//! `cargo bench -p eventwire-nlp --bench entities`

use std::path::PathBuf;

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn corpus() -> Vec<String> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/articles");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .map(|rd| rd.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    paths.sort();
    paths
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect()
}

/// The clean bodies and their publication dates.
fn bodies() -> Vec<(String, Option<NaiveDate>)> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/entities/samples.bodies.jsonl");
    let raw = std::fs::read_to_string(&path).unwrap_or_default();
    raw.lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| {
            let text = v["text"].as_str()?.to_string();
            let published = v["published"].as_str().and_then(|d| d.parse().ok());
            Some((text, published))
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let texts = corpus();
    let bytes: usize = texts.iter().map(String::len).sum();
    let published = NaiveDate::from_ymd_opt(2025, 4, 16);
    // load the lexicon and gazetteer outside the measurement
    let _ = eventwire_nlp::entities("Warm-up in Paris.", published);
    let mut g = c.benchmark_group("entities");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("sample_articles", |b| {
        b.iter(|| {
            let mut n = 0;
            for t in &texts {
                n += eventwire_nlp::entities(std::hint::black_box(t), published).len();
            }
            n
        })
    });

    let bodies = bodies();
    assert!(
        !bodies.is_empty(),
        "tests/fixtures/entities/samples.bodies.jsonl has no bodies"
    );
    let bytes: usize = bodies.iter().map(|(t, _)| t.len()).sum();
    g.throughput(Throughput::ElementsAndBytes {
        elements: bodies.len() as u64,
        bytes: bytes as u64,
    });
    // `analyze` is what the tagger calls on every article
    g.bench_function("clean_bodies", |b| {
        b.iter(|| {
            let mut n = 0;
            for (t, published) in &bodies {
                n += eventwire_nlp::analyze(std::hint::black_box(t), *published)
                    .entities
                    .len();
            }
            n
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
