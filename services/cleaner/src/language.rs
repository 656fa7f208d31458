//! Language of a clean body (ISO 639-1): plainly English prose by its function words, anything
//! else by whatlang's trigram model.
use std::collections::HashSet;
use std::sync::LazyLock;

use whatlang::Lang;

/// English function words no other detected language shares (`data/lexicon/english_markers.txt`).
static ENGLISH_MARKERS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("../../../data/lexicon/english_markers.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
});
/// Words of the body's start that the English test reads.
const MARKER_WINDOW_WORDS: usize = 300;
/// Share of the sample's letters that must be ASCII for the English test.
const ASCII_LETTER_SHARE: f64 = 0.97;
/// The longest marker, in bytes.
const MARKER_MAX_BYTES: usize = 8;
/// Fewer words than this are left to the detector.
const MARKER_MIN_WORDS: usize = 30;
/// Share of those words in [`ENGLISH_MARKERS`] from which a body is English.
const ENGLISH_MARKER_SHARE: f64 = 0.12;

/// The body's language as an ISO 639-1 code when the detector is confident, else None (the
/// caller then falls back to the page's declared language or "und").
pub fn detect(body: &str) -> Option<String> {
    // A few thousand characters decide it; more only costs time.
    let sample = match body.char_indices().nth(4000) {
        Some((i, _)) => &body[..i],
        None => body,
    };
    if sample.split_whitespace().count() < 5 && sample.chars().count() < 40 {
        return None;
    }
    // The trigram model costs about the same on any text (it scores every language's profile),
    // a quarter of the cleaner on short stories; most of the stream is plainly English.
    if is_plainly_english(sample) {
        return Some("en".to_string());
    }
    let info = whatlang::detect(sample)?;
    if !info.is_reliable() && info.confidence() < 0.5 {
        return None;
    }
    Some(iso639_1(info.lang()).to_string())
}

/// Whether the sample is written in ASCII letters and enough of its first words are
/// English-only function words.
fn is_plainly_english(sample: &str) -> bool {
    if !is_mostly_ascii_letters(sample) {
        return false;
    }
    let (mut words, mut markers) = (0usize, 0usize);
    for word in sample.split_whitespace().take(MARKER_WINDOW_WORDS) {
        words += 1;
        let word = word.trim_matches(|c: char| !c.is_alphabetic());
        // No marker is longer than MARKER_MAX_BYTES (tested), so longer words skip the lookup.
        if word.len() <= MARKER_MAX_BYTES
            && ENGLISH_MARKERS.contains(word.to_ascii_lowercase().as_str())
        {
            markers += 1;
        }
    }
    words >= MARKER_MIN_WORDS && markers as f64 >= ENGLISH_MARKER_SHARE * words as f64
}

/// Whether at least [`ASCII_LETTER_SHARE`] of the sample's letters are ASCII: English prose,
/// not a page in another script that quotes English product names ("Kindle for PC").
fn is_mostly_ascii_letters(sample: &str) -> bool {
    let (mut letters, mut ascii) = (0usize, 0usize);
    for c in sample.chars().filter(|c| c.is_alphabetic()) {
        letters += 1;
        ascii += usize::from(c.is_ascii());
    }
    ascii as f64 >= ASCII_LETTER_SHARE * letters as f64
}

/// ISO 639-1 for every language whatlang knows (639-3 where there is no two-letter code).
fn iso639_1(lang: Lang) -> &'static str {
    match lang {
        Lang::Epo => "eo",
        Lang::Eng => "en",
        Lang::Rus => "ru",
        Lang::Cmn => "zh",
        Lang::Spa => "es",
        Lang::Por => "pt",
        Lang::Ita => "it",
        Lang::Ben => "bn",
        Lang::Fra => "fr",
        Lang::Deu => "de",
        Lang::Ukr => "uk",
        Lang::Kat => "ka",
        Lang::Ara => "ar",
        Lang::Hin => "hi",
        Lang::Jpn => "ja",
        Lang::Heb => "he",
        Lang::Yid => "yi",
        Lang::Pol => "pl",
        Lang::Amh => "am",
        Lang::Jav => "jv",
        Lang::Kor => "ko",
        Lang::Nob => "nb",
        Lang::Dan => "da",
        Lang::Swe => "sv",
        Lang::Fin => "fi",
        Lang::Tur => "tr",
        Lang::Nld => "nl",
        Lang::Hun => "hu",
        Lang::Ces => "cs",
        Lang::Ell => "el",
        Lang::Bul => "bg",
        Lang::Bel => "be",
        Lang::Mar => "mr",
        Lang::Kan => "kn",
        Lang::Ron => "ro",
        Lang::Slv => "sl",
        Lang::Hrv => "hr",
        Lang::Srp => "sr",
        Lang::Mkd => "mk",
        Lang::Lit => "lt",
        Lang::Lav => "lv",
        Lang::Est => "et",
        Lang::Tam => "ta",
        Lang::Vie => "vi",
        Lang::Urd => "ur",
        Lang::Tha => "th",
        Lang::Guj => "gu",
        Lang::Uzb => "uz",
        Lang::Pan => "pa",
        Lang::Aze => "az",
        Lang::Ind => "id",
        Lang::Tel => "te",
        Lang::Pes => "fa",
        Lang::Mal => "ml",
        Lang::Ori => "or",
        Lang::Mya => "my",
        Lang::Nep => "ne",
        Lang::Sin => "si",
        Lang::Khm => "km",
        Lang::Tuk => "tk",
        Lang::Aka => "ak",
        Lang::Zul => "zu",
        Lang::Sna => "sn",
        Lang::Afr => "af",
        Lang::Lat => "la",
        Lang::Slk => "sk",
        Lang::Cat => "ca",
        Lang::Tgl => "tl",
        Lang::Hye => "hy",
        // Languages added to whatlang later fall back to their 639-3 code.
        #[allow(unreachable_patterns)]
        other => other.code(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_languages() {
        assert_eq!(
            detect("The ministers met in Paris on Thursday to discuss the war in Ukraine.")
                .as_deref(),
            Some("en")
        );
        assert_eq!(
            detect("Los ministros se reunieron en París el jueves para hablar de la guerra en Ucrania.")
                .as_deref(),
            Some("es")
        );
        assert_eq!(
            detect("Министры встретились в Париже в четверг, чтобы обсудить войну на Украине.")
                .as_deref(),
            Some("ru")
        );
        assert_eq!(detect("x"), None);
        assert_eq!(detect(""), None);
    }

    const ENGLISH: &str = "The two ministers said on Monday that they had agreed to meet again \
        after the talks, which were held in the capital. Officials from both sides were cautious \
        about what the meeting could achieve, and there was no sign that the border would reopen \
        this year. The foreign minister told reporters that his government was ready for more \
        talks, but she warned that their patience had limits.";

    #[test]
    fn english_prose_is_recognised_by_its_function_words() {
        assert!(is_plainly_english(ENGLISH));
        assert_eq!(detect(ENGLISH).as_deref(), Some("en"));
        // Too short to judge by the words: the detector decides.
        assert!(!is_plainly_english("The ministers met on Thursday."));
        assert!(ENGLISH_MARKERS.iter().all(|w| w.len() <= MARKER_MAX_BYTES));
        assert!(ENGLISH_MARKERS.contains("the") && !ENGLISH_MARKERS.contains("in"));
    }

    #[test]
    fn other_languages_go_to_the_detector() {
        let others = [
            (
                "nl",
                "De twee ministers zeiden maandag dat zij na de besprekingen opnieuw zouden \
              vergaderen. Het overleg was lang en de sfeer was gespannen, maar de regering is \
              bereid om verder te praten. Volgens ambtenaren is er nog geen datum voor een \
              nieuwe ronde en was de grens vandaag nog steeds gesloten voor vrachtverkeer.",
            ),
            (
                "de",
                "Die beiden Minister sagten am Montag, dass sie sich nach den Gesprächen \
              erneut treffen wollen. Die Verhandlungen waren lang und die Stimmung war \
              angespannt, aber die Regierung ist bereit, weiter zu reden. Nach Angaben von \
              Beamten gibt es noch keinen Termin für eine neue Runde und die Grenze bleibt zu.",
            ),
            (
                "fr",
                "Les deux ministres ont déclaré lundi qu'ils se réuniraient de nouveau après \
              les discussions, qui se sont tenues dans la capitale. Les responsables des deux \
              camps sont restés prudents sur ce que la réunion pourrait apporter, et rien \
              n'indique que la frontière rouvrira cette année, selon plusieurs diplomates.",
            ),
        ];
        let japanese = "Kindle for PCをインストールすると自動でホットキーが設定され、Kindle for PC \
            の設定画面からでは、このショートカットキーの設定を変更することができません。Kindle for PC \
            を使わない時はタスクバーに格納しておき、いつでも呼び出せるようにしていました。";
        assert!(!is_plainly_english(japanese));
        for (lang, text) in others {
            assert!(!is_plainly_english(text), "{lang}");
            assert_eq!(detect(text).as_deref(), Some(lang));
        }
    }
}
