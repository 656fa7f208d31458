//! Letter case restored for text whose case says nothing: all capitals (agency copy), headline
//! case (every word capitalised) or sentence case (names in lower case), so the entity pass
//! reads names as names and common words as common words.
//!
//! [`Truecaser::restore`] first decides whether a text's case is degraded ([`CaseStyle`]): one
//! pass over its bytes settles it for ordinary mixed-case text, which comes back untouched
//! (borrowed); only a candidate is read word by word and confirmed. A degraded text gets each
//! word's usual case, from its lower-case form and its neighbours, never from how it was
//! written, so the upper-case and the sentence-case copies of a text come out alike:
//!
//! * multi-word names of the gazetteer ("new york", "united nations") take their written
//!   form, longest first;
//! * common English words (`data/lexicon/word_case.txt`, with their inflections), function
//!   words and cities or regions named like common words stay lower case; names and acronyms
//!   listed with capitals take that form ("nato" -> "NATO");
//! * acronyms that are also words ("WHO", "US") are acronyms only in context ("the WHO", "US
//!   troops"), the pronoun otherwise ("people who said", "told us");
//! * any other word is taken for a name and capitalised, or kept in capitals when it has no
//!   vowel or three letters or fewer ("NATO", "OAS"); sentence starts are capitalised.
//!
//! Every byte offset is kept: a char changes case only where the other case has the same UTF-8
//! length, so offsets into the restored text are offsets into the original.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use eventwire_gazetteer::{Gazetteer, Kind};
use eventwire_wordmap::WordMap;

use crate::lexicon::{AbbrevClass, FxBuildHasher, Lexicon};

const WORD_CASE: &str = include_str!("../../../data/lexicon/word_case.txt");

/// Derivational endings of common words; the word list leaves such words out (see
/// `scripts/data/build_word_case.py`, which must agree).
const COMMON_SUFFIXES: [&str; 30] = [
    "tion", "tions", "ment", "ments", "ness", "nesses", "ity", "ities", "ism", "isms", "ically",
    "ization", "izations", "ously", "ive", "ives", "ible", "able", "fully", "lessly", "ional",
    "ance", "ances", "ence", "ences", "ship", "ships", "ology", "ologies", "ical",
];
/// Shortest word [`COMMON_SUFFIXES`] apply to.
const SUFFIX_MIN_LEN: usize = 7;

/// How a text is capitalised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseStyle {
    /// Ordinary mixed case: names capitalised, common words not. Left as it is.
    Mixed,
    /// (Almost) every letter upper case.
    Upper,
    /// (Almost) every word capitalised, common words included.
    Headline,
    /// Only sentence starts capitalised (or nothing): names in lower case.
    Sentence,
}

/// What the word list and the gazetteer say about one lower-case word.
#[derive(Debug, Clone, Default)]
struct WordFacts {
    /// Listed in lower case: a common word.
    common: bool,
    /// Its written form when listed with capitals ("Paris", "NATO", "McCain").
    cased: Option<Box<str>>,
    /// A one-word gazetteer name with this spelling, and how much it outweighs the common word.
    name: Option<(Box<str>, NameWeight)>,
}

/// How a one-word gazetteer name competes with a common word of the same spelling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum NameWeight {
    /// A city, region, or a name spelt like a common word: only when no common word is.
    Weak,
    /// An acronym spelt like a common word ("WHO", "US"): only in context.
    Acronym,
    /// A large country or a demonym ("Turkey", "Polish"): wins over the common word.
    Strong,
}

/// A gazetteer name of several words, lower case, with its written form.
#[derive(Debug, Clone)]
struct Phrase {
    /// Lower-case words (runs of alphanumeric chars).
    words: Vec<Box<str>>,
    /// What separates them, spaces folded to one (" ", "-", "'", ". ").
    seps: Vec<Box<str>>,
    /// The written form of each word.
    forms: Vec<Box<str>>,
}

/// The casing data, built once from the word list, the lexicon and the gazetteer.
#[derive(Debug)]
pub struct Truecaser {
    words: WordMap<WordFacts>,
    /// First lower-case word -> the phrases starting with it, most words first.
    phrases: HashMap<Box<str>, Vec<Phrase>, FxBuildHasher>,
    lex: &'static Lexicon,
}

/// The restored text of `text` with the embedded data: `text` itself unless its case is
/// degraded. Byte offsets are the same in both.
pub fn truecase(text: &str) -> Cow<'_, str> {
    // ordinary text is settled before the data is loaded
    if quick_style(text) == CaseStyle::Mixed {
        return Cow::Borrowed(text);
    }
    Truecaser::embedded().truecase(text)
}

impl Truecaser {
    /// The truecaser over the embedded word list and lexicon and the process's gazetteer
    /// ([`Gazetteer::global`]), built on first use.
    pub fn embedded() -> &'static Truecaser {
        static TC: OnceLock<Truecaser> = OnceLock::new();
        TC.get_or_init(|| Truecaser::new(WORD_CASE, Lexicon::embedded(), Gazetteer::global()))
    }

    /// The truecaser over a word list in the `word_case.txt` format, a lexicon and a gazetteer.
    pub fn new(word_case: &str, lex: &'static Lexicon, gaz: &Gazetteer) -> Truecaser {
        let mut facts: HashMap<Box<str>, WordFacts> = HashMap::new();
        for w in word_case
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            let low = w.to_lowercase();
            let f = facts.entry(low.as_str().into()).or_default();
            if low == w {
                f.common = true;
            } else if f.cased.as_deref().is_none_or(|c| prefer_form(w, c)) {
                f.cased = Some(w.into());
            }
        }
        let mut phrases: HashMap<Box<str>, Vec<Phrase>, FxBuildHasher> = HashMap::default();
        for e in gaz.entries() {
            for name in std::iter::once(&e.name).chain(e.aliases.iter()) {
                let parts = split_words(name);
                match parts.len() {
                    0 => {}
                    1 => add_name(&mut facts, name, e),
                    _ => add_phrase(&mut phrases, &facts, name, parts, e.kind),
                }
            }
        }
        for e in gaz.entries().iter().filter(|e| e.kind == Kind::Actor) {
            for name in std::iter::once(&e.name).chain(e.aliases.iter()) {
                add_surname(&mut facts, name);
            }
        }
        for list in phrases.values_mut() {
            list.sort_by_key(|p| std::cmp::Reverse(p.words.len()));
        }
        Truecaser {
            words: WordMap::new(facts),
            phrases,
            lex,
        }
    }

    /// How `text` is capitalised (the same test [`Truecaser::restore`] makes).
    /// Whether `lower` (a lower-case word) is a common English word, written in lower case
    /// inside a sentence ("police", "vendor"; not "corrales").
    pub fn is_common_word(&self, lower: &str) -> bool {
        self.words.get(lower).is_some_and(|f| f.common)
    }

    pub fn style(&self, text: &str) -> CaseStyle {
        match self.candidate(text) {
            CaseStyle::Mixed => CaseStyle::Mixed,
            hint => {
                let words = split_text(text, self.lex);
                let casing = self.decide(&words);
                confirm(hint, &words, &casing)
            }
        }
    }

    /// [`truecase`] with this truecaser: `text` itself unless its case is degraded, settled
    /// on a quick look first.
    pub fn truecase<'t>(&self, text: &'t str) -> Cow<'t, str> {
        if quick_style(text) == CaseStyle::Mixed {
            return Cow::Borrowed(text);
        }
        self.restore(text)
    }

    /// `text` with each word in its usual case when the text's case is degraded (see the
    /// module docs), else `text` itself. Byte offsets are the same in both.
    pub fn restore<'t>(&self, text: &'t str) -> Cow<'t, str> {
        let hint = self.candidate(text);
        if hint == CaseStyle::Mixed {
            return Cow::Borrowed(text);
        }
        let words = split_text(text, self.lex);
        let casing = self.decide(&words);
        if confirm(hint, &words, &casing) == CaseStyle::Mixed {
            return Cow::Borrowed(text);
        }
        let out = apply(text, &words, &casing);
        if out == text {
            Cow::Borrowed(text)
        } else {
            Cow::Owned(out)
        }
    }

    /// The style [`quick_style`] suggests, a sentence-case candidate dropped unless two of its
    /// lower-case words are names (a look-up per word, no word copied): ordinary text with
    /// few capitals (no names in it) is the commonest candidate.
    fn candidate(&self, text: &str) -> CaseStyle {
        let hint = quick_style(text);
        if hint != CaseStyle::Sentence {
            return hint;
        }
        let lowered_names = split_words(text)
            .into_iter()
            .map(|(a, b)| &text[a..b])
            .filter(|w| w.len() > 2 && !w.chars().any(|c| c.is_uppercase() || c.is_ascii_digit()))
            .filter(|w| self.may_be_name(w))
            .take(2)
            .count();
        if lowered_names < 2 {
            CaseStyle::Mixed
        } else {
            hint
        }
    }

    /// Whether lower-case word `low` is written with capitals in ordinary text: a name or an
    /// acronym that is no common word, the first word of a gazetteer name that is none, or a
    /// word the lists do not know.
    fn may_be_name(&self, low: &str) -> bool {
        match self.words.get(low) {
            Some(f) if !f.common => {
                f.cased.is_some() || f.name.is_some() || self.phrases.contains_key(low)
            }
            Some(_) => false,
            // not a common word: in sentence case, a name
            None => !is_derived_common(low, |b| self.is_listed_common(b)),
        }
    }

    /// The case of every word of a degraded text, in order.
    fn decide(&self, words: &[Word]) -> Vec<Casing> {
        let mut out: Vec<Option<Casing>> = vec![None; words.len()];
        let mut i = 0;
        // phrases first: their words are settled
        while i < words.len() {
            match self.phrase_at(words, i) {
                Some(p) => {
                    for (k, form) in p.forms.iter().enumerate() {
                        out[i + k] = Some(Casing::Form(form.clone()));
                    }
                    i += p.words.len();
                }
                None => i += 1,
            }
        }
        let in_phrase: Vec<bool> = out.iter().map(Option::is_some).collect();
        // twice: a word both common and a name that reads as a name somewhere ("President
        // Grant") is a name everywhere in the text
        let mut named: HashSet<&str> = HashSet::new();
        for pass in 0..2 {
            for i in 0..words.len() {
                if !in_phrase[i] {
                    let prev = i.checked_sub(1).and_then(|j| out[j].as_ref());
                    out[i] = Some(self.word_casing(words, i, prev, &named));
                }
            }
            if pass == 0 {
                named = words
                    .iter()
                    .zip(&out)
                    .filter(|(w, c)| {
                        matches!(c, Some(Casing::Form(_)))
                            && self.words.get(&w.low).is_some_and(|f| f.common)
                    })
                    .map(|(w, _)| w.low.as_str())
                    .collect();
            }
        }
        let mut out: Vec<Casing> = out.into_iter().map(|c| c.unwrap_or(Casing::Keep)).collect();
        self.particles(words, &in_phrase, &mut out);
        out.into_iter()
            .zip(words)
            .map(|(c, w)| if w.sentence_start { c.capitalised() } else { c })
            .collect()
    }

    /// Name particles ("de", "la", "van") outside gazetteer phrases: lower case inside a name
    /// ("San Luis de la Paz"), capitalised where they start one ("La Esperanza").
    fn particles(&self, words: &[Word], in_phrase: &[bool], out: &mut [Casing]) {
        let is_name = |c: &Casing| matches!(c, Casing::Capital | Casing::Form(_));
        for i in 0..words.len() {
            if in_phrase[i] || !self.lex.is_particle(&words[i].low) {
                continue;
            }
            let mut j = i;
            while j < words.len() && self.lex.is_particle(&words[j].low) {
                j += 1;
            }
            let next_name = out.get(j).is_some_and(is_name)
                && words
                    .get(j)
                    .is_some_and(|w| w.gap_is_space_only() || w.gap == "-");
            let prev_name = i > 0
                && (is_name(&out[i - 1]) || self.lex.is_particle(&words[i - 1].low))
                && !words[i].sentence_start
                && words[i].gap_is_space_only();
            out[i] = if next_name && !prev_name {
                Casing::Capital
            } else {
                Casing::Lower
            };
        }
    }

    /// The longest gazetteer phrase starting at word `i`, if its words and separators match.
    fn phrase_at(&self, words: &[Word], i: usize) -> Option<&Phrase> {
        let list = self.phrases.get(words[i].low.as_str())?;
        list.iter().find(|p| {
            i + p.words.len() <= words.len()
                && p.words.iter().enumerate().all(|(k, pw)| {
                    let w = &words[i + k];
                    w.low == **pw && (k == 0 || sep_matches(&w.gap, &p.seps[k - 1]))
                })
        })
    }

    /// The case of word `i` outside any phrase; `prev` is the previous word's.
    fn word_casing(
        &self,
        words: &[Word],
        i: usize,
        prev: Option<&Casing>,
        named: &HashSet<&str>,
    ) -> Casing {
        let w = &words[i];
        let low = w.low.as_str();
        if w.has_digit {
            // "3rd", "1990s" lower case; "M16" in capitals
            return if w.starts_with_digit {
                Casing::Lower
            } else {
                Casing::Upper
            };
        }
        if w.after_apostrophe && matches!(low, "s" | "t" | "d" | "ll" | "re" | "ve" | "m") {
            return Casing::Lower;
        }
        if let Some(c) = dotted_acronym(words, i) {
            return c;
        }
        if low.chars().count() == 1 {
            // "a", and the "n" of a split "n't"
            let negation = low == "n"
                && words
                    .get(i + 1)
                    .is_some_and(|n| n.after_apostrophe && n.low == "t");
            return if low == "a" || negation {
                Casing::Lower
            } else {
                Casing::Upper
            };
        }
        let facts = self.words.get(low);
        if let Some(c) = self.acronym_word(words, i, facts, prev) {
            return c;
        }
        if self.lex.is_function_word(low) {
            return self.function_word(words, i, facts);
        }
        if let Some(c) = self.abbreviation(words, i, facts) {
            return c;
        }
        match facts {
            Some(f) => self.listed_word(words, i, f, prev, named),
            None if is_derived_common(low, |b| self.is_listed_common(b)) => Casing::Lower,
            None if !low.contains(['a', 'e', 'i', 'o', 'u', 'y']) => Casing::Upper,
            None if alone_in_brackets(words, i) && low.chars().count() <= 5 => Casing::Upper,
            None if low.chars().count() <= 3 => Casing::Upper,
            None => Casing::Capital,
        }
    }

    /// Whether `low` is listed as a common word.
    fn is_listed_common(&self, low: &str) -> bool {
        self.words.get(low).is_some_and(|f| f.common)
    }

    /// An acronym of the gazetteer spelt like a common word: the acronym after "the" ("the
    /// WHO"), and "US" before a content word ("US troops", "with US officials"); `None` for
    /// other words.
    fn acronym_word(
        &self,
        words: &[Word],
        i: usize,
        facts: Option<&WordFacts>,
        prev_casing: Option<&Casing>,
    ) -> Option<Casing> {
        let (form, weight) = facts?.name.as_ref()?;
        if *weight != NameWeight::Acronym {
            return None;
        }
        let w = &words[i];
        let prev = i
            .checked_sub(1)
            .map(|j| &words[j])
            .filter(|_| !w.sentence_start);
        let next = words
            .get(i + 1)
            .filter(|n| !n.sentence_start && n.gap_is_space_only());
        let after_the = prev.is_some_and(|p| p.low == "the") && w.gap_is_space_only();
        let before_content = next.is_some_and(|n| {
            !n.has_digit && !self.lex.is_function_word(&n.low) && n.low.chars().count() > 1
        });
        // after a clause's first word or punctuation ("for US troops", "Washington, US")
        let after_function = prev.is_none_or(|p| self.lex.is_function_word(&p.low))
            || w.gap.contains([',', ';', ':', '(']);
        // "US officials", "US special envoy": a title or an organisation's head noun follows
        let before_title = next.is_some_and(|n| {
            let singular = n.low.strip_suffix('s').unwrap_or(&n.low);
            !self.lex.roles_starting(singular).is_empty() || self.lex.is_org_word(&n.low)
        });
        // "Russia-US talks", "US-backed": a pronoun is never hyphenated
        let hyphened = w.gap == "-" || words.get(i + 1).is_some_and(|n| n.gap == "-");
        // "Washington, US": a country after a place
        let after_place = w.gap.starts_with(',')
            && matches!(prev_casing, Some(Casing::Capital | Casing::Form(_)));
        let short = form.chars().count() == 2;
        let as_acronym = after_the
            || (short
                && (hyphened || after_place || before_title || (after_function && before_content)));
        as_acronym.then(|| Casing::Form(form.clone()))
    }

    /// A closed-class or calendar word: lower case, months and weekdays capitalised ("may"
    /// and "march" only next to a number or after "in", "since"...).
    fn function_word(&self, words: &[Word], i: usize, facts: Option<&WordFacts>) -> Casing {
        let w = &words[i];
        let low = w.low.as_str();
        if low == "i" {
            return Casing::Upper;
        }
        let Some(form) = facts.and_then(|f| f.cased.clone()) else {
            return Casing::Lower;
        };
        if !is_calendar_word(low) {
            return Casing::Lower;
        }
        let ambiguous = facts.is_some_and(|f| f.common);
        if !ambiguous || month_context(words, i) {
            Casing::Form(form)
        } else {
            Casing::Lower
        }
    }

    /// A title or month abbreviation before its period ("GEN.", "JAN.") or a month
    /// abbreviation next to a number ("3 JAN 90"): capitalised.
    fn abbreviation(&self, words: &[Word], i: usize, facts: Option<&WordFacts>) -> Option<Casing> {
        let class = self.lex.abbreviation(&words[i].low)?;
        let dotted = words[i].period_after;
        let fits = match class {
            AbbrevClass::Title => dotted,
            AbbrevClass::Month => dotted || month_context(words, i),
            AbbrevClass::Number | AbbrevClass::Other => false,
        };
        fits.then(|| match facts.and_then(|f| f.cased.clone()) {
            Some(form) => Casing::Form(form),
            None => Casing::Capital,
        })
    }

    /// A word of the word list or the gazetteer.
    fn listed_word(
        &self,
        words: &[Word],
        i: usize,
        f: &WordFacts,
        prev: Option<&Casing>,
        named: &HashSet<&str>,
    ) -> Casing {
        let name = f.name.as_ref().filter(|(_, wt)| *wt != NameWeight::Acronym);
        match (f.common, name, &f.cased) {
            (_, Some((form, NameWeight::Strong)), _) => Casing::Form(form.clone()),
            (false, Some((form, _)), _) => Casing::Form(form.clone()),
            // two-letter names ("Ta", "Wm") are rarer than the same letters as anything else
            (false, None, Some(form)) if form.chars().count() <= 2 && has_lower(form) => {
                match self.lex.role_word(&words[i].low) {
                    Some(_) => Casing::Form(form.clone()),
                    None => Casing::Lower,
                }
            }
            (false, None, Some(form)) => Casing::Form(form.clone()),
            (true, _, Some(form))
                if named.contains(words[i].low.as_str()) || self.name_context(words, i, prev) =>
            {
                Casing::Form(form.clone())
            }
            (true, _, _) => Casing::Lower,
            (false, None, None) => Casing::Capital,
        }
    }

    /// Whether a word that is both a common word and a name reads as a name here: right after
    /// a name (not a sentence start) or a title ("president").
    fn name_context(&self, words: &[Word], i: usize, prev: Option<&Casing>) -> bool {
        let w = &words[i];
        if w.sentence_start || i == 0 || !w.gap_is_space_only() {
            return false;
        }
        let p = &words[i - 1];
        let low = w.low.as_str();
        if self.lex.is_reporting_verb(low) || self.lex.is_action_verb(low) {
            return false;
        }
        // after a first name: a word the list knows only as a name, and no place ("Donald",
        // not "Palestinian"); a name found by context does not lend it on ("Macron said")
        let after_first_name = matches!(prev, Some(Casing::Form(_)))
            && self.words.get(&p.low).is_some_and(|f| {
                !f.common && f.name.is_none() && f.cased.as_deref().is_some_and(has_lower)
            });
        after_first_name || self.lex.role_word(&p.low).is_some()
    }
}

/// Of two written forms of one word, whether `new` is the better one: a capitalised form over
/// capitals ("La" over "LA"), then the first.
fn prefer_form(new: &str, old: &str) -> bool {
    has_lower(new) && !has_lower(old)
}

fn has_lower(s: &str) -> bool {
    s.chars().any(char::is_lowercase)
}

/// Records the one-word gazetteer name `name` of `e` in `facts`.
fn add_name(facts: &mut HashMap<Box<str>, WordFacts>, name: &str, e: &eventwire_gazetteer::Entry) {
    let low = name.to_lowercase();
    // a common word, listed or derived ("cars" from "car")
    let common = facts.get(low.as_str()).is_some_and(|f| f.common)
        || is_derived_common(&low, |b| facts.get(b).is_some_and(|f| f.common));
    let f = facts.entry(low.as_str().into()).or_default();
    let all_caps = !name.chars().any(char::is_lowercase) && name.chars().count() > 1;
    let weight = match e.kind {
        _ if common && all_caps => NameWeight::Acronym,
        Kind::Country if e.population.unwrap_or(0) >= 1_000_000 => NameWeight::Strong,
        Kind::Demonym if name.chars().count() >= 5 => NameWeight::Strong,
        // three letters or fewer in capitals are an acronym more often than a town ("OAS")
        Kind::City | Kind::Region if name.chars().count() <= 3 => return,
        _ => NameWeight::Weak,
    };
    // a common word is only ever a strong name or an acronym; a mixed-case form ("LeT") never
    let plain = name.chars().skip(1).all(char::is_lowercase) || all_caps;
    if common && (weight == NameWeight::Weak || !plain) {
        return;
    }
    if f.name.as_ref().is_none_or(|(_, w)| weight > *w) {
        f.name = Some((name.into(), weight));
    }
}

/// Records the last word of an actor's name ("Emmanuel Macron") as a name its spelling may
/// stand for, when the word list knows the word only in lower case ("macron"): it is then a
/// name where context says so ("President Macron"), like "Grant" or "Bush".
fn add_surname(facts: &mut HashMap<Box<str>, WordFacts>, name: &str) {
    let parts = split_words(name);
    let Some(&(a, b)) = parts.last().filter(|_| parts.len() >= 2) else {
        return;
    };
    let surname = &name[a..b];
    if !surname.chars().next().is_some_and(char::is_uppercase) || !has_lower(surname) {
        return;
    }
    if let Some(f) = facts.get_mut(surname.to_lowercase().as_str()) {
        if f.common && f.cased.is_none() {
            f.cased = Some(surname.into());
        }
    }
}

/// Records the gazetteer name `name` of several words: all of them unless it is a city or
/// region named only with common words ("Eastern Region", "Little Rock").
fn add_phrase(
    phrases: &mut HashMap<Box<str>, Vec<Phrase>, FxBuildHasher>,
    facts: &HashMap<Box<str>, WordFacts>,
    name: &str,
    parts: Vec<(usize, usize)>,
    kind: Kind,
) {
    let words: Vec<Box<str>> = parts
        .iter()
        .map(|&(a, b)| name[a..b].to_lowercase().into())
        .collect();
    let all_common = words.iter().all(|w| match facts.get(w) {
        Some(f) => f.common,
        None => is_derived_common(w, |b| facts.get(b).is_some_and(|f| f.common)),
    });
    if all_common && matches!(kind, Kind::City | Kind::Region) {
        return;
    }
    let seps = parts
        .windows(2)
        .map(|p| fold_space(&name[p[0].1..p[1].0]).into())
        .collect();
    let forms = parts.iter().map(|&(a, b)| name[a..b].into()).collect();
    let Some(first) = words.first().cloned() else {
        return;
    };
    let phrase = Phrase { words, seps, forms };
    let list = phrases.entry(first).or_default();
    if !list.iter().any(|p| p.words == phrase.words) {
        list.push(phrase);
    }
}

/// Byte ranges of the words (runs of alphanumeric chars) of `s`.
fn split_words(s: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        match (is_word_char(c), start) {
            (true, None) => start = Some(i),
            (false, Some(a)) => {
                out.push((a, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(a) = start {
        out.push((a, s.len()));
    }
    out
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || ('\u{300}'..='\u{36f}').contains(&c)
}

/// `s` with every run of white space one space and typographic apostrophes plain.
fn fold_space(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            if !space {
                out.push(' ');
            }
            space = true;
        } else {
            out.push(if c == '\u{2019}' { '\'' } else { c });
            space = false;
        }
    }
    out
}

/// Whether the text between two words (`gap`) is the separator `sep` of a phrase: the same
/// once white space is folded, and on one line.
fn sep_matches(gap: &str, sep: &str) -> bool {
    !gap.contains('\n') && fold_space(gap) == sep
}

/// One word of the text being restored.
#[derive(Debug, Clone)]
struct Word {
    start: usize,
    end: usize,
    low: String,
    /// The text between the previous word and this one.
    gap: String,
    has_digit: bool,
    starts_with_digit: bool,
    /// Right after an apostrophe ("COUNTRY'S" -> "S").
    after_apostrophe: bool,
    /// A period follows right after it.
    period_after: bool,
    /// First word of a sentence, a line or the text.
    sentence_start: bool,
    /// How it was written: capitalised.
    written_capital: bool,
    /// How it was written: all its letters lower case.
    written_lower: bool,
}

impl Word {
    fn gap_is_space_only(&self) -> bool {
        self.gap.chars().all(|c| c == ' ' || c == '\t')
    }
}

/// The words of `text` with what the rules need to know about their surroundings.
fn split_text(text: &str, lex: &Lexicon) -> Vec<Word> {
    let spans = split_words(text);
    let mut words: Vec<Word> = Vec::with_capacity(spans.len());
    let mut prev_end = 0;
    for &(a, b) in &spans {
        let s = &text[a..b];
        let gap = &text[prev_end..a];
        let first = s.chars().next();
        let word = Word {
            start: a,
            end: b,
            low: s.to_lowercase(),
            gap: gap.to_string(),
            has_digit: s.chars().any(|c| c.is_ascii_digit()),
            starts_with_digit: first.is_some_and(|c| c.is_ascii_digit()),
            after_apostrophe: prev_end > 0 && matches!(gap, "'" | "\u{2019}"),
            period_after: text[b..].starts_with('.'),
            sentence_start: sentence_starts_after(gap, words.last(), prev_end == 0, lex),
            written_capital: first.is_some_and(char::is_uppercase),
            written_lower: !s.chars().any(char::is_uppercase),
        };
        words.push(word);
        prev_end = b;
    }
    words
}

/// Whether a word after `gap` (the text since the previous word `prev`) starts a sentence: at
/// the start of the text or of a line, or after a sentence's final punctuation that does not
/// close an abbreviation or an initial.
fn sentence_starts_after(gap: &str, prev: Option<&Word>, at_start: bool, lex: &Lexicon) -> bool {
    if at_start || gap.contains('\n') {
        return true;
    }
    let last = gap
        .trim_end_matches(|c: char| c.is_whitespace() || "\"'([{\u{201c}\u{2018}".contains(c))
        .chars()
        .last();
    match last {
        Some('!' | '?') => true,
        Some('.') => {
            // a single letter ("U.S.", "J. Smith") or a dotted title does not end a sentence
            let closes_short = prev.is_some_and(|p| {
                gap.starts_with('.')
                    && (p.low.chars().count() == 1
                        || lex.abbreviation(&p.low) == Some(AbbrevClass::Title))
            });
            !closes_short
        }
        _ => false,
    }
}

/// A dotted acronym made of single letters ("U.S.", "a.m."): capitals, lower case for "a.m."
/// and "p.m."; `None` for other words.
fn dotted_acronym(words: &[Word], i: usize) -> Option<Casing> {
    let single = |k: usize| words.get(k).is_some_and(|w| w.low.chars().count() == 1);
    let glued = |k: usize| words.get(k).is_some_and(|w| w.gap == ".");
    if !single(i) || !words[i].period_after {
        return None;
    }
    // the run of single letters joined by periods that word i belongs to
    let mut a = i;
    while a > 0 && glued(a) && single(a - 1) {
        a -= 1;
    }
    let mut b = i + 1;
    while b < words.len() && glued(b) && single(b) {
        b += 1;
    }
    if b - a < 2 {
        return None;
    }
    let letters: String = words[a..b].iter().map(|w| w.low.as_str()).collect();
    Some(if matches!(letters.as_str(), "am" | "pm" | "ie" | "eg") {
        Casing::Lower
    } else {
        Casing::Upper
    })
}

/// The only word inside brackets or parentheses ("(NATO)", "[OAS]").
fn alone_in_brackets(words: &[Word], i: usize) -> bool {
    let opens = words[i].gap.trim_end().ends_with(['(', '[']);
    let closes = words
        .get(i + 1)
        .is_none_or(|n| n.gap.trim_start().starts_with([')', ']']));
    opens && closes
}

/// A month or weekday name.
fn is_calendar_word(low: &str) -> bool {
    eventwire_timex::month_number(low).is_some()
        || matches!(
            low,
            "monday" | "tuesday" | "wednesday" | "thursday" | "friday" | "saturday" | "sunday"
        )
}

/// Word `i` reads as a month: a number right before or after it, or a preposition of time
/// before it ("in May", "since March").
fn month_context(words: &[Word], i: usize) -> bool {
    let near = |k: Option<usize>| {
        k.and_then(|k| words.get(k))
            .is_some_and(|w| w.starts_with_digit)
    };
    let space_next = words.get(i + 1).is_some_and(|n| n.gap_is_space_only());
    (words[i].gap_is_space_only() && near(i.checked_sub(1)))
        || (space_next && near(Some(i + 1)))
        || i.checked_sub(1).is_some_and(|k| {
            matches!(
                words[k].low.as_str(),
                "in" | "since" | "until" | "last" | "next" | "early" | "late" | "mid" | "of"
            ) && !words[i].sentence_start
        })
}

/// A word the word list leaves out as derivable: an inflection of a listed common word
/// ("walked") or a word with a common derivational ending ("-tion").
fn is_derived_common(low: &str, listed_common: impl Fn(&str) -> bool) -> bool {
    if low.chars().count() >= SUFFIX_MIN_LEN && COMMON_SUFFIXES.iter().any(|s| low.ends_with(s)) {
        return true;
    }
    inflection_bases(low).iter().any(|b| listed_common(b))
}

/// Candidate base forms of an inflected lower-case word; the same rules as `bases` in
/// `scripts/data/build_word_case.py`.
fn inflection_bases(w: &str) -> Vec<String> {
    let mut out = Vec::new();
    let n = w.len();
    let mut add = |stem: &str, extra: &str| {
        if stem.chars().count() >= 3 {
            out.push(format!("{stem}{extra}"));
        }
    };
    let cut = |k: usize| w.get(..n.saturating_sub(k)).unwrap_or("");
    if w.ends_with("ies") {
        add(cut(3), "y");
    }
    if w.ends_with("es") {
        add(cut(2), "");
    }
    if w.ends_with('s') && !w.ends_with("ss") {
        add(cut(1), "");
    }
    if w.ends_with("ied") {
        add(cut(3), "y");
    }
    if w.ends_with("ed") {
        add(cut(2), "");
        add(cut(1), "");
    }
    if w.ends_with("ing") {
        add(cut(3), "");
        add(cut(3), "e");
    }
    if w.ends_with("er") {
        add(cut(2), "");
        add(cut(1), "");
    }
    if w.ends_with("est") {
        add(cut(3), "");
        add(cut(2), "");
    }
    if w.ends_with("ly") {
        add(cut(2), "");
    }
    for suf in ["ed", "ing", "er", "est"] {
        if w.ends_with(suf) {
            // a doubled last letter ("stopped" -> "stop")
            let stem = cut(suf.len());
            let mut rev = stem.char_indices().rev();
            if let (Some((i, last)), Some((_, before))) = (rev.next(), rev.next()) {
                if last == before && stem.chars().count() >= 4 {
                    add(&stem[..i], "");
                }
            }
        }
    }
    out
}

/// The case a word gets.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Casing {
    /// Left as written.
    Keep,
    Lower,
    /// First letter upper case, the rest lower.
    Capital,
    Upper,
    /// The case of each letter of this written form (same letters).
    Form(Box<str>),
}

impl Casing {
    /// This casing at a sentence start: a lower-case first letter raised.
    fn capitalised(self) -> Casing {
        match self {
            Casing::Lower => Casing::Capital,
            Casing::Form(f) if f.chars().next().is_some_and(char::is_lowercase) => {
                let mut chars = f.chars();
                let head: String = chars
                    .next()
                    .into_iter()
                    .flat_map(char::to_uppercase)
                    .collect();
                Casing::Form(format!("{head}{}", chars.as_str()).into())
            }
            c => c,
        }
    }

    /// Whether letter `k` of the word (counting chars) is upper case under this casing.
    fn upper_at(&self, k: usize, written: char) -> bool {
        match self {
            Casing::Keep => written.is_uppercase(),
            Casing::Lower => false,
            Casing::Capital => k == 0,
            Casing::Upper => true,
            Casing::Form(f) => f.chars().nth(k).is_some_and(char::is_uppercase),
        }
    }
}

/// `text` with every word in its casing; chars whose other case has another UTF-8 length (or
/// several chars) stay as written.
fn apply(text: &str, words: &[Word], casing: &[Casing]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for (w, c) in words.iter().zip(casing) {
        out.push_str(&text[pos..w.start]);
        for (k, ch) in text[w.start..w.end].chars().enumerate() {
            out.push(recase(ch, c.upper_at(k, ch)));
        }
        pos = w.end;
    }
    out.push_str(&text[pos..]);
    out
}

/// `ch` in upper or lower case where that is one char of the same UTF-8 length, else `ch`.
fn recase(ch: char, upper: bool) -> char {
    if ch.is_ascii() {
        return if upper {
            ch.to_ascii_uppercase()
        } else {
            ch.to_ascii_lowercase()
        };
    }
    let mut conv = if upper {
        ch.to_uppercase().collect::<Vec<char>>()
    } else {
        ch.to_lowercase().collect::<Vec<char>>()
    };
    match conv.as_slice() {
        [c] if c.len_utf8() == ch.len_utf8() => conv.remove(0),
        _ => ch,
    }
}

/// Fewest letters for a text to be judged all capitals.
const MIN_LETTERS: usize = 20;
/// Fewest words inside sentences for a text to be judged by their capitals.
const MIN_INNER_WORDS: usize = 20;

/// The style one pass over the bytes suggests: `Mixed` for ordinary text (settled), otherwise
/// a candidate that [`confirm`] checks word by word.
fn quick_style(text: &str) -> CaseStyle {
    let (mut upper, mut lower) = (0usize, 0usize);
    let (mut inner, mut inner_caps) = (0usize, 0usize);
    let mut in_word = false;
    let mut boundary = true;
    for &b in text.as_bytes() {
        let alpha = b.is_ascii_alphabetic();
        if alpha {
            if b.is_ascii_uppercase() {
                upper += 1;
            } else {
                lower += 1;
            }
            if !in_word && !boundary {
                inner += 1;
                inner_caps += usize::from(b.is_ascii_uppercase());
            }
            boundary = false;
        } else if b >= 0x80 {
            // other scripts' letters and typographic quotes: neither counted nor a boundary
            continue;
        } else if b.is_ascii_digit() {
            boundary = false;
        } else if matches!(b, b'.' | b'!' | b'?' | b'\n') {
            boundary = true;
        } else if !matches!(b, b' ' | b'\t' | b'\r' | b'"' | b'\'' | b'(' | b'[') {
            boundary = false;
        }
        in_word = alpha || b.is_ascii_digit() || (in_word && b == b'\'');
    }
    let letters = upper + lower;
    if letters >= MIN_LETTERS && upper * 10 >= letters * 9 {
        return CaseStyle::Upper;
    }
    if inner < MIN_INNER_WORDS {
        return CaseStyle::Mixed;
    }
    if inner_caps * 20 <= inner {
        CaseStyle::Sentence
    } else if inner_caps * 4 >= inner * 3 {
        CaseStyle::Headline
    } else {
        CaseStyle::Mixed
    }
}

/// The candidate `hint` checked against what the words say. The text must read as English:
/// at least two in five words inside sentences are common words (the word list knows little of
/// other languages, and would take their words for names). Sentence case needs names written
/// in lower case (more of them than capitalised words inside sentences), headline
/// case common words written capitalised (half the words inside sentences).
fn confirm(hint: CaseStyle, words: &[Word], casing: &[Casing]) -> CaseStyle {
    let inner = || {
        words
            .iter()
            .zip(casing)
            .filter(|(w, _)| !w.sentence_start && !w.has_digit && w.low.chars().count() > 2)
    };
    let n = inner().count();
    let common = inner().filter(|(_, c)| **c == Casing::Lower).count();
    if common * 5 < n * 2 {
        return CaseStyle::Mixed;
    }
    match hint {
        CaseStyle::Sentence => {
            let lowered_names = inner()
                .filter(|(w, c)| w.written_lower && matches!(c, Casing::Form(_) | Casing::Upper))
                .count();
            // capitals after any period ("u.s. Soldiers") may be a restorer's sentence starts
            let capitals = inner()
                .filter(|(w, _)| w.written_capital && !w.gap.contains('.'))
                .count();
            if lowered_names >= 2 && lowered_names > capitals {
                CaseStyle::Sentence
            } else {
                CaseStyle::Mixed
            }
        }
        CaseStyle::Headline => {
            let raised_common = inner()
                .filter(|(w, c)| w.written_capital && **c == Casing::Lower)
                .count();
            if raised_common * 2 >= n {
                CaseStyle::Headline
            } else {
                CaseStyle::Mixed
            }
        }
        other => other,
    }
}

#[cfg(test)]
mod tests;
