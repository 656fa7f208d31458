//! PETRARCH2 unit sentences through the tagger: for cases whose expected CAMEO root is 03, 04
//! or 05, the share where the tagger emits the matching kind (04x: meet, visit, call or
//! negotiate; 036: a planned meeting; 057: agree); the false-event rate on the other cases.
//!
//! `cargo run --release -p eventwire-tagger --example petrarch [-- FILE] [--verbose]`

use std::path::PathBuf;

use eventwire_tagger::petrarch::{evaluate, Case};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let verbose = args.iter().any(|a| a == "--verbose");
    let path = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../../tests/fixtures/petrarch2/unittest_cases.jsonl")
        });
    let text = std::fs::read_to_string(&path)?;
    let cases: Vec<Case> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()?;
    let r = evaluate(&cases);
    if verbose {
        for l in &r.lines {
            println!("{l}");
        }
    }
    println!("{}", serde_json::to_string_pretty(&r.summary)?);
    Ok(())
}
