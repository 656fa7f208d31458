//! Throughput of the whole entity pass (segmentation, people, coreference, places, dates and
//! numbers) over the sample articles' text, one core: reported as bytes/s by criterion.
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
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
