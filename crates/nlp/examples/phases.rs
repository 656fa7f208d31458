//! Time spent in each phase of the entity pass (segmentation, people, coreference, places,
//! dates and numbers) over the clean sample bodies, one core.
//!
//! `cargo run --release -p eventwire-nlp --example phases -- [BODIES.jsonl] [ROUNDS] [--only-analyze]`
//! (default: `tests/fixtures/entities/samples.bodies.jsonl`, 200 rounds). `--only-analyze` runs
//! nothing but `analyze()` (for a profiler).

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use eventwire_nlp::coref::resolve;
use eventwire_nlp::people::find_people;
use eventwire_nlp::segment::segment_with;
use eventwire_nlp::{find_places, GazetteerKb, Lexicon};
use eventwire_timex::{find_in_spans, DateOptions};

// long: an example that times each phase of the entity pass in turn and prints one line per phase.
fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().unwrap_or_else(|| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/fixtures/entities/samples.bodies.jsonl"
        )
        .to_string()
    });
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(200);
    let only_analyze = args.next().as_deref() == Some("--only-analyze");
    let raw = match std::fs::read_to_string(&path) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    let docs: Vec<(String, Option<NaiveDate>)> = raw
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .map(|v| {
            (
                v["text"].as_str().unwrap_or("").to_string(),
                v["published"].as_str().and_then(|d| d.parse().ok()),
            )
        })
        .collect();
    let bytes: usize = docs.iter().map(|d| d.0.len()).sum();
    let lex = Lexicon::embedded();
    let kb = GazetteerKb::embedded();
    let gaz = kb.gazetteer();
    let _ = eventwire_nlp::analyze("Warm-up in Paris.", None);

    const NAMES: [&str; 7] = [
        "segment",
        "find_people",
        "resolve (coref)",
        "find_places",
        "dates+numbers",
        "whole analyze()",
        "  (Gazetteer::find)",
    ];
    let mut t = [Duration::ZERO; 7];
    let opts = DateOptions::default();
    let mut sink = 0usize;
    for _ in 0..rounds {
        for (text, published) in &docs {
            if only_analyze {
                let c = Instant::now();
                sink += eventwire_nlp::analyze(text, *published).entities.len();
                t[5] += c.elapsed();
                continue;
            }
            let c = Instant::now();
            let seg = segment_with(text, lex);
            t[0] += c.elapsed();
            let c = Instant::now();
            let names = find_people(text, &seg, lex, kb);
            t[1] += c.elapsed();
            let c = Instant::now();
            let people = resolve(text, &seg, lex, kb, names);
            t[2] += c.elapsed();
            let c = Instant::now();
            let places = find_places(text, &seg, lex, gaz, &people.mentions);
            t[3] += c.elapsed();
            let c = Instant::now();
            sink += gaz.find(text).len();
            t[6] += c.elapsed();
            let reference = published.unwrap_or_default();
            let c = Instant::now();
            let spans: Vec<_> = seg.sentences.iter().map(|s| s.start..s.end).collect();
            for f in find_in_spans(text, &spans, reference, &opts) {
                sink += f.dates.len() + f.quantities.len();
            }
            t[4] += c.elapsed();
            sink += places.len() + people.mentions.len();
            let c = Instant::now();
            sink += eventwire_nlp::analyze(text, *published).entities.len();
            t[5] += c.elapsed();
        }
    }
    let n = (rounds * docs.len()) as f64;
    let whole = t[5].as_secs_f64();
    println!(
        "{} texts x {rounds} rounds, {bytes} bytes per round (sink {sink})",
        docs.len()
    );
    for (name, d) in NAMES.iter().zip(t) {
        let s = d.as_secs_f64();
        println!(
            "{name:<18} {:>9.1} us/article {:>6.1}% of analyze()",
            s / n * 1e6,
            100.0 * s / whole
        );
    }
    println!(
        "analyze(): {:.0} articles/s, {:.2} MB/s",
        n / whole,
        (bytes * rounds) as f64 / whole / 1e6
    );
}
