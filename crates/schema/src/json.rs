//! Encoding and decoding messages as proto3 JSON, with errors a stage can classify.
use serde::{de::DeserializeOwned, Serialize};

#[derive(Debug, thiserror::Error)]
pub enum JsonError {
    #[error("record is not valid JSON for {message}: {source}")]
    Decode {
        message: &'static str,
        #[source]
        source: serde_json::Error,
    },
    #[error("could not encode {message} as JSON: {source}")]
    Encode {
        message: &'static str,
        #[source]
        source: serde_json::Error,
    },
    #[error("unsupported schema_version {found} for {message} (this build reads {supported})")]
    SchemaVersion {
        message: &'static str,
        found: u32,
        supported: u32,
    },
}

/// Decodes one message from JSON bytes.
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, JsonError> {
    serde_json::from_slice(bytes).map_err(|source| JsonError::Decode {
        message: short_type_name::<T>(),
        source,
    })
}

/// Encodes one message as compact JSON bytes.
pub fn encode<T: Serialize>(msg: &T) -> Result<Vec<u8>, JsonError> {
    serde_json::to_vec(msg).map_err(|source| JsonError::Encode {
        message: short_type_name::<T>(),
        source,
    })
}

/// Checks a decoded message's `schema_version`: 0 (absent) is taken as the current version.
pub fn check_version<T>(found: u32) -> Result<(), JsonError> {
    if found == 0 || found == crate::SCHEMA_VERSION {
        Ok(())
    } else {
        Err(JsonError::SchemaVersion {
            message: short_type_name::<T>(),
            found,
            supported: crate::SCHEMA_VERSION,
        })
    }
}

fn short_type_name<T>() -> &'static str {
    let full = std::any::type_name::<T>();
    full.rsplit("::").next().unwrap_or(full)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::v1::*;

    #[test]
    fn enums_are_lower_case_words_and_fields_snake_case() {
        let ev = DiplomaticEvent {
            schema_version: 1,
            kind: DiplomaticKind::Meet as i32,
            status: EventStatus::Planned as i32,
            participants: vec![Participant {
                name: "Marco Rubio".into(),
                kind: ParticipantKind::Person as i32,
                country: Some("USA".into()),
                ..Default::default()
            }],
            date: Some(ResolvedDate {
                value: "2025-04-17".into(),
                precision: DatePrecision::Day as i32,
                text: "on 17 April".into(),
            }),
            ..Default::default()
        };
        let v: serde_json::Value = serde_json::from_slice(&encode(&ev).unwrap()).unwrap();
        assert_eq!(v["kind"], "meet");
        assert_eq!(v["status"], "planned");
        assert_eq!(v["participants"][0]["kind"], "person");
        assert_eq!(v["date"]["precision"], "day");
        assert_eq!(v["schema_version"], 1);
        let back: DiplomaticEvent = decode(&encode(&ev).unwrap()).unwrap();
        assert_eq!(back, ev);
    }

    #[test]
    fn counts_are_json_numbers_and_nulls_are_absent() {
        let c = Count {
            low: Some(35),
            high: None,
            qualifier: "at least".into(),
            text: "at least 35".into(),
        };
        let v: serde_json::Value = serde_json::from_slice(&encode(&c).unwrap()).unwrap();
        assert_eq!(v["low"], 35);
        assert!(v.get("high").is_none());
    }

    #[test]
    fn decode_reports_the_message_type() {
        let e = decode::<RawArticle>(b"{not json").unwrap_err();
        assert!(e.to_string().contains("RawArticle"), "{e}");
    }

    #[test]
    fn camel_case_input_is_accepted() {
        let raw: RawArticle =
            decode(br#"{"schemaVersion":1,"id":"x","contentType":"html","body":"<p>"}"#).unwrap();
        assert_eq!(raw.content_type, ContentType::Html as i32);
        assert!(check_version::<RawArticle>(raw.schema_version).is_ok());
        assert!(check_version::<RawArticle>(2).is_err());
    }
}
