//! `eventwire-cleaner`: the cleaner service on Kafka (articles.raw -> articles.clean).
use std::sync::Arc;

use clap::Parser;
use eventwire_runtime::config::ConsumerServiceArgs;
use eventwire_runtime::service::{run_consumer, ServiceSpec};
use eventwire_runtime::Blocking;
use eventwire_schema::topics;

#[derive(Parser)]
#[command(version, about = "eventwire cleaner: articles.raw -> articles.clean")]
struct Args {
    #[command(flatten)]
    service: ConsumerServiceArgs,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let spec = ServiceSpec {
        name: "cleaner",
        input_topic: topics::ARTICLES_RAW,
        default_port: 9102,
    };
    run_consumer(spec, args.service, |_, s| {
        Ok(Arc::new(Blocking::new(
            eventwire_cleaner::CleanStage,
            s.concurrency,
        )))
    })
    .await
}
