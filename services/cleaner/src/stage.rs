//! The cleaner as a stage: RawArticle JSON from `articles.raw` to CleanArticle JSON on
//! `articles.clean`, keyed by article id. Undecodable records and articles that cannot be
//! cleaned are bad records (dead-lettered by the runtime).
use eventwire_runtime::{InputRecord, OutputRecord, StageError, SyncStage};
use eventwire_schema::v1::RawArticle;
use eventwire_schema::{json, topics};

#[derive(Default)]
pub struct CleanStage;

impl SyncStage for CleanStage {
    fn name(&self) -> &'static str {
        "clean"
    }

    fn output_topics(&self) -> Vec<String> {
        vec![topics::ARTICLES_CLEAN.to_string()]
    }

    fn process(&self, record: &InputRecord) -> Result<Vec<OutputRecord>, StageError> {
        let raw: RawArticle = json::decode(&record.payload)?;
        json::check_version::<RawArticle>(raw.schema_version)?;
        let clean = crate::clean(&raw).map_err(|e| StageError::bad(e.code(), e.to_string()))?;
        let payload = json::encode(&clean)?;
        Ok(vec![OutputRecord::new(
            topics::ARTICLES_CLEAN,
            clean.id.into_bytes(),
            payload,
        )])
    }
}
