//! Logging set-up (human-readable by default, JSON on request) and a rate limiter that keeps a
//! flood of identical errors from drowning the logs.
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use tracing_subscriber::{fmt, EnvFilter};

/// Log output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

/// Installs the global subscriber, writing to stderr. The filter comes from `EVENTWIRE_LOG`
/// (then `RUST_LOG`), default `info`. Calling it twice is harmless.
pub fn init_tracing(format: LogFormat) {
    let filter = std::env::var("EVENTWIRE_LOG")
        .ok()
        .or_else(|| std::env::var("RUST_LOG").ok())
        .and_then(|s| EnvFilter::try_new(s).ok())
        .unwrap_or_else(|| EnvFilter::new("info"));
    // Colour codes only on a terminal: log files and collectors get plain text.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let builder = fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(ansi);
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
}

/// Allows at most `burst` events per `period`; counts what it suppressed and reports it with the
/// next allowed event.
pub struct RateLimiter {
    burst: u32,
    period: Duration,
    state: Mutex<(Instant, u32)>,
    suppressed: AtomicU64,
}

impl RateLimiter {
    pub fn new(burst: u32, period: Duration) -> Self {
        RateLimiter {
            burst,
            period,
            state: Mutex::new((Instant::now(), 0)),
            suppressed: AtomicU64::new(0),
        }
    }

    /// True when this event may be logged.
    pub fn allow(&self) -> bool {
        let mut st = match self.state.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        if st.0.elapsed() >= self.period {
            let dropped = self.suppressed.swap(0, Ordering::Relaxed);
            if dropped > 0 {
                tracing::warn!(suppressed = dropped, "similar log lines suppressed");
            }
            *st = (Instant::now(), 0);
        }
        if st.1 < self.burst {
            st.1 += 1;
            true
        } else {
            self.suppressed.fetch_add(1, Ordering::Relaxed);
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_bursts() {
        let r = RateLimiter::new(2, Duration::from_secs(60));
        assert!(r.allow());
        assert!(r.allow());
        assert!(!r.allow());
        assert_eq!(r.suppressed.load(Ordering::Relaxed), 1);
    }
}
