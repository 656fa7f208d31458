//! Victim phrases: who a casualty predicate counts, and how many. The phrase is read outward
//! from the predicate (before it when passive, after it when active, after "of" for a noun);
//! its figure is a stated number, or one for a single person ("a man", "the mayor", a name),
//! summed over coordinated parts ("two nurses and three patients").

use eventwire_nlp::{Analysis, EntityKind, Truecaser};
use eventwire_schema::v1::{Count, VictimGroup};
use eventwire_timex::{Qualifier, Quantity, QuantityKind};

use super::predicate::{Form, Predicate};
use crate::view::View;
use crate::words::Role;
use crate::words::{self, list, List};

/// The most words a victim phrase spans.
const MAX_PHRASE_WORDS: usize = 12;

/// Grammatical gender of a single victim, where the words tell it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gender {
    Male,
    Female,
    Unknown,
}

impl Gender {
    /// Whether two single victims may be the same person.
    pub fn compatible(self, other: Gender) -> bool {
        self == other || self == Gender::Unknown || other == Gender::Unknown
    }
}

/// Who a predicate counts.
#[derive(Debug, Clone, PartialEq)]
pub struct Victims {
    /// The figure; `None` when the phrase states none ("several people", "they").
    pub count: Option<Count>,
    pub groups: Vec<VictimGroup>,
    /// One person, not counted by a number ("a man", "the mayor", a name).
    pub single: Option<Gender>,
    /// Refers back to victims already told ("the victim", "he", "the two").
    pub definite: bool,
    /// A further victim ("another man", "a second woman").
    pub additive: bool,

    /// Token range of the phrase.
    pub start: usize,
    pub end: usize,
}

/// The most words of a relative clause between commas (", who ..., was killed").
const MAX_RELATIVE_WORDS: usize = 20;

/// The longest modifier stepped over between victims and their passive verb.
const MAX_MODIFIER_WORDS: usize = 8;

/// A sentence's quantities as token ranges.
pub struct SentenceQuantities<'a> {
    spans: Vec<(usize, usize, &'a Quantity)>,
}

impl<'a> SentenceQuantities<'a> {
    /// The counting quantities of sentence `v` (years, ages, ordinals and amounts left out).
    pub fn new(v: &View<'_>, an: &'a Analysis) -> Self {
        let all = an
            .sentence_quantities
            .get(v.sentence)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let spans = all
            .iter()
            .filter(|q| matches!(q.kind, QuantityKind::Count | QuantityKind::Partitive))
            .filter_map(|q| {
                let a = v.toks.partition_point(|t| t.end <= q.start);
                let b = v.toks.partition_point(|t| t.start < q.end);
                let counts = !is_age(v, a, b)
                    && !is_times(v, b)
                    && !is_designation(v, q.start)
                    && !is_compound_modifier(v, q.end);
                (a < b && counts).then_some((a, b, q))
            })
            .collect();
        SentenceQuantities { spans }
    }

    /// The quantity covering token `i`.
    fn at(&self, i: usize) -> Option<(usize, usize, &'a Quantity)> {
        self.spans
            .iter()
            .copied()
            .find(|&(a, b, _)| a <= i && i < b)
    }

    /// The first quantity inside tokens `a..b`.
    fn within(&self, a: usize, b: usize) -> Option<(usize, usize, &'a Quantity)> {
        self.spans
            .iter()
            .copied()
            .find(|&(qa, qb, _)| a <= qa && qb <= b)
    }

    /// The quantity ending right at token `end` (exclusive).
    fn ending_at(&self, end: usize) -> Option<(usize, usize, &'a Quantity)> {
        self.spans.iter().copied().find(|&(_, qb, _)| qb == end)
    }
}

/// A number that gives an age ("a 20-year-old", "25 years old", "Ana Ruiz, 35,", "aged
/// 40", "aged 24 and 37"), not a count.
fn is_age(v: &View<'_>, a: usize, b: usize) -> bool {
    let next = v.w(b);
    let own = v.w(b - 1);
    let after_name = a >= 2
        && v.w(a - 1) == ","
        && v.is_kind_any(a - 2)
        && own.parse::<u32>().is_ok_and(|n| n < 120);
    let apposition = after_name
        || (a >= 2
            && v.w(a - 1) == ","
            && matches!(next, "," | "." | ")" | "and" | "was" | "were" | "is" | "")
            && (v.toks[a - 2].is_upper_initial() || v.ent_at[a - 2].is_some()));
    // "aged 24 and 37": the second age of a pair
    let second_age = a >= 3
        && matches!(v.w(a - 1), "and" | "or" | "to" | ",")
        && matches!(v.w(a - 3), "aged" | "ages")
        && v.w(a - 2).parse::<u32>().is_ok();
    // "Ana Ruiz, 35, and Lea Berg, 41,": a small number between commas after a word
    let between_commas = a >= 2
        && v.w(a - 1) == ","
        && next == ","
        && v.w(a - 2).chars().all(char::is_alphabetic)
        && own.parse::<u32>().is_ok_and(|n| n < 120);
    own.contains("year")
        || second_age
        || between_commas
        || next.starts_with("-year")
        || (next == "-" && v.w(b + 1).starts_with("year"))
        || (a > 0 && matches!(v.w(a - 1), "then" | "now" | "age"))
        || next.starts_with("year-old")
        || (next == "years" && v.w(b + 1) == "old")
        || (a > 0 && v.w(a - 1) == "aged")
        || (a >= 2 && v.w(a - 1) == "of" && matches!(v.w(a - 2), "age" | "ages"))
        || apposition
}

/// "QX-9", "Z-12": a number hyphenated to a short run of letters is part of a name or a
/// model, not a count ("the QX-9 members" are no 9 people). `start` is the number's
/// byte offset in the text.
fn is_designation(v: &View<'_>, start: usize) -> bool {
    let Some(before) = v.text.get(..start) else {
        return false;
    };
    let Some(rest) = before.strip_suffix('-') else {
        return false;
    };
    let letters = rest.chars().rev().take_while(|c| c.is_alphabetic()).count();
    (1..=3).contains(&letters)
}

/// "a four-star general", "a three-term mayor": a number joined by a hyphen to a word that
/// is not a noun for people is part of a compound modifier, not a count ("a two-man crew"
/// still counts; "20-year-old" is an age). `end` is the number's end byte offset in the text.
fn is_compound_modifier(v: &View<'_>, end: usize) -> bool {
    let Some(rest) = v.text.get(end..).and_then(|t| t.strip_prefix('-')) else {
        return false;
    };
    let word: String = rest
        .chars()
        .take_while(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .collect();
    !word.is_empty()
        && !word.starts_with("year")
        && !is_person_noun(&word)
        && !list(List::VictimNouns).contains(&word)
}

/// "shot 16 times", "a single gunshot": a number of shots, not of victims.
fn is_times(v: &View<'_>, b: usize) -> bool {
    matches!(v.w(b), "times" | "time") || (v.w(b - 1) == "single" && !is_person_noun(v.w(b)))
}

/// The figure a quantity states, under the counting conventions; vague words that state no
/// figure ("several", "a number of") keep their text and no number.
pub fn count_of(q: &Quantity) -> Count {
    let uncounted = q.qualifier == Qualifier::Vague
        && q.text
            .to_lowercase()
            .split(' ')
            .any(|w| list(List::UncountedQuantities).contains(w));
    let (low, high) = if uncounted {
        (None, None)
    } else {
        (
            q.low.and_then(|x| u32::try_from(x).ok()),
            q.high.and_then(|x| u32::try_from(x).ok()),
        )
    };
    Count {
        low,
        high,
        qualifier: q.qualifier.as_str().to_string(),
        text: q.text.clone(),
    }
}

fn exact(n: u32, text: &str) -> Count {
    Count {
        low: Some(n),
        high: Some(n),
        qualifier: "exact".to_string(),
        text: text.to_string(),
    }
}

/// One sentence as the victim rules read it: its view, its analysis and its counting
/// quantities.
pub struct Reader<'v, 'a> {
    v: &'v View<'a>,
    an: &'a Analysis,
    qs: SentenceQuantities<'a>,
    /// Tells a common word from a name at the sentence's start.
    truecaser: &'v Truecaser,
}

impl<'v, 'a> Reader<'v, 'a> {
    /// The reader of sentence `v`.
    pub fn new(v: &'v View<'a>, an: &'a Analysis, truecaser: &'v Truecaser) -> Self {
        Reader {
            v,
            an,
            qs: SentenceQuantities::new(v, an),
            truecaser,
        }
    }

    /// Whether a list goes on at `i` after a comma: a figure starts there ("three soldiers,
    /// two children and a nurse").
    fn continues_list(&self, i: usize) -> bool {
        self.qs.at(i).is_some_and(|(a, _, _)| a == i)
    }

    /// Whether a coordinated part starts at `i` with a determiner, a figure or a name ("and
    /// three patients", "and a woman", "and his wife"): "senator and candidate Ana Ruiz" is one
    /// person.
    fn starts_counted_part(&self, i: usize) -> bool {
        list(List::VictimDeterminers).contains(self.v.w(i))
            || self.continues_list(i)
            || self.v.is_kind_any(i)
    }

    /// The victims of predicate `p`, read where its form puts them.
    pub fn victims_of(&self, p: &Predicate) -> Option<Victims> {
        let v = self.v;
        match p.form {
            Form::Multiplied(times) => Some(multiplied(v, p, times)),
            Form::Toll => self.toll_figure(p),
            Form::Active => self.object_victims(p.end),
            Form::Noun => self.noun_victims(p),
            Form::Adjective => self.figure_before(p.start).or_else(|| {
                // "kneeling beside dead bodies": an attributive adjective has no subject
                (!self.is_attributive(p)).then(|| self.victims_before(p.start))?
            }),
            Form::Intransitive => self.victims_before(p.start),
            Form::Participle => self.participle_victims(p),
        }
    }

    /// Whether an adjective stands before the noun it qualifies ("dead soldiers", "dead
    /// bodies"), not after its victims ("left five people dead").
    fn is_attributive(&self, p: &Predicate) -> bool {
        let next = self.v.w(p.end);
        let noun = list(List::CasualtyWords)
            .entry_at(self.v.low, p.end)
            .is_some_and(|(class, _)| class.ends_with(" noun"));
        is_person_noun(next) || list(List::VictimNouns).contains(next) || noun
    }

    /// "the death toll rose to 35", "a toll of 35": the first figure within six words after.
    fn toll_figure(&self, p: &Predicate) -> Option<Victims> {
        let (v, qs) = (self.v, &self.qs);
        let (a, b, q) = (p.end..(p.end + 6).min(v.len())).find_map(|i| qs.at(i))?;
        Some(Victims {
            count: Some(count_of(q)),
            groups: Vec::new(),
            single: None,
            definite: false,
            additive: false,
            start: a,
            end: b,
        })
    }

    /// "gunmen killed the mayor" (victims after) against "two men were killed" (before).
    fn participle_victims(&self, p: &Predicate) -> Option<Victims> {
        let v = self.v;
        let passive = passive_auxiliary_before(v, p.start);
        // "gunmen shot at the patrol": shots fired, nobody hit
        if !passive && v.w(p.end) == "at" && p.outcome == super::predicate::Outcome::Shot {
            return None;
        }
        // "carries a wounded woman": an attribute, not a report; but "the slain mayor", "the
        // assassinated candidate X" tells of one person killed
        if !passive
            && matches!(
                p.start.checked_sub(1).map(|k| v.w(k)),
                Some("a" | "an" | "the")
            )
        {
            return self.killed_one_named_after(p);
        }
        if !passive {
            let object = if self.starts_phrase(p.end) {
                self.object_victims(p.end)
            } else {
                self.object_after(p.end)
                    .and_then(|(a, b)| self.named_by_apposition(a, b))
            };
            if object.is_some() {
                return object;
            }
        }
        if let Some(victims) = self.figure_before(p.start) {
            return Some(victims);
        }
        // "after a guard shot a cashier": the subject of an active verb with an object is
        // the attacker, never the victim
        if !passive && self.has_object(p.end) {
            return self.object_victims(p.end);
        }
        if !passive && self.agent_pronoun_before(p.start) {
            return None;
        }
        self.victims_before(p.start)
    }

    /// "the slain mayor", "the slain candidate Ana Ruiz": after "the", a participle of
    /// death before one person names that person killed.
    fn killed_one_named_after(&self, p: &Predicate) -> Option<Victims> {
        let v = self.v;
        let definite = p.start > 0 && v.w(p.start - 1) == "the";
        if !definite || p.outcome != super::predicate::Outcome::Killed {
            return None;
        }
        let (a, b) = self.object_after(p.end)?;
        let victims = self.part(a, b)?;
        victims.single?;
        Some(victims)
    }

    /// "then he shot twice": a pronoun in the subject case right before an active verb (over
    /// adverbs) is the one who shot, not the one shot.
    fn agent_pronoun_before(&self, start: usize) -> bool {
        let v = self.v;
        let mut k = start;
        while k > 0 && skip_class(v.w(k - 1)) == Some("adverb") {
            k -= 1;
        }
        k > 0 && words::has_role(v.w(k - 1), Role::SubjectPronoun)
    }

    /// Whether a word that can open a noun phrase stands at `i`, right after a verb: a
    /// determiner, a figure, a name or a plain word that is no boundary, adverb, date or
    /// function word ("shot cashier Ana Ruiz", not "shot dead", "killed Monday", "killed
    /// trying to flee", "killed in").
    fn has_object(&self, i: usize) -> bool {
        let v = self.v;
        let w = v.w(i);
        let plain = w.chars().all(char::is_alphabetic)
            && !self.is_boundary(i)
            && skip_class(w).is_none()
            && list(List::PhraseBoundaries).class(w).is_none()
            && !list(List::NonObjectWords).contains(w)
            && !v.is_kind(self.an, i, EntityKind::Date);
        i < v.len() && (self.starts_phrase(i) || plain)
    }

    /// The victims an active verb's object at `start` names: the phrase itself, or, for a
    /// name the text does not know ("killed lyra okafor, wife of a judge", as sentence-case
    /// copy writes it), the one person its apposition names.
    fn object_victims(&self, start: usize) -> Option<Victims> {
        let (a, b) = self.object_after(start)?;
        self.phrase(a, b).or_else(|| self.named_by_apposition(a, b))
    }

    /// A short phrase `a..b` without a determiner (a name), followed by a comma and an
    /// apposition that names one person.
    fn named_by_apposition(&self, a: usize, b: usize) -> Option<Victims> {
        let v = self.v;
        let determiner = list(List::VictimDeterminers).contains(v.w(a));
        if v.w(b) != "," || b - a > 4 || determiner {
            return None;
        }
        let (ca, cb) = self.object_after(b + 1)?;
        let victims = self.phrase(ca, cb)?;
        victims.single?;
        Some(Victims {
            start: a,
            end: cb,
            ..victims
        })
    }

    /// "the deaths of 10 people", "35 deaths", "two bodies", "his death".
    fn noun_victims(&self, p: &Predicate) -> Option<Victims> {
        let v = self.v;
        let of = self.of_after_noun(p.end);
        if let Some(of) = of.filter(|&k| matches!(v.w(k), "of" | "to")) {
            if let Some(victims) = self
                .object_after(of + 1)
                .and_then(|(a, b)| self.phrase(a, b))
            {
                return Some(victims);
            }
        }
        if let Some(victims) = self
            .figure_before(p.start)
            .or_else(|| self.figure_before_adjective(p.start))
        {
            return Some(victims);
        }
        // "a man's body", "the victim's death": the owner
        if let Some(owner) = (p.start.saturating_sub(3)..p.start)
            .rev()
            .find(|&k| matches!(v.w(k), "'s" | "’s"))
        {
            if let Some(victims) = self.victims_before(owner) {
                return Some(victims);
            }
        }
        // "was taken to a hospital with serious injuries": the clause's subject
        if let Some(with) = (p.start.saturating_sub(4)..p.start).find(|&k| v.w(k) == "with") {
            if let Some(victims) = self
                .clause_subject(with)
                .and_then(|(a, b)| self.phrase(a, b))
            {
                return Some(victims);
            }
        }
        // "one person suffered minor injuries", "was suffering from a gunshot wound"
        if let Some(verb) = (p.start.saturating_sub(4)..p.start).rev().find(|&k| {
            matches!(
                v.w(k),
                "suffered" | "sustained" | "received" | "suffering" | "sustaining"
            )
        }) {
            if let Some(victims) = self.victims_before(verb) {
                return Some(victims);
            }
        }
        // "his death"; but "his body" is a body part unless it was found ("his body was found")
        let corpse = matches!(v.w(p.start), "body" | "remains");
        let found = (p.end..v.len().min(p.end + 4))
            .any(|k| matches!(v.w(k), "found" | "discovered" | "recovered" | "identified"));
        if corpse && !found {
            return None;
        }
        let owner = p.start.checked_sub(1).map(|k| v.w(k)).unwrap_or("");
        let single = match owner {
            "his" => Some(Gender::Male),
            "her" => Some(Gender::Female),
            _ => None,
        }?;
        Some(Victims {
            count: Some(exact(1, v.slice(p.start - 1, p.end))),
            groups: Vec::new(),
            single: Some(single),
            definite: true,
            additive: false,
            start: p.start - 1,
            end: p.end,
        })
    }

    /// A figure right before the predicate, over victim words in between ("18 dead", "35
    /// civilians killed", "two more bodies").
    fn figure_before(&self, start: usize) -> Option<Victims> {
        let (v, an, qs) = (self.v, self.an, &self.qs);
        let mut k = start;
        while k > 0 && start - k < 4 {
            if let Some((a, _, _)) = qs.ending_at(k) {
                // "12 rebels and 3 policemen dead": the whole list before the figure
                if a > 0 && matches!(v.w(a - 1), "and" | ",") {
                    return self.victims_before(start);
                }
                return self.phrase(a, start);
            }
            let w = v.w(k - 1);
            let filler = is_person_noun(w)
                || list(List::VictimNouns).contains(w)
                || matches!(w, "more" | "other" | "people" | "were" | "are" | "civilian")
                || is_demonym(v, an, k - 1);
            if !filler {
                return None;
            }
            k -= 1;
        }
        None
    }

    /// Where the "of" of a casualty noun stands: right after it, or after a date or a place
    /// put between ("the killing on 28 April of ...", "the killing in Eastfield of ...":
    /// names and numbers only).
    fn of_after_noun(&self, end: usize) -> Option<usize> {
        let v = self.v;
        if !matches!(v.w(end), "on" | "in") {
            return Some(end);
        }
        let named =
            |k: usize| v.is_kind_any(k) || v.toks.get(k).is_some_and(|t| t.is_upper_initial());
        (end + 2..(end + 5).min(v.len()))
            .find(|&k| v.w(k) == "of")
            .filter(|&of| (end + 1..of).all(named))
    }

    /// "two tragic deaths", "three brutal murders": a figure before a noun of casualty,
    /// over one word that qualifies it.
    fn figure_before_adjective(&self, start: usize) -> Option<Victims> {
        let v = self.v;
        let k = start.checked_sub(1)?;
        let w = v.w(k);
        let qualifies = w.chars().all(char::is_alphabetic)
            && !self.is_boundary(k)
            && skip_class(w).is_none()
            && !list(List::NonObjectWords).contains(w)
            && !list(List::NonPersonUnits).contains(w)
            && !list(List::VictimDeterminers).contains(w);
        qualifies.then(|| self.figure_before(k)).flatten()
    }

    /// Whether a victim phrase can start at token `i` (an object after an active verb).
    fn starts_phrase(&self, i: usize) -> bool {
        let (v, an, qs) = (self.v, self.an, &self.qs);
        let w = v.w(i);
        qs.at(i).is_some()
            || list(List::VictimDeterminers).contains(w)
            || is_person_noun(w)
            || matches!(w, "them" | "people" | "at" | "all" | "both")
            || v.is_kind(an, i, EntityKind::Person)
            || is_demonym(v, an, i)
    }

    fn is_boundary(&self, i: usize) -> bool {
        let (v, qs) = (self.v, &self.qs);
        if qs.at(i).is_some() {
            return false;
        }
        let w = v.w(i);
        // "a man wielding two guns": a participle clause ends the phrase
        if w.len() > 4 && w.ends_with("ing") && !is_person_noun(w) && !v.is_kind_any(i) {
            return true;
        }
        (v.is_punct(i) && !matches!(w, "-" | "'s" | "’s"))
            || list(List::PhraseBoundaries).contains(w)
            || list(List::CasualtyWords).starts_entry(w)
            || is_aux(w)
    }

    /// The victims before `start`: the phrase there, else an apposition right before it ("Ana
    /// Ruiz, a 26-year-old nurse, was injured").
    fn victims_before(&self, start: usize) -> Option<Victims> {
        let v = self.v;
        let direct = self
            .subject_before(start)
            .and_then(|(a, b)| self.phrase(a, b));
        direct.or_else(|| {
            let (a, b) = apposition_before(v, start)?;
            self.phrase(a, b)
        })
    }

    /// The phrase before `start`: auxiliaries, adverbs, a relative pronoun (", who was killed")
    /// and an age apposition (", 25,") are stepped over first.
    fn subject_before(&self, start: usize) -> Option<(usize, usize)> {
        let v = self.v;
        let mut k = start;
        let mut passive = false;
        while k > 0 {
            let w = v.w(k - 1);
            match skip_class(w) {
                Some("aux") => {
                    passive = true;
                    k -= 1;
                }
                Some("adverb") => k -= 1,
                Some("relative") => {
                    // ", who was killed": the phrase ends at the comma, which may close an
                    // apposition ("X, a judge, who was killed")
                    k -= 1;
                    break;
                }
                _ => break,
            }
        }
        let k = if passive {
            self.post_modifier_start(k).unwrap_or(k)
        } else {
            k
        };
        let end = skip_appositions_back(v, k);
        let mut a = end;
        while a > 0 && end - a < MAX_PHRASE_WORDS {
            let list_goes_on = v.w(a - 1) == ","
                && self.continues_list(a)
                && a >= 2
                && !self.is_boundary(a - 2)
                && (is_person_noun(v.w(a - 2)) || list(List::VictimNouns).contains(v.w(a - 2)));
            if self.is_boundary(a - 1) && !list_goes_on && !self.is_ing_modifier(a - 1) {
                break;
            }
            // "relatives of assailants killed": the victims are after "of", unless it counts
            // them ("two of them", "the bodies of")
            // ("four officers of the battalion were killed" is the whole phrase)
            if v.w(a - 1) == "of" && !passive && !self.counts_through_of(a - 1) {
                break;
            }
            a -= 1;
            if self.opens_phrase_after_verb(a) && self.names_people(a, end) {
                break;
            }
        }
        if a == end
            || matches!(
                v.w(end.saturating_sub(1)),
                "after" | "before" | "and" | "when" | "while"
            )
        {
            return self.clause_subject(start);
        }
        Some((a, end))
    }

    /// "the longest serving officer", "a passing cyclist": a word in -ing right before a
    /// noun for people qualifies it; it opens no clause.
    fn is_ing_modifier(&self, k: usize) -> bool {
        let v = self.v;
        let next = v.w(k + 1);
        v.w(k).ends_with("ing")
            && list(List::CasualtyWords).entry_at(v.low, k).is_none()
            && (is_person_noun(next) || list(List::VictimNouns).contains(next))
    }

    /// Whether tokens `a..b` hold a noun for people or a person's name ("a young woman", not
    /// "the raid").
    fn names_people(&self, a: usize, b: usize) -> bool {
        let v = self.v;
        (a..b).any(|k| {
            is_person_noun(v.w(k))
                || list(List::VictimNouns).contains(v.w(k))
                || v.is_kind(self.an, k, EntityKind::Person)
        })
    }

    /// Whether the phrase read backward starts at the determiner at `a`: the word before it
    /// is a plain word, most often a verb ("saw a boy shot", "shows a man wounded"), not
    /// one that joins phrases ("of", "and", a figure, a name).
    fn opens_phrase_after_verb(&self, a: usize) -> bool {
        let v = self.v;
        let determiner = matches!(
            list(List::VictimDeterminers).class(v.w(a)),
            Some("definite" | "indefinite")
        );
        if !determiner || a == 0 {
            return false;
        }
        let before = v.w(a - 1);
        let joins = matches!(before, "of" | "and" | "or" | "plus" | "as" | "both" | "all")
            || list(List::NonObjectWords).contains(before)
            || skip_class(before).is_some()
            || self.qs.at(a - 1).is_some()
            || is_person_noun(before)
            || v.is_kind_any(a - 1)
            || v.is_punct(a - 1);
        !joins && before.chars().all(char::is_alphabetic)
    }

    /// Where a modifier after the victims starts, when one stands between them and their
    /// passive verb: a relative clause ("three cooks who worked there were stabbed") or a
    /// participle phrase ("five nurses riding in an ambulance were killed"). It must follow a
    /// noun for people and hold no comma or casualty word.
    fn post_modifier_start(&self, k: usize) -> Option<usize> {
        let v = self.v;
        (k.saturating_sub(MAX_MODIFIER_WORDS)..k)
            .rev()
            .take_while(|&j| {
                !v.is_punct(j) && list(List::CasualtyWords).entry_at(v.low, j).is_none()
            })
            .find(|&j| {
                let w = v.w(j);
                let opens = matches!(w, "who" | "that")
                    || (w.len() > 4 && w.ends_with("ing") && !is_person_noun(w));
                let people = j > 0
                    && (is_person_noun(v.w(j - 1)) || list(List::VictimNouns).contains(v.w(j - 1)));
                opens && people
            })
    }

    /// The subject of the clause that holds token `start` ("A man is recovering after being
    /// shot"), past a dateline ("DAYTON --"). Without a subject of its own the clause takes the
    /// main clause's, unless another clause opens between: after a conjunction or a reporting
    /// verb ("but a guard who hid was found and killed"; "officials said a guard ...") the
    /// subject is the one after it; after a relative pronoun ("the villagers who were beaten
    /// and died") it is no subject at all.
    fn clause_subject(&self, start: usize) -> Option<(usize, usize)> {
        let v = self.v;
        let from = self.main_clause_start();
        let opener = (from..start).rev().find(|&k| {
            words::has_role(v.w(k), Role::Relative)
                || words::has_role(v.w(k), Role::ContrastClause)
                || list(List::ReportingVerbs).contains(v.w(k))
        });
        let Some(k) = opener else {
            return self.object_after(from);
        };
        if words::has_role(v.w(k), Role::Relative) {
            // ", who lived nearby,": a closed apposition leaves the main clause's subject
            let closed = (k..start).any(|j| v.w(j) == ",");
            return if closed {
                self.object_after(from)
            } else {
                self.subject_before(k)
            };
        }
        // "according to the police, a guard ...": the clause opens after the comma
        let after = if v.w(k) == "according" {
            (k..start).find(|&j| v.w(j) == ",").map_or(start, |j| j + 1)
        } else {
            k + 1
        };
        let after = after + usize::from(matches!(v.w(after), "that" | ","));
        (after < start).then(|| self.object_after(after)).flatten()
    }

    /// Where the sentence's main clause starts: past a dateline ("DAYTON --") and the
    /// bracketed labels after it ("[TEXT]").
    fn main_clause_start(&self) -> usize {
        let v = self.v;
        let dateline = (0..v.len().min(25))
            .rev()
            .find(|&k| matches!(v.w(k), "--" | "—" | "–" | "-" | ":"))
            .map_or(0, |k| k + 1);
        let mut start = dateline;
        while v.w(start) == "[" {
            match (start..v.len().min(start + 6)).find(|&k| v.w(k) == "]") {
                Some(close) => start = close + 1,
                None => break,
            }
        }
        start
    }

    /// Whether "of" at `of` belongs to the victim phrase: after a number ("two of them") or a
    /// word that counts the dead ("the bodies of").
    fn counts_through_of(&self, of: usize) -> bool {
        let (v, qs) = (self.v, &self.qs);
        of > 0
            && (qs.at(of - 1).is_some()
                || matches!(
                    v.w(of - 1),
                    "bodies" | "remains" | "one" | "none" | "each" | "both" | "all"
                ))
    }

    /// The phrase after `start`, coordinated parts included ("5 soldiers and 3 civilians").
    fn object_after(&self, start: usize) -> Option<(usize, usize)> {
        let v = self.v;
        let n = v.len();
        let mut b = start;
        while b < n && b - start < MAX_PHRASE_WORDS {
            let w = v.w(b);
            let as_well_as = w == "as" && v.w(b + 1) == "well" && v.w(b + 2) == "as";
            if as_well_as {
                b += 3;
                continue;
            }
            if self.is_boundary(b) && !(w == "," && self.continues_list(b + 1)) {
                break;
            }
            // "... and has stressed": an auxiliary or a casualty word after "and" opens a clause
            let joins_a_verb = self.is_boundary(b + 1) && !v.is_punct(b + 1);
            if w == "and" && b > start && (self.starts_clause(b + 1) || joins_a_verb) {
                break;
            }
            b += 1;
            if ends_at_head(v, b) {
                break;
            }
        }
        (b > start).then_some((start, b))
    }

    /// Whether "and" before `i` joins a clause, not a victim ("shot the customer and both
    /// suspects fled"): a word that is no boundary follows the next phrase's head.
    fn starts_clause(&self, i: usize) -> bool {
        let v = self.v;
        let n = v.len();
        let mut k = i;
        while k < n && k < i + 6 && !self.is_boundary(k) {
            let head = is_person_noun(v.w(k)) || v.is_kind_any(k);
            k += 1;
            if head {
                return k < n
                    && !self.is_boundary(k)
                    && !is_person_noun(v.w(k))
                    && !v.is_kind_any(k);
            }
        }
        false
    }

    /// Splits a phrase into its coordinated parts ("two nurses and three patients", "his five
    /// children as well as his wife").
    fn conjuncts(&self, a: usize, b: usize) -> Vec<(usize, usize)> {
        let (v, qs) = (self.v, &self.qs);
        let mut parts = Vec::new();
        let mut from = a;
        let mut i = a;
        while i < b {
            let w = v.w(i);
            let skip = if qs.at(i).is_some() {
                // "between 30 and 40" is one figure
                0
            } else if w == "as" && v.w(i + 1) == "well" && v.w(i + 2) == "as" {
                3
            } else if w == "along" && v.w(i + 1) == "with" {
                2
            } else if matches!(w, "plus" | ",") || (w == "and" && self.starts_counted_part(i + 1)) {
                1
            } else {
                0
            };
            if skip > 0 {
                if i > from {
                    parts.push((from, i));
                }
                i += skip;
                from = i;
                continue;
            }
            i += 1;
        }
        if b > from {
            parts.push((from, b));
        }
        parts
    }

    /// The victims of phrase `a..b`: every coordinated part counted, the figures summed.
    fn phrase(&self, a: usize, b: usize) -> Option<Victims> {
        let v = self.v;
        let parts: Vec<Victims> = self
            .conjuncts(a, b)
            .into_iter()
            .filter(|&(ca, cb)| {
                ca == a || !(self.is_subset_part(ca) || self.is_bare_vague_part(ca, cb))
            })
            .filter_map(|(ca, cb)| self.part(ca, cb))
            .collect();
        combine(v, parts, a, b)
    }

    /// "three workers and millions in losses": a later part that is a vague quantity alone,
    /// with no noun of its own, counts something else than the people before it.
    fn is_bare_vague_part(&self, ca: usize, cb: usize) -> bool {
        self.qs
            .within(ca, cb)
            .is_some_and(|(qa, qb, q)| qa == ca && qb == cb && q.qualifier == Qualifier::Vague)
    }

    /// "12 people, six of them children": a part after a comma that counts some of the
    /// victims already told ("six of them") adds no one ("..., and one of them was hurt"
    /// still counts).
    fn is_subset_part(&self, ca: usize) -> bool {
        let v = self.v;
        ca > 0
            && v.w(ca - 1) == ","
            && self
                .qs
                .at(ca)
                .is_some_and(|(qa, qb, _)| qa == ca && v.w(qb) == "of" && v.w(qb + 1) == "them")
    }

    /// One part of a victim phrase: a figure and who it counts, if it names people.
    fn part(&self, a: usize, b: usize) -> Option<Victims> {
        let (v, an, qs) = (self.v, self.an, &self.qs);
        let text = v.slice(a, b);
        // "officers of the battalion": the head is before "of" (not after a number: "two of them")
        let of = (a + 1..b).find(|&k| v.w(k) == "of" && qs.at(k - 1).is_none());
        let b_head = of.unwrap_or(b);
        let head = (a..b_head).rev().find(|&k| !v.is_punct(k))?;
        let groups = victim_groups(v, an, a, b, None);
        let (first_class, additive) = determiner_of(v, a, b);
        if let Some((_, qb, q)) = qs.within(a, b) {
            // "six hours later": the unit may follow a phrase that ends at its number
            let unit_end = if qb == b { (b + 1).min(v.len()) } else { b };
            let counts_people =
                !(qb..unit_end).any(|k| list(List::NonPersonUnits).contains(v.w(k)));
            if !counts_people {
                return None;
            }
            let count = count_of(q);
            let groups = victim_groups(v, an, a, b, Some(&count));
            return Some(Victims {
                count: Some(count),
                groups,
                single: None,
                definite: first_class == Some("definite"),
                additive,
                start: a,
                end: b,
            });
        }
        let single = single_person(v, an, a, b, head, self.truecaser)?;
        let definite = match first_class {
            Some(class) if class == "definite" || class.starts_with("pronoun") => true,
            _ => v.is_kind(an, head, EntityKind::Person),
        };
        let count = match single {
            Some(gender) => {
                return Some(Victims {
                    count: Some(exact(1, text)),
                    groups,
                    single: Some(gender),
                    definite,
                    additive,
                    start: a,
                    end: b,
                })
            }
            None => pair_count(v, a, b, text),
        };
        Some(Victims {
            count,
            groups,
            single: None,
            definite,
            additive,
            start: a,
            end: b,
        })
    }

    /// "including six children", "among them 12 women": groups inside a figure already told,
    /// each with its own count.
    pub fn included_groups(&self) -> Vec<VictimGroup> {
        let (v, an, qs) = (self.v, self.an, &self.qs);
        let mut out: Vec<VictimGroup> = Vec::new();
        for k in 0..v.len() {
            if !matches!(v.w(k), "including" | "among") {
                continue;
            }
            let Some((a, b)) = self.object_after(k + 1 + usize::from(v.w(k + 1) == "them")) else {
                continue;
            };
            let figure = qs.within(a, b).map(|(_, _, q)| count_of(q));
            for g in victim_groups(v, an, a, b, figure.as_ref()) {
                if !out.iter().any(|x| x.group == g.group) {
                    out.push(g);
                }
            }
        }
        out
    }
}

fn multiplied(v: &View<'_>, p: &Predicate, times: u32) -> Victims {
    Victims {
        count: Some(exact(times, v.slice(p.start, p.end))),
        groups: Vec::new(),
        single: None,
        definite: false,
        additive: false,
        start: p.start,
        end: p.end,
    }
}

fn is_aux(w: &str) -> bool {
    list(List::CasualtySkipWords).class(w) == Some("aux")
}

/// What a word between victims and their casualty word is: "aux", "adverb" (listed, or any
/// word in -ly: "accidentally"), "relative", or `None` for any other word.
pub fn skip_class(w: &str) -> Option<&'static str> {
    match list(List::CasualtySkipWords).class(w) {
        Some("aux") => Some("aux"),
        Some("adverb") => Some("adverb"),
        Some("relative") => Some("relative"),
        _ if w.len() > 4 && w.ends_with("ly") => Some("adverb"),
        _ => None,
    }
}

/// Whether a form of "be" or "get" stands before `start`, over adverbs ("was later killed").
fn passive_auxiliary_before(v: &View<'_>, start: usize) -> bool {
    let mut k = start;
    while k > 0 {
        let w = v.w(k - 1);
        match skip_class(w) {
            Some("aux") => return !matches!(w, "has" | "have" | "had"),
            Some("adverb") => k -= 1,
            _ => return false,
        }
    }
    false
}

/// The apposition between commas right before `start` (over auxiliaries and adverbs).
fn apposition_before(v: &View<'_>, start: usize) -> Option<(usize, usize)> {
    let mut k = start;
    while k > 0 && matches!(skip_class(v.w(k - 1)), Some("aux" | "adverb")) {
        k -= 1;
    }
    if k == 0 || v.w(k - 1) != "," {
        return None;
    }
    let open = (k.saturating_sub(MAX_PHRASE_WORDS)..k - 1)
        .rev()
        .find(|&j| v.w(j) == ",")?;
    (open + 1 < k - 1).then_some((open + 1, k - 1))
}

/// Steps back over every apposition before `end` (", 25, of Eastfield, who lived nearby,").
fn skip_appositions_back(v: &View<'_>, end: usize) -> usize {
    let mut end = skip_apposition_back(v, end);
    for _ in 0..3 {
        // after a skipped apposition `end` is its opening comma, which may close another
        if v.w(end) != "," {
            break;
        }
        let next = skip_apposition_back(v, end + 1);
        if next == end || !describes_only(v, next + 1, end) {
            break;
        }
        end = next;
    }
    end
}

/// Whether the words between two commas can only describe what stands before them (an age,
/// a relative clause, a phrase with an article): a victim phrase of its own ("six migrants")
/// is not stepped over a second time.
fn describes_only(v: &View<'_>, a: usize, b: usize) -> bool {
    a < b
        && (b - a <= 2
            || matches!(
                v.w(a),
                "a" | "an" | "the" | "who" | "whom" | "then" | "now" | "aged" | "of" | "from"
            ))
}

/// Steps back over ", 25," or ", a father of two," before `end`.
fn skip_apposition_back(v: &View<'_>, end: usize) -> usize {
    if end == 0 || v.w(end - 1) != "," {
        return end;
    }
    let comma = end - 1;
    let open = (comma.saturating_sub(MAX_RELATIVE_WORDS)..comma)
        .rev()
        .find(|&k| v.w(k) == ",");
    let fits =
        |open: usize| comma - open <= MAX_PHRASE_WORDS || matches!(v.w(open + 1), "who" | "whom");
    match open {
        Some(open) if fits(open) && looks_like_apposition(v, open + 1, comma) => open,
        _ => comma,
    }
}

/// Whether the words between two commas describe the phrase before them: an age, a
/// relative clause, or a phrase with a determiner or a title ("25", "who lived nearby", "a
/// nurse", "third judge of public order").
fn looks_like_apposition(v: &View<'_>, a: usize, b: usize) -> bool {
    let first = v.w(a);
    let partitive = matches!(v.w(a + 1), "of") && matches!(v.w(a + 2), "whom" | "them" | "which");
    a < b
        && (b - a <= 2
            || partitive
            || matches!(
                first,
                "a" | "an" | "the" | "who" | "whom" | "then" | "now" | "aged"
            )
            || list(List::VictimDeterminers).contains(first)
            || (a..b).any(|k| is_person_noun(v.w(k))))
}

/// Whether a phrase read forward ends after token `b - 1`: a name, or a noun for people,
/// that nothing joins to what follows ("and", "of", another noun for people).
fn ends_at_head(v: &View<'_>, b: usize) -> bool {
    let last = b - 1;
    let head = v
        .ent_at
        .get(last)
        .copied()
        .flatten()
        .is_some_and(|id| v.ents[id].b == b)
        || is_person_noun(v.w(last))
        || list(List::VictimNouns).contains(v.w(last));
    let next = v.w(b);
    let joined = matches!(next, "and" | "of" | "as" | "," | "along" | "plus")
        || is_person_noun(next)
        || v.ent_at.get(b).copied().flatten().is_some();
    head && !joined
}

fn is_person_noun(w: &str) -> bool {
    list(List::PersonNouns).contains(w)
}

fn is_demonym(v: &View<'_>, an: &Analysis, k: usize) -> bool {
    v.ent_at.get(k).copied().flatten().is_some_and(|id| {
        let e = v.entity(an, &v.ents[id]);
        e.kind == EntityKind::Country && e.role.as_deref() == Some("demonym")
    })
}

/// "both", "the couple", "a pair": two people; other plurals state no figure.
fn pair_count(v: &View<'_>, a: usize, b: usize, text: &str) -> Option<Count> {
    (a..b)
        .any(|k| matches!(v.w(k), "both" | "couple" | "pair" | "twins"))
        .then(|| exact(2, text))
}

/// Whether the part names people, and whether it names one person (with the gender its
/// words give). `Some(None)`: people, not counted; `None`: not people.
fn single_person(
    v: &View<'_>,
    an: &Analysis,
    a: usize,
    b: usize,
    head: usize,
    truecaser: &Truecaser,
) -> Option<Option<Gender>> {
    let hw = v.w(head);
    // "shot her": the object pronoun (also a possessive determiner elsewhere)
    if hw == "her" && head == a {
        return Some(Some(Gender::Female));
    }
    if let Some(class) = list(List::VictimDeterminers).class(hw) {
        return match class {
            "pronoun male" => Some(Some(Gender::Male)),
            "pronoun female" => Some(Some(Gender::Female)),
            _ if hw == "one" => Some(Some(Gender::Unknown)),
            _ => None,
        };
    }
    if v.is_kind(an, head, EntityKind::Person) {
        return Some(Some(Gender::Unknown));
    }
    match list(List::PersonNouns).class(hw) {
        Some("singular male") => Some(Some(Gender::Male)),
        Some("singular female") => Some(Some(Gender::Female)),
        Some("singular") => Some(Some(Gender::Unknown)),
        Some(_) => Some(None),
        None if list(List::VictimNouns).contains(hw) || is_demonym(v, an, head) => Some(None),
        None if matches!(hw, "them" | "they") => Some(None),
        None => title_in(v, a, b).or_else(|| {
            let no_person = names_no_person(v, an, head) || names_a_group(v, a, head);
            (!no_person).then(|| name_at_end(v, a, head, truecaser))?
        }),
    }
}

/// Whether token `i` is inside a name of something other than people: a country (not its
/// demonym), an organisation or a date ("killed 1: Norland", "the Harbour Board" are no
/// victims). Places are left out: many surnames are also place names.
fn names_no_person(v: &View<'_>, an: &Analysis, i: usize) -> bool {
    v.ent_at.get(i).copied().flatten().is_some_and(|id| {
        let e = v.entity(an, &v.ents[id]);
        match e.kind {
            EntityKind::Organization | EntityKind::Date => true,
            EntityKind::Country => e.role.as_deref() != Some("demonym"),
            EntityKind::Person | EntityKind::Place | EntityKind::Number => false,
        }
    })
}

/// "the Wardens", "the Brotherhood", "the Spring Fair": capitalised words right after "the",
/// with no title, name a group, a people, a range or a day, not one person.
fn names_a_group(v: &View<'_>, a: usize, head: usize) -> bool {
    v.w(a) == "the"
        && head > a
        && head - a <= 3
        && (a + 1..=head).all(|k| v.toks.get(k).is_some_and(|t| t.is_upper_initial()))
}

/// "attorney general roberto garcia": a singular noun for a person (a title) inside the part
/// makes it one person.
fn title_in(v: &View<'_>, a: usize, b: usize) -> Option<Option<Gender>> {
    (a..b)
        .rev()
        .find_map(|k| match list(List::PersonNouns).class(v.w(k)) {
            Some("singular male") => Some(Some(Gender::Male)),
            Some("singular female") => Some(Some(Gender::Female)),
            Some("singular") => Some(Some(Gender::Unknown)),
            _ => None,
        })
}

/// A capitalised word ends the part, not at the sentence's start ("ideologue Ana Ruiz"): a
/// name, one person. Upper-case and sentence-case copy is read with its case restored, so
/// this holds there too.
fn name_at_end(
    v: &View<'_>,
    a: usize,
    head: usize,
    truecaser: &Truecaser,
) -> Option<Option<Gender>> {
    let tok = v.toks.get(head)?;
    // at the sentence's start a capital tells nothing: a word that is no common word is a name
    let opens = head == 0 && !truecaser.is_common_word(v.w(head));
    let named = (head > 0 || opens) && tok.is_upper_initial() && !v.is_punct(head) && head - a < 6;
    let common = list(List::NonPersonUnits).contains(v.w(head));
    (named && !common).then_some(Some(Gender::Unknown))
}

/// The class of the part's first word in the determiner list, and whether the part adds a
/// further victim ("another", "a second").
fn determiner_of(v: &View<'_>, a: usize, b: usize) -> (Option<&'static str>, bool) {
    let first = list(List::VictimDeterminers).class(v.w(a));
    let additive =
        (a..b.min(a + 3)).any(|k| list(List::VictimDeterminers).class(v.w(k)) == Some("additive"));
    (first, additive)
}

/// The victim groups a part names ("children", "Palestinians").
fn victim_groups(
    v: &View<'_>,
    an: &Analysis,
    a: usize,
    b: usize,
    count: Option<&Count>,
) -> Vec<VictimGroup> {
    let mut out: Vec<VictimGroup> = Vec::new();
    for k in a..b {
        let group = list(List::VictimNouns)
            .class(v.w(k))
            .map(str::to_string)
            .or_else(|| demonym_group(v, an, k));
        if let Some(group) = group {
            if !out.iter().any(|g| g.group == group) {
                out.push(VictimGroup {
                    group,
                    count: count.cloned(),
                    text: v.slice(a, b).to_string(),
                });
            }
        }
    }
    out
}

/// A demonym plural as a victim group ("Palestinians", "Ukrainians").
fn demonym_group(v: &View<'_>, an: &Analysis, k: usize) -> Option<String> {
    let id = v.ent_at.get(k).copied().flatten()?;
    let e = v.entity(an, &v.ents[id]);
    (e.kind == EntityKind::Country && e.role.as_deref() == Some("demonym") && v.w(k).ends_with('s'))
        .then(|| e.text.clone())
}

/// Sums the parts of a phrase: "12 rebels and 3 policemen" is 15 in two groups.
fn combine(v: &View<'_>, parts: Vec<Victims>, a: usize, b: usize) -> Option<Victims> {
    if parts.len() <= 1 {
        return parts.into_iter().next();
    }
    let figures: Vec<&Count> = parts.iter().filter_map(|p| p.count.as_ref()).collect();
    let low: u32 = figures.iter().filter_map(|c| c.low.or(c.high)).sum();
    let all_exact = figures.len() == parts.len() && figures.iter().all(|c| c.qualifier == "exact");
    let count = (low > 0).then(|| Count {
        low: Some(low),
        high: all_exact.then_some(low),
        qualifier: if all_exact { "exact" } else { "at least" }.to_string(),
        text: v.slice(a, b).to_string(),
    });
    let mut groups: Vec<VictimGroup> = Vec::new();
    for g in parts.iter().flat_map(|p| p.groups.iter()) {
        if !groups.iter().any(|x| x.group == g.group) {
            groups.push(g.clone());
        }
    }
    Some(Victims {
        count,
        groups,
        single: None,
        definite: parts.iter().all(|p| p.definite),
        additive: parts.iter().any(|p| p.additive),
        start: a,
        end: b,
    })
}
