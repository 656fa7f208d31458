//! Prints each text of a JSONL file (`{"id", "text"}` per line) as the truecaser restores it:
//! `{"id", "style", "text"}` per line, to read what the entity pass will see.
//!
//! `cargo run --release -p eventwire-nlp --example truecase -- TEXTS.jsonl > OUT.jsonl`

use std::io::{BufRead, Write};

use eventwire_nlp::{CaseStyle, Truecaser};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: truecase TEXTS.jsonl")?;
    let file = std::io::BufReader::new(std::fs::File::open(&path)?);
    let tc = Truecaser::embedded();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for line in file.lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(&line)?;
        let text = v["text"].as_str().unwrap_or_default();
        let style = match tc.style(text) {
            CaseStyle::Mixed => "mixed",
            CaseStyle::Upper => "upper",
            CaseStyle::Headline => "headline",
            CaseStyle::Sentence => "sentence",
        };
        let restored = tc.restore(text);
        let rec = serde_json::json!({"id": v["id"], "style": style, "text": restored});
        writeln!(out, "{rec}")?;
    }
    out.flush()?;
    Ok(())
}
