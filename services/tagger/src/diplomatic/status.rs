//! A mention's status: the cues of its clause (future, hypothetical, negation, cancellation),
//! the trigger's tense and the words dating a noun; a date against the publication date.

use chrono::NaiveDate;
use eventwire_schema::v1::DiplomaticKind;

use super::{reduced_passive, Clause, Status};
use crate::lexicon::{
    cue_at, event_noun_dating, is_determiner, is_embedding_word, is_past_form, is_progressive,
    is_reporting_verb, is_support_verb, is_verb_lead_word, Cue, Form,
};

/// The status cues of the clause: before the trigger, and cancellations and denials after it
/// ("the meeting ... was cancelled"). A negation does not reach across a reporting verb or an
/// embedded question ("did not say where they met").
pub(super) fn status_cues(c: &Clause<'_, '_>) -> Vec<(usize, Cue)> {
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
pub(super) fn event_status(c: &Clause<'_, '_>, cues: &[(usize, Cue)]) -> Status {
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
pub(super) fn infinitive_goal(c: &Clause<'_, '_>) -> bool {
    let v = c.v;
    c.trigger.form == Form::Noun
        && c.head >= 3
        && is_determiner(v.w(c.head - 1))
        && v.ent_at[c.head - 2].is_none()
        && v.w(c.head - 3) == "to"
}

pub(super) fn date_status(value: &str, published: NaiveDate) -> Status {
    let p = published.format("%Y-%m-%d").to_string();
    let cmp_len = value.len().min(p.len());
    match value.get(..cmp_len).cmp(&p.get(..cmp_len)) {
        std::cmp::Ordering::Less => Status::Occurred,
        std::cmp::Ordering::Greater => Status::Planned,
        std::cmp::Ordering::Equal => Status::Weak,
    }
}

#[cfg(test)]
mod tests {
    use super::super::clause_in_test::with_clause;
    use super::*;

    fn status(sentence: &str, word: &str) -> Status {
        with_clause(sentence, word, |c| event_status(c, &status_cues(c)))
    }

    #[test]
    fn cues_before_the_trigger_decide() {
        assert_eq!(
            status("Ruiz will meet Berg in Tallinn.", "meet"),
            Status::Planned
        );
        assert_eq!(status("Ruiz refused to meet Berg.", "meet"), Status::Denied);
        assert_eq!(status("Ruiz met Berg in Tallinn.", "met"), Status::Occurred);
        assert_eq!(
            status("Ruiz could meet Berg in Tallinn.", "meet"),
            Status::Hypothetical
        );
    }

    #[test]
    fn a_cancellation_after_the_trigger_counts() {
        assert_eq!(
            status(
                "The meeting between Ruiz and Berg was cancelled.",
                "meeting"
            ),
            Status::Cancelled
        );
    }

    #[test]
    fn a_negation_does_not_cross_an_embedded_question() {
        assert_ne!(
            status("Ruiz did not say where she met Berg.", "met"),
            Status::Denied
        );
    }

    #[test]
    fn an_infinitive_goal_is_ahead() {
        assert_eq!(
            status(
                "Estonia makes concessions to get a deal with Mongolia.",
                "deal"
            ),
            Status::Planned
        );
        assert!(with_clause(
            "Estonia makes concessions to get a deal with Mongolia.",
            "deal",
            infinitive_goal
        ));
        assert!(!with_clause(
            "Estonia signed a deal with Mongolia.",
            "signed",
            infinitive_goal
        ));
    }

    #[test]
    fn dates_compare_with_publication() {
        let p = NaiveDate::from_ymd_opt(2025, 3, 12).unwrap_or_default();
        assert_eq!(date_status("2025-03-10", p), Status::Occurred);
        assert_eq!(date_status("2025-03-14", p), Status::Planned);
        assert_eq!(date_status("2025-03", p), Status::Weak);
    }
}
