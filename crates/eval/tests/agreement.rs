//! The Rust scorer must give exactly what the reference `score.py` gives, on perfect, empty,
//! partial, hand-perturbed and randomly perturbed predictions for the seed gold file.
//!
//! Each case also states whether score.py should score it the same as the perfect predictions
//! or not, so a perturbation that silently stopped perturbing would be noticed too.

use std::path::{Path, PathBuf};
use std::process::Command;

use eventwire_eval::score_files;
use serde_json::{json, Value};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/eval")
}

fn gold_path() -> PathBuf {
    fixtures().join("seeds.gold.jsonl")
}

fn load_gold() -> Vec<Value> {
    let text = std::fs::read_to_string(gold_path()).unwrap();
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn is_code(s: &str) -> bool {
    s.len() == 3 && s.chars().all(|c| c.is_ascii_uppercase())
}

fn participant(x: &Value) -> Value {
    let s = x.as_str().unwrap();
    if is_code(s) {
        json!({"name": null, "kind": "country", "country": s, "role": null})
    } else {
        json!({"name": s, "kind": "person", "country": null, "role": null})
    }
}

fn date(v: &Value) -> Value {
    match v.as_str() {
        None => Value::Null,
        Some(s) => {
            json!({"value": s, "precision": if s.len() == 10 { "day" } else { "month" }, "text": s})
        }
    }
}

/// Every gold record turned into the TaggedArticle a flawless tagger would print.
fn perfect(gold: &[Value]) -> Vec<Value> {
    gold.iter()
        .map(|g| {
            let strings = |v: &Value| -> Vec<String> {
                v.as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_string()).collect()
            };
            let diplomatic: Vec<Value> = g["diplomatic"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| {
                    let location = if e["location"].is_null() && e["country"].is_null() {
                        Value::Null
                    } else {
                        json!({"name": e["location"], "country": e["country"], "lat": null, "lon": null})
                    };
                    json!({
                        "kind": e["kind"],
                        "status": e["status"],
                        "participants": e["participants"].as_array().unwrap().iter().map(participant).collect::<Vec<_>>(),
                        "location": location,
                        "date": date(&e["date"]),
                    })
                })
                .collect();
            let casualties: Vec<Value> = g["casualties"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| {
                    let perpetrator = match c["perpetrator"].as_str() {
                        Some(code) => json!({"name": null, "country": code}),
                        None => Value::Null,
                    };
                    json!({
                        "killed": c["killed"],
                        "injured": c["injured"],
                        "victims": strings(&c["victims"]).iter().map(|v| json!({"group": v})).collect::<Vec<_>>(),
                        "locations": strings(&c["locations"]).iter().map(|l| json!({"name": l, "country": c["country"]})).collect::<Vec<_>>(),
                        "perpetrator": perpetrator,
                        "date": date(&c["date"]),
                    })
                })
                .collect();
            json!({
                "id": g["doc"],
                "title": g["title"],
                "byline": g["byline"],
                "published": g["published"],
                "body": strings(&g["body_present"]).join("\n\n"),
                "duplicate_of": g["duplicate_of"],
                "diplomatic": diplomatic,
                "casualties": casualties,
            })
        })
        .collect()
}

fn jsonl(records: &[Value]) -> String {
    records.iter().map(|r| format!("{r}\n")).collect()
}

/// Runs score.py on `gold` and `pred` and returns its standard output.
fn score_py(gold: &Path, pred: &Path, as_json: bool) -> String {
    let mut cmd = Command::new("python3");
    cmd.arg(fixtures().join("score.py")).arg(gold).arg(pred);
    if as_json {
        cmd.arg("--json");
    }
    let out = match cmd.output() {
        Ok(out) => out,
        Err(e) => panic!(
            "cannot run python3 ({e}): the agreement test needs python3 on PATH to run the reference scorer tests/fixtures/eval/score.py"
        ),
    };
    assert!(
        out.status.success(),
        "score.py failed on {}: {}",
        pred.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Differences between Rust's and Python's JSON reports: numbers must have the same kind (int
/// or float), ints must be equal and floats within 1e-9; everything else must be equal.
fn differences(path: &str, rust: &Value, py: &Value, out: &mut Vec<String>) {
    match (rust, py) {
        (Value::Object(r), Value::Object(p)) => {
            let mut keys: Vec<&String> = r.keys().chain(p.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                match (r.get(k), p.get(k)) {
                    (Some(a), Some(b)) => differences(&format!("{path}.{k}"), a, b, out),
                    (a, b) => out.push(format!("{path}.{k}: rust {a:?}, python {b:?}")),
                }
            }
        }
        (Value::Number(a), Value::Number(b)) => {
            let ok = match (a.as_i64(), b.as_i64()) {
                (Some(x), Some(y)) => x == y,
                (None, None) => (a.as_f64().unwrap() - b.as_f64().unwrap()).abs() <= 1e-9,
                _ => false,
            };
            if !ok {
                out.push(format!("{path}: rust {a}, python {b}"));
            }
        }
        (a, b) if a == b => {}
        (a, b) => out.push(format!("{path}: rust {a}, python {b}")),
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Expect {
    /// score.py scores it exactly as the perfect predictions.
    Same,
    /// score.py's output (metrics or counts) differs from the perfect predictions'.
    Differs,
}

struct Case {
    name: String,
    text: String,
    expect: Expect,
}

impl Case {
    fn records(name: &str, expect: Expect, records: &[Value]) -> Self {
        Case {
            name: name.to_string(),
            text: jsonl(records),
            expect,
        }
    }
}

/// Scores every case against the seed gold with both scorers and panics with every
/// disagreement found.
fn check_cases(cases: &[Case]) {
    check_cases_on(&load_gold(), cases);
}

/// [`check_cases`] against another gold (a variant of the seed gold), whose own perfect
/// predictions decide what "same" means.
fn check_cases_on(gold: &[Value], cases: &[Case]) {
    let dir = tempfile::tempdir().unwrap();
    let gold_file = dir.path().join("gold.jsonl");
    std::fs::write(&gold_file, jsonl(gold)).unwrap();
    let perfect_file = dir.path().join("perfect.jsonl");
    std::fs::write(&perfect_file, jsonl(&perfect(gold))).unwrap();
    let perfect_py: Value =
        serde_json::from_str(&score_py(&gold_file, &perfect_file, true)).unwrap();

    let mut failures = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let pred = dir.path().join(format!("case{i}.jsonl"));
        std::fs::write(&pred, &case.text).unwrap();
        let py_json: Value = serde_json::from_str(&score_py(&gold_file, &pred, true)).unwrap();
        let py_text = score_py(&gold_file, &pred, false);
        let report = match score_files(&gold_file, &pred) {
            Ok(r) => r,
            Err(e) => {
                failures.push(format!("{}: rust failed: {e}", case.name));
                continue;
            }
        };
        let mut diffs = Vec::new();
        differences("", &report.to_json(), &py_json, &mut diffs);
        for d in diffs {
            failures.push(format!("{}: {d}", case.name));
        }
        if report.to_text() != py_text {
            failures.push(format!(
                "{}: text differs\nrust:\n{}python:\n{py_text}",
                case.name,
                report.to_text()
            ));
        }
        let same = py_json == perfect_py;
        if same != (case.expect == Expect::Same) {
            failures.push(format!(
                "{}: expected {:?} perfect, score.py gave {py_json}",
                case.name, case.expect
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} disagreement(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn ev(p: &mut [Value], doc: usize, i: usize) -> &mut Value {
    &mut p[doc]["diplomatic"][i]
}

fn cas(p: &mut [Value], doc: usize, i: usize) -> &mut Value {
    &mut p[doc]["casualties"][i]
}

fn events(p: &mut [Value], doc: usize) -> &mut Vec<Value> {
    p[doc]["diplomatic"].as_array_mut().unwrap()
}

fn all_events(p: &mut [Value]) -> impl Iterator<Item = &mut Value> {
    p.iter_mut()
        .flat_map(|d| d["diplomatic"].as_array_mut().unwrap().iter_mut())
}

type Perturbation = (&'static str, Expect, fn(&mut Vec<Value>));

/// Hand-written perturbations of the perfect predictions, each aimed at one rule of score.py.
fn perturbations() -> Vec<Perturbation> {
    [
        event_perturbations(),
        date_perturbations(),
        participant_perturbations(),
        location_perturbations(),
        casualty_perturbations(),
        article_perturbations(),
        upstream_rule_perturbations(),
    ]
    .concat()
}

/// Perturbations of kinds, statuses, extra and reordered events.
fn event_perturbations() -> Vec<Perturbation> {
    use Expect::{Differs, Same};
    vec![
        ("perfect", Same, |_| {}),
        ("wrong statuses", Differs, |p| {
            ev(p, 0, 0)["status"] = json!("planned");
            ev(p, 3, 5)["status"] = json!("cancelled");
        }),
        ("kind swapped within the talks class", Differs, |p| {
            ev(p, 0, 3)["kind"] = json!("meet");
            ev(p, 3, 0)["kind"] = json!("negotiate");
        }),
        ("kind in another class", Differs, |p| {
            ev(p, 1, 1)["kind"] = json!("call")
        }),
        ("upper-case kind", Differs, |p| {
            ev(p, 2, 1)["kind"] = json!("MEET")
        }),
        ("extra events", Differs, |p| {
            let copy = ev(p, 0, 0).clone();
            events(p, 0).push(copy);
            events(p, 0).push(json!({"kind": "call", "status": "occurred",
                "participants": [{"kind": "country", "country": "FRA"}, {"kind": "country", "country": "DEU"}]}));
        }),
        ("a later duplicate wins the tie", Differs, |p| {
            let mut copy = ev(p, 0, 3).clone();
            copy["status"] = json!("cancelled");
            events(p, 0).push(copy);
        }),
        ("reversed event order changes tie-breaking", Differs, |p| {
            events(p, 0).reverse();
        }),
        (
            "larger meeting listed first: weights, not order, decide",
            Same,
            |p| events(p, 3).swap(0, 1),
        ),
        ("reversed participants", Same, |p| {
            for e in all_events(p) {
                e["participants"].as_array_mut().unwrap().reverse();
            }
        }),
    ]
}

/// Perturbations of dates: days, months, plain strings, missing values.
fn date_perturbations() -> Vec<Perturbation> {
    use Expect::{Differs, Same};
    vec![
        ("wrong day", Differs, |p| {
            ev(p, 0, 3)["date"]["value"] = json!("2025-04-13")
        }),
        ("month-only prediction for a day in gold", Differs, |p| {
            ev(p, 0, 3)["date"]["value"] = json!("2025-04")
        }),
        ("month in gold accepts any day of it", Same, |p| {
            ev(p, 1, 4)["date"] = json!({"value": "2025-02-27"})
        }),
        ("month in gold rejects another month", Differs, |p| {
            ev(p, 1, 4)["date"]["value"] = json!("2025-03-01")
        }),
        ("dates as plain strings", Same, |p| {
            for e in all_events(p) {
                let v = e["date"]["value"].clone();
                e["date"] = v;
            }
        }),
        ("date object without a value", Differs, |p| {
            ev(p, 3, 0)["date"] = json!({"text": "Thursday"})
        }),
        ("date where gold has none", Same, |p| {
            ev(p, 0, 0)["date"] = json!("2025-04-11")
        }),
    ]
}

/// Perturbations of participants: swapped, strings, names, countries.
fn participant_perturbations() -> Vec<Perturbation> {
    use Expect::{Differs, Same};
    vec![
        ("participants swapped between events", Differs, |p| {
            let a = ev(p, 2, 1)["participants"][1].take();
            let b = ev(p, 2, 2)["participants"][1].take();
            ev(p, 2, 1)["participants"][1] = b;
            ev(p, 2, 2)["participants"][1] = a;
        }),
        ("participants as plain strings", Same, |p| {
            for e in all_events(p) {
                for x in e["participants"].as_array_mut().unwrap() {
                    let s = x["name"]
                        .as_str()
                        .or(x["country"].as_str())
                        .unwrap()
                        .to_string();
                    *x = json!(s);
                }
            }
        }),
        ("participants as one string", Differs, |p| {
            ev(p, 0, 0)["participants"] = json!("Witkoff Putin")
        }),
        ("participants as an object of names", Same, |p| {
            ev(p, 0, 0)["participants"] = json!({"Steve Witkoff": 1, "Vladimir Putin": 2});
        }),
        ("surnames, dots, accents and case", Same, |p| {
            ev(p, 0, 0)["participants"] =
                json!([{"name": "WITKOFF"}, {"name": "V. Putin", "kind": "Person"}]);
            ev(p, 0, 5)["participants"] =
                json!([{"name": "S\u{e9}bastien  Lecornu", "kind": "person", "country": "FRA"}]);
        }),
        ("country kinds and code-only participants", Same, |p| {
            ev(p, 0, 3)["participants"] = json!([{"kind": "STATE", "country": "USA", "name": "United States"},
                {"kind": "organization", "country": "IRN"}]);
            ev(p, 0, 4)["participants"] =
                json!([{"kind": "government", "country": "USA"}, {"name": "IRN", "kind": "group"}]);
        }),
        ("countries named without codes", Differs, |p| {
            ev(p, 3, 5)["participants"] = json!([{"kind": "country", "name": "United States", "country": null},
                {"kind": "country", "name": "Russia"}]);
        }),
        ("a person given only a country", Differs, |p| {
            ev(p, 3, 5)["participants"][1] =
                json!({"kind": "person", "name": null, "country": "RUS"});
        }),
        ("an unnamed organisation given only a country", Same, |p| {
            ev(p, 3, 5)["participants"][1] =
                json!({"kind": "organization", "name": "", "country": "RUS"});
        }),
    ]
}

/// Perturbations of locations: lists, country-only places, regions.
fn location_perturbations() -> Vec<Perturbation> {
    use Expect::{Differs, Same};
    vec![
        ("locations list instead of location", Same, |p| {
            for e in all_events(p) {
                let loc = e["location"].take();
                e["locations"] = if loc.is_null() {
                    json!([])
                } else {
                    json!(["junk", loc])
                };
            }
        }),
        ("visit to France placed by country only", Same, |p| {
            ev(p, 1, 4)["location"] = json!({"name": null, "country": "FRA"});
        }),
        ("talks in Oman placed by country only", Same, |p| {
            ev(p, 0, 3)["location"] = json!({"name": "Muscat?", "country": "OMN"});
            ev(p, 0, 4)["location"] = json!({"country": "OMN"});
        }),
        ("talks in Paris placed by country only", Differs, |p| {
            ev(p, 3, 1)["location"] = json!({"country": "FRA"});
        }),
        ("visit to Washington placed by country only", Differs, |p| {
            ev(p, 0, 5)["location"] = json!({"name": "DC", "country": "USA"});
        }),
        ("visit to Africa named in capitals", Same, |p| {
            ev(p, 1, 5)["location"] = json!({"name": " AFRICA "})
        }),
        ("visit to Africa placed by a country", Differs, |p| {
            ev(p, 1, 5)["location"] = json!({"name": null, "country": "ZAF"});
        }),
        ("wrong location on a two-party meeting", Differs, |p| {
            ev(p, 2, 3)["location"] = json!({"name": "Moscow", "country": "RUS"});
        }),
    ]
}

/// Perturbations of missing keys and casualty figures, places and perpetrators.
fn casualty_perturbations() -> Vec<Perturbation> {
    use Expect::{Differs, Same};
    vec![
        ("missing and null keys", Differs, |p| {
            p[2].as_object_mut().unwrap().remove("diplomatic");
            ev(p, 3, 0).as_object_mut().unwrap().remove("status");
            ev(p, 3, 1)["kind"] = Value::Null;
            p[0]["casualties"] = Value::Null;
        }),
        ("casualties as a string where gold has none", Differs, |p| {
            p[1]["casualties"] = json!("abc")
        }),
        ("empty containers", Differs, |p| {
            p[1]["diplomatic"] = json!({});
            p[1]["casualties"] = json!("");
        }),
        ("wrong killed low, matched on injured", Differs, |p| {
            cas(p, 3, 0)["killed"]["low"] = json!(36)
        }),
        ("wrong killed low, unmatched", Differs, |p| {
            cas(p, 0, 0)["killed"]["low"] = json!(13)
        }),
        ("numbers as floats", Same, |p| {
            cas(p, 3, 0)["killed"]["low"] = json!(35.0);
            cas(p, 3, 0)["injured"] = json!({"low": 117.0, "high": 117.0, "qualifier": "exact"});
            cas(p, 4, 1)["killed"]["low"] = json!(18.0);
        }),
        ("wrong high", Differs, |p| {
            cas(p, 3, 0)["injured"]["high"] = Value::Null
        }),
        ("killed as a bare number", Differs, |p| {
            cas(p, 0, 0)["killed"] = json!(12)
        }),
        ("perpetrator as a string", Differs, |p| {
            cas(p, 3, 0)["perpetrator"] = json!("RUS")
        }),
        ("perpetrator with a name", Same, |p| {
            cas(p, 3, 0)["perpetrator"] = json!({"name": "Russia", "country": "RUS"})
        }),
        ("casualty without places", Differs, |p| {
            cas(p, 3, 1)["locations"] = json!([])
        }),
        ("casualty place as location, other spelling", Same, |p| {
            cas(p, 3, 1)["location"] = json!({"name": "KRYVYI  RIH"});
            cas(p, 3, 1)["locations"] = Value::Null;
        }),
        ("extra casualty", Differs, |p| {
            p[1]["casualties"] = json!([{"killed": {"low": 1, "high": 1}, "injured": null}]);
        }),
        ("optional casualty omitted", Differs, |p| {
            p[2]["casualties"] = json!([])
        }),
        ("optional events omitted", Differs, |p| {
            events(p, 1).truncate(4)
        }),
    ]
}

/// Perturbations of titles, bylines, duplicates and bodies.
fn article_perturbations() -> Vec<Perturbation> {
    use Expect::{Differs, Same};
    vec![
        (
            "titles with straight quotes, accents, case and spacing",
            Same,
            |p| {
                p[4]["title"] = json!("US to hold talks on Ukraine with Kyiv's  European ALLIES ");
                p[1]["title"] = json!("Rubio and Witkoff to m\u{e9}et French leaders for talks on Ukraine peace efforts");
                // Python's split() also breaks at the information separators U+001C..U+001F.
                p[1]["byline"] = json!("M\u{e1}ria\u{a0}\u{1c}Tril");
            },
        ),
        ("title curly quote where gold is straight", Differs, |p| {
            p[2]["title"] = json!("\u{201c}Rubio\u{201d}, Witkoff to reportedly travel to France this week for talks on Ukraine\u{2014}");
        }),
        ("wrong and missing titles", Differs, |p| {
            p[1]["title"] = json!("Something else");
            p[4]["byline"] = Value::Null;
        }),
        ("title where gold has none", Same, |p| {
            p[0]["title"] = json!("Anything")
        }),
        ("duplicate_of empty string where gold is null", Same, |p| {
            p[0]["duplicate_of"] = json!("");
            p[1]["duplicate_of"] = json!(false);
            p[2].as_object_mut().unwrap().remove("duplicate_of");
        }),
        (
            "duplicate_of empty string where gold names one",
            Differs,
            |p| p[4]["duplicate_of"] = json!(""),
        ),
        ("duplicate_of where gold has none", Differs, |p| {
            p[3]["duplicate_of"] = json!("004_6bdcb3bbc48e2ea1")
        }),
        ("body missing a sentence", Differs, |p| {
            p[1]["body"] = json!("Politico reported on 16 April")
        }),
        ("body keeping boilerplate", Differs, |p| {
            let b = format!("{} Support us on  PATREON", p[1]["body"].as_str().unwrap());
            p[1]["body"] = json!(b);
        }),
        (
            "body mentioning England keeps clear of the Eng boilerplate check (whole words)",
            Same,
            |p| {
                let b = format!("{} England", p[4]["body"].as_str().unwrap());
                p[4]["body"] = json!(b);
            },
        ),
        (
            "body with curly quotes, ligatures and odd spaces",
            Same,
            |p| {
                // Straight quotes for curly ones, em spaces, and the "ff" ligature in "offers".
                let b = p[1]["body"]
                    .as_str()
                    .unwrap()
                    .replace(['\u{2018}', '\u{2019}'], "'");
                p[1]["body"] = json!(b.replace(' ', "\u{2003}").replace("offers", "o\u{fb00}ers"));
            },
        ),
        ("no body", Differs, |p| p[0]["body"] = Value::Null),
    ]
}

/// Perturbations of the rules that changed upstream.
fn upstream_rule_perturbations() -> Vec<Perturbation> {
    use Expect::{Differs, Same};
    vec![
        // The rules that changed upstream. The `Same` cases below are ones the old rules
        // (substring boilerplate, surname keys, equal place names) scored as `Differs`; the
        // `Differs` cases hold each new rule's limit (a word of its own, six letters, one edit,
        // whole words).
        ("body keeping the Eng line as a word", Differs, |p| {
            let b = format!("{}\nEng\n", p[4]["body"].as_str().unwrap());
            p[4]["body"] = json!(b);
        }),
        ("surnames one letter off, six letters or more", Same, |p| {
            ev(p, 0, 0)["participants"] =
                json!([{"name": "Steve Witkof", "kind": "person"}, "Vladimir Putin"]);
            ev(p, 0, 2)["participants"][1] = json!({"name": "Jean-Noel Barrat", "kind": "person"});
        }),
        ("surname one letter off, under six letters", Differs, |p| {
            ev(p, 0, 0)["participants"][1] = json!({"name": "Vladimir Puton", "kind": "person"});
        }),
        ("surname two letters off", Differs, |p| {
            ev(p, 0, 0)["participants"][0] = json!({"name": "Steve Witkaf", "kind": "person"});
        }),
        ("full names match whatever the kind", Same, |p| {
            ev(p, 2, 1)["participants"][1] =
                json!({"name": "EMMANUEL  Macron", "kind": "organization", "country": "FRA"});
            ev(p, 0, 6)["participants"][1] = json!({"name": "Pete Hegseth", "kind": "group"});
        }),
        ("a surname alone names no organisation", Differs, |p| {
            ev(p, 2, 1)["participants"][1] = json!({"name": "Macron", "kind": "organization"});
        }),
        ("places holding gold's place as whole words", Same, |p| {
            ev(p, 0, 5)["location"] = json!({"name": "Washington DC", "country": "USA"});
            ev(p, 3, 1)["location"] = json!({"name": "Paris, France", "country": "FRA"});
            ev(p, 1, 3)["location"] = json!({"name": "St. Petersburg region"});
        }),
        ("a place inside a longer word", Differs, |p| {
            ev(p, 0, 5)["location"] = json!({"name": "Washingtonian", "country": "USA"});
        }),
        ("casualty places holding gold's as whole words", Same, |p| {
            cas(p, 3, 1)["locations"] = json!([{"name": "Kryvyi Rih district"}]);
            cas(p, 0, 0)["locations"] = json!([{"name": "the Sumy region"}]);
        }),
        ("casualty place inside a longer word", Differs, |p| {
            cas(p, 2, 0)["locations"] = json!([{"name": "Sumyna"}]);
        }),
        ("extra keys", Same, |p| {
            for d in p.iter_mut() {
                d["extra"] = json!({"x": [1, 2]});
            }
            for e in all_events(p) {
                e["confidence"] = json!(0.5);
            }
        }),
    ]
}

#[test]
fn hand_perturbations_agree_with_score_py() {
    let base = perfect(&load_gold());
    let cases: Vec<Case> = perturbations()
        .into_iter()
        .map(|(name, expect, perturb)| {
            let mut p = base.clone();
            perturb(&mut p);
            Case::records(name, expect, &p)
        })
        .collect();
    check_cases(&cases);
}

#[test]
fn file_level_cases_agree_with_score_py() {
    use Expect::{Differs, Same};
    let base = perfect(&load_gold());
    let mut cases = vec![
        Case {
            name: "empty file".into(),
            text: String::new(),
            expect: Differs,
        },
        Case::records(
            "some documents missing",
            Differs,
            &[base[0].clone(), base[2].clone(), base[4].clone()],
        ),
        Case::records("unknown and id-less documents", Same, &{
            let mut p = base.clone();
            p.push(json!({"id": "999_unknown", "diplomatic": [{"kind": "meet"}]}));
            p.push(json!({"title": "no id"}));
            p.push(json!({"id": null, "body": "x"}));
            p
        }),
        Case::records("one document scored against another's id", Differs, &{
            let mut p = base.clone();
            p[3]["id"] = json!("004_6bdcb3bbc48e2ea1");
            p[4]["id"] = json!("003_c841b23a78d9760a");
            p
        }),
    ];
    // A later line with the same id replaces an earlier one, both ways round.
    let garbage: Vec<Value> = base
        .iter()
        .map(|d| json!({"id": d["id"], "body": "nothing"}))
        .collect();
    cases.push(Case {
        name: "later lines replace earlier ones".into(),
        text: jsonl(&garbage) + &jsonl(&base),
        expect: Same,
    });
    cases.push(Case {
        name: "later garbage replaces good lines".into(),
        text: jsonl(&base) + &jsonl(&garbage[..2]),
        expect: Differs,
    });
    let lines: Vec<String> = base.iter().map(|d| d.to_string()).collect();
    cases.push(Case {
        name: "blank lines, CRLF and lone CR".into(),
        text: format!(
            "\n  \n{}\r\n\r\n{}\r{}\r \t\n{}\n{}",
            lines[0], lines[1], lines[2], lines[3], lines[4]
        ),
        expect: Same,
    });
    check_cases(&cases);
}

/// `location_is_country` in gold, not the place's name, decides whether any place in the
/// country will do: checked on variants of the seed gold.
#[test]
fn location_is_country_agrees_with_score_py() {
    use Expect::{Differs, Same};
    let seed = load_gold();
    // Washington's visit (doc 0, event 5) as a visit to the United States.
    let mut usa = seed.clone();
    usa[0]["diplomatic"][5]["location"] = json!("United States");
    usa[0]["diplomatic"][5]["location_is_country"] = json!(true);
    let base = perfect(&usa);
    let in_usa = |name: &str, country: &str| {
        let mut p = base.clone();
        p[0]["diplomatic"][5]["location"] = json!({"name": name, "country": country});
        p
    };
    check_cases_on(
        &usa,
        &[
            Case::records(
                "a city in the gold country",
                Same,
                &in_usa("New York", "USA"),
            ),
            Case::records("a city elsewhere", Differs, &in_usa("Ottawa", "CAN")),
        ],
    );
    // Oman (doc 0, events 3 and 4) without the flag is a place name like any other.
    let mut oman = seed.clone();
    for e in [3, 4] {
        let talks = &mut oman[0]["diplomatic"][e];
        talks.as_object_mut().unwrap().remove("location_is_country");
    }
    let mut muscat = perfect(&oman);
    muscat[0]["diplomatic"][3]["location"] = json!({"name": "Muscat", "country": "OMN"});
    let mut flagged = perfect(&seed);
    flagged[0]["diplomatic"][3]["location"] = json!({"name": "Muscat", "country": "OMN"});
    check_cases_on(
        &oman,
        &[Case::records(
            "Muscat for an unflagged Oman",
            Differs,
            &muscat,
        )],
    );
    check_cases(&[Case::records("Muscat for a flagged Oman", Same, &flagged)]);
}

/// A 64-bit linear congruential generator: deterministic, and no dependency for the test.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// A participant named after `s`: its surname in capitals, its surname without its first letter
/// (a person), or its full name as an organisation.
fn renamed(s: &str, how: usize) -> Value {
    let last = s.rsplit(' ').next().unwrap_or(s);
    match how {
        0 => json!(last.to_uppercase()),
        1 => {
            let short: String = last.chars().skip(1).collect();
            json!({"name": short, "kind": "person"})
        }
        _ => json!({"name": s, "kind": "organization"}),
    }
}

/// One random edit somewhere in the predictions.
fn random_edit(rng: &mut Lcg, p: &mut Vec<Value>) {
    let doc = rng.below(p.len());
    let n_events = p[doc]["diplomatic"].as_array().map_or(0, Vec::len);
    let n_cas = p[doc]["casualties"].as_array().map_or(0, Vec::len);
    match rng.below(14) {
        what @ 0..=7 if n_events > 0 => edit_event(rng, p, doc, what, n_events),
        8 if n_events > 1 => {
            let (a, b) = (rng.below(n_events), rng.below(n_events));
            events(p, doc).swap(a, b);
            let e = rng.below(n_events);
            ev(p, doc, e)["status"] = json!("occurred");
        }
        what @ 9..=11 if n_cas > 0 => edit_casualty(rng, p, doc, what, n_cas),
        12 => {
            let field = *rng.pick(&["title", "byline", "duplicate_of", "body"]);
            let v = rng
                .pick(&[
                    json!(null),
                    json!(""),
                    json!("003_c841b23a78d9760a"),
                    json!("Rubio and Witkoff"),
                    json!("Eng\nSupport us on Patreon engagement"),
                ])
                .clone();
            p[doc][field] = v;
        }
        _ => {
            p.remove(doc);
        }
    }
}

/// Edit `what` (0 to 7) of one of the `n` events of document `doc`: status, kind, date,
/// a participant removed, participants renamed, location, the event removed, or a planned
/// copy inserted.
fn edit_event(rng: &mut Lcg, p: &mut [Value], doc: usize, what: usize, n: usize) {
    let e = rng.below(n);
    match what {
        0 => {
            ev(p, doc, e)["status"] =
                json!(rng.pick(&["occurred", "planned", "cancelled", "OCCURRED"]));
        }
        1 => {
            ev(p, doc, e)["kind"] =
                json!(rng.pick(&["meet", "negotiate", "visit", "call", "agree", "talks"]));
        }
        2 => {
            let v = rng
                .pick(&[
                    json!(null),
                    json!("2025-04"),
                    json!("2025-04-12"),
                    json!("2025-04-19"),
                    json!({"value": "2025-04-17"}),
                    json!({"value": "2025-02"}),
                    json!("2025"),
                    json!({"value": null}),
                ])
                .clone();
            ev(p, doc, e)["date"] = v;
        }
        3 => {
            if let Some(parts) = ev(p, doc, e)["participants"].as_array_mut() {
                if !parts.is_empty() {
                    let i = rng.below(parts.len());
                    parts.remove(i);
                }
            }
        }
        4 => {
            let how = rng.below(3);
            if let Some(parts) = ev(p, doc, e)["participants"].as_array_mut() {
                for x in parts.iter_mut() {
                    if let Some(s) = x["name"].as_str().or(x["country"].as_str()) {
                        *x = renamed(s, how);
                    }
                }
            }
        }
        5 => {
            let loc = rng
                .pick(&[
                    json!(null),
                    json!({"name": "Paris"}),
                    json!({"country": "FRA"}),
                    json!({"name": "Oman", "country": "OMN"}),
                    json!({"name": "Washington", "country": "USA"}),
                    json!({"name": "Paris, France", "country": "FRA"}),
                    json!({"name": "Muscat", "country": "OMN"}),
                    json!({"name": "Parisian"}),
                ])
                .clone();
            ev(p, doc, e)["location"] = loc;
        }
        6 => {
            events(p, doc).remove(e);
        }
        _ => {
            let mut copy = ev(p, doc, e).clone();
            copy["status"] = json!("planned");
            let at = rng.below(n + 1);
            events(p, doc).insert(at, copy);
        }
    }
}

/// Edit `what` (9 to 11) of one of the casualty reports of document `doc`: a figure, the
/// perpetrator or the places.
fn edit_casualty(rng: &mut Lcg, p: &mut [Value], doc: usize, what: usize, n_cas: usize) {
    let c = rng.below(n_cas);
    match what {
        9 => {
            let key = *rng.pick(&["killed", "injured"]);
            let v = rng
                .pick(&[
                    json!(null),
                    json!({"low": 12, "high": null}),
                    json!({"low": 35.0, "high": null}),
                    json!({"low": 117, "high": 117}),
                    json!({"low": 18}),
                    json!(35),
                ])
                .clone();
            cas(p, doc, c)[key] = v;
        }
        10 => {
            let v = rng
                .pick(&[
                    json!(null),
                    json!("RUS"),
                    json!({"country": "RUS"}),
                    json!({"country": "UKR"}),
                ])
                .clone();
            cas(p, doc, c)["perpetrator"] = v;
        }
        _ => {
            let v = rng
                .pick(&[
                    json!([]),
                    json!([{"name": "Sumy"}]),
                    json!([{"name": "Kryvyi Rih"}]),
                    json!([{"name": "Sumy oblast"}, {"name": "Kryvyi"}]),
                    json!(null),
                ])
                .clone();
            cas(p, doc, c)["locations"] = v;
        }
    }
}

#[test]
fn random_perturbations_agree_with_score_py() {
    let base = perfect(&load_gold());
    let mut rng = Lcg(0x5eed_2025_0416);
    let cases: Vec<Case> = (0..12)
        .map(|i| {
            let mut p = base.clone();
            for _ in 0..5 {
                if !p.is_empty() {
                    random_edit(&mut rng, &mut p);
                }
            }
            Case::records(&format!("random case {i}"), Expect::Differs, &p)
        })
        .collect();
    check_cases(&cases);
}

#[test]
fn perfect_predictions_score_full_marks() {
    let dir = tempfile::tempdir().unwrap();
    let pred = dir.path().join("perfect.jsonl");
    std::fs::write(&pred, jsonl(&perfect(&load_gold()))).unwrap();
    let report = score_files(&gold_path(), &pred).unwrap();
    assert_eq!(
        (report.diplomatic_f1, report.casualty_f1),
        (1.0, 1.0),
        "{}",
        report.to_text()
    );
    for acc in [
        report.diplomatic_status_acc,
        report.diplomatic_kind_acc,
        report.diplomatic_date_acc,
        report.diplomatic_location_acc,
        report.casualty_killed_acc,
        report.casualty_injured_acc,
        report.casualty_perpetrator_acc,
        report.cleaning_checks,
        report.metadata_acc,
        report.duplicate_acc,
    ] {
        assert_eq!(acc, Some(1.0), "{}", report.to_text());
    }
    assert_eq!(report.docs_missing, 0);
}

#[test]
fn comparison_catches_a_divergence() {
    let dir = tempfile::tempdir().unwrap();
    let pred = dir.path().join("perfect.jsonl");
    std::fs::write(&pred, jsonl(&perfect(&load_gold()))).unwrap();
    let py: Value = serde_json::from_str(&score_py(&gold_path(), &pred, true)).unwrap();
    let rust = score_files(&gold_path(), &pred).unwrap().to_json();
    let mut diffs = Vec::new();
    differences("", &rust, &py, &mut diffs);
    assert!(diffs.is_empty(), "{diffs:?}");

    for (key, value) in [
        ("diplomatic_p", json!(0.999_999)),
        ("metadata_acc", json!(null)),
        ("docs_missing", json!(0.0)),
    ] {
        let mut off = rust.clone();
        off[key] = value;
        let mut diffs = Vec::new();
        differences("", &off, &py, &mut diffs);
        assert_eq!(diffs.len(), 1, "{key}: {diffs:?}");
    }
    let mut off = rust.clone();
    off["counts"]["dip_fp"] = json!(1);
    off.as_object_mut().unwrap().remove("cleaning_checks");
    let mut diffs = Vec::new();
    differences("", &off, &py, &mut diffs);
    assert_eq!(diffs.len(), 2, "{diffs:?}");
}
