//! Throughput of `find_dates` + `find_quantities` over the sample news articles, and of
//! `find_in_spans` over their sentences (the tagger's call).

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use eventwire_timex::{find_dates, find_in_spans, find_quantities, DateOptions};

const ARTICLES: [&str; 5] = [
    include_str!("../../../examples/articles/000_1c3033acfb4f0b1c.txt"),
    include_str!("../../../examples/articles/001_8e9c1e1a53db4473.txt"),
    include_str!("../../../examples/articles/002_bc85ecc0e13772df.txt"),
    include_str!("../../../examples/articles/003_c841b23a78d9760a.txt"),
    include_str!("../../../examples/articles/004_6bdcb3bbc48e2ea1.txt"),
];

fn bench(c: &mut Criterion) {
    let reference = NaiveDate::from_ymd_opt(2025, 4, 14).unwrap_or_default();
    let opts = DateOptions::default();
    let bytes: usize = ARTICLES.iter().map(|a| a.len()).sum();
    let mut g = c.benchmark_group("timex");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("find_dates+find_quantities", |b| {
        b.iter(|| {
            let mut n = 0;
            for a in ARTICLES {
                n += find_dates(a, reference, &opts).len();
                n += find_quantities(a).len();
            }
            n
        })
    });
    // Sentences split after ". ", as byte ranges of each article.
    let spans: Vec<Vec<std::ops::Range<usize>>> = ARTICLES
        .iter()
        .map(|a| {
            let mut out = Vec::new();
            let mut start = 0;
            for (i, _) in a.match_indices(". ") {
                out.push(start..i + 1);
                start = i + 2;
            }
            if start < a.len() {
                out.push(start..a.len());
            }
            out
        })
        .collect();
    g.bench_function("find_in_spans", |b| {
        b.iter(|| {
            ARTICLES
                .iter()
                .zip(&spans)
                .map(|(a, s)| find_in_spans(a, s, reference, &opts).len())
                .sum::<usize>()
        })
    });
    g.bench_function("find_dates", |b| {
        b.iter(|| {
            ARTICLES
                .iter()
                .map(|a| find_dates(a, reference, &opts).len())
                .sum::<usize>()
        })
    });
    g.bench_function("find_quantities", |b| {
        b.iter(|| {
            ARTICLES
                .iter()
                .map(|a| find_quantities(a).len())
                .sum::<usize>()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
