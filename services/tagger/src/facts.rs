//! Facts both rule families read off entities and the gazetteer: the [`Place`] an event or a
//! casualty report happens in, and a resolved date's precision. The diplomatic rules
//! (`diplomatic.rs`) and the casualty rules (`casualty/`) share these types through this
//! module, not through each other.

use eventwire_gazetteer::Gazetteer;
use eventwire_nlp::{Entity, EntityKind};
use eventwire_schema::v1::DatePrecision;

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

/// The place a place or country entity names.
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

/// The capital of the country with code `iso3`, as a city-level place.
pub fn capital_of(gaz: &Gazetteer, iso3: &str) -> Option<Place> {
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

/// The precision of a date entity (its `precision` field; a year when it gives none).
pub fn date_precision(e: &Entity) -> DatePrecision {
    match e.precision.as_deref() {
        Some("day") => DatePrecision::Day,
        Some("week") => DatePrecision::Week,
        Some("month") => DatePrecision::Month,
        _ => DatePrecision::Year,
    }
}
