//! The entity pass over the sample articles (raw pages, boilerplate included): it must not
//! panic, offsets must be exact, and the heads of state the articles name must be found with
//! their role and country.

use std::path::PathBuf;

use chrono::NaiveDate;
use eventwire_nlp::{analyze, EntityKind};

fn articles() -> Vec<(String, Option<NaiveDate>, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/articles");
    let mut out = Vec::new();
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .map(|rd| rd.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    paths.sort();
    for p in paths {
        if p.extension().is_some_and(|e| e == "txt") {
            let raw = std::fs::read_to_string(&p).unwrap_or_default();
            // the samples' header: " date YYYY-MM-DD "
            let (date, body) = eventwire_schema::page::split_date_header(&raw);
            let date = date.and_then(|d| d.parse().ok());
            let body = body.to_string();
            out.push((p.display().to_string(), date, body));
        }
    }
    out
}

#[test]
fn sample_articles_find_heads_of_state() {
    let arts = articles();
    assert_eq!(arts.len(), 5, "the five sample articles");
    for (name, date, body) in &arts {
        assert!(date.is_some(), "{name}: date header");
        let a = analyze(body, *date);
        let chars: Vec<char> = body.chars().collect();
        for e in &a.entities {
            let s: String = chars[e.start..e.end].iter().collect();
            assert_eq!(s, e.text, "{name}: offsets of {e:?}");
        }
        let person = |canonical: &str| {
            a.people
                .clusters
                .iter()
                .find(|c| c.canonical == canonical)
                .map(|c| (c.role.clone(), c.country.clone()))
        };
        for (who, cc) in [("Vladimir Putin", "RUS"), ("Emmanuel Macron", "FRA")] {
            assert_eq!(
                person(who),
                Some((Some("president".to_string()), Some(cc.to_string()))),
                "{name}: {who}"
            );
        }
        assert!(
            a.entities
                .iter()
                .any(|e| e.kind == EntityKind::Country && e.country.as_deref() == Some("UKR")),
            "{name}: Ukraine"
        );
        assert!(
            a.entities.iter().any(|e| e.kind == EntityKind::Date),
            "{name}: a date"
        );
        assert_eq!(a.sentence_entities.len(), a.segmentation.sentences.len());
    }
}

#[test]
fn rubio_is_a_person_not_a_town() {
    for (name, date, body) in articles() {
        let a = analyze(&body, date);
        let rubio: Vec<_> = a.entities.iter().filter(|e| e.text == "Rubio").collect();
        assert!(!rubio.is_empty(), "{name}");
        assert!(
            rubio
                .iter()
                .all(|e| e.kind == EntityKind::Person
                    && e.canonical.as_deref() == Some("Marco Rubio")),
            "{name}: {rubio:?}"
        );
    }
}
