//! Casualty reports: people killed, wounded, shot or missing, under the counting conventions
//! conflict-data coders use.
//!
//! Each sentence is read on its own ([`sentence_casualties`]): its casualty words
//! ([`predicate`]), the victims each one counts ([`victims`]), and where, when, by whom and
//! with what ([`attributes`]). The sentences of an article are then grouped into incidents,
//! one report each ([`incident`]). Deaths from disease, accidents and disasters, threats and
//! attempts, idioms, and tolls recalled from an older incident are not reported; tolls over a
//! period are marked cumulative.

pub mod attributes;
pub mod incident;
pub mod predicate;
pub mod victims;

use chrono::NaiveDate;
use eventwire_nlp::{Analysis, EntityKind, Truecaser};
use eventwire_schema::v1::{Count, Evidence, Perpetrator, ResolvedDate, VictimGroup};

use crate::context::TagContext;
use crate::facts::Place;
use crate::view::View;
use crate::words::{list, List};
use attributes::{sentence_attributes, Attributes};
use predicate::{predicates, starts_casualty_predicate, Form, Outcome, Predicate};
use victims::{Reader, Victims};

pub use incident::incidents;

/// One incident's report, before it becomes a `CasualtyReport`.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub killed: Option<Count>,
    pub injured: Option<Count>,
    pub missing: Option<Count>,
    /// Killed and injured counted together ("dozens were killed or wounded", "five shot").
    pub affected: Option<Count>,
    /// A toll over a period or a war, not one incident's.
    pub cumulative: bool,
    /// A cause other than violence ("disease", "accident", "disaster"); empty for violence.
    pub cause: String,
    pub victims: Vec<VictimGroup>,
    pub locations: Vec<Place>,
    pub country: Option<String>,
    pub date: Option<ResolvedDate>,
    pub perpetrator: Option<Perpetrator>,
    pub weapon: Option<String>,
    pub evidence: Vec<Evidence>,
}

/// A casualty word with the victims it counts.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    pub outcome: Outcome,
    pub victims: Victims,
}

/// What one sentence says of casualties.
#[derive(Debug, Clone)]
pub struct SentenceCasualties {
    pub sentence: usize,
    pub mentions: Vec<Mention>,
    pub attributes: Attributes,
    pub cumulative: bool,
    /// A cause other than violence the sentence gives ("disaster"), if any.
    pub cause: Option<String>,
    /// The sentence opens a new incident ("in another attack", "separately").
    pub new_incident: bool,
    pub evidence: Evidence,
}

/// Whether a sentence can report a casualty at all (a cheap test on its lower-case words).
pub fn mentions_casualty(low: &[&str]) -> bool {
    low.iter().any(|w| starts_casualty_predicate(w))
}

/// The casualties sentence `v` reports, if any.
pub fn sentence_casualties(
    v: &View<'_>,
    an: &Analysis,
    context: &TagContext<'_>,
    published: Option<NaiveDate>,
) -> Option<SentenceCasualties> {
    if !mentions_casualty(v.low) || is_archive_caption(v) {
        return None;
    }
    let mentions = sentence_mentions(v, an, context.truecaser, published);
    if mentions.is_empty() {
        return None;
    }
    let (start, end) = v.span();
    Some(SentenceCasualties {
        sentence: v.sentence,
        mentions,
        attributes: sentence_attributes(v, an, context.gazetteer),
        cumulative: has_phrase(v, List::CumulativeCues)
            || since_a_date(v, an)
            || war_toll_so_far(v),
        cause: non_violent_cause(v),
        new_incident: opens_new_incident(v),
        evidence: Evidence {
            sentence: v.slice(0, v.len()).to_string(),
            start: u32::try_from(start).unwrap_or(u32::MAX),
            end: u32::try_from(end).unwrap_or(u32::MAX),
        },
    })
}

/// "FILE - Mourners carry the coffin of ...": the caption of an archive photo shows an older
/// event, not this article's news. The marker is written in capitals.
fn is_archive_caption(v: &View<'_>) -> bool {
    let marker = v
        .toks
        .first()
        .is_some_and(|t| v.slice(0, 1) == "FILE" && t.is_upper_initial());
    marker && matches!(v.w(1), "-" | "–" | "—" | ":")
}

/// The mentions of a sentence: each reported predicate with its victims; a predicate
/// coordinated with the one before ("was shot and later died") shares its victims, and the
/// graver outcome replaces the lighter one for the same victims.
fn sentence_mentions(
    v: &View<'_>,
    an: &Analysis,
    truecaser: &Truecaser,
    published: Option<NaiveDate>,
) -> Vec<Mention> {
    let reader = Reader::new(v, an, truecaser);
    let mut mentions: Vec<Mention> = Vec::new();
    for p in predicates(v.low) {
        if is_hedged(v, &p)
            || is_denied(v, &p)
            || is_negated(v, &p)
            || is_recalled(v, an, &p)
            || is_dated_long_before(v, an, &p, published)
            || is_infinitive_aim(v, &p)
        {
            continue;
        }
        let victims = if coordinated_with_previous(v, &p) {
            mentions.last().map(|m| m.victims.clone())
        } else {
            reader.victims_of(&p)
        };
        let Some(victims) = victims else { continue };
        let mention = Mention {
            outcome: p.outcome,
            victims,
        };
        add_mention(&mut mentions, mention);
    }
    mentions.retain(|m| m.victims.count.is_some() || !m.victims.groups.is_empty());
    if let Some(first) = mentions.first_mut() {
        for g in reader.included_groups() {
            match first.victims.groups.iter_mut().find(|x| x.group == g.group) {
                Some(known) if known.count.is_none() => *known = g,
                Some(_) => {}
                None => first.victims.groups.push(g),
            }
        }
    }
    mentions
}

/// Adds a mention; for victims already counted by another mention the graver outcome stays.
fn add_mention(mentions: &mut Vec<Mention>, mention: Mention) {
    let same = mentions
        .iter_mut()
        .find(|m| m.victims.start == mention.victims.start && m.victims.end == mention.victims.end);
    match same {
        Some(m) if graver(mention.outcome, m.outcome) => *m = mention,
        Some(_) => {}
        None => mentions.push(mention),
    }
}

/// Whether outcome `a` is graver than `b` for the same victims (shot, then killed).
fn graver(a: Outcome, b: Outcome) -> bool {
    a == Outcome::Killed && matches!(b, Outcome::Injured | Outcome::Shot | Outcome::Affected)
}

/// "was shot and killed", "were wounded and later died": the predicate follows "and" right
/// after another predicate's words, with no victims of its own between.
fn coordinated_with_previous(v: &View<'_>, p: &Predicate) -> bool {
    let mut k = p.start;
    while k > 0 && victims::skip_class(v.w(k - 1)) == Some("adverb") {
        k -= 1;
    }
    k >= 2 && v.w(k - 1) == "and" && starts_casualty_predicate(v.w(k - 2))
        || k >= 3 && v.w(k - 1) == "and" && v.w(k - 2).ends_with("ly")
}

/// "was not injured", "no one was hurt", "none of them died": no casualty.
fn is_negated(v: &View<'_>, p: &Predicate) -> bool {
    let mut k = p.start;
    while k > 0 && victims::skip_class(v.w(k - 1)).is_some() {
        if matches!(v.w(k - 1), "not" | "n't" | "never") {
            return true;
        }
        k -= 1;
    }
    // "not a single villager died", "not one soldier was hurt"
    let not_one = (k.saturating_sub(4)..k)
        .any(|j| v.w(j) == "not" && matches!(v.w(j + 1), "a" | "one" | "any" | "even"));
    (k.saturating_sub(3)..k).any(|j| matches!(v.w(j), "no" | "nobody" | "none" | "neither" | "nor"))
        || matches!(v.w(p.start.saturating_sub(1)), "no" | "without")
        || not_one
}

/// "flew to the coast to kill the union leader", "ordered them to kill": an active verb
/// in the infinitive is an aim, an order or a plan, not a report ("shot to death" is a noun
/// and "the third to be killed" a passive; both still report), unless a verb of success
/// carries it ("managed to kill two guards").
fn is_infinitive_aim(v: &View<'_>, p: &Predicate) -> bool {
    let word = v.w(p.start);
    let base = !(word.ends_with("ed") || word.ends_with("ing") || word.ends_with('s'));
    let achieved =
        list(List::CasualtyHedges).class(v.w(p.start.saturating_sub(2))) == Some("achieved");
    p.start > 0
        && v.w(p.start - 1) == "to"
        && base
        && !achieved
        && matches!(p.form, Form::Active | Form::Intransitive)
}

/// "threatened to kill", "could have died", "attempted murder", and after a noun "an
/// assassination attempt", "a murder plot": not a report.
fn is_hedged(v: &View<'_>, p: &Predicate) -> bool {
    let hedge = |k: usize| list(List::CasualtyHedges).class(v.w(k)) == Some("hedge");
    (p.start.saturating_sub(3)..p.start).any(hedge) || (p.form == Form::Noun && hedge(p.end))
}

/// The most words between a denial's "that" and the casualty word it denies.
const DENIED_CLAUSE_WORDS: usize = 8;

/// "the militia denied that its leader died", "officials deny reports that two
/// guards died": a denial opening a short clause with "that" that holds the casualty word.
fn is_denied(v: &View<'_>, p: &Predicate) -> bool {
    let denial = |k: usize| list(List::CasualtyHedges).class(v.w(k)) == Some("denial");
    let from = p.start.saturating_sub(DENIED_CLAUSE_WORDS);
    (from..p.start)
        .filter(|&j| v.w(j) == "that")
        .any(|j| (j.saturating_sub(3)..j).any(denial))
}

/// "the 2012 shooting that killed three", "last year's bombing, which killed 20", "in 1979,
/// when rebels killed 60": a toll recalled from an older incident, not this one's.
fn is_recalled(v: &View<'_>, an: &Analysis, p: &Predicate) -> bool {
    let dated_before = |r: usize, reach: usize, any_date: bool| {
        (r.saturating_sub(reach)..r).any(|k| {
            (any_date && v.is_kind(an, k, EntityKind::Date))
                || is_year(v.w(k))
                || (v.w(k) == "last" && v.w(k + 1).starts_with("year"))
                || (v.w(k) == "years" && v.w(k + 1) == "ago")
        })
    };
    // "the 2012 shooting that killed three"
    let that = (p.start.saturating_sub(2)..p.start).find(|&k| matches!(v.w(k), "that" | "which"));
    // "Sandy Hook, in 2012, where 26 people died"; "last year, when a patrol killed 23"
    let place = (p.start.saturating_sub(6)..p.start).find(|&k| matches!(v.w(k), "where" | "when"));
    that.is_some_and(|r| dated_before(r, 6, true))
        || place.is_some_and(|r| dated_before(r, 8, false))
}

/// How many days before the article a toll may be dated and still be news.
const RECENT_DAYS: i64 = 180;

/// "were killed in 1987", "died eleven years ago", "In October 2019, ... were killed": a toll
/// dated half a year or more before the article (read in the words after the casualty word,
/// or at the sentence's opening) is recalled, not reported.
fn is_dated_long_before(
    v: &View<'_>,
    an: &Analysis,
    p: &Predicate,
    published: Option<NaiveDate>,
) -> bool {
    let old = |k: usize| years_ago(v, k) || published.is_some_and(|d| dated_before(v, an, k, d));
    let opening = 0..v.len().min(6).min(p.start);
    (p.end..(p.end + 8).min(v.len())).any(old) || opening.into_iter().any(old)
}

/// "eleven years ago", "decades ago".
fn years_ago(v: &View<'_>, k: usize) -> bool {
    k > 0 && v.w(k) == "ago" && matches!(v.w(k - 1), "years" | "decades")
}

/// Whether a date or a year starts at token `k` and lies more than [`RECENT_DAYS`] before
/// `published`; a date that opens or closes a period ("since 1981", "until 1990") dates no
/// incident.
fn dated_before(v: &View<'_>, an: &Analysis, k: usize, published: NaiveDate) -> bool {
    let period = k > 0 && matches!(v.w(k - 1), "since" | "from" | "until" | "between" | "by");
    let date = match v.ent_at.get(k).copied().flatten() {
        Some(id) if v.ents[id].a == k => {
            let e = v.entity(an, &v.ents[id]);
            (e.kind == EntityKind::Date)
                .then(|| {
                    e.value
                        .as_ref()
                        .and_then(|x| x.as_str())
                        .and_then(latest_day)
                })
                .flatten()
        }
        Some(_) => None,
        None => is_year(v.w(k)).then(|| latest_day(v.w(k))).flatten(),
    };
    !period && date.is_some_and(|d| (published - d).num_days() > RECENT_DAYS)
}

/// The last day a date value ("YYYY-MM-DD", "YYYY-MM" or "YYYY") may stand for.
fn latest_day(value: &str) -> Option<NaiveDate> {
    let mut parts = value.split('-').map(str::parse::<u32>);
    let year = i32::try_from(parts.next()?.ok()?).ok()?;
    let month = parts.next().and_then(Result::ok).unwrap_or(12);
    let day = parts.next().and_then(Result::ok).unwrap_or(28);
    NaiveDate::from_ymd_opt(year, month, day)
}

fn is_year(w: &str) -> bool {
    w.len() == 4
        && (w.starts_with("19") || w.starts_with("20"))
        && w.bytes().all(|b| b.is_ascii_digit())
}

/// A cause other than violence (disease, accident, disaster) when the sentence names no
/// weapon or attack.
fn non_violent_cause(v: &View<'_>) -> Option<String> {
    let violent = (0..v.len()).any(|i| {
        list(List::Weapons).starts_entry(v.w(i)) || list(List::AttackNouns).contains(v.w(i))
    });
    if violent {
        return None;
    }
    let causes = list(List::NonViolentCauses);
    (0..v.len()).find_map(|i| {
        causes
            .starts_entry(v.w(i))
            .then(|| causes.entry_at(v.low, i))
            .flatten()
            .map(|(cause, _)| cause.to_string())
    })
}

/// "the war has left more than 70,000 dead": a perfect tense in a sentence about a war.
fn war_toll_so_far(v: &View<'_>) -> bool {
    let perfect = (0..v.len()).any(|i| matches!(v.w(i), "has" | "have"));
    perfect && has_phrase(v, List::WarWords)
}

/// "since 1980", "since 11 November": a toll counted from a date.
fn since_a_date(v: &View<'_>, an: &Analysis) -> bool {
    (0..v.len()).any(|i| {
        v.w(i) == "since"
            && (i + 1..(i + 7).min(v.len()))
                .any(|k| v.is_kind(an, k, EntityKind::Date) || is_year(v.w(k)))
    })
}

/// Whether an entry of `l` occurs in the sentence.
fn has_phrase(v: &View<'_>, l: List) -> bool {
    let table = list(l);
    (0..v.len()).any(|i| table.starts_entry(v.w(i)) && table.entry_at(v.low, i).is_some())
}

/// "In another attack", "separately", "elsewhere": the sentence starts a new incident.
fn opens_new_incident(v: &View<'_>) -> bool {
    (0..v.len().min(6)).any(|i| {
        let w = v.w(i);
        matches!(w, "separately" | "elsewhere" | "meanwhile")
            || (matches!(w, "another" | "separate" | "second")
                && matches!(
                    v.w(i + 1),
                    "attack" | "incident" | "shooting" | "bombing" | "clash"
                ))
    })
}
