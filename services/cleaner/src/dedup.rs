//! Near-duplicate detection over clean bodies: a MinHash signature of the body's word 5-shingles,
//! an LSH band index to find candidates, and an overlap check that also catches copies inside
//! another site's frame. The index holds only originals and is bounded by a time window and a
//! capacity. Design, parameters and measurements: `docs/dedup.md`.
//!
//! Everything here is deterministic across processes and machines: hashing is xxh3 with fixed
//! seeds, MinHash permutations come from a fixed seed, and the index never depends on hash-map
//! iteration order. A signature serialises to the `fingerprint` field so that the index can be
//! rebuilt from `articles.clean` without re-hashing any text.
use std::collections::VecDeque;
use std::time::Duration;

use base64::Engine;
use rustc_hash::FxHashMap;
use xxhash_rust::xxh3::{xxh3_64, xxh3_64_with_seed};

/// Words per shingle. Five keeps shared stock phrases ("Secretary of State Marco Rubio") of
/// different articles on one story from looking alike (measured in `docs/dedup.md`).
pub const SHINGLE_WORDS: usize = 5;
/// MinHash values per signature.
pub const NUM_HASHES: usize = 128;
/// LSH bands; each band is [`ROWS`] consecutive MinHash values.
pub const BANDS: usize = 32;
/// MinHash values per LSH band.
pub const ROWS: usize = 2;
/// Originals compared per LSH band at most, newest first. Templated copy (weather, markets,
/// sports results, generated reports) fills a band's bucket with thousands of originals that
/// share the template's shingles but are not copies; walking all of them made every check
/// linear in the index and a run quadratic in its input. A real copy shares most bands, so it
/// is still found unless every one of its bands holds this many newer originals.
pub const MAX_CANDIDATES_PER_BAND: usize = 64;
/// Distinct shingles hashed per body at most (bounds CPU on huge pages; ~100k words).
pub const MAX_SHINGLES: usize = 100_000;
/// Prefix and version of the serialised signature.
pub const FINGERPRINT_PREFIX: &str = "mh1:";

/// Seed of the token and shingle hashes ("eventwir").
const SEED: u64 = 0x6576_656e_7477_6972;
const SIG_BYTES: usize = 4 + 2 * NUM_HASHES;
const NONE: u32 = u32::MAX;

/// Why a fingerprint could not be read back.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FingerprintError {
    #[error("fingerprint does not start with {FINGERPRINT_PREFIX:?}")]
    Prefix,
    #[error("fingerprint is not valid base64: {0}")]
    Base64(String),
    #[error("fingerprint holds {0} bytes, expected {SIG_BYTES}")]
    Length(usize),
}

/// Why a dedup setting was refused.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ConfigError {
    #[error("--dedup-threshold must be in (0, 1], got {0}")]
    Threshold(f64),
    #[error("--dedup-capacity must be at least 1")]
    Capacity,
    #[error("--dedup-window must be longer than zero")]
    Window,
}

/// The MinHash signature of one body: the number of distinct shingles and, per hash function,
/// the low 16 bits (after mixing) of the minimum hash ("b-bit MinHash", b = 16).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Signature {
    shingles: u32,
    mins: [u16; NUM_HASHES],
}

/// splitmix64's finaliser: a fast, well-mixing bijection on u64.
fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The MinHash permutations `a*x + b (mod 2^64)`, `a` odd: fixed for ever (changing them
/// invalidates every stored fingerprint, hence the version in [`FINGERPRINT_PREFIX`]).
fn permutations() -> &'static [(u64, u64); NUM_HASHES] {
    static PERMS: std::sync::OnceLock<[(u64, u64); NUM_HASHES]> = std::sync::OnceLock::new();
    PERMS.get_or_init(|| {
        let mut state = SEED;
        let mut next = || {
            state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            mix64(state)
        };
        let mut p = [(0u64, 0u64); NUM_HASHES];
        for slot in p.iter_mut() {
            *slot = (next() | 1, next());
        }
        p
    })
}

/// Hashes of the distinct word shingles of `body`: words are maximal runs of letters and digits,
/// lower-cased, so punctuation, quotes and line breaks do not matter. A body shorter than one
/// shingle gives one shingle of all its words.
pub fn shingle_hashes(body: &str) -> Vec<u64> {
    let mut words: Vec<u64> = Vec::new();
    let mut buf = String::new();
    for tok in body.split(|c: char| !c.is_alphanumeric()) {
        if tok.is_empty() {
            continue;
        }
        buf.clear();
        for c in tok.chars() {
            buf.extend(c.to_lowercase());
        }
        words.push(xxh3_64_with_seed(buf.as_bytes(), SEED));
        if words.len() >= MAX_SHINGLES + SHINGLE_WORDS {
            break;
        }
    }
    let mut out: Vec<u64> = if words.is_empty() {
        Vec::new()
    } else if words.len() < SHINGLE_WORDS {
        vec![hash_words(&words)]
    } else {
        words.windows(SHINGLE_WORDS).map(hash_words).collect()
    };
    out.sort_unstable();
    out.dedup();
    out
}

fn hash_words(w: &[u64]) -> u64 {
    let mut bytes = [0u8; 8 * SHINGLE_WORDS];
    for (chunk, h) in bytes.chunks_exact_mut(8).zip(w) {
        chunk.copy_from_slice(&h.to_le_bytes());
    }
    xxh3_64_with_seed(&bytes[..8 * w.len()], SEED ^ 0x5348_494e_474c_4531)
}

impl Signature {
    /// The signature of a clean body.
    pub fn of_body(body: &str) -> Signature {
        Self::of_shingles(&shingle_hashes(body))
    }

    /// The signature of a set of distinct shingle hashes.
    pub fn of_shingles(shingles: &[u64]) -> Signature {
        let perms = permutations();
        let mut mins = [0u16; NUM_HASHES];
        for (m, &(a, b)) in mins.iter_mut().zip(perms.iter()) {
            let min = shingles
                .iter()
                .map(|&s| a.wrapping_mul(s).wrapping_add(b))
                .min()
                .unwrap_or(u64::MAX);
            *m = (mix64(min) >> 48) as u16;
        }
        Signature {
            shingles: u32::try_from(shingles.len()).unwrap_or(u32::MAX),
            mins,
        }
    }

    /// Distinct shingles in the body.
    pub fn shingles(&self) -> u32 {
        self.shingles
    }

    /// Compact text form stored in `CleanArticle.fingerprint`: `mh1:` then URL-safe base64 of
    /// the shingle count (u32) and the 128 values (u16), little-endian; 351 characters in all.
    pub fn to_fingerprint(&self) -> String {
        let mut bytes = Vec::with_capacity(SIG_BYTES);
        bytes.extend_from_slice(&self.shingles.to_le_bytes());
        for m in &self.mins {
            bytes.extend_from_slice(&m.to_le_bytes());
        }
        let mut s = String::with_capacity(FINGERPRINT_PREFIX.len() + SIG_BYTES * 4 / 3 + 4);
        s.push_str(FINGERPRINT_PREFIX);
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode_string(&bytes, &mut s);
        s
    }

    /// Reads back [`Signature::to_fingerprint`].
    pub fn from_fingerprint(fp: &str) -> Result<Signature, FingerprintError> {
        let b64 = fp
            .strip_prefix(FINGERPRINT_PREFIX)
            .ok_or(FingerprintError::Prefix)?;
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(b64)
            .map_err(|e| FingerprintError::Base64(e.to_string()))?;
        if bytes.len() != SIG_BYTES {
            return Err(FingerprintError::Length(bytes.len()));
        }
        let shingles = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
        let mut mins = [0u16; NUM_HASHES];
        for (m, pair) in mins.iter_mut().zip(bytes[4..].chunks_exact(2)) {
            *m = u16::from_le_bytes([pair[0], pair[1]]);
        }
        Ok(Signature { shingles, mins })
    }

    /// Estimated Jaccard similarity of the two shingle sets (b-bit MinHash estimator, corrected
    /// for chance 16-bit collisions).
    pub fn jaccard(&self, other: &Signature) -> f64 {
        let same = self
            .mins
            .iter()
            .zip(other.mins.iter())
            .filter(|(a, b)| a == b)
            .count();
        let m = same as f64 / NUM_HASHES as f64;
        let chance = 1.0 / 65536.0;
        ((m - chance) / (1.0 - chance)).clamp(0.0, 1.0)
    }

    /// Jaccard, overlap and size ratio of the two bodies.
    pub fn compare(&self, other: &Signature) -> Similarity {
        let (a, b) = (f64::from(self.shingles), f64::from(other.shingles));
        let (small, large) = if a < b { (a, b) } else { (b, a) };
        if small == 0.0 {
            return Similarity::default();
        }
        let jaccard = self.jaccard(other);
        // |A ∩ B| = J / (1 + J) * (|A| + |B|)
        let inter = jaccard / (1.0 + jaccard) * (a + b);
        Similarity {
            jaccard,
            overlap: (inter / small).clamp(0.0, 1.0),
            size_ratio: small / large,
        }
    }

    /// The key of LSH band `band` (both rows and the band number, hashed to 32 bits; a rare
    /// collision only adds a candidate that the full comparison then rejects).
    fn band_key(&self, band: usize) -> u32 {
        let mut v = band as u64;
        for r in 0..ROWS {
            v = (v << 16) | u64::from(self.mins[band * ROWS + r]);
        }
        (mix64(v ^ SEED) >> 32) as u32
    }
}

/// How alike two bodies are, estimated from their signatures.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Similarity {
    /// |A ∩ B| / |A ∪ B| over shingles.
    pub jaccard: f64,
    /// |A ∩ B| / min(|A|, |B|): how much of the smaller body the larger one contains. This is
    /// the duplicate score: it stays high when a copy adds a frame or drops a paragraph.
    pub overlap: f64,
    /// min(|A|, |B|) / max(|A|, |B|), exact (shingle counts are stored).
    pub size_ratio: f64,
}

/// Tuning of the index.
#[derive(Debug, Clone, PartialEq)]
pub struct DedupConfig {
    /// Originals older than this (by ingest time) relative to the newest one are forgotten, and
    /// never matched against a newer article.
    pub window: Duration,
    /// Entries kept at most; the oldest inserted is evicted first.
    pub capacity: usize,
    /// Minimum estimated overlap (see [`Similarity::overlap`]) for a near duplicate.
    pub threshold: f64,
    /// Bodies with fewer distinct shingles (about as many words) are only matched exactly.
    pub min_shingles: u32,
    /// A near duplicate's body is at least this share of the other's size (and at most its
    /// inverse): a long article that merely quotes a short one is not a copy of it.
    pub min_size_ratio: f64,
}

impl Default for DedupConfig {
    fn default() -> Self {
        DedupConfig {
            window: Duration::from_secs(7 * 24 * 3600),
            capacity: 1_000_000,
            threshold: 0.8,
            min_shingles: 50,
            min_size_ratio: 0.4,
        }
    }
}

impl DedupConfig {
    /// Checks the values a user can set.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if !(self.threshold > 0.0 && self.threshold <= 1.0) {
            return Err(ConfigError::Threshold(self.threshold));
        }
        if self.capacity == 0 {
            return Err(ConfigError::Capacity);
        }
        if self.window.is_zero() {
            return Err(ConfigError::Window);
        }
        Ok(())
    }
}

/// Dedup settings from flags and `EVENTWIRE_DEDUP_*` variables.
#[derive(clap::Args, Debug, Clone)]
pub struct DedupArgs {
    /// How far back (by ingest time) a copy is still matched to its original, e.g. "7d", "36h".
    #[arg(long = "dedup-window", env = "EVENTWIRE_DEDUP_WINDOW", default_value = "7d", value_parser = humantime::parse_duration)]
    pub window: Duration,
    /// Originals kept in the index at most (about 1 KiB each); the oldest are evicted first.
    #[arg(
        long = "dedup-capacity",
        env = "EVENTWIRE_DEDUP_CAPACITY",
        default_value_t = 1_000_000
    )]
    pub capacity: usize,
    /// Minimum share of the smaller body found in the larger one for a near duplicate (0-1].
    #[arg(
        long = "dedup-threshold",
        env = "EVENTWIRE_DEDUP_THRESHOLD",
        default_value_t = 0.8
    )]
    pub threshold: f64,
}

impl DedupArgs {
    /// The validated configuration.
    pub fn config(&self) -> Result<DedupConfig, ConfigError> {
        let c = DedupConfig {
            window: self.window,
            capacity: self.capacity,
            threshold: self.threshold,
            ..DedupConfig::default()
        };
        c.validate()?;
        Ok(c)
    }
}

/// What the index says about one article.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// Not a copy of anything in the index (and now in it, after [`DedupIndex::check_and_insert`]).
    Original,
    /// A copy of an earlier original.
    Duplicate {
        /// Id of the earliest matching original.
        of: String,
        /// 1.0 for an exact copy, else the estimated overlap.
        similarity: f64,
        /// Same `content_hash`.
        exact: bool,
    },
    /// This article id is already in the index as an original (a redelivery): still original,
    /// not inserted twice.
    Known,
}

/// One original in the index.
struct Entry {
    id: Box<str>,
    seq: u64,
    time: i64,
    content: u64,
    sig: Signature,
    banded: bool,
    next: [u32; BANDS],
}

/// Why entries left the index.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Evictions {
    /// Pushed out by the capacity bound.
    pub capacity: u64,
    /// Older than the window.
    pub window: u64,
}

/// The bounded index of originals. Not thread-safe by itself; the stage serialises access.
pub struct DedupIndex {
    cfg: DedupConfig,
    slots: Vec<Option<Entry>>,
    free: Vec<u32>,
    /// Slots in insertion order: the eviction queue.
    order: VecDeque<u32>,
    exact: FxHashMap<u64, u32>,
    /// Band key to the most recent entry with it; older ones chain through `Entry::next`.
    bands: FxHashMap<u32, u32>,
    next_seq: u64,
    newest: i64,
    evictions: Evictions,
}

/// The key of a content hash in the exact-copy map.
pub fn content_key(content_hash: &str) -> u64 {
    xxh3_64(content_hash.as_bytes())
}

impl DedupIndex {
    /// An empty index.
    pub fn new(cfg: DedupConfig) -> Self {
        DedupIndex {
            cfg,
            slots: Vec::new(),
            free: Vec::new(),
            order: VecDeque::new(),
            exact: FxHashMap::default(),
            bands: FxHashMap::default(),
            next_seq: 0,
            newest: i64::MIN,
            evictions: Evictions::default(),
        }
    }

    /// The configuration in force.
    pub fn config(&self) -> &DedupConfig {
        &self.cfg
    }

    /// Originals held.
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// True when no original is held.
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// Entries evicted so far, by reason.
    pub fn evictions(&self) -> Evictions {
        self.evictions
    }

    fn entry(&self, slot: u32) -> Option<&Entry> {
        self.slots.get(slot as usize).and_then(Option::as_ref)
    }

    fn window_secs(&self) -> i64 {
        i64::try_from(self.cfg.window.as_secs()).unwrap_or(i64::MAX)
    }

    /// The slots of the originals sharing a band with `sig`: at most
    /// [`MAX_CANDIDATES_PER_BAND`] per band, newest first, each once.
    fn candidates(&self, sig: &Signature) -> Vec<u32> {
        let mut candidates: Vec<u32> = Vec::new();
        for band in 0..BANDS {
            let mut slot = self.bands.get(&sig.band_key(band)).copied().unwrap_or(NONE);
            let mut walked = 0;
            while let Some(e) = self.entry(slot) {
                if walked == MAX_CANDIDATES_PER_BAND {
                    break;
                }
                candidates.push(slot);
                walked += 1;
                slot = e.next[band];
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        candidates
    }

    /// Judges an article without changing the index. `time` is its ingest time in seconds since
    /// the epoch; `content_hash` is `CleanArticle.content_hash`.
    pub fn check(&self, id: &str, time: i64, content_hash: &str, sig: &Signature) -> Verdict {
        if sig.shingles == 0 {
            // Empty bodies are all alike and copies of nothing.
            return Verdict::Original;
        }
        let oldest = time.saturating_sub(self.window_secs());
        if let Some(e) = self
            .exact
            .get(&content_key(content_hash))
            .and_then(|&s| self.entry(s))
        {
            if &*e.id == id {
                return Verdict::Known;
            }
            if e.time >= oldest {
                return Verdict::Duplicate {
                    of: e.id.to_string(),
                    similarity: 1.0,
                    exact: true,
                };
            }
        }
        if sig.shingles < self.cfg.min_shingles {
            return Verdict::Original;
        }
        let candidates = self.candidates(sig);
        let mut best: Option<(&Entry, Similarity)> = None;
        let mut known = false;
        for e in candidates.into_iter().filter_map(|s| self.entry(s)) {
            if e.time < oldest {
                continue;
            }
            let sim = sig.compare(&e.sig);
            if sim.overlap < self.cfg.threshold || sim.size_ratio < self.cfg.min_size_ratio {
                continue;
            }
            if &*e.id == id {
                known = true;
                continue;
            }
            if best.as_ref().is_none_or(|(b, _)| e.seq < b.seq) {
                best = Some((e, sim));
            }
        }
        match best {
            Some((e, sim)) => Verdict::Duplicate {
                of: e.id.to_string(),
                similarity: sim.overlap,
                exact: false,
            },
            None if known => Verdict::Known,
            None => Verdict::Original,
        }
    }

    /// Judges an article and, when it is an original, inserts it.
    pub fn check_and_insert(
        &mut self,
        id: &str,
        time: i64,
        content_hash: &str,
        sig: &Signature,
    ) -> Verdict {
        let v = self.check(id, time, content_hash, sig);
        if v == Verdict::Original {
            self.insert(id, time, content_hash, sig.clone());
        }
        v
    }

    /// Inserts an original as is (the rebuild path: articles.clean says it is one). Returns
    /// false, inserting nothing, when its content is already indexed (a redelivered record) or
    /// its body is empty.
    pub fn insert(&mut self, id: &str, time: i64, content_hash: &str, sig: Signature) -> bool {
        let content = content_key(content_hash);
        if sig.shingles == 0 || self.exact.contains_key(&content) {
            return false;
        }
        self.newest = self.newest.max(time);
        let cutoff = self.newest.saturating_sub(self.window_secs());
        while let Some(&front) = self.order.front() {
            let expired = self.entry(front).is_some_and(|e| e.time < cutoff);
            if expired {
                self.evictions.window += 1;
            } else if self.order.len() >= self.cfg.capacity {
                self.evictions.capacity += 1;
            } else {
                break;
            }
            self.evict_front();
        }
        let banded = sig.shingles >= self.cfg.min_shingles;
        let slot = match self.free.pop() {
            Some(s) => s,
            None => {
                self.slots.push(None);
                u32::try_from(self.slots.len() - 1).unwrap_or(NONE)
            }
        };
        let mut entry = Entry {
            id: id.into(),
            seq: self.next_seq,
            time,
            content,
            sig,
            banded,
            next: [NONE; BANDS],
        };
        self.next_seq += 1;
        if banded {
            for band in 0..BANDS {
                let key = entry.sig.band_key(band);
                if let Some(head) = self.bands.insert(key, slot) {
                    entry.next[band] = head;
                }
            }
        }
        self.exact.insert(content, slot);
        self.order.push_back(slot);
        if let Some(s) = self.slots.get_mut(slot as usize) {
            *s = Some(entry);
        }
        true
    }

    fn evict_front(&mut self) {
        let Some(slot) = self.order.pop_front() else {
            return;
        };
        let Some(entry) = self.slots.get_mut(slot as usize).and_then(Option::take) else {
            return;
        };
        if self.exact.get(&entry.content) == Some(&slot) {
            self.exact.remove(&entry.content);
        }
        if entry.banded {
            for band in 0..BANDS {
                self.unlink(&entry, slot, band);
            }
        }
        self.free.push(slot);
    }

    /// Removes `slot` (already taken out of `slots`) from band `band`'s chain.
    fn unlink(&mut self, entry: &Entry, slot: u32, band: usize) {
        let key = entry.sig.band_key(band);
        let after = entry.next[band];
        match self.bands.get(&key).copied() {
            Some(head) if head == slot => {
                if after == NONE {
                    self.bands.remove(&key);
                } else {
                    self.bands.insert(key, after);
                }
            }
            Some(mut cur) => {
                // Chains are newest first and we evict the oldest, so it is usually the tail.
                while let Some(e) = self.slots.get_mut(cur as usize).and_then(Option::as_mut) {
                    if e.next[band] == slot {
                        e.next[band] = after;
                        break;
                    }
                    cur = e.next[band];
                }
            }
            None => {}
        }
    }

    /// Approximate heap bytes per entry at the current size (entries, maps, queue), for the
    /// documentation and the bench.
    pub fn approx_bytes(&self) -> usize {
        let slot = std::mem::size_of::<Option<Entry>>();
        let ids: usize = self
            .slots
            .iter()
            .flatten()
            .map(|e| e.id.len())
            .sum::<usize>();
        self.slots.capacity() * slot
            + ids
            + self.free.capacity() * 4
            + self.order.capacity() * 4
            + self.exact.capacity() * (12 + 1)
            + self.bands.capacity() * (8 + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(seed: u64, n: usize) -> String {
        let mut s = String::new();
        let mut x = seed;
        for _ in 0..n {
            x = mix64(x.wrapping_add(0x9e37_79b9_7f4a_7c15));
            s.push_str(&format!("w{} ", x % 5000));
        }
        s
    }

    fn hash(s: &str) -> String {
        eventwire_schema::ids::content_hash(s)
    }

    fn cfg() -> DedupConfig {
        DedupConfig::default()
    }

    #[test]
    fn shingles_ignore_case_and_punctuation() {
        assert_eq!(
            shingle_hashes("The cat, sat on the MAT today."),
            shingle_hashes("the cat sat on\n\nthe mat today")
        );
        assert_eq!(shingle_hashes("one two three four five six").len(), 2);
        assert_eq!(shingle_hashes("two words").len(), 1);
        assert!(shingle_hashes(" ,. ").is_empty());
    }

    #[test]
    fn signature_is_deterministic_and_round_trips() {
        let body = words(1, 300);
        let a = Signature::of_body(&body);
        let b = Signature::of_body(&body);
        assert_eq!(a, b);
        let fp = a.to_fingerprint();
        assert!(fp.starts_with(FINGERPRINT_PREFIX));
        assert_eq!(fp.len(), FINGERPRINT_PREFIX.len() + 347);
        assert_eq!(Signature::from_fingerprint(&fp), Ok(a.clone()));
        // A fixed body has a fixed fingerprint on every machine and run: a golden value.
        let golden = Signature::of_body("alpha beta gamma delta epsilon zeta eta theta");
        assert_eq!(golden.shingles(), 4);
        assert_eq!(
            &golden.to_fingerprint()[..24],
            "mh1:BAAAANIy-s0s_LivPk6a",
            "changing the hashing needs a new fingerprint version"
        );
    }

    #[test]
    fn bad_fingerprints_are_refused() {
        assert_eq!(
            Signature::from_fingerprint("xx"),
            Err(FingerprintError::Prefix)
        );
        assert!(matches!(
            Signature::from_fingerprint("mh1:!!"),
            Err(FingerprintError::Base64(_))
        ));
        assert_eq!(
            Signature::from_fingerprint("mh1:AAAA"),
            Err(FingerprintError::Length(3))
        );
    }

    #[test]
    fn estimates_track_true_similarity() {
        let a = words(2, 600);
        let half = words(3, 600);
        let b = format!("{a} {half}"); // contains all of a, twice its size
        let s = Signature::of_body(&a).compare(&Signature::of_body(&b));
        assert!((s.jaccard - 0.5).abs() < 0.12, "{s:?}");
        assert!(s.overlap > 0.85, "{s:?}");
        assert!((s.size_ratio - 0.5).abs() < 0.01, "{s:?}");
        let other = Signature::of_body(&words(4, 600));
        let s = Signature::of_body(&a).compare(&other);
        assert!(s.jaccard < 0.05 && s.overlap < 0.1, "{s:?}");
    }

    #[test]
    fn near_copy_is_duplicate_of_earliest_and_unrelated_is_not() {
        let mut idx = DedupIndex::new(cfg());
        let a = words(5, 400);
        let a2 = format!("{} extra closing words here", &a[..a.len() - 40]);
        let sa = Signature::of_body(&a);
        assert_eq!(
            idx.check_and_insert("a", 100, &hash(&a), &sa),
            Verdict::Original
        );
        let v = idx.check_and_insert("a2", 200, &hash(&a2), &Signature::of_body(&a2));
        let Verdict::Duplicate {
            of,
            similarity,
            exact,
        } = v
        else {
            panic!("expected a duplicate, got {v:?}")
        };
        assert_eq!(of, "a");
        assert!(similarity > 0.9 && !exact);
        let b = words(6, 400);
        assert_eq!(
            idx.check_and_insert("b", 300, &hash(&b), &Signature::of_body(&b)),
            Verdict::Original
        );
        assert_eq!(idx.len(), 2, "duplicates are not inserted");
        // Exact copy of b, and the redelivery of a itself.
        assert!(matches!(
            idx.check("c", 400, &hash(&b), &Signature::of_body(&b)),
            Verdict::Duplicate { exact: true, ref of, .. } if of == "b"
        ));
        assert_eq!(idx.check("a", 100, &hash(&a), &sa), Verdict::Known);
    }

    #[test]
    fn templated_originals_bound_the_candidates_and_a_recent_copy_is_still_found() {
        let mut idx = DedupIndex::new(cfg());
        let template = words(40, 120);
        let story = |i: u64| format!("{template} {}", words(1000 + i, 80));
        for i in 0..600 {
            let body = story(i);
            let v = idx.check_and_insert(
                &format!("t{i}"),
                100 + i as i64,
                &hash(&body),
                &Signature::of_body(&body),
            );
            assert_eq!(v, Verdict::Original, "t{i}");
        }
        let copy = format!("{} and one more line", story(590));
        let sig = Signature::of_body(&copy);
        assert!(idx.candidates(&sig).len() <= BANDS * MAX_CANDIDATES_PER_BAND);
        assert!(
            idx.candidates(&sig).len() < 600,
            "every templated original was a candidate"
        );
        assert!(matches!(
            idx.check("copy", 1000, &hash(&copy), &sig),
            Verdict::Duplicate { ref of, .. } if of == "t590"
        ));
    }

    #[test]
    fn threshold_decides() {
        let a = words(7, 400);
        // Keep 70% of a, then new text: overlap about 0.7.
        let cut: Vec<&str> = a.split(' ').take(280).collect();
        let b = format!("{} {}", cut.join(" "), words(8, 120));
        let sb = Signature::of_body(&b);
        for (threshold, dup) in [(0.5, true), (0.9, false)] {
            let mut idx = DedupIndex::new(DedupConfig { threshold, ..cfg() });
            idx.check_and_insert("a", 0, &hash(&a), &Signature::of_body(&a));
            let v = idx.check("b", 0, &hash(&b), &sb);
            assert_eq!(
                matches!(v, Verdict::Duplicate { .. }),
                dup,
                "{threshold}: {v:?}"
            );
        }
    }

    #[test]
    fn short_bodies_match_only_exactly_and_empty_never() {
        let mut idx = DedupIndex::new(cfg());
        let s = "Talks resumed in Paris on Thursday, officials said.";
        let sig = Signature::of_body(s);
        assert!(sig.shingles() < cfg().min_shingles);
        idx.check_and_insert("s1", 0, &hash(s), &sig);
        let s2 = "Talks resumed in Paris on Thursday, officials said again.";
        assert_eq!(
            idx.check("s2", 0, &hash(s2), &Signature::of_body(s2)),
            Verdict::Original
        );
        assert!(matches!(
            idx.check("s3", 0, &hash(s), &sig),
            Verdict::Duplicate { exact: true, .. }
        ));
        let e = Signature::of_body("");
        assert_eq!(
            idx.check_and_insert("e1", 0, &hash(""), &e),
            Verdict::Original
        );
        assert_eq!(idx.check("e2", 0, &hash(""), &e), Verdict::Original);
        assert_eq!(idx.len(), 1);
    }

    #[test]
    fn long_article_quoting_a_short_one_is_not_its_copy() {
        let mut idx = DedupIndex::new(cfg());
        let short = words(9, 120);
        let long = format!("{} {short} {}", words(10, 300), words(11, 300));
        idx.check_and_insert("short", 0, &hash(&short), &Signature::of_body(&short));
        assert_eq!(
            idx.check("long", 0, &hash(&long), &Signature::of_body(&long)),
            Verdict::Original
        );
    }

    #[test]
    fn capacity_evicts_oldest() {
        let mut idx = DedupIndex::new(DedupConfig {
            capacity: 3,
            ..cfg()
        });
        let bodies: Vec<String> = (0..5).map(|i| words(100 + i, 200)).collect();
        for (i, b) in bodies.iter().enumerate() {
            let v = idx.check_and_insert(&format!("d{i}"), 0, &hash(b), &Signature::of_body(b));
            assert_eq!(v, Verdict::Original);
        }
        assert_eq!(idx.len(), 3);
        assert_eq!(idx.evictions().capacity, 2);
        let probe = |idx: &DedupIndex, i: usize| {
            let b = &bodies[i];
            idx.check("probe", 0, &format!("x{b}"), &Signature::of_body(b))
        };
        assert_eq!(probe(&idx, 0), Verdict::Original, "d0 was evicted");
        assert_eq!(probe(&idx, 1), Verdict::Original, "d1 was evicted");
        assert!(matches!(probe(&idx, 4), Verdict::Duplicate { ref of, .. } if of == "d4"));
        assert!(matches!(probe(&idx, 2), Verdict::Duplicate { ref of, .. } if of == "d2"));
        assert_eq!(
            chained(&idx),
            3 * BANDS,
            "evicted entries are unlinked from every band"
        );
    }

    /// Chain nodes reachable from the band heads: live entries times bands when every evicted
    /// entry was unlinked.
    fn chained(idx: &DedupIndex) -> usize {
        let mut n = 0;
        for (&key, &head) in &idx.bands {
            let Some(h) = idx.entry(head) else { continue };
            for band in (0..BANDS).filter(|&b| h.sig.band_key(b) == key) {
                let mut slot = head;
                while let Some(e) = idx.entry(slot) {
                    assert_eq!(e.sig.band_key(band), key, "chain holds a foreign entry");
                    n += 1;
                    slot = e.next[band];
                }
            }
        }
        n
    }

    #[test]
    fn window_evicts_and_limits_matches() {
        let day = 86_400;
        let mut idx = DedupIndex::new(DedupConfig {
            window: Duration::from_secs(2 * day as u64),
            ..cfg()
        });
        let a = words(20, 200);
        let sa = Signature::of_body(&a);
        idx.check_and_insert("a", 0, &hash(&a), &sa);
        // Three days later a copy is an original again (outside the window), even before
        // eviction has run.
        assert_eq!(
            idx.check("late", 3 * day, &hash(&a), &sa),
            Verdict::Original
        );
        assert!(matches!(
            idx.check("soon", day, &hash(&a), &sa),
            Verdict::Duplicate { .. }
        ));
        let b = words(21, 200);
        idx.check_and_insert("b", 3 * day, &hash(&b), &Signature::of_body(&b));
        assert_eq!(idx.len(), 1, "a evicted by the window");
        assert_eq!(idx.evictions().window, 1);
    }

    #[test]
    fn slots_are_reused_after_eviction() {
        let mut idx = DedupIndex::new(DedupConfig {
            capacity: 10,
            ..cfg()
        });
        for i in 0..1000u64 {
            let b = words(1000 + i, 80);
            idx.check_and_insert(&format!("d{i}"), 0, &hash(&b), &Signature::of_body(&b));
        }
        assert_eq!(idx.len(), 10);
        assert!(idx.slots.len() <= 11);
        assert!(idx.bands.len() <= 10 * BANDS);
        assert_eq!(idx.exact.len(), 10);
        assert_eq!(chained(&idx), 10 * BANDS);
    }

    #[test]
    fn rebuild_from_fingerprints_gives_the_same_verdicts() {
        let bodies: Vec<String> = (0..20).map(|i| words(200 + i, 150)).collect();
        let mut live = DedupIndex::new(cfg());
        let mut stored = Vec::new();
        for (i, b) in bodies.iter().enumerate() {
            let sig = Signature::of_body(b);
            let id = format!("d{i}");
            if live.check_and_insert(&id, i as i64, &hash(b), &sig) == Verdict::Original {
                stored.push((id, i as i64, hash(b), sig.to_fingerprint()));
            }
        }
        let mut rebuilt = DedupIndex::new(cfg());
        for (id, t, h, fp) in &stored {
            let sig = Signature::from_fingerprint(fp).unwrap();
            assert!(rebuilt.insert(id, *t, h, sig));
        }
        assert_eq!(rebuilt.len(), live.len());
        // A redelivered record is not inserted twice.
        let (id, t, h, fp) = &stored[0];
        assert!(!rebuilt.insert(id, *t, h, Signature::from_fingerprint(fp).unwrap()));
        for (i, b) in bodies.iter().enumerate() {
            let copy = format!("{b} and one more line");
            let sig = Signature::of_body(&copy);
            assert_eq!(
                live.check("new", 50, &hash(&copy), &sig),
                rebuilt.check("new", 50, &hash(&copy), &sig),
                "body {i}"
            );
        }
    }

    #[test]
    fn config_is_validated() {
        assert!(cfg().validate().is_ok());
        for bad in [0.0, 1.5, f64::NAN] {
            let c = DedupConfig {
                threshold: bad,
                ..cfg()
            };
            assert!(c.validate().is_err(), "{bad}");
        }
        assert_eq!(
            DedupConfig {
                capacity: 0,
                ..cfg()
            }
            .validate(),
            Err(ConfigError::Capacity)
        );
    }
}
