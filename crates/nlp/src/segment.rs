//! Sentences and tokens of news text, each with byte and char (code point) offsets into the input.
//!
//! The splitter is rule based: a period ends a sentence unless it follows an abbreviation from
//! `data/lexicon/abbreviations.txt`, an initial, or is followed by a lower-case word or a comma;
//! closing quotes and brackets stay with the sentence they close; a paragraph break ("\n\n") or a
//! line break before a capitalised line always ends a sentence (headlines have no final period).

use std::cell::RefCell;
use std::ops::Range;

use crate::lexicon::{AbbrevClass, Lexicon};

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenKind {
    /// Letters (with internal hyphens or apostrophes, or a dotted acronym such as "U.S.").
    Word,
    /// Starts with a digit: "2.4", "1,200", "1990s", "3rd", "24-hour".
    Number,
    /// A possessive ending split off its word: "'s", "’s", or a bare "'" after a plural.
    Possessive,
    /// Anything else: punctuation, quotes, dashes, symbols. An ellipsis "..." is one token.
    Punct,
}

/// Capitalisation of a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Shape {
    /// Starts with a lower-case letter.
    Lower,
    /// Starts with an upper-case letter and has at least one lower-case letter ("Putin", "McCain").
    Capitalized,
    /// Letters are all upper case ("KYIV", "U.S.", "A").
    AllCaps,
    /// Not starting with a letter (numbers, punctuation).
    Other,
}

/// One token. Offsets are half-open; `start`/`end` are byte offsets, `char_start`/`char_end`
/// count Unicode scalar values (code points), as CleanArticle paragraph offsets do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Token {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
    /// Char offset of the first char.
    pub char_start: usize,
    /// Char offset one past the last char.
    pub char_end: usize,
    /// Token class.
    pub kind: TokenKind,
    /// Capitalisation.
    pub shape: Shape,
    /// Whether white space separates this token from the previous one (true for the first).
    pub space_before: bool,
    /// Line breaks in the white space before this token (2 or more is a paragraph break).
    pub newlines_before: u32,
}

impl Token {
    /// The token's text in the source it was made from.
    pub fn text<'a>(&self, source: &'a str) -> &'a str {
        source.get(self.start..self.end).unwrap_or("")
    }

    /// Whether the token starts with an upper-case letter (capitalised or all capitals).
    pub fn is_upper_initial(&self) -> bool {
        matches!(self.shape, Shape::Capitalized | Shape::AllCaps)
    }
}

/// One sentence: a run of tokens. Offsets span from its first token to its last.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Sentence {
    /// Byte offset of the first token.
    pub start: usize,
    /// Byte offset one past the last token.
    pub end: usize,
    /// Char offset of the first token.
    pub char_start: usize,
    /// Char offset one past the last token.
    pub char_end: usize,
    /// Index range into [`Segmentation::tokens`].
    pub tokens: Range<usize>,
    /// Paragraph number (0-based; paragraphs are separated by blank lines).
    pub paragraph: usize,
}

impl Sentence {
    /// The sentence's text in the source it was made from.
    pub fn text<'a>(&self, source: &'a str) -> &'a str {
        source.get(self.start..self.end).unwrap_or("")
    }
}

/// Sentences and tokens of one text.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Segmentation {
    /// All tokens in text order.
    pub tokens: Vec<Token>,
    /// All sentences in text order; their token ranges partition `tokens`.
    pub sentences: Vec<Sentence>,
}

impl Segmentation {
    /// The tokens of sentence `i` (empty when out of range).
    pub fn sentence_tokens(&self, i: usize) -> &[Token] {
        self.sentences
            .get(i)
            .and_then(|s| self.tokens.get(s.tokens.clone()))
            .unwrap_or(&[])
    }

    /// Index of the sentence holding token `t`.
    pub fn sentence_of_token(&self, t: usize) -> Option<usize> {
        let i = self.sentences.partition_point(|s| s.tokens.end <= t);
        (i < self.sentences.len() && self.sentences[i].tokens.contains(&t)).then_some(i)
    }
}

/// Maps byte offsets of a text to char (code point) offsets in O(log n), O(1) for ASCII text.
#[derive(Debug, Clone)]
pub struct CharIndex {
    /// For each non-ASCII char: (byte offset just past it, extra bytes up to and including it).
    marks: Vec<(usize, usize)>,
    len: usize,
}

impl CharIndex {
    /// Builds the index of `text`.
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut marks = Vec::new();
        let mut extra = 0;
        // the text is valid UTF-8: past runs of ASCII, a lead byte gives its char's length
        let mut i = skip_ascii(bytes, 0);
        while let Some(&b) = bytes.get(i) {
            let l = match b {
                0xf0.. => 4,
                0xe0.. => 3,
                _ => 2,
            };
            extra += l - 1;
            marks.push((i + l, extra));
            i = skip_ascii(bytes, i + l);
        }
        CharIndex {
            marks,
            len: text.len(),
        }
    }

    /// Char offset of byte offset `byte` (a char boundary; offsets past the end are clamped).
    pub fn char_offset(&self, byte: usize) -> usize {
        let byte = byte.min(self.len);
        let n = self.marks.partition_point(|&(b, _)| b <= byte);
        let extra = if n == 0 { 0 } else { self.marks[n - 1].1 };
        byte - extra
    }
}

/// The first offset from `i` on whose byte is not ASCII (`bytes.len()` if none), eight bytes
/// at a time.
fn skip_ascii(bytes: &[u8], mut i: usize) -> usize {
    while let Some(chunk) = bytes.get(i..i + 8) {
        let mut w = [0u8; 8];
        w.copy_from_slice(chunk);
        if u64::from_le_bytes(w) & 0x8080_8080_8080_8080 != 0 {
            break;
        }
        i += 8;
    }
    while bytes.get(i).is_some_and(u8::is_ascii) {
        i += 1;
    }
    i.min(bytes.len())
}

/// Char offset of byte offset `byte` in `text` (linear; build a [`CharIndex`] for many look-ups).
pub fn byte_to_char(text: &str, byte: usize) -> usize {
    let byte = byte.min(text.len());
    text.char_indices().take_while(|&(i, _)| i < byte).count()
}

fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    if is_general_punctuation(c) {
        return false;
    }
    c.is_alphanumeric() || ('\u{300}'..='\u{36f}').contains(&c) || c == '\u{200d}'
}

/// The General Punctuation block (U+2000-U+206F: spaces, dashes, quotes, ellipsis...) has
/// no letter, digit or cased char, so the Unicode tables need not be consulted for it.
pub(crate) fn is_general_punctuation(c: char) -> bool {
    ('\u{2000}'..='\u{206f}').contains(&c)
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}')
}

fn shape_of(s: &str) -> Shape {
    if s.is_ascii() {
        let b = s.as_bytes();
        return match b.first() {
            Some(f) if f.is_ascii_lowercase() => Shape::Lower,
            Some(f) if f.is_ascii_uppercase() => {
                if b.iter().any(u8::is_ascii_lowercase) {
                    Shape::Capitalized
                } else {
                    Shape::AllCaps
                }
            }
            _ => Shape::Other,
        };
    }
    let mut chars = s.chars().filter(|c| c.is_alphabetic());
    let first = s.chars().next();
    match first {
        Some(f) if f.is_alphabetic() => {
            if f.is_lowercase() {
                Shape::Lower
            } else if chars.any(|c| c.is_lowercase()) {
                Shape::Capitalized
            } else {
                Shape::AllCaps
            }
        }
        _ => Shape::Other,
    }
}

/// Scratch buffers above this many elements are not kept between calls.
const SCRATCH_KEEP: usize = 1 << 16;

thread_local! {
    /// The chars of the text being tokenized, kept between calls: a large allocation per
    /// call costs more than the tokenizing (the allocator tidies its free lists for it).
    static CHARS: RefCell<Vec<(usize, char)>> = const { RefCell::new(Vec::new()) };
}

/// Splits `text` into tokens.
pub fn tokenize(text: &str) -> Vec<Token> {
    CHARS.with(|cell| match cell.try_borrow_mut() {
        Ok(mut cs) => {
            let out = tokenize_with(text, &mut cs);
            if cs.capacity() > SCRATCH_KEEP {
                *cs = Vec::new();
            }
            out
        }
        Err(_) => tokenize_with(text, &mut Vec::new()),
    })
}

/// [`tokenize`] with `cs` as the buffer for the text's chars.
// long: one pass over the characters with the current token's state in locals; split, that state
// would travel between functions on every character of every article.
fn tokenize_with(text: &str, cs: &mut Vec<(usize, char)>) -> Vec<Token> {
    cs.clear();
    cs.reserve(text.len());
    // ASCII runs without decoding, other chars one by one
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let j = skip_ascii(bytes, i);
        cs.extend(
            bytes[i..j]
                .iter()
                .enumerate()
                .map(|(k, &b)| (i + k, char::from(b))),
        );
        match text.get(j..).and_then(|r| r.chars().next()) {
            Some(c) => {
                cs.push((j, c));
                i = j + c.len_utf8();
            }
            None => break,
        }
    }
    let cs: &[(usize, char)] = cs;
    let n = cs.len();
    let byte_at = |i: usize| if i < n { cs[i].0 } else { text.len() };
    let ch = |i: usize| if i < n { Some(cs[i].1) } else { None };
    let mut tokens = Vec::with_capacity(n / 4 + 16);
    let mut i = 0;
    let mut newlines = 0u32;
    let mut space = true;
    while i < n {
        let c = cs[i].1;
        if c == ' ' {
            space = true;
            i += 1;
            continue;
        }
        if c.is_whitespace() {
            if c == '\n' {
                newlines += 1;
            }
            space = true;
            i += 1;
            continue;
        }
        let start = i;
        let kind;
        // ".77" after a space is a number, not a full stop
        let leading_point = c == '.' && space && ch(i + 1).is_some_and(|d| d.is_ascii_digit());
        if c.is_ascii_digit() || (c.is_numeric() && c.is_alphanumeric()) || leading_point {
            kind = TokenKind::Number;
            i += 1;
            loop {
                match ch(i) {
                    Some(d) if is_word_char(d) => i += 1,
                    Some('.' | ',' | ':') if ch(i + 1).is_some_and(|d| d.is_ascii_digit()) => {
                        i += 2
                    }
                    Some(h) if is_hyphen(h) && ch(i + 1).is_some_and(is_word_char) => i += 2,
                    _ => break,
                }
            }
        } else if is_word_char(c) {
            kind = TokenKind::Word;
            if let Some(end) = dotted_acronym(cs, i) {
                i = end;
            } else {
                i += 1;
                loop {
                    // ASCII letters and digits are word chars
                    while cs.get(i).is_some_and(|&(_, d)| d.is_ascii_alphanumeric()) {
                        i += 1;
                    }
                    match ch(i) {
                        Some(d) if is_word_char(d) => i += 1,
                        Some(h) if is_hyphen(h) && ch(i + 1).is_some_and(is_word_char) => i += 2,
                        Some(a)
                            if is_apostrophe(a)
                                && ch(i + 1).is_some_and(|d| d.is_alphabetic())
                                && !is_possessive_s(cs, i) =>
                        {
                            i += 2
                        }
                        _ => break,
                    }
                }
            }
        } else if c == '.' && ch(i + 1) == Some('.') && ch(i + 2) == Some('.') {
            kind = TokenKind::Punct;
            i += 3;
        } else if is_apostrophe(c)
            && !space
            && tokens
                .last()
                .is_some_and(|t: &Token| t.kind == TokenKind::Word)
            && (is_possessive_s(cs, i) || plural_possessive(cs, i))
        {
            kind = TokenKind::Possessive;
            i += if is_possessive_s(cs, i) { 2 } else { 1 };
        } else {
            kind = TokenKind::Punct;
            i += 1;
        }
        let (b0, b1) = (byte_at(start), byte_at(i));
        tokens.push(Token {
            start: b0,
            end: b1,
            char_start: start,
            char_end: i,
            kind,
            shape: shape_of(&text[b0..b1]),
            space_before: space,
            newlines_before: newlines,
        });
        space = false;
        newlines = 0;
    }
    tokens
}

/// "’s" / "'s" at `i` ending a word (followed by a non-letter).
fn is_possessive_s(cs: &[(usize, char)], i: usize) -> bool {
    cs.get(i).is_some_and(|c| is_apostrophe(c.1))
        && cs.get(i + 1).is_some_and(|c| matches!(c.1, 's' | 'S'))
        && !cs.get(i + 2).is_some_and(|c| is_word_char(c.1))
        && i > 0
        && is_word_char(cs[i - 1].1)
}

/// A bare apostrophe after a plural ending in "s", followed by a space and a word ("allies' aid").
fn plural_possessive(cs: &[(usize, char)], i: usize) -> bool {
    i > 0
        && matches!(cs[i - 1].1, 's' | 'S')
        && cs.get(i + 1).is_some_and(|c| c.1 == ' ')
        && cs.get(i + 2).is_some_and(|c| c.1.is_alphabetic())
}

/// End (exclusive char index) of a dotted acronym starting at `i` ("U.S.", "D.C.", "e.g."): two or
/// more single letters each followed by a period.
fn dotted_acronym(cs: &[(usize, char)], i: usize) -> Option<usize> {
    let mut j = i;
    let mut letters = 0;
    while cs.get(j).is_some_and(|c| c.1.is_alphabetic())
        && cs.get(j + 1).is_some_and(|c| c.1 == '.')
    {
        letters += 1;
        j += 2;
        if !cs.get(j).is_some_and(|c| c.1.is_alphabetic())
            || cs.get(j + 1).is_some_and(|c| is_word_char(c.1))
        {
            break;
        }
    }
    (letters >= 2).then_some(j)
}

fn is_closing(c: &str) -> bool {
    matches!(
        c,
        "\"" | "\u{201d}" | "'" | "\u{2019}" | ")" | "]" | "\u{bb}" | "\u{203a}"
    )
}

fn is_terminal(c: &str) -> bool {
    matches!(c, "." | "!" | "?" | "..." | "\u{2026}" | "\u{203c}")
}

/// Splits `text` into sentences and tokens.
pub fn segment(text: &str) -> Segmentation {
    segment_with(text, Lexicon::embedded())
}

/// [`segment`] with an explicit lexicon.
pub fn segment_with(text: &str, lex: &Lexicon) -> Segmentation {
    let tokens = tokenize(text);
    let mut sentences = Vec::new();
    let mut sent_start = 0usize;
    let mut paragraph = 0usize;
    let mut sent_paragraph = 0usize;
    let mut i = 0usize;
    let push = |sentences: &mut Vec<Sentence>, a: usize, b: usize, p: usize| {
        if b > a {
            sentences.push(Sentence {
                start: tokens[a].start,
                end: tokens[b - 1].end,
                char_start: tokens[a].char_start,
                char_end: tokens[b - 1].char_end,
                tokens: a..b,
                paragraph: p,
            });
        }
    };
    while i < tokens.len() {
        let t = &tokens[i];
        if i > sent_start && line_break_ends(text, &tokens, i) {
            push(&mut sentences, sent_start, i, sent_paragraph);
            sent_start = i;
        }
        if t.newlines_before >= 2 && i > 0 {
            paragraph += 1;
        }
        if i == sent_start {
            sent_paragraph = paragraph;
        }
        let s = t.text(text);
        let terminal = is_terminal(s) || (t.kind == TokenKind::Word && s.ends_with('.'));
        if terminal {
            // absorb closing quotes and brackets written right after the terminal mark
            let mut j = i + 1;
            while j < tokens.len()
                && !tokens[j].space_before
                && (is_closing(tokens[j].text(text)) || is_terminal(tokens[j].text(text)))
            {
                j += 1;
            }
            if ends_sentence(text, &tokens, i, j, lex) {
                push(&mut sentences, sent_start, j, sent_paragraph);
                sent_start = j;
                i = j;
                continue;
            }
        }
        i += 1;
    }
    push(&mut sentences, sent_start, tokens.len(), sent_paragraph);
    Segmentation { tokens, sentences }
}

/// Whether the line break(s) before token `i` end the sentence.
fn line_break_ends(text: &str, tokens: &[Token], i: usize) -> bool {
    let t = &tokens[i];
    match t.newlines_before {
        0 => false,
        1 => {
            let prev = tokens[i - 1].text(text);
            !(t.shape == Shape::Lower
                || matches!(prev, "," | ";" | ":" | "-" | "(" | "\u{2013}" | "\u{2014}"))
        }
        _ => true,
    }
}

/// Whether the terminal token `i` (closing marks up to `j`) ends a sentence.
fn ends_sentence(text: &str, tokens: &[Token], i: usize, j: usize, lex: &Lexicon) -> bool {
    let t = &tokens[i];
    let s = t.text(text);
    let Some(next) = tokens.get(j) else {
        return true;
    };
    if next.newlines_before > 0 {
        return true;
    }
    let ns = next.text(text);
    let next_function_word = next.is_upper_initial() && lex.is_function_word(ns);
    // Dotted acronym carrying its own period ("U.S.", "D.C.")
    if t.kind == TokenKind::Word {
        return next_function_word || (j > i + 1 && next.is_upper_initial());
    }
    if next.shape == Shape::Lower {
        return false;
    }
    if next.kind == TokenKind::Punct && !is_opening(ns) {
        return false;
    }
    if s == "." && j == i + 1 && i > 0 && !t.space_before {
        let prev = &tokens[i - 1];
        let ps = prev.text(text);
        if prev.kind == TokenKind::Word {
            // an initial: "J. D. Vance", "George W. Bush"
            if ps.chars().count() == 1 && prev.shape == Shape::AllCaps {
                return false;
            }
            match lex.abbreviation(ps) {
                Some(AbbrevClass::Title) => return false,
                Some(AbbrevClass::Number) => return next.kind != TokenKind::Number,
                Some(AbbrevClass::Month) => return next.kind != TokenKind::Number,
                Some(AbbrevClass::Other) => return next_function_word,
                None => {}
            }
        }
    }
    true
}

fn is_opening(s: &str) -> bool {
    matches!(
        s,
        "\"" | "\u{201c}" | "'" | "\u{2018}" | "(" | "[" | "\u{ab}" | "\u{2039}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sents(text: &str) -> Vec<String> {
        let seg = segment(text);
        seg.sentences
            .iter()
            .map(|s| s.text(text).to_string())
            .collect()
    }

    fn toks(text: &str) -> Vec<String> {
        tokenize(text)
            .iter()
            .map(|t| t.text(text).to_string())
            .collect()
    }

    #[test]
    fn abbreviations_do_not_split() {
        let text = "Gen. Mark Diaz met Sen. Ana Lopez in Washington, D.C. on Feb. 3. The U.S. and the U.N. agreed. Lt. Col. Ray Hobbs flew to St. Petersburg.";
        assert_eq!(
            sents(text),
            vec![
                "Gen. Mark Diaz met Sen. Ana Lopez in Washington, D.C. on Feb. 3.",
                "The U.S. and the U.N. agreed.",
                "Lt. Col. Ray Hobbs flew to St. Petersburg."
            ]
        );
    }

    #[test]
    fn acronym_at_sentence_end() {
        let text = "The envoy flew back to the U.S. He landed at dawn. Mr. Ortiz stayed at No. 10 Downing Street.";
        assert_eq!(
            sents(text),
            vec![
                "The envoy flew back to the U.S.",
                "He landed at dawn.",
                "Mr. Ortiz stayed at No. 10 Downing Street."
            ]
        );
    }

    #[test]
    fn initials_and_numbers() {
        let text =
            "Vice President J. D. Vance spoke. The city of 2.4 million people lost 1,200 homes.";
        assert_eq!(
            sents(text),
            vec![
                "Vice President J. D. Vance spoke.",
                "The city of 2.4 million people lost 1,200 homes."
            ]
        );
        assert_eq!(
            toks("lost 1,200 homes, 2.4 million"),
            vec!["lost", "1,200", "homes", ",", "2.4", "million"]
        );
    }

    #[test]
    fn quotes_close_the_sentence() {
        let text = "\u{201c}We will not retreat,\u{201d} he said. \"It is over.\" Next came the vote. Was it fair?\" she asked. Yes.";
        assert_eq!(
            sents(text),
            vec![
                "\u{201c}We will not retreat,\u{201d} he said.",
                "\"It is over.\"",
                "Next came the vote.",
                "Was it fair?\" she asked.",
                "Yes."
            ]
        );
    }

    #[test]
    fn headline_and_paragraphs() {
        let text = "Ministers meet in Oslo over ceasefire\n\nForeign ministers met on Friday.\n\nTalks resume today";
        let seg = segment(text);
        let got: Vec<_> = seg
            .sentences
            .iter()
            .map(|s| (s.text(text), s.paragraph))
            .collect();
        assert_eq!(
            got,
            vec![
                ("Ministers meet in Oslo over ceasefire", 0),
                ("Foreign ministers met on Friday.", 1),
                ("Talks resume today", 2)
            ]
        );
    }

    #[test]
    fn wire_dateline_dashes_ellipses() {
        let text = "KYIV, Ukraine (AP) \u{2014} Drones hit the port... Officials said 12 people died \u{2014} four of them children (police said).";
        assert_eq!(
            sents(text),
            vec![
                "KYIV, Ukraine (AP) \u{2014} Drones hit the port...",
                "Officials said 12 people died \u{2014} four of them children (police said)."
            ]
        );
        let text = "He paused... and then left.";
        assert_eq!(sents(text).len(), 1);
    }

    #[test]
    fn possessives_and_hyphens() {
        assert_eq!(
            toks("Zelenskyy\u{2019}s chief Jean-Noel Barrot's aide, O'Brien's allies' plan"),
            vec![
                "Zelenskyy",
                "\u{2019}s",
                "chief",
                "Jean-Noel",
                "Barrot",
                "'s",
                "aide",
                ",",
                "O'Brien",
                "'s",
                "allies",
                "'",
                "plan"
            ]
        );
        let t = tokenize("Russia's");
        assert_eq!(t[1].kind, TokenKind::Possessive);
        assert_eq!(
            toks("a four-hour meeting"),
            vec!["a", "four-hour", "meeting"]
        );
    }

    #[test]
    fn char_offsets_follow_code_points() {
        let text = "Jean-No\u{eb}l Barrot met \u{2018}Macron\u{2019}.";
        let toks = tokenize(text);
        let idx = CharIndex::new(text);
        for t in &toks {
            assert_eq!(t.char_start, idx.char_offset(t.start));
            assert_eq!(t.char_end, idx.char_offset(t.end));
            assert_eq!(t.char_start, byte_to_char(text, t.start));
            let by_chars: String = text
                .chars()
                .skip(t.char_start)
                .take(t.char_end - t.char_start)
                .collect();
            assert_eq!(by_chars, t.text(text));
        }
        assert_eq!(toks[4].text(text), "Macron");
        assert_eq!(toks[4].char_start, 22);
    }

    #[test]
    fn shapes() {
        let text = "KYIV Putin the U.S. 35";
        let s: Vec<_> = tokenize(text).iter().map(|t| t.shape).collect();
        assert_eq!(
            s,
            vec![
                Shape::AllCaps,
                Shape::Capitalized,
                Shape::Lower,
                Shape::AllCaps,
                Shape::Other
            ]
        );
    }

    #[test]
    fn general_punctuation_has_no_letters_or_digits() {
        for c in '\u{2000}'..='\u{206f}' {
            assert!(is_general_punctuation(c));
            assert!(
                !c.is_alphanumeric() && !c.is_lowercase() && !c.is_uppercase(),
                "{c:?}"
            );
            assert!(!is_word_char(c) || c == '\u{200d}', "{c:?}");
        }
    }

    #[test]
    fn a_decimal_without_its_leading_zero_is_one_number() {
        assert_eq!(
            toks("fell to .77 in May"),
            ["fell", "to", ".77", "in", "May"]
        );
        assert_eq!(
            sents("The fund lost .0012G last year. It recovered."),
            ["The fund lost .0012G last year.", "It recovered."]
        );
    }

    #[test]
    fn empty_and_blank() {
        assert!(segment("").sentences.is_empty());
        assert!(segment("  \n\n ").sentences.is_empty());
        let seg = segment("One");
        assert_eq!(seg.sentence_of_token(0), Some(0));
        assert_eq!(seg.sentence_of_token(5), None);
    }
}
