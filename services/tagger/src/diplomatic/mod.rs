//! Diplomatic events: trigger words over the entity layer, one mention per clause, then one
//! event per real-world event per article (mentions merged, anaphora resolved).
//!
//! A mention is read in steps, each its own function: which triggers head mentions
//! ([`mention_heads`]), the event's status ([`event_status`]), the tokens its participants may
//! come from ([`participant_scope`]), its place and a visit's destination ([`event_place`]),
//! its participants ([`participants_of`]) and whether a bare noun refers back
//! ([`anaphor_of`]).

use chrono::NaiveDate;
use eventwire_gazetteer::Gazetteer;
use eventwire_nlp::{Analysis, Entity, EntityKind, Lexicon};
use eventwire_schema::v1::{Attribution, DatePrecision, DiplomaticKind, Evidence, ParticipantKind};

use crate::context::TagContext;
use crate::facts::{capital_of, date_precision, place_of, Place};
use crate::lexicon::{
    cue_at, event_noun_dating, is_agreement_noun, is_bloc_adjective, is_body_noun,
    is_clause_opener, is_collective_noun, is_comma_clause_opener, is_determiner, is_embedding_word,
    is_group_noun, is_participant_preposition, is_past_form, is_progressive, is_reporting_verb,
    is_support_verb, is_verb_lead_word, starts_title, Cue, Form, Trigger,
};
use crate::view::{SegKind, TokEnt, View};

mod officials;

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
        && matches!(
            v.w(i.wrapping_sub(2)),
            "left" | "right" | "center" | "centre"
        )
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
        .is_some_and(|r| matches!(v.w(r), "who" | "that" | "which") && v.ent_at[r + 1].is_none())
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
        || (matches!(v.w(j), "the" | "his" | "her" | "their" | "its")
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

/// "a meeting with the president", "after a meeting with the minister": a meeting noun
/// (not a verb, not "the meeting", which refers back) followed by "with" and one party.
fn meeting_with_one_party(c: &Clause<'_, '_>, parties: &[Party]) -> bool {
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
fn indefinite_before(c: &Clause<'_, '_>) -> bool {
    let v = c.v;
    let article = (c.head.saturating_sub(4)..c.head)
        .rev()
        .find(|&k| is_determiner(v.w(k)));
    article.is_some_and(|k| matches!(v.w(k), "a" | "an"))
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

/// The status cues of the clause: before the trigger, and cancellations and denials after it
/// ("the meeting ... was cancelled"). A negation does not reach across a reporting verb or an
/// embedded question ("did not say where they met").
fn status_cues(c: &Clause<'_, '_>) -> Vec<(usize, Cue)> {
    let v = c.v;
    let mut cues: Vec<(usize, Cue)> = Vec::new();
    // "the first attempt to use a truce negotiated by Egypt": the words before the truce
    // are about the attempt, not the negotiation
    let from = if c.trigger.form == Form::Verb
        && reduced_passive(v, c.head, c.len)
        && c.head > 0
        && v.ent_at[c.head - 1].is_none()
        && !is_verb_lead_word(v.w(c.head - 1))
    {
        c.head
    } else {
        c.start
    };
    for i in from..c.head {
        if !c.contains(i) || v.topic[i] {
            continue;
        }
        let Some(cue) = cue_at(v.low, i) else {
            continue;
        };
        let embedded =
            (i + 1..c.head).any(|k| is_reporting_verb(v.w(k)) || is_embedding_word(v.w(k)));
        if cue == Cue::Negation && embedded {
            continue;
        }
        cues.push((i, cue));
    }
    for i in c.after_head()..v.len() {
        if c.contains(i) {
            if let Some(cue @ (Cue::Cancel | Cue::Denial)) = cue_at(v.low, i) {
                cues.push((i, cue));
            }
        }
    }
    cues
}

/// The status the cues, the trigger's tense and the words dating a noun give; `Weak` when
/// nothing decides.
fn event_status(c: &Clause<'_, '_>, cues: &[(usize, Cue)]) -> Status {
    let v = c.v;
    let has = |cue: Cue| cues.iter().any(|&(_, x)| x == cue);
    let (mut nominal_past, mut nominal_future) = (false, false);
    if c.trigger.form == Form::Noun {
        for i in c.head.saturating_sub(3)..c.head {
            match c.contains(i).then(|| event_noun_dating(v.w(i))).flatten() {
                Some(true) => nominal_past = true,
                Some(false) => nominal_future = true,
                None => {}
            }
        }
    }
    let trigger_word = v.w(c.head);
    let is_verb = c.trigger.form == Form::Verb;
    let infinitive = c.before(c.head) == "to" && !is_support_verb(v.w(c.head.saturating_sub(2)));
    // "to reach a deal", "to hold talks": the purpose a support verb in the infinitive states
    let support_infinitive = !is_verb
        && c.verbal
        && (c.start..c.head).any(|i| is_support_verb(v.w(i)) && c.before(i) == "to");
    let goal = support_infinitive || infinitive_goal(c);
    let support_past = !is_verb && c.verbal && (c.start..c.head).any(|i| is_past_form(v.w(i)));
    // "flew to Oslo to meet": a past verb the purpose hangs on (not an auxiliary)
    let past_verb_before = (c.start..c.head).any(|i| is_past_form(v.w(i)) && v.w(i) != "had");
    if has(Cue::Cancel) {
        Status::Cancelled
    } else if has(Cue::Denial) || has(Cue::Negation) {
        Status::Denied
    } else if nominal_past {
        Status::Occurred
    } else if has(Cue::Hypothetical) || (has(Cue::Would) && !v.reported) {
        Status::Hypothetical
    } else if has(Cue::Future)
        || has(Cue::Would)
        || nominal_future
        // "are meeting", "are heading to": present progressive arrangements
        || (is_verb
            && is_progressive(trigger_word)
            && (has(Cue::Present) || c.trigger.kind == DiplomaticKind::Visit))
    {
        Status::Planned
    } else if ((infinitive && is_verb) || goal) && !past_verb_before {
        // a purpose or a headline: "was travelling to Oslo to meet", "Ruiz to meet Berg"
        Status::Planned
    } else if (is_verb && is_past_form(trigger_word)) || support_past || has(Cue::Past) {
        Status::Occurred
    } else {
        Status::Weak
    }
}

/// "to get a deal with", "to secure an accord between": an agreement noun that is the
/// object of a verb in the infinitive, a goal that has not been reached.
fn infinitive_goal(c: &Clause<'_, '_>) -> bool {
    let v = c.v;
    c.trigger.form == Form::Noun
        && c.head >= 3
        && is_determiner(v.w(c.head - 1))
        && v.ent_at[c.head - 2].is_none()
        && v.w(c.head - 3) == "to"
}

fn date_status(value: &str, published: NaiveDate) -> Status {
    let p = published.format("%Y-%m-%d").to_string();
    let cmp_len = value.len().min(p.len());
    match value.get(..cmp_len).cmp(&p.get(..cmp_len)) {
        std::cmp::Ordering::Less => Status::Occurred,
        std::cmp::Ordering::Greater => Status::Planned,
        std::cmp::Ordering::Equal => Status::Weak,
    }
}

/// The tokens participants may come from. A verb (or a noun with a support verb) takes its
/// whole clause. A bare noun takes a possessive right before it ("Witkoff's meeting", "his
/// recent meeting") and the phrases after it opened by a participant preposition ("talks
/// with", "a visit by"; "a call to" for calls).
fn participant_scope(c: &Clause<'_, '_>) -> Vec<bool> {
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
        if matches!(w, "'s" | "'" | "his" | "her" | "their") {
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
fn in_clause_frame(c: &Clause<'_, '_>) -> bool {
    let v = c.v;
    // "after that call" refers back to a call told before
    let anaphoric = c.head > 0 && matches!(v.w(c.head - 1), "that" | "this" | "these" | "those");
    // the preposition and a determiner after it: "in a call", "during their meeting"; not
    // "an impasse in negotiations"
    !anaphoric
        && (c.head.saturating_sub(4)..c.head.saturating_sub(1))
            .rev()
            .take_while(|&k| v.ent_at[k].is_none() && !v.is_punct(k))
            .any(|k| {
                matches!(
                    v.w(k),
                    "during" | "in" | "at" | "after" | "before" | "following"
                ) && matches!(
                    v.w(k + 1),
                    "a" | "an" | "the" | "his" | "her" | "their" | "its" | "our"
                )
            })
}

/// Words that end a nominal trigger's participant phrase ("talks with Iran on its programme").
fn closes_participants(w: &str) -> bool {
    matches!(
        w,
        "in" | "on" | "to" | "for" | "at" | "from" | "over" | "about" | "that" | "which"
    )
}

/// "During a visit to Oslo, the minister said ...": the first entity after the fronted
/// phrase's comma is who made the visit, talks or call; in "In a call, Ruiz told Berg ..."
/// the one told takes part too. Their first tokens.
fn fronted_phrase_subject(c: &Clause<'_, '_>) -> Vec<usize> {
    let v = c.v;
    let Some(subject) = fronted_subject_token(c) else {
        return Vec::new();
    };
    let mut out = vec![subject];
    let end = v.ent_at[subject].map_or(subject + 1, |id| v.ents[id].b);
    if matches!(
        v.w(end),
        "told" | "asked" | "assured" | "informed" | "urged"
    ) {
        // the one told: the next person (past a title's demonym)
        let told =
            (end + 1..v.len().min(end + 6)).find(|&j| v.is_kind(c.analysis, j, EntityKind::Person));
        out.extend(told);
    }
    out
}

fn fronted_subject_token(c: &Clause<'_, '_>) -> Option<usize> {
    let v = c.v;
    let opener = (c.head.saturating_sub(4)..c.head).find(|&i| {
        matches!(
            v.w(i),
            "during" | "on" | "after" | "before" | "following" | "at" | "in"
        )
    })?;
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

/// Where an event happens, and the entities that name a visit's destination (which are not
/// its participants).
struct EventPlace {
    location: Option<Place>,
    destinations: Vec<usize>,
}

/// The place: a place modifying a nominal trigger ("the Paris talks"), "in/at X" in the
/// clause, or a visit's destination ([`visit_destination`]); a city beats its country ("in
/// Russia's St. Petersburg"); "the French capital" is the capital from the gazetteer.
fn event_place(c: &Clause<'_, '_>, gaz: &Gazetteer) -> EventPlace {
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
fn visit_destination(c: &Clause<'_, '_>, te: &TokEnt) -> bool {
    let prev = c.before(te.a);
    let prev2 = c.before(te.a.saturating_sub(1));
    te.a > c.head
        && (matches!(prev, "to" | "in" | "for" | "at")
            || (te.a == c.after_head() && c.trigger.form == Form::Verb)
            || (prev == "the" && matches!(prev2, "to" | "in")))
}

/// "in X", "at X", "in the X", and "in Russia's St. Petersburg" for the city.
fn place_preposition_before(c: &Clause<'_, '_>, te: &TokEnt) -> bool {
    let v = c.v;
    let prev = c.before(te.a);
    let prev2 = c.before(te.a.saturating_sub(1));
    let owner_prev = (prev == "'s")
        .then(|| te.a.checked_sub(2).and_then(|k| v.ent_at[k]))
        .flatten()
        .map(|oid| c.before(v.ents[oid].a))
        .unwrap_or("");
    matches!(prev, "in" | "at")
        || (prev == "the" && prev2 == "in")
        || matches!(owner_prev, "in" | "at")
}

/// Whether a country entity is followed by "'s" and a place ("Russia's St. Petersburg").
fn city_follows(c: &Clause<'_, '_>, te: &TokEnt) -> bool {
    let v = c.v;
    v.w(te.b) == "'s"
        && v.ent_at
            .get(te.b + 1)
            .copied()
            .flatten()
            .is_some_and(|nid| c.entity(&v.ents[nid]).kind == EntityKind::Place)
}

/// "the French capital": the capital of the country before "capital", from the gazetteer.
fn capital_named(c: &Clause<'_, '_>, gaz: &Gazetteer) -> Option<Place> {
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
fn host_country(parties: &[Party], travellers: &[String], gaz: &Gazetteer) -> Option<Place> {
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

/// The participants: the entities of the clause inside the scope (and a relative clause's
/// antecedent, and the subject after a fronted phrase), not destinations nor topics; groups
/// of officials named by a bloc ("European officials") or a number ("the two sides"); and,
/// for a verb in a clause without its own subject ("before heading to Africa"), the main
/// clause's subject.
fn participants_of(c: &Clause<'_, '_>, scope: &[bool], destinations: &[usize]) -> Vec<Party> {
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
    let offices = officials::officials_by_office(c, scope);
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
            && !matches!(w, "a" | "an" | "the" | "ahead")
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
fn groups_of(c: &Clause<'_, '_>, scope: &[bool]) -> Vec<Party> {
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
                || matches!(
                    v.w(k - 1),
                    "'s" | "'" | "his" | "her" | "their" | "its" | "our"
                ));
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
fn is_plural_side(w: &str) -> bool {
    matches!(
        w,
        "countries"
            | "nations"
            | "states"
            | "presidents"
            | "men"
            | "governments"
            | "foes"
            | "rivals"
            | "neighbours"
            | "neighbors"
    )
}

/// For a visit, who travels: the participants before the trigger (its subject) or the
/// relative clause's antecedent; for a host receiving a guest, the guest after it.
fn visit_travellers(c: &Clause<'_, '_>, parties: &[Party]) -> Vec<String> {
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
fn visited_person(c: &Clause<'_, '_>) -> Option<String> {
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
fn anaphor_of(c: &Clause<'_, '_>, parties: &[Party]) -> Option<Anaphor> {
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
fn party(c: &Clause<'_, '_>, te: &TokEnt) -> Option<Party> {
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
fn is_credit_or_gloss(c: &Clause<'_, '_>, te: &TokEnt) -> bool {
    let before = c.before(te.a);
    let after = c.v.w(te.b);
    (before == "(" && after == ")") || before == "/" || after == "/"
}

/// The word before an entity, looking past "the".
fn preposition_before<'a>(c: &Clause<'_, 'a>, te: &TokEnt) -> &'a str {
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
fn country_party(c: &Clause<'_, '_>, te: &TokEnt, e: &Entity, possessive: bool) -> Option<Party> {
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
fn group_before_preposition(c: &Clause<'_, '_>, te: &TokEnt) -> bool {
    let v = c.v;
    let prep = if c.before(te.a) == "the" {
        te.a.checked_sub(2)
    } else {
        te.a.checked_sub(1)
    };
    prep.and_then(|p| p.checked_sub(1))
        .is_some_and(|g| is_group_noun(v.w(g)) || v.w(g) == "representatives")
}

fn is_place_preposition(w: &str) -> bool {
    matches!(
        w,
        "in" | "of"
            | "for"
            | "to"
            | "from"
            | "across"
            | "throughout"
            | "against"
            | "into"
            | "on"
            | "at"
            | "toward"
            | "towards"
    )
}

/// The event's date: a date in its clause, nearest to the trigger; year and month dates in a
/// topic phrase belong to the topic ("the invasion in 2022"), and "since"/"until" dates bound
/// a period rather than date the event.
fn event_date(v: &View<'_>, analysis: &Analysis, s: usize, h: usize) -> Option<DateVal> {
    let mut best: Option<(usize, DateVal)> = None;
    for te in &v.ents {
        if v.seg[te.a] != s {
            continue;
        }
        let e = v.entity(analysis, te);
        if e.kind != EntityKind::Date {
            continue;
        }
        let prev = te.a.checked_sub(1).map(|k| v.w(k)).unwrap_or("");
        if matches!(prev, "since" | "until" | "till" | "by" | "from" | "through") {
            continue;
        }
        let precision = date_precision(e);
        if v.topic[te.a] && precision != DatePrecision::Day {
            continue;
        }
        let Some(value) = e.value.as_ref().and_then(|x| x.as_str()) else {
            continue;
        };
        let dist = te.a.abs_diff(h);
        if best.as_ref().is_none_or(|(d, _)| dist < *d) {
            best = Some((
                dist,
                DateVal {
                    value: value.to_string(),
                    precision,
                    text: e.text.clone(),
                },
            ));
        }
    }
    best.map(|(_, d)| d)
}

/// The topic phrases of the clause (what follows "on", "about", "to discuss"...).
fn topics(v: &View<'_>, s: usize, h: usize) -> Vec<String> {
    let mut out = Vec::new();
    let n = v.len();
    let mut k = h;
    while k < n {
        if v.seg[k] == s && v.topic[k] {
            let a = k;
            while k < n && v.topic[k] && v.seg[k] == s && !matches!(v.w(k), "." | ";" | ",") {
                k += 1;
            }
            let b = k.min(a + 12);
            let phrase = v
                .slice(a, b)
                .trim_matches(|c: char| !c.is_alphanumeric())
                .to_string();
            if !phrase.is_empty() && !out.contains(&phrase) {
                out.push(phrase);
            }
            if out.len() >= 3 {
                break;
            }
        }
        k += 1;
    }
    out
}

/// Who reported it: the reporting frame's source ("the State Department", "Politico").
fn attribution(v: &View<'_>, analysis: &Analysis) -> Vec<Attribution> {
    let n = v.len();
    let mut out: Vec<Attribution> = Vec::new();
    let mut k = 0;
    while k < n {
        let s = v.seg[k];
        if v.segs[s].kind != SegKind::Reporting {
            k += 1;
            continue;
        }
        let a = k;
        while k < n && v.seg[k] == s {
            k += 1;
        }
        // entities of the frame that can speak
        let mut found = false;
        for te in &v.ents {
            if te.a < a || te.b > k {
                continue;
            }
            let e = v.entity(analysis, te);
            let speaker = matches!(e.kind, EntityKind::Organization | EntityKind::Person);
            if speaker && !v.in_title(e.start, e.end) {
                let name = e.canonical.clone().unwrap_or_else(|| e.text.clone());
                if !out.iter().any(|x| x.name == name) {
                    out.push(Attribution {
                        name,
                        country: e.country.clone(),
                    });
                }
                found = true;
                break;
            }
        }
        if !found {
            // an unnamed or unknown source: the words before the reporting verb
            let words: Vec<usize> = (a..k).filter(|&j| !v.is_punct(j)).collect();
            let verb = words.iter().position(|&j| is_reporting_verb(v.w(j)));
            let span = match verb {
                Some(0) => {
                    // "according to two sources familiar with ..."
                    let from = words.iter().skip(1).find(|&&j| v.w(j) != "to").copied();
                    from.map(|f| (f, (f + 6).min(k)))
                }
                Some(p) => Some((words[0], words[p])),
                None => None,
            };
            if let Some((x, y)) = span {
                let name = v.slice(x, y).trim().to_string();
                let country = v
                    .ents
                    .iter()
                    .filter(|te| te.a >= x && te.b <= y)
                    .find_map(|te| v.entity(analysis, te).country.clone());
                if !name.is_empty() && name.len() < 80 && !out.iter().any(|o| o.name == name) {
                    out.push(Attribution { name, country });
                }
            }
        }
    }
    out
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
