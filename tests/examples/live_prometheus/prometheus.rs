//! Prometheus's HTTP query API.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use eventwire_tests::{http_get, Service};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde_json::{Map, Value};

/// What an instant query returned.
#[derive(Debug)]
pub(crate) enum Answer {
    /// The number of series (1 for a scalar), and the label sets of vector results.
    Series(usize, Vec<Map<String, Value>>),
    /// Prometheus refused the query.
    Invalid(String),
}

/// A running Prometheus; killed, then its configuration and data removed, on drop (fields drop
/// in order).
pub(crate) struct Prometheus {
    pub(crate) process: Service,
    pub(crate) _dir: tempfile::TempDir,
    pub(crate) addr: SocketAddr,
    pub(crate) started: Instant,
}

impl Prometheus {
    pub(crate) fn get(&self, path_and_query: &str) -> Result<Value> {
        let (code, body) = http_get(self.addr, path_and_query, Duration::from_secs(30))?;
        let v: Value = serde_json::from_str(&body).with_context(|| {
            format!("Prometheus answered {path_and_query} with HTTP {code} and no JSON: {body}")
        })?;
        Ok(v)
    }

    pub(crate) fn query(&self, expr: &str) -> Result<Answer> {
        let v = self.get(&format!("/api/v1/query?query={}", percent_encode(expr)))?;
        if v.get("status").and_then(Value::as_str) != Some("success") {
            let why = v
                .get("error")
                .and_then(Value::as_str)
                .unwrap_or("unknown error");
            return Ok(Answer::Invalid(why.to_string()));
        }
        let data = v.get("data").cloned().unwrap_or(Value::Null);
        let kind = data.get("resultType").and_then(Value::as_str).unwrap_or("");
        let result = data.get("result").cloned().unwrap_or(Value::Null);
        Ok(match kind {
            "scalar" | "string" => Answer::Series(1, Vec::new()),
            "vector" | "matrix" => {
                let list = result.as_array().cloned().unwrap_or_default();
                let labels = list
                    .iter()
                    .map(|s| {
                        s.get("metric")
                            .and_then(Value::as_object)
                            .cloned()
                            .unwrap_or_default()
                    })
                    .collect();
                Answer::Series(list.len(), labels)
            }
            other => Answer::Invalid(format!("unexpected result type {other:?}")),
        })
    }
}

/// What a query parameter's value is encoded with: everything but RFC 3986's unreserved
/// characters (letters, digits, `-`, `_`, `.`, `~`).
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// `s` percent-encoded for a URL query parameter.
pub(crate) fn percent_encode(s: &str) -> String {
    utf8_percent_encode(s, QUERY_VALUE).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(
            percent_encode("a b{c=\"d\"}[5m]"),
            "a%20b%7Bc%3D%22d%22%7D%5B5m%5D"
        );
        assert_eq!(percent_encode("AZaz09-_.~"), "AZaz09-_.~");
        assert_eq!(
            percent_encode("rate(x[$__rate_interval]) / 1e3 + é"),
            "rate%28x%5B%24__rate_interval%5D%29%20%2F%201e3%20%2B%20%C3%A9"
        );
    }
}
