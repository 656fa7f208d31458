//! Dates and numbers in news text, resolved: the pure library under the tagger.
//!
//! * [`numbers`]: [`numbers::parse_number`] (a whole string is one number) and
//!   [`numbers::find_quantities`] (numbers and casualty-style quantities in running text, with
//!   "at least"/"dozens" conventions and a kind telling counts from years, times, ordinals).
//! * [`dates`]: [`dates::find_dates`] finds date expressions and resolves them against the
//!   publication date, with the direction of ambiguous ones ("Saturday") taken from the tense
//!   of their clause ([`dates::detect_tense`]).
//!
//! Everything is synchronous and allocation-light; no I/O.

pub mod dates;
mod holidays;
mod lexer;
pub mod numbers;

pub use dates::{
    detect_tense, find_dates, month_number, DateMention, DateOptions, Direction, Grain, Precision,
    Tense,
};
pub use numbers::{find_quantities, parse_number, Qualifier, Quantity, QuantityKind};

/// Whether `w` is the first word of some holiday name (a cheap filter for the date scanner).
pub(crate) fn holidays_first_word(w: &str) -> bool {
    if w.contains('\'') {
        holidays::is_first_word(&holidays::norm_word(w))
    } else {
        holidays::is_first_word(w)
    }
}
