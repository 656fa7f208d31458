//! Finds every known name in a text in one Aho-Corasick pass (leftmost-longest, on word
//! boundaries), plus a second pass over ALL-CAPS stretches (headlines, datelines) with upper-cased
//! patterns, so "KYIV, Ukraine" and "UKRAINE'S PRESIDENT" match while "nice" and "Nice" stay apart.

use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickKind, Anchored, Input, MatchKind, StartKind};

use crate::{EntryId, Match};

/// One automaton and, per pattern, the entries it stands for (best prior first).
pub(crate) struct PatternSet {
    ac: AhoCorasick,
    ids: Vec<Vec<EntryId>>,
}

impl PatternSet {
    /// Builds the automaton; `patterns` must be non-empty strings.
    pub(crate) fn new(
        patterns: Vec<(String, Vec<EntryId>)>,
    ) -> Result<Self, aho_corasick::BuildError> {
        let (names, ids): (Vec<String>, Vec<Vec<EntryId>>) = patterns.into_iter().unzip();
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(StartKind::Both)
            .kind(Some(AhoCorasickKind::NoncontiguousNFA))
            .build(&names)?;
        Ok(PatternSet { ac, ids })
    }

    /// Leftmost-longest matches inside `range` of `text` whose both ends fall on word boundaries.
    /// When the longest match at a position ends inside a word, shorter ones at the same start are
    /// tried ("Sudanesey" still yields nothing, "South Sudan-based" yields "South Sudan").
    fn scan(&self, text: &str, range: Range<usize>, out: &mut Vec<Match>) {
        let mut pos = range.start;
        while pos < range.end {
            let Some(first) = self.ac.find(Input::new(text).range(pos..range.end)) else {
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
                        self.ac.find(
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

fn is_word(c: char) -> bool {
    c.is_alphanumeric()
}

fn boundary_before(text: &str, at: usize) -> bool {
    let prev = text[..at].chars().next_back();
    let first = text[at..].chars().next();
    !matches!((prev, first), (Some(p), Some(f)) if is_word(p) && is_word(f))
}

fn boundary_after(text: &str, at: usize) -> bool {
    let last = text[..at].chars().next_back();
    let next = text[at..].chars().next();
    !matches!((last, next), (Some(l), Some(n)) if is_word(l) && is_word(n))
}

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
    for (i, c) in text.char_indices() {
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
        .unwrap()
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
    fn caps_regions_find_headlines_and_datelines() {
        let text = "KYIV, Ukraine (AP) - UKRAINE'S LEADER\nsaid NATO";
        let r: Vec<&str> = caps_regions(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(r, vec!["KYIV", "AP) - UKRAINE'S LEADER", "NATO"]);
    }
}
