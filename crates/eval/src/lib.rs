//! Scores `eventwire tag` output against the hand-made gold file: an exact port of the
//! reference scorer `tests/fixtures/eval/score.py`, whose numbers it must reproduce.
//!
//! Records are read as untyped JSON so that extra keys and loose shapes (bare-string
//! participants, `date` as a string or an object, missing or null fields) are judged exactly as
//! score.py judges them. Where score.py would raise on a value of an unexpected type, this port
//! reads that value as null instead, so it never matches.
//!
//! The crate holds the project's other scorers too, so that no service carries its own
//! measurement code: [`entities`] (entity mentions against gold spans), [`extraction`] (the
//! article-extraction benchmark's word 4-gram metric and its pages) and [`petrarch`] (the
//! PETRARCH2 unit sentences, kind agreement and false-event rate).

pub mod entities;
pub mod extraction;
pub mod petrarch;
mod py;
mod report;
mod rules;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use py::{get, norm, py_eq, py_items, truthy};
pub use report::{Counts, Report};
use rules::{
    cas_ok, contains_norm, contains_norm_words, date_ok, date_value, dip_ok, dip_weight, loc_match,
    loc_names, location_is_country, match_pairs,
};

/// Why gold or prediction files could not be scored.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// The file could not be read as UTF-8 text.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A non-blank line is not valid JSON.
    #[error("{}:{line}: invalid JSON: {source}", path.display())]
    Json {
        /// The file.
        path: PathBuf,
        /// One-based line number.
        line: usize,
        /// The parser's error.
        source: serde_json::Error,
    },
    /// A line is JSON but not a record score.py could read.
    #[error("{}:{line}: {reason}", path.display())]
    Record {
        /// The file.
        path: PathBuf,
        /// One-based line number.
        line: usize,
        /// What is wrong with it.
        reason: &'static str,
    },
}

/// Scores predictions (keyed by article `id`) against gold records (keyed by `doc`).
///
/// A gold record whose `doc` is not a string finds no prediction, like a missing one.
pub fn score(gold: &[Value], preds: &HashMap<String, Value>) -> Report {
    let mut m = Counts::default();
    for g in gold {
        let p = match get(g, "doc").as_str().and_then(|doc| preds.get(doc)) {
            Some(p) => p,
            None => {
                m.docs_missing += 1;
                &Value::Null
            }
        };

        let body = norm(get(p, "body"));
        for s in py_items(get(g, "body_present")) {
            m.clean_n += 1;
            m.clean_ok += i64::from(contains_norm(&body, &s));
        }
        for s in py_items(get(g, "boilerplate_absent")) {
            m.clean_n += 1;
            m.clean_ok += i64::from(!contains_norm_words(&body, &s));
        }
        for field in ["title", "byline"] {
            if truthy(get(g, field)) {
                m.meta_n += 1;
                m.meta_ok += i64::from(norm(get(p, field)) == norm(get(g, field)));
            }
        }
        // `p.get("duplicate_of") or None`: an empty string means "no duplicate".
        let dup = get(p, "duplicate_of");
        let dup = if truthy(dup) { dup } else { &Value::Null };
        m.dup_n += 1;
        m.dup_ok += i64::from(py_eq(dup, get(g, "duplicate_of")));

        score_diplomatic(g, p, &mut m);
        score_casualties(g, p, &mut m);
    }
    Report::from_counts(m)
}

fn score_diplomatic(g: &Value, p: &Value, m: &mut Counts) {
    let golds = py_items(get(g, "diplomatic"));
    let preds = py_items(get(p, "diplomatic"));
    let pairs = match_pairs(&golds, &preds, |g, p| dip_ok(g, p), |g, p| dip_weight(g, p));
    let mut matched = vec![false; golds.len()];
    for &(gi, pi) in &pairs {
        let (ge, pe) = (&*golds[gi], &*preds[pi]);
        matched[gi] = true;
        m.dip_tp += 1;
        m.dip_matched += 1;
        m.dip_status_ok += i64::from(py_eq(get(pe, "status"), get(ge, "status")));
        m.dip_kind_ok += i64::from(py_eq(get(pe, "kind"), get(ge, "kind")));
        if let Some(ok) = date_ok(get(ge, "date"), date_value(pe)) {
            m.dip_date_n += 1;
            m.dip_date_ok += i64::from(ok);
        }
        if truthy(get(ge, "location")) {
            m.dip_loc_n += 1;
            m.dip_loc_ok += i64::from(loc_match(
                get(ge, "location"),
                get(ge, "country"),
                &loc_names(pe),
                location_is_country(ge),
            ));
        }
    }
    m.dip_fp += (preds.len() - pairs.len()) as i64;
    for (ge, &hit) in golds.iter().zip(&matched) {
        let optional = truthy(get(ge, "optional"));
        // An optional gold event costs nothing when missed and earns nothing when found.
        m.dip_fn += i64::from(!hit && !optional);
        m.dip_tp -= i64::from(hit && optional);
    }
}

fn score_casualties(g: &Value, p: &Value, m: &mut Counts) {
    let golds = py_items(get(g, "casualties"));
    let preds = py_items(get(p, "casualties"));
    let pairs = match_pairs(&golds, &preds, |g, p| cas_ok(g, p), |_, _| 1);
    let mut matched = vec![false; golds.len()];
    for &(gi, pi) in &pairs {
        let (ge, pe) = (&*golds[gi], &*preds[pi]);
        matched[gi] = true;
        m.cas_tp += i64::from(!truthy(get(ge, "optional")));
        for (key, ok, n) in [
            ("killed", &mut m.cas_killed_ok, &mut m.cas_killed_n),
            ("injured", &mut m.cas_injured_ok, &mut m.cas_injured_n),
        ] {
            let gc = get(ge, key);
            if truthy(gc) {
                *n += 1;
                let pc = get(pe, key);
                *ok += i64::from(
                    py_eq(get(pc, "low"), get(gc, "low"))
                        && py_eq(get(pc, "high"), get(gc, "high")),
                );
            }
        }
        let gold_perp = get(ge, "perpetrator");
        if truthy(gold_perp) {
            m.cas_perp_n += 1;
            // Gold names the perpetrator by country code; a prediction must be an object.
            let perp = get(pe, "perpetrator");
            m.cas_perp_ok += i64::from(perp.is_object() && py_eq(get(perp, "country"), gold_perp));
        }
    }
    m.cas_fp += (preds.len() - pairs.len()) as i64;
    m.cas_fn += golds
        .iter()
        .zip(&matched)
        .filter(|(ge, &hit)| !hit && !truthy(get(ge, "optional")))
        .count() as i64;
}

/// Scores a prediction JSONL file against a gold JSONL file, both read as score.py reads them
/// (blank lines skipped, a later prediction with the same `id` replacing an earlier one).
///
/// Python's `json` also takes `NaN`, `Infinity` and lone surrogate escapes; strict JSON parsing
/// rejects them here, as it rejects any line score.py itself could not score.
pub fn score_files(gold: &Path, pred: &Path) -> Result<Report, EvalError> {
    let gold_docs = read_jsonl(gold)?;
    for (line, g) in &gold_docs {
        let reason = if !g.is_object() {
            "gold record is not a JSON object"
        } else if !get(g, "doc").is_string() {
            "gold record has no string \"doc\""
        } else {
            continue;
        };
        return Err(EvalError::Record {
            path: gold.to_path_buf(),
            line: *line,
            reason,
        });
    }
    let mut preds = HashMap::new();
    for (line, d) in read_jsonl(pred)? {
        if !d.is_object() {
            let reason = "prediction is not a JSON object";
            return Err(EvalError::Record {
                path: pred.to_path_buf(),
                line,
                reason,
            });
        }
        // score.py files a record without a string id under a key no gold `doc` can equal.
        if let Some(id) = get(&d, "id").as_str() {
            preds.insert(id.to_string(), d);
        }
    }
    let gold_docs: Vec<Value> = gold_docs.into_iter().map(|(_, g)| g).collect();
    Ok(score(&gold_docs, &preds))
}

/// Parses every non-blank line, numbering lines as Python's text mode splits them
/// (at "\n", "\r\n" and a lone "\r").
fn read_jsonl(path: &Path) -> Result<Vec<(usize, Value)>, EvalError> {
    let text = std::fs::read_to_string(path).map_err(|source| EvalError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut out = Vec::new();
    for (i, line) in universal_lines(&text).enumerate() {
        if py::is_blank(line) {
            continue;
        }
        let value = serde_json::from_str(line).map_err(|source| EvalError::Json {
            path: path.to_path_buf(),
            line: i + 1,
            source,
        })?;
        out.push((i + 1, value));
    }
    Ok(out)
}

fn universal_lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let (line, next) = match rest.find(['\n', '\r']) {
            Some(i) if rest[i..].starts_with("\r\n") => (&rest[..i], &rest[i + 2..]),
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, ""),
        };
        rest = next;
        Some(line)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lines_split_like_python_text_mode() {
        let lines: Vec<&str> = universal_lines("a\nb\r\nc\rd\n\ne").collect();
        assert_eq!(lines, ["a", "b", "c", "d", "", "e"]);
        assert_eq!(universal_lines("a\n").count(), 1);
        assert_eq!(universal_lines("").count(), 0);
    }

    #[test]
    fn bad_json_names_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let gold = dir.path().join("gold.jsonl");
        let pred = dir.path().join("pred.jsonl");
        std::fs::write(&gold, "{\"doc\": \"a\"}\n").unwrap();
        std::fs::write(&pred, "\n{\"id\": \"a\"}\n \t\n{oops\n").unwrap();
        let err = score_files(&gold, &pred).unwrap_err();
        assert!(matches!(err, EvalError::Json { line: 4, .. }), "{err:?}");
        assert!(
            err.to_string()
                .starts_with(&format!("{}:4: invalid JSON", pred.display())),
            "{err}"
        );
        std::fs::write(&pred, "[1]\n").unwrap();
        let err = score_files(&gold, &pred).unwrap_err();
        assert!(matches!(err, EvalError::Record { line: 1, .. }), "{err:?}");
        let err = score_files(&dir.path().join("missing.jsonl"), &pred).unwrap_err();
        assert!(matches!(err, EvalError::Io { .. }), "{err:?}");
    }

    #[test]
    fn later_predictions_replace_earlier_ones_and_blank_duplicate_is_none() {
        let dir = tempfile::tempdir().unwrap();
        let gold = dir.path().join("gold.jsonl");
        let pred = dir.path().join("pred.jsonl");
        std::fs::write(
            &gold,
            "{\"doc\": \"a\", \"duplicate_of\": null}\n{\"doc\": \"b\", \"duplicate_of\": \"a\"}\n",
        )
        .unwrap();
        std::fs::write(&pred, "{\"id\": \"a\", \"duplicate_of\": \"b\"}\n{\"id\": \"a\", \"duplicate_of\": \"\"}\n{\"id\": null}\n").unwrap();
        let report = score_files(&gold, &pred).unwrap();
        assert_eq!(report.docs_missing, 1);
        assert_eq!((report.counts.dup_ok, report.counts.dup_n), (1, 2));
    }

    #[test]
    fn optional_gold_events_neither_help_nor_hurt() {
        let gold = [json!({"doc": "a", "diplomatic": [
            {"kind": "meet", "participants": ["USA", "IRN"], "status": "occurred"},
            {"kind": "call", "participants": ["USA", "RUS"], "status": "occurred", "optional": true},
        ]})];
        let found = json!({"id": "a", "diplomatic": [
            {"kind": "negotiate", "participants": ["USA", "IRN"], "status": "occurred"},
            {"kind": "call", "participants": ["USA", "RUS"], "status": "planned"},
        ]});
        let report = score(&gold, &HashMap::from([("a".to_string(), found)]));
        let c = &report.counts;
        assert_eq!((c.dip_tp, c.dip_fp, c.dip_fn, c.dip_matched), (1, 0, 0, 2));
        assert_eq!(report.diplomatic_f1, 1.0);
        assert_eq!(report.diplomatic_status_acc, Some(0.5));
        assert_eq!(report.diplomatic_kind_acc, Some(0.5));
        assert_eq!(report.diplomatic_date_acc, None);
    }

    #[test]
    fn boilerplate_counts_only_as_whole_words() {
        let gold = [json!({"doc": "a", "body_present": ["its involvement"],
            "boilerplate_absent": ["Eng\n", "Esp", "Support us"]})];
        let clean = json!({"id": "a", "body": "despite its involvement and engagement"});
        let report = score(&gold, &HashMap::from([("a".to_string(), clean)]));
        assert_eq!((report.counts.clean_ok, report.counts.clean_n), (4, 4));
        let kept = json!({"id": "a", "body": "its involvement\nEng\nSUPPORT  us!"});
        let report = score(&gold, &HashMap::from([("a".to_string(), kept)]));
        assert_eq!((report.counts.clean_ok, report.counts.clean_n), (2, 4));
    }
}
