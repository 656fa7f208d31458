//! `eventwire-cleaner`: the cleaner service on Kafka (articles.raw -> articles.clean).
//!
//! Before its first dedup step the stage waits for the dedup index to be rebuilt from
//! `articles.clean` (see `eventwire_cleaner::rebuild`); records are read and cleaned meanwhile.
use std::sync::Arc;

use clap::Parser;
use eventwire_cleaner::dedup::DedupArgs;
use eventwire_cleaner::rebuild::{Rebuild, RebuildArgs};
use eventwire_cleaner::stage::DedupMetrics;
use eventwire_cleaner::CleanStage;
use eventwire_runtime::config::ConsumerServiceArgs;
use eventwire_runtime::service::{run_consumer, ServiceSpec};
use eventwire_schema::topics;

#[derive(Parser)]
#[command(version, about = "eventwire cleaner: articles.raw -> articles.clean")]
struct Args {
    #[command(flatten)]
    service: ConsumerServiceArgs,
    #[command(flatten)]
    dedup: DedupArgs,
    #[command(flatten)]
    rebuild: RebuildArgs,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let dedup = args.dedup.config()?;
    let kafka = args.service.kafka.clone();
    let rebuild_args = args.rebuild;
    let spec = ServiceSpec {
        name: "cleaner",
        input_topic: topics::ARTICLES_RAW,
        default_port: 9102,
    };
    run_consumer(spec, args.service, move |m, s| {
        let metrics = DedupMetrics::register(&m.registry)?;
        let window = dedup.window;
        let mut stage = CleanStage::new(dedup, s.concurrency).with_metrics(metrics.clone());
        let ready = stage.pending_rebuild();
        Rebuild {
            kafka,
            index: stage.index(),
            ready,
            metrics: Some(metrics),
            window,
            args: rebuild_args,
        }
        .spawn()?;
        Ok(Arc::new(stage))
    })
    .await
}
