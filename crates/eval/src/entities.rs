//! Scores entity mentions (`eventwire entities` output) against a hand-made entity gold file
//! such as `tests/fixtures/entities/samples.gold.jsonl`.
//!
//! A gold mention is identified by its kind, its exact surface text and which occurrence of that
//! text in the article body it is (1 for the first). A predicted mention gets its occurrence from
//! its character offsets into the body; where those are missing or do not point at its text, it
//! falls back to its rank among the article's predictions with the same text. Matching is
//! one-to-one, per article and per kind, on normalised text and occurrence ("strict"); the
//! lenient mode also accepts a prediction whose span overlaps a gold span of the same kind.
//! Resolved fields (value, precision, country, canonical name, role) are checked on matched
//! pairs wherever the gold mention has them.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::{json, Value};

use crate::py::norm_str;

/// The entity kinds the gold file annotates and the scorer scores; predictions of any other
/// kind are counted as ignored.
pub const KINDS: [&str; 6] = [
    "person",
    "country",
    "place",
    "organization",
    "date",
    "number",
];

/// One article of the gold file: `{"id", "published", "body", "entities"}`.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldArticle {
    /// Article id, as `eventwire entities` prints it.
    pub id: String,
    /// Publication date ("YYYY-MM-DD") the dates were resolved against.
    #[serde(default)]
    pub published: Option<String>,
    /// The clean body the mentions' occurrences and offsets refer to.
    #[serde(default)]
    pub body: Option<String>,
    /// Every mention in the body, in body order.
    #[serde(default)]
    pub entities: Vec<GoldEntity>,
}

/// One gold mention.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct GoldEntity {
    /// One of [`KINDS`].
    pub kind: String,
    /// The exact surface text in the body.
    pub text: String,
    /// 1 for the first occurrence of `text` in the body, 2 for the second, ...
    #[serde(default = "one")]
    pub occurrence: usize,
    /// Character offset of the mention in the body (derived from `text` and `occurrence`).
    #[serde(default)]
    pub start: Option<usize>,
    /// Character offset just past the mention.
    #[serde(default)]
    pub end: Option<usize>,
    /// Persons: the full name.
    #[serde(default)]
    pub canonical: Option<String>,
    /// Persons: the office, lower-case ("foreign minister").
    #[serde(default)]
    pub role: Option<String>,
    /// ISO 3166-1 alpha-3 code: a country, a place's country, a person's affiliation.
    #[serde(default)]
    pub country: Option<String>,
    /// Dates: "YYYY-MM-DD", "YYYY-MM", "YYYY" (a week as its Monday); numbers: a JSON number.
    #[serde(default)]
    pub value: Option<Value>,
    /// Dates: day, week, month or year.
    #[serde(default)]
    pub precision: Option<String>,
    /// A demonym ("French") annotated as its country.
    #[serde(default)]
    pub demonym: bool,
    /// A doubtful mention: finding it earns nothing and missing it costs nothing.
    #[serde(default)]
    pub optional: bool,
}

fn one() -> usize {
    1
}

/// One article of `eventwire entities` output: `{"id", "entities"}`, optionally with the body
/// (`body` or `text`) the offsets refer to.
#[derive(Debug, Clone, Deserialize)]
pub struct PredArticle {
    /// Article id.
    pub id: String,
    /// The clean body the offsets index; when absent the gold body is assumed.
    #[serde(default, alias = "text")]
    pub body: Option<String>,
    /// Predicted mentions.
    #[serde(default)]
    pub entities: Vec<PredEntity>,
}

/// One predicted mention; every field may be missing.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PredEntity {
    /// Entity kind (compared case-insensitively with [`KINDS`]; missing counts as ignored).
    #[serde(default)]
    pub kind: String,
    /// Surface text.
    #[serde(default)]
    pub text: String,
    /// Character offset into the clean body.
    #[serde(default)]
    pub start: Option<i64>,
    /// Character offset just past the mention.
    #[serde(default)]
    pub end: Option<i64>,
    /// Resolved full name (persons).
    #[serde(default)]
    pub canonical: Option<String>,
    /// Role (persons).
    #[serde(default)]
    pub role: Option<String>,
    /// ISO 3166-1 alpha-3 code.
    #[serde(default)]
    pub country: Option<String>,
    /// Resolved value (dates as strings, numbers as numbers).
    #[serde(default)]
    pub value: Option<Value>,
    /// Date precision.
    #[serde(default)]
    pub precision: Option<String>,
}

/// How to score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScoreOptions {
    /// Count gold demonyms ("French" as a country). When false they are treated as optional:
    /// useful for systems that, like spaCy's NORP, never call a demonym a country.
    pub demonyms: bool,
}

impl Default for ScoreOptions {
    fn default() -> Self {
        Self { demonyms: true }
    }
}

/// True positives, false positives and false negatives, with the ratios derived from them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Prf {
    /// Gold mentions found.
    pub tp: usize,
    /// Predictions that match no gold mention.
    pub fp: usize,
    /// Gold mentions not found.
    pub fn_: usize,
}

impl Prf {
    /// tp / (tp + fp), 0.0 when nothing was predicted.
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    /// tp / (tp + fn), 0.0 when there was nothing to find.
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    /// Harmonic mean of precision and recall, 0.0 when both are 0.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    fn add(&mut self, o: Prf) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
    }
    fn to_json(self) -> Value {
        json!({"p": round4(self.precision()), "r": round4(self.recall()), "f1": round4(self.f1()),
               "tp": self.tp, "fp": self.fp, "fn": self.fn_})
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// Correct / checked for one resolved field.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FieldAcc {
    /// Matched pairs whose prediction agrees with gold.
    pub ok: usize,
    /// Matched pairs where gold has the field.
    pub n: usize,
}

impl FieldAcc {
    /// ok / n, `None` when nothing was checked.
    pub fn accuracy(&self) -> Option<f64> {
        (self.n > 0).then(|| self.ok as f64 / self.n as f64)
    }
    fn record(&mut self, ok: bool) {
        self.n += 1;
        self.ok += usize::from(ok);
    }
}

/// Accuracy of the resolved fields on matched (non-optional) pairs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FieldScores {
    /// Dates' and numbers' `value`.
    pub value: FieldAcc,
    /// Dates' `precision`.
    pub precision: FieldAcc,
    /// `country` (ISO3, case-insensitive).
    pub country: FieldAcc,
    /// Persons' `canonical` name (normalised: case, accents, quotes, white space).
    pub canonical: FieldAcc,
    /// Persons' `role` (normalised).
    pub role: FieldAcc,
}

impl FieldScores {
    fn entries(&self) -> [(&'static str, FieldAcc); 5] {
        [
            ("value", self.value),
            ("precision", self.precision),
            ("country", self.country),
            ("canonical", self.canonical),
            ("role", self.role),
        ]
    }
}

/// Scores under one matching mode.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ModeScores {
    /// Per kind, for every kind in [`KINDS`].
    pub per_kind: BTreeMap<String, Prf>,
    /// Summed over kinds (micro-average).
    pub overall: Prf,
    /// Resolved fields on this mode's matched pairs.
    pub fields: FieldScores,
}

impl ModeScores {
    fn new() -> Self {
        Self {
            per_kind: KINDS
                .iter()
                .map(|k| (k.to_string(), Prf::default()))
                .collect(),
            ..Self::default()
        }
    }
}

/// The result of [`score`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EntityReport {
    /// Matching on normalised text + occurrence.
    pub strict: ModeScores,
    /// Matching on overlapping spans of the same kind (strict matches included).
    pub lenient: ModeScores,
    /// Gold articles.
    pub articles: usize,
    /// Gold articles with no prediction record (all their mentions count as missed).
    pub articles_missing: usize,
    /// Predicted mentions in scored articles.
    pub predictions: usize,
    /// Predicted mentions of a kind not in [`KINDS`] (not scored).
    pub ignored_kinds: usize,
    /// Predicted mentions whose offsets did not point at their text in the body (their
    /// occurrence came from text order instead).
    pub offsets_unusable: usize,
}

impl EntityReport {
    /// The report as JSON (ratios rounded to 4 decimals).
    pub fn to_json(&self) -> Value {
        let mode = |m: &ModeScores| {
            let per_kind: serde_json::Map<String, Value> = m
                .per_kind
                .iter()
                .map(|(k, v)| (k.clone(), v.to_json()))
                .collect();
            let fields: serde_json::Map<String, Value> = m
                .fields
                .entries()
                .iter()
                .map(|(k, f)| {
                    let acc = f.accuracy().map(round4);
                    (k.to_string(), json!({"ok": f.ok, "n": f.n, "acc": acc}))
                })
                .collect();
            json!({"overall": m.overall.to_json(), "per_kind": per_kind, "fields": fields})
        };
        json!({
            "strict": mode(&self.strict),
            "lenient": mode(&self.lenient),
            "articles": self.articles,
            "articles_missing": self.articles_missing,
            "predictions": self.predictions,
            "ignored_kinds": self.ignored_kinds,
            "offsets_unusable": self.offsets_unusable,
        })
    }
}

impl fmt::Display for EntityReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "entities: {} articles ({} missing), {} predictions ({} of unscored kinds, {} with unusable offsets)",
            self.articles,
            self.articles_missing,
            self.predictions,
            self.ignored_kinds,
            self.offsets_unusable
        )?;
        writeln!(
            f,
            "{:<13} {:>6} {:>6} {:>6} {:>13}   {:>6} {:>6} {:>6} {:>13}",
            "kind", "P", "R", "F1", "tp/fp/fn", "lenP", "lenR", "lenF1", "tp/fp/fn"
        )?;
        let rows = KINDS
            .iter()
            .map(|k| {
                let s = self.strict.per_kind.get(*k).copied().unwrap_or_default();
                let l = self.lenient.per_kind.get(*k).copied().unwrap_or_default();
                (*k, s, l)
            })
            .chain(std::iter::once((
                "overall",
                self.strict.overall,
                self.lenient.overall,
            )));
        for (kind, s, l) in rows {
            writeln!(
                f,
                "{:<13} {:>6.3} {:>6.3} {:>6.3} {:>13}   {:>6.3} {:>6.3} {:>6.3} {:>13}",
                kind,
                s.precision(),
                s.recall(),
                s.f1(),
                format!("{}/{}/{}", s.tp, s.fp, s.fn_),
                l.precision(),
                l.recall(),
                l.f1(),
                format!("{}/{}/{}", l.tp, l.fp, l.fn_),
            )?;
        }
        for (name, m) in [("strict", &self.strict), ("lenient", &self.lenient)] {
            write!(f, "fields on {name} matches:")?;
            for (field, acc) in m.fields.entries() {
                match acc.accuracy() {
                    Some(a) => write!(f, " {field} {}/{} ({:.1}%)", acc.ok, acc.n, 100.0 * a)?,
                    None => write!(f, " {field} -")?,
                }
            }
            writeln!(f)?;
        }
        Ok(())
    }
}

/// Why an entity gold or prediction file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum EntityEvalError {
    /// The file could not be read as UTF-8 text.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A non-blank line is not a record of the expected shape.
    #[error("{}:{line}: {source}", path.display())]
    Json {
        /// The file.
        path: PathBuf,
        /// One-based line number.
        line: usize,
        /// The parser's error.
        source: serde_json::Error,
    },
}

/// Reads a JSONL file of records of type `T`, skipping blank lines.
fn read_jsonl<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<Vec<T>, EntityEvalError> {
    let text = std::fs::read_to_string(path).map_err(|source| EntityEvalError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let record = serde_json::from_str(line).map_err(|source| EntityEvalError::Json {
            path: path.to_path_buf(),
            line: i + 1,
            source,
        })?;
        out.push(record);
    }
    Ok(out)
}

/// Reads an entity gold file (JSONL of [`GoldArticle`]).
pub fn read_gold(path: &Path) -> Result<Vec<GoldArticle>, EntityEvalError> {
    read_jsonl(path)
}

/// Reads `eventwire entities` output (JSONL of [`PredArticle`]).
pub fn read_pred(path: &Path) -> Result<Vec<PredArticle>, EntityEvalError> {
    read_jsonl(path)
}

/// Reads both files and scores them: the entry point for `eventwire eval --entities`.
pub fn score_files(
    gold: &Path,
    pred: &Path,
    options: &ScoreOptions,
) -> Result<EntityReport, EntityEvalError> {
    Ok(score_with(&read_gold(gold)?, &read_pred(pred)?, options))
}

/// Scores predictions against gold with the default options (demonyms counted).
pub fn score(gold: &[GoldArticle], pred: &[PredArticle]) -> EntityReport {
    score_with(gold, pred, &ScoreOptions::default())
}

/// Scores predictions against gold. A later prediction record with the same id replaces an
/// earlier one; prediction records with no gold article are not scored.
pub fn score_with(
    gold: &[GoldArticle],
    pred: &[PredArticle],
    options: &ScoreOptions,
) -> EntityReport {
    let preds: HashMap<&str, &PredArticle> = pred.iter().map(|p| (p.id.as_str(), p)).collect();
    let mut report = EntityReport {
        strict: ModeScores::new(),
        lenient: ModeScores::new(),
        articles: gold.len(),
        ..EntityReport::default()
    };
    for g in gold {
        let p = preds.get(g.id.as_str()).copied();
        if p.is_none() {
            report.articles_missing += 1;
        }
        score_article(g, p, options, &mut report);
    }
    for mode in [&mut report.strict, &mut report.lenient] {
        let mut overall = Prf::default();
        for prf in mode.per_kind.values() {
            overall.add(*prf);
        }
        mode.overall = overall;
    }
    report
}

/// A gold mention prepared for matching.
struct GoldMention<'a> {
    entity: &'a GoldEntity,
    kind: String,
    key: String,
    span: Option<(usize, usize)>,
    optional: bool,
}

/// A predicted mention prepared for matching.
struct PredMention<'a> {
    entity: &'a PredEntity,
    kind: String,
    key: String,
    occurrence: usize,
    /// Character span in the gold body's coordinates, where known.
    span: Option<(usize, usize)>,
}

// long: one article's scoring in the order the module docs give it (gold spans located, strict
// pairs, lenient pairs over overlapping spans), its steps sharing the pair tables.
fn score_article(
    g: &GoldArticle,
    p: Option<&PredArticle>,
    options: &ScoreOptions,
    report: &mut EntityReport,
) {
    let gold_body = g.body.as_deref().map(Body::new);
    let golds: Vec<GoldMention<'_>> = g
        .entities
        .iter()
        .map(|e| GoldMention {
            entity: e,
            kind: e.kind.to_lowercase(),
            key: norm_str(&e.text),
            span: gold_body
                .as_ref()
                .and_then(|b| b.locate(&e.text, e.occurrence))
                .or(match (e.start, e.end) {
                    (Some(s), Some(t)) if s <= t => Some((s, t)),
                    _ => None,
                }),
            optional: e.optional || (e.demonym && !options.demonyms),
        })
        .collect();

    let preds = match p {
        Some(p) => prepare_preds(p, gold_body.as_ref(), report),
        None => Vec::new(),
    };

    // Strict: (kind, normalised text, occurrence), one-to-one.
    let mut index: HashMap<(&str, &str, usize), Vec<usize>> = HashMap::new();
    for (gi, gm) in golds.iter().enumerate() {
        index
            .entry((&gm.kind, &gm.key, gm.entity.occurrence))
            .or_default()
            .push(gi);
    }
    let mut strict_gold = vec![None; golds.len()];
    let mut strict_pred = vec![None; preds.len()];
    for (pi, pm) in preds.iter().enumerate() {
        if let Some(cands) = index.get(&(pm.kind.as_str(), pm.key.as_str(), pm.occurrence)) {
            if let Some(&gi) = cands.iter().find(|&&gi| strict_gold[gi].is_none()) {
                strict_gold[gi] = Some(pi);
                strict_pred[pi] = Some(gi);
            }
        }
    }

    // Lenient: strict pairs kept, then a maximum matching over overlapping same-kind spans.
    let mut lenient_gold = strict_gold.clone();
    let mut lenient_pred = strict_pred.clone();
    let edges: Vec<Vec<usize>> = preds
        .iter()
        .map(|pm| {
            golds
                .iter()
                .enumerate()
                .filter(|(_, gm)| gm.kind == pm.kind && overlaps(gm.span, pm.span))
                .map(|(gi, _)| gi)
                .collect()
        })
        .collect();
    let locked: Vec<bool> = strict_pred.iter().map(Option::is_some).collect();
    for pi in 0..preds.len() {
        if lenient_pred[pi].is_none() {
            let mut seen = vec![false; golds.len()];
            augment(
                pi,
                &edges,
                &locked,
                &mut seen,
                &mut lenient_gold,
                &mut lenient_pred,
            );
        }
    }

    tally(
        &golds,
        &preds,
        &strict_gold,
        &strict_pred,
        &mut report.strict,
    );
    tally(
        &golds,
        &preds,
        &lenient_gold,
        &lenient_pred,
        &mut report.lenient,
    );
}

/// Kuhn's augmenting path from prediction `pi`; pairs of `locked` predictions never move.
fn augment(
    pi: usize,
    edges: &[Vec<usize>],
    locked: &[bool],
    seen: &mut [bool],
    gold_of: &mut [Option<usize>],
    pred_of: &mut [Option<usize>],
) -> bool {
    for &gi in &edges[pi] {
        if seen[gi] {
            continue;
        }
        seen[gi] = true;
        let free = match gold_of[gi] {
            None => true,
            Some(other) => !locked[other] && augment(other, edges, locked, seen, gold_of, pred_of),
        };
        if free {
            gold_of[gi] = Some(pi);
            pred_of[pi] = Some(gi);
            return true;
        }
    }
    false
}

fn overlaps(a: Option<(usize, usize)>, b: Option<(usize, usize)>) -> bool {
    match (a, b) {
        (Some((s1, e1)), Some((s2, e2))) => s1 < e2 && s2 < e1,
        _ => false,
    }
}

fn tally(
    golds: &[GoldMention<'_>],
    preds: &[PredMention<'_>],
    gold_of: &[Option<usize>],
    pred_of: &[Option<usize>],
    mode: &mut ModeScores,
) {
    for (gm, matched) in golds.iter().zip(gold_of) {
        let Some(prf) = mode.per_kind.get_mut(&gm.kind) else {
            continue;
        };
        match matched {
            Some(pi) if !gm.optional => {
                prf.tp += 1;
                check_fields(gm.entity, preds[*pi].entity, &mut mode.fields);
            }
            Some(_) => {}
            None => prf.fn_ += usize::from(!gm.optional),
        }
    }
    for (pm, matched) in preds.iter().zip(pred_of) {
        if matched.is_none() {
            if let Some(prf) = mode.per_kind.get_mut(&pm.kind) {
                prf.fp += 1;
            }
        }
    }
}

fn check_fields(g: &GoldEntity, p: &PredEntity, fields: &mut FieldScores) {
    if let Some(gv) = g.value.as_ref().filter(|v| !v.is_null()) {
        fields.value.record(value_eq(gv, p.value.as_ref()));
    }
    let text_eq = |gold: &Option<String>, pred: &Option<String>, field: &mut FieldAcc| {
        if let Some(gs) = gold.as_deref().filter(|s| !s.trim().is_empty()) {
            let ok = pred
                .as_deref()
                .is_some_and(|ps| norm_str(ps) == norm_str(gs));
            field.record(ok);
        }
    };
    text_eq(&g.precision, &p.precision, &mut fields.precision);
    text_eq(&g.country, &p.country, &mut fields.country);
    text_eq(&g.canonical, &p.canonical, &mut fields.canonical);
    text_eq(&g.role, &p.role, &mut fields.role);
}

/// Gold numbers equal numerically (a numeric string prediction is accepted); gold strings
/// (dates) equal exactly after trimming.
fn value_eq(gold: &Value, pred: Option<&Value>) -> bool {
    let Some(pred) = pred else {
        return false;
    };
    let as_f64 = |v: &Value| match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    };
    match gold {
        Value::Number(_) => match (as_f64(gold), as_f64(pred)) {
            (Some(a), Some(b)) => (a - b).abs() <= 1e-9 * a.abs().max(1.0),
            _ => false,
        },
        Value::String(gs) => match pred {
            Value::String(ps) => ps.trim() == gs.trim(),
            Value::Number(n) => n.to_string() == gs.trim(),
            _ => false,
        },
        other => other == pred,
    }
}

/// Gives each prediction its kind, key, occurrence and (where possible) a span in gold-body
/// coordinates.
fn prepare_preds<'a>(
    p: &'a PredArticle,
    gold_body: Option<&Body<'_>>,
    report: &mut EntityReport,
) -> Vec<PredMention<'a>> {
    let own_body = p.body.as_deref().map(Body::new);
    // The prediction's offsets index its own body when it has one, else the gold body.
    let body = own_body.as_ref().or(gold_body);
    let same_body = match (&own_body, gold_body) {
        (Some(own), Some(gold)) => own.text == gold.text,
        (None, _) => true,
        (Some(_), None) => false,
    };
    let mut out = Vec::new();
    // Text-order fallback: how many distinct mentions of each text came before.
    let mut seen: HashMap<String, Vec<RawSpan>> = HashMap::new();
    for e in &p.entities {
        report.predictions += 1;
        let kind = e.kind.to_lowercase();
        if !KINDS.contains(&kind.as_str()) {
            report.ignored_kinds += 1;
            continue;
        }
        let located = body.and_then(|b| {
            let (s, t) = (
                usize::try_from(e.start?).ok()?,
                usize::try_from(e.end?).ok()?,
            );
            let surface = b.slice(s, t)?;
            let fits = e.text.is_empty() || norm_str(surface) == norm_str(&e.text);
            fits.then(|| (surface, b.occurrence_at(surface, s), (s, t)))
        });
        let mention = match located {
            Some((surface, occurrence, span)) => PredMention {
                entity: e,
                kind,
                key: norm_str(surface),
                occurrence,
                span: if same_body {
                    Some(span)
                } else {
                    gold_body.and_then(|g| g.locate(surface, occurrence))
                },
            },
            None => {
                report.offsets_unusable += usize::from(e.start.is_some() || e.end.is_some());
                let key = norm_str(&e.text);
                let spans = seen.entry(key.clone()).or_default();
                let this = (e.start, e.end);
                let rank = spans.iter().position(|s| *s == this && this.0.is_some());
                let occurrence = match rank {
                    Some(r) => r + 1,
                    None => {
                        spans.push(this);
                        spans.len()
                    }
                };
                PredMention {
                    entity: e,
                    kind,
                    span: gold_body.and_then(|g| g.locate(&e.text, occurrence)),
                    key,
                    occurrence,
                }
            }
        };
        out.push(mention);
    }
    out
}

/// A prediction's offsets as given (possibly missing).
type RawSpan = (Option<i64>, Option<i64>);

/// A body with a char-offset to byte-offset table.
struct Body<'a> {
    text: &'a str,
    /// Byte offset of every char, plus the text's length at the end.
    bytes: Vec<usize>,
}

impl<'a> Body<'a> {
    fn new(text: &'a str) -> Self {
        let mut bytes: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        bytes.push(text.len());
        Self { text, bytes }
    }

    /// The text between two char offsets, if they are in range and non-empty.
    fn slice(&self, start: usize, end: usize) -> Option<&'a str> {
        if start >= end {
            return None;
        }
        let (s, e) = (*self.bytes.get(start)?, *self.bytes.get(end)?);
        self.text.get(s..e)
    }

    /// Byte offsets of every occurrence of `needle`, overlapping ones included.
    fn matches(&self, needle: &'a str) -> impl Iterator<Item = usize> + 'a {
        let text = self.text;
        let mut from = 0;
        std::iter::from_fn(move || {
            if needle.is_empty() {
                return None;
            }
            let i = from + text.get(from..)?.find(needle)?;
            from = i + text[i..].chars().next().map_or(1, char::len_utf8);
            Some(i)
        })
    }

    /// Which occurrence of `surface` starts at char offset `start` (1-based).
    fn occurrence_at(&self, surface: &'a str, start: usize) -> usize {
        let byte = self.bytes.get(start).copied().unwrap_or(self.text.len());
        self.matches(surface).take_while(|&i| i < byte).count() + 1
    }

    /// The char span of the `occurrence`-th occurrence of `text`.
    fn locate(&self, text: &'a str, occurrence: usize) -> Option<(usize, usize)> {
        let byte = self.matches(text).nth(occurrence.checked_sub(1)?)?;
        let start = self.bytes.partition_point(|&b| b < byte);
        Some((start, start + text.chars().count()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &str =
        "Rubio met Macron in Paris. Rubio’s aide said two talks were held on Monday in Paris.";

    fn gold(kind: &str, text: &str, occurrence: usize) -> GoldEntity {
        GoldEntity {
            kind: kind.into(),
            text: text.into(),
            occurrence,
            ..GoldEntity::default()
        }
    }

    fn pred_at(kind: &str, text: &str, body: &str, occurrence: usize) -> PredEntity {
        let b = Body::new(body);
        let (s, e) = b.locate(text, occurrence).unwrap();
        PredEntity {
            kind: kind.into(),
            text: text.into(),
            start: Some(s as i64),
            end: Some(e as i64),
            ..PredEntity::default()
        }
    }

    fn article(entities: Vec<GoldEntity>) -> GoldArticle {
        GoldArticle {
            id: "a".into(),
            published: Some("2025-04-16".into()),
            body: Some(BODY.into()),
            entities,
        }
    }

    fn preds(entities: Vec<PredEntity>) -> PredArticle {
        PredArticle {
            id: "a".into(),
            body: None,
            entities,
        }
    }

    fn base_gold() -> GoldArticle {
        article(vec![
            gold("person", "Rubio", 1),
            gold("person", "Macron", 1),
            gold("place", "Paris", 1),
            gold("person", "Rubio", 2),
            gold("number", "two", 1),
            gold("date", "Monday", 1),
            gold("place", "Paris", 2),
        ])
    }

    #[test]
    fn perfect_predictions_score_one() {
        let g = base_gold();
        let p = preds(
            g.entities
                .iter()
                .map(|e| pred_at(&e.kind, &e.text, BODY, e.occurrence))
                .collect(),
        );
        let r = score(&[g], &[p]);
        assert_eq!(
            r.strict.overall,
            Prf {
                tp: 7,
                fp: 0,
                fn_: 0
            }
        );
        assert_eq!(r.lenient.overall, r.strict.overall);
        assert_eq!(r.strict.overall.f1(), 1.0);
        assert_eq!(r.offsets_unusable, 0);
    }

    #[test]
    fn occurrence_comes_from_offsets_not_from_list_order() {
        // Only the second "Paris" is predicted: it must match gold occurrence 2, not 1.
        let g = base_gold();
        let p = preds(vec![pred_at("place", "Paris", BODY, 2)]);
        let r = score(&[g], &[p]);
        let place = r.strict.per_kind["place"];
        assert_eq!(
            place,
            Prf {
                tp: 1,
                fp: 0,
                fn_: 1
            }
        );
        assert_eq!(
            r.strict.per_kind["person"],
            Prf {
                tp: 0,
                fp: 0,
                fn_: 3
            }
        );
    }

    #[test]
    fn wrong_kind_is_a_false_positive_and_a_miss() {
        let g = base_gold();
        let p = preds(vec![pred_at("country", "Paris", BODY, 1)]);
        let r = score(&[g], &[p]);
        assert_eq!(
            r.strict.per_kind["country"],
            Prf {
                tp: 0,
                fp: 1,
                fn_: 0
            }
        );
        assert_eq!(r.strict.per_kind["place"].fn_, 2);
        assert_eq!(r.lenient.per_kind["place"].tp, 0);
    }

    #[test]
    fn text_order_fallback_when_offsets_are_missing_or_wrong() {
        let g = base_gold();
        let mut wrong = pred_at("place", "Paris", BODY, 2);
        wrong.start = wrong.start.map(|s| s + 3); // no longer points at "Paris"
        wrong.end = wrong.end.map(|s| s + 3);
        let mut bare = pred_at("person", "Rubio", BODY, 1);
        bare.start = None;
        bare.end = None;
        // Listed first without offsets: occurrence 1 by text order.
        let p = preds(vec![wrong, bare]);
        let r = score(&[g], &[p]);
        assert_eq!(r.offsets_unusable, 1);
        assert_eq!(
            r.strict.per_kind["place"],
            Prf {
                tp: 1,
                fp: 0,
                fn_: 1
            }
        );
        assert_eq!(
            r.strict.per_kind["person"],
            Prf {
                tp: 1,
                fp: 0,
                fn_: 2
            }
        );
    }

    #[test]
    fn one_to_one_duplicates_are_false_positives() {
        let g = base_gold();
        let p = preds(vec![
            pred_at("person", "Macron", BODY, 1),
            pred_at("person", "Macron", BODY, 1),
        ]);
        let r = score(&[g], &[p]);
        assert_eq!(
            r.strict.per_kind["person"],
            Prf {
                tp: 1,
                fp: 1,
                fn_: 2
            }
        );
        assert_eq!(
            r.lenient.per_kind["person"],
            Prf {
                tp: 1,
                fp: 1,
                fn_: 2
            }
        );
    }

    #[test]
    fn lenient_accepts_overlapping_spans_strict_does_not() {
        let g = article(vec![
            gold("date", "on Monday", 1),
            gold("person", "Rubio", 1),
        ]);
        let p = preds(vec![
            pred_at("date", "Monday", BODY, 1),
            pred_at("person", "Rubio met", BODY, 1),
        ]);
        let r = score(&[g], &[p]);
        assert_eq!(
            r.strict.overall,
            Prf {
                tp: 0,
                fp: 2,
                fn_: 2
            }
        );
        assert_eq!(
            r.lenient.overall,
            Prf {
                tp: 2,
                fp: 0,
                fn_: 0
            }
        );
    }

    #[test]
    fn lenient_matching_is_maximal() {
        // Pred A overlaps both golds, pred B only the first: both must be matched.
        let body = "New York City Hall";
        let g = GoldArticle {
            id: "a".into(),
            published: None,
            body: Some(body.into()),
            entities: vec![gold("place", "New York", 1), gold("place", "City Hall", 1)],
        };
        let p = preds(vec![
            pred_at("place", "York City", body, 1),
            pred_at("place", "New", body, 1),
        ]);
        let r = score(&[g], &[p]);
        assert_eq!(
            r.lenient.overall,
            Prf {
                tp: 2,
                fp: 0,
                fn_: 0
            }
        );
    }

    #[test]
    fn normalised_text_matches_curly_quotes_case_and_accents() {
        let body = "Jean-Noël Barrot said ‘yes’.";
        let g = GoldArticle {
            id: "a".into(),
            published: None,
            body: Some(body.into()),
            entities: vec![gold("person", "Jean-Noël Barrot", 1)],
        };
        let mut e = pred_at("person", "Jean-Noël Barrot", body, 1);
        e.text = "jean-noel barrot".into();
        let r = score(&[g], &[preds(vec![e])]);
        assert_eq!(r.strict.overall.tp, 1);
        assert_eq!(r.offsets_unusable, 0);
    }

    #[test]
    fn offsets_are_chars_not_bytes() {
        // "’" is 3 bytes; char offsets after it must still resolve.
        let g = base_gold();
        let b = Body::new(BODY);
        assert_eq!(b.locate("two", 1), Some((45, 48)));
        assert_eq!(b.slice(45, 48), Some("two"));
        let p = preds(vec![PredEntity {
            kind: "number".into(),
            text: "two".into(),
            start: Some(45),
            end: Some(48),
            value: Some(json!(2)),
            ..PredEntity::default()
        }]);
        let r = score(&[g], &[p]);
        assert_eq!(r.strict.per_kind["number"].tp, 1);
        assert_eq!(r.offsets_unusable, 0);
    }

    #[test]
    fn fields_are_checked_on_matched_pairs_only_where_gold_has_them() {
        let mut g = base_gold();
        g.entities[0].canonical = Some("Marco Rubio".into());
        g.entities[0].role = Some("secretary of state".into());
        g.entities[0].country = Some("USA".into());
        g.entities[4].value = Some(json!(2));
        g.entities[5].value = Some(json!("2025-04-14"));
        g.entities[5].precision = Some("day".into());
        let mut rubio = pred_at("person", "Rubio", BODY, 1);
        rubio.canonical = Some("marco  rubio".into());
        rubio.role = Some("foreign minister".into());
        rubio.country = Some("usa".into());
        let mut two = pred_at("number", "two", BODY, 1);
        two.value = Some(json!(2.0));
        let mut monday = pred_at("date", "Monday", BODY, 1);
        monday.value = Some(json!("2025-04-21"));
        monday.precision = Some("day".into());
        let mut macron = pred_at("person", "Macron", BODY, 1);
        macron.role = Some("president".into()); // gold has no role: not checked
        let r = score(&[g], &[preds(vec![rubio, two, monday, macron])]);
        let f = r.strict.fields;
        assert_eq!((f.canonical.ok, f.canonical.n), (1, 1));
        assert_eq!((f.role.ok, f.role.n), (0, 1));
        assert_eq!((f.country.ok, f.country.n), (1, 1));
        assert_eq!((f.value.ok, f.value.n), (1, 2));
        assert_eq!((f.precision.ok, f.precision.n), (1, 1));
    }

    #[test]
    fn optional_and_demonym_gold_neither_help_nor_hurt() {
        let body = "French and Russian officials met.";
        let mut french = gold("country", "French", 1);
        french.demonym = true;
        let mut russian = gold("country", "Russian", 1);
        russian.optional = true;
        let g = GoldArticle {
            id: "a".into(),
            published: None,
            body: Some(body.into()),
            entities: vec![french, russian],
        };
        let p = preds(vec![pred_at("country", "Russian", body, 1)]);
        let counted = score(std::slice::from_ref(&g), std::slice::from_ref(&p));
        assert_eq!(
            counted.strict.overall,
            Prf {
                tp: 0,
                fp: 0,
                fn_: 1
            }
        );
        let skipped = score_with(&[g], &[p], &ScoreOptions { demonyms: false });
        assert_eq!(skipped.strict.overall, Prf::default());
    }

    #[test]
    fn missing_articles_and_other_kinds() {
        let g = base_gold();
        let r = score(std::slice::from_ref(&g), &[]);
        assert_eq!(r.articles_missing, 1);
        assert_eq!(
            r.strict.overall,
            Prf {
                tp: 0,
                fp: 0,
                fn_: 7
            }
        );
        assert_eq!(r.strict.overall.precision(), 0.0);
        let p = preds(vec![pred_at("time", "Monday", BODY, 1)]);
        let r = score(&[g], &[p]);
        assert_eq!((r.ignored_kinds, r.predictions), (1, 1));
        assert_eq!(r.strict.overall.fp, 0);
    }

    #[test]
    fn prediction_with_its_own_body_maps_spans_into_the_gold_body() {
        // The predicted body has an extra line in front: offsets differ, occurrences agree.
        let own = format!("Menu\n{BODY}");
        let g = base_gold();
        let p = PredArticle {
            id: "a".into(),
            body: Some(own.clone()),
            entities: vec![
                pred_at("place", "Paris", &own, 2),
                pred_at("date", "on Monday", &own, 1),
            ],
        };
        let r = score(&[g], &[p]);
        assert_eq!(r.strict.per_kind["place"].tp, 1);
        assert_eq!(
            r.strict.per_kind["date"],
            Prf {
                tp: 0,
                fp: 1,
                fn_: 1
            }
        );
        assert_eq!(
            r.lenient.per_kind["date"],
            Prf {
                tp: 1,
                fp: 0,
                fn_: 0
            }
        );
    }

    #[test]
    fn files_round_trip_and_errors_name_the_line() {
        let dir = tempfile::tempdir().unwrap();
        let gold = dir.path().join("gold.jsonl");
        let pred = dir.path().join("pred.jsonl");
        std::fs::write(
            &gold,
            r#"{"id": "a", "body": "Rubio met Macron.", "entities": [{"kind": "person", "text": "Rubio", "occurrence": 1}, {"kind": "person", "text": "Macron", "occurrence": 1}]}"#,
        )
        .unwrap();
        std::fs::write(
            &pred,
            "\n{\"id\": \"a\", \"entities\": [{\"kind\": \"person\", \"text\": \"Rubio\", \"start\": 0, \"end\": 5, \"lat\": null}]}\n",
        )
        .unwrap();
        let r = score_files(&gold, &pred, &ScoreOptions::default()).unwrap();
        assert_eq!(
            r.strict.overall,
            Prf {
                tp: 1,
                fp: 0,
                fn_: 1
            }
        );
        let js = r.to_json();
        assert_eq!(js["strict"]["overall"]["p"], json!(1.0));
        assert_eq!(js["strict"]["overall"]["r"], json!(0.5));
        assert!(r.to_string().contains("overall"));
        std::fs::write(&pred, "{\"id\": \"a\"}\n{\"id\": 3}\n").unwrap();
        let err = score_files(&gold, &pred, &ScoreOptions::default()).unwrap_err();
        assert!(
            matches!(err, EntityEvalError::Json { line: 2, .. }),
            "{err}"
        );
    }

    /// The committed gold must be self-consistent: every mention found at its offsets, no two
    /// mentions overlapping, and the gold scored against itself perfect.
    #[test]
    fn committed_gold_is_consistent() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/fixtures/entities/samples.gold.jsonl");
        let gold = read_gold(&path).unwrap();
        assert_eq!(gold.len(), 5);
        // The bodies file (the input for `eventwire entities` and spaCy) holds the same texts.
        let bodies = std::fs::read_to_string(path.with_file_name("samples.bodies.jsonl")).unwrap();
        let bodies: Vec<Value> = bodies
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(bodies.len(), gold.len());
        for (b, g) in bodies.iter().zip(&gold) {
            assert_eq!(b["id"].as_str(), Some(g.id.as_str()));
            assert_eq!(b["text"].as_str(), g.body.as_deref());
            assert_eq!(b["published"].as_str(), g.published.as_deref());
        }
        for g in &gold {
            let body = Body::new(g.body.as_deref().unwrap());
            let mut spans = Vec::new();
            for e in &g.entities {
                assert!(KINDS.contains(&e.kind.as_str()), "{}: {}", g.id, e.kind);
                let span = body.locate(&e.text, e.occurrence);
                assert_eq!(
                    span,
                    Some((e.start.unwrap(), e.end.unwrap())),
                    "{}: {e:?}",
                    g.id
                );
                spans.push(span.unwrap());
            }
            spans.sort_unstable();
            assert!(spans.windows(2).all(|w| w[0].1 <= w[1].0), "{}", g.id);
        }
        let pred: Vec<PredArticle> = gold
            .iter()
            .map(|g| PredArticle {
                id: g.id.clone(),
                body: None,
                entities: g
                    .entities
                    .iter()
                    .map(|e| PredEntity {
                        kind: e.kind.clone(),
                        text: e.text.clone(),
                        start: e.start.map(|s| s as i64),
                        end: e.end.map(|s| s as i64),
                        canonical: e.canonical.clone(),
                        role: e.role.clone(),
                        country: e.country.clone(),
                        value: e.value.clone(),
                        precision: e.precision.clone(),
                    })
                    .collect(),
            })
            .collect();
        let r = score(&gold, &pred);
        assert_eq!(r.strict.overall.f1(), 1.0);
        let f = r.strict.fields;
        for acc in [f.value, f.precision, f.country, f.canonical, f.role] {
            assert_eq!(acc.ok, acc.n);
        }
    }
}
