//! The scorer's output, printed and serialised exactly as score.py prints it.

use serde_json::{Map, Value};

macro_rules! counts {
    ($($field:ident),* $(,)?) => {
        /// The raw tallies behind the metrics (score.py's `counts`), in score.py's order.
        #[derive(Debug, Clone, Default, PartialEq, Eq)]
        #[allow(missing_docs)]
        pub struct Counts {
            $(pub $field: i64,)*
        }

        impl Counts {
            /// Every tally with its score.py name, in score.py's order.
            pub fn entries(&self) -> Vec<(&'static str, i64)> {
                vec![$((stringify!($field), self.$field),)*]
            }
        }
    };
}

counts!(
    dip_tp,
    dip_fp,
    dip_fn,
    dip_status_ok,
    dip_date_n,
    dip_date_ok,
    dip_loc_n,
    dip_loc_ok,
    dip_kind_ok,
    dip_matched,
    cas_tp,
    cas_fp,
    cas_fn,
    cas_killed_ok,
    cas_killed_n,
    cas_injured_ok,
    cas_injured_n,
    cas_perp_ok,
    cas_perp_n,
    clean_ok,
    clean_n,
    meta_ok,
    meta_n,
    dup_ok,
    dup_n,
    docs_missing,
);

/// Scores of predictions against gold, field for field score.py's output.
///
/// Precision, recall and F1 are 0.0 when undefined, as in score.py; the accuracies are `None`
/// when nothing was there to check.
#[derive(Debug, Clone, PartialEq)]
#[allow(missing_docs)]
pub struct Report {
    pub diplomatic_p: f64,
    pub diplomatic_r: f64,
    pub diplomatic_f1: f64,
    pub casualty_p: f64,
    pub casualty_r: f64,
    pub casualty_f1: f64,
    pub diplomatic_status_acc: Option<f64>,
    pub diplomatic_kind_acc: Option<f64>,
    pub diplomatic_date_acc: Option<f64>,
    pub diplomatic_location_acc: Option<f64>,
    pub casualty_killed_acc: Option<f64>,
    pub casualty_injured_acc: Option<f64>,
    pub casualty_perpetrator_acc: Option<f64>,
    pub cleaning_checks: Option<f64>,
    pub metadata_acc: Option<f64>,
    pub duplicate_acc: Option<f64>,
    pub docs_missing: i64,
    pub counts: Counts,
}

enum Metric {
    Ratio(Option<f64>),
    Int(i64),
}

impl Report {
    pub(crate) fn from_counts(m: Counts) -> Self {
        let (diplomatic_p, diplomatic_r, diplomatic_f1) =
            crate::rules::prf(m.dip_tp, m.dip_fp, m.dip_fn);
        let (casualty_p, casualty_r, casualty_f1) = crate::rules::prf(m.cas_tp, m.cas_fp, m.cas_fn);
        let ratio = |a: i64, b: i64| (b != 0).then(|| a as f64 / b as f64);
        Report {
            diplomatic_p,
            diplomatic_r,
            diplomatic_f1,
            casualty_p,
            casualty_r,
            casualty_f1,
            diplomatic_status_acc: ratio(m.dip_status_ok, m.dip_matched),
            diplomatic_kind_acc: ratio(m.dip_kind_ok, m.dip_matched),
            diplomatic_date_acc: ratio(m.dip_date_ok, m.dip_date_n),
            diplomatic_location_acc: ratio(m.dip_loc_ok, m.dip_loc_n),
            casualty_killed_acc: ratio(m.cas_killed_ok, m.cas_killed_n),
            casualty_injured_acc: ratio(m.cas_injured_ok, m.cas_injured_n),
            casualty_perpetrator_acc: ratio(m.cas_perp_ok, m.cas_perp_n),
            cleaning_checks: ratio(m.clean_ok, m.clean_n),
            metadata_acc: ratio(m.meta_ok, m.meta_n),
            duplicate_acc: ratio(m.dup_ok, m.dup_n),
            docs_missing: m.docs_missing,
            counts: m,
        }
    }

    /// The metrics in score.py's order; one list keeps text and JSON output in step.
    fn metrics(&self) -> [(&'static str, Metric); 17] {
        use Metric::{Int, Ratio};
        [
            ("diplomatic_p", Ratio(Some(self.diplomatic_p))),
            ("diplomatic_r", Ratio(Some(self.diplomatic_r))),
            ("diplomatic_f1", Ratio(Some(self.diplomatic_f1))),
            ("casualty_p", Ratio(Some(self.casualty_p))),
            ("casualty_r", Ratio(Some(self.casualty_r))),
            ("casualty_f1", Ratio(Some(self.casualty_f1))),
            ("diplomatic_status_acc", Ratio(self.diplomatic_status_acc)),
            ("diplomatic_kind_acc", Ratio(self.diplomatic_kind_acc)),
            ("diplomatic_date_acc", Ratio(self.diplomatic_date_acc)),
            (
                "diplomatic_location_acc",
                Ratio(self.diplomatic_location_acc),
            ),
            ("casualty_killed_acc", Ratio(self.casualty_killed_acc)),
            ("casualty_injured_acc", Ratio(self.casualty_injured_acc)),
            (
                "casualty_perpetrator_acc",
                Ratio(self.casualty_perpetrator_acc),
            ),
            ("cleaning_checks", Ratio(self.cleaning_checks)),
            ("metadata_acc", Ratio(self.metadata_acc)),
            ("duplicate_acc", Ratio(self.duplicate_acc)),
            ("docs_missing", Int(self.docs_missing)),
        ]
    }

    /// What `score.py GOLD PRED` prints: one `key: value` line per metric, floats to three
    /// decimals (Rust and Python both round the exact binary value half to even).
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for (key, metric) in self.metrics() {
            let line = match metric {
                Metric::Ratio(Some(v)) => format!("{key}: {v:.3}\n"),
                Metric::Ratio(None) => format!("{key}: None\n"),
                Metric::Int(v) => format!("{key}: {v}\n"),
            };
            out.push_str(&line);
        }
        out
    }

    /// What `score.py GOLD PRED --json` prints, `counts` included, as a JSON value (key order
    /// aside: serde_json's map is sorted).
    pub fn to_json(&self) -> Value {
        let mut out = Map::new();
        for (key, metric) in self.metrics() {
            let value = match metric {
                Metric::Ratio(v) => v.map_or(Value::Null, Value::from),
                Metric::Int(v) => Value::from(v),
            };
            out.insert(key.to_string(), value);
        }
        let counts = self
            .counts
            .entries()
            .into_iter()
            .map(|(k, v)| (k.to_string(), Value::from(v)));
        out.insert("counts".to_string(), Value::Object(counts.collect()));
        Value::Object(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_json_follow_score_py_formats() {
        let counts = Counts {
            dip_tp: 1,
            dip_fn: 15,
            dip_matched: 16,
            dip_status_ok: 1,
            dup_n: 3,
            dup_ok: 2,
            ..Counts::default()
        };
        let report = Report::from_counts(counts);
        let text = report.to_text();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 17);
        assert_eq!(lines[0], "diplomatic_p: 1.000");
        assert_eq!(lines[1], "diplomatic_r: 0.062");
        assert_eq!(lines[3], "casualty_p: 0.000");
        assert_eq!(lines[6], "diplomatic_status_acc: 0.062");
        assert_eq!(lines[8], "diplomatic_date_acc: None");
        assert_eq!(lines[15], "duplicate_acc: 0.667");
        assert_eq!(lines[16], "docs_missing: 0");
        assert!(text.ends_with('\n'));
        let json = report.to_json();
        assert_eq!(json["diplomatic_date_acc"], Value::Null);
        assert_eq!(json["docs_missing"], Value::from(0));
        assert_eq!(json["counts"]["dip_fn"], Value::from(15));
        assert_eq!(json["counts"].as_object().map(Map::len), Some(26));
        assert_eq!(json.as_object().map(Map::len), Some(18));
    }
}
