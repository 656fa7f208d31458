//! Measurement on the PETRARCH2 unit-test sentences (`tests/fixtures/petrarch2/`): does the
//! tagger emit the kind of event the expected CAMEO code names, and how often does it emit an
//! event where PETRARCH codes none of the diplomatic roots (03, 04, 05)?

use eventwire_schema::v1::{CleanArticle, DiplomaticKind, EventStatus};
use serde::{Deserialize, Serialize};

/// One expected coding.
#[derive(Debug, Clone, Deserialize)]
pub struct Expect {
    #[serde(default)]
    pub eventcode: Option<String>,
}

/// One unit-test sentence.
#[derive(Debug, Clone, Deserialize)]
pub struct Case {
    pub id: String,
    /// "YYYYMMDD".
    pub date: String,
    pub text: String,
    #[serde(default)]
    pub expect: Vec<Expect>,
}

/// The numbers reported.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub cases: usize,
    /// Cases with an expected code under root 03, 04 or 05.
    pub diplomatic_cases: usize,
    /// Of those, cases whose code maps to one of the tagger's kinds (04x, 036, 057).
    pub mappable_cases: usize,
    /// Mappable cases where the tagger emitted the matching kind.
    pub mappable_matched: usize,
    pub mappable_share: f64,
    /// Share over all 03/04/05 cases (unmappable codes such as 031 or 064 count as misses).
    pub diplomatic_share: f64,
    /// Cases with no 03/04/05 code.
    pub other_cases: usize,
    /// Of those, cases where the tagger emitted a diplomatic event.
    pub other_with_event: usize,
    pub false_event_rate: f64,
}

pub struct Report {
    pub summary: Summary,
    /// One line per case: id, expected codes, emitted kinds/statuses, text.
    pub lines: Vec<String>,
}

fn root(code: &str) -> &str {
    code.get(..2).unwrap_or("")
}

/// The tagger's kinds matching an expected code, or None when no kind of ours names it.
fn matches(code: &str, kind: DiplomaticKind, status: EventStatus) -> Option<bool> {
    if code == "036" {
        return Some(
            status == EventStatus::Planned
                && matches!(
                    kind,
                    DiplomaticKind::Meet
                        | DiplomaticKind::Negotiate
                        | DiplomaticKind::Visit
                        | DiplomaticKind::Call
                ),
        );
    }
    if code == "057" {
        return Some(kind == DiplomaticKind::Agree);
    }
    if root(code) == "04" {
        return Some(matches!(
            kind,
            DiplomaticKind::Meet
                | DiplomaticKind::Visit
                | DiplomaticKind::Call
                | DiplomaticKind::Negotiate
        ));
    }
    None
}

fn mappable(code: &str) -> bool {
    code == "036" || code == "057" || root(code) == "04"
}

pub fn evaluate(cases: &[Case]) -> Report {
    let mut s = Summary {
        cases: cases.len(),
        ..Summary::default()
    };
    let mut lines = Vec::new();
    for c in cases {
        let published = (c.date.len() == 8)
            .then(|| format!("{}-{}-{}", &c.date[..4], &c.date[4..6], &c.date[6..8]));
        let article = CleanArticle {
            id: c.id.clone(),
            body: c.text.clone(),
            published,
            ..CleanArticle::default()
        };
        let tagged = crate::tag(&article);
        let emitted: Vec<(DiplomaticKind, EventStatus)> = tagged
            .diplomatic
            .iter()
            .map(|e| {
                (
                    DiplomaticKind::try_from(e.kind).unwrap_or(DiplomaticKind::Unspecified),
                    EventStatus::try_from(e.status).unwrap_or(EventStatus::Unspecified),
                )
            })
            .collect();
        let codes: Vec<&str> = c
            .expect
            .iter()
            .filter_map(|e| e.eventcode.as_deref())
            .collect();
        let diplomatic = codes.iter().any(|x| matches!(root(x), "03" | "04" | "05"));
        let verdict;
        if diplomatic {
            s.diplomatic_cases += 1;
            let mapped: Vec<&&str> = codes.iter().filter(|x| mappable(x)).collect();
            if mapped.is_empty() {
                verdict = "unmappable";
            } else {
                s.mappable_cases += 1;
                let hit = mapped.iter().any(|code| {
                    emitted
                        .iter()
                        .any(|&(k, st)| matches(code, k, st).unwrap_or(false))
                });
                if hit {
                    s.mappable_matched += 1;
                    verdict = "match";
                } else {
                    verdict = "miss";
                }
            }
        } else {
            s.other_cases += 1;
            if emitted.is_empty() {
                verdict = "ok";
            } else {
                s.other_with_event += 1;
                verdict = "false-event";
            }
        }
        let kinds: Vec<String> = emitted
            .iter()
            .map(|(k, st)| format!("{}/{}", k.as_str_name(), st.as_str_name()))
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
