//! Diplomatic mentions: a mention reports an event already kept when the kind class agrees
//! (meet and negotiate are one class), the participants agree by entity, and the days and
//! places are compatible. A planned meeting and the later report that it took place are one
//! event: its status moves on and the history is kept.

use chrono::NaiveDate;
use eventwire_schema::v1::{
    DatePrecision, DiplomaticEvent, DiplomaticKind, EventStatus, ResolvedDate, StatusChange,
};

use crate::keys::participant_key;
use crate::record::{absorb_common, days_near, entry, first_record, Provenance};
use crate::Entry;

/// Days apart two dates the texts gave may be and still be one event.
const DATED_SLACK_DAYS: i64 = 1;
/// Days apart a mention without a date may be published from the event's day.
const UNDATED_SLACK_DAYS: i64 = 7;

/// A one-mention entry for `m`.
pub(crate) fn entry_of(m: &DiplomaticEvent) -> Entry {
    let p = Provenance {
        event_id: &m.event_id,
        article_id: &m.article_id,
        source: &m.source,
        url: m.url.as_deref(),
        published: m.published.as_deref(),
        duplicate_of: m.duplicate_of.as_deref(),
        evidence: m.evidence.first(),
        confidence: m.confidence,
    };
    let mut record = first_record("diplomatic", &p);
    record.kind = m.kind;
    record.status = m.status;
    record.status_history = vec![StatusChange {
        status: m.status,
        at: p.seen(),
        event_id: m.event_id.clone(),
    }];
    record.participants = m.participants.clone();
    record.date = m.date.clone();
    record.location = m.location.clone();
    record.country = m.location.as_ref().and_then(|l| l.country.clone());
    let keys = m.participants.iter().map(participant_key).collect();
    let mut e = entry(record, &p, keys);
    if let Some(day) = m.date.as_ref().and_then(day_of) {
        e.day = Some(day);
        e.dated = true;
    }
    e
}

/// The day a date names, when it names one.
fn day_of(d: &ResolvedDate) -> Option<NaiveDate> {
    (d.precision == DatePrecision::Day as i32)
        .then(|| NaiveDate::parse_from_str(&d.value, "%Y-%m-%d").ok())
        .flatten()
}

/// Meet and negotiate are one class; visit, call and agree their own.
fn kind_class(kind: i32) -> i32 {
    if kind == DiplomaticKind::Negotiate as i32 {
        DiplomaticKind::Meet as i32
    } else {
        kind
    }
}

/// Whether the mention `fresh` reports the event `e`.
pub(crate) fn compatible(e: &Entry, fresh: &Entry) -> bool {
    e.record.family == fresh.record.family
        && kind_class(e.record.kind) == kind_class(fresh.record.kind)
        && same_participants(e, fresh)
        && same_days(e, fresh)
        && same_country(e.record.country.as_deref(), fresh.record.country.as_deref())
}

/// The participants agree by entity: they share two (or all the mention has, if fewer).
fn same_participants(e: &Entry, fresh: &Entry) -> bool {
    let shared = fresh.keys.intersection(&e.keys).count();
    shared >= 1 && shared >= fresh.keys.len().min(e.keys.len()).min(2)
}

fn same_days(e: &Entry, fresh: &Entry) -> bool {
    let slack = if e.dated && fresh.dated {
        DATED_SLACK_DAYS
    } else {
        UNDATED_SLACK_DAYS
    };
    days_near(e.day, fresh.day, slack)
}

/// Places agree when both are known in the same country, or either is unknown.
pub(crate) fn same_country(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a == b,
        _ => true,
    }
}

/// Adds the mention `fresh` to the event `e`.
pub(crate) fn absorb(e: &mut Entry, fresh: Entry) {
    absorb_common(e, &fresh);
    for p in &fresh.record.participants {
        let key = participant_key(p);
        if !e
            .record
            .participants
            .iter()
            .any(|q| participant_key(q) == key)
        {
            e.record.participants.push(p.clone());
        }
    }
    if fresh.dated && !e.dated {
        e.day = fresh.day;
        e.dated = true;
        e.record.date = fresh.record.date.clone();
    }
    if e.record.location.is_none() && fresh.record.location.is_some() {
        e.record.location = fresh.record.location.clone();
        e.record.country = fresh.record.country.clone();
    }
    if let Some(change) = fresh.record.status_history.last() {
        move_status(e, change);
    }
}

/// An expectation (planned, hypothetical) gives way to an outcome (occurred, cancelled,
/// denied); an outcome stays, whatever a late report of the plan says.
fn move_status(e: &mut Entry, change: &StatusChange) {
    let outcome = |s: i32| {
        s == EventStatus::Occurred as i32
            || s == EventStatus::Cancelled as i32
            || s == EventStatus::Denied as i32
    };
    if change.status != e.record.status && outcome(change.status) && !outcome(e.record.status) {
        e.record.status = change.status;
        e.record.status_history.push(change.clone());
    }
}
