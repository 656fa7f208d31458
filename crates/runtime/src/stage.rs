//! The `Stage` trait every service implements, and an adapter that runs synchronous (CPU-bound)
//! stages on tokio's blocking pool so they never stall the reactor that keeps Kafka polled.
use std::sync::Arc;

use async_trait::async_trait;
use tokio::sync::Semaphore;

use crate::{InputRecord, OutputRecord, StageError};

/// One input record in, zero or more output records out (each routed to a named topic), or a
/// classified error. Implementations must be deterministic for a given input so that a
/// redelivered record produces the same output keys.
#[async_trait]
pub trait Stage: Send + Sync + 'static {
    /// Short name used in metrics, logs and dead-letter headers ("clean", "tag").
    fn name(&self) -> &'static str;
    /// Every topic `process` may route to (checked to exist at start, closed at the end of an
    /// in-memory run). Dead-letter topics are derived by the runtime and not listed here.
    fn output_topics(&self) -> Vec<String>;
    async fn process(&self, record: Arc<InputRecord>) -> Result<Vec<OutputRecord>, StageError>;
}

/// A stage whose work is plain synchronous computation: pure text in, records out.
pub trait SyncStage: Send + Sync + 'static {
    fn name(&self) -> &'static str;
    fn output_topics(&self) -> Vec<String>;
    fn process(&self, record: &InputRecord) -> Result<Vec<OutputRecord>, StageError>;
}

/// Runs a [`SyncStage`] on the blocking pool, at most `max_parallel` records at a time.
pub struct Blocking<S> {
    inner: Arc<S>,
    permits: Arc<Semaphore>,
}

impl<S: SyncStage> Blocking<S> {
    pub fn new(inner: S, max_parallel: usize) -> Self {
        Blocking {
            inner: Arc::new(inner),
            permits: Arc::new(Semaphore::new(max_parallel.max(1))),
        }
    }

    pub fn inner(&self) -> &S {
        &self.inner
    }
}

#[async_trait]
impl<S: SyncStage> Stage for Blocking<S> {
    fn name(&self) -> &'static str {
        self.inner.name()
    }

    fn output_topics(&self) -> Vec<String> {
        self.inner.output_topics()
    }

    async fn process(&self, record: Arc<InputRecord>) -> Result<Vec<OutputRecord>, StageError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| StageError::Fatal("blocking pool closed".into()))?;
        let inner = Arc::clone(&self.inner);
        blocking_outcome(tokio::task::spawn_blocking(move || inner.process(&record)).await)
    }
}

/// The outcome of a stage's work run on the blocking pool. A panic in pure code is a bug
/// triggered by this record: it becomes a bad record (dead-lettered with the panic text) rather
/// than taking the service down; a cancelled task is retriable.
pub fn blocking_outcome<T>(
    joined: Result<Result<T, StageError>, tokio::task::JoinError>,
) -> Result<T, StageError> {
    match joined {
        Ok(result) => result,
        Err(join) if join.is_panic() => {
            Err(StageError::bad("panic", panic_message(join.into_panic())))
        }
        Err(_) => Err(StageError::retriable(
            "cancelled",
            "blocking task cancelled",
        )),
    }
}

fn panic_message(p: Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "stage panicked".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Headers;

    struct Upper;
    impl SyncStage for Upper {
        fn name(&self) -> &'static str {
            "upper"
        }
        fn output_topics(&self) -> Vec<String> {
            vec!["out".into()]
        }
        fn process(&self, r: &InputRecord) -> Result<Vec<OutputRecord>, StageError> {
            if r.payload == b"boom" {
                panic!("boom payload");
            }
            Ok(vec![OutputRecord::new(
                "out",
                "k",
                r.payload.to_ascii_uppercase(),
            )])
        }
    }

    fn rec(p: &[u8]) -> Arc<InputRecord> {
        Arc::new(InputRecord {
            topic: "in".into(),
            partition: 0,
            offset: 0,
            timestamp_ms: None,
            key: None,
            payload: p.to_vec(),
            headers: Headers::new(),
        })
    }

    #[tokio::test]
    async fn runs_sync_stage_and_turns_panics_into_bad_records() {
        let s = Blocking::new(Upper, 2);
        let out = s.process(rec(b"abc")).await.unwrap();
        assert_eq!(out[0].payload, b"ABC");
        let err = s.process(rec(b"boom")).await.unwrap_err();
        assert_eq!(err.code(), "panic");
        assert!(err.to_string().contains("boom payload"));
    }
}
