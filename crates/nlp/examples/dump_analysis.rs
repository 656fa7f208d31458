//! Prints the full [`eventwire_nlp::Analysis`] of every text of a JSONL file (`{"id",
//! "published", "text"}` per line) as one JSON line each: a regression guard for
//! optimisations (the output must stay byte-identical).
//!
//! `cargo run --release -p eventwire-nlp --example dump_analysis -- TEXTS.jsonl [DATA_DIR] > OUT.jsonl`
//!
//! With `DATA_DIR` (laid out like the repository's `data/`), the lexicon and the gazetteer are
//! read from it instead of the compiled-in copies, so a guard stays comparable while the data
//! changes.

use std::io::{BufRead, Write};
use std::path::Path;

use chrono::NaiveDate;
use eventwire_gazetteer::Gazetteer;
use eventwire_nlp::{GazetteerKb, Lexicon};

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| {
        eprintln!("{}: {e}", dir.join(name).display());
        std::process::exit(1);
    })
}

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: dump_analysis TEXTS.jsonl [DATA_DIR]");
        std::process::exit(2);
    };
    let data = std::env::args().nth(2).map(|d| {
        let dir = Path::new(&d).to_path_buf();
        let lex = Lexicon::parse(
            &read(&dir, "lexicon/roles.tsv"),
            &read(&dir, "lexicon/abbreviations.txt"),
            &read(&dir, "lexicon/function_words.txt"),
            &read(&dir, "lexicon/name_cues.tsv"),
        );
        let gaz = Gazetteer::load_dir(&dir).unwrap_or_else(|e| {
            eprintln!("{d}: {e}");
            std::process::exit(1);
        });
        (lex, Box::leak(Box::new(gaz)) as &'static Gazetteer)
    });
    let kb = data.as_ref().map(|(_, g)| GazetteerKb::new(g));
    let file = match std::fs::File::open(&path) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for (n, line) in std::io::BufReader::new(file).lines().enumerate() {
        let Ok(line) = line else { break };
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = match serde_json::from_str(&line) {
            Ok(v) => v,
            Err(e) => {
                eprintln!("{path}:{}: {e}", n + 1);
                continue;
            }
        };
        let text = v["text"].as_str().unwrap_or("");
        let published: Option<NaiveDate> = v["published"].as_str().and_then(|d| d.parse().ok());
        let a = match (&data, &kb) {
            (Some((lex, _)), Some(kb)) => eventwire_nlp::analyze_with(text, published, lex, kb),
            _ => eventwire_nlp::analyze(text, published),
        };
        let rec = serde_json::json!({"id": v["id"], "analysis": a});
        if writeln!(out, "{}", serde_json::to_string(&rec).unwrap_or_default()).is_err() {
            break;
        }
    }
}
