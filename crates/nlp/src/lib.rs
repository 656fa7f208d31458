//! Natural-language foundations of the tagger: sentences and tokens with byte and char offsets,
//! people with their titles and roles, coreference of people within an article, context
//! disambiguation of gazetteer matches, the entity pass that puts them together, and the
//! truecaser that restores the letter case of all-capitals or sentence-case text before it.
//!
//! Everything here is a pure, synchronous function over text; word lists live in
//! `data/lexicon/` and are embedded at build time.

pub mod coref;
pub mod entities;
pub mod lexicon;
pub mod people;
pub mod places;
pub mod segment;
pub mod truecase;

pub use coref::{People, PersonCluster};
pub use entities::{analyze, analyze_where, analyze_with, entities, Analysis, Entity, EntityKind};
pub use lexicon::{Gender, Lexicon, RoleEntry};
pub use people::{ActorInfo, Evidence, Knowledge, MentionKind, NameClass, PersonMention};
pub use places::{find_places, GazetteerKb, PlaceMention, Reading};
pub use segment::{segment, tokenize, CharIndex, Segmentation, Sentence, Shape, Token, TokenKind};
pub use truecase::{truecase, CaseStyle, Truecaser};
