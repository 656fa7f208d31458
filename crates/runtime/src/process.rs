//! Handling of one input record, shared by both transports so they behave the same: run the
//! stage, retry retriable errors with jittered exponential backoff (the offset does not move
//! meanwhile), turn bad records into dead letters carrying the original bytes, feed the circuit
//! breaker, and keep the metrics. Delivery of the outputs is the transport's job.
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use eventwire_schema::{dlq, topics, SCHEMA_NAME};
use rand::Rng;
use tokio_util::sync::CancellationToken;

use crate::breaker::{Breaker, BreakerConfig};
use crate::metrics::Metrics;
use crate::telemetry::RateLimiter;
use crate::{
    Headers, InputRecord, OutputRecord, RuntimeError, Stage, StageError, INGESTED_AT_HEADER,
};

/// Backoff for retriable errors: exponential from `initial` to `max`, with full jitter.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    pub initial: Duration,
    pub max: Duration,
    /// Give up on a record after this many attempts and dead-letter it as `retries_exhausted`;
    /// 0 retries until shutdown (the offset never skips a record that might still succeed).
    pub max_attempts: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            initial: Duration::from_millis(100),
            max: Duration::from_secs(30),
            max_attempts: 0,
        }
    }
}

impl RetryPolicy {
    /// The pause before attempt `attempt` (1-based count of failures so far).
    pub fn delay(&self, attempt: u32) -> Duration {
        let exp = self
            .initial
            .saturating_mul(1u32 << attempt.saturating_sub(1).min(16));
        let cap = exp.min(self.max);
        let jitter = rand::rng().random_range(0.5..=1.0);
        cap.mul_f64(jitter)
    }
}

/// What became of one input record.
#[derive(Debug)]
pub enum Outcome {
    /// Outputs to deliver; the offset may advance once all are acknowledged.
    Emit(Vec<OutputRecord>),
    /// The record was bad: deliver this dead letter, then advance.
    DeadLetter(OutputRecord),
    /// Shutdown arrived while retrying: deliver nothing and do not advance.
    Abandoned,
}

/// Runs a stage over records for one service.
pub struct Processor {
    stage: Arc<dyn Stage>,
    service: String,
    metrics: Metrics,
    retry: RetryPolicy,
    breaker: Mutex<Breaker>,
    max_record_bytes: usize,
    error_log: RateLimiter,
}

impl Processor {
    pub fn new(
        stage: Arc<dyn Stage>,
        service: impl Into<String>,
        metrics: Metrics,
        retry: RetryPolicy,
        breaker: BreakerConfig,
        max_record_bytes: usize,
    ) -> Self {
        Processor {
            stage,
            service: service.into(),
            metrics,
            retry,
            breaker: Mutex::new(Breaker::new(breaker)),
            max_record_bytes,
            error_log: RateLimiter::new(10, Duration::from_secs(10)),
        }
    }

    pub fn stage(&self) -> &Arc<dyn Stage> {
        &self.stage
    }

    pub fn metrics(&self) -> &Metrics {
        &self.metrics
    }

    pub fn service(&self) -> &str {
        &self.service
    }

    /// Processes one record to an outcome. Errors only when the service must stop (a fatal stage
    /// error or the dead-letter breaker tripping).
    // long: the retry loop of one record (process, classify the error, back off, dead-letter,
    // breaker), whose branches share the attempt's state.
    pub async fn handle(
        &self,
        record: Arc<InputRecord>,
        cancel: &CancellationToken,
    ) -> Result<Outcome, RuntimeError> {
        let stage_name = self.stage.name();
        self.metrics
            .records_in
            .with_label_values(&[&record.topic])
            .inc();
        let started = Instant::now();
        let mut attempt = 0u32;
        let result = loop {
            if record.payload.len() > self.max_record_bytes {
                break Err(StageError::bad(
                    "too_large",
                    format!(
                        "record of {} bytes exceeds the limit of {} bytes",
                        record.payload.len(),
                        self.max_record_bytes
                    ),
                ));
            }
            match self.stage.process(Arc::clone(&record)).await {
                Err(StageError::Retriable { code, message }) => {
                    attempt += 1;
                    self.metrics
                        .errors
                        .with_label_values(&[stage_name, code])
                        .inc();
                    self.metrics.retries.with_label_values(&[stage_name]).inc();
                    if self.retry.max_attempts > 0 && attempt >= self.retry.max_attempts {
                        break Err(StageError::bad(
                            "retries_exhausted",
                            format!("{attempt} attempts failed; last: {message}"),
                        ));
                    }
                    if self.error_log.allow() {
                        tracing::warn!(stage = stage_name, code, attempt, %message, "retriable error; backing off");
                    }
                    let pause = self.retry.delay(attempt);
                    tokio::select! {
                        _ = cancel.cancelled() => {
                            self.metrics.processing_seconds.with_label_values(&[stage_name]).observe(started.elapsed().as_secs_f64());
                            return Ok(Outcome::Abandoned);
                        }
                        _ = tokio::time::sleep(pause) => {}
                    }
                }
                other => break other,
            }
        };
        self.metrics
            .processing_seconds
            .with_label_values(&[stage_name])
            .observe(started.elapsed().as_secs_f64());

        match result {
            Ok(mut outputs) => {
                self.judge(&record.topic, false)?;
                propagate_headers(&record.headers, &mut outputs);
                Ok(Outcome::Emit(outputs))
            }
            Err(StageError::BadRecord { code, message }) => {
                self.metrics
                    .errors
                    .with_label_values(&[stage_name, code])
                    .inc();
                if self.error_log.allow() {
                    tracing::warn!(
                        stage = stage_name, code, topic = %record.topic, partition = record.partition,
                        offset = record.offset, %message, "bad record; dead-lettering"
                    );
                }
                let letter = self.dead_letter(&record, code, &message);
                self.judge(&record.topic, true)?;
                Ok(Outcome::DeadLetter(letter))
            }
            Err(StageError::Fatal(message)) => {
                self.metrics
                    .errors
                    .with_label_values(&[stage_name, "fatal"])
                    .inc();
                Err(RuntimeError::Fatal {
                    stage: stage_name.to_string(),
                    message,
                })
            }
            Err(StageError::Retriable { .. }) => unreachable!("retriable errors loop above"),
        }
    }

    /// Counts the outcome in the breaker; a trip stops the service.
    fn judge(&self, topic: &str, bad: bool) -> Result<(), RuntimeError> {
        let tripped = match self.breaker.lock() {
            Ok(mut b) => b.record(bad),
            Err(poisoned) => poisoned.into_inner().record(bad),
        };
        match tripped {
            Some(reason) => Err(RuntimeError::BreakerTripped {
                topic: topic.to_string(),
                reason,
            }),
            None => Ok(()),
        }
    }

    /// A dead letter: the original key and bytes, unchanged, with the documented headers.
    pub fn dead_letter(&self, record: &InputRecord, code: &str, message: &str) -> OutputRecord {
        dead_letter(record, &self.service, self.stage.name(), code, message)
    }

    /// Counts an acknowledged output (the transport calls this once the broker has it).
    pub fn acknowledged(&self, out: &OutputRecord, input_topic: &str) {
        self.metrics
            .records_out
            .with_label_values(&[&out.topic])
            .inc();
        if out.topic.ends_with(topics::DLQ_SUFFIX) {
            let code = out.headers.get_str(dlq::ERROR_CODE).unwrap_or("unknown");
            self.metrics
                .dead_letters
                .with_label_values(&[input_topic, code])
                .inc();
        } else {
            self.metrics
                .observe_end_to_end(&out.topic, ingested_at_ms(&out.headers));
        }
    }
}

/// Builds a dead letter for `record` (also used by ingest for inputs that never were records).
pub fn dead_letter(
    record: &InputRecord,
    service: &str,
    stage: &str,
    code: &str,
    message: &str,
) -> OutputRecord {
    let mut headers = record.headers.clone();
    headers.insert(dlq::ORIGINAL_TOPIC, record.topic.as_bytes());
    headers.insert(dlq::ORIGINAL_PARTITION, record.partition.to_string());
    headers.insert(dlq::ORIGINAL_OFFSET, record.offset.to_string());
    if let Some(ts) = record.timestamp_ms {
        headers.insert(dlq::ORIGINAL_TIMESTAMP, ts.to_string());
    }
    headers.insert(dlq::SERVICE, service.as_bytes());
    headers.insert(dlq::STAGE, stage.as_bytes());
    headers.insert(dlq::ERROR_CODE, code.as_bytes());
    headers.insert(
        dlq::ERROR_MESSAGE,
        dlq::truncate(message, dlq::MAX_MESSAGE_BYTES).as_bytes(),
    );
    headers.insert(
        dlq::FAILED_AT,
        chrono::Utc::now()
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
            .as_bytes(),
    );
    headers.insert(dlq::SCHEMA, SCHEMA_NAME.as_bytes());
    OutputRecord {
        topic: topics::dlq_for(&record.topic),
        key: record.key.clone(),
        payload: record.payload.clone(),
        headers,
    }
}

/// Copies the ingest time forward and stamps the schema name, without overriding what a stage set.
fn propagate_headers(input: &Headers, outputs: &mut [OutputRecord]) {
    let ingested = input.get(INGESTED_AT_HEADER).map(<[u8]>::to_vec);
    for out in outputs {
        if let Some(v) = &ingested {
            if out.headers.get(INGESTED_AT_HEADER).is_none() {
                out.headers.insert(INGESTED_AT_HEADER, v.clone());
            }
        }
        if out.headers.get(dlq::SCHEMA).is_none() {
            out.headers.insert(dlq::SCHEMA, SCHEMA_NAME.as_bytes());
        }
    }
}

/// The ingest time carried in headers, milliseconds since the epoch.
pub fn ingested_at_ms(headers: &Headers) -> Option<i64> {
    headers.get_str(INGESTED_AT_HEADER)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_trait::async_trait;
    use std::sync::atomic::{AtomicU32, Ordering};

    struct Flaky {
        fails: AtomicU32,
    }

    #[async_trait]
    impl Stage for Flaky {
        fn name(&self) -> &'static str {
            "flaky"
        }
        fn output_topics(&self) -> Vec<String> {
            vec!["out".into()]
        }
        async fn process(&self, r: Arc<InputRecord>) -> Result<Vec<OutputRecord>, StageError> {
            if r.payload == b"bad" {
                return Err(StageError::bad("decode_error", "not json"));
            }
            if r.payload == b"fatal" {
                return Err(StageError::Fatal("broken".into()));
            }
            if self.fails.load(Ordering::SeqCst) > 0 {
                self.fails.fetch_sub(1, Ordering::SeqCst);
                return Err(StageError::retriable("timeout", "later"));
            }
            Ok(vec![OutputRecord::new("out", "k", r.payload.clone())])
        }
    }

    fn processor(fails: u32, retry: RetryPolicy) -> Processor {
        Processor::new(
            Arc::new(Flaky {
                fails: AtomicU32::new(fails),
            }),
            "test",
            Metrics::new("test"),
            retry,
            BreakerConfig {
                max_consecutive: 3,
                ..BreakerConfig::default()
            },
            16,
        )
    }

    fn rec(payload: &[u8]) -> Arc<InputRecord> {
        let mut headers = Headers::new();
        headers.insert(INGESTED_AT_HEADER, "1700000000000");
        Arc::new(InputRecord {
            topic: "in".into(),
            partition: 2,
            offset: 41,
            timestamp_ms: Some(5),
            key: Some(b"key".to_vec()),
            payload: payload.to_vec(),
            headers,
        })
    }

    fn fast() -> RetryPolicy {
        RetryPolicy {
            initial: Duration::from_millis(1),
            max: Duration::from_millis(2),
            max_attempts: 0,
        }
    }

    #[tokio::test]
    async fn retries_then_emits_with_propagated_headers() {
        let p = processor(2, fast());
        let out = p
            .handle(rec(b"ok"), &CancellationToken::new())
            .await
            .unwrap();
        let Outcome::Emit(outs) = out else {
            panic!("expected outputs")
        };
        assert_eq!(
            outs[0].headers.get_str(INGESTED_AT_HEADER),
            Some("1700000000000")
        );
        assert_eq!(outs[0].headers.get_str(dlq::SCHEMA), Some(SCHEMA_NAME));
        let m = p.metrics().render();
        assert!(
            m.contains(r#"eventwire_retries_total{stage="flaky",service="test"} 2"#),
            "{m}"
        );
    }

    #[tokio::test]
    async fn bad_record_becomes_dead_letter_with_original_bytes_and_headers() {
        let p = processor(0, fast());
        let Outcome::DeadLetter(d) = p
            .handle(rec(b"bad"), &CancellationToken::new())
            .await
            .unwrap()
        else {
            panic!("expected a dead letter")
        };
        assert_eq!(d.topic, "in.dlq");
        assert_eq!(d.payload, b"bad");
        assert_eq!(d.key.as_deref(), Some(&b"key"[..]));
        for h in dlq::ALL {
            assert!(d.headers.get(h).is_some(), "missing header {h}");
        }
        assert_eq!(d.headers.get_str(dlq::ORIGINAL_OFFSET), Some("41"));
        assert_eq!(d.headers.get_str(dlq::ORIGINAL_PARTITION), Some("2"));
        assert_eq!(d.headers.get_str(dlq::ERROR_CODE), Some("decode_error"));
        assert_eq!(d.headers.get_str(dlq::SERVICE), Some("test"));
    }

    #[tokio::test]
    async fn oversized_record_is_dead_lettered_without_running_the_stage() {
        let p = processor(0, fast());
        let big = vec![b'x'; 17];
        let Outcome::DeadLetter(d) = p
            .handle(rec(&big), &CancellationToken::new())
            .await
            .unwrap()
        else {
            panic!("expected a dead letter")
        };
        assert_eq!(d.headers.get_str(dlq::ERROR_CODE), Some("too_large"));
    }

    #[tokio::test]
    async fn breaker_trips_after_consecutive_bad_records() {
        let p = processor(0, fast());
        let c = CancellationToken::new();
        assert!(p.handle(rec(b"bad"), &c).await.is_ok());
        assert!(p.handle(rec(b"bad"), &c).await.is_ok());
        let err = p.handle(rec(b"bad"), &c).await.unwrap_err();
        assert!(matches!(err, RuntimeError::BreakerTripped { .. }), "{err}");
    }

    #[tokio::test]
    async fn fatal_stops_and_cancel_abandons_retries() {
        let p = processor(0, fast());
        let c = CancellationToken::new();
        assert!(matches!(
            p.handle(rec(b"fatal"), &c).await,
            Err(RuntimeError::Fatal { .. })
        ));
        let p = processor(u32::MAX, fast());
        let c2 = c.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(20)).await;
            c2.cancel();
        });
        assert!(matches!(
            p.handle(rec(b"ok"), &c).await,
            Ok(Outcome::Abandoned)
        ));
    }

    #[tokio::test]
    async fn exhausted_retries_dead_letter_when_limited() {
        let p = processor(
            u32::MAX,
            RetryPolicy {
                max_attempts: 3,
                ..fast()
            },
        );
        let Outcome::DeadLetter(d) = p
            .handle(rec(b"ok"), &CancellationToken::new())
            .await
            .unwrap()
        else {
            panic!("expected a dead letter")
        };
        assert_eq!(
            d.headers.get_str(dlq::ERROR_CODE),
            Some("retries_exhausted")
        );
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let r = RetryPolicy {
            initial: Duration::from_millis(100),
            max: Duration::from_secs(1),
            max_attempts: 0,
        };
        assert!(r.delay(1) <= Duration::from_millis(100));
        assert!(r.delay(1) >= Duration::from_millis(50));
        assert!(r.delay(30) <= Duration::from_secs(1));
        assert!(r.delay(30) >= Duration::from_millis(500));
    }
}
