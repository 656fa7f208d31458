//! PETRARCH2 unit sentences through the tagger: for cases whose expected CAMEO root is 03, 04
//! or 05, the share where the tagger emits the matching kind (04x: meet, visit, call or
//! negotiate; 036: a planned meeting; 057: agree); the false-event rate on the other cases.
//! The scoring is `eventwire_eval::petrarch`; this example only runs the tagger.
//!
//! `cargo run --release -p eventwire-tagger --example petrarch [-- FILE] [--verbose]`

use std::path::PathBuf;

use eventwire_eval::petrarch::{evaluate, Case, Emitted};
use eventwire_schema::v1::{CleanArticle, DiplomaticKind, EventStatus};

/// The diplomatic events the tagger emits for one case's sentence.
fn emitted(case: &Case) -> Vec<Emitted> {
    let article = CleanArticle {
        id: case.id.clone(),
        body: case.text.clone(),
        published: case.published(),
        ..CleanArticle::default()
    };
    eventwire_tagger::tag(&article)
        .diplomatic
        .iter()
        .map(|e| Emitted {
            kind: DiplomaticKind::try_from(e.kind).unwrap_or(DiplomaticKind::Unspecified),
            status: EventStatus::try_from(e.status).unwrap_or(EventStatus::Unspecified),
        })
        .collect()
}

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
    let r = evaluate(&cases, emitted);
    if verbose {
        for l in &r.lines {
            println!("{l}");
        }
    }
    println!("{}", serde_json::to_string_pretty(&r.summary)?);
    Ok(())
}
