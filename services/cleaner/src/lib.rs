//! The cleaner: raw pages to clean article text with metadata.
//!
//! Pure library (`clean`, `text`, `html`, `normalise`, `dedup`) with the service as a thin stage.

pub mod clean;
pub mod dedup;
pub mod html;
pub mod innertext;
pub mod language;
pub mod normalise;
pub mod order;
pub mod rebuild;
pub mod stage;
pub mod text;

pub use clean::{clean, CleanError};
pub use stage::CleanStage;
