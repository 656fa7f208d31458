//! Throughput of `Gazetteer::find` on the sample articles (`examples/articles/*.txt`), in bytes/s,
//! and the time to parse the embedded data and build the matchers.

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use eventwire_gazetteer::Gazetteer;

fn articles() -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/articles");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .map(|rd| rd.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    paths.retain(|p| p.extension().is_some_and(|e| e == "txt"));
    paths.sort();
    let mut text = String::new();
    for p in paths {
        if let Ok(t) = std::fs::read_to_string(&p) {
            text.push_str(&t);
            text.push('\n');
        }
    }
    text
}

fn bench_find(c: &mut Criterion) {
    let g = Gazetteer::embedded();
    let text = articles();
    let mut group = c.benchmark_group("gazetteer");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("find/examples-articles", |b| {
        b.iter(|| g.find(std::hint::black_box(&text)))
    });
    let upper = text.to_uppercase();
    group.throughput(Throughput::Bytes(upper.len() as u64));
    group.bench_function("find/examples-articles-uppercased", |b| {
        b.iter(|| g.find(std::hint::black_box(&upper)))
    });
    group.finish();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data");
    let mut load = c.benchmark_group("gazetteer-load");
    load.sample_size(10);
    load.bench_function("load_dir/data", |b| {
        b.iter(|| Gazetteer::load_dir(&dir).map(|g| g.entries().len()))
    });
    load.finish();
}

criterion_group!(benches, bench_find);
criterion_main!(benches);
