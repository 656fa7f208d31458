//! The slice of Python semantics that score.py leans on, over `serde_json::Value`.
//!
//! Missing keys and JSON null are both Python's `None`, so [`get`] folds them together.
//! Where score.py would raise (a value of a type it does not expect), these helpers read the
//! value as null or empty instead; such values then never match well-formed gold.

use std::borrow::Cow;

use serde_json::Value;
use unicode_normalization::char::{canonical_combining_class, is_combining_mark};
use unicode_normalization::UnicodeNormalization;

static NULL: Value = Value::Null;

/// `d.get(key)`: null when the key is missing, or when `d` is not an object.
pub(crate) fn get<'a>(d: &'a Value, key: &str) -> &'a Value {
    match d {
        Value::Object(m) => m.get(key).unwrap_or(&NULL),
        _ => &NULL,
    }
}

/// Python's `bool(x)`.
pub(crate) fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => match num(n) {
            Num::Int(i) => i != 0,
            Num::Float(f) => f != 0.0,
        },
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(m) => !m.is_empty(),
    }
}

#[derive(Clone, Copy)]
enum Num {
    Int(i128),
    Float(f64),
}

fn num(n: &serde_json::Number) -> Num {
    if let Some(i) = n.as_i64() {
        Num::Int(i128::from(i))
    } else if let Some(u) = n.as_u64() {
        Num::Int(i128::from(u))
    } else {
        Num::Float(n.as_f64().unwrap_or(f64::NAN))
    }
}

/// Python bools are the ints 0 and 1, so `True == 1 == 1.0`.
fn as_num(v: &Value) -> Option<Num> {
    match v {
        Value::Bool(b) => Some(Num::Int(i128::from(*b))),
        Value::Number(n) => Some(num(n)),
        _ => None,
    }
}

fn num_eq(a: Num, b: Num) -> bool {
    match (a, b) {
        (Num::Int(x), Num::Int(y)) => x == y,
        (Num::Float(x), Num::Float(y)) => x == y,
        // Python compares int with float exactly, never by rounding the int to a float.
        (Num::Int(i), Num::Float(f)) | (Num::Float(f), Num::Int(i)) => {
            f.is_finite() && f.fract() == 0.0 && f.abs() < 1e38 && f as i128 == i
        }
    }
}

/// Python's `a == b` on values decoded by `json.loads`.
pub(crate) fn py_eq(a: &Value, b: &Value) -> bool {
    if let (Some(x), Some(y)) = (as_num(a), as_num(b)) {
        return num_eq(x, y);
    }
    match (a, b) {
        (Value::Null, Value::Null) => true,
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| py_eq(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| py_eq(v, w)))
        }
        _ => false,
    }
}

/// Python's `len(x)` for the types that have one (strings count code points).
pub(crate) fn py_len(v: &Value) -> Option<usize> {
    match v {
        Value::String(s) => Some(s.chars().count()),
        Value::Array(a) => Some(a.len()),
        Value::Object(m) => Some(m.len()),
        _ => None,
    }
}

/// `for x in (v or [])`: a string yields its characters and an object its keys, as in Python;
/// values Python cannot iterate yield nothing.
pub(crate) fn py_items(v: &Value) -> Vec<Cow<'_, Value>> {
    match v {
        Value::Array(a) => a.iter().map(Cow::Borrowed).collect(),
        Value::String(s) => s
            .chars()
            .map(|c| Cow::Owned(Value::String(c.to_string())))
            .collect(),
        Value::Object(m) => m
            .keys()
            .map(|k| Cow::Owned(Value::String(k.clone())))
            .collect(),
        _ => Vec::new(),
    }
}

/// `str.isspace()` per character: Rust's `char::is_whitespace` plus the ASCII information
/// separators U+001C..U+001F, which Python also splits on.
pub(crate) fn py_isspace(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// `str.split()` with no argument.
pub(crate) fn py_split(s: &str) -> impl Iterator<Item = &str> {
    s.split(py_isspace).filter(|t| !t.is_empty())
}

/// Titlecase letters (general category Lt); stable Rust has no `is_titlecase`, and the set has
/// not grown since Unicode 1.1.
fn is_titlecase(c: char) -> bool {
    matches!(c,
        '\u{1c5}' | '\u{1c8}' | '\u{1cb}' | '\u{1f2}'
        | '\u{1f88}'..='\u{1f8f}' | '\u{1f98}'..='\u{1f9f}' | '\u{1fa8}'..='\u{1faf}'
        | '\u{1fbc}' | '\u{1fcc}' | '\u{1ffc}')
}

/// `str.isupper()` for strings of two or more characters: no lower- or titlecase character and
/// at least one uppercase one ("U.S" is upper, "123" is not).
fn py_isupper(s: &str) -> bool {
    let mut cased = false;
    for c in s.chars() {
        if c.is_lowercase() || is_titlecase(c) {
            return false;
        }
        cased |= c.is_uppercase();
    }
    cased
}

/// score.py `is_code`: a three-character upper-case string (a country code).
pub(crate) fn is_code(v: &Value) -> bool {
    match v {
        Value::String(s) => s.chars().count() == 3 && py_isupper(s),
        _ => false,
    }
}

/// score.py `norm` on a string: fold compatibility forms, accents, curly quotes, dashes, case
/// and runs of white space.
pub(crate) fn norm_str(s: &str) -> String {
    let folded: String = s
        .nfkd()
        .filter(|&c| canonical_combining_class(c) == 0)
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' => '\'',
            '\u{201c}' | '\u{201d}' => '"',
            '\u{2013}' | '\u{2014}' => '-',
            c => c,
        })
        .collect();
    let lower = folded.to_lowercase();
    py_split(&lower).collect::<Vec<_>>().join(" ")
}

/// score.py `norm`: null (and, where score.py would raise, any non-string) is "".
pub(crate) fn norm(v: &Value) -> String {
    match v {
        Value::String(s) => norm_str(s),
        _ => String::new(),
    }
}

/// score.py `surname`: the last token of the normalised name, with '.' as a separator.
pub(crate) fn surname(v: &Value) -> String {
    let n = norm(v).replace('.', " ");
    py_split(&n).last().unwrap_or("").to_string()
}

/// Python's `\w` on a `str` pattern: `_` and what `str.isalnum()` accepts (letters and
/// numbers). Rust's alphabetic property also takes the marks and symbols that are
/// Other_Alphabetic (Indic vowel signs, circled and squared letters); Python does not. Checked
/// against Python 3.11 over every code point: the two agree on every character Python's Unicode
/// database assigns (Rust's newer Unicode also knows letters Python 3.11 does not).
pub(crate) fn is_word_char(c: char) -> bool {
    c == '_' || (c.is_alphanumeric() && !is_combining_mark(c) && !is_alphabetic_symbol(c))
}

/// The Other_Alphabetic symbols (So): circled, squared and negative squared Latin letters.
fn is_alphabetic_symbol(c: char) -> bool {
    matches!(c, '\u{24b6}'..='\u{24e9}' | '\u{1f130}'..='\u{1f149}' | '\u{1f150}'..='\u{1f169}' | '\u{1f170}'..='\u{1f189}')
}

/// `re.search(r"(?<!\w)" + re.escape(needle) + r"(?!\w)", hay) is not None`: `needle` occurs
/// in `hay` with no word character right before or right after it. Every start is tried, so
/// overlapping occurrences count, and an empty needle is found wherever two non-word
/// characters (or an end of `hay`) meet.
pub(crate) fn contains_whole_words(hay: &str, needle: &str) -> bool {
    let starts = hay.char_indices().map(|(i, _)| i).chain([hay.len()]);
    starts
        .filter(|&i| hay[i..].starts_with(needle))
        .any(|i| !ends_in_word(&hay[..i]) && !starts_with_word(&hay[i + needle.len()..]))
}

fn ends_in_word(s: &str) -> bool {
    s.chars().next_back().is_some_and(is_word_char)
}

fn starts_with_word(s: &str) -> bool {
    s.chars().next().is_some_and(is_word_char)
}

/// `str.strip()` emptiness, for skipping blank JSONL lines the way score.py does.
pub(crate) fn is_blank(s: &str) -> bool {
    s.chars().all(py_isspace)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn norm_folds_accents_quotes_dashes_case_and_space() {
        assert_eq!(
            norm_str("  Kyiv\u{2019}s  \u{201c}Fragile\u{201d}\u{2014}pause\u{2013}x "),
            "kyiv's \"fragile\"-pause-x"
        );
        assert_eq!(norm_str("S\u{e9}bastien Lecornu"), "sebastien lecornu");
        assert_eq!(norm_str("Se\u{301}bastien"), "sebastien");
        // NFKD turns ligatures and full-width forms into plain letters.
        assert_eq!(norm_str("\u{fb01}nal \u{ff21}"), "final a");
        // Python's split() also breaks on U+001C..U+001F and on no-break spaces.
        assert_eq!(norm_str("a\u{1c}b\u{a0}c\u{2003}d\te\n"), "a b c d e");
        assert_eq!(norm_str("Eng\n"), "eng");
        assert_eq!(norm_str("\u{130}STANBUL"), "istanbul");
        assert_eq!(norm_str("\u{3a3}\u{391}\u{3a3}"), "\u{3c3}\u{3b1}\u{3c2}");
        assert_eq!(norm(&Value::Null), "");
        assert_eq!(norm(&json!(5)), "");
    }

    #[test]
    fn surname_is_last_token_with_dots_as_spaces() {
        assert_eq!(surname(&json!("Steve Witkoff")), "witkoff");
        assert_eq!(surname(&json!("J.D.Vance")), "vance");
        assert_eq!(surname(&json!("Jean-Noel Barrot")), "barrot");
        assert_eq!(surname(&json!("Witkoff.")), "witkoff");
        assert_eq!(surname(&json!("Sébastien LECORNU ")), "lecornu");
        assert_eq!(surname(&json!("...")), "");
        assert_eq!(surname(&json!("")), "");
        assert_eq!(surname(&Value::Null), "");
    }

    #[test]
    fn is_code_follows_python_isupper() {
        for code in ["USA", "FRA", "U.S", "A12", "\u{c9}TA"] {
            assert!(is_code(&json!(code)), "{code}");
        }
        for not in ["Usa", "US", "USAF", "123", "...", "U\u{1c5}A", "", "usa"] {
            assert!(!is_code(&json!(not)), "{not}");
        }
        assert!(!is_code(&json!(123)));
        assert!(!is_code(&Value::Null));
    }

    #[test]
    fn equality_and_truthiness_are_pythons() {
        assert!(py_eq(&json!(35), &json!(35.0)));
        assert!(py_eq(&json!(1), &json!(true)));
        assert!(py_eq(&json!(0.0), &json!(false)));
        assert!(!py_eq(
            &json!(9_007_199_254_740_993_u64),
            &json!(9_007_199_254_740_992.0)
        ));
        assert!(!py_eq(&json!("35"), &json!(35)));
        assert!(py_eq(&json!({"a": [1, 2.0]}), &json!({"a": [1.0, 2]})));
        assert!(!py_eq(&json!({"a": 1}), &json!({"a": 1, "b": 2})));
        assert!(py_eq(&Value::Null, &Value::Null));
        for falsy in [
            json!(null),
            json!(false),
            json!(0),
            json!(0.0),
            json!(""),
            json!([]),
            json!({}),
        ] {
            assert!(!truthy(&falsy), "{falsy}");
        }
        for t in [
            json!(true),
            json!(-1),
            json!(0.5),
            json!(" "),
            json!([0]),
            json!({"a": null}),
        ] {
            assert!(truthy(&t), "{t}");
        }
    }

    #[test]
    fn iteration_follows_python() {
        assert_eq!(py_items(&json!("ab")).len(), 2);
        assert_eq!(py_items(&json!("ab"))[1].as_ref(), &json!("b"));
        assert_eq!(py_items(&json!({"x": 1, "y": 2})).len(), 2);
        assert!(py_items(&json!(7)).is_empty());
        assert!(py_items(&Value::Null).is_empty());
        assert_eq!(py_len(&json!("\u{e9}t\u{e9}")), Some(3));
    }
    #[test]
    fn whole_words_follow_python_regex_boundaries() {
        assert!(contains_whole_words("the eng line", "eng"));
        assert!(contains_whole_words("eng", "eng"));
        assert!(contains_whole_words("(eng)", "eng"));
        assert!(!contains_whole_words("engagement and despite", "eng"));
        assert!(!contains_whole_words("despite", "esp"));
        assert!(!contains_whole_words("eng_x", "eng"));
        assert!(!contains_whole_words("x2eng", "eng"));
        // A non-word edge of the needle still needs a non-word neighbour outside it.
        assert!(contains_whole_words("a -x b", "-x"));
        assert!(!contains_whole_words("a-x b", "-x"));
        // Overlapping occurrences are all tried: "aa" at 1 in "aaa" fails, no other start.
        assert!(!contains_whole_words("aaa", "aa"));
        assert!(contains_whole_words("aaa aa", "aa"));
        // Accented and non-Latin letters are word characters.
        assert!(!contains_whole_words("caf\u{e9}s", "caf"));
        assert!(!contains_whole_words(
            "\u{43c}\u{438}\u{440}",
            "\u{43c}\u{438}"
        ));
        // The empty needle: found where two non-word characters (or an end) meet.
        assert!(contains_whole_words("", ""));
        assert!(contains_whole_words("a  b", ""));
        assert!(!contains_whole_words("ab", ""));
        assert!(!contains_whole_words("a b", ""));
    }

    #[test]
    fn word_characters_are_pythons() {
        for c in [
            'a', 'Z', '_', '7', '\u{e9}', '\u{3b1}', '\u{4e00}', '\u{b2}', '\u{2163}',
        ] {
            assert!(is_word_char(c), "{c:?}");
        }
        // Marks (a Devanagari vowel sign, a combining acute), circled letters, punctuation.
        for c in [
            ' ', '-', '\'', '.', '\u{93e}', '\u{301}', '\u{24b6}', '\u{2044}',
        ] {
            assert!(!is_word_char(c), "{c:?}");
        }
    }
}
