//! How the CLI writes what the pipeline produced: JSONL messages for `run`, TaggedArticle and
//! CleanArticle lines for `tag` and `clean`, and the run summary.
use std::collections::HashMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use anyhow::Context;
use eventwire_runtime::InputRecord;
use eventwire_schema::v1::{
    CasualtyReport, CleanArticle, DeadLetter, DiplomaticEvent, TaggedArticle,
};
use eventwire_schema::{dlq, json, topics, SCHEMA_VERSION};
use serde_json::{json, Value};

use crate::pipeline::RunReport;

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
    let h = &r.headers;
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
        original_key: r.key.clone(),
        original_value: r.payload.clone(),
    }
}

/// One `run` output line: {"topic", "key", "value"} with the message as JSON.
pub fn write_message(out: &mut dyn Write, r: &InputRecord) -> anyhow::Result<()> {
    let value: Value = if r.topic.ends_with(topics::DLQ_SUFFIX) {
        serde_json::to_value(dead_letter(r))?
    } else {
        serde_json::from_slice(&r.payload).context("stage wrote a record that is not JSON")?
    };
    let key = r.key.as_deref().map(String::from_utf8_lossy);
    let line = json!({ "topic": r.topic, "key": key, "value": value });
    serde_json::to_writer(&mut *out, &line)?;
    out.write_all(b"\n")?;
    Ok(())
}

pub fn summary(r: &RunReport) -> String {
    format!(
        "articles: {} read, {} rejected, {} skipped | clean: {} | events: {} diplomatic, {} casualty | dead letters: {} | elapsed: {:.3}s",
        r.ingest.articles,
        r.ingest.rejected,
        r.ingest.skipped,
        r.cleaner.records_out.saturating_sub(r.cleaner.dead_letters),
        r.diplomatic,
        r.casualty,
        r.dead_letters,
        r.elapsed.as_secs_f64()
    )
}

/// Gathers a run's messages per article, for `tag` and `clean`.
#[derive(Default)]
pub struct Collector {
    clean: Vec<CleanArticle>,
    diplomatic: HashMap<String, Vec<DiplomaticEvent>>,
    casualties: HashMap<String, Vec<CasualtyReport>>,
    dead: Vec<DeadLetter>,
}

impl Collector {
    pub fn add(&mut self, r: &InputRecord) -> anyhow::Result<()> {
        match r.topic.as_str() {
            topics::ARTICLES_CLEAN => self.clean.push(json::decode(&r.payload)?),
            topics::EVENTS_DIPLOMATIC => {
                let e: DiplomaticEvent = json::decode(&r.payload)?;
                self.diplomatic
                    .entry(e.article_id.clone())
                    .or_default()
                    .push(e);
            }
            topics::EVENTS_CASUALTY => {
                let e: CasualtyReport = json::decode(&r.payload)?;
                self.casualties
                    .entry(e.article_id.clone())
                    .or_default()
                    .push(e);
            }
            t if t.ends_with(topics::DLQ_SUFFIX) => self.dead.push(dead_letter(r)),
            _ => {}
        }
        Ok(())
    }

    pub fn tagged_lines(&mut self) -> anyhow::Result<Vec<String>> {
        let mut lines = Vec::with_capacity(self.clean.len());
        for a in &self.clean {
            let t = TaggedArticle {
                schema_version: SCHEMA_VERSION,
                id: a.id.clone(),
                title: a.title.clone(),
                byline: a.byline.clone(),
                published: a.published.clone(),
                body: a.body.clone(),
                duplicate_of: a.duplicate_of.clone(),
                diplomatic: self.diplomatic.remove(&a.id).unwrap_or_default(),
                casualties: self.casualties.remove(&a.id).unwrap_or_default(),
                language: Some(a.language.clone()),
            };
            lines.push(String::from_utf8(json::encode(&t)?)?);
        }
        Ok(lines)
    }

    /// The clean articles collected so far.
    pub fn clean_articles(&self) -> &[CleanArticle] {
        &self.clean
    }

    pub fn clean_lines(&mut self) -> anyhow::Result<Vec<String>> {
        self.clean
            .iter()
            .map(|a| Ok(String::from_utf8(json::encode(a)?)?))
            .collect()
    }

    /// Bad inputs are not silent: each is reported on stderr.
    pub fn report_dead_letters(&self) {
        for d in &self.dead {
            eprintln!(
                "dead letter from {} ({}): {}",
                d.original_topic, d.error_code, d.error_message
            );
        }
    }
}
