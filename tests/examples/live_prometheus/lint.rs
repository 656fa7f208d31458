//! Static checks of the operator files (all that `--lint-only` does).

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

use crate::operator_files::{panels, Dashboard, Rule};
use crate::promql::{parse_label_values, ranges_in, references, variables_in};
use crate::{GRAFANA_BUILTINS, JOB, SERVICES, SEVERITIES};

/// Checks the Grafana datasource provisioning; returns the Prometheus datasource's uid.
pub(crate) fn lint_datasources(doc: &Value, p: &mut Vec<String>) -> Option<String> {
    let list = doc
        .get("datasources")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let prom: Vec<&Value> = list
        .iter()
        .filter(|d| d.get("type").and_then(Value::as_str) == Some("prometheus"))
        .collect();
    if prom.len() != 1 {
        p.push(format!(
            "grafana provisioning: expected one prometheus datasource, found {}",
            prom.len()
        ));
        return None;
    }
    let uid = prom[0].get("uid").and_then(Value::as_str);
    if uid.is_none_or(str::is_empty) {
        p.push("grafana provisioning: the prometheus datasource has no fixed uid".into());
    }
    if prom[0]
        .get("url")
        .and_then(Value::as_str)
        .is_none_or(str::is_empty)
    {
        p.push("grafana provisioning: the prometheus datasource has no url".into());
    }
    uid.map(str::to_string)
}

pub(crate) fn lint_dashboard_providers(doc: &Value, p: &mut Vec<String>) {
    let providers = doc
        .get("providers")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    if providers.is_empty() {
        p.push("grafana provisioning: no dashboard provider".into());
    }
    for pr in providers {
        if pr.get("type").and_then(Value::as_str) != Some("file")
            || pr
                .pointer("/options/path")
                .and_then(Value::as_str)
                .is_none_or(str::is_empty)
        {
            p.push(
                "grafana provisioning: a dashboard provider is not of type file with options.path"
                    .into(),
            );
        }
    }
}

pub(crate) fn lint_dashboard(d: &Dashboard, ds_uid: Option<&str>, p: &mut Vec<String>) {
    let f = &d.file;
    lint_identity(d, p);
    lint_variables(d, ds_uid, p);
    let names: BTreeSet<&str> = d.variables.iter().map(|v| v.name.as_str()).collect();
    // Panels: ids, layout, datasource, queries.
    let mut ids = BTreeSet::new();
    let mut boxes: Vec<(String, i64, i64, i64, i64)> = Vec::new();
    for panel in panels(&d.json) {
        let title = panel
            .get("title")
            .and_then(Value::as_str)
            .unwrap_or("(untitled)");
        lint_panel_layout(f, panel, title, &mut ids, &mut boxes, p);
        if panel.get("type").and_then(Value::as_str) == Some("row") {
            continue;
        }
        lint_panel_queries(f, panel, title, &names, p);
    }
}

/// A dashboard has a uid and a title, and no numeric id.
fn lint_identity(d: &Dashboard, p: &mut Vec<String>) {
    let f = &d.file;
    for key in ["uid", "title"] {
        if d.json
            .get(key)
            .and_then(Value::as_str)
            .is_none_or(str::is_empty)
        {
            p.push(format!("{f}: no {key}"));
        }
    }
    if d.json.get("id").is_some_and(|v| !v.is_null()) {
        p.push(format!(
            "{f}: has a numeric id (provisioned dashboards are keyed by uid; set it to null)"
        ));
    }
}

/// The datasource variable defaults to the provisioned datasource; a `service` variable
/// exists; every query variable queries ${datasource} with label_values and uses only
/// variables defined before it.
fn lint_variables(d: &Dashboard, ds_uid: Option<&str>, p: &mut Vec<String>) {
    let f = &d.file;
    // The datasource variable, and its default the provisioned datasource.
    match d.variables.iter().find(|v| v.name == "datasource") {
        Some(v) if v.kind == "datasource" && v.query.as_deref() == Some("prometheus") => {
            let current = variable_json(d, "datasource")
                .and_then(|v| v.pointer("/current/value"))
                .and_then(Value::as_str);
            if let (Some(uid), Some(current)) = (ds_uid, current) {
                if current != uid {
                    p.push(format!(
                        "{f}: the datasource variable defaults to {current}, not the provisioned uid {uid}"
                    ));
                }
            }
        }
        _ => p.push(format!(
            "{f}: no `datasource` variable of type datasource for prometheus"
        )),
    }
    if !d
        .variables
        .iter()
        .any(|v| v.name == "service" && v.kind == "query")
    {
        p.push(format!("{f}: no `service` query variable"));
    }
    let names: BTreeSet<&str> = d.variables.iter().map(|v| v.name.as_str()).collect();
    for v in &d.variables {
        if v.kind != "query" {
            continue;
        }
        let vj = variable_json(d, &v.name);
        if vj
            .and_then(|j| j.pointer("/datasource/uid"))
            .and_then(Value::as_str)
            != Some("${datasource}")
        {
            p.push(format!(
                "{f}: variable {} does not query ${{datasource}}",
                v.name
            ));
        }
        match v.query.as_deref().map(parse_label_values) {
            Some(Some((selector, _))) => {
                for used in variables_in(&selector) {
                    if !names.contains(used.as_str()) || used == v.name {
                        p.push(format!(
                            "{f}: variable {} uses ${used}, not defined before it",
                            v.name
                        ));
                    }
                }
            }
            _ => p.push(format!(
                "{f}: variable {} is not a label_values(selector, label) query",
                v.name
            )),
        }
    }
}

/// A panel's id is unique and its gridPos fits the 24-column grid without overlapping an
/// earlier panel.
fn lint_panel_layout(
    f: &str,
    panel: &Value,
    title: &str,
    ids: &mut BTreeSet<i64>,
    boxes: &mut Vec<(String, i64, i64, i64, i64)>,
    p: &mut Vec<String>,
) {
    match panel.get("id").and_then(Value::as_i64) {
        Some(id) if ids.insert(id) => {}
        Some(id) => p.push(format!("{f}: panel id {id} is used twice")),
        None => p.push(format!("{f}: panel {title:?} has no id")),
    }
    let grid = |k: &str| {
        panel
            .pointer(&format!("/gridPos/{k}"))
            .and_then(Value::as_i64)
    };
    match (grid("x"), grid("y"), grid("w"), grid("h")) {
        (Some(x), Some(y), Some(w), Some(h)) if x >= 0 && y >= 0 && w > 0 && h > 0 => {
            if x + w > 24 {
                p.push(format!(
                    "{f}: panel {title:?} is wider than the 24-column grid"
                ));
            }
            for (other, ox, oy, ow, oh) in boxes.iter() {
                if x < ox + ow && *ox < x + w && y < oy + oh && *oy < y + h {
                    p.push(format!("{f}: panels {title:?} and {other:?} overlap"));
                }
            }
            boxes.push((title.to_string(), x, y, w, h));
        }
        _ => p.push(format!("{f}: panel {title:?} has no valid gridPos")),
    }
}

/// A panel uses ${datasource}, has queries with unique refIds and exprs that use only defined
/// variables and [$__rate_interval] (or [$__range]) ranges.
fn lint_panel_queries(
    f: &str,
    panel: &Value,
    title: &str,
    names: &BTreeSet<&str>,
    p: &mut Vec<String>,
) {
    if panel.pointer("/datasource/uid").and_then(Value::as_str) != Some("${datasource}") {
        p.push(format!(
            "{f}: panel {title:?} does not use the ${{datasource}} variable"
        ));
    }
    let targets = panel
        .get("targets")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    if targets.is_empty() {
        p.push(format!("{f}: panel {title:?} has no query"));
    }
    let mut refids = BTreeSet::new();
    for t in targets {
        let refid = t.get("refId").and_then(Value::as_str).unwrap_or("");
        if refid.is_empty() || !refids.insert(refid.to_string()) {
            p.push(format!(
                "{f}: panel {title:?} has a missing or repeated refId {refid:?}"
            ));
        }
        if let Some(uid) = t.pointer("/datasource/uid").and_then(Value::as_str) {
            if uid != "${datasource}" {
                p.push(format!(
                    "{f}: panel {title:?} query {refid} uses datasource {uid}"
                ));
            }
        }
        let expr = t.get("expr").and_then(Value::as_str).unwrap_or("");
        if expr.trim().is_empty() {
            p.push(format!("{f}: panel {title:?} query {refid} has no expr"));
            continue;
        }
        for used in variables_in(expr) {
            if !names.contains(used.as_str()) && !GRAFANA_BUILTINS.contains(&used.as_str()) {
                p.push(format!(
                    "{f}: panel {title:?} query {refid} uses undefined ${used}"
                ));
            }
        }
        for range in ranges_in(expr) {
            if range != "$__rate_interval" && range != "$__range" {
                p.push(format!(
                    "{f}: panel {title:?} query {refid} uses the range [{range}]; \
                     use [$__rate_interval] (or [$__range] for totals over the time range)"
                ));
            }
        }
    }
}

pub(crate) fn variable_json<'a>(d: &'a Dashboard, name: &str) -> Option<&'a Value> {
    d.json
        .pointer("/templating/list")
        .and_then(Value::as_array)?
        .iter()
        .find(|v| v.get("name").and_then(Value::as_str) == Some(name))
}

pub(crate) fn lint_rule_file(file: &str, doc: &Value, p: &mut Vec<String>) {
    let groups = doc
        .get("groups")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    if groups.is_empty() {
        p.push(format!("{file}: no rule groups"));
    }
    for g in groups {
        let name = g.get("name").and_then(Value::as_str).unwrap_or("");
        if name.is_empty() {
            p.push(format!("{file}: a group has no name"));
        }
        if g.get("rules")
            .and_then(Value::as_array)
            .is_none_or(Vec::is_empty)
        {
            p.push(format!("{file}: group {name} has no rules"));
        }
    }
}

pub(crate) fn lint_rules(rules: &[Rule], root: &Path, p: &mut Vec<String>) {
    let mut names = BTreeSet::new();
    let mut groups = BTreeSet::new();
    for r in rules {
        groups.insert(r.group.clone());
        if r.expr.trim().is_empty() {
            p.push(format!(
                "{}: a rule in group {} has no expr",
                r.file, r.group
            ));
        }
        match (&r.alert, &r.record) {
            (Some(alert), None) => {
                if !names.insert(alert.clone()) {
                    p.push(format!("{}: alert {alert} is defined twice", r.file));
                }
                lint_alert(r, alert, root, p);
            }
            (None, Some(record)) => {
                if record.split(':').count() != 3 {
                    p.push(format!(
                        "{}: recording rule {record} does not follow level:metric:operations",
                        r.file
                    ));
                }
            }
            _ => p.push(format!(
                "{}: a rule in group {} is neither one alert nor one recording rule",
                r.file, r.group
            )),
        }
    }
    let group_count: usize = rules
        .iter()
        .map(|r| (r.file.as_str(), r.group.as_str()))
        .collect::<BTreeSet<_>>()
        .len();
    if group_count != groups.len() {
        p.push("two rule files use the same group name".into());
    }
}

pub(crate) fn lint_alert(r: &Rule, alert: &str, root: &Path, p: &mut Vec<String>) {
    let f = &r.file;
    match r.raw.get("for").and_then(Value::as_str) {
        Some(d) if is_positive_duration(d) => {}
        _ => p.push(format!("{f}: alert {alert} has no `for:` duration above 0")),
    }
    match r.raw.pointer("/labels/severity").and_then(Value::as_str) {
        Some(s) if SEVERITIES.contains(&s) => {}
        other => p.push(format!(
            "{f}: alert {alert} has severity {other:?}, expected one of {SEVERITIES:?}"
        )),
    }
    for key in ["summary", "description", "runbook_url"] {
        if r.raw
            .pointer(&format!("/annotations/{key}"))
            .and_then(Value::as_str)
            .is_none_or(|s| s.trim().is_empty())
        {
            p.push(format!("{f}: alert {alert} has no {key} annotation"));
        }
    }
    if let Some(url) = r
        .raw
        .pointer("/annotations/runbook_url")
        .and_then(Value::as_str)
    {
        if !url.starts_with("deploy/runbooks/") || !root.join(url).is_file() {
            p.push(format!(
                "{f}: alert {alert}'s runbook_url {url} is not a file under deploy/runbooks/"
            ));
        }
    }
}

/// Every alert must be shown firing (non-empty `exp_alerts`) and not firing (an empty one) by
/// some promtool test, and every recording rule must be evaluated by a `promql_expr_test`; every
/// test file must load rule files that exist.
// long: collects what the promtool tests cover (alerts firing and quiet, recording rules evaluated)
// in one pass, then checks every rule against it.
pub(crate) fn lint_rule_tests(
    rules: &[Rule],
    tests: &[(String, Value)],
    rule_files: &[(String, Value)],
    p: &mut Vec<String>,
) {
    if tests.is_empty() {
        p.push("no promtool rule test files in deploy/prometheus/tests".into());
    }
    let mut firing = BTreeSet::new();
    let mut quiet = BTreeSet::new();
    let mut exprs = Vec::new();
    let known: BTreeSet<&str> = rule_files.iter().map(|(f, _)| f.as_str()).collect();
    for (file, doc) in tests {
        for rf in doc
            .get("rule_files")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            let rf = rf.as_str().unwrap_or("");
            let name = rf.strip_prefix("../rules/").unwrap_or("");
            if !known.contains(name) {
                p.push(format!(
                    "{file}: rule file {rf} is not one of ../rules/{known:?}"
                ));
            }
        }
        for t in doc
            .get("tests")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            for a in t
                .get("alert_rule_test")
                .and_then(Value::as_array)
                .map(Vec::as_slice)
                .unwrap_or_default()
            {
                let name = a.get("alertname").and_then(Value::as_str).unwrap_or("");
                let fired = a
                    .get("exp_alerts")
                    .and_then(Value::as_array)
                    .is_some_and(|e| !e.is_empty());
                if fired {
                    firing.insert(name.to_string());
                } else {
                    quiet.insert(name.to_string());
                }
            }
            for e in t
                .get("promql_expr_test")
                .and_then(Value::as_array)
                .map(Vec::as_slice)
                .unwrap_or_default()
            {
                exprs.push(
                    e.get("expr")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_string(),
                );
            }
        }
    }
    for r in rules {
        if let Some(alert) = &r.alert {
            if !firing.contains(alert) {
                p.push(format!(
                    "alert {alert} is never shown firing by a promtool test"
                ));
            }
            if !quiet.contains(alert) {
                p.push(format!(
                    "alert {alert} is never shown not firing (exp_alerts: []) by a promtool test"
                ));
            }
        }
        if let Some(record) = &r.record {
            if !exprs.iter().any(|e| references(e, record)) {
                p.push(format!(
                    "recording rule {record} is not evaluated by any promql_expr_test"
                ));
            }
        }
    }
}

pub(crate) fn lint_prometheus_config(
    doc: &Value,
    rule_files: &[(String, Value)],
    p: &mut Vec<String>,
) {
    let globs: Vec<&str> = doc
        .get("rule_files")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    for (file, _) in rule_files {
        if !globs
            .iter()
            .any(|g| glob_matches(g, &format!("rules/{file}")))
        {
            p.push(format!(
                "prometheus.yml: rule_files {globs:?} do not load rules/{file}"
            ));
        }
    }
    let jobs = doc
        .get("scrape_configs")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let Some(job) = jobs
        .iter()
        .find(|j| j.get("job_name").and_then(Value::as_str) == Some(JOB))
    else {
        p.push(format!("prometheus.yml: no scrape job named {JOB}"));
        return;
    };
    if job.get("honor_labels").and_then(Value::as_bool) != Some(true) {
        p.push(format!(
            "prometheus.yml: job {JOB} must set honor_labels: true (else the services' `service` \
             label becomes exported_service)"
        ));
    }
    let mut labelled = BTreeSet::new();
    for sc in job
        .get("static_configs")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
    {
        match sc.pointer("/labels/service").and_then(Value::as_str) {
            Some(s) => {
                labelled.insert(s.to_string());
            }
            None => p.push(format!(
                "prometheus.yml: a static config of job {JOB} has no `service` label"
            )),
        }
    }
    for s in SERVICES {
        if !labelled.contains(s) {
            p.push(format!("prometheus.yml: job {JOB} does not scrape {s}"));
        }
    }
}

/// `*` matches any run of characters except `/`; everything else matches itself.
pub(crate) fn glob_matches(glob: &str, path: &str) -> bool {
    match glob.split_once('*') {
        None => glob == path,
        Some((head, rest)) => {
            let Some(after) = path.strip_prefix(head) else {
                return false;
            };
            (0..=after.len())
                .filter(|&i| after.is_char_boundary(i) && !after[..i].contains('/'))
                .any(|i| glob_matches(rest, &after[i..]))
        }
    }
}

/// Whether `text` is a positive duration (`15s`, `1h30m`, `2d`), as an alert's `for:` must be.
/// Only Prometheus's unit letters (`ms s m h d w y`) and digits are allowed, so spaces and long
/// unit names that humantime would also take are refused, as Prometheus refuses them.
pub(crate) fn is_positive_duration(text: &str) -> bool {
    let prometheus_chars = text
        .bytes()
        .all(|b| b.is_ascii_digit() || b"smhdwy".contains(&b));
    prometheus_chars && humantime::parse_duration(text).is_ok_and(|d| !d.is_zero())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operator_files::{rules_of, yaml_str_to_json, OperatorFiles};
    use eventwire_tests::workspace_root;
    use serde_json::json;

    fn repo_files() -> OperatorFiles {
        OperatorFiles::load(&workspace_root()).unwrap()
    }

    #[test]
    fn the_repository_operator_files_pass_the_static_checks() {
        let files = repo_files();
        let problems = files.lint(&workspace_root());
        assert!(problems.is_empty(), "{problems:#?}");
        // Both dashboards, the alerts the issue asks for, and their expressions are found.
        assert_eq!(files.dashboards.len(), 2);
        let alerts: BTreeSet<String> = files.rules().filter_map(|r| r.alert).collect();
        for a in [
            "EventwireConsumerLagGrowing",
            "EventwireNoProgress",
            "EventwireNoPartitionsAssigned",
            "EventwireDeadLetterRatioHigh",
            "EventwireErrorRateHigh",
            "EventwireEndToEndLatencyBudgetBurnFast",
            "EventwireTargetDown",
        ] {
            assert!(alerts.contains(a), "{a} missing from {alerts:?}");
        }
        assert!(files.dashboard_queries().len() > 30);
        assert!(files
            .dashboard_queries()
            .iter()
            .all(|q| !q.expr.trim().is_empty()));
    }

    #[test]
    fn every_dashboard_range_is_the_rate_interval_or_the_range() {
        for q in repo_files().dashboard_queries() {
            for r in ranges_in(&q.expr) {
                assert!(
                    r == "$__rate_interval" || r == "$__range",
                    "{}: [{r}]",
                    q.source
                );
            }
        }
    }

    fn dashboard(panels: Value, variables: Value) -> Dashboard {
        Dashboard::parse(
            "test.json",
            json!({"uid": "u", "title": "T", "templating": {"list": variables}, "panels": panels}),
        )
        .unwrap()
    }

    fn good_variables() -> Value {
        json!([
            {"name": "datasource", "type": "datasource", "query": "prometheus",
             "current": {"value": "ds"}},
            {"name": "service", "type": "query", "datasource": {"uid": "${datasource}"},
             "definition": "label_values(eventwire_build_info, service)", "includeAll": true}
        ])
    }

    fn panel(id: i64, x: i64, y: i64, expr: &str) -> Value {
        json!({"id": id, "type": "timeseries", "title": format!("p{id}"),
               "datasource": {"type": "prometheus", "uid": "${datasource}"},
               "gridPos": {"x": x, "y": y, "w": 12, "h": 8},
               "targets": [{"refId": "A", "expr": expr}]})
    }

    fn lint_one(d: &Dashboard) -> Vec<String> {
        let mut p = Vec::new();
        lint_dashboard(d, Some("ds"), &mut p);
        p
    }

    #[test]
    fn a_good_dashboard_passes() {
        let d = dashboard(
            json!([
                panel(
                    1,
                    0,
                    0,
                    "sum(rate(x_total{service=~\"$service\"}[$__rate_interval]))"
                ),
                panel(2, 12, 0, "sum(increase(x_total[$__range]))"),
            ]),
            good_variables(),
        );
        assert_eq!(lint_one(&d), Vec::<String>::new());
        assert_eq!(d.queries.len(), 2);
        assert_eq!(d.queries[0].source, "T / p1 [A]");
    }

    #[test]
    fn dashboard_mistakes_are_found() {
        let mut fixed = panel(3, 0, 8, "sum(rate(x_total[5m]))");
        fixed["datasource"] = json!({"type": "prometheus", "uid": "abc123"});
        let d = dashboard(
            json!([
                panel(
                    1,
                    0,
                    0,
                    "rate(x_total{service=~\"$sevrice\"}[$__rate_interval])"
                ),
                panel(1, 6, 0, "up"),
                fixed,
                panel(4, 20, 20, ""),
            ]),
            json!([
                {"name": "datasource", "type": "datasource", "query": "prometheus",
                 "current": {"value": "other"}}
            ]),
        );
        let p = lint_one(&d).join("\n");
        for want in [
            "undefined $sevrice",
            "panel id 1 is used twice",
            "overlap",
            "does not use the ${datasource} variable",
            "uses the range [5m]",
            "wider than the 24-column grid",
            "has no expr",
            "no `service` query variable",
            "defaults to other, not the provisioned uid ds",
        ] {
            assert!(p.contains(want), "{want:?} not in:\n{p}");
        }
    }

    fn rule_doc(text: &str) -> Value {
        yaml_str_to_json(text).unwrap()
    }

    #[test]
    fn alert_mistakes_are_found() {
        let doc = rule_doc(
            "groups:\n  - name: g\n    rules:\n      - alert: NoFor\n        expr: up == 0\n\
             \x20       labels: {severity: page}\n        annotations: {summary: s}\n\
             \x20     - alert: Good\n        expr: up == 0\n        for: 5m\n\
             \x20       labels: {severity: critical}\n\
             \x20       annotations: {summary: s, description: d, runbook_url: deploy/runbooks/nope.md}\n\
             \x20     - record: bad_name\n        expr: up\n",
        );
        let rules = rules_of("r.yml", &doc);
        let mut p = Vec::new();
        lint_rules(&rules, &workspace_root(), &mut p);
        let p = p.join("\n");
        for want in [
            "alert NoFor has no `for:`",
            "severity Some(\"page\")",
            "NoFor has no description annotation",
            "NoFor has no runbook_url annotation",
            "runbook_url deploy/runbooks/nope.md is not a file",
            "bad_name does not follow level:metric:operations",
        ] {
            assert!(p.contains(want), "{want:?} not in:\n{p}");
        }
    }

    #[test]
    fn untested_rules_are_found() {
        let doc = rule_doc(
            "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up == 0\n\
             \x20     - alert: B\n        expr: up == 0\n      - record: job:up:sum\n        expr: sum(up)\n",
        );
        let tests = rule_doc(
            "rule_files: [../rules/r.yml]\ntests:\n  - interval: 1m\n    alert_rule_test:\n\
             \x20     - {eval_time: 1m, alertname: A, exp_alerts: [{exp_labels: {x: y}}]}\n\
             \x20     - {eval_time: 1m, alertname: A, exp_alerts: []}\n\
             \x20     - {eval_time: 1m, alertname: B, exp_alerts: []}\n",
        );
        let rules = rules_of("r.yml", &doc);
        let mut p = Vec::new();
        lint_rule_tests(
            &rules,
            &[("t.yml".into(), tests)],
            &[("r.yml".into(), doc.clone())],
            &mut p,
        );
        assert_eq!(
            p,
            [
                "alert B is never shown firing by a promtool test",
                "recording rule job:up:sum is not evaluated by any promql_expr_test"
            ]
        );
    }

    #[test]
    fn the_prometheus_config_must_label_every_service() {
        let doc = rule_doc(
            "rule_files: [rules/*.yml]\nscrape_configs:\n  - job_name: eventwire\n\
             \x20   static_configs:\n      - targets: [a:1]\n        labels: {service: cleaner}\n\
             \x20     - targets: [b:1]\n",
        );
        let mut p = Vec::new();
        lint_prometheus_config(&doc, &[("x.yml".into(), Value::Null)], &mut p);
        let p = p.join("\n");
        assert!(p.contains("honor_labels"), "{p}");
        assert!(p.contains("has no `service` label"), "{p}");
        assert!(p.contains("does not scrape ingest"), "{p}");
        assert!(p.contains("does not scrape tagger"), "{p}");
        assert!(!p.contains("rule_files"), "{p}");
    }

    #[test]
    fn durations_and_globs() {
        for good in ["15m", "1h30m", "2d", "500ms", "1w", "1y", "90s"] {
            assert!(is_positive_duration(good), "{good}");
        }
        for bad in [
            "5", "m", "", "0s", "0m", "1h 30m", "5min", "-5m", "1.5h", "5x",
        ] {
            assert!(!is_positive_duration(bad), "{bad}");
        }
        assert!(glob_matches("rules/*.yml", "rules/a.yml"));
        assert!(!glob_matches("rules/*.yml", "rules/sub/a.yml"));
        assert!(!glob_matches("rules/*.yml", "rules/a.yaml"));
        assert!(glob_matches("rules/a.yml", "rules/a.yml"));
    }
}
