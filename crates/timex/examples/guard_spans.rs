//! Prints everything `find_in_spans` finds in JSONL texts (one `"text"` field a line), split
//! into sentence spans and also taken whole: an output guard to compare before and after a
//! change that must not change results.
//!
//! ```sh
//! cargo run --release -p eventwire-timex --example guard_spans -- FILE.jsonl... > out.txt
//! ```

use chrono::NaiveDate;
use eventwire_timex::{find_in_spans, DateOptions};

/// Sentence-like spans of `text`: split after ". " and at newlines, plus the whole text.
fn spans(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let b = text.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        if c == b'\n' || (c == b' ' && i > 0 && b[i - 1] == b'.') {
            if i > start {
                out.push(start..i);
            }
            start = i + 1;
        }
    }
    if text.len() > start {
        out.push(start..text.len());
    }
    out.push(0..text.len());
    out
}

fn main() {
    let reference = NaiveDate::from_ymd_opt(2025, 4, 14).unwrap_or_default();
    let opts = DateOptions::default();
    for path in std::env::args().skip(1) {
        let data = match std::fs::read_to_string(&path) {
            Ok(d) => d,
            Err(e) => {
                eprintln!("{path}: {e}");
                std::process::exit(1);
            }
        };
        for (n, line) in data.lines().enumerate() {
            let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
                continue;
            };
            let Some(text) = v.get("text").and_then(|t| t.as_str()) else {
                continue;
            };
            let sp = spans(text);
            let found = find_in_spans(text, &sp, reference, &opts);
            for (r, m) in sp.iter().zip(&found) {
                println!("{path}:{n} {r:?} {:?} {:?}", m.dates, m.quantities);
            }
        }
    }
}
