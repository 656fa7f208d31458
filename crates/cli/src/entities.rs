//! `eventwire entities`: the tagger foundations' entity pass over articles, one JSON line each.
//!
//! Input is either JSONL of `{"id", "text", "published"}` (text already clean) or anything
//! `eventwire run` reads (`.txt`, `.html`, `.html.gz`, RawArticle JSONL), which is cleaned by the
//! per-article pipeline first so offsets index the clean body. Lines come out in input order as
//! each is ready.
use std::io::BufRead;
use std::path::Path;

use anyhow::Context;
use chrono::NaiveDate;
use futures::StreamExt;
use serde::Deserialize;
use serde_json::{json, Value};
use tokio::io::AsyncBufReadExt;
use tokio_util::sync::CancellationToken;

use crate::articles::{article_outputs, ArticleOutput, Depth, ItemKind};
use crate::oneshot::{conclude, count_article, emit, stop_on_ctrl_c};
use crate::output;
use crate::pipeline::RunOptions;
use crate::report::{ReportArgs, Reporter};

/// One article to analyse.
#[derive(Debug, Deserialize)]
struct TextRecord {
    id: String,
    text: String,
    #[serde(default)]
    published: Option<String>,
}

/// One article's text for the entity pass, with what its input item became (for the counts).
struct Job {
    record: Option<TextRecord>,
    article: Option<ArticleOutput>,
}

/// Runs the entity pass over `input` and prints one `{"id", "published", "entities"}` line per
/// article (plus `"text"` when `with_text`), in input order as each is ready.
pub async fn run(
    input: &Path,
    opts: &RunOptions,
    report: &ReportArgs,
    with_text: bool,
) -> anyhow::Result<()> {
    let stop = stop_on_ctrl_c();
    let mut reporter = Reporter::new(input, report);
    let jobs = if is_text_jsonl(input)? {
        text_jobs(input, stop.clone()).await?
    } else {
        clean_jobs(input, opts, stop.clone())?
    };
    let lines = jobs
        .map(|job| async move {
            let job = job?;
            tokio::task::spawn_blocking(move || {
                let line = job
                    .record
                    .as_ref()
                    .map(|r| entity_line(r, with_text))
                    .transpose()?;
                Ok::<_, anyhow::Error>((job.article, line))
            })
            .await?
        })
        .buffered(opts.concurrency.max(1) * 4);
    futures::pin_mut!(lines);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    while let Some(done) = lines.next().await {
        let (article, line) = done?;
        match &article {
            Some(a) => count_article(&mut reporter, a),
            None => reporter.input(ItemKind::Article, 0),
        }
        if !emit(&mut out, line.as_deref())? {
            break;
        }
    }
    conclude(reporter, None, &stop)
}

/// The output line of one article.
fn entity_line(r: &TextRecord, with_text: bool) -> anyhow::Result<String> {
    let published = r.published.as_deref().and_then(parse_date);
    // all-capitals or sentence-case text is read with its case restored (same offsets)
    let entities = eventwire_nlp::entities(&eventwire_nlp::truecase(&r.text), published);
    let mut line = json!({
        "id": r.id,
        "published": r.published,
        "entities": entities,
    });
    if with_text {
        line["text"] = Value::String(r.text.clone());
    }
    Ok(serde_json::to_string(&line)?)
}

/// "YYYY-MM-DD" or an RFC 3339 time stamp: the date part.
fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()
}

/// Whether `input` is a `{"id","text"}` JSONL file (rather than a directory, a page, or
/// RawArticle JSONL, which carries `body` instead of `text`): its first record has `text`.
fn is_text_jsonl(input: &Path) -> anyhow::Result<bool> {
    if input.is_dir() || input.extension().and_then(|e| e.to_str()) != Some("jsonl") {
        return Ok(false);
    }
    let file =
        std::fs::File::open(input).with_context(|| format!("opening {}", input.display()))?;
    for line in std::io::BufReader::new(file).lines() {
        let line = line.with_context(|| format!("reading {}", input.display()))?;
        if line.trim().is_empty() {
            continue;
        }
        let value: Value = serde_json::from_str(&line)
            .with_context(|| format!("{}: the first record is not JSON", input.display()))?;
        return Ok(value.get("text").is_some());
    }
    Ok(false)
}

type Jobs = futures::stream::BoxStream<'static, anyhow::Result<Job>>;

/// The records of a `{"id","text"}` JSONL file, read as they are needed.
async fn text_jobs(input: &Path, stop: CancellationToken) -> anyhow::Result<Jobs> {
    let file = tokio::fs::File::open(input)
        .await
        .with_context(|| format!("opening {}", input.display()))?;
    let lines = tokio::io::BufReader::new(file).lines();
    let name = input.display().to_string();
    let records = futures::stream::unfold((lines, 0usize), |(mut lines, n)| async move {
        let line = lines.next_line().await.transpose()?;
        Some((line.map(|l| (n + 1, l)), (lines, n + 1)))
    })
    .take_until(stop.cancelled_owned())
    .filter_map(move |line| {
        let name = name.clone();
        async move {
            let (n, line) = match line {
                Ok(found) => found,
                Err(e) => {
                    return Some(Err(anyhow::Error::new(e).context(format!("reading {name}"))))
                }
            };
            if line.trim().is_empty() {
                return None;
            }
            Some(
                text_record(&line)
                    .with_context(|| format!("{name}:{n}"))
                    .map(|r| Job {
                        record: Some(r),
                        article: None,
                    }),
            )
        }
    });
    Ok(records.boxed())
}

/// One `{"id", "text", "published"}` line.
fn text_record(line: &str) -> anyhow::Result<TextRecord> {
    serde_json::from_str(line).context("expected {\"id\", \"text\", \"published\"}")
}

/// The clean bodies of whatever `run` reads, cleaned on the way (empty articles have no line).
fn clean_jobs(input: &Path, opts: &RunOptions, stop: CancellationToken) -> anyhow::Result<Jobs> {
    let articles = article_outputs(input, Depth::Clean, opts, stop)?;
    Ok(articles
        .map(|article| {
            let article = article?;
            let record = output::clean_article(&article)?
                .filter(|a| !a.empty)
                .map(|a| TextRecord {
                    id: a.id,
                    text: a.body,
                    published: a.published,
                });
            Ok(Job {
                record,
                article: Some(article),
            })
        })
        .boxed())
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
