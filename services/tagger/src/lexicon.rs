//! Word lists of the diplomatic rules: triggers, status cues, clause boundaries, group nouns.
//! All lower-case; general English news usage, no names.

use eventwire_schema::v1::DiplomaticKind;

/// How a trigger word evokes an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// A verb ("met", "will travel"): subject and objects are participants.
    Verb,
    /// A noun ("talks", "meeting"): participants come from a possessive, from prepositional
    /// phrases ("with", "between", "by") or from a support verb's subject ("held talks").
    Noun,
}

/// A trigger: kind, form, and whether it moves its subject somewhere (visits take a
/// destination).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Trigger {
    pub kind: DiplomaticKind,
    pub form: Form,
    /// Mediation rather than direct negotiation (CAMEO 045, PLOVER mode "third-party").
    pub mediation: bool,
    /// "attend": a visit when it has a place, a meeting otherwise.
    pub attend: bool,
}

const fn t(kind: DiplomaticKind, form: Form) -> Trigger {
    Trigger {
        kind,
        form,
        mediation: false,
        attend: false,
    }
}

/// The trigger starting at token `i` of `low` (lower-case tokens), with its length in tokens.
pub fn trigger_at(low: &[&str], i: usize) -> Option<(Trigger, usize)> {
    use DiplomaticKind as K;
    use Form::{Noun, Verb};
    let w = *low.get(i)?;
    let next = low.get(i + 1).copied().unwrap_or("");
    let next2 = low.get(i + 2).copied().unwrap_or("");
    let prev = if i > 0 { low[i - 1] } else { "" };
    let one = |tr: Trigger| Some((tr, 1));
    match w {
        "meet" | "meets" | "met" => one(t(K::Meet, Verb)),
        // "meeting" after a form of "be" is the verb ("are meeting"), otherwise the noun
        "meeting" if is_be(prev) => one(t(K::Meet, Verb)),
        "meeting" | "meetings" | "summit" | "summits" | "encounter" | "consultations"
        | "discussions" | "discussion" => one(t(K::Meet, Noun)),
        "talks" => {
            if prev == "peace" {
                one(t(K::Negotiate, Noun))
            } else {
                one(t(K::Meet, Noun))
            }
        }
        "discuss" | "discussed" | "discusses" | "discussing" | "confer" | "conferred"
        | "conferring" => one(t(K::Meet, Verb)),
        "host" | "hosts" | "hosted" | "hosting"
            if !matches!(next, "country" | "nation" | "city") =>
        {
            one(t(K::Meet, Verb))
        }
        "visit" | "visits"
            if is_determiner(prev) || prev.ends_with("'s") || is_adjective_slot(prev) =>
        {
            one(t(K::Visit, Noun))
        }
        "visit" | "visits" | "visited" | "visiting" => one(t(K::Visit, Verb)),
        "trip" | "trips" | "tour" => one(t(K::Visit, Noun)),
        "travel" | "travels" | "travelled" | "traveled" | "travelling" | "traveling"
            if next == "to" || next == "with" =>
        {
            one(t(K::Visit, Verb))
        }
        "head" | "heads" | "headed" | "heading" | "fly" | "flies" | "flew" | "flying"
            if next == "to" =>
        {
            one(t(K::Visit, Verb))
        }
        "arrive" | "arrives" | "arrived" | "arriving" | "landed" | "lands"
            if matches!(next, "in" | "at") || (next == "on" && next2 != "the") =>
        {
            one(t(K::Visit, Verb))
        }
        "depart" | "departs" | "departed" | "departing" | "leave" | "leaves" | "left"
        | "leaving"
            if next == "for" =>
        {
            one(t(K::Visit, Verb))
        }
        "attend" | "attends" | "attended" | "attending" => Some((
            Trigger {
                attend: true,
                ..t(K::Visit, Verb)
            },
            1,
        )),
        "phoned" | "telephoned" => one(t(K::Call, Verb)),
        "phone" | "telephone" | "video"
            if matches!(
                next,
                "call" | "calls" | "conversation" | "conversations" | "talks"
            ) =>
        {
            Some((t(K::Call, Noun), 2))
        }
        "call" | "calls" if matches!(next, "with" | "between") => one(t(K::Call, Noun)),
        "spoke" | "speak" | "speaks" | "talked" | "spoken"
            if matches!(next, "by") && matches!(next2, "phone" | "telephone") =>
        {
            Some((t(K::Call, Verb), 3))
        }
        "videoconference" | "video-conference" => one(t(K::Call, Noun)),
        "negotiate" | "negotiates" | "negotiated" | "negotiating" => one(t(K::Negotiate, Verb)),
        "negotiation" | "negotiations" => one(t(K::Negotiate, Noun)),
        "round"
            if is_round_determiner(prev)
                || (next == "of" && matches!(next2, "talks" | "negotiations")) =>
        {
            one(t(K::Negotiate, Noun))
        }
        "mediate" | "mediated" | "mediates" | "mediating" | "brokered" => Some((
            Trigger {
                mediation: true,
                ..t(K::Negotiate, Verb)
            },
            1,
        )),
        "mediation" => Some((
            Trigger {
                mediation: true,
                ..t(K::Negotiate, Noun)
            },
            1,
        )),
        "signed" | "sign" | "signs" | "signing" if is_agreement_noun_near(low, i + 1) => {
            one(t(K::Agree, Verb))
        }
        "agreed" | "agree" | "agrees" if matches!(next, "on" | "to" | "with") => {
            one(t(K::Agree, Verb))
        }
        "reached" | "reach" | "struck" | "strike" | "sealed" | "clinched" | "concluded"
            if is_agreement_noun_near(low, i + 1) =>
        {
            one(t(K::Agree, Verb))
        }
        _ => None,
    }
}

fn is_be(w: &str) -> bool {
    matches!(
        w,
        "is" | "are" | "was" | "were" | "be" | "been" | "'re" | "’re" | "am"
    )
}

fn is_determiner(w: &str) -> bool {
    matches!(
        w,
        "a" | "an"
            | "the"
            | "this"
            | "that"
            | "these"
            | "those"
            | "his"
            | "her"
            | "their"
            | "its"
            | "our"
            | "first"
            | "second"
            | "third"
            | "next"
            | "official"
            | "state"
    )
}

/// Words that sit between a determiner and an event noun ("the first high-level visit").
fn is_adjective_slot(w: &str) -> bool {
    w.ends_with("-level")
        || matches!(
            w,
            "surprise" | "rare" | "historic" | "landmark" | "upcoming" | "planned"
        )
}

fn is_round_determiner(w: &str) -> bool {
    matches!(
        w,
        "another"
            | "next"
            | "new"
            | "fresh"
            | "latest"
            | "first"
            | "second"
            | "third"
            | "fourth"
            | "fifth"
            | "final"
            | "previous"
            | "last"
            | "further"
    )
}

/// Whether an agreement noun follows within four tokens ("signed a trade deal").
fn is_agreement_noun_near(low: &[&str], from: usize) -> bool {
    low.iter().skip(from).take(4).any(|w| is_agreement_noun(w))
}

pub fn is_agreement_noun(w: &str) -> bool {
    matches!(
        w,
        "agreement"
            | "agreements"
            | "deal"
            | "deals"
            | "accord"
            | "accords"
            | "treaty"
            | "treaties"
            | "pact"
            | "memorandum"
            | "truce"
            | "ceasefire"
            | "declaration"
            | "contract"
    )
}

/// Verbs that carry a noun trigger ("held talks", "had a meeting"): their subject takes part.
pub fn is_support_verb(w: &str) -> bool {
    matches!(
        w,
        "hold"
            | "holds"
            | "held"
            | "holding"
            | "had"
            | "have"
            | "has"
            | "having"
            | "conduct"
            | "conducted"
            | "conducting"
            | "began"
            | "begin"
            | "begins"
            | "started"
            | "start"
            | "resumed"
            | "resume"
            | "opened"
            | "open"
            | "opening"
            | "join"
            | "joined"
            | "joining"
            | "attend"
            | "attended"
            | "attending"
            | "participate"
            | "participated"
            | "participating"
            | "took"
            | "take"
            | "takes"
            | "make"
            | "made"
            | "making"
            | "pay"
            | "paid"
            | "paying"
            | "launch"
            | "launched"
            | "convene"
            | "convened"
    )
}

/// Prepositions that introduce a nominal trigger's participants ("talks with", "a visit by").
pub fn is_participant_preposition(w: &str) -> bool {
    matches!(
        w,
        "with" | "between" | "by" | "among" | "involving" | "alongside"
    )
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
    matches!(
        w,
        "talks"
            | "meeting"
            | "meetings"
            | "discussions"
            | "discussion"
            | "negotiations"
            | "consultations"
            | "summit"
            | "call"
            | "conversation"
            | "agreement"
            | "deal"
            | "accord"
            | "visit"
            | "trip"
            | "round"
            | "issues"
            | "focus"
    )
}

/// Subordinators that start a new clause, with or without a comma before them.
pub fn is_clause_opener(w: &str) -> bool {
    matches!(
        w,
        "after"
            | "before"
            | "following"
            | "since"
            | "while"
            | "whereas"
            | "although"
            | "though"
            | "despite"
            | "because"
            | "unless"
            | "whilst"
    )
}

/// Words that start a new clause only after a comma or dash.
pub fn is_comma_clause_opener(w: &str) -> bool {
    matches!(
        w,
        "but" | "and" | "with" | "as" | "when" | "where" | "saying" | "adding" | "amid" | "so"
    )
}

/// Relative pronouns.
pub fn is_relative(w: &str) -> bool {
    matches!(w, "who" | "which" | "whom" | "whose")
}

/// Verbs of reporting ("said", "told").
pub fn is_reporting_verb(w: &str) -> bool {
    matches!(
        w,
        "said"
            | "says"
            | "say"
            | "reported"
            | "reports"
            | "report"
            | "told"
            | "tells"
            | "added"
            | "announced"
            | "announces"
            | "confirmed"
            | "confirms"
            | "stated"
            | "wrote"
            | "writes"
            | "claimed"
            | "claims"
            | "noted"
            | "quoted"
            | "cited"
            | "citing"
            | "according"
            | "tweeted"
            | "posted"
            | "disclosed"
            | "revealed"
    )
}

/// Nouns for people acting for a state or bloc ("his French and German counterparts").
pub fn is_group_noun(w: &str) -> bool {
    matches!(
        w,
        "officials"
            | "official"
            | "counterparts"
            | "counterpart"
            | "leaders"
            | "leadership"
            | "diplomats"
            | "diplomat"
            | "ministers"
            | "minister"
            | "delegation"
            | "delegations"
            | "delegates"
            | "negotiators"
            | "envoys"
            | "envoy"
            | "team"
            | "government"
            | "governments"
            | "authorities"
            | "representatives"
            | "allies"
            | "partners"
            | "advisers"
            | "advisors"
            | "lawmakers"
            | "legislators"
            | "mediators"
            | "side"
            | "sides"
            | "administration"
    )
}

/// Group nouns that name several people or a body, not one person's title ("officials",
/// "leadership"; not "minister").
pub fn is_collective_noun(w: &str) -> bool {
    is_group_noun(w)
        && !matches!(
            w,
            "official" | "counterpart" | "minister" | "diplomat" | "envoy" | "side"
        )
}

/// Adjectives of regions and blocs that name a group with a group noun ("European officials").
pub fn is_bloc_adjective(w: &str) -> bool {
    matches!(
        w,
        "european"
            | "western"
            | "arab"
            | "african"
            | "asian"
            | "gulf"
            | "nordic"
            | "baltic"
            | "eu"
            | "nato"
            | "g7"
            | "g20"
            | "latin"
            | "western-backed"
            | "un"
    )
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
    Progressive,
}

/// The status cue a lower-case token gives, looking at its neighbours.
pub fn cue_at(low: &[&str], i: usize) -> Option<Cue> {
    let w = *low.get(i)?;
    let next = low.get(i + 1).copied().unwrap_or("");
    let prev = if i > 0 { low[i - 1] } else { "" };
    Some(match w {
        "will" | "'ll" | "’ll" | "shall" => Cue::Future,
        "would" => Cue::Would,
        "set" | "expected" | "scheduled" | "due" | "poised" | "slated" | "preparing"
        | "planning" | "intends" | "intend" | "plans" | "plan" | "planned" | "agenda"
        | "upcoming" | "forthcoming" | "tomorrow" | "going"
            if w != "set" || is_be(prev) || prev == "also" =>
        {
            if matches!(w, "plan" | "plans") && next != "to" {
                return None;
            }
            if w == "going" && next != "to" {
                return None;
            }
            Cue::Future
        }
        "could" | "might" | "may" | "if" | "possible" | "possibly" | "proposed" | "potential"
        | "hopes" | "hope" | "hoped" | "wants" | "want" | "wanted" | "offered" | "ready"
        | "willing" | "considering" | "seeking" | "seek" | "seeks" | "sought" | "trying"
        | "attempting" | "attempt" | "aims" | "aim" => Cue::Hypothetical,
        "urge" | "urged" | "urges" | "urging" | "pressed" | "pressing" | "pressure" | "demand"
        | "demanded" | "demands" | "demanding" | "push" | "pushed" | "pushing" | "appealed"
        | "called" | "calls" | "calling"
            if w != "called" && w != "calls" && w != "calling"
                || matches!(next, "on" | "for" | "upon") =>
        {
            Cue::Demand
        }
        "not" | "never" | "n't" | "no" | "without" | "refused" | "refuses" | "declined"
        | "rejected" | "reject" | "rejects" => Cue::Negation,
        "denied" | "denies" | "deny" | "dismissed" => Cue::Denial,
        "cancelled" | "canceled" | "cancel" | "cancels" | "postponed" | "postpone" | "scrapped"
        | "suspended" | "shelved" | "delayed" => Cue::Cancel,
        "off" if matches!(prev, "called" | "call" | "calls") => Cue::Cancel,
        "has" | "have" | "had" | "was" | "were" | "did" | "recently" | "recent" | "last"
        | "earlier" | "previous" | "yesterday" | "ago" => Cue::Past,
        "is" | "are" | "'re" | "’re" => Cue::Present,
        _ => return None,
    })
}

/// Whether a verb form is past tense or a past participle (regular or common irregular).
pub fn is_past_form(w: &str) -> bool {
    (w.len() > 3 && w.ends_with("ed"))
        || matches!(
            w,
            "met"
                | "held"
                | "had"
                | "flew"
                | "left"
                | "spoke"
                | "signed"
                | "took"
                | "made"
                | "began"
                | "struck"
                | "went"
                | "came"
                | "saw"
                | "paid"
                | "led"
                | "brought"
        )
}

/// Words that read as a progressive movement ("are heading to"): an arrangement still ahead.
pub fn is_progressive(w: &str) -> bool {
    w.ends_with("ing")
}
