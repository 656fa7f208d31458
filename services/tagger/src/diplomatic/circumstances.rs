//! When, about what and on whose word: a mention's date, its topic phrases and the source
//! that reported it.

use eventwire_nlp::{Analysis, EntityKind};
use eventwire_schema::v1::{Attribution, DatePrecision};

use super::DateVal;
use crate::facts::date_precision;
use crate::lexicon::is_reporting_verb;
use crate::view::{SegKind, View};
use crate::words;
use crate::words::Role;

/// The event's date: a date in its clause, nearest to the trigger; year and month dates in a
/// topic phrase belong to the topic ("the invasion in 2022"), and "since"/"until" dates bound
/// a period rather than date the event.
pub(super) fn event_date(v: &View<'_>, analysis: &Analysis, s: usize, h: usize) -> Option<DateVal> {
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
        if words::has_role(prev, Role::PeriodBound) {
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
pub(super) fn topics(v: &View<'_>, s: usize, h: usize) -> Vec<String> {
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
pub(super) fn attribution(v: &View<'_>, analysis: &Analysis) -> Vec<Attribution> {
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
