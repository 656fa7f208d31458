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

    /// False when `w` is certainly not in the set (a bitmap test, no hashing).
    #[inline]
    pub(crate) fn may_contain(&self, w: &str) -> bool {
        let k = Self::slot(w);
        self.bits
            .get(k / 64)
            .is_some_and(|b| b & (1 << (k % 64)) != 0)
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
