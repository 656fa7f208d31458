//! The eventwire wire contract: message types generated from `proto/eventwire/v1` at build time,
//! with proto3-JSON (de)serialisation, topic names, dead-letter header names, JSON helpers and the samples' page header.
//!
//! JSON on the wire keeps the proto field names (snake_case, which every proto3 JSON parser
//! accepts) and writes enum values by name; the enum names are the lower-case words of the
//! analysts' vocabulary (`"meet"`, `"planned"`, `"person"`).

pub mod dlq;
pub mod ids;
pub mod json;
pub mod page;
pub mod topics;

/// Generated types of package `eventwire.v1`.
#[allow(clippy::all, missing_docs)]
pub mod v1 {
    include!(concat!(env!("OUT_DIR"), "/eventwire.v1.rs"));
    include!(concat!(env!("OUT_DIR"), "/eventwire.v1.serde.rs"));
}

pub use pbjson_types::Timestamp;

/// Version of the contract every message carries in `schema_version`.
pub const SCHEMA_VERSION: u32 = 1;
/// Name of the contract, sent as the `eventwire.schema` header.
pub const SCHEMA_NAME: &str = "eventwire.v1";

/// The current time as a protobuf timestamp.
pub fn now_timestamp() -> Timestamp {
    timestamp_from_system(std::time::SystemTime::now())
}

/// A `SystemTime` as a protobuf timestamp (times before 1970 clamp to the epoch).
pub fn timestamp_from_system(t: std::time::SystemTime) -> Timestamp {
    let d = t.duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    Timestamp {
        seconds: i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        nanos: i32::try_from(d.subsec_nanos()).unwrap_or(0),
    }
}

/// Seconds since the epoch of a protobuf timestamp, as a float.
pub fn timestamp_secs_f64(t: &Timestamp) -> f64 {
    t.seconds as f64 + f64::from(t.nanos) / 1e9
}
