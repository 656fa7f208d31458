//! The one-shot commands over an input (`run`, `tag`, `clean`): output written as it is ready,
//! progress and dead letters on stderr, the summary at the end, and Ctrl-C that stops reading
//! but still writes the articles in flight.
use std::io::{BufWriter, Write};
use std::path::Path;

use eventwire_runtime::InputRecord;
use eventwire_schema::topics;
use futures::StreamExt;
use tokio_util::sync::CancellationToken;

use crate::articles::{article_outputs, ArticleOutput, Depth};
use crate::output;
use crate::pipeline::{self, MessageSink, RunOptions};
use crate::report::{ReportArgs, Reporter, RunSummary};

/// The exit status of a run stopped by Ctrl-C (128 + SIGINT), after its summary.
pub const INTERRUPTED_EXIT: i32 = 130;

/// A token cancelled by the first Ctrl-C; a second one exits at once.
pub fn stop_on_ctrl_c() -> CancellationToken {
    let stop = CancellationToken::new();
    let token = stop.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_err() {
            return;
        }
        eprintln!("interrupted: finishing the articles in flight (Ctrl-C again to abort)");
        token.cancel();
        if tokio::signal::ctrl_c().await.is_ok() {
            std::process::exit(INTERRUPTED_EXIT);
        }
    });
    stop
}

/// Whether an error is stdout closed by its reader (`| head`): the run just stops.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    let kind = e
        .downcast_ref::<std::io::Error>()
        .map(std::io::Error::kind)
        .or_else(|| e.downcast_ref::<serde_json::Error>()?.io_error_kind());
    kind == Some(std::io::ErrorKind::BrokenPipe)
}

/// A run in which every input was rejected fails (non-zero exit), after its summary and dead
/// letters are out; a run that read some articles succeeds whatever else it rejected.
fn fail_if_nothing_was_read(summary: &RunSummary) -> anyhow::Result<()> {
    if summary.nothing_read() {
        anyhow::bail!(
            "no article could be read: all {} inputs were rejected (their dead letters are above)",
            summary.rejected
        );
    }
    Ok(())
}

/// Exits as an interrupted run does, once the summary is out.
fn exit_if_interrupted(stop: &CancellationToken) {
    if stop.is_cancelled() {
        std::process::exit(INTERRUPTED_EXIT);
    }
}

/// `tag` and `clean`: one JSON line per article, in input order, each written when ready.
pub async fn print_articles(
    input: &Path,
    depth: Depth,
    opts: &RunOptions,
    report: &ReportArgs,
) -> anyhow::Result<()> {
    let stop = stop_on_ctrl_c();
    let mut reporter = Reporter::new(input, report);
    let outputs = article_outputs(input, depth, opts, stop.clone())?;
    futures::pin_mut!(outputs);
    let mut out = BufWriter::new(std::io::stdout().lock());
    while let Some(article) = outputs.next().await {
        let article = article?;
        count_article(&mut reporter, &article);
        let line = match depth {
            Depth::Tag => output::tagged_line(&article)?,
            Depth::Clean => output::clean_line(&article)?,
        };
        if !emit(&mut out, line.as_deref())? {
            break;
        }
    }
    conclude(reporter, None, &stop)
}

/// Writes `line` (if any) and flushes; `Ok(false)` when stdout was closed by its reader
/// (`| head`), which ends the run quietly.
pub fn emit(out: &mut impl Write, line: Option<&str>) -> anyhow::Result<bool> {
    match write_line(out, line) {
        Ok(()) => Ok(true),
        Err(e) if is_broken_pipe(&e) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Prints the summary (`counted` when the run counts for itself, else the reporter's) and ends
/// the run as it went: exit 130 when interrupted, an error when every input was rejected.
pub fn conclude(
    reporter: Reporter,
    counted: Option<RunSummary>,
    stop: &CancellationToken,
) -> anyhow::Result<()> {
    let summary = reporter.finish(counted, stop.is_cancelled());
    exit_if_interrupted(stop);
    fail_if_nothing_was_read(&summary)
}

/// Writes `line` (if any) and flushes, so a reader downstream sees it now.
fn write_line(out: &mut impl Write, line: Option<&str>) -> anyhow::Result<()> {
    if let Some(line) = line {
        writeln!(out, "{line}")?;
    }
    out.flush()?;
    Ok(())
}

/// Counts an article's input and outputs, and prints its dead letters.
pub fn count_article(reporter: &mut Reporter, article: &ArticleOutput) {
    reporter.input(article.kind, article.warnings);
    for r in &article.records {
        let letter = r
            .topic
            .ends_with(topics::DLQ_SUFFIX)
            .then(|| output::dead_letter_record(r));
        reporter.output(&r.topic, letter.as_ref());
    }
}

/// `run`'s sink: every message as a JSONL line, flushed whenever the pipeline has caught up.
struct JsonlSink<'a> {
    out: Box<dyn Write>,
    reporter: &'a mut Reporter,
}

impl MessageSink for JsonlSink<'_> {
    fn message(&mut self, record: &InputRecord) -> anyhow::Result<()> {
        let letter = record
            .topic
            .ends_with(topics::DLQ_SUFFIX)
            .then(|| output::dead_letter(record));
        self.reporter.output(&record.topic, letter.as_ref());
        output::write_message(&mut *self.out, record)
    }

    fn caught_up(&mut self) -> anyhow::Result<()> {
        self.out.flush()?;
        Ok(())
    }
}

/// `run`: the pipeline on the in-memory bus, every output message as JSONL to `output` or stdout.
pub async fn run(
    input: pipeline::Input<'_>,
    output_path: Option<&Path>,
    opts: &RunOptions,
    report: &ReportArgs,
) -> anyhow::Result<()> {
    let stop = stop_on_ctrl_c();
    // Feeds have no count known in advance: the bar is a spinner, as for stdin.
    let shown = match input {
        pipeline::Input::Path(p) => p,
        pipeline::Input::Feeds { .. } => Path::new("-"),
    };
    let mut reporter = Reporter::new(shown, report);
    let bar = reporter.bar();
    let mut sink = JsonlSink {
        out: output::open(output_path)?,
        reporter: &mut reporter,
    };
    let result = pipeline::run(input, opts, stop.clone(), bar, &mut sink).await;
    let flushed = sink.out.flush();
    let report = match result {
        Ok(report) => report,
        Err(e) if is_broken_pipe(&e) => return Ok(()),
        Err(e) => return Err(e),
    };
    flushed?;
    conclude(reporter, Some(output::summary(&report)), &stop)
}
