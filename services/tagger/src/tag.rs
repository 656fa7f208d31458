//! Pure tagging: a CleanArticle in, events out. No I/O.
use std::sync::LazyLock;

use eventwire_schema::ids::event_id;
use eventwire_schema::v1::{
    CasualtyReport, CleanArticle, Count, DiplomaticEvent, DiplomaticKind, EventStatus, Evidence,
    Participant, ParticipantKind,
};
use eventwire_schema::SCHEMA_VERSION;
use regex::Regex;

/// Name and version stamped on every event.
pub const PRODUCER: &str = concat!("eventwire-tagger/", env!("CARGO_PKG_VERSION"));

/// Everything found in one article.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Tagged {
    pub diplomatic: Vec<DiplomaticEvent>,
    pub casualties: Vec<CasualtyReport>,
}

static SENTENCE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"[^.!?\n]+(?:[.!?]+["”’]?|$)"#).expect("valid regex"));
static TRIGGER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(met|meet|meets|meeting|meetings|talks|summit|visit|visits|visited|travel(?:s|led|ling)? to|call(?:ed)?|phoned|negotiat\w*|agreement|signed|sign)\b")
        .expect("valid regex")
});
static FUTURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(will|is set to|are set to|is expected to|are expected to|is scheduled|are scheduled|plans? to|to meet|to travel|next week|tomorrow)\b")
        .expect("valid regex")
});
static NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b[A-Z][a-z]+(?:[- ][A-Z][a-z]+)+\b").expect("valid regex"));
static CASUALTY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(at least|more than|nearly|up to)?\s*(\d[\d,]*|dozens|hundreds|scores)\s+(?:[a-z]+\s+){0,3}?(?:were\s+|have been\s+|had been\s+)?(killed|dead|injured|wounded)\b|\b(killed|injured|wounded)\s+(at least|more than|nearly|up to)?\s*(\d[\d,]*|dozens|hundreds|scores)\b")
        .expect("valid regex")
});

/// Tags one article.
pub fn tag(article: &CleanArticle) -> Tagged {
    let mut out = Tagged::default();
    let body = &article.body;
    for m in SENTENCE.find_iter(body) {
        let sentence = m.as_str().trim();
        if sentence.is_empty() {
            continue;
        }
        let lead = m.as_str().len() - m.as_str().trim_start().len();
        let (start_b, end_b) = (m.start() + lead, m.start() + lead + sentence.len());
        let (start, end) = (char_offset(body, start_b), char_offset(body, end_b));
        let evidence = Evidence {
            sentence: sentence.to_string(),
            start,
            end,
        };
        if let Some(ev) = diplomatic(article, sentence, &evidence) {
            out.diplomatic.push(ev);
        }
        if let Some(c) = casualty(article, sentence, &evidence) {
            out.casualties.push(c);
        }
    }
    out
}

fn char_offset(s: &str, byte: usize) -> u32 {
    u32::try_from(s[..byte].chars().count()).unwrap_or(u32::MAX)
}

fn diplomatic(article: &CleanArticle, sentence: &str, ev: &Evidence) -> Option<DiplomaticEvent> {
    let trigger = TRIGGER.find(sentence)?.as_str().to_lowercase();
    let kind = if trigger.starts_with("visit") || trigger.starts_with("travel") {
        DiplomaticKind::Visit
    } else if trigger.starts_with("call") || trigger == "phoned" {
        DiplomaticKind::Call
    } else if trigger.starts_with("negotiat") {
        DiplomaticKind::Negotiate
    } else if trigger.starts_with("sign") || trigger == "agreement" {
        DiplomaticKind::Agree
    } else {
        DiplomaticKind::Meet
    };
    let participants: Vec<Participant> = NAME
        .find_iter(sentence)
        .map(|n| Participant {
            name: n.as_str().to_string(),
            kind: ParticipantKind::Person as i32,
            ..Default::default()
        })
        .collect();
    if participants.is_empty() {
        return None;
    }
    let planned = FUTURE.is_match(sentence);
    let (cameo, mode) = match kind {
        DiplomaticKind::Visit => ("042", "visit"),
        DiplomaticKind::Call => ("040", "phone"),
        DiplomaticKind::Negotiate => ("046", "third-party"),
        DiplomaticKind::Agree => ("057", ""),
        _ => ("040", ""),
    };
    let (cameo, plover) = match (planned, kind) {
        (true, DiplomaticKind::Agree) => ("057", "AGREE"),
        (true, _) => ("036", "AGREE"),
        (false, DiplomaticKind::Agree) => (cameo, "AGREE"),
        (false, _) => (cameo, "CONSULT"),
    };
    let kind_name = kind.as_str_name();
    Some(DiplomaticEvent {
        schema_version: SCHEMA_VERSION,
        event_id: event_id(&article.id, kind_name, ev.start, ev.end),
        article_id: article.id.clone(),
        kind: kind as i32,
        status: if planned {
            EventStatus::Planned
        } else {
            EventStatus::Occurred
        } as i32,
        participants,
        evidence: vec![ev.clone()],
        confidence: 0.3,
        cameo: cameo.to_string(),
        plover_event: plover.to_string(),
        plover_mode: mode.to_string(),
        producer_version: PRODUCER.to_string(),
        ingested_at: article.ingested_at,
        ..Default::default()
    })
}

fn count(qualifier: Option<&str>, number: &str, text: &str) -> Option<Count> {
    let vague = match number.to_lowercase().as_str() {
        "dozens" => Some(12),
        "hundreds" => Some(100),
        "scores" => Some(20),
        _ => None,
    };
    let q = qualifier.map(str::to_lowercase);
    let (low, high, qual) = match (vague, q.as_deref()) {
        (Some(v), _) => (Some(v), None, "vague"),
        (None, q) => {
            let n: u32 = number.replace(',', "").parse().ok()?;
            match q {
                Some("at least") => (Some(n), None, "at least"),
                Some("more than") => (Some(n + 1), None, "more than"),
                Some("nearly") => (None, Some(n), "nearly"),
                Some("up to") => (None, Some(n), "up to"),
                _ => (Some(n), Some(n), "exact"),
            }
        }
    };
    Some(Count {
        low,
        high,
        qualifier: qual.to_string(),
        text: text.to_string(),
    })
}

fn casualty(article: &CleanArticle, sentence: &str, ev: &Evidence) -> Option<CasualtyReport> {
    let mut report = CasualtyReport::default();
    for c in CASUALTY.captures_iter(sentence) {
        let text = c.get(0).map(|m| m.as_str().trim()).unwrap_or_default();
        let (q, n, what) = if let Some(n) = c.get(2) {
            (
                c.get(1).map(|m| m.as_str()),
                n.as_str(),
                c.get(3).map(|m| m.as_str()).unwrap_or_default(),
            )
        } else {
            (
                c.get(5).map(|m| m.as_str()),
                c.get(6).map(|m| m.as_str()).unwrap_or_default(),
                c.get(4).map(|m| m.as_str()).unwrap_or_default(),
            )
        };
        let Some(cnt) = count(q, n, text) else {
            continue;
        };
        match what.to_lowercase().as_str() {
            "killed" | "dead" if report.killed.is_none() => report.killed = Some(cnt),
            "injured" | "wounded" if report.injured.is_none() => report.injured = Some(cnt),
            _ => {}
        }
    }
    if report.killed.is_none() && report.injured.is_none() {
        return None;
    }
    Some(CasualtyReport {
        schema_version: SCHEMA_VERSION,
        event_id: event_id(&article.id, "casualty", ev.start, ev.end),
        article_id: article.id.clone(),
        evidence: vec![ev.clone()],
        confidence: 0.3,
        cameo: "190".to_string(),
        plover_event: "ASSAULT".to_string(),
        producer_version: PRODUCER.to_string(),
        ingested_at: article.ingested_at,
        ..report
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(body: &str) -> CleanArticle {
        CleanArticle {
            id: "a1".into(),
            body: body.into(),
            ..Default::default()
        }
    }

    #[test]
    fn finds_a_planned_meeting_with_evidence_offsets() {
        let body = "Intro line.\n\nForeign Minister Anna Berg will meet Jon Tal in Oslo.";
        let t = tag(&article(body));
        assert_eq!(t.diplomatic.len(), 1);
        let e = &t.diplomatic[0];
        assert_eq!(e.status, EventStatus::Planned as i32);
        assert_eq!(e.kind, DiplomaticKind::Meet as i32);
        assert_eq!(e.cameo, "036");
        let chars: Vec<char> = body.chars().collect();
        let ev = &e.evidence[0];
        let s: String = chars[ev.start as usize..ev.end as usize].iter().collect();
        assert_eq!(s, ev.sentence);
        assert_eq!(
            e.event_id,
            tag(&article(body)).diplomatic[0].event_id,
            "ids are deterministic"
        );
    }

    #[test]
    fn casualty_counts_follow_the_conventions() {
        let t = tag(&article(
            "A strike killed at least 35 people and injured 117 in the city.",
        ));
        let c = &t.casualties[0];
        assert_eq!(c.killed.as_ref().unwrap().low, Some(35));
        assert_eq!(c.killed.as_ref().unwrap().high, None);
        assert_eq!(c.injured.as_ref().unwrap().low, Some(117));
        assert_eq!(c.injured.as_ref().unwrap().high, Some(117));
        let t = tag(&article("Shelling left dozens of people dead."));
        assert_eq!(t.casualties[0].killed.as_ref().unwrap().low, Some(12));
        assert!(tag(&article("The city of 2.4 million people mourned."))
            .casualties
            .is_empty());
    }
}
