//! Diplomatic events: trigger words over the entity layer, one mention per clause, then one
//! event per real-world event per article (mentions merged, anaphora resolved).
//!
//! A mention is read in steps, each its own function: which triggers head mentions
//! ([`mention_heads`], here), the event's status ([`status`]), the tokens its participants may
//! come from and who they are ([`participants`], with officials named by office alone in
//! [`officials`]), its place and a visit's destination ([`place`]), and its date, topics and
//! source ([`circumstances`]).

use chrono::NaiveDate;
use eventwire_gazetteer::Gazetteer;
use eventwire_nlp::{Analysis, Entity, EntityKind, Lexicon};
use eventwire_schema::v1::{Attribution, DatePrecision, DiplomaticKind, Evidence, ParticipantKind};

use crate::context::TagContext;
use crate::facts::Place;
use crate::lexicon::{
    is_agreement_noun, is_body_noun, is_determiner, is_group_noun, is_past_form, is_relative,
    is_support_verb, is_verb_lead_word, Cue, Form, Trigger,
};
use crate::view::{SegKind, TokEnt, View};
use crate::words;
use crate::words::Role;

mod circumstances;
mod officials;
mod participants;
mod place;
mod status;

use circumstances::{attribution, event_date, topics};
use participants::{
    anaphor_of, is_plural_side, meeting_with_one_party, participant_scope, participants_of,
    visit_travellers, visited_person,
};
use place::{event_place, host_country};
use status::{date_status, event_status, status_cues};

/// A participant, keyed for merging (person canonical name, country code, group).
#[derive(Debug, Clone, PartialEq)]
pub struct Party {
    pub key: String,
    pub name: String,
    pub kind: ParticipantKind,
    pub country: Option<String>,
    pub role: Option<String>,
    pub id: Option<String>,
}

impl Party {
    /// Whether the party acts for a state or an international body: a country, a known
    /// organisation, a person with an official title or in the actors file, or a group of
    /// officials ("the two sides", "European ministers").
    pub fn is_state_actor(&self) -> bool {
        match self.kind {
            ParticipantKind::Person => self.role.is_some() || self.id.is_some(),
            // a known organisation that is not a party, militia, company, NGO or medium
            ParticipantKind::Organization => {
                self.id.is_some()
                    && !matches!(
                        self.role.as_deref(),
                        Some("armed_group" | "party" | "ngo" | "company" | "media")
                    )
            }
            ParticipantKind::Country | ParticipantKind::Group => true,
            ParticipantKind::Unspecified => false,
        }
    }

    /// How many sides of an event the party stands for: two for a group ("the two sides",
    /// "both leaders", "European ministers") and for a council or commission, one otherwise.
    pub fn sides(&self) -> usize {
        // a council's or commission's members
        let body =
            self.kind == ParticipantKind::Organization && self.role.as_deref() == Some("body");
        if self.kind == ParticipantKind::Group || body {
            // "the two sides"; a bloc's officials ("European ministers") are several states
            2
        } else {
            1
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct DateVal {
    pub value: String,
    pub precision: DatePrecision,
    pub text: String,
}

/// Status as read from one mention; `Weak` when the mention gives no cue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Weak,
    Occurred,
    Planned,
    /// Cancelled or postponed.
    Cancelled,
    /// Denied, refused or declined: it did not take place.
    Denied,
    Hypothetical,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anaphor {
    No,
    /// "the talks", "this meeting": refers back, adds evidence only.
    Definite,
    /// "another round": a new event between the same parties.
    Another,
}

#[derive(Debug, Clone)]
pub struct Mention {
    pub kind: DiplomaticKind,
    pub mediation: bool,
    pub status: Status,
    /// The status the clause's tense suggests when no cue decides.
    pub fallback: Status,
    pub parties: Vec<Party>,
    /// For a visit, the keys of the travellers among `parties` (a host receiving them is
    /// a party but does not travel).
    pub travellers: Vec<String>,
    pub location: Option<Place>,
    pub date: Option<DateVal>,
    pub topics: Vec<String>,
    pub reported_by: Vec<Attribution>,
    pub evidence: Evidence,
    pub sentence: usize,
    pub anaphor: Anaphor,
    /// "a meeting with the president": a meeting noun whose only party follows "with";
    /// someone the story is about meets them, a side the clause does not name.
    pub implied_side: bool,
}

/// A trigger that heads a mention: its first token, the trigger, its length in tokens.
#[derive(Debug, Clone, Copy)]
struct Head {
    at: usize,
    trigger: Trigger,
    len: usize,
}

/// One head read in its clause: the sentence view, the clause segment, and where the
/// trigger sits in it.
struct Clause<'v, 'a> {
    v: &'v View<'a>,
    analysis: &'v Analysis,
    /// The gazetteer the article is tagged with (organisation kinds).
    gaz: &'v Gazetteer,
    /// The entity pass's lexicon (titles and offices).
    lexicon: &'v Lexicon,
    seg: usize,
    /// First token of the clause's run that ends at the head.
    start: usize,
    head: usize,
    len: usize,
    trigger: Trigger,
    /// A verb, or a noun carried by a support verb ("held talks"): its subject takes part.
    verbal: bool,
}

impl Clause<'_, '_> {
    fn contains(&self, i: usize) -> bool {
        self.v.seg.get(i) == Some(&self.seg)
    }

    fn entity(&self, te: &TokEnt) -> &Entity {
        self.v.entity(self.analysis, te)
    }

    /// The word right before token `i` ("" at the start).
    fn before(&self, i: usize) -> &str {
        i.checked_sub(1).map_or("", |k| self.v.w(k))
    }

    fn after_head(&self) -> usize {
        self.head + self.len
    }
}

/// The mentions of one sentence.
pub fn sentence_mentions(
    v: &View<'_>,
    analysis: &Analysis,
    context: &TagContext<'_>,
    published: Option<NaiveDate>,
) -> Vec<Mention> {
    if !v.has_any_trigger() {
        return Vec::new();
    }
    let heads = mention_heads(v, analysis);
    if heads.is_empty() {
        return Vec::new();
    }
    let (cs, ce) = v.span();
    let evidence = Evidence {
        sentence: v.slice(0, v.len()).to_string(),
        start: u32::try_from(cs).unwrap_or(u32::MAX),
        end: u32::try_from(ce).unwrap_or(u32::MAX),
    };
    let reported_by = attribution(v, analysis);
    heads
        .into_iter()
        .filter_map(|head| mention(v, analysis, context, published, head))
        .map(|m| Mention {
            evidence: evidence.clone(),
            reported_by: reported_by.clone(),
            ..m
        })
        .collect()
}

/// The triggers that head mentions: the first trigger of each clause segment (later ones are
/// its purpose or restatement: "travel to Paris for talks", "meet ... to discuss"), and a
/// meeting or call with a named person that is a trip's purpose ("flew to Rome to meet Ana
/// Ruiz"), which is an event of its own.
fn mention_heads(v: &View<'_>, analysis: &Analysis) -> Vec<Head> {
    let n = v.len();
    let mut heads: Vec<Head> = Vec::new();
    let mut head_of_seg: Vec<(usize, DiplomaticKind)> = Vec::new();
    let mut i = 0;
    while i < n {
        let seg = v.seg[i];
        if v.segs[seg].kind == SegKind::Reporting || v.topic[i] || v.ent_at[i].is_some() {
            i += 1;
            continue;
        }
        let Some((trigger, len)) = v.trigger_at(i) else {
            i += 1;
            continue;
        };
        let trigger = trigger_in_context(v, analysis, i, len, trigger);
        match (trigger, head_of_seg.iter().find(|(s, _)| *s == seg)) {
            (Some(trigger), None) => {
                head_of_seg.push((seg, trigger.kind));
                heads.push(Head {
                    at: i,
                    trigger,
                    len,
                });
            }
            (Some(trigger), Some(&(_, DiplomaticKind::Visit)))
                if trigger.form == Form::Verb
                    && matches!(trigger.kind, DiplomaticKind::Meet | DiplomaticKind::Call)
                    && i > 0
                    && v.w(i - 1) == "to"
                    && names_person_after(v, analysis, i + len) =>
            {
                heads.push(Head {
                    at: i,
                    trigger,
                    len,
                });
            }
            _ => {}
        }
        i += len;
    }
    heads
}

/// A trigger as its neighbouring entities read it: "Ana Ruiz talks with" is the verb; "a
/// visiting scholar" is no visit; "hosted the minister" is the guest's visit, but "hosted a
/// conference" is not a visit (the conference's own noun heads instead).
fn trigger_in_context(
    v: &View<'_>,
    analysis: &Analysis,
    i: usize,
    len: usize,
    trigger: Trigger,
) -> Option<Trigger> {
    // "Ruiz talks with", and in a caption "Ruiz, right, talks with"
    let subject_end = if v.w(i.wrapping_sub(1)) == ","
        && words::has_role(v.w(i.wrapping_sub(2)), Role::CaptionPosition)
        && v.w(i.wrapping_sub(3)) == ","
    {
        i - 3
    } else {
        i
    };
    let person_before = subject_end > 0
        && v.is_kind(analysis, subject_end - 1, EntityKind::Person)
        && v.ent_at[subject_end - 1].is_some_and(|id| v.ents[id].b == subject_end);
    if v.w(i) == "talks" && trigger.form == Form::Noun && person_before {
        return Some(Trigger {
            form: Form::Verb,
            ..trigger
        });
    }
    // "a convoy headed to": no official subject; but "a truce brokered by Egypt" is a
    // passive whose named agents take part
    if trigger.form == Form::Verb && common_noun_subject(v, i) && !reduced_passive(v, i, len) {
        return None;
    }
    // "a negotiated settlement", "a U.S.-brokered truce": a participle naming an agreement
    // that already stands, not an event of this clause
    if trigger.form == Form::Verb && is_past_form(v.w(i)) && is_agreement_noun(v.w(i + len)) {
        return None;
    }
    if trigger.needs_object && !has_object(v, i + len) {
        return None;
    }
    if trigger.needs_destination && !has_object(v, i + len + 1) {
        return None;
    }
    if trigger.receive && guest_after(v, analysis, i + len).is_none() {
        return None;
    }
    Some(trigger)
}

/// Whether a person is named in the next ten tokens of the sentence ("to meet with Ana
/// Ruiz", "to meet party leaders, including Speaker Ana Ruiz").
fn names_person_after(v: &View<'_>, analysis: &Analysis, from: usize) -> bool {
    (from..(from + 10).min(v.len()))
        .take_while(|&j| !matches!(v.w(j), "." | ";"))
        .any(|j| v.is_kind(analysis, j, EntityKind::Person))
}

/// Whether the word right before a verb trigger is a common noun as its subject: "a convoy
/// headed to the city", "relatives met", "refugees arriving in"; not a name, a pronoun, an
/// auxiliary or adverb, nor a group of officials ("officials met").
fn common_noun_subject(v: &View<'_>, i: usize) -> bool {
    let Some(k) = i.checked_sub(1) else {
        return false;
    };
    let w = v.w(k);
    let function_word = is_verb_lead_word(w) || w.ends_with("ly") || w.ends_with("n't");
    let official = is_group_noun(w) || is_plural_side(w) || is_body_noun(w);
    v.ent_at[k].is_none()
        && !v.is_punct(k)
        && !v.toks[k].is_upper_initial()
        && w.chars().all(char::is_alphabetic)
        && !function_word
        && !official
        && !object_of_relative_clause(v, k)
}

/// "the states that signed the pact meet ...": the noun at `k` is the object of a relative
/// clause, and the subject of the verb after it comes before "that".
fn object_of_relative_clause(v: &View<'_>, k: usize) -> bool {
    let verb = if is_determiner(v.w(k.wrapping_sub(1))) {
        k.checked_sub(2)
    } else {
        k.checked_sub(1)
    };
    verb.and_then(|j| j.checked_sub(1))
        .is_some_and(|r| (is_relative(v.w(r)) || v.w(r) == "that") && v.ent_at[r + 1].is_none())
}

/// "a truce negotiated by Egypt": a past participle with a named agent after "by" (or "by
/// the").
fn reduced_passive(v: &View<'_>, i: usize, len: usize) -> bool {
    let agent = (i + len + 1..(i + len + 3).min(v.len())).find_map(|j| v.ent_at[j]);
    // the named agent itself, not an owner ("by Ruiz's ministry")
    let named = agent.is_some_and(|id| !matches!(v.w(v.ents[id].b), "'s" | "'"));
    is_past_form(v.w(i)) && v.w(i + len) == "by" && named
}

/// Whether an object starts at token `j`: an entity, or a determiner before one.
fn has_object(v: &View<'_>, j: usize) -> bool {
    v.ent_at.get(j).copied().flatten().is_some()
        || ((v.w(j) == "the" || words::has_role(v.w(j), Role::Possessive))
            && v.ent_at.get(j + 1).copied().flatten().is_some())
}

/// The guest a host receives: a person entity within the next four tokens ("welcomed
/// visiting Prime Minister X"), or a group noun ("hosted a Chinese delegation"); its token.
fn guest_after(v: &View<'_>, analysis: &Analysis, from: usize) -> Option<usize> {
    (from..(from + 4).min(v.len()))
        .take_while(|&j| !v.is_punct(j) && v.trigger_at(j).is_none())
        .find(|&j| {
            v.is_kind(analysis, j, EntityKind::Person)
                || (v.ent_at[j].is_none() && is_group_noun(v.w(j)))
        })
}

/// The mention a head makes, if it is one.
fn mention(
    v: &View<'_>,
    analysis: &Analysis,
    context: &TagContext<'_>,
    published: Option<NaiveDate>,
    head: Head,
) -> Option<Mention> {
    let gaz = context.gazetteer;
    let clause = clause_of(v, analysis, context, head);
    let cues = status_cues(&clause);
    if cues.iter().any(|&(_, c)| c == Cue::Demand) {
        return None;
    }
    let date = event_date(v, analysis, clause.seg, clause.head);
    let mut status = event_status(&clause, &cues);
    if status == Status::Weak {
        if let (Some(d), Some(p)) = (&date, published) {
            status = date_status(&d.value, p);
        }
    }
    let fallback = if cues.iter().any(|&(_, c)| c == Cue::Future) {
        Status::Planned
    } else {
        Status::Occurred
    };
    let scope = participant_scope(&clause);
    let place = event_place(&clause, gaz);
    let mut parties = participants_of(&clause, &scope, &place.destinations);
    let mut travellers = Vec::new();
    if clause.trigger.kind == DiplomaticKind::Visit {
        travellers = visit_travellers(&clause, &parties);
        if !clause.trigger.receive {
            // a visit's parties are who travels and whom they visit ("visited Ana Ruiz"),
            // not every name in the clause ("as Storm Tightens Grip")
            let visited = visited_person(&clause);
            parties.retain(|p| travellers.contains(&p.key) || visited.as_ref() == Some(&p.key));
        }
    }
    let mut location = place.location;
    if clause.trigger.receive && location.is_none() {
        location = host_country(&parties, &travellers, gaz);
    }
    let anaphor = anaphor_of(&clause, &parties)?;
    if anaphor != Anaphor::No {
        parties.clear();
    }
    let implied_side = meeting_with_one_party(&clause, &parties);
    Some(Mention {
        implied_side,
        kind: clause.trigger.kind,
        mediation: clause.trigger.mediation,
        status,
        fallback,
        parties,
        travellers,
        location,
        date,
        topics: topics(v, clause.seg, clause.head),
        reported_by: Vec::new(),
        evidence: Evidence::default(),
        sentence: v.sentence,
        anaphor,
    })
}

fn clause_of<'v, 'a>(
    v: &'v View<'a>,
    analysis: &'v Analysis,
    context: &TagContext<'v>,
    head: Head,
) -> Clause<'v, 'a> {
    let seg = v.seg[head.at];
    let start = (0..=head.at)
        .rev()
        .take_while(|&i| v.seg[i] == seg)
        .last()
        .unwrap_or(head.at);
    let support = head.trigger.form == Form::Noun
        && (start..head.at)
            .rev()
            .take(7)
            .any(|i| is_support_verb(v.w(i)) && v.seg[i] == seg);
    Clause {
        v,
        analysis,
        gaz: context.gazetteer,
        lexicon: context.lexicon,
        seg,
        start,
        head: head.at,
        len: head.len,
        trigger: head.trigger,
        verbal: head.trigger.form == Form::Verb || support,
    }
}

/// Reading one sentence's clause in unit tests: the clause a trigger word heads.
#[cfg(test)]
pub(super) mod clause_in_test {
    use super::{clause_of, Clause, Head};
    use crate::context::TagContext;
    use crate::view::{sentence_triggers, View};

    /// Calls `check` with the clause that the first trigger spelt `word` heads in `sentence`
    /// (the first sentence of the text), read as of 2025-03-12.
    ///
    /// # Panics
    /// When `word` starts no trigger in the sentence: the test itself is wrong.
    pub(in crate::diplomatic) fn with_clause<R>(
        sentence: &str,
        word: &str,
        check: impl FnOnce(&Clause<'_, '_>) -> R,
    ) -> R {
        let context = TagContext::embedded();
        let published = chrono::NaiveDate::from_ymd_opt(2025, 3, 12);
        let mut triggers = Vec::new();
        let analysis = eventwire_nlp::analyze_where(
            sentence,
            published,
            context.lexicon,
            context.places,
            |_, low| {
                triggers.push(sentence_triggers(low));
                true
            },
        );
        let words = analysis.lower_words(sentence);
        let trigger = triggers.into_iter().next().flatten().unwrap_or_default();
        let v = View::new(sentence, &analysis, 0, &words, trigger);
        let at = (0..v.len())
            .find(|&i| v.w(i) == word && v.trigger_at(i).is_some())
            .unwrap_or_else(|| panic!("no trigger {word:?} in {sentence:?}"));
        let (trigger, len) = v.trigger_at(at).unwrap_or_else(|| unreachable!());
        let clause = clause_of(&v, &analysis, &context, Head { at, trigger, len });
        check(&clause)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn party(kind: ParticipantKind, role: Option<&str>, id: Option<&str>) -> Party {
        Party {
            key: "k".into(),
            name: "n".into(),
            kind,
            country: None,
            role: role.map(str::to_string),
            id: id.map(str::to_string),
        }
    }

    #[test]
    fn date_status_compares_with_publication() {
        let p = NaiveDate::from_ymd_opt(2025, 3, 12).unwrap_or_default();
        assert_eq!(date_status("2025-03-10", p), Status::Occurred);
        assert_eq!(date_status("2025-03-14", p), Status::Planned);
        assert_eq!(date_status("2025-03", p), Status::Weak);
        assert_eq!(date_status("", p), Status::Weak);
    }

    #[test]
    fn state_actors_are_officials_states_and_known_bodies() {
        use ParticipantKind as K;
        assert!(party(K::Person, Some("foreign_minister"), None).is_state_actor());
        assert!(!party(K::Person, None, None).is_state_actor());
        assert!(party(K::Country, None, Some("iso:CHL")).is_state_actor());
        assert!(party(K::Organization, Some("igo"), Some("org:x")).is_state_actor());
        assert!(!party(K::Organization, Some("armed_group"), Some("org:x")).is_state_actor());
        assert!(!party(K::Organization, None, None).is_state_actor());
        assert!(party(K::Group, None, None).is_state_actor());
    }

    #[test]
    fn groups_and_councils_stand_for_two_sides() {
        use ParticipantKind as K;
        assert_eq!(party(K::Group, None, None).sides(), 2);
        assert_eq!(party(K::Organization, Some("body"), None).sides(), 2);
        assert_eq!(party(K::Person, Some("president"), None).sides(), 1);
        assert_eq!(party(K::Country, None, None).sides(), 1);
    }
}
