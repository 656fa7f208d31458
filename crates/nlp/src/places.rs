//! Gazetteer matches read in context: which of several same-named places is meant ("Georgia"
//! the country or the US state), whether a capital stands for its government ("Moscow
//! rejected the plan", "Washington and Kyiv") or a location ("talks in Moscow"), whether a
//! place name only modifies a noun ("the Paris talks"), and which capitalised names are people
//! rather than places ("Israel Katz", "Michael Jordan").

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::OnceLock;

use eventwire_gazetteer::{Entry, EntryId, Gazetteer, Kind};

use crate::lexicon::{FxBuildHasher, Lexicon, TokenWords};
use crate::people::{fold, ActorInfo, Knowledge, MentionKind, NameClass, PersonMention};
use crate::segment::{Segmentation, TokenKind};

/// The people finder's view of the gazetteer, with an index of actors' surnames.
#[derive(Debug)]
pub struct GazetteerKb<'g> {
    gaz: &'g Gazetteer,
    surnames: HashMap<String, Vec<EntryId>, FxBuildHasher>,
    /// Actors by the accent- and case-folded form of each of their names and aliases.
    folded: HashMap<String, Vec<EntryId>, FxBuildHasher>,
}

impl<'g> GazetteerKb<'g> {
    /// Wraps `gaz`, indexing actors by the last word of their names and aliases.
    pub fn new(gaz: &'g Gazetteer) -> Self {
        let mut surnames: HashMap<String, Vec<EntryId>, FxBuildHasher> = HashMap::default();
        let mut folded: HashMap<String, Vec<EntryId>, FxBuildHasher> = HashMap::default();
        for e in gaz.entries().iter().filter(|e| e.kind == Kind::Actor) {
            let mut keys: HashSet<String> = HashSet::new();
            for n in std::iter::once(&e.name).chain(e.aliases.iter()) {
                if let Some(last) = n.split_whitespace().last() {
                    keys.insert(fold(last));
                }
                let ids = folded.entry(fold(n)).or_default();
                if !ids.contains(&e.id) {
                    ids.push(e.id);
                }
            }
            for k in keys {
                surnames.entry(k).or_default().push(e.id);
            }
        }
        GazetteerKb {
            gaz,
            surnames,
            folded,
        }
    }

    /// The gazetteer.
    pub fn gazetteer(&self) -> &'g Gazetteer {
        self.gaz
    }
}

impl GazetteerKb<'static> {
    /// The knowledge base over [`Gazetteer::embedded`], built once.
    pub fn embedded() -> &'static GazetteerKb<'static> {
        static KB: OnceLock<GazetteerKb<'static>> = OnceLock::new();
        KB.get_or_init(|| GazetteerKb::new(Gazetteer::global()))
    }
}

fn actor_info(e: &Entry) -> ActorInfo {
    ActorInfo {
        id: e.key.clone(),
        name: e.name.clone(),
        country: e.country.clone(),
        role: e.role.clone(),
    }
}

/// The non-person reading of a gazetteer entry.
pub fn name_class(e: &Entry) -> Option<NameClass> {
    match e.kind {
        Kind::Country => Some(NameClass::Country {
            iso3: e.country.clone()?,
            demonym: false,
        }),
        Kind::Demonym => Some(NameClass::Country {
            iso3: e.country.clone()?,
            demonym: true,
        }),
        Kind::City | Kind::Region | Kind::Feature => Some(NameClass::Place {
            country: e.country.clone(),
            prominent: e.kind != Kind::City
                || e.capital_of.is_some()
                || e.population.is_some_and(|p| p >= 1_000_000),
        }),
        Kind::Organization => Some(NameClass::Organization {
            country: e.country.clone(),
        }),
        Kind::Actor => None,
    }
}

impl Knowledge for GazetteerKb<'_> {
    fn classify(&self, surface: &str) -> Option<NameClass> {
        self.gaz
            .lookup_ids(surface)
            .iter()
            .map(|id| self.gaz.entry(*id))
            .filter(|e| e.kind != Kind::Actor)
            .max_by(|a, b| a.prior.total_cmp(&b.prior).then(b.id.cmp(&a.id)))
            .and_then(name_class)
    }

    fn actor(&self, surface: &str) -> Option<ActorInfo> {
        let mut v: Vec<&Entry> = self
            .gaz
            .lookup_ids(surface)
            .iter()
            .map(|id| self.gaz.entry(*id))
            .filter(|e| e.kind == Kind::Actor)
            .collect();
        if v.is_empty() {
            // accents and spelling: "Jean-Noel Barrot" for "Jean-Noël Barrot": the actors of
            // that surname with a name or alias that folds to the same.
            // Most runs name no actor at all: with no actor of that folded name, the surname
            // filter below keeps nothing. For a short ASCII surface (fold is lower-casing
            // then) that is told from a copy on the stack, without allocating the fold.
            let mut buf = [0u8; 64];
            if let Some(b) = buf.get_mut(..surface.len()).filter(|_| surface.is_ascii()) {
                b.copy_from_slice(surface.as_bytes());
                b.make_ascii_lowercase();
                if std::str::from_utf8(b).is_ok_and(|k| !self.folded.contains_key(k)) {
                    return None;
                }
            }
            let key = fold(surface);
            let last = key.split_whitespace().last()?;
            let same_name = self.folded.get(&key).map(Vec::as_slice).unwrap_or_default();
            v = self
                .surnames
                .get(last)
                .into_iter()
                .flatten()
                .filter(|id| same_name.contains(id))
                .map(|id| self.gaz.entry(*id))
                .collect();
        }
        v.sort_by(|a, b| b.prior.total_cmp(&a.prior).then(a.id.cmp(&b.id)));
        v.first().map(|e| actor_info(e))
    }

    fn actor_by_surname(&self, surname: &str) -> Option<ActorInfo> {
        let ids = self.surnames.get(&fold(surname))?;
        let mut distinct: Vec<EntryId> = ids.clone();
        distinct.dedup();
        (distinct.len() == 1).then(|| actor_info(self.gaz.entry(distinct[0])))
    }
}

/// How a place name is read in its sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reading {
    /// A country named as such.
    Country,
    /// A demonym ("French"): gives the country.
    Demonym,
    /// A location (city, region, feature).
    Place,
    /// A capital standing for its government ("Moscow rejected"): the country acts.
    Government,
    /// A place name modifying a noun ("the Paris talks").
    Modifier,
    /// An organisation.
    Organization,
}

/// A gazetteer match kept after disambiguation.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PlaceMention {
    /// Sentence index.
    pub sentence: usize,
    /// Token range.
    pub tokens: Range<usize>,
    /// Byte offset.
    pub start: usize,
    /// Byte offset past the end.
    pub end: usize,
    /// Char offset.
    pub char_start: usize,
    /// Char offset past the end.
    pub char_end: usize,
    /// Surface text.
    pub text: String,
    /// Chosen entry (for [`Reading::Government`], the capital's city entry).
    #[serde(skip)]
    pub entry: EntryId,
    /// Chosen entry's stable key.
    pub key: String,
    /// How it is read.
    pub reading: Reading,
    /// ISO3 of the country it is in or stands for.
    pub country: Option<String>,
}

/// Finds and disambiguates place, country, demonym and organisation names. Spans inside a
/// person's name are skipped (pass the resolved person mentions).
pub fn find_places(
    text: &str,
    seg: &Segmentation,
    lex: &Lexicon,
    gaz: &Gazetteer,
    people: &[PersonMention],
) -> Vec<PlaceMention> {
    let words = TokenWords::new(text, &seg.tokens, lex);
    find_places_with(text, seg, gaz, people, &words)
}

/// [`find_places`] with the token table of `seg` already made.
pub(crate) fn find_places_with(
    text: &str,
    seg: &Segmentation,
    gaz: &Gazetteer,
    people: &[PersonMention],
    words: &TokenWords<'_>,
) -> Vec<PlaceMention> {
    let cands = place_candidates(text, seg, gaz, people);
    // Context: distinct sub-national places per country. First from unambiguous matches, then
    // once more from the choices that context made ("Savannah" next to "Atlanta" is in the US,
    // and both make "Georgia" the state).
    let unambiguous: Vec<Option<EntryId>> = cands
        .iter()
        .map(|c| (c.ents.len() == 1).then(|| c.ents[0]))
        .collect();
    let first = choose_entries(gaz, &cands, &local_places(gaz, &unambiguous));
    let chosen = choose_entries(gaz, &cands, &local_places(gaz, &first));
    cands
        .into_iter()
        .zip(chosen)
        .filter_map(|(c, best)| Some(place_mention(text, seg, words, gaz, c, best?)))
        .collect()
}

/// A gazetteer match that may be a place: its tokens and the entries it may stand for.
struct Candidate {
    m: eventwire_gazetteer::Match,
    tokens: Range<usize>,
    ents: Vec<EntryId>,
}

/// The gazetteer's matches that may be places: capitalised, not inside a person's name, with
/// an entry other than an actor, on whole tokens.
fn place_candidates(
    text: &str,
    seg: &Segmentation,
    gaz: &Gazetteer,
    people: &[PersonMention],
) -> Vec<Candidate> {
    let toks = &seg.tokens;
    let in_person = |a: usize, b: usize| {
        people
            .iter()
            .any(|m| m.kind == MentionKind::Name && m.start < b && a < m.end)
    };
    let mut cands: Vec<Candidate> = Vec::new();
    for m in gaz.find(text) {
        if in_person(m.start, m.end) {
            continue;
        }
        // names are capitalised; a lower-case hit is an ordinary word
        if text[m.start..]
            .chars()
            .next()
            .is_some_and(char::is_lowercase)
        {
            continue;
        }
        let ents: Vec<EntryId> = m
            .candidates
            .iter()
            .copied()
            .filter(|id| gaz.entry(*id).kind != Kind::Actor)
            .collect();
        if ents.is_empty() {
            continue;
        }
        let t0 = toks.partition_point(|t| t.end <= m.start);
        let mut t1 = t0;
        while t1 < toks.len() && toks[t1].start < m.end {
            t1 += 1;
        }
        if t0 >= t1 {
            continue;
        }
        cands.push(Candidate {
            tokens: t0..t1,
            m,
            ents,
        });
    }
    cands
}

/// Distinct sub-national places (cities and regions that are no capital) per country code.
type LocalPlaces = HashMap<String, HashSet<EntryId>, FxBuildHasher>;

/// The sub-national places among `chosen`, by country.
fn local_places(gaz: &Gazetteer, chosen: &[Option<EntryId>]) -> LocalPlaces {
    let mut local: LocalPlaces = HashMap::default();
    for id in chosen.iter().flatten() {
        let e = gaz.entry(*id);
        if matches!(e.kind, Kind::City | Kind::Region) && e.capital_of.is_none() {
            if let Some(cc) = &e.country {
                local.entry(cc.clone()).or_default().insert(e.id);
            }
        }
    }
    local
}

/// How many places of entry `id`'s country, other than the candidate's own entries, the
/// text names.
fn local_support(gaz: &Gazetteer, local: &LocalPlaces, id: EntryId, c: &Candidate) -> usize {
    gaz.entry(id)
        .country
        .as_ref()
        .and_then(|cc| local.get(cc))
        .map(|s| s.iter().filter(|&&x| !c.ents.contains(&x)).count())
        .unwrap_or(0)
}

/// Each candidate's entry: the highest prior plus a bonus for every other place of its country
/// in the text; a country or a capital is overturned only on two or more supporting places.
fn choose_entries(
    gaz: &Gazetteer,
    cands: &[Candidate],
    local: &LocalPlaces,
) -> Vec<Option<EntryId>> {
    cands
        .iter()
        .map(|c| {
            c.ents
                .iter()
                .map(|&id| {
                    let bonus = local_support(gaz, local, id, c) as f32;
                    (id, gaz.entry(id).prior + 25.0 * bonus)
                })
                .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
                .map(|(id, _)| {
                    let top = c.ents[0];
                    let t = gaz.entry(top);
                    let protected = t.kind == Kind::Country || t.capital_of.is_some();
                    if id != top && protected && local_support(gaz, local, id, c) < 2 {
                        top
                    } else {
                        id
                    }
                })
        })
        .collect()
}

/// The mention of candidate `c` read as entry `best`: a country, a demonym, an organisation,
/// or a place (a capital may stand for its government: [`capital_reading`]). A place name
/// before an event noun still names the country ("the Ukraine talks").
fn place_mention(
    text: &str,
    seg: &Segmentation,
    words: &TokenWords<'_>,
    gaz: &Gazetteer,
    c: Candidate,
    best: EntryId,
) -> PlaceMention {
    let toks = &seg.tokens;
    let e = gaz.entry(best);
    let sentence = seg.sentence_of_token(c.tokens.start).unwrap_or(0);
    let mut reading = match e.kind {
        Kind::Country => Reading::Country,
        Kind::Demonym => Reading::Demonym,
        Kind::Organization => Reading::Organization,
        _ => Reading::Place,
    };
    let mut country = e.country.clone();
    if reading == Reading::Place {
        let sent_start = seg
            .sentences
            .get(sentence)
            .map(|s| s.tokens.start)
            .unwrap_or(0);
        match capital_reading(text, seg, words, gaz, &c.tokens, sent_start, e) {
            Some(Reading::Government) => {
                reading = Reading::Government;
                country = e.capital_of.clone().or(country);
            }
            Some(r) => reading = r,
            None => {}
        }
    }
    let (a, b) = (&toks[c.tokens.start], &toks[c.tokens.end - 1]);
    PlaceMention {
        sentence,
        start: c.m.start,
        end: c.m.end,
        char_start: a.char_start + text[a.start..c.m.start.max(a.start)].chars().count(),
        char_end: b.char_end - text[c.m.end.min(b.end)..b.end].chars().count(),
        text: text[c.m.start..c.m.end].to_string(),
        tokens: c.tokens,
        entry: best,
        key: e.key.clone(),
        reading,
        country,
    }
}

/// Reading of a city in context: a capital as its government, any place as a modifier of an
/// event noun, else `None` (a location).
fn capital_reading(
    text: &str,
    seg: &Segmentation,
    words: &TokenWords<'_>,
    gaz: &Gazetteer,
    r: &Range<usize>,
    sent_start: usize,
    e: &Entry,
) -> Option<Reading> {
    let toks = &seg.tokens;
    let word = |i: usize| toks.get(i).map(|t| t.text(text)).unwrap_or("");
    let prev = (r.start > sent_start).then(|| word(r.start - 1));
    let mut n = r.end;
    let possessive = toks.get(n).is_some_and(|t| t.kind == TokenKind::Possessive);
    if possessive {
        n += 1;
    }
    let next = word(n);
    // the lexicon facts of the previous and next words (none past either end)
    let prev_info = (r.start > sent_start).then(|| words.info(r.start - 1));
    let next_info = words.info(n);
    let located = prev_info.is_some_and(|p| p.is_locative());
    // "the Paris talks", "the Minsk agreement"
    if !possessive
        && next_info.is_event_noun()
        && toks
            .get(n)
            .is_some_and(|t| t.shape == crate::segment::Shape::Lower)
    {
        return Some(Reading::Modifier);
    }
    e.capital_of.as_ref()?;
    if located {
        return None;
    }
    if possessive {
        return Some(Reading::Government);
    }
    // "Moscow rejected", "Washington said", "Beijing has"
    if next_info.is_reporting_verb() || next_info.is_action_verb() {
        return Some(Reading::Government);
    }
    // "Washington and Kyiv", "between Moscow and Kyiv": coordinated with a country or capital
    let coordinated = |i: usize| -> bool {
        let w = word(i);
        !w.is_empty()
            && gaz.lookup_ids(w).iter().any(|id| {
                let x = gaz.entry(*id);
                x.kind == Kind::Country || x.capital_of.is_some()
            })
    };
    if next == "and" && coordinated(n + 1) && !located {
        return Some(Reading::Government);
    }
    if prev == Some("and") && r.start >= 2 + sent_start && coordinated(r.start - 2) {
        let before_locative = r.start >= 3 + sent_start && words.info(r.start - 3).is_locative();
        if !before_locative {
            return Some(Reading::Government);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::segment;

    fn read(text: &str) -> Vec<(String, Reading, Option<String>)> {
        let gaz = Gazetteer::embedded();
        let seg = segment(text);
        find_places(text, &seg, Lexicon::embedded(), gaz, &[])
            .into_iter()
            .map(|p| (p.text, p.reading, p.country))
            .collect()
    }

    fn has(v: &[(String, Reading, Option<String>)], t: &str, r: Reading, cc: &str) -> bool {
        v.iter()
            .any(|(x, rr, c)| x == t && *rr == r && c.as_deref() == Some(cc))
    }

    #[test]
    fn capitals_as_governments_or_places() {
        let v = read("Moscow rejected the proposal, while talks in Moscow continued.");
        assert!(has(&v, "Moscow", Reading::Government, "RUS"), "{v:?}");
        assert!(has(&v, "Moscow", Reading::Place, "RUS"), "{v:?}");
        let v = read("Washington and Kyiv signed a deal. He flew to Washington.");
        assert!(has(&v, "Washington", Reading::Government, "USA"), "{v:?}");
        assert!(has(&v, "Washington", Reading::Place, "USA"), "{v:?}");
        let v = read("Kyiv's position hardened.");
        assert!(has(&v, "Kyiv", Reading::Government, "UKR"), "{v:?}");
    }

    #[test]
    fn modifiers_demonyms_possessives() {
        let v = read("The Paris talks ended. French troops left Ukraine's east.");
        assert!(has(&v, "Paris", Reading::Modifier, "FRA"), "{v:?}");
        assert!(has(&v, "French", Reading::Demonym, "FRA"), "{v:?}");
        assert!(has(&v, "Ukraine", Reading::Country, "UKR"), "{v:?}");
    }

    #[test]
    fn georgia_follows_context() {
        let v = read("Protesters gathered in Tbilisi and across Georgia.");
        assert!(has(&v, "Georgia", Reading::Country, "GEO"), "{v:?}");
        let v = read("Voters in Atlanta, Savannah and Augusta decided Georgia's race.");
        assert!(
            v.iter().any(|(t, r, c)| t == "Georgia"
                && *r == Reading::Place
                && c.as_deref() == Some("USA")),
            "{v:?}"
        );
    }

    #[test]
    fn knowledge_over_gazetteer() {
        let kb = GazetteerKb::embedded();
        assert!(matches!(
            kb.classify("French"),
            Some(NameClass::Country { demonym: true, .. })
        ));
        assert!(matches!(
            kb.classify("Paris"),
            Some(NameClass::Place {
                prominent: true,
                ..
            })
        ));
        assert_eq!(kb.classify("Qwertyuiop"), None);
    }
}
