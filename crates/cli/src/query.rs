//! `eventwire query`: the resolved events of a database `eventwire run` wrote, as a table, JSON
//! lines or CSV.

use std::io::Write;

use anyhow::Context;
use eventwire_sink::query::{events, EventQuery, Found};
use eventwire_sink::Store;
use serde_json::Value;

#[derive(clap::Args, Debug, Clone)]
pub struct QueryArgs {
    /// A SQLite file or a postgres:// URL.
    #[arg(long, env = "EVENTWIRE_DB", default_value = "eventwire.sqlite")]
    db: String,
    /// Diplomatic events of this kind (meet, visit, call, negotiate, agree; meet finds
    /// negotiations too).
    #[arg(long)]
    kind: Option<String>,
    /// Events involving every one of these countries (ISO 3166-1 alpha-3, comma-separated).
    #[arg(long, value_delimiter = ',')]
    between: Vec<String>,
    /// Casualty incidents instead of diplomatic events.
    #[arg(long)]
    casualties: bool,
    /// Casualty incidents in this country (ISO alpha-3).
    #[arg(long)]
    country: Option<String>,
    /// Events on or after this day: a date (2025-04-01) or a span back from now (7d, 36h).
    #[arg(long)]
    since: Option<String>,
    /// One event by id.
    #[arg(long = "event")]
    event: Option<String>,
    /// With each event, its mentions (article, source, url, publication).
    #[arg(long)]
    mentions: bool,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// At most this many events, newest first.
    #[arg(long, default_value_t = 100)]
    limit: i64,
}

#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Csv,
}

/// Runs the query and prints what it found on stdout.
pub async fn run(args: &QueryArgs) -> anyhow::Result<()> {
    let store = Store::open(&args.db)
        .await
        .with_context(|| format!("opening the database {}", args.db))?;
    let q = EventQuery {
        casualties: args.casualties,
        kind: args.kind.clone(),
        between: args.between.iter().map(|c| c.to_uppercase()).collect(),
        country: args.country.as_ref().map(|c| c.to_uppercase()),
        since: args.since.as_deref().map(since_day).transpose()?,
        id: args.event.clone(),
        limit: args.limit,
    };
    let found = events(&store, &q, args.mentions).await?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match args.format {
        Format::Json => write_json(&mut out, &found),
        Format::Csv => write_csv(&mut out, &found),
        Format::Table => write_table(&mut out, &found),
    }
    .or_else(ignore_broken_pipe)?;
    out.flush().or_else(ignore_broken_pipe)?;
    Ok(())
}

fn ignore_broken_pipe(e: std::io::Error) -> std::io::Result<()> {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        Ok(())
    } else {
        Err(e)
    }
}

/// "2025-04-01" as is; "7d" or "36h" as the day that long before now.
fn since_day(s: &str) -> anyhow::Result<String> {
    if chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok() {
        return Ok(s.to_string());
    }
    let span = humantime::parse_duration(s)
        .with_context(|| format!("--since {s:?}: a date (2025-04-01) or a span (7d, 36h)"))?;
    let span = chrono::Duration::from_std(span).context("--since: span too long")?;
    Ok((chrono::Utc::now() - span).format("%Y-%m-%d").to_string())
}

/// One JSON object per event: its record, and its mentions when asked.
fn write_json(out: &mut dyn Write, found: &[Found]) -> std::io::Result<()> {
    for f in found {
        let mut v = f.record.clone();
        if !f.mentions.is_empty() {
            v["mentions"] = Value::Array(f.mentions.clone());
        }
        serde_json::to_writer(&mut *out, &v)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

const COLUMNS: [&str; 11] = [
    "id",
    "kind",
    "status",
    "date",
    "participants",
    "location",
    "mentions",
    "sources",
    "independent",
    "killed",
    "injured",
];

/// A header and one line per event, CSV-quoted.
fn write_csv(out: &mut dyn Write, found: &[Found]) -> std::io::Result<()> {
    writeln!(out, "{}", COLUMNS.join(","))?;
    for f in found {
        let cells: Vec<String> = row(&f.record).iter().map(|c| csv_cell(c)).collect();
        writeln!(out, "{}", cells.join(","))?;
    }
    Ok(())
}

/// A header and one line per event, columns padded to their widest cell.
fn write_table(out: &mut dyn Write, found: &[Found]) -> std::io::Result<()> {
    let rows: Vec<Vec<String>> = found.iter().map(|f| row(&f.record)).collect();
    let mut widths: Vec<usize> = COLUMNS.iter().map(|c| c.chars().count()).collect();
    for r in &rows {
        for (w, cell) in widths.iter_mut().zip(r) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| -> String {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(c, &w)| format!("{c:<w$}"))
            .collect();
        padded.join("  ").trim_end().to_string()
    };
    writeln!(out, "{}", line(COLUMNS.to_vec()))?;
    for r in &rows {
        writeln!(out, "{}", line(r.iter().map(String::as_str).collect()))?;
    }
    Ok(())
}

fn row(r: &Value) -> Vec<String> {
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    };
    let names: Vec<String> = r["participants"]
        .as_array()
        .map(|ps| ps.iter().map(|p| text(&p["name"])).collect())
        .unwrap_or_default();
    let kind = if r["family"] == "casualty" {
        "casualty".to_string()
    } else {
        text(&r["kind"])
    };
    vec![
        text(&r["id"]),
        kind,
        text(&r["status"]),
        text(&r["date"]["value"]),
        names.join("; "),
        text(&r["location"]["name"]),
        text(&r["mention_count"]),
        text(&r["source_count"]),
        text(&r["independent_count"]),
        text(&r["killed"]["low"]),
        text(&r["injured"]["low"]),
    ]
}

fn csv_cell(c: &str) -> String {
    if c.contains([',', '"', '\n']) {
        format!("\"{}\"", c.replace('"', "\"\""))
    } else {
        c.to_string()
    }
}
