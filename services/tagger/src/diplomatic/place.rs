//! Where a mention happens: the place in its clause, a visit's destination, a capital named
//! by its country, a host's country.

use eventwire_gazetteer::Gazetteer;
use eventwire_nlp::EntityKind;
use eventwire_schema::v1::DiplomaticKind;

use super::{Clause, Party};
use crate::facts::{capital_of, place_of, Place};
use crate::lexicon::Form;
use crate::view::TokEnt;
use crate::words;
use crate::words::Role;

/// Where an event happens, and the entities that name a visit's destination (which are not
/// its participants).
pub(super) struct EventPlace {
    pub(super) location: Option<Place>,
    pub(super) destinations: Vec<usize>,
}

/// The place: a place modifying a nominal trigger ("the Paris talks"), "in/at X" in the
/// clause, or a visit's destination ([`visit_destination`]); a city beats its country ("in
/// Russia's St. Petersburg"); "the French capital" is the capital from the gazetteer.
pub(super) fn event_place(c: &Clause<'_, '_>, gaz: &Gazetteer) -> EventPlace {
    let v = c.v;
    let is_visit = c.trigger.kind == DiplomaticKind::Visit && !c.trigger.receive;
    let mut location: Option<Place> = None;
    let mut location_tok: Option<usize> = None;
    for k in c.head.saturating_sub(3)..c.head {
        if let Some(id) = v.ent_at[k] {
            let e = c.entity(&v.ents[id]);
            if e.kind == EntityKind::Place && c.contains(k) {
                location = Some(place_of(e, gaz));
                location_tok = Some(v.ents[id].a);
            }
        }
    }
    let mut destinations: Vec<usize> = Vec::new();
    for (id, te) in v.ents.iter().enumerate() {
        if !c.contains(te.a) || v.topic[te.a] {
            continue;
        }
        let e = c.entity(te);
        if !matches!(e.kind, EntityKind::Place | EntityKind::Country)
            || (e.kind == EntityKind::Country && e.role.as_deref() == Some("demonym"))
        {
            continue;
        }
        if city_follows(c, te) {
            // "in Russia's St. Petersburg": the city, not the country
            destinations.push(id);
            continue;
        }
        let is_dest = is_visit && visit_destination(c, te);
        let is_in = place_preposition_before(c, te);
        if is_dest || (is_in && (!is_visit || location.is_none())) {
            let p = place_of(e, gaz);
            let better = match &location {
                None => true,
                Some(cur) => p.level > cur.level && location_tok.is_some_and(|t| t < te.a),
            };
            if better || (is_dest && location_tok.is_none_or(|t| t < c.head)) {
                location = Some(p);
                location_tok = Some(te.a);
            }
            destinations.push(id);
        }
    }
    if location.is_none() && is_visit {
        location = capital_named(c, gaz);
    }
    EventPlace {
        location,
        destinations,
    }
}

/// Whether a place entity after a visit trigger is where the visit goes: "to/in/for/at X",
/// "visited X", "to the X".
pub(super) fn visit_destination(c: &Clause<'_, '_>, te: &TokEnt) -> bool {
    let prev = c.before(te.a);
    let prev2 = c.before(te.a.saturating_sub(1));
    te.a > c.head
        && (words::has_role(prev, Role::DestinationPreposition)
            || (te.a == c.after_head() && c.trigger.form == Form::Verb)
            || (prev == "the" && words::has_role(prev2, Role::DestinationPreposition)))
}

/// "in X", "at X", "in the X", and "in Russia's St. Petersburg" for the city.
pub(super) fn place_preposition_before(c: &Clause<'_, '_>, te: &TokEnt) -> bool {
    let v = c.v;
    let prev = c.before(te.a);
    let prev2 = c.before(te.a.saturating_sub(1));
    let owner_prev = (prev == "'s")
        .then(|| te.a.checked_sub(2).and_then(|k| v.ent_at[k]))
        .flatten()
        .map(|oid| c.before(v.ents[oid].a))
        .unwrap_or("");
    let located = |w: &str| words::has_role(w, Role::LocationPreposition);
    located(prev) || (prev == "the" && prev2 == "in") || located(owner_prev)
}

/// Whether a country entity is followed by "'s" and a place ("Russia's St. Petersburg").
pub(super) fn city_follows(c: &Clause<'_, '_>, te: &TokEnt) -> bool {
    let v = c.v;
    v.w(te.b) == "'s"
        && v.ent_at
            .get(te.b + 1)
            .copied()
            .flatten()
            .is_some_and(|nid| c.entity(&v.ents[nid]).kind == EntityKind::Place)
}

/// "the French capital": the capital of the country before "capital", from the gazetteer.
pub(super) fn capital_named(c: &Clause<'_, '_>, gaz: &Gazetteer) -> Option<Place> {
    let v = c.v;
    (c.after_head()..v.len().saturating_sub(1))
        .filter(|&k| c.contains(k) && v.w(k + 1) == "capital")
        .filter_map(|k| v.ent_at[k])
        .find_map(|id| {
            let e = c.entity(&v.ents[id]);
            e.country.as_deref().and_then(|code| capital_of(gaz, code))
        })
}

/// A received guest's visit without a named place happens in the host's country.
pub(super) fn host_country(
    parties: &[Party],
    travellers: &[String],
    gaz: &Gazetteer,
) -> Option<Place> {
    let host = parties
        .iter()
        .find(|p| !travellers.contains(&p.key) && p.country.is_some())?;
    let code = host.country.as_deref()?;
    let country = gaz.country(code)?;
    Some(Place {
        name: country.name.clone(),
        country: Some(code.to_string()),
        lat: None,
        lon: None,
        geonames_id: None,
        level: 1,
    })
}

pub(super) fn is_place_preposition(w: &str) -> bool {
    words::has_role(w, Role::PlacePreposition)
}

#[cfg(test)]
mod tests {
    use super::super::clause_in_test::with_clause;
    use super::*;
    use crate::context::TagContext;

    fn place_name(sentence: &str, word: &str) -> Option<String> {
        let gaz = TagContext::embedded().gazetteer;
        with_clause(sentence, word, |c| {
            event_place(c, gaz).location.map(|p| p.name)
        })
    }

    #[test]
    fn the_place_in_the_clause_is_the_events() {
        assert_eq!(
            place_name("Ana Ruiz met Lars Berg in Tallinn on Monday.", "met").as_deref(),
            Some("Tallinn")
        );
        assert_eq!(
            place_name("Ana Ruiz flew to Ulaanbaatar on Monday.", "flew").as_deref(),
            Some("Ulaanbaatar")
        );
    }

    #[test]
    fn a_clause_without_a_place_has_none() {
        assert_eq!(place_name("Ana Ruiz met Lars Berg on Monday.", "met"), None);
    }

    #[test]
    fn place_prepositions_are_data() {
        assert!(is_place_preposition("in") && is_place_preposition("towards"));
        assert!(!is_place_preposition("with"));
    }
}
