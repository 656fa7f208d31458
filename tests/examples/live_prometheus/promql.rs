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
