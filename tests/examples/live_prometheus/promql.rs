//! PromQL helpers: the metric names and literals of an expression (parsed with `promql-parser`),
//! and, on the text (which may still hold Grafana variables, so is not PromQL yet), Grafana
//! variables, ranges and top-level filtering operators.

use std::collections::{BTreeSet, HashMap};
use std::convert::Infallible;

use anyhow::{anyhow, bail, Result};
use promql_parser::label::{MatchOp, METRIC_NAME};
use promql_parser::parser::{self, Expr};
use promql_parser::util::{walk_expr, ExprVisitor};

/// Byte ranges of `expr` that are inside string literals or comments.
pub(crate) fn masked(expr: &str) -> Vec<bool> {
    let b = expr.as_bytes();
    let mut mask = vec![false; b.len()];
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            q @ (b'"' | b'\'' | b'`') => {
                let start = i;
                i += 1;
                while i < b.len() && b[i] != q {
                    if b[i] == b'\\' && q != b'`' {
                        i += 1;
                    }
                    i += 1;
                }
                let end = (i + 1).min(b.len());
                mask[start..end].iter_mut().for_each(|m| *m = true);
                i = end;
            }
            b'#' => {
                let start = i;
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                mask[start..i].iter_mut().for_each(|m| *m = true);
            }
            _ => i += 1,
        }
    }
    mask
}

/// The Grafana variables an expression uses: `$name`, `${name}`, `${name:format}`, `[[name]]`.
pub(crate) fn variables_in(expr: &str) -> Vec<String> {
    let mut out = Vec::new();
    let b = expr.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'$' {
            if b.get(i + 1) == Some(&b'{') {
                if let Some(end) = expr[i + 2..].find('}') {
                    let inner = &expr[i + 2..i + 2 + end];
                    out.push(inner.split(':').next().unwrap_or("").to_string());
                    i += end + 3;
                    continue;
                }
            } else {
                let name: String = expr[i + 1..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    i += name.len() + 1;
                    out.push(name);
                    continue;
                }
            }
        } else if expr[i..].starts_with("[[") {
            if let Some(end) = expr[i + 2..].find("]]") {
                out.push(expr[i + 2..i + 2 + end].to_string());
                i += end + 4;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// The contents of every range selector `[...]` outside strings (subquery steps included).
pub(crate) fn ranges_in(expr: &str) -> Vec<String> {
    let mask = masked(expr);
    let mut out = Vec::new();
    let b = expr.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if !mask[i] && b[i] == b'[' && b.get(i + 1) != Some(&b'[') {
            if let Some(end) = expr[i + 1..].find(']') {
                out.push(expr[i + 1..i + 1 + end].trim().to_string());
                i += end + 2;
                continue;
            }
        }
        if !mask[i] && b[i] == b'[' && b.get(i + 1) == Some(&b'[') {
            // A [[variable]]: not a range.
            i += expr[i..].find("]]").map(|e| e + 2).unwrap_or(b.len() - i);
            continue;
        }
        i += 1;
    }
    out
}

/// Whether `expr` selects the metric (or recorded series) `name`.
pub(crate) fn references(expr: &str, name: &str) -> bool {
    metrics_read(expr).contains(name)
}

/// Whether `expr` reads metric family `metric`: the metric itself, or the `_bucket`, `_sum` and
/// `_count` series of a histogram of that name.
pub(crate) fn reads_metric(expr: &str, metric: &str) -> bool {
    let read = metrics_read(expr);
    ["", "_bucket", "_sum", "_count"]
        .iter()
        .any(|suffix| read.contains(&format!("{metric}{suffix}")))
}

/// The metric names `expr` selects: every selector's name, or its `__name__="..."` matcher.
/// Empty when `expr` is not valid PromQL (a name inside a string or a label value is not read).
pub(crate) fn metrics_read(expr: &str) -> BTreeSet<String> {
    let Ok(ast) = parser::parse(expr) else {
        return BTreeSet::new();
    };
    let mut names = SelectorNames::default();
    let Ok(_) = walk_expr(&mut names, &ast);
    names.0
}

/// Collects the metric names of the selectors of an expression.
#[derive(Default)]
struct SelectorNames(BTreeSet<String>);

impl ExprVisitor for SelectorNames {
    type Error = Infallible;

    fn pre_visit(&mut self, expr: &Expr) -> Result<bool, Infallible> {
        let selector = match expr {
            Expr::VectorSelector(vs) => vs,
            Expr::MatrixSelector(ms) => &ms.vs,
            _ => return Ok(true),
        };
        self.0.extend(selector.name.iter().cloned());
        let by_name_matcher = selector
            .matchers
            .matchers
            .iter()
            .filter(|m| m.name == METRIC_NAME && matches!(m.op, MatchOp::Equal));
        self.0.extend(by_name_matcher.map(|m| m.value.clone()));
        Ok(true)
    }
}

/// `label_values(selector, label)` to `(selector, label)`.
pub(crate) fn parse_label_values(query: &str) -> Option<(String, String)> {
    let inner = query
        .trim()
        .strip_prefix("label_values(")?
        .strip_suffix(')')?;
    let (selector, label) = inner.rsplit_once(',')?;
    let label = label.trim();
    (!selector.trim().is_empty()
        && !label.is_empty()
        && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
    .then(|| (selector.trim().to_string(), label.to_string()))
}

/// The operators that filter series instead of computing them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Filter {
    Or,
    And,
    Unless,
    Compare,
}

/// Splits `expr` at its lowest-precedence top-level filtering operator (`or`; then `and` and
/// `unless`; then comparisons), the rightmost of equals (PromQL's operators associate left);
/// the right side starts after the operator's modifiers (`bool`, `on(...)`, `ignoring(...)`,
/// `group_left(...)`, `group_right(...)`). `None` when there is no such operator.
pub(crate) fn split_filter(expr: &str) -> Option<(String, Filter, String)> {
    let mask = masked(expr);
    let b = expr.as_bytes();
    let mut depth = 0i32;
    // (precedence, start, end, filter); lower precedence binds looser.
    let mut best: Option<(u8, usize, usize, Filter)> = None;
    let mut consider = |prec: u8, start: usize, end: usize, f: Filter| {
        if best.is_none_or(|(bp, ..)| prec <= bp) {
            best = Some((prec, start, end, f));
        }
    };
    let mut i = 0;
    while i < b.len() {
        if mask[i] {
            i += 1;
            continue;
        }
        let c = b[i];
        match c {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth -= 1,
            _ if depth != 0 => {}
            b'=' | b'!' | b'>' | b'<' => {
                let two = b.get(i + 1) == Some(&b'=');
                let op_len = if two { 2 } else { 1 };
                if c == b'=' && !two {
                    i += 1;
                    continue;
                }
                if c == b'!' && !two {
                    i += 1;
                    continue;
                }
                consider(3, i, i + op_len, Filter::Compare);
                i += op_len;
                continue;
            }
            _ if c.is_ascii_alphabetic() || c == b'_' => {
                let start = i;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b':')
                {
                    i += 1;
                }
                match &expr[start..i] {
                    "or" => consider(1, start, i, Filter::Or),
                    "and" => consider(2, start, i, Filter::And),
                    "unless" => consider(2, start, i, Filter::Unless),
                    _ => {}
                }
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    let (_, start, end, filter) = best?;
    let lhs = expr[..start].trim();
    let rhs = skip_modifiers(&expr[end..]).trim();
    if lhs.is_empty() || rhs.is_empty() {
        return None;
    }
    Some((lhs.to_string(), filter, rhs.to_string()))
}

/// `text` after the binary-operator modifiers at its start.
pub(crate) fn skip_modifiers(mut text: &str) -> &str {
    loop {
        let t = text.trim_start();
        let word: String = t
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        match word.as_str() {
            "bool" => text = &t[word.len()..],
            "on" | "ignoring" | "group_left" | "group_right" => {
                let after = t[word.len()..].trim_start();
                if after.starts_with('(') {
                    match matching_paren(after, 0) {
                        Some(close) => text = &after[close + 1..],
                        None => return t,
                    }
                } else {
                    text = after;
                }
            }
            _ => return t,
        }
    }
}

/// The index of the parenthesis closing the one at `open` (outside strings).
pub(crate) fn matching_paren(text: &str, open: usize) -> Option<usize> {
    let mask = masked(text);
    let mut depth = 0i32;
    for (i, c) in text.bytes().enumerate().skip(open) {
        if mask[i] {
            continue;
        }
        match c {
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// `expr` without parentheses around the whole of it.
pub(crate) fn strip_parens(mut expr: &str) -> &str {
    loop {
        let t = expr.trim();
        if t.starts_with('(') && matching_paren(t, 0) == Some(t.len() - 1) {
            expr = &t[1..t.len() - 1];
        } else {
            return t;
        }
    }
}

/// The argument of `absent(...)` or `absent_over_time(...)` when that is the whole expression.
pub(crate) fn absent_inner(expr: &str) -> Option<&str> {
    let t = strip_parens(expr);
    for f in ["absent(", "absent_over_time("] {
        if let Some(rest) = t.strip_prefix(f) {
            let open = f.len() - 1;
            if matching_paren(t, open) == Some(t.len() - 1) {
                return Some(rest[..rest.len() - 1].trim());
            }
        }
    }
    None
}

/// Whether `expr` is arithmetic on number literals only (`0.05`, `(14.4 * 0.01)`, `-1`).
pub(crate) fn is_scalar_literal(expr: &str) -> bool {
    parser::parse(expr).is_ok_and(|ast| is_number_arithmetic(&ast))
}

/// Whether `expr` is a number, or arithmetic, parentheses and signs on numbers only.
fn is_number_arithmetic(expr: &Expr) -> bool {
    match expr {
        Expr::NumberLiteral(_) => true,
        Expr::Paren(p) => is_number_arithmetic(&p.expr),
        Expr::Unary(u) => is_number_arithmetic(&u.expr),
        Expr::Binary(b) => is_number_arithmetic(&b.lhs) && is_number_arithmetic(&b.rhs),
        _ => false,
    }
}

/// Substitutes Grafana variables in `expr` with their values.
pub(crate) fn substitute(expr: &str, values: &HashMap<String, String>) -> Result<String> {
    let mut out = String::with_capacity(expr.len());
    let mut rest = expr;
    while let Some(i) = rest.find(['$', '[']) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let (name, len) = if let Some(body) = tail.strip_prefix("${") {
            match body.find('}') {
                Some(end) => (
                    body[..end].split(':').next().unwrap_or("").to_string(),
                    end + 3,
                ),
                None => bail!("unterminated ${{ in {expr}"),
            }
        } else if let Some(body) = tail.strip_prefix("[[") {
            match body.find("]]") {
                Some(end) => (body[..end].to_string(), end + 4),
                None => bail!("unterminated [[ in {expr}"),
            }
        } else if let Some(body) = tail.strip_prefix('$') {
            let name: String = body
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            let len = name.len() + 1;
            (name, len)
        } else {
            out.push('[');
            rest = &tail[1..];
            continue;
        };
        if name.is_empty() {
            out.push_str(&tail[..1]);
            rest = &tail[1..];
            continue;
        }
        let value = values
            .get(&name)
            .ok_or_else(|| anyhow!("${name} is not defined (in {expr})"))?;
        out.push_str(value);
        rest = &tail[len..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Grafana's value of a multi-value variable set to "All" in a Prometheus query: the regex
/// alternation of every value, each escaped for a regex inside a PromQL string.
pub(crate) fn all_values_regex(values: &[String]) -> String {
    let escaped: Vec<String> = values
        .iter()
        .map(|v| {
            let mut s = String::new();
            for c in v.chars() {
                if "\\^$*+?.()|{}[]".contains(c) {
                    s.push_str("\\\\");
                }
                s.push(c);
            }
            s
        })
        .collect();
    format!("({})", escaped.join("|"))
}

pub(crate) fn one_line(expr: &str) -> String {
    expr.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_split_at_the_loosest_top_level_operator() {
        let (l, f, r) = split_filter(
            "max by (service) (lag) > 0\nand on (service)\n(time() - max by (service) (t)) > 300",
        )
        .unwrap();
        assert_eq!(f, Filter::And);
        assert_eq!(l, "max by (service) (lag) > 0");
        assert_eq!(r, "(time() - max by (service) (t)) > 300");
        let (l, f, r) = split_filter(&l).unwrap();
        assert_eq!(
            (l.as_str(), f, r.as_str()),
            ("max by (service) (lag)", Filter::Compare, "0")
        );
        // Label matchers, strings and ranges are not operators; `bool` and group modifiers are
        // skipped.
        let (l, f, r) = split_filter(
            "sum(x{a!=\"b\", c=~\"d>e\"}[5m]) >= bool on (a) group_left (b) y{z=\"<\"}",
        )
        .unwrap();
        assert_eq!(f, Filter::Compare);
        assert_eq!(l, "sum(x{a!=\"b\", c=~\"d>e\"}[5m])");
        assert_eq!(r, "y{z=\"<\"}");
        // or binds looser than and; the rightmost of equals is the split.
        let (l, f, r) = split_filter("a and b or c or d").unwrap();
        assert_eq!(
            (l.as_str(), f, r.as_str()),
            ("a and b or c", Filter::Or, "d")
        );
        assert_eq!(
            split_filter("a unless b").map(|x| x.1),
            Some(Filter::Unless)
        );
        // Words that merely contain operators, and arithmetic, do not split.
        assert!(split_filter("sum(rate(errors_total[5m])) / sum(rate(in_total[5m]))").is_none());
        assert!(split_filter("order_total + band").is_none());
        assert!(split_filter("(a > 1)").is_none(), "inside parentheses");
    }

    #[test]
    fn absent_and_literals_are_recognised() {
        assert_eq!(
            absent_inner(" absent(up{job=\"x\"}) "),
            Some("up{job=\"x\"}")
        );
        assert_eq!(absent_inner("(absent_over_time(up[5m]))"), Some("up[5m]"));
        assert_eq!(absent_inner("absent(a) or absent(b)"), None);
        assert!(is_scalar_literal("(14.4 * 0.01)"));
        assert!(is_scalar_literal("300"));
        assert!(is_scalar_literal("1e3"));
        assert!(!is_scalar_literal("time()"));
        assert!(!is_scalar_literal("up"));
        assert!(is_scalar_literal("-(1 - 0.999) * 14.4"));
        assert!(!is_scalar_literal("1 + up"));
        assert!(!is_scalar_literal(""));
        assert_eq!(strip_parens("((a) + (b))"), "(a) + (b)");
        assert_eq!(strip_parens("(a) + (b)"), "(a) + (b)");
    }

    #[test]
    fn variables_and_ranges_are_found_and_substituted() {
        let e = "sum(rate(x{s=~\"$service\", i=~\"${instance:regex}\", k=~\"[[kind]]\"}[$__rate_interval])) + y[$__range]";
        assert_eq!(
            variables_in(e),
            ["service", "instance", "kind", "__rate_interval", "__range"]
        );
        assert_eq!(ranges_in(e), ["$__rate_interval", "$__range"]);
        assert_eq!(ranges_in("x{a=\"[5m]\"}[1m:10s]"), ["1m:10s"]);
        let values: HashMap<String, String> = [
            ("service", "(cleaner|tagger)"),
            ("instance", "(127\\\\.0\\\\.0\\\\.1:1)"),
            ("kind", "meet"),
            ("__rate_interval", "8s"),
            ("__range", "90s"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        assert_eq!(
            substitute(e, &values).unwrap(),
            "sum(rate(x{s=~\"(cleaner|tagger)\", i=~\"(127\\\\.0\\\\.0\\\\.1:1)\", k=~\"meet\"}[8s])) + y[90s]"
        );
        assert!(substitute("x{a=\"$nope\"}", &values).is_err());
        assert_eq!(
            substitute("price in $ and [0]", &values).unwrap(),
            "price in $ and [0]"
        );
        assert_eq!(all_values_regex(&["a.b".into(), "c".into()]), "(a\\\\.b|c)");
    }

    #[test]
    fn label_values_queries_are_parsed() {
        assert_eq!(
            parse_label_values(
                "label_values(eventwire_build_info{service=~\"$service\"}, instance)"
            ),
            Some((
                "eventwire_build_info{service=~\"$service\"}".to_string(),
                "instance".to_string()
            ))
        );
        assert_eq!(parse_label_values("query_result(up)"), None);
        assert_eq!(parse_label_values("label_values(service)"), None);
    }

    #[test]
    fn metric_references_are_whole_words() {
        assert!(references(
            "rate(eventwire_events_total[5m])",
            "eventwire_events_total"
        ));
        assert!(!references(
            "rate(eventwire_events_total_x[5m])",
            "eventwire_events_total"
        ));
        assert!(references("a:b:c > 1", "a:b:c"));
        assert!(!references("x:a:b:c", "a:b:c"));
        assert!(reads_metric(
            "rate(eventwire_events_per_article_bucket[1m])",
            "eventwire_events_per_article"
        ));
        assert!(reads_metric("x_count / x_sum", "x"));
        assert!(!reads_metric("x_total", "x"));
        // Names inside strings and label values are not selected.
        assert!(!references(
            "up{service=\"eventwire_events_total\"}",
            "eventwire_events_total"
        ));
        assert!(references("{__name__=\"up\", job=\"x\"}", "up"));
        assert!(references("sum by (s) (rate(x_total[5m])) > 0", "x_total"));
        assert!(!references("not valid promql (", "not"));
    }
}
