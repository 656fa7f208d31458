//! Load harness for the whole pipeline on Kafka: ingest, cleaner and tagger as separate release
//! processes on a Tansu broker, fed generated wire stories with planted events.
//!
//! ```sh
//! cargo run --release -p eventwire-tests --example load_pipeline -- --articles 5000 \
//!     [--rate 200] [--partitions 4] [--fault kill-cleaner] [--json]
//! ```
//!
//! 1. Generates `--articles` stories of `--min-kb..=--max-kb` KiB: neutral filler prose (a
//!    seeded mix of common words, so unrelated stories share almost no 5-word shingles) around
//!    one planted meeting between two invented officials and one planted casualty report with a
//!    known "at least N killed" figure.
//! 2. Starts Tansu (memory storage), creates the topics, starts the release cleaner and tagger,
//!    then `eventwire-ingest -` and writes the stories to its stdin: at `--rate` articles/s (open
//!    loop; each story is due at `i / rate` seconds whatever the pipeline does) or as fast as the
//!    pipe takes them (`--rate 0`, closed loop).
//! 3. `--fault kill-cleaner` / `kill-tagger` kill -9 that service when half the stories are
//!    written and restart it 2 s later in the same consumer group.
//! 4. Reads `articles.clean`, the event topics and the dead-letter topics until every story is
//!    accounted for (clean or dead-lettered) and the event topics are quiet, then reports: stories
//!    lost, planted events found, event ids seen with different content (`duplicate_event_ids`),
//!    sustained articles/s, end-to-end latency percentiles (the `eventwire.ingested_at` header to
//!    the event record's timestamp on its topic), CPU seconds per article and peak RSS per
//!    service and for the broker.
//!
//! A benchmark tool that prints numbers, not a test; results and their reading: `docs/load.md`.
use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::PathBuf;
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use clap::{Parser, ValueEnum};
use eventwire_tests::kafka::{LagWatcher, Record, TopicReader};
use eventwire_tests::load::{
    children_named, cpu_seconds, mem_status, release_binary, EventIdCheck, MemSampler,
};
use eventwire_tests::{create_topics_with, free_port, tail, unique_prefix, Service, Tansu};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};

/// Header carrying the ingest time (ms), as ingest writes it.
const INGESTED_AT_HEADER: &str = "eventwire.ingested_at";
/// Every story accounted for, both groups caught up and the topics quiet this long: done.
const QUIET: Duration = Duration::from_secs(3);
/// How often the consumer groups' lag is read.
const LAG_EVERY: Duration = Duration::from_secs(1);

#[derive(Parser, Debug)]
#[command(about = "Load harness: ingest, cleaner and tagger on Tansu, fed generated stories")]
struct Args {
    /// Stories to generate and send.
    #[arg(long, default_value_t = 5_000)]
    articles: usize,
    /// Stories per second, open loop; 0 sends as fast as ingest takes them (closed loop).
    #[arg(long, default_value_t = 0.0)]
    rate: f64,
    /// Partitions of every topic.
    #[arg(long, default_value_t = 4)]
    partitions: u32,
    /// Smallest story, KiB of text.
    #[arg(long, default_value_t = 5)]
    min_kb: usize,
    /// Largest story, KiB of text.
    #[arg(long, default_value_t = 15)]
    max_kb: usize,
    /// A fault injected when half the stories are written.
    #[arg(long, value_enum)]
    fault: Option<Fault>,
    /// Seed of the generator (same seed, same stories).
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Give up when the stories are not all accounted for after this many seconds.
    #[arg(long, default_value_t = 900)]
    timeout_secs: u64,
    /// Print one JSON summary (for scripts and checks) instead of the report.
    #[arg(long)]
    json: bool,
    /// A librdkafka setting for every service (`-X key=value`), repeatable, e.g.
    /// `--kafka-option fetch.wait.max.ms=50`.
    #[arg(long = "kafka-option")]
    kafka_options: Vec<String>,
    /// Only write the generated stories to this JSONL file (input for `eventwire run` or `tag`)
    /// and stop: no broker, no services.
    #[arg(long)]
    write_stories: Option<PathBuf>,
}

/// Faults the harness can inject.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
enum Fault {
    /// kill -9 the cleaner mid-stream, restart it 2 s later.
    KillCleaner,
    /// kill -9 the tagger mid-stream, restart it 2 s later.
    KillTagger,
}

impl Fault {
    /// The service the fault hits.
    fn service(self) -> &'static str {
        match self {
            Fault::KillCleaner => "cleaner",
            Fault::KillTagger => "tagger",
        }
    }

    /// The service that writes the hit service's input topic.
    fn writer_of_input(self) -> &'static str {
        match self {
            Fault::KillCleaner => "ingest",
            Fault::KillTagger => "cleaner",
        }
    }
}

/// What a story plants: the meeting's two participants and the casualty figure.
#[derive(Debug, Clone)]
struct Planted {
    host: String,
    guest: String,
    killed: u32,
}

/// One generated story: its ingest JSONL line and what it plants.
struct Story {
    id: String,
    line: String,
    planted: Planted,
}

const GIVEN: [&str; 12] = [
    "Arlen", "Brisa", "Cato", "Delia", "Emrys", "Farah", "Goran", "Hala", "Ivo", "Jessa", "Kemal",
    "Liora",
];
const FAMILY: [&str; 12] = [
    "Varrow", "Quillen", "Ostrand", "Mereth", "Tallis", "Brune", "Castel", "Dorn", "Ebbot",
    "Fenwick", "Garrow", "Hollis",
];
const OFFICES: [&str; 4] = [
    "Foreign Minister",
    "Prime Minister",
    "Defence Minister",
    "President",
];
const SUBJECTS: [&str; 10] = [
    "the council",
    "the committee",
    "local traders",
    "the school board",
    "farmers",
    "the port authority",
    "residents",
    "the water company",
    "planners",
    "the library",
];
const VERBS: [&str; 10] = [
    "reviewed",
    "discussed",
    "approved",
    "delayed",
    "questioned",
    "welcomed",
    "published",
    "revised",
    "debated",
    "funded",
];
const OBJECTS: [&str; 12] = [
    "a new bus timetable",
    "the harvest figures",
    "repairs to the bridge",
    "the rail budget",
    "a plan for cycle lanes",
    "the festival programme",
    "winter road gritting",
    "the museum extension",
    "rules on street parking",
    "a survey of river levels",
    "the tram depot",
    "a grant for the theatre",
];
const TAILS: [&str; 8] = [
    "on a busy afternoon",
    "after a long meeting",
    "without much debate",
    "in a short statement",
    "ahead of the spring season",
    "following complaints",
    "at the town hall",
    "late in the evening",
];

fn person(rng: &mut StdRng) -> String {
    let given = GIVEN.choose(rng).copied().unwrap_or("Arlen");
    let family = FAMILY.choose(rng).copied().unwrap_or("Varrow");
    format!("{given} {family}")
}

/// A sentence of neutral filler prose (no events, no figures).
fn filler(rng: &mut StdRng) -> String {
    let pick = |rng: &mut StdRng, words: &[&'static str]| words.choose(rng).copied().unwrap_or("");
    let subject = pick(rng, &SUBJECTS);
    let mut sentence = format!(
        "{} {} {} {}.",
        subject,
        pick(rng, &VERBS),
        pick(rng, &OBJECTS),
        pick(rng, &TAILS)
    );
    sentence[..1].make_ascii_uppercase();
    sentence
}

fn story(i: usize, rng: &mut StdRng, min_bytes: usize, max_bytes: usize) -> Story {
    let host = person(rng);
    let mut guest = person(rng);
    while guest == host {
        guest = person(rng);
    }
    let planted = Planted {
        host,
        guest,
        killed: rng.random_range(3..=90),
    };
    let (host_office, guest_office) = (
        OFFICES.choose(rng).copied().unwrap_or("President"),
        OFFICES.choose(rng).copied().unwrap_or("President"),
    );
    let meeting = format!(
        "{host_office} {} met {guest_office} {} on Tuesday to discuss trade and border \
         crossings, officials said.",
        planted.host, planted.guest
    );
    let casualty = format!(
        "In a separate incident, at least {} people were killed when a bomb exploded at a \
         market, police said.",
        planted.killed
    );
    let target = rng.random_range(min_bytes..=max_bytes);
    let mut paragraphs = vec![meeting];
    let mut size = paragraphs[0].len() + casualty.len();
    while size < target {
        let paragraph: Vec<String> = (0..4).map(|_| filler(rng)).collect();
        let paragraph = paragraph.join(" ");
        size += paragraph.len() + 2;
        paragraphs.push(paragraph);
    }
    let middle = 1 + paragraphs.len() / 2;
    paragraphs.insert(middle.min(paragraphs.len()), casualty);
    let id = format!("load-{i:07}");
    let line = json!({
        "id": id,
        "text": paragraphs.join("\n\n"),
        "published": format!("2026-11-{:02}", 1 + i % 28),
        "source": "load_pipeline",
    })
    .to_string();
    Story { id, line, planted }
}

/// The stories as JSONL, one a line, for other tools to load (`--write-stories`).
fn write_stories(path: &std::path::Path, stories: &[Story]) -> Result<()> {
    let file =
        std::fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    let mut out = std::io::BufWriter::new(file);
    for s in stories {
        writeln!(out, "{}", s.line)?;
    }
    out.flush()?;
    Ok(())
}

/// The consumer lag over the run: its maximum per stage and its samples (seconds, cleaner,
/// tagger).
fn add_lag(summary: &mut serde_json::Value, samples: &[(f64, i64, i64)]) {
    summary["max_lag"] = json!({
        "cleaner": samples.iter().map(|s| s.1).max().unwrap_or(0),
        "tagger": samples.iter().map(|s| s.2).max().unwrap_or(0),
    });
    summary["lag_over_time"] = samples
        .iter()
        .map(|&(t, c, g)| json!([round(t), c, g]))
        .collect();
}

// long: the run's one sequence (start the broker and services, feed, watch outputs and lag,
// inject the fault midway, stop, report); its steps are the functions it calls.
fn main() -> Result<()> {
    let args = Args::parse();
    if args.articles == 0 || args.min_kb == 0 || args.min_kb > args.max_kb || args.rate < 0.0 {
        bail!("need --articles > 0, 0 < --min-kb <= --max-kb and --rate >= 0");
    }
    let mut rng = StdRng::seed_from_u64(args.seed);
    let stories: Vec<Story> = (0..args.articles)
        .map(|i| story(i, &mut rng, args.min_kb * 1024, args.max_kb * 1024))
        .collect();
    if let Some(path) = &args.write_stories {
        return write_stories(path, &stories);
    }
    let bins = [
        "eventwire",
        "eventwire-ingest",
        "eventwire-cleaner",
        "eventwire-tagger",
    ];
    let binary = |name: &str| release_binary(name, &bins);
    let tansu = Tansu::start().context("start the Tansu broker")?;
    let brokers = tansu.brokers();
    let broker_pid = children_named("tansu").into_iter().next();
    let prefix = unique_prefix("load-pipeline");
    create_topics_with(&binary("eventwire")?, &brokers, &prefix, args.partitions)?;
    let mut pipeline = Pipeline {
        brokers: brokers.clone(),
        prefix: prefix.clone(),
        cleaner_bin: binary("eventwire-cleaner")?,
        tagger_bin: binary("eventwire-tagger")?,
        fault: args.fault,
        kafka_options: args.kafka_options.clone(),
        services: HashMap::new(),
        samplers: HashMap::new(),
        cpu_of_killed: HashMap::new(),
    };
    pipeline.start("cleaner")?;
    pipeline.start("tagger")?;
    let mut ingest = pipeline.ingest(&binary("eventwire-ingest")?)?;
    let ingest_sampler = MemSampler::start(ingest.pid(), Duration::from_millis(100));
    let broker_cpu_before = broker_pid.and_then(|p| cpu_seconds(p).ok());
    let readers = Readers::new(&brokers, &prefix)?;
    let started = Instant::now();
    let sender = send(
        ingest.take_stdin().context("ingest's stdin")?,
        stories.iter().map(|s| s.line.clone()).collect(),
        args.rate,
    );
    let planted: HashMap<String, Planted> = stories
        .iter()
        .map(|s| (s.id.clone(), s.planted.clone()))
        .collect();
    let mut seen = Seen::default();
    let timeout = Duration::from_secs(args.timeout_secs);
    let mut fault_done = args.fault.is_none();
    let mut last_change = Instant::now();
    let lag = Lag::new(&brokers, &prefix)?;
    let mut lag_samples: Vec<(f64, i64, i64)> = Vec::new();
    let mut lag_read = Instant::now() - LAG_EVERY;
    loop {
        let got = readers.poll(&mut seen)?;
        if got > 0 {
            last_change = Instant::now();
        }
        if lag_read.elapsed() >= LAG_EVERY {
            lag_read = Instant::now();
            let (cleaner, tagger) = lag.now();
            lag_samples.push((started.elapsed().as_secs_f64(), cleaner, tagger));
        }
        let caught_up = lag_samples
            .last()
            .is_some_and(|&(_, cleaner, tagger)| cleaner == 0 && tagger == 0);
        if !fault_done && sender.written() * 2 >= args.articles {
            if let Some(fault) = args.fault {
                pipeline.inject(fault)?;
            }
            fault_done = true;
        }
        let accounted = seen.accounted(&planted);
        if accounted == args.articles && caught_up && last_change.elapsed() >= QUIET {
            break;
        }
        if started.elapsed() > timeout {
            eprintln!(
                "timed out: {accounted} of {} stories accounted for",
                args.articles
            );
            for (name, s) in &pipeline.services {
                eprintln!("{name} log ends with:\n{}", tail(&s.log(), 20));
            }
            break;
        }
    }
    let elapsed = seen.last_output_ms.saturating_sub(seen.first_input_ms) as f64 / 1000.0;
    let sent = sender.finish()?;
    let ingest_status = ingest.wait(Duration::from_secs(60))?;
    let mut summary = pipeline.summary(
        &args,
        &seen,
        &planted,
        sent,
        elapsed,
        ingest_sampler.stop(),
        broker_pid.zip(broker_cpu_before),
    )?;
    add_lag(&mut summary, &lag_samples);
    if args.json {
        println!("{summary}");
    } else {
        print_report(&summary);
    }
    if !ingest_status.success() {
        bail!("ingest exited with {ingest_status}");
    }
    Ok(())
}

/// librdkafka settings as `-X key=value` flags.
fn as_flags(settings: Vec<&str>) -> Vec<String> {
    settings
        .into_iter()
        .flat_map(|s| ["-X".to_string(), s.to_string()])
        .collect()
}

/// The cleaner's and the tagger's consumer-group lag on their input topics.
struct Lag {
    cleaner: LagWatcher,
    tagger: LagWatcher,
}

impl Lag {
    fn new(brokers: &str, prefix: &str) -> Result<Lag> {
        let watcher = |service: &str, topic: &str| {
            LagWatcher::new(
                brokers,
                &format!("{prefix}{service}"),
                &format!("{prefix}{topic}"),
            )
        };
        Ok(Lag {
            cleaner: watcher("cleaner", "articles.raw")?,
            tagger: watcher("tagger", "articles.clean")?,
        })
    }

    /// (cleaner lag, tagger lag); -1 where it cannot be read just now (a broker hiccup).
    fn now(&self) -> (i64, i64) {
        (
            self.cleaner.lag().unwrap_or(-1),
            self.tagger.lag().unwrap_or(-1),
        )
    }
}

/// The consuming services and their memory samplers.
struct Pipeline {
    brokers: String,
    prefix: String,
    cleaner_bin: PathBuf,
    tagger_bin: PathBuf,
    fault: Option<Fault>,
    kafka_options: Vec<String>,
    services: HashMap<&'static str, Service>,
    samplers: HashMap<&'static str, Vec<MemSampler>>,
    /// CPU seconds of instances killed by a fault.
    cpu_of_killed: HashMap<&'static str, f64>,
}

impl Pipeline {
    /// Starts (or restarts) `name` ("cleaner" or "tagger") in its consumer group.
    fn start(&mut self, name: &'static str) -> Result<()> {
        let kafka_flags = self.kafka_flags(name);
        let bin = if name == "cleaner" {
            &self.cleaner_bin
        } else {
            &self.tagger_bin
        };
        let addr = format!("127.0.0.1:{}", free_port()?);
        let args: Vec<String> = [
            "--brokers",
            &self.brokers,
            "--topic-prefix",
            &self.prefix,
            "--group",
            &format!("{}{name}", self.prefix),
            "--metrics-addr",
            &addr,
        ]
        .iter()
        .map(|s| s.to_string())
        .chain(kafka_flags)
        .collect();
        let service = Service::spawn_path(
            &format!("eventwire-{name}"),
            bin,
            &args,
            &[("EVENTWIRE_LOG", "info,rdkafka=warn")],
        )?;
        self.samplers
            .entry(name)
            .or_default()
            .push(MemSampler::start(service.pid(), Duration::from_millis(100)));
        self.services.insert(name, service);
        Ok(())
    }

    /// `-X` flags for service `name`: the `--kafka-option`s, plus the librdkafka settings a fault
    /// run needs on Tansu 0.6.0 (written down in docs/load.md; none without a fault):
    /// * the killed service's consumers use a 6 s session (not 45 s), so the group drops the
    ///   dead member and hands its partitions to the restarted one within seconds;
    /// * whoever writes the killed service's input topic sends one record per batch: Tansu cannot
    ///   fetch from an offset inside a multi-record batch (it skips to the next batch), so a
    ///   consumer resuming from its committed offset would silently skip records. Real Kafka has
    ///   no such limit.
    fn kafka_flags(&self, name: &str) -> Vec<String> {
        let mut settings: Vec<&str> = self.kafka_options.iter().map(String::as_str).collect();
        let Some(fault) = self.fault else {
            return as_flags(settings);
        };
        if fault.service() == name {
            settings.extend(["session.timeout.ms=6000", "heartbeat.interval.ms=1000"]);
        }
        if fault.writer_of_input() == name {
            settings.push("batch.num.messages=1");
        }
        as_flags(settings)
    }

    /// `eventwire-ingest -`, reading the stories from its stdin.
    fn ingest(&self, bin: &std::path::Path) -> Result<Service> {
        let args: Vec<String> = [
            "--brokers",
            &self.brokers,
            "--topic-prefix",
            &self.prefix,
            "--metrics-addr",
            &format!("127.0.0.1:{}", free_port()?),
            "--source",
            "load_pipeline",
        ]
        .iter()
        .map(|s| s.to_string())
        .chain(self.kafka_flags("ingest"))
        .chain(["-".to_string()])
        .collect();
        Service::spawn_path_piped("eventwire-ingest", bin, &args, &[("EVENTWIRE_LOG", "warn")])
    }

    fn inject(&mut self, fault: Fault) -> Result<()> {
        let name = fault.service();
        if let Some(mut service) = self.services.remove(name) {
            let cpu = cpu_seconds(service.pid()).unwrap_or(0.0);
            *self.cpu_of_killed.entry(name).or_default() += cpu;
            service.kill9()?;
            eprintln!("fault: killed the {name} (kill -9); restarting it in 2 s");
        }
        thread::sleep(Duration::from_secs(2));
        self.start(name)
    }

    #[allow(clippy::too_many_arguments)] // one call site; each value is a separate measurement
    fn summary(
        &mut self,
        args: &Args,
        seen: &Seen,
        planted: &HashMap<String, Planted>,
        sent: usize,
        elapsed: f64,
        ingest_samples: Vec<eventwire_tests::load::MemSample>,
        broker: Option<(u32, f64)>,
    ) -> Result<Value> {
        let mut peak_rss_mb = serde_json::Map::new();
        let mut cpu_ms_per_article = serde_json::Map::new();
        let clean = seen.clean.len().max(1) as f64;
        for (&name, service) in &self.services {
            let hwm = mem_status(service.pid()).map(|m| m.hwm).unwrap_or(0);
            let sampled = self.samplers.get(name).map_or(0, |all| {
                all.iter()
                    .flat_map(|s| s.samples())
                    .map(|s| s.mem.hwm)
                    .max()
                    .unwrap_or(0)
            });
            peak_rss_mb.insert(name.into(), json!(mib(hwm.max(sampled))));
            let cpu = cpu_seconds(service.pid()).unwrap_or(0.0)
                + self.cpu_of_killed.get(name).copied().unwrap_or(0.0);
            cpu_ms_per_article.insert(name.into(), json!(round(1000.0 * cpu / clean)));
        }
        let ingest_peak = ingest_samples.iter().map(|s| s.mem.hwm).max().unwrap_or(0);
        peak_rss_mb.insert("ingest".into(), json!(mib(ingest_peak)));
        if let Some((pid, before)) = broker {
            if let Ok(after) = cpu_seconds(pid) {
                cpu_ms_per_article.insert(
                    "broker".into(),
                    json!(round(1000.0 * (after - before) / clean)),
                );
            }
            if let Ok(m) = mem_status(pid) {
                peak_rss_mb.insert("broker".into(), json!(mib(m.hwm)));
            }
        }
        let accounted: HashSet<&String> = seen.clean.iter().chain(&seen.dead).collect();
        let lost = planted.keys().filter(|id| !accounted.contains(id)).count();
        let mut latencies = seen.latencies_ms.clone();
        latencies.sort_unstable();
        let (found, expected) = seen.planted_found(planted);
        Ok(json!({
            "articles_sent": sent,
            "articles_clean": seen.clean.len(),
            "dead_letters": seen.dead.len(),
            "lost": lost,
            "planted_events": expected,
            "planted_found": found,
            "events_diplomatic": seen.diplomatic,
            "events_casualty": seen.casualty,
            "duplicate_event_ids": seen.ids.duplicate_event_ids(),
            "articles_per_s": round(seen.clean.len() as f64 / elapsed.max(1e-3)),
            "rate": args.rate,
            "partitions": args.partitions,
            "fault": args.fault.map(|f| format!("{f:?}")),
            "p50_ms": percentile(&latencies, 0.50),
            "p95_ms": percentile(&latencies, 0.95),
            "p99_ms": percentile(&latencies, 0.99),
            "max_ms": latencies.last().copied().unwrap_or(0),
            "peak_rss_mb": peak_rss_mb,
            "cpu_ms_per_article": cpu_ms_per_article,
        }))
    }
}

/// Writes the stories to ingest's stdin on a thread, paced at `rate` per second (0: unpaced).
struct Sender {
    written: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    thread: thread::JoinHandle<Result<usize>>,
}

fn send(stdin: std::process::ChildStdin, lines: Vec<String>, rate: f64) -> Sender {
    use std::sync::atomic::Ordering;
    let written = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let count = std::sync::Arc::clone(&written);
    let thread = thread::spawn(move || -> Result<usize> {
        let mut out = std::io::BufWriter::new(stdin);
        let started = Instant::now();
        for (i, line) in lines.iter().enumerate() {
            if rate > 0.0 {
                let due = started + Duration::from_secs_f64(i as f64 / rate);
                if let Some(wait) = due.checked_duration_since(Instant::now()) {
                    out.flush()?;
                    thread::sleep(wait);
                }
            }
            writeln!(out, "{line}").context("writing to ingest")?;
            count.store(i + 1, Ordering::Relaxed);
        }
        out.flush()?;
        Ok(lines.len())
    });
    Sender { written, thread }
}

impl Sender {
    fn written(&self) -> usize {
        self.written.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Waits for the last story to be written (stdin closes when the thread ends).
    fn finish(self) -> Result<usize> {
        match self.thread.join() {
            Ok(result) => result,
            Err(_) => bail!("the sender thread panicked"),
        }
    }
}

/// Readers of every output topic.
struct Readers {
    clean: TopicReader,
    events: Vec<TopicReader>,
    dead: Vec<TopicReader>,
}

impl Readers {
    fn new(brokers: &str, prefix: &str) -> Result<Readers> {
        let reader = |t: &str| TopicReader::new(brokers, &format!("{prefix}{t}"));
        Ok(Readers {
            clean: reader("articles.clean")?,
            events: vec![reader("events.diplomatic")?, reader("events.casualty")?],
            dead: eventwire_tests::DLQ_TOPICS
                .iter()
                .map(|t| reader(t))
                .collect::<Result<_>>()?,
        })
    }

    /// Reads what has arrived; returns how many records.
    fn poll(&self, seen: &mut Seen) -> Result<usize> {
        let mut got = 0;
        for r in self.clean.poll(Duration::from_millis(200))? {
            seen.clean_article(&r)?;
            got += 1;
        }
        for reader in &self.events {
            for r in reader.poll(Duration::from_millis(50))? {
                seen.event(&r)?;
                got += 1;
            }
        }
        for reader in &self.dead {
            for r in reader.poll(Duration::from_millis(10))? {
                seen.dead.insert(dead_letter_id(&r));
                got += 1;
            }
        }
        Ok(got)
    }
}

/// The story a dead letter stands for: its original key, else the ingest origin header.
fn dead_letter_id(r: &Record) -> String {
    match r.key.as_deref() {
        Some(k) if !k.is_empty() => String::from_utf8_lossy(k).into_owned(),
        _ => r
            .header("dlq.original.source")
            .unwrap_or_else(|| format!("{}@{}", r.partition, r.offset)),
    }
}

/// Everything read back.
#[derive(Default)]
struct Seen {
    clean: HashSet<String>,
    dead: HashSet<String>,
    /// Article id -> the meetings' participant names and the casualty figures.
    meetings: HashMap<String, Vec<Vec<String>>>,
    killed: HashMap<String, Vec<u64>>,
    diplomatic: usize,
    casualty: usize,
    ids: EventIdCheck,
    latencies_ms: Vec<i64>,
    first_input_ms: i64,
    last_output_ms: i64,
}

impl Seen {
    fn clean_article(&mut self, r: &Record) -> Result<()> {
        self.clean.insert(r.key_str());
        self.note_times(r);
        Ok(())
    }

    fn note_times(&mut self, r: &Record) {
        let ingested = r
            .header(INGESTED_AT_HEADER)
            .and_then(|v| v.parse::<i64>().ok());
        if let Some(t) = ingested {
            if self.first_input_ms == 0 || t < self.first_input_ms {
                self.first_input_ms = t;
            }
        }
        if let Some(at) = r.timestamp_ms {
            self.last_output_ms = self.last_output_ms.max(at);
        }
    }

    fn event(&mut self, r: &Record) -> Result<()> {
        self.ids.record(&r.payload)?;
        self.note_times(r);
        if let (Some(at), Some(ingested)) = (
            r.timestamp_ms,
            r.header(INGESTED_AT_HEADER)
                .and_then(|v| v.parse::<i64>().ok()),
        ) {
            self.latencies_ms.push(at - ingested);
        }
        let v = r.json()?;
        let article = v["article_id"].as_str().unwrap_or_default().to_string();
        if r.topic.ends_with("events.diplomatic") {
            self.diplomatic += 1;
            let names = v["participants"]
                .as_array()
                .map(|ps| {
                    ps.iter()
                        .filter_map(|p| p["name"].as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default();
            self.meetings.entry(article).or_default().push(names);
        } else {
            self.casualty += 1;
            if let Some(low) = v["killed"]["low"].as_u64() {
                self.killed.entry(article).or_default().push(low);
            }
        }
        Ok(())
    }

    /// Stories clean or dead-lettered.
    fn accounted(&self, planted: &HashMap<String, Planted>) -> usize {
        planted
            .keys()
            .filter(|id| self.clean.contains(*id) || self.dead.contains(*id))
            .count()
    }

    /// (planted events found, planted events): a meeting naming both participants, and a
    /// casualty report with the planted "at least" figure.
    fn planted_found(&self, planted: &HashMap<String, Planted>) -> (usize, usize) {
        let mut found = 0;
        for (id, p) in planted {
            let met = self.meetings.get(id).is_some_and(|all| {
                all.iter()
                    .any(|names| names.contains(&p.host) && names.contains(&p.guest))
            });
            let counted = self
                .killed
                .get(id)
                .is_some_and(|all| all.contains(&u64::from(p.killed)));
            found += usize::from(met) + usize::from(counted);
        }
        (found, 2 * planted.len())
    }
}

fn percentile(sorted: &[i64], q: f64) -> i64 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = ((sorted.len() as f64) * q).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn mib(bytes: u64) -> f64 {
    round(bytes as f64 / 1024.0 / 1024.0)
}

fn round(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn print_report(s: &Value) {
    println!("== load_pipeline ==");
    println!(
        "stories: {} sent, {} clean, {} dead letters, {} lost",
        s["articles_sent"], s["articles_clean"], s["dead_letters"], s["lost"]
    );
    println!(
        "events: {} diplomatic, {} casualty; planted found {} of {}; duplicate_event_ids {}",
        s["events_diplomatic"],
        s["events_casualty"],
        s["planted_found"],
        s["planted_events"],
        s["duplicate_event_ids"]
    );
    println!(
        "rate: {} articles/s sustained (offered: {}, 0 = closed loop), {} partitions, fault {}",
        s["articles_per_s"], s["rate"], s["partitions"], s["fault"]
    );
    println!(
        "latency ingest -> event: p50 {} ms, p95 {} ms, p99 {} ms, max {} ms",
        s["p50_ms"], s["p95_ms"], s["p99_ms"], s["max_ms"]
    );
    println!("peak RSS MiB: {}", s["peak_rss_mb"]);
    println!("max consumer lag (records): {}", s["max_lag"]);
    println!("CPU ms per clean article: {}", s["cpu_ms_per_article"]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_nearest_rank() {
        let v: Vec<i64> = (1..=100).collect();
        assert_eq!(percentile(&v, 0.50), 50);
        assert_eq!(percentile(&v, 0.99), 99);
        assert_eq!(percentile(&v, 1.0), 100);
        assert_eq!(percentile(&[7], 0.99), 7);
        assert_eq!(percentile(&[], 0.5), 0);
    }

    #[test]
    fn stories_plant_their_events_and_reach_their_size() {
        let mut rng = StdRng::seed_from_u64(3);
        let s = story(12, &mut rng, 5 * 1024, 6 * 1024);
        let v: Value = serde_json::from_str(&s.line).unwrap();
        let text = v["text"].as_str().unwrap();
        assert_eq!(v["id"], "load-0000012");
        assert!(
            text.len() >= 5 * 1024 && text.len() < 7 * 1024,
            "{}",
            text.len()
        );
        assert!(text.contains(&format!("{} met", s.planted.host)));
        assert!(text.contains(&s.planted.guest));
        assert!(text.contains(&format!("at least {} people were killed", s.planted.killed)));
        let again = story(12, &mut StdRng::seed_from_u64(3), 5 * 1024, 6 * 1024);
        assert_eq!(again.line, s.line, "same seed, same story");
    }
}
