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

/// Defines `fn $name(w: &str) -> Option<$t>` as a `match` over word literals, and `$list`, the
/// words it accepts (so sets of them stay exact).
macro_rules! word_fn {
    ($(#[$m:meta])* $vis:vis fn $name:ident -> $t:ty, $list:ident { $($($w:literal)|+ => $v:expr,)* }) => {
        $(#[$m])*
        $vis fn $name(w: &str) -> Option<$t> {
            Some(match w {
                $($($w)|+ => $v,)*
                _ => return None,
            })
        }
        /// The words the function of the same list accepts.
        #[allow(dead_code)]
        pub(crate) const $list: &[&str] = &[$($($w,)+)*];
    };
}

pub mod counting;
pub mod dates;
mod holidays;
mod lexer;
pub mod numbers;

pub use dates::{
    detect_tense, find_dates, month_number, DateMention, DateOptions, Direction, Grain, Precision,
    Tense,
};
pub use numbers::{find_quantities, parse_number, Qualifier, Quantity, QuantityKind};

use std::ops::Range;

use chrono::{NaiveDate, NaiveTime};

/// The dates and numbers of one span of a text (see [`find_in_spans`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SpanMentions {
    /// What [`find_dates`] finds in the span, offsets relative to the span's start.
    pub dates: Vec<DateMention>,
    /// What [`find_quantities`] finds in the span, offsets relative to the span's start.
    pub quantities: Vec<Quantity>,
}

/// For each byte range of `text` (typically its sentences), exactly what
/// `find_dates(&text[span], reference, opts)` and `find_quantities(&text[span])` return, with
/// offsets relative to the span's start, but tokenizing each span once instead of twice. A
/// span that is not a valid range of `text` gives nothing, as an empty text does. Only the
/// spans' text is read, so a caller interested in a few sentences pays for those.
///
/// ```
/// use chrono::NaiveDate;
/// use eventwire_timex::{find_in_spans, DateOptions};
/// let text = "They met on Saturday. Officials said 12 people died.";
/// let monday = NaiveDate::from_ymd_opt(2025, 4, 14).unwrap();
/// let found = find_in_spans(text, &[0..21, 22..text.len()], monday, &DateOptions::default());
/// assert_eq!(found[0].dates[0].value, "2025-04-12");
/// assert_eq!(found[1].quantities[0].text, "12");
/// assert_eq!(found[1].quantities[0].start, 15);
/// ```
pub fn find_in_spans(
    text: &str,
    spans: &[Range<usize>],
    reference: NaiveDate,
    opts: &DateOptions,
) -> Vec<SpanMentions> {
    let now = reference.and_time(NaiveTime::MIN);
    let mut arena = String::new();
    spans
        .iter()
        .map(|span| match text.get(span.clone()) {
            Some(stext) => {
                let toks = lexer::tokenize(stext, &mut arena);
                SpanMentions {
                    dates: dates::dates_in(stext, &toks, now, opts),
                    quantities: numbers::quantities_in(stext, &toks),
                }
            }
            None => SpanMentions::default(),
        })
        .collect()
}

/// What the lexer records of every word that names a month or a weekday, may start a number,
/// begins a holiday name or a quantity, or is one of the date scanner's first words: a word
/// outside it is none of these (a bitmap test rejects most words at once, one hash lookup
/// answers the rest).
pub(crate) fn lexicon() -> &'static eventwire_wordmap::WordMap<lexer::Facts> {
    static WORDS: std::sync::OnceLock<eventwire_wordmap::WordMap<lexer::Facts>> =
        std::sync::OnceLock::new();
    WORDS.get_or_init(|| {
        eventwire_wordmap::WordMap::new(
            dates::MONTH_NAMES
                .iter()
                .chain(dates::MONTH_ABBREVIATIONS)
                .chain(dates::WEEKDAY_NAMES)
                .chain(dates::WEEKDAY_PLURALS)
                .chain(dates::BEGIN_WORDS)
                .chain(dates::START_WORDS)
                .chain(numbers::ORDINAL_WORDS)
                .copied()
                .chain(numbers::quantity_start_word_list())
                .chain(holidays::first_words())
                .map(|w| (w, lexer::Facts::of(w))),
        )
    })
}

/// Whether `w` is the first word of some holiday name (a cheap filter for the date scanner).
/// Apostrophes are dropped first, as in holiday names; words of up to 32 bytes without
/// allocating.
pub(crate) fn holidays_first_word(w: &str) -> bool {
    if !w.contains('\'') {
        return holidays::is_first_word(w);
    }
    let mut buf = [0u8; 32];
    let mut n = 0;
    for &b in w.as_bytes() {
        if b != b'\'' {
            match buf.get_mut(n) {
                Some(slot) => *slot = b,
                None => return holidays::is_first_word(&holidays::norm_word(w)),
            }
            n += 1;
        }
    }
    // dropping ASCII bytes from UTF-8 leaves UTF-8
    match std::str::from_utf8(&buf[..n]) {
        Ok(stripped) => holidays::is_first_word(stripped),
        Err(_) => holidays::is_first_word(&holidays::norm_word(w)),
    }
}
