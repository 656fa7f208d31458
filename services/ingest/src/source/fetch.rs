//! HTTP for the sources: one `reqwest` client (rustls, no OpenSSL) with timeouts, a redirect
//! limit and a descriptive User-Agent; bodies streamed and cut at a size cap; per-host
//! concurrency and request spacing; robots.txt obeyed (parsed by `texting_robots`, cached per
//! host for [`ROBOTS_TTL`]). Feeds and article pages both go through [`Fetcher`].
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::header::{HeaderMap, CONTENT_LENGTH, CONTENT_TYPE, RETRY_AFTER};
use reqwest::{StatusCode, Url};
use texting_robots::Robot;
use tokio::sync::Semaphore;

use super::metrics::SourceMetrics;

/// How long a host's robots.txt is trusted before it is fetched again.
pub const ROBOTS_TTL: Duration = Duration::from_secs(3600);
/// Largest robots.txt read (Google reads 500 KiB).
const ROBOTS_MAX_BYTES: usize = 512 * 1024;

/// How pages and feeds are fetched.
#[derive(Debug, Clone)]
pub struct FetchSettings {
    /// Whole request, headers and body.
    pub timeout: Duration,
    pub connect_timeout: Duration,
    pub max_redirects: usize,
    /// Largest body read; a longer one is cut off there and refused as too large.
    pub max_bytes: usize,
    /// Requests to one host at once.
    pub per_host_concurrency: usize,
    /// Least time between the starts of two requests to one host.
    pub per_host_interval: Duration,
    pub user_agent: String,
    /// Obey robots.txt (always, outside tests against servers that have none).
    pub obey_robots: bool,
}

/// The product token robots.txt rules are matched against.
pub const ROBOTS_AGENT: &str = "eventwire";

impl Default for FetchSettings {
    fn default() -> Self {
        FetchSettings {
            timeout: Duration::from_secs(20),
            connect_timeout: Duration::from_secs(5),
            max_redirects: 5,
            max_bytes: crate::read::DEFAULT_MAX_BYTES,
            per_host_concurrency: 2,
            per_host_interval: Duration::from_millis(500),
            user_agent: format!(
                "eventwire/{} (news event extraction; set --user-agent to add a contact)",
                env!("CARGO_PKG_VERSION")
            ),
            obey_robots: true,
        }
    }
}

/// Why a fetch gave no usable body.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("invalid URL {url}: {reason}")]
    InvalidUrl { url: String, reason: String },
    #[error("HTTP status {status}")]
    Status {
        status: u16,
        retry_after: Option<Duration>,
    },
    #[error("timed out")]
    Timeout,
    #[error("too many redirects")]
    Redirects,
    #[error("body larger than the limit of {limit} bytes")]
    TooLarge { limit: usize },
    #[error("disallowed by robots.txt")]
    RobotsDisallowed,
    #[error("content type {0} is not a web page")]
    NotAPage(String),
    #[error("transport error: {0}")]
    Transport(String),
}

impl FetchError {
    /// Low-cardinality code for dead letters and metrics.
    pub fn code(&self) -> &'static str {
        match self {
            FetchError::InvalidUrl { .. } => "invalid_url",
            FetchError::Status { status, .. } if *status >= 500 => "http_5xx",
            FetchError::Status { .. } => "http_4xx",
            FetchError::Timeout => "timeout",
            FetchError::Redirects => "too_many_redirects",
            FetchError::TooLarge { .. } => "too_large",
            FetchError::RobotsDisallowed => "robots_disallowed",
            FetchError::NotAPage(_) => "not_a_page",
            FetchError::Transport(_) => "transport_error",
        }
    }

    /// Whether trying again later may succeed (server trouble, rate limiting, the network).
    pub fn is_transient(&self) -> bool {
        match self {
            FetchError::Status { status, .. } => *status >= 500 || *status == 429,
            FetchError::Timeout | FetchError::Transport(_) => true,
            _ => false,
        }
    }

    /// The server's `Retry-After`, when it sent one with a 429 or 503.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            FetchError::Status { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// The `status_class` label this failure is counted under.
    fn status_class(&self) -> &'static str {
        match self {
            FetchError::Status { status, .. } => status_class(*status),
            FetchError::Timeout => "timeout",
            FetchError::TooLarge { .. } => "too_large",
            FetchError::Redirects => "3xx",
            _ => "transport_error",
        }
    }

    fn from_reqwest(e: reqwest::Error) -> Self {
        if e.is_timeout() {
            FetchError::Timeout
        } else if e.is_redirect() {
            FetchError::Redirects
        } else {
            FetchError::Transport(e.to_string())
        }
    }
}

fn status_class(status: u16) -> &'static str {
    match status {
        200..=299 => "2xx",
        300..=399 => "3xx",
        400..=499 => "4xx",
        _ => "5xx",
    }
}

/// A body read in full (within the cap), with what the response said about it.
#[derive(Debug)]
pub struct Fetched {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    /// The URL after redirects.
    pub url: Url,
}

/// Media types an article page may have (an absent `Content-Type` is accepted too).
const PAGE_TYPES: [&str; 3] = ["text/html", "application/xhtml+xml", "text/plain"];

impl Fetched {
    /// Refuses a body whose declared media type is not a web page (a PDF, an image).
    pub fn check_page_type(&self) -> Result<(), FetchError> {
        let Some(ct) = self.headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
            return Ok(());
        };
        let media = ct
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if media.is_empty() || PAGE_TYPES.contains(&media.as_str()) {
            Ok(())
        } else {
            Err(FetchError::NotAPage(media))
        }
    }

    /// The `charset` parameter of the `Content-Type` header, if any.
    pub fn charset(&self) -> Option<&str> {
        let ct = self.headers.get(CONTENT_TYPE)?.to_str().ok()?;
        ct.split(';').skip(1).find_map(|p| {
            let (k, v) = p.split_once('=')?;
            k.trim()
                .eq_ignore_ascii_case("charset")
                .then(|| v.trim().trim_matches('"'))
        })
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    }
}

/// Per-host gate: a concurrency limit and a spacing between request starts.
struct HostGate {
    permits: Semaphore,
    next_start: tokio::sync::Mutex<Instant>,
}

/// What a host's robots.txt says, as far as it could be had.
#[derive(Clone)]
enum Rules {
    /// No robots.txt (a 4xx), or one that does not parse.
    AllowAll,
    /// A 5xx or an unreachable host: RFC 9309 says assume complete disallow.
    DisallowAll,
    Parsed(Arc<Robot>),
}

impl Rules {
    fn allows(&self, url: &Url) -> bool {
        match self {
            Rules::AllowAll => true,
            Rules::DisallowAll => false,
            Rules::Parsed(r) => r.allowed(url.as_str()),
        }
    }
}

/// A host's rules and when they were fetched.
struct RobotsEntry {
    fetched: Instant,
    rules: Rules,
}

type RobotsSlot = tokio::sync::Mutex<Option<RobotsEntry>>;

pub struct Fetcher {
    client: reqwest::Client,
    settings: FetchSettings,
    hosts: Mutex<HashMap<String, Arc<HostGate>>>,
    /// One slot per host, each locked on its own: a slow robots.txt delays only its host.
    robots: Mutex<HashMap<String, Arc<RobotsSlot>>>,
    metrics: SourceMetrics,
}

/// The per-host key: scheme, host and port, as robots.txt scopes its rules.
fn origin_of(url: &Url) -> String {
    format!(
        "{}://{}:{}",
        url.scheme(),
        url.host_str().unwrap_or(""),
        url.port_or_known_default().unwrap_or(0)
    )
}

/// Parses an absolute http(s) URL.
pub fn parse_http_url(url: &str) -> Result<Url, FetchError> {
    let invalid = |reason: String| FetchError::InvalidUrl {
        url: url.to_owned(),
        reason,
    };
    let parsed = Url::parse(url).map_err(|e| invalid(e.to_string()))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(invalid("not an http(s) URL with a host".into()));
    }
    Ok(parsed)
}

/// A `Retry-After` header: delta-seconds, or an HTTP date (taken as the time until then).
fn retry_after_of(headers: &HeaderMap) -> Option<Duration> {
    let v = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = chrono::DateTime::parse_from_rfc2822(v).ok()?;
    let ms = at.timestamp_millis() - chrono::Utc::now().timestamp_millis();
    Some(Duration::from_millis(u64::try_from(ms).unwrap_or(0)))
}

impl Fetcher {
    pub fn new(settings: FetchSettings, metrics: SourceMetrics) -> Result<Self, FetchError> {
        let client = reqwest::Client::builder()
            .user_agent(settings.user_agent.clone())
            .timeout(settings.timeout)
            .connect_timeout(settings.connect_timeout)
            .redirect(reqwest::redirect::Policy::limited(settings.max_redirects))
            .build()
            .map_err(|e| FetchError::Transport(e.to_string()))?;
        Ok(Fetcher {
            client,
            settings,
            hosts: Mutex::new(HashMap::new()),
            robots: Mutex::new(HashMap::new()),
            metrics,
        })
    }

    pub fn settings(&self) -> &FetchSettings {
        &self.settings
    }

    fn gate(&self, origin: &str) -> Arc<HostGate> {
        let mut hosts = self.hosts.lock().unwrap_or_else(|p| p.into_inner());
        let permits = self.settings.per_host_concurrency.max(1);
        Arc::clone(hosts.entry(origin.to_owned()).or_insert_with(|| {
            Arc::new(HostGate {
                permits: Semaphore::new(permits),
                next_start: tokio::sync::Mutex::new(Instant::now()),
            })
        }))
    }

    /// GETs `url` with `headers`, within the host's limits, and reads the body up to the cap.
    /// Non-2xx answers other than 304 are [`FetchError::Status`]; every outcome is counted.
    pub async fn get(&self, url: &Url, headers: HeaderMap) -> Result<Fetched, FetchError> {
        let result = self.get_unchecked(url, headers).await;
        let class = match &result {
            Ok(f) => status_class(f.status.as_u16()),
            Err(e) => e.status_class(),
        };
        self.metrics.page_fetches.with_label_values(&[class]).inc();
        let fetched = result?;
        if fetched.status.is_success() || fetched.status == StatusCode::NOT_MODIFIED {
            Ok(fetched)
        } else {
            Err(FetchError::Status {
                status: fetched.status.as_u16(),
                retry_after: retry_after_of(&fetched.headers),
            })
        }
    }

    async fn get_unchecked(&self, url: &Url, headers: HeaderMap) -> Result<Fetched, FetchError> {
        let gate = self.gate(&origin_of(url));
        let _permit = gate
            .permits
            .acquire()
            .await
            .map_err(|e| FetchError::Transport(e.to_string()))?;
        self.wait_turn(&gate).await;
        let resp = self
            .client
            .get(url.clone())
            .headers(headers)
            .send()
            .await
            .map_err(FetchError::from_reqwest)?;
        let status = resp.status();
        let headers = resp.headers().clone();
        let final_url = resp.url().clone();
        let body = if status.is_success() {
            self.read_capped(resp).await?
        } else {
            Vec::new()
        };
        Ok(Fetched {
            status,
            headers,
            body,
            url: final_url,
        })
    }

    /// Waits until this host may be sent the next request, and books the slot after it.
    async fn wait_turn(&self, gate: &HostGate) {
        let mut next = gate.next_start.lock().await;
        let now = Instant::now();
        if *next > now {
            tokio::time::sleep(*next - now).await;
        }
        *next = Instant::now() + self.settings.per_host_interval;
    }

    /// Reads the body chunk by chunk, stopping (and dropping the connection) past the cap, so
    /// at most `max_bytes` plus one chunk is ever held.
    async fn read_capped(&self, mut resp: reqwest::Response) -> Result<Vec<u8>, FetchError> {
        let limit = self.settings.max_bytes;
        let declared = resp
            .headers()
            .get(CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
        if declared.is_some_and(|n| n > limit as u64) {
            return Err(FetchError::TooLarge { limit });
        }
        let mut body = Vec::new();
        while let Some(chunk) = resp.chunk().await.map_err(FetchError::from_reqwest)? {
            self.metrics.page_bytes.inc_by(chunk.len() as u64);
            if body.len() + chunk.len() > limit {
                return Err(FetchError::TooLarge { limit });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }

    /// Whether robots.txt lets [`ROBOTS_AGENT`] fetch `url`; counts a refusal.
    pub async fn allowed(&self, url: &Url) -> bool {
        if !self.settings.obey_robots {
            return true;
        }
        let ok = self.robots_for(url).await.allows(url);
        if !ok {
            self.metrics.robots_refusals.inc();
        }
        ok
    }

    /// The host's rules, from the cache or fetched. Per RFC 9309: a 4xx (no robots.txt)
    /// allows everything; a 5xx or an unreachable host disallows everything for now.
    async fn robots_for(&self, url: &Url) -> Rules {
        let slot = {
            let mut slots = self.robots.lock().unwrap_or_else(|p| p.into_inner());
            Arc::clone(slots.entry(origin_of(url)).or_default())
        };
        // Held while fetching, so the pages of one host wait for one robots.txt fetch.
        let mut entry = slot.lock().await;
        if let Some(e) = entry.as_ref().filter(|e| e.fetched.elapsed() < ROBOTS_TTL) {
            return e.rules.clone();
        }
        let rules = self.fetch_robots(url).await;
        *entry = Some(RobotsEntry {
            fetched: Instant::now(),
            rules: rules.clone(),
        });
        rules
    }

    async fn fetch_robots(&self, url: &Url) -> Rules {
        let mut robots_url = url.clone();
        robots_url.set_path("/robots.txt");
        robots_url.set_query(None);
        robots_url.set_fragment(None);
        let resp = self.client.get(robots_url).send().await;
        let (status, body) = match resp {
            Ok(r) => (r.status(), read_truncated(r, ROBOTS_MAX_BYTES).await),
            Err(_) => return Rules::DisallowAll,
        };
        if status.is_client_error() {
            return Rules::AllowAll;
        }
        if !status.is_success() {
            return Rules::DisallowAll;
        }
        let body = &body[..body.len().min(ROBOTS_MAX_BYTES)];
        // Unparseable rules are treated like no rules, as crawlers do.
        Robot::new(ROBOTS_AGENT, body).map_or(Rules::AllowAll, |r| Rules::Parsed(Arc::new(r)))
    }
}

/// The first `max` bytes of a body (what arrived, if the connection breaks).
async fn read_truncated(mut resp: reqwest::Response, max: usize) -> Vec<u8> {
    let mut body = Vec::new();
    while body.len() < max {
        match resp.chunk().await {
            Ok(Some(chunk)) => body.extend_from_slice(&chunk),
            _ => break,
        }
    }
    body.truncate(max);
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_say_whether_to_retry() {
        let s = |status| FetchError::Status {
            status,
            retry_after: None,
        };
        assert!(s(503).is_transient() && s(429).is_transient());
        assert!(!s(404).is_transient());
        assert!(FetchError::Timeout.is_transient());
        assert!(!FetchError::RobotsDisallowed.is_transient());
        assert_eq!(s(500).code(), "http_5xx");
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let mut h = HeaderMap::new();
        h.insert(RETRY_AFTER, "120".parse().unwrap());
        assert_eq!(retry_after_of(&h), Some(Duration::from_secs(120)));
        let later = chrono::Utc::now() + chrono::Duration::seconds(600);
        let date = later.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
        h.insert(RETRY_AFTER, date.parse().unwrap());
        let got = retry_after_of(&h).unwrap();
        assert!(
            got > Duration::from_secs(590) && got <= Duration::from_secs(600),
            "{got:?}"
        );
        h.insert(RETRY_AFTER, "soon".parse().unwrap());
        assert_eq!(retry_after_of(&h), None);
    }

    #[test]
    fn only_absolute_http_urls_are_fetched() {
        assert!(parse_http_url("https://example.org/a").is_ok());
        assert!(parse_http_url("ftp://example.org/a").is_err());
        assert!(parse_http_url("/relative").is_err());
    }
}
