//! The cleaner: raw pages to clean article text with metadata.
//!
//! **Minimal logic for now** (the cleaner issue replaces it): plain-text pages keep every
//! non-blank line as a paragraph, HTML pages go through readability extraction (dom_smoothie);
//! both are NFC-normalised with white space collapsed. No boilerplate rules, byline parsing or
//! near-duplicate detection yet: `duplicate_of` is always unset.

pub mod clean;
pub mod stage;

pub use clean::{clean, CleanError};
pub use stage::CleanStage;
