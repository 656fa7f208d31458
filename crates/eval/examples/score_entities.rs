//! Scores `eventwire entities` output against an entity gold file until the CLI has
//! `eventwire eval --entities`:
//!
//! ```sh
//! cargo run -p eventwire-eval --example score_entities -- \
//!     tests/fixtures/entities/samples.gold.jsonl pred.jsonl [--json] [--no-demonyms]
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

use eventwire_eval::entities::{score_files, ScoreOptions};

fn main() -> ExitCode {
    let mut files = Vec::new();
    let mut json = false;
    let mut options = ScoreOptions::default();
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--json" => json = true,
            "--no-demonyms" => options.demonyms = false,
            a if a.starts_with('-') => {
                eprintln!("unknown flag {a}");
                return ExitCode::from(2);
            }
            _ => files.push(PathBuf::from(arg)),
        }
    }
    let [gold, pred] = files.as_slice() else {
        eprintln!("usage: score_entities GOLD.jsonl PRED.jsonl [--json] [--no-demonyms]");
        return ExitCode::from(2);
    };
    match score_files(gold, pred, &options) {
        Ok(report) if json => {
            println!("{}", report.to_json());
            ExitCode::SUCCESS
        }
        Ok(report) => {
            print!("{report}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
