//! Numbers in news text: digits, number words, multipliers, and the qualified or vague
//! quantities that casualty reports use ("at least 35", "dozens", "between 30 and 40").
//!
//! Counting conventions (conflict-data coding, the most conservative reading). The figures of
//! vague and collective words ("dozens", "scores", "a dozen", "a pair", "several") are written
//! once, in `data/lexicon/counting.tsv` ([`crate::counting`]); this table says how each kind of
//! phrase becomes low, high and qualifier:
//!
//! | phrase | low | high | qualifier |
//! |---|---|---|---|
//! | "117" | 117 | 117 | exact |
//! | "at least 35", "no fewer than 35" | 35 | – | at least |
//! | "more than 35", "over 35", "upwards of 35" | 35 | – | more than (low is the stated number, not n+1) |
//! | "up to 40", "as many as 40", "at most 40" | – | 40 | up to |
//! | "fewer than 40", "less than 40", "under 40" | – | 40 | less than (high is the stated bound) |
//! | "about 40", "around", "some", "approximately", "roughly", "an estimated" | 40 | 40 | approximately |
//! | "nearly 40", "almost 40", "close to 40" | – | 40 | nearly |
//! | "between 30 and 40", "30 to 40", "30-40", "30 or 40" | 30 | 40 | range |
//! | a `vague` word of counting.tsv ("dozens", "scores", "several", "a few", "a handful"); two of them ("tens of thousands": the product) | its figure | – | vague |
//! | "a" and a `unit` word of counting.tsv ("a dozen", "a pair") | its figure | its figure | exact |
//! | "a couple (of)" | its figure | its figure | approximately |

use serde::Serialize;

use std::sync::OnceLock;

use crate::counting::{unit_figure, vague_figure, vague_words};
use crate::lexer::{tokenize, Kind, Token};
use eventwire_wordmap::WordSet;

/// How a quantity was qualified in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Qualifier {
    /// A plain number: low = high = n.
    Exact,
    /// "at least n": low = n, no high.
    AtLeast,
    /// "more than n", "over n": low = n (the stated number), no high.
    MoreThan,
    /// "up to n", "as many as n": no low, high = n.
    UpTo,
    /// "fewer than n", "under n": no low, high = n (the stated bound).
    LessThan,
    /// "about n", "some n": low = high = n.
    Approximately,
    /// "nearly n", "almost n": no low, high = n.
    Nearly,
    /// "between a and b", "a-b": low = a, high = b.
    Range,
    /// "dozens", "hundreds", "several": low = the conventional minimum, no high.
    Vague,
}

impl Qualifier {
    /// The lower-case words used on the wire ("at least", "up to", ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Qualifier::Exact => "exact",
            Qualifier::AtLeast => "at least",
            Qualifier::MoreThan => "more than",
            Qualifier::UpTo => "up to",
            Qualifier::LessThan => "less than",
            Qualifier::Approximately => "approximately",
            Qualifier::Nearly => "nearly",
            Qualifier::Range => "range",
            Qualifier::Vague => "vague",
        }
    }
}

/// What role a number plays, so the caller can decide whether it counts people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QuantityKind {
    /// A cardinal that may count things ("35", "two", "dozens").
    Count,
    /// An ordinal ("third", "3rd").
    Ordinal,
    /// A four-digit year, or a number after "AD"/"in the year" ("in 2024", "2024-25").
    Year,
    /// A clock time ("10:30").
    Time,
    /// A day of the month next to a month name ("April 11", "11 April").
    DayOfMonth,
    /// A percentage ("30%", "30 percent").
    Percent,
    /// An amount of money ("$3 million", "500 euros").
    Money,
    /// An age or a duration-derived adjective ("5-year-old").
    Age,
    /// "one of the ...", "one of them": a partitive, usually not a casualty count.
    Partitive,
}

/// A number or quantity found in text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quantity {
    /// Byte offset of the first byte of the quantity phrase (qualifier included).
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
    /// The matched text, `&text[start..end]`.
    pub text: String,
    /// The stated number ("at least 35" → 35; "30-40" → 30; "dozens" → its figure in
    /// `data/lexicon/counting.tsv`).
    pub value: Option<f64>,
    /// Lower bound under the counting conventions of the module docs.
    pub low: Option<u64>,
    /// Upper bound under the counting conventions of the module docs.
    pub high: Option<u64>,
    /// How the number was qualified.
    pub qualifier: Qualifier,
    /// What the number is (count, year, time, ...).
    pub kind: QuantityKind,
    /// The number was written in words ("two") rather than digits.
    pub is_word: bool,
}

/// A number parsed at a token position.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NumMatch {
    /// Token index one past the last token of the number.
    pub end: usize,
    pub value: f64,
    /// Written (at least partly) in words.
    pub words: bool,
    /// An ordinal ("third", "3rd").
    pub ordinal: bool,
    /// A vague quantity word ("dozens"); `value` is its conventional minimum.
    pub vague: bool,
}

word_fn! {
    fn unit_word -> u64, UNIT_WORDS {
        "zero" | "naught" | "nought" | "nil" => 0,
        "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "fifteen" => 15,
        "sixteen" => 16,
        "seventeen" => 17,
        "eighteen" => 18,
        "nineteen" => 19,
    }
}

word_fn! {
    fn tens_word -> u64, TENS_WORDS {
        "twenty" => 20,
        "thirty" => 30,
        "forty" | "fourty" => 40,
        "fifty" => 50,
        "sixty" => 60,
        "seventy" => 70,
        "eighty" => 80,
        "ninety" => 90,
    }
}

word_fn! {
    /// Ordinal words: value.
    pub(crate) fn ordinal_word -> u64, ORDINAL_WORDS {
        "first" => 1,
        "second" => 2,
        "third" => 3,
        "fourth" => 4,
        "fifth" => 5,
        "sixth" => 6,
        "seventh" => 7,
        "eighth" => 8,
        "ninth" => 9,
        "tenth" => 10,
        "eleventh" => 11,
        "twelfth" => 12,
        "thirteenth" => 13,
        "fourteenth" => 14,
        "fifteenth" => 15,
        "sixteenth" => 16,
        "seventeenth" => 17,
        "eighteenth" => 18,
        "nineteenth" => 19,
        "twentieth" => 20,
        "thirtieth" => 30,
    }
}

/// Multipliers written as words after a number; `abbrev` admits the one-letter and other
/// short forms that are only safe when the whole input is a number.
fn scale_word(w: &str, abbrev: bool) -> Option<f64> {
    Some(match w {
        "hundred" | "hundreds" => 100.0,
        "thousand" | "thousands" => 1e3,
        "lakh" | "lakhs" | "lac" | "lacs" | "lkh" | "lkhs" => 1e5,
        "million" | "millions" => 1e6,
        "crore" | "crores" | "koti" | "krore" | "krores" => 1e7,
        "billion" | "billions" | "bn" => 1e9,
        "trillion" | "trillions" => 1e12,
        "dozen" | "dozens" => return unit_figure("dozen"),
        "cr" | "kr" if abbrev => 1e7,
        "l" if abbrev => 1e5,
        _ => return None,
    })
}

/// Suffix glued to digits: "3K", "1.2M", ".0012G", "1.5bn".
fn glued_suffix(w: &str) -> Option<f64> {
    Some(match w {
        "k" => 1e3,
        "m" | "mn" => 1e6,
        "g" | "b" | "bn" => 1e9,
        _ => return None,
    })
}

/// Vague quantity words and their conventional minimum (`data/lexicon/counting.tsv`).
fn vague_word(w: &str) -> Option<f64> {
    vague_figure(w)
}

/// Parses digits at `i`: "1,200,000", "0.77", ".77", "0033", with a glued suffix ("3K").
fn digits_at(toks: &[Token], i: usize) -> Option<(usize, f64)> {
    let t = toks.get(i)?;
    let (mut j, mut s) = match t.kind {
        Kind::Num => (i + 1, t.norm.to_string()),
        Kind::Punct if t.norm == "." => {
            let n = toks
                .get(i + 1)
                .filter(|n| n.kind == Kind::Num && !n.space_before)?;
            return finish_decimal(toks, i + 2, format!("0.{}", n.norm));
        }
        _ => return None,
    };
    // Thousands groups: ",ddd" with no spaces.
    while let (Some(c), Some(g)) = (toks.get(j), toks.get(j + 1)) {
        if c.norm == ","
            && !c.space_before
            && !g.space_before
            && g.kind == Kind::Num
            && g.norm.len() == 3
        {
            s.push_str(g.norm);
            j += 2;
        } else {
            break;
        }
    }
    if let (Some(d), Some(f)) = (toks.get(j), toks.get(j + 1)) {
        if d.norm == "." && !d.space_before && !f.space_before && f.kind == Kind::Num {
            s.push('.');
            s.push_str(f.norm);
            j += 2;
        }
    }
    finish_decimal(toks, j, s)
}

fn finish_decimal(toks: &[Token], j: usize, s: String) -> Option<(usize, f64)> {
    let mut v: f64 = s.parse().ok()?;
    let mut j = j;
    if let Some(t) = toks.get(j) {
        if t.kind == Kind::Word && !t.space_before {
            if let Some(m) = glued_suffix(t.norm) {
                v *= m;
                j += 1;
            } else {
                // Digits glued to other letters ("14april") end here.
            }
        }
    }
    Some((j, v))
}

/// Parses a number written in words at `i` ("three hundred and twelve", "twenty-one", "a
/// thousand", "one point five", "2 million"), reading one token at a time ([`WordNumber`]).
fn words_at(toks: &[Token], i: usize, abbrev: bool) -> Option<NumMatch> {
    let mut n = WordNumber {
        j: i,
        point_div: 1.0,
        ..WordNumber::default()
    };
    // "a" / "an" before hundred/thousand/dozen...
    if toks.get(i).is_some_and(|t| t.is("a") || t.is("an")) {
        let next = toks.get(i + 1)?;
        if scale_word(next.norm, false).is_none() || next.norm.ends_with('s') {
            return None;
        }
        n.current = Some(1.0);
        n.j = i + 1;
        n.words = true;
    }
    while let Some(t) = toks.get(n.j) {
        let mut step = Step::NotMine;
        if n.after_point {
            step = n.point_digit(t);
        }
        if matches!(step, Step::NotMine) && t.kind == Kind::Word {
            step = n.word(toks, t.norm, abbrev);
        }
        if matches!(step, Step::NotMine)
            && (t.kind == Kind::Num || (t.norm == "." && n.last_end.is_none()))
        {
            step = n.digits(toks);
        }
        match step {
            Step::Next => continue,
            Step::Fail => return None,
            Step::Stop | Step::NotMine => break,
        }
    }
    let end = n.last_end?;
    Some(NumMatch {
        end,
        value: n.total + n.current.unwrap_or(0.0),
        words: n.words,
        ordinal: false,
        vague: false,
    })
}

/// What reading one token did to a [`WordNumber`].
enum Step {
    /// The token belongs to the number; read the next one.
    Next,
    /// The number ended before the token.
    Stop,
    /// What was read is not a number after all.
    Fail,
    /// This kind of token is read by another step.
    NotMine,
}

/// The state of [`words_at`] while it reads a number in words.
#[derive(Default)]
struct WordNumber {
    /// The groups closed by a scale word ("three thousand" → 3000).
    total: f64,
    /// The group being read ("twenty two" → 22).
    current: Option<f64>,
    /// The largest scale word read so far.
    highest_scale: f64,
    /// The next token.
    j: usize,
    /// One past the last token that belongs to the number.
    last_end: Option<usize>,
    /// Written (at least partly) in words.
    words: bool,
    /// The last word was a tens word (a unit may follow).
    last_tens: bool,
    /// The last unit or tens value of the group.
    last_small: Option<u64>,
    /// After "point": digits one by one.
    after_point: bool,
    /// The place value of the next digit after the point.
    point_div: f64,
}

impl WordNumber {
    /// The token at `j` belongs to the number.
    fn take(&mut self) {
        self.j += 1;
        self.last_end = Some(self.j);
    }

    /// After "point": a digit word ("point seven five") or digits ("point 75").
    fn point_digit(&mut self, t: &Token) -> Step {
        if let Some(u) = unit_word(t.norm).filter(|u| *u < 10) {
            self.point_div /= 10.0;
            self.current = Some(self.current.unwrap_or(0.0) + u as f64 * self.point_div);
            self.take();
            return Step::Next;
        }
        if t.kind == Kind::Num && self.point_div == 1.0 {
            let Ok(frac) = format!("0.{}", t.norm).parse::<f64>() else {
                return Step::Fail;
            };
            self.current = Some(self.current.unwrap_or(0.0) + frac);
            self.point_div = 0.1f64.powi(t.norm.len() as i32);
            self.take();
            return Step::Next;
        }
        if self.point_div == 1.0 {
            return Step::Fail;
        }
        self.after_point = false;
        Step::NotMine
    }

    /// A word: a unit, a tens word, "hundred", a scale, "point" or a joining "and".
    fn word(&mut self, toks: &[Token], w: &str, abbrev: bool) -> Step {
        if let Some(u) = unit_word(w) {
            return self.unit(u);
        }
        if let Some(te) = tens_word(w) {
            return self.tens(toks, te);
        }
        if w == "hundred" || w == "hundreds" {
            let Some(c) = self.current else {
                return Step::Fail;
            };
            self.current = Some(c * 100.0);
            self.last_small = None;
            self.last_tens = false;
            self.words = true;
            self.take();
            return Step::Next;
        }
        if let Some(sc) = scale_word(w, abbrev) {
            return self.scale(sc);
        }
        if w == "point" && (self.current.is_some() || self.last_end.is_none()) {
            self.after_point = true;
            self.point_div = 1.0;
            self.j += 1;
            return Step::Next;
        }
        // "a hundred and twelve": only when a number word follows.
        let number_word_next = toks
            .get(self.j + 1)
            .is_some_and(|n| unit_word(n.norm).is_some() || tens_word(n.norm).is_some());
        if w == "and" && self.last_end.is_some() && number_word_next {
            self.j += 1;
            self.last_small = None;
            self.last_tens = false;
            return Step::Next;
        }
        Step::Stop
    }

    /// A unit word ("seven"): only first in its group or after a tens word below ten.
    fn unit(&mut self, u: u64) -> Step {
        if self.last_small.is_some() && !self.last_tens {
            return Step::Stop;
        }
        if self.last_tens && u >= 10 {
            return Step::Stop;
        }
        self.current = Some(self.current.unwrap_or(0.0) + u as f64);
        self.last_small = Some(u);
        self.last_tens = false;
        self.words = true;
        self.take();
        Step::Next
    }

    /// A tens word ("twenty"), and a hyphen joining it to a unit ("twenty-one").
    fn tens(&mut self, toks: &[Token], te: u64) -> Step {
        match self.last_small {
            // "one twenty two" = 122 (a unit, then a two-digit group).
            Some(s) if !self.last_tens && s < 10 && self.current == Some(s as f64) => {
                self.current = Some(s as f64 * 100.0 + te as f64);
            }
            Some(_) if self.current.is_some_and(|c| c % 100.0 != 0.0) => return Step::Stop,
            _ => self.current = Some(self.current.unwrap_or(0.0) + te as f64),
        }
        self.last_tens = true;
        self.last_small = Some(te);
        self.words = true;
        self.take();
        let j = self.j;
        if toks
            .get(j)
            .is_some_and(|h| h.norm == "-" && !h.space_before)
            && toks
                .get(j + 1)
                .and_then(|n| unit_word(n.norm))
                .is_some_and(|u| u > 0 && u < 10)
        {
            self.j += 1;
        }
        Step::Next
    }

    /// A scale word ("thousand", "million", "dozen") closing the group.
    fn scale(&mut self, sc: f64) -> Step {
        let Some(c) = self.current else {
            // "three thousand millions": a larger scale multiplies the total.
            if self.total > 0.0 && sc > self.highest_scale {
                self.total *= sc;
                self.highest_scale = sc;
                self.take();
                return Step::Next;
            }
            return Step::Stop;
        };
        if sc >= self.highest_scale {
            self.total = (self.total + c) * sc;
            self.highest_scale = sc;
        } else {
            self.total += c * sc;
        }
        self.current = None;
        self.last_small = None;
        self.last_tens = false;
        self.words = true;
        self.take();
        Step::Next
    }

    /// Digits ("2 million", "1.5 billion"): only first in the number.
    fn digits(&mut self, toks: &[Token]) -> Step {
        if self.last_end.is_some() {
            return Step::Stop;
        }
        let Some((e, v)) = digits_at(toks, self.j) else {
            return Step::Fail;
        };
        self.current = Some(v);
        self.j = e;
        self.last_end = Some(self.j);
        self.last_small = Some(u64::MAX);
        self.last_tens = false;
        Step::Next
    }
}

/// Whether [`number_at`] may read a number starting at a token of kind `kind` and normalised
/// text `w`: a superset of the tokens any of its branches accepts first (digits, ordinals,
/// number, tens, vague and sign words, "a"/"an", "single", "couple", "point", "." and "-").
pub(crate) fn may_start_number(kind: Kind, w: &str) -> bool {
    match kind {
        Kind::Num | Kind::OrdNum => true,
        Kind::Punct => w == "." || w == "-",
        Kind::Word => number_start_words().contains(w),
    }
}

/// The words a number may start with: [`UNIT_WORDS`], [`TENS_WORDS`], [`ORDINAL_WORDS`],
/// the vague words of `data/lexicon/counting.tsv` and the sign, article and fixed-phrase words [`number_at`] reads.
fn number_start_words() -> &'static WordSet {
    static WORDS: OnceLock<WordSet> = OnceLock::new();
    WORDS.get_or_init(|| WordSet::new(number_start_word_list()))
}

/// The members of [`number_start_words`].
pub(crate) fn number_start_word_list() -> impl Iterator<Item = &'static str> {
    ["minus", "negative", "a", "an", "single", "couple", "point"]
        .into_iter()
        .chain(UNIT_WORDS.iter().copied())
        .chain(TENS_WORDS.iter().copied())
        .chain(ORDINAL_WORDS.iter().copied())
        .chain(vague_words())
}

/// Parses one number starting at token `i`: sign, digits or words, multipliers, ordinals.
/// `abbrev` admits risky short multipliers ("30 l" for lakh) and is only used when the whole
/// input is a number.
// long: one branch per way a number can start (sign, digits, fixed phrase, vague word, words),
// tried in order: the order is the grammar.
pub(crate) fn number_at(toks: &[Token], i: usize, abbrev: bool) -> Option<NumMatch> {
    let t = toks.get(i)?;
    if !t.num_start {
        return None;
    }
    // Sign.
    if t.is("minus") || t.is("negative") || (t.norm == "-" && i == 0) {
        let m = number_at(toks, i + 1, abbrev)?;
        if m.ordinal || m.vague {
            return None;
        }
        return Some(NumMatch {
            value: -m.value,
            ..m
        });
    }
    if t.kind == Kind::OrdNum {
        return Some(NumMatch {
            end: i + 1,
            value: t.num()? as f64,
            words: false,
            ordinal: true,
            vague: false,
        });
    }
    if let Some(o) = ordinal_word(t.norm) {
        return Some(NumMatch {
            end: i + 1,
            value: o as f64,
            words: true,
            ordinal: true,
            vague: false,
        });
    }
    // Compound ordinals "twenty-first".
    if let Some(te) = tens_word(t.norm) {
        if toks.get(i + 1).is_some_and(|h| h.norm == "-") {
            if let Some(o) = toks
                .get(i + 2)
                .and_then(|n| ordinal_word(n.norm))
                .filter(|o| *o < 10)
            {
                return Some(NumMatch {
                    end: i + 3,
                    value: (te + o) as f64,
                    words: true,
                    ordinal: true,
                    vague: false,
                });
            }
        }
    }
    // Fixed phrases.
    let w = t.norm;
    let next = toks.get(i + 1).map(|t| t.norm);
    let fixed = |end: usize, v: f64, vague: bool| {
        let mut end = end;
        if toks.get(end).is_some_and(|t| t.is("of")) && abbrev {
            end += 1;
        }
        Some(NumMatch {
            end,
            value: v,
            words: true,
            ordinal: false,
            vague,
        })
    };
    match (w, next) {
        ("a", Some(unit @ ("pair" | "couple"))) => return fixed(i + 2, unit_figure(unit)?, false),
        ("a", Some(vague @ ("few" | "handful"))) => {
            return fixed(i + 2, vague_figure(vague)?, true)
        }
        ("a", Some("dozen"))
            // "a dozen" alone; "a dozen thousand" goes to the word grammar.
            if toks
                .get(i + 2).is_none_or(|n| scale_word(n.norm, false).is_none())
            => {
                return fixed(i + 2, unit_figure("dozen")?, false);
            }
        ("single", _) => return fixed(i + 1, 1.0, false),
        ("couple", Some("of")) => return fixed(i + 1, unit_figure("couple")?, false),
        _ => {}
    }
    if let Some(v) = vague_word(w) {
        // "hundreds of thousands", "tens of thousands".
        if next == Some("of") {
            if let Some(s) = toks.get(i + 2).and_then(|n| vague_word(n.norm)) {
                if s >= 1000.0 && (10.0..1000.0).contains(&v) {
                    return Some(NumMatch {
                        end: i + 3,
                        value: v * s,
                        words: true,
                        ordinal: false,
                        vague: true,
                    });
                }
            }
        }
        return Some(NumMatch {
            end: i + 1,
            value: v,
            words: true,
            ordinal: false,
            vague: true,
        });
    }
    let m = words_at(toks, i, abbrev)?;
    Some(m)
}

/// Parses `s` as one number, the whole string ("117", "thirty-five", "2.4 million", "-1.2M",
/// "a dozen", "1/5", "forty-five (45)"). Returns `None` when `s` is not exactly a number.
///
/// ```
/// use eventwire_timex::numbers::parse_number;
/// assert_eq!(parse_number("a hundred and twelve"), Some(112.0));
/// assert_eq!(parse_number("1.5bn"), Some(1.5e9));
/// assert_eq!(parse_number("in 2024"), None);
/// ```
pub fn parse_number(s: &str) -> Option<f64> {
    let mut arena = String::new();
    let toks = tokenize(s, &mut arena);
    if toks.is_empty() {
        return None;
    }
    // "-" followed by a space: "- 1,200,000".
    let m = number_at(&toks, 0, true)?;
    let mut end = m.end;
    let mut value = m.value;
    // Fractions "1/5".
    if !m.words && end + 1 < toks.len() + 1 {
        if let (Some(sl), Some(_)) = (toks.get(end), toks.get(end + 1)) {
            if sl.norm == "/" {
                let d = number_at(&toks, end + 1, false)?;
                if d.value == 0.0 || d.words {
                    return None;
                }
                value /= d.value;
                end = d.end;
            }
        }
    }
    // "forty-five (45)": a restatement in parentheses.
    if toks.get(end).is_some_and(|t| t.norm == "(") {
        let inner = number_at(&toks, end + 1, false)?;
        if (inner.value - value.abs()).abs() > 1e-9
            || toks.get(inner.end).is_none_or(|t| t.norm != ")")
        {
            return None;
        }
        end = inner.end + 1;
    }
    if end != toks.len() {
        return None;
    }
    Some(value)
}

/// Qualifier phrases before a number, longest first.
const QUALIFIERS: &[(&[&str], Qualifier)] = &[
    (&["no", "fewer", "than"], Qualifier::AtLeast),
    (&["no", "less", "than"], Qualifier::AtLeast),
    (&["not", "less", "than"], Qualifier::AtLeast),
    (&["a", "minimum", "of"], Qualifier::AtLeast),
    (&["at", "least"], Qualifier::AtLeast),
    (&["more", "than"], Qualifier::MoreThan),
    (&["in", "excess", "of"], Qualifier::MoreThan),
    (&["upwards", "of"], Qualifier::MoreThan),
    (&["upward", "of"], Qualifier::MoreThan),
    (&["over"], Qualifier::MoreThan),
    (&["no", "more", "than"], Qualifier::UpTo),
    (&["not", "more", "than"], Qualifier::UpTo),
    (&["as", "many", "as"], Qualifier::UpTo),
    (&["a", "maximum", "of"], Qualifier::UpTo),
    (&["at", "most"], Qualifier::UpTo),
    (&["up", "to"], Qualifier::UpTo),
    (&["fewer", "than"], Qualifier::LessThan),
    (&["less", "than"], Qualifier::LessThan),
    (&["under"], Qualifier::LessThan),
    (&["close", "to"], Qualifier::Nearly),
    (&["nearly"], Qualifier::Nearly),
    (&["almost"], Qualifier::Nearly),
    (&["an", "estimated"], Qualifier::Approximately),
    (&["approximately"], Qualifier::Approximately),
    (&["roughly"], Qualifier::Approximately),
    (&["around"], Qualifier::Approximately),
    (&["about"], Qualifier::Approximately),
    (&["some"], Qualifier::Approximately),
    (&["approx"], Qualifier::Approximately),
    (&["estimated"], Qualifier::Approximately),
];

/// The first words of [`QUALIFIERS`].
fn qualifier_first_words() -> &'static WordSet {
    static FIRST: OnceLock<WordSet> = OnceLock::new();
    FIRST.get_or_init(|| WordSet::new(QUALIFIERS.iter().filter_map(|(p, _)| p.first().copied())))
}

/// Whether the word `w` (normalised) is the first word of a qualifier (a token's
/// `qual_first`).
pub(crate) fn qualifier_first_word(w: &str) -> bool {
    qualifier_first_words().contains(w)
}

/// Whether a quantity may start at the word `w` (normalised): a number start word other
/// than "couple" and "point", "no", "between", "from" or the first word of a qualifier (a
/// token's `qty_start`, read by [`quantity_at`]).
pub(crate) fn quantity_start_word(w: &str) -> bool {
    (may_start_number(Kind::Word, w) && !matches!(w, "couple" | "point"))
        || matches!(w, "no" | "between" | "from")
        || qualifier_first_word(w)
}

/// Every word [`quantity_start_word`] accepts, and maybe more.
pub(crate) fn quantity_start_word_list() -> impl Iterator<Item = &'static str> {
    number_start_word_list()
        .chain(["no", "between", "from"])
        .chain(QUALIFIERS.iter().filter_map(|(p, _)| p.first().copied()))
}

const YEAR_PREPS: &[&str] = &[
    "in", "since", "until", "till", "by", "during", "of", "from", "before", "after", "through",
    "year",
];

fn is_month(t: Option<&Token>) -> bool {
    t.is_some_and(|t| t.month.is_some())
}

fn to_u64(v: f64) -> Option<u64> {
    (v >= 0.0 && v.fract() == 0.0 && v < 1.8e19).then_some(v as u64)
}

/// Finds every number and quantity in `text`, with qualifiers and counting conventions, and a
/// [`QuantityKind`] telling counts from years, times, days of the month, ordinals, ages,
/// percentages, money and partitives ("one of the").
///
/// ```
/// use eventwire_timex::numbers::{find_quantities, Qualifier};
/// let q = find_quantities("At least 35 people were killed and dozens injured.");
/// assert_eq!((q[0].low, q[0].high, q[0].qualifier), (Some(35), None, Qualifier::AtLeast));
/// assert_eq!((q[1].low, q[1].qualifier), (Some(12), Qualifier::Vague));
/// ```
pub fn find_quantities(text: &str) -> Vec<Quantity> {
    let mut arena = String::new();
    let toks = tokenize(text, &mut arena);
    quantities_in(text, &toks)
}

/// [`find_quantities`] over tokens of `text` already made (offsets into `text`).
pub(crate) fn quantities_in(text: &str, toks: &[Token]) -> Vec<Quantity> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        match quantity_at(text, toks, i) {
            Some((q, end)) => {
                out.push(q);
                i = end;
            }
            None => i += 1,
        }
    }
    out
}

/// The quantity starting at token `i`, with the token index one past it: a zero ("no one"), a
/// range ("between 30 and 40", "30-40"), a clock time, or a number with its qualifier, its
/// kind ([`quantity_kind`]) and the bounds its qualifier gives ([`bounds`]).
fn quantity_at(text: &str, toks: &[Token], i: usize) -> Option<(Quantity, usize)> {
    if !may_start_quantity(toks, i) || continues_glued_code(toks, i) {
        return None;
    }
    let t = &toks[i];
    // "no one" → zero.
    if t.is("no") && toks.get(i + 1).is_some_and(|n| n.is("one")) {
        let zero = make(
            text,
            toks,
            i,
            i + 2,
            Some(0.0),
            Some(0),
            Some(0),
            Qualifier::Exact,
            QuantityKind::Count,
            true,
        );
        return Some((zero, i + 2));
    }
    let (qual, j) = qualifier_prefix(toks, i);
    if qual.is_none() && (t.is("between") || t.is("from")) {
        return between_range(text, toks, i);
    }
    if t.is("between") || t.is("from") || (t.is("no") && qual.is_none()) {
        return None;
    }
    let m = number_at(toks, j, false)?;
    if !m.words && !m.ordinal {
        if let Some(end) = clock_time_end(toks, m.end) {
            let time = make(
                text,
                toks,
                i,
                end,
                Some(m.value),
                None,
                None,
                Qualifier::Exact,
                QuantityKind::Time,
                false,
            );
            return Some((time, end));
        }
    }
    let (kind, end) = quantity_kind(toks, j, &m);
    // Ranges: "30 to 40", "30-40", "two or three", "30 and 40" is not a range.
    if kind == QuantityKind::Count && qual.is_none() && !m.vague {
        if let Some(range) = written_range(text, toks, i, j, &m) {
            return Some(range);
        }
    }
    let qualifier = if m.vague {
        Qualifier::Vague
    } else {
        qual.unwrap_or(Qualifier::Exact)
    };
    let (low, high) = bounds(kind, qualifier, m.value);
    let q = make(
        text,
        toks,
        i,
        end,
        Some(m.value),
        low,
        high,
        qualifier,
        kind,
        m.words,
    );
    Some((q, end))
}

/// Whether token `i` can begin a number or a qualifier. For a word, `num_start` is exactly:
/// a unit, tens, ordinal or vague number word, "a", "an", "single", "minus", "negative",
/// "couple" or "point"; `qty_start` is [`quantity_start_word`] (qualifiers are words).
fn may_start_quantity(toks: &[Token], i: usize) -> bool {
    let t = &toks[i];
    match t.kind {
        Kind::Num | Kind::OrdNum => true,
        Kind::Word => t.qty_start,
        Kind::Punct => {
            t.norm == "."
                && toks
                    .get(i + 1)
                    .is_some_and(|n| n.kind == Kind::Num && !n.space_before)
        }
    }
}

/// The tail of a date or code glued to a number ("2025-04-16", "16/04") is no quantity.
fn continues_glued_code(toks: &[Token], i: usize) -> bool {
    i >= 2
        && !toks[i].space_before
        && matches!(toks[i - 1].norm, "-" | "/" | ".")
        && !toks[i - 1].space_before
        && toks[i - 2].kind == Kind::Num
}

/// The qualifier phrase starting at `i` ("at least", "more than"), if a number follows it,
/// with the index of the number; else no qualifier and `i`. A phrase starts with its first
/// word, so only a qualifier's first word can start one; "some" before a vague word or
/// nothing numeric is not a qualifier.
fn qualifier_prefix(toks: &[Token], i: usize) -> (Option<Qualifier>, usize) {
    let qualifiers = if toks[i].qual_first { QUALIFIERS } else { &[] };
    for (phrase, q) in qualifiers {
        let matches_phrase = phrase
            .iter()
            .enumerate()
            .all(|(k, w)| toks.get(i + k).is_some_and(|t| t.is(w)));
        if matches_phrase {
            if number_at(toks, i + phrase.len(), false).is_some() {
                return (Some(*q), i + phrase.len());
            }
            break;
        }
    }
    (None, i)
}

/// "between a and b", "from a to b" at `i` (a range only when b is larger and neither is an
/// ordinal).
fn between_range(text: &str, toks: &[Token], i: usize) -> Option<(Quantity, usize)> {
    let t = &toks[i];
    let a = number_at(toks, i + 1, false)?;
    let sep = toks.get(a.end)?;
    if !((t.is("between") && sep.is("and")) || (t.is("from") && sep.is("to"))) {
        return None;
    }
    let b = number_at(toks, a.end + 1, false)?;
    let is_range = !a.ordinal && !b.ordinal && b.value > a.value;
    is_range.then(|| {
        let q = make(
            text,
            toks,
            i,
            b.end,
            Some(a.value),
            to_u64(a.value),
            to_u64(b.value),
            Qualifier::Range,
            QuantityKind::Count,
            a.words,
        );
        (q, b.end)
    })
}

/// A clock time "10:30" after digits ending at `end` (with "am", "pm", "gmt" or "utc"): the
/// index one past it.
fn clock_time_end(toks: &[Token], end: usize) -> Option<usize> {
    let colon = toks.get(end)?;
    let minutes = toks.get(end + 1)?;
    let is_clock = colon.norm == ":"
        && !colon.space_before
        && minutes.kind == Kind::Num
        && minutes.norm.len() == 2
        && !minutes.space_before;
    if !is_clock {
        return None;
    }
    let zone = toks
        .get(end + 2)
        .is_some_and(|n| matches!(n.norm, "am" | "pm" | "gmt" | "utc"));
    Some(if zone { end + 3 } else { end + 2 })
}

/// The word before the number at `j`, skipping an abbreviation dot ("Feb. 11").
fn word_before_number<'t, 'a>(toks: &'t [Token<'a>], j: usize) -> Option<&'t Token<'a>> {
    match j {
        0 => None,
        1 => toks.first(),
        _ if toks[j - 1].norm == "." && is_month(toks.get(j - 2)) => toks.get(j - 2),
        _ => toks.get(j - 1),
    }
}

/// A month name beside the number that ends at `end`: before it, after it, or after "of".
fn beside_month(toks: &[Token], prev: Option<&Token>, end: usize) -> bool {
    let next = toks.get(end);
    is_month(prev)
        || is_month(next)
        || (next.is_some_and(|n| n.is("of")) && is_month(toks.get(end + 1)))
}

/// What the number `m` at `j` counts, and the index one past the quantity (a unit after it
/// may belong to it: "per cent", "-year-old").
fn quantity_kind(toks: &[Token], j: usize, m: &NumMatch) -> (QuantityKind, usize) {
    let prev = word_before_number(toks, j);
    let mut kind = if m.ordinal {
        QuantityKind::Ordinal
    } else {
        QuantityKind::Count
    };
    if !m.words && !m.ordinal {
        kind = digits_kind(toks, j, m, prev);
    }
    if m.ordinal && beside_month(toks, prev, m.end) {
        kind = QuantityKind::DayOfMonth;
    }
    let (mut kind, end) = kind_from_word_after(toks, m, kind);
    if kind == QuantityKind::Count
        && toks.get(end).is_some_and(|n| n.is("years") || n.is("year"))
        && toks.get(end + 1).is_some_and(|n| n.is("old"))
    {
        kind = QuantityKind::Age;
    }
    (kind, end)
}

/// What a number written in digits is by the words around it: a time ("10 pm"), a year ("in
/// 2024"), a day of the month ("March 3"), money ("$5"), else a count.
fn digits_kind(toks: &[Token], j: usize, m: &NumMatch, prev: Option<&Token>) -> QuantityKind {
    let first = &toks[j];
    let next = toks.get(m.end);
    let mut kind = QuantityKind::Count;
    let time_unit = next.is_some_and(|n| {
        matches!(
            n.norm,
            "am" | "pm" | "a.m" | "p.m" | "gmt" | "utc" | "hrs" | "hours" | "h"
        )
    });
    if time_unit
        && m.value <= 24.0
        && next.is_some_and(|n| n.norm != "hours" || first.norm.len() == 4)
    {
        kind = QuantityKind::Time;
    }
    if is_year_number(toks, j, m, prev) {
        kind = QuantityKind::Year;
    }
    if kind == QuantityKind::Count
        && (1.0..=31.0).contains(&m.value)
        && m.value.fract() == 0.0
        && first.kind == Kind::Num
        && beside_month(toks, prev, m.end)
    {
        kind = QuantityKind::DayOfMonth;
    }
    if prev.is_some_and(|p| matches!(p.norm, "$" | "€" | "£" | "¥" | "us$" | "usd" | "eur")) {
        kind = QuantityKind::Money;
    }
    kind
}

/// Four digits from 1800 to 2100 read as a year: after a year preposition, a date, "the",
/// "'" or "mid", as the start of a year range ("2019-20"), or before "AD", "election", ...
fn is_year_number(toks: &[Token], j: usize, m: &NumMatch, prev: Option<&Token>) -> bool {
    let first = &toks[j];
    let four = first.kind == Kind::Num && first.norm.len() == 4 && m.end == j + 1;
    if !(four && (1800.0..=2100.0).contains(&m.value)) {
        return false;
    }
    let end = m.end;
    let next = toks.get(end);
    let p = prev.map(|p| p.norm).unwrap_or("");
    let follows_date = is_month(prev) || (p == "," && j >= 2 && toks[j - 2].kind == Kind::Num);
    let range_year = next.is_some_and(|n| n.norm == "-" || n.norm == "/")
        && toks
            .get(end + 1)
            .is_some_and(|n| n.kind == Kind::Num && (n.norm.len() == 2 || n.norm.len() == 4));
    YEAR_PREPS.contains(&p)
        || follows_date
        || range_year
        || p == "the"
        || p == "'"
        || p == "mid"
        || next.is_some_and(|n| {
            matches!(
                n.norm,
                "ad" | "bc" | "ce" | "election" | "elections" | "census" | "budget"
            )
        })
}

/// The kind the word after the number gives ("%", "per cent", "dollars", "-year-old", "one of
/// the"), with the index one past what the quantity takes in; else `kind` unchanged.
fn kind_from_word_after(toks: &[Token], m: &NumMatch, kind: QuantityKind) -> (QuantityKind, usize) {
    let end = m.end;
    let Some(n) = toks.get(end) else {
        return (kind, end);
    };
    match n.norm {
        "%" | "percent" | "per"
            if n.norm != "per" || toks.get(end + 1).is_some_and(|c| c.is("cent")) =>
        {
            let unit_end = end + if n.is("per") { 2 } else { 1 };
            (QuantityKind::Percent, unit_end)
        }
        "dollars" | "euros" | "pounds" | "yuan" | "rupees" | "yen" | "shekels" | "roubles"
        | "rubles" => (QuantityKind::Money, end),
        "-" if is_hyphenated_age(toks, end) => (QuantityKind::Age, end + 4),
        "of" if !m.vague && m.value == 1.0 && m.words && is_partitive_of(toks, end) => {
            (QuantityKind::Partitive, end)
        }
        _ => (kind, end),
    }
}

/// "-year-old", "-month-old" at `end` (the hyphen).
fn is_hyphenated_age(toks: &[Token], end: usize) -> bool {
    toks.get(end + 1)
        .is_some_and(|y| y.is("year") || y.is("month") || y.is("week") || y.is("day"))
        && toks.get(end + 2).is_some_and(|d| d.norm == "-")
        && toks.get(end + 3).is_some_and(|o| o.is("old"))
}

/// "one of the", "one of them": "of" at `of` followed by a determiner or pronoun.
fn is_partitive_of(toks: &[Token], of: usize) -> bool {
    toks.get(of + 1).is_some_and(|w| {
        matches!(
            w.norm,
            "the"
                | "them"
                | "those"
                | "these"
                | "us"
                | "his"
                | "her"
                | "their"
                | "its"
                | "our"
                | "my"
        )
    })
}

/// "30 to 40", "30-40", "two or three" after the count `m` starting at `j`: a range when the
/// second number is larger, written the same way, not an ordinal or vague, not a year range
/// ("2019-20") and not a fraction ("30/40").
fn written_range(
    text: &str,
    toks: &[Token],
    i: usize,
    j: usize,
    m: &NumMatch,
) -> Option<(Quantity, usize)> {
    let end = m.end;
    let sep = toks.get(end)?;
    let dash = sep.norm == "-" || sep.norm == "/";
    if !(dash || sep.is("to") || sep.is("or")) {
        return None;
    }
    let b = number_at(toks, end + 1, false)?;
    let same_style = b.words == m.words;
    let b_tok = &toks[end + 1];
    let year_like = dash && b_tok.kind == Kind::Num && toks[j].norm.len() == 4;
    let is_range = !b.ordinal
        && !b.vague
        && b.value > m.value
        && same_style
        && !year_like
        && (sep.norm != "/");
    is_range.then(|| {
        let q = make(
            text,
            toks,
            i,
            b.end,
            Some(m.value),
            to_u64(m.value),
            to_u64(b.value),
            Qualifier::Range,
            QuantityKind::Count,
            m.words,
        );
        (q, b.end)
    })
}

/// Low and high of a quantity: a count's from its qualifier (the counting conventions of the
/// module docs), anything else's the value itself.
fn bounds(kind: QuantityKind, qualifier: Qualifier, value: f64) -> (Option<u64>, Option<u64>) {
    if kind != QuantityKind::Count {
        return (to_u64(value), to_u64(value));
    }
    match qualifier {
        Qualifier::Exact | Qualifier::Approximately => (to_u64(value), to_u64(value)),
        Qualifier::AtLeast | Qualifier::MoreThan | Qualifier::Vague => (to_u64(value), None),
        Qualifier::UpTo | Qualifier::LessThan | Qualifier::Nearly => (None, to_u64(value)),
        Qualifier::Range => (to_u64(value), None),
    }
}

#[allow(clippy::too_many_arguments)]
fn make(
    text: &str,
    toks: &[Token],
    i: usize,
    end: usize,
    value: Option<f64>,
    low: Option<u64>,
    high: Option<u64>,
    qualifier: Qualifier,
    kind: QuantityKind,
    is_word: bool,
) -> Quantity {
    let start = toks[i].start;
    let stop = toks[end - 1].end;
    Quantity {
        start,
        end: stop,
        text: text[start..stop].to_string(),
        value,
        low,
        high,
        qualifier,
        kind,
        is_word,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qualifiers_start_with_words() {
        // `quantity_at` reads a qualifier only at a word token (`qty_start`)
        for (p, _) in QUALIFIERS {
            let w = p.first().copied().unwrap_or("");
            assert!(
                !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase()),
                "{w:?}"
            );
        }
    }

    type Row = (String, Option<u64>, Option<u64>, Qualifier, QuantityKind);

    fn q(text: &str) -> Vec<Row> {
        find_quantities(text)
            .into_iter()
            .map(|q| (q.text, q.low, q.high, q.qualifier, q.kind))
            .collect()
    }

    #[test]
    fn parses_whole_numbers() {
        for (s, v) in [
            ("117", 117.0),
            ("1,200", 1200.0),
            ("2.4", 2.4),
            ("thirty-five", 35.0),
            ("a hundred and twelve", 112.0),
            ("nought", 0.0),
            ("2.4 million", 2.4e6),
            ("1.5bn", 1.5e9),
            ("3K", 3000.0),
            ("-504", -504.0),
            ("two dozen", 24.0),
            ("one twenty two", 122.0),
            ("three thousand millions", 3e9),
        ] {
            assert_eq!(parse_number(s), Some(v), "{s}");
        }
        for s in ["", "hello", "in 2024", "two apples", "1/0", "and"] {
            assert_eq!(parse_number(s), None, "{s}");
        }
    }

    #[test]
    fn counting_conventions() {
        let r = q("at least 35 killed, 117 wounded, dozens missing");
        assert_eq!(
            r[0],
            (
                "at least 35".into(),
                Some(35),
                None,
                Qualifier::AtLeast,
                QuantityKind::Count
            )
        );
        assert_eq!(
            r[1],
            (
                "117".into(),
                Some(117),
                Some(117),
                Qualifier::Exact,
                QuantityKind::Count
            )
        );
        assert_eq!(
            r[2],
            (
                "dozens".into(),
                Some(12),
                None,
                Qualifier::Vague,
                QuantityKind::Count
            )
        );
        let r = q("between 30 and 40 died; up to 40 fled; 30-40 hurt; tens, hundreds and scores");
        assert_eq!((r[0].1, r[0].2), (Some(30), Some(40)));
        assert_eq!(r[0].3, Qualifier::Range);
        assert_eq!((r[1].1, r[1].2, r[1].3), (None, Some(40), Qualifier::UpTo));
        assert_eq!(
            (r[2].1, r[2].2, r[2].3),
            (Some(30), Some(40), Qualifier::Range)
        );
        assert_eq!([r[3].1, r[4].1, r[5].1], [Some(10), Some(100), Some(20)]);
        let r = q("more than 20, nearly 50, about 12, a dozen, several, two or three");
        assert_eq!((r[0].1, r[0].3), (Some(20), Qualifier::MoreThan));
        assert_eq!(
            (r[1].1, r[1].2, r[1].3),
            (None, Some(50), Qualifier::Nearly)
        );
        assert_eq!(
            (r[2].1, r[2].2, r[2].3),
            (Some(12), Some(12), Qualifier::Approximately)
        );
        assert_eq!(
            (r[3].1, r[3].2, r[3].3),
            (Some(12), Some(12), Qualifier::Exact)
        );
        assert_eq!((r[4].1, r[4].3), (Some(3), Qualifier::Vague));
        assert_eq!(
            (r[5].1, r[5].2, r[5].3),
            (Some(2), Some(3), Qualifier::Range)
        );
    }

    #[test]
    fn tells_years_times_days_and_partitives_from_counts() {
        let r = q("In 2024, at 10:30, on April 11, one of the officials said two children died");
        let kinds: Vec<_> = r.iter().map(|x| (x.0.as_str(), x.4)).collect();
        assert_eq!(
            kinds,
            [
                ("2024", QuantityKind::Year),
                ("10:30", QuantityKind::Time),
                ("11", QuantityKind::DayOfMonth),
                ("one", QuantityKind::Partitive),
                ("two", QuantityKind::Count),
            ]
        );
        let r = q("the third attack killed a 5-year-old; 30% of 1,500 homes; no one was hurt");
        assert_eq!(r[0].4, QuantityKind::Ordinal);
        assert_eq!(r[1].4, QuantityKind::Age);
        assert_eq!(r[2].4, QuantityKind::Percent);
        assert_eq!((r[3].1, r[3].4), (Some(1500), QuantityKind::Count));
        assert_eq!((r[4].0.as_str(), r[4].1), ("no one", Some(0)));
        let r = q("On 2025-04-16 and Feb. 11, 2025");
        let kinds: Vec<_> = r.iter().map(|x| (x.0.as_str(), x.4)).collect();
        assert_eq!(
            kinds,
            [
                ("2025", QuantityKind::Year),
                ("11", QuantityKind::DayOfMonth),
                ("2025", QuantityKind::Year)
            ]
        );
    }

    #[test]
    fn offsets_point_into_text() {
        let text = "Les « 12 » morts, ‘twenty-one’ blessés";
        for x in find_quantities(text) {
            assert_eq!(&text[x.start..x.end], x.text);
        }
        assert_eq!(find_quantities(text).len(), 2);
    }
}
