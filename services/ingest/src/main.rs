//! `eventwire-ingest`: reads a file, a directory or stdin once and publishes to Kafka; or, with
//! `--feeds`, `--listen` and/or `--watch`, runs as a long-lived service over those sources.
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use clap::Parser;
use eventwire_ingest::{publish_all, read, spawn_reader, Progress, ReadItem, ReadOptions};
use eventwire_runtime::config::{KafkaArgs, ServeArgs, DEFAULT_MAX_RECORD_BYTES};
use eventwire_runtime::health::{self, Health};
use eventwire_runtime::kafka::KafkaPublisher;
use eventwire_runtime::metrics::Metrics;
use eventwire_runtime::{shutdown, telemetry};
use eventwire_schema::topics;
use tokio_util::sync::CancellationToken;

#[derive(Parser)]
#[command(
    version,
    about = "eventwire ingest: files, directories, JSONL or stdin, or feeds, HTTP push and a watched directory -> articles.raw"
)]
struct Args {
    /// A file or directory (.txt in the samples' format, .html, .html.gz, .jsonl, news-please .json), or - for stdin.
    /// Read once; not with the service sources below.
    #[arg(required_unless_present_any = ["feeds", "listen", "watch"], conflicts_with_all = ["feeds", "once", "listen", "watch"])]
    path: Option<PathBuf>,
    /// Exit 0 even when the path held no readable article (by default that run exits 1 after
    /// its summary: every input rejected, or nothing to read).
    #[arg(long)]
    allow_empty: bool,
    #[command(flatten)]
    sources: cli::SourceArgs,
    /// Largest article accepted, in bytes; larger ones are dead-lettered as too_large.
    #[arg(long, env = "EVENTWIRE_MAX_RECORD_BYTES", default_value_t = DEFAULT_MAX_RECORD_BYTES)]
    max_record_bytes: usize,
    /// Name recorded as each article's source (default: the file path, or "stdin").
    #[arg(long, env = "EVENTWIRE_SOURCE")]
    source: Option<String>,
    /// Records awaiting acknowledgement at once.
    #[arg(long, env = "EVENTWIRE_MAX_IN_FLIGHT", default_value_t = 256)]
    max_in_flight: usize,
    #[command(flatten)]
    kafka: KafkaArgs,
    #[command(flatten)]
    serve: ServeArgs,
}

struct Bar(indicatif::ProgressBar);

impl Progress for Bar {
    fn advance(&self, _: &ReadItem) {
        self.0.inc(1);
    }
}

mod cli;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    match args.path.clone() {
        Some(path) => read_once(args, path).await,
        None => cli::run_service(args.sources, args.kafka, args.serve, args.max_record_bytes).await,
    }
}

/// A progress bar over the inputs of `path`, on a terminal (never for stdin).
fn progress_bar(path: &std::path::Path) -> Option<Bar> {
    if !std::io::stderr().is_terminal() || path.as_os_str() == "-" {
        return None;
    }
    let pb = indicatif::ProgressBar::new(read::count_inputs(path) as u64);
    pb.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} inputs {per_sec} eta {eta}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    Some(Bar(pb))
}

/// Reads `path` once, publishes everything and exits; 1 when no article could be read.
async fn read_once(args: Args, path: PathBuf) -> anyhow::Result<()> {
    telemetry::init_tracing(args.serve.log_format);
    args.kafka.options()?;
    let metrics = Metrics::new("ingest");
    let health = Health::new();
    let stop_server = CancellationToken::new();
    health::serve(
        args.serve.addr(9101),
        metrics.clone(),
        Arc::clone(&health),
        stop_server.clone(),
    )
    .await?;
    let cancel = shutdown::on_signals();
    let publisher = KafkaPublisher::connect(
        args.kafka.clone(),
        "ingest",
        metrics.clone(),
        Arc::clone(&health),
        &[topics::ARTICLES_RAW, &topics::dlq_for(topics::INGEST)],
        cancel.clone(),
    )
    .await?;
    let opts = ReadOptions {
        max_bytes: args.max_record_bytes,
        source: args.source.clone(),
    };
    let bar = progress_bar(&path);
    let rx = spawn_reader(path.clone(), opts)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let publisher: Arc<dyn eventwire_runtime::publish::Publisher> = Arc::new(publisher);
    let progress: &dyn Progress = match &bar {
        Some(b) => b,
        None => &(),
    };
    let summary = publish_all(
        rx,
        Arc::clone(&publisher),
        &metrics,
        progress,
        args.max_in_flight,
    )
    .await;
    if let Some(b) = &bar {
        b.0.finish();
    }
    publisher.flush(Duration::from_secs(30)).await?;
    stop_server.cancel();
    let summary = summary?;
    eprintln!(
        "ingested {} articles ({} warnings logged), {} rejected (dead-lettered to {}), {} skipped",
        summary.articles,
        summary.warnings,
        summary.rejected,
        args.kafka.topic(&topics::dlq_for(topics::INGEST)),
        summary.skipped
    );
    if summary.articles == 0 && !args.allow_empty {
        anyhow::bail!(
            "no article could be read from {}: {} inputs rejected, {} skipped (--allow-empty accepts this)",
            path.display(),
            summary.rejected,
            summary.skipped
        );
    }
    Ok(())
}
