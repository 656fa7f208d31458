//! Cleaner speed on one core: plain-text pages (the sample articles) and HTML pages (the
//! extraction fixtures), through the full `clean()` path, in articles per second.
//!
//! `cargo bench -p eventwire-cleaner --bench clean`
use std::io::Read;
use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use eventwire_cleaner::clean;
use eventwire_schema::v1::{ContentType, RawArticle};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Files in `dir` ending in `ext`, sorted, as (name, bytes).
fn files(dir: &str, ext: &str) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(root().join(dir))
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.to_string_lossy().ends_with(ext))
                .filter_map(|p| {
                    let bytes = std::fs::read(&p).ok()?;
                    Some((p.file_name()?.to_string_lossy().into_owned(), bytes))
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

fn raw(id: &str, body: String, ct: ContentType) -> RawArticle {
    RawArticle {
        id: id.to_string(),
        body,
        content_type: ct as i32,
        ..Default::default()
    }
}

fn bench(c: &mut Criterion) {
    let texts: Vec<RawArticle> = files("examples/articles", ".txt")
        .into_iter()
        .map(|(n, b)| {
            raw(
                &n,
                String::from_utf8_lossy(&b).into_owned(),
                ContentType::Text,
            )
        })
        .collect();
    let mut g = c.benchmark_group("clean");
    g.throughput(Throughput::Elements(texts.len() as u64));
    g.bench_function("text_samples", |b| {
        b.iter(|| {
            for r in &texts {
                std::hint::black_box(clean(r).ok());
            }
        })
    });
    let pages: Vec<RawArticle> = files("tests/fixtures/extraction/html", ".html.gz")
        .into_iter()
        .filter_map(|(n, gz)| {
            let mut s = String::new();
            flate2::read::GzDecoder::new(&gz[..])
                .read_to_string(&mut s)
                .ok()?;
            Some(raw(&n, s, ContentType::Html))
        })
        .collect();
    if !pages.is_empty() {
        let bytes: usize = pages.iter().map(|p| p.body.len()).sum();
        eprintln!(
            "{} HTML pages, {} KB on average",
            pages.len(),
            bytes / pages.len() / 1024
        );
        g.throughput(Throughput::Elements(pages.len() as u64));
        g.bench_function("html_pages", |b| {
            b.iter(|| {
                for r in &pages {
                    std::hint::black_box(clean(r).ok());
                }
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
