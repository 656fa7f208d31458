//! The word lists the NLP rules read: titles and roles, abbreviations, function words and name
//! cues, embedded from `data/lexicon/` at build time and parsed once.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

const ROLES: &str = include_str!("../../../data/lexicon/roles.tsv");
const ABBREVIATIONS: &str = include_str!("../../../data/lexicon/abbreviations.txt");
const FUNCTION_WORDS: &str = include_str!("../../../data/lexicon/function_words.txt");
const NAME_CUES: &str = include_str!("../../../data/lexicon/name_cues.tsv");

/// How an abbreviation behaves before a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AbbrevClass {
    /// Precedes a name or place and never ends a sentence ("Gen.", "St.").
    Title,
    /// A month ("Feb."): ends a sentence unless a number follows.
    Month,
    /// "No." before a numeral.
    Number,
    /// May end a sentence ("Inc.", "Jr.").
    Other,
}

/// Grammatical gender carried by a title or honorific.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    /// Male.
    Male,
    /// Female.
    Female,
}

/// One title or role phrase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleEntry {
    /// Lower-case words of the phrase, periods removed ("lt. gen." -> ["lt", "gen"]).
    pub words: Vec<String>,
    /// Normalised role ("foreign_minister"); `None` for honorifics.
    pub role: Option<String>,
    /// Class ("head_of_state", "minister", "envoy", "honorific", ...).
    pub class: String,
    /// Gender the title implies, if any.
    pub gender: Option<Gender>,
}

impl RoleEntry {
    /// Whether this entry is an honorific (Mr, Ms, Dr...).
    pub fn is_honorific(&self) -> bool {
        self.class == "honorific"
    }
}

/// A line of an embedded list that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {reason}")]
pub struct LexiconError {
    /// File name.
    pub file: &'static str,
    /// 1-based line number.
    pub line: usize,
    /// What is wrong.
    pub reason: String,
}

/// All lists, parsed.
#[derive(Debug, Default)]
pub struct Lexicon {
    roles: HashMap<String, Vec<RoleEntry>>,
    abbreviations: HashMap<String, AbbrevClass>,
    function_words: HashSet<String>,
    particles: HashSet<String>,
    suffixes: HashSet<String>,
    org_words: HashSet<String>,
    reporting: HashSet<String>,
    modifiers: HashSet<String>,
    actions: HashSet<String>,
    events: HashSet<String>,
    locatives: HashSet<String>,
    /// Lines that failed to parse (kept, so a test can insist there are none).
    pub errors: Vec<LexiconError>,
}

fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end()))
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
}

impl Lexicon {
    /// The lexicon built into the crate (parsed on first use).
    pub fn embedded() -> &'static Lexicon {
        static LEX: OnceLock<Lexicon> = OnceLock::new();
        LEX.get_or_init(|| Lexicon::parse(ROLES, ABBREVIATIONS, FUNCTION_WORDS, NAME_CUES))
    }

    /// Parses the four lists; unreadable lines are skipped and recorded in `errors`.
    pub fn parse(roles: &str, abbreviations: &str, function_words: &str, cues: &str) -> Lexicon {
        let mut lex = Lexicon::default();
        for (n, line) in lines(roles) {
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() != 4 {
                lex.errors.push(LexiconError {
                    file: "roles.tsv",
                    line: n,
                    reason: format!("expected 4 columns, found {}", cols.len()),
                });
                continue;
            }
            let words: Vec<String> = cols[0]
                .split_whitespace()
                .map(|w| w.trim_end_matches('.').to_lowercase())
                .filter(|w| !w.is_empty())
                .collect();
            let gender = match cols[3] {
                "m" => Some(Gender::Male),
                "f" => Some(Gender::Female),
                "-" => None,
                other => {
                    lex.errors.push(LexiconError {
                        file: "roles.tsv",
                        line: n,
                        reason: format!("gender must be m, f or -, found {other:?}"),
                    });
                    continue;
                }
            };
            let Some(first) = words.first().cloned() else {
                continue;
            };
            let entry = RoleEntry {
                words,
                role: (cols[1] != "-").then(|| cols[1].to_string()),
                class: cols[2].to_string(),
                gender,
            };
            let list = lex.roles.entry(first).or_default();
            if !list.iter().any(|e| e.words == entry.words) {
                list.push(entry);
            }
        }
        for list in lex.roles.values_mut() {
            list.sort_by_key(|e| std::cmp::Reverse(e.words.len()));
        }
        for (n, line) in lines(abbreviations) {
            let mut cols = line.split('\t');
            let (Some(word), Some(class)) = (cols.next(), cols.next()) else {
                lex.errors.push(LexiconError {
                    file: "abbreviations.txt",
                    line: n,
                    reason: "expected word TAB class".into(),
                });
                continue;
            };
            let class = match class {
                "title" => AbbrevClass::Title,
                "month" => AbbrevClass::Month,
                "number" => AbbrevClass::Number,
                "other" => AbbrevClass::Other,
                other => {
                    lex.errors.push(LexiconError {
                        file: "abbreviations.txt",
                        line: n,
                        reason: format!("unknown class {other:?}"),
                    });
                    continue;
                }
            };
            lex.abbreviations.insert(word.to_lowercase(), class);
        }
        for (_, line) in lines(function_words) {
            lex.function_words.insert(line.trim().to_lowercase());
        }
        for (n, line) in lines(cues) {
            let mut cols = line.split('\t');
            let (Some(word), Some(class)) = (cols.next(), cols.next()) else {
                lex.errors.push(LexiconError {
                    file: "name_cues.tsv",
                    line: n,
                    reason: "expected word TAB class".into(),
                });
                continue;
            };
            let set = match class {
                "particle" => &mut lex.particles,
                "suffix" => &mut lex.suffixes,
                "org" => &mut lex.org_words,
                "reporting" => &mut lex.reporting,
                "modifier" => &mut lex.modifiers,
                "action" => &mut lex.actions,
                "event" => &mut lex.events,
                "locative" => &mut lex.locatives,
                other => {
                    lex.errors.push(LexiconError {
                        file: "name_cues.tsv",
                        line: n,
                        reason: format!("unknown class {other:?}"),
                    });
                    continue;
                }
            };
            set.insert(word.to_lowercase());
        }
        lex
    }

    /// Role phrases starting with lower-case `word`, longest first.
    pub fn roles_starting(&self, word: &str) -> &[RoleEntry] {
        self.roles.get(word).map(Vec::as_slice).unwrap_or_default()
    }

    /// The single-word role or honorific `word` (lower case), if listed.
    pub fn role_word(&self, word: &str) -> Option<&RoleEntry> {
        self.roles_starting(word)
            .iter()
            .find(|e| e.words.len() == 1)
    }

    /// Class of abbreviation `word` (any case, without its period).
    pub fn abbreviation(&self, word: &str) -> Option<AbbrevClass> {
        if word.bytes().all(|b| b.is_ascii_lowercase()) {
            return self.abbreviations.get(word).copied();
        }
        self.abbreviations.get(&word.to_lowercase()).copied()
    }

    /// Whether `word` (any case) is a closed-class English word or a calendar word.
    pub fn is_function_word(&self, word: &str) -> bool {
        contains_folded(&self.function_words, word)
    }

    /// Whether `word` may sit inside a name ("bin", "van", "al").
    pub fn is_particle(&self, word: &str) -> bool {
        contains_folded(&self.particles, word)
    }

    /// Whether `word` ends a name ("Jr", "III").
    pub fn is_name_suffix(&self, word: &str) -> bool {
        contains_folded(&self.suffixes, word)
    }

    /// Whether `word` is the head noun of an organisation or place ("Ministry", "News").
    pub fn is_org_word(&self, word: &str) -> bool {
        contains_folded(&self.org_words, word)
    }

    /// Whether `word` may stand between a country and a title ("former", "acting").
    pub fn is_modifier(&self, word: &str) -> bool {
        contains_folded(&self.modifiers, word)
    }

    /// Whether `word` is a verb whose subject acts ("rejected", "has", "wants").
    pub fn is_action_verb(&self, word: &str) -> bool {
        contains_folded(&self.actions, word)
    }

    /// Whether `word` is a noun a place name can modify ("talks", "agreement").
    pub fn is_event_noun(&self, word: &str) -> bool {
        contains_folded(&self.events, word)
    }

    /// Whether `word` introduces a location ("in", "visited").
    pub fn is_locative(&self, word: &str) -> bool {
        contains_folded(&self.locatives, word)
    }

    /// Whether `word` is a verb of speech ("said", "told").
    pub fn is_reporting_verb(&self, word: &str) -> bool {
        contains_folded(&self.reporting, word)
    }
}

fn contains_folded(set: &HashSet<String>, word: &str) -> bool {
    if word.bytes().all(|b| b.is_ascii_lowercase()) {
        set.contains(word)
    } else {
        set.contains(&word.to_lowercase())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_lists_parse_cleanly() {
        let lex = Lexicon::embedded();
        assert_eq!(lex.errors, vec![]);
        assert_eq!(lex.abbreviation("Gen"), Some(AbbrevClass::Title));
        assert_eq!(lex.abbreviation("Feb"), Some(AbbrevClass::Month));
        assert_eq!(lex.abbreviation("Putin"), None);
        assert!(lex.is_function_word("The"));
        assert!(lex.is_particle("bin"));
        assert!(lex.is_reporting_verb("said"));
        assert!(lex.is_org_word("Ministry"));
    }

    #[test]
    fn roles_longest_first_and_normalised() {
        let lex = Lexicon::embedded();
        let p = lex.roles_starting("prime");
        assert_eq!(p[0].role.as_deref(), Some("prime_minister"));
        let s = lex.roles_starting("secretary");
        assert!(s[0].words.len() >= s[s.len() - 1].words.len());
        assert!(s.iter().any(|e| e.words == ["secretary", "of", "state"]
            && e.role.as_deref() == Some("foreign_minister")));
        let d: Vec<_> = lex
            .roles_starting("defence")
            .iter()
            .chain(lex.roles_starting("defense"))
            .filter_map(|e| e.role.as_deref())
            .collect();
        assert!(d.iter().all(|r| *r == "defense_minister"));
        assert_eq!(lex.role_word("mr").map(|e| e.is_honorific()), Some(true));
        assert_eq!(
            lex.role_word("queen").and_then(|e| e.gender),
            Some(Gender::Female)
        );
        // "lt. col." is stored without periods
        assert!(lex
            .roles_starting("lt")
            .iter()
            .any(|e| e.words == ["lt", "col"]));
    }

    #[test]
    fn bad_lines_are_reported() {
        let lex = Lexicon::parse("president\tpresident\n", "mr\twhatever\n", "", "x\ty\n");
        assert_eq!(lex.errors.len(), 3);
    }
}
