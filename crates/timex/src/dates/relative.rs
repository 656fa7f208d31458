//! Relative dates: "today", "two weeks ago", "in three days", "the day after tomorrow",
//! "next weekend", "the ides of March", recurring cycles ("every Monday").

use super::*;

impl<'a> DateParser<'a> {
    pub(super) fn relative_day(&self, i: usize) -> Option<Hit> {
        let d = |n: i64| ResolvedTime::day(self.today + Duration::days(n));
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
    pub(super) fn count(&self, i: usize) -> Option<(usize, i64)> {
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
    pub(super) fn shifted(&self, i: usize, c: Option<(usize, i64)>) -> Option<Hit> {
        let (n, u, e, sign, from_today) = self.shift_phrase_with(i, c)?;
        Some((e, self.shift_value(n * sign, u, from_today)?))
    }

    /// Parses a shift phrase: (count, unit, end, sign, anchored on "today").
    pub(super) fn shift_phrase(&self, i: usize) -> Option<(i64, Unit, usize, i64, bool)> {
        self.shift_phrase_with(i, self.count(i))
    }

    /// [`DateParser::shift_phrase`] with `c`, `self.count(i)`.
    pub(super) fn shift_phrase_with(
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

    pub(super) fn shift_value(&self, n: i64, u: Unit, from_today: bool) -> Option<ResolvedTime> {
        match u {
            Unit::Second => Some(ResolvedTime {
                dt: self.now + Duration::seconds(n),
                grain: Grain::Second,
                holiday: None,
            }),
            Unit::Minute => Some(ResolvedTime {
                dt: self.now + Duration::minutes(n),
                grain: Grain::Second,
                holiday: None,
            }),
            Unit::Hour => {
                let dt = self.now + Duration::hours(n);
                Some(ResolvedTime {
                    dt: dt.with_second(0)?,
                    grain: Grain::Minute,
                    holiday: None,
                })
            }
            Unit::Year if !from_today => {
                Some(ResolvedTime::at(shift(self.today, u, n)?, Grain::Month))
            }
            _ => Some(ResolvedTime::day(shift(self.today, u, n)?)),
        }
    }

    /// "3 fridays from now", "2 thursdays ago/back".
    /// (`c` is `self.count(i)` for the start `i`.)
    pub(super) fn nth_weekday_from_now(&self, c: Option<(usize, i64)>) -> Option<Hit> {
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
        Some((end, ResolvedTime::day(d)))
    }

    /// "the ides of March": the 15th of March, May, July and October, the 13th otherwise.
    pub(super) fn ides(&self, i: usize) -> Option<Hit> {
        let k = if self.is(i, "the") { i + 1 } else { i };
        if !(self.is(k, "ides") && self.is(k + 1, "of")) {
            return None;
        }
        let (e, m) = self.month_at(k + 2, false)?;
        let d = if matches!(m, 3 | 5 | 7 | 10) { 15 } else { 13 };
        self.resolve_with_suffix(e, Spec::Md(m, d, None), RelativeModifier::None)
    }

    /// "three days after Easter", "a year from Christmas": the nearest occurrence, shifted.
    /// (`c` is `self.count(i)` for the start `i`.)
    pub(super) fn offset_from(&self, c: Option<(usize, i64)>) -> Option<Hit> {
        let (e, n) = c?;
        let u = unit_word(self.w(e))?;
        let sign = match self.w(e + 1) {
            "after" | "from" => 1,
            "before" => -1,
            _ => return None,
        };
        let (e2, s, m) = self.spec_full(e + 2)?;
        let p = DateParser {
            dir: Direction::Nearest,
            ..*self
        };
        let (e3, base) = p.resolve_with_suffix(e2, s, m)?;
        let d = shift(base.date(), u, n * sign)?;
        Some((e3, ResolvedTime::day(d)))
    }

    /// "upcoming two weeks", "2 upcoming months": this unit plus n.
    /// (`c` is `self.count(i)`.)
    pub(super) fn upcoming(&self, i: usize, c: Option<(usize, i64)>) -> Option<Hit> {
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
        Some((e, ResolvedTime::at(shift(self.today, u, n)?, g)))
    }

    /// "this week", "next month", "last year", "the following week", "earlier this month",
    /// "the weekend", "last weekend".
    pub(super) fn cycle(&self, i: usize) -> Option<Hit> {
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
        Some((k + 2, ResolvedTime::at(shift(self.today, u, off)?, g)))
    }

    /// A weekend as the (Monday-based) week holding its Saturday.
    pub(super) fn weekend(&self, e: usize, off: Option<i64>) -> Option<Hit> {
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
        Some((e, ResolvedTime::at(sat, Grain::Week)))
    }

    // ---------------------------------------------------------------- numeric dates
}
