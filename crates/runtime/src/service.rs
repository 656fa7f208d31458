//! The shell every consuming service shares, so each `main` is config + a stage: logging,
//! metrics and health endpoints, signal handling, and the Kafka run with its exit status.
use std::sync::Arc;

use tokio_util::sync::CancellationToken;

use crate::config::{ConsumerServiceArgs, StageSettings};
use crate::health::{self, Health};
use crate::metrics::Metrics;
use crate::process::Processor;
use crate::{kafka, shutdown, telemetry, Stage};

/// What distinguishes one consuming service from another.
pub struct ServiceSpec {
    /// "cleaner", "tagger": the `service` label, the default group suffix and client id.
    pub name: &'static str,
    /// Logical input topic.
    pub input_topic: &'static str,
    /// Port of /metrics when --metrics-addr is not given.
    pub default_port: u16,
}

/// Runs a consuming service until SIGTERM/SIGINT or a fatal error. `make_stage` gets the
/// registry (for the stage's own metrics) and the validated settings.
pub async fn run_consumer(
    spec: ServiceSpec,
    args: ConsumerServiceArgs,
    make_stage: impl FnOnce(&Metrics, &StageSettings) -> anyhow::Result<Arc<dyn Stage>>,
) -> anyhow::Result<()> {
    let ConsumerServiceArgs {
        kafka: kafka_args,
        consumer,
        serve,
    } = args;
    telemetry::init_tracing(serve.log_format);
    let settings = consumer.settings(spec.name)?;
    kafka_args.options()?;
    let metrics = Metrics::new(spec.name);
    let stage = make_stage(&metrics, &settings)?;
    let health = Health::new();
    let stop_server = CancellationToken::new();
    health::serve(
        serve.addr(spec.default_port),
        metrics.clone(),
        Arc::clone(&health),
        stop_server.clone(),
    )
    .await?;
    let processor = Arc::new(Processor::new(
        stage,
        spec.name,
        metrics,
        settings.retry,
        settings.breaker,
        settings.max_record_bytes,
    ));
    let shutdown = shutdown::on_signals();
    tracing::info!(
        service = spec.name,
        version = env!("CARGO_PKG_VERSION"),
        "starting"
    );
    let result = kafka::run_stage(
        processor,
        kafka_args,
        settings,
        spec.input_topic,
        Arc::clone(&health),
        shutdown,
    )
    .await;
    if let Err(e) = &result {
        health.set_failed();
        tracing::error!(error = %e, "stopping on error");
    }
    stop_server.cancel();
    result.map_err(Into::into)
}
