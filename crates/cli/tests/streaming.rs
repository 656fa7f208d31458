//! The one-shot commands on large and live inputs: output appears while the input is still
//! open, in input order; peak memory does not grow with the input; the summary is
//! machine-readable on request; Ctrl-C writes the articles in flight and exits 130.
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use serde_json::Value;

/// Long enough for a debug build on a loaded machine; the tests never measure speed.
const PATIENCE: Duration = Duration::from_secs(300);

/// Invented names and places: the generator plants events that name none of the evaluation
/// data.
const GIVEN: [&str; 8] = [
    "Arlen", "Brisa", "Cato", "Delia", "Emrys", "Farah", "Goran", "Hala",
];
const FAMILY: [&str; 8] = [
    "Varrow", "Quillen", "Ostrand", "Mereth", "Tallis", "Brune", "Castel", "Dorn",
];
const TOWNS: [&str; 4] = ["Lowmarsh", "Eastfold", "Pellham", "Norbridge"];

/// A deterministic stream of numbers (a 64-bit LCG): the same stories on every run.
struct Numbers(u64);

impl Numbers {
    fn next(&mut self, below: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % below
    }

    fn person(&mut self) -> String {
        format!(
            "{} {}",
            GIVEN[self.next(GIVEN.len())],
            FAMILY[self.next(FAMILY.len())]
        )
    }
}

/// Article `i` of a generated corpus: a short wire story with a meeting and a casualty report.
fn story(i: usize, n: &mut Numbers) -> String {
    let (a, b) = (n.person(), n.person());
    let town = TOWNS[n.next(TOWNS.len())];
    let (killed, injured) = (2 + n.next(40), 1 + n.next(60));
    let text = format!(
        "Report {i}. Foreign Minister {a} met Prime Minister {b} in {town} on Tuesday to \
         discuss trade, officials said. The two leaders agreed to meet again next month. \
         Separately, at least {killed} people were killed and {injured} injured when a bomb \
         exploded at a market near {town}, police said on Monday. Reference {}.",
        i * 7919 % 100_003
    );
    serde_json::json!({
        "id": format!("story-{i:06}"),
        "text": text,
        "published": format!("2026-11-{:02}", 1 + i % 28),
    })
    .to_string()
}

fn eventwire(args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_eventwire"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("eventwire starts")
}

/// Reads `child`'s stdout lines on a thread; they arrive on the returned channel.
fn lines_of(child: &mut Child) -> mpsc::Receiver<String> {
    let stdout = child.stdout.take().expect("stdout is piped");
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// Writes `count` generated stories into `stdin` on a thread, then closes it.
fn feed(mut stdin: ChildStdin, count: usize) -> thread::JoinHandle<()> {
    thread::spawn(move || {
        let mut numbers = Numbers(20_261_207);
        let mut out = std::io::BufWriter::new(&mut stdin);
        for i in 0..count {
            if writeln!(out, "{}", story(i, &mut numbers)).is_err() {
                return;
            }
        }
    })
}

/// The summary object: the last line of stderr.
fn summary_json(stderr: &[u8]) -> Value {
    let text = String::from_utf8_lossy(stderr);
    let last = text.lines().last().unwrap_or_default();
    serde_json::from_str(last).unwrap_or_else(|e| panic!("summary is not JSON ({e}): {text}"))
}

/// Runs `tag` over `count` generated stories through a pipe; returns the summary after checking
/// that every story came out once, in input order.
fn tag_generated(count: usize) -> Value {
    let mut child = eventwire(&["tag", "--input", "-", "--summary-json"]);
    let writer = feed(child.stdin.take().expect("stdin is piped"), count);
    let lines = lines_of(&mut child);
    let mut seen = 0;
    for line in lines.iter() {
        let v: Value = serde_json::from_str(&line).expect("a TaggedArticle line");
        assert_eq!(
            v["id"],
            format!("story-{seen:06}"),
            "articles come out in input order"
        );
        seen += 1;
    }
    writer.join().expect("the writer finishes");
    let out = child.wait_with_output().expect("eventwire finishes");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(seen, count);
    let summary = summary_json(&out.stderr);
    assert_eq!(summary["articles"], count as u64);
    assert_eq!(summary["dead_letters"], 0);
    summary
}

fn peak_rss(summary: &Value) -> u64 {
    summary["peak_rss_bytes"]
        .as_u64()
        .expect("the summary reports peak memory (Linux)")
}

#[test]
fn tag_keeps_peak_memory_flat_over_100000_articles() {
    const MIB: u64 = 1024 * 1024;
    let small = tag_generated(2_000);
    let large = tag_generated(100_000);
    assert!(
        large["diplomatic"].as_u64() > Some(50_000) && large["casualty"].as_u64() > Some(50_000),
        "the planted events are found: {large}"
    );
    // Holding results until the end grew ~8 KiB per short article (~800 MiB here); the dedup
    // index, the one state kept on purpose, takes well under 1 KiB per original.
    let (small, large) = (peak_rss(&small), peak_rss(&large));
    assert!(
        large < small + 96 * MIB,
        "peak memory grew from {} MiB at 2,000 articles to {} MiB at 100,000",
        small / MIB,
        large / MIB
    );
}

/// Writes one story, waits for its output line while stdin stays open, then sends a second.
fn streams_before_input_ends(args: &[&str], id_of: impl Fn(&Value) -> String) {
    let mut child = eventwire(args);
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let lines = lines_of(&mut child);
    let mut numbers = Numbers(7);
    writeln!(stdin, "{}", story(0, &mut numbers)).expect("write");
    stdin.flush().expect("flush");
    let first = lines
        .recv_timeout(PATIENCE)
        .expect("the first article's output appears while the input is still open");
    assert_eq!(
        id_of(&serde_json::from_str(&first).expect("JSON")),
        "story-000000"
    );
    writeln!(stdin, "{}", story(1, &mut numbers)).expect("write");
    drop(stdin);
    let rest: Vec<String> = lines.iter().collect();
    let out = child.wait_with_output().expect("eventwire finishes");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(rest
        .iter()
        .any(|l| l.contains("story-000001") || l.contains("Report 1.")));
}

#[test]
fn tag_writes_an_article_before_its_input_ends() {
    streams_before_input_ends(&["tag", "--input", "-"], |v| {
        v["id"].as_str().unwrap_or_default().to_string()
    });
}

#[test]
fn clean_and_entities_write_an_article_before_their_input_ends() {
    let id = |v: &Value| v["id"].as_str().unwrap_or_default().to_string();
    streams_before_input_ends(&["clean", "--input", "-"], id);
    streams_before_input_ends(&["entities", "--input", "-"], id);
}

#[test]
fn run_writes_messages_before_its_input_ends() {
    streams_before_input_ends(&["run", "--no-db", "-"], |v| {
        v["value"]["id"].as_str().unwrap_or_default().to_string()
    });
}

#[test]
fn ctrl_c_writes_the_articles_in_flight_and_exits_130() {
    let mut child = eventwire(&["tag", "--input", "-", "--summary-json"]);
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let lines = lines_of(&mut child);
    let mut numbers = Numbers(11);
    writeln!(stdin, "{}", story(0, &mut numbers)).expect("write");
    stdin.flush().expect("flush");
    lines.recv_timeout(PATIENCE).expect("the first article");
    let interrupt = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(interrupt.success());
    let out = child.wait_with_output().expect("eventwire stops");
    drop(stdin);
    assert_eq!(
        out.status.code(),
        Some(130),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary = summary_json(&out.stderr);
    assert_eq!(summary["interrupted"], true);
    assert_eq!(summary["articles"], 1);
}

#[test]
fn off_a_terminal_only_the_summary_goes_to_stderr() {
    let mut child = eventwire(&["tag", "--input", "-"]);
    feed(child.stdin.take().expect("stdin is piped"), 3)
        .join()
        .expect("written");
    let out = child.wait_with_output().expect("eventwire finishes");
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "only the summary: {stderr}");
    assert!(
        stderr.starts_with("articles: 3 read, 0 rejected"),
        "{stderr}"
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 3);
}

/// What `eventwire tag` over the development copy of MUC-4 writes to a terminal on stderr
/// (util-linux `script` provides the terminal; stdout goes to /dev/null).
fn terminal_stderr(extra: &str) -> String {
    let input = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/dev/data/muc4-dev.asis.input.jsonl");
    let command = format!(
        "{} tag --input {} {extra} > /dev/null",
        env!("CARGO_BIN_EXE_eventwire"),
        input.display()
    );
    let out = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .stdin(Stdio::null())
        .output()
        .expect("util-linux script runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_terminal_shows_a_progress_bar_unless_quiet() {
    // the bar's track: light shade for what is left, full block for what is done
    let bar = |text: &str| text.contains('\u{2591}') || text.contains('\u{2588}');
    let shown = terminal_stderr("");
    assert!(bar(&shown), "no progress bar on a terminal: {shown}");
    let quiet = terminal_stderr("--quiet");
    assert!(!bar(&quiet), "a bar despite --quiet: {quiet}");
    assert!(quiet.contains("articles: 1498 read"), "{quiet}");
}

/// `duplicate_of` of each article of `tag` over stories 0, 1 and a copy of 0 (with a new id).
fn duplicates_with(extra: &[&str]) -> Vec<Value> {
    let mut args = vec!["tag", "--input", "-"];
    args.extend_from_slice(extra);
    let mut child = eventwire(&args);
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let mut numbers = Numbers(3);
    let (first, second) = (story(0, &mut numbers), story(1, &mut numbers));
    let copy = first.replace("story-000000", "story-copy");
    for line in [&first, &second, &copy] {
        writeln!(stdin, "{line}").expect("write");
    }
    drop(stdin);
    let out = child.wait_with_output().expect("eventwire finishes");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("JSON")["duplicate_of"].clone())
        .collect()
}

#[test]
fn the_duplicate_index_is_bounded_as_configured() {
    let unbounded = duplicates_with(&[]);
    assert_eq!(unbounded[2], "story-000000", "{unbounded:?}");
    // One original at most: the second story evicts the first, so its copy is new again.
    let bounded = duplicates_with(&["--dedup-capacity", "1"]);
    assert_eq!(bounded[2], Value::Null, "{bounded:?}");
    let refused = Command::new(env!("CARGO_BIN_EXE_eventwire"))
        .args(["tag", "--input", "-", "--dedup-capacity", "0"])
        .stdin(Stdio::null())
        .output()
        .expect("eventwire runs");
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("dedup-capacity"));
}

#[test]
fn a_run_whose_every_input_is_rejected_fails_and_one_that_reads_something_succeeds() {
    let run = |input: &str| {
        let mut child = eventwire(&["tag", "--input", "-"]);
        let mut stdin = child.stdin.take().expect("stdin is piped");
        stdin.write_all(input.as_bytes()).expect("write");
        drop(stdin);
        child.wait_with_output().expect("eventwire finishes")
    };
    let bad = "{\"id\": \"a\", \"text\": \n{\"id\": \"b\"}\n";
    let out = run(bad);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(
        stderr.contains("0 read, 2 rejected"),
        "the summary still comes: {stderr}"
    );
    assert!(stderr.contains("no article could be read"), "{stderr}");
    let mut numbers = Numbers(5);
    let mixed = format!("{}{}\n", bad, story(0, &mut numbers));
    let out = run(&mixed);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("1 read, 2 rejected"), "{stderr}");
}
