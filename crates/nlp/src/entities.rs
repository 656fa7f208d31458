//! The entity pass: people (with coreference), countries, places, organisations, dates and
//! numbers of one text, with char offsets, in one flat serialisable list, plus the
//! per-sentence structures the event extractor works on ([`Analysis`]).
//!
//! Data (lexicon, gazetteer) is loaded once and shared; the pass itself is a pure function.

use chrono::NaiveDate;
use eventwire_gazetteer::{Entry, Gazetteer};
use eventwire_timex::{find_in_spans, DateMention, DateOptions, Precision, Quantity, QuantityKind};
use serde::Serialize;

use crate::coref::{resolve_with, People};
use crate::lexicon::{Lexicon, TokenWords};
use crate::people::{find_people_with, sentence_roles, MentionKind};
use crate::places::{find_places_with, GazetteerKb, PlaceMention, Reading};
use crate::segment::{segment_with, CharIndex, Segmentation};

/// What an entity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    /// A person (a name, a title standing for a named person, or a resolved pronoun).
    Person,
    /// A country: named, as a demonym (`role: "demonym"`) or as a capital standing for its
    /// government (`role: "government"`).
    Country,
    /// A city, region or feature; `role: "modifier"` when it only qualifies a noun ("the
    /// Paris talks").
    Place,
    /// An organisation.
    Organization,
    /// A date; `value` is "YYYY-MM-DD" (a week: its Monday), "YYYY-MM" or "YYYY".
    Date,
    /// A number; `value` is the number, `precision` its qualifier ("exact", "at least",
    /// "vague"...), `role` what it counts ("count", "ordinal", "year", "percent"...).
    Number,
}

/// One entity mention. Offsets are chars (code points) into the text, half-open.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entity {
    /// What it is.
    pub kind: EntityKind,
    /// Its text.
    pub text: String,
    /// Char offset of the first char.
    pub start: usize,
    /// Char offset past the last char.
    pub end: usize,
    /// Resolved value (dates: string; numbers: number).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<serde_json::Value>,
    /// Date precision ("day", "week", "month", "year") or number qualifier.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub precision: Option<String>,
    /// ISO 3166-1 alpha-3 of the country it is, is in, or is affiliated with.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Latitude (places and countries).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    /// Longitude (places and countries).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lon: Option<f64>,
    /// A person's normalised role; a country's or place's reading; a number's kind.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// Canonical name (a person's full name, a place's gazetteer name).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub canonical: Option<String>,
    /// Stable id (gazetteer key such as `iso:FRA` or `actor:emmanuel-macron`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

impl Entity {
    fn new(kind: EntityKind, text: &str, start: usize, end: usize) -> Self {
        Entity {
            kind,
            text: text.to_string(),
            start,
            end,
            value: None,
            precision: None,
            country: None,
            lat: None,
            lon: None,
            role: None,
            canonical: None,
            id: None,
        }
    }
}

/// Everything the pass found in one text.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Analysis {
    /// Sentences and tokens.
    pub segmentation: Segmentation,
    /// Person mentions and person entities (clusters).
    pub people: People,
    /// Disambiguated gazetteer matches.
    pub places: Vec<PlaceMention>,
    /// All entities in text order.
    pub entities: Vec<Entity>,
    /// For each sentence, the indices into `entities` of the entities starting in it.
    pub sentence_entities: Vec<Vec<usize>>,
    /// For each sentence whose dates and numbers were read, every quantity
    /// `eventwire_timex::find_quantities` finds in it, byte offsets into the whole text (those
    /// inside a date included, unlike the number entities); empty for the other sentences.
    #[serde(skip)]
    pub sentence_quantities: Vec<Vec<Quantity>>,
    /// The lower-case form of every token ([`Analysis::lower_words`]).
    #[serde(skip)]
    lower: LowerWords,
}

/// The lower-case forms of a text's tokens: those that differ from the text in one buffer,
/// the others as ranges of the text.
#[derive(Debug, Clone, Default)]
struct LowerWords {
    buf: String,
    /// Per token: byte range of its lower-case form, in `buf` when the flag is set, else in
    /// the text.
    spans: Vec<(usize, usize, bool)>,
}

impl LowerWords {
    fn words<'a>(&'a self, text: &'a str) -> Vec<&'a str> {
        self.spans
            .iter()
            .map(|&(a, b, in_buf)| {
                let src = if in_buf { self.buf.as_str() } else { text };
                src.get(a..b).unwrap_or("")
            })
            .collect()
    }
}

impl Analysis {
    /// The lower-case form of every token of `text` (the text the analysis was made of), the
    /// typographic apostrophe read as `'`, one per token of [`Segmentation::tokens`]. The
    /// lexicon was read with these forms.
    pub fn lower_words<'a>(&'a self, text: &'a str) -> Vec<&'a str> {
        self.lower.words(text)
    }
}

/// The entity pass over `text` with the embedded lexicon and gazetteer. `published` resolves
/// relative dates; without it only dates that carry their year are kept.
pub fn entities(text: &str, published: Option<NaiveDate>) -> Vec<Entity> {
    analyze(text, published).entities
}

/// [`entities`] with every intermediate structure.
pub fn analyze(text: &str, published: Option<NaiveDate>) -> Analysis {
    analyze_with(
        text,
        published,
        Lexicon::embedded(),
        GazetteerKb::embedded(),
    )
}

/// [`analyze`] with explicit data.
pub fn analyze_with(
    text: &str,
    published: Option<NaiveDate>,
    lex: &Lexicon,
    kb: &GazetteerKb<'_>,
) -> Analysis {
    analyze_where(text, published, lex, kb, |_, _| true)
}

/// [`analyze_with`], reading dates and numbers only in the sentences `temporal` accepts: the
/// other sentences get no date or number entity (people, places and organisations are found
/// everywhere, since coreference and place disambiguation read the whole text).
///
/// `temporal` is asked once per sentence, in order, with the sentence's index and its
/// lower-case words (as [`Analysis::lower_words`] gives them). Dates and numbers are the
/// pass's largest cost and each sentence's are its own, so a consumer that only reads some
/// sentences (the event rules read those with an event or casualty word) need not pay for
/// the rest.
pub fn analyze_where(
    text: &str,
    published: Option<NaiveDate>,
    lex: &Lexicon,
    kb: &GazetteerKb<'_>,
    temporal: impl FnMut(usize, &[&str]) -> bool,
) -> Analysis {
    let gaz = kb.gazetteer();
    let seg = segment_with(text, lex);
    let words = TokenWords::new(text, &seg.tokens, lex);
    let roles = sentence_roles(text, &seg, lex, &words);
    let names = find_people_with(text, &seg, lex, kb, &words, &roles);
    let people = resolve_with(text, &seg, lex, kb, names, &words, &roles);
    let places = find_places_with(text, &seg, gaz, &people.mentions, &words);
    let mut out: Vec<Entity> = Vec::with_capacity(people.mentions.len() + places.len() + 16);
    out.extend(person_entities(&people));
    out.extend(places.iter().map(|p| place_entity(gaz, p)));
    // dates and numbers, sentence by sentence (the sentence gives the tense)
    let (buf, spans) = words.into_lower();
    let lower = LowerWords { buf, spans };
    let read = sentences_read_for_time(text, &seg, &lower, temporal);
    let sentence_quantities = add_dates_and_numbers(text, published, lex, &seg, &read, &mut out);
    out.sort_by_key(|e| (e.start, e.end));
    let sentence_entities = entities_by_sentence(&seg, &out);
    Analysis {
        segmentation: seg,
        people,
        places,
        entities: out,
        sentence_entities,
        sentence_quantities,
        lower,
    }
}

/// The people's mentions as entities, with their cluster's role, country, canonical name and
/// id; a pronoun of a cluster with no name is left out.
fn person_entities(people: &People) -> impl Iterator<Item = Entity> + '_ {
    people.mentions.iter().filter_map(|m| {
        let c = &people.clusters[m.cluster];
        if m.kind == MentionKind::Pronoun && c.canonical.is_empty() {
            return None;
        }
        let mut e = Entity::new(EntityKind::Person, &m.text, m.char_start, m.char_end);
        e.role = c.role.clone().or_else(|| m.role.clone());
        e.country = c.country.clone().or_else(|| m.country.clone());
        e.canonical = Some(c.canonical.clone());
        e.id = c.id.clone();
        Some(e)
    })
}

/// The sentences `temporal` asks to be read for dates and numbers, given each sentence's
/// index and lower-case words.
fn sentences_read_for_time(
    text: &str,
    seg: &Segmentation,
    lower: &LowerWords,
    mut temporal: impl FnMut(usize, &[&str]) -> bool,
) -> Vec<usize> {
    let low = lower.words(text);
    seg.sentences
        .iter()
        .enumerate()
        .filter(|&(i, s)| temporal(i, low.get(s.tokens.clone()).unwrap_or_default()))
        .map(|(i, _)| i)
        .collect()
}

/// Adds the dates and numbers of sentences `read` to `out` (a number inside a date is the
/// date's); returns each sentence's quantities (empty for sentences not read).
fn add_dates_and_numbers(
    text: &str,
    published: Option<NaiveDate>,
    lex: &Lexicon,
    seg: &Segmentation,
    read: &[usize],
    out: &mut Vec<Entity>,
) -> Vec<Vec<Quantity>> {
    let idx = CharIndex::new(text);
    let reference =
        published.unwrap_or_else(|| NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default());
    let opts = DateOptions::default();
    let spans: Vec<std::ops::Range<usize>> = read
        .iter()
        .filter_map(|&i| seg.sentences.get(i))
        .map(|s| s.start..s.end)
        .collect();
    // the same as find_dates / find_quantities on each sentence's text
    let found = find_in_spans(text, &spans, reference, &opts);
    let mut date_spans: Vec<(usize, usize)> = Vec::new();
    let mut sentence_quantities = vec![Vec::new(); seg.sentences.len()];
    for (&k, found) in read.iter().zip(found) {
        let Some(s) = seg.sentences.get(k) else {
            continue;
        };
        date_spans.clear();
        for d in &found.dates {
            if published.is_none() && !has_year(&d.text) {
                continue;
            }
            let (e, span) = date_entity(lex, &idx, s.start, d);
            date_spans.push(span);
            out.push(e);
        }
        let mut quantities = found.quantities;
        for q in &mut quantities {
            q.start += s.start;
            q.end += s.start;
        }
        let outside_dates =
            |q: &&Quantity| !date_spans.iter().any(|&(x, y)| x < q.end && q.start < y);
        out.extend(
            quantities
                .iter()
                .filter(outside_dates)
                .map(|q| number_entity(&idx, q)),
        );
        if let Some(slot) = sentence_quantities.get_mut(k) {
            *slot = quantities;
        }
    }
    sentence_quantities
}

/// A date found in the sentence starting at byte `sentence_start`, as an entity, with its
/// byte span in the text; a sentence's final period is not part of the date ("on Saturday.")
/// unless it ends an abbreviation.
fn date_entity(
    lex: &Lexicon,
    idx: &CharIndex,
    sentence_start: usize,
    d: &DateMention,
) -> (Entity, (usize, usize)) {
    let (a, mut b) = (sentence_start + d.start, sentence_start + d.end);
    let mut dtext = d.text.as_str();
    if let Some(stem) = dtext.strip_suffix('.') {
        let last = stem
            .rsplit(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or("");
        if lex.abbreviation(last).is_none() {
            dtext = stem;
            b -= 1;
        }
    }
    let mut e = Entity::new(
        EntityKind::Date,
        dtext,
        idx.char_offset(a),
        idx.char_offset(b),
    );
    e.value = Some(serde_json::Value::String(d.value.clone()));
    e.precision = Some(
        match d.precision {
            Precision::Day => "day",
            Precision::Week => "week",
            Precision::Month => "month",
            Precision::Year => "year",
        }
        .to_string(),
    );
    (e, (a, b))
}

/// A quantity (byte offsets in the text) as a number entity: its value, qualifier and kind.
fn number_entity(idx: &CharIndex, q: &Quantity) -> Entity {
    let mut e = Entity::new(
        EntityKind::Number,
        &q.text,
        idx.char_offset(q.start),
        idx.char_offset(q.end),
    );
    e.value = q.value.and_then(number_value);
    e.precision = Some(q.qualifier.as_str().to_string());
    e.role = Some(quantity_kind(q.kind).to_string());
    e
}

/// For each sentence, the indices of the entities (sorted by start) that start in it.
fn entities_by_sentence(seg: &Segmentation, entities: &[Entity]) -> Vec<Vec<usize>> {
    let mut by_sentence = vec![Vec::new(); seg.sentences.len()];
    for (i, e) in entities.iter().enumerate() {
        let k = seg.sentences.partition_point(|s| s.char_end <= e.start);
        if let Some(v) = by_sentence.get_mut(k) {
            v.push(i);
        }
    }
    by_sentence
}

fn has_year(s: &str) -> bool {
    s.as_bytes()
        .windows(4)
        .any(|w| w.iter().all(u8::is_ascii_digit))
}

fn number_value(v: f64) -> Option<serde_json::Value> {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        Some(serde_json::Value::from(v as i64))
    } else {
        serde_json::Number::from_f64(v).map(serde_json::Value::Number)
    }
}

fn quantity_kind(k: QuantityKind) -> &'static str {
    match k {
        QuantityKind::Count => "count",
        QuantityKind::Ordinal => "ordinal",
        QuantityKind::Year => "year",
        QuantityKind::Time => "time",
        QuantityKind::DayOfMonth => "day_of_month",
        QuantityKind::Percent => "percent",
        QuantityKind::Money => "money",
        QuantityKind::Age => "age",
        QuantityKind::Partitive => "partitive",
    }
}

fn country_entry<'g>(gaz: &'g Gazetteer, iso3: Option<&str>) -> Option<&'g Entry> {
    gaz.country(iso3?).map(|c| gaz.entry(c.entry))
}

fn place_entity(gaz: &Gazetteer, p: &PlaceMention) -> Entity {
    let e = gaz.entry(p.entry);
    let (kind, role, shown) = match p.reading {
        Reading::Country => (EntityKind::Country, None, Some(e)),
        Reading::Demonym => (
            EntityKind::Country,
            Some("demonym"),
            country_entry(gaz, p.country.as_deref()),
        ),
        Reading::Government => (
            EntityKind::Country,
            Some("government"),
            country_entry(gaz, p.country.as_deref()),
        ),
        Reading::Place => (EntityKind::Place, None, Some(e)),
        Reading::Modifier => (EntityKind::Place, Some("modifier"), Some(e)),
        Reading::Organization => (EntityKind::Organization, None, Some(e)),
    };
    let mut out = Entity::new(kind, &p.text, p.char_start, p.char_end);
    out.country = p.country.clone();
    out.role = role.map(str::to_string);
    if let Some(s) = shown {
        out.lat = s.lat;
        out.lon = s.lon;
        out.canonical = Some(s.name.clone());
        out.id = Some(s.key.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn analyze_where_reads_dates_and_numbers_only_where_asked() {
        let text = "Officials met in Geneva on Monday, two days after the vote. \
                    Nothing happened on Tuesday. \
                    At least 12 people were killed on 3 March, the ministry said.";
        let published = date(2025, 3, 10);
        let (lex, kb) = (Lexicon::embedded(), GazetteerKb::embedded());
        let all = analyze_with(text, published, lex, kb);
        let mut asked = Vec::new();
        let some = analyze_where(text, published, lex, kb, |i, low| {
            asked.push((i, low.join(" ")));
            i != 1
        });
        // asked once per sentence, in order, with the sentence's lower-case words
        assert_eq!(asked.len(), all.segmentation.sentences.len());
        assert_eq!(asked[1].1, "nothing happened on tuesday .");
        let temporal = |k: EntityKind| matches!(k, EntityKind::Date | EntityKind::Number);
        let in_sentence = |a: &Analysis, e: &Entity| {
            a.segmentation
                .sentences
                .iter()
                .position(|s| s.char_start <= e.start && e.start < s.char_end)
        };
        // people, places and organisations everywhere, as analyze_with finds them
        let others = |a: &Analysis| -> Vec<Entity> {
            a.entities
                .iter()
                .filter(|e| !temporal(e.kind))
                .cloned()
                .collect()
        };
        assert_eq!(others(&some), others(&all));
        // dates and numbers: analyze_with's, minus those of the sentence not asked for
        let expected: Vec<&Entity> = all
            .entities
            .iter()
            .filter(|e| temporal(e.kind) && in_sentence(&all, e) != Some(1))
            .collect();
        let got: Vec<&Entity> = some.entities.iter().filter(|e| temporal(e.kind)).collect();
        assert_eq!(got, expected);
        assert!(all
            .entities
            .iter()
            .any(|e| e.text == "Tuesday" && e.kind == EntityKind::Date));
        assert!(!some.entities.iter().any(|e| e.text == "Tuesday"));
        // the raw quantities, absolute offsets, none for the sentence not asked for
        assert!(some.sentence_quantities[1].is_empty());
        let q = some.sentence_quantities[2]
            .iter()
            .find(|q| q.value == Some(12.0))
            .expect("12");
        assert_eq!(&text[q.start..q.end], "At least 12");
    }

    #[test]
    fn lower_words_fold_case_and_the_typographic_apostrophe() {
        let text = "Ukraine\u{2019}s Zelensky MET \u{00c9}mile";
        let a = analyze(text, None);
        assert_eq!(
            a.lower_words(text),
            ["ukraine", "'s", "zelensky", "met", "\u{00e9}mile"]
        );
    }

    #[test]
    fn a_news_paragraph() {
        let text = "Norwegian Foreign Minister Ola Brekke met Russian President Vladimir Putin \
                    in Moscow on Saturday. Brekke said 12 people had been freed.";
        let ents = entities(text, date(2025, 3, 10));
        let find = |t: &str| ents.iter().find(|e| e.text == t);
        let brekke = find("Ola Brekke").expect("person");
        assert_eq!(brekke.kind, EntityKind::Person);
        assert_eq!(brekke.role.as_deref(), Some("foreign_minister"));
        assert_eq!(brekke.country.as_deref(), Some("NOR"));
        assert_eq!(
            find("Brekke").and_then(|e| e.canonical.as_deref()),
            Some("Ola Brekke")
        );
        let putin = find("Vladimir Putin").expect("putin");
        assert_eq!(putin.country.as_deref(), Some("RUS"));
        let moscow = find("Moscow").expect("moscow");
        assert_eq!(moscow.kind, EntityKind::Place);
        assert!(moscow.lat.is_some());
        let sat = find("Saturday").expect("date");
        assert_eq!(sat.value, Some(serde_json::json!("2025-03-08")));
        assert_eq!(sat.precision.as_deref(), Some("day"));
        let n = find("12").expect("number");
        assert_eq!(n.value, Some(serde_json::json!(12)));
        let nor = find("Norwegian").expect("demonym");
        assert_eq!(
            (nor.kind, nor.role.as_deref()),
            (EntityKind::Country, Some("demonym"))
        );
        // char offsets
        let chars: Vec<char> = text.chars().collect();
        for e in &ents {
            let s: String = chars[e.start..e.end].iter().collect();
            assert_eq!(s, e.text);
        }
    }

    #[test]
    fn serialises_without_none_fields() {
        let ents = entities("Talks in Oslo.", None);
        let v = serde_json::to_value(&ents).unwrap_or_default();
        let oslo = &v[0];
        assert_eq!(oslo["kind"], "place");
        assert_eq!(oslo["start"], 9);
        assert!(oslo.get("value").is_none());
        assert!(oslo.get("role").is_none());
    }

    #[test]
    fn char_offsets_with_accents_and_curly_quotes() {
        let text =
            "\u{201c}We agree,\u{201d} said Jean-No\u{eb}l Barrot in Paris on 16 April 2025.";
        let ents = entities(text, None);
        let chars: Vec<char> = text.chars().collect();
        assert!(!ents.is_empty());
        for e in &ents {
            let s: String = chars[e.start..e.end].iter().collect();
            assert_eq!(s, e.text);
        }
        assert!(ents.iter().any(
            |e| e.kind == EntityKind::Date && e.value == Some(serde_json::json!("2025-04-16"))
        ));
    }

    #[test]
    fn empty_text() {
        assert!(entities("", None).is_empty());
        let a = analyze("   ", None);
        assert!(a.sentence_entities.is_empty());
    }
}
