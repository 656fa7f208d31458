//! Regression floors on the development sets (`tests/fixtures/dev/`, copies of `shared/dev`):
//! `eventwire tag` on each set, scored by the sets' own scorer, must stay above the figures
//! measured when the rules were last changed (a little below them, so that an unrelated
//! change of one document does not fail the build). The floors only ever go up.
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures/dev").join(name)
}

/// `eventwire tag` on a set's input, scored against its gold: score.py's JSON.
fn scores(input: &str, gold: &str) -> serde_json::Value {
    let dir = tempfile::tempdir().expect("temp dir");
    let pred = dir.path().join("pred.jsonl");
    let out = Command::new(env!("CARGO_BIN_EXE_eventwire"))
        .args(["tag", "--input"])
        .arg(fixture(&format!("data/{input}")))
        .output()
        .expect("run eventwire tag");
    assert!(
        out.status.success(),
        "eventwire tag {input}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::write(&pred, &out.stdout).expect("write predictions");
    let scored = Command::new("python3")
        .arg(fixture("score.py"))
        .arg(fixture(&format!("data/{gold}")))
        .arg(&pred)
        .output()
        .expect("python3 runs the development sets' scorer");
    assert!(
        scored.status.success(),
        "score.py: {}",
        String::from_utf8_lossy(&scored.stderr)
    );
    serde_json::from_slice(&scored.stdout).expect("score.py prints JSON")
}

fn metric(v: &serde_json::Value, path: &[&str]) -> f64 {
    let mut x = v;
    for p in path {
        x = &x[*p];
    }
    x.as_f64()
        .unwrap_or_else(|| panic!("no number at {path:?} in {v}"))
}

fn at_least(v: &serde_json::Value, path: &[&str], floor: f64, set: &str) {
    let x = metric(v, path);
    assert!(
        x >= floor,
        "{set} {path:?} = {x:.4}, below its floor {floor}"
    );
}

fn at_most(v: &serde_json::Value, path: &[&str], ceiling: f64, set: &str) {
    let x = metric(v, path);
    assert!(
        x <= ceiling,
        "{set} {path:?} = {x:.4}, above its ceiling {ceiling}"
    );
}

#[test]
fn gvdb_casualty_figures_stay_above_their_floor() {
    let v = scores("gvdb-dev.input.jsonl", "gvdb-dev.gold.jsonl");
    at_least(&v, &["casualties", "triples", "f1"], 0.70, "gvdb-dev");
    at_least(
        &v,
        &["casualties", "recall_by_gold_figure", "1", "recall"],
        0.81,
        "gvdb-dev",
    );
}

#[test]
fn muc4_casualty_figures_are_the_same_in_upper_and_sentence_case() {
    let upper = scores("muc4-dev.asis.input.jsonl", "muc4-dev.gold.jsonl");
    let sentence = scores("muc4-dev.sentcase.input.jsonl", "muc4-dev.gold.jsonl");
    for (name, v) in [("asis", &upper), ("sentcase", &sentence)] {
        let set = format!("muc4-dev.{name}");
        at_least(v, &["casualties", "triples", "f1"], 0.49, &set);
        at_least(
            v,
            &["casualties", "recall_by_gold_figure", "1", "recall"],
            0.62,
            &set,
        );
        at_least(
            v,
            &["casualties", "location_on_matched", "rate"],
            0.52,
            &set,
        );
    }
    let f1 = |v: &serde_json::Value| metric(v, &["casualties", "triples", "f1"]);
    assert!(
        (f1(&upper) - f1(&sentence)).abs() <= 0.01,
        "upper case {} against sentence case {}",
        f1(&upper),
        f1(&sentence)
    );
}

#[test]
fn m2e2_casualty_figures_stay_above_their_floor() {
    let v = scores("m2e2.input.jsonl", "m2e2.gold.jsonl");
    at_least(&v, &["casualties", "triples", "f1"], 0.265, "m2e2");
    at_least(&v, &["casualties", "triples", "recall"], 0.63, "m2e2");
}

#[test]
fn m2e2_diplomatic_events_stay_above_their_floor() {
    let v = scores("m2e2.input.jsonl", "m2e2.gold.jsonl");
    at_least(&v, &["diplomatic", "kinds", "f1"], 0.74, "m2e2");
    at_least(&v, &["diplomatic", "participants", "recall"], 0.80, "m2e2");
    at_most(
        &v,
        &["diplomatic", "false_alarm_rate_without_gold"],
        0.05,
        "m2e2",
    );
}

#[test]
fn rams_diplomatic_events_and_casualties_stay_above_their_floor() {
    let v = scores("rams-dev.input.jsonl", "rams-dev.gold.jsonl");
    at_least(&v, &["diplomatic", "kinds", "f1"], 0.50, "rams-dev");
    at_least(&v, &["diplomatic", "kinds", "recall"], 0.70, "rams-dev");
    at_least(&v, &["casualties", "triples", "recall"], 0.60, "rams-dev");
    at_most(&v, &["missing_predictions"], 0.0, "rams-dev");
}
