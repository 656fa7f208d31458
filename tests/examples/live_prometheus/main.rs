//! Checks the operator files (`deploy/grafana`, `deploy/prometheus`) against a live Prometheus
//! scraping the real services.
//!
//! ```sh
//! scripts/ops/live-check.sh            # installs Debian's prometheus when missing, then runs:
//! cargo run -p eventwire-tests --example live_prometheus -- [--load-secs 60] [--rate 2]
//! cargo run -p eventwire-tests --example live_prometheus -- --lint-only
//! ```
//!
//! 1. Static checks (all that `--lint-only` does): the dashboards use the datasource variable,
//!    `$__rate_interval`/`$__range` for every range and only defined variables, and their panels
//!    do not overlap; every alert has `for:`, a severity, a summary, a description and a runbook
//!    that exists; every alert is shown firing and not firing by a promtool unit test and every
//!    recording rule is tested; the Prometheus configuration scrapes every service with its
//!    `service` label.
//! 2. Starts a Tansu broker, creates the topics, starts the cleaner and the tagger, and ingest
//!    reading JSONL from a pipe (a long-lived feed reader, so Prometheus can scrape it too).
//! 3. Starts Prometheus with `deploy/prometheus/prometheus.yml`, its targets pointed at the
//!    services' metric ports, its intervals shortened to `--scrape-secs`, and the rules of
//!    `deploy/prometheus/rules/`.
//! 4. Feeds the sample articles, then `--load-secs` of replicated load: copies of the samples
//!    (exact and near duplicates) at `--rate` articles per second, with unreadable inputs for
//!    ingest and foreign records that are not JSON for the cleaner and the tagger, so dead letters
//!    and errors flow.
//! 5. While the load still runs, evaluates every PromQL expression of the dashboards (variables
//!    substituted as Grafana would: multi-value variables as the regex of all their values,
//!    `$__rate_interval` as four scrape intervals, `$__range` as the time since Prometheus
//!    started) and of the rules through `/api/v1/query`. An invalid expression fails the check,
//!    and so does one that returns no series, unless it is a condition (comparison, `and`, `or`,
//!    `unless`, `absent`) whose operands do return series (an alert that is not firing), or it
//!    reads a metric on the [`MAY_BE_EMPTY`] list. Checks that Prometheus loaded and evaluated
//!    every rule without error and scraped every service; that the dead-letter alert became
//!    pending for ingest (which the load makes dead-letter 10% of its inputs) and no target,
//!    partition or progress alert did; and runs `promtool check metrics` on every service's
//!    `/metrics`.
//! 6. Stops the feed and the services (each must exit 0) and prints a table: expression, series
//!    count, verdict.
//!
//! Needs `prometheus` and `promtool` (Debian package `prometheus`) on PATH or given with
//! `--prometheus`/`--promtool`, and the workspace's debug binaries (built on first use).
mod feed;
mod lint;
mod live;
mod operator_files;
mod prometheus;
mod promql;
mod report;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{bail, Result};
use clap::Parser;
use eventwire_tests::workspace_root;

use crate::live::live_check;
use crate::operator_files::OperatorFiles;

/// Metrics whose series may legitimately be missing in a healthy run, with the reason. An
/// expression that returns nothing passes only if it reads one of these (or is a condition whose
/// operands return series).
/// Why the metrics of ingest's continuous sources may have no series in this check.
const SOURCES_NOT_RUN: &str = "ingest's continuous sources (feeds, page fetch, push, directory \
     watch) have series only when an ingest runs them; this check's ingest reads stdin (their \
     metrics are tested in services/ingest/tests; a sources ingest here is still to come)";

pub(crate) const MAY_BE_EMPTY: &[(&str, &str)] = &[
    (
        "eventwire_client_errors_total",
        "counted only when the Kafka client reports an error (broker unreachable, timeouts); a \
         healthy run has none",
    ),
    ("eventwire_feed_polls_total", SOURCES_NOT_RUN),
    (
        "eventwire_feed_last_success_timestamp_seconds",
        SOURCES_NOT_RUN,
    ),
    ("eventwire_feed_interval_seconds", SOURCES_NOT_RUN),
    ("eventwire_feed_items_total", SOURCES_NOT_RUN),
    ("eventwire_page_fetches_total", SOURCES_NOT_RUN),
    ("eventwire_robots_refusals_total", SOURCES_NOT_RUN),
    ("eventwire_page_fetched_bytes_total", SOURCES_NOT_RUN),
    ("eventwire_push_requests_total", SOURCES_NOT_RUN),
    ("eventwire_push_queue_records", SOURCES_NOT_RUN),
    ("eventwire_watch_files_total", SOURCES_NOT_RUN),
];

/// Variables Grafana defines itself.
pub(crate) const GRAFANA_BUILTINS: &[&str] = &["__rate_interval", "__range", "__interval"];

/// Severities the alerts may carry.
pub(crate) const SEVERITIES: &[&str] = &["critical", "warning"];

/// The services and the scrape job the rules expect.
pub(crate) const SERVICES: [&str; 3] = ["ingest", "cleaner", "tagger"];
pub(crate) const JOB: &str = "eventwire";

/// During the load, one input in this many is unreadable (10%: ingest's dead-letter ratio is
/// above the alert's 5%), and a foreign record that is not JSON is written to articles.raw and
/// to articles.clean this often (about 2.5% of the cleaner's and the tagger's input at 2
/// articles per second: below it).
pub(crate) const BAD_INPUT_EVERY: u64 = 10;
pub(crate) const FOREIGN_EVERY: Duration = Duration::from_secs(20);

/// Time a service gets to become ready, and to stop.
pub(crate) const READY: Duration = Duration::from_secs(90);
pub(crate) const STOP: Duration = Duration::from_secs(60);

#[derive(Parser, Debug)]
#[command(
    about = "Evaluates every PromQL expression of deploy/grafana and deploy/prometheus against a \
             live Prometheus scraping the services under load"
)]
pub(crate) struct Args {
    /// Only run the static checks of the operator files (no broker, services or Prometheus).
    #[arg(long)]
    pub(crate) lint_only: bool,
    /// Seconds of replicated load before the expressions are evaluated (the load goes on while
    /// they are).
    #[arg(long, default_value_t = 60)]
    pub(crate) load_secs: u64,
    /// Articles per second fed to ingest during the load.
    #[arg(long, default_value_t = 2.0)]
    pub(crate) rate: f64,
    /// Partitions of every topic.
    #[arg(long, default_value_t = 3)]
    pub(crate) partitions: u32,
    /// Prometheus's scrape and rule evaluation interval during the check, seconds.
    #[arg(long, default_value_t = 2)]
    pub(crate) scrape_secs: u64,
    /// The prometheus executable.
    #[arg(long, default_value = "prometheus")]
    pub(crate) prometheus: PathBuf,
    /// The promtool executable.
    #[arg(long, default_value = "promtool")]
    pub(crate) promtool: PathBuf,
    /// A metric whose series may be missing in this run (repeatable), e.g. one a service is
    /// about to gain. Expressions reading it may return nothing; they are listed as such.
    #[arg(long = "may-be-empty", value_name = "METRIC")]
    pub(crate) may_be_empty: Vec<String>,
}

fn main() -> Result<()> {
    let args = Args::parse();
    if args.load_secs == 0 || args.rate <= 0.0 || args.scrape_secs == 0 || args.partitions == 0 {
        bail!("--load-secs, --rate, --scrape-secs and --partitions must be above 0");
    }
    let root = workspace_root();
    let files = OperatorFiles::load(&root)?;
    let problems = files.lint(&root);
    if !problems.is_empty() {
        bail!(
            "the operator files have {} problem(s):\n  {}",
            problems.len(),
            problems.join("\n  ")
        );
    }
    println!(
        "static checks passed: {} dashboards ({} panel queries, {} variables), {} rule files \
         ({} recording rules, {} alerts), {} rule test files",
        files.dashboards.len(),
        files.dashboard_queries().len(),
        files
            .dashboards
            .iter()
            .map(|d| d.variables.len())
            .sum::<usize>(),
        files.rule_files.len(),
        files.rules().filter(|r| r.alert.is_none()).count(),
        files.rules().filter(|r| r.alert.is_some()).count(),
        files.rule_tests.len()
    );
    if args.lint_only {
        return Ok(());
    }
    let started = Instant::now();
    let report = live_check(&args, &files, &root)?;
    println!("{}", report.render());
    println!(
        "live check finished in {:.0}s",
        started.elapsed().as_secs_f64()
    );
    if !report.failures.is_empty() {
        eprintln!(
            "\nthe live check FAILED ({} problem(s)):\n  {}",
            report.failures.len(),
            report.failures.join("\n  ")
        );
        std::process::exit(1);
    }
    println!("live check passed");
    Ok(())
}
