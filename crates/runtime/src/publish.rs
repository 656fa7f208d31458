//! Producing without consuming, for sources such as ingest: the same call on Kafka and on the
//! in-memory bus. `publish` returns once the record is acknowledged (by the broker, or by the
//! bus having handed it to every subscriber), so a caller can count what is durably out.
use std::time::Duration;

use async_trait::async_trait;

use crate::{OutputRecord, RuntimeError};

#[async_trait]
pub trait Publisher: Send + Sync {
    /// Writes one record and waits for its acknowledgement. Transient failures are retried
    /// inside; an error means the record could not be delivered at all.
    async fn publish(&self, record: OutputRecord) -> Result<(), RuntimeError>;
    /// Waits until everything published so far is acknowledged, up to `timeout`.
    async fn flush(&self, timeout: Duration) -> Result<(), RuntimeError>;
}
