//! Every field of an event is on the wire, default values too: a plain-JSON consumer reading
//! `evidence[0]["start"]`, `confidence` or `topics` finds them even when they are 0, 0.0 or
//! empty (proto3 JSON leaves defaults out unless told not to). Unset optional fields (a
//! location, a date) stay absent.
use eventwire_schema::json;
use eventwire_schema::v1::{CasualtyReport, DiplomaticEvent, Evidence};

fn encoded<T: serde::Serialize>(msg: &T) -> serde_json::Value {
    let bytes = json::encode(msg).expect("encodes");
    serde_json::from_slice(&bytes).expect("JSON")
}

#[test]
fn default_values_are_written() {
    let event = DiplomaticEvent {
        evidence: vec![Evidence {
            sentence: "Ruiz met Berg.".into(),
            start: 0,
            end: 14,
        }],
        ..DiplomaticEvent::default()
    };
    let v = encoded(&event);
    assert_eq!(v["evidence"][0]["start"], 0, "{v}");
    assert_eq!(v["confidence"], 0.0, "{v}");
    assert_eq!(v["topics"], serde_json::json!([]), "{v}");
    assert_eq!(v["source"], "", "{v}");
    assert!(v.get("location").is_none_or(|l| l.is_null()), "{v}");

    let report = encoded(&CasualtyReport::default());
    assert_eq!(report["cumulative"], false, "{report}");
    assert_eq!(report["victims"], serde_json::json!([]), "{report}");
    assert_eq!(report["language"], "", "{report}");
}

#[test]
fn an_event_with_every_default_reads_back_equal() {
    let event = DiplomaticEvent::default();
    let bytes = json::encode(&event).expect("encodes");
    let back: DiplomaticEvent = json::decode(&bytes).expect("decodes");
    assert_eq!(back, event);
}
