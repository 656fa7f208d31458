//! The matching rules of score.py: one function per Python function of the same name, with short
//! helpers named for the part of a rule they decide.

use std::borrow::Cow;

use serde_json::Value;

use crate::py::{
    contains_whole_words, get, is_code, norm, py_eq, py_items, py_len, surname, truthy,
};

/// `kind_class`: meet and negotiate are one class, "talks".
fn kind_class(k: &Value) -> Cow<'_, Value> {
    match k {
        Value::String(s) if s == "meet" || s == "negotiate" => Cow::Owned(Value::from("talks")),
        other => Cow::Borrowed(other),
    }
}

/// `close`: surnames equal, or one edit apart when both have six letters or more
/// ("zelenskyy" / "zelensky"; "putin" / "puton" are too short to be forgiven).
pub(crate) fn close(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().min(b.len()) < 6 || a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let (a, b) = if a.len() > b.len() { (b, a) } else { (a, b) };
    let i = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let dropped = a[i..] == b[(i + 1).min(b.len())..];
    let swapped = a.len() == b.len() && a[(i + 1).min(a.len())..] == b[(i + 1).min(b.len())..];
    dropped || swapped
}

/// A predicted participant's fields as score.py reads them; a bare string is a name.
struct Participant<'a> {
    name: &'a Value,
    /// Lower-cased; "" when missing or not a string.
    kind: String,
    country: &'a Value,
}

impl<'a> Participant<'a> {
    fn read(p: &'a Value) -> Self {
        if p.is_string() {
            return Participant {
                name: p,
                kind: String::new(),
                country: &Value::Null,
            };
        }
        let kind = match get(p, "kind") {
            Value::String(s) => s.to_lowercase(),
            _ => String::new(),
        };
        Participant {
            name: get(p, "name"),
            kind,
            country: get(p, "country"),
        }
    }
}

/// `part_matches`: does predicted participant `p` stand for gold participant `g`?
pub(crate) fn part_matches(g: &Value, p: &Value) -> bool {
    let p = Participant::read(p);
    if is_code(g) {
        stands_for_country(g, &p)
    } else {
        stands_for_named(g, &p)
    }
}

/// A gold country code: a country-like participant with that `country`, a participant named
/// by the code, or an unnamed non-person with that `country`.
fn stands_for_country(code: &Value, p: &Participant) -> bool {
    let country_kind = matches!(p.kind.as_str(), "country" | "state" | "government");
    (country_kind && py_eq(p.country, code))
        || py_eq(p.name, code)
        || (p.kind != "person" && py_eq(p.country, code) && !truthy(p.name))
}

/// A gold name: the same full name (people and organisations), or a person (or a participant
/// of no kind) whose surname is [`close`] to gold's. Where score.py would raise (a name that is
/// not a string), nothing matches.
fn stands_for_named(g: &Value, p: &Participant) -> bool {
    let Value::String(name) = p.name else {
        return false;
    };
    if name.is_empty() {
        return false;
    }
    if norm(p.name) == norm(g) {
        return true;
    }
    matches!(p.kind.as_str(), "person" | "") && close(&surname(p.name), &surname(g))
}

/// `overlap`: how many gold participants (duplicates counted) some predicted participant
/// stands for.
pub(crate) fn overlap(gold_parts: &Value, pred_parts: &Value) -> usize {
    let preds = py_items(pred_parts);
    py_items(gold_parts)
        .iter()
        .filter(|g| preds.iter().any(|p| part_matches(g, p)))
        .count()
}

/// `words_within`: `a` occurs in `b` as whole words ("balochistan" in "balochistan province");
/// never when `a` is empty.
pub(crate) fn words_within(a: &str, b: &str) -> bool {
    !a.is_empty() && contains_whole_words(b, a)
}

/// Place names match when one holds the other as whole words (both already normalised).
fn names_match(a: &str, b: &str) -> bool {
    words_within(a, b) || words_within(b, a)
}

/// `loc_names`: the location objects of a prediction (`location` first, then `locations`).
pub(crate) fn loc_names(p: &Value) -> Vec<&Value> {
    let mut out = Vec::new();
    let loc = get(p, "location");
    if loc.is_object() {
        out.push(loc);
    }
    // Strings and objects iterate as strings in Python, never as dicts: only arrays contribute.
    if let Value::Array(items) = get(p, "locations") {
        out.extend(items.iter().filter(|l| l.is_object()));
    }
    out
}

/// `loc_match`: a predicted place matches when one name holds the other as whole words; where
/// the gold place is a country (`country_only`, from gold's `location_is_country`) or gold
/// names no place, any predicted place in gold's country matches.
pub(crate) fn loc_match(
    gold_name: &Value,
    gold_country: &Value,
    pred_locs: &[&Value],
    country_only: bool,
) -> bool {
    let (has_name, has_country) = (truthy(gold_name), truthy(gold_country));
    if !has_name && !has_country {
        return true;
    }
    let gold_norm = norm(gold_name);
    let country_level = !has_name || country_only;
    pred_locs.iter().any(|l| {
        let name = norm(get(l, "name"));
        (!gold_norm.is_empty() && !name.is_empty() && names_match(&gold_norm, &name))
            || (has_country && country_level && py_eq(get(l, "country"), gold_country))
    })
}

/// Gold's `location_is_country` flag (missing, null or false: the place is no country).
pub(crate) fn location_is_country(g: &Value) -> bool {
    truthy(get(g, "location_is_country"))
}

/// `date_value`: `date` may be an object with a `value` or the value itself.
pub(crate) fn date_value(p: &Value) -> &Value {
    match get(p, "date") {
        d @ Value::Object(_) => get(d, "value"),
        d => d,
    }
}

/// `date_ok`: None when gold has no date; a ten-character gold date must be equal, a shorter one
/// ("YYYY-MM", "YYYY") is a prefix.
pub(crate) fn date_ok(gold: &Value, pred: &Value) -> Option<bool> {
    if gold.is_null() {
        return None;
    }
    if !truthy(pred) {
        return Some(false);
    }
    Some(match py_len(gold) {
        Some(10) => py_eq(pred, gold),
        Some(_) => {
            matches!((pred, gold), (Value::String(p), Value::String(g)) if p.starts_with(g.as_str()))
        }
        None => false,
    })
}

/// `match`: greedy one-to-one matching over candidates sorted as Python's
/// `cands.sort(reverse=True)` sorts `(weight, gi, pi)` tuples, so among equal weights the later
/// gold event, then the later prediction, is taken first.
pub(crate) fn match_pairs<G, P>(
    golds: &[G],
    preds: &[P],
    pair_ok: impl Fn(&G, &P) -> bool,
    weight: impl Fn(&G, &P) -> usize,
) -> Vec<(usize, usize)> {
    let mut cands = Vec::new();
    for (gi, g) in golds.iter().enumerate() {
        for (pi, p) in preds.iter().enumerate() {
            if pair_ok(g, p) {
                cands.push((weight(g, p), gi, pi));
            }
        }
    }
    cands.sort_unstable_by(|a, b| b.cmp(a));
    let (mut used_g, mut used_p) = (vec![false; golds.len()], vec![false; preds.len()]);
    let mut pairs = Vec::new();
    for (_, gi, pi) in cands {
        if used_g[gi] || used_p[pi] {
            continue;
        }
        used_g[gi] = true;
        used_p[pi] = true;
        pairs.push((gi, pi));
    }
    pairs
}

/// `dip_ok`: same kind class, enough shared participants, and for a one-participant gold event
/// (a visit) the location.
pub(crate) fn dip_ok(g: &Value, p: &Value) -> bool {
    if !py_eq(&kind_class(get(p, "kind")), &kind_class(get(g, "kind"))) {
        return false;
    }
    let gold_parts = get(g, "participants");
    let n_gold = py_len(gold_parts).unwrap_or(0);
    if overlap(gold_parts, get(p, "participants")) < n_gold.min(2) {
        return false;
    }
    if n_gold == 1 {
        return loc_match(
            get(g, "location"),
            get(g, "country"),
            &loc_names(p),
            location_is_country(g),
        );
    }
    true
}

/// `dip_weight`: prefer the prediction sharing the most participants.
pub(crate) fn dip_weight(g: &Value, p: &Value) -> usize {
    overlap(get(g, "participants"), get(p, "participants"))
}

/// `count_low`.
fn count_low(c: &Value) -> &Value {
    if c.is_object() {
        get(c, "low")
    } else {
        &Value::Null
    }
}

/// `cas_ok`: the same killed or injured low figure and, where gold names places, one predicted
/// place matching one of them as whole words.
pub(crate) fn cas_ok(g: &Value, p: &Value) -> bool {
    let (gk, gi) = (count_low(get(g, "killed")), count_low(get(g, "injured")));
    let (pk, pi) = (count_low(get(p, "killed")), count_low(get(p, "injured")));
    let same = (!gk.is_null() && py_eq(gk, pk)) || (!gi.is_null() && py_eq(gi, pi));
    if !same {
        return false;
    }
    let gold_locs = get(g, "locations");
    !truthy(gold_locs) || shares_a_place(gold_locs, p)
}

/// Some predicted place name matches some gold place name by [`names_match`].
fn shares_a_place(gold_locs: &Value, p: &Value) -> bool {
    let golds: Vec<String> = py_items(gold_locs).iter().map(|x| norm(x)).collect();
    loc_names(p)
        .iter()
        .map(|l| norm(get(l, "name")))
        .any(|a| golds.iter().any(|b| names_match(&a, b)))
}

/// `prf`: precision, recall and F1, each 0.0 where its denominator is zero.
pub(crate) fn prf(tp: i64, fp: i64, fn_: i64) -> (f64, f64, f64) {
    let div = |a: i64, b: i64| if b != 0 { a as f64 / b as f64 } else { 0.0 };
    let p = div(tp, tp + fp);
    let r = div(tp, tp + fn_);
    let f = if p + r != 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    (p, r, f)
}

/// Whether a normalised gold string occurs in a normalised body (Python's `in`).
pub(crate) fn contains_norm(body: &str, s: &Value) -> bool {
    body.contains(norm(s).as_str())
}

/// Whether a gold boilerplate string occurs in a normalised body as whole words (the line "Eng"
/// is boilerplate; "engagement" does not count against it).
pub(crate) fn contains_norm_words(body: &str, s: &Value) -> bool {
    contains_whole_words(body, &norm(s))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ties_go_to_the_later_gold_then_the_later_prediction() {
        // Every pair is allowed with the same weight: Python's reverse sort on (w, gi, pi)
        // visits (1,1,2), (1,1,1), ... so gold 1 takes prediction 2 and gold 0 prediction 1.
        let pairs = match_pairs(&[0, 1], &[0, 1, 2], |_, _| true, |_, _| 1);
        assert_eq!(pairs, vec![(1, 2), (0, 1)]);
    }

    #[test]
    fn heavier_pairs_win_before_ties_are_broken() {
        let w = |g: &usize, p: &usize| if *g == 0 && *p == 0 { 3 } else { 2 };
        let pairs = match_pairs(&[0usize, 1], &[0usize, 1], |_, _| true, w);
        assert_eq!(pairs, vec![(0, 0), (1, 1)]);
        let none = match_pairs(&[0usize], &[0usize], |_, _| false, |_, _| 1);
        assert!(none.is_empty());
    }

    #[test]
    fn date_ok_equal_for_days_prefix_for_months() {
        assert_eq!(date_ok(&Value::Null, &json!("2025-04-12")), None);
        assert_eq!(date_ok(&json!("2025-04-12"), &Value::Null), Some(false));
        assert_eq!(date_ok(&json!("2025-04-12"), &json!("")), Some(false));
        assert_eq!(
            date_ok(&json!("2025-04-12"), &json!("2025-04-12")),
            Some(true)
        );
        assert_eq!(
            date_ok(&json!("2025-04-12"), &json!("2025-04")),
            Some(false)
        );
        assert_eq!(
            date_ok(&json!("2025-04-12"), &json!("2025-04-12T10:00")),
            Some(false)
        );
        assert_eq!(date_ok(&json!("2025-04"), &json!("2025-04-30")), Some(true));
        assert_eq!(date_ok(&json!("2025-04"), &json!("2025-04")), Some(true));
        assert_eq!(
            date_ok(&json!("2025-04"), &json!("2025-05-01")),
            Some(false)
        );
        assert_eq!(date_ok(&json!("2025"), &json!("2025-12-31")), Some(true));
        assert_eq!(date_ok(&json!("2025-04"), &json!(202504)), Some(false));
    }

    #[test]
    fn date_value_reads_objects_and_plain_values() {
        assert_eq!(
            date_value(&json!({"date": {"value": "2025-04"}})),
            &json!("2025-04")
        );
        assert_eq!(date_value(&json!({"date": "2025-04"})), &json!("2025-04"));
        assert_eq!(date_value(&json!({})), &Value::Null);
    }

    #[test]
    fn loc_match_by_name_or_by_country_where_gold_place_is_a_country() {
        let paris = json!({"name": "PARIS ", "country": "FRA"});
        let fra_only = json!({"name": null, "country": "FRA"});
        let omn_only = json!({"country": "OMN"});
        assert!(loc_match(&Value::Null, &Value::Null, &[], false));
        assert!(loc_match(&json!("Paris"), &json!("FRA"), &[&paris], false));
        assert!(!loc_match(
            &json!("Paris"),
            &json!("FRA"),
            &[&fra_only],
            false
        ));
        assert!(!loc_match(&json!("Paris"), &json!("FRA"), &[], false));
        assert!(loc_match(&Value::Null, &json!("FRA"), &[&fra_only], false));
        // "Africa" without a gold country can only match by name.
        assert!(!loc_match(
            &json!("Africa"),
            &Value::Null,
            &[&fra_only],
            true
        ));
        assert!(loc_match(
            &json!("Africa"),
            &Value::Null,
            &[&json!({"name": "africa"})],
            false
        ));
        assert!(!loc_match(
            &json!("Oman"),
            &json!("OMN"),
            &[&omn_only],
            false
        ));
    }

    #[test]
    fn location_is_country_lets_any_place_in_that_country_match() {
        let muscat = json!({"name": "Muscat", "country": "OMN"});
        let gold = json!({"location": "Oman", "country": "OMN", "location_is_country": true});
        assert!(location_is_country(&gold));
        assert!(loc_match(&json!("Oman"), &json!("OMN"), &[&muscat], true));
        // The old copy's hard-coded names ("oman", "france", "africa") no longer decide.
        assert!(!loc_match(&json!("Oman"), &json!("OMN"), &[&muscat], false));
        let dc = json!({"name": "DC", "country": "USA"});
        assert!(loc_match(
            &json!("United States"),
            &json!("USA"),
            &[&dc],
            true
        ));
        assert!(!loc_match(&json!("Oman"), &json!("OMN"), &[&dc], true));
        for not in [
            json!({}),
            json!({"location_is_country": null}),
            json!({"location_is_country": false}),
        ] {
            assert!(!location_is_country(&not), "{not}");
        }
    }

    #[test]
    fn places_match_as_whole_words_either_way() {
        let province = json!({"name": "Balochistan province", "country": "PAK"});
        assert!(loc_match(
            &json!("Balochistan"),
            &json!("PAK"),
            &[&province],
            false
        ));
        let short = json!({"name": "Balochistan"});
        assert!(loc_match(
            &json!("Balochistan Province"),
            &Value::Null,
            &[&short],
            false
        ));
        // Part of a word is not a place: "Oman" is not in "Romania", "Sumy" not in "Sumyna".
        let romania = json!({"name": "Romania"});
        assert!(!loc_match(&json!("Oman"), &Value::Null, &[&romania], false));
        assert!(!loc_match(
            &json!("Sumy"),
            &Value::Null,
            &[&json!({"name": "Sumyna"})],
            false
        ));
        // An empty or blank predicted name holds nothing.
        assert!(!loc_match(
            &json!("Paris"),
            &Value::Null,
            &[&json!({"name": "  "})],
            false
        ));
        assert!(words_within("kryvyi rih", "kryvyi rih district"));
        assert!(!words_within("", "anything"));
    }

    #[test]
    fn surnames_one_edit_apart_when_six_letters_or_more() {
        assert!(close("zelenskyy", "zelensky"));
        assert!(close("zelensky", "zelenskyy"));
        assert!(close("zelensky", "zelenskiy"));
        assert!(close("witkoff", "witkof"));
        assert!(close("barrot", "barrat"));
        assert!(close("putin", "putin"));
        // Five letters is below the limit, for the shorter of the two names.
        assert!(!close("putin", "puton"));
        assert!(!close("putin", "putins"));
        assert!(!close("macron", "macro"));
        // Two edits are too many.
        assert!(!close("zelenskyy", "zelenskii"));
        assert!(!close("zelenskyy", "zelensk"));
        assert!(!close("rubioo", "oirbuu"));
        assert!(!close("", "abcdef"));
        // Letters, not bytes: six accented letters are six.
        assert!(close(
            "\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}",
            "\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}e"
        ));
    }

    #[test]
    fn participants_match_by_full_name_surname_or_code() {
        let m = |g: Value, p: Value| part_matches(&g, &p);
        // Organisations by full name, whatever their kind.
        let eu = json!({"name": "european union", "kind": "organization"});
        assert!(m(json!("European Union"), eu.clone()));
        assert!(!m(json!("Soviet Union"), eu));
        assert!(m(json!("NATO"), json!({"name": "Nato", "kind": "group"})));
        // A person by surname, equal or one edit apart.
        assert!(m(
            json!("Volodymyr Zelenskyy"),
            json!({"name": "Zelensky", "kind": "person"})
        ));
        assert!(m(json!("Marco Rubio"), json!("Rubio")));
        assert!(!m(
            json!("Marco Rubio"),
            json!({"name": "Rubia", "kind": "person"})
        ));
        // An organisation is not matched by a shared last word.
        assert!(!m(
            json!("Soviet Union"),
            json!({"name": "European Union", "kind": "organization"})
        ));
        assert!(!m(
            json!("Marco Rubio"),
            json!({"name": "Rubio", "kind": "organization"})
        ));
        // Country codes: country kinds by `country`, a name equal to the code, unnamed non-people.
        assert!(m(
            json!("USA"),
            json!({"kind": "State", "country": "USA", "name": "United States"})
        ));
        assert!(m(json!("IRN"), json!({"name": "IRN", "kind": "group"})));
        assert!(m(
            json!("UKR"),
            json!({"kind": "organization", "country": "UKR"})
        ));
        assert!(!m(
            json!("RUS"),
            json!({"kind": "person", "country": "RUS"})
        ));
        assert!(!m(
            json!("BEL"),
            json!({"kind": "organization", "name": "NATO", "country": "BEL"})
        ));
        assert!(!m(
            json!("USA"),
            json!({"kind": "country", "name": "United States"})
        ));
        // Names that are no strings match nothing (score.py would raise).
        assert!(!m(
            json!("Marco Rubio"),
            json!({"name": 5, "kind": "person"})
        ));
        assert!(!m(json!("Marco Rubio"), json!(5)));
    }

    #[test]
    fn overlap_counts_gold_participants_found() {
        assert_eq!(
            overlap(
                &json!(["USA", "Vladimir Putin"]),
                &json!(["Putin", {"kind": "country", "country": "USA"}])
            ),
            2
        );
        // Every gold participant counts, duplicates included (the old key sets counted one).
        assert_eq!(
            overlap(&json!(["Marco Rubio", "Marco Rubio"]), &json!(["Rubio"])),
            2
        );
        assert_eq!(overlap(&json!(["Marco Rubio"]), &json!(7)), 0);
    }

    #[test]
    fn casualty_match_uses_low_and_places() {
        let g = json!({"killed": {"low": 35, "high": null}, "injured": {"low": 117}, "locations": ["Sumy"]});
        assert!(cas_ok(
            &g,
            &json!({"killed": {"low": 35.0}, "locations": [{"name": "sumy"}]})
        ));
        assert!(cas_ok(
            &g,
            &json!({"killed": {"low": 1}, "injured": {"low": 117}, "location": {"name": "Sumy"}})
        ));
        assert!(!cas_ok(&g, &json!({"killed": {"low": 35}})));
        assert!(!cas_ok(
            &g,
            &json!({"killed": 35, "locations": [{"name": "Sumy"}]})
        ));
        // Places match as whole words, either way round.
        assert!(cas_ok(
            &g,
            &json!({"killed": {"low": 35}, "locations": [{"name": "Sumy oblast"}]})
        ));
        assert!(!cas_ok(
            &g,
            &json!({"killed": {"low": 35}, "locations": [{"name": "Sumyna"}, {"name": ""}]})
        ));
        let no_places = json!({"killed": null, "injured": {"low": 2}});
        assert!(cas_ok(&no_places, &json!({"injured": {"low": 2}})));
        assert!(!cas_ok(&no_places, &json!({"killed": {"low": null}})));
    }

    #[test]
    fn prf_handles_empty_denominators() {
        assert_eq!(prf(0, 0, 0), (0.0, 0.0, 0.0));
        assert_eq!(prf(1, 1, 0), (0.5, 1.0, 2.0 * 0.5 * 1.0 / 1.5));
    }
}
