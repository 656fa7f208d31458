//! Regression floors on the Duckling English corpora (copied to tests/fixtures/duckling).
//! Scoring rule: see `support/duckling.rs`.

mod support;

use support::duckling::score;

const NUMERALS: &str = include_str!("../../../tests/fixtures/duckling/duckling_numeral_en.jsonl");
const TIMES: &str = include_str!("../../../tests/fixtures/duckling/duckling_time_en.jsonl");

#[test]
fn numerals_all_pass() {
    let r = score(NUMERALS);
    let (p, t) = r.accuracy(&["number"]);
    let failed: Vec<&str> = r
        .cases
        .iter()
        .filter(|c| !c.ok)
        .map(|c| c.text.as_str())
        .collect();
    assert_eq!(t, 105);
    assert_eq!(p, t, "failed: {failed:?}");
}

#[test]
fn time_day_week_month_year_floor() {
    let r = score(TIMES);
    let (p, t) = r.accuracy(&[
        "instant Day",
        "instant Week",
        "instant Month",
        "instant Year",
    ]);
    assert_eq!(t, 461);
    let acc = p as f64 / t as f64;
    // Measured 442/461 = 0.959; the misses are holiday tables that disagree by a day and
    // two corpus cases that contradict each other.
    assert!(
        acc >= 0.955,
        "day/week/month/year accuracy {acc:.3} ({p}/{t})"
    );
    for (grain, floor) in [
        ("instant Week", 1.0),
        ("instant Year", 1.0),
        ("instant Month", 0.95),
    ] {
        let (p, t) = r.accuracy(&[grain]);
        assert!(p as f64 / t as f64 >= floor, "{grain}: {p}/{t}");
    }
}
