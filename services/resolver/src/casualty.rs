//! Casualty reports: a report belongs to an incident already kept when it happened in the same
//! country on the same day (±1), at a compatible place, by a compatible perpetrator with a
//! compatible weapon. The toll is kept over the sources: `low` is the largest lower bound any
//! source gave (tolls rise as the dead are counted, and "at least 35" after "at least 20" is
//! the better bound), `high` the largest upper bound, `latest` the newest source's figure; each
//! rise is a revision ("death toll rises to 35"). Tolls over a whole war (`cumulative`) are
//! kept apart from incidents.

use eventwire_schema::v1::{CasualtyReport, Count, EventStatus, Toll, TollRevision};

use crate::diplomatic::same_country;
use crate::keys::{fold, place_key};
use crate::record::{absorb_common, days_near, entry, first_record, Provenance};
use crate::Entry;

/// Days apart two reports of one incident may date it.
const SLACK_DAYS: i64 = 1;

/// A one-report entry for `r`.
pub(crate) fn entry_of(r: &CasualtyReport) -> Entry {
    let p = Provenance {
        event_id: &r.event_id,
        article_id: &r.article_id,
        source: &r.source,
        url: r.url.as_deref(),
        published: r.published.as_deref(),
        duplicate_of: r.duplicate_of.as_deref(),
        evidence: r.evidence.first(),
        confidence: r.confidence,
    };
    let mut record = first_record("casualty", &p);
    record.status = EventStatus::Occurred as i32;
    record.country = r.country.clone();
    record.location = r.locations.first().cloned();
    record.date = r.date.clone();
    record.killed = r.killed.as_ref().map(|c| toll(c, &p.seen()));
    record.injured = r.injured.as_ref().map(|c| toll(c, &p.seen()));
    let keys = r.locations.iter().map(place_key).collect();
    let mut e = entry(record, &p, keys);
    if let Some(day) = r
        .date
        .as_ref()
        .and_then(|d| chrono::NaiveDate::parse_from_str(d.value.get(..10)?, "%Y-%m-%d").ok())
    {
        e.day = Some(day);
        e.dated = true;
    }
    e.perpetrator = r.perpetrator.as_ref().map(|p| fold(&p.name));
    e.weapon = r.weapon.as_deref().map(fold);
    e.cumulative = r.cumulative;
    e
}

fn toll(c: &Count, at: &str) -> Toll {
    let figure = c.low.or(c.high);
    Toll {
        low: c.low,
        high: c.high,
        latest: figure,
        latest_at: at.to_string(),
    }
}

/// Whether the report `fresh` belongs to the incident `e`: same country (a report without
/// one needs a place in common), same day ±1, compatible place, perpetrator and weapon.
pub(crate) fn compatible(e: &Entry, fresh: &Entry) -> bool {
    let placed = e.record.country.is_some() && fresh.record.country.is_some()
        || !e.keys.is_disjoint(&fresh.keys);
    e.record.family == fresh.record.family
        && e.cumulative == fresh.cumulative
        && placed
        && same_country(e.record.country.as_deref(), fresh.record.country.as_deref())
        && (e.keys.is_empty() || fresh.keys.is_empty() || !e.keys.is_disjoint(&fresh.keys))
        && days_near(e.day, fresh.day, SLACK_DAYS)
        && agrees(e.perpetrator.as_deref(), fresh.perpetrator.as_deref())
        && agrees(e.weapon.as_deref(), fresh.weapon.as_deref())
}

/// Equal when both are known.
fn agrees(a: Option<&str>, b: Option<&str>) -> bool {
    a.zip(b).is_none_or(|(a, b)| a == b)
}

/// Adds the report `fresh` to the incident `e`: the tolls over the sources, with a revision
/// each time a figure rises.
pub(crate) fn absorb(e: &mut Entry, fresh: Entry) {
    absorb_common(e, &fresh);
    let at = fresh.record.last_updated.clone();
    let event_id = fresh
        .record
        .mentions
        .first()
        .map(|m| m.event_id.clone())
        .unwrap_or_default();
    let revise =
        |figure: &str, kept: &mut Option<Toll>, new: Option<Toll>, out: &mut Vec<TollRevision>| {
            let Some(new) = new else {
                return;
            };
            let Some(old) = kept.as_mut() else {
                *kept = Some(new);
                return;
            };
            if let Some(to) = new.low.filter(|&n| old.low.is_none_or(|o| n > o)) {
                out.push(TollRevision {
                    figure: figure.to_string(),
                    from: old.low,
                    to,
                    at: at.clone(),
                    event_id: event_id.clone(),
                });
                old.low = Some(to);
            }
            old.high = old.high.max(new.high);
            if new.latest_at >= old.latest_at {
                old.latest = new.latest;
                old.latest_at = new.latest_at;
            }
        };
    let mut revisions = std::mem::take(&mut e.record.revisions);
    revise(
        "killed",
        &mut e.record.killed,
        fresh.record.killed,
        &mut revisions,
    );
    revise(
        "injured",
        &mut e.record.injured,
        fresh.record.injured,
        &mut revisions,
    );
    e.record.revisions = revisions;
    if e.record.location.is_none() {
        e.record.location = fresh.record.location;
    }
    if !e.dated && fresh.dated {
        e.day = fresh.day;
        e.dated = true;
        e.record.date = fresh.record.date;
    }
    e.perpetrator = e.perpetrator.take().or(fresh.perpetrator);
    e.weapon = e.weapon.take().or(fresh.weapon);
}
