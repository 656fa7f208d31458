//! Word tests of the diplomatic rules: triggers, status cues, clause boundaries, group nouns.
//! The word lists are data (`data/lexicon/events/*.tsv`, read through [`crate::words`]); the
//! functions here decide from a word's class and its neighbours.
//! All lower-case; general English news usage, no names.

use eventwire_schema::v1::DiplomaticKind;

use crate::words::Role;
use crate::words::{self, List};

/// How a trigger word evokes an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// A verb ("met", "will travel"): subject and objects are participants.
    Verb,
    /// A noun ("talks", "meeting"): participants come from a possessive, from prepositional
    /// phrases ("with", "between", "by") or from a support verb's subject ("held talks").
    Noun,
}

/// A trigger: kind, form, and how it relates its participants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Trigger {
    pub kind: DiplomaticKind,
    pub form: Form,
    /// Mediation rather than direct negotiation (CAMEO 045, PLOVER mode "third-party").
    pub mediation: bool,
    /// A host receiving a guest ("hosted", "welcomed", "received"): the guest's visit, an
    /// event only when the object is a person or a delegation.
    pub receive: bool,
    /// "visiting": a verb only when an object follows ("visiting Paris"), an adjective
    /// otherwise ("a visiting scholar").
    pub needs_object: bool,
    /// "head to", "travel with": a visit only when a name follows the preposition ("heads
    /// to Kyiv"; not "cool heads to prevail", "a convoy headed to the city").
    pub needs_destination: bool,
}

const fn t(kind: DiplomaticKind, form: Form) -> Trigger {
    Trigger {
        kind,
        form,
        mediation: false,
        receive: false,
        needs_object: false,
        needs_destination: false,
    }
}

/// The word `i` of `low`, "" outside it.
fn word<'a>(low: &[&'a str], i: usize) -> &'a str {
    low.get(i).copied().unwrap_or("")
}

/// The trigger starting at token `i` of `low` (lower-case tokens), with its length in tokens:
/// the entry of the trigger list there ([`List::DiplomaticTriggers`]), read with the
/// neighbours its class needs. (Over 80 lines: one match arm per class of the data file, each
/// a line or two; split up, the classes would no longer be read side by side.)
pub fn trigger_at(low: &[&str], i: usize) -> Option<(Trigger, usize)> {
    use DiplomaticKind as K;
    use Form::{Noun, Verb};
    let (class, len) = words::list(List::DiplomaticTriggers).entry_at(low, i)?;
    let next = word(low, i + len);
    let next2 = word(low, i + len + 1);
    let prev = i.checked_sub(1).map_or("", |p| word(low, p));
    let prev2 = i.checked_sub(2).map_or("", |p| word(low, p));
    let tr = match class {
        // not "met their obligations", "were met with resistance"
        "meet-verb"
            if !(names_non_event_object(low, i + len)
                || is_be(prev) && next == "with"
                || met_in_contest(low, i + len)) =>
        {
            t(K::Meet, Verb)
        }
        // "are meeting", "after meeting the minister", "ahead of meeting": the verb
        "meeting"
            if (is_be(prev)
                || is_gerund_preposition(prev)
                || (prev == "of" && prev2 == "ahead"))
                && !names_non_event_object(low, i + len) =>
        {
            t(K::Meet, Verb)
        }
        "meeting" | "meet-noun" => t(K::Meet, Noun),
        "receive" => Trigger {
            receive: true,
            ..t(K::Visit, Verb)
        },
        "visit-word" if is_determiner(prev) || prev.ends_with("'s") || is_adjective_slot(prev) => {
            t(K::Visit, Noun)
        }
        "visit-word" | "visit-verb" => t(K::Visit, Verb),
        "visiting" => Trigger {
            needs_object: true,
            ..t(K::Visit, Verb)
        },
        "visit-noun" => t(K::Visit, Noun),
        "motion-to" if next == "to" => Trigger {
            needs_destination: true,
            ..t(K::Visit, Verb)
        },
        "travel" if matches!(next, "to" | "with") => Trigger {
            needs_destination: true,
            ..t(K::Visit, Verb)
        },
        "arrival" if matches!(next, "in" | "at") || (next == "on" && next2 != "the") => {
            t(K::Visit, Verb)
        }
        "departure" if next == "for" => t(K::Visit, Verb),
        "call-verb" => t(K::Call, Verb),
        "call-noun" => t(K::Call, Noun),
        // "a call with", "his call to the chancellor"; not "a call for calm", "calls on"
        "call-word"
            if matches!(next, "with" | "between")
                || ((is_determiner(prev) || is_call_modifier(prev))
                    && !matches!(next, "for" | "on" | "upon" | "off" | "of")) =>
        {
            t(K::Call, Noun)
        }
        "speak" if phone_follows(low, i + len) => t(K::Call, Verb),
        "negotiate-verb" => t(K::Negotiate, Verb),
        "negotiate-noun" => t(K::Negotiate, Noun),
        // "another round"; in "a round of talks (calls)" the noun after "of" heads
        "round" if next != "of" && is_round_determiner(prev) => t(K::Negotiate, Noun),
        "mediate-verb" => Trigger {
            mediation: true,
            ..t(K::Negotiate, Verb)
        },
        "mediate-noun" => Trigger {
            mediation: true,
            ..t(K::Negotiate, Noun)
        },
        // not "the states that signed the treaty": a relative clause naming parties by a known
        // agreement
        "sign" | "reach"
            if is_agreement_noun_near(low, i + len)
                && !(matches!(prev, "who" | "which" | "that") && next == "the") =>
        {
            t(K::Agree, Verb)
        }
        // "agreed on a plan", "agreed to a truce"; not an opinion ("agree on the need")
        "agree-verb" if matches!(next, "on" | "upon" | "to") && !is_opinion(low, i + len + 1) => {
            t(K::Agree, Verb)
        }
        // "the accord between X and Y", "a deal with Y": an agreement named with its parties;
        // not one in force ("has a deal with", "the existing accord between")
        "agreement-noun"
            if matches!(next, "with" | "between") && !names_standing_agreement(low, i) =>
        {
            t(K::Agree, Noun)
        }
        _ => return None,
    };
    Some((tr, len))
}

fn is_be(w: &str) -> bool {
    words::has_role(w, Role::Be)
}

/// Prepositions after which "meeting" is a gerund ("after meeting the minister").
fn is_gerund_preposition(w: &str) -> bool {
    words::has_role(w, Role::GerundPreposition)
}

/// Articles, demonstratives and possessives.
pub(crate) fn is_determiner(w: &str) -> bool {
    words::has_role(w, Role::Determiner)
}

/// Words that sit between a determiner and an event noun ("the first high-level visit").
fn is_adjective_slot(w: &str) -> bool {
    w.ends_with("-level") || words::has_role(w, Role::AdjectiveSlot)
}

/// Words before "call" that make it a telephone call ("a 30-minute call", "their latest call").
fn is_call_modifier(w: &str) -> bool {
    w.ends_with("-minute") || w.ends_with("-hour") || words::has_role(w, Role::CallModifier)
}

fn is_round_determiner(w: &str) -> bool {
    words::has_role(w, Role::RoundDeterminer)
}

/// Whether "phone" or "telephone" follows within the clause ("spoke by phone", "spoke with
/// the chancellor on the telephone").
fn phone_follows(low: &[&str], from: usize) -> bool {
    low.iter()
        .skip(from)
        .take(10)
        .take_while(|w| !matches!(**w, "." | ";" | "," | "and" | "but"))
        .any(|w| matches!(*w, "phone" | "telephone" | "phones"))
}

/// Whether a noun that "meet" would satisfy rather than meet follows in the next words
/// ("meet their defence spending obligations", "met all conditions").
fn names_non_event_object(low: &[&str], from: usize) -> bool {
    let objects = words::list(List::NonEventObjects);
    low.iter()
        .skip(from)
        .take(5)
        .take_while(|w| !matches!(**w, "." | ";" | "," | "in" | "on" | "at"))
        .any(|w| objects.contains(w))
}

/// "the candidates met on Monday in the final debate": an "in" phrase right after the verb
/// that names a contest, where rivals meet, not parties to talks.
fn met_in_contest(low: &[&str], from: usize) -> bool {
    let objects = words::list(List::NonEventObjects);
    let Some(k) = (from..from + 4)
        .take_while(|&k| !matches!(word(low, k), "." | ";" | "," | ""))
        .find(|&k| word(low, k) == "in")
    else {
        return false;
    };
    (k + 1..k + 8)
        .map(|j| word(low, j))
        .take_while(|w| {
            !matches!(
                *w,
                "." | ";"
                    | ","
                    | ""
                    | "at"
                    | "on"
                    | "with"
                    | "for"
                    | "to"
                    | "ahead"
                    | "before"
                    | "after"
            )
        })
        .any(|w| objects.class(w) == Some("contest"))
}

/// "agree on the need ...", "agree that": agreement of opinion, not an agreement.
fn is_opinion(low: &[&str], from: usize) -> bool {
    let w = word(low, from);
    let w2 = word(low, from + 1);
    w == "that"
        || (w == "the" && matches!(w2, "need" | "importance" | "necessity" | "view"))
        || matches!(w, "need" | "importance")
}

/// Whether the words right before the agreement noun at `i`, past determiners and numbers,
/// name an agreement in force: "has an agreement with", "a pre-existing deal between".
fn names_standing_agreement(low: &[&str], i: usize) -> bool {
    let standing = words::list(List::StandingAgreementWords);
    for k in (i.saturating_sub(3)..i).rev() {
        let w = word(low, k);
        if standing.contains(w) {
            return true;
        }
        if !(is_determiner(w) || w.chars().all(|c| c.is_ascii_digit())) {
            return false;
        }
    }
    false
}

/// Whether an agreement noun follows within four tokens ("signed a trade deal").
fn is_agreement_noun_near(low: &[&str], from: usize) -> bool {
    low.iter().skip(from).take(4).any(|w| is_agreement_noun(w))
}

pub fn is_agreement_noun(w: &str) -> bool {
    words::list(List::AgreementNouns).contains(w)
}

/// Verbs that carry a noun trigger ("held talks", "had a meeting"): their subject takes part.
pub fn is_support_verb(w: &str) -> bool {
    words::list(List::SupportVerbs).contains(w)
}

/// Prepositions that introduce a nominal trigger's participants ("talks with", "a visit by").
pub fn is_participant_preposition(w: &str) -> bool {
    words::has_role(w, Role::ParticipantPreposition)
}

/// Words after which a clause's content is about something (its topic), not who takes part.
pub fn opens_topic(w: &str, prev: &str) -> bool {
    match w {
        "about" | "regarding" | "concerning" | "including" => true,
        "on" | "over" => {
            is_event_noun(prev)
                || matches!(
                    prev,
                    "focus"
                        | "focused"
                        | "focusing"
                        | "centered"
                        | "centred"
                        | "brief"
                        | "briefed"
                        | "agree"
                        | "agreed"
                )
        }
        "discuss" | "discussed" | "discussing" | "address" | "addressing" | "covering"
        | "cover" => true,
        "end" | "stop" | "resolve" | "ending" | "halt" => prev == "to" || prev == "on",
        _ => false,
    }
}

/// Event nouns after which "on"/"over" opens a topic.
pub fn is_event_noun(w: &str) -> bool {
    words::has_role(w, Role::EventNoun)
}

/// Subordinators that start a new clause, with or without a comma before them.
pub fn is_clause_opener(w: &str) -> bool {
    words::has_role(w, Role::ClauseOpener)
}

/// Words that start a new clause only after a comma or dash.
pub fn is_comma_clause_opener(w: &str) -> bool {
    words::has_role(w, Role::CommaClauseOpener)
}

/// Relative pronouns.
pub fn is_relative(w: &str) -> bool {
    words::has_role(w, Role::Relative)
}

/// Words that open an embedded question or clause ("did not say where they met"): a negation
/// before them does not reach a trigger after them.
pub fn is_embedding_word(w: &str) -> bool {
    words::has_role(w, Role::EmbeddingWord)
}

/// Verbs of reporting ("said", "told").
pub fn is_reporting_verb(w: &str) -> bool {
    words::list(List::ReportingVerbs).contains(w)
}

/// Nouns for people acting for a state or bloc ("his French and German counterparts").
pub fn is_group_noun(w: &str) -> bool {
    matches!(
        words::list(List::GroupNouns).class(w),
        Some("person" | "collective")
    )
}

/// A word that, after a country, starts one person's title ("the US deputy secretary", "the
/// Chilean foreign minister"): the country is the person's, not a party of its own.
pub fn starts_title(w: &str) -> bool {
    matches!(
        words::list(List::GroupNouns).class(w),
        Some("person" | "title")
    )
}

/// The last word of an organisation whose members meet as it ("council", "commission").
pub fn is_body_noun(w: &str) -> bool {
    words::list(List::GroupNouns).class(w) == Some("body")
}

/// Group nouns that name several people or a body, not one person's title ("officials",
/// "leadership"; not "minister").
pub fn is_collective_noun(w: &str) -> bool {
    words::list(List::GroupNouns).class(w) == Some("collective")
}

/// Adjectives of regions and blocs that name a group with a group noun ("European officials",
/// "foreign leaders"); `capitalised` says how the word is written ("Arab" is a bloc, "arab"
/// a typo at best; "foreign" is written small).
pub fn is_bloc_adjective(w: &str, capitalised: bool) -> bool {
    match words::list(List::BlocAdjectives).class(w) {
        Some("bloc") => capitalised,
        Some(_) => true,
        None => false,
    }
}

/// Auxiliaries, pronouns, conjunctions and adverbs that may stand right before a verb
/// trigger ("they met", "later visited") without being its subject ([`List::VerbLeadWords`]).
pub fn is_verb_lead_word(w: &str) -> bool {
    words::list(List::VerbLeadWords).contains(w)
}

/// Whether a word dating an event noun says it is past (`Some(true)`) or ahead (`Some(false)`).
pub fn event_noun_dating(w: &str) -> Option<bool> {
    match words::list(List::EventNounModifiers).class(w)? {
        "past" => Some(true),
        "future" => Some(false),
        _ => None,
    }
}

/// Status cues before a trigger in its clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cue {
    Future,
    /// "would": future in reported speech, conditional elsewhere.
    Would,
    Hypothetical,
    Negation,
    Denial,
    Cancel,
    /// "urge X to meet": a demand, not an event.
    Demand,
    Past,
    Present,
}

/// The status cue a lower-case token gives ([`List::StatusCues`]), looking at its neighbours.
pub fn cue_at(low: &[&str], i: usize) -> Option<Cue> {
    let class = words::list(List::StatusCues).class(low.get(i)?)?;
    let next = word(low, i + 1);
    let prev = i.checked_sub(1).map_or("", |p| word(low, p));
    Some(match class {
        "future" => Cue::Future,
        "future-after-be" if is_be(prev) || prev == "also" => Cue::Future,
        "future-before-to" if next == "to" => Cue::Future,
        "future-before-of" if next == "of" => Cue::Future,
        "would" => Cue::Would,
        "hypothetical" => Cue::Hypothetical,
        "hypothetical-before-to" if next == "to" => Cue::Hypothetical,
        "demand" => Cue::Demand,
        "demand-before-on" if matches!(next, "on" | "for" | "upon") => Cue::Demand,
        "negation" => Cue::Negation,
        "denial" => Cue::Denial,
        "cancel" => Cue::Cancel,
        "cancel-after-call" if matches!(prev, "called" | "call" | "calls") => Cue::Cancel,
        "past" => Cue::Past,
        "present" => Cue::Present,
        _ => return None,
    })
}

/// Whether a verb form is past tense or a past participle (regular or common irregular).
pub fn is_past_form(w: &str) -> bool {
    (w.len() > 3 && w.ends_with("ed")) || words::has_role(w, Role::IrregularPast)
}

/// Words that read as a progressive movement ("are heading to"): an arrangement still ahead.
pub fn is_progressive(w: &str) -> bool {
    w.ends_with("ing")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trigger(sentence: &str, word: &str) -> Option<(DiplomaticKind, Form)> {
        let low: Vec<&str> = sentence.split(' ').collect();
        let i = low.iter().position(|w| *w == word)?;
        trigger_at(&low, i).map(|(t, _)| (t.kind, t.form))
    }

    #[test]
    fn triggers_read_their_neighbours() {
        use DiplomaticKind as K;
        assert_eq!(
            trigger("they met on monday", "met"),
            Some((K::Meet, Form::Verb))
        );
        assert_eq!(trigger("they met their obligations", "met"), None);
        assert_eq!(trigger("it was met with anger", "met"), None);
        assert_eq!(
            trigger("after meeting the minister", "meeting"),
            Some((K::Meet, Form::Verb))
        );
        assert_eq!(
            trigger("a meeting with the minister", "meeting"),
            Some((K::Meet, Form::Noun))
        );
        assert_eq!(
            trigger("she heads to oslo", "heads"),
            Some((K::Visit, Form::Verb))
        );
        assert_eq!(trigger("the heads of state", "heads"), None);
        assert_eq!(
            trigger("a 30-minute call with him", "call"),
            Some((K::Call, Form::Noun))
        );
        assert_eq!(trigger("a call for calm", "call"), None);
        assert_eq!(
            trigger("she spoke by phone with him", "spoke"),
            Some((K::Call, Form::Verb))
        );
        assert_eq!(trigger("she spoke to reporters", "spoke"), None);
        assert_eq!(trigger("a round of talks", "round"), None);
        assert_eq!(
            trigger("another round began", "round"),
            Some((K::Negotiate, Form::Noun))
        );
        assert_eq!(
            trigger("they agreed on a plan", "agreed"),
            Some((K::Agree, Form::Verb))
        );
        assert_eq!(trigger("they agree on the need for calm", "agree"), None);
        assert_eq!(
            trigger("the accord between them", "accord"),
            Some((K::Agree, Form::Noun))
        );
        assert_eq!(trigger("the accord was signed", "accord"), None);
        assert_eq!(trigger("on meet the press", "meet"), None);
        assert_eq!(trigger("a host of problems", "host"), None);
    }

    #[test]
    fn cues_read_their_neighbours() {
        let low = [
            "she", "is", "set", "to", "plan", "a", "call", "off", "called", "off",
        ];
        assert_eq!(cue_at(&low, 2), Some(Cue::Future));
        assert_eq!(cue_at(&low, 4), None, "'plan' is a cue only before 'to'");
        assert_eq!(cue_at(&low, 7), Some(Cue::Cancel));
        assert_eq!(cue_at(&["called", "on"], 0), Some(Cue::Demand));
        assert_eq!(cue_at(&["refused"], 0), Some(Cue::Negation));
        assert_eq!(cue_at(&["postponed"], 0), Some(Cue::Cancel));
        assert_eq!(cue_at(&["open", "to"], 0), Some(Cue::Hypothetical));
        assert_eq!(cue_at(&["talks"], 0), None);
    }
}
