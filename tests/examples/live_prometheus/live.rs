//! The live run: broker, services, Prometheus, load; then the checks against it.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Write as _;
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context, Result};
use eventwire_tests::{
    create_topics, free_port, http_get, tail, unique_prefix, wait_ready, Service, Tansu,
};
use serde_json::{json, Value};

use crate::feed::{samples, FeedIngest, Feeder};
use crate::operator_files::{Dashboard, OperatorFiles};
use crate::prometheus::{Answer, Prometheus};
use crate::promql::{all_values_regex, one_line, parse_label_values, reads_metric, substitute};
use crate::report::{evaluate, Checked, Report};
use crate::{Args, BAD_INPUT_EVERY, JOB, MAY_BE_EMPTY, READY, SERVICES, STOP};

/// Runs the services and Prometheus, then checks every expression.
// long: the live run in order (broker, services, Prometheus, load, checks, stop); each step is a
// function.
pub(crate) fn live_check(args: &Args, files: &OperatorFiles, root: &Path) -> Result<Report> {
    let mut report = Report::default();
    print_tool_versions(args)?;
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
    let addrs = metrics_addresses(&ingest, &cleaner, &tagger)?;
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
    if !run_load(args, &feeder, &mut cleaner, &mut tagger, &mut ingest)? {
        return match feeder.finish() {
            Err(e) => Err(e.context("feeding ingest failed")),
            Ok(()) => Err(anyhow!("the feeder stopped early")),
        };
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
    check_expressions(&prom, files, args, &mut report)?;
    check_alert_states(&prom, &mut report)?;
    for (service, addr) in &addrs {
        check_exposition(service, *addr, &args.promtool, &mut report)?;
    }

    // Stop everything; each service must exit 0.
    feeder.finish().context("feeding ingest failed")?;
    stop_services(
        &mut ingest,
        [("cleaner", &mut cleaner), ("tagger", &mut tagger)],
        &mut report,
    )?;
    drop(prom);
    drop(tansu);
    Ok(report)
}

/// Prints the versions of prometheus and promtool (and fails if either cannot run).
fn print_tool_versions(args: &Args) -> Result<()> {
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
    Ok(())
}

/// The metrics address of each service, by name.
fn metrics_addresses<'a>(
    ingest: &FeedIngest,
    cleaner: &Service,
    tagger: &Service,
) -> Result<BTreeMap<&'a str, SocketAddr>> {
    let addrs = [
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
    Ok(addrs)
}

/// Feeds the load for `--load-secs`, failing as soon as a service stops; false if the feeder
/// stopped first.
fn run_load(
    args: &Args,
    feeder: &Feeder,
    cleaner: &mut Service,
    tagger: &mut Service,
    ingest: &mut FeedIngest,
) -> Result<bool> {
    let load_started = Instant::now();
    let mut procs: [(&str, &mut Service); 2] = [("cleaner", cleaner), ("tagger", tagger)];
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
            return Ok(false);
        }
    }
    Ok(true)
}

/// Every dashboard and rule expression against Prometheus; a failed one is a failure of the
/// report.
fn check_expressions(
    prom: &Prometheus,
    files: &OperatorFiles,
    args: &Args,
    report: &mut Report,
) -> Result<()> {
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
        check_dashboard(prom, d, args.scrape_secs, &may_be_empty, report)?;
    }
    for q in files.rule_queries() {
        let (series, verdict, ok) = evaluate(prom, &q.expr, &may_be_empty, 0)?;
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
    Ok(())
}

/// Ingest must exit 0 once its input closed, the stages on SIGTERM; anything else is a
/// failure of the report, with the service's log.
fn stop_services(
    ingest: &mut FeedIngest,
    stages: [(&str, &mut Service); 2],
    report: &mut Report,
) -> Result<()> {
    let status = ingest.wait(STOP)?;
    if !status.success() {
        report.failures.push(format!(
            "ingest exited with {status} after its input closed; log:\n{}",
            tail(&ingest.log(), 30)
        ));
    }
    for (name, s) in stages {
        s.sigterm()?;
        let status = s.wait(STOP)?;
        if !status.success() {
            report.failures.push(format!(
                "{name} exited with {status} on SIGTERM; log:\n{}",
                tail(&s.log(), 30)
            ));
        }
    }
    Ok(())
}

/// Evaluates a dashboard's variables (in order, each substituted into the next) and every panel
/// query with the variables substituted as Grafana would.
// long: evaluates a dashboard's variables in order, each substituted into the next, then its panels
// with all of them: one pass that carries the values.
pub(crate) fn check_dashboard(
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
pub(crate) fn check_alert_states(prom: &Prometheus, report: &mut Report) -> Result<()> {
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
pub(crate) fn check_exposition(
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
pub(crate) fn start_prometheus(
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
pub(crate) fn live_config(
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
pub(crate) fn wait_targets_up(prom: &Prometheus, addrs: &BTreeMap<&str, SocketAddr>) -> Result<()> {
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
pub(crate) fn check_rules_loaded(
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
pub(crate) fn promtool_check_metrics(promtool: &Path, exposition: &str) -> Result<(bool, String)> {
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
    use eventwire_tests::workspace_root;

    #[test]
    fn the_live_config_points_every_job_at_the_live_processes() {
        let files = OperatorFiles::load(&workspace_root()).unwrap();
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
}
