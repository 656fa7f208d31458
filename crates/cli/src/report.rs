//! What a one-shot command tells its user on stderr: a progress bar on a terminal (articles/s,
//! events and dead letters so far), each dead letter as it happens, and a summary line at the
//! end, as text or as one JSON object (`--summary-json`).
use std::io::IsTerminal;
use std::path::Path;
use std::time::{Duration, Instant};

use eventwire_ingest::read::count_inputs;
use eventwire_schema::topics;
use eventwire_schema::v1::DeadLetter;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;

use crate::articles::ItemKind;

/// How a command reports on stderr.
#[derive(clap::Args, Clone, Debug, Default)]
pub struct ReportArgs {
    /// No progress bar (there is none off a terminal either).
    #[arg(long, short)]
    pub quiet: bool,
    /// Print the summary on stderr as one JSON object instead of a text line.
    #[arg(long)]
    pub summary_json: bool,
}

/// What a run did: the summary line.
#[derive(Debug, Default, Clone, Serialize)]
pub struct RunSummary {
    /// Articles read from the input.
    pub articles: u64,
    /// Inputs rejected by the reader (dead-lettered).
    pub rejected: u64,
    /// Files skipped (unsupported or unreadable entries of a directory).
    pub skipped: u64,
    /// Warnings on articles that were still read (e.g. an unreadable `published` date).
    pub warnings: u64,
    /// Articles cleaned.
    pub clean: u64,
    pub diplomatic: u64,
    pub casualty: u64,
    /// Dead letters from every stage, the reader's rejections included.
    pub dead_letters: u64,
    pub elapsed_seconds: f64,
    /// Articles read per second of the whole run.
    pub articles_per_second: f64,
    /// The process's peak resident memory (Linux's VmHWM), when known.
    pub peak_rss_bytes: Option<u64>,
    /// Whether Ctrl-C stopped the reading early (the articles in flight were still written).
    pub interrupted: bool,
}

impl RunSummary {
    /// Counts a record written to `topic`.
    pub fn count_output(&mut self, topic: &str) {
        match topic {
            topics::ARTICLES_CLEAN => self.clean += 1,
            topics::EVENTS_DIPLOMATIC => self.diplomatic += 1,
            topics::EVENTS_CASUALTY => self.casualty += 1,
            t if t.ends_with(topics::DLQ_SUFFIX) => self.dead_letters += 1,
            _ => {}
        }
    }

    /// Counts an input item.
    pub fn count_input(&mut self, kind: ItemKind) {
        match kind {
            ItemKind::Article => self.articles += 1,
            ItemKind::Rejected => self.rejected += 1,
            ItemKind::Skipped => self.skipped += 1,
        }
    }

    /// Stamps the time taken, the rate and the peak memory.
    pub fn finish(&mut self, elapsed: Duration, interrupted: bool) {
        self.elapsed_seconds = elapsed.as_secs_f64();
        self.articles_per_second = if self.elapsed_seconds > 0.0 {
            self.articles as f64 / self.elapsed_seconds
        } else {
            0.0
        };
        self.peak_rss_bytes = peak_rss_bytes();
        self.interrupted = interrupted;
    }

    /// Every input was rejected and none read: the run failed as a whole.
    pub fn nothing_read(&self) -> bool {
        self.articles == 0 && self.rejected > 0
    }

    /// The one-line text form.
    pub fn text(&self) -> String {
        let mut line = format!(
            "articles: {} read, {} rejected, {} skipped | clean: {} | events: {} diplomatic, {} casualty | dead letters: {} | elapsed: {:.3}s",
            self.articles,
            self.rejected,
            self.skipped,
            self.clean,
            self.diplomatic,
            self.casualty,
            self.dead_letters,
            self.elapsed_seconds
        );
        if self.warnings > 0 {
            line.push_str(&format!(" | warnings: {}", self.warnings));
        }
        if self.interrupted {
            line.push_str(" | interrupted");
        }
        line
    }

    /// The bar's message: what has come out so far.
    fn progress_message(&self) -> String {
        format!(
            "events: {} diplomatic, {} casualty | dead letters: {}",
            self.diplomatic, self.casualty, self.dead_letters
        )
    }
}

/// This process's peak resident set size, from `/proc/self/status` (None off Linux).
pub fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status_kib(&status, "VmHWM:").map(|kib| kib * 1024)
}

/// The value of a `Name:   1234 kB` line of a `/proc/*/status` text.
fn status_kib(status: &str, field: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with(field))?;
    line[field.len()..].split_whitespace().next()?.parse().ok()
}

/// Counts a run, shows its progress and prints its summary.
pub struct Reporter {
    bar: Option<ProgressBar>,
    summary: RunSummary,
    started: Instant,
    json: bool,
}

impl Reporter {
    /// A reporter for a run over `input`; a progress bar when stderr is a terminal and not
    /// `--quiet`.
    pub fn new(input: &Path, args: &ReportArgs) -> Self {
        let bar = (!args.quiet && std::io::stderr().is_terminal()).then(|| progress_bar(input));
        Reporter {
            bar,
            summary: RunSummary::default(),
            started: Instant::now(),
            json: args.summary_json,
        }
    }

    /// The bar, for a task that advances it (None when there is none).
    pub fn bar(&self) -> Option<ProgressBar> {
        self.bar.clone()
    }

    /// Counts an input item and its reader warnings, and advances the bar.
    pub fn input(&mut self, kind: ItemKind, warnings: u64) {
        self.summary.count_input(kind);
        self.summary.warnings += warnings;
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
    }

    /// Counts an output record; a dead letter is also printed.
    pub fn output(&mut self, topic: &str, dead_letter: Option<&DeadLetter>) {
        self.summary.count_output(topic);
        if let Some(d) = dead_letter {
            let line = format!(
                "dead letter from {} ({}): {}",
                d.original_topic, d.error_code, d.error_message
            );
            match &self.bar {
                Some(bar) => bar.suspend(|| eprintln!("{line}")),
                None => eprintln!("{line}"),
            }
        }
        if let Some(bar) = &self.bar {
            bar.set_message(self.summary.progress_message());
        }
    }

    /// Clears the bar and prints the summary: `summary` when given (a run that counts for
    /// itself), else what was counted here; returns it.
    pub fn finish(self, summary: Option<RunSummary>, interrupted: bool) -> RunSummary {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
        let mut summary = summary.unwrap_or(self.summary);
        summary.finish(self.started.elapsed(), interrupted);
        if self.json {
            match serde_json::to_string(&summary) {
                Ok(line) => eprintln!("{line}"),
                Err(e) => eprintln!("summary: {e}"),
            }
        } else {
            eprintln!("{}", summary.text());
        }
        summary
    }
}

/// A bar over the inputs of `input` (a spinner for stdin, whose size is unknown).
fn progress_bar(input: &Path) -> ProgressBar {
    let total = if input.as_os_str() == "-" {
        0
    } else {
        count_inputs(input) as u64
    };
    let (bar, template) = if total > 0 {
        (
            ProgressBar::new(total),
            "{bar:30} {pos}/{len} articles {per_sec} eta {eta} | {msg}",
        )
    } else {
        (
            ProgressBar::new_spinner(),
            "{spinner} {pos} articles {per_sec} | {msg}",
        )
    };
    bar.set_draw_target(ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_fields_are_read_in_kib() {
        let status = "Name:\teventwire\nVmPeak:\t  200 kB\nVmHWM:\t   1234 kB\nVmRSS:\t 1000 kB\n";
        assert_eq!(status_kib(status, "VmHWM:"), Some(1234));
        assert_eq!(status_kib(status, "VmSwap:"), None);
    }

    #[test]
    fn the_summary_counts_outputs_by_topic() {
        let mut s = RunSummary::default();
        s.count_input(ItemKind::Article);
        s.count_input(ItemKind::Rejected);
        s.count_output(topics::ARTICLES_CLEAN);
        s.count_output(topics::EVENTS_DIPLOMATIC);
        s.count_output(&topics::dlq_for(topics::INGEST));
        s.finish(Duration::from_secs(2), true);
        assert_eq!(
            (
                s.articles,
                s.rejected,
                s.clean,
                s.diplomatic,
                s.dead_letters
            ),
            (1, 1, 1, 1, 1)
        );
        assert!((s.articles_per_second - 0.5).abs() < 1e-9);
        assert!(s.text().starts_with(
            "articles: 1 read, 1 rejected, 0 skipped | clean: 1 | events: 1 diplomatic, 0 casualty | dead letters: 1 |"
        ));
        assert!(s.text().ends_with("| interrupted"));
        assert!(!s.text().contains("warnings"));
        s.warnings = 2;
        assert!(
            s.text().ends_with("| warnings: 2 | interrupted"),
            "{}",
            s.text()
        );
        let json: serde_json::Value =
            serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
        assert_eq!(json["diplomatic"], 1);
        assert_eq!(json["interrupted"], true);
    }
}
