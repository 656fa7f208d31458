//! The event rules on sentences written for these tests (no sample article, no sample name):
//! kinds, statuses, participants, places, dates, merging, anaphora, casualty conventions.
use eventwire_schema::v1::{
    CasualtyReport, CleanArticle, DiplomaticEvent, DiplomaticKind, EventStatus, ParticipantKind,
};
use eventwire_tagger::tag;

fn article(body: &str, published: &str) -> CleanArticle {
    CleanArticle {
        id: "t1".into(),
        body: body.into(),
        published: Some(published.into()),
        ..CleanArticle::default()
    }
}

fn events(body: &str, published: &str) -> Vec<DiplomaticEvent> {
    tag(&article(body, published)).diplomatic
}

fn casualties(body: &str, published: &str) -> Vec<CasualtyReport> {
    tag(&article(body, published)).casualties
}

fn kind(e: &DiplomaticEvent) -> DiplomaticKind {
    DiplomaticKind::try_from(e.kind).unwrap_or(DiplomaticKind::Unspecified)
}

fn status(e: &DiplomaticEvent) -> EventStatus {
    EventStatus::try_from(e.status).unwrap_or(EventStatus::Unspecified)
}

fn names(e: &DiplomaticEvent) -> Vec<String> {
    e.participants.iter().map(|p| p.name.clone()).collect()
}

fn has_country(e: &DiplomaticEvent, iso3: &str) -> bool {
    e.participants
        .iter()
        .any(|p| p.kind == ParticipantKind::Country as i32 && p.country.as_deref() == Some(iso3))
}

#[test]
fn planned_meeting_with_place_and_date() {
    let ev = events(
        "Norwegian Foreign Minister Espen Barth Eide will meet Turkish Foreign Minister Hakan Fidan in Ankara on Monday.",
        "2025-03-05",
    );
    assert_eq!(ev.len(), 1, "{ev:?}");
    let e = &ev[0];
    assert_eq!(kind(e), DiplomaticKind::Meet);
    assert_eq!(status(e), EventStatus::Planned);
    let n = names(e);
    assert!(
        n.iter().any(|x| x.ends_with("Eide")) && n.iter().any(|x| x.ends_with("Fidan")),
        "{n:?}"
    );
    assert_eq!(e.location.as_ref().map(|l| l.name.as_str()), Some("Ankara"));
    assert!(e.location.as_ref().and_then(|l| l.lat).is_some());
    assert_eq!(
        e.date.as_ref().map(|d| d.value.as_str()),
        Some("2025-03-10")
    );
    assert_eq!(e.cameo, "036");
    assert_eq!(e.plover_event, "AGREE");
}

#[test]
fn occurred_visit_has_destination() {
    let ev = events(
        "Indian Prime Minister Narendra Modi visited Kyiv on Friday, his first trip to the country.",
        "2024-08-26",
    );
    let v = ev
        .iter()
        .find(|e| kind(e) == DiplomaticKind::Visit)
        .expect("a visit");
    assert_eq!(status(v), EventStatus::Occurred);
    assert_eq!(v.location.as_ref().map(|l| l.name.as_str()), Some("Kyiv"));
    assert_eq!(
        v.date.as_ref().map(|d| d.value.as_str()),
        Some("2024-08-23")
    );
    assert_eq!((v.cameo.as_str(), v.plover_mode.as_str()), ("042", "visit"));
    assert_eq!(ev.len(), 1, "the trip is the same visit: {ev:?}");
}

#[test]
fn phone_call() {
    let ev = events(
        "Chinese President Xi Jinping held a phone call with Brazilian President Luiz Inacio Lula da Silva on Tuesday.",
        "2025-01-10",
    );
    assert_eq!(ev.len(), 1, "{ev:?}");
    assert_eq!(kind(&ev[0]), DiplomaticKind::Call);
    assert_eq!(status(&ev[0]), EventStatus::Occurred);
    assert_eq!(
        (ev[0].cameo.as_str(), ev[0].plover_mode.as_str()),
        ("041", "phone")
    );
}

#[test]
fn agreement_between_states() {
    let ev = events(
        "Armenia and Azerbaijan signed a peace agreement in Washington on Friday, the White House said.",
        "2025-08-10",
    );
    assert_eq!(ev.len(), 1, "{ev:?}");
    let e = &ev[0];
    assert_eq!(kind(e), DiplomaticKind::Agree);
    assert!(
        has_country(e, "ARM") && has_country(e, "AZE"),
        "{:?}",
        e.participants
    );
    assert_eq!(
        e.location.as_ref().map(|l| l.name.as_str()),
        Some("Washington")
    );
    assert_eq!(e.cameo, "057");
    assert_eq!(
        e.reported_by.first().map(|r| r.name.as_str()),
        Some("White House")
    );
}

#[test]
fn cancelled_and_denied() {
    let ev = events(
        "The meeting between Hungarian Prime Minister Viktor Orban and Slovak Prime Minister Robert Fico was cancelled.",
        "2025-02-01",
    );
    assert_eq!(ev.len(), 1, "{ev:?}");
    assert_eq!(status(&ev[0]), EventStatus::Cancelled);
    let ev = events(
        "Hungarian Prime Minister Viktor Orban did not meet Slovak Prime Minister Robert Fico in Bratislava.",
        "2025-02-01",
    );
    assert_eq!(ev.len(), 1, "{ev:?}");
    assert_eq!(status(&ev[0]), EventStatus::Denied);
}

#[test]
fn demands_are_not_events() {
    let ev = events(
        "Germany urged Serbia and Kosovo to meet in Brussels to settle their dispute.",
        "2025-02-01",
    );
    assert!(ev.is_empty(), "{ev:?}");
}

#[test]
fn one_event_for_many_mentions() {
    let body = "French President Emmanuel Macron met German Chancellor Friedrich Merz in Berlin on Monday.\n\n\
                The meeting lasted three hours.\n\n\
                Macron said after his talks with Merz that both leaders want a common defence budget.";
    let ev = events(body, "2025-06-04");
    assert_eq!(ev.len(), 1, "{ev:?}");
    assert_eq!(ev[0].evidence.len(), 3, "{:?}", ev[0].evidence);
    // evidence offsets index the body in chars
    let chars: Vec<char> = body.chars().collect();
    for x in &ev[0].evidence {
        let s: String = chars[x.start as usize..x.end as usize].iter().collect();
        assert_eq!(s, x.sentence);
    }
    // redelivery gives the same ids
    assert_eq!(ev[0].event_id, events(body, "2025-06-04")[0].event_id);
}

#[test]
fn another_round_is_a_new_event() {
    let body = "Egypt and Ethiopia held talks in Cairo on Saturday on the Nile dam.\n\n\
                Another round is scheduled for next week in Addis Ababa.";
    let ev = events(body, "2025-05-12");
    assert_eq!(ev.len(), 2, "{ev:?}");
    assert!(ev
        .iter()
        .all(|e| has_country(e, "EGY") && has_country(e, "ETH")));
    assert_eq!(status(&ev[0]), EventStatus::Occurred);
    assert_eq!(status(&ev[1]), EventStatus::Planned);
    assert_eq!(
        kind(&ev[0]),
        DiplomaticKind::Negotiate,
        "states without people negotiate"
    );
}

#[test]
fn casualty_figures_follow_the_conventions() {
    let c = casualties(
        "A Russian air strike killed 14 people, including six children, in Kharkiv on Tuesday, regional officials said.",
        "2025-03-20",
    );
    assert_eq!(c.len(), 1, "{c:?}");
    let r = &c[0];
    let k = r.killed.as_ref().expect("killed");
    assert_eq!(
        (k.low, k.high, k.qualifier.as_str()),
        (Some(14), Some(14), "exact")
    );
    let kids = r
        .victims
        .iter()
        .find(|v| v.group == "children")
        .expect("children");
    assert_eq!(kids.count.as_ref().and_then(|c| c.low), Some(6));
    assert_eq!(
        r.locations.first().map(|l| l.name.as_str()),
        Some("Kharkiv")
    );
    assert_eq!(
        r.perpetrator.as_ref().and_then(|p| p.country.as_deref()),
        Some("RUS")
    );
    assert_eq!(r.weapon.as_deref(), Some("air strike"));
    assert_eq!(
        r.date.as_ref().map(|d| d.value.as_str()),
        Some("2025-03-18")
    );

    let c = casualties(
        "Between 30 and 40 people were killed and up to 60 were injured.",
        "2025-03-20",
    );
    let k = c[0].killed.as_ref().expect("killed");
    assert_eq!(
        (k.low, k.high, k.qualifier.as_str()),
        (Some(30), Some(40), "range")
    );
    let i = c[0].injured.as_ref().expect("injured");
    assert_eq!(
        (i.low, i.high, i.qualifier.as_str()),
        (None, Some(60), "up to")
    );

    let c = casualties("Shelling left dozens of civilians wounded.", "2025-03-20");
    let i = c[0].injured.as_ref().expect("injured");
    assert_eq!(
        (i.low, i.high, i.qualifier.as_str()),
        (Some(12), None, "vague")
    );
}

#[test]
fn numbers_that_are_not_casualties() {
    for s in [
        "The city of 2.4 million people has been under siege, and one man was killed.",
        "The 45-year-old was injured last year.",
        "Some 5,000 troops were deployed and 30 countries backed the plan, but nobody was hurt.",
        "He promised to end the war in 24 hours.",
    ] {
        let c = casualties(s, "2025-03-20");
        assert!(
            c.iter()
                .all(|r| r.killed.as_ref().and_then(|k| k.low) != Some(2_400_000)
                    && r.injured.as_ref().and_then(|k| k.low) != Some(45)
                    && r.injured.as_ref().and_then(|k| k.low) != Some(5000)
                    && r.killed.as_ref().and_then(|k| k.low) != Some(24)),
            "{s}: {c:?}"
        );
    }
}
