//! What the rules read besides the article: the gazetteer, the knowledge base of places and
//! actors over it, the entity pass's lexicon and the truecaser. [`TagContext::embedded`] is the
//! process's data (the compiled-in files, or what `--data-dir`/`--actors` installed); a caller
//! with data of its own builds a context from it and calls [`crate::tag_with`].
//!
//! The event word lists (`data/lexicon/events/*.tsv`, [`crate::words`]) are compiled in and
//! read by name from the rules; they are not part of the context.

use eventwire_gazetteer::Gazetteer;
use eventwire_nlp::{GazetteerKb, Lexicon, Truecaser};

/// The data one tagging run reads. Cheap to copy: it only borrows.
#[derive(Clone, Copy)]
pub struct TagContext<'d> {
    /// Countries, places and actors: participants' kinds, capitals, host countries.
    pub gazetteer: &'d Gazetteer,
    /// The entity pass's knowledge base over the same gazetteer.
    pub places: &'d GazetteerKb<'d>,
    /// The entity pass's word lexicon.
    pub lexicon: &'d Lexicon,
    /// Restores the case of all-capitals and sentence-case copy; tells common words from
    /// names.
    pub truecaser: &'d Truecaser,
}

impl TagContext<'static> {
    /// The process's data: [`Gazetteer::global`] and the embedded lexicon, knowledge base and
    /// truecaser over it (each built once, on first use).
    pub fn embedded() -> TagContext<'static> {
        TagContext {
            gazetteer: Gazetteer::global(),
            places: GazetteerKb::embedded(),
            lexicon: Lexicon::embedded(),
            truecaser: Truecaser::embedded(),
        }
    }
}

impl Default for TagContext<'static> {
    fn default() -> Self {
        TagContext::embedded()
    }
}
