//! The tagger: clean articles to diplomatic events and casualty reports.
//!
//! The pure core ([`tag`]) runs the entity pass of `eventwire-nlp` over the clean body, reads
//! each sentence as clauses, and applies general rules: trigger lexicons, participants from the
//! entity layer, light syntax cues for status (tense, "will", "is set to", negation), dates
//! resolved against the publication date, and per-article merging so that one real-world event
//! is one event with all its mentions as evidence. [`stage`] is the thin service around it.

pub mod casualty;
pub mod context;
pub mod diplomatic;
pub mod facts;
pub mod lexicon;
pub mod merge;
pub mod stage;
pub mod tag;
pub mod view;
pub mod words;

pub use context::TagContext;
pub use stage::TagStage;
pub use tag::{tag, tag_with, Tagged};
