//! The `eventwire` command as a user runs it: `run` on the samples, `tag` in the scorer's shape,
//! `eval` agreeing with the reference score.py, and bad input reported as dead letters.
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn eventwire(args: &[&str]) -> std::process::Output {
    let out = Command::new(env!("CARGO_BIN_EXE_eventwire"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("run eventwire");
    assert!(
        out.status.success(),
        "eventwire {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn tag_prints_one_scorer_shaped_line_per_sample_and_eval_agrees_with_score_py() {
    let out = eventwire(&["tag", "--input", "examples/articles"]);
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let ids: Vec<&str> = lines.iter().map(|v| v["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "000_1c3033acfb4f0b1c",
            "001_8e9c1e1a53db4473",
            "002_bc85ecc0e13772df",
            "003_c841b23a78d9760a",
            "004_6bdcb3bbc48e2ea1"
        ]
    );
    for v in &lines {
        assert!(v["body"].as_str().is_some_and(|b| !b.is_empty()));
        assert_eq!(v["published"].as_str().map(str::len), Some(10));
        for e in v["diplomatic"].as_array().into_iter().flatten() {
            assert!(["meet", "visit", "call", "negotiate", "agree"]
                .contains(&e["kind"].as_str().unwrap()));
            assert!(e["status"].is_string());
        }
    }

    let dir = tempfile::tempdir().unwrap();
    let pred = dir.path().join("pred.jsonl");
    std::fs::write(&pred, &text).unwrap();
    let gold = root().join("tests/fixtures/eval/seeds.gold.jsonl");
    let ours = eventwire(&[
        "eval",
        "--gold",
        gold.to_str().unwrap(),
        "--pred",
        pred.to_str().unwrap(),
    ]);
    let py = Command::new("python3")
        .arg(root().join("tests/fixtures/eval/score.py"))
        .arg(&gold)
        .arg(&pred)
        .output()
        .expect("python3 is needed to compare with the reference scorer");
    assert!(
        py.status.success(),
        "{}",
        String::from_utf8_lossy(&py.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&ours.stdout),
        String::from_utf8_lossy(&py.stdout)
    );
}

#[test]
fn run_writes_every_output_and_dead_letters_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    for f in std::fs::read_dir(root().join("examples/articles")).unwrap() {
        let f = f.unwrap().path();
        std::fs::copy(&f, input.join(f.file_name().unwrap())).unwrap();
    }
    std::fs::write(
        input.join("feed.jsonl"),
        "{\"id\":\"j1\",\"text\":\"Officials met in Rome.\"}\n{broken\n",
    )
    .unwrap();
    std::fs::write(input.join("bad.txt"), b"\xff\xfe not utf-8").unwrap();
    let out_file = dir.path().join("out.jsonl");
    let out = eventwire(&[
        "run",
        input.to_str().unwrap(),
        "-o",
        out_file.to_str().unwrap(),
        "--no-db",
    ]);
    let summary = String::from_utf8_lossy(&out.stderr);
    assert!(
        summary.contains("articles: 6 read, 2 rejected"),
        "{summary}"
    );
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&out_file)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let on = |t: &str| lines.iter().filter(|l| l["topic"] == t).count();
    assert_eq!(on("articles.clean"), 6);
    assert_eq!(on("ingest.dlq"), 2);
    let codes: Vec<&str> = lines
        .iter()
        .filter(|l| l["topic"] == "ingest.dlq")
        .map(|l| l["value"]["error_code"].as_str().unwrap())
        .collect();
    assert!(
        codes.contains(&"invalid_json") && codes.contains(&"invalid_utf8"),
        "{codes:?}"
    );
}

#[test]
fn missing_input_is_a_clear_error() {
    let out = Command::new(env!("CARGO_BIN_EXE_eventwire"))
        .args(["run", "/nonexistent/articles", "--no-db"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/articles"));
}

/// `eventwire tag` on the samples, scored by `eventwire eval` (score.py's rules).
fn sample_scores() -> serde_json::Value {
    let out = eventwire(&["tag", "--input", "examples/articles"]);
    let dir = tempfile::tempdir().unwrap();
    let pred = dir.path().join("pred.jsonl");
    std::fs::write(&pred, &out.stdout).unwrap();
    let gold = root().join("tests/fixtures/eval/seeds.gold.jsonl");
    let scores = eventwire(&[
        "eval",
        "--json",
        "--gold",
        gold.to_str().unwrap(),
        "--pred",
        pred.to_str().unwrap(),
    ]);
    let v: serde_json::Value = serde_json::from_slice(&scores.stdout).unwrap();
    v
}

/// The cleaner's sample targets, as score.py computes them: metadata, duplicates and every
/// cleaning check exact. Boilerplate is compared as whole words, so the "Eng" and "Esp" lines
/// no longer count against "engagement" and "despite" (see docs/cleaner.md).
#[test]
fn samples_meet_the_cleaning_metadata_and_duplicate_targets() {
    let v = sample_scores();
    assert_eq!(v["metadata_acc"].as_f64(), Some(1.0), "{v}");
    assert_eq!(v["duplicate_acc"].as_f64(), Some(1.0), "{v}");
    assert_eq!(v["cleaning_checks"].as_f64(), Some(1.0), "{v}");
}

/// The event-extraction targets on the samples, as score.py computes them.
#[test]
fn samples_meet_the_event_targets() {
    let v = sample_scores();
    let at_least = |key: &str, floor: f64| {
        let x = v[key].as_f64().unwrap_or(-1.0);
        assert!(x >= floor - 1e-9, "{key} {x} < {floor}: {v}");
    };
    // the accuracy issue's floors: F1 at least 0.95; status, date and place as they are
    at_least("diplomatic_f1", 0.95);
    at_least("casualty_f1", 1.0);
    at_least("diplomatic_status_acc", 1.0);
    at_least("diplomatic_date_acc", 1.0);
    at_least("diplomatic_location_acc", 0.95);
    at_least("casualty_killed_acc", 1.0);
    at_least("casualty_injured_acc", 1.0);
}

/// `entities` on the clean sample bodies, scored against the hand-made gold.
#[test]
fn entities_on_the_samples_score_against_the_gold() {
    let out = eventwire(&[
        "entities",
        "--input",
        "tests/fixtures/entities/samples.bodies.jsonl",
    ]);
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 5);
    for v in &lines {
        for e in v["entities"].as_array().unwrap() {
            assert!(e["start"].as_u64().unwrap() < e["end"].as_u64().unwrap());
            assert!(e["kind"].is_string() && e["text"].is_string());
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let pred = dir.path().join("entities.jsonl");
    std::fs::write(&pred, &text).unwrap();
    let scores = eventwire(&[
        "eval",
        "--entities",
        "--json",
        "--gold",
        "tests/fixtures/entities/samples.gold.jsonl",
        "--pred",
        pred.to_str().unwrap(),
    ]);
    let v: serde_json::Value = serde_json::from_slice(&scores.stdout).unwrap();
    let f1 = &v["strict"]["overall"]["f1"];
    assert!(f1.as_f64().is_some_and(|f| f >= 0.85), "{v}");
}

/// Users extend the known actors without recompiling: a person in no list gets the canonical
/// name, id, role and country from the file given with --actors.
#[test]
fn extra_actors_file_is_used_without_recompiling() {
    let dir = tempfile::tempdir().unwrap();
    let actors = dir.path().join("actors.tsv");
    std::fs::write(
        &actors,
        "id\tname\taliases\tcountry\trole\n\
         actor:zorana-kvesic\tZorana Kvesic\tZorana Kvešić\tHRV\tforeign minister\n",
    )
    .unwrap();
    let input = dir.path().join("texts.jsonl");
    std::fs::write(
        &input,
        "{\"id\":\"a\",\"published\":\"2025-04-16\",\"text\":\"Zorana Kvesic arrived in Vienna on Tuesday. Kvesic said the talks would continue.\"}\n",
    )
    .unwrap();
    let find = |extra: &[&str]| -> Vec<serde_json::Value> {
        let mut args = vec!["entities", "--input", input.to_str().unwrap()];
        args.extend_from_slice(extra);
        let out = eventwire(&args);
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v["entities"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["kind"] == "person")
            .cloned()
            .collect()
    };
    let with = find(&["--actors", actors.to_str().unwrap()]);
    assert!(
        with.iter().any(|e| e["id"] == "actor:zorana-kvesic"
            && e["country"] == "HRV"
            && e["canonical"] == "Zorana Kvesic"),
        "{with:?}"
    );
    let without = find(&[]);
    assert!(!without.iter().any(|e| e["id"] == "actor:zorana-kvesic"));
}

/// Copies `from` into `to`, directories and all.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn append(path: &Path, line: &str) {
    let mut text = std::fs::read_to_string(path).unwrap();
    text.push_str(line);
    std::fs::write(path, text).unwrap();
}

#[test]
fn data_dir_word_lists_and_counting_conventions_are_used_without_recompiling() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    copy_tree(&root().join("data"), &data);
    // a trigger verb and a vague quantity word the compiled-in lists do not have
    append(
        &data.join("lexicon/events/diplomatic_triggers.tsv"),
        "parleyed\tmeet-verb\n",
    );
    append(&data.join("lexicon/counting.tsv"), "oodles\t50\tvague\n");
    let input = dir.path().join("texts.jsonl");
    std::fs::write(
        &input,
        "{\"id\":\"a\",\"published\":\"2025-04-16\",\"text\":\"Foreign Minister Ana Ruiz parleyed with Prime Minister Lars Berg in Tallinn on Tuesday. Oodles of people were killed in a bombing in the capital on Monday, police said.\"}\n",
    )
    .unwrap();
    let tagged = |extra: &[&str]| -> serde_json::Value {
        let mut args = vec!["tag", "--quiet", "--input", input.to_str().unwrap()];
        args.extend_from_slice(extra);
        serde_json::from_slice(&eventwire(&args).stdout).unwrap()
    };
    let with = tagged(&["--data-dir", data.to_str().unwrap()]);
    let meets = with["diplomatic"].as_array().unwrap();
    assert!(meets.iter().any(|e| e["kind"] == "meet"), "{with}");
    let killed: Vec<&serde_json::Value> = with["casualties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["killed"])
        .collect();
    assert!(killed.iter().any(|k| k["low"] == 50), "{with}");
    let without = tagged(&[]);
    assert!(
        without["diplomatic"]
            .as_array()
            .is_none_or(|d| d.is_empty()),
        "{without}"
    );
    // a bad line is a clear error, not a silent fallback
    append(
        &data.join("lexicon/events/diplomatic_triggers.tsv"),
        "no tab here\n",
    );
    let out = Command::new(env!("CARGO_BIN_EXE_eventwire"))
        .args([
            "tag",
            "--quiet",
            "--input",
            input.to_str().unwrap(),
            "--data-dir",
        ])
        .arg(&data)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("diplomatic_triggers.tsv"), "{stderr}");
}

/// `eventwire resolve` over `eventwire tag`'s output of the articles in `dir`.
fn resolved(dir: &Path) -> Vec<serde_json::Value> {
    let tagged = eventwire(&["tag", "--quiet", "--input", dir.to_str().unwrap()]).stdout;
    let file = dir.join("tagged.jsonl.out");
    std::fs::write(&file, tagged).unwrap();
    let out = eventwire(&["resolve", "--input", file.to_str().unwrap()]).stdout;
    String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn meetings_of<'a>(
    events: &'a [serde_json::Value],
    a: &str,
    b: &str,
) -> Vec<&'a serde_json::Value> {
    events
        .iter()
        .filter(|e| e["kind"] == "meet")
        .filter(|e| {
            let names: Vec<&str> = e["participants"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|p| p["name"].as_str())
                .collect();
            names.iter().any(|n| n.contains(a)) && names.iter().any(|n| n.contains(b))
        })
        .collect()
}

#[test]
fn resolve_gives_one_record_per_meeting_across_the_samples_and_their_copies() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&root().join("examples/articles"), dir.path());
    let events = resolved(dir.path());
    let meetings = meetings_of(&events, "Witkoff", "Putin");
    assert_eq!(meetings.len(), 1, "{meetings:#?}");
    let before = meetings[0].clone();
    assert!(before["mention_count"].as_u64().unwrap() >= 4, "{before}");
    assert!(before["date"]["value"].is_string(), "{before}");

    // a syndicated copy of a sample adds a source, not an event nor an independent report
    let original = root().join("examples/articles/000_1c3033acfb4f0b1c.txt");
    std::fs::copy(&original, dir.path().join("005_copy.txt")).unwrap();
    let with_copy = resolved(dir.path());
    assert_eq!(with_copy.len(), events.len());
    let after = meetings_of(&with_copy, "Witkoff", "Putin")[0].clone();
    assert_eq!(after["id"], before["id"]);
    assert_eq!(
        after["source_count"].as_u64().unwrap(),
        before["source_count"].as_u64().unwrap() + 1
    );
    assert_eq!(after["independent_count"], before["independent_count"]);
}

#[test]
fn run_writes_the_resolved_events_keyed_by_id() {
    let db_dir = tempfile::tempdir().unwrap();
    let db = db_dir.path().join("events.sqlite");
    let db = db.to_str().unwrap();
    let out = eventwire(&["run", "--quiet", "examples/articles", "--db", db]).stdout;
    let mut latest: std::collections::BTreeMap<String, serde_json::Value> = Default::default();
    for line in String::from_utf8(out).unwrap().lines() {
        let m: serde_json::Value = serde_json::from_str(line).unwrap();
        if m["topic"] == "events.resolved" {
            let key = m["key"].as_str().unwrap().to_string();
            if m["value"].is_null() {
                latest.remove(&key);
            } else {
                assert_eq!(m["value"]["id"], m["key"], "{m}");
                latest.insert(key, m["value"].clone());
            }
        }
    }
    let events: Vec<serde_json::Value> = latest.into_values().collect();
    let meetings = meetings_of(&events, "Witkoff", "Putin");
    assert_eq!(meetings.len(), 1, "{meetings:#?}");
    assert!(meetings[0]["mention_count"].as_u64().unwrap() >= 4);
    // the same resolution as `eventwire resolve` over `eventwire tag`
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&root().join("examples/articles"), dir.path());
    assert_eq!(resolved(dir.path()).len(), events.len());

    // the database holds the same events, and `query` finds the meeting by its countries
    let query = |args: &[&str]| -> String {
        let mut all = vec!["query", "--db", db];
        all.extend_from_slice(args);
        String::from_utf8(eventwire(&all).stdout).unwrap()
    };
    let every = query(&["--format", "json", "--limit", "1000"]);
    let diplomatic = events
        .iter()
        .filter(|e| e["family"] == "diplomatic")
        .count();
    assert_eq!(every.lines().count(), diplomatic);
    let found = query(&[
        "--kind",
        "meet",
        "--between",
        "USA,RUS",
        "--since",
        "2025-04-01",
        "--format",
        "json",
        "--mentions",
    ]);
    let found: Vec<serde_json::Value> = found
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(
        found.iter().any(|e| e["id"] == meetings[0]["id"]),
        "{found:#?}"
    );
    let putin = found.iter().find(|e| e["id"] == meetings[0]["id"]).unwrap();
    assert_eq!(
        putin["mentions"].as_array().unwrap().len() as u64,
        putin["mention_count"].as_u64().unwrap()
    );
    let csv = query(&["--casualties", "--format", "csv"]);
    assert!(csv.starts_with("id,kind,status,date"), "{csv}");
    let casualties = events.iter().filter(|e| e["family"] == "casualty").count();
    assert_eq!(csv.lines().count(), casualties + 1);
    // a bad --since is a clear error
    let out = Command::new(env!("CARGO_BIN_EXE_eventwire"))
        .args(["query", "--db", db, "--since", "lately"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--since"));
}

/// The events of `eventwire tag --input dir`, per article, in a form that ignores the letter
/// case of names: kind, status, participants, place and date of diplomatic events; figures,
/// places, country and date of casualty reports; every evidence span.
fn events_ignoring_case(dir: &str) -> Vec<(String, Vec<String>)> {
    let out = eventwire(&["tag", "--input", dir]);
    let text = String::from_utf8(out.stdout).unwrap();
    let low = |v: &serde_json::Value| v.as_str().unwrap_or("").to_lowercase();
    let spans = |e: &serde_json::Value| -> Vec<(u64, u64)> {
        e["evidence"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|x| {
                (
                    x["start"].as_u64().unwrap_or(0),
                    x["end"].as_u64().unwrap_or(0),
                )
            })
            .collect()
    };
    text.lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            let mut events = Vec::new();
            for e in v["diplomatic"].as_array().into_iter().flatten() {
                let mut who: Vec<String> = e["participants"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|p| low(&p["name"]))
                    .collect();
                who.sort();
                events.push(format!(
                    "{} {} {who:?} at {} on {} {:?}",
                    e["kind"],
                    e["status"],
                    low(&e["location"]["name"]),
                    e["date"]["value"],
                    spans(e)
                ));
            }
            for r in v["casualties"].as_array().into_iter().flatten() {
                let places: Vec<String> = r["locations"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|p| low(&p["name"]))
                    .collect();
                events.push(format!(
                    "killed {} injured {} in {places:?} {} on {} {:?}",
                    r["killed"],
                    r["injured"],
                    r["country"],
                    r["date"],
                    spans(r)
                ));
            }
            events.sort();
            (v["id"].as_str().unwrap_or("").to_string(), events)
        })
        .collect()
}

#[test]
fn upper_and_sentence_case_copies_of_the_samples_give_the_same_events() {
    let original = events_ignoring_case("examples/articles");
    assert!(original.iter().map(|(_, e)| e.len()).sum::<usize>() >= 20);
    for dir in ["tests/fixtures/case/upper", "tests/fixtures/case/sentence"] {
        let copy = events_ignoring_case(dir);
        assert_eq!(copy.len(), original.len(), "{dir}");
        for ((id, want), (_, got)) in original.iter().zip(&copy) {
            assert_eq!(got, want, "{dir}: {id}");
        }
    }
}
