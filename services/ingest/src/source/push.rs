//! `POST /v1/articles`: producers push one JSON article (`Content-Type: application/json`) or
//! NDJSON (any other type; one article per line, blank lines skipped), in the JSONL input's
//! shape. Answers, in the order checked:
//! - 401 without `Authorization: Bearer <token>`;
//! - 413 when the body passes `max_body_bytes` (read no further than that) or holds more
//!   records than the queue can ever take;
//! - 400 naming the first bad line (1-based) and why; nothing of that request is produced;
//! - 429 with `Retry-After` when the bounded queue (`max_queue` records awaiting
//!   acknowledgement) has no room for the request: backpressure, memory stays bounded;
//! - 202 `{"accepted": n}` only once every record is acknowledged by the publisher (the broker),
//!   so an accepted article is never lost; 503 with `Retry-After` if publishing failed (some
//!   records may be out: a retry is safe, ids are deterministic).
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;

use super::metrics::SourceMetrics;
use super::{Sink, Source, SourceError};
use crate::read::{self, ReadItem, ReadOptions};

/// The path producers post to.
pub const PUSH_PATH: &str = "/v1/articles";
/// Default largest request body: 16 MiB.
pub const DEFAULT_MAX_BODY_BYTES: usize = 16 * 1024 * 1024;
/// Default bounded queue: records accepted and awaiting acknowledgement.
pub const DEFAULT_MAX_QUEUE: usize = 1024;

#[derive(Debug, Clone)]
pub struct PushSettings {
    pub addr: SocketAddr,
    /// The bearer token producers must send.
    pub token: String,
    pub max_body_bytes: usize,
    pub max_queue: usize,
    /// Sent with 429 and 503.
    pub retry_after: Duration,
    /// Per-record limits and the default `source` (`push` when unset).
    pub read: ReadOptions,
}

struct PushState {
    settings: PushSettings,
    queue: Arc<Semaphore>,
    sink: Sink,
    metrics: SourceMetrics,
}

impl PushState {
    fn update_gauge(&self) {
        let used = self.settings.max_queue - self.queue.available_permits();
        self.metrics.push_queue.set(used as i64);
    }
}

/// The push endpoint's router (for tests and for serving).
pub fn router(settings: PushSettings, sink: Sink, metrics: SourceMetrics) -> Router {
    let state = Arc::new(PushState {
        queue: Arc::new(Semaphore::new(settings.max_queue)),
        settings,
        sink,
        metrics,
    });
    Router::new()
        .route(PUSH_PATH, post(push))
        .layer(DefaultBodyLimit::disable())
        .with_state(state)
}

fn json_error(status: StatusCode, message: &str) -> Response {
    let body = serde_json::json!({ "error": message }).to_string();
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

fn retry_later(status: StatusCode, message: &str, after: Duration) -> Response {
    let mut resp = json_error(status, message);
    if let Ok(v) = HeaderValue::from_str(&after.as_secs().max(1).to_string()) {
        resp.headers_mut().insert(header::RETRY_AFTER, v);
    }
    resp
}

async fn push(State(st): State<Arc<PushState>>, headers: HeaderMap, body: Body) -> Response {
    let resp = handle(&st, &headers, body).await;
    st.metrics
        .push_requests
        .with_label_values(&[resp.status().as_str()])
        .inc();
    resp
}

async fn handle(st: &PushState, headers: &HeaderMap, body: Body) -> Response {
    if !authorized(headers, &st.settings.token) {
        let mut resp = json_error(StatusCode::UNAUTHORIZED, "missing or wrong bearer token");
        resp.headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        return resp;
    }
    let limit = st.settings.max_body_bytes;
    let bytes = match axum::body::to_bytes(body, limit).await {
        Ok(b) => b,
        Err(e) if is_over_limit(&e) => {
            let msg = format!("body larger than the limit of {limit} bytes");
            return json_error(StatusCode::PAYLOAD_TOO_LARGE, &msg);
        }
        Err(_) => return json_error(StatusCode::BAD_REQUEST, "the body could not be read"),
    };
    let records = match parse_body(&bytes, is_single_json(headers), &st.settings.read) {
        Ok(r) => r,
        Err(msg) => return json_error(StatusCode::BAD_REQUEST, &msg),
    };
    let n = records.len();
    if n > st.settings.max_queue {
        let msg = format!("{n} records exceed the queue of {}", st.settings.max_queue);
        return json_error(StatusCode::PAYLOAD_TOO_LARGE, &msg);
    }
    let Ok(permits) = Arc::clone(&st.queue).try_acquire_many_owned(n as u32) else {
        return retry_later(
            StatusCode::TOO_MANY_REQUESTS,
            "queue full",
            st.settings.retry_after,
        );
    };
    st.update_gauge();
    let published = futures::future::join_all(records.into_iter().map(|r| st.sink.emit(r))).await;
    drop(permits);
    st.update_gauge();
    if let Some(Err(e)) = published.into_iter().find(Result::is_err) {
        tracing::error!(error = %e, "pushed records not acknowledged");
        let msg = "records not acknowledged; retry";
        return retry_later(
            StatusCode::SERVICE_UNAVAILABLE,
            msg,
            st.settings.retry_after,
        );
    }
    let body = serde_json::json!({ "accepted": n }).to_string();
    (
        StatusCode::ACCEPTED,
        [(header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response()
}

/// Whether reading the body stopped at the size limit (rather than on a broken connection).
fn is_over_limit(e: &axum::Error) -> bool {
    std::error::Error::source(e).is_some_and(|s| s.is::<http_body_util::LengthLimitError>())
}

/// Compares the bearer token in constant time (for equal lengths).
fn authorized(headers: &HeaderMap, token: &str) -> bool {
    let Some(given) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    else {
        return false;
    };
    let (a, b) = (given.trim().as_bytes(), token.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn is_single_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"))
}

/// The body's articles, or the first bad line and why.
fn parse_body(bytes: &[u8], single: bool, opts: &ReadOptions) -> Result<Vec<ReadItem>, String> {
    let opts = ReadOptions {
        source: opts.source.clone().or_else(|| Some("push".into())),
        ..opts.clone()
    };
    let lines: Vec<(usize, &[u8])> = if single {
        vec![(1, bytes)]
    } else {
        bytes
            .split(|&b| b == b'\n')
            .enumerate()
            .map(|(i, l)| (i + 1, l.strip_suffix(b"\r").unwrap_or(l)))
            .filter(|(_, l)| !l.iter().all(u8::is_ascii_whitespace))
            .collect()
    };
    if lines.is_empty() {
        return Err("no article in the body".into());
    }
    lines
        .into_iter()
        .map(|(n, line)| {
            read::read_record(line, &format!("push:{n}"), &opts)
                .map(|(article, warnings)| ReadItem::Article { article, warnings })
                .map_err(|e| format!("line {n}: {e}"))
        })
        .collect()
}

/// The HTTP push endpoint as a source.
pub struct PushSource {
    settings: PushSettings,
    metrics: SourceMetrics,
}

impl PushSource {
    pub fn new(settings: PushSettings, metrics: SourceMetrics) -> Self {
        PushSource { settings, metrics }
    }
}

#[async_trait::async_trait]
impl Source for PushSource {
    fn name(&self) -> &'static str {
        "push"
    }

    async fn run(
        self: Box<Self>,
        sink: Sink,
        cancel: CancellationToken,
    ) -> Result<(), SourceError> {
        let addr = self.settings.addr;
        let start = |reason: String| SourceError::Start {
            source_name: "push",
            reason,
        };
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| start(format!("cannot listen on {addr}: {e}")))?;
        tracing::info!(%addr, path = PUSH_PATH, "push endpoint listening");
        let app = router(self.settings, sink, self.metrics);
        axum::serve(listener, app)
            .with_graceful_shutdown(async move { cancel.cancelled().await })
            .await
            .map_err(|e| start(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_tokens_must_match_exactly() {
        let mut h = HeaderMap::new();
        assert!(!authorized(&h, "s3cret"));
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Bearer s3cret"),
        );
        assert!(authorized(&h, "s3cret"));
        assert!(!authorized(&h, "s3cret2"));
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Basic s3cret"),
        );
        assert!(!authorized(&h, "s3cret"));
    }

    #[test]
    fn a_bad_line_is_named() {
        let body = b"{\"id\":\"a\",\"text\":\"x\"}\n\n{\"id\":\"b\"}\n";
        let e = parse_body(body, false, &ReadOptions::default()).unwrap_err();
        assert!(e.starts_with("line 3: ") && e.contains("no body"), "{e}");
        let ok = parse_body(b"{\n\"text\": \"x\"\n}", true, &ReadOptions::default()).unwrap();
        assert_eq!(ok.len(), 1);
    }
}
