//! End-to-end tests of the pipeline on a real Kafka-protocol broker (Tansu): ingest, cleaner and
//! tagger run as separate OS processes, exactly as deployed, and the tests read the topics back.
//!
//! * `end_to_end_samples`: the sample articles go through ingest, cleaner and tagger; every
//!   topic holds what it should, nothing is dead-lettered, the services serve their metrics and
//!   stop cleanly on SIGTERM.
//! * `crash_recovery_cleaner`: the cleaner is killed with SIGKILL mid-stream and restarted in the
//!   same group; no article is lost (duplicates are allowed: delivery is at-least-once).
//! * `bad_record_dead_lettered`: a record that is not JSON, written to `articles.raw` by a
//!   foreign producer, lands on `articles.raw.dlq` with its original bytes and the documented
//!   headers, while the articles behind it on the same partition still flow.
//!
//! Each test starts its own broker and uses its own topic prefix and group ids, so the tests run
//! in parallel. Run with `cargo test -p eventwire-tests` (add `-- --nocapture` for timings).
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use eventwire_schema::page::split_date_header;
use eventwire_tests::{
    create_topics, is_empty, metric_value, produce, read_records, read_settled, tail,
    unique_prefix, workspace_root, Record, Service, Tansu, TopicReader, DLQ_TOPICS,
};

/// Time a service gets to join its group and connect its producer.
const READY: Duration = Duration::from_secs(60);
/// Time ingest gets to publish a file or directory.
const INGEST: Duration = Duration::from_secs(60);
/// Time records get to reach a topic.
const ARRIVE: Duration = Duration::from_secs(60);
/// Time a service gets to stop after SIGTERM.
const STOP: Duration = Duration::from_secs(30);
/// How long a topic must stay silent before it is taken as completely read.
const QUIET: Duration = Duration::from_secs(1);

/// One test's broker and namespace.
struct Pipeline {
    tansu: Tansu,
    prefix: String,
}

impl Pipeline {
    /// Starts a broker and creates every topic under a prefix unique to `test`.
    fn start(test: &str, partitions: u32) -> Pipeline {
        let tansu = Tansu::start().expect("start the Tansu broker");
        let prefix = unique_prefix(test);
        create_topics(&tansu.brokers(), &prefix, partitions).expect("create the pipeline topics");
        Pipeline { tansu, prefix }
    }

    fn brokers(&self) -> String {
        self.tansu.brokers()
    }

    fn topic(&self, logical: &str) -> String {
        format!("{}{logical}", self.prefix)
    }

    fn group(&self, service: &str) -> String {
        format!("{}{service}", self.prefix)
    }

    /// Starts a consuming service in its own group; `extra` flags are appended.
    fn stage(&self, bin: &str, service: &str, extra: &[&str]) -> Service {
        Service::stage(
            bin,
            &self.brokers(),
            &self.prefix,
            &self.group(service),
            extra,
        )
        .unwrap_or_else(|e| panic!("start {bin}: {e:#}"))
    }

    /// Runs ingest on `path` to completion; it must exit 0.
    fn ingest(&self, path: &Path) {
        let mut ingest =
            Service::ingest(&self.brokers(), &self.prefix, path, &[]).expect("start ingest");
        let status = ingest
            .wait(INGEST)
            .unwrap_or_else(|e| panic!("ingest did not finish: {e:#}"));
        assert!(
            status.success(),
            "ingest of {} exited with {status}; its log:\n{}",
            path.display(),
            tail(&ingest.log(), 40)
        );
    }

    /// Everything on a topic nobody writes to any more (at least `want` records are awaited).
    fn settled(&self, logical: &str, want: usize) -> Vec<Record> {
        read_settled(&self.brokers(), &self.topic(logical), want, QUIET, ARRIVE)
            .unwrap_or_else(|e| panic!("read {logical}: {e:#}"))
    }

    fn is_empty(&self, logical: &str) -> bool {
        is_empty(&self.brokers(), &self.topic(logical))
            .unwrap_or_else(|e| panic!("check {logical}: {e:#}"))
    }

    fn read(&self, logical: &str, want: usize) -> Vec<Record> {
        read_records(&self.brokers(), &self.topic(logical), want, ARRIVE)
            .unwrap_or_else(|e| panic!("read {logical}: {e:#}"))
    }
}

/// Sends SIGTERM and asserts a clean exit (status 0) within [`STOP`].
fn stop(service: &mut Service) {
    let name = service.name().to_string();
    service
        .sigterm()
        .unwrap_or_else(|e| panic!("SIGTERM {name}: {e:#}"));
    let started = Instant::now();
    let status = service
        .wait(STOP)
        .unwrap_or_else(|e| panic!("{name} did not stop within {STOP:?} of SIGTERM: {e:#}"));
    assert!(
        status.success(),
        "{name} exited with {status} after SIGTERM; its log:\n{}",
        tail(&service.log(), 40)
    );
    eprintln!(
        "{name} stopped in {:.1}s after SIGTERM",
        started.elapsed().as_secs_f64()
    );
}

/// Waits until `service` has read `n` records from `topic` and has none in flight, i.e. every
/// output of those records is acknowledged.
fn wait_processed(service: &Service, topic: &str, n: f64) {
    let deadline = Instant::now() + ARRIVE;
    loop {
        let text = service
            .metrics()
            .unwrap_or_else(|e| panic!("{} metrics: {e:#}", service.name()));
        let read = metric_value(&text, "eventwire_records_in_total", &[("topic", topic)]);
        let in_flight = metric_value(&text, "eventwire_in_flight_records", &[]);
        if read.unwrap_or(0.0) >= n && in_flight == Some(0.0) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{} has not processed {n} records of {topic} within {ARRIVE:?} (read {read:?}, in flight {in_flight:?}); log:\n{}",
            service.name(),
            tail(&service.log(), 40)
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn samples_dir() -> PathBuf {
    workspace_root().join("examples/articles")
}

/// The sample articles: id (the file stem) to file text.
fn samples() -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(samples_dir()).expect("list examples/articles") {
        let path = entry.expect("read examples/articles").path();
        if path.extension().and_then(|e| e.to_str()) != Some("txt") {
            continue;
        }
        let id = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("sample file name")
            .to_string();
        let text = std::fs::read_to_string(&path).expect("read a sample article");
        out.insert(id, text);
    }
    assert_eq!(out.len(), 5, "examples/articles should hold 5 samples");
    out
}

/// White space collapsed to single spaces.
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Sentences of at least 40 characters in a sample file, white space collapsed, without the
/// ` date YYYY-MM-DD ` header.
fn sentences(text: &str) -> Vec<String> {
    let (_, text) = split_date_header(text);
    let mut out = Vec::new();
    for line in text.lines() {
        let line = squash(line);
        let bytes = line.as_bytes();
        let mut start = 0;
        for i in 0..bytes.len() {
            let end_of_sentence = matches!(bytes[i], b'.' | b'?' | b'!')
                && (i + 1 == bytes.len() || bytes[i + 1] == b' ');
            if end_of_sentence {
                let s = line[start..=i].trim();
                if s.chars().count() >= 40 {
                    out.push(s.to_string());
                }
                start = i + 1;
            }
        }
    }
    out
}

/// Asserts `clean` holds exactly the samples, each once, each with a body that carries at least
/// one sentence of its source file. (Samples 003 and 004 are the same story, so a sentence need
/// not be unique to its file.)
fn assert_clean_samples(clean: &[Record], samples: &BTreeMap<String, String>) {
    let mut by_id = BTreeMap::new();
    for r in clean {
        let v = r.json().expect("clean article is JSON");
        let id = v["id"].as_str().unwrap_or_default().to_string();
        assert_eq!(r.key_str(), id, "clean article keyed by its id: {v}");
        assert!(
            by_id.insert(id.clone(), v).is_none(),
            "clean article {id} appears twice"
        );
    }
    let got: BTreeSet<&String> = by_id.keys().collect();
    let want: BTreeSet<&String> = samples.keys().collect();
    assert_eq!(
        got, want,
        "articles.clean should hold exactly the sample ids"
    );
    for (id, source) in samples {
        let body = by_id[id]["body"].as_str().unwrap_or_default();
        assert!(!body.trim().is_empty(), "{id}: empty body");
        let own = sentences(source);
        assert!(
            !own.is_empty(),
            "{id}: no sentence in the source to look for"
        );
        let body = squash(body);
        assert!(
            own.iter().any(|s| body.contains(s.as_str())),
            "{id}: the clean body holds none of its source's sentences; body: {body:?}"
        );
    }
}

/// Asserts every event on `records` belongs to one of `ids` and has an event id.
fn assert_events(kind: &str, records: &[Record], ids: &BTreeSet<String>) {
    for r in records {
        let v = r.json().unwrap_or_else(|e| panic!("{kind}: {e:#}"));
        let article = v["article_id"].as_str().unwrap_or_default();
        assert!(
            ids.contains(article),
            "{kind} for an unknown article {article:?}: {v}"
        );
        let event_id = v["event_id"].as_str().unwrap_or_default();
        assert!(!event_id.trim().is_empty(), "{kind} without event_id: {v}");
    }
}

#[test]
fn end_to_end_samples() {
    let started = Instant::now();
    let p = Pipeline::start("end_to_end_samples", 2);
    let mut cleaner = p.stage("eventwire-cleaner", "cleaner", &[]);
    let mut tagger = p.stage("eventwire-tagger", "tagger", &[]);
    cleaner.wait_ready(READY).expect("cleaner ready");
    tagger.wait_ready(READY).expect("tagger ready");

    p.ingest(&samples_dir());

    let samples = samples();
    let clean = p.read("articles.clean", samples.len());
    assert_clean_samples(&clean, &samples);

    // Every article has been through the tagger and its events acknowledged: the topics are
    // complete and can be read to their end.
    wait_processed(&tagger, &p.topic("articles.clean"), samples.len() as f64);
    let ids: BTreeSet<String> = samples.keys().cloned().collect();
    let casualty = p.settled("events.casualty", 1);
    let diplomatic = p.settled("events.diplomatic", 1);
    assert_events("casualty report", &casualty, &ids);
    assert_events("diplomatic event", &diplomatic, &ids);
    assert!(!casualty.is_empty(), "no casualty report from the samples");
    assert!(
        !diplomatic.is_empty(),
        "no diplomatic event from the samples"
    );

    for (service, input) in [(&cleaner, "articles.raw"), (&tagger, "articles.clean")] {
        let text = service.metrics().expect("GET /metrics");
        for name in ["eventwire_records_in_total", "eventwire_records_out_total"] {
            assert!(
                text.contains(name),
                "{} /metrics lacks {name}:\n{text}",
                service.name()
            );
        }
        let read = metric_value(
            &text,
            "eventwire_records_in_total",
            &[("topic", &p.topic(input))],
        );
        assert_eq!(read, Some(5.0), "{} records read:\n{text}", service.name());
    }
    let text = cleaner.metrics().expect("GET /metrics");
    let written = metric_value(
        &text,
        "eventwire_records_out_total",
        &[("topic", &p.topic("articles.clean"))],
    );
    assert_eq!(written, Some(5.0), "cleaner records written:\n{text}");

    stop(&mut cleaner);
    stop(&mut tagger);

    // Both services have drained and stopped: nothing can still arrive.
    assert_eq!(
        p.settled("articles.clean", 5).len(),
        5,
        "articles.clean record count"
    );
    for dlq in DLQ_TOPICS {
        assert!(p.is_empty(dlq), "{dlq} should be empty");
    }
    eprintln!(
        "end_to_end_samples: {} casualty reports, {} diplomatic events; took {:.1}s",
        casualty.len(),
        diplomatic.len(),
        started.elapsed().as_secs_f64()
    );
}

/// Articles in the crash test.
const CRASH_ARTICLES: usize = 400;
/// Clean articles seen before the cleaner is killed.
const KILL_AFTER: usize = 40;

/// A JSONL file of `n` synthetic articles with distinct ids; returns the ids.
fn synthetic_articles(path: &Path, n: usize) -> BTreeSet<String> {
    let mut lines = String::new();
    let mut ids = BTreeSet::new();
    for i in 0..n {
        let id = format!("crash-{i:04}");
        let text = format!(
            "Delegations from {n} towns met in harbour city number {i} on Monday.\n\
             The talks on article {i} lasted three hours, officials said.\n\
             A second round is planned for next week in the capital."
        );
        let line = serde_json::json!({
            "id": id,
            "url": format!("https://example.invalid/crash/{i}"),
            "text": text,
            "published": "2025-04-16",
        });
        lines.push_str(&line.to_string());
        lines.push('\n');
        ids.insert(id);
    }
    std::fs::write(path, lines).expect("write the synthetic articles");
    ids
}

/// Adds the ids of clean articles in `records` to `seen` (id to copies).
fn tally(records: &[Record], seen: &mut BTreeMap<String, usize>) {
    for r in records {
        let v = r.json().expect("clean article is JSON");
        let id = v["id"].as_str().unwrap_or_default().to_string();
        assert_eq!(r.key_str(), id, "clean article keyed by its id");
        *seen.entry(id).or_default() += 1;
    }
}

// long: an end-to-end scenario read top to bottom (start, kill -9 mid-stream, restart, check); its
// waits are functions.
#[test]
fn crash_recovery_cleaner() {
    let started = Instant::now();
    let p = Pipeline::start("crash_recovery_cleaner", 4);
    // One record in flight at a time, with output batches held briefly, paces the cleaner to a
    // few dozen records a second, so the kill surely lands mid-stream. A short session timeout
    // lets the group drop the killed member after 6 s instead of the default 45 s.
    let flags = [
        "--concurrency",
        "1",
        "--max-in-flight",
        "1",
        "--shutdown-timeout-secs",
        "5",
        "-X",
        "linger.ms=20",
        "-X",
        "session.timeout.ms=6000",
        "-X",
        "heartbeat.interval.ms=1000",
    ];
    let mut cleaner = p.stage("eventwire-cleaner", "cleaner", &flags);
    cleaner.wait_ready(READY).expect("cleaner ready");

    let dir = tempfile::tempdir().expect("temporary directory");
    let file = dir.path().join("articles.jsonl");
    let ids = synthetic_articles(&file, CRASH_ARTICLES);
    // One record per batch on articles.raw. Tansu 0.6.0 cannot fetch from an offset inside a
    // multi-record batch (it skips to the next batch, and reports the high watermark as the last
    // batch's base offset + 1), so a consumer resuming from a committed offset that falls inside a
    // batch would silently skip records: a broker bug, not one of the cleaner. Real Kafka has no
    // such limit; this keeps the test about the cleaner.
    let mut ingest = Service::ingest(
        &p.brokers(),
        &p.prefix,
        &file,
        &["-X", "batch.num.messages=1"],
    )
    .expect("start ingest");

    let reader = TopicReader::new(&p.brokers(), &p.topic("articles.clean")).expect("reader");
    let mut seen = BTreeMap::new();
    read_until_kill_point(&reader, &cleaner, &mut seen);
    let status = cleaner.kill9().expect("kill -9 the cleaner");
    let at_kill = seen.len();
    eprintln!(
        "cleaner killed ({status}) after {at_kill} of {CRASH_ARTICLES} clean articles were seen \
         ({:.1}s into the test)",
        started.elapsed().as_secs_f64()
    );
    assert!(
        at_kill < CRASH_ARTICLES,
        "the cleaner finished everything before the crash; the test no longer tests recovery"
    );

    let mut restarted = p.stage("eventwire-cleaner", "cleaner", &flags);
    restarted
        .wait_ready(READY)
        .expect("restarted cleaner ready");
    let status = ingest.wait(INGEST).expect("ingest finishes");
    assert!(
        status.success(),
        "ingest exited with {status}; its log:\n{}",
        tail(&ingest.log(), 40)
    );

    let deadline = Instant::now() + Duration::from_secs(90);
    while seen.len() < ids.len() && Instant::now() < deadline {
        tally(
            &reader.poll(Duration::from_millis(200)).expect("poll"),
            &mut seen,
        );
    }
    assert_all_arrived(&p, &ids, &seen, &restarted);

    stop(&mut restarted);
    // Nothing writes any more: read what is left, then count.
    read_until_quiet(&reader, &mut seen);
    let total: usize = seen.values().sum();
    let repeated = seen.values().filter(|n| **n > 1).count();
    eprintln!(
        "crash_recovery_cleaner: all {CRASH_ARTICLES} articles arrived; the crash caused {} \
         duplicate records ({repeated} articles cleaned more than once); took {:.1}s",
        total - CRASH_ARTICLES,
        started.elapsed().as_secs_f64()
    );
    assert!(
        p.is_empty("articles.raw.dlq"),
        "articles.raw.dlq should be empty"
    );
}

/// Reads articles.clean until [`KILL_AFTER`] articles are there (within [`ARRIVE`]).
fn read_until_kill_point(
    reader: &TopicReader,
    cleaner: &Service,
    seen: &mut BTreeMap<String, usize>,
) {
    let deadline = Instant::now() + ARRIVE;
    while seen.len() < KILL_AFTER {
        assert!(
            Instant::now() < deadline,
            "only {} clean articles within {ARRIVE:?}; cleaner log:\n{}",
            seen.len(),
            tail(&cleaner.log(), 40)
        );
        tally(&reader.poll(Duration::from_millis(20)).expect("poll"), seen);
    }
}

/// Every article ingested reached articles.clean and nothing else did; a loss is told apart
/// from one in ingest (not on articles.raw either).
fn assert_all_arrived(
    p: &Pipeline,
    ids: &BTreeSet<String>,
    seen: &BTreeMap<String, usize>,
    restarted: &Service,
) {
    let missing: Vec<&String> = ids.iter().filter(|id| !seen.contains_key(*id)).collect();
    if !missing.is_empty() {
        // Tell a loss in ingest from one in the cleaner.
        let raw = p.settled("articles.raw", CRASH_ARTICLES);
        let on_raw: HashSet<String> = raw.iter().map(Record::key_str).collect();
        let lost_before: Vec<&&String> =
            missing.iter().filter(|id| !on_raw.contains(**id)).collect();
        panic!(
            "{} articles never reached articles.clean after the crash (first: {:?}); {} of them are \
             not on articles.raw either ({} records there); restarted cleaner log:\n{}",
            missing.len(),
            &missing[..missing.len().min(10)],
            lost_before.len(),
            raw.len(),
            tail(&restarted.log(), 40)
        );
    }
    let strangers: Vec<&String> = seen.keys().filter(|id| !ids.contains(*id)).collect();
    assert!(
        strangers.is_empty(),
        "unexpected clean articles: {strangers:?}"
    );
}

/// Reads what is left on articles.clean until nothing came for [`QUIET`].
fn read_until_quiet(reader: &TopicReader, seen: &mut BTreeMap<String, usize>) {
    let mut last_news = Instant::now();
    while last_news.elapsed() < QUIET {
        let batch = reader.poll(Duration::from_millis(100)).expect("poll");
        if !batch.is_empty() {
            last_news = Instant::now();
            tally(&batch, seen);
        }
    }
}

// long: an end-to-end scenario read top to bottom (start, feed a bad record, check the dead letter
// and the rest).
#[test]
fn bad_record_dead_lettered() {
    let started = Instant::now();
    // One partition: the bad record sits in front of every sample, so they only flow if it is
    // dead-lettered and passed.
    let p = Pipeline::start("bad_record_dead_lettered", 1);
    let mut cleaner = p.stage("eventwire-cleaner", "cleaner", &[]);
    cleaner.wait_ready(READY).expect("cleaner ready");

    let raw = p.topic("articles.raw");
    let bad: &[u8] = b"{\"id\": \"bad-1\", \"body\": this is not JSON";
    let (partition, offset) = produce(
        &p.brokers(),
        &raw,
        b"bad-1",
        bad,
        &[("origin", b"e2e".as_slice())],
        Duration::from_secs(30),
    )
    .expect("produce the bad record");
    p.ingest(&samples_dir());

    let samples = samples();
    let clean = p.read("articles.clean", samples.len());
    assert_clean_samples(&clean, &samples);

    let letters = p.read("articles.raw.dlq", 1);
    assert_eq!(
        letters.len(),
        1,
        "one dead letter expected on articles.raw.dlq"
    );
    let letter = &letters[0];
    assert_eq!(
        letter.payload, bad,
        "the dead letter carries the original bytes"
    );
    assert_eq!(
        letter.key_str(),
        "bad-1",
        "the dead letter keeps the original key"
    );
    let header = |name: &str| {
        letter
            .header(name)
            .unwrap_or_else(|| panic!("dead letter lacks header {name}: {:?}", letter.headers))
    };
    assert_eq!(header("dlq.original.topic"), raw);
    assert_eq!(header("dlq.error.code"), "decode_error");
    assert_eq!(header("dlq.original.offset"), offset.to_string());
    assert_eq!(header("dlq.original.partition"), partition.to_string());
    assert_eq!(header("dlq.service"), "cleaner");
    assert_eq!(header("origin"), "e2e", "the original headers are kept");

    let text = cleaner.metrics().expect("GET /metrics");
    let counted = metric_value(
        &text,
        "eventwire_dead_letters_total",
        &[("error_code", "decode_error")],
    );
    assert_eq!(counted, Some(1.0), "dead letters counted:\n{text}");

    stop(&mut cleaner);
    assert_eq!(
        p.settled("articles.raw.dlq", 1).len(),
        1,
        "articles.raw.dlq record count"
    );
    assert!(p.is_empty("ingest.dlq"), "ingest.dlq should be empty");
    assert!(
        p.is_empty("articles.clean.dlq"),
        "articles.clean.dlq should be empty"
    );
    assert_eq!(
        p.settled("articles.clean", 5).len(),
        5,
        "articles.clean record count"
    );
    eprintln!(
        "bad_record_dead_lettered: took {:.1}s",
        started.elapsed().as_secs_f64()
    );
}

/// The cleaner's dedup index survives a restart: 000-003 go through one cleaner process, which
/// then stops; a fresh process rebuilds its index from `articles.clean` and marks 004 (003 inside
/// another site's frame) as a duplicate of 003.
#[test]
fn dedup_index_rebuilt_after_restart() {
    let p = Pipeline::start("dedup_index_rebuilt_after_restart", 2);
    let dir = tempfile::tempdir().expect("temp dir");
    let (first, second) = (dir.path().join("first"), dir.path().join("second"));
    for d in [&first, &second] {
        std::fs::create_dir(d).expect("create dir");
    }
    let samples = samples();
    for (id, text) in &samples {
        let to = if id.starts_with("004") {
            &second
        } else {
            &first
        };
        std::fs::write(to.join(format!("{id}.txt")), text).expect("write sample");
    }
    let mut cleaner = p.stage("eventwire-cleaner", "cleaner", &[]);
    cleaner.wait_ready(READY).expect("cleaner ready");
    p.ingest(&first);
    wait_processed(&cleaner, &p.topic("articles.raw"), 4.0);
    stop(&mut cleaner);

    let mut cleaner = p.stage("eventwire-cleaner", "cleaner", &[]);
    cleaner.wait_ready(READY).expect("restarted cleaner ready");
    p.ingest(&second);
    wait_processed(&cleaner, &p.topic("articles.raw"), 1.0);
    let clean = p.settled("articles.clean", 5);
    let copy = clean
        .iter()
        .find(|r| r.key_str().starts_with("004"))
        .expect("004 on articles.clean");
    let v = copy.json().expect("004 is JSON");
    assert_eq!(
        v["duplicate_of"].as_str(),
        Some("003_c841b23a78d9760a"),
        "004 after the restart: {v}\ncleaner log:\n{}",
        tail(&cleaner.log(), 40)
    );
    let text = cleaner.metrics().expect("GET /metrics");
    let loaded = metric_value(&text, "eventwire_dedup_rebuild_entries", &[]).unwrap_or(0.0);
    let followed = metric_value(
        &text,
        "eventwire_dedup_followed_total",
        &[("outcome", "inserted")],
    )
    .unwrap_or(0.0);
    // Tansu undercounts high watermarks (see read_settled): the follower loads what the rebuild
    // stopped short of.
    assert_eq!(loaded + followed, 4.0, "originals loaded:\n{text}");
    stop(&mut cleaner);
}
