//! `eventwire-tagger`: the tagger service on Kafka (articles.clean -> events.*).
use std::sync::Arc;

use clap::Parser;
use eventwire_runtime::config::ConsumerServiceArgs;
use eventwire_runtime::service::{run_consumer, ServiceSpec};
use eventwire_runtime::Blocking;
use eventwire_schema::topics;
use eventwire_tagger::stage::TagMetrics;
use eventwire_tagger::TagStage;

// The tag stage allocates many small, short-lived strings and vectors per article; mimalloc
// runs it faster than the system allocator (see benches/tag.rs, which uses it too).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    version,
    about = "eventwire tagger: articles.clean -> events.diplomatic, events.casualty"
)]
struct Args {
    #[command(flatten)]
    service: ConsumerServiceArgs,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let spec = ServiceSpec {
        name: "tagger",
        input_topic: topics::ARTICLES_CLEAN,
        default_port: 9103,
    };
    run_consumer(spec, args.service, |m, s| {
        let metrics = TagMetrics::register(&m.registry);
        Ok(Arc::new(Blocking::new(
            TagStage::new(Some(metrics)),
            s.concurrency,
        )))
    })
    .await
}
