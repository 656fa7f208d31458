//! Casualty predicates: the words of a sentence that report people killed, wounded, shot or
//! missing, with the grammatical form that says where their victims stand.

use crate::words::{list, List};

/// What happened to the victims a predicate counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    /// Killed or found dead.
    Killed,
    /// Wounded, injured, hospitalised.
    Injured,
    /// Shot, with their fate not told ("five people were shot").
    Shot,
    /// Killed and injured counted together ("dozens were killed or wounded", "casualties").
    Affected,
    /// Missing or disappeared.
    Missing,
}

/// Where a predicate's victims stand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// "were killed" (victims before), or "gunmen killed the mayor" (victims after).
    Participle,
    /// "killing 12", "kills": victims after.
    Active,
    /// "two people died": victims before.
    Intransitive,
    /// "18 dead", "was found dead": the figure or the victims before.
    Adjective,
    /// "the deaths of 10 people", "35 deaths", "two bodies".
    Noun,
    /// "the death toll rose to 35": the figure after.
    Toll,
    /// "a double shooting": the figure is in the word before.
    Multiplied(u32),
}

/// One casualty predicate: its outcome, form and token range in the sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Predicate {
    pub outcome: Outcome,
    pub form: Form,
    pub start: usize,
    pub end: usize,
}

/// Reads a class of the casualty word list ("killed participle").
fn outcome_and_form(class: &str) -> Option<(Outcome, Form)> {
    let (outcome, form) = class.split_once(' ')?;
    Some((outcome_named(outcome)?, form_named(form)?))
}

fn outcome_named(name: &str) -> Option<Outcome> {
    Some(match name {
        "killed" => Outcome::Killed,
        "injured" => Outcome::Injured,
        "shot" => Outcome::Shot,
        "affected" => Outcome::Affected,
        "missing" => Outcome::Missing,
        _ => return None,
    })
}

fn form_named(name: &str) -> Option<Form> {
    Some(match name {
        "participle" => Form::Participle,
        "active" => Form::Active,
        "intransitive" => Form::Intransitive,
        "adjective" => Form::Adjective,
        "noun" => Form::Noun,
        _ => return None,
    })
}

/// Whether a lower-case word can start a casualty predicate: sentences without one are not
/// read for casualties at all.
pub fn starts_casualty_predicate(w: &str) -> bool {
    list(List::CasualtyWords).starts_entry(w)
        || list(List::VictimMultipliers).contains(w)
        || w == "toll"
}

/// Whether token `i` starts an idiom that merely contains a casualty word ("dead end").
fn idiom_at(low: &[&str], i: usize) -> Option<usize> {
    list(List::CasualtyIdioms).entry_at(low, i).map(|(_, n)| n)
}

/// A determiner or possessive before a word makes an active form a noun ("the killing of").
fn nominal_use(low: &[&str], start: usize, end: usize) -> bool {
    let prev = start
        .checked_sub(1)
        .and_then(|k| low.get(k))
        .copied()
        .unwrap_or("");
    let next = low.get(end).copied().unwrap_or("");
    next == "of"
        || matches!(
            list(List::VictimDeterminers).class(prev),
            Some("definite" | "indefinite")
        )
        || prev.ends_with("'s")
        || prev.ends_with("’s")
}

/// "fired one shot", "a single shot", "the fatal shot": the noun, not the victims shot.
fn is_a_gunshot(low: &[&str], i: usize) -> bool {
    let before = |k: usize| {
        i.checked_sub(k)
            .and_then(|j| low.get(j))
            .copied()
            .unwrap_or("")
    };
    matches!(
        before(1),
        "a" | "the" | "single" | "fatal" | "warning" | "final" | "last" | "first"
    ) || (before(1) == "one" && matches!(before(2), "fired" | "heard" | "fire" | "firing" | "took"))
}

/// "the death toll", "the casualty toll": the outcome a toll counts, if `i` is such a toll.
fn toll_at(low: &[&str], i: usize) -> Option<Outcome> {
    if low.get(i) != Some(&"toll") {
        return None;
    }
    let before = |k: usize| {
        i.checked_sub(k)
            .and_then(|j| low.get(j))
            .copied()
            .unwrap_or("")
    };
    match (before(1), before(2)) {
        ("death", _) | (_, "death") => Some(Outcome::Killed),
        ("casualty", _) | (_, "casualty") => Some(Outcome::Affected),
        _ => None,
    }
}

/// "double shooting", "triple homicide": the victims a multiplied attack noun counts.
fn multiplied_at(low: &[&str], i: usize) -> Option<(Predicate, usize)> {
    let times: u32 = list(List::VictimMultipliers)
        .class(low.get(i)?)?
        .parse()
        .ok()?;
    let (class, len) = list(List::MultiVictimNouns).entry_at(low, i + 1)?;
    let outcome = outcome_named(class)?;
    let end = i + 1 + len;
    let predicate = Predicate {
        outcome,
        form: Form::Multiplied(times),
        start: i,
        end,
    };
    Some((predicate, end))
}

/// The casualty predicate starting at token `i`, with the token after it.
fn predicate_at(low: &[&str], i: usize) -> Option<(Predicate, usize)> {
    if let Some(found) = multiplied_at(low, i) {
        return Some(found);
    }
    if let Some(outcome) = toll_at(low, i) {
        let predicate = Predicate {
            outcome,
            form: Form::Toll,
            start: i,
            end: i + 1,
        };
        return Some((predicate, i + 1));
    }
    let (class, len) = list(List::CasualtyWords).entry_at(low, i)?;
    let (outcome, mut form) = outcome_and_form(class)?;
    // "the death toll": the toll, read at "toll"
    if low.get(i + len) == Some(&"toll") {
        return None;
    }
    if form == Form::Active && nominal_use(low, i, i + len) {
        form = Form::Noun;
    }
    if outcome == Outcome::Shot && is_a_gunshot(low, i) {
        return None;
    }
    let end = i + len;
    Some((
        Predicate {
            outcome,
            form,
            start: i,
            end,
        },
        end,
    ))
}

/// The casualty predicates of a sentence's lower-case words, in order; idioms are skipped.
pub fn predicates(low: &[&str]) -> Vec<Predicate> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < low.len() {
        if let Some(n) = idiom_at(low, i) {
            i += n;
            continue;
        }
        match predicate_at(low, i) {
            Some((p, next)) => {
                out.push(p);
                i = next;
            }
            None => i += 1,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.to_lowercase().split(' ').map(str::to_string).collect()
    }

    fn found(s: &str) -> Vec<(Outcome, Form, usize, usize)> {
        let w = words(s);
        let low: Vec<&str> = w.iter().map(String::as_str).collect();
        predicates(&low)
            .into_iter()
            .map(|p| (p.outcome, p.form, p.start, p.end))
            .collect()
    }

    #[test]
    fn phrases_come_before_their_words() {
        assert_eq!(
            found("a man was shot and killed"),
            vec![(Outcome::Killed, Form::Participle, 3, 6)]
        );
        assert_eq!(
            found("a man was shot"),
            vec![(Outcome::Shot, Form::Participle, 3, 4)]
        );
    }

    #[test]
    fn an_active_word_after_a_determiner_is_a_noun() {
        assert_eq!(
            found("the killing of four judges"),
            vec![(Outcome::Killed, Form::Noun, 1, 2)]
        );
        assert_eq!(
            found("gunmen opened fire killing five"),
            vec![(Outcome::Killed, Form::Active, 3, 4)]
        );
    }

    #[test]
    fn tolls_and_multipliers() {
        assert_eq!(
            found("the death toll rose to 9"),
            vec![(Outcome::Killed, Form::Toll, 2, 3)]
        );
        assert_eq!(
            found("police investigate a double shooting"),
            vec![(Outcome::Shot, Form::Multiplied(2), 3, 5)]
        );
        assert_eq!(
            found("a triple homicide"),
            vec![(Outcome::Killed, Form::Multiplied(3), 1, 3)]
        );
    }

    #[test]
    fn idioms_report_nothing() {
        assert!(found("the plan would kill two birds with one stone").is_empty());
        assert!(found("talks reached a dead end").is_empty());
        assert!(starts_casualty_predicate("gunned"));
        assert!(!starts_casualty_predicate("talks"));
    }
}
