//! One event per real-world event per article: mentions that agree on kind, parties, place,
//! date and status are one event; "the talks" adds evidence to the event it refers to;
//! "another round" is a new event between the same parties.

use eventwire_schema::v1::{DiplomaticKind, Evidence, ParticipantKind};

use crate::diplomatic::{Anaphor, DateVal, Mention, Party, Status};
use crate::facts::Place;

/// Sentences back an anaphor may reach.
const ANAPHOR_REACH: usize = 4;

/// A merged event under construction.
#[derive(Debug, Clone)]
pub struct Merged {
    pub m: Mention,
    pub mentions: usize,
    /// Every mention's evidence, in text order.
    pub evidence: Vec<Evidence>,
}

fn class(k: DiplomaticKind) -> u8 {
    match k {
        DiplomaticKind::Meet | DiplomaticKind::Negotiate => 0,
        DiplomaticKind::Visit => 1,
        DiplomaticKind::Call => 2,
        DiplomaticKind::Agree => 3,
        DiplomaticKind::Unspecified => 4,
    }
}

fn status_ok(a: Status, b: Status) -> bool {
    a == b || a == Status::Weak || b == Status::Weak
}

/// Radius within which a place counts as inside a region or continent named without borders
/// ("a trip to Europe" and "in Paris"), measured from the region's centroid.
const REGION_RADIUS_KM: f64 = 3000.0;

fn distance_km(a: &Place, b: &Place) -> Option<f64> {
    let (la1, lo1, la2, lo2) = (a.lat?, a.lon?, b.lat?, b.lon?);
    let (p1, p2) = (la1.to_radians(), la2.to_radians());
    let dp = (la2 - la1).to_radians();
    let dl = (lo2 - lo1).to_radians();
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    Some(2.0 * 6371.0 * h.sqrt().asin())
}

fn place_ok(a: &Option<Place>, b: &Option<Place>) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => {
            if x.name == y.name {
                return true;
            }
            if x.level == 0 || y.level == 0 {
                return distance_km(x, y).is_none_or(|d| d <= REGION_RADIUS_KM);
            }
            x.level != y.level && x.country.is_some() && x.country == y.country
        }
        _ => true,
    }
}

fn date_ok(a: &Option<DateVal>, b: &Option<DateVal>) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => {
            let n = x.value.len().min(y.value.len());
            x.value[..n] == y.value[..n]
        }
        _ => true,
    }
}

fn keys(p: &[Party], f: impl Fn(&Party) -> bool) -> Vec<&str> {
    p.iter().filter(|x| f(x)).map(|x| x.key.as_str()).collect()
}

fn subset(a: &[&str], b: &[&str]) -> bool {
    a.iter().all(|k| b.contains(k))
}

fn parties_ok(kind: DiplomaticKind, a: &[Party], b: &[Party]) -> bool {
    if kind == DiplomaticKind::Visit {
        // the travellers: the same people (or some of them), or a country whose people they are
        let pa = keys(a, |x| x.kind == ParticipantKind::Person);
        let pb = keys(b, |x| x.kind == ParticipantKind::Person);
        if !pa.is_empty() && !pb.is_empty() {
            return subset(&pa, &pb) || subset(&pb, &pa);
        }
        let countries =
            |p: &[Party]| -> Vec<String> { p.iter().filter_map(|x| x.country.clone()).collect() };
        let (ca, cb) = (countries(a), countries(b));
        return ca.iter().all(|c| cb.contains(c)) || cb.iter().all(|c| ca.contains(c));
    }
    let ka = keys(a, |_| true);
    let kb = keys(b, |_| true);
    subset(&ka, &kb) || subset(&kb, &ka)
}

fn compatible(e: &Merged, m: &Mention) -> bool {
    class(e.m.kind) == class(m.kind)
        && status_ok(e.m.status, m.status)
        && place_ok(&e.m.location, &m.location)
        && date_ok(&e.m.date, &m.date)
        && parties_ok(m.kind, &e.m.parties, &m.parties)
}

fn absorb(e: &mut Merged, m: Mention) {
    let x = &mut e.m;
    for p in m.parties {
        if !x.parties.iter().any(|q| q.key == p.key) {
            x.parties.push(p);
        }
    }
    for t in m.travellers {
        if !x.travellers.contains(&t) {
            x.travellers.push(t);
        }
    }
    if x.status == Status::Weak {
        x.status = m.status;
    }
    match (&x.location, &m.location) {
        (None, Some(_)) => x.location = m.location,
        (Some(a), Some(b)) if b.level > a.level => x.location = m.location,
        _ => {}
    }
    match (&x.date, &m.date) {
        (None, Some(_)) => x.date = m.date,
        (Some(a), Some(b)) if b.value.len() > a.value.len() => x.date = m.date,
        _ => {}
    }
    if x.kind == DiplomaticKind::Meet && m.kind == DiplomaticKind::Negotiate {
        x.kind = DiplomaticKind::Negotiate;
    }
    for t in m.topics {
        if !x.topics.contains(&t) {
            x.topics.push(t);
        }
    }
    for r in m.reported_by {
        if !x.reported_by.iter().any(|q| q.name == r.name) {
            x.reported_by.push(r);
        }
    }
    e.mentions += 1;
}

/// Merges an article's mentions (in text order) into events.
pub fn merge(mentions: Vec<Mention>) -> Vec<Merged> {
    let mut events: Vec<Merged> = Vec::new();
    for m in mentions {
        match m.anaphor {
            Anaphor::Definite => {
                if let Some(i) = events.iter().rposition(|e| {
                    class(e.m.kind) == class(m.kind)
                        && m.sentence.saturating_sub(e.m.sentence) <= ANAPHOR_REACH
                        && place_ok(&e.m.location, &m.location)
                }) {
                    add_evidence(&mut events[i], &m.evidence);
                    events[i].mentions += 1;
                }
                continue;
            }
            Anaphor::Another => {
                let Some(src) = events.iter().rposition(|e| {
                    class(e.m.kind) == class(m.kind)
                        && m.sentence.saturating_sub(e.m.sentence) <= ANAPHOR_REACH
                }) else {
                    continue;
                };
                let mut copy = m.clone();
                copy.parties = events[src].m.parties.clone();
                copy.travellers = events[src].m.travellers.clone();
                copy.kind = events[src].m.kind;
                if copy.location.is_none() && m.sentence == events[src].m.sentence {
                    copy.location = events[src].m.location.clone();
                }
                copy.anaphor = Anaphor::No;
                events.push(Merged {
                    m: copy,
                    mentions: 1,
                    evidence: vec![m.evidence.clone()],
                });
                continue;
            }
            Anaphor::No => {}
        }
        let target = (0..events.len())
            .rev()
            .find(|&i| compatible(&events[i], &m));
        match target {
            Some(i) => {
                let ev = m.evidence.clone();
                add_evidence(&mut events[i], &ev);
                absorb(&mut events[i], m);
            }
            None => {
                let evidence = vec![m.evidence.clone()];
                events.push(Merged {
                    m,
                    mentions: 1,
                    evidence,
                });
            }
        }
    }
    events
}

fn add_evidence(e: &mut Merged, ev: &Evidence) {
    if !e.evidence.iter().any(|x| x.start == ev.start) {
        e.evidence.push(ev.clone());
    }
}
