//! Checks the operator files (`deploy/grafana`, `deploy/prometheus`) against a live Prometheus
//! scraping the real services.
//!
//! ```sh
//! scripts/ops/live-check.sh            # installs Debian's prometheus when missing, then runs:
//! cargo run -p eventwire-tests --example live_prometheus -- [--load-secs 60] [--rate 2]
//! cargo run -p eventwire-tests --example live_prometheus -- --lint-only
//! ```
//!
//! 1. Static checks (all that `--lint-only` does): the dashboards use the datasource variable,
//!    `$__rate_interval`/`$__range` for every range and only defined variables, and their panels
//!    do not overlap; every alert has `for:`, a severity, a summary, a description and a runbook
//!    that exists; every alert is shown firing and not firing by a promtool unit test and every
//!    recording rule is tested; the Prometheus configuration scrapes every service with its
//!    `service` label.
//! 2. Starts a Tansu broker, creates the topics, starts the cleaner and the tagger, and ingest
//!    reading JSONL from a pipe (a long-lived feed reader, so Prometheus can scrape it too).
//! 3. Starts Prometheus with `deploy/prometheus/prometheus.yml`, its targets pointed at the
//!    services' metric ports, its intervals shortened to `--scrape-secs`, and the rules of
//!    `deploy/prometheus/rules/`.
//! 4. Feeds the sample articles, then `--load-secs` of replicated load: copies of the samples
//!    (exact and near duplicates) at `--rate` articles per second, with unreadable inputs for
//!    ingest and foreign records that are not JSON for the cleaner and the tagger, so dead letters
//!    and errors flow.
//! 5. While the load still runs, evaluates every PromQL expression of the dashboards (variables
//!    substituted as Grafana would: multi-value variables as the regex of all their values,
//!    `$__rate_interval` as four scrape intervals, `$__range` as the time since Prometheus
//!    started) and of the rules through `/api/v1/query`. An invalid expression fails the check,
//!    and so does one that returns no series, unless it is a condition (comparison, `and`, `or`,
//!    `unless`, `absent`) whose operands do return series (an alert that is not firing), or it
//!    reads a metric on the [`MAY_BE_EMPTY`] list. Checks that Prometheus loaded and evaluated
//!    every rule without error and scraped every service; that the dead-letter alert became
//!    pending for ingest (which the load makes dead-letter 10% of its inputs) and no target,
//!    partition or progress alert did; and runs `promtool check metrics` on every service's
//!    `/metrics`.
//! 6. Stops the feed and the services (each must exit 0) and prints a table: expression, series
//!    count, verdict.
//!
//! Needs `prometheus` and `promtool` (Debian package `prometheus`) on PATH or given with
//! `--prometheus`/`--promtool`, and the workspace's debug binaries (built on first use).
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::io::Write as _;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context, Result};
use clap::Parser;
use eventwire_schema::page::split_date_header;
use eventwire_schema::topics;
use eventwire_tests::service::die_with_parent;
use eventwire_tests::{
    create_topics, free_port, http_get, produce, tail, unique_prefix, wait_ready, workspace_root,
    Service, Tansu,
};
use serde_json::{json, Map, Value};
use yaml_rust2::{Yaml, YamlLoader};

/// Metrics whose series may legitimately be missing in a healthy run, with the reason. An
/// expression that returns nothing passes only if it reads one of these (or is a condition whose
/// operands return series).
const MAY_BE_EMPTY: &[(&str, &str)] = &[(
    "eventwire_client_errors_total",
    "counted only when the Kafka client reports an error (broker unreachable, timeouts); a \
     healthy run has none",
)];

/// Variables Grafana defines itself.
const GRAFANA_BUILTINS: &[&str] = &["__rate_interval", "__range", "__interval"];

/// Severities the alerts may carry.
const SEVERITIES: &[&str] = &["critical", "warning"];

/// The services and the scrape job the rules expect.
const SERVICES: [&str; 3] = ["ingest", "cleaner", "tagger"];
const JOB: &str = "eventwire";

/// During the load, one input in this many is unreadable (10%: ingest's dead-letter ratio is
/// above the alert's 5%), and a foreign record that is not JSON is written to articles.raw and
/// to articles.clean this often (about 2.5% of the cleaner's and the tagger's input at 2
/// articles per second: below it).
const BAD_INPUT_EVERY: u64 = 10;
const FOREIGN_EVERY: Duration = Duration::from_secs(20);

/// Time a service gets to become ready, and to stop.
const READY: Duration = Duration::from_secs(90);
const STOP: Duration = Duration::from_secs(60);

#[derive(Parser, Debug)]
#[command(
    about = "Evaluates every PromQL expression of deploy/grafana and deploy/prometheus against a \
             live Prometheus scraping the services under load"
)]
struct Args {
    /// Only run the static checks of the operator files (no broker, services or Prometheus).
    #[arg(long)]
    lint_only: bool,
    /// Seconds of replicated load before the expressions are evaluated (the load goes on while
    /// they are).
    #[arg(long, default_value_t = 60)]
    load_secs: u64,
    /// Articles per second fed to ingest during the load.
    #[arg(long, default_value_t = 2.0)]
    rate: f64,
    /// Partitions of every topic.
    #[arg(long, default_value_t = 3)]
    partitions: u32,
    /// Prometheus's scrape and rule evaluation interval during the check, seconds.
    #[arg(long, default_value_t = 2)]
    scrape_secs: u64,
    /// The prometheus executable.
    #[arg(long, default_value = "prometheus")]
    prometheus: PathBuf,
    /// The promtool executable.
    #[arg(long, default_value = "promtool")]
    promtool: PathBuf,
    /// A metric whose series may be missing in this run (repeatable), e.g. one a service is
    /// about to gain. Expressions reading it may return nothing; they are listed as such.
    #[arg(long = "may-be-empty", value_name = "METRIC")]
    may_be_empty: Vec<String>,
}

fn main() -> Result<()> {
    let args = Args::parse();
    if args.load_secs == 0 || args.rate <= 0.0 || args.scrape_secs == 0 || args.partitions == 0 {
        bail!("--load-secs, --rate, --scrape-secs and --partitions must be above 0");
    }
    let root = workspace_root();
    let files = OperatorFiles::load(&root)?;
    let problems = files.lint(&root);
    if !problems.is_empty() {
        bail!(
            "the operator files have {} problem(s):\n  {}",
            problems.len(),
            problems.join("\n  ")
        );
    }
    println!(
        "static checks passed: {} dashboards ({} panel queries, {} variables), {} rule files \
         ({} recording rules, {} alerts), {} rule test files",
        files.dashboards.len(),
        files.dashboard_queries().len(),
        files
            .dashboards
            .iter()
            .map(|d| d.variables.len())
            .sum::<usize>(),
        files.rule_files.len(),
        files.rules().filter(|r| r.alert.is_none()).count(),
        files.rules().filter(|r| r.alert.is_some()).count(),
        files.rule_tests.len()
    );
    if args.lint_only {
        return Ok(());
    }
    let started = Instant::now();
    let report = live_check(&args, &files, &root)?;
    println!("{}", report.render());
    println!(
        "live check finished in {:.0}s",
        started.elapsed().as_secs_f64()
    );
    if !report.failures.is_empty() {
        eprintln!(
            "\nthe live check FAILED ({} problem(s)):\n  {}",
            report.failures.len(),
            report.failures.join("\n  ")
        );
        std::process::exit(1);
    }
    println!("live check passed");
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The operator files

/// A dashboard with its variables and panel queries.
struct Dashboard {
    file: String,
    json: Value,
    variables: Vec<Variable>,
    queries: Vec<Query>,
}

/// A dashboard variable.
struct Variable {
    name: String,
    kind: String,
    /// The PromQL-ish query of a query variable (`label_values(...)`), if any.
    query: Option<String>,
    /// What "All" stands for, when the variable sets it.
    all_value: Option<String>,
    multi: bool,
}

/// One PromQL expression and where it comes from.
#[derive(Clone, Debug)]
struct Query {
    source: String,
    expr: String,
}

/// One rule of a rule file.
struct Rule {
    file: String,
    group: String,
    alert: Option<String>,
    record: Option<String>,
    expr: String,
    raw: Value,
}

/// Every file this check reads.
struct OperatorFiles {
    dashboards: Vec<Dashboard>,
    rule_files: Vec<(String, Value)>,
    rule_tests: Vec<(String, Value)>,
    prometheus_config: Value,
    datasources: Value,
    dashboard_providers: Value,
}

impl OperatorFiles {
    fn load(root: &Path) -> Result<Self> {
        let deploy = root.join("deploy");
        let mut dashboards = Vec::new();
        for path in files_with(&deploy.join("grafana/dashboards"), "json")? {
            let text = read(&path)?;
            let json: Value = serde_json::from_str(&text)
                .with_context(|| format!("{} is not valid JSON", path.display()))?;
            dashboards.push(Dashboard::parse(&file_name(&path), json)?);
        }
        let mut rule_files = Vec::new();
        for path in files_with(&deploy.join("prometheus/rules"), "yml")? {
            rule_files.push((file_name(&path), load_yaml(&path)?));
        }
        let mut rule_tests = Vec::new();
        for path in files_with(&deploy.join("prometheus/tests"), "yml")? {
            rule_tests.push((file_name(&path), load_yaml(&path)?));
        }
        Ok(OperatorFiles {
            dashboards,
            rule_files,
            rule_tests,
            prometheus_config: load_yaml(&deploy.join("prometheus/prometheus.yml"))?,
            datasources: load_single_yaml_in(&deploy.join("grafana/provisioning/datasources"))?,
            dashboard_providers: load_single_yaml_in(
                &deploy.join("grafana/provisioning/dashboards"),
            )?,
        })
    }

    fn rules(&self) -> impl Iterator<Item = Rule> + '_ {
        self.rule_files
            .iter()
            .flat_map(|(file, doc)| rules_of(file, doc))
    }

    fn dashboard_queries(&self) -> Vec<Query> {
        self.dashboards
            .iter()
            .flat_map(|d| d.queries.iter().cloned())
            .collect()
    }

    fn rule_queries(&self) -> Vec<Query> {
        self.rules()
            .map(|r| Query {
                source: format!(
                    "{} {}",
                    if r.alert.is_some() { "alert" } else { "record" },
                    r.alert.as_deref().or(r.record.as_deref()).unwrap_or("?")
                ),
                expr: r.expr.clone(),
            })
            .collect()
    }

    /// Every problem found in the files, as sentences; empty when they are fine.
    fn lint(&self, root: &Path) -> Vec<String> {
        let mut p = Vec::new();
        if self.dashboards.len() < 2 {
            p.push(format!(
                "expected the operations and content dashboards, found {} dashboard file(s)",
                self.dashboards.len()
            ));
        }
        let ds_uid = lint_datasources(&self.datasources, &mut p);
        lint_dashboard_providers(&self.dashboard_providers, &mut p);
        let mut uids = BTreeSet::new();
        for d in &self.dashboards {
            lint_dashboard(d, ds_uid.as_deref(), &mut p);
            if let Some(uid) = d.json.get("uid").and_then(Value::as_str) {
                if !uids.insert(uid.to_string()) {
                    p.push(format!("{}: dashboard uid {uid} is used twice", d.file));
                }
            }
        }
        let rules: Vec<Rule> = self.rules().collect();
        for (file, doc) in &self.rule_files {
            lint_rule_file(file, doc, &mut p);
        }
        lint_rules(&rules, root, &mut p);
        lint_rule_tests(&rules, &self.rule_tests, &self.rule_files, &mut p);
        lint_prometheus_config(&self.prometheus_config, &self.rule_files, &mut p);
        p
    }
}

impl Dashboard {
    fn parse(file: &str, json: Value) -> Result<Dashboard> {
        let mut variables = Vec::new();
        for v in json
            .pointer("/templating/list")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            let name = v
                .get("name")
                .and_then(Value::as_str)
                .ok_or_else(|| anyhow!("{file}: a variable has no name"))?;
            let query = v
                .get("definition")
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .or_else(|| v.pointer("/query/query").and_then(Value::as_str))
                .or_else(|| v.get("query").and_then(Value::as_str))
                .map(str::to_string);
            variables.push(Variable {
                name: name.to_string(),
                kind: v
                    .get("type")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                query,
                all_value: v
                    .get("allValue")
                    .and_then(Value::as_str)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string),
                multi: v.get("multi").and_then(Value::as_bool).unwrap_or(false)
                    || v.get("includeAll")
                        .and_then(Value::as_bool)
                        .unwrap_or(false),
            });
        }
        let title = json
            .get("title")
            .and_then(Value::as_str)
            .unwrap_or(file)
            .to_string();
        let mut queries = Vec::new();
        for panel in panels(&json) {
            let ptitle = panel.get("title").and_then(Value::as_str).unwrap_or("");
            for t in panel
                .get("targets")
                .and_then(Value::as_array)
                .map(Vec::as_slice)
                .unwrap_or_default()
            {
                let expr = t.get("expr").and_then(Value::as_str).unwrap_or("");
                let refid = t.get("refId").and_then(Value::as_str).unwrap_or("?");
                queries.push(Query {
                    source: format!("{title} / {ptitle} [{refid}]"),
                    expr: expr.to_string(),
                });
            }
        }
        Ok(Dashboard {
            file: file.to_string(),
            json,
            variables,
            queries,
        })
    }
}

/// Every panel of a dashboard, rows' nested panels included.
fn panels(dashboard: &Value) -> Vec<&Value> {
    let mut out = Vec::new();
    for p in dashboard
        .get("panels")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
    {
        out.push(p);
        for inner in p
            .get("panels")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            out.push(inner);
        }
    }
    out
}

fn rules_of(file: &str, doc: &Value) -> Vec<Rule> {
    let mut out = Vec::new();
    for g in doc
        .get("groups")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
    {
        let group = g.get("name").and_then(Value::as_str).unwrap_or("");
        for r in g
            .get("rules")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            out.push(Rule {
                file: file.to_string(),
                group: group.to_string(),
                alert: r.get("alert").and_then(Value::as_str).map(str::to_string),
                record: r.get("record").and_then(Value::as_str).map(str::to_string),
                expr: r
                    .get("expr")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                raw: r.clone(),
            });
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Static checks

/// Checks the Grafana datasource provisioning; returns the Prometheus datasource's uid.
fn lint_datasources(doc: &Value, p: &mut Vec<String>) -> Option<String> {
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

fn lint_dashboard_providers(doc: &Value, p: &mut Vec<String>) {
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

fn lint_dashboard(d: &Dashboard, ds_uid: Option<&str>, p: &mut Vec<String>) {
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
    // Panels: ids, layout, datasource, queries.
    let mut ids = BTreeSet::new();
    let mut boxes: Vec<(String, i64, i64, i64, i64)> = Vec::new();
    for panel in panels(&d.json) {
        let title = panel
            .get("title")
            .and_then(Value::as_str)
            .unwrap_or("(untitled)");
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
                for (other, ox, oy, ow, oh) in &boxes {
                    if x < ox + ow && *ox < x + w && y < oy + oh && *oy < y + h {
                        p.push(format!("{f}: panels {title:?} and {other:?} overlap"));
                    }
                }
                boxes.push((title.to_string(), x, y, w, h));
            }
            _ => p.push(format!("{f}: panel {title:?} has no valid gridPos")),
        }
        if panel.get("type").and_then(Value::as_str) == Some("row") {
            continue;
        }
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
}

fn variable_json<'a>(d: &'a Dashboard, name: &str) -> Option<&'a Value> {
    d.json
        .pointer("/templating/list")
        .and_then(Value::as_array)?
        .iter()
        .find(|v| v.get("name").and_then(Value::as_str) == Some(name))
}

fn lint_rule_file(file: &str, doc: &Value, p: &mut Vec<String>) {
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

fn lint_rules(rules: &[Rule], root: &Path, p: &mut Vec<String>) {
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

fn lint_alert(r: &Rule, alert: &str, root: &Path, p: &mut Vec<String>) {
    let f = &r.file;
    match r.raw.get("for").and_then(Value::as_str) {
        Some(d) if parse_duration(d).is_some_and(|s| s > 0) => {}
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
fn lint_rule_tests(
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

fn lint_prometheus_config(doc: &Value, rule_files: &[(String, Value)], p: &mut Vec<String>) {
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
fn glob_matches(glob: &str, path: &str) -> bool {
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

/// Seconds in a Prometheus duration (`15s`, `1h30m`, `2d`); `None` when malformed.
fn parse_duration(text: &str) -> Option<u64> {
    let mut total = 0u64;
    let mut digits = String::new();
    let mut chars = text.chars().peekable();
    let mut any = false;
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        let n: u64 = digits.parse().ok()?;
        digits.clear();
        let unit = if c == 'm' && chars.peek() == Some(&'s') {
            chars.next();
            return if chars.peek().is_none() && n == 0 && any {
                Some(total)
            } else {
                None
            };
        } else {
            match c {
                's' => 1,
                'm' => 60,
                'h' => 3600,
                'd' => 86_400,
                'w' => 604_800,
                'y' => 31_536_000,
                _ => return None,
            }
        };
        total = total.checked_add(n.checked_mul(unit)?)?;
        any = true;
    }
    (digits.is_empty() && any).then_some(total)
}

// ---------------------------------------------------------------------------------------------
// PromQL text helpers (just enough lexing to find variables, ranges and top-level operators)

/// Byte ranges of `expr` that are inside string literals or comments.
fn masked(expr: &str) -> Vec<bool> {
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
fn variables_in(expr: &str) -> Vec<String> {
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
fn ranges_in(expr: &str) -> Vec<String> {
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

/// Whether `expr` mentions the metric (or recorded series) `name` as a whole word.
fn references(expr: &str, name: &str) -> bool {
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == ':';
    expr.match_indices(name).any(|(i, _)| {
        let before = expr[..i].chars().next_back();
        let after = expr[i + name.len()..].chars().next();
        !before.is_some_and(is_word) && !after.is_some_and(is_word)
    })
}

/// Whether `expr` reads metric family `metric`: the metric itself, or the `_bucket`, `_sum` and
/// `_count` series of a histogram of that name.
fn reads_metric(expr: &str, metric: &str) -> bool {
    references(expr, metric)
        || ["_bucket", "_sum", "_count"]
            .iter()
            .any(|suffix| references(expr, &format!("{metric}{suffix}")))
}

/// `label_values(selector, label)` to `(selector, label)`.
fn parse_label_values(query: &str) -> Option<(String, String)> {
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
enum Filter {
    Or,
    And,
    Unless,
    Compare,
}

/// Splits `expr` at its lowest-precedence top-level filtering operator (`or`; then `and` and
/// `unless`; then comparisons), the rightmost of equals (PromQL's operators associate left);
/// the right side starts after the operator's modifiers (`bool`, `on(...)`, `ignoring(...)`,
/// `group_left(...)`, `group_right(...)`). `None` when there is no such operator.
fn split_filter(expr: &str) -> Option<(String, Filter, String)> {
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
fn skip_modifiers(mut text: &str) -> &str {
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
fn matching_paren(text: &str, open: usize) -> Option<usize> {
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
fn strip_parens(mut expr: &str) -> &str {
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
fn absent_inner(expr: &str) -> Option<&str> {
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

/// Whether `expr` is arithmetic on number literals only (`0.05`, `(14.4 * 0.01)`).
fn is_scalar_literal(expr: &str) -> bool {
    let t = expr.trim();
    !t.is_empty()
        && t.chars().any(|c| c.is_ascii_digit())
        && t.chars()
            .all(|c| c.is_ascii_digit() || " \t\n.eE+-*/()".contains(c))
}

/// Substitutes Grafana variables in `expr` with their values.
fn substitute(expr: &str, values: &HashMap<String, String>) -> Result<String> {
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
fn all_values_regex(values: &[String]) -> String {
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

fn one_line(expr: &str) -> String {
    expr.split_whitespace().collect::<Vec<_>>().join(" ")
}

// ---------------------------------------------------------------------------------------------
// Files

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The files of `dir` ending in `.ext`, sorted.
fn files_with(dir: &Path, ext: &str) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot list {}", dir.display()))? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == ext) && path.is_file() {
            out.push(path);
        }
    }
    out.sort();
    Ok(out)
}

/// The one `.yml`/`.yaml` file of a provisioning directory.
fn load_single_yaml_in(dir: &Path) -> Result<Value> {
    let mut files = files_with(dir, "yml")?;
    files.extend(files_with(dir, "yaml")?);
    match files.as_slice() {
        [one] => load_yaml(one),
        _ => bail!(
            "expected one YAML file in {}, found {}",
            dir.display(),
            files.len()
        ),
    }
}

fn load_yaml(path: &Path) -> Result<Value> {
    let text = read(path)?;
    yaml_str_to_json(&text).with_context(|| format!("cannot read {} as YAML", path.display()))
}

fn yaml_str_to_json(text: &str) -> Result<Value> {
    let docs = YamlLoader::load_from_str(text).map_err(|e| anyhow!("{e}"))?;
    match docs.as_slice() {
        [doc] => yaml_to_json(doc),
        _ => bail!("expected one YAML document, found {}", docs.len()),
    }
}

fn yaml_to_json(y: &Yaml) -> Result<Value> {
    Ok(match y {
        Yaml::Null => Value::Null,
        Yaml::Boolean(b) => Value::Bool(*b),
        Yaml::Integer(i) => json!(i),
        Yaml::Real(r) => match y.as_f64() {
            Some(f) if f.is_finite() => json!(f),
            // JSON has no infinities; keep the YAML spelling.
            _ => Value::String(r.clone()),
        },
        Yaml::String(s) => Value::String(s.clone()),
        Yaml::Array(a) => Value::Array(a.iter().map(yaml_to_json).collect::<Result<_>>()?),
        Yaml::Hash(h) => {
            let mut m = Map::new();
            for (k, v) in h {
                let key = match k {
                    Yaml::String(s) => s.clone(),
                    Yaml::Integer(i) => i.to_string(),
                    Yaml::Boolean(b) => b.to_string(),
                    other => bail!("unsupported mapping key {other:?}"),
                };
                m.insert(key, yaml_to_json(v)?);
            }
            Value::Object(m)
        }
        Yaml::Alias(_) => bail!("YAML aliases are not supported"),
        Yaml::BadValue => bail!("invalid YAML value"),
    })
}

// ---------------------------------------------------------------------------------------------
// Prometheus over HTTP

/// What an instant query returned.
#[derive(Debug)]
enum Answer {
    /// The number of series (1 for a scalar), and the label sets of vector results.
    Series(usize, Vec<Map<String, Value>>),
    /// Prometheus refused the query.
    Invalid(String),
}

/// A running Prometheus; killed, then its configuration and data removed, on drop (fields drop
/// in order).
struct Prometheus {
    process: Service,
    _dir: tempfile::TempDir,
    addr: SocketAddr,
    started: Instant,
}

impl Prometheus {
    fn get(&self, path_and_query: &str) -> Result<Value> {
        let (code, body) = http_get(self.addr, path_and_query, Duration::from_secs(30))?;
        let v: Value = serde_json::from_str(&body).with_context(|| {
            format!("Prometheus answered {path_and_query} with HTTP {code} and no JSON: {body}")
        })?;
        Ok(v)
    }

    fn query(&self, expr: &str) -> Result<Answer> {
        let v = self.get(&format!("/api/v1/query?query={}", percent_encode(expr)))?;
        if v.get("status").and_then(Value::as_str) != Some("success") {
            let why = v
                .get("error")
                .and_then(Value::as_str)
                .unwrap_or("unknown error");
            return Ok(Answer::Invalid(why.to_string()));
        }
        let data = v.get("data").cloned().unwrap_or(Value::Null);
        let kind = data.get("resultType").and_then(Value::as_str).unwrap_or("");
        let result = data.get("result").cloned().unwrap_or(Value::Null);
        Ok(match kind {
            "scalar" | "string" => Answer::Series(1, Vec::new()),
            "vector" | "matrix" => {
                let list = result.as_array().cloned().unwrap_or_default();
                let labels = list
                    .iter()
                    .map(|s| {
                        s.get("metric")
                            .and_then(Value::as_object)
                            .cloned()
                            .unwrap_or_default()
                    })
                    .collect();
                Answer::Series(list.len(), labels)
            }
            other => Answer::Invalid(format!("unexpected result type {other:?}")),
        })
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// The live run

/// ingest reading JSONL from a pipe, killed on drop.
struct FeedIngest {
    child: Child,
    log: PathBuf,
    _dir: tempfile::TempDir,
    addr: SocketAddr,
}

impl FeedIngest {
    fn start(brokers: &str, prefix: &str) -> Result<(FeedIngest, ChildStdin)> {
        let bin = eventwire_tests::binary("eventwire-ingest")?;
        let dir = tempfile::Builder::new()
            .prefix("eventwire-live-ingest-")
            .tempdir()?;
        let log = dir.path().join("ingest.log");
        let out = std::fs::File::create(&log)?;
        let addr = SocketAddr::from(([127, 0, 0, 1], free_port()?));
        let mut cmd = Command::new(&bin);
        cmd.args([
            "--brokers",
            brokers,
            "--topic-prefix",
            prefix,
            "--metrics-addr",
            &addr.to_string(),
            "--source",
            "live-check",
            "-",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::from(out.try_clone()?))
        .stderr(Stdio::from(out));
        for (k, _) in std::env::vars_os() {
            if k.to_string_lossy().starts_with("EVENTWIRE_") {
                cmd.env_remove(k);
            }
        }
        cmd.env("EVENTWIRE_LOG", "info,rdkafka=warn")
            .env("NO_COLOR", "1");
        die_with_parent(&mut cmd);
        let mut child = cmd
            .spawn()
            .with_context(|| format!("cannot start {}", bin.display()))?;
        let stdin = child
            .stdin
            .take()
            .ok_or_else(|| anyhow!("ingest has no stdin pipe"))?;
        Ok((
            FeedIngest {
                child,
                log,
                _dir: dir,
                addr,
            },
            stdin,
        ))
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    fn wait(&mut self, timeout: Duration) -> Result<std::process::ExitStatus> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(s) = self.child.try_wait()? {
                return Ok(s);
            }
            if Instant::now() >= deadline {
                bail!(
                    "ingest still running {timeout:?} after its input closed; log:\n{}",
                    tail(&self.log(), 30)
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for FeedIngest {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// A sample article: its id (file stem), publication date and text.
struct Sample {
    id: String,
    published: Option<String>,
    text: String,
}

/// Reads the sample articles (`.txt` in the samples' format: ` date YYYY-MM-DD ` then the text).
fn samples(dir: &Path) -> Result<Vec<Sample>> {
    let mut out = Vec::new();
    for path in files_with(dir, "txt")? {
        let raw = read(&path)?;
        let (published, text) = split_date_header(&raw);
        out.push(Sample {
            id: path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
            published,
            text: text.to_string(),
        });
    }
    if out.is_empty() {
        bail!("no sample articles in {}", dir.display());
    }
    Ok(out)
}

/// The JSONL line of article `n` of the load: a copy of a sample, exact for every third, else
/// without one of its lines (a near copy), with its own id.
fn load_line(samples: &[Sample], n: u64) -> String {
    let s = &samples[(n % samples.len() as u64) as usize];
    let lines: Vec<&str> = s.text.lines().filter(|l| !l.trim().is_empty()).collect();
    let text = if n % 3 == 0 || lines.len() < 4 {
        s.text.clone()
    } else {
        let drop = (n / 3) as usize % lines.len();
        lines
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != drop)
            .map(|(_, l)| *l)
            .collect::<Vec<_>>()
            .join("\n")
    };
    let mut v = json!({"id": format!("live-{n:06}-{}", s.id), "text": text});
    if let Some(p) = &s.published {
        v["published"] = json!(p);
    }
    v.to_string()
}

/// Inputs ingest cannot read, fed once in a while: `invalid_json` and `empty`.
fn bad_line(n: u64) -> String {
    if n % 2 == 0 {
        format!("{{\"id\": \"broken-{n}\", \"text\": ")
    } else {
        format!("{{\"id\": \"blank-{n}\", \"text\": \"   \"}}")
    }
}

/// Feeds ingest on a thread: the samples, then the load, until stopped.
struct Feeder {
    stop: Arc<AtomicBool>,
    fed: Arc<AtomicU64>,
    thread: Option<JoinHandle<Result<()>>>,
}

impl Feeder {
    fn start(
        mut stdin: ChildStdin,
        samples: Vec<Sample>,
        rate: f64,
        brokers: String,
        prefix: String,
    ) -> Feeder {
        let stop = Arc::new(AtomicBool::new(false));
        let fed = Arc::new(AtomicU64::new(0));
        let (stop2, fed2) = (Arc::clone(&stop), Arc::clone(&fed));
        let thread = std::thread::spawn(move || -> Result<()> {
            for s in &samples {
                let mut v = json!({"id": s.id, "text": s.text});
                if let Some(p) = &s.published {
                    v["published"] = json!(p);
                }
                writeln!(stdin, "{v}").context("cannot write to ingest's stdin")?;
                fed2.fetch_add(1, Ordering::Relaxed);
            }
            stdin.flush()?;
            let period = Duration::from_secs_f64(1.0 / rate);
            let started = Instant::now();
            let mut n = 0u64;
            let mut foreign = 0u64;
            while !stop2.load(Ordering::Relaxed) {
                // One input in BAD_INPUT_EVERY is unreadable; every FOREIGN_EVERY one foreign
                // record that is not JSON goes to articles.raw and one to articles.clean.
                let line = if n % BAD_INPUT_EVERY == BAD_INPUT_EVERY - 1 {
                    bad_line(n)
                } else {
                    load_line(&samples, n)
                };
                writeln!(stdin, "{line}").context("cannot write to ingest's stdin")?;
                stdin.flush()?;
                fed2.fetch_add(1, Ordering::Relaxed);
                n += 1;
                if started.elapsed().as_secs() / FOREIGN_EVERY.as_secs() + 1 > foreign {
                    for logical in [topics::ARTICLES_RAW, topics::ARTICLES_CLEAN] {
                        let topic = format!("{prefix}{logical}");
                        let key = format!("foreign-{foreign}");
                        produce(
                            &brokers,
                            &topic,
                            key.as_bytes(),
                            b"this is not JSON",
                            &[],
                            Duration::from_secs(30),
                        )
                        .with_context(|| format!("cannot write a foreign record to {topic}"))?;
                    }
                    foreign += 1;
                }
                let next = started + period.mul_f64(n as f64);
                if let Some(wait) = next.checked_duration_since(Instant::now()) {
                    std::thread::sleep(wait);
                }
            }
            // Dropping stdin closes the pipe: ingest publishes what it has and exits.
            Ok(())
        });
        Feeder {
            stop,
            fed,
            thread: Some(thread),
        }
    }

    fn fed(&self) -> u64 {
        self.fed.load(Ordering::Relaxed)
    }

    fn finished(&self) -> bool {
        self.thread.as_ref().is_none_or(JoinHandle::is_finished)
    }

    /// Stops feeding, closes ingest's input and reports the thread's error, if any.
    fn finish(mut self) -> Result<()> {
        self.stop.store(true, Ordering::Relaxed);
        match self.thread.take() {
            Some(t) => t
                .join()
                .map_err(|_| anyhow!("the feeder thread panicked"))?,
            None => Ok(()),
        }
    }
}

/// One checked expression.
struct Checked {
    source: String,
    expr: String,
    series: Option<usize>,
    verdict: String,
    ok: bool,
}

/// The result of the live run.
#[derive(Default)]
struct Report {
    checked: Vec<Checked>,
    notes: Vec<String>,
    failures: Vec<String>,
}

impl Report {
    fn render(&self) -> String {
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
fn evaluate(
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

fn shorten(expr: &str) -> String {
    let one = one_line(expr);
    if one.chars().count() > 90 {
        let cut: String = one.chars().take(87).collect();
        format!("{cut}...")
    } else {
        one
    }
}

/// Runs the services and Prometheus, then checks every expression.
fn live_check(args: &Args, files: &OperatorFiles, root: &Path) -> Result<Report> {
    let mut report = Report::default();
    for (tool, path) in [
        ("prometheus", &args.prometheus),
        ("promtool", &args.promtool),
    ] {
        let out = Command::new(path)
            .arg("--version")
            .output()
            .with_context(|| {
                format!(
                    "cannot run {} ({tool}); install Debian's `prometheus` package or run \
                 scripts/ops/live-check.sh, which does",
                    path.display()
                )
            })?;
        let version = String::from_utf8_lossy(&out.stdout);
        let version = version.lines().next().unwrap_or("").trim().to_string();
        println!("{tool}: {version}");
    }
    let samples = samples(&root.join("examples/articles"))?;

    // Broker, topics, services.
    let tansu = Tansu::start().context("start the Tansu broker")?;
    let brokers = tansu.brokers();
    let prefix = unique_prefix("live-prometheus");
    create_topics(&brokers, &prefix, args.partitions)?;
    let mut cleaner = Service::stage(
        "eventwire-cleaner",
        &brokers,
        &prefix,
        &format!("{prefix}cleaner"),
        &[],
    )?;
    let mut tagger = Service::stage(
        "eventwire-tagger",
        &brokers,
        &prefix,
        &format!("{prefix}tagger"),
        &[],
    )?;
    cleaner.wait_ready(READY)?;
    tagger.wait_ready(READY)?;
    let (mut ingest, stdin) = FeedIngest::start(&brokers, &prefix)?;
    wait_ready(ingest.addr, READY)
        .map_err(|e| anyhow!("{e:#}; ingest's log:\n{}", tail(&ingest.log(), 30)))?;
    let addrs: BTreeMap<&str, SocketAddr> = [
        ("ingest", ingest.addr),
        (
            "cleaner",
            cleaner
                .metrics_addr()
                .ok_or_else(|| anyhow!("no cleaner address"))?,
        ),
        (
            "tagger",
            tagger
                .metrics_addr()
                .ok_or_else(|| anyhow!("no tagger address"))?,
        ),
    ]
    .into_iter()
    .collect();
    println!(
        "broker {brokers}, topics {prefix}* ({} partitions); metrics: {}",
        args.partitions,
        addrs
            .iter()
            .map(|(s, a)| format!("{s} {a}"))
            .collect::<Vec<_>>()
            .join(", ")
    );

    // Prometheus.
    let prom = start_prometheus(args, files, root, &addrs)?;
    println!(
        "prometheus on {} (scrape and rule evaluation every {}s)",
        prom.addr, args.scrape_secs
    );

    // Load.
    let feeder = Feeder::start(stdin, samples, args.rate, brokers.clone(), prefix.clone());
    let load_started = Instant::now();
    let mut procs: [(&str, &mut Service); 2] = [("cleaner", &mut cleaner), ("tagger", &mut tagger)];
    while load_started.elapsed() < Duration::from_secs(args.load_secs) {
        std::thread::sleep(Duration::from_secs(1));
        for (name, s) in procs.iter_mut() {
            if let Some(status) = s.try_status()? {
                bail!(
                    "{name} exited ({status}) during the load; its log:\n{}",
                    tail(&s.log(), 40)
                );
            }
        }
        if let Some(status) = ingest.child.try_wait()? {
            bail!(
                "ingest exited ({status}) during the load; its log:\n{}",
                tail(&ingest.log(), 40)
            );
        }
        if feeder.finished() {
            return match feeder.finish() {
                Err(e) => Err(e.context("feeding ingest failed")),
                Ok(()) => Err(anyhow!("the feeder stopped early")),
            };
        }
    }
    println!(
        "fed {} inputs in {:.0}s; evaluating while the load goes on",
        feeder.fed(),
        load_started.elapsed().as_secs_f64()
    );

    // Scrapes and rule evaluations must have happened.
    wait_targets_up(&prom, &addrs)?;
    let rules_note = check_rules_loaded(&prom, files, &mut report)?;
    report.notes.push(rules_note);

    // Every expression, the alerts' states, the expositions.
    let may_be_empty: Vec<(String, String)> = MAY_BE_EMPTY
        .iter()
        .map(|(m, w)| (m.to_string(), w.to_string()))
        .chain(
            args.may_be_empty
                .iter()
                .map(|m| (m.clone(), "(--may-be-empty given for this run)".to_string())),
        )
        .collect();
    for d in &files.dashboards {
        check_dashboard(&prom, d, args.scrape_secs, &may_be_empty, &mut report)?;
    }
    for q in files.rule_queries() {
        let (series, verdict, ok) = evaluate(&prom, &q.expr, &may_be_empty, 0)?;
        report.checked.push(Checked {
            source: q.source.clone(),
            expr: one_line(&q.expr),
            series,
            verdict,
            ok,
        });
    }
    for c in &report.checked {
        if !c.ok {
            report
                .failures
                .push(format!("{}: {} ({})", c.source, c.verdict, c.expr));
        }
    }
    check_alert_states(&prom, &mut report)?;
    for (service, addr) in &addrs {
        check_exposition(service, *addr, &args.promtool, &mut report)?;
    }

    // Stop everything; each service must exit 0.
    feeder.finish().context("feeding ingest failed")?;
    let status = ingest.wait(STOP)?;
    if !status.success() {
        report.failures.push(format!(
            "ingest exited with {status} after its input closed; log:\n{}",
            tail(&ingest.log(), 30)
        ));
    }
    for (name, s) in [("cleaner", &mut cleaner), ("tagger", &mut tagger)] {
        s.sigterm()?;
        let status = s.wait(STOP)?;
        if !status.success() {
            report.failures.push(format!(
                "{name} exited with {status} on SIGTERM; log:\n{}",
                tail(&s.log(), 30)
            ));
        }
    }
    drop(prom);
    drop(tansu);
    Ok(report)
}

/// Evaluates a dashboard's variables (in order, each substituted into the next) and every panel
/// query with the variables substituted as Grafana would.
fn check_dashboard(
    prom: &Prometheus,
    d: &Dashboard,
    scrape_secs: u64,
    may_be_empty: &[(String, String)],
    report: &mut Report,
) -> Result<()> {
    let mut values: HashMap<String, String> = HashMap::new();
    values.insert("__rate_interval".into(), format!("{}s", 4 * scrape_secs));
    values.insert("__interval".into(), format!("{scrape_secs}s"));
    values.insert(
        "__range".into(),
        format!("{}s", prom.started.elapsed().as_secs().max(1)),
    );
    values.insert("datasource".into(), "eventwire-prometheus".into());
    let title = d
        .json
        .get("title")
        .and_then(Value::as_str)
        .unwrap_or(&d.file)
        .to_string();
    for v in &d.variables {
        if v.kind != "query" {
            continue;
        }
        let Some((selector, label)) = v.query.as_deref().and_then(parse_label_values) else {
            continue;
        };
        let selector = substitute(&selector, &values)?;
        let expr = format!("count by ({label}) ({selector})");
        let (found, verdict, ok) = match prom.query(&expr)? {
            Answer::Invalid(why) => (Vec::new(), format!("invalid: {why}"), false),
            Answer::Series(_, labels) => {
                let mut vals: Vec<String> = labels
                    .iter()
                    .filter_map(|l| l.get(&label).and_then(Value::as_str))
                    .map(str::to_string)
                    .collect();
                vals.sort();
                if vals.is_empty() {
                    match may_be_empty
                        .iter()
                        .find(|(m, _)| reads_metric(&selector, m))
                    {
                        Some((m, why)) => (vals, format!("no values, allowed: {m} {why}"), true),
                        None => (vals, "no values".to_string(), false),
                    }
                } else {
                    let shown = vals.join(", ");
                    (vals, format!("values: {shown}"), true)
                }
            }
        };
        if v.name == "service" && ok {
            let want: BTreeSet<&str> = SERVICES.iter().copied().collect();
            let got: BTreeSet<&str> = found.iter().map(String::as_str).collect();
            if got != want {
                report.failures.push(format!(
                    "{title}: variable service has values {got:?}, expected {want:?}"
                ));
            }
        }
        report.checked.push(Checked {
            source: format!("{title} / variable ${}", v.name),
            expr,
            series: Some(found.len()),
            verdict,
            ok,
        });
        let value = match (&v.all_value, v.multi, found.is_empty()) {
            (Some(all), _, _) => all.clone(),
            // No values: a regex that matches only the empty string keeps the dependent
            // queries valid (their emptiness is then reported on their own).
            (None, _, true) => "^$".to_string(),
            (None, true, false) => all_values_regex(&found),
            (None, false, false) => found[0].clone(),
        };
        values.insert(v.name.clone(), value);
    }
    for q in &d.queries {
        let expr = substitute(&q.expr, &values)?;
        let (series, verdict, ok) = evaluate(prom, &expr, may_be_empty, 0)?;
        report.checked.push(Checked {
            source: q.source.clone(),
            expr: one_line(&expr),
            series,
            verdict,
            ok,
        });
    }
    Ok(())
}

/// Lists the alerts pending or firing, and checks them against what the load does: ingest
/// dead-letters one input in [`BAD_INPUT_EVERY`] (above the 5% threshold), so its dead-letter
/// alert must be pending or firing (the alert does fire on real data); the services run, are
/// scraped, have their partitions and progress, so no target, partition or progress alert may
/// be.
fn check_alert_states(prom: &Prometheus, report: &mut Report) -> Result<()> {
    let alerts = prom.get("/api/v1/alerts")?;
    let mut active = Vec::new();
    let mut dead_letter_ingest = false;
    for a in alerts
        .pointer("/data/alerts")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
    {
        let name = a
            .pointer("/labels/alertname")
            .and_then(Value::as_str)
            .unwrap_or("?");
        let service = a
            .pointer("/labels/service")
            .and_then(Value::as_str)
            .unwrap_or("");
        let state = a.get("state").and_then(Value::as_str).unwrap_or("?");
        active.push(format!("{name}{{service={service:?}}} {state}"));
        if name == "EventwireDeadLetterRatioHigh" && service == "ingest" {
            dead_letter_ingest = true;
        }
        if matches!(
            name,
            "EventwireTargetDown"
                | "EventwireTargetMissing"
                | "EventwireNoProgress"
                | "EventwireNoPartitionsAssigned"
        ) {
            report.failures.push(format!(
                "alert {name} is {state} for {service:?} although every service runs and progresses"
            ));
        }
    }
    if !dead_letter_ingest {
        report.failures.push(format!(
            "alert EventwireDeadLetterRatioHigh is not pending for ingest, which dead-letters one \
             input in {BAD_INPUT_EVERY}"
        ));
    }
    report.notes.push(format!(
        "alerts pending or firing during the run: {}",
        if active.is_empty() {
            "none".to_string()
        } else {
            active.join("; ")
        }
    ));
    Ok(())
}

/// `promtool check metrics` on a service's exposition.
fn check_exposition(
    service: &str,
    addr: SocketAddr,
    promtool: &Path,
    report: &mut Report,
) -> Result<()> {
    let (code, body) = http_get(addr, "/metrics", Duration::from_secs(10))?;
    if code != 200 {
        report
            .failures
            .push(format!("{service}: GET /metrics answered {code}"));
        return Ok(());
    }
    let families = body.lines().filter(|l| l.starts_with("# TYPE ")).count();
    let (ok, output) = promtool_check_metrics(promtool, &body)?;
    report.notes.push(format!(
        "promtool check metrics {service} ({families} metric families): {}",
        if ok {
            "ok".to_string()
        } else {
            format!("FAILED\n{output}")
        }
    ));
    if !ok {
        report.failures.push(format!(
            "promtool check metrics {service}: {}",
            one_line(&output)
        ));
    }
    Ok(())
}

/// Writes the deploy configuration with its targets pointed at `addrs`, its intervals shortened
/// and its rule files made absolute, and starts Prometheus on it.
fn start_prometheus(
    args: &Args,
    files: &OperatorFiles,
    root: &Path,
    addrs: &BTreeMap<&str, SocketAddr>,
) -> Result<Prometheus> {
    let port = free_port()?;
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let config = live_config(
        &files.prometheus_config,
        &root.join("deploy/prometheus"),
        addrs,
        addr,
        args.scrape_secs,
    )?;
    let dir = tempfile::Builder::new()
        .prefix("eventwire-live-prometheus-")
        .tempdir()?;
    let config_path = dir.path().join("prometheus.yml");
    // JSON is YAML: Prometheus reads it as is.
    std::fs::write(&config_path, serde_json::to_string_pretty(&config)?)?;
    let prom_args = vec![
        format!("--config.file={}", config_path.display()),
        format!("--storage.tsdb.path={}", dir.path().join("data").display()),
        format!("--web.listen-address={addr}"),
        "--storage.tsdb.retention.time=1d".to_string(),
    ];
    let mut process = Service::spawn_path("prometheus", &args.prometheus, &prom_args, &[])?;
    let started = Instant::now();
    let deadline = started + Duration::from_secs(60);
    loop {
        if let Some(status) = process.try_status()? {
            bail!(
                "prometheus exited ({status}) at start; its log:\n{}",
                tail(&process.log(), 40)
            );
        }
        if let Ok((200, _)) = http_get(addr, "/-/ready", Duration::from_secs(2)) {
            break;
        }
        if Instant::now() >= deadline {
            bail!(
                "prometheus not ready after 60s; its log:\n{}",
                tail(&process.log(), 40)
            );
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    Ok(Prometheus {
        process,
        _dir: dir,
        addr,
        started,
    })
}

/// The deploy configuration rewritten for the live check.
fn live_config(
    deploy: &Value,
    config_dir: &Path,
    addrs: &BTreeMap<&str, SocketAddr>,
    prometheus: SocketAddr,
    scrape_secs: u64,
) -> Result<Value> {
    let mut c = deploy.clone();
    let interval = format!("{scrape_secs}s");
    let global = c
        .as_object_mut()
        .ok_or_else(|| anyhow!("prometheus.yml is not a mapping"))?
        .entry("global")
        .or_insert_with(|| json!({}));
    for key in ["scrape_interval", "evaluation_interval", "scrape_timeout"] {
        global[key] = json!(interval);
    }
    if let Some(obj) = c.as_object_mut() {
        obj.remove("alerting");
    }
    let rule_files: Vec<Value> = c
        .get("rule_files")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter_map(Value::as_str)
        .map(|g| {
            let p = Path::new(g);
            json!(if p.is_absolute() {
                p.to_path_buf()
            } else {
                config_dir.join(p)
            }
            .display()
            .to_string())
        })
        .collect();
    c["rule_files"] = Value::Array(rule_files);
    let jobs = c
        .get_mut("scrape_configs")
        .and_then(Value::as_array_mut)
        .ok_or_else(|| anyhow!("prometheus.yml has no scrape_configs"))?;
    let mut rewritten = BTreeSet::new();
    for job in jobs.iter_mut() {
        let name = job
            .get("job_name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let Some(statics) = job.get_mut("static_configs").and_then(Value::as_array_mut) else {
            continue;
        };
        for sc in statics.iter_mut() {
            let target = if name == JOB {
                let service = sc
                    .pointer("/labels/service")
                    .and_then(Value::as_str)
                    .ok_or_else(|| anyhow!("a static config of job {JOB} has no service label"))?
                    .to_string();
                let a = addrs
                    .get(service.as_str())
                    .ok_or_else(|| anyhow!("no live {service} to scrape"))?;
                rewritten.insert(service);
                a.to_string()
            } else if name == "prometheus" {
                prometheus.to_string()
            } else {
                continue;
            };
            sc["targets"] = json!([target]);
        }
    }
    for s in addrs.keys() {
        if !rewritten.contains(*s) {
            bail!("prometheus.yml has no static config for {s} in job {JOB}");
        }
    }
    Ok(c)
}

/// Waits until Prometheus has scraped every service successfully, at least four times each.
fn wait_targets_up(prom: &Prometheus, addrs: &BTreeMap<&str, SocketAddr>) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let v = prom.get("/api/v1/targets?state=active")?;
        let targets = v
            .pointer("/data/activeTargets")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let mut missing = Vec::new();
        for (service, addr) in addrs {
            let t = targets.iter().find(|t| {
                t.pointer("/labels/service").and_then(Value::as_str) == Some(*service)
                    && t.pointer("/labels/job").and_then(Value::as_str) == Some(JOB)
            });
            match t {
                Some(t) if t.get("health").and_then(Value::as_str) == Some("up") => {}
                Some(t) => missing.push(format!(
                    "{service} ({addr}) {}: {}",
                    t.get("health").and_then(Value::as_str).unwrap_or("?"),
                    t.get("lastError").and_then(Value::as_str).unwrap_or("")
                )),
                None => missing.push(format!("{service} ({addr}) not a target")),
            }
        }
        let scraped = matches!(
            prom.query(&format!(
                "min(count_over_time(up{{job=\"{JOB}\"}}[10m])) >= 4"
            ))?,
            Answer::Series(1, _)
        );
        if missing.is_empty() && scraped {
            return Ok(());
        }
        if Instant::now() >= deadline {
            bail!(
                "prometheus does not scrape every service: {}; its log:\n{}",
                missing.join("; "),
                tail(&prom.process.log(), 30)
            );
        }
        std::thread::sleep(Duration::from_secs(1));
    }
}

/// Checks that Prometheus loaded every rule of the files and evaluated each without error.
fn check_rules_loaded(
    prom: &Prometheus,
    files: &OperatorFiles,
    report: &mut Report,
) -> Result<String> {
    let want: BTreeSet<String> = files
        .rules()
        .map(|r| r.alert.or(r.record).unwrap_or_default())
        .collect();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let v = prom.get("/api/v1/rules")?;
        let mut loaded = BTreeMap::new();
        for g in v
            .pointer("/data/groups")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            for r in g
                .get("rules")
                .and_then(Value::as_array)
                .map(Vec::as_slice)
                .unwrap_or_default()
            {
                let name = r
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string();
                let health = r
                    .get("health")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string();
                let error = r
                    .get("lastError")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string();
                loaded.insert(name, (health, error));
            }
        }
        let names: BTreeSet<String> = loaded.keys().cloned().collect();
        let unevaluated = loaded.values().filter(|(h, _)| h == "unknown").count();
        if names == want && unevaluated == 0 {
            let mut bad = 0;
            for (name, (health, error)) in &loaded {
                if health != "ok" {
                    bad += 1;
                    report
                        .failures
                        .push(format!("rule {name}: health {health}: {error}"));
                }
            }
            return Ok(format!(
                "prometheus loaded and evaluated {} rules ({} with errors)",
                loaded.len(),
                bad
            ));
        }
        if Instant::now() >= deadline {
            let missing: Vec<&String> = want.difference(&names).collect();
            let extra: Vec<&String> = names.difference(&want).collect();
            bail!(
                "prometheus's rules differ from the files (missing {missing:?}, unexpected \
                 {extra:?}, {unevaluated} not evaluated yet); its log:\n{}",
                tail(&prom.process.log(), 30)
            );
        }
        std::thread::sleep(Duration::from_secs(1));
    }
}

/// `promtool check metrics` on an exposition: (passed, its output).
fn promtool_check_metrics(promtool: &Path, exposition: &str) -> Result<(bool, String)> {
    let mut child = Command::new(promtool)
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("cannot run {}", promtool.display()))?;
    {
        let mut stdin = child
            .stdin
            .take()
            .ok_or_else(|| anyhow!("promtool has no stdin"))?;
        stdin.write_all(exposition.as_bytes())?;
    }
    let out = child.wait_with_output()?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    Ok((out.status.success(), text.trim().to_string()))
}

// ---------------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;

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
    }

    #[test]
    fn durations_globs_and_encoding() {
        assert_eq!(parse_duration("15m"), Some(900));
        assert_eq!(parse_duration("1h30m"), Some(5400));
        assert_eq!(parse_duration("2d"), Some(172_800));
        assert_eq!(parse_duration("5"), None);
        assert_eq!(parse_duration("m"), None);
        assert_eq!(parse_duration(""), None);
        assert!(glob_matches("rules/*.yml", "rules/a.yml"));
        assert!(!glob_matches("rules/*.yml", "rules/sub/a.yml"));
        assert!(!glob_matches("rules/*.yml", "rules/a.yaml"));
        assert!(glob_matches("rules/a.yml", "rules/a.yml"));
        assert_eq!(
            percent_encode("a b{c=\"d\"}[5m]"),
            "a%20b%7Bc%3D%22d%22%7D%5B5m%5D"
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
}
