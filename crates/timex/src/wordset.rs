//! A fixed set of words with a bitmap in front of an Fx-hashed set (rustc-hash): the word
//! tables hold fixed data, so hash flooding is no concern, and most lookups of words not in a
//! set cost a few instructions.

use rustc_hash::FxBuildHasher;

/// A fixed set of words, tested first on (length, first byte, last byte) with a bitmap so
/// that most words not in it cost a few instructions.
#[derive(Debug, Clone, Default)]
pub(crate) struct WordSet {
    /// Bit [`WordSet::slot`] is set for every member.
    bits: Vec<u64>,
    set: std::collections::HashSet<&'static str, FxBuildHasher>,
}

impl WordSet {
    const BITS: usize = 1 << 13;

    /// The set of `words`.
    pub(crate) fn new(words: impl IntoIterator<Item = &'static str>) -> Self {
        let mut s = WordSet {
            bits: vec![0; Self::BITS / 64],
            set: Default::default(),
        };
        for w in words {
            let k = Self::slot(w);
            s.bits[k / 64] |= 1 << (k % 64);
            s.set.insert(w);
        }
        s
    }

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

    /// Whether `w` is in the set.
    #[inline]
    pub(crate) fn contains(&self, w: &str) -> bool {
        let k = Self::slot(w);
        match self.bits.get(k / 64) {
            Some(b) if b & (1 << (k % 64)) != 0 => self.set.contains(w),
            _ => false,
        }
    }
}

/// A fixed map from words, with the bitmap of [`WordSet`] in front of an Fx-hashed map.
#[derive(Debug, Clone, Default)]
pub(crate) struct WordMap<V> {
    /// Bit [`WordSet::slot`] is set for every key.
    bits: Vec<u64>,
    map: std::collections::HashMap<&'static str, V, FxBuildHasher>,
}

impl<V> WordMap<V> {
    /// The map of `entries` (a key given twice keeps its last value).
    pub(crate) fn new(entries: impl IntoIterator<Item = (&'static str, V)>) -> Self {
        let mut s = WordMap {
            bits: vec![0; WordSet::BITS / 64],
            map: Default::default(),
        };
        for (w, v) in entries {
            let k = WordSet::slot(w);
            s.bits[k / 64] |= 1 << (k % 64);
            s.map.insert(w, v);
        }
        s
    }

    /// The value of `w`, if it is a key.
    #[inline]
    pub(crate) fn get(&self, w: &str) -> Option<&V> {
        let k = WordSet::slot(w);
        match self.bits.get(k / 64) {
            Some(b) if b & (1 << (k % 64)) != 0 => self.map.get(w),
            _ => None,
        }
    }
}
