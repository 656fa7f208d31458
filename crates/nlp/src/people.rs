//! People named in news text, with their titles, roles and country of affiliation.
//!
//! A name is a run of capitalised tokens (with particles such as "bin" or "van", hyphens and
//! initials). A run is a person only on evidence: a title or role right before it ("special
//! envoy Steve Witkoff"), an honorific ("Mr Putin"), an apposition ("Pete Hegseth, US Defense
//! Secretary," / "the defence minister, Jean Dupont,"), a verb of speech ("said Ana Ruiz"),
//! the actors file, the surname of a person found elsewhere in the article, or, for runs of two
//! to four capitalised words that are no place, organisation or ordinary word, their shape.
//! Affiliation comes from the demonym or country in the title ("French", "Ukraine's"), from a
//! possessive chain ("Zelenskyy's chief of staff" -> Zelenskyy's country) or the actors file.

use std::collections::HashMap;
use std::ops::Range;

use crate::lexicon::{FxBuildHasher, Gender, Lexicon, RoleEntry, TokenWords, WordInfo};
use crate::segment::{Segmentation, Shape, Token, TokenKind};

/// A known actor from the actors file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ActorInfo {
    /// Stable id ("actor:emmanuel-macron").
    pub id: String,
    /// Canonical name.
    pub name: String,
    /// ISO3 of the actor's country.
    pub country: Option<String>,
    /// Role as the actors file writes it ("foreign minister").
    pub role: Option<String>,
}

/// What a capitalised name stands for, as far as place and organisation data know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameClass {
    /// A country name (`demonym == false`) or a demonym (`true`).
    Country {
        /// ISO 3166-1 alpha-3.
        iso3: String,
        /// Whether the surface is an adjective for the people ("French").
        demonym: bool,
    },
    /// A city, region or feature.
    Place {
        /// ISO3 of the country it lies in.
        country: Option<String>,
        /// A capital, a city of a million people or more, a region or a feature: a name the
        /// text more likely means as a place than as a same-named actor's surname.
        prominent: bool,
    },
    /// An organisation.
    Organization {
        /// ISO3 of the organisation's country, if national.
        country: Option<String>,
    },
}

/// What the people finder may ask about names: implemented for the gazetteer in
/// [`crate::places`], and by small maps in tests.
pub trait Knowledge {
    /// The best non-person reading of `surface` (exact surface, possessive removed), if any.
    fn classify(&self, surface: &str) -> Option<NameClass>;
    /// The actor called `surface` (full name or alias).
    fn actor(&self, surface: &str) -> Option<ActorInfo>;
    /// The one actor whose surname is `surname`, if exactly one.
    fn actor_by_surname(&self, surname: &str) -> Option<ActorInfo>;
}

/// No data: rules only.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoKnowledge;

impl Knowledge for NoKnowledge {
    fn classify(&self, _: &str) -> Option<NameClass> {
        None
    }
    fn actor(&self, _: &str) -> Option<ActorInfo> {
        None
    }
    fn actor_by_surname(&self, _: &str) -> Option<ActorInfo> {
        None
    }
}

/// How a mention refers to its person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MentionKind {
    /// A name ("Marco Rubio", "Rubio", "Mr Rubio").
    Name,
    /// A title alone ("the envoy").
    Nominal,
    /// "he", "she", "him", "her", "his".
    Pronoun,
}

/// Why a run of capitalised words was taken for a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Evidence {
    /// Listed in the actors file.
    Actor,
    /// Preceded by a title or role.
    Title,
    /// Preceded by an honorific (Mr, Ms, Dr).
    Honorific,
    /// Followed or preceded by a role in apposition.
    Apposition,
    /// Next to a verb of speech.
    Reporting,
    /// Owner of a role ("Zelenskyy's chief of staff").
    Possessor,
    /// Surname of a person found elsewhere in the text.
    Surname,
    /// Two to four capitalised words that are nothing else.
    Shape,
    /// A title or pronoun resolved by coreference.
    Coreference,
}

/// One mention of a person.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PersonMention {
    /// Sentence index.
    pub sentence: usize,
    /// Token index range of the mention (the name, the title or the pronoun).
    pub tokens: Range<usize>,
    /// Byte offset of the mention.
    pub start: usize,
    /// Byte offset past the mention.
    pub end: usize,
    /// Char offset of the mention.
    pub char_start: usize,
    /// Char offset past the mention.
    pub char_end: usize,
    /// The mention's text.
    pub text: String,
    /// Name, title or pronoun.
    pub kind: MentionKind,
    /// Normalised role from the title ("foreign_minister").
    pub role: Option<String>,
    /// Role class ("minister", "envoy"...).
    pub role_class: Option<String>,
    /// Char range of the title phrase (with its country or possessive), when there is one.
    pub title_span: Option<(usize, usize)>,
    /// ISO3 of the affiliation country.
    pub country: Option<String>,
    /// Organisation named in the title ("Hamas official").
    pub organization: Option<String>,
    /// Gender from an honorific or a gendered title.
    pub gender: Option<Gender>,
    /// The actors-file entry.
    pub actor: Option<ActorInfo>,
    /// Token range of the person owning the role ("Zelenskyy" in "Zelenskyy's chief of staff").
    pub possessor: Option<Range<usize>>,
    /// Why this is a person.
    pub evidence: Evidence,
    /// Cluster (person entity) index, set by [`crate::coref::resolve`].
    pub cluster: usize,
}

/// A title or role phrase found in a sentence.
#[derive(Debug, Clone)]
pub(crate) struct RoleMatch<'l> {
    tokens: Range<usize>,
    entry: &'l RoleEntry,
}

/// The title and role phrases of each sentence of a text (what the people finder and the
/// titles used alone both start from).
#[derive(Debug, Clone, Default)]
pub(crate) struct Roles<'l>(Vec<Vec<RoleMatch<'l>>>);

/// The role phrases of every sentence of `seg`.
pub(crate) fn sentence_roles<'l>(
    text: &str,
    seg: &Segmentation,
    lex: &'l Lexicon,
    words: &TokenWords<'_>,
) -> Roles<'l> {
    let c = Ctx {
        text,
        toks: &seg.tokens,
        lex,
        kb: &NoKnowledge,
        words,
        is_role: Vec::new(),
    };
    Roles(
        seg.sentences
            .iter()
            .map(|s| role_matches(&c, s.tokens.clone(), lex))
            .collect(),
    )
}

/// A run of capitalised tokens that may be a name.
#[derive(Debug, Clone)]
struct Run {
    tokens: Range<usize>,
    possessive: bool,
}

/// Everything known about the title group in front of a role.
#[derive(Debug, Clone, Default)]
struct Group {
    start: Option<usize>,
    country: Option<String>,
    organization: Option<String>,
    possessor: Option<Range<usize>>,
}

struct Ctx<'a, K: Knowledge + ?Sized> {
    text: &'a str,
    toks: &'a [Token],
    lex: &'a Lexicon,
    kb: &'a K,
    /// Lower-case forms and lexicon facts of the tokens.
    words: &'a TokenWords<'a>,
    /// Whether each token (whole text) is part of a title or role phrase.
    is_role: Vec<bool>,
}

impl<K: Knowledge + ?Sized> Ctx<'_, K> {
    fn s(&self, i: usize) -> &str {
        self.toks.get(i).map(|t| t.text(self.text)).unwrap_or("")
    }

    /// The lower-case text of token `i` ("" past the end).
    fn lower(&self, i: usize) -> &str {
        self.words.lower(i)
    }

    /// The lexicon facts of token `i`.
    fn info(&self, i: usize) -> WordInfo {
        self.words.info(i)
    }

    fn span_text(&self, r: &Range<usize>) -> &str {
        if r.is_empty() {
            return "";
        }
        self.text
            .get(self.toks[r.start].start..self.toks[r.end - 1].end)
            .unwrap_or("")
    }

    fn is_initial(&self, i: usize) -> bool {
        let t = &self.toks[i];
        t.kind == TokenKind::Word
            && t.shape == Shape::AllCaps
            && self.s(i).chars().count() == 1
            && self
                .toks
                .get(i + 1)
                .is_some_and(|n| !n.space_before && self.s(i + 1) == ".")
    }

    /// Whether a word token next to `i` is written in capitals too (an all-caps headline).
    fn caps_context(&self, i: usize) -> bool {
        let caps = |j: usize| {
            self.toks
                .get(j)
                .is_some_and(|t| t.kind == TokenKind::Word && t.shape == Shape::AllCaps)
        };
        (i > 0 && caps(i - 1)) || caps(i + 1)
    }

    /// Capitalised word that may be part of a name, and not part of a title.
    fn name_tok(&self, i: usize) -> bool {
        self.name_like(i) && !self.is_role.get(i).copied().unwrap_or(false)
    }

    /// Capitalised word that may be part of a name.
    fn name_like(&self, i: usize) -> bool {
        let t = &self.toks[i];
        t.kind == TokenKind::Word
            && t.is_upper_initial()
            && (!self.info(i).is_function_word()
                || (t.shape == Shape::AllCaps && !self.caps_context(i)))
            && self.info(i).abbreviation().is_none_or(|_| {
                // "Gen" / "St" are abbreviations, but only when a period follows
                !self
                    .toks
                    .get(i + 1)
                    .is_some_and(|n| !n.space_before && self.s(i + 1) == ".")
                    || self.is_initial(i)
            })
    }

    fn classify(&self, r: &Range<usize>) -> Option<NameClass> {
        let s = self.span_text(r);
        self.kb.classify(s).or_else(|| {
            // "U.S." -> "US"
            if s.contains('.') {
                self.kb.classify(&s.replace('.', ""))
            } else {
                None
            }
        })
    }
}

/// Matches role phrases in `range`, greedy longest-first, periods after abbreviations skipped.
fn role_matches<'l, K: Knowledge + ?Sized>(
    c: &Ctx<'_, K>,
    range: Range<usize>,
    lex: &'l Lexicon,
) -> Vec<RoleMatch<'l>> {
    let mut out = Vec::new();
    let mut i = range.start;
    while i < range.end {
        if c.toks[i].kind != TokenKind::Word {
            i += 1;
            continue;
        }
        let mut found = None;
        for e in lex.roles_of(c.info(i)) {
            if let Some(end) = match_phrase(c, i, range.end, &e.words) {
                found = Some((end, e));
                break;
            }
        }
        match found {
            Some((end, e)) => {
                out.push(RoleMatch {
                    tokens: i..end,
                    entry: e,
                });
                i = end;
            }
            None => i += 1,
        }
    }
    out
}

fn match_phrase<K: Knowledge + ?Sized>(
    c: &Ctx<'_, K>,
    start: usize,
    limit: usize,
    words: &[String],
) -> Option<usize> {
    let mut j = start;
    for w in words {
        if j >= limit || c.toks[j].kind != TokenKind::Word || c.lower(j) != w.as_str() {
            return None;
        }
        j += 1;
        if j < limit && c.s(j) == "." && !c.toks[j].space_before && c.lex.abbreviation(w).is_some()
        {
            j += 1;
        }
    }
    Some(j)
}

/// Runs of name-like tokens in `range`, not crossing role phrases.
fn name_runs<K: Knowledge + ?Sized>(
    c: &Ctx<'_, K>,
    range: Range<usize>,
    is_role: &[bool],
) -> Vec<Run> {
    let mut runs = Vec::new();
    let mut i = range.start;
    while i < range.end {
        if is_role[i - range.start] || !c.name_like(i) {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i;
        let mut j = i;
        while j < range.end && !is_role[j - range.start] {
            if c.is_initial(j) {
                j += 2; // initial and its period
                end = j;
            } else if c.name_like(j) {
                j += 1;
                end = j;
            } else if c.toks[j].kind == TokenKind::Word && c.info(j).is_particle() && j > start {
                // particles must lead to another capitalised part ("van der Berg")
                let mut k = j;
                while k < range.end && c.toks[k].kind == TokenKind::Word && c.info(k).is_particle()
                {
                    k += 1;
                }
                if k < range.end && !is_role[k - range.start] && c.name_like(k) {
                    j = k;
                } else {
                    break;
                }
            } else {
                break;
            }
            // a comma or other break ends the run
        }
        let possessive = c
            .toks
            .get(end)
            .is_some_and(|t| t.kind == TokenKind::Possessive);
        // a sentence-initial word in -ing/-ed/-ly is an ordinary word ("Speaking to ...")
        let mut s0 = start;
        if s0 == range.start && end - s0 >= 1 {
            let w = c.lower(s0);
            if w.len() > 4 && (w.ends_with("ing") || w.ends_with("ly") || w.ends_with("ed")) {
                s0 += 1;
            }
        }
        if end > s0 {
            runs.push(Run {
                tokens: s0..end,
                possessive,
            });
        }
        i = end.max(i + 1);
    }
    runs
}

/// Finds person name mentions in every sentence. Titles alone and pronouns are added by
/// [`crate::coref::resolve`].
pub fn find_people<K: Knowledge + ?Sized>(
    text: &str,
    seg: &Segmentation,
    lex: &Lexicon,
    kb: &K,
) -> Vec<PersonMention> {
    let words = TokenWords::new(text, &seg.tokens, lex);
    let roles = sentence_roles(text, seg, lex, &words);
    find_people_with(text, seg, lex, kb, &words, &roles)
}

/// [`find_people`] with the token table of `seg` already made.
pub(crate) fn find_people_with<K: Knowledge + ?Sized>(
    text: &str,
    seg: &Segmentation,
    lex: &Lexicon,
    kb: &K,
    words: &TokenWords<'_>,
    roles: &Roles<'_>,
) -> Vec<PersonMention> {
    let mut c = Ctx {
        text,
        toks: &seg.tokens,
        lex,
        kb,
        words,
        is_role: vec![false; seg.tokens.len()],
    };
    for r in roles.0.iter().flatten() {
        for t in r.tokens.clone() {
            c.is_role[t] = true;
        }
    }
    let c = c;
    let found = people_in_runs(&c, seg, roles);
    let mut mentions = found.mentions;
    let mut undecided = found.undecided;
    add_possessors(&c, found.possessors, &mut mentions, &mut undecided);
    add_single_word_people(&c, seg, undecided, &mut mentions);
    mentions.sort_by_key(|m| m.tokens.start);
    give_owners_their_country(&c, &mut mentions);
    mentions
}

/// What the runs of capitalised words of a text are: people, runs no rule decided on, and
/// the possessors of roles ("Zelenskyy's chief of staff").
struct RunPeople {
    mentions: Vec<PersonMention>,
    /// (sentence, run) of each run that is not (yet) a person.
    undecided: Vec<(usize, Run)>,
    /// (sentence, tokens) of each role's possessor.
    possessors: Vec<(usize, Range<usize>)>,
}

/// Reads every run of capitalised words of every sentence with [`person_from_run`].
fn people_in_runs<K: Knowledge + ?Sized>(
    c: &Ctx<'_, K>,
    seg: &Segmentation,
    roles: &Roles<'_>,
) -> RunPeople {
    let mut found = RunPeople {
        mentions: Vec::new(),
        undecided: Vec::new(),
        possessors: Vec::new(),
    };
    for (si, sent) in seg.sentences.iter().enumerate() {
        let range = sent.tokens.clone();
        let roles = &roles.0[si];
        let is_role = &c.is_role[range.clone()];
        let role_ending_at: HashMap<usize, &RoleMatch, FxBuildHasher> =
            roles.iter().map(|r| (r.tokens.end, r)).collect();
        let runs = name_runs(c, range.clone(), is_role);
        for run in runs {
            match person_from_run(c, si, &run, &runs_ctx(&range, &role_ending_at, roles)) {
                Some(m) => {
                    if let Some(p) = &m.possessor {
                        found.possessors.push((si, p.clone()));
                    }
                    found.mentions.push(m);
                }
                None => found.undecided.push((si, run)),
            }
        }
    }
    found
}

/// Owners of roles ("Zelenskyy's chief of staff") are people unless they are places or
/// organisations.
fn add_possessors<K: Knowledge + ?Sized>(
    c: &Ctx<'_, K>,
    possessors: Vec<(usize, Range<usize>)>,
    mentions: &mut Vec<PersonMention>,
    undecided: &mut Vec<(usize, Run)>,
) {
    for (si, p) in possessors {
        if mentions.iter().any(|m| m.tokens == p) {
            continue;
        }
        if let Some(k) = undecided.iter().position(|(_, r)| r.tokens == p) {
            let (_, run) = undecided.remove(k);
            if c.classify(&run.tokens).is_none() && !has_org_word(c, &run.tokens) {
                let mut m = mention(c, si, run.tokens.clone(), Evidence::Possessor);
                attach_actor(c, &mut m);
                mentions.push(m);
            }
        }
    }
}

/// Single capitalised words no rule decided on: the surname of a person named elsewhere in
/// the text, or an actor's surname.
fn add_single_word_people<K: Knowledge + ?Sized>(
    c: &Ctx<'_, K>,
    seg: &Segmentation,
    undecided: Vec<(usize, Run)>,
    mentions: &mut Vec<PersonMention>,
) {
    // Surnames of people found elsewhere, with their lengths in characters.
    let surnames: Vec<(String, usize)> = mentions
        .iter()
        .filter(|m| m.tokens.len() >= 2)
        .filter_map(|m| m.text.split_whitespace().last().map(fold))
        .map(|s| {
            let n = crate::coref::char_count(&s);
            (s, n)
        })
        .collect();
    for (si, run) in undecided {
        if run.tokens.len() != 1 || c.toks[run.tokens.start].shape != Shape::Capitalized {
            continue;
        }
        let sentence_start = seg.sentences[si].tokens.start;
        if let Some(m) = single_word_person(c, si, &run, sentence_start, &surnames) {
            mentions.push(m);
        }
    }
}

/// A single capitalised word as a person: the surname of someone named in this text wins over
/// a place of the same name ("Michael Jordan ... Jordan said"), not over an organisation, nor
/// where a locative says it is a place ("visited Jordan"); an actor's surname wins over a
/// minor place ("Rubio", a small town).
fn single_word_person<K: Knowledge + ?Sized>(
    c: &Ctx<'_, K>,
    si: usize,
    run: &Run,
    sentence_start: usize,
    surnames: &[(String, usize)],
) -> Option<PersonMention> {
    let class = c.classify(&run.tokens);
    let word = c.span_text(&run.tokens);
    let folded = fold(word);
    let folded_chars = crate::coref::char_count(&folded);
    let located = run.tokens.start > sentence_start && c.info(run.tokens.start - 1).is_locative();
    if !matches!(class, Some(NameClass::Organization { .. }))
        && (class.is_none() || !located)
        && surnames
            .iter()
            .any(|(s, ls)| crate::coref::same_word_counted(s, *ls, &folded, folded_chars))
    {
        return Some(mention(c, si, run.tokens.clone(), Evidence::Surname));
    }
    let minor = match class {
        None => true,
        Some(NameClass::Place { prominent, .. }) => !prominent,
        Some(_) => false,
    };
    if !minor {
        return None;
    }
    let a = c.kb.actor_by_surname(word).or_else(|| c.kb.actor(word))?;
    let mut m = mention(c, si, run.tokens.clone(), Evidence::Actor);
    m.country = a.country.clone();
    m.role = a.role.as_deref().and_then(|r| normalise_role(c.lex, r));
    m.actor = Some(a);
    Some(m)
}

/// A role owned by a person takes the owner's country ("Zelenskyy's chief of staff").
fn give_owners_their_country<K: Knowledge + ?Sized>(
    c: &Ctx<'_, K>,
    mentions: &mut [PersonMention],
) {
    for i in 0..mentions.len() {
        if mentions[i].country.is_some() {
            continue;
        }
        let Some(p) = mentions[i].possessor.clone() else {
            continue;
        };
        let owner = mentions
            .iter()
            .find(|m| m.tokens == p)
            .or_else(|| {
                let key = fold(c.span_text(&p));
                mentions.iter().find(|m| {
                    m.country.is_some()
                        && m.text.split_whitespace().last().map(fold) == Some(key.clone())
                })
            })
            .and_then(|m| m.country.clone());
        mentions[i].country = owner;
    }
}

/// Titles used alone to refer to someone already named: "the envoy", "the US president".
/// Returned with kind [`MentionKind::Nominal`], `role` and `country` set, not yet resolved.
/// A title followed by a name, or that is part of a person mention's title, is skipped.
pub fn find_nominals<K: Knowledge + ?Sized>(
    text: &str,
    seg: &Segmentation,
    lex: &Lexicon,
    kb: &K,
    people: &[PersonMention],
) -> Vec<PersonMention> {
    let words = TokenWords::new(text, &seg.tokens, lex);
    let roles = sentence_roles(text, seg, lex, &words);
    find_nominals_with(text, seg, lex, kb, people, &words, &roles)
}

/// [`find_nominals`] with the token table of `seg` already made.
pub(crate) fn find_nominals_with<K: Knowledge + ?Sized>(
    text: &str,
    seg: &Segmentation,
    lex: &Lexicon,
    kb: &K,
    people: &[PersonMention],
    words: &TokenWords<'_>,
    roles: &Roles<'_>,
) -> Vec<PersonMention> {
    let c = Ctx {
        text,
        toks: &seg.tokens,
        lex,
        kb,
        words,
        is_role: Vec::new(),
    };
    let covered = |i: usize| {
        let ch = seg.tokens[i].char_start;
        people.iter().any(|m| {
            m.tokens.contains(&i) || m.title_span.is_some_and(|(a, b)| (a..b).contains(&ch))
        })
    };
    let mut out = Vec::new();
    for (si, sent) in seg.sentences.iter().enumerate() {
        for r in roles.0.get(si).into_iter().flatten() {
            if r.entry.is_honorific() || r.entry.role.is_none() || covered(r.tokens.start) {
                continue;
            }
            let next = r.tokens.end;
            if next < sent.tokens.end && c.name_like(next) {
                continue; // a title before a name: the name is the mention
            }
            if next + 1 < sent.tokens.end && c.s(next) == "," && c.name_like(next + 1) {
                continue; // apposition: the name is the mention
            }
            let g = group_before(&c, r.tokens.start, sent.tokens.start);
            let gs = g.start.unwrap_or(r.tokens.start);
            if gs == sent.tokens.start || c.lower(gs - 1) != "the" || g.possessor.is_some() {
                continue;
            }
            let range = gs - 1..r.tokens.end;
            let mut m = mention(&c, si, range, Evidence::Coreference);
            m.kind = MentionKind::Nominal;
            apply_role(&mut m, r.entry);
            m.country = g.country;
            m.organization = g.organization;
            out.push(m);
        }
    }
    out
}

struct RunsCtx<'r, 'l> {
    sentence: Range<usize>,
    role_ending_at: &'r HashMap<usize, &'r RoleMatch<'l>, FxBuildHasher>,
    roles: &'r [RoleMatch<'l>],
}

fn runs_ctx<'r, 'l>(
    sentence: &Range<usize>,
    role_ending_at: &'r HashMap<usize, &'r RoleMatch<'l>, FxBuildHasher>,
    roles: &'r [RoleMatch<'l>],
) -> RunsCtx<'r, 'l> {
    RunsCtx {
        sentence: sentence.clone(),
        role_ending_at,
        roles,
    }
}

/// Accent- and case-folded form used to compare names.
pub fn fold(s: &str) -> String {
    if s.is_ascii() {
        // no accents, marks or curly apostrophes: lower case is all there is to do
        return s.to_ascii_lowercase();
    }
    s.chars()
        .filter_map(|ch| {
            let base = match ch {
                'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
                'ç' | 'ć' | 'č' => 'c',
                'ď' | 'đ' => 'd',
                'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => 'e',
                'ì' | 'í' | 'î' | 'ï' | 'ī' | 'ı' => 'i',
                'ñ' | 'ń' | 'ň' => 'n',
                'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => 'o',
                'ś' | 'š' | 'ş' => 's',
                'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => 'u',
                'ý' | 'ÿ' => 'y',
                'ź' | 'ż' | 'ž' => 'z',
                'ł' => 'l',
                'ř' => 'r',
                'ť' => 't',
                '\u{2019}' => '\'',
                '\u{300}'..='\u{36f}' => return None,
                c => c,
            };
            Some(base.to_lowercase().next().unwrap_or(base))
        })
        .collect()
}

/// Normalises a free-text role ("foreign minister") with the lexicon ("foreign_minister").
pub fn normalise_role(lex: &Lexicon, role: &str) -> Option<String> {
    let words: Vec<String> = role
        .split_whitespace()
        .map(|w| w.trim_end_matches('.').to_lowercase())
        .collect();
    let first = words.first()?;
    lex.roles_starting(first)
        .iter()
        .find(|e| e.words == words)
        .and_then(|e| e.role.clone())
        .or_else(|| Some(words.join("_")))
}

fn has_org_word<K: Knowledge + ?Sized>(c: &Ctx<'_, K>, r: &Range<usize>) -> bool {
    r.clone().any(|i| c.info(i).is_org_word())
}

fn mention<K: Knowledge + ?Sized>(
    c: &Ctx<'_, K>,
    sentence: usize,
    r: Range<usize>,
    evidence: Evidence,
) -> PersonMention {
    let (a, b) = (&c.toks[r.start], &c.toks[r.end - 1]);
    PersonMention {
        sentence,
        start: a.start,
        end: b.end,
        char_start: a.char_start,
        char_end: b.char_end,
        text: c.span_text(&r).to_string(),
        tokens: r,
        kind: MentionKind::Name,
        role: None,
        role_class: None,
        title_span: None,
        country: None,
        organization: None,
        gender: None,
        actor: None,
        possessor: None,
        evidence,
        cluster: 0,
    }
}

fn attach_actor<K: Knowledge + ?Sized>(c: &Ctx<'_, K>, m: &mut PersonMention) {
    let actor = c.kb.actor(&m.text).or_else(|| {
        if m.tokens.len() == 1 {
            c.kb.actor_by_surname(&m.text)
        } else {
            None
        }
    });
    if let Some(a) = actor {
        if m.country.is_none() {
            m.country = a.country.clone();
        }
        if m.role.is_none() {
            m.role = a.role.as_deref().and_then(|r| normalise_role(c.lex, r));
        }
        m.actor = Some(a);
    }
}

fn apply_role(m: &mut PersonMention, e: &RoleEntry) {
    if e.is_honorific() {
        m.gender = m.gender.or(e.gender);
        return;
    }
    m.role = e.role.clone();
    m.role_class = Some(e.class.clone());
    m.gender = m.gender.or(e.gender);
}

fn apply_group<K: Knowledge + ?Sized>(
    c: &Ctx<'_, K>,
    m: &mut PersonMention,
    g: &Group,
    role_end: usize,
) {
    if m.country.is_none() {
        m.country = g.country.clone();
    }
    if m.organization.is_none() {
        m.organization = g.organization.clone();
    }
    if m.possessor.is_none() {
        m.possessor = g.possessor.clone();
    }
    if let Some(s) = g.start {
        if role_end > s {
            m.title_span = Some((c.toks[s].char_start, c.toks[role_end - 1].char_end));
        }
    }
}

/// Reads the words in front of a role, right to left, down to `floor`: country or demonym
/// modifiers, organisations, possessors ("Trump's", "Ukraine's") and modifiers ("former").
// long: reads right to left through the words before a role with one state, the group so far; each
// arm is one kind of word.
fn group_before<K: Knowledge + ?Sized>(c: &Ctx<'_, K>, role_start: usize, floor: usize) -> Group {
    let mut g = Group {
        start: Some(role_start),
        ..Group::default()
    };
    let mut i = role_start;
    while i > floor {
        let k = i - 1;
        let t = &c.toks[k];
        if t.kind == TokenKind::Possessive {
            // possessor: a run of capitalised words ending at k
            let mut s = k;
            while s > floor && (c.name_tok(s - 1) || (s >= 2 && c.is_initial(s - 2))) {
                s -= if c.name_tok(s - 1) { 1 } else { 2 };
            }
            if s == k {
                break;
            }
            let r = s..k;
            match c.classify(&r) {
                Some(NameClass::Country { iso3, .. }) => {
                    g.country.get_or_insert(iso3);
                }
                Some(NameClass::Organization { country }) => {
                    g.organization
                        .get_or_insert_with(|| c.span_text(&r).to_string());
                    if let Some(cc) = country {
                        g.country.get_or_insert(cc);
                    }
                }
                Some(NameClass::Place { country, .. }) => {
                    if let Some(cc) = country {
                        g.country.get_or_insert(cc);
                    }
                }
                None => {
                    g.possessor = Some(r);
                }
            }
            g.start = Some(s);
            // the possessor's own title belongs to the possessor, not to us
            break;
        }
        if t.kind == TokenKind::Word && c.info(k).is_modifier() {
            i = k;
            g.start = Some(k);
            continue;
        }
        if c.name_tok(k) {
            let mut s = k;
            while s > floor && c.name_tok(s - 1) {
                s -= 1;
            }
            // longest suffix of the run that is a country, demonym or organisation
            let mut hit = None;
            for s2 in s..=k {
                if let Some(cl) = c.classify(&(s2..k + 1)) {
                    hit = Some((s2, cl));
                    break;
                }
            }
            match hit {
                Some((s2, NameClass::Country { iso3, .. })) => {
                    g.country.get_or_insert(iso3);
                    g.start = Some(s2);
                    i = s2;
                }
                Some((s2, NameClass::Organization { country })) => {
                    g.organization
                        .get_or_insert_with(|| c.span_text(&(s2..k + 1)).to_string());
                    if let Some(cc) = country {
                        g.country.get_or_insert(cc);
                    }
                    g.start = Some(s2);
                    i = s2;
                }
                Some((s2, NameClass::Place { country, .. })) => {
                    if let Some(cc) = country {
                        g.country.get_or_insert(cc);
                    }
                    g.start = Some(s2);
                    i = s2;
                }
                None => break,
            }
            continue;
        }
        break;
    }
    g
}

/// Parses an apposition after `p` (just past a comma): a title group ending in a role, then an
/// optional complement ("to the Middle East"), then punctuation or the end of the sentence.
/// Returns the head role and the group.
fn apposition_after<'l, K: Knowledge + ?Sized>(
    c: &Ctx<'_, K>,
    p: usize,
    rc: &RunsCtx<'_, 'l>,
) -> Option<(&'l RoleEntry, Group, usize)> {
    let end = rc.sentence.end;
    let mut i = p;
    if i < end && matches!(c.lower(i), "the" | "a" | "an") {
        i += 1;
    }
    let mut head: Option<&RoleMatch<'l>> = None;
    let limit = (p + 12).min(end);
    while i < limit {
        if let Some(r) = rc.roles.iter().find(|r| r.tokens.start == i) {
            // a title followed by a name is the possessor's title ("President Donald Trump's")
            if r.tokens.end < end && c.name_like(r.tokens.end) {
                i = r.tokens.end;
                continue;
            }
            head = Some(r);
            break;
        }
        let t = &c.toks[i];
        let ok = t.kind == TokenKind::Possessive
            || c.name_like(i)
            || c.is_initial(i)
            || (t.kind == TokenKind::Punct && c.s(i) == "." && i > p && c.is_initial(i - 1))
            || (t.kind == TokenKind::Word && c.info(i).is_modifier());
        if !ok {
            return None;
        }
        i += 1;
    }
    let head = head?;
    if head.entry.is_honorific() {
        return None;
    }
    // complement: "of/for/to/in" + capitalised words
    let mut j = head.tokens.end;
    while j < end {
        let w = c.lower(j);
        if matches!(w, "of" | "for" | "to" | "in" | "on" | "the" | "and") || c.name_like(j) {
            j += 1;
        } else {
            break;
        }
    }
    let closes = j >= end || matches!(c.s(j), "," | "." | ";" | ")" | "\u{2014}" | "\u{2013}");
    if !closes {
        return None;
    }
    let g = group_before(c, head.tokens.start, p);
    Some((head.entry, g, head.tokens.end))
}

/// The person a run of capitalised words names, if it names one, and on what evidence: a
/// title before it ([`titled_person`]), an apposition ([`apposition_role`]), a known actor, a
/// verb of speech, or the shape of a name ([`has_name_shape`]).
fn person_from_run<K: Knowledge + ?Sized>(
    c: &Ctx<'_, K>,
    si: usize,
    run: &Run,
    rc: &RunsCtx<'_, '_>,
) -> Option<PersonMention> {
    let mut r = run.tokens.clone();
    // Title right before the name (allowing the period of an abbreviation).
    if let Some(&role) = rc.role_ending_at.get(&r.start) {
        return titled_person(c, si, &r, role, rc);
    }
    // Split a leading country or demonym off the run ("Ukrainian Andriy Melnyk").
    if r.len() >= 2 {
        if let Some(NameClass::Country { .. }) = c.classify(&(r.start..r.start + 1)) {
            r.start += 1;
        }
    }
    let class = c.classify(&r);
    let text = c.span_text(&r);
    let actor = c.kb.actor(text);
    if actor.is_none() && (class.is_some() || has_org_word(c, &r)) {
        return None;
    }
    let mut m = mention(c, si, r.clone(), Evidence::Actor);
    if apposition_role(c, &mut m, &r, run, rc) {
        return Some(m);
    }
    if let Some(a) = actor {
        m.country = a.country.clone();
        m.role = a.role.as_deref().and_then(|x| normalise_role(c.lex, x));
        m.actor = Some(a);
        return Some(m);
    }
    let caps_ok = capitalised_like_a_name(c, &r);
    if caps_ok && r.len() >= 2 && beside_verb_of_speech(c, &r, run, &rc.sentence) {
        m.evidence = Evidence::Reporting;
        return Some(m);
    }
    if caps_ok && has_name_shape(c, &r, rc) {
        m.evidence = Evidence::Shape;
        return Some(m);
    }
    None
}

/// "President Jordan" is a person; "spokesman Reuters" is not: a run after a title, with the
/// title's role (and the group before it: "the French foreign minister").
fn titled_person<K: Knowledge + ?Sized>(
    c: &Ctx<'_, K>,
    si: usize,
    r: &Range<usize>,
    role: &RoleMatch<'_>,
    rc: &RunsCtx<'_, '_>,
) -> Option<PersonMention> {
    let whole = c.classify(r);
    let actor = c.kb.actor(c.span_text(r));
    if matches!(whole, Some(NameClass::Organization { .. })) && actor.is_none() {
        return None;
    }
    if has_org_word(c, r) && actor.is_none() {
        return None;
    }
    let evidence = if role.entry.is_honorific() {
        Evidence::Honorific
    } else {
        Evidence::Title
    };
    let mut m = mention(c, si, r.clone(), evidence);
    apply_role(&mut m, role.entry);
    if !role.entry.is_honorific() {
        let g = group_before(c, role.tokens.start, rc.sentence.start);
        apply_group(c, &mut m, &g, role.tokens.end);
    } else if let Some(prev) = rc.role_ending_at.get(&role.tokens.start) {
        // "President Mr X" is rare; "Foreign Minister Dr X" keeps the role
        apply_role(&mut m, prev.entry);
    }
    attach_actor(c, &mut m);
    Some(m)
}

/// A role in apposition after the run ("Pete Hegseth, US Defense Secretary,") or before it
/// ("the French defence minister, Sebastien Lecornu"): given to `m`, and true, when found.
fn apposition_role<K: Knowledge + ?Sized>(
    c: &Ctx<'_, K>,
    m: &mut PersonMention,
    r: &Range<usize>,
    run: &Run,
    rc: &RunsCtx<'_, '_>,
) -> bool {
    let sent = &rc.sentence;
    if r.end < sent.end && c.s(r.end) == "," && !run.possessive {
        if let Some((entry, g, role_end)) = apposition_after(c, r.end + 1, rc) {
            m.evidence = Evidence::Apposition;
            apply_role(m, entry);
            apply_group(c, m, &g, role_end);
            attach_actor(c, m);
            return true;
        }
    }
    if r.start < sent.start + 2 || c.s(r.start - 1) != "," {
        return false;
    }
    let Some(role) = rc.role_ending_at.get(&(r.start - 1)) else {
        return false;
    };
    if role.entry.is_honorific() {
        return false;
    }
    let g = group_before(c, role.tokens.start, sent.start);
    let gs = g.start.unwrap_or(role.tokens.start);
    let opener = gs == sent.start
        || matches!(c.lower(gs - 1), "the" | "a" | "an" | "," | "and")
        || g.country.is_some()
        || g.possessor.is_some();
    if opener {
        m.evidence = Evidence::Apposition;
        apply_role(m, role.entry);
        apply_group(c, m, &g, role.tokens.end);
        attach_actor(c, m);
    }
    opener
}

/// Every token of the run is written as in a name: capitalised, an initial, an
/// abbreviation's period, a particle ("bin"), or a short all-capitals word.
fn capitalised_like_a_name<K: Knowledge + ?Sized>(c: &Ctx<'_, K>, r: &Range<usize>) -> bool {
    r.clone().all(|i| {
        c.toks[i].shape == Shape::Capitalized
            || c.is_initial(i)
            || c.s(i) == "."
            || c.info(i).is_particle()
            || (c.toks[i].shape == Shape::AllCaps && c.s(i).chars().count() <= 2)
    })
}

/// A verb of speech right before or after the run: "said Ahmed Aziz", "Ahmed Aziz told
/// reporters".
fn beside_verb_of_speech<K: Knowledge + ?Sized>(
    c: &Ctx<'_, K>,
    r: &Range<usize>,
    run: &Run,
    sent: &Range<usize>,
) -> bool {
    let before_verb = r.start > sent.start && c.info(r.start - 1).is_reporting_verb();
    let mut after = r.end;
    if after < sent.end && c.s(after) == "," {
        after += 1;
    }
    let after_verb = after < sent.end
        && !run.possessive
        && c.toks[after].shape == Shape::Lower
        && c.info(after).is_reporting_verb();
    before_verb || after_verb
}

/// Shape: two to four capitalised words, none a country or demonym, in running text (not a
/// menu line of capitalised words), not after "in"/"to" or next to a place ("in Kryvyi Rih",
/// "Sumy and Kryvyi Rih"), no word repeated, no title right before it.
fn has_name_shape<K: Knowledge + ?Sized>(
    c: &Ctx<'_, K>,
    r: &Range<usize>,
    rc: &RunsCtx<'_, '_>,
) -> bool {
    let sent = &rc.sentence;
    let words = r
        .clone()
        .filter(|&i| c.toks[i].kind == TokenKind::Word)
        .count();
    // a word repeated in the run (runs are short: a quadratic look is cheapest)
    let repeated = r
        .clone()
        .any(|i| (r.start..i).any(|j| c.lower(j) == c.lower(i)));
    (2..=4).contains(&words)
        && in_running_text(c, sent)
        && !next_to_place(c, r, sent)
        && !follows_a_modal(c, r, sent)
        && !repeated
        && r.clone().all(|i| {
            // a surname that is also a country's name ("Michael Jordan") is allowed
            c.toks[i].kind != TokenKind::Word
                || match c.classify(&(i..i + 1)) {
                    None => true,
                    Some(NameClass::Country { demonym: false, .. }) => i + 1 == r.end,
                    Some(_) => false,
                }
        })
        && rc.role_ending_at.get(&r.start).is_none()
}

/// A headline's verb phrase after a modal ("Deal Can Help Curb Smuggling"): no name.
fn follows_a_modal<K: Knowledge + ?Sized>(
    c: &Ctx<'_, K>,
    r: &Range<usize>,
    sent: &Range<usize>,
) -> bool {
    r.start > sent.start && is_modal(c.lower(r.start - 1))
}

/// The sentence is running text: it ends with punctuation, or at least three words in ten
/// are lower-case (not a menu line of capitalised words).
fn in_running_text<K: Knowledge + ?Sized>(c: &Ctx<'_, K>, sent: &Range<usize>) -> bool {
    let (sent_words, lower) = sent
        .clone()
        .filter(|&i| c.toks[i].kind == TokenKind::Word)
        .fold((0, 0), |(n, l), i| {
            (n + 1, l + usize::from(c.toks[i].shape == Shape::Lower))
        });
    let punctuated = sent.end > sent.start
        && matches!(
            c.s(sent.end - 1),
            "." | "!" | "?" | "\"" | "\u{201d}" | "\u{2019}"
        );
    punctuated || lower * 10 >= sent_words * 3
}

/// The run follows a locative ("in", "to") or stands beside a place with "and", "or" or a
/// comma ("Sumy and Kryvyi Rih").
fn next_to_place<K: Knowledge + ?Sized>(
    c: &Ctx<'_, K>,
    r: &Range<usize>,
    sent: &Range<usize>,
) -> bool {
    let placey = |i: usize| {
        matches!(
            c.classify(&(i..i + 1)),
            Some(NameClass::Place { .. } | NameClass::Country { demonym: false, .. })
        )
    };
    (r.start > sent.start && c.info(r.start - 1).is_locative())
        || (r.start >= sent.start + 2
            && matches!(c.lower(r.start - 1), "and" | "or" | ",")
            && placey(r.start - 2))
        || (r.end + 1 < sent.end
            && matches!(c.lower(r.end), "and" | "or" | ",")
            && placey(r.end + 1))
}

/// A modal auxiliary: what follows it is a verb, not a name.
fn is_modal(w: &str) -> bool {
    matches!(
        w,
        "can" | "could" | "will" | "would" | "shall" | "should" | "may" | "might" | "must"
    )
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::segment::segment;

    /// A small knowledge base for tests.
    #[derive(Default)]
    pub struct MapKb {
        pub classes: HashMap<String, NameClass>,
        pub actors: Vec<ActorInfo>,
    }

    impl MapKb {
        pub fn demo() -> Self {
            let mut kb = MapKb::default();
            for (s, iso, d) in [
                ("French", "FRA", true),
                ("France", "FRA", false),
                ("US", "USA", false),
                ("United States", "USA", false),
                ("American", "USA", true),
                ("UK", "GBR", false),
                ("British", "GBR", true),
                ("Russian", "RUS", true),
                ("Russia", "RUS", false),
                ("Ukraine", "UKR", false),
                ("Ukrainian", "UKR", true),
                ("Israeli", "ISR", true),
                ("Israel", "ISR", false),
                ("Jordan", "JOR", false),
                ("Norwegian", "NOR", true),
                ("Norway", "NOR", false),
            ] {
                kb.classes.insert(
                    s.into(),
                    NameClass::Country {
                        iso3: iso.into(),
                        demonym: d,
                    },
                );
            }
            for (s, cc) in [("Oslo", "NOR"), ("Paris", "FRA"), ("Geneva", "CHE")] {
                kb.classes.insert(
                    s.into(),
                    NameClass::Place {
                        country: Some(cc.into()),
                        prominent: true,
                    },
                );
            }
            kb.classes.insert(
                "Hamas".into(),
                NameClass::Organization {
                    country: Some("PSE".into()),
                },
            );
            kb.classes
                .insert("Reuters".into(), NameClass::Organization { country: None });
            kb.actors.push(ActorInfo {
                id: "actor:lena-varga".into(),
                name: "Lena Varga".into(),
                country: Some("HUN".into()),
                role: Some("foreign minister".into()),
            });
            kb
        }
    }

    impl Knowledge for MapKb {
        fn classify(&self, s: &str) -> Option<NameClass> {
            self.classes.get(s).cloned()
        }
        fn actor(&self, s: &str) -> Option<ActorInfo> {
            self.actors.iter().find(|a| a.name == s).cloned()
        }
        fn actor_by_surname(&self, s: &str) -> Option<ActorInfo> {
            let v: Vec<_> = self
                .actors
                .iter()
                .filter(|a| a.name.split_whitespace().last() == Some(s))
                .collect();
            (v.len() == 1).then(|| v[0].clone())
        }
    }

    pub fn people(text: &str) -> Vec<PersonMention> {
        let seg = segment(text);
        find_people(text, &seg, Lexicon::embedded(), &MapKb::demo())
    }

    fn summary(text: &str) -> Vec<(String, Option<String>, Option<String>)> {
        people(text)
            .into_iter()
            .map(|m| (m.text, m.role, m.country))
            .collect()
    }

    fn p(
        name: &str,
        role: Option<&str>,
        cc: Option<&str>,
    ) -> (String, Option<String>, Option<String>) {
        (
            name.to_string(),
            role.map(str::to_string),
            cc.map(str::to_string),
        )
    }

    #[test]
    fn title_before_name_with_demonym() {
        assert_eq!(
            summary("Norwegian Foreign Minister Ola Brekke arrived on Monday."),
            vec![p("Ola Brekke", Some("foreign_minister"), Some("NOR"))]
        );
        assert_eq!(
            summary("Talks with Russian President Ivan Orlov ended."),
            vec![p("Ivan Orlov", Some("president"), Some("RUS"))]
        );
        assert_eq!(
            summary("US Secretary of State Maria Delgado flew in."),
            vec![p("Maria Delgado", Some("foreign_minister"), Some("USA"))]
        );
        assert_eq!(
            summary("It was Prime Minister Tom Hale who spoke."),
            vec![p("Tom Hale", Some("prime_minister"), None)]
        );
    }

    #[test]
    fn lowercase_title_and_organisation() {
        assert_eq!(
            summary("The plan was drafted by special envoy Carl Wendt."),
            vec![p("Carl Wendt", Some("envoy"), None)]
        );
        let m = people("Hamas official Yusuf Rami denied the report.");
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].text, "Yusuf Rami");
        assert_eq!(m[0].organization.as_deref(), Some("Hamas"));
        assert_eq!(m[0].country.as_deref(), Some("PSE"));
    }

    #[test]
    fn apposition_after_and_before() {
        assert_eq!(
            summary("He met Dan Ruiz, US Defense Secretary, on Friday."),
            vec![p("Dan Ruiz", Some("defense_minister"), Some("USA"))]
        );
        assert_eq!(
            summary("Separately, the French defence minister, Paul Morel, will travel to Oslo."),
            vec![p("Paul Morel", Some("defense_minister"), Some("FRA"))]
        );
        assert_eq!(
            summary("Anna Holm, the British ambassador to Norway, declined."),
            vec![p("Anna Holm", Some("ambassador"), Some("GBR"))]
        );
    }

    #[test]
    fn possessive_chain_gives_possessor() {
        let m = people("Ukrainian President Petro Koval's chief of staff Ivan Lysak spoke.");
        let names: Vec<_> = m.iter().map(|m| m.text.as_str()).collect();
        assert_eq!(names, vec!["Petro Koval", "Ivan Lysak"]);
        assert_eq!(m[0].country.as_deref(), Some("UKR"));
        assert_eq!(m[1].role.as_deref(), Some("chief_of_staff"));
        let poss = m[1].possessor.clone().map(|r| r.len());
        assert_eq!(poss, Some(2));
        // country-possessive: "France's Foreign Minister"
        assert_eq!(
            summary("He and France's Foreign Minister Luc Bernard talked."),
            vec![p("Luc Bernard", Some("foreign_minister"), Some("FRA"))]
        );
    }

    #[test]
    fn honorific_and_reporting() {
        let m = people("Mr Okafor said the deal was close, said Amina Yusuf.");
        let names: Vec<_> = m.iter().map(|m| (m.text.as_str(), m.evidence)).collect();
        assert_eq!(
            names,
            vec![
                ("Okafor", Evidence::Honorific),
                ("Amina Yusuf", Evidence::Reporting)
            ]
        );
        assert_eq!(m[0].gender, Some(Gender::Male));
    }

    #[test]
    fn particles_initials_hyphens() {
        let m = people("Crown Prince Khalid bin Faisal met Vice President J. D. Marsh and Minister Jean-Luc van der Berg.");
        let names: Vec<_> = m.iter().map(|m| m.text.as_str()).collect();
        assert_eq!(
            names,
            vec!["Khalid bin Faisal", "J. D. Marsh", "Jean-Luc van der Berg"]
        );
    }

    #[test]
    fn not_people() {
        // places, organisations, months, sentence-initial ordinary words
        assert!(
            people("The State Department said on Monday that Paris would host talks.").is_empty()
        );
        assert!(people("Speaking to Reuters, officials in Oslo said March was calm.").is_empty());
        assert!(people("But Norway and Jordan said they would attend.").is_empty());
        // a headline's verb phrase after a modal
        let m = people("Fishing Deal Can Help Curb Smuggling, Officials Say.");
        assert!(m.iter().all(|m| !m.text.contains("Help")), "{m:?}");
        let m = people("Michael Jordan visited Jordan. King Jordan waved.");
        let names: Vec<_> = m.iter().map(|m| m.text.as_str()).collect();
        assert_eq!(names, vec!["Michael Jordan", "Jordan"]);
    }

    #[test]
    fn surnames_and_actors_spread() {
        let m = people("Envoy Carl Wendt arrived. Wendt said little. Varga agreed.");
        let got: Vec<_> = m.iter().map(|m| (m.text.as_str(), m.evidence)).collect();
        assert_eq!(
            got,
            vec![
                ("Carl Wendt", Evidence::Title),
                ("Wendt", Evidence::Surname),
                ("Varga", Evidence::Actor)
            ]
        );
        assert_eq!(m[2].country.as_deref(), Some("HUN"));
        assert_eq!(m[2].role.as_deref(), Some("foreign_minister"));
    }

    #[test]
    fn person_named_like_a_country() {
        let m = people("Israeli Defence Minister Israel Kahn said the army would respond.");
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].text, "Israel Kahn");
        assert_eq!(m[0].country.as_deref(), Some("ISR"));
    }

    #[test]
    fn fold_accents() {
        assert_eq!(fold("Jean-Noël"), fold("Jean-Noel"));
        assert_eq!(fold("Zelenskyy\u{2019}s"), "zelenskyy's");
    }
}
