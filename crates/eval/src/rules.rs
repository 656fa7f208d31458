//! The matching rules of score.py, one function per Python function of the same name.

use std::borrow::Cow;
use std::collections::BTreeSet;

use serde_json::Value;

use crate::py::{get, is_code, norm, py_eq, py_items, py_len, surname, truthy};

/// A key under which a predicted participant can meet a gold one.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Key {
    Code(String),
    Name(String),
}

/// `kind_class`: meet and negotiate are one class, "talks".
fn kind_class(k: &Value) -> Cow<'_, Value> {
    match k {
        Value::String(s) if s == "meet" || s == "negotiate" => Cow::Owned(Value::from("talks")),
        other => Cow::Borrowed(other),
    }
}

/// Gold holds only string codes and names, so non-string values Python would put in the key
/// set can never meet one and are left out.
fn code_key(v: &Value) -> Option<Key> {
    v.as_str().map(|s| Key::Code(s.to_string()))
}

/// `pred_keys`: every key under which a predicted participant (object or bare string) can match.
pub(crate) fn pred_keys(p: &Value) -> BTreeSet<Key> {
    let mut keys = BTreeSet::new();
    let wrapped;
    let p = match p {
        Value::String(_) => {
            wrapped = serde_json::json!({ "name": p });
            &wrapped
        }
        other => other,
    };
    let name = get(p, "name");
    let has_name = truthy(name);
    let kind = match get(p, "kind") {
        Value::String(s) => s.to_lowercase(),
        _ => String::new(),
    };
    let country = get(p, "country");
    let has_country = truthy(country);
    if matches!(kind.as_str(), "country" | "state" | "government") && has_country {
        keys.extend(code_key(country));
    } else if matches!(kind.as_str(), "person" | "") && has_name {
        keys.insert(Key::Name(surname(name)));
    }
    if kind != "person" && has_country && !has_name {
        keys.extend(code_key(country));
    }
    if is_code(name) {
        keys.extend(code_key(name));
    }
    keys
}

/// `gold_key`: a three-letter upper-case gold participant is a country, anyone else a surname.
fn gold_key(g: &Value) -> Key {
    match g {
        Value::String(s) if is_code(g) => Key::Code(s.clone()),
        _ => Key::Name(surname(g)),
    }
}

/// `overlap`: how many distinct gold participant keys the predicted participants cover.
pub(crate) fn overlap(gold_parts: &Value, pred_parts: &Value) -> usize {
    let gk: BTreeSet<Key> = py_items(gold_parts).iter().map(|g| gold_key(g)).collect();
    let mut pk = BTreeSet::new();
    for p in py_items(pred_parts) {
        pk.extend(pred_keys(&p));
    }
    gk.intersection(&pk).count()
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

/// `loc_match`: a name match, or a country match where gold names no place or names the
/// country or region itself ("france", "africa", "oman").
pub(crate) fn loc_match(gold_name: &Value, gold_country: &Value, pred_locs: &[&Value]) -> bool {
    let (has_name, has_country) = (truthy(gold_name), truthy(gold_country));
    if !has_name && !has_country {
        return true;
    }
    let gold_norm = norm(gold_name);
    let country_level = !has_name || matches!(gold_norm.as_str(), "france" | "africa" | "oman");
    pred_locs.iter().any(|l| {
        (has_name && norm(get(l, "name")) == gold_norm)
            || (has_country && py_eq(get(l, "country"), gold_country) && country_level)
    })
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
        return loc_match(get(g, "location"), get(g, "country"), &loc_names(p));
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

/// `cas_ok`: the same killed or injured low figure and, where gold names places, one shared
/// place name.
pub(crate) fn cas_ok(g: &Value, p: &Value) -> bool {
    let (gk, gi) = (count_low(get(g, "killed")), count_low(get(g, "injured")));
    let (pk, pi) = (count_low(get(p, "killed")), count_low(get(p, "injured")));
    let same = (!gk.is_null() && py_eq(gk, pk)) || (!gi.is_null() && py_eq(gi, pi));
    if !same {
        return false;
    }
    let gold_locs = get(g, "locations");
    if truthy(gold_locs) {
        let plocs: BTreeSet<String> = loc_names(p).iter().map(|l| norm(get(l, "name"))).collect();
        if !py_items(gold_locs).iter().any(|x| plocs.contains(&norm(x))) {
            return false;
        }
    }
    true
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
    fn loc_match_by_name_or_by_country_for_country_level_names() {
        let paris = json!({"name": "PARIS ", "country": "FRA"});
        let fra_only = json!({"name": null, "country": "FRA"});
        let omn_only = json!({"country": "OMN"});
        assert!(loc_match(&Value::Null, &Value::Null, &[]));
        assert!(loc_match(&json!("Paris"), &json!("FRA"), &[&paris]));
        assert!(!loc_match(&json!("Paris"), &json!("FRA"), &[&fra_only]));
        assert!(loc_match(&json!("France"), &json!("FRA"), &[&fra_only]));
        assert!(loc_match(&json!("Oman"), &json!("OMN"), &[&omn_only]));
        assert!(loc_match(&Value::Null, &json!("FRA"), &[&fra_only]));
        // "Africa" without a gold country can only match by name.
        assert!(!loc_match(&json!("Africa"), &Value::Null, &[&fra_only]));
        assert!(loc_match(
            &json!("Africa"),
            &Value::Null,
            &[&json!({"name": "africa"})]
        ));
        assert!(!loc_match(&json!("Paris"), &json!("FRA"), &[]));
    }

    #[test]
    fn participant_keys() {
        let keys = |v: Value| pred_keys(&v).into_iter().collect::<Vec<_>>();
        let code = |s: &str| Key::Code(s.into());
        let name = |s: &str| Key::Name(s.into());
        assert_eq!(
            keys(json!({"kind": "country", "country": "USA"})),
            vec![code("USA")]
        );
        assert_eq!(
            keys(json!({"kind": "Government", "name": "Kremlin", "country": "RUS"})),
            vec![code("RUS")]
        );
        assert_eq!(
            keys(json!({"kind": "person", "name": "Marco Rubio", "country": "USA"})),
            vec![name("rubio")]
        );
        assert_eq!(keys(json!({"name": "Rubio"})), vec![name("rubio")]);
        assert_eq!(keys(json!("USA")), vec![code("USA"), name("usa")]);
        assert_eq!(
            keys(json!({"kind": "organization", "country": "UKR"})),
            vec![code("UKR")]
        );
        assert!(keys(json!({"kind": "organization", "name": "NATO", "country": "BEL"})).is_empty());
        assert!(keys(json!({"kind": "person", "country": "USA"})).is_empty());
        assert!(keys(json!(5)).is_empty());
        assert_eq!(
            overlap(
                &json!(["USA", "Vladimir Putin"]),
                &json!(["Putin", {"kind": "country", "country": "USA"}])
            ),
            2
        );
        assert_eq!(
            overlap(&json!(["Marco Rubio", "Marco Rubio"]), &json!(["Rubio"])),
            1
        );
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
