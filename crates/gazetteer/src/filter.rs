//! A bit filter in front of the gazetteer's large name tables.

/// A set of byte strings kept only as one bit per hash: `may_contain` is false for every
/// string never inserted but one in a few percent, and never false for one inserted. It sits
/// in front of large hash tables so that most misses touch a small, cached bit array.
#[derive(Debug, Clone, Default)]
pub(crate) struct BitFilter {
    bits: Vec<u64>,
    mask: u64,
}

impl BitFilter {
    /// A filter of about `8 * n` bits (a power of two) for `n` strings.
    pub(crate) fn with_capacity(n: usize) -> Self {
        let len = (n.max(64) * 8).next_power_of_two();
        BitFilter {
            bits: vec![0; len / 64],
            mask: (len - 1) as u64,
        }
    }

    /// The FNV-1a hash the filter keys on, at its start (feed bytes with [`BitFilter::step`]).
    pub(crate) const HASH_START: u64 = 0xcbf2_9ce4_8422_2325;

    /// One byte more of an FNV-1a hash.
    #[inline]
    pub(crate) fn step(h: u64, b: u8) -> u64 {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    }

    #[inline]
    fn bit(&self, s: &[u8]) -> usize {
        self.bit_of(s.iter().fold(Self::HASH_START, |h, &b| Self::step(h, b)))
    }

    #[inline]
    fn bit_of(&self, h: u64) -> usize {
        // the high bits folded in
        ((h ^ (h >> 29)) & self.mask) as usize
    }

    /// [`BitFilter::may_contain`] of the bytes whose hash is `h`.
    #[inline]
    pub(crate) fn may_contain_hash(&self, h: u64) -> bool {
        let k = self.bit_of(h);
        self.bits
            .get(k / 64)
            .is_some_and(|w| w & (1 << (k % 64)) != 0)
    }

    /// Adds `s`.
    pub(crate) fn insert(&mut self, s: &[u8]) {
        let k = self.bit(s);
        if let Some(w) = self.bits.get_mut(k / 64) {
            *w |= 1 << (k % 64);
        }
    }

    /// False when `s` was certainly never inserted.
    #[inline]
    pub(crate) fn may_contain(&self, s: &[u8]) -> bool {
        let k = self.bit(s);
        self.bits
            .get(k / 64)
            .is_some_and(|w| w & (1 << (k % 64)) != 0)
    }
}
