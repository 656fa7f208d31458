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

/// Where a token's normalised text lives before the arena is frozen.
#[derive(Clone, Copy)]
enum NormAt {
    /// `text[a..b]` is already normalised.
    Text(usize, usize),
    /// `arena[a..b]`.
    Arena(usize, usize),
    /// A fixed string ("-", "'").
    Fixed(&'static str),
}

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
    RAW.with(|cell| match cell.try_borrow_mut() {
        Ok(mut raw) => {
            let out = tokenize_with(text, arena, &mut raw);
            if raw.capacity() > SCRATCH_KEEP {
                *raw = Vec::new();
            }
            out
        }
        Err(_) => tokenize_with(text, arena, &mut Vec::new()),
    })
}

/// Each token, where its normalised text is, and whether that text holds an apostrophe.
type RawToken = (Token<'static>, NormAt, bool);

/// Scratch buffers above this many elements are not kept between calls.
const SCRATCH_KEEP: usize = 1 << 15;

thread_local! {
    /// [`tokenize`]'s first pass, kept between calls: a large allocation per call costs more
    /// than the tokenizing (the allocator tidies its free lists for it).
    static RAW: RefCell<Vec<RawToken>> = const { RefCell::new(Vec::new()) };
}

/// [`tokenize`] with `raw` as the buffer of its first pass.
fn tokenize_with<'a>(
    text: &'a str,
    arena: &'a mut String,
    raw: &mut Vec<RawToken>,
) -> Vec<Token<'a>> {
    arena.clear();
    arena.reserve(text.len() / 4);
    raw.clear();
    let bytes = text.as_bytes();
    let mut space = true;
    let mut i = 0;
    while let Some((c, cl)) = char_at(text, i) {
        if c.is_whitespace() {
            space = true;
            i += cl;
            continue;
        }
        let (kind, end, norm, capitalized);
        let mut apostrophe = false;
        if c.is_ascii_digit() {
            let mut e = i + 1;
            while bytes.get(e).is_some_and(u8::is_ascii_digit) {
                e += 1;
            }
            let mut k = Kind::Num;
            // Ordinal suffix glued to the digits, not followed by more letters.
            let rest = &text[e..];
            for suf in ["st", "nd", "rd", "th"] {
                if rest.len() >= 2
                    && rest.as_bytes()[..2].eq_ignore_ascii_case(suf.as_bytes())
                    && !rest[2..].chars().next().is_some_and(is_letter)
                {
                    k = Kind::OrdNum;
                    e += 2;
                    break;
                }
            }
            kind = k;
            end = e;
            norm = if bytes[i..e].iter().any(u8::is_ascii_uppercase) {
                let a = arena.len();
                arena.push_str(&text[i..e]);
                arena[a..].make_ascii_lowercase();
                NormAt::Arena(a, arena.len())
            } else {
                NormAt::Text(i, e)
            };
            capitalized = false;
        } else if is_letter(c) {
            let mut e = i + cl;
            let mut identity = lower_is_identity(c);
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
            kind = Kind::Word;
            end = e;
            norm = if identity {
                NormAt::Text(i, e)
            } else if bytes[i..e].is_ascii() {
                // ASCII letters and straight apostrophes: lower-casing is all there is to do
                let a = arena.len();
                arena.push_str(&text[i..e]);
                arena[a..].make_ascii_lowercase();
                NormAt::Arena(a, arena.len())
            } else {
                let a = arena.len();
                for ch in text[i..e].chars() {
                    if is_apostrophe(ch) {
                        arena.push('\'');
                    } else {
                        arena.extend(ch.to_lowercase());
                    }
                }
                NormAt::Arena(a, arena.len())
            };
            capitalized = c.is_uppercase();
        } else {
            kind = Kind::Punct;
            end = i + cl;
            norm = match c {
                '\u{2013}' | '\u{2014}' | '\u{2212}' => NormAt::Fixed("-"),
                c if is_apostrophe(c) => NormAt::Fixed("'"),
                _ => NormAt::Text(i, end),
            };
            capitalized = false;
        }
        raw.push((
            Token {
                kind,
                start: i,
                end,
                norm: "",
                space_before: space,
                capitalized,
                num_start: false,
                hol_first: false,
                month: None,
                fuzzy_month: None,
                weekday: None,
            },
            norm,
            apostrophe,
        ));
        space = false;
        i = end;
    }
    let arena: &'a String = arena;
    let is_num =
        |k: Option<&RawToken>| k.is_some_and(|r| matches!(r.0.kind, Kind::Num | Kind::OrdNum));
    let out = (0..raw.len())
        .filter_map(|k| {
            let &(t, at, apostrophe) = raw.get(k)?;
            let norm: &'a str = match at {
                NormAt::Text(a, b) => &text[a..b],
                NormAt::Arena(a, b) => &arena[a..b],
                NormAt::Fixed(s) => s,
            };
            // Calendar words are words: other tokens name no month or weekday. A word the
            // known words' bitmap rules out names none and starts neither a number nor a
            // holiday name (an apostrophe changes the holiday test: always asked).
            let (month, fuzzy_month, weekday, num_start, hol_first) = if t.kind == Kind::Word {
                let known = apostrophe || crate::known_words().may_contain(norm);
                let month = known.then(|| crate::dates::month_number(norm)).flatten();
                // a misspelt month is only read next to a number ("Febuary 24", "24 Febuary")
                let fuzzy = match month {
                    None if is_num(k.checked_sub(1).and_then(|j| raw.get(j)))
                        || is_num(raw.get(k + 1)) =>
                    {
                        crate::dates::month_fuzzy(norm)
                    }
                    _ => None,
                };
                let weekday = known.then(|| crate::dates::weekday_word(norm)).flatten();
                let num_start = known && crate::numbers::may_start_number(t.kind, norm);
                let hol_first = if apostrophe {
                    crate::holidays_first_word(norm)
                } else {
                    known && crate::holidays::is_first_word(norm)
                };
                (month, fuzzy, weekday, num_start, hol_first)
            } else {
                let num_start = crate::numbers::may_start_number(t.kind, norm);
                (None, None, None, num_start, false)
            };
            Some(Token {
                norm,
                month,
                fuzzy_month,
                weekday,
                num_start,
                hol_first,
                ..t
            })
        })
        .collect();
    raw.clear();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
