//! Measurement on the PETRARCH2 unit-test sentences (`tests/fixtures/petrarch2/`): does the
//! tagger emit the kind of event the expected CAMEO code names, and how often does it emit an
//! event where PETRARCH codes none of the diplomatic roots (03, 04, 05)?
//!
//! The scoring lives here; the tagger's `petrarch` example runs each sentence through
//! `eventwire_tagger::tag` and hands [`evaluate`] what it emitted.

use eventwire_schema::v1::{DiplomaticKind, EventStatus};
use serde::{Deserialize, Serialize};

/// One expected coding.
#[derive(Debug, Clone, Deserialize)]
pub struct Expect {
    /// The CAMEO event code PETRARCH2 assigns ("042", "057", ...), if any.
    #[serde(default)]
    pub eventcode: Option<String>,
}

/// One unit-test sentence.
#[derive(Debug, Clone, Deserialize)]
pub struct Case {
    /// The case id of the PETRARCH2 unit tests.
    pub id: String,
    /// "YYYYMMDD".
    pub date: String,
    /// The sentence.
    pub text: String,
    /// The codings PETRARCH2 is expected to produce.
    #[serde(default)]
    pub expect: Vec<Expect>,
}

impl Case {
    /// The case's date as an ISO `YYYY-MM-DD` publication date (None unless it is 8 ASCII
    /// characters long).
    pub fn published(&self) -> Option<String> {
        let d = &self.date;
        (d.len() == 8 && d.is_ascii()).then(|| format!("{}-{}-{}", &d[..4], &d[4..6], &d[6..8]))
    }

    fn codes(&self) -> Vec<&str> {
        self.expect
            .iter()
            .filter_map(|e| e.eventcode.as_deref())
            .collect()
    }
}

/// One diplomatic event the tagger emitted for a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Emitted {
    /// Its kind.
    pub kind: DiplomaticKind,
    /// Its status.
    pub status: EventStatus,
}

/// The numbers reported.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    /// Cases read.
    pub cases: usize,
    /// Cases with an expected code under root 03, 04 or 05.
    pub diplomatic_cases: usize,
    /// Of those, cases whose code maps to one of the tagger's kinds (04x, 036, 057).
    pub mappable_cases: usize,
    /// Mappable cases where the tagger emitted the matching kind.
    pub mappable_matched: usize,
    /// `mappable_matched / mappable_cases`.
    pub mappable_share: f64,
    /// Share over all 03/04/05 cases (unmappable codes such as 031 or 064 count as misses).
    pub diplomatic_share: f64,
    /// Cases with no 03/04/05 code.
    pub other_cases: usize,
    /// Of those, cases where the tagger emitted a diplomatic event.
    pub other_with_event: usize,
    /// `other_with_event / other_cases`.
    pub false_event_rate: f64,
}

/// The summary and one line per case.
pub struct Report {
    /// The numbers.
    pub summary: Summary,
    /// One line per case: verdict, id, expected codes, emitted kinds/statuses, text.
    pub lines: Vec<String>,
}

fn root(code: &str) -> &str {
    code.get(..2).unwrap_or("")
}

/// Whether an emitted event matches an expected code, or None when no kind of ours names it.
fn matches(code: &str, event: Emitted) -> Option<bool> {
    use DiplomaticKind::{Agree, Call, Meet, Negotiate, Visit};
    if code == "036" {
        return Some(
            event.status == EventStatus::Planned
                && matches!(event.kind, Meet | Negotiate | Visit | Call),
        );
    }
    if code == "057" {
        return Some(event.kind == Agree);
    }
    if root(code) == "04" {
        return Some(matches!(event.kind, Meet | Visit | Call | Negotiate));
    }
    None
}

fn mappable(code: &str) -> bool {
    code == "036" || code == "057" || root(code) == "04"
}

fn is_diplomatic_root(code: &str) -> bool {
    matches!(root(code), "03" | "04" | "05")
}

/// The verdict on a case PETRARCH codes under a diplomatic root: "unmappable", "match" or
/// "miss"; the summary's counts move with it.
fn judge_diplomatic(codes: &[&str], emitted: &[Emitted], s: &mut Summary) -> &'static str {
    s.diplomatic_cases += 1;
    let mapped: Vec<&str> = codes.iter().copied().filter(|x| mappable(x)).collect();
    if mapped.is_empty() {
        return "unmappable";
    }
    s.mappable_cases += 1;
    let hit = mapped
        .iter()
        .any(|code| emitted.iter().any(|&e| matches(code, e).unwrap_or(false)));
    if hit {
        s.mappable_matched += 1;
        "match"
    } else {
        "miss"
    }
}

/// The verdict on a case with no diplomatic code: "ok", or "false-event" when the tagger
/// emitted one.
fn judge_other(emitted: &[Emitted], s: &mut Summary) -> &'static str {
    s.other_cases += 1;
    if emitted.is_empty() {
        "ok"
    } else {
        s.other_with_event += 1;
        "false-event"
    }
}

/// Scores the cases; `tag` gives the diplomatic events the tagger emits for one case.
pub fn evaluate(cases: &[Case], mut tag: impl FnMut(&Case) -> Vec<Emitted>) -> Report {
    let mut s = Summary {
        cases: cases.len(),
        ..Summary::default()
    };
    let mut lines = Vec::new();
    for c in cases {
        let emitted = tag(c);
        let codes = c.codes();
        let verdict = if codes.iter().any(|x| is_diplomatic_root(x)) {
            judge_diplomatic(&codes, &emitted, &mut s)
        } else {
            judge_other(&emitted, &mut s)
        };
        let kinds: Vec<String> = emitted
            .iter()
            .map(|e| format!("{}/{}", e.kind.as_str_name(), e.status.as_str_name()))
            .collect();
        lines.push(format!(
            "{verdict:12} {:14} {:?} -> {:?} | {}",
            c.id, codes, kinds, c.text
        ));
    }
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    s.mappable_share = ratio(s.mappable_matched, s.mappable_cases);
    s.diplomatic_share = ratio(s.mappable_matched, s.diplomatic_cases);
    s.false_event_rate = ratio(s.other_with_event, s.other_cases);
    Report { summary: s, lines }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(id: &str, codes: &[&str]) -> Case {
        Case {
            id: id.into(),
            date: "20150102".into(),
            text: String::new(),
            expect: codes
                .iter()
                .map(|c| Expect {
                    eventcode: Some((*c).into()),
                })
                .collect(),
        }
    }

    fn meet(status: EventStatus) -> Emitted {
        Emitted {
            kind: DiplomaticKind::Meet,
            status,
        }
    }

    #[test]
    fn published_is_iso_or_none() {
        assert_eq!(case("a", &[]).published().as_deref(), Some("2015-01-02"));
        let mut c = case("b", &[]);
        c.date = "2015".into();
        assert_eq!(c.published(), None);
    }

    #[test]
    fn codes_map_to_kinds() {
        assert_eq!(matches("042", meet(EventStatus::Occurred)), Some(true));
        assert_eq!(matches("036", meet(EventStatus::Occurred)), Some(false));
        assert_eq!(matches("036", meet(EventStatus::Planned)), Some(true));
        assert_eq!(matches("057", meet(EventStatus::Occurred)), Some(false));
        assert_eq!(matches("031", meet(EventStatus::Occurred)), None);
    }

    #[test]
    fn summary_counts_each_verdict() {
        let cases = [
            case("match", &["043"]),
            case("miss", &["057"]),
            case("unmappable", &["031"]),
            case("ok", &["010"]),
            case("false", &[]),
        ];
        let r = evaluate(&cases, |c| match c.id.as_str() {
            "match" | "miss" | "false" => vec![meet(EventStatus::Occurred)],
            _ => vec![],
        });
        let s = &r.summary;
        assert_eq!((s.cases, s.diplomatic_cases, s.mappable_cases), (5, 3, 2));
        assert_eq!(
            (s.mappable_matched, s.other_cases, s.other_with_event),
            (1, 2, 1)
        );
        assert_eq!(s.mappable_share, 0.5);
        assert_eq!(s.false_event_rate, 0.5);
        assert!(r.lines[0].starts_with("match "));
        assert!(r.lines[4].starts_with("false-event "));
    }
}
