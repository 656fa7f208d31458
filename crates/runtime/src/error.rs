//! The one error taxonomy every stage and transport speaks.
use eventwire_schema::json::JsonError;

/// What went wrong with one input record, which decides what the runtime does next.
#[derive(Debug, Clone, thiserror::Error)]
pub enum StageError {
    /// A passing condition (a dependency down, a timeout): retried with backoff; the offset does
    /// not advance meanwhile.
    #[error("retriable ({code}): {message}")]
    Retriable { code: &'static str, message: String },
    /// The record itself is bad: its original bytes go to the dead-letter topic and the stream
    /// moves on.
    #[error("bad record ({code}): {message}")]
    BadRecord { code: &'static str, message: String },
    /// The stage cannot go on (bad configuration, a broken invariant): the service stops non-zero.
    #[error("fatal: {0}")]
    Fatal(String),
}

impl StageError {
    pub fn bad(code: &'static str, message: impl Into<String>) -> Self {
        StageError::BadRecord {
            code,
            message: message.into(),
        }
    }

    pub fn retriable(code: &'static str, message: impl Into<String>) -> Self {
        StageError::Retriable {
            code,
            message: message.into(),
        }
    }

    /// The low-cardinality code used in metrics and dead-letter headers.
    pub fn code(&self) -> &'static str {
        match self {
            StageError::Retriable { code, .. } | StageError::BadRecord { code, .. } => code,
            StageError::Fatal(_) => "fatal",
        }
    }
}

impl From<JsonError> for StageError {
    fn from(e: JsonError) -> Self {
        match e {
            JsonError::Decode { .. } => StageError::bad("decode_error", e.to_string()),
            JsonError::SchemaVersion { .. } => StageError::bad("schema_version", e.to_string()),
            // Failing to encode our own message is a bug, not the record's fault.
            JsonError::Encode { .. } => StageError::Fatal(e.to_string()),
        }
    }
}

/// Why a stage runner or service stopped.
#[derive(Debug, thiserror::Error)]
pub enum RuntimeError {
    #[error("configuration: {0}")]
    Config(String),
    #[error("kafka: {0}")]
    Kafka(String),
    #[error("stage {stage} failed fatally: {message}")]
    Fatal { stage: String, message: String },
    #[error(
        "dead-letter circuit breaker tripped on {topic}: {reason}; stopping so a bad deploy \
         cannot quietly dead-letter the stream"
    )]
    BreakerTripped { topic: String, reason: String },
    #[error("in-memory bus: {0}")]
    Bus(String),
    #[error("metrics server: {0}")]
    Server(String),
}
