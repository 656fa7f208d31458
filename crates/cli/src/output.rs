//! How the CLI writes what the pipeline produced: JSONL messages for `run`, TaggedArticle and
//! CleanArticle lines for `tag` and `clean`, and the run summary.
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use anyhow::Context;
use eventwire_runtime::{Headers, InputRecord, OutputRecord};
use eventwire_schema::v1::{
    CasualtyReport, CleanArticle, DeadLetter, DiplomaticEvent, TaggedArticle,
};
use eventwire_schema::{dlq, json, topics, SCHEMA_VERSION};
use serde_json::{json, Value};

use crate::articles::ArticleOutput;
use crate::pipeline::RunReport;
use crate::report::RunSummary;

pub fn open(path: Option<&Path>) -> anyhow::Result<Box<dyn Write>> {
    Ok(match path {
        Some(p) => Box::new(BufWriter::new(
            File::create(p).with_context(|| format!("cannot create {}", p.display()))?,
        )),
        None => Box::new(BufWriter::new(std::io::stdout())),
    })
}

/// A dead letter as the DeadLetter message, from its headers and original bytes.
pub fn dead_letter(r: &InputRecord) -> DeadLetter {
    dead_letter_of(&r.headers, r.key.as_deref(), &r.payload)
}

/// A dead letter written by a stage, as the DeadLetter message.
pub fn dead_letter_record(r: &OutputRecord) -> DeadLetter {
    dead_letter_of(&r.headers, r.key.as_deref(), &r.payload)
}

fn dead_letter_of(h: &Headers, key: Option<&[u8]>, payload: &[u8]) -> DeadLetter {
    let s = |k| h.get_str(k).unwrap_or_default().to_string();
    DeadLetter {
        original_topic: s(dlq::ORIGINAL_TOPIC),
        original_partition: s(dlq::ORIGINAL_PARTITION).parse().unwrap_or(-1),
        original_offset: s(dlq::ORIGINAL_OFFSET).parse().unwrap_or(-1),
        original_timestamp_ms: h
            .get_str(dlq::ORIGINAL_TIMESTAMP)
            .and_then(|v| v.parse().ok()),
        service: s(dlq::SERVICE),
        stage: s(dlq::STAGE),
        error_code: s(dlq::ERROR_CODE),
        error_message: s(dlq::ERROR_MESSAGE),
        failed_at: s(dlq::FAILED_AT),
        original_key: key.map(<[u8]>::to_vec),
        original_value: payload.to_vec(),
    }
}

/// One `run` output line: {"topic", "key", "value"} with the message as JSON.
pub fn write_message(out: &mut dyn Write, r: &InputRecord) -> anyhow::Result<()> {
    let value: Value = if r.topic.ends_with(topics::DLQ_SUFFIX) {
        serde_json::to_value(dead_letter(r))?
    } else if r.payload.is_empty() {
        // a tombstone: the key is retired
        Value::Null
    } else {
        serde_json::from_slice(&r.payload).context("stage wrote a record that is not JSON")?
    };
    let key = r.key.as_deref().map(String::from_utf8_lossy);
    let line = json!({ "topic": r.topic, "key": key, "value": value });
    serde_json::to_writer(&mut *out, &line)?;
    out.write_all(b"\n")?;
    Ok(())
}

/// The summary of a run on the bus.
pub fn summary(r: &RunReport) -> RunSummary {
    RunSummary {
        articles: r.ingest.articles,
        rejected: r.ingest.rejected,
        skipped: r.ingest.skipped,
        warnings: r.ingest.warnings,
        clean: r.cleaner.records_out.saturating_sub(r.cleaner.dead_letters),
        diplomatic: r.diplomatic,
        casualty: r.casualty,
        dead_letters: r.dead_letters,
        ..RunSummary::default()
    }
}

/// The TaggedArticle line of an article taken through the tagger (None when it was not
/// cleaned: a dead letter or a skipped file).
pub fn tagged_line(out: &ArticleOutput) -> anyhow::Result<Option<String>> {
    let Some(a) = clean_article(out)? else {
        return Ok(None);
    };
    let tagged = TaggedArticle {
        schema_version: SCHEMA_VERSION,
        diplomatic: decode_all::<DiplomaticEvent>(out, topics::EVENTS_DIPLOMATIC)?,
        casualties: decode_all::<CasualtyReport>(out, topics::EVENTS_CASUALTY)?,
        language: Some(a.language.clone()),
        id: a.id,
        title: a.title,
        byline: a.byline,
        published: a.published,
        body: a.body,
        duplicate_of: a.duplicate_of,
    };
    Ok(Some(String::from_utf8(json::encode(&tagged)?)?))
}

/// The CleanArticle line of an article (None when it was not cleaned).
pub fn clean_line(out: &ArticleOutput) -> anyhow::Result<Option<String>> {
    clean_article(out)?
        .map(|a| Ok(String::from_utf8(json::encode(&a)?)?))
        .transpose()
}

/// The clean article an item became, if it was cleaned.
pub fn clean_article(out: &ArticleOutput) -> anyhow::Result<Option<CleanArticle>> {
    out.on(topics::ARTICLES_CLEAN)
        .next()
        .map(|r| {
            json::decode(&r.payload)
                .context("the cleaner wrote a record that is not a CleanArticle")
        })
        .transpose()
}

fn decode_all<T: serde::de::DeserializeOwned>(
    out: &ArticleOutput,
    topic: &str,
) -> anyhow::Result<Vec<T>> {
    out.on(topic)
        .map(|r| {
            json::decode(&r.payload).with_context(|| format!("a record on {topic} does not decode"))
        })
        .collect()
}
