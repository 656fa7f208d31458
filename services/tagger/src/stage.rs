//! The tagger as a stage: CleanArticle JSON from `articles.clean` to DiplomaticEvent and
//! CasualtyReport JSON on `events.diplomatic` and `events.casualty`, keyed by event id. Articles
//! flagged empty produce nothing.
use eventwire_runtime::{InputRecord, OutputRecord, StageError, SyncStage};
use eventwire_schema::v1::CleanArticle;
use eventwire_schema::{json, topics};
use prometheus::IntCounterVec;

pub struct TagStage {
    events: Option<IntCounterVec>,
}

impl TagStage {
    /// A stage counting events by kind on `events` (eventwire_events_total{kind}), if given.
    pub fn new(events: Option<IntCounterVec>) -> Self {
        TagStage { events }
    }
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
            return Ok(Vec::new());
        }
        let tagged = crate::tag(&article);
        let mut out = Vec::with_capacity(tagged.diplomatic.len() + tagged.casualties.len());
        for e in &tagged.diplomatic {
            if let Some(c) = &self.events {
                c.with_label_values(&["diplomatic"]).inc();
            }
            out.push(OutputRecord::new(
                topics::EVENTS_DIPLOMATIC,
                e.event_id.as_bytes(),
                json::encode(e)?,
            ));
        }
        for e in &tagged.casualties {
            if let Some(c) = &self.events {
                c.with_label_values(&["casualty"]).inc();
            }
            out.push(OutputRecord::new(
                topics::EVENTS_CASUALTY,
                e.event_id.as_bytes(),
                json::encode(e)?,
            ));
        }
        Ok(out)
    }
}
