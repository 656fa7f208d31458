//! What a casualty sentence says besides its figures: places, country, date, perpetrator and
//! weapon.

use eventwire_gazetteer::Gazetteer;
use eventwire_nlp::{Analysis, Entity, EntityKind};
use eventwire_schema::v1::{Perpetrator, ResolvedDate};

use crate::facts::{date_precision, place_of, Place};
use crate::view::{TokEnt, View};
use crate::words::{list, List};

/// The attributes of one sentence.
#[derive(Debug, Clone, Default)]
pub struct Attributes {
    pub locations: Vec<Place>,
    pub country: Option<String>,
    pub date: Option<ResolvedDate>,
    pub perpetrator: Option<Perpetrator>,
    pub weapon: Option<String>,
}

/// Reads the attributes of sentence `v`.
pub fn sentence_attributes(v: &View<'_>, an: &Analysis, gaz: &Gazetteer) -> Attributes {
    let mut out = Attributes::default();
    for te in &v.ents {
        let e = v.entity(an, te);
        let prev = te.a.checked_sub(1).map(|k| v.w(k)).unwrap_or("");
        match e.kind {
            EntityKind::Place if e.role.as_deref() != Some("modifier") => {
                let p = place_of(e, gaz);
                if !out.locations.iter().any(|x| x.name == p.name) {
                    out.locations.push(p);
                }
            }
            EntityKind::Country | EntityKind::Organization => {
                if out.perpetrator.is_none() && is_attacker(v, te, e, prev) {
                    out.perpetrator = Some(Perpetrator {
                        name: e.canonical.clone().unwrap_or_else(|| e.text.clone()),
                        country: e.country.clone(),
                    });
                } else if is_country_of_location(e, prev) && out.country.is_none() {
                    out.country = e.country.clone();
                }
            }
            EntityKind::Date if out.date.is_none() && !matches!(prev, "since" | "until" | "by") => {
                out.date = resolved_date(e);
            }
            _ => {}
        }
    }
    if let Some(c) = out.locations.iter().find_map(|p| p.country.clone()) {
        out.country = Some(c);
    }
    if out.country.is_none() {
        out.country = demonym_of_place(v, an);
    }
    out.weapon = weapon(v);
    out
}

/// "a Russian missile strike", "Israel's bombardment", "killed by the army".
fn is_attacker(v: &View<'_>, te: &TokEnt, e: &Entity, prev: &str) -> bool {
    let possessive = matches!(v.w(te.b), "'s" | "'");
    let after = if possessive { te.b + 1 } else { te.b };
    let before_attack_noun =
        (after..(after + 3).min(v.len())).any(|j| list(List::AttackNouns).contains(v.w(j)));
    before_attack_noun
        || (prev == "by" && matches!(e.kind, EntityKind::Organization | EntityKind::Country))
}

/// "in Syria", "across Ukraine": a country named as where it happened.
fn is_country_of_location(e: &Entity, prev: &str) -> bool {
    e.kind == EntityKind::Country
        && matches!(prev, "in" | "across")
        && e.role.as_deref() != Some("demonym")
}

fn resolved_date(e: &Entity) -> Option<ResolvedDate> {
    let value = e.value.as_ref().and_then(|x| x.as_str())?;
    let precision = date_precision(e);
    Some(ResolvedDate {
        value: value.to_string(),
        precision: precision as i32,
        text: e.text.clone(),
    })
}

/// "in the Ukrainian city of Sumy": the demonym gives the country when no place did.
fn demonym_of_place(v: &View<'_>, an: &Analysis) -> Option<String> {
    v.ents.iter().find_map(|te| {
        let e = v.entity(an, te);
        (e.kind == EntityKind::Country
            && te.a > 0
            && v.w(te.a - 1) == "the"
            && matches!(v.w(te.b), "city" | "town" | "village" | "region"))
        .then(|| e.country.clone())
        .flatten()
    })
}

/// The first weapon the sentence names, by its normalised name.
fn weapon(v: &View<'_>) -> Option<String> {
    let weapons = list(List::Weapons);
    (0..v.len()).find_map(|i| {
        if !weapons.starts_entry(v.w(i)) {
            return None;
        }
        weapons.entry_at(v.low, i).map(|(name, _)| name.to_string())
    })
}
