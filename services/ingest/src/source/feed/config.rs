//! The feeds file: a TOML list of `[[feed]]` tables, checked at start so a bad entry stops the
//! service with a message naming it rather than failing later.
//!
//! ```toml
//! [[feed]]
//! url = "https://example.org/rss.xml"
//! source = "example"        # the articles' `source` and the metrics' `feed` label
//! interval = "10m"           # seconds as a number, or a number with s, m or h; default 15m
//! headers = { "Accept-Language" = "en" }   # optional, sent with every poll
//! ```
use std::collections::BTreeMap;
use std::collections::HashSet;
use std::path::Path;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::Url;
use serde::Deserialize;

/// Poll interval when a feed gives none.
pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(15 * 60);
/// Shortest interval accepted: polling faster is impolite and rarely useful.
pub const MIN_INTERVAL: Duration = Duration::from_secs(1);
/// Interval units and their length in seconds.
const INTERVAL_UNITS: [(&str, u64); 3] = [("s", 1), ("m", 60), ("h", 3600)];

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: {source}")]
    Toml {
        path: String,
        source: Box<toml::de::Error>,
    },
    #[error("feed {index} ({url}): {reason}")]
    InvalidFeed {
        index: usize,
        url: String,
        reason: String,
    },
    #[error("the feeds file lists no [[feed]]")]
    NoFeeds,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FeedsFile {
    #[serde(default)]
    feed: Vec<RawFeed>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RawInterval {
    Seconds(u64),
    Text(String),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFeed {
    url: String,
    source: String,
    interval: Option<RawInterval>,
    #[serde(default)]
    headers: BTreeMap<String, String>,
}

/// One feed, validated.
#[derive(Debug, Clone)]
pub struct FeedConfig {
    pub url: Url,
    /// Unique among the feeds: the articles' `source` and the `feed` metric label.
    pub source: String,
    pub interval: Duration,
    pub headers: HeaderMap,
}

/// Reads and validates a feeds file.
pub fn load(path: &Path) -> Result<Vec<FeedConfig>, ConfigError> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
        path: shown.clone(),
        source,
    })?;
    parse(&text).map_err(|e| match e {
        ConfigError::Toml { source, .. } => ConfigError::Toml {
            path: shown,
            source,
        },
        other => other,
    })
}

/// Parses and validates the text of a feeds file.
pub fn parse(text: &str) -> Result<Vec<FeedConfig>, ConfigError> {
    let file: FeedsFile = toml::from_str(text).map_err(|e| ConfigError::Toml {
        path: String::new(),
        source: Box::new(e),
    })?;
    if file.feed.is_empty() {
        return Err(ConfigError::NoFeeds);
    }
    let mut sources = HashSet::new();
    let mut feeds = Vec::with_capacity(file.feed.len());
    for (i, raw) in file.feed.into_iter().enumerate() {
        let invalid = |reason: String| ConfigError::InvalidFeed {
            index: i + 1,
            url: raw.url.clone(),
            reason,
        };
        let feed = validate(&raw).map_err(invalid)?;
        if !sources.insert(feed.source.clone()) {
            return Err(invalid(format!("source {:?} is used twice", feed.source)));
        }
        feeds.push(feed);
    }
    Ok(feeds)
}

fn validate(raw: &RawFeed) -> Result<FeedConfig, String> {
    let url = super::super::fetch::parse_http_url(&raw.url).map_err(|e| e.to_string())?;
    let source = raw.source.trim();
    if source.is_empty() {
        return Err("source is empty".into());
    }
    let interval = match &raw.interval {
        None => DEFAULT_INTERVAL,
        Some(RawInterval::Seconds(s)) => Duration::from_secs(*s),
        Some(RawInterval::Text(t)) => parse_interval(t)?,
    };
    if interval < MIN_INTERVAL {
        return Err(format!("interval is below {}s", MIN_INTERVAL.as_secs()));
    }
    Ok(FeedConfig {
        url,
        source: source.to_owned(),
        interval,
        headers: header_map(&raw.headers)?,
    })
}

/// `"90"`, `"90s"`, `"10m"` or `"2h"`.
fn parse_interval(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let (number, unit) = INTERVAL_UNITS
        .iter()
        .find_map(|&(suffix, secs)| t.strip_suffix(suffix).map(|n| (n, secs)))
        .unwrap_or((t, 1));
    number
        .trim()
        .parse::<u64>()
        .map(|n| Duration::from_secs(n.saturating_mul(unit)))
        .map_err(|_| {
            format!("interval {text:?} is not a number of seconds or a number with s, m or h")
        })
}

fn header_map(headers: &BTreeMap<String, String>) -> Result<HeaderMap, String> {
    let mut map = HeaderMap::new();
    for (k, v) in headers {
        let name = HeaderName::from_bytes(k.as_bytes())
            .map_err(|_| format!("header name {k:?} is invalid"))?;
        let value =
            HeaderValue::from_str(v).map_err(|_| format!("header {k:?} has an invalid value"))?;
        map.insert(name, value);
    }
    Ok(map)
}

/// Which of several replicas polls which feed: replica `index` of `count` (`--shard I/N`)
/// polls the feeds whose URL hashes to it, so each feed has exactly one poller and the split
/// does not depend on the order of the file. Every replica must read the same feeds file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

impl Default for Shard {
    fn default() -> Self {
        Shard { index: 0, count: 1 }
    }
}

impl std::str::FromStr for Shard {
    type Err = String;

    /// `"I/N"` with 0 <= I < N.
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("shard {s:?} is not I/N with 0 <= I < N (e.g. 0/3)");
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let index = i.trim().parse::<u32>().map_err(|_| bad())?;
        let count = n.trim().parse::<u32>().map_err(|_| bad())?;
        if count == 0 || index >= count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl Shard {
    /// Whether this replica polls the feed at `url`.
    pub fn owns(&self, url: &Url) -> bool {
        let h = eventwire_schema::ids::stable_hash(&[b"feed-shard", url.as_str().as_bytes()], 8);
        let n = u64::from_str_radix(&h, 16).unwrap_or(0);
        n % u64::from(self.count) == u64::from(self.index)
    }

    /// The feeds this replica polls.
    pub fn select(&self, feeds: Vec<FeedConfig>) -> Vec<FeedConfig> {
        feeds.into_iter().filter(|f| self.owns(&f.url)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_feeds_with_intervals_and_headers() {
        let feeds = parse(
            r#"
[[feed]]
url = "http://127.0.0.1:1/rss"
source = "one"
interval = "10m"
headers = { "Accept-Language" = "en" }

[[feed]]
url = "https://example.org/atom"
source = "two"
interval = 30
"#,
        )
        .unwrap();
        assert_eq!(feeds.len(), 2);
        assert_eq!(feeds[0].interval, Duration::from_secs(600));
        assert_eq!(feeds[0].headers["accept-language"], "en");
        assert_eq!(feeds[1].interval, Duration::from_secs(30));
        assert_eq!(feeds[1].source, "two");
    }

    #[test]
    fn bad_entries_are_named() {
        let e = |t: &str| parse(t).unwrap_err().to_string();
        assert!(e("").contains("no [[feed]]"));
        assert!(e("[[feed]]\nurl = \"ftp://x/\"\nsource = \"a\"\n").contains("feed 1"));
        let twice = "[[feed]]\nurl = \"http://a/\"\nsource = \"a\"\n[[feed]]\nurl = \"http://b/\"\nsource = \"a\"\n";
        assert!(e(twice).contains("feed 2") && e(twice).contains("used twice"));
        assert!(
            e("[[feed]]\nurl = \"http://a/\"\nsource = \"a\"\ninterval = \"soon\"\n")
                .contains("interval")
        );
        assert!(
            e("[[feed]]\nurl = \"http://a/\"\nsource = \"a\"\ninterval = \"0s\"\n")
                .contains("below")
        );
        assert!(
            e("[[feed]]\nurl = \"http://a/\"\nsource = \"a\"\ncolour = 1\n").contains("colour")
        );
    }

    #[test]
    fn shards_split_the_feeds_so_each_has_exactly_one_poller() {
        let text: String = (0..300)
            .map(|i| {
                format!("[[feed]]\nurl = \"https://site{i}.example/rss\"\nsource = \"s{i}\"\n")
            })
            .collect();
        let feeds = parse(&text).unwrap();
        let shards: Vec<Shard> = (0..3).map(|i| format!("{i}/3").parse().unwrap()).collect();
        let mut counts = Vec::new();
        for f in &feeds {
            assert_eq!(
                shards.iter().filter(|s| s.owns(&f.url)).count(),
                1,
                "{}",
                f.url
            );
        }
        for s in &shards {
            counts.push(s.select(feeds.clone()).len());
        }
        assert_eq!(counts.iter().sum::<usize>(), 300);
        assert!(counts.iter().all(|&c| c > 60), "uneven split {counts:?}");
        assert_eq!(Shard::default().select(feeds).len(), 300);
        for bad in ["3/3", "1", "a/2", "0/0"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }
}
