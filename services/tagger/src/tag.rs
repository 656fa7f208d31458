//! Pure tagging: a CleanArticle in, events out. No I/O.
//!
//! The entity pass (`eventwire_nlp::analyze`) gives sentences, people with roles and
//! coreference, countries, places, organisations, dates and numbers. Each sentence is then read
//! as clauses ([`crate::view`]); trigger words head one mention per clause
//! ([`crate::diplomatic`]); mentions of the same real-world event are merged
//! ([`crate::merge`]); casualty figures are read under the counting conventions
//! ([`crate::casualty`]).

use chrono::NaiveDate;
use eventwire_gazetteer::Gazetteer;
use eventwire_nlp::analyze_where;
use eventwire_schema::ids::{unique_event_ids, EventIdentity};
use eventwire_schema::v1::{
    CasualtyReport, CleanArticle, DiplomaticEvent, DiplomaticKind, EventStatus, Location,
    Participant, ParticipantKind, ResolvedDate,
};
use eventwire_schema::SCHEMA_VERSION;

use crate::casualty;
use crate::context::TagContext;
use crate::diplomatic::{sentence_mentions, Party, Status};
use crate::facts::Place;
use crate::merge::{merge, Merged};
use crate::view::{sentence_triggers, Triggers, View};

/// Name and version stamped on every event.
pub const PRODUCER: &str = concat!("eventwire-tagger/", env!("CARGO_PKG_VERSION"));

/// Everything found in one article.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Tagged {
    pub diplomatic: Vec<DiplomaticEvent>,
    pub casualties: Vec<CasualtyReport>,
}

/// Tags one article with the process's data ([`TagContext::embedded`]).
pub fn tag(article: &CleanArticle) -> Tagged {
    tag_with(article, &TagContext::embedded())
}

/// Tags one article with the gazetteer, lexicon and truecaser of `context`.
pub fn tag_with(article: &CleanArticle, context: &TagContext<'_>) -> Tagged {
    let published = article
        .published
        .as_deref()
        .and_then(|p| NaiveDate::parse_from_str(p.get(..10).unwrap_or(p), "%Y-%m-%d").ok());
    let body = &article.body;
    // All-capitals or sentence-case copy is read with its case restored (same offsets; the
    // evidence quotes the body, [`quote_body`]); other text is the body itself.
    let text = context.truecaser.truecase(body);
    // The rules read only sentences with a trigger or a casualty word: only those need their
    // dates and numbers.
    let mut triggers: Vec<Option<Triggers>> = Vec::new();
    let an = analyze_where(
        &text,
        published,
        context.lexicon,
        context.places,
        |_, low| {
            let t = sentence_triggers(low);
            let read = t.is_some();
            triggers.push(t);
            read
        },
    );
    let gaz = context.gazetteer;
    let words = an.lower_words(&text);
    let mut mentions = Vec::new();
    let mut reports = Vec::new();
    for (s, trigger) in triggers.into_iter().enumerate() {
        let Some(trigger) = trigger else {
            continue;
        };
        let v = View::new(&text, &an, s, &words, trigger);
        mentions.extend(sentence_mentions(&v, &an, context, published));
        reports.extend(casualty::sentence_casualties(&v, &an, context, published));
    }
    let events = finish(merge(mentions), gaz);
    let mut tagged = Tagged {
        diplomatic: events
            .into_iter()
            .map(|e| diplomatic_event(article, e))
            .collect(),
        casualties: casualty::incidents(reports)
            .into_iter()
            .map(|r| casualty_report(article, r))
            .collect(),
    };
    assign_event_ids(&article.id, &mut tagged);
    if matches!(text, std::borrow::Cow::Owned(_)) {
        quote_body(body, &mut tagged);
    }
    tagged
}

/// Gives every event its id ([`eventwire_schema::ids`]): kind, first evidence span, and what
/// tells events anchored there apart: a diplomatic event's participants and status, a
/// casualty report's figures.
fn assign_event_ids(article_id: &str, tagged: &mut Tagged) {
    let anchor =
        |e: &[eventwire_schema::v1::Evidence]| e.first().map_or((0, 0), |x| (x.start, x.end));
    let diplomatic: Vec<EventIdentity<'_>> = tagged
        .diplomatic
        .iter()
        .map(|e| {
            let (anchor_start, anchor_end) = anchor(&e.evidence);
            let mut keys: Vec<String> = e.participants.iter().map(participant_key).collect();
            keys.push(format!("status:{}", e.status));
            EventIdentity {
                article_id,
                kind: DiplomaticKind::try_from(e.kind).map_or("unspecified", |k| k.as_str_name()),
                anchor_start,
                anchor_end,
                keys,
            }
        })
        .collect();
    let ids = unique_event_ids(&diplomatic);
    for (e, id) in tagged.diplomatic.iter_mut().zip(ids) {
        e.event_id = id;
    }
    let casualty: Vec<EventIdentity<'_>> = tagged
        .casualties
        .iter()
        .map(|r| {
            let (anchor_start, anchor_end) = anchor(&r.evidence);
            let figure = |name: &str, c: &Option<eventwire_schema::v1::Count>| {
                c.as_ref()
                    .map(|c| format!("{name}:{:?}-{:?}", c.low, c.high))
                    .unwrap_or_default()
            };
            EventIdentity {
                article_id,
                kind: "casualty",
                anchor_start,
                anchor_end,
                keys: vec![
                    figure("killed", &r.killed),
                    figure("injured", &r.injured),
                    figure("affected", &r.affected),
                    format!("cumulative:{}", r.cumulative),
                ],
            }
        })
        .collect();
    let ids = unique_event_ids(&casualty);
    for (r, id) in tagged.casualties.iter_mut().zip(ids) {
        r.event_id = id;
    }
}

/// A participant's entity key: its canonical id where it has one, else its kind and name.
fn participant_key(p: &Participant) -> String {
    match &p.canonical_id {
        Some(id) => id.clone(),
        None => format!("{}:{}", p.kind, p.name.to_lowercase()),
    }
}

/// Evidence sentences as the body writes them, not in the restored case the rules read (the
/// char offsets are the same in both).
fn quote_body(body: &str, tagged: &mut Tagged) {
    let evidence = tagged
        .diplomatic
        .iter_mut()
        .flat_map(|e| e.evidence.iter_mut())
        .chain(
            tagged
                .casualties
                .iter_mut()
                .flat_map(|r| r.evidence.iter_mut()),
        );
    for ev in evidence {
        let byte = |c: u32| {
            body.char_indices()
                .map(|(i, _)| i)
                .chain(std::iter::once(body.len()))
                .nth(c as usize)
        };
        if let Some(s) = byte(ev.start)
            .zip(byte(ev.end))
            .and_then(|(a, b)| body.get(a..b))
        {
            ev.sentence = s.to_string();
        }
    }
}

/// Article-level completion: undecided statuses take the clause's tense, state-level talks
/// are negotiations, people facing a state bring their state, planned meetings inherit the
/// place of the trip they belong to, and what is not a diplomatic event is dropped
/// ([`is_diplomatic`]).
fn finish(mut events: Vec<Merged>, gaz: &Gazetteer) -> Vec<Merged> {
    for e in &mut events {
        if e.m.status == Status::Weak {
            e.m.status = e.m.fallback;
        }
        // state-level talks without named people are negotiations (CAMEO 046)
        if e.m.kind == DiplomaticKind::Meet
            && !e.m.parties.is_empty()
            && e.m
                .parties
                .iter()
                .all(|p| p.kind == ParticipantKind::Country)
        {
            e.m.kind = DiplomaticKind::Negotiate;
        }
        add_states_of_people(e, gaz);
    }
    place_planned_meetings(&mut events);
    events.retain(is_diplomatic);
    events
}

/// A person facing a state: the person's state takes part too (the event's dyad).
fn add_states_of_people(e: &mut Merged, gaz: &Gazetteer) {
    let faces_state =
        e.m.parties
            .iter()
            .any(|p| p.kind == ParticipantKind::Country && p.role.is_none());
    if e.m.kind == DiplomaticKind::Visit || !faces_state {
        return;
    }
    let extra: Vec<Party> =
        e.m.parties
            .iter()
            .filter(|p| p.kind == ParticipantKind::Person)
            .filter_map(|p| p.country.clone())
            .filter(|c| {
                !e.m.parties
                    .iter()
                    .any(|q| q.country.as_deref() == Some(c) && q.kind == ParticipantKind::Country)
            })
            .map(|c| Party {
                key: format!("country:{c}"),
                name: gaz
                    .country(&c)
                    .map(|x| x.name.clone())
                    .unwrap_or_else(|| c.clone()),
                kind: ParticipantKind::Country,
                country: Some(c),
                role: None,
                id: None,
            })
            .collect();
    for p in extra {
        if !e.m.parties.iter().any(|q| q.key == p.key) {
            e.m.parties.push(p);
        }
    }
}

/// Planned meetings without a place happen where the planned trip or meeting of one of
/// their people takes place: the nearest such event before them, else after them.
fn place_planned_meetings(events: &mut [Merged]) {
    let placed: Vec<(usize, Vec<String>, Status, Place)> = events
        .iter()
        .filter_map(|e| {
            let people: Vec<String> =
                e.m.parties
                    .iter()
                    .filter(|p| p.kind == ParticipantKind::Person)
                    .map(|p| p.key.clone())
                    .collect();
            e.m.location
                .clone()
                .filter(|l| l.level >= 1)
                .map(|l| (e.m.sentence, people, e.m.status, l))
        })
        .collect();
    for e in events.iter_mut() {
        if e.m.location.is_some()
            || e.m.kind == DiplomaticKind::Visit
            || e.m.status != Status::Planned
        {
            continue;
        }
        let shares = |(_, people, status, _): &&(usize, Vec<String>, Status, Place)| {
            *status == Status::Planned && e.m.parties.iter().any(|p| people.contains(&p.key))
        };
        let before = placed
            .iter()
            .filter(|x| x.0 <= e.m.sentence)
            .filter(shares)
            .max_by_key(|x| x.0);
        let found = before.or_else(|| {
            placed
                .iter()
                .filter(|x| x.0 > e.m.sentence)
                .filter(shares)
                .min_by_key(|x| x.0)
        });
        if let Some((_, _, _, place)) = found {
            e.m.location = Some(place.clone());
        }
    }
}

/// Whether a merged event is a diplomatic event: a visit needs a destination abroad and a
/// traveller acting for a state or an international body (not a private trip, not an
/// official's trip at home); other kinds need two sides (a person and their own state are
/// one side; "a meeting with the minister" implies the other) and at least one state actor
/// among them (not relatives meeting, not a suspect and a lawyer).
fn is_diplomatic(e: &Merged) -> bool {
    let m = &e.m;
    if m.kind == DiplomaticKind::Visit {
        let Some(place) = &m.location else {
            return false;
        };
        // a country travels as its people ("a US delegation"), not as a bare name ("a US
        // citizen travelled")
        let travellers: Vec<&Party> = m
            .parties
            .iter()
            .filter(|p| m.travellers.contains(&p.key) && p.is_state_actor())
            .filter(|p| p.kind != ParticipantKind::Country || p.role.is_some())
            .collect();
        // at home: a traveller of the place's country and none known to come from elsewhere
        // ("Then-White House adviser X arrives at the White House")
        let home = |p: &&Party| p.country.is_some() && p.country == place.country;
        let abroad = |p: &&Party| p.country.is_some() && p.country != place.country;
        let at_home = travellers.iter().any(home) && !travellers.iter().any(abroad);
        // a building or unknown place in no known country
        let placed = place.country.is_some() || place.level == 0;
        return placed && !travellers.is_empty() && !at_home;
    }
    // "the two sides" alone is an anaphor: the sides must be named somewhere
    let named = m
        .parties
        .iter()
        .any(|p| p.kind != ParticipantKind::Group || !p.key.starts_with("group:two "));
    let sides = sides(&m.parties) + usize::from(m.implied_side);
    named && sides >= 2 && m.parties.iter().any(Party::is_state_actor)
}

/// The sides an event's parties make: people, organisations, groups ("the two sides" are
/// two) and countries other than the people's own; a party whose name is part of another's
/// ("Economic Community" in a longer name) adds none.
fn sides(parties: &[Party]) -> usize {
    let people_states: Vec<&str> = parties
        .iter()
        .filter(|p| p.kind == ParticipantKind::Person)
        .filter_map(|p| p.country.as_deref())
        .collect();
    parties
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            !(p.kind == ParticipantKind::Country
                && p.country
                    .as_deref()
                    .is_some_and(|c| people_states.contains(&c)))
        })
        .filter(|&(i, p)| {
            !parties
                .iter()
                .enumerate()
                .any(|(j, q)| j != i && q.name.len() > p.name.len() && q.name.contains(&p.name))
        })
        .map(|(_, p)| p.sides())
        .sum()
}

fn status_of(s: Status) -> EventStatus {
    match s {
        Status::Occurred | Status::Weak => EventStatus::Occurred,
        Status::Planned => EventStatus::Planned,
        Status::Cancelled => EventStatus::Cancelled,
        Status::Denied => EventStatus::Denied,
        Status::Hypothetical => EventStatus::Hypothetical,
    }
}

/// CAMEO code, PLOVER event and PLOVER mode.
fn codes(e: &Merged) -> (&'static str, &'static str, &'static str) {
    let m = &e.m;
    let countries: std::collections::BTreeSet<&str> = m
        .parties
        .iter()
        .filter_map(|p| p.country.as_deref())
        .collect();
    let multilateral =
        countries.len() >= 3 || m.parties.iter().any(|p| p.kind == ParticipantKind::Group);
    if m.status == Status::Planned && m.kind != DiplomaticKind::Agree {
        // an intent to meet or negotiate; PLOVER codes a future meeting as AGREE
        return ("036", "AGREE", "");
    }
    match m.kind {
        DiplomaticKind::Visit => ("042", "CONSULT", "visit"),
        DiplomaticKind::Call => ("041", "CONSULT", "phone"),
        DiplomaticKind::Negotiate if m.mediation => ("045", "CONSULT", "third-party"),
        DiplomaticKind::Negotiate => (
            "046",
            "CONSULT",
            if multilateral { "multilateral" } else { "" },
        ),
        DiplomaticKind::Agree => ("057", "AGREE", ""),
        DiplomaticKind::Meet | DiplomaticKind::Unspecified => {
            // a meeting in a country none of its parties belongs to: a third location (044)
            let third = m
                .location
                .as_ref()
                .and_then(|l| l.country.as_deref())
                .is_some_and(|c| !countries.is_empty() && !countries.contains(c));
            let mode = if multilateral { "multilateral" } else { "" };
            if third {
                ("044", "CONSULT", mode)
            } else {
                ("040", "CONSULT", mode)
            }
        }
    }
}

fn confidence(e: &Merged) -> f32 {
    let m = &e.m;
    let mut c: f32 = 0.45;
    if m.parties
        .iter()
        .filter(|p| p.kind == ParticipantKind::Person)
        .count()
        >= 2
    {
        c += 0.15;
    } else if m.parties.len() >= 2 {
        c += 0.1;
    }
    if m.location.is_some() {
        c += 0.1;
    }
    if m.date.is_some() {
        c += 0.1;
    }
    if e.mentions > 1 {
        c += 0.1;
    }
    if !m.reported_by.is_empty() {
        c += 0.05;
    }
    if matches!(m.status, Status::Hypothetical) {
        c -= 0.2;
    }
    c.clamp(0.05, 0.95)
}

fn location(p: Place) -> Location {
    Location {
        name: p.name,
        country: p.country,
        lat: p.lat,
        lon: p.lon,
        geonames_id: p.geonames_id,
    }
}

fn diplomatic_event(article: &CleanArticle, e: Merged) -> DiplomaticEvent {
    let (cameo, plover, mode) = codes(&e);
    let confidence = confidence(&e);
    let kind = e.m.kind;
    let m = e.m;
    DiplomaticEvent {
        schema_version: SCHEMA_VERSION,
        // set by assign_event_ids once every event of the article is known
        event_id: String::new(),
        article_id: article.id.clone(),
        kind: kind as i32,
        status: status_of(m.status) as i32,
        participants: m
            .parties
            .into_iter()
            .map(|p| Participant {
                name: p.name,
                kind: p.kind as i32,
                country: p.country,
                role: p.role,
                canonical_id: p.id,
            })
            .collect(),
        location: m.location.map(location),
        date: m.date.map(|d| ResolvedDate {
            value: d.value,
            precision: d.precision as i32,
            text: d.text,
        }),
        topics: m.topics,
        reported_by: m.reported_by,
        evidence: e.evidence,
        confidence,
        cameo: cameo.to_string(),
        plover_event: plover.to_string(),
        plover_mode: mode.to_string(),
        producer_version: PRODUCER.to_string(),
        ingested_at: article.ingested_at,
        url: article.url.clone(),
        source: article.source.clone(),
        published: article.published.clone(),
        duplicate_of: article.duplicate_of.clone(),
        language: article.language.clone(),
    }
}

fn casualty_report(article: &CleanArticle, r: casualty::Report) -> CasualtyReport {
    let mut confidence: f32 = 0.6;
    if !r.locations.is_empty() {
        confidence += 0.1;
    }
    if r.perpetrator.is_some() {
        confidence += 0.1;
    }
    if r.date.is_some() {
        confidence += 0.05;
    }
    CasualtyReport {
        schema_version: SCHEMA_VERSION,
        event_id: String::new(),
        article_id: article.id.clone(),
        killed: r.killed,
        injured: r.injured,
        missing: r.missing,
        affected: r.affected,
        cumulative: r.cumulative,
        cause: r.cause,
        victims: r.victims,
        locations: r.locations.into_iter().map(location).collect(),
        country: r.country,
        date: r.date,
        perpetrator: r.perpetrator,
        weapon: r.weapon,
        evidence: r.evidence,
        confidence: confidence.min(0.95),
        // CAMEO 190 "use conventional military force"; PLOVER ASSAULT with a casualty count
        cameo: "190".to_string(),
        plover_event: "ASSAULT".to_string(),
        plover_mode: String::new(),
        producer_version: PRODUCER.to_string(),
        ingested_at: article.ingested_at,
        url: article.url.clone(),
        source: article.source.clone(),
        published: article.published.clone(),
        duplicate_of: article.duplicate_of.clone(),
        language: article.language.clone(),
    }
}
