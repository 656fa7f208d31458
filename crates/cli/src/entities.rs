//! `eventwire entities`: the tagger foundations' entity pass over articles, one JSON line each.
//!
//! Input is either JSONL of `{"id", "text", "published"}` (text already clean) or anything
//! `eventwire run` reads (`.txt`, `.html`, `.html.gz`, RawArticle JSONL), which is cleaned by the
//! in-memory pipeline first so offsets index the clean body.
use std::io::{BufRead, Write};
use std::path::Path;

use anyhow::Context;
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::output::Collector;
use crate::pipeline::{self, RunOptions};

/// One article to analyse.
#[derive(Debug, Deserialize)]
struct TextRecord {
    id: String,
    text: String,
    #[serde(default)]
    published: Option<String>,
}

/// Runs the entity pass over `input` and prints one `{"id", "published", "entities"}` line per
/// article (plus `"text"` when `with_text`), in id order.
pub async fn run(input: &Path, opts: &RunOptions, with_text: bool) -> anyhow::Result<()> {
    let records = match read_text_jsonl(input)? {
        Some(records) => records,
        None => clean_first(input, opts).await?,
    };
    let stdout = std::io::stdout();
    let mut w = std::io::BufWriter::new(stdout.lock());
    for r in records {
        let published = r.published.as_deref().and_then(parse_date);
        // all-capitals or sentence-case text is read with its case restored (same offsets)
        let entities = eventwire_nlp::entities(&eventwire_nlp::truecase(&r.text), published);
        let mut line = json!({
            "id": r.id,
            "published": r.published,
            "entities": entities,
        });
        if with_text {
            line["text"] = Value::String(r.text);
        }
        serde_json::to_writer(&mut w, &line)?;
        writeln!(w)?;
    }
    w.flush()?;
    Ok(())
}

/// "YYYY-MM-DD" or an RFC 3339 time stamp: the date part.
fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()
}

/// The records of a `{"id","text"}` JSONL file, or None when `input` is not one (a directory,
/// a page, or RawArticle JSONL, which carries `body` instead of `text`).
fn read_text_jsonl(input: &Path) -> anyhow::Result<Option<Vec<TextRecord>>> {
    if input.is_dir() || input.extension().and_then(|e| e.to_str()) != Some("jsonl") {
        return Ok(None);
    }
    let file =
        std::fs::File::open(input).with_context(|| format!("opening {}", input.display()))?;
    let mut records = Vec::new();
    for (n, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.with_context(|| format!("reading {}", input.display()))?;
        if line.trim().is_empty() {
            continue;
        }
        let value: Value = serde_json::from_str(&line)
            .with_context(|| format!("{}:{}: not JSON", input.display(), n + 1))?;
        if n == 0 && value.get("text").is_none() {
            return Ok(None);
        }
        let record: TextRecord = serde_json::from_value(value).with_context(|| {
            format!(
                "{}:{}: expected {{\"id\", \"text\", \"published\"}}",
                input.display(),
                n + 1
            )
        })?;
        records.push(record);
    }
    Ok(Some(records))
}

/// Ingest and clean `input` on the in-memory pipeline; the clean bodies in id order.
async fn clean_first(input: &Path, opts: &RunOptions) -> anyhow::Result<Vec<TextRecord>> {
    let mut coll = Collector::default();
    pipeline::run(input, opts, |r| coll.add(r)).await?;
    coll.report_dead_letters();
    let mut records: Vec<TextRecord> = coll
        .clean_articles()
        .iter()
        .filter(|a| !a.empty)
        .map(|a| TextRecord {
            id: a.id.clone(),
            text: a.body.clone(),
            published: a.published.clone(),
        })
        .collect();
    records.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_from_day_or_timestamp() {
        assert_eq!(
            parse_date("2025-04-16"),
            NaiveDate::from_ymd_opt(2025, 4, 16)
        );
        assert_eq!(
            parse_date("2025-04-16T10:35:00Z"),
            NaiveDate::from_ymd_opt(2025, 4, 16)
        );
        assert_eq!(parse_date("16/04/2025"), None);
        assert_eq!(parse_date("2025"), None);
    }
}
