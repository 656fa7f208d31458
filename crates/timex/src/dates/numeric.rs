//! Dates written in digits ("16/04/2025", "2025-04-16", "Dec. 3, 2024") and years alone
//! ("in 2024", "the '90s"), with eras and year suffixes.

use super::*;

impl<'a> DateParser<'a> {
    pub(super) fn num(&self, i: usize) -> Option<u64> {
        self.t(i)
            .filter(|t| t.kind == Kind::Num)
            .and_then(|t| t.num())
    }
    pub(super) fn sep(&self, i: usize) -> Option<&'a str> {
        self.t(i)
            .filter(|t| matches!(t.norm, "/" | "-" | "."))
            .map(|t| t.norm)
    }

    // long: the digit date formats (d/m/y, y-m-d, m/d, glued month) read from one token sequence,
    // one arm each.
    pub(super) fn numeric(&self, i: usize) -> Option<Hit> {
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
                return Some((i + 5, ResolvedTime::day(d)));
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
                return Some((i + 5, ResolvedTime::day(d)));
            }
            if c_len != 2 && c_len != 4 {
                return None;
            }
            let y = if c_len == 2 { year2(c) } else { c as i32 };
            let (m, d) = if a > 12 { (b, a) } else { (a, b) };
            let d = NaiveDate::from_ymd_opt(y, m as u32, d as u32)?;
            return Some((i + 5, ResolvedTime::day(d)));
        }
        if s1 == "." {
            return None;
        }
        // Y-M: "2014-10", "2014/10".
        if a_len == 4 && b_len <= 2 && (1..=12).contains(&b) {
            let d = NaiveDate::from_ymd_opt(a as i32, b as u32, 1)?;
            return Some((i + 3, ResolvedTime::at(d, Grain::Month)));
        }
        // M/Y: "2/2013".
        if b_len == 4 && (1..=12).contains(&a) && s1 == "/" {
            let d = NaiveDate::from_ymd_opt(b as i32, a as u32, 1)?;
            return Some((i + 3, ResolvedTime::at(d, Grain::Month)));
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
    pub(super) fn year_alone(&self, i: usize) -> Option<Hit> {
        let t = self.t(i).filter(|t| t.kind == Kind::Num)?;
        let y = t.num()?;
        let prev = if i > 0 { self.w(i - 1) } else { "" };
        if let Some(e) = self.era(i + 1) {
            return Some((
                e,
                ResolvedTime::at(NaiveDate::from_ymd_opt(y as i32, 1, 1)?, Grain::Year),
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
            ResolvedTime::at(NaiveDate::from_ymd_opt(y as i32, 1, 1)?, Grain::Year),
        ))
    }

    /// "AD", "A.D.", "CE": returns the end.
    pub(super) fn era(&self, i: usize) -> Option<usize> {
        match self.w(i) {
            "ad" | "ce" => Some(self.dot(i + 1)),
            "a" if self.is(i + 1, ".") && self.is(i + 2, "d") => Some(self.dot(i + 3)),
            _ => None,
        }
    }

    /// A year after a date: ", 2025", "2015", "'15"/"15" at the end, "two thousand ten",
    /// "of next year", "in 2019".
    pub(super) fn year_suffix(&self, i: usize) -> Option<(usize, i32)> {
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
}
