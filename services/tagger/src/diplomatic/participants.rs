//! Who takes part in a mention: the tokens participants may come from, the entities and
//! groups among them, a visit's travellers, and whether a bare noun refers back.

use eventwire_nlp::{Entity, EntityKind};
use eventwire_schema::v1::{DiplomaticKind, ParticipantKind};

use super::place::is_place_preposition;
use super::{guest_after, Anaphor, Clause, Party};
use crate::lexicon::{
    is_bloc_adjective, is_body_noun, is_clause_opener, is_collective_noun, is_comma_clause_opener,
    is_determiner, is_group_noun, is_participant_preposition, is_support_verb, is_verb_lead_word,
    starts_title, Form,
};
use crate::view::{SegKind, TokEnt};
use crate::words;
use crate::words::Role;

/// "a meeting with the president", "after a meeting with the minister": a meeting noun
/// (not a verb, not "the meeting", which refers back) followed by "with" and one party.
pub(super) fn meeting_with_one_party(c: &Clause<'_, '_>, parties: &[Party]) -> bool {
    let v = c.v;
    c.trigger.kind == DiplomaticKind::Meet
        && c.trigger.form == Form::Noun
        && !c.verbal
        && v.w(c.after_head()) == "with"
        && indefinite_before(c)
        && parties.len() == 1
}

/// "a meeting", "a Feb. 14 meeting": the nearest determiner among the four words
/// before the head is indefinite.
pub(super) fn indefinite_before(c: &Clause<'_, '_>) -> bool {
    let v = c.v;
    let article = (c.head.saturating_sub(4)..c.head)
        .rev()
        .find(|&k| is_determiner(v.w(k)));
    article.is_some_and(|k| matches!(v.w(k), "a" | "an"))
}

/// The tokens participants may come from. A verb (or a noun with a support verb) takes its
/// whole clause. A bare noun takes a possessive right before it ("Witkoff's meeting", "his
/// recent meeting") and the phrases after it opened by a participant preposition ("talks
/// with", "a visit by"; "a call to" for calls).
pub(super) fn participant_scope(c: &Clause<'_, '_>) -> Vec<bool> {
    let v = c.v;
    let n = v.len();
    if c.verbal || in_clause_frame(c) {
        return vec![true; n];
    }
    let mut allowed = vec![false; n];
    // possessive owner
    let mut k = c.head;
    while k > c.start && k + 4 > c.head {
        k -= 1;
        let w = v.w(k);
        if words::has_role(w, Role::Possessive) {
            let owner_end = if matches!(w, "'s" | "'") { k } else { k + 1 };
            if let Some(id) = owner_end.checked_sub(1).and_then(|j| v.ent_at[j]) {
                for slot in &mut allowed[v.ents[id].a..v.ents[id].b] {
                    *slot = true;
                }
            } else if w == "their" {
                // "Ruiz and Berg arrive for their meeting": the clause's subjects own it
                return vec![true; n];
            }
            break;
        }
    }
    let mut open = false;
    // words (not names) since the trigger or the last participant: a preposition further on
    // belongs to another phrase ("talks undermine efforts by X"); "talks in Oslo on Monday
    // between" and "talks and contacts between" are near enough
    let mut gap = 0;
    for (j, slot) in allowed.iter_mut().enumerate().skip(c.after_head()) {
        if !c.contains(j) {
            break;
        }
        let w = v.w(j);
        let call_to = c.trigger.kind == DiplomaticKind::Call && w == "to";
        // "a meeting of European ministers", "the summit of the two leaders"
        let meeting_of = c.trigger.kind == DiplomaticKind::Meet && w == "of" && j == c.after_head();
        if (is_participant_preposition(w) || call_to || meeting_of) && gap <= 1 {
            open = true;
        } else if v.ent_at[j].is_none() && closes_participants(w) {
            open = false;
        }
        if open {
            *slot = true;
            gap = 0;
        } else if v.ent_at[j].is_none() && !matches!(w, "and" | "or" | ",") {
            gap += 1;
        }
    }
    allowed
}

/// "Ruiz asked Berg, during a meeting in Oslo, ..."; "in a phone call, Ruiz told Berg";
/// "Ruiz spoke after a meeting with Berg": a noun in a "during/in/at/after/before a ..."
/// phrase is the frame of its clause, whose subject and objects (and the main clause's,
/// for "after"/"before", which open a clause of their own) take part.
pub(super) fn in_clause_frame(c: &Clause<'_, '_>) -> bool {
    let v = c.v;
    // "after that call" refers back to a call told before
    let anaphoric = c.head > 0 && words::has_role(v.w(c.head - 1), Role::Demonstrative);
    // the preposition and a determiner after it: "in a call", "during their meeting"; not
    // "an impasse in negotiations"
    !anaphoric
        && (c.head.saturating_sub(4)..c.head.saturating_sub(1))
            .rev()
            .take_while(|&k| v.ent_at[k].is_none() && !v.is_punct(k))
            .any(|k| {
                words::has_role(v.w(k), Role::FramePreposition)
                    && (words::has_role(v.w(k + 1), Role::Article)
                        || words::has_role(v.w(k + 1), Role::Possessive))
            })
}

/// Words that end a nominal trigger's participant phrase ("talks with Iran on its programme").
pub(super) fn closes_participants(w: &str) -> bool {
    words::has_role(w, Role::ClosesParticipants)
}

/// "During a visit to Oslo, the minister said ...": the first entity after the fronted
/// phrase's comma is who made the visit, talks or call; in "In a call, Ruiz told Berg ..."
/// the one told takes part too. Their first tokens.
pub(super) fn fronted_phrase_subject(c: &Clause<'_, '_>) -> Vec<usize> {
    let v = c.v;
    let Some(subject) = fronted_subject_token(c) else {
        return Vec::new();
    };
    let mut out = vec![subject];
    let end = v.ent_at[subject].map_or(subject + 1, |id| v.ents[id].b);
    if words::has_role(v.w(end), Role::TellVerb) {
        // the one told: the next person (past a title's demonym)
        let told =
            (end + 1..v.len().min(end + 6)).find(|&j| v.is_kind(c.analysis, j, EntityKind::Person));
        out.extend(told);
    }
    out
}

pub(super) fn fronted_subject_token(c: &Clause<'_, '_>) -> Option<usize> {
    let v = c.v;
    let opener = (c.head.saturating_sub(4)..c.head)
        .find(|&i| words::has_role(v.w(i), Role::FrontedOpener))?;
    if opener > 1 {
        return None;
    }
    let comma = (c.after_head()..v.len().min(c.after_head() + 12)).find(|&i| v.w(i) == ",")?;
    // a person first ("U.N. humanitarian chief Ana Ruiz": Ruiz, not the U.N. of her title)
    let window = comma + 1..v.len().min(comma + 9);
    let person = window
        .clone()
        .find(|&i| v.is_kind(c.analysis, i, EntityKind::Person));
    let first = person.or_else(|| window.clone().find(|&i| v.ent_at[i].is_some()))?;
    let te = v.ent_at[first].map(|id| v.ents[id])?;
    matches!(
        c.entity(&te).kind,
        EntityKind::Person | EntityKind::Organization | EntityKind::Country
    )
    .then_some(te.a)
}

/// The participants: the entities of the clause inside the scope (and a relative clause's
/// antecedent, and the subject after a fronted phrase), not destinations nor topics; groups
/// of officials named by a bloc ("European officials") or a number ("the two sides"); and,
/// for a verb in a clause without its own subject ("before heading to Africa"), the main
/// clause's subject.
pub(super) fn participants_of(
    c: &Clause<'_, '_>,
    scope: &[bool],
    destinations: &[usize],
) -> Vec<Party> {
    let v = c.v;
    let antecedent = v.segs[c.seg].antecedent;
    let fronted = if c.verbal {
        Vec::new()
    } else {
        fronted_phrase_subject(c)
    };
    let mut parties: Vec<Party> = Vec::new();
    let mut has_subject = false;
    let add = |parties: &mut Vec<Party>, p: Party| {
        if !parties.iter().any(|x| x.key == p.key) {
            parties.push(p);
        }
    };
    let frame = !c.verbal && in_clause_frame(c);
    for (id, te) in v.ents.iter().enumerate() {
        let is_antecedent = antecedent == Some(id);
        let in_main = frame && v.segs[v.seg[te.a]].kind == SegKind::Main;
        let in_clause = ((c.contains(te.a) || in_main) && scope[te.a]) || is_antecedent;
        if !(in_clause || fronted.contains(&te.a)) || v.topic[te.a] || destinations.contains(&id) {
            continue;
        }
        if let Some(p) = party(c, te) {
            has_subject |= te.a < c.head && c.contains(te.a);
            add(&mut parties, p);
        }
    }
    for p in groups_of(c, scope) {
        add(&mut parties, p);
    }
    let offices = super::officials::officials_by_office(c, scope);
    // "the Chilean minister" is Chile's side: its official stands for it
    parties.retain(|p| {
        p.kind != ParticipantKind::Country || !offices.iter().any(|o| o.country == p.country)
    });
    for p in offices {
        add(&mut parties, p);
    }
    // a subject of common nouns ("and the king met X") is a subject all the same
    let common_subject = (c.start..c.head).any(|k| {
        let w = v.w(k);
        v.ent_at[k].is_none()
            && !v.is_punct(k)
            && !is_verb_lead_word(w)
            && !is_clause_opener(w)
            && !is_comma_clause_opener(w)
            && !is_support_verb(w)
            && !words::has_role(w, Role::Article)
            && w != "ahead"
            && v.trigger_at(k).is_none()
    });
    if c.verbal && v.segs[c.seg].kind == SegKind::Sub && !has_subject && !common_subject {
        let main = v
            .ents
            .iter()
            .filter(|te| v.segs[v.seg[te.a]].kind == SegKind::Main && te.a < c.head)
            .find_map(|te| party(c, te));
        if let Some(p) = main {
            add(&mut parties, p);
        }
    }
    parties
}

/// Groups of officials without a name: a bloc adjective with a group noun ("European
/// officials"), and a number with one ("the two sides", "both leaders").
pub(super) fn groups_of(c: &Clause<'_, '_>, scope: &[bool]) -> Vec<Party> {
    let v = c.v;
    let n = v.len();
    let mut out = Vec::new();
    for (k, &ok) in scope.iter().enumerate() {
        // "two" is a number entity; any other entity is no group word
        let named = v.ent_at[k].is_some() && !v.is_kind(c.analysis, k, EntityKind::Number);
        if !ok || !c.contains(k) || v.topic[k] || named {
            continue;
        }
        let w = v.w(k);
        let two = matches!(w, "both") || (w == "two" && c.before(k) == "the");
        // "foreign ministers" are other states' unless someone owns them ("Chile's foreign
        // and defence ministers", "his foreign counterparts")
        let owned = k > 0
            && (v.is_kind(c.analysis, k - 1, EntityKind::Country)
                || v.is_kind(c.analysis, k - 1, EntityKind::Person)
                || words::has_role(v.w(k - 1), Role::Possessive));
        let bloc = is_bloc_adjective(w, v.toks[k].is_upper_initial())
            && (v.toks[k].is_upper_initial() || !owned);
        if !(two || bloc) {
            continue;
        }
        let Some(g) =
            (k + 1..(k + 4).min(n)).find(|&j| is_collective_noun(v.w(j)) || is_plural_side(v.w(j)))
        else {
            continue;
        };
        let (ca, cb) = (v.toks[k].char_start, v.toks[g].char_end);
        // "West African States": a capitalised noun makes a name, not a group of officials
        let in_name = v.toks[g].is_upper_initial();
        if (k + 1..g).any(|j| v.is_punct(j) || v.ent_at[j].is_some())
            || v.in_title(ca, cb)
            || in_name
        {
            continue;
        }
        let key = if two {
            format!("group:two {}", v.w(g))
        } else {
            format!("group:{w}")
        };
        let from = if two && c.before(k) == "the" {
            k - 1
        } else {
            k
        };
        out.push(Party {
            key,
            name: v.slice(from, g + 1).to_string(),
            kind: ParticipantKind::Group,
            country: None,
            role: None,
            id: None,
        });
    }
    out
}

/// Plural nouns that, after "the two" or "both", name the sides of an event.
pub(super) fn is_plural_side(w: &str) -> bool {
    words::has_role(w, Role::PluralSide)
}

/// For a visit, who travels: the participants before the trigger (its subject) or the
/// relative clause's antecedent; for a host receiving a guest, the guest after it.
pub(super) fn visit_travellers(c: &Clause<'_, '_>, parties: &[Party]) -> Vec<String> {
    let v = c.v;
    let token_of = |p: &Party| -> Option<usize> {
        v.ents
            .iter()
            .find(|te| party(c, te).is_some_and(|q| q.key == p.key))
            .map(|te| te.a)
    };
    let guest = c
        .trigger
        .receive
        .then(|| guest_after(v, c.analysis, c.after_head()))
        .flatten();
    let fronted = if c.verbal {
        Vec::new()
    } else {
        fronted_phrase_subject(c)
    };
    // the subject: the nearest party before the trigger and those listed with it ("Ruiz
    // and Special Envoy Berg", "Ruiz, who ..., and Berg"); not a name further back ("Cole
    // named Ruiz an envoy, and Berg visited Oslo": Berg)
    let mut before: Vec<TokEnt> = parties
        .iter()
        .filter_map(|p| {
            v.ents
                .iter()
                .find(|te| party(c, te).is_some_and(|q| q.key == p.key))
        })
        .filter(|te| te.a < c.head && c.contains(te.a))
        .copied()
        .collect();
    before.sort_by_key(|te| std::cmp::Reverse(te.a));
    let mut subject_from = before.first().map(|te| te.a);
    for pair in before.windows(2) {
        let (later, earlier) = (pair[0], pair[1]);
        let listed = (earlier.b..later.a).all(|k| {
            !c.contains(k)
                || v.ent_at[k].is_some()
                || matches!(v.w(k), "and" | "," | "the")
                || v.toks[k].is_upper_initial()
                || is_group_noun(v.w(k))
                // a title however it is cased ("and special envoy X")
                || starts_title(v.w(k))
        });
        if !listed {
            break;
        }
        subject_from = Some(earlier.a);
    }
    parties
        .iter()
        .filter(|p| match (guest, token_of(p)) {
            (Some(g), Some(t)) => t >= g,
            (None, Some(t)) if t < c.head && c.contains(t) => subject_from.is_some_and(|f| t >= f),
            // outside the clause (an antecedent) or after a fronted "During a visit to X,"
            (None, Some(t)) => !c.contains(t) || fronted.contains(&t),
            // groups and parties found outside the entity list
            (_, None) => true,
        })
        .map(|p| p.key.clone())
        .collect()
}

/// The person a visit verb takes as its object ("visited Ana Ruiz"), by party key.
pub(super) fn visited_person(c: &Clause<'_, '_>) -> Option<String> {
    if c.trigger.form != Form::Verb {
        return None;
    }
    let id = c.v.ent_at.get(c.after_head()).copied().flatten()?;
    let te = c.v.ents[id];
    (c.entity(&te).kind == EntityKind::Person)
        .then(|| party(c, &te))
        .flatten()
        .map(|p| p.key)
}

/// Whether a bare noun with no participants refers back ("the talks", "this meeting"),
/// opens a new round ("another round"), or is no mention at all (`None`).
pub(super) fn anaphor_of(c: &Clause<'_, '_>, parties: &[Party]) -> Option<Anaphor> {
    if c.trigger.form != Form::Noun || !parties.is_empty() {
        return Some(Anaphor::No);
    }
    let v = c.v;
    let determiner = (c.head.saturating_sub(4)..c.head)
        .rev()
        .filter(|&k| c.contains(k))
        .map(|k| v.w(k))
        .find(|w| {
            matches!(
                *w,
                "the" | "this" | "these" | "that" | "those" | "another" | "a" | "an"
            )
        });
    // "a new round of talks" is a new event; "the round of talks" the known one
    let round_of = c.before(c.head) == "of" && c.before(c.head.saturating_sub(1)) == "round";
    match determiner {
        Some("the" | "this" | "that") if round_of => Some(Anaphor::Definite),
        _ if round_of => Some(Anaphor::Another),
        Some("another") => Some(Anaphor::Another),
        Some("the" | "this" | "these" | "that" | "those") => Some(Anaphor::Definite),
        _ if v.w(c.head) == "round" => Some(Anaphor::Another),
        _ => None,
    }
}

/// The participant an entity stands for, if it takes part.
pub(super) fn party(c: &Clause<'_, '_>, te: &TokEnt) -> Option<Party> {
    let v = c.v;
    let e = c.entity(te);
    if v.in_title(e.start, e.end) || is_credit_or_gloss(c, te) {
        return None;
    }
    let possessive = matches!(v.w(te.b), "'s" | "'");
    match e.kind {
        EntityKind::Person => {
            // "Trump's Witkoff", "Zelenskyy's earlier warning": an owner, not a party,
            // unless it owns the event ("Witkoff's meeting")
            if possessive && !(te.b < c.head && c.head <= te.b + 4) {
                return None;
            }
            Some(Party {
                key: format!(
                    "person:{}",
                    e.canonical.as_deref().unwrap_or(&e.text).to_lowercase()
                ),
                name: e.canonical.clone().unwrap_or_else(|| e.text.clone()),
                kind: ParticipantKind::Person,
                country: e.country.clone(),
                role: e.role.clone(),
                id: e.id.clone(),
            })
        }
        EntityKind::Country => country_party(c, te, e, possessive),
        EntityKind::Organization => {
            let prev = preposition_before(c, te);
            let of_group = matches!(prev, "of" | "from") && group_before_preposition(c, te);
            // "the EU's leaders": the organisation's people
            let role = possessive
                .then(|| v.w(te.b + 1))
                .filter(|w| is_group_noun(w))
                .map(str::to_string);
            if (possessive && role.is_none())
                || (matches!(prev, "in" | "of" | "for" | "at" | "from" | "to") && !of_group)
            {
                return None;
            }
            let name = e.canonical.clone().unwrap_or_else(|| e.text.clone());
            // a council or commission meeting is its members meeting
            let body = name
                .rsplit(' ')
                .next()
                .is_some_and(|last| is_body_noun(&last.to_lowercase()));
            // the gazetteer's kind of organisation ("igo", "alliance", "armed_group"...)
            let org_kind =
                e.id.as_deref()
                    .and_then(|key| c.gaz.by_key(key))
                    .and_then(|entry| entry.org_kind.clone());
            Some(Party {
                key: format!("org:{}", name.to_lowercase()),
                name,
                kind: ParticipantKind::Organization,
                // a national body's country ("the White House"), none for international ones
                country: e.country.clone(),
                role: role
                    .or_else(|| body.then(|| "body".to_string()))
                    .or(org_kind),
                id: e.id.clone(),
            })
        }
        _ => None,
    }
}

/// A photo credit or a gloss: a name alone in parentheses ("(Ana Ruiz)", "(IAEA)") or
/// beside a slash ("REUTERS / Ana Ruiz").
pub(super) fn is_credit_or_gloss(c: &Clause<'_, '_>, te: &TokEnt) -> bool {
    let before = c.before(te.a);
    let after = c.v.w(te.b);
    (before == "(" && after == ")") || before == "/" || after == "/"
}

/// The word before an entity, looking past "the".
pub(super) fn preposition_before<'a>(c: &Clause<'_, 'a>, te: &TokEnt) -> &'a str {
    let v = c.v;
    let prev = te.a.checked_sub(1).map_or("", |k| v.w(k));
    if prev == "the" {
        te.a.checked_sub(2).map_or("", |k| v.w(k))
    } else {
        prev
    }
}

/// A country as a participant: named as an actor ("Iran and Oman negotiated"), as the
/// people a group noun names ("French and German counterparts", "Ukraine's government",
/// "the leaders of Japan and Germany", "delegations from Iran"); not a place ("in Iran",
/// "to Iran") nor a qualifier of the title or name after it ("US Secretary of State").
pub(super) fn country_party(
    c: &Clause<'_, '_>,
    te: &TokEnt,
    e: &Entity,
    possessive: bool,
) -> Option<Party> {
    let v = c.v;
    let n = v.len();
    let code = e.country.clone()?;
    let demonym = e.role.as_deref() == Some("demonym");
    let group_after = |from: usize| -> Option<usize> {
        (from..(from + 5).min(n))
            .take_while(|&j| !v.is_punct(j) || v.w(j) == "-")
            .find(|&j| is_group_noun(v.w(j)))
    };
    let prev = preposition_before(c, te);
    let object_of_trigger = possessive && c.verbal && te.a == c.after_head();
    let role = if object_of_trigger {
        // "negotiating Britain's exit": the country the talks are with
        None
    } else if demonym || possessive {
        let from = if possessive { te.b + 1 } else { te.b };
        let g = group_after(from)?;
        Some(v.slice(g, g + 1).to_lowercase())
    } else if matches!(prev, "of" | "from") && group_before_preposition(c, te) {
        // "the leaders of Japan, China and Germany", "delegations from Iran and Oman"
        let g =
            te.a.checked_sub(if c.before(te.a) == "the" { 3 } else { 2 })?;
        Some(v.slice(g, g + 1).to_lowercase())
    } else {
        // "in Zurich, Switzerland": the country of a place just named
        let after_place =
            prev == "," && te.a >= 2 && v.is_kind(c.analysis, te.a - 2, EntityKind::Place);
        if is_place_preposition(prev) || after_place {
            return None;
        }
        // "US Secretary of State ...", "UK Foreign Secretary David Lammy", "the US deputy
        // secretary": a country qualifying the title or name that follows it
        let next_tok = te.b;
        // "a US delegation", "Chilean officials": the country's people
        if next_tok < n && !v.toks[next_tok].is_upper_initial() && is_collective_noun(v.w(next_tok))
        {
            return Some(Party {
                key: format!("country:{code}"),
                name: e.canonical.clone().unwrap_or_else(|| e.text.clone()),
                kind: ParticipantKind::Country,
                country: Some(code),
                role: Some(v.w(next_tok).to_string()),
                id: e.id.clone(),
            });
        }
        if next_tok < n
            && (starts_title(v.w(next_tok)) && !v.toks[next_tok].is_upper_initial()
                || v.toks[next_tok].is_upper_initial()
                    && v.ent_at[next_tok].is_none()
                    && !v.is_punct(next_tok)
                || v.ent_at[next_tok].is_some_and(|id| {
                    c.analysis.entities[v.ents[id].entity].kind == EntityKind::Person
                }))
        {
            return None;
        }
        None
    };
    let name = e.canonical.clone().unwrap_or_else(|| e.text.clone());
    Some(Party {
        key: format!("country:{code}"),
        name,
        kind: ParticipantKind::Country,
        country: Some(code),
        role,
        id: e.id.clone(),
    })
}

/// Whether "of"/"from" before a country (or the list it is in) follows a group noun: "the
/// President of South Korea", "leaders of Japan, China and Germany".
pub(super) fn group_before_preposition(c: &Clause<'_, '_>, te: &TokEnt) -> bool {
    let v = c.v;
    let prep = if c.before(te.a) == "the" {
        te.a.checked_sub(2)
    } else {
        te.a.checked_sub(1)
    };
    prep.and_then(|p| p.checked_sub(1))
        .is_some_and(|g| is_group_noun(v.w(g)) || v.w(g) == "representatives")
}
