//! Dead-letter header names, as documented in `proto/eventwire/v1/dead_letter.proto`.

pub const ORIGINAL_TOPIC: &str = "dlq.original.topic";
pub const ORIGINAL_PARTITION: &str = "dlq.original.partition";
pub const ORIGINAL_OFFSET: &str = "dlq.original.offset";
pub const ORIGINAL_TIMESTAMP: &str = "dlq.original.timestamp";
pub const SERVICE: &str = "dlq.service";
pub const STAGE: &str = "dlq.stage";
pub const ERROR_CODE: &str = "dlq.error.code";
pub const ERROR_MESSAGE: &str = "dlq.error.message";
pub const FAILED_AT: &str = "dlq.failed.at";
/// Sent on every record eventwire produces, dead letters included.
pub const SCHEMA: &str = "eventwire.schema";

/// Error messages in headers are cut to this many bytes (on a char boundary).
pub const MAX_MESSAGE_BYTES: usize = 1024;

/// Every header a dead letter carries (the timestamp only when the original had one).
pub const ALL: [&str; 10] = [
    ORIGINAL_TOPIC,
    ORIGINAL_PARTITION,
    ORIGINAL_OFFSET,
    ORIGINAL_TIMESTAMP,
    SERVICE,
    STAGE,
    ERROR_CODE,
    ERROR_MESSAGE,
    FAILED_AT,
    SCHEMA,
];

/// Cuts `s` to at most `max` bytes without splitting a character.
pub fn truncate(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::truncate;

    #[test]
    fn truncate_keeps_char_boundaries() {
        assert_eq!(truncate("abc", 10), "abc");
        assert_eq!(truncate("héllo", 2), "h");
        assert_eq!(truncate("héllo", 3), "hé");
    }
}
