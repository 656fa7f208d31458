//! Casualty reports: a counted figure next to a word of killing, wounding or disappearance,
//! under the counting conventions conflict-data coders use; victims, places, date,
//! perpetrator and weapon from the same sentence; one report per incident per article.

use eventwire_nlp::{Analysis, EntityKind};
use eventwire_schema::v1::{
    Count, DatePrecision, Evidence, Perpetrator, ResolvedDate, VictimGroup,
};
use eventwire_timex::{find_quantities, QuantityKind};

use crate::diplomatic::Place;
use crate::lexicon::{casualty_word, is_attack_noun, victim_group, Outcome, WEAPONS};
use crate::view::View;

#[derive(Debug, Clone, Default)]
pub struct Report {
    pub killed: Option<Count>,
    pub injured: Option<Count>,
    pub missing: Option<Count>,
    pub victims: Vec<VictimGroup>,
    pub locations: Vec<Place>,
    pub country: Option<String>,
    pub date: Option<ResolvedDate>,
    pub perpetrator: Option<Perpetrator>,
    pub weapon: Option<String>,
    pub evidence: Vec<Evidence>,
}

/// Words allowed between a figure and its casualty word ("35 people were killed",
/// "18 Palestinian civilians have been wounded", "12 Ukrainians were killed").
fn filler(v: &View<'_>, an: &Analysis, j: usize) -> bool {
    let w = v.w(j);
    matches!(
        w,
        "people"
            | "persons"
            | "others"
            | "more"
            | "other"
            | "of"
            | "them"
            | "were"
            | "was"
            | "have"
            | "has"
            | "had"
            | "been"
            | "are"
            | "is"
            | "being"
            | "reportedly"
            | "also"
            | "confirmed"
            | "believed"
            | "to"
            | "be"
            | "feared"
            | "left"
            | "individuals"
            | "those"
            | "who"
            | "in"
            | "total"
            | "a"
    ) || victim_group(w).is_some()
        || is_demonym(v, an, j)
}

/// Whether token `k` is a demonym ("Palestinian", "Ukrainians").
fn is_demonym(v: &View<'_>, an: &Analysis, k: usize) -> bool {
    v.ent_at.get(k).copied().flatten().is_some_and(|id| {
        let e = v.entity(an, &v.ents[id]);
        e.kind == EntityKind::Country && e.role.as_deref() == Some("demonym")
    })
}

/// Verbs that take the figure as object ("killed at least 35", "injuring 117").
fn verb_before(w: &str) -> Option<Outcome> {
    match w {
        "killed" | "killing" | "kills" | "kill" => Some(Outcome::Killed),
        "injured" | "injuring" | "injures" | "wounded" | "wounding" | "wounds" | "injure" => {
            Some(Outcome::Injured)
        }
        _ => None,
    }
}

fn count(q: &eventwire_timex::Quantity) -> Count {
    Count {
        low: q.low.and_then(|x| u32::try_from(x).ok()),
        high: q.high.and_then(|x| u32::try_from(x).ok()),
        qualifier: q.qualifier.as_str().to_string(),
        text: q.text.clone(),
    }
}

/// The casualty report of one sentence, if it states a figure.
pub fn sentence_report(
    v: &View<'_>,
    an: &Analysis,
    gaz: &eventwire_gazetteer::Gazetteer,
) -> Option<Report> {
    let n = v.len();
    if !(0..n).any(|i| casualty_word(v.w(i)).is_some()) {
        return None;
    }
    let mut rep = Report::default();
    let quantities = an
        .sentence_quantities
        .get(v.sentence)
        .map(Vec::as_slice)
        .unwrap_or_default();
    for q in quantities {
        if !matches!(q.kind, QuantityKind::Count | QuantityKind::Partitive) {
            continue;
        }
        let (qa_b, qb_b) = (q.start, q.end);
        let qa = v.toks.partition_point(|t| t.end <= qa_b);
        let qb = v.toks.partition_point(|t| t.start < qb_b);
        if qa >= qb {
            continue;
        }
        // a population or a size, not victims: "a city of 2.4 million people"
        let prev = qa.checked_sub(1).map(|k| v.w(k)).unwrap_or("");
        if prev == "of"
            && qa >= 2
            && matches!(
                v.w(qa - 2),
                "city"
                    | "territory"
                    | "population"
                    | "country"
                    | "region"
                    | "town"
                    | "home"
                    | "nation"
                    | "area"
            )
        {
            continue;
        }
        let mut outcome = None;
        let mut victims_end = qb;
        // word then figure: "killed at least 35 people", "injuring 117"
        let mut k = qa;
        while k > 0 && qa - k < 3 {
            k -= 1;
            if let Some(o) = verb_before(v.w(k)) {
                outcome = Some(o);
                victims_end = (qb..(qb + 4).min(n))
                    .take_while(|&j| filler(v, an, j) && !matches!(v.w(j), "in" | "and" | "to"))
                    .last()
                    .map(|j| j + 1)
                    .unwrap_or(qb);
                break;
            }
            if !matches!(v.w(k), "a" | "total" | "of" | "another" | "some") {
                break;
            }
        }
        // figure then word: "35 people were killed", "18 dead"
        if outcome.is_none() {
            let mut j = qb;
            while j < n && j < qb + 6 {
                let w = v.w(j);
                if let Some(o) = casualty_word(w) {
                    if !matches!(w, "kill" | "kills" | "killing" | "injuring" | "wounding") {
                        outcome = Some(o);
                    }
                    break;
                }
                if !filler(v, an, j) {
                    break;
                }
                j += 1;
                victims_end = j;
            }
        }
        // "the death toll rose to 35"
        if outcome.is_none() {
            let toll = (qa.saturating_sub(6)..qa).any(|k| v.w(k) == "toll")
                && (qa.saturating_sub(7)..qa).any(|k| v.w(k) == "death");
            if toll {
                outcome = Some(Outcome::Killed);
            }
        }
        let Some(outcome) = outcome else { continue };
        let c = count(q);
        if c.low.is_none() && c.high.is_none() {
            continue;
        }
        let slot = match outcome {
            Outcome::Killed => &mut rep.killed,
            Outcome::Injured => &mut rep.injured,
            Outcome::Missing => &mut rep.missing,
        };
        if slot.is_none() {
            *slot = Some(c.clone());
            for k in qb..victims_end {
                if let Some(g) = victim_group(v.w(k))
                    .map(str::to_string)
                    .or_else(|| demonym_group(v, an, k))
                {
                    if !rep.victims.iter().any(|x| x.group == g) {
                        rep.victims.push(VictimGroup {
                            group: g,
                            count: Some(c.clone()),
                            text: v.slice(qa, victims_end).to_string(),
                        });
                    }
                }
            }
        }
    }
    if rep.killed.is_none() && rep.injured.is_none() && rep.missing.is_none() {
        return None;
    }
    // "including two children", "among them 12 women"
    for k in 0..n {
        if !matches!(v.w(k), "including" | "among") {
            continue;
        }
        let mut j = k + 1;
        let mut figure: Option<Count> = None;
        while j < n && j < k + 6 {
            if let Some(g) = victim_group(v.w(j)) {
                if !rep.victims.iter().any(|x| x.group == g) {
                    rep.victims.push(VictimGroup {
                        group: g.to_string(),
                        count: figure.clone(),
                        text: v.slice(k + 1, j + 1).to_string(),
                    });
                }
                break;
            }
            if figure.is_none() {
                let t = v.slice(j, j + 1);
                if let Some(q) = find_quantities(t)
                    .into_iter()
                    .find(|q| q.kind == QuantityKind::Count)
                {
                    figure = Some(count(&q));
                }
            }
            if v.is_punct(j) {
                break;
            }
            j += 1;
        }
    }
    // places, country, perpetrator, date
    for te in &v.ents {
        let e = v.entity(an, te);
        let prev = te.a.checked_sub(1).map(|k| v.w(k)).unwrap_or("");
        match e.kind {
            EntityKind::Place if e.role.as_deref() != Some("modifier") => {
                let p = crate::diplomatic::place_of(e, gaz);
                if !rep.locations.iter().any(|x| x.name == p.name) {
                    rep.locations.push(p);
                }
            }
            EntityKind::Country | EntityKind::Organization => {
                let possessive = matches!(v.w(te.b), "'s" | "'");
                let after = if possessive { te.b + 1 } else { te.b };
                let attacker = (after..(after + 3).min(n)).any(|j| is_attack_noun(v.w(j)))
                    || (prev == "by" && e.kind == EntityKind::Organization)
                    || (prev == "by" && e.kind == EntityKind::Country);
                if attacker && rep.perpetrator.is_none() {
                    let name = e.canonical.clone().unwrap_or_else(|| e.text.clone());
                    rep.perpetrator = Some(Perpetrator {
                        name,
                        country: e.country.clone(),
                    });
                } else if e.kind == EntityKind::Country
                    && matches!(prev, "in" | "across")
                    && e.role.as_deref() != Some("demonym")
                    && rep.country.is_none()
                {
                    rep.country = e.country.clone();
                }
            }
            EntityKind::Date if rep.date.is_none() && !matches!(prev, "since" | "until" | "by") => {
                if let Some(value) = e.value.as_ref().and_then(|x| x.as_str()) {
                    rep.date = Some(ResolvedDate {
                        value: value.to_string(),
                        precision: match e.precision.as_deref() {
                            Some("day") => DatePrecision::Day,
                            Some("week") => DatePrecision::Week,
                            Some("month") => DatePrecision::Month,
                            _ => DatePrecision::Year,
                        } as i32,
                        text: e.text.clone(),
                    });
                }
            }
            _ => {}
        }
    }
    if let Some(c) = rep.locations.iter().find_map(|p| p.country.clone()) {
        rep.country = Some(c);
    }
    // "in the Ukrainian city of Sumy": the demonym gives the country when no place did
    if rep.country.is_none() {
        rep.country = v.ents.iter().find_map(|te| {
            let e = v.entity(an, te);
            (e.kind == EntityKind::Country
                && te.a > 0
                && v.w(te.a - 1) == "the"
                && matches!(v.w(te.b), "city" | "town" | "village" | "region"))
            .then(|| e.country.clone())
            .flatten()
        });
    }
    rep.weapon = weapon(v);
    Some(rep)
}

/// A demonym plural as a victim group ("Palestinians", "Ukrainians").
fn demonym_group(v: &View<'_>, an: &Analysis, k: usize) -> Option<String> {
    let id = v.ent_at.get(k).copied().flatten()?;
    let e = v.entity(an, &v.ents[id]);
    (e.kind == EntityKind::Country && e.role.as_deref() == Some("demonym") && v.w(k).ends_with('s'))
        .then(|| e.text.clone())
}

/// The first words of the weapon phrases: a token outside them starts none.
fn weapon_first_words() -> &'static [&'static str] {
    static FIRST: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    FIRST.get_or_init(|| {
        let mut words: Vec<&'static str> = WEAPONS
            .iter()
            .filter_map(|(phrase, _)| phrase.split(' ').next())
            .collect();
        words.sort_unstable();
        words.dedup();
        words
    })
}

fn weapon(v: &View<'_>) -> Option<String> {
    let n = v.len();
    let first = weapon_first_words();
    for i in 0..n {
        // most tokens start no weapon phrase: skip them before trying every phrase
        if first.binary_search(&v.w(i)).is_err() {
            continue;
        }
        for (phrase, name) in WEAPONS {
            // compared word by word without collecting: this runs for every token
            if phrase.split(' ').enumerate().all(|(o, w)| v.w(i + o) == w) {
                return Some((*name).to_string());
            }
        }
    }
    None
}

/// Merges reports of one article: the same figure in overlapping places is one incident.
pub fn merge(reports: Vec<Report>) -> Vec<Report> {
    let mut out: Vec<Report> = Vec::new();
    for r in reports {
        let same = out.iter().position(|e| {
            let fig = |a: &Option<Count>, b: &Option<Count>| match (a, b) {
                (Some(x), Some(y)) => x.low.is_some() && x.low == y.low,
                _ => false,
            };
            let figures = fig(&e.killed, &r.killed) || fig(&e.injured, &r.injured);
            let places = e.locations.is_empty()
                || r.locations.is_empty()
                || e.locations
                    .iter()
                    .any(|p| r.locations.iter().any(|q| q.name == p.name));
            figures && places
        });
        match same {
            Some(i) => {
                let e = &mut out[i];
                if e.killed.is_none() {
                    e.killed = r.killed;
                }
                if e.injured.is_none() {
                    e.injured = r.injured;
                }
                if e.missing.is_none() {
                    e.missing = r.missing;
                }
                for p in r.locations {
                    if !e.locations.iter().any(|x| x.name == p.name) {
                        e.locations.push(p);
                    }
                }
                for g in r.victims {
                    if !e.victims.iter().any(|x| x.group == g.group) {
                        e.victims.push(g);
                    }
                }
                e.perpetrator = e.perpetrator.take().or(r.perpetrator);
                e.weapon = e.weapon.take().or(r.weapon);
                e.date = e.date.take().or(r.date);
                e.country = e.country.take().or(r.country);
                e.evidence.extend(r.evidence);
            }
            None => out.push(r),
        }
    }
    out
}
