//! Event ids: unique per distinct event and stable per event. Over the samples, the extraction
//! benchmark's pages and every development-set input, no two events with different content
//! share an id (a compacted topic or a keyed sink would keep only one of them), and tagging the
//! same input twice gives the same ids.
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every event `eventwire tag` prints for `input`: (id, content without the ingest time).
fn events(input: &Path) -> Vec<(String, String)> {
    let out = Command::new(env!("CARGO_BIN_EXE_eventwire"))
        .args(["tag", "--input"])
        .arg(input)
        .output()
        .expect("run eventwire tag");
    assert!(
        out.status.success(),
        "eventwire tag {}: {}",
        input.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("UTF-8 output");
    let mut found = Vec::new();
    for line in text.lines() {
        let article: serde_json::Value = serde_json::from_str(line).expect("JSON line");
        for key in ["diplomatic", "casualties"] {
            for event in article[key].as_array().into_iter().flatten() {
                let mut event = event.clone();
                let id = event["event_id"].as_str().expect("event_id").to_string();
                if let Some(map) = event.as_object_mut() {
                    map.remove("ingested_at");
                }
                found.push((id, event.to_string()));
            }
        }
    }
    found
}

fn inputs() -> Vec<PathBuf> {
    let dev = root().join("tests/fixtures/dev/data");
    let mut out = vec![
        root().join("examples/articles"),
        root().join("tests/fixtures/extraction/html"),
    ];
    for name in [
        "muc4-dev.asis.input.jsonl",
        "muc4-dev.sentcase.input.jsonl",
        "rams-dev.input.jsonl",
        "gvdb-dev.input.jsonl",
        "m2e2.input.jsonl",
    ] {
        out.push(dev.join(name));
    }
    out
}

#[test]
fn distinct_events_never_share_an_id_and_ids_are_stable() {
    let mut total = 0;
    for input in inputs() {
        let first = events(&input);
        let mut content_of: HashMap<&str, &str> = HashMap::new();
        let mut collisions = Vec::new();
        for (id, content) in &first {
            match content_of.insert(id, content) {
                Some(other) if other != content => collisions.push((id.clone(), other, content)),
                _ => {}
            }
        }
        assert!(
            collisions.is_empty(),
            "{}: {} ids carry different events, e.g. {:?}",
            input.display(),
            collisions.len(),
            collisions.first()
        );
        let again: Vec<String> = events(&input).into_iter().map(|(id, _)| id).collect();
        let ids: Vec<String> = first.iter().map(|(id, _)| id.clone()).collect();
        assert_eq!(ids, again, "{}: ids differ between runs", input.display());
        total += ids.len();
    }
    assert!(total > 1000, "only {total} events over all inputs");
}
