//! Diplomatic events: trigger words over the entity layer, one mention per clause, then one
//! event per real-world event per article (mentions merged, anaphora resolved).

use chrono::NaiveDate;
use eventwire_gazetteer::Gazetteer;
use eventwire_nlp::{Analysis, Entity, EntityKind};
use eventwire_schema::v1::{Attribution, DatePrecision, DiplomaticKind, Evidence, ParticipantKind};

use crate::lexicon::{
    cue_at, is_bloc_adjective, is_collective_noun, is_group_noun, is_participant_preposition,
    is_past_form, is_progressive, is_support_verb, Cue, Form, Trigger,
};
use crate::view::{SegKind, View};

/// A participant, keyed for merging (person canonical name, country code, group).
#[derive(Debug, Clone, PartialEq)]
pub struct Party {
    pub key: String,
    pub name: String,
    pub kind: ParticipantKind,
    pub country: Option<String>,
    pub role: Option<String>,
    pub id: Option<String>,
}

/// A place an event happens in.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub name: String,
    pub country: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub geonames_id: Option<u64>,
    /// 0: a region or continent spanning countries; 1: a country; 2: a city or area.
    pub level: u8,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DateVal {
    pub value: String,
    pub precision: DatePrecision,
    pub text: String,
}

/// Status as read from one mention; `Weak` when the mention gives no cue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum St {
    Weak,
    Occurred,
    Planned,
    Cancelled,
    Denied,
    Hypothetical,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anaphor {
    No,
    /// "the talks", "this meeting": refers back, adds evidence only.
    Definite,
    /// "another round": a new event between the same parties.
    Another,
}

#[derive(Debug, Clone)]
pub struct Mention {
    pub kind: DiplomaticKind,
    pub mediation: bool,
    pub status: St,
    /// The status the clause's tense suggests when no cue decides.
    pub fallback: St,
    pub parties: Vec<Party>,
    pub location: Option<Place>,
    pub date: Option<DateVal>,
    pub topics: Vec<String>,
    pub reported_by: Vec<Attribution>,
    pub evidence: Evidence,
    pub sentence: usize,
    pub anaphor: Anaphor,
}

/// The mentions of one sentence.
pub fn sentence_mentions(
    v: &View<'_>,
    an: &Analysis,
    gaz: &Gazetteer,
    published: Option<NaiveDate>,
) -> Vec<Mention> {
    let n = v.len();
    if !v.has_any_trigger() {
        return Vec::new();
    }
    // the first trigger of each segment heads its mention; later ones in the same segment are
    // its purpose or restatement ("travel to Paris for talks", "meet ... to discuss")
    let mut heads: Vec<(usize, Trigger, usize)> = Vec::new();
    let mut seen_seg: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < n {
        let s = v.seg[i];
        if v.segs[s].kind == SegKind::Reporting || v.topic[i] || v.ent_at[i].is_some() {
            i += 1;
            continue;
        }
        if let Some((tr, len)) = v.trigger_at(i) {
            if !seen_seg.contains(&s) {
                seen_seg.push(s);
                heads.push((i, tr, len));
            }
            i += len;
            continue;
        }
        i += 1;
    }
    if heads.is_empty() {
        return Vec::new();
    }
    let (cs, ce) = v.span();
    let evidence = Evidence {
        sentence: v.slice(0, n).to_string(),
        start: u32::try_from(cs).unwrap_or(u32::MAX),
        end: u32::try_from(ce).unwrap_or(u32::MAX),
    };
    let reported_by = attribution(v, an);
    let mut out = Vec::new();
    for (h, tr, len) in heads {
        if let Some(m) = mention(v, an, gaz, published, h, tr, len) {
            out.push(Mention {
                evidence: evidence.clone(),
                reported_by: reported_by.clone(),
                ..m
            });
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn mention(
    v: &View<'_>,
    an: &Analysis,
    gaz: &Gazetteer,
    published: Option<NaiveDate>,
    h: usize,
    tr: Trigger,
    len: usize,
) -> Option<Mention> {
    let s = v.seg[h];
    let n = v.len();
    let in_seg = |i: usize| v.seg.get(i) == Some(&s);
    let seg_start = (0..=h).rev().take_while(|&i| in_seg(i)).last().unwrap_or(h);
    let support = tr.form == Form::Noun
        && (seg_start..h)
            .rev()
            .take(5)
            .any(|i| is_support_verb(v.w(i)) && in_seg(i));
    let verbal = tr.form == Form::Verb || support;

    // --- status -------------------------------------------------------------------------
    let mut cues: Vec<(usize, Cue)> = Vec::new();
    let low = v.low;
    for i in seg_start..h {
        if in_seg(i) && !v.topic[i] {
            if let Some(c) = cue_at(low, i) {
                cues.push((i, c));
            }
        }
    }
    // "the meeting (between X and Y) was cancelled", "talks were postponed"
    for i in h + len..n {
        if in_seg(i) {
            if let Some(c @ (Cue::Cancel | Cue::Denial)) = cue_at(low, i) {
                cues.push((i, c));
            }
        }
    }
    if cues.iter().any(|&(_, c)| c == Cue::Demand) {
        return None;
    }
    let modifiers = (h.saturating_sub(3)..h)
        .filter(|&i| in_seg(i))
        .map(|i| v.w(i));
    let mut nominal_past = false;
    let mut nominal_future = false;
    if tr.form == Form::Noun {
        for w in modifiers {
            match w {
                "recent" | "last" | "previous" | "earlier" | "past" | "latest" => {
                    nominal_past = true
                }
                "upcoming" | "next" | "planned" | "forthcoming" | "proposed" | "scheduled" => {
                    nominal_future = true
                }
                _ => {}
            }
        }
    }
    let trig_word = v.w(h);
    let has = |c: Cue| cues.iter().any(|&(_, x)| x == c);
    let infinitive = h > 0 && v.w(h - 1) == "to" && !is_support_verb(v.w(h.saturating_sub(2)));
    let mut status = if has(Cue::Cancel) {
        St::Cancelled
    } else if has(Cue::Denial) || has(Cue::Negation) {
        St::Denied
    } else if nominal_past {
        St::Occurred
    } else if has(Cue::Hypothetical) || (has(Cue::Would) && !v.reported) {
        St::Hypothetical
    } else if has(Cue::Future)
        || has(Cue::Would)
        || nominal_future
        // "are meeting", "are heading to": present progressive arrangements
        || (tr.form == Form::Verb
            && is_progressive(trig_word)
            && (has(Cue::Present) || tr.kind == DiplomaticKind::Visit))
    {
        St::Planned
    } else if (tr.form == Form::Verb && is_past_form(trig_word))
        || (support && (seg_start..h).any(|i| is_past_form(v.w(i))))
        || has(Cue::Past)
    {
        St::Occurred
    } else if infinitive && tr.form == Form::Verb {
        // headline style "Rubio to meet Barrot"
        St::Planned
    } else {
        St::Weak
    };

    // --- date ---------------------------------------------------------------------------
    let date = event_date(v, an, s, h);
    if status == St::Weak {
        if let (Some(d), Some(p)) = (&date, published) {
            status = date_status(&d.value, p);
        }
    }
    let fallback = if cues.iter().any(|&(_, c)| c == Cue::Future) {
        St::Planned
    } else {
        St::Occurred
    };

    // --- participants and place ------------------------------------------------------------
    let mut parties: Vec<Party> = Vec::new();
    let mut location: Option<Place> = None;
    let mut location_tok: Option<usize> = None;
    let nominal_only = !verbal;
    // the tokens a nominal trigger draws its participants from: a possessive right before it,
    // and the prepositional phrases after it
    let mut allowed = vec![!nominal_only; n];
    if nominal_only {
        // possessive owner: "Witkoff's April 11 meeting", "his recent meeting"
        let mut k = h;
        while k > seg_start && k + 4 > h {
            k -= 1;
            if matches!(v.w(k), "'s" | "'")
                || v.w(k) == "his"
                || v.w(k) == "her"
                || v.w(k) == "their"
            {
                let owner_end = if matches!(v.w(k), "'s" | "'") {
                    k
                } else {
                    k + 1
                };
                if let Some(id) = owner_end.checked_sub(1).and_then(|j| v.ent_at[j]) {
                    for slot in &mut allowed[v.ents[id].a..v.ents[id].b] {
                        *slot = true;
                    }
                }
                break;
            }
        }
        let mut j = h + len;
        let mut open = false;
        while j < n && in_seg(j) {
            let w = v.w(j);
            if is_participant_preposition(w) {
                open = true;
            } else if v.ent_at[j].is_none()
                && matches!(
                    w,
                    "in" | "on"
                        | "to"
                        | "for"
                        | "at"
                        | "from"
                        | "over"
                        | "about"
                        | "that"
                        | "which"
                )
            {
                open = false;
            }
            if open {
                allowed[j] = true;
            }
            j += 1;
        }
    }
    // the place: modifier right before a nominal trigger, "in/at X" in the clause, or a
    // visit's destination
    for k in h.saturating_sub(3)..h {
        if let Some(id) = v.ent_at[k] {
            let e = v.entity(an, &v.ents[id]);
            if e.kind == EntityKind::Place && in_seg(k) {
                location = Some(place_of(e, gaz));
                location_tok = Some(v.ents[id].a);
            }
        }
    }
    let mut destination_ids: Vec<usize> = Vec::new();
    for (id, te) in v.ents.iter().enumerate() {
        if !in_seg(te.a) || v.topic[te.a] {
            continue;
        }
        let e = v.entity(an, te);
        if !matches!(e.kind, EntityKind::Place | EntityKind::Country) {
            continue;
        }
        if e.kind == EntityKind::Country && e.role.as_deref() == Some("demonym") {
            continue;
        }
        let prev = te.a.checked_sub(1).map(|k| v.w(k)).unwrap_or("");
        let prev2 = te.a.checked_sub(2).map(|k| v.w(k)).unwrap_or("");
        let after_trigger = te.a > h;
        let is_dest = tr.kind == DiplomaticKind::Visit
            && after_trigger
            && (matches!(prev, "to" | "in" | "for" | "at")
                || (te.a == h + len && tr.form == Form::Verb)
                || (prev == "the" && matches!(prev2, "to" | "in")));
        // "in Russia's St. Petersburg": the possessive country's preposition
        let owner_prev = (prev == "'s")
            .then(|| te.a.checked_sub(2).and_then(|k| v.ent_at[k]))
            .flatten()
            .and_then(|oid| v.ents[oid].a.checked_sub(1))
            .map(|k| v.w(k))
            .unwrap_or("");
        let is_in = matches!(prev, "in" | "at")
            || (prev == "the" && prev2 == "in")
            || matches!(owner_prev, "in" | "at");
        // "in Russia's St. Petersburg": the city, not the country
        let followed_by_place = v.w(te.b) == "'s"
            && v.ent_at
                .get(te.b + 1)
                .copied()
                .flatten()
                .is_some_and(|nid| v.entity(an, &v.ents[nid]).kind == EntityKind::Place);
        if followed_by_place {
            destination_ids.push(id);
            continue;
        }
        if is_dest || (is_in && tr.kind != DiplomaticKind::Visit) || (is_in && location.is_none()) {
            let p = place_of(e, gaz);
            let better = match &location {
                None => true,
                Some(cur) => p.level > cur.level && location_tok.is_some_and(|t| t < te.a),
            };
            if better || (is_dest && location_tok.is_none_or(|t| t < h)) {
                location = Some(p);
                location_tok = Some(te.a);
            }
            destination_ids.push(id);
        }
    }
    // "the French capital"
    if location.is_none() && tr.kind == DiplomaticKind::Visit {
        for k in h + len..n.saturating_sub(1) {
            if in_seg(k) && v.w(k + 1) == "capital" {
                if let Some(id) = v.ent_at[k] {
                    let e = v.entity(an, &v.ents[id]);
                    if let Some(p) = e.country.as_deref().and_then(|c| capital_of(gaz, c)) {
                        location = Some(p);
                        break;
                    }
                }
            }
        }
    }
    for (id, te) in v.ents.iter().enumerate() {
        let in_clause = in_seg(te.a) || v.segs[s].antecedent == Some(id);
        if !in_clause || v.topic[te.a] || destination_ids.contains(&id) {
            continue;
        }
        let antecedent = v.segs[s].antecedent == Some(id);
        if !antecedent && !allowed[te.a] {
            continue;
        }
        let e = v.entity(an, te);
        if let Some(p) = party(v, an, te, e, h) {
            if !parties.iter().any(|x| x.key == p.key) {
                parties.push(p);
            }
        }
    }
    // "European officials", "European counterparts": a bloc adjective and a group noun
    for (k, &ok) in allowed.iter().enumerate() {
        if !in_seg(k) || v.topic[k] || !ok || v.ent_at[k].is_some() {
            continue;
        }
        let w = v.w(k);
        let cap = v.toks[k].is_upper_initial();
        if is_bloc_adjective(w) && cap {
            if let Some(g) = (k + 1..(k + 4).min(n)).find(|&j| is_collective_noun(v.w(j))) {
                let (ca, cb) = (v.toks[k].char_start, v.toks[g].char_end);
                if (k + 1..g).all(|j| !v.is_punct(j) && v.ent_at[j].is_none())
                    && !v.in_title(ca, cb)
                {
                    let key = format!("group:{w}");
                    if !parties.iter().any(|x| x.key == key) {
                        parties.push(Party {
                            key,
                            name: v.slice(k, g + 1).to_string(),
                            kind: ParticipantKind::Group,
                            country: None,
                            role: None,
                            id: None,
                        });
                    }
                }
            }
        }
    }
    // a clause without its own subject ("before heading to Africa") takes the main clause's
    if verbal
        && v.segs[s].kind == SegKind::Sub
        && !parties
            .iter()
            .any(|p| matches!(p.kind, ParticipantKind::Person | ParticipantKind::Country))
    {
        let main: Vec<Party> = v
            .ents
            .iter()
            .filter(|te| v.segs[v.seg[te.a]].kind == SegKind::Main && te.a < h)
            .filter_map(|te| party(v, an, te, v.entity(an, te), h))
            .take(1)
            .collect();
        parties.extend(main);
    }

    // --- anaphora ------------------------------------------------------------------------
    let determiner = (h.saturating_sub(4)..h)
        .rev()
        .filter(|&k| in_seg(k))
        .map(|k| v.w(k))
        .find(|w| {
            matches!(
                *w,
                "the" | "this" | "these" | "that" | "those" | "another" | "a" | "an"
            )
        });
    let anaphor = if tr.form == Form::Noun && parties.is_empty() {
        match determiner {
            Some("another") => Anaphor::Another,
            Some("the" | "this" | "these" | "that" | "those") => Anaphor::Definite,
            _ if v.w(h) == "round" => Anaphor::Another,
            _ => return None,
        }
    } else {
        Anaphor::No
    };

    let mut kind = tr.kind;
    if tr.attend && location.is_none() {
        kind = DiplomaticKind::Meet;
    }
    let topics = topics(v, s, h);
    Some(Mention {
        kind,
        mediation: tr.mediation,
        status,
        fallback,
        parties,
        location,
        date,
        topics,
        reported_by: Vec::new(),
        evidence: Evidence::default(),
        sentence: v.sentence,
        anaphor,
    })
}

fn date_status(value: &str, published: NaiveDate) -> St {
    let p = published.format("%Y-%m-%d").to_string();
    let cmp_len = value.len().min(p.len());
    match value[..cmp_len].cmp(&p[..cmp_len]) {
        std::cmp::Ordering::Less => St::Occurred,
        std::cmp::Ordering::Greater => St::Planned,
        std::cmp::Ordering::Equal => St::Weak,
    }
}

/// The participant an entity stands for, if it takes part.
fn party(
    v: &View<'_>,
    an: &Analysis,
    te: &crate::view::TokEnt,
    e: &Entity,
    h: usize,
) -> Option<Party> {
    if v.in_title(e.start, e.end) {
        return None;
    }
    let n = v.len();
    let prev = te.a.checked_sub(1).map(|k| v.w(k)).unwrap_or("");
    let prev = if prev == "the" {
        te.a.checked_sub(2).map(|k| v.w(k)).unwrap_or("")
    } else {
        prev
    };
    let possessive = matches!(v.w(te.b), "'s" | "'");
    // what a possessive or a demonym qualifies: a group of officials, the trigger, or other
    let group_after = |from: usize| -> Option<usize> {
        (from..(from + 5).min(n))
            .take_while(|&j| !v.is_punct(j) || v.w(j) == "-")
            .find(|&j| is_group_noun(v.w(j)))
    };
    match e.kind {
        EntityKind::Person => {
            if possessive {
                // "Trump's Witkoff", "Zelenskyy's earlier warning": an owner, not a party,
                // unless it owns the event ("Witkoff's meeting")
                let owns_trigger = te.b < h && h <= te.b + 4;
                if !owns_trigger {
                    return None;
                }
            }
            Some(Party {
                key: format!(
                    "person:{}",
                    e.canonical.as_deref().unwrap_or(&e.text).to_lowercase()
                ),
                name: e.canonical.clone().unwrap_or_else(|| e.text.clone()),
                kind: ParticipantKind::Person,
                country: e.country.clone(),
                role: e.role.clone(),
                id: e.id.clone(),
            })
        }
        EntityKind::Country => {
            let code = e.country.clone()?;
            let demonym = e.role.as_deref() == Some("demonym");
            let role = if demonym || possessive {
                let from = if possessive { te.b + 1 } else { te.b };
                // "French and German counterparts": the group noun after the list
                let g = group_after(from)?;
                Some(v.slice(g, g + 1).to_lowercase())
            } else {
                if matches!(
                    prev,
                    "in" | "of"
                        | "for"
                        | "to"
                        | "from"
                        | "across"
                        | "throughout"
                        | "against"
                        | "into"
                        | "on"
                        | "at"
                        | "toward"
                        | "towards"
                ) {
                    return None;
                }
                // "US Secretary of State ...", "UK Foreign Secretary David Lammy": a country
                // qualifying the title or name that follows it
                let next_tok = te.b;
                if next_tok < n
                    && (v.toks[next_tok].is_upper_initial()
                        && v.ent_at[next_tok].is_none()
                        && !v.is_punct(next_tok)
                        || v.ent_at[next_tok].is_some_and(|id| {
                            an.entities[v.ents[id].entity].kind == EntityKind::Person
                        }))
                {
                    return None;
                }
                None
            };
            let name = an
                .entities
                .get(te.entity)
                .and_then(|x| x.canonical.clone())
                .unwrap_or_else(|| e.text.clone());
            Some(Party {
                key: format!("country:{code}"),
                name,
                kind: ParticipantKind::Country,
                country: Some(code),
                role,
                id: e.id.clone(),
            })
        }
        EntityKind::Organization => {
            if possessive || matches!(prev, "in" | "of" | "for" | "at" | "from" | "to") {
                return None;
            }
            let name = e.canonical.clone().unwrap_or_else(|| e.text.clone());
            Some(Party {
                key: format!("org:{}", name.to_lowercase()),
                name,
                kind: ParticipantKind::Organization,
                country: None,
                role: None,
                id: e.id.clone(),
            })
        }
        _ => None,
    }
}

pub fn place_of(e: &Entity, gaz: &Gazetteer) -> Place {
    // a country by its name ("United States" for "the US"); a place as the article spells it
    // ("Kryvyi Rih", where GeoNames has "Kryvyy Rih"), with the GeoNames id for linking
    let name = if e.kind == EntityKind::Country {
        e.canonical.clone().unwrap_or_else(|| e.text.clone())
    } else {
        let t = e.text.trim_end_matches("'s").trim_end_matches("\u{2019}s");
        t.strip_prefix("the ").unwrap_or(t).to_string()
    };
    let level = match e.kind {
        EntityKind::Country => 1,
        _ => {
            let key = e.id.as_deref().unwrap_or("");
            let entry = gaz.by_key(key);
            let spans = entry.is_some_and(|x| x.country.is_none());
            if spans {
                0
            } else {
                2
            }
        }
    };
    let geonames_id =
        e.id.as_deref()
            .and_then(|k| k.strip_prefix("geonames:"))
            .and_then(|n| n.parse().ok());
    Place {
        name,
        country: e.country.clone(),
        lat: e.lat,
        lon: e.lon,
        geonames_id,
        level,
    }
}

fn capital_of(gaz: &Gazetteer, iso3: &str) -> Option<Place> {
    let c = gaz.country(iso3)?;
    let e = gaz.entry(c.capital?);
    Some(Place {
        name: e.name.clone(),
        country: Some(iso3.to_string()),
        lat: e.lat,
        lon: e.lon,
        geonames_id: e.key.strip_prefix("geonames:").and_then(|n| n.parse().ok()),
        level: 2,
    })
}

/// The event's date: a date in its clause, nearest to the trigger; year and month dates in a
/// topic phrase belong to the topic ("the invasion in 2022"), and "since"/"until" dates bound
/// a period rather than date the event.
fn event_date(v: &View<'_>, an: &Analysis, s: usize, h: usize) -> Option<DateVal> {
    let mut best: Option<(usize, DateVal)> = None;
    for te in &v.ents {
        if v.seg[te.a] != s {
            continue;
        }
        let e = v.entity(an, te);
        if e.kind != EntityKind::Date {
            continue;
        }
        let prev = te.a.checked_sub(1).map(|k| v.w(k)).unwrap_or("");
        if matches!(prev, "since" | "until" | "till" | "by" | "from" | "through") {
            continue;
        }
        let precision = match e.precision.as_deref() {
            Some("day") => DatePrecision::Day,
            Some("week") => DatePrecision::Week,
            Some("month") => DatePrecision::Month,
            _ => DatePrecision::Year,
        };
        if v.topic[te.a] && precision != DatePrecision::Day {
            continue;
        }
        let Some(value) = e.value.as_ref().and_then(|x| x.as_str()) else {
            continue;
        };
        let dist = te.a.abs_diff(h);
        if best.as_ref().is_none_or(|(d, _)| dist < *d) {
            best = Some((
                dist,
                DateVal {
                    value: value.to_string(),
                    precision,
                    text: e.text.clone(),
                },
            ));
        }
    }
    best.map(|(_, d)| d)
}

/// The topic phrases of the clause (what follows "on", "about", "to discuss"...).
fn topics(v: &View<'_>, s: usize, h: usize) -> Vec<String> {
    let mut out = Vec::new();
    let n = v.len();
    let mut k = h;
    while k < n {
        if v.seg[k] == s && v.topic[k] {
            let a = k;
            while k < n && v.topic[k] && v.seg[k] == s && !matches!(v.w(k), "." | ";" | ",") {
                k += 1;
            }
            let b = k.min(a + 12);
            let phrase = v
                .slice(a, b)
                .trim_matches(|c: char| !c.is_alphanumeric())
                .to_string();
            if !phrase.is_empty() && !out.contains(&phrase) {
                out.push(phrase);
            }
            if out.len() >= 3 {
                break;
            }
        }
        k += 1;
    }
    out
}

/// Who reported it: the reporting frame's source ("the State Department", "Politico").
fn attribution(v: &View<'_>, an: &Analysis) -> Vec<Attribution> {
    let n = v.len();
    let mut out: Vec<Attribution> = Vec::new();
    let mut k = 0;
    while k < n {
        let s = v.seg[k];
        if v.segs[s].kind != SegKind::Reporting {
            k += 1;
            continue;
        }
        let a = k;
        while k < n && v.seg[k] == s {
            k += 1;
        }
        // entities of the frame that can speak
        let mut found = false;
        for te in &v.ents {
            if te.a < a || te.b > k {
                continue;
            }
            let e = v.entity(an, te);
            let speaker = matches!(e.kind, EntityKind::Organization | EntityKind::Person);
            if speaker && !v.in_title(e.start, e.end) {
                let name = e.canonical.clone().unwrap_or_else(|| e.text.clone());
                if !out.iter().any(|x| x.name == name) {
                    out.push(Attribution {
                        name,
                        country: e.country.clone(),
                    });
                }
                found = true;
                break;
            }
        }
        if !found {
            // an unnamed or unknown source: the words before the reporting verb
            let words: Vec<usize> = (a..k).filter(|&j| !v.is_punct(j)).collect();
            let verb = words
                .iter()
                .position(|&j| crate::lexicon::is_reporting_verb(v.w(j)));
            let span = match verb {
                Some(0) => {
                    // "according to two sources familiar with ..."
                    let from = words.iter().skip(1).find(|&&j| v.w(j) != "to").copied();
                    from.map(|f| (f, (f + 6).min(k)))
                }
                Some(p) => Some((words[0], words[p])),
                None => None,
            };
            if let Some((x, y)) = span {
                let name = v.slice(x, y).trim().to_string();
                let country = v
                    .ents
                    .iter()
                    .filter(|te| te.a >= x && te.b <= y)
                    .find_map(|te| v.entity(an, te).country.clone());
                if !name.is_empty() && name.len() < 80 && !out.iter().any(|o| o.name == name) {
                    out.push(Attribution { name, country });
                }
            }
        }
    }
    out
}
