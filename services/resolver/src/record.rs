//! What every resolved event records the same way, whatever its family: its mentions, the
//! articles and originals that report it, when it was first and last seen, and its best
//! evidence.

use std::collections::HashSet;

use chrono::NaiveDate;
use eventwire_schema::ids::stable_hash;
use eventwire_schema::v1::{Evidence, MentionRef, ResolvedEvent};
use eventwire_schema::SCHEMA_VERSION;

use crate::Entry;

pub(crate) const PRODUCER: &str = concat!("eventwire-resolver/", env!("CARGO_PKG_VERSION"));

/// Mention references kept on one event: the first ones; `mention_count` counts them all. A
/// story repeated by thousands of outlets would otherwise make every update of its record
/// thousands of entries long.
pub const MAX_MENTION_REFS: usize = 200;

/// Where a mention came from, as both event families carry it.
pub(crate) struct Provenance<'a> {
    pub event_id: &'a str,
    pub article_id: &'a str,
    pub source: &'a str,
    pub url: Option<&'a str>,
    pub published: Option<&'a str>,
    pub duplicate_of: Option<&'a str>,
    pub evidence: Option<&'a Evidence>,
    pub confidence: f32,
}

impl Provenance<'_> {
    /// "YYYY-MM-DD…" of the article, or "" when unknown.
    pub fn seen(&self) -> String {
        self.published.unwrap_or_default().to_string()
    }

    pub fn seen_day(&self) -> Option<NaiveDate> {
        let p = self.published?;
        NaiveDate::parse_from_str(p.get(..10).unwrap_or(p), "%Y-%m-%d").ok()
    }
}

/// The record of a new event with one mention: its id comes from that mention's id.
pub(crate) fn first_record(family: &str, p: &Provenance<'_>) -> ResolvedEvent {
    ResolvedEvent {
        schema_version: SCHEMA_VERSION,
        id: format!(
            "{family}:{}",
            stable_hash(&[family.as_bytes(), p.event_id.as_bytes()], 12)
        ),
        family: family.to_string(),
        mention_count: 1,
        source_count: 1,
        independent_count: 1,
        mentions: vec![mention_ref(p)],
        best_evidence: p.evidence.cloned(),
        first_seen: p.seen(),
        last_updated: p.seen(),
        producer_version: PRODUCER.to_string(),
        ..ResolvedEvent::default()
    }
}

/// A new entry around `record` for the mention `p`.
pub(crate) fn entry(record: ResolvedEvent, p: &Provenance<'_>, keys: HashSet<String>) -> Entry {
    Entry {
        record,
        day: p.seen_day(),
        dated: false,
        perpetrator: None,
        weapon: None,
        cumulative: false,
        last_day: p.seen_day(),
        keys,
        articles: HashSet::from([p.article_id.to_string()]),
        originals: HashSet::from([p.duplicate_of.unwrap_or(p.article_id).to_string()]),
        best_confidence: p.confidence,
        touched: 0,
    }
}

fn mention_ref(p: &Provenance<'_>) -> MentionRef {
    MentionRef {
        event_id: p.event_id.to_string(),
        article_id: p.article_id.to_string(),
        source: p.source.to_string(),
        url: p.url.map(str::to_string),
        published: p.published.map(str::to_string),
        duplicate_of: p.duplicate_of.map(str::to_string),
    }
}

/// Adds the bookkeeping of `fresh` (a one-mention entry) to `e`: its mention, article and
/// original, the times seen and the best evidence.
pub(crate) fn absorb_common(e: &mut Entry, fresh: &Entry) {
    let room = MAX_MENTION_REFS.saturating_sub(e.record.mentions.len());
    e.record
        .mentions
        .extend(fresh.record.mentions.iter().take(room).cloned());
    e.record.mention_count += fresh.record.mention_count;
    e.articles.extend(fresh.articles.iter().cloned());
    e.originals.extend(fresh.originals.iter().cloned());
    e.record.source_count = e.articles.len() as u32;
    e.record.independent_count = e.originals.len() as u32;
    e.keys.extend(fresh.keys.iter().cloned());
    if e.record.first_seen.is_empty()
        || (!fresh.record.first_seen.is_empty() && fresh.record.first_seen < e.record.first_seen)
    {
        e.record.first_seen = fresh.record.first_seen.clone();
    }
    if fresh.record.last_updated > e.record.last_updated {
        e.record.last_updated = fresh.record.last_updated.clone();
    }
    e.last_day = e.last_day.max(fresh.last_day);
    if fresh.best_confidence > e.best_confidence && fresh.record.best_evidence.is_some() {
        e.best_confidence = fresh.best_confidence;
        e.record.best_evidence = fresh.record.best_evidence.clone();
    }
}

/// Whether two days are within `slack` days of each other; unknown days are compatible.
pub(crate) fn days_near(a: Option<NaiveDate>, b: Option<NaiveDate>, slack: i64) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => (a - b).num_days().abs() <= slack,
        _ => true,
    }
}
