//! Evaluating expressions and the report table.

use std::fmt::Write as _;

use anyhow::Result;

use crate::prometheus::{Answer, Prometheus};
use crate::promql::{
    absent_inner, is_scalar_literal, one_line, reads_metric, split_filter, Filter,
};

/// One checked expression.
pub(crate) struct Checked {
    pub(crate) source: String,
    pub(crate) expr: String,
    pub(crate) series: Option<usize>,
    pub(crate) verdict: String,
    pub(crate) ok: bool,
}

/// The result of the live run.
#[derive(Default)]
pub(crate) struct Report {
    pub(crate) checked: Vec<Checked>,
    pub(crate) notes: Vec<String>,
    pub(crate) failures: Vec<String>,
}

impl Report {
    pub(crate) fn render(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "\n== PromQL expressions evaluated against the live Prometheus ({}) ==",
            self.checked.len()
        );
        let _ = writeln!(
            out,
            "{:<6} {:>6}  {:<60}  expression",
            "result", "series", "where"
        );
        for c in &self.checked {
            let _ = writeln!(
                out,
                "{:<6} {:>6}  {:<60}  {}",
                if c.ok { "ok" } else { "FAIL" },
                c.series
                    .map(|s| s.to_string())
                    .unwrap_or_else(|| "-".into()),
                c.source,
                c.expr
            );
            if !c.verdict.is_empty() {
                let _ = writeln!(out, "{:>15}  ^ {}", "", c.verdict);
            }
        }
        let ok = self.checked.iter().filter(|c| c.ok).count();
        let with_series = self
            .checked
            .iter()
            .filter(|c| c.ok && c.series.is_some_and(|s| s > 0))
            .count();
        let _ = writeln!(
            out,
            "\n{} expressions: {ok} ok ({with_series} returned series, {} empty by design), {} failed",
            self.checked.len(),
            ok - with_series,
            self.checked.len() - ok
        );
        for n in &self.notes {
            let _ = writeln!(out, "{n}");
        }
        out
    }
}

/// Evaluates `expr`; on an empty result, explains it (a false condition whose operands return
/// series, an `absent` of something present, or a metric allowed to be missing) or fails.
pub(crate) fn evaluate(
    prom: &Prometheus,
    expr: &str,
    may_be_empty: &[(String, String)],
    depth: usize,
) -> Result<(Option<usize>, String, bool)> {
    let answer = prom.query(expr)?;
    let n = match answer {
        Answer::Invalid(why) => return Ok((None, format!("invalid: {why}"), false)),
        Answer::Series(n, _) if n > 0 => return Ok((Some(n), String::new(), true)),
        Answer::Series(n, _) => n,
    };
    if depth < 6 {
        if let Some(inner) = absent_inner(expr) {
            let (s, why, ok) = evaluate(prom, inner, may_be_empty, depth + 1)?;
            let count = s.unwrap_or(0);
            return Ok(if ok && count > 0 {
                (
                    Some(n),
                    format!("absent() of something present ({count} series): not firing"),
                    true,
                )
            } else if ok {
                (Some(n), format!("absent() of: {why}"), true)
            } else {
                (Some(n), format!("the argument of absent(): {why}"), false)
            });
        }
        if let Some((lhs, op, rhs)) = split_filter(expr) {
            let mut parts = Vec::new();
            let mut all_ok = true;
            for operand in [&lhs, &rhs] {
                if is_scalar_literal(operand) {
                    continue;
                }
                let (s, why, ok) = evaluate(prom, operand, may_be_empty, depth + 1)?;
                all_ok &= ok;
                let count = s.map(|c| c.to_string()).unwrap_or_else(|| "-".into());
                parts.push(if why.is_empty() {
                    format!("`{}` has {count}", shorten(operand))
                } else {
                    format!("`{}` has {count} ({why})", shorten(operand))
                });
            }
            let what = match op {
                Filter::Compare => "comparison",
                Filter::And => "and",
                Filter::Or => "or",
                Filter::Unless => "unless",
            };
            return Ok(if all_ok {
                (
                    Some(n),
                    format!("{what} is false now; operands: {}", parts.join("; ")),
                    true,
                )
            } else {
                (
                    Some(n),
                    format!("{what} is empty and so is an operand: {}", parts.join("; ")),
                    false,
                )
            });
        }
    }
    if let Some((metric, why)) = may_be_empty.iter().find(|(m, _)| reads_metric(expr, m)) {
        return Ok((Some(n), format!("empty, allowed: {metric} {why}"), true));
    }
    Ok((
        Some(n),
        "no series although traffic should produce some".into(),
        false,
    ))
}

pub(crate) fn shorten(expr: &str) -> String {
    let one = one_line(expr);
    if one.chars().count() > 90 {
        let cut: String = one.chars().take(87).collect();
        format!("{cut}...")
    } else {
        one
    }
}
