//! Text normalisation: Unicode NFC, white space.
use unicode_normalization::UnicodeNormalization;

/// NFC, with every run of white space (including no-break spaces) folded to one space.
pub fn normalise(s: &str) -> String {
    let nfc: String = s.nfc().collect();
    nfc.split_whitespace().collect::<Vec<_>>().join(" ")
}
