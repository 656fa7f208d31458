//! Records as stages see them, independent of the transport.

/// Ordered record headers (Kafka allows repeated keys; we keep the last on lookup).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Headers(pub Vec<(String, Vec<u8>)>);

impl Headers {
    pub fn new() -> Self {
        Headers(Vec::new())
    }

    /// Sets `key`, replacing earlier values.
    pub fn insert(&mut self, key: impl Into<String>, value: impl Into<Vec<u8>>) {
        let key = key.into();
        self.0.retain(|(k, _)| *k != key);
        self.0.push((key, value.into()));
    }

    pub fn get(&self, key: &str) -> Option<&[u8]> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_slice())
    }

    pub fn get_str(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(|v| std::str::from_utf8(v).ok())
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_slice()))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// One record read from an input topic.
#[derive(Debug, Clone)]
pub struct InputRecord {
    pub topic: String,
    pub partition: i32,
    pub offset: i64,
    /// Broker or producer timestamp, milliseconds since the epoch.
    pub timestamp_ms: Option<i64>,
    pub key: Option<Vec<u8>>,
    pub payload: Vec<u8>,
    pub headers: Headers,
}

/// One record a stage wants written, routed by topic name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputRecord {
    pub topic: String,
    pub key: Option<Vec<u8>>,
    pub payload: Vec<u8>,
    pub headers: Headers,
}

impl OutputRecord {
    pub fn new(topic: impl Into<String>, key: impl Into<Vec<u8>>, payload: Vec<u8>) -> Self {
        OutputRecord {
            topic: topic.into(),
            key: Some(key.into()),
            payload,
            headers: Headers::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Headers;

    #[test]
    fn insert_replaces_and_get_reads_last() {
        let mut h = Headers::new();
        h.insert("a", "1");
        h.insert("a", "2");
        h.0.push(("b".into(), b"x".to_vec()));
        h.0.push(("b".into(), b"y".to_vec()));
        assert_eq!(h.get_str("a"), Some("2"));
        assert_eq!(h.get_str("b"), Some("y"));
        assert_eq!(h.len(), 3);
        assert!(h.get("c").is_none());
    }
}
