//! Text normalisation: Unicode NFC, HTML entities, invisible characters, white space, and words
//! hyphenated across line breaks. Nothing else about a sentence changes: quotes, dashes and
//! spelling are the publisher's.
use unicode_normalization::{IsNormalized, UnicodeNormalization};

/// One line: HTML entities decoded (`&amp;`, `&#8217;`, `&nbsp;`), NFC, soft hyphens and
/// zero-width characters removed, control characters dropped, and every run of white space
/// (no-break spaces included) folded to one space, trimmed.
pub fn normalise(s: &str) -> String {
    let decoded = if s.contains('&') {
        html_escape::decode_html_entities(s)
    } else {
        std::borrow::Cow::Borrowed(s)
    };
    // Most lines are already NFC (all of plain ASCII is): the quick check says so without the
    // decomposition and recomposition that `nfc()` does for every character.
    if unicode_normalization::is_nfc_quick(decoded.chars()) == IsNormalized::Yes {
        fold_spaces(decoded.chars(), decoded.len())
    } else {
        fold_spaces(decoded.nfc(), decoded.len())
    }
}

/// `chars` without invisible and control characters, each run of white space one space, trimmed.
fn fold_spaces(chars: impl Iterator<Item = char>, capacity: usize) -> String {
    let mut out = String::with_capacity(capacity);
    let mut space = false;
    for c in chars {
        if is_invisible(c) {
            continue;
        }
        if c.is_whitespace() || c.is_control() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push(c);
    }
    out
}

/// Soft hyphen, zero-width space/joiners, word joiner, byte-order mark, bidi marks.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{200B}'
            | '\u{200C}'
            | '\u{200D}'
            | '\u{2060}'
            | '\u{FEFF}'
            | '\u{200E}'
            | '\u{200F}'
    )
}

/// Joins a word split by a hyphen at the end of one line with its continuation on the next:
/// "inter-" + "national talks" becomes "international talks"; a capitalised first part keeps
/// its hyphen ("Russian-" + "backed forces" becomes "Russian-backed forces"). Only lines that
/// end in letter + hyphen and continue with a lower-case letter are joined; a blank line
/// (paragraph break) is never crossed.
pub fn join_hyphenated(lines: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    for line in lines {
        if let Some(prev) = out.last_mut() {
            if let Some(keep_hyphen) = joinable(prev, &line) {
                // In place: a chain of joins stays linear in the text's length.
                if !keep_hyphen {
                    prev.pop();
                }
                prev.push_str(&line);
                continue;
            }
        }
        out.push(line);
    }
    out
}

/// Whether `prev` ends in a word broken by a hyphen that `next` continues, and if so whether
/// the hyphen stays (a capitalised first part: "Russian-backed").
fn joinable(prev: &str, next: &str) -> Option<bool> {
    let stem = prev.strip_suffix('-')?;
    let last_word = stem.rsplit(' ').next()?;
    let before = last_word.chars().last()?;
    let first = next.chars().next()?;
    if !before.is_alphabetic() || !first.is_lowercase() || last_word.len() < 2 {
        return None;
    }
    Some(last_word.chars().next().is_some_and(char::is_uppercase))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entities_nfc_invisibles_and_spaces() {
        assert_eq!(
            normalise("  Caf\u{65}\u{301}&nbsp;&amp; talks\u{00AD}&#8217;s\u{200B} \t x "),
            "Café & talks’s x"
        );
        assert_eq!(normalise("a\u{00a0}\u{00a0}b"), "a b");
        assert_eq!(normalise(""), "");
        assert_eq!(normalise("Tom & Jerry"), "Tom & Jerry");
    }

    #[test]
    fn hyphenation_across_lines() {
        let v = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            join_hyphenated(v(&["the inter-", "national talks"])),
            v(&["the international talks"])
        );
        assert_eq!(
            join_hyphenated(v(&["the Russian-", "backed forces"])),
            v(&["the Russian-backed forces"])
        );
        // A dash used as punctuation, a capitalised continuation and a number are left alone.
        assert_eq!(
            join_hyphenated(v(&["He said -", "then left", "2020-", "2021"])),
            v(&["He said -", "then left", "2020-", "2021"])
        );
        assert_eq!(
            join_hyphenated(v(&["North-", "Korea"])),
            v(&["North-", "Korea"])
        );
    }
}
