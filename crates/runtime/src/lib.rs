//! The stage runtime: one [`Stage`] trait, run unchanged on Kafka ([`kafka`]) or on the in-memory
//! bus of `eventwire run` and tests ([`memory`]), with the same delivery semantics on both:
//! at-least-once, per-partition order, bad records dead-lettered with their original bytes,
//! retriable errors retried with backoff, and a circuit breaker that stops a stage that
//! dead-letters too much.

pub mod breaker;
pub mod config;
pub mod error;
pub mod health;
pub mod kafka;
pub mod memory;
pub mod metrics;
pub mod process;
pub mod publish;
pub mod record;
pub mod service;
pub mod shutdown;
pub mod stage;
pub mod telemetry;

pub use error::{RuntimeError, StageError};
pub use record::{Headers, InputRecord, OutputRecord};
pub use stage::{blocking_outcome, Blocking, Stage, SyncStage};

/// Header carrying the article's ingest time (milliseconds since the epoch), set by ingest and
/// copied by the runtime from each input to its outputs, so every stage can measure end-to-end
/// latency without decoding payloads.
pub const INGESTED_AT_HEADER: &str = "eventwire.ingested_at";
