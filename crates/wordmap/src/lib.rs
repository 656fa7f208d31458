//! Fixed word tables for the lexicons of `eventwire-timex` and `eventwire-nlp`: a bitmap on
//! (length, first byte, last byte) in front of an Fx-hashed map (rustc-hash), so that most
//! look-ups of a word that is not a key cost a few instructions and the others one hash
//! look-up. The tables hold fixed data, so hash flooding is no concern.

use std::collections::HashMap;

use rustc_hash::FxBuildHasher;

/// A fixed map from words to `V`.
#[derive(Debug, Clone)]
pub struct WordMap<V> {
    /// Bit [`WordMap::slot`] is set for every key.
    bits: Vec<u64>,
    map: HashMap<Box<str>, V, FxBuildHasher>,
}

impl<V> Default for WordMap<V> {
    fn default() -> Self {
        WordMap {
            bits: vec![0; Self::BITS / 64],
            map: HashMap::default(),
        }
    }
}

impl<V> WordMap<V> {
    const BITS: usize = 1 << 14;

    /// The bitmap position of `w`: from its length and first and last bytes.
    #[inline]
    fn slot(w: &str) -> usize {
        let b = w.as_bytes();
        let (first, last) = match (b.first(), b.last()) {
            (Some(&f), Some(&l)) => (usize::from(f), usize::from(l)),
            _ => (0, 0),
        };
        (w.len().wrapping_mul(0x9e37) ^ first.wrapping_mul(0x2f1) ^ last.wrapping_mul(0x61))
            % Self::BITS
    }

    /// The map of `entries` (a key given twice keeps its last value).
    pub fn new<K: Into<Box<str>>>(entries: impl IntoIterator<Item = (K, V)>) -> Self {
        let mut m = WordMap::default();
        for (w, v) in entries {
            let w: Box<str> = w.into();
            let k = Self::slot(&w);
            m.bits[k / 64] |= 1 << (k % 64);
            m.map.insert(w, v);
        }
        m
    }

    /// The value of `w`, if it is a key.
    #[inline]
    pub fn get(&self, w: &str) -> Option<&V> {
        let k = Self::slot(w);
        match self.bits.get(k / 64) {
            Some(b) if b & (1 << (k % 64)) != 0 => self.map.get(w),
            _ => None,
        }
    }

    /// How many keys there are.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether there is no key.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

/// A fixed set of words.
#[derive(Debug, Clone, Default)]
pub struct WordSet(WordMap<()>);

impl WordSet {
    /// The set of `words`.
    pub fn new<K: Into<Box<str>>>(words: impl IntoIterator<Item = K>) -> Self {
        WordSet(WordMap::new(words.into_iter().map(|w| (w, ()))))
    }

    /// Whether `w` is in the set.
    #[inline]
    pub fn contains(&self, w: &str) -> bool {
        self.0.get(w).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_exactly_its_keys() {
        let m = WordMap::new([("may", 5), ("monday", 1), ("", 0), ("may", 6)]);
        assert_eq!(m.len(), 3);
        assert_eq!(
            m.get("may"),
            Some(&6),
            "a repeated key keeps its last value"
        );
        assert_eq!(m.get("monday"), Some(&1));
        assert_eq!(m.get(""), Some(&0));
        // same length and end bytes as a key (same bit): the map answers
        assert_eq!(m.get("mxy"), None);
        assert_eq!(m.get("May"), None);
        assert_eq!(m.get("mondays"), None);
        assert!(WordMap::<u8>::default().get("may").is_none());
    }

    #[test]
    fn set_contains_its_words_only() {
        let words = ["the", "a", "an", "fourteenth", "é"];
        let s = WordSet::new(words);
        for w in words {
            assert!(s.contains(w), "{w}");
        }
        for w in ["then", "b", "fourteen", "e", "É"] {
            assert!(!s.contains(w), "{w}");
        }
    }
}
