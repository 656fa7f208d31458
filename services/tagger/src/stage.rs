//! The tagger as a stage: CleanArticle JSON from `articles.clean` to DiplomaticEvent and
//! CasualtyReport JSON on `events.diplomatic` and `events.casualty`, keyed by event id. Articles
//! flagged empty produce nothing.
use eventwire_runtime::metrics::{counter_vec, histogram};
use eventwire_runtime::{InputRecord, OutputRecord, StageError, SyncStage};
use eventwire_schema::v1::{CleanArticle, DiplomaticKind, EventStatus};
use eventwire_schema::{json, topics};
use prometheus::{Histogram, IntCounterVec, Registry};

/// The tagger's content metrics (see docs/metrics.md). Labels are bounded: event kinds and
/// statuses are enumerations, countries are ISO 3166-1 alpha-3 codes from the gazetteer.
#[derive(Clone)]
pub struct TagMetrics {
    /// `eventwire_events_total{kind, status}`: events emitted.
    pub events: IntCounterVec,
    /// `eventwire_casualties_reported_total{kind}`: killed, injured and missing figures added up
    /// (the low figure, or the high one when only an upper bound is stated).
    pub casualties: IntCounterVec,
    /// `eventwire_event_countries_total{country}`: countries taking part in or hosting events.
    pub countries: IntCounterVec,
    /// `eventwire_events_per_article`: events found per tagged article.
    pub per_article: Histogram,
}

const KINDS: [&str; 6] = ["meet", "visit", "call", "negotiate", "agree", "casualty"];
const STATUSES: [&str; 6] = [
    "occurred",
    "planned",
    "cancelled",
    "denied",
    "hypothetical",
    "reported",
];

impl TagMetrics {
    /// Registers the metrics on `reg`, with every kind/status series present from the start
    /// so that rates and alerts see zeros rather than missing series.
    pub fn register(reg: &Registry) -> TagMetrics {
        let events = counter_vec(
            reg,
            "eventwire_events_total",
            "Events emitted, by kind (meet, visit, call, negotiate, agree, casualty) and status.",
            &["kind", "status"],
        );
        for k in KINDS {
            for s in STATUSES {
                let casualty = k == "casualty";
                if casualty == (s == "reported") {
                    events.with_label_values(&[k, s]);
                }
            }
        }
        let casualties = counter_vec(
            reg,
            "eventwire_casualties_reported_total",
            "People reported killed, injured or missing, added up over casualty reports.",
            &["kind"],
        );
        for k in ["killed", "injured", "missing"] {
            casualties.with_label_values(&[k]);
        }
        let countries = counter_vec(
            reg,
            "eventwire_event_countries_total",
            "Events by country taking part or hosting (ISO 3166-1 alpha-3).",
            &["country"],
        );
        let per_article = histogram(
            reg,
            "eventwire_events_per_article",
            "Events (diplomatic and casualty) found per tagged article.",
            vec![0.0, 1.0, 2.0, 3.0, 5.0, 8.0, 13.0, 21.0, 34.0],
        );
        TagMetrics {
            events,
            casualties,
            countries,
            per_article,
        }
    }
}

pub struct TagStage {
    metrics: Option<TagMetrics>,
}

impl TagStage {
    /// A stage, counting what it emits on `metrics` if given.
    pub fn new(metrics: Option<TagMetrics>) -> Self {
        TagStage { metrics }
    }
}

fn is_iso3(c: &str) -> bool {
    c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase())
}

impl SyncStage for TagStage {
    fn name(&self) -> &'static str {
        "tag"
    }

    fn output_topics(&self) -> Vec<String> {
        vec![
            topics::EVENTS_DIPLOMATIC.to_string(),
            topics::EVENTS_CASUALTY.to_string(),
        ]
    }

    fn process(&self, record: &InputRecord) -> Result<Vec<OutputRecord>, StageError> {
        let article: CleanArticle = json::decode(&record.payload)?;
        json::check_version::<CleanArticle>(article.schema_version)?;
        if article.empty {
            if let Some(m) = &self.metrics {
                m.per_article.observe(0.0);
            }
            return Ok(Vec::new());
        }
        let tagged = crate::tag(&article);
        let mut out = Vec::with_capacity(tagged.diplomatic.len() + tagged.casualties.len());
        for e in &tagged.diplomatic {
            if let Some(m) = &self.metrics {
                let kind = DiplomaticKind::try_from(e.kind)
                    .map(|k| k.as_str_name())
                    .unwrap_or("unknown");
                let status = EventStatus::try_from(e.status)
                    .map(|s| s.as_str_name())
                    .unwrap_or("unknown");
                m.events.with_label_values(&[kind, status]).inc();
                let mut seen: Vec<&str> = Vec::new();
                let countries = e
                    .participants
                    .iter()
                    .filter_map(|p| p.country.as_deref())
                    .chain(e.location.as_ref().and_then(|l| l.country.as_deref()));
                for c in countries {
                    if is_iso3(c) && !seen.contains(&c) {
                        seen.push(c);
                        m.countries.with_label_values(&[c]).inc();
                    }
                }
            }
            out.push(OutputRecord::new(
                topics::EVENTS_DIPLOMATIC,
                e.event_id.as_bytes(),
                json::encode(e)?,
            ));
        }
        for e in &tagged.casualties {
            if let Some(m) = &self.metrics {
                m.events.with_label_values(&["casualty", "reported"]).inc();
                for (kind, c) in [
                    ("killed", &e.killed),
                    ("injured", &e.injured),
                    ("missing", &e.missing),
                ] {
                    if let Some(n) = c.as_ref().and_then(|c| c.low.or(c.high)) {
                        m.casualties.with_label_values(&[kind]).inc_by(u64::from(n));
                    }
                }
                if let Some(c) = e.country.as_deref().filter(|c| is_iso3(c)) {
                    m.countries.with_label_values(&[c]).inc();
                }
            }
            out.push(OutputRecord::new(
                topics::EVENTS_CASUALTY,
                e.event_id.as_bytes(),
                json::encode(e)?,
            ));
        }
        if let Some(m) = &self.metrics {
            m.per_article.observe(out.len() as f64);
        }
        Ok(out)
    }
}
