//! Periods and positions in them: "the first week of March", "the second Tuesday of the
//! month", "the closest Friday", "the week of October 6".

use super::*;

impl<'a> DateParser<'a> {
    /// An ordinal with optional "last": "third", "3rd", "last", "third last", "2nd last".
    /// Returns (end, n) with n < 0 counting from the end.
    pub(super) fn ordinal(&self, i: usize) -> Option<(usize, i64)> {
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
    pub(super) fn period(&self, i: usize) -> Option<(usize, NaiveDate, NaiveDate)> {
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
                    Some((e2, y)) => (
                        e2,
                        ResolvedTime::at(NaiveDate::from_ymd_opt(y, m, 1)?, Grain::Month),
                    ),
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
    // long: one grammar rule read left to right ([the] ordinal unit of/after period), its steps
    // sharing the token positions they advance.
    pub(super) fn ordinal_in(&self, i: usize) -> Option<Hit> {
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
                return Some((e3, ResolvedTime::day(d)));
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
                ResolvedTime::day(d)
            }
            What::Wd(wd) => {
                let days: Vec<NaiveDate> = first
                    .iter_days()
                    .take_while(|d| *d <= last)
                    .filter(|d| d.weekday() == wd)
                    .collect();
                let idx = if n > 0 { n - 1 } else { days.len() as i64 + n };
                ResolvedTime::day(*days.get(usize::try_from(idx).ok()?)?)
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
                ResolvedTime::at(*mondays.get(usize::try_from(idx).ok()?)?, Grain::Week)
            }
        };
        Some((e2, v))
    }

    /// "the [second] closest xmas to today", "the second closest Mon to October fifth".
    pub(super) fn closest(&self, i: usize) -> Option<Hit> {
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
        let p = DateParser {
            today: anchor,
            ..*self
        };
        let mut c: Vec<ResolvedTime> = match s {
            Spec::Hol(h) => (-5..=5)
                .flat_map(|dy| h.dates_in(anchor.year() + dy))
                .map(|d| ResolvedTime {
                    holiday: Some(h),
                    ..ResolvedTime::day(d)
                })
                .collect(),
            _ => p.candidates(s),
        };
        c.sort_by_key(|t| ((t.date() - anchor).num_days().abs(), t.dt));
        Some((e2, *c.get(n.checked_sub(1)?)?))
    }

    /// "the week of october 6th".
    pub(super) fn week_of(&self, i: usize) -> Option<Hit> {
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
        Some((e2, ResolvedTime::at(d, Grain::Week)))
    }
}
