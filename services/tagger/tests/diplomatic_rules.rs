//! The diplomatic event rules, one test per error class of the event-extraction issue, on
//! sentences written for these tests (invented people; no development-set sentence, name or
//! figure).
use eventwire_schema::v1::{CleanArticle, DiplomaticEvent, DiplomaticKind, EventStatus};
use eventwire_tagger::tag;

fn events(body: &str) -> Vec<DiplomaticEvent> {
    let article = CleanArticle {
        id: "d1".into(),
        body: body.into(),
        published: Some("2025-03-12".into()),
        ..CleanArticle::default()
    };
    tag(&article).diplomatic
}

fn kind(e: &DiplomaticEvent) -> DiplomaticKind {
    DiplomaticKind::try_from(e.kind).unwrap_or(DiplomaticKind::Unspecified)
}

fn status(e: &DiplomaticEvent) -> EventStatus {
    EventStatus::try_from(e.status).unwrap_or(EventStatus::Unspecified)
}

fn has_party(e: &DiplomaticEvent, name: &str) -> bool {
    e.participants
        .iter()
        .any(|p| p.name.contains(name) || p.country.as_deref() == Some(name))
}

/// The only event of `body`, which must be of `kind`.
fn only(body: &str, k: DiplomaticKind) -> DiplomaticEvent {
    let ev = events(body);
    assert_eq!(ev.len(), 1, "{body}\n{ev:#?}");
    assert_eq!(kind(&ev[0]), k, "{body}\n{ev:#?}");
    ev[0].clone()
}

fn none(body: &str) {
    let ev = events(body);
    assert!(ev.is_empty(), "{body}\n{ev:#?}");
}

// --- agreements ---------------------------------------------------------------------------

#[test]
fn states_agreeing_on_or_to_something_agree() {
    for body in [
        "Chile and Peru agreed on a new border commission on Tuesday.",
        "Chile and Peru agreed to reopen their embassies.",
        "Chile and Peru agreed upon a fishing quota for the disputed waters.",
    ] {
        let e = only(body, DiplomaticKind::Agree);
        assert!(
            has_party(&e, "CHL") && has_party(&e, "PER"),
            "{body}\n{e:#?}"
        );
        assert_eq!(status(&e), EventStatus::Occurred, "{body}");
    }
}

#[test]
fn reaching_striking_or_signing_an_agreement_is_agreeing() {
    for body in [
        "Ghana reached a ceasefire with Togo on Monday.",
        "Ghana struck a trade deal with Togo.",
        "Ghana sealed a truce with Togo after weeks of clashes.",
        "Ghana and Togo signed a memorandum on water sharing.",
        "Ghana and Togo signed a defence pact in Accra.",
    ] {
        let e = only(body, DiplomaticKind::Agree);
        assert!(
            has_party(&e, "GHA") && has_party(&e, "TGO"),
            "{body}\n{e:#?}"
        );
    }
}

#[test]
fn an_agreement_named_with_its_parties_is_an_agreement() {
    let e = only(
        "The agreement between Ghana and Togo covers fishing rights.",
        DiplomaticKind::Agree,
    );
    assert!(has_party(&e, "GHA") && has_party(&e, "TGO"), "{e:#?}");
}

#[test]
fn an_agreement_in_force_is_no_agree_event() {
    // held or standing: the agreement was made some other time
    none("Ghana has an agreement with Togo to share radar data over the lake.");
    none("Ana Ruiz objected to a pre-existing deal between Ghana and Togo on fishing quotas.");
    none("Under the 2019 accord with Togo, Ghana patrols the lake.");
    // reaching one is still agreeing
    only(
        "Ghana has reached an agreement with Togo to share radar data.",
        DiplomaticKind::Agree,
    );
}

#[test]
fn parties_named_by_an_agreement_they_signed_are_no_new_agreement() {
    let body = "Delegates of Ghana, Togo and Benin, the states that signed the treaty, will meet in Lome on Monday.";
    assert!(
        events(body)
            .iter()
            .all(|e| kind(e) != DiplomaticKind::Agree),
        "{:#?}",
        events(body)
    );
    // signing it is news
    only(
        "Ghana and Togo signed the treaty on Monday.",
        DiplomaticKind::Agree,
    );
}

#[test]
fn agreeing_in_opinion_is_no_agreement() {
    none("Chile and Peru agree on the need for calm.");
    none("Chile and Peru agree that the region needs calm.");
}

// --- talks --------------------------------------------------------------------------------

#[test]
fn resumed_talks_are_talks() {
    let e = only(
        "Ghana and Togo resumed talks on their maritime border on Monday.",
        DiplomaticKind::Negotiate,
    );
    assert!(has_party(&e, "GHA") && has_party(&e, "TGO"), "{e:#?}");
    assert_eq!(status(&e), EventStatus::Occurred);
}

#[test]
fn a_new_round_of_negotiations_in_a_place() {
    let body = "Ghana and Togo held negotiations on fishing rights in Accra on Monday.\n\n\
                A new round of negotiations in Lome is planned for next month.";
    let ev = events(body);
    assert_eq!(ev.len(), 2, "{ev:#?}");
    let next = &ev[1];
    assert_eq!(status(next), EventStatus::Planned, "{next:#?}");
    assert_eq!(
        next.location.as_ref().map(|l| l.name.as_str()),
        Some("Lome")
    );
    assert!(
        has_party(next, "GHA") && has_party(next, "TGO"),
        "{next:#?}"
    );
}

#[test]
fn collective_participants_count_as_sides() {
    let e = only(
        "Delegations from Ghana and Togo met in Accra on Monday.",
        DiplomaticKind::Negotiate,
    );
    assert!(has_party(&e, "GHA") && has_party(&e, "TGO"), "{e:#?}");
    let e = only(
        "Foreign Minister Ana Ruiz met the two sides in Lisbon on Monday.",
        DiplomaticKind::Meet,
    );
    assert!(
        has_party(&e, "Ana Ruiz") && has_party(&e, "two sides"),
        "{e:#?}"
    );
    // "the two sides" alone, with nobody named, is not yet an event
    none("The two sides met again on Monday.");
}

// --- offers and promises --------------------------------------------------------------------

/// Decision (docs/events.md): promises and offers of aid are not agreements; eventwire
/// reports none.
#[test]
fn promises_of_aid_are_not_events() {
    none("Ghana will provide aid to Togo after the floods.");
    none("Ghana promised to send food to Togo.");
}

// --- status -------------------------------------------------------------------------------

#[test]
fn refused_and_declined_meetings_are_denied() {
    for body in [
        "Foreign Minister Ana Ruiz refused to meet Foreign Minister Lars Berg in Oslo.",
        "Foreign Minister Ana Ruiz declined to meet Foreign Minister Lars Berg in Oslo.",
    ] {
        let e = only(body, DiplomaticKind::Meet);
        assert_eq!(status(&e), EventStatus::Denied, "{body}");
    }
}

#[test]
fn cancelled_and_postponed_meetings_are_cancelled() {
    for body in [
        "The meeting between Foreign Minister Ana Ruiz and Foreign Minister Lars Berg was cancelled.",
        "The meeting between Foreign Minister Ana Ruiz and Foreign Minister Lars Berg was postponed.",
    ] {
        let e = only(body, DiplomaticKind::Meet);
        assert_eq!(status(&e), EventStatus::Cancelled, "{body}");
    }
}

#[test]
fn offers_to_mediate_or_host_talks_are_hypothetical() {
    let ev = events("Norway offered to mediate talks between Ghana and Togo.");
    assert!(!ev.is_empty(), "{ev:#?}");
    assert!(
        ev.iter().all(|e| status(e) == EventStatus::Hypothetical),
        "{ev:#?}"
    );
}

#[test]
fn negation_reaches_a_denial_but_not_an_embedded_question() {
    let e = only(
        "Foreign Minister Ana Ruiz denied that she had met Foreign Minister Lars Berg.",
        DiplomaticKind::Meet,
    );
    assert_eq!(status(&e), EventStatus::Denied);
    let e = only(
        "Foreign Minister Ana Ruiz did not say where she met Foreign Minister Lars Berg.",
        DiplomaticKind::Meet,
    );
    assert_eq!(status(&e), EventStatus::Occurred);
}

// --- not diplomatic -----------------------------------------------------------------------

#[test]
fn private_people_meeting_are_no_diplomatic_event() {
    none(
        "Sam Cole met his brother Ben Cole and his lawyer Jim Hale at the court hearing in Porto.",
    );
    none("The two brothers met their cousins in a cafe in Porto.");
    none("Relatives met the suspects at the court hearing in Porto.");
}

#[test]
fn a_programme_name_is_no_meeting() {
    none("Senator Tom Cole and Foreign Minister Ana Ruiz appeared on Meet the Press on Sunday.");
    none("Foreign Minister Ana Ruiz said on Meet the Press that Chile would not back down.");
}

#[test]
fn a_travel_ban_is_no_visit() {
    none("The ban on travel to Chile angered Peru.");
    none("Peru announced a travel ban on Chile.");
}

#[test]
fn photo_credits_are_no_participants() {
    let ev = events(
        "(Tom Marlow) During a meeting in Lisbon, Foreign Minister Ana Ruiz and Foreign Minister Lars Berg discussed trade.",
    );
    assert!(!ev.is_empty(), "{ev:#?}");
    assert!(ev.iter().all(|e| !has_party(e, "Marlow")), "{ev:#?}");
}

#[test]
fn a_headline_fragment_is_no_participant() {
    let ev = events(
        "Ruiz Heads to Oslo as Storm Tightens Grip on Coast-Foreign Minister Ana Ruiz will travel to Oslo on Monday.",
    );
    assert!(!ev.is_empty(), "{ev:#?}");
    assert!(ev.iter().all(|e| !has_party(e, "Tightens")), "{ev:#?}");
    none("Aid Convoy Heading to Ruralia as Storm Tightens Grip on Coast");
    none("A humanitarian convoy headed to Lisbon on Monday.");
}

#[test]
fn a_visiting_scholar_is_no_visit() {
    let ev = events("Tom Marlow, a visiting scholar from Chile, met Foreign Minister Ana Ruiz.");
    assert!(
        ev.iter().all(|e| kind(e) != DiplomaticKind::Visit),
        "{ev:#?}"
    );
    none("Tom Marlow, a visiting scholar at the institute, said the talks would fail.");
}

#[test]
fn an_official_trip_at_home_is_no_diplomatic_visit() {
    none("Prime Minister Ana Ruiz of Portugal visited Porto on Monday to see the flood damage.");
}

// --- kinds --------------------------------------------------------------------------------

#[test]
fn receiving_a_visiting_leader_is_the_guest_visiting() {
    let e = only(
        "Portuguese Prime Minister Ana Ruiz received Norwegian Prime Minister Lars Berg in Lisbon on Monday.",
        DiplomaticKind::Visit,
    );
    assert!(has_party(&e, "Lars Berg"), "{e:#?}");
    assert_eq!(e.location.as_ref().map(|l| l.name.as_str()), Some("Lisbon"));
    none("Portuguese Prime Minister Ana Ruiz welcomed the decision.");
}

#[test]
fn a_phone_call_is_a_call_not_talks() {
    for body in [
        "Foreign Minister Ana Ruiz spoke by phone with Foreign Minister Lars Berg on Monday.",
        "Foreign Minister Ana Ruiz made a round of telephone calls to Foreign Minister Lars Berg and others.",
        "Foreign Minister Ana Ruiz spoke with Foreign Minister Lars Berg on the telephone.",
    ] {
        let e = only(body, DiplomaticKind::Call);
        assert!(has_party(&e, "Ana Ruiz") && has_party(&e, "Lars Berg"), "{body}\n{e:#?}");
    }
}

#[test]
fn ahead_of_meeting_someone_is_a_planned_meeting() {
    let e = only(
        "Foreign Minister Ana Ruiz spoke to reporters ahead of meeting Foreign Minister Lars Berg on Friday.",
        DiplomaticKind::Meet,
    );
    assert_eq!(status(&e), EventStatus::Planned, "{e:#?}");
    assert!(has_party(&e, "Lars Berg"), "{e:#?}");
}

#[test]
fn meeting_obligations_is_no_meeting() {
    none("Portugal and Norway met their obligations under the treaty.");
    none("The plan is meeting with resistance from Chile and Peru.");
}

// --- participants -------------------------------------------------------------------------

#[test]
fn a_fronted_visit_is_made_by_the_subject_after_it() {
    let e = only(
        "During a visit to Oslo, Foreign Minister Ana Ruiz said the fishing talks had failed.",
        DiplomaticKind::Visit,
    );
    assert!(has_party(&e, "Ana Ruiz"), "{e:#?}");
    assert_eq!(e.location.as_ref().map(|l| l.name.as_str()), Some("Oslo"));
}

#[test]
fn a_meeting_as_a_trips_purpose_is_its_own_event() {
    let ev = events("Foreign Minister Ana Ruiz flew to Oslo to meet Prime Minister Lars Berg.");
    let kinds: Vec<DiplomaticKind> = ev.iter().map(kind).collect();
    assert!(kinds.contains(&DiplomaticKind::Visit), "{ev:#?}");
    let meet = ev
        .iter()
        .find(|e| kind(e) == DiplomaticKind::Meet)
        .expect("a meeting");
    assert!(
        has_party(meet, "Ana Ruiz") && has_party(meet, "Lars Berg"),
        "{meet:#?}"
    );
}

#[test]
fn a_meeting_framing_its_clause_takes_the_clauses_people() {
    let e = only(
        "Foreign Minister Ana Ruiz asked Prime Minister Lars Berg, during a meeting in Oslo, to free the fishermen.",
        DiplomaticKind::Meet,
    );
    assert!(
        has_party(&e, "Ana Ruiz") && has_party(&e, "Lars Berg"),
        "{e:#?}"
    );
}

#[test]
fn a_date_after_a_call_is_no_topic() {
    // "on Sunday" dates the call: the people after it still take part
    let e = only(
        "Secretary of State Ana Ruiz was in Oslo. In a phone call on Sunday, Ruiz told Chilean Foreign Minister Omar Berg that the plan was sound, according to a summary of the call.",
        DiplomaticKind::Call,
    );
    assert!(
        has_party(&e, "Ana Ruiz") && has_party(&e, "Omar Berg"),
        "{e:#?}"
    );
}

#[test]
fn a_headline_verb_phrase_after_a_modal_is_no_participant() {
    let body = "Ghana: Fishing Deal With Togo Can Help Curb Smuggling - NORTHBRIDGE — -Ghana is urging Togo to sign a fishing deal.";
    for e in events(body) {
        assert!(!has_party(&e, "Help Curb"), "{body}\n{e:#?}");
    }
}

#[test]
fn a_meeting_with_one_official_implies_the_other_side() {
    // someone the story is about met the official: one named side is enough
    let e = only(
        "The notes come from a March 3 meeting with Prime Minister Lars Berg in Oslo.",
        DiplomaticKind::Meet,
    );
    assert!(has_party(&e, "Lars Berg"), "{e:#?}");
    // "the meeting with" refers back; a private person is no official
    none("The notes come from a March 3 meeting with Lars, a neighbour.");
}

#[test]
fn rivals_meeting_in_a_contest_are_no_meeting() {
    none("Governor Ana Ruiz and Senator Lars Berg met on Thursday in the third televised debate.");
    // a place after "in" is still a meeting
    only(
        "Foreign Minister Ana Ruiz and Foreign Minister Lars Berg met Monday night in Oslo.",
        DiplomaticKind::Meet,
    );
}

#[test]
fn other_states_officials_are_a_side() {
    let e = only(
        "Foreign Minister Ana Ruiz met foreign ministers in Oslo on Monday.",
        DiplomaticKind::Meet,
    );
    assert!(has_party(&e, "foreign ministers"), "{e:#?}");
    // a preposition far from the noun belongs to another phrase
    none("The suspension of the crisis talks undermines efforts by Foreign Minister Ana Ruiz.");
}

#[test]
fn a_truce_negotiated_by_states_is_their_negotiation_whatever_came_before() {
    let e = only(
        "The convoy was the first attempt to use a truce negotiated by Chile and Peru.",
        DiplomaticKind::Negotiate,
    );
    assert!(has_party(&e, "CHL") && has_party(&e, "PER"), "{e:#?}");
    assert_eq!(status(&e), EventStatus::Occurred, "{e:#?}");
}

// --- officials named by their office ------------------------------------------------------

#[test]
fn an_official_named_by_office_alone_is_a_side() {
    for body in [
        "The ambassador had a meeting with Ana Ruiz in the presidential palace.",
        "Ana Ruiz met with the prime minister of Mongolia in Ulaanbaatar.",
        "The Estonian foreign minister met Lars Berg on Tuesday.",
    ] {
        let e = only(body, DiplomaticKind::Meet);
        assert_eq!(e.participants.len(), 2, "{body}\n{e:#?}");
        assert!(
            e.participants
                .iter()
                .any(|p| p.role.is_some() && p.name.starts_with(['t', 'T'])),
            "{body}\n{e:#?}"
        );
    }
    // the country of "the Estonian foreign minister" is the minister's, not a third side
    let e = only(
        "The Estonian foreign minister met Lars Berg on Tuesday.",
        DiplomaticKind::Meet,
    );
    let minister = e
        .participants
        .iter()
        .find(|p| p.name == "The Estonian foreign minister")
        .expect("the minister");
    assert_eq!(minister.country.as_deref(), Some("EST"), "{e:#?}");
}

#[test]
fn an_office_that_is_no_ones_side_is_no_participant() {
    // a predicate ("named her a special envoy"), an owner ("the ambassador's residence"), an
    // office of a private body, and a lone official with people who are no state's side
    none("The president named Ana Ruiz a special envoy, and Ruiz met relatives of the sailors.");
    none("Relatives of the sailors met at the ambassador's residence on Monday.");
    none("Ana Ruiz met the president of the football club on Monday.");
    none("The president met reporters on Tuesday.");
}

#[test]
fn a_deal_that_is_the_goal_of_an_infinitive_is_planned() {
    let e = only(
        "Estonia is making concessions to get a deal with Mongolia before the summer.",
        DiplomaticKind::Agree,
    );
    assert_eq!(status(&e), EventStatus::Planned, "{e:#?}");
}

#[test]
fn a_relative_clause_without_commas_ends_before_the_main_verb() {
    // "who drafted the plan" is the ministers' clause; "met" is theirs, not the plan's (talks
    // of states without named people are negotiations)
    let e = only(
        "Ministers from Estonia and Mongolia who drafted the plan met in Geneva on Monday.",
        DiplomaticKind::Negotiate,
    );
    assert!(has_party(&e, "EST") && has_party(&e, "MNG"), "{e:#?}");
}

#[test]
fn a_participle_naming_a_standing_agreement_is_no_event() {
    none("A Estonia-brokered cease-fire fell apart last month, and the fighting resumed.");
    none("The negotiated truce held through the winter.");
}
