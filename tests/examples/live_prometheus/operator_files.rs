//! The operator files: dashboards, rule files, rule tests and the Prometheus configuration, read
//! from `deploy/` (YAML turned into JSON values).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context, Result};
use serde_json::{json, Map, Value};
use yaml_rust2::{Yaml, YamlLoader};

use crate::lint::{
    lint_dashboard, lint_dashboard_providers, lint_datasources, lint_prometheus_config,
    lint_rule_file, lint_rule_tests, lint_rules,
};

/// A dashboard with its variables and panel queries.
pub(crate) struct Dashboard {
    pub(crate) file: String,
    pub(crate) json: Value,
    pub(crate) variables: Vec<Variable>,
    pub(crate) queries: Vec<Query>,
}

/// A dashboard variable.
pub(crate) struct Variable {
    pub(crate) name: String,
    pub(crate) kind: String,
    /// The PromQL-ish query of a query variable (`label_values(...)`), if any.
    pub(crate) query: Option<String>,
    /// What "All" stands for, when the variable sets it.
    pub(crate) all_value: Option<String>,
    pub(crate) multi: bool,
}

/// One PromQL expression and where it comes from.
#[derive(Clone, Debug)]
pub(crate) struct Query {
    pub(crate) source: String,
    pub(crate) expr: String,
}

/// One rule of a rule file.
pub(crate) struct Rule {
    pub(crate) file: String,
    pub(crate) group: String,
    pub(crate) alert: Option<String>,
    pub(crate) record: Option<String>,
    pub(crate) expr: String,
    pub(crate) raw: Value,
}

/// Every file this check reads.
pub(crate) struct OperatorFiles {
    pub(crate) dashboards: Vec<Dashboard>,
    pub(crate) rule_files: Vec<(String, Value)>,
    pub(crate) rule_tests: Vec<(String, Value)>,
    pub(crate) prometheus_config: Value,
    pub(crate) datasources: Value,
    pub(crate) dashboard_providers: Value,
}

impl OperatorFiles {
    pub(crate) fn load(root: &Path) -> Result<Self> {
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

    pub(crate) fn rules(&self) -> impl Iterator<Item = Rule> + '_ {
        self.rule_files
            .iter()
            .flat_map(|(file, doc)| rules_of(file, doc))
    }

    pub(crate) fn dashboard_queries(&self) -> Vec<Query> {
        self.dashboards
            .iter()
            .flat_map(|d| d.queries.iter().cloned())
            .collect()
    }

    pub(crate) fn rule_queries(&self) -> Vec<Query> {
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
    pub(crate) fn lint(&self, root: &Path) -> Vec<String> {
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
    pub(crate) fn parse(file: &str, json: Value) -> Result<Dashboard> {
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
pub(crate) fn panels(dashboard: &Value) -> Vec<&Value> {
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

pub(crate) fn rules_of(file: &str, doc: &Value) -> Vec<Rule> {
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

pub(crate) fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
}

pub(crate) fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The files of `dir` ending in `.ext`, sorted.
pub(crate) fn files_with(dir: &Path, ext: &str) -> Result<Vec<PathBuf>> {
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
pub(crate) fn load_single_yaml_in(dir: &Path) -> Result<Value> {
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

pub(crate) fn load_yaml(path: &Path) -> Result<Value> {
    let text = read(path)?;
    yaml_str_to_json(&text).with_context(|| format!("cannot read {} as YAML", path.display()))
}

pub(crate) fn yaml_str_to_json(text: &str) -> Result<Value> {
    let docs = YamlLoader::load_from_str(text).map_err(|e| anyhow!("{e}"))?;
    match docs.as_slice() {
        [doc] => yaml_to_json(doc),
        _ => bail!("expected one YAML document, found {}", docs.len()),
    }
}

pub(crate) fn yaml_to_json(y: &Yaml) -> Result<Value> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
