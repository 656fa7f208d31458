//! Language of a clean body (ISO 639-1), by whatlang's trigram model.
use whatlang::Lang;

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
    let info = whatlang::detect(sample)?;
    if !info.is_reliable() && info.confidence() < 0.5 {
        return None;
    }
    Some(iso639_1(info.lang()).to_string())
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
}
