//! `eventwire bench extraction`: the cleaner on the article-extraction benchmark (181 news
//! pages with their true article bodies), scored with the benchmark's own metric.
//!
//! Every page goes through the real cleaner path, `eventwire_cleaner::clean(&RawArticle)`:
//! as HTML, and as the plain text a browser's innerText gives (the text-source variant).
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use clap::{Subcommand, ValueEnum};
use eventwire_cleaner::{html, innertext};
use eventwire_eval::extraction::{self as bench, Score, TruthPage};
use eventwire_schema::v1::{ContentType, RawArticle};

/// Benchmarks.
#[derive(Subcommand)]
pub enum BenchCommand {
    /// Score the cleaner on the article-extraction benchmark: per variant F1, precision,
    /// recall (the benchmark's word 4-gram metric), pages, mean and p95 time per page.
    Extraction {
        /// The benchmark directory (ground-truth.json, html/<id>.html.gz).
        #[arg(long, default_value = "../shared/bench/article-extraction")]
        dir: PathBuf,
        /// Which input the cleaner gets: the HTML page, its innerText lines, both; or
        /// `extractor` for the HTML main-content extractor alone (no line cleaning).
        #[arg(long, value_enum, default_value_t = Variant::Both)]
        variant: Variant,
        /// Write the predictions ({id: {"articleBody": ...}}, what score.py reads). With more
        /// than one variant the variant name goes before the extension (pred.html.json).
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

/// What the cleaner is given.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Variant {
    /// The HTML page, content type html.
    Html,
    /// The page's innerText lines, content type text.
    Text,
    /// Both of the above.
    Both,
    /// `html::extract` alone, its blocks joined (what the cleaner starts from).
    Extractor,
}

impl Variant {
    fn expand(self) -> Vec<Variant> {
        match self {
            Variant::Both => vec![Variant::Html, Variant::Text],
            v => vec![v],
        }
    }

    fn name(self) -> &'static str {
        match self {
            Variant::Html => "html",
            Variant::Text => "text",
            Variant::Both => "both",
            Variant::Extractor => "extractor",
        }
    }
}

/// Runs a benchmark command.
pub fn run(cmd: BenchCommand) -> anyhow::Result<()> {
    match cmd {
        BenchCommand::Extraction { dir, variant, out } => extraction(&dir, variant, out.as_deref()),
    }
}

/// One variant's outcome.
struct Outcome {
    score: Score,
    mean_ms: f64,
    p95_ms: f64,
    failed: usize,
    predictions: serde_json::Map<String, serde_json::Value>,
}

fn extraction(dir: &Path, variant: Variant, out: Option<&Path>) -> anyhow::Result<()> {
    let truth = bench::load_truth(&dir.join("ground-truth.json"))
        .with_context(|| format!("loading the benchmark in {}", dir.display()))?;
    let pages: Vec<(TruthPage, String)> = truth
        .into_iter()
        .map(|t| {
            let html = bench::load_html(dir, &t.id)?;
            Ok((t, html))
        })
        .collect::<Result<_, bench::BenchError>>()?;
    let variants = variant.expand();
    for v in &variants {
        let o = score_variant(&pages, *v);
        println!(
            "{:<9} f1 {:.3} precision {:.3} recall {:.3} pages {} failed {} mean {:.2} ms p95 {:.2} ms",
            v.name(),
            o.score.f1,
            o.score.precision,
            o.score.recall,
            o.score.pages,
            o.failed,
            o.mean_ms,
            o.p95_ms
        );
        if let Some(path) = out {
            let path = if variants.len() > 1 {
                with_variant(path, v.name())
            } else {
                path.to_path_buf()
            };
            let json = serde_json::to_string_pretty(&o.predictions)?;
            std::fs::write(&path, json).with_context(|| format!("writing {}", path.display()))?;
        }
    }
    Ok(())
}

/// `pred.json` -> `pred.html.json`.
fn with_variant(path: &Path, name: &str) -> PathBuf {
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned());
    let ext = path.extension().map(|s| s.to_string_lossy().into_owned());
    let file = match (stem, ext) {
        (Some(s), Some(e)) => format!("{s}.{name}.{e}"),
        (Some(s), None) => format!("{s}.{name}"),
        _ => format!("{name}.json"),
    };
    path.with_file_name(file)
}

fn score_variant(pages: &[(TruthPage, String)], v: Variant) -> Outcome {
    let mut times = Vec::with_capacity(pages.len());
    let mut rows = Vec::with_capacity(pages.len());
    let mut predictions = serde_json::Map::new();
    let mut failed = 0;
    for (t, page) in pages {
        // The innerText rendering stands for the page's text source; it is not timed.
        let (content_type, body) = match v {
            Variant::Text => (ContentType::Text, innertext::inner_text(page).join("\n")),
            _ => (ContentType::Html, page.clone()),
        };
        let raw = RawArticle {
            schema_version: eventwire_schema::SCHEMA_VERSION,
            id: t.id.clone(),
            source: "article-extraction-benchmark".into(),
            url: t.url.clone(),
            content_type: content_type as i32,
            body,
            ..Default::default()
        };
        let start = Instant::now();
        let result = match v {
            Variant::Extractor => html::extract(&raw.body)
                .map(|p| p.blocks.join("\n\n"))
                .map_err(|e| e.to_string()),
            _ => eventwire_cleaner::clean(&raw)
                .map(|a| a.body)
                .map_err(|e| e.to_string()),
        };
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        let body = result.unwrap_or_else(|e| {
            tracing::warn!(id = %t.id, error = %e, "page failed");
            failed += 1;
            String::new()
        });
        rows.push(bench::page_counts(&t.article_body, &body));
        predictions.insert(t.id.clone(), serde_json::json!({ "articleBody": body }));
    }
    let (mean_ms, p95_ms) = mean_p95(&mut times);
    Outcome {
        score: bench::score_counts(&rows),
        mean_ms,
        p95_ms,
        failed,
        predictions,
    }
}

/// Mean and 95th percentile (nearest rank) of `xs`; zeros when empty.
fn mean_p95(xs: &mut [f64]) -> (f64, f64) {
    if xs.is_empty() {
        return (0.0, 0.0);
    }
    xs.sort_by(f64::total_cmp);
    let mean = xs.iter().sum::<f64>() / xs.len() as f64;
    let rank = ((xs.len() as f64) * 0.95).ceil() as usize;
    (mean, xs[rank.clamp(1, xs.len()) - 1])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentile_and_names() {
        let mut xs: Vec<f64> = (1..=100).rev().map(f64::from).collect();
        assert_eq!(mean_p95(&mut xs), (50.5, 95.0));
        assert_eq!(mean_p95(&mut []), (0.0, 0.0));
        assert_eq!(
            with_variant(Path::new("/tmp/pred.json"), "html"),
            PathBuf::from("/tmp/pred.html.json")
        );
        assert_eq!(
            with_variant(Path::new("pred"), "text"),
            PathBuf::from("pred.text")
        );
    }
}
