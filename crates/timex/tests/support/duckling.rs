//! Scoring of the Duckling English corpora, shared by `tests/duckling.rs` and
//! `examples/duckling.rs`.
//!
//! Rule: numerals pass when `parse_number(text)` equals the expected value (relative error
//! 1e-9). A time case passes when the longest mention found in the text (Duckling conventions:
//! [`DateOptions::duckling`], reference 2013-02-12T04:30) has the expected grain and the same
//! start: the date for day grain, the Monday for week, "YYYY-MM" for month and quarter, the
//! year for year, and the date-time truncated to the grain for hour, minute and second.
//! Intervals and raw values count as failures (not produced).

#![allow(dead_code)]

use std::collections::BTreeMap;

use chrono::{NaiveDateTime, Timelike};
use eventwire_timex::dates::{find_dates_at, DateOptions, Grain};
use eventwire_timex::numbers::parse_number;

/// One scored case.
pub struct Case {
    pub text: String,
    /// "instant Day", "interval Hour", "number", ...
    pub class: String,
    pub want: String,
    pub got: String,
    pub ok: bool,
}

/// Per-class (passed, total) and every case.
pub struct Report {
    pub classes: BTreeMap<String, (usize, usize)>,
    pub cases: Vec<Case>,
}

impl Report {
    /// Accuracy over the classes whose name is in `names`.
    pub fn accuracy(&self, names: &[&str]) -> (usize, usize) {
        self.classes
            .iter()
            .filter(|(k, _)| names.contains(&k.as_str()))
            .fold((0, 0), |(p, t), (_, (a, b))| (p + a, t + b))
    }
}

fn grain_name(g: Grain) -> &'static str {
    match g {
        Grain::Second => "Second",
        Grain::Minute => "Minute",
        Grain::Hour => "Hour",
        Grain::Day => "Day",
        Grain::Week => "Week",
        Grain::Month => "Month",
        Grain::Quarter => "Quarter",
        Grain::Year => "Year",
    }
}

fn truncate(dt: &str, grain: &str) -> String {
    let n = match grain {
        "Year" => 4,
        "Month" | "Quarter" => 7,
        "Week" | "Day" => 10,
        "Hour" => 13,
        "Minute" => 16,
        _ => 19,
    };
    dt.chars().take(n).collect()
}

/// Scores a JSONL corpus (numerals or times).
pub fn score(jsonl: &str) -> Report {
    let reference = NaiveDateTime::parse_from_str("2013-02-12T04:30:00", "%Y-%m-%dT%H:%M:%S")
        .unwrap_or_default();
    let opts = DateOptions::duckling();
    let mut classes: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut cases = Vec::new();
    for line in jsonl.lines().filter(|l| !l.trim().is_empty()) {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let text = v["text"].as_str().unwrap_or_default().to_string();
        let e = &v["expect"];
        let ty = e["type"].as_str().unwrap_or_default();
        let (class, want, got, ok) = if ty == "number" {
            let want = e["value"].as_f64().unwrap_or(f64::NAN);
            let got = parse_number(&text);
            let ok = got.is_some_and(|g| (g - want).abs() <= 1e-9 * want.abs().max(1.0));
            (
                "number".to_string(),
                want.to_string(),
                format!("{got:?}"),
                ok,
            )
        } else {
            let grain = e["grain"].as_str().unwrap_or("-").to_string();
            let class = format!("{ty} {grain}");
            let found = find_dates_at(&text, reference, &opts);
            let best = found
                .iter()
                .max_by_key(|m| (m.end - m.start, std::cmp::Reverse(m.start)));
            let got = best
                .map(|m| {
                    let dt = m.datetime.with_nanosecond(0).unwrap_or(m.datetime);
                    format!("{} {}", dt.format("%Y-%m-%dT%H:%M:%S"), grain_name(m.grain))
                })
                .unwrap_or_else(|| "-".to_string());
            if ty == "instant" {
                let value = e["value"].as_str().unwrap_or_default();
                let want = format!("{} {grain}", truncate(value, &grain));
                let ok = best.is_some_and(|m| {
                    grain_name(m.grain) == grain
                        && truncate(&m.datetime.format("%Y-%m-%dT%H:%M:%S").to_string(), &grain)
                            == truncate(value, &grain)
                });
                (class, want, got, ok)
            } else {
                (class, e.to_string(), got, false)
            }
        };
        let c = classes.entry(class.clone()).or_default();
        c.1 += 1;
        if ok {
            c.0 += 1;
        }
        cases.push(Case {
            text,
            class,
            want,
            got,
            ok,
        });
    }
    Report { classes, cases }
}
