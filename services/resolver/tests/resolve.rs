//! The resolver on mentions written for these tests (invented people and places): one record
//! per real-world event, copies counted once as originals, a plan and its outcome as one
//! event, tolls revised upwards, redeliveries changing nothing, and bounded state.
use eventwire_resolver::{Outcome, Resolver, ResolverConfig};
use eventwire_schema::v1::{
    CasualtyReport, Count, DatePrecision, DiplomaticEvent, DiplomaticKind, EventStatus, Evidence,
    Location, Participant, ParticipantKind, ResolvedDate, ResolvedEvent,
};

fn person(name: &str, id: &str) -> Participant {
    Participant {
        name: name.into(),
        kind: ParticipantKind::Person as i32,
        canonical_id: Some(id.into()),
        ..Participant::default()
    }
}

fn day(value: &str) -> ResolvedDate {
    ResolvedDate {
        value: value.into(),
        precision: DatePrecision::Day as i32,
        text: value.into(),
    }
}

/// A meeting of Ruiz and Berg reported by `article` on `published`.
fn meeting(id: &str, article: &str, published: &str, status: EventStatus) -> DiplomaticEvent {
    DiplomaticEvent {
        event_id: id.into(),
        article_id: article.into(),
        source: format!("outlet-{article}"),
        published: Some(published.into()),
        kind: DiplomaticKind::Meet as i32,
        status: status as i32,
        participants: vec![
            person("Ana Ruiz", "actor:ana-ruiz"),
            person("Lars Berg", "actor:lars-berg"),
        ],
        evidence: vec![Evidence {
            sentence: format!("Ruiz and Berg met ({id})."),
            start: 0,
            end: 10,
        }],
        confidence: 0.7,
        ..DiplomaticEvent::default()
    }
}

fn record(outcome: Outcome) -> ResolvedEvent {
    match outcome {
        Outcome::New(r) | Outcome::Updated(r) => r,
        Outcome::Unchanged => panic!("expected a record"),
    }
}

#[test]
fn mentions_of_one_meeting_become_one_event_with_its_sources() {
    let mut r = Resolver::new(ResolverConfig::default());
    record(r.add_diplomatic(&meeting("m1", "a1", "2025-03-10", EventStatus::Occurred)));
    record(r.add_diplomatic(&meeting("m2", "a2", "2025-03-11", EventStatus::Occurred)));
    // a syndicated copy of a1
    let mut copy = meeting("m3", "a3", "2025-03-11", EventStatus::Occurred);
    copy.duplicate_of = Some("a1".into());
    let e = record(r.add_diplomatic(&copy));
    assert_eq!(r.len(), 1);
    assert_eq!(e.mention_count, 3);
    assert_eq!(e.source_count, 3);
    assert_eq!(e.independent_count, 2, "the copy counts as its original");
    assert_eq!(e.first_seen, "2025-03-10");
    assert_eq!(e.last_updated, "2025-03-11");
    assert_eq!(e.mentions.len(), 3);
}

#[test]
fn a_redelivered_mention_changes_nothing() {
    let mut r = Resolver::new(ResolverConfig::default());
    let m = meeting("m1", "a1", "2025-03-10", EventStatus::Occurred);
    let first = record(r.add_diplomatic(&m));
    assert_eq!(r.add_diplomatic(&m), Outcome::Unchanged);
    let again = r.events().next().cloned().expect("one event");
    assert_eq!(again, first);
}

#[test]
fn ids_are_deterministic() {
    let run = || {
        let mut r = Resolver::new(ResolverConfig::default());
        record(r.add_diplomatic(&meeting("m1", "a1", "2025-03-10", EventStatus::Occurred))).id
    };
    assert_eq!(run(), run());
}

#[test]
fn a_planned_meeting_and_its_report_are_one_event_with_history() {
    let mut r = Resolver::new(ResolverConfig::default());
    let mut plan = meeting("p1", "a1", "2025-03-10", EventStatus::Planned);
    plan.date = Some(day("2025-03-13"));
    record(r.add_diplomatic(&plan));
    let mut held = meeting("h1", "a2", "2025-03-13", EventStatus::Occurred);
    held.date = Some(day("2025-03-13"));
    let e = record(r.add_diplomatic(&held));
    assert_eq!(r.len(), 1);
    assert_eq!(e.status, EventStatus::Occurred as i32);
    let history: Vec<i32> = e.status_history.iter().map(|c| c.status).collect();
    assert_eq!(
        history,
        [EventStatus::Planned as i32, EventStatus::Occurred as i32]
    );
    // a late report of the plan does not undo the outcome
    let late = meeting("p2", "a3", "2025-03-13", EventStatus::Planned);
    let e = record(r.add_diplomatic(&late));
    assert_eq!(e.status, EventStatus::Occurred as i32);
}

#[test]
fn other_participants_kinds_days_or_countries_are_other_events() {
    let mut r = Resolver::new(ResolverConfig::default());
    let mut first = meeting("m1", "a1", "2025-03-10", EventStatus::Occurred);
    first.date = Some(day("2025-03-10"));
    first.location = Some(Location {
        name: "Tallinn".into(),
        country: Some("EST".into()),
        ..Location::default()
    });
    record(r.add_diplomatic(&first));
    let mut other_people = meeting("m2", "a2", "2025-03-10", EventStatus::Occurred);
    other_people.participants[1] = person("Eva Lind", "actor:eva-lind");
    record(r.add_diplomatic(&other_people));
    let mut call = meeting("m3", "a3", "2025-03-10", EventStatus::Occurred);
    call.kind = DiplomaticKind::Call as i32;
    record(r.add_diplomatic(&call));
    let mut later = meeting("m4", "a4", "2025-03-20", EventStatus::Occurred);
    later.date = Some(day("2025-03-20"));
    record(r.add_diplomatic(&later));
    let mut elsewhere = meeting("m5", "a5", "2025-03-10", EventStatus::Occurred);
    elsewhere.location = Some(Location {
        name: "Ulaanbaatar".into(),
        country: Some("MNG".into()),
        ..Location::default()
    });
    record(r.add_diplomatic(&elsewhere));
    assert_eq!(r.len(), 5);
    // negotiate and meet are one class
    let mut talks = meeting("m6", "a6", "2025-03-10", EventStatus::Occurred);
    talks.kind = DiplomaticKind::Negotiate as i32;
    let e = record(r.add_diplomatic(&talks));
    assert_eq!(r.len(), 5);
    assert_eq!(e.mention_count, 2);
}

fn attack(id: &str, article: &str, published: &str, killed: u32) -> CasualtyReport {
    CasualtyReport {
        event_id: id.into(),
        article_id: article.into(),
        source: format!("outlet-{article}"),
        published: Some(published.into()),
        killed: Some(Count {
            low: Some(killed),
            qualifier: "at least".into(),
            text: format!("at least {killed}"),
            ..Count::default()
        }),
        country: Some("EST".into()),
        locations: vec![Location {
            name: "Valdera".into(),
            country: Some("EST".into()),
            geonames_id: Some(42),
            ..Location::default()
        }],
        date: Some(day("2025-03-10")),
        weapon: Some("car bomb".into()),
        ..CasualtyReport::default()
    }
}

#[test]
fn a_rising_toll_is_one_incident_with_revisions() {
    let mut r = Resolver::new(ResolverConfig::default());
    record(r.add_casualty(&attack("c1", "a1", "2025-03-10", 12)));
    record(r.add_casualty(&attack("c2", "a2", "2025-03-11", 20)));
    // an older, lower figure reported late does not lower the toll
    let e = record(r.add_casualty(&attack("c3", "a3", "2025-03-11", 9)));
    assert_eq!(r.len(), 1);
    let killed = e.killed.expect("a toll");
    assert_eq!(killed.low, Some(20));
    assert_eq!(killed.latest, Some(9), "the newest source's figure");
    let revisions: Vec<(Option<u32>, u32)> = e.revisions.iter().map(|v| (v.from, v.to)).collect();
    assert_eq!(revisions, [(Some(12), 20)]);
}

#[test]
fn another_day_place_or_weapon_is_another_incident() {
    let mut r = Resolver::new(ResolverConfig::default());
    record(r.add_casualty(&attack("c1", "a1", "2025-03-10", 12)));
    let mut later = attack("c2", "a2", "2025-03-14", 3);
    later.date = Some(day("2025-03-14"));
    record(r.add_casualty(&later));
    let mut elsewhere = attack("c3", "a3", "2025-03-10", 4);
    elsewhere.locations[0].geonames_id = Some(43);
    elsewhere.locations[0].name = "Montaro".into();
    record(r.add_casualty(&elsewhere));
    let mut shooting = attack("c4", "a4", "2025-03-10", 5);
    shooting.weapon = Some("rifle".into());
    record(r.add_casualty(&shooting));
    let mut war = attack("c5", "a5", "2025-03-10", 7000);
    war.cumulative = true;
    record(r.add_casualty(&war));
    assert_eq!(r.len(), 5);
}

#[test]
fn state_is_bounded_by_window_and_capacity() {
    let mut r = Resolver::new(ResolverConfig {
        window_days: 14,
        capacity: 3,
    });
    for i in 0..5u32 {
        let mut m = meeting(
            &format!("m{i}"),
            &format!("a{i}"),
            "2025-03-10",
            EventStatus::Occurred,
        );
        m.participants[1] = person(&format!("Person {i}"), &format!("actor:p{i}"));
        record(r.add_diplomatic(&m));
    }
    assert!(r.len() <= 3, "capacity: {}", r.len());
    let late = meeting("late", "b", "2025-04-30", EventStatus::Occurred);
    record(r.add_diplomatic(&late));
    assert_eq!(r.len(), 1, "the window closed the March events");
}

#[test]
fn two_events_a_later_mention_shows_to_be_one_are_merged() {
    let mut r = Resolver::new(ResolverConfig::default());
    // Ruiz with Berg, then Ruiz, Berg's colleague Lind and a third official: two events
    record(r.add_diplomatic(&meeting("m1", "a1", "2025-03-10", EventStatus::Occurred)));
    let mut three = meeting("m2", "a2", "2025-03-10", EventStatus::Occurred);
    three.participants = vec![
        person("Ana Ruiz", "actor:ana-ruiz"),
        person("Eva Lind", "actor:eva-lind"),
        person("Tom Vik", "actor:tom-vik"),
    ];
    record(r.add_diplomatic(&three));
    assert_eq!(r.len(), 2);
    // a report naming all of them ties the two together
    let mut all = meeting("m3", "a3", "2025-03-10", EventStatus::Occurred);
    all.participants.push(person("Eva Lind", "actor:eva-lind"));
    let e = record(r.add_diplomatic(&all));
    assert_eq!(r.len(), 1, "{:#?}", r.events().collect::<Vec<_>>());
    assert_eq!(e.mention_count, 3);
    assert_eq!(r.take_retired().len(), 1);
    assert!(r.take_retired().is_empty());
}

#[test]
fn mention_references_are_capped_and_counts_are_not() {
    let mut r = Resolver::new(ResolverConfig::default());
    let n = eventwire_resolver::MAX_MENTION_REFS + 50;
    let mut last = None;
    for i in 0..n {
        let m = meeting(
            &format!("m{i}"),
            &format!("a{i}"),
            "2025-03-10",
            EventStatus::Occurred,
        );
        last = Some(record(r.add_diplomatic(&m)));
    }
    let e = last.expect("records");
    assert_eq!(r.len(), 1);
    assert_eq!(e.mention_count as usize, n);
    assert_eq!(e.source_count as usize, n);
    assert_eq!(e.mentions.len(), eventwire_resolver::MAX_MENTION_REFS);
}
