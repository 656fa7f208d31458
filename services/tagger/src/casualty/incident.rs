//! Incidents: the casualty sentences of one article grouped into one report per incident.
//! A sentence joins the incident it shares a place with, or the latest one, unless it names
//! only other places or says it is another incident. Within an incident a figure restated is
//! counted once, a single victim who was shot and then died is killed only, and "five people
//! were shot, two fatally" leaves three injured.

use eventwire_schema::v1::{Count, VictimGroup};

use super::predicate::Outcome;
use super::victims::Gender;
use super::{Mention, Report, SentenceCasualties};

/// One victim entry of an incident: a counted group, or a single person.
#[derive(Debug, Clone)]
struct Entry {
    outcome: Outcome,
    count: Count,
    single: Option<Gender>,
    /// The last word of the victim's text, lower case ("guard" for "a prison guard").
    head: String,
    /// The sentence that told of this victim first.
    sentence: usize,

    /// A single victim who died, told of as one of a wounded group before ("two people were
    /// wounded ... the 19-year-old victim died").
    from_group: bool,
}

#[derive(Debug, Default)]
struct Incident {
    entries: Vec<Entry>,
    groups: Vec<VictimGroup>,
    report: Report,
}

/// Groups an article's casualty sentences into incidents, one report each.
pub fn incidents(sentences: Vec<SentenceCasualties>) -> Vec<Report> {
    let mut open: Vec<Incident> = Vec::new();
    for s in sentences {
        let at = incident_for(&open, &s);
        let incident = match at {
            Some(i) => &mut open[i],
            None => {
                open.push(Incident {
                    report: Report {
                        cumulative: s.cumulative,
                        cause: s.cause.clone().unwrap_or_default(),
                        ..Report::default()
                    },
                    ..Incident::default()
                });
                let last = open.len() - 1;
                &mut open[last]
            }
        };
        absorb(incident, s);
    }
    open.into_iter().filter_map(finish).collect()
}

/// The incident sentence `s` belongs to, or `None` for a new one.
fn incident_for(open: &[Incident], s: &SentenceCasualties) -> Option<usize> {
    let cause = s.cause.as_deref().unwrap_or("");
    let same_kind = |i: &&Incident| i.report.cumulative == s.cumulative && i.report.cause == cause;
    let places: Vec<&str> = city_places(&s.attributes.locations);
    if let Some(i) = open.iter().rposition(|i| {
        same_kind(&i)
            && city_places(&i.report.locations)
                .iter()
                .any(|p| places.contains(p))
    }) {
        return Some(i);
    }
    if s.new_incident && !s.cumulative {
        return None;
    }
    let day = |d: &Option<eventwire_schema::v1::ResolvedDate>| {
        d.as_ref()
            .filter(|d| d.precision == eventwire_schema::v1::DatePrecision::Day as i32)
            .map(|d| d.value.clone())
    };
    let last = open.iter().rposition(|i| same_kind(&i))?;
    let own = city_places(&open[last].report.locations);
    let elsewhere = !places.is_empty() && !own.is_empty() && has_own_figure(s);
    let other_day = match (day(&s.attributes.date), day(&open[last].report.date)) {
        (Some(a), Some(b)) => a != b && has_own_figure(s),
        _ => false,
    };
    let other_figure = states_other_figure(&open[last], s);
    (!elsewhere && !other_day && !other_figure).then_some(last)
}

/// Names of the city-level places among `locations`.
fn city_places(locations: &[crate::facts::Place]) -> Vec<&str> {
    locations
        .iter()
        .filter(|p| p.level >= 2)
        .map(|p| p.name.as_str())
        .collect()
}

/// Whether a sentence states a counted figure for an outcome the incident already counts
/// with another figure, a group's or a lone victim's ("one person was killed ..." then "the
/// attack on the union killed 10"; "a clerk was stabbed ... the massacre of 40"): most
/// often another incident; a toll that rises says so ("the death toll rose").
fn states_other_figure(incident: &Incident, s: &SentenceCasualties) -> bool {
    s.mentions.iter().any(|m| {
        let Some(count) = m.victims.count.as_ref() else {
            return false;
        };
        let counted = m.victims.single.is_none() && !m.victims.definite && figure(count) >= 2;
        counted
            && incident
                .entries
                .iter()
                .any(|e| e.outcome == m.outcome && figure(&e.count) != figure(count))
    })
}

/// Whether a sentence states a new figure (not only "the victim" or "he").
fn has_own_figure(s: &SentenceCasualties) -> bool {
    s.mentions
        .iter()
        .any(|m| !m.victims.definite && m.victims.count.is_some())
}

/// Adds a sentence's mentions and attributes to an incident.
fn absorb(incident: &mut Incident, s: SentenceCasualties) {
    for m in &s.mentions {
        add_entry(incident, m, s.sentence);
        for g in &m.victims.groups {
            if !incident.groups.iter().any(|x| x.group == g.group) {
                incident.groups.push(g.clone());
            }
        }
    }
    let r = &mut incident.report;
    let a = s.attributes;
    for p in a.locations {
        if !r.locations.iter().any(|x| x.name == p.name) {
            r.locations.push(p);
        }
    }
    r.country = r.country.take().or(a.country);
    r.date = r.date.take().or(a.date);
    r.perpetrator = r.perpetrator.take().or(a.perpetrator);
    r.weapon = r.weapon.take().or(a.weapon);
    r.evidence.push(s.evidence);
}

/// Adds one mention: a single victim told again is one victim; a single victim shot and
/// then killed is killed; a counted group keeps its largest figure per outcome.
fn add_entry(incident: &mut Incident, m: &Mention, sentence: usize) {
    let Some(count) = m.victims.count.clone() else {
        return;
    };
    let head = head_word(&count.text);
    let Some(gender) = single_gender(m) else {
        incident.entries.push(Entry {
            outcome: m.outcome,
            count,
            single: None,
            head,
            sentence,
            from_group: false,
        });
        return;
    };
    // two victims told apart in one sentence are two ("a man was killed and a woman
    // wounded"); a later sentence mostly tells of the same victim again, and so does the
    // same noun told twice ("Miner's Death: the shooting death of a miner")
    let refers_back = |e: &Entry| {
        m.victims.definite || e.sentence != sentence || (!head.is_empty() && e.head == head)
    };
    let known = incident.entries.iter_mut().find(|e| {
        e.single.is_some_and(|g| g.compatible(gender))
            && !m.victims.additive
            && same_fate_line(e.outcome, m.outcome)
            && refers_back(e)
    });
    match known {
        Some(e) if m.outcome == Outcome::Killed => e.outcome = Outcome::Killed,
        Some(_) => {}
        None => {
            let killed_counted = incident
                .entries
                .iter()
                .any(|e| e.single.is_none() && e.outcome == Outcome::Killed);
            let from_group = m.outcome == Outcome::Killed
                && m.victims.definite
                && !killed_counted
                && incident.entries.iter().any(|e| {
                    e.single.is_none()
                        && matches!(e.outcome, Outcome::Injured | Outcome::Shot)
                        && figure(&e.count) >= 2
                });
            incident.entries.push(Entry {
                outcome: m.outcome,
                count,
                single: Some(gender),
                head,
                sentence,
                from_group,
            })
        }
    }
}

/// The last word of a victim's text, lower case: what tells two single victims of one
/// sentence apart.
fn head_word(text: &str) -> String {
    text.split(|c: char| !c.is_alphanumeric())
        .rfind(|w| !w.is_empty())
        .unwrap_or_default()
        .to_lowercase()
}

/// A single victim: told by a singular phrase, or counted as one.
fn single_gender(m: &Mention) -> Option<Gender> {
    m.victims.single.or_else(|| {
        let c = m.victims.count.as_ref()?;
        (c.low == Some(1) && c.high == Some(1)).then_some(Gender::Unknown)
    })
}

/// Whether two outcomes can be one victim's story (shot, wounded, killed; not missing).
fn same_fate_line(a: Outcome, b: Outcome) -> bool {
    let harmed = |o| matches!(o, Outcome::Killed | Outcome::Injured | Outcome::Shot);
    (harmed(a) && harmed(b)) || a == b
}

/// The largest figure of counted groups with `outcome`.
fn group_max(entries: &[Entry], outcome: Outcome) -> Option<&Count> {
    entries
        .iter()
        .filter(|e| e.outcome == outcome && e.single.is_none())
        .filter(|e| e.count.low.or(e.count.high).is_some())
        .max_by_key(|e| e.count.low.or(e.count.high))
        .map(|e| &e.count)
}

/// The single victims with one of `outcomes`, as a count.
fn singles(entries: &[Entry], outcomes: &[Outcome]) -> Option<Count> {
    let n = entries
        .iter()
        .filter(|e| e.single.is_some() && outcomes.contains(&e.outcome))
        .count();
    let n = u32::try_from(n).ok().filter(|&n| n > 0)?;
    let text = entries
        .iter()
        .find(|e| e.single.is_some() && outcomes.contains(&e.outcome))
        .map(|e| e.count.text.clone())
        .unwrap_or_default();
    Some(Count {
        low: Some(n),
        high: Some(n),
        qualifier: "exact".to_string(),
        text,
    })
}

fn figure(c: &Count) -> u32 {
    c.low.or(c.high).unwrap_or(0)
}

/// The larger of two figures.
fn larger(a: Option<Count>, b: Option<Count>) -> Option<Count> {
    match (a, b) {
        (Some(x), Some(y)) => Some(if figure(&y) > figure(&x) { y } else { x }),
        (x, y) => x.or(y),
    }
}

/// The incident's figures, or `None` when it states none.
fn finish(incident: Incident) -> Option<Report> {
    let e = &incident.entries;
    let mut r = incident.report;
    r.killed = larger(
        group_max(e, Outcome::Killed).cloned(),
        singles(e, &[Outcome::Killed]),
    );
    r.injured = larger(
        group_max(e, Outcome::Injured).cloned(),
        singles(e, &[Outcome::Injured, Outcome::Shot]),
    );
    r.missing = larger(
        group_max(e, Outcome::Missing).cloned(),
        singles(e, &[Outcome::Missing]),
    );
    let shot = group_max(e, Outcome::Shot).cloned();
    r.affected = larger(group_max(e, Outcome::Affected).cloned(), shot.clone());
    if let (Some(shot), Some(killed), None) = (&shot, &r.killed, &r.injured) {
        r.injured = survivors(shot, killed);
    }
    let died_of_group = e.iter().filter(|x| x.from_group).count();
    if let (Some(injured), Ok(died @ 1..)) = (&mut r.injured, u32::try_from(died_of_group)) {
        if injured.qualifier == "exact" && injured.low.is_some_and(|n| n > died) {
            let left = injured.low.map_or(0, |n| n - died);
            injured.low = Some(left);
            injured.high = Some(left);
        }
    }
    r.victims = incident.groups;
    let any =
        r.killed.is_some() || r.injured.is_some() || r.missing.is_some() || r.affected.is_some();
    any.then_some(r)
}

/// "five people were shot, two of them fatally": the shot who did not die were injured.
fn survivors(shot: &Count, killed: &Count) -> Option<Count> {
    let (s, k) = (shot.low?, killed.low?);
    (shot.qualifier == "exact" && killed.qualifier == "exact" && s > k).then(|| Count {
        low: Some(s - k),
        high: Some(s - k),
        qualifier: "exact".to_string(),
        text: shot.text.clone(),
    })
}
