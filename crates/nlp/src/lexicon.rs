//! The word lists the NLP rules read: titles and roles, abbreviations, function words and name
//! cues, embedded from `data/lexicon/` at build time and parsed once.

use std::collections::HashMap;
use std::sync::OnceLock;

use eventwire_wordmap::WordMap;

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
    /// Every listed lower-case word: which lists hold it, its abbreviation class and the role
    /// phrases starting with it (one table, so a token needs a single look-up).
    words: WordMap<WordInfo>,
    /// Role phrase lists, longest first; [`WordInfo::roles`] indexes them (plus one).
    role_lists: Vec<Vec<RoleEntry>>,
    /// Lines that failed to parse (kept, so a test can insist there are none).
    pub errors: Vec<LexiconError>,
}

/// What the lists say about one lower-case word.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct WordInfo {
    flags: u16,
    abbrev: Option<AbbrevClass>,
    /// Index plus one into `Lexicon::role_lists`; 0 when no role phrase starts with the word.
    roles: u32,
}

const FUNCTION: u16 = 1;
const PARTICLE: u16 = 1 << 1;
const SUFFIX: u16 = 1 << 2;
const ORG: u16 = 1 << 3;
const REPORTING: u16 = 1 << 4;
const MODIFIER: u16 = 1 << 5;
const ACTION: u16 = 1 << 6;
const EVENT: u16 = 1 << 7;
const LOCATIVE: u16 = 1 << 8;

impl WordInfo {
    /// A closed-class English word or a calendar word.
    pub(crate) fn is_function_word(self) -> bool {
        self.flags & FUNCTION != 0
    }
    /// May sit inside a name ("bin", "van").
    pub(crate) fn is_particle(self) -> bool {
        self.flags & PARTICLE != 0
    }
    /// Head noun of an organisation or place.
    pub(crate) fn is_org_word(self) -> bool {
        self.flags & ORG != 0
    }
    /// A verb of speech.
    pub(crate) fn is_reporting_verb(self) -> bool {
        self.flags & REPORTING != 0
    }
    /// May stand between a country and a title ("former").
    pub(crate) fn is_modifier(self) -> bool {
        self.flags & MODIFIER != 0
    }
    /// A verb whose subject acts.
    pub(crate) fn is_action_verb(self) -> bool {
        self.flags & ACTION != 0
    }
    /// A noun a place name can modify.
    pub(crate) fn is_event_noun(self) -> bool {
        self.flags & EVENT != 0
    }
    /// Introduces a location.
    pub(crate) fn is_locative(self) -> bool {
        self.flags & LOCATIVE != 0
    }
    /// Abbreviation class.
    pub(crate) fn abbreviation(self) -> Option<AbbrevClass> {
        self.abbrev
    }
}

/// Fx hashing (rustc-hash) for the word tables: fast on short keys; the tables hold fixed
/// data, so flooding is no concern.
pub(crate) use rustc_hash::FxBuildHasher;

fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end()))
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
}

/// The role phrases of `roles.tsv` by their first word, longest first; bad lines go to
/// `errors`.
fn parse_roles(text: &str, errors: &mut Vec<LexiconError>) -> HashMap<String, Vec<RoleEntry>> {
    let mut role_map: HashMap<String, Vec<RoleEntry>> = HashMap::new();
    for (n, line) in lines(text) {
        let Some(entry) = role_entry(n, line, errors) else {
            continue;
        };
        let Some(first) = entry.words.first().cloned() else {
            continue;
        };
        let list = role_map.entry(first).or_default();
        if !list.iter().any(|e| e.words == entry.words) {
            list.push(entry);
        }
    }
    for list in role_map.values_mut() {
        list.sort_by_key(|e| std::cmp::Reverse(e.words.len()));
    }
    role_map
}

/// One line of `roles.tsv`: phrase, normalised role, class, gender.
fn role_entry(n: usize, line: &str, errors: &mut Vec<LexiconError>) -> Option<RoleEntry> {
    let error = |reason: String| LexiconError {
        file: "roles.tsv",
        line: n,
        reason,
    };
    let cols: Vec<&str> = line.split('\t').collect();
    if cols.len() != 4 {
        errors.push(error(format!("expected 4 columns, found {}", cols.len())));
        return None;
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
            errors.push(error(format!("gender must be m, f or -, found {other:?}")));
            return None;
        }
    };
    Some(RoleEntry {
        words,
        role: (cols[1] != "-").then(|| cols[1].to_string()),
        class: cols[2].to_string(),
        gender,
    })
}

/// Reads a `word TAB class` file: `take` gets each line's word and class and says what is
/// wrong with them, if anything; bad lines go to `errors`, in line order.
fn read_word_classes(
    file: &'static str,
    text: &str,
    errors: &mut Vec<LexiconError>,
    mut take: impl FnMut(&str, &str) -> Result<(), String>,
) {
    for (n, line) in lines(text) {
        let mut cols = line.split('\t');
        let result = match (cols.next(), cols.next()) {
            (Some(word), Some(class)) => take(word, class),
            _ => Err("expected word TAB class".into()),
        };
        if let Err(reason) = result {
            errors.push(LexiconError {
                file,
                line: n,
                reason,
            });
        }
    }
}

/// The abbreviations of `abbreviations.txt` and how each behaves; bad lines go to `errors`.
fn parse_abbreviations(text: &str, errors: &mut Vec<LexiconError>) -> HashMap<String, AbbrevClass> {
    let mut abbrevs = HashMap::new();
    read_word_classes("abbreviations.txt", text, errors, |word, class| {
        let class = match class {
            "title" => AbbrevClass::Title,
            "month" => AbbrevClass::Month,
            "number" => AbbrevClass::Number,
            "other" => AbbrevClass::Other,
            other => return Err(format!("unknown class {other:?}")),
        };
        abbrevs.insert(word.to_lowercase(), class);
        Ok(())
    });
    abbrevs
}

/// Adds the class flags of `name_cues.tsv` to `flags`; bad lines go to `errors`.
fn add_name_cues(text: &str, flags: &mut HashMap<String, u16>, errors: &mut Vec<LexiconError>) {
    read_word_classes("name_cues.tsv", text, errors, |word, class| {
        let flag = match class {
            "particle" => PARTICLE,
            "suffix" => SUFFIX,
            "org" => ORG,
            "reporting" => REPORTING,
            "modifier" => MODIFIER,
            "action" => ACTION,
            "event" => EVENT,
            "locative" => LOCATIVE,
            other => return Err(format!("unknown class {other:?}")),
        };
        *flags.entry(word.to_lowercase()).or_default() |= flag;
        Ok(())
    });
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
        let role_map = parse_roles(roles, &mut lex.errors);
        let abbrevs = parse_abbreviations(abbreviations, &mut lex.errors);
        let mut flags: HashMap<String, u16> = HashMap::new();
        for (_, line) in lines(function_words) {
            *flags.entry(line.trim().to_lowercase()).or_default() |= FUNCTION;
        }
        add_name_cues(cues, &mut flags, &mut lex.errors);
        let mut words: HashMap<String, WordInfo> = HashMap::new();
        for (word, list) in role_map {
            lex.role_lists.push(list);
            let roles = lex.role_lists.len() as u32;
            words.entry(word).or_default().roles = roles;
        }
        for (word, class) in abbrevs {
            words.entry(word).or_default().abbrev = Some(class);
        }
        for (word, f) in flags {
            words.entry(word).or_default().flags |= f;
        }
        lex.words = WordMap::new(words);
        lex
    }

    /// Role phrases starting with lower-case `word`, longest first.
    pub fn roles_starting(&self, word: &str) -> &[RoleEntry] {
        self.words
            .get(word)
            .map(|i| self.roles_of(*i))
            .unwrap_or_default()
    }

    /// The single-word role or honorific `word` (lower case), if listed.
    pub fn role_word(&self, word: &str) -> Option<&RoleEntry> {
        self.roles_starting(word)
            .iter()
            .find(|e| e.words.len() == 1)
    }

    /// Class of abbreviation `word` (any case, without its period).
    pub fn abbreviation(&self, word: &str) -> Option<AbbrevClass> {
        self.folded(word).abbrev
    }

    /// Whether `word` (any case) is a closed-class English word or a calendar word.
    pub fn is_function_word(&self, word: &str) -> bool {
        self.folded(word).flags & FUNCTION != 0
    }

    /// Whether `word` may sit inside a name ("bin", "van", "al").
    pub fn is_particle(&self, word: &str) -> bool {
        self.folded(word).flags & PARTICLE != 0
    }

    /// Whether `word` ends a name ("Jr", "III").
    pub fn is_name_suffix(&self, word: &str) -> bool {
        self.folded(word).flags & SUFFIX != 0
    }

    /// Whether `word` is the head noun of an organisation or place ("Ministry", "News").
    pub fn is_org_word(&self, word: &str) -> bool {
        self.folded(word).flags & ORG != 0
    }

    /// Whether `word` may stand between a country and a title ("former", "acting").
    pub fn is_modifier(&self, word: &str) -> bool {
        self.folded(word).flags & MODIFIER != 0
    }

    /// Whether `word` is a verb whose subject acts ("rejected", "has", "wants").
    pub fn is_action_verb(&self, word: &str) -> bool {
        self.folded(word).flags & ACTION != 0
    }

    /// Whether `word` is a noun a place name can modify ("talks", "agreement").
    pub fn is_event_noun(&self, word: &str) -> bool {
        self.folded(word).flags & EVENT != 0
    }

    /// Whether `word` introduces a location ("in", "visited").
    pub fn is_locative(&self, word: &str) -> bool {
        self.folded(word).flags & LOCATIVE != 0
    }

    /// Whether `word` is a verb of speech ("said", "told").
    pub fn is_reporting_verb(&self, word: &str) -> bool {
        self.folded(word).flags & REPORTING != 0
    }

    /// What the lists say about `lower`, a word already in lower case (`str::to_lowercase`).
    pub(crate) fn info(&self, lower: &str) -> WordInfo {
        self.words.get(lower).copied().unwrap_or_default()
    }

    /// The role phrases of a word's [`WordInfo`], longest first.
    pub(crate) fn roles_of(&self, info: WordInfo) -> &[RoleEntry] {
        match info.roles.checked_sub(1) {
            Some(i) => self
                .role_lists
                .get(i as usize)
                .map(Vec::as_slice)
                .unwrap_or_default(),
            None => &[],
        }
    }

    /// What the lists say about `word` in any case.
    fn folded(&self, word: &str) -> WordInfo {
        if word.bytes().all(|b| b.is_ascii_lowercase()) {
            self.info(word)
        } else {
            self.info(&word.to_lowercase())
        }
    }
}

/// The lower-case form (the typographic apostrophe read as `'`) and the lexicon facts of every
/// token of one text, computed once and read by index.
#[derive(Debug, Clone, Default)]
pub(crate) struct TokenWords<'t> {
    text: &'t str,
    /// Lower-case forms that differ from the text.
    buf: String,
    /// Per token: byte range of its lower-case form, in `buf` when the flag is set, else in
    /// the text.
    lower: Vec<(usize, usize, bool)>,
    info: Vec<WordInfo>,
}

impl<'t> TokenWords<'t> {
    /// Reads every token of `toks` (made from `text`).
    pub(crate) fn new(text: &'t str, toks: &[crate::segment::Token], lex: &Lexicon) -> Self {
        let mut w = TokenWords {
            text,
            buf: String::with_capacity(text.len() / 4),
            lower: Vec::with_capacity(toks.len()),
            info: Vec::with_capacity(toks.len()),
        };
        for t in toks {
            let s = t.text(text);
            let at = if s.is_ascii() {
                if s.bytes().any(|b| b.is_ascii_uppercase()) {
                    let a = w.buf.len();
                    w.buf.push_str(s);
                    w.buf[a..].make_ascii_lowercase();
                    (a, w.buf.len(), true)
                } else {
                    let a = t.start.min(text.len());
                    (a, a + s.len(), false)
                }
            } else {
                let a = w.buf.len();
                w.buf.push_str(&s.to_lowercase().replace('\u{2019}', "'"));
                (a, w.buf.len(), true)
            };
            w.lower.push(at);
            let lower = w.get(at);
            let info = lex.info(lower);
            w.info.push(info);
        }
        w
    }

    /// The lower-case forms, given up: the buffer and, per token, its range in the buffer
    /// (flag set) or in the text.
    pub(crate) fn into_lower(self) -> (String, Vec<(usize, usize, bool)>) {
        (self.buf, self.lower)
    }

    fn get(&self, (a, b, in_buf): (usize, usize, bool)) -> &str {
        if in_buf {
            self.buf.get(a..b).unwrap_or("")
        } else {
            self.text.get(a..b).unwrap_or("")
        }
    }

    /// The lower-case text of token `i` ("" past the end).
    pub(crate) fn lower(&self, i: usize) -> &str {
        self.lower.get(i).map(|&at| self.get(at)).unwrap_or("")
    }

    /// The lexicon facts of token `i` (none past the end).
    pub(crate) fn info(&self, i: usize) -> WordInfo {
        self.info.get(i).copied().unwrap_or_default()
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
