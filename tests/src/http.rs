//! The services' HTTP endpoints (`/metrics`, `/healthz`, `/readyz`) over a plain TCP socket, so the
//! tests need no HTTP client; plus a small reader for the Prometheus text format.
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context, Result};

/// `GET path` on `addr`; returns the status code and the body. HTTP/1.0 is used so the server
/// answers with a plain body delimited by the connection's close (never chunked).
pub fn http_get(addr: SocketAddr, path: &str, timeout: Duration) -> Result<(u16, String)> {
    let mut stream = TcpStream::connect_timeout(&addr, timeout)
        .with_context(|| format!("cannot connect to {addr}"))?;
    stream.set_read_timeout(Some(timeout))?;
    stream.set_write_timeout(Some(timeout))?;
    stream
        .write_all(
            format!("GET {path} HTTP/1.0\r\nHost: {addr}\r\nConnection: close\r\n\r\n").as_bytes(),
        )
        .with_context(|| format!("cannot send a request to {addr}"))?;
    let mut raw = Vec::new();
    stream
        .read_to_end(&mut raw)
        .with_context(|| format!("cannot read the answer from {addr}{path}"))?;
    let text = String::from_utf8_lossy(&raw);
    let (head, body) = text
        .split_once("\r\n\r\n")
        .ok_or_else(|| anyhow!("malformed HTTP answer from {addr}{path}: {text:?}"))?;
    let status = head
        .lines()
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse::<u16>().ok())
        .ok_or_else(|| anyhow!("no status line in the answer from {addr}{path}: {head:?}"))?;
    Ok((status, body.to_string()))
}

/// Polls `/readyz` on `addr` until it answers 200, or fails after `timeout` with the last answer.
pub fn wait_ready(addr: SocketAddr, timeout: Duration) -> Result<()> {
    let deadline = Instant::now() + timeout;
    loop {
        let last = match http_get(addr, "/readyz", Duration::from_secs(2)) {
            Ok((200, _)) => return Ok(()),
            Ok((code, body)) => format!("HTTP {code}: {}", body.trim()),
            Err(e) => format!("{e:#}"),
        };
        if Instant::now() >= deadline {
            bail!("{addr}/readyz not ready after {timeout:?}; last answer: {last}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The sum of the samples of metric `name` whose labels include every `(label, value)` of
/// `labels`, in Prometheus text `exposition`; `None` when no sample matches.
pub fn metric_value(exposition: &str, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    let mut total = None;
    for line in exposition.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (series, value) = match line.rsplit_once(' ') {
            Some(x) => x,
            None => continue,
        };
        let (metric, label_text) = match series.split_once('{') {
            Some((m, rest)) => (m, rest.trim_end_matches('}')),
            None => (series, ""),
        };
        if metric != name {
            continue;
        }
        let parsed = parse_labels(label_text);
        let all = labels
            .iter()
            .all(|(k, v)| parsed.iter().any(|(pk, pv)| pk == k && pv == v));
        if !all {
            continue;
        }
        if let Ok(v) = value.parse::<f64>() {
            total = Some(total.unwrap_or(0.0) + v);
        }
    }
    total
}

/// `a="x",b="y"` to pairs (escapes `\"`, `\\` and `\n` understood).
fn parse_labels(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        let mut key = String::new();
        while let Some(&c) = chars.peek() {
            if c == '=' {
                break;
            }
            if c != ',' && !c.is_whitespace() {
                key.push(c);
            }
            chars.next();
        }
        if chars.next() != Some('=') || chars.next() != Some('"') {
            return out;
        }
        let mut value = String::new();
        while let Some(c) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some('n') => value.push('\n'),
                    Some(other) => value.push(other),
                    None => break,
                },
                '"' => break,
                c => value.push(c),
            }
        }
        out.push((key, value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metric_values_are_summed_over_matching_labels() {
        let text = "# HELP x y\n# TYPE eventwire_records_in_total counter\n\
            eventwire_records_in_total{topic=\"p.articles.raw\",service=\"cleaner\"} 3\n\
            eventwire_records_in_total{topic=\"p.other\",service=\"cleaner\"} 4\n\
            eventwire_in_flight_records{service=\"cleaner\"} 0\n";
        assert_eq!(
            metric_value(
                text,
                "eventwire_records_in_total",
                &[("topic", "p.articles.raw")]
            ),
            Some(3.0)
        );
        assert_eq!(
            metric_value(text, "eventwire_records_in_total", &[]),
            Some(7.0)
        );
        assert_eq!(
            metric_value(text, "eventwire_in_flight_records", &[]),
            Some(0.0)
        );
        assert_eq!(metric_value(text, "missing", &[]), None);
    }
}
