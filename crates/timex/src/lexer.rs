//! Splits text into word, number and punctuation tokens with byte offsets, the common input of
//! the number and date grammars.

/// What a token is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Letters (apostrophes inside a word are kept: "valentine's", "b'av").
    Word,
    /// A run of ASCII digits.
    Num,
    /// A run of digits with an ordinal suffix: "24th", "1st".
    OrdNum,
    /// Any other single non-space character.
    Punct,
}

/// One token of the input.
#[derive(Debug, Clone)]
pub(crate) struct Token {
    pub kind: Kind,
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
    /// Lower-cased text for words (curly apostrophes folded to `'`), digits for numbers, the
    /// character for punctuation.
    pub norm: String,
    /// Whether white space separates this token from the previous one (true for the first).
    pub space_before: bool,
    /// The word starts with an upper-case letter.
    pub capitalized: bool,
}

impl Token {
    /// The numeric value of a `Num` or `OrdNum` token.
    pub fn num(&self) -> Option<u64> {
        match self.kind {
            Kind::Num | Kind::OrdNum => {
                let digits: &str = self
                    .norm
                    .trim_end_matches(|c: char| c.is_ascii_alphabetic());
                if digits.len() > 15 {
                    return None;
                }
                digits.parse().ok()
            }
            _ => None,
        }
    }

    /// Whether this is the word (or punctuation) `s`.
    pub fn is(&self, s: &str) -> bool {
        self.norm == s
    }
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '\u{2019}'
}

/// Tokenizes `text`. Never fails; every non-space character belongs to exactly one token.
pub(crate) fn tokenize(text: &str) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::new();
    let mut iter = text.char_indices().peekable();
    let mut space = true;
    while let Some((i, c)) = iter.next() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if c.is_ascii_digit() {
            let mut end = i + 1;
            while let Some(&(j, d)) = iter.peek() {
                if d.is_ascii_digit() {
                    end = j + 1;
                    iter.next();
                } else {
                    break;
                }
            }
            let mut kind = Kind::Num;
            // Ordinal suffix glued to the digits, not followed by more letters.
            let rest = &text[end..];
            let lower: String = rest
                .chars()
                .take(3)
                .collect::<String>()
                .to_ascii_lowercase();
            for suf in ["st", "nd", "rd", "th"] {
                if lower.starts_with(suf)
                    && !rest[2..].chars().next().is_some_and(|c| c.is_alphabetic())
                {
                    kind = Kind::OrdNum;
                    end += 2;
                    iter.next();
                    iter.next();
                    break;
                }
            }
            out.push(Token {
                kind,
                start: i,
                end,
                norm: text[i..end].to_ascii_lowercase(),
                space_before: space,
                capitalized: false,
            });
        } else if c.is_alphabetic() {
            let mut end = i + c.len_utf8();
            let mut norm = String::new();
            norm.extend(c.to_lowercase());
            loop {
                match iter.peek() {
                    Some(&(j, d)) if d.is_alphabetic() => {
                        norm.extend(d.to_lowercase());
                        end = j + d.len_utf8();
                        iter.next();
                    }
                    Some(&(j, d)) if is_apostrophe(d) => {
                        // Keep an apostrophe followed by a letter inside the word.
                        let after = text[j + d.len_utf8()..].chars().next();
                        if after.is_some_and(|a| a.is_alphabetic()) {
                            norm.push('\'');
                            end = j + d.len_utf8();
                            iter.next();
                        } else {
                            break;
                        }
                    }
                    _ => break,
                }
            }
            out.push(Token {
                kind: Kind::Word,
                start: i,
                end,
                norm,
                space_before: space,
                capitalized: c.is_uppercase(),
            });
        } else {
            let norm = match c {
                '\u{2013}' | '\u{2014}' | '\u{2212}' => "-".to_string(),
                c if is_apostrophe(c) => "'".to_string(),
                c => c.to_string(),
            };
            out.push(Token {
                kind: Kind::Punct,
                start: i,
                end: i + c.len_utf8(),
                norm,
                space_before: space,
                capitalized: false,
            });
        }
        space = false;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_words_numbers_and_ordinals() {
        let t = tokenize("On 24th, valentine\u{2019}s 14april 4:00pm Feb13");
        let norms: Vec<&str> = t.iter().map(|t| t.norm.as_str()).collect();
        assert_eq!(
            norms,
            [
                "on",
                "24th",
                ",",
                "valentine's",
                "14",
                "april",
                "4",
                ":",
                "00",
                "pm",
                "feb",
                "13"
            ]
        );
        assert_eq!(t[1].kind, Kind::OrdNum);
        assert_eq!(t[1].num(), Some(24));
        assert!(t[0].capitalized);
        assert!(!t[5].space_before);
    }

    #[test]
    fn offsets_are_byte_offsets() {
        let text = "é 12";
        let t = tokenize(text);
        assert_eq!(&text[t[1].start..t[1].end], "12");
    }

    #[test]
    fn suffix_followed_by_letters_is_not_ordinal() {
        let t = tokenize("5thousand");
        assert_eq!(t[0].kind, Kind::Num);
        assert_eq!(t[1].norm, "thousand");
    }
}
