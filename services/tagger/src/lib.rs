//! The tagger: clean articles to diplomatic events and casualty reports.
//!
//! **Minimal logic for now** (the tagger-foundations and event-extraction issues replace it):
//! sentences are split on terminal punctuation; a sentence with a diplomatic trigger word becomes
//! one event (kind from the trigger, status "planned" under future markers) whose participants
//! are capitalised multi-word names; a sentence with "N ... killed/injured" becomes a casualty
//! report under the counting conventions for numbers and "at least". No gazetteer, no dates, no
//! merging across mentions yet.

pub mod stage;
pub mod tag;

pub use stage::TagStage;
pub use tag::{tag, Tagged};
