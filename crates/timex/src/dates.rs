//! Date expressions in news text ("April 11", "last Friday", "earlier this month", "Eid
//! al-Fitr 2018", "two weeks ago"), resolved against the publication date, with the direction
//! of ambiguous ones ("Saturday", "in February") taken from the tense of the clause.
//!
//! Resolution rules:
//! * A past clause ("met on Saturday") picks the latest occurrence on or before the reference
//!   day; a future clause ("will meet on Thursday") the earliest on or after it; a clause of
//!   unknown tense follows [`DateOptions::unknown`] (default: the nearest occurrence).
//! * "next Friday" / "last Friday" are the Friday of next / last week (weeks start on Monday);
//!   "next March" is the first March after this month.
//! * "N days/weeks/months ago" and "in N ..." have day precision, "N years ago" month precision.
//! * Weeks are Monday-based: a week's value is its Monday. "the week of Sunday October 6" is
//!   the week that Sunday begins (US usage); "the first/last week of a month" counts whole
//!   Monday-Sunday weeks inside the month.
//! * Hebrew holidays resolve to the evening they begin (the day before), as Duckling does.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Weekday};
use serde::Serialize;

use std::sync::OnceLock;

use crate::holidays::{self, match_holiday, norm_word, HolidayId};
use crate::lexer::{tokenize, Kind, Token};
use crate::numbers::{number_at, ordinal_word};
use eventwire_wordmap::WordSet;

/// The grain of a resolved time, finest to coarsest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Grain {
    /// A second.
    Second,
    /// A minute.
    Minute,
    /// An hour.
    Hour,
    /// A day.
    Day,
    /// A Monday-based week.
    Week,
    /// A calendar month.
    Month,
    /// A calendar quarter.
    Quarter,
    /// A calendar year.
    Year,
}

/// The precision of a date as the wire format writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Precision {
    /// "YYYY-MM-DD".
    Day,
    /// "YYYY-MM-DD" of the week's Monday.
    Week,
    /// "YYYY-MM".
    Month,
    /// "YYYY".
    Year,
}

/// The tense of the clause around a date, which decides the direction of ambiguous dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Tense {
    /// "met on Saturday": the latest occurrence on or before the reference.
    Past,
    /// "will meet on Thursday": the earliest occurrence on or after the reference.
    Future,
    /// No tense marker found.
    Unknown,
}

/// Where an ambiguous date lies relative to the reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// On or before the reference.
    Past,
    /// On or after the reference.
    Future,
    /// Whichever occurrence is closer (past on a tie).
    Nearest,
}

/// Options of [`find_dates`].
#[derive(Debug, Clone, Copy)]
pub struct DateOptions {
    /// Force this tense for every mention instead of detecting it from the text.
    pub tense: Option<Tense>,
    /// Direction used when the tense is unknown.
    pub unknown: Direction,
    /// Whether a bare weekday may denote the reference day itself ("on Monday" in an article
    /// published on a Monday). Duckling's convention is `false`: always another day.
    pub weekday_may_be_today: bool,
}

impl Default for DateOptions {
    fn default() -> Self {
        DateOptions {
            tense: None,
            unknown: Direction::Nearest,
            weekday_may_be_today: true,
        }
    }
}

impl DateOptions {
    /// Duckling's conventions: unknown tense looks forward, a bare weekday is never today.
    pub fn duckling() -> Self {
        DateOptions {
            tense: None,
            unknown: Direction::Future,
            weekday_may_be_today: false,
        }
    }
}

/// A date expression found in text, resolved.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DateMention {
    /// Byte offset of the first byte of the expression.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
    /// `&text[start..end]`.
    pub text: String,
    /// "YYYY-MM-DD" (day, and week: its Monday), "YYYY-MM" or "YYYY".
    pub value: String,
    /// Precision of `value`.
    pub precision: Precision,
    /// First day of the denoted period.
    pub date: NaiveDate,
    /// The finer grain the expression had (hour and minute for clock times, quarter).
    pub grain: Grain,
    /// Start of the denoted period, with the time of day for finer grains.
    pub datetime: NaiveDateTime,
    /// The tense used to resolve it (detected or forced).
    pub tense: Tense,
    /// Canonical holiday name when the expression names one ("Eid al-Fitr").
    pub holiday: Option<&'static str>,
}

/// Finds and resolves the date expressions of `text` against the publication date
/// `reference`. Pass a sentence, or a whole text: tense is detected per mention from its
/// clause unless [`DateOptions::tense`] forces it.
///
/// ```
/// use chrono::NaiveDate;
/// use eventwire_timex::dates::{find_dates, DateOptions};
/// let monday = NaiveDate::from_ymd_opt(2025, 4, 14).unwrap();
/// let d = find_dates("The ministers met on Saturday.", monday, &DateOptions::default());
/// assert_eq!(d[0].value, "2025-04-12");
/// let d = find_dates("They will meet again on Thursday.", monday, &DateOptions::default());
/// assert_eq!(d[0].value, "2025-04-17");
/// ```
pub fn find_dates(text: &str, reference: NaiveDate, opts: &DateOptions) -> Vec<DateMention> {
    find_dates_at(text, reference.and_time(NaiveTime::MIN), opts)
}

/// Like [`find_dates`], with a reference time of day (used by relative hours).
pub fn find_dates_at(text: &str, reference: NaiveDateTime, opts: &DateOptions) -> Vec<DateMention> {
    let mut arena = String::new();
    let toks = tokenize(text, &mut arena);
    dates_in(text, &toks, reference, opts)
}

/// [`find_dates_at`] over tokens of `text` already made (offsets into `text`).
pub(crate) fn dates_in(
    text: &str,
    toks: &[Token],
    reference: NaiveDateTime,
    opts: &DateOptions,
) -> Vec<DateMention> {
    let mut out = scan(text, toks, reference, opts, false);
    let covers_all = out.len() == 1
        && out[0].end == toks.last().map_or(0, |t| t.end)
        && toks
            .first()
            .is_some_and(|t| t.start == out[0].start || is_prep(t.norm));
    if !covers_all && toks.len() <= 10 {
        // A fragment that is nothing but a date expression is read as one even with words
        // that are ambiguous in running text ("sun.", "May", "1974", "March in a year").
        let iso = scan(text, toks, reference, opts, true);
        if iso.len() == 1 {
            out = iso;
        }
    }
    out
}

fn scan(
    text: &str,
    toks: &[Token],
    now: NaiveDateTime,
    opts: &DateOptions,
    isolated: bool,
) -> Vec<DateMention> {
    let mut out = Vec::new();
    // `expr` at the last token read for the parser state every position starts with (the
    // direction for an unknown tense): a leading preposition makes `top` read the next token,
    // where the next position starts.
    let mut memo: Option<(usize, Option<Hit>)> = None;
    let mut i = 0;
    while i < toks.len() {
        if !may_start(&toks[i]) {
            i += 1;
            continue;
        }
        let mut p = P {
            toks,
            now,
            today: now.date(),
            dir: opts.unknown,
            same_day: opts.weekday_may_be_today,
            isolated,
        };
        // Tense is only worth detecting where a date starts.
        let Some(first) = p.top_by(i, |k| match memo {
            Some((m, hit)) if m == k => hit,
            _ => {
                let hit = p.expr(k);
                memo = Some((k, hit));
                hit
            }
        }) else {
            i += 1;
            continue;
        };
        let tense = opts.tense.unwrap_or_else(|| tense_at(toks, i));
        let dir = match tense {
            Tense::Past => Direction::Past,
            Tense::Future => Direction::Future,
            Tense::Unknown => opts.unknown,
        };
        // The parse is a pure function of the parser state: same direction, same result.
        let top = if dir == p.dir {
            Some(first)
        } else {
            p.dir = dir;
            p.top(i)
        };
        match top {
            Some((s, e, v))
                if !isolated || (e == toks.len() && toks[..s].iter().all(|t| is_prep(t.norm))) =>
            {
                let start = toks[s].start;
                let end = toks[e - 1].end;
                out.push(mention(text, start, end, v, tense));
                i = e;
            }
            _ => i += 1,
        }
    }
    out
}

/// `date.format("%Y-%m-%d")`, without parsing the format for years of four digits.
fn ymd_string(date: NaiveDate) -> String {
    if (0..=9999).contains(&date.year()) {
        format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day())
    } else {
        date.format("%Y-%m-%d").to_string()
    }
}

fn mention(text: &str, start: usize, end: usize, v: TV, tense: Tense) -> DateMention {
    let date = v.dt.date();
    let (precision, value) = match v.grain {
        Grain::Year => (Precision::Year, format!("{:04}", date.year())),
        Grain::Month | Grain::Quarter => (
            Precision::Month,
            format!("{:04}-{:02}", date.year(), date.month()),
        ),
        Grain::Week => (Precision::Week, ymd_string(date)),
        _ => (Precision::Day, ymd_string(date)),
    };
    DateMention {
        start,
        end,
        text: text[start..end].to_string(),
        value,
        precision,
        date,
        grain: v.grain,
        datetime: v.dt,
        tense,
        holiday: v.holiday.map(|h| h.name()),
    }
}

/// A resolved time: start of the period and its grain.
#[derive(Debug, Clone, Copy, PartialEq)]
struct TV {
    dt: NaiveDateTime,
    grain: Grain,
    holiday: Option<HolidayId>,
}

impl TV {
    fn day(d: NaiveDate) -> TV {
        TV {
            dt: d.and_time(NaiveTime::MIN),
            grain: Grain::Day,
            holiday: None,
        }
    }
    fn at(d: NaiveDate, grain: Grain) -> TV {
        let d = match grain {
            Grain::Week => monday(d),
            Grain::Month => first_of_month(d),
            Grain::Quarter => {
                NaiveDate::from_ymd_opt(d.year(), (d.month() - 1) / 3 * 3 + 1, 1).unwrap_or(d)
            }
            Grain::Year => NaiveDate::from_ymd_opt(d.year(), 1, 1).unwrap_or(d),
            _ => d,
        };
        TV {
            dt: d.and_time(NaiveTime::MIN),
            grain,
            holiday: None,
        }
    }
    fn date(&self) -> NaiveDate {
        self.dt.date()
    }
}

/// A date expression before resolution: what is known and what is left to the direction.
#[derive(Debug, Clone, Copy)]
enum Spec {
    /// Month and day, no year; optionally a weekday it must fall on.
    Md(u32, u32, Option<Weekday>),
    /// A month, no year.
    M(u32),
    /// A day of the month, no month; optionally a weekday.
    D(u32, Option<Weekday>),
    /// A weekday.
    Wd(Weekday),
    /// A holiday, no year.
    Hol(HolidayId),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Second,
    Minute,
    Hour,
    Day,
    Week,
    Month,
    Quarter,
    Year,
}

fn unit_word(w: &str) -> Option<Unit> {
    Some(match w {
        "second" | "seconds" | "sec" | "secs" => Unit::Second,
        "minute" | "minutes" | "min" | "mins" => Unit::Minute,
        "hour" | "hours" | "hr" | "hrs" => Unit::Hour,
        "day" | "days" => Unit::Day,
        "week" | "weeks" | "wk" | "wks" => Unit::Week,
        "month" | "months" | "mo" | "mos" => Unit::Month,
        "quarter" | "quarters" | "qtr" => Unit::Quarter,
        "year" | "years" | "yr" | "yrs" => Unit::Year,
        _ => return None,
    })
}

fn unit_grain(u: Unit) -> Grain {
    match u {
        Unit::Second => Grain::Second,
        Unit::Minute => Grain::Minute,
        Unit::Hour => Grain::Hour,
        Unit::Day => Grain::Day,
        Unit::Week => Grain::Week,
        Unit::Month => Grain::Month,
        Unit::Quarter => Grain::Quarter,
        Unit::Year => Grain::Year,
    }
}

pub(crate) const MONTH_NAMES: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Month words that are also common English words: they need date context.
const AMBIGUOUS: &[&str] = &[
    "may", "march", "mar", "sun", "sat", "wed", "jan", "jun", "dec", "aug", "mon",
];

/// The month (1-12) a lower-case English month name or abbreviation ("sept", "dec") names.
pub fn month_number(w: &str) -> Option<u32> {
    if let Some(i) = MONTH_NAMES.iter().position(|m| *m == w) {
        return Some(i as u32 + 1);
    }
    month_abbreviation(w)
}

word_fn! {
    /// The month a lower-case abbreviation names.
    fn month_abbreviation -> u32, MONTH_ABBREVIATIONS {
        "jan" => 1,
        "feb" => 2,
        "mar" => 3,
        "apr" => 4,
        "jun" => 6,
        "jul" => 7,
        "aug" => 8,
        "sep" | "sept" => 9,
        "oct" => 10,
        "nov" => 11,
        "dec" => 12,
    }
}

/// A month name within one edit of `w` ("Febuary", "Apri"): only names of 5+ letters. The
/// lexer asks only for words next to a number, where a misspelt month is read.
pub(crate) fn month_fuzzy(w: &str) -> Option<u32> {
    if w.len() < 4 || w.len() > 10 || !w.is_ascii() {
        return None;
    }
    MONTH_NAMES
        .iter()
        .position(|m| m.len() >= 5 && edit1(w, m))
        .map(|i| i as u32 + 1)
}

/// Levenshtein distance <= 1 (ASCII words; others never match).
fn edit1(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a == b {
        return true;
    }
    let (la, lb) = (a.len(), b.len());
    if la.abs_diff(lb) > 1 {
        return false;
    }
    let p = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    if la == lb {
        a[p + 1..] == b[p + 1..]
    } else if la > lb {
        a[p + 1..] == b[p..]
    } else {
        a[p..] == b[p + 1..]
    }
}

/// The plurals [`weekday_word`] reads: every [`WEEKDAY_NAMES`] ending in "day", with an "s"
/// (the test `weekday_plurals_are_derived` keeps them in step).
pub(crate) const WEEKDAY_PLURALS: &[&str] = &[
    "mondays",
    "tuesdays",
    "wednesdays",
    "thursdays",
    "fridays",
    "saturdays",
    "sundays",
];

pub(crate) fn weekday_word(w: &str) -> Option<Weekday> {
    let w = w
        .strip_suffix('s')
        .filter(|s| s.ends_with("day"))
        .unwrap_or(w);
    weekday_name(w)
}

word_fn! {
    /// The weekday a lower-case name or abbreviation names.
    fn weekday_name -> Weekday, WEEKDAY_NAMES {
        "monday" | "mon" => Weekday::Mon,
        "tuesday" | "tue" | "tues" => Weekday::Tue,
        "wednesday" | "wed" => Weekday::Wed,
        "thursday" | "thu" | "thur" | "thurs" => Weekday::Thu,
        "friday" | "fri" => Weekday::Fri,
        "saturday" | "sat" => Weekday::Sat,
        "sunday" | "sun" => Weekday::Sun,
    }
}

fn is_prep(w: &str) -> bool {
    matches!(
        w,
        "on" | "at"
            | "in"
            | "during"
            | "around"
            | "since"
            | "until"
            | "till"
            | "by"
            | "from"
            | "for"
            | "before"
            | "after"
            | "of"
    )
}

/// Whether [`P::expr`] may find something at token `t`: the tokens its parsers accept first
/// (numbers, calendar words, holiday names and the words they test for at their start).
/// Elsewhere `expr` is `None` whatever the parser's state (the test `may_begin_is_exact`
/// checks it over the Duckling corpus and the sample articles).
fn may_begin(t: &Token) -> bool {
    matches!(t.kind, Kind::Num | Kind::OrdNum)
        || t.num_start
        || t.weekday.is_some()
        || t.month.is_some()
        || t.fuzzy_month.is_some()
        || t.hol_first
        || t.begin_word
}

/// The words besides numbers and calendar words at which [`P::expr`] may find something
/// (see [`may_begin`]); a token's `begin_word` says whether it is one of them.
pub(crate) const BEGIN_WORDS: &[&str] = &[
    "today",
    "tonight",
    "tomorrow",
    "tomorrows",
    "yesterday",
    "the",
    "in",
    "within",
    "a",
    "an",
    "earlier",
    "later",
    "early",
    "late",
    "this",
    "current",
    "next",
    "coming",
    "upcoming",
    "following",
    "last",
    "past",
    "previous",
    "prior",
    "closest",
    "nearest",
    "week",
    "ides",
];

/// Cheap filter: can a date expression start at this token?
fn may_start(t: &Token) -> bool {
    match t.kind {
        Kind::Num | Kind::OrdNum => true,
        Kind::Punct => false,
        Kind::Word => {
            t.month.is_some()
                || t.weekday.is_some()
                || t.start_word
                || t.fuzzy_month.is_some()
                || t.hol_first
        }
    }
}

/// Whether a date expression may start at the word `w` besides calendar words and holiday
/// names: an ordinal word or one of [`START_WORDS`] (a token's `start_word`).
pub(crate) fn start_word(w: &str) -> bool {
    ordinal_word(w).is_some() || START_WORDS.contains(&w)
}

/// The words other than ordinals, calendar words and holiday names a date may start at.
pub(crate) const START_WORDS: &[&str] = &[
    "today",
    "tomorrow",
    "tomorrows",
    "yesterday",
    "tonight",
    "the",
    "this",
    "next",
    "last",
    "past",
    "previous",
    "coming",
    "upcoming",
    "following",
    "current",
    "in",
    "a",
    "an",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "earlier",
    "later",
    "on",
    "during",
    "around",
    "early",
    "late",
    "mid",
    "at",
    "weekend",
];

// ---------------------------------------------------------------- date arithmetic

fn monday(d: NaiveDate) -> NaiveDate {
    d - Duration::days(d.weekday().num_days_from_monday() as i64)
}

fn first_of_month(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

fn add_months(d: NaiveDate, n: i32) -> Option<NaiveDate> {
    let total = d.year() * 12 + d.month0() as i32 + n;
    let (y, m) = (total.div_euclid(12), total.rem_euclid(12) as u32 + 1);
    let mut day = d.day();
    loop {
        if let Some(r) = NaiveDate::from_ymd_opt(y, m, day) {
            return Some(r);
        }
        if day <= 28 {
            return None;
        }
        day -= 1;
    }
}

fn shift(d: NaiveDate, u: Unit, n: i64) -> Option<NaiveDate> {
    Some(match u {
        Unit::Day => d + Duration::days(n),
        Unit::Week => d + Duration::days(7 * n),
        Unit::Month => add_months(d, n as i32)?,
        Unit::Quarter => add_months(d, 3 * n as i32)?,
        Unit::Year => add_months(d, 12 * n as i32)?,
        _ => d,
    })
}

fn year2(y: u64) -> i32 {
    if y < 50 {
        2000 + y as i32
    } else {
        1900 + y as i32
    }
}

// ---------------------------------------------------------------- parser

struct P<'a> {
    toks: &'a [Token<'a>],
    now: NaiveDateTime,
    today: NaiveDate,
    dir: Direction,
    same_day: bool,
    isolated: bool,
}

type Hit = (usize, TV);

impl<'a> P<'a> {
    fn t(&self, i: usize) -> Option<&'a Token<'a>> {
        self.toks.get(i)
    }
    fn w(&self, i: usize) -> &'a str {
        self.toks.get(i).map(|t| t.norm).unwrap_or("")
    }
    fn is(&self, i: usize, s: &str) -> bool {
        self.w(i) == s
    }
    fn any(&self, i: usize, s: &[&str]) -> bool {
        s.contains(&self.w(i))
    }
    fn boundary(&self, i: usize) -> bool {
        match self.t(i) {
            None => true,
            Some(t) => t.kind == Kind::Punct && !matches!(t.norm, "-" | "/" | ":"),
        }
    }
    /// Skips an abbreviation dot ("Feb.", "mon.").
    fn dot(&self, i: usize) -> usize {
        if self.t(i).is_some_and(|t| t.norm == "." && !t.space_before) {
            i + 1
        } else {
            i
        }
    }

    /// Longest date expression at `i`: (start token, end token, value).
    fn top(&self, i: usize) -> Option<(usize, usize, TV)> {
        self.top_by(i, |k| self.expr(k))
    }

    /// [`P::top`] with `expr` standing for [`P::expr`] (a memo of it, in [`scan`]).
    fn top_by(
        &self,
        i: usize,
        mut expr: impl FnMut(usize) -> Option<Hit>,
    ) -> Option<(usize, usize, TV)> {
        // `expr` is None where no date expression can begin
        let mut expr = |k: usize| {
            if self.t(k).is_some_and(may_begin) && self.worth_parsing(k) {
                expr(k)
            } else {
                None
            }
        };
        let mut best = expr(i).map(|(e, v)| (i, e, v));
        // Leading words that do not change the meaning.
        if best.is_none()
            && self.any(
                i,
                &[
                    "on", "during", "around", "at", "by", "since", "until", "till", "from", "for",
                    "the", "of", "in",
                ],
            )
        {
            best = expr(i + 1).map(|(e, v)| (i + 1, e, v));
        }
        best.filter(|b| b.1 > b.0)
    }

    /// False only where [`P::expr`] is certainly `None` although [`may_begin`] holds: at
    /// "the", "a", "an" or "in" followed by nothing any of its parsers reads after that word
    /// (the test `may_begin_is_exact` checks it too).
    ///
    /// After "the" they read: a number or word [`may_begin`] accepts ("the 15th", "the next
    /// week", "the ides", "the week of"), "day" ("the day after tomorrow"), "weekend", or the
    /// rest of a holiday name. After "a"/"an" (a count of one): a unit ("a week ago"), a
    /// weekday ("a friday from now"), "upcoming", or what `number_at` reads from "a" on
    /// ("a third", read as an ordinal or a day). After "in": a count ("in 3 days"). A word
    /// that is also a calendar word, a number start or a holiday's first word is always
    /// parsed.
    fn worth_parsing(&self, k: usize) -> bool {
        let Some(t) = self.t(k) else {
            return false;
        };
        if t.month.is_some() || t.weekday.is_some() || t.fuzzy_month.is_some() {
            return true;
        }
        let next = self.t(k + 1);
        match t.norm {
            "the" => {
                if t.num_start {
                    return true;
                }
                let Some(n) = next else {
                    return !t.hol_first || holidays::may_continue("the", None);
                };
                may_begin(n)
                    || matches!(n.norm, "day" | "weekend")
                    // holiday names skip these between their words
                    || (n.kind == Kind::Punct && matches!(n.norm, "-" | "." | "'"))
                    || (t.hol_first && {
                        let second = if n.kind != Kind::Word {
                            None
                        } else if n.norm.contains('\'') {
                            return true;
                        } else {
                            Some(n.norm)
                        };
                        holidays::may_continue("the", second)
                    })
            }
            // only "in 3 days" reads on from "in" itself: a count ("a", a number) follows
            "in" => t.num_start || t.hol_first || next.is_some_and(may_begin),
            "a" | "an" => {
                t.hol_first
                    || next.is_some_and(|n| {
                        n.weekday.is_some() || n.norm == "upcoming" || unit_word(n.norm).is_some()
                    })
                    || number_at(self.toks, k, false).is_some()
            }
            _ => true,
        }
    }

    fn expr(&self, i: usize) -> Option<Hit> {
        let mut best: Option<Hit> = None;
        let mut take = |r: Option<Hit>| {
            if let Some((e, v)) = r {
                if best.is_none_or(|b| e > b.0) {
                    best = Some((e, v));
                }
            }
        };
        take(self.relative_day(i));
        // `count(i)` is read by four parsers: parse it once
        let c = self.count(i);
        take(self.shifted(i, c));
        take(self.cycle(i));
        take(self.numeric(i));
        take(self.ordinal_in(i));
        take(self.closest(i));
        take(self.week_of(i));
        take(self.year_alone(i));
        take(self.nth_weekday_from_now(c));
        take(self.upcoming(i, c));
        take(self.ides(i));
        take(self.offset_from(c));
        if let Some((e, s, mods)) = self.spec_full(i) {
            take(self.resolve_with_suffix(e, s, mods));
        }
        best
    }

    // ---------------------------------------------------------------- relative words

    fn relative_day(&self, i: usize) -> Option<Hit> {
        let d = |n: i64| TV::day(self.today + Duration::days(n));
        match self.w(i) {
            "today" | "tonight" => Some((i + 1, d(0))),
            "tomorrow" | "tomorrows" => Some((i + 1, d(1))),
            "yesterday" => Some((i + 1, d(-1))),
            "the" if self.is(i + 1, "day") => {
                if self.is(i + 2, "after") && self.is(i + 3, "tomorrow") {
                    Some((i + 4, d(2)))
                } else if self.is(i + 2, "before") && self.is(i + 3, "yesterday") {
                    Some((i + 4, d(-2)))
                } else {
                    None
                }
            }
            _ => None,
        }
    }

    /// A count: digits or number words, "a"/"an" meaning one.
    fn count(&self, i: usize) -> Option<(usize, i64)> {
        if self.any(i, &["a", "an"]) {
            return Some((i + 1, 1));
        }
        let m = number_at(self.toks, i, false)?;
        if m.ordinal || m.vague || m.value < 0.0 || m.value.fract() != 0.0 || m.value > 10000.0 {
            return None;
        }
        Some((m.end, m.value as i64))
    }

    /// "in 3 days", "3 weeks ago", "a week hence", "3 years from today", "two months later".
    /// (`c` is `self.count(i)`.)
    fn shifted(&self, i: usize, c: Option<(usize, i64)>) -> Option<Hit> {
        let (n, u, e, sign, from_today) = self.shift_phrase_with(i, c)?;
        Some((e, self.shift_value(n * sign, u, from_today)?))
    }

    /// Parses a shift phrase: (count, unit, end, sign, anchored on "today").
    fn shift_phrase(&self, i: usize) -> Option<(i64, Unit, usize, i64, bool)> {
        self.shift_phrase_with(i, self.count(i))
    }

    /// [`P::shift_phrase`] with `c`, `self.count(i)`.
    fn shift_phrase_with(
        &self,
        i: usize,
        c: Option<(usize, i64)>,
    ) -> Option<(i64, Unit, usize, i64, bool)> {
        if self.is(i, "in") || self.is(i, "within") {
            let (e, n) = self.count(i + 1)?;
            let u = unit_word(self.w(e))?;
            return Some((n, u, e + 1, 1, false));
        }
        let (e, n) = c?;
        let u = unit_word(self.w(e))?;
        let k = e + 1;
        match self.w(k) {
            "ago" | "back" | "earlier" | "before" if !self.is(k + 1, "the") => {
                Some((n, u, k + 1, -1, false))
            }
            "hence" | "later" => Some((n, u, k + 1, 1, false)),
            "from" if self.is(k + 1, "now") => Some((n, u, k + 2, 1, false)),
            "from" if self.is(k + 1, "today") => Some((n, u, k + 2, 1, true)),
            _ => None,
        }
    }

    fn shift_value(&self, n: i64, u: Unit, from_today: bool) -> Option<TV> {
        match u {
            Unit::Second => Some(TV {
                dt: self.now + Duration::seconds(n),
                grain: Grain::Second,
                holiday: None,
            }),
            Unit::Minute => Some(TV {
                dt: self.now + Duration::minutes(n),
                grain: Grain::Second,
                holiday: None,
            }),
            Unit::Hour => {
                let dt = self.now + Duration::hours(n);
                Some(TV {
                    dt: dt.with_second(0)?,
                    grain: Grain::Minute,
                    holiday: None,
                })
            }
            Unit::Year if !from_today => Some(TV::at(shift(self.today, u, n)?, Grain::Month)),
            _ => Some(TV::day(shift(self.today, u, n)?)),
        }
    }

    /// "3 fridays from now", "2 thursdays ago/back".
    /// (`c` is `self.count(i)` for the start `i`.)
    fn nth_weekday_from_now(&self, c: Option<(usize, i64)>) -> Option<Hit> {
        let (e, n) = c?;
        let wd = self.t(e).and_then(|t| t.weekday)?;
        let k = e + 1;
        let (fwd, end) = match (self.w(k), self.w(k + 1)) {
            ("from", "now") => (true, k + 2),
            ("ago", _) | ("back", _) => (false, k + 1),
            _ => return None,
        };
        let mut d = self.today;
        let mut seen = 0;
        while seen < n {
            d += Duration::days(if fwd { 1 } else { -1 });
            if d.weekday() == wd {
                seen += 1;
            }
        }
        Some((end, TV::day(d)))
    }

    /// "the ides of March": the 15th of March, May, July and October, the 13th otherwise.
    fn ides(&self, i: usize) -> Option<Hit> {
        let k = if self.is(i, "the") { i + 1 } else { i };
        if !(self.is(k, "ides") && self.is(k + 1, "of")) {
            return None;
        }
        let (e, m) = self.month_at(k + 2, false)?;
        let d = if matches!(m, 3 | 5 | 7 | 10) { 15 } else { 13 };
        self.resolve_with_suffix(e, Spec::Md(m, d, None), Mod::None)
    }

    /// "three days after Easter", "a year from Christmas": the nearest occurrence, shifted.
    /// (`c` is `self.count(i)` for the start `i`.)
    fn offset_from(&self, c: Option<(usize, i64)>) -> Option<Hit> {
        let (e, n) = c?;
        let u = unit_word(self.w(e))?;
        let sign = match self.w(e + 1) {
            "after" | "from" => 1,
            "before" => -1,
            _ => return None,
        };
        let (e2, s, m) = self.spec_full(e + 2)?;
        let p = P {
            dir: Direction::Nearest,
            ..*self
        };
        let (e3, base) = p.resolve_with_suffix(e2, s, m)?;
        let d = shift(base.date(), u, n * sign)?;
        Some((e3, TV::day(d)))
    }

    /// "upcoming two weeks", "2 upcoming months": this unit plus n.
    /// (`c` is `self.count(i)`.)
    fn upcoming(&self, i: usize, c: Option<(usize, i64)>) -> Option<Hit> {
        let (n, u, e) = if self.is(i, "upcoming") {
            let (e, n) = self.count(i + 1)?;
            (n, unit_word(self.w(e))?, e + 1)
        } else {
            let (e, n) = c?;
            if !self.is(e, "upcoming") {
                return None;
            }
            (n, unit_word(self.w(e + 1))?, e + 2)
        };
        if n < 2 {
            return None;
        }
        let g = unit_grain(u);
        Some((e, TV::at(shift(self.today, u, n)?, g)))
    }

    /// "this week", "next month", "last year", "the following week", "earlier this month",
    /// "the weekend", "last weekend".
    fn cycle(&self, i: usize) -> Option<Hit> {
        let mut k = i;
        if self.any(k, &["earlier", "later", "early", "late"])
            && self.any(k + 1, &["this", "next", "last"])
        {
            k += 1;
        }
        if self.is(k, "the") {
            k += 1;
        }
        let off: i64 = match self.w(k) {
            "this" | "current" => 0,
            "next" | "coming" | "upcoming" | "following" => 1,
            "last" | "past" | "previous" | "prior" => -1,
            "weekend" if k > i => return self.weekend(k + 1, None),
            _ => return None,
        };
        if self.is(k + 1, "weekend") {
            return self.weekend(k + 2, Some(off));
        }
        let u = unit_word(self.w(k + 1))?;
        if matches!(u, Unit::Second | Unit::Minute | Unit::Hour) || self.w(k + 1).ends_with('s') {
            return None;
        }
        if u == Unit::Day {
            return None;
        }
        let g = unit_grain(u);
        Some((k + 2, TV::at(shift(self.today, u, off)?, g)))
    }

    /// A weekend as the (Monday-based) week holding its Saturday.
    fn weekend(&self, e: usize, off: Option<i64>) -> Option<Hit> {
        let sat_this = monday(self.today) + Duration::days(5);
        let sat = match off {
            Some(0) => sat_this,
            Some(n) => sat_this + Duration::days(7 * n),
            None => match self.dir {
                Direction::Future => {
                    if self.today > sat_this + Duration::days(1) {
                        sat_this + Duration::days(7)
                    } else {
                        sat_this
                    }
                }
                _ => {
                    if self.today >= sat_this {
                        sat_this
                    } else {
                        sat_this - Duration::days(7)
                    }
                }
            },
        };
        Some((e, TV::at(sat, Grain::Week)))
    }

    // ---------------------------------------------------------------- numeric dates

    fn num(&self, i: usize) -> Option<u64> {
        self.t(i)
            .filter(|t| t.kind == Kind::Num)
            .and_then(|t| t.num())
    }
    fn sep(&self, i: usize) -> Option<&'a str> {
        self.t(i)
            .filter(|t| matches!(t.norm, "/" | "-" | "."))
            .map(|t| t.norm)
    }

    fn numeric(&self, i: usize) -> Option<Hit> {
        let a_tok = self.t(i).filter(|t| t.kind == Kind::Num)?;
        let a = a_tok.num()?;
        // Glued "14april 2015".
        let s1 = self.sep(i + 1);
        s1?;
        let s1 = s1?;
        let spaced = self.t(i + 1).is_some_and(|t| t.space_before);
        // D-Mon-Y: "31/Oct/1974", "31-Oct-74".
        if let Some(m) = self.t(i + 2).and_then(|t| t.month) {
            if self.sep(i + 3) == Some(s1) {
                let y = self.num(i + 4)?;
                let y = if self.w(i + 4).len() == 2 {
                    year2(y)
                } else {
                    y as i32
                };
                let d = NaiveDate::from_ymd_opt(y, m, a as u32)?;
                return Some((i + 5, TV::day(d)));
            }
            return None;
        }
        let b = self.num(i + 2)?;
        let b_len = self.w(i + 2).len();
        let a_len = a_tok.norm.len();
        // Third part.
        let s2 = self.sep(i + 3);
        let c = if s2 == Some(s1) && !self.t(i + 3).is_some_and(|t| t.space_before) {
            self.num(i + 4)
        } else {
            None
        };
        if let Some(c) = c {
            let c_len = self.w(i + 4).len();
            // Y-M-D
            if a_len == 4 {
                let d = NaiveDate::from_ymd_opt(a as i32, b as u32, c as u32)?;
                return Some((i + 5, TV::day(d)));
            }
            if c_len != 2 && c_len != 4 {
                return None;
            }
            let y = if c_len == 2 { year2(c) } else { c as i32 };
            let (m, d) = if a > 12 { (b, a) } else { (a, b) };
            let d = NaiveDate::from_ymd_opt(y, m as u32, d as u32)?;
            return Some((i + 5, TV::day(d)));
        }
        if s1 == "." {
            return None;
        }
        // Y-M: "2014-10", "2014/10".
        if a_len == 4 && b_len <= 2 && (1..=12).contains(&b) {
            let d = NaiveDate::from_ymd_opt(a as i32, b as u32, 1)?;
            return Some((i + 3, TV::at(d, Grain::Month)));
        }
        // M/Y: "2/2013".
        if b_len == 4 && (1..=12).contains(&a) && s1 == "/" {
            let d = NaiveDate::from_ymd_opt(b as i32, a as u32, 1)?;
            return Some((i + 3, TV::at(d, Grain::Month)));
        }
        // M/D without year; a dash only when unambiguous (second part > 12), and never in
        // front of another number or a time unit (scores, ranges).
        if a_len > 2 || b_len > 2 {
            return None;
        }
        let (m, d) = if a > 12 { (b, a) } else { (a, b) };
        if m == 0 || m > 12 || d == 0 || d > 31 {
            return None;
        }
        if s1 == "-" && (b <= 12 || (!self.isolated && !self.boundary(i + 3))) {
            return None;
        }
        if s1 == "/"
            && !self.isolated
            && !self.boundary(i + 3)
            && !self.any(i + 3, &["at", "in", "and"])
        {
            return None;
        }
        let _ = spaced;
        let v = self.resolve(Spec::Md(m as u32, d as u32, None))?;
        Some((i + 3, v))
    }

    // ---------------------------------------------------------------- years

    /// A year alone: "1974" (after a temporal preposition, or as a whole fragment), "2014 AD",
    /// "14 a.d.".
    fn year_alone(&self, i: usize) -> Option<Hit> {
        let t = self.t(i).filter(|t| t.kind == Kind::Num)?;
        let y = t.num()?;
        let prev = if i > 0 { self.w(i - 1) } else { "" };
        if let Some(e) = self.era(i + 1) {
            return Some((
                e,
                TV::at(NaiveDate::from_ymd_opt(y as i32, 1, 1)?, Grain::Year),
            ));
        }
        if t.norm.len() != 4 || !(1000..=2100).contains(&y) {
            return None;
        }
        let ok = self.isolated
            || matches!(
                prev,
                "in" | "since"
                    | "until"
                    | "till"
                    | "by"
                    | "during"
                    | "of"
                    | "from"
                    | "before"
                    | "after"
                    | "through"
                    | "throughout"
                    | "year"
                    | "mid"
                    | "early"
                    | "late"
            ) && !self.any(
                i + 1,
                &[
                    "people",
                    "persons",
                    "civilians",
                    "soldiers",
                    "troops",
                    "men",
                    "women",
                    "children",
                ],
            );
        if !ok || (self.sep(i + 1).is_some() && self.num(i + 2).is_some()) {
            return None;
        }
        Some((
            i + 1,
            TV::at(NaiveDate::from_ymd_opt(y as i32, 1, 1)?, Grain::Year),
        ))
    }

    /// "AD", "A.D.", "CE": returns the end.
    fn era(&self, i: usize) -> Option<usize> {
        match self.w(i) {
            "ad" | "ce" => Some(self.dot(i + 1)),
            "a" if self.is(i + 1, ".") && self.is(i + 2, "d") => Some(self.dot(i + 3)),
            _ => None,
        }
    }

    /// A year after a date: ", 2025", "2015", "'15"/"15" at the end, "two thousand ten",
    /// "of next year", "in 2019".
    fn year_suffix(&self, i: usize) -> Option<(usize, i32)> {
        let mut k = i;
        if self.is(k, ",") {
            k += 1;
        }
        if self.is(k, "in") && self.num(k + 1).is_some_and(|y| (1000..=2100).contains(&y)) {
            k += 1;
        }
        if let Some(t) = self.t(k).filter(|t| t.kind == Kind::Num) {
            let y = t.num()?;
            if t.norm.len() == 4 && (1000..=2100).contains(&y) {
                let e = self.era(k + 1).unwrap_or(k + 1);
                return Some((e, y as i32));
            }
            if t.norm.len() == 2 && self.boundary(k + 1) && !self.is(k + 1, ":") {
                return Some((k + 1, year2(y)));
            }
            return None;
        }
        if self.is(k, "'") {
            let y = self.num(k + 1)?;
            return (self.w(k + 1).len() == 2).then_some((k + 2, year2(y)));
        }
        if self.is(i, "of") || self.is(i, "in") {
            if self.any(i + 1, &["this", "next", "last", "the"]) {
                let mut j = i + 1;
                if self.is(j, "the") {
                    j += 1;
                }
                let off = match self.w(j) {
                    "this" => 0,
                    "next" | "following" => 1,
                    "last" | "previous" => -1,
                    _ => return None,
                };
                if self.any(j + 1, &["year", "yr"]) {
                    return Some((j + 2, self.today.year() + off));
                }
            }
            return None;
        }
        // Years in words: "two thousand ten".
        if self.t(k).is_some_and(|t| t.kind == Kind::Word) {
            let m = number_at(self.toks, k, false)?;
            if m.words
                && !m.ordinal
                && (1000.0..=2100.0).contains(&m.value)
                && m.value.fract() == 0.0
                && m.end > k + 1
            {
                return Some((m.end, m.value as i32));
            }
        }
        None
    }

    // ---------------------------------------------------------------- specs

    fn month_at(&self, i: usize, need_context: bool) -> Option<(usize, u32)> {
        let t = self.t(i).filter(|t| t.kind == Kind::Word)?;
        let w = t.norm;
        if let Some(m) = t.month {
            let e = self.dot(i + 1);
            if need_context && AMBIGUOUS.contains(&w) && !self.isolated {
                let prev = if i > 0 { self.w(i - 1) } else { "" };
                let ok = self.num(e).is_some()
                    || self.t(e).is_some_and(|t| t.kind == Kind::OrdNum)
                    || matches!(
                        prev,
                        "in" | "of"
                            | "since"
                            | "until"
                            | "till"
                            | "by"
                            | "during"
                            | "early"
                            | "late"
                            | "mid"
                            | "next"
                            | "last"
                            | "this"
                            | "-"
                            | "through"
                            | "from"
                            | "between"
                    )
                    || ((w == "may" || w == "march")
                        && t.capitalized
                        && i > 0
                        && !self.boundary(i - 1)
                        && !self.t(e).is_some_and(|n| {
                            n.kind == Kind::Word
                                && !matches!(
                                    n.norm,
                                    "and" | "or" | "to" | "in" | "of" | "this" | "last" | "next"
                                )
                        }));
                if !ok {
                    return None;
                }
            }
            return Some((e, m));
        }
        // Typos only next to a day number or a year.
        let m = t.fuzzy_month?;
        let prev_num = i > 0
            && matches!(
                self.t(i - 1).map(|t| t.kind),
                Some(Kind::Num | Kind::OrdNum)
            );
        let next_num = matches!(
            self.t(i + 1).map(|t| t.kind),
            Some(Kind::Num | Kind::OrdNum)
        );
        (prev_num || next_num).then_some((i + 1, m))
    }

    /// A day of the month at `i`: "15", "15th", "fifteenth", "first"; returns (end, day).
    fn day_at(&self, i: usize, allow_words: bool) -> Option<(usize, u32)> {
        let t = self.t(i)?;
        let d = match t.kind {
            Kind::Num if t.norm.len() <= 2 => t.num()?,
            Kind::OrdNum => t.num()?,
            Kind::Word if allow_words => {
                let m = number_at(self.toks, i, false)?;
                if !m.ordinal {
                    return None;
                }
                return (m.value >= 1.0 && m.value <= 31.0).then_some((m.end, m.value as u32));
            }
            _ => return None,
        };
        (1..=31).contains(&d).then_some((i + 1, d as u32))
    }

    fn weekday_at(&self, i: usize) -> Option<(usize, Weekday)> {
        let t = self.t(i)?;
        let wd = t.weekday?;
        if t.norm.ends_with('s') && t.norm != "tues" && t.norm != "thurs" {
            return None;
        }
        let e = self.dot(i + 1);
        if AMBIGUOUS.contains(&t.norm) && !self.isolated {
            let prev = if i > 0 { self.w(i - 1) } else { "" };
            let ok = (t.capitalized
                && (self.is(e, ",") || self.day_at(e, false).is_some() || e > i + 1))
                || matches!(
                    prev,
                    "on" | "next" | "last" | "this" | "closest" | "nearest"
                );
            if !ok {
                return None;
            }
        }
        Some((e, wd))
    }

    /// A date spec with its modifiers: (end, spec, modifier).
    fn spec_full(&self, i: usize) -> Option<(usize, Spec, Mod)> {
        let mut k = i;
        let mut modifier = Mod::None;
        match self.w(k) {
            "this" => {
                modifier = Mod::This;
                k += 1;
            }
            "next" | "coming" => {
                modifier = Mod::Next;
                k += 1;
            }
            "last" | "past" | "previous" => {
                modifier = Mod::Last;
                k += 1;
            }
            _ => {}
        }
        // "last week's Sunday".
        if modifier != Mod::None && self.is(k, "week's") {
            let off = match modifier {
                Mod::This => 0,
                Mod::Next => 1,
                _ => -1,
            };
            let (e, wd) = self.weekday_at(k + 1)?;
            let d = monday(self.today) + Duration::days(7 * off + wd.num_days_from_monday() as i64);
            return Some((e, Spec::Md(d.month(), d.day(), Some(wd)), Mod::None));
        }
        let (e, s) = self.spec(k, modifier != Mod::None)?;
        // "Wednesday after next", "March after next".
        if self.is(e, "after") && self.is(e + 1, "next") && modifier == Mod::None {
            return Some((e + 2, s, Mod::AfterNext));
        }
        Some((e, s, modifier))
    }

    /// A bare date spec: weekday(+date), month(+day), day + month, holiday.
    fn spec(&self, i: usize, modified: bool) -> Option<(usize, Spec)> {
        let mut best: Option<(usize, Spec)> = None;
        let mut take = |r: Option<(usize, Spec)>| {
            if let Some((e, s)) = r {
                if best.is_none_or(|b| e > b.0) {
                    best = Some((e, s));
                }
            }
        };
        take(self.weekday_spec(i));
        take(self.month_spec(i, modified));
        take(self.day_month_spec(i));
        take(self.holiday_spec(i));
        take(self.bare_day_spec(i));
        best
    }

    fn weekday_spec(&self, i: usize) -> Option<(usize, Spec)> {
        let (e, wd) = self.weekday_at(i)?;
        let mut k = e;
        if self.is(k, ",") {
            k += 1;
        }
        // "Monday, Feb 18", "Sunday, 10 February".
        if let Some((e2, Spec::Md(m, d, None))) =
            self.month_spec(k, false).or_else(|| self.day_month_spec(k))
        {
            return Some((e2, Spec::Md(m, d, Some(wd))));
        }
        // "Tuesday the 19th", "Thu 15th", "Tuesday 19th".
        let mut j = k;
        if self.is(j, "the") {
            j += 1;
        }
        if let Some(t) = self.t(j) {
            if t.kind == Kind::OrdNum || (j > k && self.day_at(j, true).is_some()) {
                if let Some((e2, d)) = self.day_at(j, true) {
                    if self.month_at(e2, false).is_none() && !self.is(e2, "of") {
                        return Some((e2, Spec::D(d, Some(wd))));
                    }
                }
            }
        }
        Some((e, Spec::Wd(wd)))
    }

    fn month_spec(&self, i: usize, modified: bool) -> Option<(usize, Spec)> {
        let (e, m) = self.month_at(i, !modified)?;
        let mut k = e;
        if self.is(k, "the") {
            k += 1;
        }
        // "February 15", "march first", "february the 15th", "Feb13".
        if let Some((e2, d)) = self.day_at(k, true) {
            let glued_ok = self
                .t(k)
                .is_some_and(|t| t.kind != Kind::Num || t.norm.len() <= 2);
            if glued_ok && !self.is(e2, ":") && unit_word(self.w(e2)).is_none_or(|_| k != e) {
                let mut end = e2;
                let mut wd = None;
                // "Jul 18, Fri".
                if self.is(end, ",") {
                    if let Some((e3, w)) = self.weekday_at(end + 1) {
                        wd = Some(w);
                        end = e3;
                    }
                }
                return Some((end, Spec::Md(m, d, wd)));
            }
        }
        Some((e, Spec::M(m)))
    }

    /// "15th february", "15 of february", "the 15th of february", "14april".
    fn day_month_spec(&self, i: usize) -> Option<(usize, Spec)> {
        let mut k = i;
        if self.is(k, "the") {
            k += 1;
        }
        let (e, d) = self.day_at(k, true)?;
        let mut j = e;
        if self.is(j, "of") {
            j += 1;
        }
        let (e2, m) = self.month_at(j, false)?;
        if j == e && self.t(k).is_some_and(|t| t.kind == Kind::Word) {
            // "first march" is not a date; "first of march" is.
            return None;
        }
        Some((e2, Spec::Md(m, d, None)))
    }

    fn holiday_spec(&self, i: usize) -> Option<(usize, Spec)> {
        if !self.t(i)?.hol_first {
            return None;
        }
        let mut words: [&str; 8] = [""; 8];
        let mut idx = [0usize; 8];
        let mut n = 0;
        let mut apostrophe = false;
        let mut k = i;
        // no holiday name is longer than `max_alias_words`: more words would not be compared
        let most = holidays::max_alias_words().min(words.len());
        while n < most {
            let Some(t) = self.t(k) else { break };
            match t.kind {
                Kind::Word => {
                    // (an ASCII byte: the byte test is the char test, without a memchr call)
                    apostrophe |= t.norm.bytes().any(|b| b == b'\'');
                    words[n] = t.norm;
                    idx[n] = k;
                    n += 1;
                }
                Kind::Punct if matches!(t.norm, "-" | "." | "'") => {}
                _ => break,
            }
            k += 1;
        }
        let (id, m) = if apostrophe {
            let owned: Vec<String> = words[..n].iter().map(|w| norm_word(w)).collect();
            let refs: Vec<&str> = owned.iter().map(String::as_str).collect();
            match_holiday(&refs)?
        } else {
            match_holiday(&words[..n])?
        };
        // A lone common word ("rakhi", "holi" are fine; "eid" alone is not listed).
        Some((idx[m - 1] + 1, Spec::Hol(id)))
    }

    /// "the 24", "on 24th", "on the first", "the 1st": a day of the current or next month.
    fn bare_day_spec(&self, i: usize) -> Option<(usize, Spec)> {
        let prev_on = i > 0 && self.is(i - 1, "on");
        let the = self.is(i, "the");
        let k = if the { i + 1 } else { i };
        let t = self.t(k)?;
        let (e, d) = self.day_at(k, prev_on || (the && self.isolated))?;
        let ok = match t.kind {
            Kind::OrdNum => prev_on || the,
            Kind::Num => the && (self.isolated || prev_on),
            _ => prev_on && the,
        };
        if !ok || !self.boundary(e) {
            return None;
        }
        Some((e, Spec::D(d, None)))
    }

    /// Resolves a spec, reading a year or a shift after it.
    fn resolve_with_suffix(&self, e: usize, s: Spec, m: Mod) -> Option<Hit> {
        // Explicit year.
        if let Some((e2, y)) = self.year_suffix(e) {
            if let Some(v) = self.in_year(s, y) {
                return Some((e2, v));
            }
        }
        // "thanksgiving in 9 months", "March in a year", "thanksgiving 3 months ago".
        if matches!(s, Spec::Hol(_) | Spec::M(_) | Spec::Md(..)) {
            if let Some((n, u, e2, sign, _)) = self.shift_phrase(e) {
                let target = shift(self.today, u, n * sign)?;
                return Some((e2, self.in_period_of(s, target, u)?));
            }
        }
        let v = match m {
            Mod::None => self.resolve(s)?,
            Mod::This => match s {
                Spec::M(mo) => TV::at(
                    NaiveDate::from_ymd_opt(self.today.year(), mo, 1)?,
                    Grain::Month,
                ),
                _ => self.resolve(s)?,
            },
            Mod::Next | Mod::Last => self.next_last(s, m == Mod::Next)?,
            Mod::AfterNext => match s {
                Spec::Wd(wd) => TV::day(
                    monday(self.today) + Duration::days(7 + wd.num_days_from_monday() as i64),
                ),
                Spec::M(_) => {
                    let n = self.next_last(s, true)?;
                    TV::at(shift(n.date(), Unit::Year, 1)?, Grain::Month)
                }
                _ => return None,
            },
        };
        // "Wednesday of next week", "sunday from last week", "wednesday next week".
        if let (Spec::Wd(wd), Mod::None) = (s, m) {
            let mut k = e;
            if self.any(k, &["of", "from"]) {
                k += 1;
            }
            let off = match self.w(k) {
                "this" => Some(0),
                "next" => Some(1),
                "last" | "previous" => Some(-1),
                _ => None,
            };
            if let Some(off) = off {
                if self.is(k + 1, "week") {
                    let d = monday(self.today)
                        + Duration::days(7 * off + wd.num_days_from_monday() as i64);
                    return Some((k + 2, TV::day(d)));
                }
            }
        }
        Some((e, v))
    }

    fn in_year(&self, s: Spec, y: i32) -> Option<TV> {
        match s {
            Spec::Md(m, d, _) => Some(TV::day(NaiveDate::from_ymd_opt(y, m, d)?)),
            Spec::M(m) => Some(TV::at(NaiveDate::from_ymd_opt(y, m, 1)?, Grain::Month)),
            Spec::Hol(h) => {
                let d = *h.dates_in(y).first()?;
                Some(TV {
                    holiday: Some(h),
                    ..TV::day(d)
                })
            }
            _ => None,
        }
    }

    /// The occurrence of `s` in the unit period holding `target`, else in its year.
    fn in_period_of(&self, s: Spec, target: NaiveDate, u: Unit) -> Option<TV> {
        let y = target.year();
        if u == Unit::Month || u == Unit::Week || u == Unit::Day {
            if let Spec::Hol(h) = s {
                if let Some(d) = h
                    .dates_in(y)
                    .into_iter()
                    .find(|d| d.month() == target.month())
                {
                    return Some(TV {
                        holiday: Some(h),
                        ..TV::day(d)
                    });
                }
            }
        }
        self.in_year(s, y)
    }

    /// Candidate dates of a year-less spec around the reference, sorted.
    fn candidates(&self, s: Spec) -> Vec<TV> {
        let y0 = self.today.year();
        let mut v = Vec::new();
        match s {
            Spec::Md(m, d, wd) => {
                // With a weekday: the nearest year where the date falls on it.
                let range: Vec<i32> = if wd.is_some() {
                    (-14..=14).collect()
                } else {
                    (-1..=1).collect()
                };
                for dy in range {
                    if let Some(date) = NaiveDate::from_ymd_opt(y0 + dy, m, d) {
                        if wd.is_none_or(|w| date.weekday() == w) {
                            v.push(TV::day(date));
                        }
                    }
                }
            }
            Spec::M(m) => {
                for dy in -1..=1 {
                    if let Some(date) = NaiveDate::from_ymd_opt(y0 + dy, m, 1) {
                        v.push(TV::at(date, Grain::Month));
                    }
                }
            }
            Spec::D(d, wd) => {
                let base = first_of_month(self.today);
                let range: Vec<i32> = if wd.is_some() {
                    (-24..=24).collect()
                } else {
                    (-2..=2).collect()
                };
                for dm in range {
                    if let Some(mo) = add_months(base, dm) {
                        if let Some(date) = NaiveDate::from_ymd_opt(mo.year(), mo.month(), d) {
                            if wd.is_none_or(|w| date.weekday() == w) {
                                v.push(TV::day(date));
                            }
                        }
                    }
                }
            }
            Spec::Wd(wd) => {
                for dd in -7..=7 {
                    let date = self.today + Duration::days(dd);
                    if date.weekday() == wd {
                        v.push(TV::day(date));
                    }
                }
            }
            Spec::Hol(h) => {
                for dy in -1..=1 {
                    for date in h.dates_in(y0 + dy) {
                        v.push(TV {
                            holiday: Some(h),
                            ..TV::day(date)
                        });
                    }
                }
            }
        }
        v.sort_by_key(|t| t.dt);
        v
    }

    /// Resolves a year-less spec in the parser's direction.
    fn resolve(&self, s: Spec) -> Option<TV> {
        let c = self.candidates(s);
        // A weekday+date spec ("Sunday, Feb 10") names one day: the nearest year that fits,
        // preferring the reference year.
        if let Spec::Md(_, _, Some(_)) = s {
            return c
                .iter()
                .min_by_key(|t| {
                    (t.date().year() - self.today.year()).abs() * 2
                        + i32::from(t.date().year() < self.today.year())
                })
                .copied();
        }
        if let Spec::D(_, Some(_)) = s {
            return c.into_iter().find(|t| t.date() >= self.today);
        }
        let period_end = |t: &TV| match t.grain {
            Grain::Month => add_months(t.date(), 1)
                .map(|d| d - Duration::days(1))
                .unwrap_or(t.date()),
            _ => t.date(),
        };
        let strict = matches!(s, Spec::Wd(_)) && !self.same_day;
        let future = c
            .iter()
            .find(|t| {
                if strict {
                    t.date() > self.today
                } else {
                    period_end(t) >= self.today
                }
            })
            .copied();
        let past = c
            .iter()
            .rev()
            .find(|t| {
                if strict {
                    t.date() < self.today
                } else {
                    t.date() <= self.today
                }
            })
            .copied();
        match self.dir {
            Direction::Future => future,
            Direction::Past => past,
            Direction::Nearest => match (past, future) {
                (Some(p), Some(f)) => {
                    let dp = (self.today - period_end(&p)).num_days().max(0);
                    let df = (f.date() - self.today).num_days().max(0);
                    if p.dt == f.dt || dp <= df {
                        Some(p)
                    } else {
                        Some(f)
                    }
                }
                (p, f) => p.or(f),
            },
        }
    }

    /// "next"/"last" applied to a spec.
    fn next_last(&self, s: Spec, next: bool) -> Option<TV> {
        match s {
            Spec::Wd(wd) => {
                let off = if next { 7 } else { -7 };
                Some(TV::day(
                    monday(self.today) + Duration::days(off + wd.num_days_from_monday() as i64),
                ))
            }
            Spec::M(_) => {
                let cur = first_of_month(self.today);
                let c = self.candidates(s);
                if next {
                    c.into_iter().find(|t| t.date() > cur)
                } else {
                    c.into_iter().rev().find(|t| t.date() < cur)
                }
            }
            _ => {
                let c = self.candidates(s);
                if next {
                    c.into_iter().find(|t| t.date() > self.today)
                } else {
                    c.into_iter().rev().find(|t| t.date() < self.today)
                }
            }
        }
    }

    // ---------------------------------------------------------------- ordinal constructs

    /// An ordinal with optional "last": "third", "3rd", "last", "third last", "2nd last".
    /// Returns (end, n) with n < 0 counting from the end.
    fn ordinal(&self, i: usize) -> Option<(usize, i64)> {
        if self.is(i, "last") {
            return Some((i + 1, -1));
        }
        let m = number_at(self.toks, i, false)?;
        if !m.ordinal || m.value < 1.0 {
            return None;
        }
        if self.is(m.end, "last") {
            return Some((m.end + 1, -(m.value as i64)));
        }
        Some((m.end, m.value as i64))
    }

    /// A period to count in: a month (name with optional year, "this month", "last month",
    /// "the month"), or a year. Returns (end, first day, last day).
    fn period(&self, i: usize) -> Option<(usize, NaiveDate, NaiveDate)> {
        let mut k = i;
        if self.is(k, "the") {
            k += 1;
        }
        let month_range = |d: NaiveDate| {
            let f = first_of_month(d);
            (
                f,
                add_months(f, 1).map(|x| x - Duration::days(1)).unwrap_or(f),
            )
        };
        let off = match self.w(k) {
            "this" | "current" => Some(0),
            "next" | "following" => Some(1),
            "last" | "previous" | "past" => Some(-1),
            "month" if k > i => {
                let (f, l) = month_range(self.today);
                return Some((k + 1, f, l));
            }
            _ => None,
        };
        if let Some(off) = off {
            let u = unit_word(self.w(k + 1))?;
            let d = shift(self.today, u, off)?;
            return match u {
                Unit::Month => {
                    let (f, l) = month_range(d);
                    Some((k + 2, f, l))
                }
                Unit::Year => Some((
                    k + 2,
                    NaiveDate::from_ymd_opt(d.year(), 1, 1)?,
                    NaiveDate::from_ymd_opt(d.year(), 12, 31)?,
                )),
                _ => None,
            };
        }
        if k == i {
            if let Some((e, m)) = self.month_at(k, false) {
                let (e, tv) = match self.year_suffix(e) {
                    Some((e2, y)) => (e2, TV::at(NaiveDate::from_ymd_opt(y, m, 1)?, Grain::Month)),
                    None => (e, self.resolve(Spec::M(m))?),
                };
                let (f, l) = month_range(tv.date());
                return Some((e, f, l));
            }
            if let Some(t) = self
                .t(k)
                .filter(|t| t.kind == Kind::Num && t.norm.len() == 4)
            {
                let y = t.num()? as i32;
                return Some((
                    k + 1,
                    NaiveDate::from_ymd_opt(y, 1, 1)?,
                    NaiveDate::from_ymd_opt(y, 12, 31)?,
                ));
            }
        }
        None
    }

    /// "[the] third tuesday of october", "last day of october 2015", "the 3rd last week of
    /// 2018", "20th of next month", "first monday of last month", "third tuesday after
    /// christmas 2014".
    fn ordinal_in(&self, i: usize) -> Option<Hit> {
        let mut k = i;
        if self.is(k, "the") {
            k += 1;
        }
        // "20 of next month": a plain number as a day.
        let (e, n) = match self.ordinal(k) {
            Some(x) => x,
            None => {
                let d = self
                    .num(k)
                    .filter(|d| (1..=31).contains(d) && self.w(k).len() <= 2)?;
                if !self.is(k + 1, "of") {
                    return None;
                }
                (k + 1, d as i64)
            }
        };
        enum What {
            Wd(Weekday),
            Day,
            Week,
        }
        let (what, mut j) = if let Some(wd) = self.t(e).and_then(|t| t.weekday) {
            (What::Wd(wd), self.dot(e + 1))
        } else if self.is(e, "day") {
            (What::Day, e + 1)
        } else if self.is(e, "week") {
            (What::Week, e + 1)
        } else if self.is(e, "of") {
            (What::Day, e)
        } else {
            return None;
        };
        // "third tuesday after christmas 2014".
        if let What::Wd(wd) = what {
            if self.is(j, "after") && n > 0 {
                let (e2, s, m) = self.spec_full(j + 1)?;
                let (e3, base) = self.resolve_with_suffix(e2, s, m)?;
                let mut d = base.date();
                let mut seen = 0;
                while seen < n {
                    d += Duration::days(1);
                    if d.weekday() == wd {
                        seen += 1;
                    }
                }
                return Some((e3, TV::day(d)));
            }
        }
        if !self.any(j, &["of", "in"]) {
            return None;
        }
        j += 1;
        // "the first of march" keeps the direction of a month-day.
        if let (What::Day, true) = (&what, n > 0) {
            if let Some((e2, Spec::M(m))) = self.month_spec(j, true) {
                if self.year_suffix(e2).is_none() && self.shift_phrase(e2).is_none() {
                    return Some((e2, self.resolve(Spec::Md(m, n as u32, None))?));
                }
            }
        }
        let (e2, first, last) = self.period(j)?;
        let v = match what {
            What::Day => {
                let d = if n > 0 {
                    first + Duration::days(n - 1)
                } else {
                    last + Duration::days(n + 1)
                };
                if d < first || d > last {
                    return None;
                }
                TV::day(d)
            }
            What::Wd(wd) => {
                let days: Vec<NaiveDate> = first
                    .iter_days()
                    .take_while(|d| *d <= last)
                    .filter(|d| d.weekday() == wd)
                    .collect();
                let idx = if n > 0 { n - 1 } else { days.len() as i64 + n };
                TV::day(*days.get(usize::try_from(idx).ok()?)?)
            }
            What::Week => {
                let mondays: Vec<NaiveDate> = first
                    .iter_days()
                    .take_while(|d| *d + Duration::days(6) <= last)
                    .filter(|d| d.weekday() == Weekday::Mon)
                    .collect();
                let idx = if n > 0 {
                    n - 1
                } else {
                    mondays.len() as i64 + n
                };
                TV::at(*mondays.get(usize::try_from(idx).ok()?)?, Grain::Week)
            }
        };
        Some((e2, v))
    }

    /// "the [second] closest xmas to today", "the second closest Mon to October fifth".
    fn closest(&self, i: usize) -> Option<Hit> {
        let mut k = i;
        if self.is(k, "the") {
            k += 1;
        }
        let mut n = 1;
        if let Some(m) = number_at(self.toks, k, false).filter(|m| m.ordinal) {
            n = m.value as usize;
            k = m.end;
        }
        if !self.is(k, "closest") && !self.is(k, "nearest") {
            return None;
        }
        let (e, s) = self.spec(k + 1, true)?;
        if !self.is(e, "to") {
            return None;
        }
        let (e2, anchor) = if self.is(e + 1, "today") {
            (e + 2, self.today)
        } else {
            let (e2, s2, m2) = self.spec_full(e + 1)?;
            let (e3, v) = self.resolve_with_suffix(e2, s2, m2)?;
            (e3, v.date())
        };
        let p = P {
            today: anchor,
            ..*self
        };
        let mut c: Vec<TV> = match s {
            Spec::Hol(h) => (-5..=5)
                .flat_map(|dy| h.dates_in(anchor.year() + dy))
                .map(|d| TV {
                    holiday: Some(h),
                    ..TV::day(d)
                })
                .collect(),
            _ => p.candidates(s),
        };
        c.sort_by_key(|t| ((t.date() - anchor).num_days().abs(), t.dt));
        Some((e2, *c.get(n.checked_sub(1)?)?))
    }

    /// "the week of october 6th".
    fn week_of(&self, i: usize) -> Option<Hit> {
        let mut k = i;
        if self.is(k, "the") {
            k += 1;
        }
        if !(self.is(k, "week") && self.is(k + 1, "of")) {
            return None;
        }
        let (e, s, m) = self.spec_full(k + 2)?;
        let (e2, v) = self.resolve_with_suffix(e, s, m)?;
        let d = v.date();
        let d = if d.weekday() == Weekday::Sun {
            d + Duration::days(1)
        } else {
            d
        };
        Some((e2, TV::at(d, Grain::Week)))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mod {
    None,
    This,
    Next,
    Last,
    AfterNext,
}

impl<'a> Clone for P<'a> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<'a> Copy for P<'a> {}

// ---------------------------------------------------------------- tense

const IRREGULAR_PAST: &[&str] = &[
    "was",
    "were",
    "had",
    "did",
    "met",
    "said",
    "told",
    "held",
    "went",
    "came",
    "took",
    "made",
    "gave",
    "saw",
    "spoke",
    "began",
    "left",
    "won",
    "lost",
    "fought",
    "fled",
    "struck",
    "shot",
    "sent",
    "led",
    "brought",
    "thought",
    "found",
    "knew",
    "became",
    "got",
    "felt",
    "kept",
    "ran",
    "stood",
    "wrote",
    "paid",
    "heard",
    "fell",
    "broke",
    "chose",
    "drove",
    "flew",
    "grew",
    "meant",
    "rose",
    "sought",
    "sold",
    "spent",
    "swore",
    "taught",
    "threw",
    "understood",
    "bought",
    "caught",
    "built",
    "drew",
    "hid",
    "overthrew",
    "withdrew",
    "undertook",
    "oversaw",
    "arose",
    "blew",
    "bore",
    "slew",
    "stole",
    "sank",
    "shook",
    "forgave",
    "froze",
    "lent",
    "mistook",
    "rode",
    "rang",
    "sang",
    "spun",
    "stuck",
    "tore",
    "wept",
    "woke",
    "wore",
    "ate",
    "wasn't",
    "weren't",
    "didn't",
    "hadn't",
    "has",
    "have",
    "hasn't",
    "haven't",
    "ago",
    "yesterday",
    "earlier",
    "previously",
];

const FUTURE: &[&str] = &[
    "will",
    "shall",
    "won't",
    "would",
    "tomorrow",
    "upcoming",
    "plans",
    "plan",
    "planning",
    "intends",
    "intend",
    "aims",
    "expected",
    "expects",
    "scheduled",
    "due",
    "set",
    "slated",
    "going",
    "later",
    "forthcoming",
    "next",
    "wo",
    "is",
    "are",
];

/// Not past-tense verbs although they end in "-ed".
const ED_WORDS: &[&str] = &[
    "red",
    "bed",
    "need",
    "speed",
    "seed",
    "feed",
    "breed",
    "greed",
    "hundred",
    "united",
    "shed",
    "wed",
    "led",
    "fled",
    "sled",
    "embed",
    "indeed",
    "proceed",
    "exceed",
    "succeed",
    "weed",
    "deed",
    "creed",
    "tweed",
    "freed",
    "naked",
    "sacred",
    "wicked",
    "kindred",
    "ragged",
    "rugged",
    "jagged",
    "beloved",
    "aged",
    "learned",
    "alleged",
    "scheduled",
    "expected",
    "planned",
    "slated",
    "supposed",
    "proposed",
];

/// [`IRREGULAR_PAST`], [`FUTURE`] and [`ED_WORDS`] as sets.
struct TenseWords {
    irregular_past: WordSet,
    future: WordSet,
    ed_words: WordSet,
}

fn tense_words() -> &'static TenseWords {
    static WORDS: OnceLock<TenseWords> = OnceLock::new();
    WORDS.get_or_init(|| TenseWords {
        irregular_past: WordSet::new(IRREGULAR_PAST.iter().copied()),
        future: WordSet::new(FUTURE.iter().copied()),
        ed_words: WordSet::new(ED_WORDS.iter().copied()),
    })
}

fn is_past_word(w: &str) -> bool {
    let tw = tense_words();
    tw.irregular_past.contains(w)
        || (w.len() >= 5
            && w.ends_with("ed")
            && !tw.ed_words.contains(w)
            && w.chars().all(|c| c.is_alphabetic()))
}

/// Classifies one word as a tense marker given its neighbours (indices into `toks`).
fn marker(toks: &[Token], j: usize) -> Option<Tense> {
    let w = toks[j].norm;
    let prev = if j > 0 { toks[j - 1].norm } else { "" };
    let next = toks.get(j + 1).map(|t| t.norm).unwrap_or("");
    let next2 = toks.get(j + 2).map(|t| t.norm).unwrap_or("");
    if w.ends_with("'ll") {
        return Some(Tense::Future);
    }
    if tense_words().future.contains(w) {
        return match w {
            "will" | "shall" | "won't" | "wo" | "would" | "tomorrow" | "upcoming"
            | "forthcoming" => Some(Tense::Future),
            "plans" | "plan" | "planning" | "intends" | "intend" | "aims" | "expected"
            | "expects" | "scheduled" | "due" | "slated" => {
                (next == "to" || next == "for" || next == "on").then_some(Tense::Future)
            }
            "set" => (next == "to" && matches!(prev, "is" | "are" | "was" | "were" | "be"))
                .then_some(Tense::Future),
            "going" => (next == "to").then_some(Tense::Future),
            // "is to visit", "are meeting".
            "is" | "are" | "am" => (next == "to"
                || (next.ends_with("ing") && next.len() > 4)
                || (next2.ends_with("ing") && next == "also"))
                .then_some(Tense::Future),
            "next" | "later" => Some(Tense::Future),
            _ => None,
        };
    }
    if is_past_word(w) {
        // Participles after a form of "be" or an article are not past tense ("will be held",
        // "the injured"); "have/has" only count before a participle.
        if matches!(
            prev,
            "be" | "been" | "being" | "is" | "are" | "the" | "a" | "an" | "to"
        ) {
            return None;
        }
        if matches!(w, "has" | "have") && !(is_past_word(next) || next == "been") {
            return None;
        }
        if w == "had" && next == "to" {
            return Some(Tense::Past);
        }
        return Some(Tense::Past);
    }
    None
}

fn clause_break(t: &Token) -> bool {
    t.kind == Kind::Punct
        && matches!(
            t.norm,
            "." | "!" | "?" | ";" | "\"" | "\u{201c}" | "\u{201d}" | ":"
        )
}

/// Tense of the clause around token `i`: the nearest tense marker (auxiliary, modal, past
/// form) within the sentence, preferring the left side on a tie.
fn tense_at(toks: &[Token], i: usize) -> Tense {
    const WINDOW: usize = 14;
    let mut left = None;
    let mut j = i;
    let mut dist = 0;
    while j > 0 && dist < WINDOW {
        j -= 1;
        dist += 1;
        if clause_break(&toks[j])
            && !(toks[j].norm == "."
                && j > 0
                && toks[j - 1].norm.len() <= 4
                && toks[j - 1].kind == Kind::Word
                && !toks[j + 1..].first().is_some_and(|n| n.capitalized))
        {
            break;
        }
        if let Some(t) = marker(toks, j) {
            left = Some((dist, t));
            break;
        }
    }
    let mut right = None;
    let mut dist = 0;
    let mut j = i;
    while j + 1 < toks.len() && dist < WINDOW {
        j += 1;
        dist += 1;
        if clause_break(&toks[j]) && toks[j].norm != "." {
            break;
        }
        if toks[j].norm == "." && toks.get(j + 1).is_none_or(|n| n.capitalized) {
            break;
        }
        if dist <= 1 {
            // The date's own words ("next", "last") are not the clause's tense.
            continue;
        }
        if let Some(t) = marker(toks, j) {
            right = Some((dist, t));
            break;
        }
    }
    match (left, right) {
        (Some((dl, tl)), Some((dr, tr))) => {
            if dl <= dr + 2 {
                tl
            } else {
                tr
            }
        }
        (Some((_, t)), None) | (None, Some((_, t))) => t,
        (None, None) => Tense::Unknown,
    }
}

/// Detects the tense of the clause around the byte span `start..end` of `text` (a sentence or
/// a longer text): the nearest auxiliary, modal or past-tense verb decides ("met on Saturday"
/// → past, "will meet on Thursday" → future, "is due to visit in May" → future).
pub fn detect_tense(text: &str, start: usize, end: usize) -> Tense {
    let mut arena = String::new();
    let toks = tokenize(text, &mut arena);
    let Some(i) = toks.iter().position(|t| t.start >= start) else {
        return Tense::Unknown;
    };
    let _ = end;
    tense_at(&toks, i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    /// Published Monday 2025-04-14.
    fn one(text: &str) -> String {
        let d = find_dates(text, ymd(2025, 4, 14), &DateOptions::default());
        assert_eq!(d.len(), 1, "{text}: {d:?}");
        d[0].value.clone()
    }

    #[test]
    fn news_direction_from_tense() {
        assert_eq!(
            one("The two leaders met on Saturday in Geneva."),
            "2025-04-12"
        );
        assert_eq!(one("They will meet on Thursday."), "2025-04-17");
        assert_eq!(one("Talks were held earlier this month."), "2025-04");
        assert_eq!(one("He visited Moscow last year."), "2024");
        assert_eq!(one("The ministers met on April 11 in Paris."), "2025-04-11");
        assert_eq!(one("The envoy travelled to Cairo in February."), "2025-02");
        assert_eq!(one("The president is due to visit in May."), "2025-05");
        assert_eq!(one("She plans to travel to Kyiv on Friday."), "2025-04-18");
        assert_eq!(one("Negotiators met last Friday."), "2025-04-11");
        assert_eq!(one("The summit will take place next week."), "2025-04-21");
        assert_eq!(
            one("Officials said the attack happened two weeks ago."),
            "2025-03-31"
        );
        assert_eq!(one("The vote will be held in three days."), "2025-04-17");
        assert_eq!(one("Leaders will gather later this month."), "2025-04");
        assert_eq!(one("Fighting resumed over the weekend."), "2025-04-07");
        assert_eq!(one("He arrived yesterday."), "2025-04-13");
    }

    #[test]
    fn tense_override() {
        let opts = DateOptions {
            tense: Some(Tense::Future),
            ..DateOptions::default()
        };
        let d = find_dates("on Saturday", ymd(2025, 4, 14), &opts);
        assert_eq!(d[0].value, "2025-04-19");
        let opts = DateOptions {
            tense: Some(Tense::Past),
            ..DateOptions::default()
        };
        let d = find_dates("on Saturday", ymd(2025, 4, 14), &opts);
        assert_eq!(d[0].value, "2025-04-12");
    }

    #[test]
    fn absolute_forms_and_typos() {
        for (text, want) in [
            ("on Feb. 11, 2025", "2025-02-11"),
            ("on 16/04/2025", "2025-04-16"),
            ("on 2025-04-16", "2025-04-16"),
            ("in April 2025", "2025-04"),
            ("since 2025", "2025"),
            ("met on 11 Apri 2025", "2025-04-11"),
            ("on Febuary 3, 2025", "2025-02-03"),
            ("signed on April 11, 2025", "2025-04-11"),
        ] {
            assert_eq!(one(text), want, "{text}");
        }
    }

    #[test]
    fn ambiguous_words_need_context() {
        let r = ymd(2025, 4, 14);
        let o = DateOptions::default();
        assert!(find_dates("Protesters march to the square and may return.", r, &o).is_empty());
        assert!(find_dates("They sat in the sun.", r, &o).is_empty());
        assert!(find_dates("Some 2024 people were killed.", r, &o).is_empty());
        assert!(find_dates("The team won 3-2 on penalties.", r, &o).is_empty());
        assert_eq!(
            find_dates("Elections are due in May.", r, &o)[0].value,
            "2025-05"
        );
    }

    #[test]
    fn holidays_resolve() {
        assert_eq!(one("They met after Eid al-Fitr 2018."), "2018-06-15");
        assert_eq!(one("The truce was agreed before Christmas."), "2024-12-25");
    }

    #[test]
    fn detect_tense_rules() {
        let s = "The minister said on Monday that he will visit on Thursday.";
        let mon = s.find("Monday").unwrap_or(0);
        let thu = s.find("Thursday").unwrap_or(0);
        assert_eq!(detect_tense(s, mon, mon + 6), Tense::Past);
        assert_eq!(detect_tense(s, thu, thu + 8), Tense::Future);
        assert_eq!(detect_tense("Talks on Friday", 9, 15), Tense::Unknown);
    }

    #[test]
    fn weekday_plurals_are_derived() {
        let derived: Vec<String> = WEEKDAY_NAMES
            .iter()
            .filter(|w| w.ends_with("day"))
            .map(|w| format!("{w}s"))
            .collect();
        assert_eq!(derived, WEEKDAY_PLURALS);
        for w in WEEKDAY_PLURALS {
            assert!(weekday_word(w).is_some(), "{w}");
        }
    }

    #[test]
    fn ymd_string_is_chrono_format() {
        for y in [-10000, -1, 0, 7, 99, 1999, 2025, 9999, 10000, 12345] {
            for (m, d) in [(1, 1), (4, 14), (12, 31)] {
                let date = ymd(y, m, d);
                assert_eq!(ymd_string(date), date.format("%Y-%m-%d").to_string());
            }
        }
    }

    #[test]
    fn may_begin_is_exact() {
        // every text of the Duckling corpus, alone and in a sentence, and the sample pages
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut texts: Vec<String> = Vec::new();
        for f in ["duckling_time_en.jsonl", "duckling_numeral_en.jsonl"] {
            let path = root.join("tests/fixtures/duckling").join(f);
            for line in std::fs::read_to_string(path).unwrap_or_default().lines() {
                if let Some(t) = line
                    .split("\"text\": \"")
                    .nth(1)
                    .and_then(|r| r.split('"').next())
                {
                    texts.push(t.to_string());
                    texts.push(format!(
                        "Officials said on Monday the talks would resume {t}."
                    ));
                }
            }
        }
        // what `worth_parsing` reads after "the", "a" and "an"
        for t in [
            "on the night journey",
            "the prophet's ascension",
            "the prophets ascension",
            "the - night journey",
            "the weekend",
            "the day after tomorrow",
            "the 15th of may",
            "the third friday of march",
            "the ides of march",
            "the week of october 6th",
            "the closest monday to christmas",
            "a week ago",
            "an hour later",
            "a friday from now",
            "a third of march",
            "a first of may",
            "a upcoming week",
            "in a week",
            "in 3 days",
            "in two weeks",
            "in",
            "the",
            "a",
        ] {
            texts.push(t.to_string());
        }
        let dir = root.join("examples/articles");
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            texts.push(std::fs::read_to_string(e.path()).unwrap_or_default());
        }
        assert!(texts.len() > 1000, "corpus: {}", texts.len());
        let now = ymd(2013, 2, 12).and_time(NaiveTime::MIN);
        let mut checked = 0;
        for text in &texts {
            let mut arena = String::new();
            let toks = tokenize(text, &mut arena);
            for isolated in [false, true] {
                for dir in [Direction::Past, Direction::Future, Direction::Nearest] {
                    let p = P {
                        toks: &toks,
                        now,
                        today: now.date(),
                        dir,
                        same_day: true,
                        isolated,
                    };
                    for (i, t) in toks.iter().enumerate() {
                        if !may_begin(t) || !p.worth_parsing(i) {
                            assert!(p.expr(i).is_none(), "{text:?} at {:?}", t.norm);
                            checked += 1;
                        }
                    }
                }
            }
        }
        assert!(checked > 10_000, "checked {checked}");
    }

    #[test]
    fn edit_distance() {
        assert!(edit1("apri", "april"));
        assert!(edit1("febuary", "february"));
        assert!(!edit1("june", "july") || "june".len() < 5);
        assert!(!edit1("mayor", "march"));
    }
}
