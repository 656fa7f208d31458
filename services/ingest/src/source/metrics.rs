//! Metrics of the long-running sources (feeds, page fetch, HTTP push, directory watch), defined
//! in one place and listed in `docs/metrics.md`. Labels are bounded: `feed` is a source name
//! from the feeds file (so bounded by configuration), the others are fixed sets; never a URL.
use prometheus::{GaugeVec, IntCounter, IntCounterVec, IntGauge, Opts, Registry};

/// Outcomes of one feed poll (`eventwire_feed_polls_total{outcome}`).
pub const POLL_OUTCOMES: [&str; 5] = [
    "ok",
    "not_modified",
    "http_error",
    "parse_error",
    "transport_error",
];
/// Status of a feed item (`eventwire_feed_items_total{status}`): produced now, or seen before.
pub const ITEM_STATUSES: [&str; 2] = ["new", "seen"];
/// Outcome classes of a page fetch (`eventwire_page_fetches_total{status_class}`).
pub const FETCH_CLASSES: [&str; 7] = [
    "2xx",
    "3xx",
    "4xx",
    "5xx",
    "timeout",
    "too_large",
    "transport_error",
];
/// Answers of the push endpoint (`eventwire_push_requests_total{code}`), exposed at 0 from start.
pub const PUSH_CODES: [&str; 6] = ["202", "400", "401", "413", "429", "503"];
/// Outcomes of a watched file (`eventwire_watch_files_total{outcome}`).
pub const WATCH_OUTCOMES: [&str; 2] = ["done", "failed"];

/// The sources' own metrics, on the service's registry.
#[derive(Clone)]
pub struct SourceMetrics {
    pub feed_polls: IntCounterVec,
    pub feed_items: IntCounterVec,
    pub feed_last_success: GaugeVec,
    pub feed_interval: GaugeVec,
    pub page_fetches: IntCounterVec,
    pub page_bytes: IntCounter,
    pub robots_refusals: IntCounter,
    pub push_requests: IntCounterVec,
    pub push_queue: IntGauge,
    pub watch_files: IntCounterVec,
}

fn counter_vec(
    reg: &Registry,
    name: &str,
    help: &str,
    labels: &[&str],
) -> Result<IntCounterVec, prometheus::Error> {
    let c = IntCounterVec::new(Opts::new(name, help), labels)?;
    reg.register(Box::new(c.clone()))?;
    Ok(c)
}

fn counter(reg: &Registry, name: &str, help: &str) -> Result<IntCounter, prometheus::Error> {
    let c = IntCounter::new(name, help)?;
    reg.register(Box::new(c.clone()))?;
    Ok(c)
}

impl SourceMetrics {
    /// Registers the metrics on a service's registry; every fixed label value starts at 0.
    pub fn register(reg: &Registry) -> Result<Self, prometheus::Error> {
        let feed_last_success = GaugeVec::new(
            Opts::new(
                "eventwire_feed_last_success_timestamp_seconds",
                "Unix time of the last successful poll (200 or 304) of each feed.",
            ),
            &["feed"],
        )?;
        reg.register(Box::new(feed_last_success.clone()))?;
        let feed_interval = GaugeVec::new(
            Opts::new(
                "eventwire_feed_interval_seconds",
                "Configured poll interval of each feed (for alerts in units of intervals).",
            ),
            &["feed"],
        )?;
        reg.register(Box::new(feed_interval.clone()))?;
        let push_queue = IntGauge::new(
            "eventwire_push_queue_records",
            "Pushed records accepted into the bounded queue and awaiting acknowledgement.",
        )?;
        reg.register(Box::new(push_queue.clone()))?;
        let m = SourceMetrics {
            feed_polls: counter_vec(
                reg,
                "eventwire_feed_polls_total",
                "Feed polls, by feed and outcome (ok, not_modified, http_error, parse_error, transport_error).",
                &["feed", "outcome"],
            )?,
            feed_items: counter_vec(
                reg,
                "eventwire_feed_items_total",
                "Feed items, by feed and status (new: produced; seen: produced before, skipped).",
                &["feed", "status"],
            )?,
            feed_last_success,
            feed_interval,
            page_fetches: counter_vec(
                reg,
                "eventwire_page_fetches_total",
                "Article page fetches, by status class (2xx..5xx, timeout, too_large, transport_error).",
                &["status_class"],
            )?,
            page_bytes: counter(
                reg,
                "eventwire_page_fetched_bytes_total",
                "Bytes of article pages and feeds read from the network.",
            )?,
            robots_refusals: counter(
                reg,
                "eventwire_robots_refusals_total",
                "Pages not fetched because the site's robots.txt disallows them.",
            )?,
            push_requests: counter_vec(
                reg,
                "eventwire_push_requests_total",
                "Requests to POST /v1/articles, by HTTP status code.",
                &["code"],
            )?,
            push_queue,
            watch_files: counter_vec(
                reg,
                "eventwire_watch_files_total",
                "Files taken from the watched directory, by outcome (done, failed).",
                &["outcome"],
            )?,
        };
        m.set_initial_values();
        Ok(m)
    }

    fn set_initial_values(&self) {
        for class in FETCH_CLASSES {
            self.page_fetches.with_label_values(&[class]);
        }
        for outcome in WATCH_OUTCOMES {
            self.watch_files.with_label_values(&[outcome]);
        }
        for code in PUSH_CODES {
            self.push_requests.with_label_values(&[code]);
        }
    }

    /// Exposes a configured feed: its interval, every outcome and status at 0, and its last
    /// success at the current time (so a feed failing from the start alerts after as many
    /// intervals as one that stopped succeeding).
    pub fn add_feed(&self, feed: &str, interval: std::time::Duration) {
        self.feed_interval
            .with_label_values(&[feed])
            .set(interval.as_secs_f64());
        let now = chrono::Utc::now().timestamp_millis() as f64 / 1000.0;
        self.feed_last_success.with_label_values(&[feed]).set(now);
        for outcome in POLL_OUTCOMES {
            self.feed_polls.with_label_values(&[feed, outcome]);
        }
        for status in ITEM_STATUSES {
            self.feed_items.with_label_values(&[feed, status]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// docs/metrics.md lists exactly the sources' metrics in its ingest table.
    #[test]
    fn metrics_doc_lists_the_ingest_source_metrics() {
        let doc = include_str!("../../../../docs/metrics.md");
        let documented: BTreeSet<String> = doc
            .lines()
            .filter_map(|l| l.strip_prefix("| ingest | `"))
            .filter_map(|l| l.split('`').next())
            .map(String::from)
            .collect();
        let reg = Registry::new();
        let m = SourceMetrics::register(&reg).unwrap();
        m.add_feed("f", std::time::Duration::from_secs(60));
        let emitted: BTreeSet<String> = reg.gather().iter().map(|f| f.name().to_string()).collect();
        assert_eq!(emitted, documented);
    }
}
