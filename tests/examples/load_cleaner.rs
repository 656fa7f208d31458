//! Load harness for the cleaner service on Kafka: throughput, CPU and peak resident memory.
//!
//! ```sh
//! cargo run --release -p eventwire-tests --example load_cleaner -- --articles 20000 [--concurrency 2] [--partitions 4]
//! ```
//!
//! 1. Builds the release `eventwire` and `eventwire-cleaner` binaries (once), starts a Tansu
//!    broker (memory storage) through the test harness and creates the pipeline topics.
//! 2. Generates `--articles` distinct text pages (RawArticle JSON) from the sample pages in
//!    `examples/articles`: each page keeps one sample's site chrome (menus, footers) and gets a
//!    body of sample paragraphs in random order whose open-class words, names and numbers are
//!    replaced, per article, by a seeded RNG (closed-class words from `data/lexicon` are kept), so
//!    unrelated pages share almost no word 5-shingles, as real unrelated news does. A share
//!    (`--dup-share`) are planted copies of a recent page: half exact (same page on another site),
//!    half near (same body minus one paragraph, other site chrome), so the dedup index does real
//!    work. Page sizes are uniform in `--min-kb..=--max-kb`.
//! 3. Produces them all to `articles.raw` (timed), then starts the release cleaner, which drains
//!    the backlog; reads `articles.clean` until every article is there (or dead-lettered), then
//!    stops the cleaner with SIGTERM.
//! 4. Prints produce rate, drain rate (first to last output, by record timestamps), end-to-end
//!    time, the cleaner's peak RSS (VmHWM, sampled every `--sample-ms` and read once more before
//!    the stop) and RSS over time, duplicates flagged against planted, CPU seconds of the
//!    cleaner and the broker, and the cleaner's own `/metrics` view of memory and the index.
//!
//! A benchmark tool that prints numbers, not a test; results and their reading: `docs/load.md`.
use std::collections::{BTreeMap, HashMap, HashSet};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{bail, Context, Result};
use clap::Parser;
use eventwire_schema::page::split_date_header;
use eventwire_schema::v1::{ContentType, RawArticle};
use eventwire_schema::{json, now_timestamp, topics, SCHEMA_NAME, SCHEMA_VERSION};
use eventwire_tests::kafka::TopicReader;
use eventwire_tests::load::{
    children_named, cpu_seconds, mem_status, produce_all, release_binary, MemSample, MemSampler,
    MemStatus, ProduceReport,
};
use eventwire_tests::{free_port, http_get, metric_value, tail, unique_prefix, Service, Tansu};
use rand::rngs::StdRng;
use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, SeedableRng};

/// A line with at least this many words is article prose (else menu, caption, byline...).
const PROSE_WORDS: usize = 12;
/// Lines of site chrome with at least this many words (titles, teasers) are varied too.
const VARIED_WORDS: usize = 6;
/// Word 5-shingles, as the cleaner's dedup uses.
const SHINGLE: usize = 5;
/// A planted copy's original is one of this many most recent originals.
const COPY_RECENT: usize = 500;
/// Header carrying the ingest time (ms), as ingest writes it.
const INGESTED_AT_HEADER: &str = "eventwire.ingested_at";

#[derive(Parser, Debug)]
#[command(
    about = "Load harness: the release cleaner drains a backlog of generated articles on Tansu"
)]
struct Args {
    /// Articles to generate and push through the cleaner.
    #[arg(long, default_value_t = 20_000)]
    articles: usize,
    /// The cleaner's --concurrency (default: the cleaner's own default, the CPU count).
    #[arg(long)]
    concurrency: Option<usize>,
    /// Partitions of every topic.
    #[arg(long, default_value_t = 4)]
    partitions: u32,
    /// Share of articles that are planted copies of an earlier one (half exact, half near).
    #[arg(long, default_value_t = 0.05)]
    dup_share: f64,
    /// Smallest page, in KiB of raw body.
    #[arg(long, default_value_t = 5)]
    min_kb: usize,
    /// Largest page, in KiB of raw body.
    #[arg(long, default_value_t = 20)]
    max_kb: usize,
    /// Seed of the generator (same seed, same articles).
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Memory sampling period of the cleaner, ms.
    #[arg(long, default_value_t = 100)]
    sample_ms: u64,
    /// Give up when the cleaner has not drained the backlog after this many seconds.
    #[arg(long, default_value_t = 1800)]
    timeout_secs: u64,
    /// Extra flag for the cleaner (repeatable), e.g. `--cleaner-arg=--dedup-capacity=1000` or
    /// `--cleaner-arg=-Xqueued.max.messages.kbytes=16384`.
    #[arg(long = "cleaner-arg", allow_hyphen_values = true)]
    cleaner_args: Vec<String>,
    /// Sample pages (`.txt`), relative to the workspace root unless absolute.
    #[arg(long, default_value = "examples/articles")]
    samples: PathBuf,
    /// The data directory (closed-class words, name lists), relative to the workspace root.
    #[arg(long, default_value = "data")]
    data: PathBuf,
    /// Only generate and print the corpus statistics (no broker, no cleaner).
    #[arg(long)]
    generate_only: bool,
    /// Print the RawArticle JSON of article `i` (repeatable), to see what is generated.
    #[arg(long)]
    show: Vec<usize>,
}

impl Args {
    /// Rejects sizes and shares the generator cannot meet.
    fn check(&self) -> Result<()> {
        if self.articles == 0 || self.min_kb == 0 || self.min_kb > self.max_kb {
            bail!("need --articles > 0 and 0 < --min-kb <= --max-kb");
        }
        if !(0.0..1.0).contains(&self.dup_share) {
            bail!("--dup-share must be in [0, 1)");
        }
        Ok(())
    }
}

// long: the harness's run in order (generate, produce, drain, stop, report); each step is a
// function, what remains passes their results on.
fn main() -> Result<()> {
    let args = Args::parse();
    args.check()?;
    let root = eventwire_tests::workspace_root();
    let corpus = Corpus::load(&root.join(&args.samples), &root.join(&args.data))?;
    print_corpus(&corpus);

    let gen_started = Instant::now();
    let generated = generate(&corpus, &args)?;
    print_generated(&generated, gen_started.elapsed());
    print_similarity(&generated.check);
    for &i in &args.show {
        if let Some(item) = generated.items.get(i) {
            println!("article {i}: {}", String::from_utf8_lossy(&item.payload));
        }
    }
    if args.generate_only {
        return Ok(());
    }

    let all_bins = ["eventwire", "eventwire-cleaner"];
    let cli = release_binary("eventwire", &all_bins)?;
    let cleaner_bin = release_binary("eventwire-cleaner", &all_bins)?;
    let tansu = Tansu::start().context("start the Tansu broker")?;
    let brokers = tansu.brokers();
    let tansu_pid = children_named("tansu").into_iter().next();
    let prefix = unique_prefix("load");
    create_topics(&cli, &brokers, &prefix, args.partitions)?;
    let raw_topic = format!("{prefix}{}", topics::ARTICLES_RAW);
    let clean_topic = format!("{prefix}{}", topics::ARTICLES_CLEAN);
    println!(
        "broker {brokers}, topics {prefix}* with {} partitions",
        args.partitions
    );

    // 1. The backlog.
    let timeout = Duration::from_secs(args.timeout_secs);
    let produced = produce_backlog(&brokers, &raw_topic, &generated, timeout)?;
    let want = generated.items.len();
    let sizes: HashMap<String, usize> = generated
        .items
        .iter()
        .map(|g| (g.key.clone(), g.payload.len()))
        .collect();
    let (planted_exact, planted_near) = (generated.exact, generated.near);
    drop(generated);

    // 2. The cleaner drains it.
    let metrics_addr = SocketAddr::from(([127, 0, 0, 1], free_port()?));
    let cleaner_args = cleaner_command_line(&brokers, &prefix, metrics_addr, &args);
    let tansu_cpu_before = tansu_pid.and_then(|p| cpu_seconds(p).ok());
    let my_cpu_before = cpu_seconds(std::process::id()).ok();
    let spawned_ms = now_ms();
    let spawned = Instant::now();
    let mut cleaner = Service::spawn_path(
        "eventwire-cleaner",
        &cleaner_bin,
        &cleaner_args,
        &[("EVENTWIRE_LOG", "info,rdkafka=warn")],
    )?;
    let pid = cleaner.pid();
    let sampler = MemSampler::start(pid, Duration::from_millis(args.sample_ms.max(1)));
    println!(
        "cleaner pid {pid} ({}), args: {}",
        cleaner_bin.display(),
        cleaner_args.join(" ")
    );
    let drained = drain(
        &mut cleaner,
        &brokers,
        &clean_topic,
        metrics_addr,
        want,
        &sizes,
        &sampler,
        timeout,
    )
    .inspect_err(|_| eprintln!("cleaner log ends with:\n{}", tail(&cleaner.log(), 40)))?;
    let final_mem = mem_status(pid)?;
    let cpu = cpu_seconds(pid)?;
    let tansu_cpu = match (tansu_pid, tansu_cpu_before) {
        (Some(p), Some(before)) => cpu_seconds(p).ok().map(|c| c - before),
        _ => None,
    };
    let my_cpu = my_cpu_before.and_then(|b| cpu_seconds(std::process::id()).ok().map(|c| c - b));
    let metrics = http_get(metrics_addr, "/metrics", Duration::from_secs(5))
        .map(|(_, body)| body)
        .unwrap_or_default();
    let samples = sampler.stop();

    // 3. Graceful stop.
    let (status, stop_s) = stop_gracefully(&mut cleaner)?;

    // 4. Report.
    print_results(&RunFigures {
        want,
        partitions: args.partitions,
        produced: &produced,
        planted: (planted_exact, planted_near),
        drained: &drained,
        spawned_ms,
        spawned,
        stop_s,
        status,
        final_mem: &final_mem,
        samples: &samples,
        metrics: &metrics,
        cpu,
        tansu_cpu,
        my_cpu,
        capacity: capacity_from(&args.cleaner_args),
    });
    if !status.success() {
        bail!("the cleaner exited with {status} after SIGTERM");
    }
    Ok(())
}

/// What one run measured, for [`print_results`].
struct RunFigures<'a> {
    want: usize,
    partitions: u32,
    produced: &'a ProduceReport,
    /// Exact and near copies planted.
    planted: (usize, usize),
    drained: &'a Drained,
    /// When the cleaner was started (wall clock ms, and as an instant).
    spawned_ms: i64,
    spawned: Instant,
    /// Seconds from SIGTERM to exit, and the exit status.
    stop_s: f64,
    status: std::process::ExitStatus,
    final_mem: &'a MemStatus,
    samples: &'a [MemSample],
    /// The cleaner's last /metrics exposition.
    metrics: &'a str,
    /// CPU seconds of the cleaner, the broker and this harness.
    cpu: f64,
    tansu_cpu: Option<f64>,
    my_cpu: Option<f64>,
    /// The dedup index's capacity the cleaner ran with.
    capacity: u64,
}

/// The results table: produce and drain rates, latency, memory, CPU, duplicates, dead
/// letters and the dedup index's share of the memory.
// long: one println per line of the results table.
fn print_results(f: &RunFigures<'_>) {
    let RunFigures {
        want,
        produced,
        drained,
        spawned_ms,
        spawned,
        stop_s,
        status,
        final_mem,
        samples,
        metrics,
        cpu,
        ..
    } = *f;
    let (planted_exact, planted_near) = f.planted;
    let (tansu_cpu, my_cpu) = (f.tansu_cpu, f.my_cpu);
    let produce_s = produced.elapsed.as_secs_f64();
    let first = drained.first_ms.unwrap_or(spawned_ms);
    let last = drained.last_ms.unwrap_or(spawned_ms);
    let drain_s = ((last - first) as f64 / 1000.0).max(1e-3);
    let e2e_s = (last - spawned_ms) as f64 / 1000.0;
    let metric = |name: &str, labels: &[(&str, &str)]| metric_value(metrics, name, labels);
    let index_entries = metric("eventwire_dedup_index_entries", &[]);
    let proc_rss = metric("process_resident_memory_bytes", &[]);
    let flagged_exact = metric("eventwire_dedup_duplicates_total", &[("kind", "exact")]);
    let flagged_near = metric("eventwire_dedup_duplicates_total", &[("kind", "near")]);
    let peak_sampled = samples.iter().map(|s| s.mem.rss).max().unwrap_or(0);

    println!();
    println!(
        "== results ({} articles, {} partitions) ==",
        want, f.partitions
    );
    println!(
        "produce:     {:.0} articles/s, {:.1} MiB/s ({produce_s:.1}s for {:.1} MiB)",
        produced.records as f64 / produce_s,
        mib(produced.bytes) / produce_s,
        mib(produced.bytes)
    );
    println!(
        "cleaner:     first output {:.1}s after start; drained {} articles in {drain_s:.1}s \
         (first to last output): {:.0} articles/s, {:.2} MiB/s in, {:.2} MiB/s out",
        (first - spawned_ms) as f64 / 1000.0,
        drained.clean,
        (drained.clean.saturating_sub(1)) as f64 / drain_s,
        mib(drained.in_bytes) / drain_s,
        mib(drained.out_bytes) / drain_s,
    );
    println!(
        "end to end:  {e2e_s:.1}s from cleaner start to last output; stopped {stop_s:.1}s after SIGTERM ({status})"
    );
    println!(
        "peak RSS:    VmHWM {:.1} MiB (final read before SIGTERM), max sampled VmRSS {:.1} MiB, \
         RSS at the end {:.1} MiB; /metrics process_resident_memory_bytes {}",
        mib(final_mem.hwm),
        mib(peak_sampled),
        mib(final_mem.rss),
        proc_rss.map_or("n/a".into(), |b| format!("{:.1} MiB", mib(b as u64)))
    );
    print_rss_over_time(samples, drained.first_at.map(|t| t - spawned));
    println!(
        "CPU:         cleaner {cpu:.1}s ({:.0} articles per CPU-second, {:.0}% of one core from its start to the last output); \
         broker {}; this harness {}",
        drained.clean as f64 / cpu,
        100.0 * cpu / e2e_s.max(1e-3),
        tansu_cpu.map_or("n/a".into(), |c| format!("{c:.1}s")),
        my_cpu.map_or("n/a".into(), |c| format!("{c:.1}s")),
    );
    let fmt = |v: Option<f64>| v.map_or("n/a".to_string(), |v| format!("{v:.0}"));
    println!(
        "duplicates:  flagged {} on articles.clean (metrics: exact {}, near {}); planted exact {planted_exact}, near {planted_near}",
        drained.duplicates,
        fmt(flagged_exact),
        fmt(flagged_near),
    );
    println!(
        "dead letters: {}; empty articles: {}",
        drained.dead_letters, drained.empty
    );
    if let Some(entries) = index_entries {
        print_dedup_index(entries, f.capacity, final_mem.hwm);
    }
}

/// SIGTERM, then the exit status and the seconds it took (at most a minute).
fn stop_gracefully(cleaner: &mut Service) -> Result<(std::process::ExitStatus, f64)> {
    let stop_started = Instant::now();
    cleaner.sigterm()?;
    let status = cleaner.wait(Duration::from_secs(60))?;
    Ok((status, stop_started.elapsed().as_secs_f64()))
}

/// What the article generator has to draw from.
fn print_corpus(corpus: &Corpus) {
    println!(
        "corpus: {} site templates, {} prose paragraphs, {} closed-class words kept, {} open-class words, {} names",
        corpus.templates.len(),
        corpus.paragraphs.len(),
        corpus.keep.len(),
        corpus.open.values().map(Vec::len).sum::<usize>(),
        corpus.names.len()
    );
}

/// What was generated, with the copies planted and the sizes.
fn print_generated(generated: &Generated, gen_time: Duration) {
    let raw_bytes: u64 = generated.items.iter().map(|g| g.payload.len() as u64).sum();
    let body_bytes: u64 = generated.items.iter().map(|g| g.body_len as u64).sum();
    println!(
        "generated {} articles in {:.1}s: {} originals, {} exact and {} near copies planted; \
         bodies {:.1} MiB (mean {:.1} KiB), RawArticle JSON {:.1} MiB",
        generated.items.len(),
        gen_time.as_secs_f64(),
        generated.originals,
        generated.exact,
        generated.near,
        mib(body_bytes),
        body_bytes as f64 / generated.items.len() as f64 / 1024.0,
        mib(raw_bytes),
    );
}

/// Produces every generated article to `raw_topic`, stamped with its ingest time and schema
/// as ingest would, and prints the rate.
fn produce_backlog(
    brokers: &str,
    raw_topic: &str,
    generated: &Generated,
    timeout: Duration,
) -> Result<ProduceReport> {
    let produced = produce_all(
        brokers,
        raw_topic,
        generated
            .items
            .iter()
            .map(|g| (g.key.as_bytes(), g.payload.as_slice())),
        || {
            vec![
                (
                    INGESTED_AT_HEADER.to_string(),
                    now_ms().to_string().into_bytes(),
                ),
                (
                    "eventwire.schema".to_string(),
                    SCHEMA_NAME.as_bytes().to_vec(),
                ),
            ]
        },
        &[],
        timeout,
    )?;
    let produce_s = produced.elapsed.as_secs_f64();
    println!(
        "produced {} records ({:.1} MiB) to {raw_topic} in {produce_s:.1}s: {:.0} articles/s, {:.1} MiB/s",
        produced.records,
        mib(produced.bytes),
        produced.records as f64 / produce_s,
        mib(produced.bytes) / produce_s
    );
    Ok(produced)
}

/// The cleaner's arguments: the broker, the run's topic prefix and group, the metrics
/// address, then --concurrency and the extra arguments given to the harness.
fn cleaner_command_line(
    brokers: &str,
    prefix: &str,
    metrics_addr: SocketAddr,
    args: &Args,
) -> Vec<String> {
    let mut cleaner_args = vec![
        "--brokers".to_string(),
        brokers.to_string(),
        "--topic-prefix".to_string(),
        prefix.to_string(),
        "--group".to_string(),
        format!("{prefix}cleaner"),
        "--metrics-addr".to_string(),
        metrics_addr.to_string(),
    ];
    if let Some(c) = args.concurrency {
        cleaner_args.extend(["--concurrency".to_string(), c.to_string()]);
    }
    cleaner_args.extend(args.cleaner_args.iter().cloned());
    cleaner_args
}

/// The dedup index's share of the memory: `entries` originals at the entry sizes
/// docs/dedup.md measured (~870 B per entry at 100k entries, ~1,120 B at 1M), against the
/// peak RSS `hwm`, and the bound at `capacity`.
fn print_dedup_index(entries: f64, capacity: u64, hwm: u64) {
    let per_entry = if entries > 300_000.0 { 1120.0 } else { 870.0 };
    let now = entries * per_entry;
    println!(
        "dedup index: {entries:.0} originals (eventwire_dedup_index_entries) x ~{per_entry:.0} B \
         = ~{:.1} MiB ({:.0}% of the peak RSS); steady-state bound = capacity x entry size = \
         {capacity} x ~1,120 B = ~{:.2} GiB",
        now / 1024.0 / 1024.0,
        100.0 * now / hwm.max(1) as f64,
        capacity as f64 * 1120.0 / 1024.0 / 1024.0 / 1024.0
    );
}

/// The cleaner's --dedup-capacity among the extra flags, else its default.
fn capacity_from(extra: &[String]) -> u64 {
    let mut it = extra.iter();
    let mut capacity = 1_000_000;
    while let Some(a) = it.next() {
        let value = match a.strip_prefix("--dedup-capacity") {
            Some("") => it.next().map(String::as_str),
            Some(v) => v.strip_prefix('='),
            None => None,
        };
        if let Some(c) = value.and_then(|v| v.parse().ok()) {
            capacity = c;
        }
    }
    capacity
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

/// Runs the release `eventwire topics create` for every pipeline topic under `prefix`.
fn create_topics(cli: &Path, brokers: &str, prefix: &str, partitions: u32) -> Result<()> {
    let args = [
        "topics",
        "create",
        "--brokers",
        brokers,
        "--topic-prefix",
        prefix,
        "--partitions",
        &partitions.to_string(),
    ]
    .map(String::from);
    let mut s = Service::spawn_path("eventwire", cli, &args, &[])?;
    let status = s.wait(Duration::from_secs(60))?;
    if !status.success() {
        bail!("`eventwire topics create` failed ({status}):\n{}", s.log());
    }
    Ok(())
}

/// What the reader of `articles.clean` saw.
#[derive(Debug, Default)]
struct Drained {
    /// Distinct articles on articles.clean.
    clean: usize,
    dead_letters: usize,
    duplicates: usize,
    empty: usize,
    /// Raw (input) bytes of the articles seen, and clean (output) bytes.
    in_bytes: u64,
    out_bytes: u64,
    /// Record timestamps of the first and last output, ms.
    first_ms: Option<i64>,
    last_ms: Option<i64>,
    /// When the reader got the first output.
    first_at: Option<Instant>,
}

/// Reads articles.clean until `want` distinct articles are there or dead-lettered.
#[allow(clippy::too_many_arguments)]
fn drain(
    cleaner: &mut Service,
    brokers: &str,
    topic: &str,
    metrics_addr: SocketAddr,
    want: usize,
    sizes: &HashMap<String, usize>,
    sampler: &MemSampler,
    timeout: Duration,
) -> Result<Drained> {
    let deadline = Instant::now() + timeout;
    let reader = TopicReader::new(brokers, topic)?;
    let mut seen: HashSet<String> = HashSet::with_capacity(want);
    let mut d = Drained::default();
    let mut last_report = Instant::now();
    let mut last_scrape = Instant::now();
    loop {
        let polled = reader.poll(Duration::from_millis(200))?;
        let received = Instant::now();
        for r in polled {
            let key = r.key_str();
            if !seen.insert(key.clone()) {
                continue; // a redelivery: at-least-once
            }
            d.in_bytes += sizes.get(&key).copied().unwrap_or(0) as u64;
            d.out_bytes += r.payload.len() as u64;
            if let Some(ts) = r.timestamp_ms {
                d.first_ms = Some(d.first_ms.map_or(ts, |f| f.min(ts)));
                d.last_ms = Some(d.last_ms.map_or(ts, |l| l.max(ts)));
            }
            d.first_at.get_or_insert(received);
            let v: serde_json::Value = serde_json::from_slice(&r.payload)
                .with_context(|| format!("articles.clean record {key} is not JSON"))?;
            if v.get("duplicate_of").is_some_and(|x| !x.is_null()) {
                d.duplicates += 1;
            }
            if v.get("empty").and_then(serde_json::Value::as_bool) == Some(true) {
                d.empty += 1;
            }
        }
        d.clean = seen.len();
        if last_scrape.elapsed() >= Duration::from_secs(2) || d.clean >= want {
            last_scrape = Instant::now();
            if let Ok((200, text)) = http_get(metrics_addr, "/metrics", Duration::from_secs(2)) {
                d.dead_letters = metric_value(&text, "eventwire_dead_letters_total", &[])
                    .unwrap_or(0.0) as usize;
            }
        }
        if d.clean + d.dead_letters >= want {
            return Ok(d);
        }
        if let Some(status) = cleaner.try_status()? {
            bail!(
                "the cleaner exited ({status}) with {}/{want} articles done",
                d.clean
            );
        }
        if Instant::now() >= deadline {
            bail!(
                "only {}/{want} articles on {topic} after {timeout:?}",
                d.clean
            );
        }
        if last_report.elapsed() >= Duration::from_secs(5) {
            last_report = Instant::now();
            let mem = sampler.samples().last().map(|s| s.mem).unwrap_or_default();
            eprintln!(
                "  {:>6.1}s  {}/{want} clean, {} dead letters, RSS {:.1} MiB (peak {:.1} MiB)",
                sampler.started().elapsed().as_secs_f64(),
                d.clean,
                d.dead_letters,
                mib(mem.rss),
                mib(mem.hwm)
            );
        }
    }
}

/// Prints about a dozen evenly spaced samples, and the one nearest the first output.
fn print_rss_over_time(samples: &[MemSample], first_output: Option<Duration>) {
    if samples.is_empty() {
        return;
    }
    let n = samples.len();
    let mut picks: Vec<usize> = (0..12).map(|k| k * (n - 1) / 11).collect();
    if let Some(t) = first_output {
        if let Some(i) = samples.iter().position(|s| s.at >= t) {
            picks.push(i);
        }
    }
    picks.sort_unstable();
    picks.dedup();
    let line: Vec<String> = picks
        .iter()
        .map(|&i| {
            let MemSample {
                at,
                mem: MemStatus { rss, .. },
            } = samples[i];
            format!("{:.1}s {:.0}", at.as_secs_f64(), mib(rss))
        })
        .collect();
    println!(
        "RSS (MiB) over time ({} samples, every ~{:.0} ms): {}",
        n,
        samples
            .last()
            .map_or(0.0, |s| s.at.as_secs_f64() * 1000.0 / n as f64),
        line.join(", ")
    );
}

// ---------------------------------------------------------------------------------------------
// The article generator.

/// One sample page's site chrome: the lines before its first and after its last prose line.
#[derive(Debug, Clone)]
struct Template {
    head: Vec<String>,
    foot: Vec<String>,
    /// Between body paragraphs: a blank line when the sample has them.
    sep: &'static str,
}

/// What articles are built from.
#[derive(Debug)]
struct Corpus {
    templates: Vec<Template>,
    /// Distinct prose lines of every sample, in file order.
    paragraphs: Vec<String>,
    /// Closed-class words (lower case): kept as they are.
    keep: HashSet<String>,
    /// Open-class words of the samples by shape: the replacements for open-class words.
    open: BTreeMap<Shape, Vec<String>>,
    /// Single capitalised words of people's and places' names: replacements for names.
    names: Vec<String>,
}

/// The suffix class of a lower-case word, so a replacement keeps its rough grammatical role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Shape {
    Ing,
    Ed,
    Ly,
    S,
    Other,
}

fn shape(lower: &str) -> Shape {
    if lower.ends_with("ing") {
        Shape::Ing
    } else if lower.ends_with("ed") {
        Shape::Ed
    } else if lower.ends_with("ly") {
        Shape::Ly
    } else if lower.ends_with('s') {
        Shape::S
    } else {
        Shape::Other
    }
}

/// Splits text into runs of letters, runs of ASCII digits and runs of anything else.
fn tokens(text: &str) -> Vec<&str> {
    #[derive(PartialEq, Clone, Copy)]
    enum K {
        Letter,
        Digit,
        Other,
    }
    let kind = |c: char| {
        if c.is_alphabetic() {
            K::Letter
        } else if c.is_ascii_digit() {
            K::Digit
        } else {
            K::Other
        }
    };
    let mut out = Vec::new();
    let mut start = 0;
    let mut current: Option<K> = None;
    for (i, c) in text.char_indices() {
        let k = kind(c);
        if current.is_some_and(|cur| cur != k) {
            out.push(&text[start..i]);
            start = i;
        }
        current = Some(k);
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

fn word_count(line: &str) -> usize {
    line.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .count()
}

/// The values of column `name` of a tab-separated file with a header row (`#` lines skipped).
fn tsv_column(path: &Path, name: &str) -> Result<Vec<String>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut lines = text.lines().filter(|l| !l.starts_with('#'));
    let header = lines.next().unwrap_or_default();
    let col = header
        .split('\t')
        .position(|c| c == name)
        .with_context(|| format!("{} has no column {name}", path.display()))?;
    Ok(lines
        .filter_map(|l| l.split('\t').nth(col))
        .map(str::to_string)
        .collect())
}

impl Corpus {
    /// Reads the sample pages (`samples/*.txt`), the closed-class word list
    /// (`data/lexicon/function_words.txt`) and name words (`data/actors/actors.tsv`,
    /// `data/gazetteer/cities.tsv`).
    // long: reads the three inputs of the article generator (word list, sample templates, names) in
    // turn.
    fn load(samples: &Path, data: &Path) -> Result<Corpus> {
        let keep: HashSet<String> =
            std::fs::read_to_string(data.join("lexicon/function_words.txt"))
                .context("cannot read the closed-class word list")?
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(str::to_lowercase)
                .collect();
        let mut files: Vec<PathBuf> = std::fs::read_dir(samples)
            .with_context(|| format!("cannot list {}", samples.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        files.sort();
        let mut templates = Vec::new();
        let mut paragraphs = Vec::new();
        let mut seen = HashSet::new();
        let mut open_seen = HashSet::new();
        let mut open: BTreeMap<Shape, Vec<String>> = BTreeMap::new();
        let mut names = Vec::new();
        let mut names_seen = HashSet::new();
        for f in &files {
            let text = std::fs::read_to_string(f)
                .with_context(|| format!("cannot read {}", f.display()))?;
            let lines: Vec<&str> = split_date_header(&text).1.lines().collect();
            let prose: Vec<usize> = (0..lines.len())
                .filter(|&i| word_count(lines[i]) >= PROSE_WORDS)
                .collect();
            let (Some(&first), Some(&last)) = (prose.first(), prose.last()) else {
                continue;
            };
            let blank_between = lines[first..=last].iter().any(|l| l.trim().is_empty());
            templates.push(Template {
                head: lines[..first].iter().map(|s| s.to_string()).collect(),
                foot: lines[last + 1..].iter().map(|s| s.to_string()).collect(),
                sep: if blank_between { "\n\n" } else { "\n" },
            });
            for &i in &prose {
                let p = lines[i].trim();
                if seen.insert(p.to_string()) {
                    paragraphs.push(p.to_string());
                }
                for t in tokens(p) {
                    let Some(c) = t.chars().next() else { continue };
                    if !c.is_alphabetic() || t.chars().count() < 2 {
                        continue;
                    }
                    let lower = t.to_lowercase();
                    if keep.contains(&lower) {
                        continue;
                    }
                    if c.is_uppercase() {
                        if names_seen.insert(t.to_string()) {
                            names.push(t.to_string());
                        }
                    } else if open_seen.insert(lower.clone()) {
                        open.entry(shape(&lower)).or_default().push(lower);
                    }
                }
            }
        }
        if templates.is_empty() || paragraphs.is_empty() {
            bail!("no sample page with prose under {}", samples.display());
        }
        // Name words of real people and places, so names vary as much as news names do.
        let mut add_names = |path: PathBuf, column: &str| -> Result<()> {
            if !path.is_file() {
                return Ok(());
            }
            for value in tsv_column(&path, column)? {
                for w in value.split([' ', '-']) {
                    let ok = w.chars().count() >= 3
                        && w.chars().next().is_some_and(char::is_uppercase)
                        && w.chars().all(char::is_alphabetic);
                    if ok && names_seen.insert(w.to_string()) {
                        names.push(w.to_string());
                    }
                }
            }
            Ok(())
        };
        add_names(data.join("actors/actors.tsv"), "name")?;
        add_names(data.join("gazetteer/cities.tsv"), "ascii_name")?;
        Ok(Corpus {
            templates,
            paragraphs,
            keep,
            open,
            names,
        })
    }

    /// Rewrites `line`: closed-class words and one-letter words stay, names become other names,
    /// open-class words other open-class words of the same shape (both consistently through the
    /// article via `map`), long acronyms other letters, and every digit another digit.
    fn vary(&self, line: &str, map: &mut HashMap<String, String>, rng: &mut StdRng) -> String {
        let mut out = String::with_capacity(line.len() + 16);
        for t in tokens(line) {
            let Some(c) = t.chars().next() else { continue };
            if c.is_ascii_digit() {
                for (i, _) in t.char_indices() {
                    let d = if i == 0 && c != '0' {
                        rng.random_range(1..=9u8)
                    } else {
                        rng.random_range(0..=9u8)
                    };
                    out.push(char::from(b'0' + d));
                }
                continue;
            }
            if !c.is_alphabetic() || t.chars().count() < 2 {
                out.push_str(t);
                continue;
            }
            let lower = t.to_lowercase();
            if self.keep.contains(&lower) {
                out.push_str(t);
                continue;
            }
            let upper = t.chars().all(char::is_uppercase);
            if upper && t.chars().count() <= 3 {
                out.push_str(t); // US, UK, EU: stock acronyms
                continue;
            }
            let key = if c.is_uppercase() {
                t.to_string()
            } else {
                lower
            };
            if let Some(r) = map.get(&key) {
                out.push_str(r);
                continue;
            }
            let replacement = if upper {
                (0..t.chars().count())
                    .map(|_| char::from(rng.random_range(b'A'..=b'Z')))
                    .collect()
            } else if c.is_uppercase() {
                self.names
                    .choose(rng)
                    .cloned()
                    .unwrap_or_else(|| t.to_string())
            } else {
                self.open
                    .get(&shape(&key))
                    .and_then(|words| words.choose(rng))
                    .cloned()
                    .unwrap_or_else(|| key.clone())
            };
            out.push_str(&replacement);
            map.insert(key, replacement);
        }
        out
    }

    /// A site's chrome, its longer lines (titles, teasers) varied.
    fn chrome(
        &self,
        lines: &[String],
        map: &mut HashMap<String, String>,
        rng: &mut StdRng,
    ) -> Vec<String> {
        lines
            .iter()
            .map(|l| {
                if word_count(l) >= VARIED_WORDS {
                    self.vary(l, map, rng)
                } else {
                    l.clone()
                }
            })
            .collect()
    }

    /// A new article of at least `target` bytes: a random site's chrome around sample paragraphs
    /// in random order, each pass over the paragraphs varied with its own word mapping.
    fn original(&self, rng: &mut StdRng, target: usize) -> Page {
        let template = rng.random_range(0..self.templates.len());
        let t = &self.templates[template];
        let mut map = HashMap::new();
        let head = self.chrome(&t.head, &mut map, rng);
        let foot = self.chrome(&t.foot, &mut map, rng);
        let mut size: usize = head.iter().chain(&foot).map(|l| l.len() + 1).sum();
        let mut body = Vec::new();
        let mut order: Vec<usize> = Vec::new();
        while size < target {
            if order.is_empty() {
                order = (0..self.paragraphs.len()).collect();
                order.shuffle(rng);
                if !body.is_empty() {
                    map.clear(); // another part of the story: other names and words
                }
            }
            let Some(i) = order.pop() else { break };
            let p = self.vary(&self.paragraphs[i], &mut map, rng);
            size += p.len() + t.sep.len();
            body.push(p);
        }
        Page {
            template,
            head,
            body,
            foot,
        }
    }

    /// A near copy of `page`: the same body less one paragraph, in another site's chrome.
    fn near_copy(&self, page: &Page, rng: &mut StdRng) -> Page {
        let n = self.templates.len();
        let template = if n > 1 {
            (page.template + rng.random_range(1..n)) % n
        } else {
            page.template
        };
        let t = &self.templates[template];
        let mut map = HashMap::new();
        let mut body = page.body.clone();
        if body.len() >= 4 {
            body.remove(rng.random_range(0..body.len()));
        }
        Page {
            template,
            head: self.chrome(&t.head, &mut map, rng),
            body,
            foot: self.chrome(&t.foot, &mut map, rng),
        }
    }

    fn render(&self, page: &Page) -> String {
        let sep = self.templates[page.template].sep;
        let mut out = String::new();
        for l in &page.head {
            out.push_str(l);
            out.push('\n');
        }
        out.push_str(&page.body.join(sep));
        out.push('\n');
        for l in &page.foot {
            out.push_str(l);
            out.push('\n');
        }
        out
    }
}

/// One generated page before rendering.
#[derive(Debug, Clone)]
struct Page {
    template: usize,
    head: Vec<String>,
    body: Vec<String>,
    foot: Vec<String>,
}

/// One generated record.
struct Item {
    key: String,
    payload: Vec<u8>,
    body_len: usize,
}

/// Bodies kept to check the generator: some originals, and planted near copies with theirs.
#[derive(Default)]
struct Check {
    originals: Vec<String>,
    near_pairs: Vec<(String, String)>,
}

struct Generated {
    items: Vec<Item>,
    originals: usize,
    exact: usize,
    near: usize,
    check: Check,
}

/// Bodies of originals kept for the similarity check.
const CHECK_ORIGINALS: usize = 200;
/// Planted near copies kept for the similarity check.
const CHECK_NEAR: usize = 50;

/// The per-article seed of article `i`.
fn article_seed(seed: u64, i: usize) -> u64 {
    let mut z = seed
        .wrapping_mul(0x9e37_79b9_7f4a_7c15)
        .wrapping_add(i as u64 + 1);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn generate(corpus: &Corpus, args: &Args) -> Result<Generated> {
    let mut rng = StdRng::seed_from_u64(args.seed);
    let (min, max) = (args.min_kb * 1024, args.max_kb * 1024);
    let mut items = Vec::with_capacity(args.articles);
    let mut recent: Vec<(usize, Page, String)> = Vec::new(); // (index, page, published)
    let mut check = Check::default();
    let (mut originals, mut exact, mut near) = (0, 0, 0);
    for i in 0..args.articles {
        let mut arng = StdRng::seed_from_u64(article_seed(args.seed, i));
        let copy = !recent.is_empty() && rng.random::<f64>() < args.dup_share;
        let (page, published, body) = if copy {
            let (_, orig, published) = &recent[rng.random_range(0..recent.len())];
            if arng.random_bool(0.5) {
                exact += 1;
                (orig.clone(), published.clone(), corpus.render(orig))
            } else {
                near += 1;
                let page = corpus.near_copy(orig, &mut arng);
                let body = corpus.render(&page);
                if check.near_pairs.len() < CHECK_NEAR {
                    check.near_pairs.push((corpus.render(orig), body.clone()));
                }
                (page, published.clone(), body)
            }
        } else {
            originals += 1;
            let target = arng.random_range(min..=max);
            let page = corpus.original(&mut arng, target);
            let published = format!(
                "2025-{:02}-{:02}",
                arng.random_range(1..=12),
                arng.random_range(1..=28)
            );
            let body = corpus.render(&page);
            if check.originals.len() < CHECK_ORIGINALS {
                check.originals.push(body.clone());
            }
            recent.push((i, page.clone(), published.clone()));
            if recent.len() > COPY_RECENT {
                recent.remove(0);
            }
            (page, published, body)
        };
        let id = format!("load-{}-{i:07}", args.seed);
        let site = page.template;
        let article = RawArticle {
            schema_version: SCHEMA_VERSION,
            id: id.clone(),
            source: format!("load.site{site}"),
            url: Some(format!("https://site{site}.example/news/{id}")),
            fetched_at: Some(now_timestamp()),
            ingested_at: Some(now_timestamp()),
            published: Some(published),
            content_type: ContentType::Text as i32,
            body,
            title: None,
        };
        let body_len = article.body.len();
        items.push(Item {
            key: id,
            payload: json::encode(&article)?,
            body_len,
        });
    }
    Ok(Generated {
        items,
        originals,
        exact,
        near,
        check,
    })
}

/// Word 5-shingles of a text (words: runs of letters and digits, lower-cased), as hashes.
fn shingles(text: &str) -> HashSet<u64> {
    use std::hash::{Hash, Hasher};
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    words
        .windows(SHINGLE)
        .map(|w| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            w.hash(&mut h);
            h.finish()
        })
        .collect()
}

/// Jaccard and overlap (share of the smaller set found in the larger) of two shingle sets.
fn similarity(a: &HashSet<u64>, b: &HashSet<u64>) -> (f64, f64) {
    let inter = a.intersection(b).count() as f64;
    let union = (a.len() + b.len()) as f64 - inter;
    let small = a.len().min(b.len()) as f64;
    if union == 0.0 || small == 0.0 {
        return (0.0, 0.0);
    }
    (inter / union, inter / small)
}

/// Pairwise similarity of the kept originals, and of planted near copies to their originals.
fn print_similarity(check: &Check) {
    let sets: Vec<HashSet<u64>> = check.originals.iter().map(|b| shingles(b)).collect();
    let mut overlaps = Vec::new();
    for i in 0..sets.len() {
        for j in i + 1..sets.len() {
            overlaps.push(similarity(&sets[i], &sets[j]).1);
        }
    }
    if !overlaps.is_empty() {
        overlaps.sort_by(f64::total_cmp);
        let mean = overlaps.iter().sum::<f64>() / overlaps.len() as f64;
        let p99 = overlaps[(overlaps.len() - 1) * 99 / 100];
        let max = overlaps[overlaps.len() - 1];
        println!(
            "generator check: word 5-shingle overlap between {} pairs of originals: mean {mean:.4}, \
             p99 {p99:.4}, max {max:.4} (the cleaner flags >= 0.8)",
            overlaps.len()
        );
    }
    let near: Vec<f64> = check
        .near_pairs
        .iter()
        .map(|(a, b)| similarity(&shingles(a), &shingles(b)).1)
        .collect();
    if let Some(min) = near.iter().copied().reduce(f64::min) {
        println!(
            "generator check: planted near copies overlap their original by {min:.3} at least ({} checked)",
            near.len()
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn corpus() -> Corpus {
        let root = eventwire_tests::workspace_root();
        Corpus::load(&root.join("examples/articles"), &root.join("data")).unwrap()
    }

    fn args(n: usize, dup_share: f64) -> Args {
        Args::parse_from([
            "load_cleaner",
            "--articles",
            &n.to_string(),
            "--dup-share",
            &dup_share.to_string(),
        ])
    }

    #[test]
    fn tokens_cover_the_text() {
        let t = tokens("Rubio's 3rd trip, in 2025.");
        assert_eq!(t.concat(), "Rubio's 3rd trip, in 2025.");
        assert_eq!(
            t,
            ["Rubio", "'", "s", " ", "3", "rd", " ", "trip", ", ", "in", " ", "2025", "."]
        );
    }

    #[test]
    fn varying_keeps_closed_class_words_and_shape() {
        let c = corpus();
        let mut rng = StdRng::seed_from_u64(7);
        let mut map = HashMap::new();
        let line = "The envoy met Putin in Moscow on April 11 and the envoy said talks went well.";
        let out = c.vary(line, &mut map, &mut rng);
        let a: Vec<&str> = out.split(' ').collect();
        let b: Vec<&str> = line.split(' ').collect();
        assert_eq!(a.len(), b.len(), "{out}");
        for w in ["The", "in", "on", "and", "the"] {
            assert!(a.contains(&w), "{w} kept in {out}");
        }
        assert!(!out.contains("Putin") || !out.contains("Moscow"), "{out}");
        assert_eq!(
            a[1], a[11],
            "one word, one replacement within an article: {out}"
        );
    }

    #[test]
    fn generation_is_deterministic_sized_and_mostly_distinct() {
        let c = corpus();
        let a = generate(&c, &args(60, 0.2)).unwrap();
        let b = generate(&c, &args(60, 0.2)).unwrap();
        let bodies = |g: &Generated| -> Vec<usize> { g.items.iter().map(|i| i.body_len).collect() };
        assert_eq!(bodies(&a), bodies(&b));
        for i in &a.items {
            assert!(
                (5 * 1024..25 * 1024).contains(&i.body_len),
                "{}",
                i.body_len
            );
        }
        assert_eq!(a.originals + a.exact + a.near, 60);
        assert!(a.exact + a.near > 0, "copies planted");
        let sets: Vec<HashSet<u64>> = a.check.originals.iter().map(|b| shingles(b)).collect();
        for i in 0..sets.len() {
            for j in i + 1..sets.len() {
                let (_, overlap) = similarity(&sets[i], &sets[j]);
                assert!(overlap < 0.3, "originals {i} and {j} overlap by {overlap}");
            }
        }
        for (orig, copy) in &a.check.near_pairs {
            let (_, overlap) = similarity(&shingles(orig), &shingles(copy));
            assert!(
                overlap >= 0.8,
                "a near copy overlaps its original by {overlap}"
            );
            assert_ne!(orig, copy);
        }
    }
}
