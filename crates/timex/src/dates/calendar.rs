//! Calendar words and their resolution: months, days of the month, weekdays and holidays read
//! as a partial date ([`Spec`]), then placed in a year by the clause's direction or a
//! modifier ("next March", "last Friday").

use super::*;

impl<'a> DateParser<'a> {
    pub(super) fn month_at(&self, i: usize, need_context: bool) -> Option<(usize, u32)> {
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
    pub(super) fn day_at(&self, i: usize, allow_words: bool) -> Option<(usize, u32)> {
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

    pub(super) fn weekday_at(&self, i: usize) -> Option<(usize, Weekday)> {
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
    pub(super) fn spec_full(&self, i: usize) -> Option<(usize, Spec, RelativeModifier)> {
        let mut k = i;
        let mut modifier = RelativeModifier::None;
        match self.w(k) {
            "this" => {
                modifier = RelativeModifier::This;
                k += 1;
            }
            "next" | "coming" => {
                modifier = RelativeModifier::Next;
                k += 1;
            }
            "last" | "past" | "previous" => {
                modifier = RelativeModifier::Last;
                k += 1;
            }
            _ => {}
        }
        // "last week's Sunday".
        if modifier != RelativeModifier::None && self.is(k, "week's") {
            let off = match modifier {
                RelativeModifier::This => 0,
                RelativeModifier::Next => 1,
                _ => -1,
            };
            let (e, wd) = self.weekday_at(k + 1)?;
            let d = monday(self.today) + Duration::days(7 * off + wd.num_days_from_monday() as i64);
            return Some((
                e,
                Spec::Md(d.month(), d.day(), Some(wd)),
                RelativeModifier::None,
            ));
        }
        let (e, s) = self.spec(k, modifier != RelativeModifier::None)?;
        // "Wednesday after next", "March after next".
        if self.is(e, "after") && self.is(e + 1, "next") && modifier == RelativeModifier::None {
            return Some((e + 2, s, RelativeModifier::AfterNext));
        }
        Some((e, s, modifier))
    }

    /// A bare date spec: weekday(+date), month(+day), day + month, holiday.
    pub(super) fn spec(&self, i: usize, modified: bool) -> Option<(usize, Spec)> {
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

    pub(super) fn weekday_spec(&self, i: usize) -> Option<(usize, Spec)> {
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

    pub(super) fn month_spec(&self, i: usize, modified: bool) -> Option<(usize, Spec)> {
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
    pub(super) fn day_month_spec(&self, i: usize) -> Option<(usize, Spec)> {
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

    pub(super) fn holiday_spec(&self, i: usize) -> Option<(usize, Spec)> {
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
    pub(super) fn bare_day_spec(&self, i: usize) -> Option<(usize, Spec)> {
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
    pub(super) fn resolve_with_suffix(
        &self,
        e: usize,
        s: Spec,
        m: RelativeModifier,
    ) -> Option<Hit> {
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
            RelativeModifier::None => self.resolve(s)?,
            RelativeModifier::This => match s {
                Spec::M(mo) => ResolvedTime::at(
                    NaiveDate::from_ymd_opt(self.today.year(), mo, 1)?,
                    Grain::Month,
                ),
                _ => self.resolve(s)?,
            },
            RelativeModifier::Next | RelativeModifier::Last => {
                self.next_last(s, m == RelativeModifier::Next)?
            }
            RelativeModifier::AfterNext => match s {
                Spec::Wd(wd) => ResolvedTime::day(
                    monday(self.today) + Duration::days(7 + wd.num_days_from_monday() as i64),
                ),
                Spec::M(_) => {
                    let n = self.next_last(s, true)?;
                    ResolvedTime::at(shift(n.date(), Unit::Year, 1)?, Grain::Month)
                }
                _ => return None,
            },
        };
        // "Wednesday of next week", "sunday from last week", "wednesday next week".
        if let (Spec::Wd(wd), RelativeModifier::None) = (s, m) {
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
                    return Some((k + 2, ResolvedTime::day(d)));
                }
            }
        }
        Some((e, v))
    }

    pub(super) fn in_year(&self, s: Spec, y: i32) -> Option<ResolvedTime> {
        match s {
            Spec::Md(m, d, _) => Some(ResolvedTime::day(NaiveDate::from_ymd_opt(y, m, d)?)),
            Spec::M(m) => Some(ResolvedTime::at(
                NaiveDate::from_ymd_opt(y, m, 1)?,
                Grain::Month,
            )),
            Spec::Hol(h) => {
                let d = *h.dates_in(y).first()?;
                Some(ResolvedTime {
                    holiday: Some(h),
                    ..ResolvedTime::day(d)
                })
            }
            _ => None,
        }
    }

    /// The occurrence of `s` in the unit period holding `target`, else in its year.
    pub(super) fn in_period_of(&self, s: Spec, target: NaiveDate, u: Unit) -> Option<ResolvedTime> {
        let y = target.year();
        if u == Unit::Month || u == Unit::Week || u == Unit::Day {
            if let Spec::Hol(h) = s {
                if let Some(d) = h
                    .dates_in(y)
                    .into_iter()
                    .find(|d| d.month() == target.month())
                {
                    return Some(ResolvedTime {
                        holiday: Some(h),
                        ..ResolvedTime::day(d)
                    });
                }
            }
        }
        self.in_year(s, y)
    }

    /// Candidate dates of a year-less spec around the reference, sorted.
    pub(super) fn candidates(&self, s: Spec) -> Vec<ResolvedTime> {
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
                            v.push(ResolvedTime::day(date));
                        }
                    }
                }
            }
            Spec::M(m) => {
                for dy in -1..=1 {
                    if let Some(date) = NaiveDate::from_ymd_opt(y0 + dy, m, 1) {
                        v.push(ResolvedTime::at(date, Grain::Month));
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
                                v.push(ResolvedTime::day(date));
                            }
                        }
                    }
                }
            }
            Spec::Wd(wd) => {
                for dd in -7..=7 {
                    let date = self.today + Duration::days(dd);
                    if date.weekday() == wd {
                        v.push(ResolvedTime::day(date));
                    }
                }
            }
            Spec::Hol(h) => {
                for dy in -1..=1 {
                    for date in h.dates_in(y0 + dy) {
                        v.push(ResolvedTime {
                            holiday: Some(h),
                            ..ResolvedTime::day(date)
                        });
                    }
                }
            }
        }
        v.sort_by_key(|t| t.dt);
        v
    }

    /// Resolves a year-less spec in the parser's direction.
    pub(super) fn resolve(&self, s: Spec) -> Option<ResolvedTime> {
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
        let period_end = |t: &ResolvedTime| match t.grain {
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
    pub(super) fn next_last(&self, s: Spec, next: bool) -> Option<ResolvedTime> {
        match s {
            Spec::Wd(wd) => {
                let off = if next { 7 } else { -7 };
                Some(ResolvedTime::day(
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
}
