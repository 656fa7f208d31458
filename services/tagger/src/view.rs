//! One sentence as the event rules see it: lower-case tokens, the entities on them, and a light
//! clause analysis (reporting frames, relative and subordinate clauses, topic phrases).

use eventwire_nlp::{Analysis, Entity, EntityKind, Token, TokenKind};

use crate::lexicon::{
    is_clause_opener, is_comma_clause_opener, is_event_noun, is_group_noun, is_relative,
    is_reporting_verb, opens_topic, trigger_at, Trigger,
};

/// What a clause segment is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SegKind {
    /// The main clause (or the content of a reported statement).
    Main,
    /// A relative clause; its antecedent is a participant of the events in it.
    Relative,
    /// Who said it ("the State Department said", "according to BBC").
    Reporting,
    /// A subordinate or coordinate clause ("while Rubio will hold...", "after the meeting").
    Sub,
}

#[derive(Debug, Clone)]
pub struct Seg {
    pub kind: SegKind,
    /// Index into [`View::ents`] of the relative clause's antecedent.
    pub antecedent: Option<usize>,
}

/// An entity of the sentence with its token range (sentence-relative, half-open).
#[derive(Debug, Clone, Copy)]
pub struct TokEnt {
    /// Index into `Analysis::entities`.
    pub entity: usize,
    pub a: usize,
    pub b: usize,
}

/// The lower-case words of sentence `sentence` out of the whole text's `words`.
fn sentence_words<'a>(analysis: &Analysis, sentence: usize, words: &'a [&'a str]) -> &'a [&'a str] {
    analysis
        .segmentation
        .sentences
        .get(sentence)
        .and_then(|s| words.get(s.tokens.clone()))
        .unwrap_or(&[])
}

pub struct View<'a> {
    pub sentence: usize,
    pub text: &'a str,
    pub toks: &'a [Token],
    /// The lower-case tokens ([`Analysis::lower_words`]).
    pub low: &'a [&'a str],
    pub seg: Vec<usize>,
    pub segs: Vec<Seg>,
    pub topic: Vec<bool>,
    pub ents: Vec<TokEnt>,
    /// For each token, the index into `ents` of the entity covering it.
    pub ent_at: Vec<Option<usize>>,
    /// Char spans of people's title phrases in this sentence, with the person's entity text
    /// span, so possessors and demonyms inside a title are not taken for participants.
    pub titles: Vec<(usize, usize)>,
    /// A reporting frame opens the sentence ("X said (that) ...").
    pub reported: bool,
    /// The trigger starting at each token, if any (`trigger_at` over `low`).
    trigger: Triggers,
}

/// The trigger starting at each token of a sentence, with its length in tokens.
pub type Triggers = Vec<Option<(Trigger, usize)>>;

/// The triggers of a sentence (`trigger_at` over its lower-case words `low`), or `None` for a
/// sentence in which no rule can find anything: no trigger starts in it and no word of it is
/// a casualty word (the diplomatic and the casualty rules both return at once on such a
/// sentence). Most sentences are such; this tells them apart before anything is built for
/// them, even their dates and numbers (`eventwire_nlp::analyze_where`).
pub fn sentence_triggers(low: &[&str]) -> Option<Triggers> {
    let trigger: Triggers = (0..low.len()).map(|i| trigger_at(low, i)).collect();
    if trigger.iter().all(Option::is_none) && !crate::casualty::mentions_casualty(low) {
        return None;
    }
    Some(trigger)
}

impl<'a> View<'a> {
    /// Sentence `sentence` of `analysis`, with its triggers ([`sentence_triggers`]); `words`
    /// are the lower-case tokens of the whole text ([`Analysis::lower_words`]).
    pub fn new(
        text: &'a str,
        analysis: &'a Analysis,
        sentence: usize,
        words: &'a [&'a str],
        trigger: Triggers,
    ) -> View<'a> {
        let low = sentence_words(analysis, sentence, words);
        let toks = analysis.segmentation.sentence_tokens(sentence);
        let mut ents = Vec::new();
        let mut ent_at = vec![None; toks.len()];
        if let Some(list) = analysis.sentence_entities.get(sentence) {
            for &ei in list {
                let e: &Entity = &analysis.entities[ei];
                let a = toks.partition_point(|t| t.char_end <= e.start);
                let b = toks.partition_point(|t| t.char_start < e.end);
                if a >= b || b > toks.len() {
                    continue;
                }
                // people first (they come first in the list), then the rest where free
                if (a..b).any(|k| ent_at[k].is_some()) {
                    continue;
                }
                let id = ents.len();
                ents.push(TokEnt { entity: ei, a, b });
                for slot in &mut ent_at[a..b] {
                    *slot = Some(id);
                }
            }
        }
        let titles = analysis
            .people
            .mentions
            .iter()
            .filter(|m| m.sentence == sentence)
            .filter_map(|m| m.title_span)
            .collect();
        let mut v = View {
            sentence,
            text,
            toks,
            low,
            seg: Vec::new(),
            segs: Vec::new(),
            topic: Vec::new(),
            ents,
            ent_at,
            titles,
            reported: false,
            trigger: Vec::new(),
        };
        v.trigger = trigger;
        if v.has_any_trigger() {
            v.clauses();
            v.topics(analysis);
        } else {
            // Only the diplomatic rules read clauses and topics, and only in a sentence with a
            // trigger (most sentences have none): the others keep one main clause and no topic
            // phrase rather than pay for the analysis.
            v.segs = vec![Seg {
                kind: SegKind::Main,
                antecedent: None,
            }];
            v.seg = vec![0; low.len()];
            v.topic = vec![false; low.len()];
        }
        v
    }

    pub fn len(&self) -> usize {
        self.toks.len()
    }

    pub fn is_empty(&self) -> bool {
        self.toks.is_empty()
    }

    /// The lower-case token `i` ("" past the end).
    pub fn w(&self, i: usize) -> &'a str {
        self.low.get(i).copied().unwrap_or("")
    }

    /// Whether a trigger starts anywhere in the sentence. Without one, the clause analysis
    /// (`seg`, `segs`, `topic`) is not made: one main clause, no topic phrase.
    pub fn has_any_trigger(&self) -> bool {
        self.trigger.iter().any(Option::is_some)
    }

    /// The trigger starting at token `i`, with its length in tokens.
    pub fn trigger_at(&self, i: usize) -> Option<(Trigger, usize)> {
        self.trigger.get(i).copied().flatten()
    }

    fn verb_trigger_at(&self, i: usize) -> bool {
        self.trigger_at(i)
            .is_some_and(|(t, _)| t.form == crate::lexicon::Form::Verb)
    }

    pub fn entity<'b>(&self, analysis: &'b Analysis, te: &TokEnt) -> &'b Entity {
        &analysis.entities[te.entity]
    }

    pub fn is_punct(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| t.kind == TokenKind::Punct)
    }

    fn is_comma_like(&self, i: usize) -> bool {
        matches!(self.w(i), "," | ";" | "—" | "–" | "--" | "(" | ":")
    }

    fn is_quote(&self, i: usize) -> bool {
        matches!(self.w(i), "\"" | "“" | "”" | "'" | "‘")
    }

    /// Index of the next word token at or after `i`, skipping quotes.
    fn next_word(&self, mut i: usize) -> usize {
        while i < self.len() && self.is_quote(i) {
            i += 1;
        }
        i
    }

    fn has_trigger(&self, from: usize, to: usize) -> bool {
        self.trigger
            .get(from..to.min(self.len()))
            .is_some_and(|t| t.iter().any(Option::is_some))
    }

    /// Splits the sentence into segments: reporting frames ([`View::reporting_frames`]),
    /// then relative and subordinate clauses between them.
    fn clauses(&mut self) {
        let n = self.len();
        self.segs = vec![Seg {
            kind: SegKind::Main,
            antecedent: None,
        }];
        self.seg = vec![0; n];
        let (start, end) = self.reporting_frames();
        self.subordinate_clauses(start, end);
    }

    /// Marks the leading ("X said (that) ...", "According to X, ...") and trailing (", X
    /// said.") reporting frames; returns the token range between them.
    fn reporting_frames(&mut self) -> (usize, usize) {
        let n = self.len();
        let (mut start, mut end) = (0, n);
        // "According to X, ..." opening
        if self.w(0) == "according" && self.w(1) == "to" {
            if let Some(c) = (2..n).find(|&i| self.w(i) == ",") {
                self.mark_reporting(0, c + 1);
                start = c + 1;
            }
        } else if let Some(r) = (1..n.min(12)).find(|&i| is_reporting_verb(self.w(i))) {
            // "X said (that) ...": nothing before the verb but a noun phrase
            let np_ok = (0..r).all(|i| !self.is_comma_like(i) && !self.is_quote(i))
                && !self.has_trigger(0, r)
                && self.w(r) != "according"
                && self.w(r) != "citing";
            if np_ok {
                let mut e = r + 1;
                // "told BBC", "told reporters"
                if matches!(self.w(r), "told" | "tells") {
                    if let Some(id) = self.ent_at.get(e).copied().flatten() {
                        e = self.ents[id].b;
                    } else if e < n && !self.is_punct(e) && self.w(e) != "that" {
                        e += 1;
                    }
                }
                // "said on Monday," : the date of the statement
                if self.w(e) == "on" {
                    if let Some(id) = self.ent_at.get(e + 1).copied().flatten() {
                        e = self.ents[id].b;
                    }
                }
                if self.w(e) == "that" {
                    e += 1;
                }
                if e < n {
                    self.mark_reporting(0, e);
                    self.reported = true;
                    start = e;
                }
            }
        }
        // ", the State Department said." / ", according to two sources" tail
        for c in start..n {
            if !(self.is_comma_like(c) || (self.is_quote(c) && c > 0 && self.w(c - 1) == ",")) {
                continue;
            }
            if !(c + 1..n.min(c + 9)).any(|i| is_reporting_verb(self.w(i))) {
                continue;
            }
            if self.has_trigger(c + 1, n) {
                continue;
            }
            // "..., saying" introduces content, not a source
            if matches!(self.w(c + 1), "saying" | "adding") {
                continue;
            }
            self.mark_reporting(c, n);
            end = c;
            break;
        }
        (start, end)
    }

    /// Relative clauses (", who ...", "talks with X that ...") and subordinate or coordinate
    /// clauses ("after ...", ", but ...") in the tokens `start..end`.
    fn subordinate_clauses(&mut self, start: usize, end: usize) {
        let mut cur = 0usize;
        let mut stack: Vec<usize> = Vec::new();
        // where a relative clause without a comma opened ("the states that signed the pact
        // met ..."): it ends at the next event verb after its own
        let mut restrictive_from: Option<usize> = None;
        let mut i = start;
        while i < end {
            let w = self.w(i);
            if restrictive_from.is_some_and(|r| i > r + 2 && self.verb_trigger_at(i)) {
                if let Some(parent) = stack.pop() {
                    cur = parent;
                }
                restrictive_from = None;
            }
            if self.is_comma_like(i) {
                let j = self.next_word(i + 1);
                let nw = self.w(j);
                self.seg[i] = cur;
                if is_relative(nw) {
                    stack.push(cur);
                    cur = self.new_seg(SegKind::Relative, self.ent_ending_at(i));
                } else if let Some(parent) = stack.pop() {
                    // a relative clause ends at the next comma: back to its parent
                    cur = parent;
                } else if is_clause_opener(nw) || is_comma_clause_opener(nw) {
                    cur = self.new_seg(SegKind::Sub, None);
                }
                i += 1;
                continue;
            }
            let heels = w == "on"
                && self.w(i + 1) == "the"
                && self.w(i + 2) == "heels"
                && self.w(i + 3) == "of";
            if (i > start && is_clause_opener(w))
                || heels
                || (w == "ahead" && self.w(i + 1) == "of")
            {
                stack.clear();
                cur = self.new_seg(SegKind::Sub, None);
            } else if (w == "that" || is_relative(w))
                && i > 0
                && (self.ent_at[i - 1].is_some() || is_event_noun(self.w(i - 1)))
                && !is_reporting_verb(self.w(i - 1))
            {
                stack.push(cur);
                cur = self.new_seg(SegKind::Relative, self.ent_ending_at(i));
                restrictive_from = Some(i);
            }
            self.seg[i] = cur;
            i += 1;
        }
    }

    fn new_seg(&mut self, kind: SegKind, antecedent: Option<usize>) -> usize {
        self.segs.push(Seg { kind, antecedent });
        self.segs.len() - 1
    }

    fn mark_reporting(&mut self, from: usize, to: usize) {
        let id = self.new_seg(SegKind::Reporting, None);
        for s in &mut self.seg[from..to.min(self.toks.len())] {
            *s = id;
        }
    }

    /// The entity whose last token is right before token `i`.
    fn ent_ending_at(&self, i: usize) -> Option<usize> {
        let j = i.checked_sub(1)?;
        self.ent_at[j].filter(|&id| self.ents[id].b == i)
    }

    /// Marks topic phrases: what follows "on"/"about" after an event noun, or "discuss",
    /// up to a participant preposition or the end of the clause; "a call on Sunday" is
    /// dated, not about Sunday ([`Self::dates_event`]).
    fn topics(&mut self, analysis: &Analysis) {
        let n = self.len();
        self.topic = vec![false; n];
        let mut i = 0;
        while i < n {
            let prev = if i > 0 { self.w(i - 1) } else { "" };
            // ", including Speaker Ana Ruiz" after people names more of them, not a topic
            let enumerates = self.w(i) == "including"
                && prev == ","
                && i >= 2
                && (is_group_noun(self.w(i - 2)) || self.ent_at[i - 2].is_some());
            if opens_topic(self.w(i), prev)
                && self.ent_at[i].is_none()
                && !enumerates
                && !self.dates_event(analysis, i)
            {
                let s = self.seg[i];
                let mut j = i + 1;
                while j < n && self.seg[j] == s && !matches!(self.w(j), "with" | "between") {
                    self.topic[j] = true;
                    j += 1;
                }
                i = j;
                continue;
            }
            i += 1;
        }
    }

    /// Whether "on"/"over" at token `i` dates the event rather than opening its topic: a
    /// date follows ("talks on Monday", "a call over the weekend").
    fn dates_event(&self, analysis: &Analysis, i: usize) -> bool {
        let next = if self.w(i + 1) == "the" { i + 2 } else { i + 1 };
        matches!(self.w(i), "on" | "over") && self.is_kind(analysis, next, EntityKind::Date)
    }

    /// Whether a char span lies inside a person's title phrase (not being that person).
    pub fn in_title(&self, start: usize, end: usize) -> bool {
        self.titles.iter().any(|&(a, b)| a <= start && end <= b)
    }

    /// Char span of the sentence.
    pub fn span(&self) -> (usize, usize) {
        match (self.toks.first(), self.toks.last()) {
            (Some(a), Some(b)) => (a.char_start, b.char_end),
            _ => (0, 0),
        }
    }

    /// Source text of a token range.
    pub fn slice(&self, a: usize, b: usize) -> &'a str {
        match (
            self.toks.get(a),
            b.checked_sub(1).and_then(|k| self.toks.get(k)),
        ) {
            (Some(x), Some(y)) if x.start <= y.end => self.text.get(x.start..y.end).unwrap_or(""),
            _ => "",
        }
    }

    /// Whether token `i` is inside an entity of any kind.
    pub fn is_kind_any(&self, i: usize) -> bool {
        self.ent_at.get(i).copied().flatten().is_some()
    }

    pub fn is_kind(&self, analysis: &Analysis, i: usize, kind: EntityKind) -> bool {
        self.ent_at
            .get(i)
            .copied()
            .flatten()
            .is_some_and(|id| analysis.entities[self.ents[id].entity].kind == kind)
    }
}
