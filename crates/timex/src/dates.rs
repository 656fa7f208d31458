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

// The date grammar's methods, by what they read (each an `impl DateParser` of its own).
mod calendar;
mod numeric;
mod periods;
mod relative;

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
        let mut p = DateParser {
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

fn mention(text: &str, start: usize, end: usize, v: ResolvedTime, tense: Tense) -> DateMention {
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
struct ResolvedTime {
    dt: NaiveDateTime,
    grain: Grain,
    holiday: Option<HolidayId>,
}

impl ResolvedTime {
    fn day(d: NaiveDate) -> ResolvedTime {
        ResolvedTime {
            dt: d.and_time(NaiveTime::MIN),
            grain: Grain::Day,
            holiday: None,
        }
    }
    fn at(d: NaiveDate, grain: Grain) -> ResolvedTime {
        let d = match grain {
            Grain::Week => monday(d),
            Grain::Month => first_of_month(d),
            Grain::Quarter => {
                NaiveDate::from_ymd_opt(d.year(), (d.month() - 1) / 3 * 3 + 1, 1).unwrap_or(d)
            }
            Grain::Year => NaiveDate::from_ymd_opt(d.year(), 1, 1).unwrap_or(d),
            _ => d,
        };
        ResolvedTime {
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

/// Whether [`DateParser::expr`] may find something at token `t`: the tokens its parsers accept first
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

/// The words besides numbers and calendar words at which [`DateParser::expr`] may find something
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

/// The date grammar over one text's tokens: each method reads one kind of expression at a
/// token and resolves it against `now` (the publication time) in direction `dir`.
struct DateParser<'a> {
    toks: &'a [Token<'a>],
    now: NaiveDateTime,
    today: NaiveDate,
    dir: Direction,
    same_day: bool,
    isolated: bool,
}

type Hit = (usize, ResolvedTime);

impl<'a> DateParser<'a> {
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
    fn top(&self, i: usize) -> Option<(usize, usize, ResolvedTime)> {
        self.top_by(i, |k| self.expr(k))
    }

    /// [`DateParser::top`] with `expr` standing for [`DateParser::expr`] (a memo of it, in [`scan`]).
    fn top_by(
        &self,
        i: usize,
        mut expr: impl FnMut(usize) -> Option<Hit>,
    ) -> Option<(usize, usize, ResolvedTime)> {
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

    /// False only where [`DateParser::expr`] is certainly `None` although [`may_begin`] holds: at
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
}

/// The word before a month, weekday or holiday that says which one is meant: "this March",
/// "next Friday", "last Easter", "the Friday after next"; `None` leaves it to the direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RelativeModifier {
    None,
    This,
    Next,
    Last,
    AfterNext,
}

impl<'a> Clone for DateParser<'a> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<'a> Copy for DateParser<'a> {}

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
                    let p = DateParser {
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
