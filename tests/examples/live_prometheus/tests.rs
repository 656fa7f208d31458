//! Unit tests of the static checks, the PromQL helpers and the load lines.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::net::SocketAddr;
use std::path::Path;

use eventwire_tests::workspace_root;
use serde_json::{json, Value};

use crate::feed::{bad_line, load_line, samples, Sample};
use crate::lint::{
    glob_matches, is_positive_duration, lint_dashboard, lint_prometheus_config, lint_rule_tests,
    lint_rules,
};
use crate::live::live_config;
use crate::operator_files::{rules_of, yaml_str_to_json, Dashboard, OperatorFiles};
use crate::prometheus::percent_encode;
use crate::promql::{
    absent_inner, all_values_regex, is_scalar_literal, parse_label_values, ranges_in, reads_metric,
    references, split_filter, strip_parens, substitute, variables_in, Filter,
};
use crate::SERVICES;

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
    let (l, f, r) =
        split_filter("sum(x{a!=\"b\", c=~\"d>e\"}[5m]) >= bool on (a) group_left (b) y{z=\"<\"}")
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
        parse_label_values("label_values(eventwire_build_info{service=~\"$service\"}, instance)"),
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

#[test]
fn durations_globs_and_encoding() {
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
    assert_eq!(
        percent_encode("a b{c=\"d\"}[5m]"),
        "a%20b%7Bc%3D%22d%22%7D%5B5m%5D"
    );
    assert_eq!(percent_encode("AZaz09-_.~"), "AZaz09-_.~");
    assert_eq!(
        percent_encode("rate(x[$__rate_interval]) / 1e3 + é"),
        "rate%28x%5B%24__rate_interval%5D%29%20%2F%201e3%20%2B%20%C3%A9"
    );
}

#[test]
fn yaml_becomes_json() {
    let v = yaml_str_to_json("a: [1, 2.5, x, true, null]\nb: {c: .inf}\n").unwrap();
    assert_eq!(
        v,
        json!({"a": [1, 2.5, "x", true, null], "b": {"c": ".inf"}})
    );
    assert!(yaml_str_to_json("a: [1\n").is_err());
    assert!(yaml_str_to_json("a: 1\n---\nb: 2\n").is_err());
}

#[test]
fn the_live_config_points_every_job_at_the_live_processes() {
    let files = repo_files();
    let addrs: BTreeMap<&str, SocketAddr> = SERVICES
        .iter()
        .enumerate()
        .map(|(i, s)| (*s, SocketAddr::from(([127, 0, 0, 1], 9000 + i as u16))))
        .collect();
    let prom = SocketAddr::from(([127, 0, 0, 1], 9999));
    let c = live_config(
        &files.prometheus_config,
        Path::new("/x/deploy/prometheus"),
        &addrs,
        prom,
        2,
    )
    .unwrap();
    assert_eq!(c["global"]["scrape_interval"], "2s");
    assert_eq!(c["global"]["evaluation_interval"], "2s");
    assert_eq!(c["rule_files"], json!(["/x/deploy/prometheus/rules/*.yml"]));
    let text = c.to_string();
    for (s, a) in &addrs {
        assert!(text.contains(&a.to_string()), "{s} {a} not in {text}");
    }
    assert!(text.contains("127.0.0.1:9999"));
    assert!(!text.contains("cleaner:9102"), "{text}");
}

#[test]
fn load_lines_are_copies_of_the_samples() {
    let samples = vec![Sample {
        id: "000_x".into(),
        published: Some("2025-04-16".into()),
        text: "one line here\ntwo line here\nthree\nfour\nfive".into(),
    }];
    let exact: Value = serde_json::from_str(&load_line(&samples, 0)).unwrap();
    assert_eq!(exact["id"], "live-000000-000_x");
    assert_eq!(exact["text"], samples[0].text);
    assert_eq!(exact["published"], "2025-04-16");
    let near: Value = serde_json::from_str(&load_line(&samples, 1)).unwrap();
    assert_eq!(near["text"].as_str().unwrap().lines().count(), 4);
    assert!(serde_json::from_str::<Value>(&bad_line(0)).is_err());
    let blank: Value = serde_json::from_str(&bad_line(1)).unwrap();
    assert_eq!(blank["text"], "   ");
    let real = samples_or_panic();
    assert!(real.len() >= 5 && real.iter().all(|s| s.published.is_some()));
}

fn samples_or_panic() -> Vec<Sample> {
    samples(&workspace_root().join("examples/articles")).unwrap()
}
