//! Unit tests of the truecaser on sentences written for them.

use super::*;

const MIXED: &str = "Officials of the United Nations met in New York on Monday. The WHO said \
    that 12 people who were injured near Lyon had been flown to Paris, where Dr. Marta Quelhas \
    treated them. \"They told us the US troops left in May,\" a nurse said. Most of the wounded \
    were farmers from the villages around Lyon, and several of them were children.";

fn tc() -> &'static Truecaser {
    Truecaser::embedded()
}

fn sentence_case(s: &str) -> String {
    // the first letter of each sentence kept, everything else lower case
    let mut out = String::new();
    let mut start = true;
    for c in s.chars() {
        if c.is_alphabetic() {
            out.extend(if start {
                c.to_uppercase().collect::<Vec<_>>()
            } else {
                c.to_lowercase().collect()
            });
            start = false;
        } else {
            if matches!(c, '.' | '!' | '?') {
                start = true;
            }
            out.push(c);
        }
    }
    out
}

#[test]
fn mixed_case_text_is_returned_untouched() {
    assert_eq!(tc().style(MIXED), CaseStyle::Mixed);
    assert!(matches!(tc().restore(MIXED), Cow::Borrowed(_)));
    let short = "talks in geneva";
    assert!(matches!(tc().restore(short), Cow::Borrowed(_)));
}

#[test]
fn all_capitals_come_back_in_mixed_case() {
    let upper = MIXED.to_uppercase();
    assert_eq!(tc().style(&upper), CaseStyle::Upper);
    let restored = tc().restore(&upper);
    assert_eq!(restored.len(), upper.len());
    assert_eq!(restored, MIXED);
}

#[test]
fn sentence_case_comes_back_in_mixed_case() {
    let sent = sentence_case(MIXED);
    assert_eq!(tc().style(&sent), CaseStyle::Sentence);
    assert_eq!(tc().restore(&sent), MIXED);
}

#[test]
fn headline_case_comes_back_in_mixed_case() {
    let headline: String = MIXED
        .split(' ')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_uppercase().chain(c).collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ");
    assert_eq!(tc().style(&headline), CaseStyle::Headline);
    assert_eq!(tc().restore(&headline), MIXED);
}

#[test]
fn prose_without_names_is_not_sentence_case() {
    let text = "the committee said that the new rules would apply to every member of the \
        staff from the start of next year, and that nobody would be asked to pay more than \
        they had paid before the change was made.";
    assert_eq!(tc().style(text), CaseStyle::Mixed);
    assert!(matches!(tc().restore(text), Cow::Borrowed(_)));
}

#[test]
fn acronyms_that_are_words_follow_context() {
    let cases = [
        (
            "THE WHO WARNED OF A NEW OUTBREAK.",
            "The WHO warned of a new outbreak.",
        ),
        (
            "DOCTORS WHO WORKED THERE LEFT.",
            "Doctors who worked there left.",
        ),
        (
            "THEY TOLD US NOTHING ABOUT IT.",
            "They told us nothing about it.",
        ),
        (
            "HE MET US OFFICIALS IN THE US.",
            "He met US officials in the US.",
        ),
        ("IT WAS LATE WHEN IT ENDED.", "It was late when it ended."),
    ];
    for (upper, want) in cases {
        // padded to be long enough to judge
        let text = format!("{upper} {upper}");
        let got = tc().restore(&text);
        assert_eq!(got, format!("{want} {want}"), "{upper}");
    }
}

#[test]
fn unknown_words_are_names_and_vowelless_ones_acronyms() {
    let text = "THE ZORVANI FRONT [ZVLF] SAID GUERRILLAS ATTACKED A POST NEAR VELDORA, \
        KILLING FOUR SOLDIERS.";
    assert_eq!(
        tc().restore(text),
        "The Zorvani front [ZVLF] said guerrillas attacked a post near Veldora, killing four soldiers."
    );
}

#[test]
fn byte_offsets_are_kept_with_accents() {
    let text = "THE MINISTER VISITED BOGOTÁ AND MÉRIDA WITH ÉMILE ZORVANI FOR THREE DAYS BEFORE \
        SHE WENT BACK TO THE CAPITAL.";
    let out = tc().restore(text);
    assert_eq!(out.len(), text.len());
    for (a, b) in out.char_indices().zip(text.char_indices()) {
        assert_eq!(a.0, b.0);
    }
    assert!(
        out.contains("visited Bogotá and Mérida with Émile Zorvani"),
        "{out}"
    );
}

#[test]
fn dotted_acronyms_months_and_numbers() {
    let text = "THE U.S. ENVOY ARRIVED AT 10 A.M. ON 3 MAY 1990 WITH GEN. ROBLES AND THE 3RD \
        BRIGADE; THEY MAY LEAVE IN MARCH.";
    assert_eq!(
        tc().restore(text),
        "The U.S. envoy arrived at 10 a.m. on 3 May 1990 with Gen. Robles and the 3rd \
        brigade; they may leave in March."
    );
}

#[test]
fn the_word_list_is_well_formed() {
    let lines: Vec<&str> = WORD_CASE.lines().filter(|l| !l.starts_with('#')).collect();
    assert!(lines.len() > 30_000);
    for l in &lines {
        assert!(!l.is_empty() && l.trim() == *l && !l.contains(' '), "{l:?}");
    }
    // derived forms are found again
    let common = |w: &str| tc().is_listed_common(w);
    assert!(common("walk"));
    assert!(is_derived_common("walked", common));
    assert!(is_derived_common("negotiations", common));
    assert!(!is_derived_common("zorvani", common));
    assert!(is_derived_common("stopped", common));
    // doubled multi-byte letters are cut on char boundaries
    assert!(!is_derived_common("ぁぁぁぁぁed", common));
}

#[test]
fn restored_capitals_give_the_entities_of_the_mixed_text() {
    let key = |e: &crate::Entity| {
        (
            e.kind,
            e.start,
            e.end,
            e.canonical.clone(),
            e.country.clone(),
        )
    };
    let want: Vec<_> = crate::entities(MIXED, None).iter().map(key).collect();
    assert!(want.len() >= 6, "{want:?}");
    for copy in [MIXED.to_uppercase(), sentence_case(MIXED)] {
        let got: Vec<_> = crate::entities(&tc().restore(&copy), None)
            .iter()
            .map(key)
            .collect();
        assert_eq!(got, want, "{copy}");
    }
}

#[test]
fn other_languages_are_left_alone() {
    let pt = "A equipe do serviço de atendimento registrou nesta manhã o arrombamento de dois \
        dos cinco automóveis da unidade. Os veículos estavam sem as respectivas baterias e com \
        marcas de depredação, e a polícia foi até o local para verificar o que aconteceu em \
        Para e em Santos.";
    for text in [pt.to_string(), pt.to_uppercase()] {
        assert_eq!(tc().style(&text), CaseStyle::Mixed, "{text}");
        assert!(matches!(tc().restore(&text), Cow::Borrowed(_)));
    }
}

#[test]
fn odd_characters_keep_their_bytes() {
    // chars whose other case is longer or several chars, marks, symbols and other scripts
    let text = "THE OFFICIALS SAID THE STRAßE NEAR İZMIR WAS CLOSED, AND THE CAFE\u{301} AT \
        THE CORNER 🙂 STAYED OPEN; ΑΘΗΝΑ AND КИЕВ WERE NOT MENTIONED BY THE SPOKESMAN AT ALL.";
    assert_eq!(tc().style(text), CaseStyle::Upper);
    let out = tc().restore(text);
    assert_eq!(out.len(), text.len());
    for (a, b) in out.char_indices().zip(text.char_indices()) {
        assert_eq!(a.0, b.0);
        assert_eq!(a.1.len_utf8(), b.1.len_utf8());
    }
    assert!(out.starts_with("The officials said"), "{out}");
}
