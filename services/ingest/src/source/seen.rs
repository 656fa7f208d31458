//! The seen-set: keys (hashes of a feed item's link or GUID) already produced, so an item a feed
//! repeats is neither fetched nor produced again. In-process and bounded: past `capacity` keys
//! the oldest is forgotten (FIFO), so memory stays flat; a forgotten item that a feed still
//! lists would be produced again, which downstream ids make idempotent. Not shared across
//! restarts or replicas (see docs/ingest.md).
use std::collections::{HashSet, VecDeque};
use std::sync::Mutex;

use eventwire_schema::ids::stable_hash;

/// Default capacity: 1,000,000 keys (about 100 MB at worst).
pub const DEFAULT_SEEN_CAPACITY: usize = 1_000_000;

pub struct SeenSet {
    capacity: usize,
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    keys: HashSet<String>,
    order: VecDeque<String>,
}

/// The seen-set key of a feed item: its link when it has one (the same article under another
/// feed is the same), else its GUID within `source`.
pub fn item_key(source: &str, link: Option<&str>, guid: &str) -> String {
    match link {
        Some(url) => stable_hash(&[b"seen-url", url.as_bytes()], 16),
        None => stable_hash(&[b"seen-guid", source.as_bytes(), guid.as_bytes()], 16),
    }
}

impl SeenSet {
    pub fn new(capacity: usize) -> Self {
        SeenSet {
            capacity: capacity.max(1),
            inner: Mutex::new(Inner::default()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // Every mutation completes under the lock, so a poisoned lock is still consistent.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn contains(&self, key: &str) -> bool {
        self.lock().keys.contains(key)
    }

    /// Records `key` as produced, forgetting the oldest key when full.
    pub fn insert(&self, key: String) {
        let mut inner = self.lock();
        if !inner.keys.insert(key.clone()) {
            return;
        }
        inner.order.push_back(key);
        while inner.order.len() > self.capacity {
            if let Some(old) = inner.order.pop_front() {
                inner.keys.remove(&old);
            }
        }
    }

    pub fn len(&self) -> usize {
        self.lock().keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_and_forgets_the_oldest_past_capacity() {
        let s = SeenSet::new(2);
        s.insert("a".into());
        s.insert("b".into());
        s.insert("a".into());
        assert!(s.contains("a") && s.contains("b"));
        s.insert("c".into());
        assert!(!s.contains("a"));
        assert!(s.contains("b") && s.contains("c"));
        assert_eq!(s.len(), 2);
    }

    #[test]
    fn link_keys_ignore_the_feed_and_guid_keys_do_not() {
        assert_eq!(
            item_key("a", Some("http://x/1"), "g1"),
            item_key("b", Some("http://x/1"), "g2")
        );
        assert_ne!(item_key("a", None, "g"), item_key("b", None, "g"));
    }
}
