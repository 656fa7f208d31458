//! What identifies a participant or a place across articles: its entity id when the gazetteer
//! resolved one, else its country code, else its folded name.

use eventwire_schema::v1::{Location, Participant, ParticipantKind};

/// The key of one participant: "actor:…"/"iso:…" ids first, then a country, then the name.
pub fn participant_key(p: &Participant) -> String {
    if let Some(id) = p.canonical_id.as_deref().filter(|id| !id.is_empty()) {
        return id.to_string();
    }
    if p.kind == ParticipantKind::Country as i32 {
        if let Some(code) = p.country.as_deref() {
            return format!("iso:{code}");
        }
    }
    format!("name:{}", fold(&p.name))
}

/// The key of a place: its GeoNames id when resolved, else its folded name.
pub fn place_key(l: &Location) -> String {
    match l.geonames_id {
        Some(id) => format!("geonames:{id}"),
        None => format!("name:{}", fold(&l.name)),
    }
}

/// Lower case, letters and digits only, single spaces ("the U.S." -> "the us").
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split(|c: char| !c.is_alphanumeric() && c != '.') {
        let w: String = word
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect();
        if !w.is_empty() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&w);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_beat_countries_beat_names() {
        let mut p = Participant {
            name: "Ana Ruiz".into(),
            kind: ParticipantKind::Person as i32,
            canonical_id: Some("actor:ana-ruiz".into()),
            ..Participant::default()
        };
        assert_eq!(participant_key(&p), "actor:ana-ruiz");
        p.canonical_id = None;
        assert_eq!(participant_key(&p), "name:ana ruiz");
        let chile = Participant {
            name: "Chile".into(),
            kind: ParticipantKind::Country as i32,
            country: Some("CHL".into()),
            ..Participant::default()
        };
        assert_eq!(participant_key(&chile), "iso:CHL");
    }

    #[test]
    fn folding_ignores_case_and_punctuation() {
        assert_eq!(fold("The U.S. "), "the us");
        assert_eq!(fold("São  Paulo"), "são paulo");
    }
}
