//! Splits text into word, number and punctuation tokens with byte offsets, the common input of
//! the number and date grammars.

/// What a token is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Letters (apostrophes inside a word are kept: "valentine's", "b'av").
    Word,
    /// A run of ASCII digits.
    Num,
    /// A run of digits with an ordinal suffix: "24th", "1st".
    OrdNum,
    /// Any other single non-space character.
    Punct,
}

/// One token of the input. `norm` borrows from the text when it is already normalised and
/// otherwise from the arena given to [`tokenize`], so tokens are `Copy` and cost no allocation.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Token<'a> {
    pub kind: Kind,
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
    /// Lower-cased text for words (curly apostrophes folded to `'`), digits for numbers, the
    /// character for punctuation.
    pub norm: &'a str,
    /// Whether white space separates this token from the previous one (true for the first).
    pub space_before: bool,
    /// The word starts with an upper-case letter.
    pub capitalized: bool,
    /// Whether a number may start here: false only where [`crate::numbers`] can never read
    /// one (a cheap filter computed once per token).
    pub num_start: bool,
    /// Whether this word begins some holiday name (see [`crate::holidays_first_word`]).
    pub hol_first: bool,
    /// The month this word names ([`crate::dates::month_number`]).
    pub month: Option<u32>,
    /// The month within one edit of this word when it names none (`dates::month_fuzzy`) and
    /// a number token is next to it, the only place a misspelt month is read.
    pub fuzzy_month: Option<u32>,
    /// The weekday this word names (`dates::weekday_word`).
    pub weekday: Option<chrono::Weekday>,
    /// Whether this word is one of `dates::BEGIN_WORDS`.
    pub begin_word: bool,
    /// Whether a date may start at this word besides calendar words (`dates::start_word`).
    pub start_word: bool,
    /// Whether a quantity may start at this word (`numbers::quantity_start_word`).
    pub qty_start: bool,
    /// Whether this word is the first word of a qualifier ("at least", "about": see
    /// `numbers::qualifier_first_word`).
    pub qual_first: bool,
}

/// What [`tokenize`] records of a word (see [`crate::lexicon`]), from its normalised text.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Facts {
    month: Option<u32>,
    weekday: Option<chrono::Weekday>,
    num_start: bool,
    hol_first: bool,
    begin_word: bool,
    start_word: bool,
    qty_start: bool,
    qual_first: bool,
}

impl Facts {
    /// The facts of the word `w` (normalised), computed from the word tests themselves.
    pub(crate) fn of(w: &str) -> Facts {
        Facts {
            month: crate::dates::month_number(w),
            weekday: crate::dates::weekday_word(w),
            num_start: crate::numbers::may_start_number(Kind::Word, w),
            hol_first: crate::holidays_first_word(w),
            begin_word: crate::dates::BEGIN_WORDS.contains(&w),
            start_word: crate::dates::start_word(w),
            qty_start: crate::numbers::quantity_start_word(w),
            qual_first: crate::numbers::qualifier_first_word(w),
        }
    }

    /// The facts of a word token: from the lexicon, which holds every word with a fact, or
    /// computed for a word with an apostrophe (the holiday test drops it).
    fn of_token(w: &str, apostrophe: bool) -> Facts {
        if apostrophe {
            // `Facts::of(w)`: no word of the other tests holds an apostrophe (test
            // `only_holiday_words_may_hold_apostrophes`), so the holiday test is all there is
            Facts {
                hol_first: crate::holidays_first_word(w),
                ..Facts::default()
            }
        } else {
            crate::lexicon().get(w).copied().unwrap_or_default()
        }
    }

    /// `t` with these facts.
    fn apply(self, t: &mut Token) {
        t.month = self.month;
        t.weekday = self.weekday;
        t.num_start = self.num_start;
        t.hol_first = self.hol_first;
        t.begin_word = self.begin_word;
        t.start_word = self.start_word;
        t.qty_start = self.qty_start;
        t.qual_first = self.qual_first;
    }
}

impl Token<'_> {
    /// The numeric value of a `Num` or `OrdNum` token.
    pub fn num(&self) -> Option<u64> {
        match self.kind {
            Kind::Num | Kind::OrdNum => {
                let digits: &str = self
                    .norm
                    .trim_end_matches(|c: char| c.is_ascii_alphabetic());
                if digits.len() > 15 {
                    return None;
                }
                digits.parse().ok()
            }
            _ => None,
        }
    }

    /// Whether this is the word (or punctuation) `s`.
    pub fn is(&self, s: &str) -> bool {
        self.norm == s
    }
}

/// `char::is_alphabetic`, answered without the Unicode tables for ASCII and for the General
/// Punctuation block (U+2000-U+206F: quotes, dashes, spaces), which has no letters.
fn is_letter(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphabetic()
    } else if ('\u{2000}'..='\u{206f}').contains(&c) {
        false
    } else {
        c.is_alphabetic()
    }
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '\u{2019}'
}

use std::cell::RefCell;

/// The char starting at byte `i` of `text` (a char boundary) and its length in bytes.
#[inline]
fn char_at(text: &str, i: usize) -> Option<(char, usize)> {
    let b = *text.as_bytes().get(i)?;
    if b.is_ascii() {
        return Some((char::from(b), 1));
    }
    let c = text.get(i..)?.chars().next()?;
    Some((c, c.len_utf8()))
}

/// Whether lower-casing `c` gives `c` itself.
fn lower_is_identity(c: char) -> bool {
    if c.is_ascii() {
        return !c.is_ascii_uppercase();
    }
    let mut l = c.to_lowercase();
    l.next() == Some(c) && l.next().is_none()
}

/// Tokenizes `text`. Never fails; every non-space character belongs to exactly one token.
/// Normalised forms that differ from the text are written to `arena` (cleared first).
pub(crate) fn tokenize<'a>(text: &'a str, arena: &'a mut String) -> Vec<Token<'a>> {
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut scratch) => {
            let out = tokenize_with(text, arena, &mut scratch);
            if scratch.pending.capacity() > SCRATCH_KEEP
                || scratch.near_num.capacity() > SCRATCH_KEEP
            {
                *scratch = Scratch::default();
            }
            out
        }
        Err(_) => tokenize_with(text, arena, &mut Scratch::default()),
    })
}

/// [`tokenize`]'s lists of token indices, kept between calls.
#[derive(Default)]
struct Scratch {
    /// Tokens whose normalised text is `arena[a..b]`, filled in once the arena is complete:
    /// (token, a, b, whether the word holds an apostrophe).
    pending: Vec<(usize, usize, usize, bool)>,
    /// Words next to a number token, where a misspelt month is read.
    near_num: Vec<usize>,
}

/// Scratch buffers above this many elements are not kept between calls.
const SCRATCH_KEEP: usize = 1 << 15;

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// [`tokenize`] with `scratch` as its buffers.
fn tokenize_with<'a>(
    text: &'a str,
    arena: &'a mut String,
    scratch: &mut Scratch,
) -> Vec<Token<'a>> {
    arena.clear();
    arena.reserve(text.len() / 4);
    scratch.pending.clear();
    scratch.near_num.clear();
    let mut out: Vec<Token<'a>> = Vec::with_capacity(text.len() / 4 + 1);
    let bytes = text.as_bytes();
    let mut space = true;
    let mut i = 0;
    while let Some((c, cl)) = char_at(text, i) {
        if c.is_whitespace() {
            space = true;
            i += cl;
            continue;
        }
        let mut t = Token::punct(i, i + cl, space);
        let k = out.len();
        let prev_kind = out.last().map(|p| p.kind);
        if c.is_ascii_digit() {
            let (kind, e) = digits_end(text, i);
            t.kind = kind;
            t.end = e;
            t.num_start = true;
            if bytes[i..e].iter().any(u8::is_ascii_uppercase) {
                let a = arena.len();
                arena.push_str(&text[i..e]);
                arena[a..].make_ascii_lowercase();
                scratch.pending.push((k, a, arena.len(), false));
            } else {
                t.norm = &text[i..e];
            }
            if prev_kind == Some(Kind::Word) {
                scratch.near_num.push(k - 1);
            }
        } else if is_letter(c) {
            let word = word_end(text, i, c, cl);
            let e = word.end;
            t.kind = Kind::Word;
            t.end = e;
            t.capitalized = c.is_uppercase();
            if word.lower_is_identity {
                t.norm = &text[i..e];
                Facts::of_token(t.norm, word.apostrophe).apply(&mut t);
            } else {
                let a = arena.len();
                push_lower_word(arena, &text[i..e]);
                scratch.pending.push((k, a, arena.len(), word.apostrophe));
            }
            if matches!(prev_kind, Some(Kind::Num | Kind::OrdNum)) {
                scratch.near_num.push(k);
            }
        } else {
            t.norm = match c {
                '\u{2013}' | '\u{2014}' | '\u{2212}' => "-",
                c if is_apostrophe(c) => "'",
                _ => &text[i..i + cl],
            };
            t.num_start = crate::numbers::may_start_number(Kind::Punct, t.norm);
        }
        out.push(t);
        space = false;
        i = t.end;
    }
    let arena: &'a String = arena;
    fill_pending_norms(&mut out, arena, scratch);
    // a misspelt month is only read next to a number ("Febuary 24", "24 Febuary")
    for &k in &scratch.near_num {
        if let Some(t) = out.get_mut(k) {
            if t.month.is_none() {
                t.fuzzy_month = crate::dates::month_fuzzy(t.norm);
            }
        }
    }
    out
}

impl Token<'_> {
    /// A one-character punctuation token at `start..end`, no facts set yet.
    fn punct(start: usize, end: usize, space_before: bool) -> Self {
        Token {
            kind: Kind::Punct,
            start,
            end,
            norm: "",
            space_before,
            capitalized: false,
            num_start: false,
            hol_first: false,
            month: None,
            fuzzy_month: None,
            weekday: None,
            begin_word: false,
            start_word: false,
            qty_start: false,
            qual_first: false,
        }
    }
}

/// The digits starting at `i`, with an ordinal suffix glued to them ("3rd") and not followed
/// by more letters: their kind and end.
fn digits_end(text: &str, i: usize) -> (Kind, usize) {
    let bytes = text.as_bytes();
    let mut e = i + 1;
    while bytes.get(e).is_some_and(u8::is_ascii_digit) {
        e += 1;
    }
    let rest = &text[e..];
    for suf in ["st", "nd", "rd", "th"] {
        if rest.len() >= 2
            && rest.as_bytes()[..2].eq_ignore_ascii_case(suf.as_bytes())
            && !rest[2..].chars().next().is_some_and(is_letter)
        {
            return (Kind::OrdNum, e + 2);
        }
    }
    (Kind::Num, e)
}

/// Where a word starting at `i` with letter `c` (of `cl` bytes) ends.
struct WordEnd {
    end: usize,
    /// Lower-casing leaves the word as it is (and it has no curly apostrophe).
    lower_is_identity: bool,
    /// An apostrophe followed by a letter is inside the word ("o'clock").
    apostrophe: bool,
}

/// Reads a word: letters, and apostrophes followed by a letter.
fn word_end(text: &str, i: usize, c: char, cl: usize) -> WordEnd {
    let bytes = text.as_bytes();
    let mut e = i + cl;
    let mut identity = lower_is_identity(c);
    let mut apostrophe = false;
    loop {
        // ASCII letters first, without decoding
        while let Some(&b) = bytes.get(e) {
            if !b.is_ascii_alphabetic() {
                break;
            }
            identity &= !b.is_ascii_uppercase();
            e += 1;
        }
        match char_at(text, e) {
            Some((d, dl)) if is_letter(d) => {
                identity &= lower_is_identity(d);
                e += dl;
            }
            Some((d, dl)) if is_apostrophe(d) => {
                // Keep an apostrophe followed by a letter inside the word.
                if char_at(text, e + dl).is_some_and(|(a, _)| is_letter(a)) {
                    identity &= d == '\'';
                    apostrophe = true;
                    e += dl;
                } else {
                    break;
                }
            }
            _ => break,
        }
    }
    WordEnd {
        end: e,
        lower_is_identity: identity,
        apostrophe,
    }
}

/// Appends `word` lower-cased, with every apostrophe straight, to `arena`.
fn push_lower_word(arena: &mut String, word: &str) {
    if word.is_ascii() {
        // ASCII letters and straight apostrophes: lower-casing is all there is to do
        let a = arena.len();
        arena.push_str(word);
        arena[a..].make_ascii_lowercase();
    } else {
        for ch in word.chars() {
            if is_apostrophe(ch) {
                arena.push('\'');
            } else {
                arena.extend(ch.to_lowercase());
            }
        }
    }
}

/// Gives the tokens whose normalised text was written to the arena their text, and a word
/// its facts.
fn fill_pending_norms<'a>(out: &mut [Token<'a>], arena: &'a str, scratch: &Scratch) {
    for &(k, a, b, apostrophe) in &scratch.pending {
        let (Some(t), Some(norm)) = (out.get_mut(k), arena.get(a..b)) else {
            continue;
        };
        t.norm = norm;
        if t.kind == Kind::Word {
            Facts::of_token(norm, apostrophe).apply(t);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_holiday_words_may_hold_apostrophes() {
        let words = crate::dates::MONTH_NAMES
            .iter()
            .chain(crate::dates::MONTH_ABBREVIATIONS)
            .chain(crate::dates::WEEKDAY_NAMES)
            .chain(crate::dates::WEEKDAY_PLURALS)
            .chain(crate::dates::BEGIN_WORDS)
            .chain(crate::dates::START_WORDS)
            .chain(crate::numbers::ORDINAL_WORDS)
            .copied()
            .chain(crate::numbers::quantity_start_word_list());
        for w in words {
            assert!(!w.contains('\''), "{w}");
        }
        for w in ["valentine's", "boss's", "new year's", "o'clock", "d'état"] {
            let f = Facts::of_token(w, true);
            let want = Facts::of(w);
            assert_eq!(
                (f.month, f.weekday, f.num_start, f.hol_first, f.begin_word),
                (
                    want.month,
                    want.weekday,
                    want.num_start,
                    want.hol_first,
                    want.begin_word
                ),
            );
            assert_eq!(
                (f.start_word, f.qty_start, f.qual_first),
                (want.start_word, want.qty_start, want.qual_first)
            );
        }
    }

    #[test]
    fn splits_words_numbers_and_ordinals() {
        let mut arena = String::new();
        let t = tokenize(
            "On 24th, valentine\u{2019}s 14april 4:00pm Feb13",
            &mut arena,
        );
        let norms: Vec<&str> = t.iter().map(|t| t.norm).collect();
        assert_eq!(
            norms,
            [
                "on",
                "24th",
                ",",
                "valentine's",
                "14",
                "april",
                "4",
                ":",
                "00",
                "pm",
                "feb",
                "13"
            ]
        );
        assert_eq!(t[1].kind, Kind::OrdNum);
        assert_eq!(t[1].num(), Some(24));
        assert!(t[0].capitalized);
        assert!(!t[5].space_before);
    }

    #[test]
    fn offsets_are_byte_offsets() {
        let text = "é 12";
        let mut arena = String::new();
        let t = tokenize(text, &mut arena);
        assert_eq!(&text[t[1].start..t[1].end], "12");
    }

    #[test]
    fn is_letter_is_is_alphabetic() {
        for c in ('\0'..='\u{3000}').chain(['\u{ff21}', '\u{1d400}']) {
            assert_eq!(is_letter(c), c.is_alphabetic(), "{c:?}");
        }
    }

    #[test]
    fn suffix_followed_by_letters_is_not_ordinal() {
        let mut arena = String::new();
        let t = tokenize("5thousand", &mut arena);
        assert_eq!(t[0].kind, Kind::Num);
        assert_eq!(t[1].norm, "thousand");
    }
}
