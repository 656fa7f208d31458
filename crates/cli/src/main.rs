//! `eventwire`: the pipeline in one process (`run`), per-article views (`tag`, `clean`), the
//! scorer (`eval`) and Kafka topic set-up (`topics create`).
mod articles;
mod bench;
mod entities;
mod oneshot;
mod output;
mod pipeline;
mod query;
mod report;
mod resolve;

use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};
use eventwire_runtime::config::KafkaArgs;
use eventwire_runtime::telemetry::{init_tracing, LogFormat};

#[derive(Parser)]
#[command(
    version,
    about = "eventwire: news articles in, diplomatic events and casualty reports out"
)]
struct Cli {
    /// Log format on stderr (level from EVENTWIRE_LOG, default info).
    #[arg(long, global = true, env = "EVENTWIRE_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    log_format: LogFormat,
    /// A directory laid out like the repository's data/ (regenerated or edited gazetteer
    /// files) to use instead of the compiled-in data; the event word lists
    /// (lexicon/events/*.tsv) and counting conventions (lexicon/counting.tsv) it holds replace
    /// the compiled-in ones.
    #[arg(long, global = true, env = "EVENTWIRE_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// Extra actors files in the actors.tsv format (data/README.md), added to the known
    /// actors; repeat the flag or separate paths with ',' in the variable.
    #[arg(long, global = true, env = "EVENTWIRE_ACTORS", value_delimiter = ',')]
    actors: Vec<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run ingest -> cleaner -> tagger in this process on the in-memory bus; write every output
    /// message as JSONL ({"topic","key","value"}) as it is ready and print a summary on stderr.
    Run {
        /// A file or directory of articles (.txt, .html, .html.gz, .jsonl, news-please .json), or - for stdin.
        #[arg(required_unless_present = "feeds", conflicts_with = "feeds")]
        path: Option<PathBuf>,
        /// Poll the RSS/Atom/JSON feeds of this TOML file (`[[feed]] url, source, interval,
        /// headers`; docs/ingest.md) and fetch their pages, until Ctrl-C or, with --once, once.
        #[arg(long)]
        feeds: Option<PathBuf>,
        /// With --feeds: poll each feed once, fetch its items, drain the pipeline and exit.
        #[arg(long, requires = "feeds")]
        once: bool,
        /// Where to write the JSONL (default: stdout).
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// The database the resolved events go to: a SQLite file (created when missing) or a
        /// postgres:// URL; `eventwire query` reads it.
        #[arg(
            long,
            env = "EVENTWIRE_DB",
            default_value = "eventwire.sqlite",
            conflicts_with = "no_db"
        )]
        db: String,
        /// Write no database.
        #[arg(long)]
        no_db: bool,
        #[command(flatten)]
        opts: RunArgs,
    },
    /// Query the resolved events of a database `eventwire run` wrote (SQLite file or
    /// postgres:// URL): diplomatic events by kind, countries and date, casualty incidents by
    /// country, or one event with its mentions.
    Query(query::QueryArgs),
    /// Print one TaggedArticle JSON per article (id, title, byline, published, body,
    /// duplicate_of, diplomatic, casualties), the shape the scorer reads, in input order as each
    /// is ready ("-" reads stdin).
    Tag {
        #[arg(long, short)]
        input: PathBuf,
        #[command(flatten)]
        opts: RunArgs,
    },
    /// Print one CleanArticle JSON per article, in input order as each is ready.
    Clean {
        #[arg(long, short)]
        input: PathBuf,
        #[command(flatten)]
        opts: RunArgs,
    },
    /// Print the entities of each article: one {"id", "published", "entities"} JSON per line.
    /// Input: JSONL of {"id", "text", "published"} (clean text), or anything `run` reads.
    Entities {
        #[arg(long, short)]
        input: PathBuf,
        /// Also print the analysed text (the offsets index it).
        #[arg(long)]
        with_text: bool,
        #[command(flatten)]
        opts: RunArgs,
    },
    /// Score predictions (JSONL from `eventwire tag`, or from `eventwire entities` with
    /// --entities) against a gold file.
    Eval {
        #[arg(long)]
        gold: PathBuf,
        #[arg(long)]
        pred: PathBuf,
        /// Score entity mentions (gold: tests/fixtures/entities/samples.gold.jsonl).
        #[arg(long)]
        entities: bool,
        /// Print one JSON object instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Resolve the events of `eventwire tag`'s output across articles: one record per
    /// real-world event, with its mentions, source counts, status history and toll, printed as
    /// JSON lines when the input ends ("-" reads stdin).
    Resolve {
        #[arg(short, long)]
        input: PathBuf,
        /// Events with no mention for this many days (by the newest mention) are closed.
        #[arg(long, default_value_t = 14)]
        window_days: i64,
        /// Events kept at most; the least recently updated are closed first.
        #[arg(long, default_value_t = 200_000)]
        capacity: usize,
    },
    /// Benchmarks (`bench extraction`: the cleaner on the article-extraction benchmark).
    Bench {
        #[command(subcommand)]
        command: bench::BenchCommand,
    },
    /// Kafka topic administration.
    Topics {
        #[command(subcommand)]
        command: TopicsCommand,
    },
}

#[derive(Subcommand)]
enum TopicsCommand {
    /// Create every pipeline topic (and its dead-letter topic) that does not exist yet.
    Create {
        #[command(flatten)]
        kafka: KafkaArgs,
        #[arg(long, default_value_t = 6)]
        partitions: i32,
        #[arg(long, default_value_t = 1)]
        replication: i32,
    },
    /// List the pipeline's topics (with the prefix applied).
    List {
        #[command(flatten)]
        kafka: KafkaArgs,
    },
}

#[derive(clap::Args, Clone)]
struct RunArgs {
    /// Records processed at once per stage.
    #[arg(long, env = "EVENTWIRE_CONCURRENCY")]
    concurrency: Option<usize>,
    /// Largest article accepted, in bytes.
    #[arg(long, env = "EVENTWIRE_MAX_RECORD_BYTES")]
    max_record_bytes: Option<usize>,
    #[command(flatten)]
    report: report::ReportArgs,
    /// The near-duplicate index, the one state a run keeps across articles (bounded by these).
    #[command(flatten)]
    dedup: eventwire_cleaner::dedup::DedupArgs,
}

impl RunArgs {
    fn options(&self) -> anyhow::Result<pipeline::RunOptions> {
        let mut o = pipeline::RunOptions::default();
        if let Some(c) = self.concurrency {
            anyhow::ensure!(
                (1..=1024).contains(&c),
                "--concurrency must be between 1 and 1024"
            );
            o.concurrency = c;
        }
        if let Some(m) = self.max_record_bytes {
            o.max_record_bytes = m;
        }
        o.dedup = self.dedup.config()?;
        Ok(o)
    }
}

/// The event rules' word lists and the counting conventions of `--data-dir`, where it has them.
fn configure_word_lists(dir: &std::path::Path) -> anyhow::Result<()> {
    let lists = eventwire_tagger::words::configure(dir).context("loading the event word lists")?;
    let counting =
        eventwire_timex::counting::configure(dir).context("loading the counting conventions")?;
    tracing::debug!(lists, counting, "word lists from --data-dir");
    Ok(())
}

// long: one dispatch arm per subcommand, each a call or two; the list is the command's surface.
#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    init_tracing(cli.log_format);
    let added = eventwire_gazetteer::Gazetteer::configure(cli.data_dir.as_deref(), &cli.actors)
        .context("loading the gazetteer (--data-dir, --actors)")?;
    if added > 0 {
        tracing::info!(actors = added, "extra actors loaded");
    }
    if let Some(dir) = cli.data_dir.as_deref() {
        configure_word_lists(dir)?;
    }
    match cli.command {
        Command::Run {
            path,
            feeds,
            once,
            output,
            db,
            no_db,
            opts,
        } => {
            let input = match (&feeds, &path) {
                (Some(file), _) => pipeline::Input::Feeds { file, once },
                (None, Some(path)) => pipeline::Input::Path(path),
                (None, None) => anyhow::bail!("give a path or --feeds"),
            };
            let mut options = opts.options()?;
            if !no_db {
                let store = eventwire_sink::Store::open(&db)
                    .await
                    .with_context(|| format!("opening the database {db}"))?;
                options.store = Some(store);
            }
            oneshot::run(input, output.as_deref(), &options, &opts.report).await?;
        }
        Command::Tag { input, opts } => {
            let depth = articles::Depth::Tag;
            oneshot::print_articles(&input, depth, &opts.options()?, &opts.report).await?;
        }
        Command::Clean { input, opts } => {
            let depth = articles::Depth::Clean;
            oneshot::print_articles(&input, depth, &opts.options()?, &opts.report).await?;
        }
        Command::Entities {
            input,
            with_text,
            opts,
        } => {
            entities::run(&input, &opts.options()?, &opts.report, with_text).await?;
        }
        Command::Query(args) => query::run(&args).await?,
        Command::Resolve {
            input,
            window_days,
            capacity,
        } => {
            let config = eventwire_resolver::ResolverConfig {
                window_days,
                capacity,
            };
            resolve::resolve(&input, config)?;
        }
        Command::Eval {
            gold,
            pred,
            entities: true,
            json,
        } => {
            let opts = eventwire_eval::entities::ScoreOptions::default();
            let report =
                eventwire_eval::entities::score_files(&gold, &pred, &opts).with_context(|| {
                    format!("scoring {} against {}", pred.display(), gold.display())
                })?;
            if json {
                println!("{}", report.to_json());
            } else {
                print!("{report}");
            }
        }
        Command::Eval {
            gold,
            pred,
            entities: false,
            json,
        } => {
            let report = eventwire_eval::score_files(&gold, &pred).with_context(|| {
                format!("scoring {} against {}", pred.display(), gold.display())
            })?;
            if json {
                println!("{}", report.to_json());
            } else {
                print!("{}", report.to_text());
            }
        }
        Command::Bench { command } => bench::run(command)?,
        Command::Topics { command } => match command {
            TopicsCommand::Create {
                kafka,
                partitions,
                replication,
            } => {
                anyhow::ensure!(partitions >= 1, "--partitions must be at least 1");
                let created = eventwire_runtime::kafka::create_topics(
                    &kafka,
                    &eventwire_schema::topics::all(),
                    partitions,
                    replication,
                )
                .await?;
                for t in eventwire_schema::topics::all() {
                    let t = kafka.topic(&t);
                    let state = if created.contains(&t) {
                        "created"
                    } else {
                        "exists"
                    };
                    println!("{t}\t{state}");
                }
            }
            TopicsCommand::List { kafka } => {
                for t in eventwire_schema::topics::all() {
                    println!("{}", kafka.topic(&t));
                }
            }
        },
    }
    Ok(())
}
