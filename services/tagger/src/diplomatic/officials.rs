//! Officials named by their office alone: "the ambassador had a meeting with Ruiz", "met the
//! French foreign minister", "talks with the prime minister of Mongolia". When no name stands for
//! them (the entity pass resolves "the minister" to a person named before, when it can), the
//! office is a side of the event all the same.

use eventwire_nlp::{EntityKind, RoleEntry};
use eventwire_schema::v1::ParticipantKind;

use super::{Clause, Party};
use crate::lexicon::is_determiner;

/// The parties the clause names by office only, within `scope`.
pub(super) fn officials_by_office(c: &Clause<'_, '_>, scope: &[bool]) -> Vec<Party> {
    let v = c.v;
    let mut out = Vec::new();
    let mut k = 0;
    while k < v.len() {
        let Some(len) = office_at(c, k) else {
            k += 1;
            continue;
        };
        let wanted = scope.get(k).copied().unwrap_or(false) && c.contains(k) && !v.topic[k];
        if wanted {
            if let Some(p) = unnamed_holder(c, k, len) {
                out.push(p);
            }
        }
        k += len;
    }
    out
}

/// The length in tokens of a state office starting at token `k` and not inside a name
/// ("foreign minister", "ambassador"); offices of other classes (mayors, judges, clergy,
/// commanders, spokespeople) and honorifics are not state sides.
pub(super) fn office_at(c: &Clause<'_, '_>, k: usize) -> Option<usize> {
    let v = c.v;
    if v.ent_at[k].is_some() {
        return None;
    }
    let matches_at = |e: &&RoleEntry| {
        e.words
            .iter()
            .enumerate()
            .all(|(i, w)| v.w(k + i).trim_end_matches('.') == w)
    };
    let entry = c.lexicon.roles_starting(v.w(k)).iter().find(matches_at)?;
    is_state_office(&entry.class).then_some(entry.words.len())
}

/// The role classes (`data/lexicon/roles.tsv`) whose holders act for a state.
pub(super) fn is_state_office(class: &str) -> bool {
    matches!(
        class,
        "head_of_state" | "head_of_government" | "minister" | "envoy" | "diplomat" | "royal"
    )
}

/// The party an office at `k..k + len` names when no one's name goes with it: it needs a
/// definite determiner ("the", "his"), with at most a country's adjective between ("the French
/// ambassador"), and no name beside it ("the minister, Ana Ruiz", "Ruiz, the minister",
/// "the president of the club").
pub(super) fn unnamed_holder(c: &Clause<'_, '_>, k: usize, len: usize) -> Option<Party> {
    let v = c.v;
    let end = k + len;
    let demonym = k
        .checked_sub(1)
        .and_then(|j| v.ent_at[j])
        .filter(|&id| c.entity(&v.ents[id]).kind == EntityKind::Country);
    let det_at = match demonym {
        Some(id) => v.ents[id].a.checked_sub(1)?,
        None => k.checked_sub(1)?,
    };
    let of_country = of_country_after(c, end);
    let name_end = of_country.map_or(end, |id| v.ents[id].b);
    // "the ambassador's residence": an owner, not a party
    let owner = matches!(v.w(name_end), "'s" | "'");
    if !is_office_determiner(v.w(det_at)) || owner || named_beside(c, det_at, name_end) {
        return None;
    }
    let (char_start, char_end) = (v.toks[det_at].char_start, v.toks[end - 1].char_end);
    if v.in_title(char_start, char_end) {
        return None;
    }
    if v.w(end) == "of" && of_country.is_none() {
        return None;
    }
    let country = demonym
        .or(of_country)
        .and_then(|id| c.entity(&v.ents[id]).country.clone());
    let role = v.slice(k, end).to_lowercase().replace(' ', "_");
    Some(Party {
        key: format!("office:{role}:{}", country.as_deref().unwrap_or("")),
        name: v.slice(det_at, name_end).to_string(),
        kind: ParticipantKind::Person,
        country,
        role: Some(role),
        id: None,
    })
}

/// Determiners that make an office one person of the story ("the minister", "their
/// ambassador"): any but the indefinite article ("named her a special envoy", "as a minister").
pub(super) fn is_office_determiner(w: &str) -> bool {
    is_determiner(w) && !matches!(w, "a" | "an")
}

/// Whether a person's name stands right beside the office phrase `a..b`, in apposition
/// ("Ana Ruiz, the minister", "the minister, Ana Ruiz") or after it ("the minister Ana Ruiz").
pub(super) fn named_beside(c: &Clause<'_, '_>, a: usize, b: usize) -> bool {
    let person =
        |j: Option<usize>| j.is_some_and(|j| c.v.is_kind(c.analysis, j, EntityKind::Person));
    let comma = |j: Option<usize>| j.is_some_and(|j| c.v.w(j) == ",");
    person(Some(b))
        || (comma(Some(b)) && person(Some(b + 1)))
        || (comma(a.checked_sub(1)) && person(a.checked_sub(2)))
}

/// The country entity of an "of" phrase right after an office ("the prime minister of Mongolia").
pub(super) fn of_country_after(c: &Clause<'_, '_>, end: usize) -> Option<usize> {
    let v = c.v;
    if v.w(end) != "of" {
        return None;
    }
    let j = if v.w(end + 1) == "the" {
        end + 2
    } else {
        end + 1
    };
    v.ent_at
        .get(j)
        .copied()
        .flatten()
        .filter(|&id| c.entity(&v.ents[id]).kind == EntityKind::Country)
}

#[cfg(test)]
mod tests {
    use super::super::clause_in_test::with_clause;
    use super::*;

    /// The names of the offices the clause headed by `word` names as parties.
    fn offices(sentence: &str, word: &str) -> Vec<String> {
        with_clause(sentence, word, |c| {
            let scope = vec![true; c.v.len()];
            officials_by_office(c, &scope)
                .into_iter()
                .map(|p| p.name)
                .collect()
        })
    }

    #[test]
    fn a_definite_office_is_a_party() {
        assert_eq!(
            offices("The ambassador met Ana Ruiz on Monday.", "met"),
            ["The ambassador"]
        );
        assert_eq!(
            offices("Ana Ruiz met the prime minister of Mongolia.", "met"),
            ["the prime minister of Mongolia"]
        );
    }

    #[test]
    fn an_office_beside_a_name_or_owning_something_is_none() {
        assert!(offices("The minister, Ana Ruiz, met Lars Berg.", "met").is_empty());
        assert!(offices("Ana Ruiz met Lars Berg at the ambassador's home.", "met").is_empty());
        assert!(offices("Ana Ruiz, a minister, met Lars Berg.", "met").is_empty());
        assert!(offices("Ana Ruiz met the president of the club.", "met").is_empty());
    }

    #[test]
    fn only_state_offices_count() {
        assert!(is_state_office("minister") && is_state_office("envoy"));
        assert!(!is_state_office("judiciary") && !is_state_office("honorific"));
    }
}
