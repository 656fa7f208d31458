//! Finds every known name in a text (leftmost-longest, on word boundaries), plus a second pass
//! over ALL-CAPS stretches (headlines, datelines) with upper-cased patterns, so "KYIV, Ukraine"
//! and "UKRAINE'S PRESIDENT" match while "nice" and "Nice" stay apart.
//!
//! A match is kept only where no letter or digit touches either end, so one that starts with a
//! letter or digit starts with the text's whole word there (its run of alphanumeric chars):
//! the names are indexed by their first word, and at each word of the text only the names
//! starting with that word are compared, longest first. This finds what a leftmost-longest
//! Aho-Corasick search finds when every match rejected at a boundary falls back to the next
//! shorter one at the same start (the tests check both against each other), with one hash
//! look-up per word instead of automaton steps at every byte.

use std::collections::HashMap;
use std::ops::Range;

use crate::filter::BitFilter;
use crate::{EntryId, Match};
use rustc_hash::FxBuildHasher;

/// The patterns of one case and, per pattern, the entries it stands for (best prior first).
pub(crate) struct PatternSet {
    names: Vec<String>,
    ids: Vec<Vec<EntryId>>,
    /// First word (leading run of alphanumeric chars) → the patterns starting with it,
    /// longest first.
    by_word: HashMap<Box<str>, Vec<Candidate>, FxBuildHasher>,
    /// The keys of `by_word`, as a bit filter consulted first.
    word_filter: BitFilter,
    /// First char → the patterns that start with a char that is not alphanumeric, longest
    /// first; `other_first[b]` tells whether any of them starts with byte `b`.
    by_char: HashMap<char, Vec<Candidate>, FxBuildHasher>,
    other_first: [bool; 256],
}

/// A pattern in a candidate list, with what rejects most candidates at a text position kept
/// beside its index: its length and last byte. Reading them from the pattern's own string
/// cost a pointer chase per candidate, and common first words ("The", "San", "New") head long
/// lists.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    /// Index into `names` and `ids`.
    k: u32,
    /// The pattern's length in bytes.
    len: u32,
    /// Its last byte.
    last: u8,
}

impl Candidate {
    fn new(k: usize, name: &str) -> Candidate {
        let b = name.as_bytes();
        Candidate {
            k: u32::try_from(k).unwrap_or(u32::MAX),
            len: u32::try_from(b.len()).unwrap_or(u32::MAX),
            last: b.last().copied().unwrap_or(0),
        }
    }
}

/// End of the run of alphanumeric chars starting at `at` and ending by `end`.
fn word_end(text: &str, at: usize, end: usize) -> usize {
    let bytes = text.as_bytes();
    let mut i = at;
    while i < end {
        let b = bytes[i];
        if b.is_ascii() {
            if !b.is_ascii_alphanumeric() {
                return i;
            }
            i += 1;
        } else {
            match text.get(i..end).and_then(|r| r.chars().next()) {
                Some(c) if is_word(c) => i += c.len_utf8(),
                _ => return i,
            }
        }
    }
    i
}

/// [`word_end`], with the [`BitFilter`] hash of the word's bytes.
fn word_end_hashed(text: &str, at: usize, end: usize) -> (usize, u64) {
    let bytes = text.as_bytes();
    let mut h = BitFilter::HASH_START;
    let mut i = at;
    while i < end {
        let b = bytes[i];
        if b.is_ascii() {
            if !b.is_ascii_alphanumeric() {
                break;
            }
            h = BitFilter::step(h, b);
            i += 1;
        } else {
            match text.get(i..end).and_then(|r| r.chars().next()) {
                Some(c) if is_word(c) => {
                    let n = i + c.len_utf8();
                    h = bytes[i..n].iter().fold(h, |h, &x| BitFilter::step(h, x));
                    i = n;
                }
                _ => break,
            }
        }
    }
    (i, h)
}

impl PatternSet {
    /// Indexes `patterns` (names and their entries); empty names are never matched.
    pub(crate) fn new(patterns: Vec<(String, Vec<EntryId>)>) -> Self {
        let (names, ids): (Vec<String>, Vec<Vec<EntryId>>) = patterns.into_iter().unzip();
        let mut by_word: HashMap<Box<str>, Vec<Candidate>, FxBuildHasher> = HashMap::default();
        let mut by_char: HashMap<char, Vec<Candidate>, FxBuildHasher> = HashMap::default();
        let mut other_first = [false; 256];
        for (k, n) in names.iter().enumerate() {
            let e = word_end(n, 0, n.len());
            if e > 0 {
                by_word
                    .entry(n[..e].into())
                    .or_default()
                    .push(Candidate::new(k, n));
            } else if let Some(c) = n.chars().next() {
                by_char.entry(c).or_default().push(Candidate::new(k, n));
                other_first[usize::from(n.as_bytes()[0])] = true;
            }
        }
        let mut word_filter = BitFilter::with_capacity(by_word.len());
        for w in by_word.keys() {
            word_filter.insert(w.as_bytes());
        }
        for list in by_word.values_mut().chain(by_char.values_mut()) {
            list.sort_by_key(|c| std::cmp::Reverse(c.len));
        }
        PatternSet {
            names,
            ids,
            by_word,
            word_filter,
            by_char,
            other_first,
        }
    }

    /// Leftmost-longest matches inside `range` of `text` whose both ends fall on word boundaries.
    /// When the longest match at a position ends inside a word, shorter ones at the same start are
    /// tried ("Sudanesey" still yields nothing, "South Sudan-based" yields "South Sudan").
    fn scan(&self, text: &str, range: Range<usize>, out: &mut Vec<Match>) {
        let bytes = text.as_bytes();
        let end = range.end.min(text.len());
        let mut pos = range.start;
        while pos < end {
            let b = bytes[pos];
            let (we, hash) = if b.is_ascii() && !b.is_ascii_alphanumeric() {
                (pos, 0)
            } else {
                word_end_hashed(text, pos, end)
            };
            let candidates = if we > pos {
                if self.word_filter.may_contain_hash(hash) && boundary_before(text, pos) {
                    text.get(pos..we).and_then(|w| self.by_word.get(w))
                } else {
                    None
                }
            } else if self.other_first[usize::from(b)] {
                text.get(pos..)
                    .and_then(|r| r.chars().next())
                    .and_then(|c| self.by_char.get(&c))
            } else {
                None
            };
            if let Some(k) = candidates.and_then(|list| self.longest_at(text, pos, end, list)) {
                let stop = pos + self.names[k].len();
                out.push(Match {
                    start: pos,
                    end: stop,
                    candidates: self.ids[k].clone(),
                });
                pos = stop;
                continue;
            }
            if we > pos {
                // no match starts inside a word: no boundary there
                pos = we;
                continue;
            }
            // `pos` is a char boundary: step over the char its lead byte starts
            pos += match b {
                0..=0x7f => 1,
                0xf0.. => 4,
                0xe0.. => 3,
                _ => 2,
            };
        }
    }

    /// The longest of the patterns `list` (longest first) found at `start`, ending by `end`
    /// on a word boundary.
    fn longest_at(
        &self,
        text: &str,
        start: usize,
        end: usize,
        list: &[Candidate],
    ) -> Option<usize> {
        let rest = text.as_bytes().get(start..end)?;
        list.iter().find_map(|c| {
            let len = c.len as usize;
            // length and last byte first: most candidates are too long or differ there
            if len == 0 || len > rest.len() || rest[len - 1] != c.last {
                return None;
            }
            let k = c.k as usize;
            let n = self.names.get(k)?.as_bytes();
            (rest.starts_with(n) && boundary_after(text, start + n.len())).then_some(k)
        })
    }

    /// An Aho-Corasick automaton of the patterns, for [`PatternSet::scan_unanchored`].
    #[cfg(test)]
    fn reference_automaton(&self) -> aho_corasick::AhoCorasick {
        use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind, StartKind};
        AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(StartKind::Both)
            .kind(Some(AhoCorasickKind::NoncontiguousNFA))
            .build(&self.names)
            .expect("automaton")
    }

    /// The former scan (one unanchored Aho-Corasick pass, a match rejected at a boundary
    /// replaced by the next shorter one at its start), kept to check [`PatternSet::scan`].
    #[cfg(test)]
    fn scan_unanchored(
        &self,
        ac: &aho_corasick::AhoCorasick,
        text: &str,
        range: Range<usize>,
        out: &mut Vec<Match>,
    ) {
        use aho_corasick::{Anchored, Input};
        let mut pos = range.start;
        while pos < range.end {
            let Some(first) = ac.find(Input::new(text).range(pos..range.end)) else {
                break;
            };
            let start = first.start();
            let mut accepted = None;
            if boundary_before(text, start) {
                let mut current = Some(first);
                while let Some(m) = current {
                    if boundary_after(text, m.end()) {
                        accepted = Some(m);
                        break;
                    }
                    current = if m.end() > start + 1 {
                        ac.find(
                            Input::new(text)
                                .range(start..m.end() - 1)
                                .anchored(Anchored::Yes),
                        )
                    } else {
                        None
                    };
                }
            }
            match accepted {
                Some(m) => {
                    out.push(Match {
                        start,
                        end: m.end(),
                        candidates: self.ids[m.pattern().as_usize()].clone(),
                    });
                    pos = m.end();
                }
                None => pos = next_char(text, start),
            }
        }
    }
}

/// The exact-case and the upper-case pattern sets.
pub(crate) struct Matcher {
    pub(crate) exact: PatternSet,
    pub(crate) upper: PatternSet,
}

impl Matcher {
    /// All matches in `text`; `prior` orders merged candidate lists.
    pub(crate) fn find(&self, text: &str, prior: impl Fn(EntryId) -> f32) -> Vec<Match> {
        let mut found = Vec::new();
        self.exact.scan(text, 0..text.len(), &mut found);
        let regions = caps_regions(text);
        if regions.is_empty() {
            return found;
        }
        for region in regions {
            self.upper.scan(text, region, &mut found);
        }
        // Merge both passes: leftmost first, longest on ties; a span found by both passes gets the
        // union of candidates.
        found.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
        let mut merged: Vec<Match> = Vec::with_capacity(found.len());
        for m in found {
            match merged.last_mut() {
                Some(last) if last.start == m.start && last.end == m.end => {
                    for id in m.candidates {
                        if !last.candidates.contains(&id) {
                            last.candidates.push(id);
                        }
                    }
                    last.candidates
                        .sort_by(|a, b| prior(*b).total_cmp(&prior(*a)).then(a.cmp(b)));
                }
                Some(last) if m.start < last.end => {}
                _ => merged.push(m),
            }
        }
        merged
    }
}

/// `char::is_alphanumeric`, answered without the Unicode tables for ASCII and for the General
/// Punctuation block (U+2000-U+206F: quotes, dashes, spaces), which has no letters or digits.
fn is_word(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else if ('\u{2000}'..='\u{206f}').contains(&c) {
        false
    } else {
        c.is_alphanumeric()
    }
}

fn boundary_before(text: &str, at: usize) -> bool {
    // ASCII on both sides: no decoding
    let bytes = text.as_bytes();
    if let (Some(&p), Some(&f)) = (at.checked_sub(1).and_then(|i| bytes.get(i)), bytes.get(at)) {
        if p.is_ascii() && f.is_ascii() {
            return !(p.is_ascii_alphanumeric() && f.is_ascii_alphanumeric());
        }
    }
    let prev = text[..at].chars().next_back();
    let first = text[at..].chars().next();
    !matches!((prev, first), (Some(p), Some(f)) if is_word(p) && is_word(f))
}

fn boundary_after(text: &str, at: usize) -> bool {
    let last = text[..at].chars().next_back();
    let next = text[at..].chars().next();
    !matches!((last, next), (Some(l), Some(n)) if is_word(l) && is_word(n))
}

#[cfg(test)]
fn next_char(text: &str, at: usize) -> usize {
    text[at..]
        .chars()
        .next()
        .map_or(text.len(), |c| at + c.len_utf8())
}

/// Byte ranges of runs of ALL-CAPS words (no lower-case letter, at least one upper-case one) on
/// one line, kept when the run holds two or more upper-case letters (so a lone "I" or "A" is no
/// run); a word with a lower-case letter, a digit-only word or a line break ends a run.
pub(crate) fn caps_regions(text: &str) -> Vec<Range<usize>> {
    struct Run {
        range: Range<usize>,
        upper: usize,
    }
    fn close(run: &mut Option<Run>, regions: &mut Vec<Range<usize>>) {
        if let Some(r) = run.take() {
            if r.upper >= 2 {
                regions.push(r.range);
            }
        }
    }
    let mut regions = Vec::new();
    let mut run: Option<Run> = None;
    // The word being read: its start, upper-case count, whether it has a lower-case letter.
    let mut word: Option<(usize, usize, bool)> = None;
    let end_word = |word: (usize, usize, bool),
                    end: usize,
                    run: &mut Option<Run>,
                    regions: &mut Vec<Range<usize>>| {
        let (start, upper, lower) = word;
        if upper >= 1 && !lower {
            match run {
                Some(r) => {
                    r.range.end = end;
                    r.upper += upper;
                }
                None => {
                    *run = Some(Run {
                        range: start..end,
                        upper,
                    })
                }
            }
        } else {
            close(run, regions);
        }
    };
    // the chars of the text with their offsets, ASCII ones without decoding
    let bytes = text.as_bytes();
    let mut next = 0;
    while let Some(&b) = bytes.get(next) {
        let i = next;
        let c = if b.is_ascii() {
            char::from(b)
        } else {
            match text.get(i..).and_then(|r| r.chars().next()) {
                Some(c) => c,
                None => break,
            }
        };
        next = i + c.len_utf8();
        if c.is_ascii_lowercase() {
            // a lower-case letter: the word has one (the common case, settled at once)
            word.get_or_insert((i, 0, false)).2 = true;
            continue;
        }
        if is_word(c) {
            let w = word.get_or_insert((i, 0, false));
            if c.is_uppercase() {
                w.1 += 1;
            } else if c.is_lowercase() {
                w.2 = true;
            }
        } else {
            if let Some(w) = word.take() {
                end_word(w, i, &mut run, &mut regions);
            }
            if c == '\n' {
                close(&mut run, &mut regions);
            }
        }
    }
    if let Some(w) = word {
        end_word(w, text.len(), &mut run, &mut regions);
    }
    close(&mut run, &mut regions);
    regions
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(names: &[&str]) -> PatternSet {
        PatternSet::new(
            names
                .iter()
                .enumerate()
                .map(|(i, n)| (n.to_string(), vec![EntryId(i as u32)]))
                .collect(),
        )
    }

    fn spans(set: &PatternSet, text: &str) -> Vec<&'static str> {
        let mut out = Vec::new();
        set.scan(text, 0..text.len(), &mut out);
        out.iter()
            .map(|m| &*Box::leak(text[m.start..m.end].to_string().into_boxed_str()))
            .collect()
    }

    #[test]
    fn word_boundaries_are_required() {
        let s = set(&["Oman", "Roman", "Niger", "Nigerian"]);
        assert_eq!(spans(&s, "Romania and Omani and Oman"), vec!["Oman"]);
        assert_eq!(
            spans(&s, "Nigerian troops in Niger"),
            vec!["Nigerian", "Niger"]
        );
    }

    #[test]
    fn shorter_match_is_tried_when_longest_ends_inside_a_word() {
        let s = set(&["South Sudan", "South Sudanese"]);
        assert_eq!(spans(&s, "a South Sudanesey man"), Vec::<&str>::new());
        assert_eq!(
            spans(&s, "South Sudanx, South Sudan-based"),
            vec!["South Sudan"]
        );
    }

    #[test]
    fn rejected_long_match_does_not_hide_a_later_one() {
        let s = set(&["Gaza City", "Gaza"]);
        assert_eq!(spans(&s, "Gaza Cityx and Gaza"), vec!["Gaza", "Gaza"]);
    }

    #[test]
    fn anchored_scan_equals_unanchored_scan() {
        let s = set(&[
            "Oman",
            "Roman",
            "Niger",
            "Nigerian",
            "South Sudan",
            "South Sudanese",
            "Gaza City",
            "Gaza",
            "'s-Hertogenbosch",
            "Côte d'Ivoire",
            "a",
            "an",
            "Ban",
            "U.S.",
            "S",
        ]);
        let texts = [
            "Romania and Omani and Oman, Nigerian troops in Niger",
            "a South Sudanesey man; South Sudanx, South Sudan-based",
            "Gaza Cityx and Gaza; 's-Hertogenbosch and x's-Hertogenbosch",
            "Côte d'Ivoire's Côte d'Ivoirex an anbanBan U.S.A. U.S. S.S",
            "é Oman ö\u{301}Oman 日本Oman Omanés a",
            "",
            "a",
        ];
        let ac = s.reference_automaton();
        for text in texts {
            for start in 0..=text.len() {
                for end in start..=text.len() {
                    if !text.is_char_boundary(start) || !text.is_char_boundary(end) {
                        continue;
                    }
                    let (mut a, mut b) = (Vec::new(), Vec::new());
                    s.scan(text, start..end, &mut a);
                    s.scan_unanchored(&ac, text, start..end, &mut b);
                    assert_eq!(a, b, "{text:?} {start}..{end}");
                }
            }
        }
    }

    #[test]
    fn anchored_scan_equals_unanchored_scan_on_the_samples() {
        let g = crate::Gazetteer::embedded();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/articles");
        let mut paths: Vec<_> = std::fs::read_dir(&dir)
            .map(|rd| rd.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        paths.sort();
        assert!(!paths.is_empty());
        let automata = [
            g.matcher.exact.reference_automaton(),
            g.matcher.upper.reference_automaton(),
        ];
        for p in paths {
            let text = std::fs::read_to_string(&p).unwrap_or_default();
            for text in [text.clone(), text.to_uppercase(), text.to_lowercase()] {
                for (set, ac) in [&g.matcher.exact, &g.matcher.upper]
                    .into_iter()
                    .zip(&automata)
                {
                    let (mut a, mut b) = (Vec::new(), Vec::new());
                    set.scan(&text, 0..text.len(), &mut a);
                    set.scan_unanchored(ac, &text, 0..text.len(), &mut b);
                    assert_eq!(a, b, "{}", p.display());
                }
            }
        }
    }

    #[test]
    fn is_word_is_is_alphanumeric() {
        for c in ('\0'..='\u{3000}').chain(['\u{ff21}', '\u{1d400}']) {
            assert_eq!(is_word(c), c.is_alphanumeric(), "{c:?}");
        }
    }

    #[test]
    fn caps_regions_find_headlines_and_datelines() {
        let text = "KYIV, Ukraine (AP) - UKRAINE'S LEADER\nsaid NATO";
        let r: Vec<&str> = caps_regions(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(r, vec!["KYIV", "AP) - UKRAINE'S LEADER", "NATO"]);
    }
}
