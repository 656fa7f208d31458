//! Throughput of the whole tag stage on one core: CleanArticle JSON in, events JSON out
//! (decode, entity pass, event rules, merging, encode), over the sample articles' clean bodies
//! replicated to 100 articles. In the same run, when the spaCy environment exists
//! (`scripts/entities/setup_venv.sh`), spaCy's small English model is timed on the same
//! bodies for comparison (`scripts/entities/spacy_speed.py`).
//!
//! `cargo bench -p eventwire-tagger --bench tag`

use std::path::PathBuf;
use std::process::Command;

use criterion::{criterion_group, Criterion, Throughput};
use eventwire_runtime::{InputRecord, SyncStage};
use eventwire_schema::v1::CleanArticle;
use eventwire_tagger::TagStage;

// The allocator of the `eventwire-tagger` binary, so the bench measures what the service runs.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const COPIES: usize = 20;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn bodies_file() -> PathBuf {
    root().join("tests/fixtures/entities/samples.bodies.jsonl")
}

fn corpus() -> Vec<Vec<u8>> {
    let text = std::fs::read_to_string(bodies_file()).unwrap_or_default();
    let mut out = Vec::new();
    for copy in 0..COPIES {
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
                continue;
            };
            let article = CleanArticle {
                schema_version: eventwire_schema::SCHEMA_VERSION,
                id: format!("{}-{copy}", v["id"].as_str().unwrap_or("a")),
                published: v["published"].as_str().map(str::to_string),
                body: v["text"].as_str().unwrap_or("").replace('\n', "\n\n"),
                language: "en".into(),
                ..CleanArticle::default()
            };
            if let Ok(b) = eventwire_schema::json::encode(&article) {
                out.push(b);
            }
        }
    }
    out
}

fn bench(c: &mut Criterion) {
    let records: Vec<InputRecord> = corpus()
        .into_iter()
        .enumerate()
        .map(|(i, payload)| InputRecord {
            topic: "articles.clean".into(),
            partition: 0,
            offset: i as i64,
            timestamp_ms: None,
            key: None,
            payload,
            headers: Default::default(),
        })
        .collect();
    let stage = TagStage::new(None);
    // load the lexicon and gazetteer outside the measurement
    if let Some(r) = records.first() {
        let _ = stage.process(r);
    }
    let mut g = c.benchmark_group("tag_stage");
    g.throughput(Throughput::Elements(records.len() as u64));
    g.bench_function("sample_articles_x20", |b| {
        b.iter(|| {
            let mut n = 0;
            for r in &records {
                n += stage
                    .process(std::hint::black_box(r))
                    .map(|o| o.len())
                    .unwrap_or(0);
            }
            n
        })
    });
    g.finish();
}

/// spaCy en_core_web_sm on the same bodies, same copies, one process.
fn spacy() {
    let python = dirs_home().join(".cache/eventwire/venv-spacy/bin/python");
    let script = root().join("scripts/entities/spacy_speed.py");
    if !python.exists() || !script.exists() {
        println!(
            "spaCy comparison skipped: run scripts/entities/setup_venv.sh to create {}",
            python.display()
        );
        return;
    }
    let out = Command::new(&python)
        .arg(&script)
        .arg(bodies_file())
        .arg("--copies")
        .arg(COPIES.to_string())
        .output();
    match out {
        Ok(o) if o.status.success() => {
            println!(
                "spaCy (same bodies x{COPIES}): {}",
                String::from_utf8_lossy(&o.stdout).trim()
            )
        }
        Ok(o) => println!(
            "spaCy comparison failed: {}",
            String::from_utf8_lossy(&o.stderr).trim()
        ),
        Err(e) => println!("spaCy comparison failed: {e}"),
    }
}

fn dirs_home() -> PathBuf {
    std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_default()
}

criterion_group!(benches, bench);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    spacy();
}
