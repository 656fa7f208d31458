//! The event rules' word lists. Each list is a data file under `data/lexicon/events/`, with a
//! header saying what it is for, embedded at build time and parsed once; the rule code asks
//! for a list by name ([`List`]) and never holds words of its own.
//!
//! File format: `#` comment lines, then one entry a line, `phrase<TAB>class`. A phrase is one
//! or more lower-case words separated by single spaces; the class says what the phrase means
//! in that list (for a plain set of words, the class is the list's own name).

use std::sync::OnceLock;

use eventwire_wordmap::WordMap;

/// A word list of the event rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum List {
    /// Words that report people killed, wounded, shot or missing, by outcome and form.
    CasualtyWords,
    /// Nouns naming who a casualty figure counts, by victim group.
    VictimNouns,
    /// Weapons and means of attack, by normalised weapon name.
    Weapons,
    /// Nouns of attack: a country or group right before them is the perpetrator.
    AttackNouns,
    /// Nouns for people, by grammatical number and gender.
    PersonNouns,
    /// "double", "triple": how many victims an attack noun after them had.
    VictimMultipliers,
    /// Attack nouns after a multiplier ("double shooting"), by outcome.
    MultiVictimNouns,
    /// Phrases with a casualty word that report no casualty ("dead end").
    CasualtyIdioms,
    /// Causes of death or injury other than violence, by cause.
    NonViolentCauses,
    /// Phrases that make a toll cumulative over a period.
    CumulativeCues,
    /// Words stepped over between victims and their casualty word.
    CasualtySkipWords,
    /// Words that end a victim phrase.
    PhraseBoundaries,
    /// Quantity words that state no figure ("several").
    UncountedQuantities,
    /// Determiners and pronouns of a victim phrase, by what they tell.
    VictimDeterminers,
    /// Words that make a casualty word a threat or an attempt ("threatened to kill").
    CasualtyHedges,
    /// Plural nouns that count things, not people ("years", "pesos").
    NonPersonUnits,
    /// Words for a war or a long conflict ("war", "insurgency").
    WarWords,
    /// Words and phrases that evoke a diplomatic event, by how they do it.
    DiplomaticTriggers,
    /// Nouns naming an agreement ("signed a treaty").
    AgreementNouns,
    /// Words before an agreement noun that name an agreement in force ("has a deal with").
    StandingAgreementWords,
    /// Status cues before a diplomatic trigger, by cue.
    StatusCues,
    /// Adjectives dating a diplomatic noun ("recent", "upcoming"): past or future.
    EventNounModifiers,
    /// Nouns for people acting for a state or bloc: one person or collective.
    GroupNouns,
    /// Adjectives of regions and blocs that make a group with a group noun.
    BlocAdjectives,
    /// Verbs that carry a diplomatic noun ("held talks").
    SupportVerbs,
    /// Objects that make "meet" mean something other than meeting people.
    NonEventObjects,
    /// Verbs of reporting.
    ReportingVerbs,
    /// Words that may stand right before a verb trigger without being its subject.
    VerbLeadWords,
    /// Closed-class words by the grammatical roles they play (several per word).
    GrammarWords,
    /// Words right after a casualty verb that open no object ("shot twice", "killed last").
    NonObjectWords,
}

impl List {
    /// Every list, in declaration order.
    pub const ALL: &'static [List] = &[
        List::CasualtyWords,
        List::VictimNouns,
        List::Weapons,
        List::AttackNouns,
        List::PersonNouns,
        List::VictimMultipliers,
        List::MultiVictimNouns,
        List::CasualtyIdioms,
        List::NonViolentCauses,
        List::CumulativeCues,
        List::CasualtySkipWords,
        List::PhraseBoundaries,
        List::UncountedQuantities,
        List::VictimDeterminers,
        List::CasualtyHedges,
        List::NonPersonUnits,
        List::WarWords,
        List::DiplomaticTriggers,
        List::AgreementNouns,
        List::StandingAgreementWords,
        List::StatusCues,
        List::EventNounModifiers,
        List::GroupNouns,
        List::BlocAdjectives,
        List::SupportVerbs,
        List::NonEventObjects,
        List::ReportingVerbs,
        List::VerbLeadWords,
        List::GrammarWords,
        List::NonObjectWords,
    ];

    /// The file name under `data/lexicon/events/` and its embedded contents.
    fn source(self) -> (&'static str, &'static str) {
        macro_rules! file {
            ($name:literal) => {
                (
                    $name,
                    include_str!(concat!("../../../data/lexicon/events/", $name)),
                )
            };
        }
        match self {
            List::CasualtyWords => file!("casualty_words.tsv"),
            List::VictimNouns => file!("victim_nouns.tsv"),
            List::Weapons => file!("weapons.tsv"),
            List::AttackNouns => file!("attack_nouns.tsv"),
            List::PersonNouns => file!("person_nouns.tsv"),
            List::VictimMultipliers => file!("victim_multipliers.tsv"),
            List::MultiVictimNouns => file!("multi_victim_nouns.tsv"),
            List::CasualtyIdioms => file!("casualty_idioms.tsv"),
            List::NonViolentCauses => file!("non_violent_causes.tsv"),
            List::CumulativeCues => file!("cumulative_cues.tsv"),
            List::CasualtySkipWords => file!("casualty_skip_words.tsv"),
            List::PhraseBoundaries => file!("phrase_boundaries.tsv"),
            List::UncountedQuantities => file!("uncounted_quantities.tsv"),
            List::VictimDeterminers => file!("victim_determiners.tsv"),
            List::CasualtyHedges => file!("casualty_hedges.tsv"),
            List::NonPersonUnits => file!("non_person_units.tsv"),
            List::WarWords => file!("war_words.tsv"),
            List::DiplomaticTriggers => file!("diplomatic_triggers.tsv"),
            List::AgreementNouns => file!("agreement_nouns.tsv"),
            List::StandingAgreementWords => file!("standing_agreement_words.tsv"),
            List::StatusCues => file!("status_cues.tsv"),
            List::EventNounModifiers => file!("event_noun_modifiers.tsv"),
            List::GroupNouns => file!("group_nouns.tsv"),
            List::BlocAdjectives => file!("bloc_adjectives.tsv"),
            List::SupportVerbs => file!("support_verbs.tsv"),
            List::NonEventObjects => file!("non_event_objects.tsv"),
            List::ReportingVerbs => file!("reporting_verbs.tsv"),
            List::VerbLeadWords => file!("verb_lead_words.tsv"),
            List::GrammarWords => file!("grammar_words.tsv"),
            List::NonObjectWords => file!("non_object_words.tsv"),
        }
    }

    fn index(self) -> usize {
        List::ALL.iter().position(|&l| l == self).unwrap_or(0)
    }
}

/// A grammatical role a closed-class word can play, as `grammar_words.tsv` names it (its
/// header says what each is for).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Be,
    GerundPreposition,
    Determiner,
    AdjectiveSlot,
    CallModifier,
    RoundDeterminer,
    ParticipantPreposition,
    EventNoun,
    ClauseOpener,
    CommaClauseOpener,
    Relative,
    EmbeddingWord,
    IrregularPast,
    PlacePreposition,
    PluralSide,
    Possessive,
    Article,
    Demonstrative,
    FramePreposition,
    FrontedOpener,
    ClosesParticipants,
    TellVerb,
    CaptionPosition,
    PeriodBound,
    DestinationPreposition,
    LocationPreposition,
    ContrastClause,
    SubjectPronoun,
}

impl Role {
    /// Every role, in bit order.
    pub const ALL: &'static [Role] = &[
        Role::Be,
        Role::GerundPreposition,
        Role::Determiner,
        Role::AdjectiveSlot,
        Role::CallModifier,
        Role::RoundDeterminer,
        Role::ParticipantPreposition,
        Role::EventNoun,
        Role::ClauseOpener,
        Role::CommaClauseOpener,
        Role::Relative,
        Role::EmbeddingWord,
        Role::IrregularPast,
        Role::PlacePreposition,
        Role::PluralSide,
        Role::Possessive,
        Role::Article,
        Role::Demonstrative,
        Role::FramePreposition,
        Role::FrontedOpener,
        Role::ClosesParticipants,
        Role::TellVerb,
        Role::CaptionPosition,
        Role::PeriodBound,
        Role::DestinationPreposition,
        Role::LocationPreposition,
        Role::ContrastClause,
        Role::SubjectPronoun,
    ];

    /// The role's name in the data file.
    pub fn name(self) -> &'static str {
        match self {
            Role::Be => "be",
            Role::GerundPreposition => "gerund-preposition",
            Role::Determiner => "determiner",
            Role::AdjectiveSlot => "adjective-slot",
            Role::CallModifier => "call-modifier",
            Role::RoundDeterminer => "round-determiner",
            Role::ParticipantPreposition => "participant-preposition",
            Role::EventNoun => "event-noun",
            Role::ClauseOpener => "clause-opener",
            Role::CommaClauseOpener => "comma-clause-opener",
            Role::Relative => "relative",
            Role::EmbeddingWord => "embedding-word",
            Role::IrregularPast => "irregular-past",
            Role::PlacePreposition => "place-preposition",
            Role::PluralSide => "plural-side",
            Role::Possessive => "possessive",
            Role::Article => "article",
            Role::Demonstrative => "demonstrative",
            Role::FramePreposition => "frame-preposition",
            Role::FrontedOpener => "fronted-opener",
            Role::ClosesParticipants => "closes-participants",
            Role::TellVerb => "tell-verb",
            Role::CaptionPosition => "caption-position",
            Role::PeriodBound => "period-bound",
            Role::DestinationPreposition => "destination-preposition",
            Role::LocationPreposition => "location-preposition",
            Role::ContrastClause => "contrast-clause",
            Role::SubjectPronoun => "subject-pronoun",
        }
    }

    fn bit(self) -> u64 {
        1 << (self as u32)
    }

    fn named(name: &str) -> Option<Role> {
        Role::ALL.iter().copied().find(|r| r.name() == name)
    }
}

/// A line of a word list that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {reason}")]
pub struct WordListError {
    pub file: &'static str,
    pub line: usize,
    pub reason: &'static str,
}

/// One parsed list: single words in a word table, longer phrases by their first word.
#[derive(Debug, Default)]
pub struct WordTable {
    words: WordMap<Box<str>>,
    /// Phrases of two words or more, longest first: (words, class).
    phrases: Vec<(Vec<Box<str>>, Box<str>)>,
    /// First words of the phrases, for a quick "starts no phrase" answer.
    phrase_starts: WordMap<()>,
}

impl WordTable {
    /// Parses a list's text; bad lines are returned beside the table.
    pub fn parse(file: &'static str, text: &str) -> (WordTable, Vec<WordListError>) {
        let mut words = Vec::new();
        let mut phrases = Vec::new();
        let mut errors = Vec::new();
        for (n, raw) in text.lines().enumerate() {
            let line = raw.trim_end();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let error = |reason| WordListError {
                file,
                line: n + 1,
                reason,
            };
            let Some((phrase, class)) = line.split_once('\t') else {
                errors.push(error("expected phrase<TAB>class"));
                continue;
            };
            let class = class.trim();
            if class.is_empty() || phrase.is_empty() || phrase.contains("  ") {
                errors.push(error("empty phrase or class, or a double space"));
                continue;
            }
            if phrase.chars().any(char::is_uppercase) {
                errors.push(error("phrases are lower case"));
                continue;
            }
            let parts: Vec<Box<str>> = phrase.split(' ').map(Box::from).collect();
            if parts.len() == 1 {
                words.push((Box::<str>::from(phrase), Box::<str>::from(class)));
            } else {
                phrases.push((parts, Box::<str>::from(class)));
            }
        }
        phrases.sort_by_key(|(p, _)| std::cmp::Reverse(p.len()));
        let phrase_starts = WordMap::new(phrases.iter().map(|(p, _)| (p[0].clone(), ())));
        let table = WordTable {
            words: WordMap::new(words),
            phrases,
            phrase_starts,
        };
        (table, errors)
    }

    /// The class of a single word, if the list holds it.
    #[inline]
    pub fn class(&self, word: &str) -> Option<&str> {
        self.words.get(word).map(|c| &**c)
    }

    /// Whether an entry (a single word or a longer phrase) starts with `word`.
    #[inline]
    pub fn starts_entry(&self, word: &str) -> bool {
        self.contains(word) || self.phrase_starts.get(word).is_some()
    }

    /// Whether the list holds the single word.
    #[inline]
    pub fn contains(&self, word: &str) -> bool {
        self.words.get(word).is_some()
    }

    /// The longest entry starting at `low[i]` (phrases before single words): its class and
    /// its length in words.
    pub fn entry_at(&self, low: &[&str], i: usize) -> Option<(&str, usize)> {
        let first = *low.get(i)?;
        if self.phrase_starts.get(first).is_some() {
            for (parts, class) in &self.phrases {
                let fits = parts
                    .iter()
                    .enumerate()
                    .all(|(o, p)| low.get(i + o).is_some_and(|w| *w == &**p));
                if fits {
                    return Some((class, parts.len()));
                }
            }
        }
        self.class(first).map(|c| (c, 1))
    }
}

struct Tables {
    tables: Vec<WordTable>,
    /// Each grammar word's roles, one bit per [`Role`].
    roles: WordMap<u64>,
    errors: Vec<WordListError>,
}

/// The roles of each word of a `grammar_words.tsv` text, as bits; unknown role names are
/// errors.
fn parse_roles(file: &'static str, text: &str, errors: &mut Vec<WordListError>) -> WordMap<u64> {
    let mut words = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end();
        let Some((word, names)) = line.split_once('\t').filter(|_| !line.starts_with('#')) else {
            continue;
        };
        let mut bits = 0u64;
        for name in names.split(',') {
            match Role::named(name.trim()) {
                Some(role) => bits |= role.bit(),
                None => errors.push(WordListError {
                    file,
                    line: n + 1,
                    reason: "unknown grammatical role",
                }),
            }
        }
        words.push((Box::<str>::from(word), bits));
    }
    WordMap::new(words)
}

static TABLES: OnceLock<Tables> = OnceLock::new();

fn tables() -> &'static Tables {
    TABLES.get_or_init(|| {
        let mut errors = Vec::new();
        let tables = List::ALL
            .iter()
            .map(|l| {
                let (file, text) = l.source();
                let (t, e) = WordTable::parse(file, text);
                errors.extend(e);
                t
            })
            .collect();
        let (file, text) = List::GrammarWords.source();
        let roles = parse_roles(file, text, &mut errors);
        Tables {
            tables,
            roles,
            errors,
        }
    })
}

/// Why the word lists of a data directory could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigureError {
    #[error("reading {path}: {source}")]
    Io {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("{} bad line(s) in the word lists, first: {first}", .count)]
    BadLines { count: usize, first: WordListError },
}

/// Installs the event word lists of `data_dir` (a directory laid out like `data/`): each list
/// whose file is under `lexicon/events/` there replaces the compiled-in one; the others stay.
/// Returns how many files were read. Call it before the first article is tagged; a later call
/// keeps what is in place. A bad line is an error (the lists are then not installed).
pub fn configure(data_dir: &std::path::Path) -> Result<usize, ConfigureError> {
    let mut tables = Vec::with_capacity(List::ALL.len());
    let mut errors = Vec::new();
    let mut roles = WordMap::default();
    let mut read = 0;
    for l in List::ALL {
        let (file, embedded) = l.source();
        let path = data_dir.join("lexicon/events").join(file);
        let text = if path.exists() {
            read += 1;
            std::fs::read_to_string(&path).map_err(|source| ConfigureError::Io { path, source })?
        } else {
            embedded.to_string()
        };
        let (t, e) = WordTable::parse(file, &text);
        errors.extend(e);
        tables.push(t);
        if *l == List::GrammarWords {
            roles = parse_roles(file, &text, &mut errors);
        }
    }
    if let Some(first) = errors.first().cloned() {
        return Err(ConfigureError::BadLines {
            count: errors.len(),
            first,
        });
    }
    let _ = TABLES.set(Tables {
        tables,
        roles,
        errors,
    });
    Ok(read)
}

/// The embedded list `list`.
pub fn list(list: List) -> &'static WordTable {
    &tables().tables[list.index()]
}

/// Whether closed-class `word` can play grammatical `role` ([`List::GrammarWords`]).
#[inline]
pub fn has_role(word: &str, role: Role) -> bool {
    tables()
        .roles
        .get(word)
        .is_some_and(|bits| bits & role.bit() != 0)
}

/// Lines of the embedded lists that could not be read (a test insists there are none).
pub fn errors() -> &'static [WordListError] {
    &tables().errors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_list_parses_and_is_not_empty() {
        assert_eq!(errors(), &[] as &[WordListError]);
        for &l in List::ALL {
            let t = list(l);
            assert!(
                !t.words.is_empty() || !t.phrases.is_empty(),
                "{:?} is empty",
                l
            );
        }
    }

    #[test]
    fn finds_the_longest_entry_at_a_word() {
        let (t, errors) = WordTable::parse(
            "test",
            "# a test list\ncar\tvehicle\ncar bomb\tbomb\nbomb\tbomb\nBad\tx\nnotab\n",
        );
        assert_eq!(errors.len(), 2, "{errors:?}");
        let low = ["a", "car", "bomb", "car"];
        assert_eq!(t.entry_at(&low, 1), Some(("bomb", 2)));
        assert_eq!(t.entry_at(&low, 3), Some(("vehicle", 1)));
        assert_eq!(t.entry_at(&low, 0), None);
        assert_eq!(t.entry_at(&low, 9), None);
        assert!(t.contains("bomb") && !t.contains("car bomb"));
    }

    #[test]
    fn a_word_plays_each_of_its_roles() {
        let mut errors = Vec::new();
        let roles = parse_roles(
            "test",
            "# h\nin\tplace-preposition,frame-preposition\nat\tnowhere\n",
            &mut errors,
        );
        assert_eq!(errors.len(), 1, "{errors:?}");
        let bits = roles.get("in").copied().unwrap_or_default();
        assert_ne!(bits & Role::PlacePreposition.bit(), 0);
        assert_ne!(bits & Role::FramePreposition.bit(), 0);
        assert_eq!(bits & Role::Article.bit(), 0);
        assert!(has_role("the", Role::Determiner) && !has_role("the", Role::Relative));
        assert!(has_role("towards", Role::PlacePreposition));
    }

    #[test]
    fn every_role_is_in_the_file() {
        for &role in Role::ALL {
            let (_, text) = List::GrammarWords.source();
            assert!(
                text.lines().any(|l| l
                    .split('\t')
                    .nth(1)
                    .is_some_and(|r| r.split(',').any(|x| x == role.name()))),
                "{role:?} has no word"
            );
        }
        assert!(Role::ALL.len() <= 64);
    }
}
