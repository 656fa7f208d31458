#!/usr/bin/env python3
"""Checks the deployment artefacts without a cluster or a Docker engine (run by helm-test.sh).

* The Helm chart (deploy/helm/eventwire) is linted and rendered by the real helm binary under
  several sets of values; the rendered objects are checked (kinds, standard labels, selectors,
  probes, resources, security, PDB, PodMonitor, HPA, KEDA ScaledObject, hooks, environment) and
  the core Kubernetes kinds are validated against Kubernetes' strict JSON schemas for the oldest
  and newest supported versions. Values that must not render (KEDA with an HPA, a password in
  plain options, typos) are rendered too and must fail with a clear message.
* The compose file (deploy/compose/compose.yaml) must parse, pass `docker compose config`, and
  agree with the services (commands, ports, health checks, mounted operator files).
* The Dockerfile must copy every binary the workspace builds, run as the user the chart
  expects, and install the shared libraries the binaries link (read with ldd from a local build).

Environment: HELM, COMPOSE (optional), K8S_SCHEMAS (directory from install-tool.sh), and the
built binaries (found like tests/src/bins.rs does: $EVENTWIRE_BIN_DIR, else
$CARGO_TARGET_DIR/debug, else target/debug). Checks needing a missing tool or binary are
reported as skipped, never as passed; with EVENTWIRE_OPS_REQUIRE_BINARIES=1 (scripts/test.sh,
which has just built them) a missing binary is a failure. Prints
"deploy: N passed, N failed, N skipped" last and exits non-zero when anything failed.
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
import subprocess
import sys
import tempfile
import traceback
from pathlib import Path
from collections.abc import Callable
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
CHART = ROOT / "deploy" / "helm" / "eventwire"
COMPOSE = ROOT / "deploy" / "compose" / "compose.yaml"
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
HELM = os.environ.get("HELM", "")
COMPOSE_BIN = os.environ.get("COMPOSE", "")
K8S_SCHEMAS = os.environ.get("K8S_SCHEMAS", "")

SERVICES = {"cleaner": 9102, "tagger": 9103}
PORTS = {"ingest": 9101, **SERVICES}
INPUT_TOPIC = {"cleaner": "articles.raw", "tagger": "articles.clean"}
STANDARD_LABELS = [
    "helm.sh/chart",
    "app.kubernetes.io/name",
    "app.kubernetes.io/instance",
    "app.kubernetes.io/component",
    "app.kubernetes.io/version",
    "app.kubernetes.io/part-of",
    "app.kubernetes.io/managed-by",
]
SELECTOR_LABELS = [
    "app.kubernetes.io/name",
    "app.kubernetes.io/instance",
    "app.kubernetes.io/component",
]
CORE_SCHEMAS = {
    ("apps/v1", "Deployment"): "deployment-apps-v1",
    ("policy/v1", "PodDisruptionBudget"): "poddisruptionbudget-policy-v1",
    ("autoscaling/v2", "HorizontalPodAutoscaler"): "horizontalpodautoscaler-autoscaling-v2",
    ("batch/v1", "Job"): "job-batch-v1",
    ("batch/v1", "CronJob"): "cronjob-batch-v1",
    ("v1", "ServiceAccount"): "serviceaccount-v1",
}
# Fields of the two custom resources, from their CRDs (KEDA 2.x ScaledObject, prometheus-operator
# PodMonitor): a misspelt field would be dropped or rejected by the API server.
SCALEDOBJECT_SPEC = {
    "scaleTargetRef",
    "pollingInterval",
    "cooldownPeriod",
    "initialCooldownPeriod",
    "idleReplicaCount",
    "minReplicaCount",
    "maxReplicaCount",
    "fallback",
    "advanced",
    "triggers",
}
KEDA_KAFKA_METADATA = {
    "bootstrapServers",
    "consumerGroup",
    "topic",
    "lagThreshold",
    "activationLagThreshold",
    "offsetResetPolicy",
    "allowIdleConsumers",
    "excludePersistentLag",
    "scaleToZeroOnInvalidOffset",
    "limitToPartitionsWithLag",
    "partitionLimitation",
    "version",
    "sasl",
    "tls",
    "unsafeSsl",
    "saslTokenProvider",
    "awsRegion",
    "ensureEvenDistributionOfPartitions",
}
KEDA_PROMETHEUS_METADATA = {
    "serverAddress",
    "query",
    "threshold",
    "activationThreshold",
    "namespace",
    "customHeaders",
    "ignoreNullValues",
    "unsafeSsl",
    "queryParameters",
    "timeout",
}
PODMONITOR_SPEC = {
    "jobLabel",
    "podTargetLabels",
    "podMetricsEndpoints",
    "selector",
    "namespaceSelector",
    "sampleLimit",
    "targetLimit",
    "labelLimit",
    "labelNameLengthLimit",
    "labelValueLengthLimit",
    "attachMetadata",
    "scrapeProtocols",
    "fallbackScrapeProtocol",
    "scrapeClass",
    "selectorMechanism",
    "bodySizeLimit",
    "keepDroppedTargets",
    "scrapeClassicHistograms",
    "nativeHistogramBucketLimit",
    "nativeHistogramMinBucketFactor",
    "convertClassicHistogramsToNHCB",
}
PODMETRICSENDPOINT = {
    "port",
    "portNumber",
    "targetPort",
    "path",
    "scheme",
    "params",
    "interval",
    "scrapeTimeout",
    "honorLabels",
    "honorTimestamps",
    "trackTimestampsStaleness",
    "metricRelabelings",
    "relabelings",
    "proxyUrl",
    "followRedirects",
    "enableHttp2",
    "filterRunning",
    "basicAuth",
    "authorization",
    "oauth2",
    "tlsConfig",
    "bearerTokenSecret",
    "noProxy",
    "proxyFromEnvironment",
    "proxyConnectHeader",
}


class Skip(Exception):
    """A check that cannot run here (a tool or the built binaries are missing)."""


class Results:
    def __init__(self) -> None:
        self.passed = 0
        self.failed: list[str] = []
        self.skipped: list[str] = []

    def run(self, name: str, fn: Callable[[], None]) -> None:
        try:
            fn()
        except Skip as e:
            self.skipped.append(name)
            print(f"SKIP {name}: {e}")
        except AssertionError as e:
            self.failed.append(name)
            print(f"FAIL {name}: {e}")
        except Exception as e:  # noqa: BLE001 - a crash in a check is a failure, with its trace
            self.failed.append(name)
            print(f"FAIL {name}: {type(e).__name__}: {e}")
            traceback.print_exc()
        else:
            self.passed += 1
            print(f"ok   {name}")


# ---------------------------------------------------------------------------------------------
# helm


HELM_RUNS = {"lint": 0, "template": 0}


def helm(*args: str, values: dict | None = None) -> subprocess.CompletedProcess:
    if not HELM:
        raise Skip("HELM is not set")
    HELM_RUNS[args[0]] = HELM_RUNS.get(args[0], 0) + 1
    cmd = [HELM, *args]
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
        yaml.safe_dump(values or {}, f)
        path = f.name
    try:
        return subprocess.run(
            cmd + ["-f", path], capture_output=True, text=True, timeout=120, check=False
        )
    finally:
        os.unlink(path)


def render(values: dict | None = None, release: str = "ew", namespace: str = "news") -> list[dict]:
    p = helm("template", release, str(CHART), "--namespace", namespace, values=values)
    assert p.returncode == 0, f"helm template failed with values {values}:\n{p.stderr}"
    docs = [d for d in yaml.safe_load_all(p.stdout) if d]
    assert docs, "helm template rendered nothing"
    return docs


def render_fails(values: dict) -> str:
    p = helm("template", "ew", str(CHART), "--namespace", "news", values=values)
    assert p.returncode != 0, f"helm template rendered values that must be refused: {values}"
    return p.stderr


def by_kind(docs: list[dict], kind: str) -> list[dict]:
    return [d for d in docs if d.get("kind") == kind]


def kinds(docs: list[dict]) -> dict[str, int]:
    out: dict[str, int] = {}
    for d in docs:
        out[d["kind"]] = out.get(d["kind"], 0) + 1
    return out


def one(items: list, what: str):
    assert len(items) == 1, f"expected one {what}, found {len(items)}"
    return items[0]


def deployment(docs: list[dict], component: str) -> dict:
    return one(
        [
            d
            for d in by_kind(docs, "Deployment")
            if d["metadata"]["labels"].get("app.kubernetes.io/component") == component
        ],
        f"Deployment of {component}",
    )


def container(workload: dict) -> dict:
    spec = workload["spec"]
    if workload["kind"] == "CronJob":
        spec = spec["jobTemplate"]["spec"]
    return one(
        spec["template"]["spec"]["containers"], f"container in {workload['metadata']['name']}"
    )


def pod_spec(workload: dict) -> dict:
    spec = workload["spec"]
    if workload["kind"] == "CronJob":
        spec = spec["jobTemplate"]["spec"]
    return spec["template"]["spec"]


def pod_labels(workload: dict) -> dict:
    spec = workload["spec"]
    if workload["kind"] == "CronJob":
        spec = spec["jobTemplate"]["spec"]
    return spec["template"]["metadata"]["labels"]


def env_map(c: dict) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for e in c.get("env", []):
        assert e["name"] not in out, f"{c['name']}: {e['name']} set twice"
        out[e["name"]] = e.get("value", e.get("valueFrom"))
    return out


def workloads(docs: list[dict]) -> list[dict]:
    return [d for d in docs if d["kind"] in ("Deployment", "Job", "CronJob")]


# ---------------------------------------------------------------------------------------------
# the built binaries


def bin_dir() -> Path:
    if os.environ.get("EVENTWIRE_BIN_DIR"):
        return Path(os.environ["EVENTWIRE_BIN_DIR"])
    target = os.environ.get("CARGO_TARGET_DIR") or "target"
    t = Path(target)
    if not t.is_absolute():
        t = ROOT / t
    return t / "debug"


def workspace_binaries() -> list[str]:
    src = (ROOT / "tests" / "src" / "bins.rs").read_text()
    m = re.search(r"pub const BINARIES: \[&str; \d+\] = \[(.*?)\];", src, re.S)
    assert m, "BINARIES not found in tests/src/bins.rs"
    names = re.findall(r'"([^"]+)"', m.group(1))
    assert names, "BINARIES is empty"
    return names


def built(name: str) -> Path:
    p = bin_dir() / name
    if not p.is_file():
        if os.environ.get("EVENTWIRE_OPS_REQUIRE_BINARIES") == "1":
            raise AssertionError(f"{p} is not built, and EVENTWIRE_OPS_REQUIRE_BINARIES=1")
        raise Skip(f"{p} is not built (cargo build --bins)")
    return p


_env_cache: dict[str, set[str]] = {}


def accepted_env(command: list[str]) -> set[str]:
    """EVENTWIRE_* variables a command reads, from its --help ([env: NAME=...]); the command's
    subcommands (eventwire topics create) are kept, its flags dropped."""
    words = []
    for w in command:
        if w.startswith("-"):
            break
        words.append(w)
    binary = " ".join(words)
    if binary not in _env_cache:
        out = subprocess.run(
            [str(built(words[0])), *words[1:], "--help"],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        ).stdout
        names = set(re.findall(r"\[env: (EVENTWIRE_[A-Z0-9_]+)=", out))
        assert names, f"{binary} --help lists no EVENTWIRE_* variables"
        # Read by the tracing setup, not a flag.
        names.add("EVENTWIRE_LOG")
        _env_cache[binary] = names
    return _env_cache[binary]


def check_env_accepted(c: dict) -> None:
    binary = " ".join(c["command"])
    accepted = accepted_env(c["command"])
    # Defined only to be expanded into EVENTWIRE_KAFKA_OPTIONS by Kubernetes.
    ours = {n for n in env_map(c) if n.startswith("EVENTWIRE_")} - {
        "EVENTWIRE_KAFKA_SECRET_OPTIONS"
    }
    unknown = ours - accepted
    assert not unknown, f"{binary} does not read {sorted(unknown)}"


# ---------------------------------------------------------------------------------------------
# chart checks


def check_lint() -> None:
    for values in ({}, {"keda": {"enabled": True}}, {"cleaner": {"hpa": {"enabled": True}}}):
        p = helm("lint", "--strict", str(CHART), values=values)
        assert p.returncode == 0, f"helm lint --strict failed with {values}:\n{p.stdout}{p.stderr}"


def check_chart_files() -> None:
    import jsonschema

    chart = yaml.safe_load((CHART / "Chart.yaml").read_text())
    assert chart["apiVersion"] == "v2" and chart["name"] == "eventwire", chart
    cargo = (ROOT / "Cargo.toml").read_text()
    m = re.search(r'\[workspace\.package\][^\[]*?version = "([^"]+)"', cargo, re.S)
    assert m, "workspace version not found in Cargo.toml"
    assert chart["appVersion"] == m.group(1), (
        f"Chart appVersion {chart['appVersion']} != workspace version {m.group(1)}"
    )
    values = yaml.safe_load((CHART / "values.yaml").read_text())
    schema = json.loads((CHART / "values.schema.json").read_text())
    # An independent implementation of the schema Helm applies (draft-07), on the defaults.
    jsonschema.Draft7Validator.check_schema(schema)
    errors = list(jsonschema.Draft7Validator(schema).iter_errors(values))
    assert not errors, "values.yaml violates values.schema.json: " + "; ".join(
        e.message for e in errors[:5]
    )
    bad = json.loads(json.dumps(values))
    bad["tagger"]["hpa"]["maxReplica"] = 3
    assert list(jsonschema.Draft7Validator(schema).iter_errors(bad)), "schema accepts a typo"


def check_default_kinds() -> None:
    docs = render()
    got = kinds(docs)
    want = {
        "Deployment": 2,
        "PodDisruptionBudget": 2,
        "PodMonitor": 1,
        "ServiceAccount": 1,
        "Job": 1,
    }
    assert got == want, f"default render has {got}, expected {want}"


def check_labels() -> None:
    for values in (
        {},
        {"keda": {"enabled": True}},
        {"ingest": {"enabled": True, "volume": {"emptyDir": {}}}},
    ):
        docs = render(values)
        for d in docs:
            labels = d["metadata"].get("labels", {})
            missing = [k for k in STANDARD_LABELS if k not in labels]
            assert not missing, f"{d['kind']} {d['metadata']['name']} lacks {missing}"
            assert labels["app.kubernetes.io/instance"] == "ew"
            assert labels["app.kubernetes.io/managed-by"] == "Helm"
            assert labels["app.kubernetes.io/name"] == "eventwire"
            assert len(d["metadata"]["name"]) <= 63, f"name too long: {d['metadata']['name']}"
        for w in workloads(docs):
            pl = pod_labels(w)
            missing = [k for k in STANDARD_LABELS if k not in pl]
            assert not missing, f"pods of {w['metadata']['name']} lack {missing}"
            if w["kind"] == "Deployment":
                sel = w["spec"]["selector"]["matchLabels"]
                assert set(sel) == set(SELECTOR_LABELS), f"{w['metadata']['name']} selector {sel}"
                assert all(pl[k] == v for k, v in sel.items()), "selector does not match pod labels"
                assert "app.kubernetes.io/version" not in sel, "version in an immutable selector"


def check_deployments() -> None:
    docs = render()
    binaries = set(workspace_binaries())
    for name, port in SERVICES.items():
        d = deployment(docs, name)
        assert d["spec"]["replicas"] == 2, f"{name}: replicas {d['spec'].get('replicas')}"
        c = container(d)
        cmd = c["command"][0]
        assert cmd == f"eventwire-{name}" and cmd in binaries, f"{name}: command {c['command']}"
        env = env_map(c)
        assert env["EVENTWIRE_METRICS_ADDR"] == f"0.0.0.0:{port}", env["EVENTWIRE_METRICS_ADDR"]
        assert env["EVENTWIRE_GROUP"] == f"eventwire-{name}"
        assert env["EVENTWIRE_BROKERS"] == "kafka:9092"
        assert env["EVENTWIRE_LOG_FORMAT"] == "json"
        ports = {p["name"]: p["containerPort"] for p in c["ports"]}
        assert ports == {"metrics": port}, f"{name}: ports {ports}"
        for probe, path in (
            ("startupProbe", "/healthz"),
            ("livenessProbe", "/healthz"),
            ("readinessProbe", "/readyz"),
        ):
            get = c[probe]["httpGet"]
            assert get == {"path": path, "port": "metrics"}, f"{name} {probe}: {get}"
            assert c[probe]["periodSeconds"] >= 1 and c[probe]["failureThreshold"] >= 1
        res = c["resources"]
        assert res["requests"].get("cpu") and res["requests"].get("memory"), (
            f"{name}: requests {res}"
        )
        assert res["limits"].get("memory"), f"{name}: no memory limit"
        grace = pod_spec(d)["terminationGracePeriodSeconds"]
        assert grace > int(env["EVENTWIRE_SHUTDOWN_TIMEOUT_SECS"]) + 5, f"{name}: grace {grace}"
        spread = pod_spec(d)["topologySpreadConstraints"][0]
        assert spread["labelSelector"]["matchLabels"] == d["spec"]["selector"]["matchLabels"]


def check_security() -> None:
    docs = render({"ingest": {"enabled": True, "volume": {"emptyDir": {}}}})
    user = dockerfile_user()
    for w in workloads(docs):
        ps = pod_spec(w)
        name = w["metadata"]["name"]
        assert ps["securityContext"]["runAsNonRoot"] is True, name
        assert ps["securityContext"]["runAsUser"] == user, (
            f"{name}: runAsUser {ps['securityContext']['runAsUser']} != Dockerfile USER {user}"
        )
        assert ps["automountServiceAccountToken"] is False, name
        sc = container(w)["securityContext"]
        assert sc["readOnlyRootFilesystem"] is True and sc["allowPrivilegeEscalation"] is False, (
            name
        )
        assert sc["capabilities"]["drop"] == ["ALL"], name
        mounts = {m["mountPath"] for m in container(w)["volumeMounts"]}
        assert "/tmp" in mounts, f"{name}: no writable /tmp under a read-only root"
        res = container(w)["resources"]
        assert res.get("requests") and res.get("limits", {}).get("memory"), (
            f"{name}: resources {res}"
        )


def check_pdb() -> None:
    docs = render()
    pdbs = by_kind(docs, "PodDisruptionBudget")
    assert len(pdbs) == 2
    for pdb in pdbs:
        comp = pdb["metadata"]["labels"]["app.kubernetes.io/component"]
        d = deployment(docs, comp)
        assert pdb["spec"]["selector"]["matchLabels"] == d["spec"]["selector"]["matchLabels"], (
            f"{comp}: PDB selector {pdb['spec']['selector']} does not select the Deployment's pods"
        )
        assert pdb["spec"]["maxUnavailable"] == 1, pdb["spec"]
        assert "minAvailable" not in pdb["spec"], (
            "minAvailable would block drains of 1-replica services"
        )
    docs = render({"cleaner": {"pdb": {"enabled": False}}})
    assert kinds(docs).get("PodDisruptionBudget") == 1


def selects(selector: dict, labels: dict) -> bool:
    if any(labels.get(k) != v for k, v in selector.get("matchLabels", {}).items()):
        return False
    for e in selector.get("matchExpressions", []):
        val = labels.get(e["key"])
        if e["operator"] == "In" and val not in e["values"]:
            return False
        if e["operator"] == "NotIn" and val in e["values"]:
            return False
        if e["operator"] == "Exists" and val is None:
            return False
    return True


def check_podmonitor() -> None:
    docs = render(
        {
            "podMonitor": {"labels": {"release": "kube-prometheus-stack"}},
            "ingest": {"enabled": True, "volume": {"emptyDir": {}}},
        }
    )
    pm = one(by_kind(docs, "PodMonitor"), "PodMonitor")
    assert pm["apiVersion"] == "monitoring.coreos.com/v1"
    assert pm["metadata"]["labels"]["release"] == "kube-prometheus-stack"
    spec = pm["spec"]
    assert set(spec) <= PODMONITOR_SPEC, f"unknown PodMonitor fields {set(spec) - PODMONITOR_SPEC}"
    assert spec["namespaceSelector"] == {"matchNames": ["news"]}
    ep = one(spec["podMetricsEndpoints"], "podMetricsEndpoint")
    assert set(ep) <= PODMETRICSENDPOINT, f"unknown endpoint fields {set(ep) - PODMETRICSENDPOINT}"
    assert ep["port"] == "metrics" and ep["path"] == "/metrics"
    # The rules and dashboards (deploy/prometheus) select job="eventwire" and a `service` label
    # on every target, as deploy/prometheus/prometheus.yml sets them.
    relabel = ep.get("relabelings", [])
    assert {"action": "replace", "targetLabel": "job", "replacement": "eventwire"} in relabel, (
        relabel
    )
    assert any(
        r.get("targetLabel") == "service"
        and r.get("sourceLabels") == ["__meta_kubernetes_pod_label_app_kubernetes_io_component"]
        for r in relabel
    ), relabel
    assert ep.get("honorLabels") is True, "the series' service label would become exported_service"
    prom = ROOT / "deploy" / "prometheus" / "prometheus.yml"
    if prom.is_file():
        jobs = {j["job_name"]: j for j in yaml.safe_load(prom.read_text())["scrape_configs"]}
        assert "eventwire" in jobs, "deploy/prometheus/prometheus.yml has no job named eventwire"
        targets = {
            t: sc["labels"]["service"]
            for sc in jobs["eventwire"]["static_configs"]
            for t in sc["targets"]
        }
        # Compose's service names and ports, so the same rules work on both.
        for comp, port in SERVICES.items():
            assert targets.get(f"{comp}:{port}") == comp, (
                f"prometheus.yml does not scrape {comp}:{port}: {targets}"
            )
    for w in workloads(docs):
        labels = pod_labels(w)
        comp = labels["app.kubernetes.io/component"]
        has_port = any(p.get("name") == "metrics" for p in container(w).get("ports", []))
        if comp in PORTS:
            assert selects(spec["selector"], labels), f"PodMonitor misses {comp} pods"
            assert has_port, f"{comp} pods have no metrics port"
        else:
            assert not selects(spec["selector"], labels), f"PodMonitor selects {comp} pods"
    assert "PodMonitor" not in kinds(render({"podMonitor": {"enabled": False}}))


def check_topics_job() -> None:
    docs = render(
        {"topics": {"partitions": 24, "replication": 3}, "kafka": {"topicPrefix": "prod."}}
    )
    job = one(
        [
            j
            for j in by_kind(docs, "Job")
            if j["metadata"]["labels"]["app.kubernetes.io/component"] == "topics"
        ],
        "topics Job",
    )
    ann = job["metadata"]["annotations"]
    assert ann["helm.sh/hook"] == "pre-install,pre-upgrade", ann
    assert "before-hook-creation" in ann["helm.sh/hook-delete-policy"]
    c = container(job)
    assert c["command"] == [
        "eventwire",
        "topics",
        "create",
        "--partitions",
        "24",
        "--replication",
        "3",
    ], c["command"]
    assert env_map(c)["EVENTWIRE_TOPIC_PREFIX"] == "prod."
    # A pre-install hook runs before the chart's ServiceAccount exists.
    assert "serviceAccountName" not in pod_spec(job), (
        "hook Job names a ServiceAccount the release creates later"
    )
    assert pod_spec(job)["restartPolicy"] == "Never"
    assert "Job" not in kinds(render({"topics": {"create": False}}))


def check_keda() -> None:
    docs = render(
        {
            "keda": {"enabled": True},
            "kafka": {"topicPrefix": "prod.", "brokers": "b1:9092,b2:9092"},
            "tagger": {"group": "tagger-prod"},
        }
    )
    got = kinds(docs)
    assert got.get("ScaledObject") == 2 and "HorizontalPodAutoscaler" not in got, got
    for so in by_kind(docs, "ScaledObject"):
        assert so["apiVersion"] == "keda.sh/v1alpha1"
        spec = so["spec"]
        assert set(spec) <= SCALEDOBJECT_SPEC, (
            f"unknown ScaledObject fields {set(spec) - SCALEDOBJECT_SPEC}"
        )
        comp = so["metadata"]["labels"]["app.kubernetes.io/component"]
        d = deployment(docs, comp)
        assert "replicas" not in d["spec"], (
            f"{comp}: the Deployment sets replicas while KEDA owns them"
        )
        ref = spec["scaleTargetRef"]
        assert ref == {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "name": d["metadata"]["name"],
        }, ref
        assert 1 <= spec["minReplicaCount"] <= spec["maxReplicaCount"]
        trig = one(spec["triggers"], "trigger")
        assert trig["type"] == "kafka"
        md = trig["metadata"]
        assert set(md) <= KEDA_KAFKA_METADATA, (
            f"unknown kafka trigger metadata {set(md) - KEDA_KAFKA_METADATA}"
        )
        assert all(isinstance(v, str) for v in md.values()), (
            f"KEDA metadata values must be strings: {md}"
        )
        env = env_map(container(d))
        assert md["consumerGroup"] == env["EVENTWIRE_GROUP"], (
            md["consumerGroup"],
            env["EVENTWIRE_GROUP"],
        )
        assert md["topic"] == "prod." + INPUT_TOPIC[comp], md["topic"]
        assert md["bootstrapServers"] == "b1:9092,b2:9092"
        assert int(md["lagThreshold"]) >= 1 and int(md["activationLagThreshold"]) >= 0
        assert md["offsetResetPolicy"] == "earliest"
    assert env_map(container(deployment(docs, "tagger")))["EVENTWIRE_GROUP"] == "tagger-prod"
    # Only the services that opt in.
    docs = render(
        {
            "keda": {"enabled": True},
            "tagger": {"keda": {"enabled": False}, "hpa": {"enabled": True}},
        }
    )
    assert kinds(docs).get("ScaledObject") == 1 and kinds(docs).get("HorizontalPodAutoscaler") == 1


def check_keda_prometheus() -> None:
    docs = render(
        {
            "keda": {
                "enabled": True,
                "trigger": "prometheus",
                "prometheus": {"serverAddress": "http://prometheus-operated.monitoring:9090"},
            }
        }
    )
    for so in by_kind(docs, "ScaledObject"):
        comp = so["metadata"]["labels"]["app.kubernetes.io/component"]
        trig = one(so["spec"]["triggers"], "trigger")
        assert trig["type"] == "prometheus"
        md = trig["metadata"]
        assert set(md) <= KEDA_PROMETHEUS_METADATA, (
            f"unknown prometheus metadata {set(md) - KEDA_PROMETHEUS_METADATA}"
        )
        q = md["query"]
        assert (
            "eventwire_consumer_lag_messages" in q
            and f'container="{comp}"' in q
            and f'topic="{INPUT_TOPIC[comp]}"' in q
        ), q
        assert 'namespace="news"' in q, q
    err = render_fails({"keda": {"enabled": True, "trigger": "prometheus"}})
    assert "keda.prometheus.serverAddress" in err, err


def check_keda_with_hpa_refused() -> None:
    for svc in SERVICES:
        err = render_fails({"keda": {"enabled": True}, svc: {"hpa": {"enabled": True}}})
        assert f"keda.enabled and {svc}.hpa.enabled cannot both be set" in err, err
        assert "fight" in err, err
    # Also when only the ScaledObjects are asked for. (`helm lint` only logs a template's `fail`
    # and passes: install, upgrade and template are what refuse.)
    bad = {"keda": {"enabled": True}, "cleaner": {"hpa": {"enabled": True}}}
    p = helm("template", "ew", str(CHART), "--show-only", "templates/scaledobject.yaml", values=bad)
    assert p.returncode != 0 and "cannot both be set" in p.stderr, (
        "--show-only rendered KEDA with an HPA"
    )
    # KEDA for one service and the HPA for the other is fine.
    render(
        {
            "keda": {"enabled": True},
            "cleaner": {"keda": {"enabled": False}, "hpa": {"enabled": True}},
        }
    )


def check_hpa() -> None:
    docs = render({"cleaner": {"hpa": {"enabled": True, "minReplicas": 2, "maxReplicas": 6}}})
    hpa = one(by_kind(docs, "HorizontalPodAutoscaler"), "HPA")
    d = deployment(docs, "cleaner")
    assert hpa["spec"]["scaleTargetRef"]["name"] == d["metadata"]["name"]
    assert (hpa["spec"]["minReplicas"], hpa["spec"]["maxReplicas"]) == (2, 6)
    assert "replicas" not in d["spec"], "the Deployment sets replicas while the HPA owns them"
    assert deployment(docs, "tagger")["spec"]["replicas"] == 2
    err = render_fails({"cleaner": {"hpa": {"enabled": True, "minReplicas": 5, "maxReplicas": 2}}})
    assert "minReplicas must not exceed" in err, err


def check_kafka_security() -> None:
    err = render_fails({"kafka": {"options": {"sasl.password": "hunter2"}}})
    assert "kafka.options.sasl.password is a credential" in err, err
    err = render_fails({"kafka": {"options": {"group.id": "x"}}})
    assert "managed by eventwire" in err, err
    docs = render(
        {
            "kafka": {
                "options": {
                    "security.protocol": "SASL_SSL",
                    "sasl.mechanism": "SCRAM-SHA-512",
                    "ssl.ca.location": "/etc/eventwire/kafka-tls/ca.crt",
                    "socket.timeout.ms": 60000,
                },
                "secretOptions": {"existingSecret": "kafka-credentials", "key": "options"},
                "tls": {"existingSecret": "kafka-ca"},
            }
        }
    )
    for w in workloads(docs):
        c = container(w)
        names = [e["name"] for e in c["env"]]
        env = env_map(c)
        assert env["EVENTWIRE_KAFKA_SECRET_OPTIONS"] == {
            "secretKeyRef": {"name": "kafka-credentials", "key": "options"}
        }
        # Kubernetes expands $(VAR) only from variables listed before.
        assert names.index("EVENTWIRE_KAFKA_SECRET_OPTIONS") < names.index(
            "EVENTWIRE_KAFKA_OPTIONS"
        )
        assert env["EVENTWIRE_KAFKA_OPTIONS"] == (
            "sasl.mechanism=SCRAM-SHA-512;security.protocol=SASL_SSL;socket.timeout.ms=60000;"
            "ssl.ca.location=/etc/eventwire/kafka-tls/ca.crt;$(EVENTWIRE_KAFKA_SECRET_OPTIONS)"
        ), env["EVENTWIRE_KAFKA_OPTIONS"]
        mounts = {m["name"]: m for m in c["volumeMounts"]}
        assert (
            mounts["kafka-tls"]["mountPath"] == "/etc/eventwire/kafka-tls"
            and mounts["kafka-tls"]["readOnly"] is True
        )
        vols = {v["name"]: v for v in pod_spec(w)["volumes"]}
        assert vols["kafka-tls"]["secret"]["secretName"] == "kafka-ca"
    # Without a Secret, a literal "$(" is escaped so Kubernetes does not expand it.
    c = container(deployment(render({"kafka": {"options": {"client.id": "a$(B)"}}}), "cleaner"))
    assert env_map(c)["EVENTWIRE_KAFKA_OPTIONS"] == "client.id=a$$(B)"


def check_numbers_and_settings() -> None:
    docs = render(
        {
            "cleaner": {
                "settings": {
                    "dedupCapacity": 5000000,
                    "maxRecordBytes": 10485760,
                    "dlqMaxRatio": 0.25,
                    "dedupFollow": False,
                }
            }
        }
    )
    env = env_map(container(deployment(docs, "cleaner")))
    assert env["EVENTWIRE_DEDUP_CAPACITY"] == "5000000", env["EVENTWIRE_DEDUP_CAPACITY"]
    assert env["EVENTWIRE_MAX_RECORD_BYTES"] == "10485760", env["EVENTWIRE_MAX_RECORD_BYTES"]
    assert env["EVENTWIRE_DLQ_MAX_RATIO"] == "0.25"
    assert env["EVENTWIRE_DEDUP_FOLLOW"] == "false"
    # A setting set to null keeps the binary's default.
    env = env_map(
        container(deployment(render({"tagger": {"settings": {"concurrency": None}}}), "tagger"))
    )
    assert "EVENTWIRE_CONCURRENCY" not in env


def all_settings_values() -> dict:
    """Every settings key the schema allows, with a valid value."""
    schema = json.loads((CHART / "values.schema.json").read_text())
    sample = {"integer": 7, "number": 0.5, "boolean": True, "string": "2h"}
    out: dict = {}
    for comp in ("cleaner", "tagger", "ingest"):
        props = schema["properties"][comp]["properties"]["settings"]["properties"]
        settings = {}
        for key, p in props.items():
            t = [x for x in p["type"] if x != "null"][0]
            settings[key] = sample[t]
        if comp != "ingest":
            settings["shutdownTimeoutSecs"] = 20
            settings["maxRecordBytes"] = 4096
        else:
            settings["maxRecordBytes"] = 4096
        out[comp] = {"settings": settings}
    out["ingest"].update({"enabled": True, "volume": {"emptyDir": {}}, "source": "wire"})
    return out


def check_env_against_binaries() -> None:
    for b in ("eventwire-cleaner", "eventwire-tagger", "eventwire-ingest", "eventwire"):
        built(b)
    docs = render(all_settings_values())
    for w in workloads(docs):
        check_env_accepted(container(w))


def check_ingest() -> None:
    err = render_fails({"ingest": {"enabled": True}})
    assert "ingest.volume" in err, err
    vol = {"persistentVolumeClaim": {"claimName": "articles"}}
    docs = render(
        {"ingest": {"enabled": True, "volume": vol, "path": "/articles/2026", "source": "wire"}}
    )
    job = one(
        [
            j
            for j in by_kind(docs, "Job")
            if j["metadata"]["labels"]["app.kubernetes.io/component"] == "ingest"
        ],
        "ingest Job",
    )
    assert job["metadata"]["name"] == "ew-eventwire-ingest-r1", job["metadata"]["name"]
    assert "helm.sh/hook" not in job["metadata"].get("annotations", {})
    c = container(job)
    assert c["command"] == ["eventwire-ingest"] and c["args"] == ["/articles/2026"], (
        c["command"],
        c["args"],
    )
    env = env_map(c)
    assert env["EVENTWIRE_SOURCE"] == "wire" and env["EVENTWIRE_METRICS_ADDR"] == "0.0.0.0:9101"
    vols = {v["name"]: v for v in pod_spec(job)["volumes"]}
    assert vols["articles"]["persistentVolumeClaim"] == {"claimName": "articles"}
    assert any(m["name"] == "articles" and m["readOnly"] for m in c["volumeMounts"])
    assert pod_spec(job)["restartPolicy"] == "Never"
    assert "Deployment" not in {
        d["kind"]
        for d in docs
        if d["metadata"]["labels"]["app.kubernetes.io/component"] == "ingest"
    }
    docs = render({"ingest": {"enabled": True, "volume": vol, "schedule": "*/15 * * * *"}})
    cj = one(by_kind(docs, "CronJob"), "CronJob")
    assert cj["spec"]["schedule"] == "*/15 * * * *" and cj["spec"]["concurrencyPolicy"] == "Forbid"
    assert container(cj)["command"] == ["eventwire-ingest"]


def check_ingest_service() -> None:
    assert not [
        d for d in render() if d["metadata"]["name"].endswith("ingest-service")
    ], "the ingest Deployment is off by default"
    err = render_fails({"ingestService": {"enabled": True}})
    assert "ingestService.feeds" in err, err
    err = render_fails({"ingestService": {"enabled": True, "push": {"enabled": True}}})
    assert "tokenSecret" in err, err
    feeds = '[[feed]]\nurl = "https://example.org/rss.xml"\nsource = "ex"\n'
    docs = render(
        {
            "ingest": {"enabled": True, "volume": {"emptyDir": {}}},
            "ingestService": {
                "enabled": True,
                "feeds": feeds,
                "push": {"enabled": True, "tokenSecret": "push-token"},
            },
        }
    )
    dep = deployment(docs, "ingest")
    assert dep["metadata"]["name"] == "ew-eventwire-ingest-service", dep["metadata"]["name"]
    assert dep["spec"]["strategy"]["type"] == "Recreate" and dep["spec"]["replicas"] == 1
    c = container(dep)
    assert c["command"] == ["eventwire-ingest"], c["command"]
    assert c["args"] == [
        "--feeds",
        "/etc/eventwire/feeds/feeds.toml",
        "--listen",
        "0.0.0.0:8080",
        "--token-file",
        "/etc/eventwire/push/token",
    ], c["args"]
    assert env_map(c)["EVENTWIRE_METRICS_ADDR"] == "0.0.0.0:9101"
    cm = one(by_kind(docs, "ConfigMap"), "feeds ConfigMap")
    assert cm["data"]["feeds.toml"] == feeds, cm["data"]
    vols = {v["name"]: v for v in pod_spec(dep)["volumes"]}
    assert vols["feeds"]["configMap"]["name"] == cm["metadata"]["name"]
    assert vols["push-token"]["secret"]["secretName"] == "push-token"
    svc = one(by_kind(docs, "Service"), "push Service")
    assert svc["spec"]["ports"][0]["port"] == 8080
    assert selects({"matchLabels": svc["spec"]["selector"]}, pod_labels(dep))
    # The Deployment must not select the one-shot Job's pods (same component label).
    job = one(
        [
            j
            for j in by_kind(docs, "Job")
            if j["metadata"]["labels"]["app.kubernetes.io/component"] == "ingest"
        ],
        "ingest Job",
    )
    assert not selects(dep["spec"]["selector"], pod_labels(job)), "Deployment selects Job pods"
    assert selects(dep["spec"]["selector"], pod_labels(dep))
    assert pod_labels(dep)["app.kubernetes.io/component"] == "ingest", "PodMonitor scrapes it"


def check_refusals() -> None:
    err = render_fails({"cleaner": {"replica": 3}})
    assert "replica" in err and "not allowed" in err, err
    err = render_fails({"tagger": {"settings": {"maxInFlightt": 3}}})
    assert "maxInFlightt" in err, err
    err = render_fails({"cleaner": {"settings": {"shutdownTimeoutSecs": 50}}})
    assert "shutdownTimeoutSecs" in err, err
    err = render_fails({"tagger": {"terminationGracePeriodSeconds": 20}})
    assert "terminationGracePeriodSeconds" in err and "must exceed" in err, err
    err = render_fails({"keda": {"trigger": "redis"}})
    assert "trigger" in err, err


def check_notes() -> None:
    if not HELM:
        raise Skip("HELM is not set")
    env = {**os.environ, "KUBECONFIG": "/nonexistent/kubeconfig"}  # no cluster is contacted
    for values, want in (
        ({}, "port-forward deploy/ew-eventwire-cleaner 9102"),
        ({"cleaner": {"enabled": False}}, "port-forward deploy/ew-eventwire-tagger 9103"),
        ({"keda": {"enabled": True}}, "scaled by KEDA (1-12 replicas on consumer lag)"),
    ):
        with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
            yaml.safe_dump(values, f)
            path = f.name
        try:
            p = subprocess.run(
                [HELM, "install", "ew", str(CHART), "-n", "news", "--dry-run=client", "-f", path],
                capture_output=True,
                text=True,
                timeout=120,
                env=env,
                check=False,
            )
        finally:
            os.unlink(path)
        assert p.returncode == 0, f"helm install --dry-run=client failed with {values}:\n{p.stderr}"
        notes = p.stdout.split("NOTES:", 1)
        assert len(notes) == 2, "no NOTES in the dry-run output"
        assert want in notes[1], f"NOTES with {values} lack {want!r}:\n{notes[1]}"


def check_names() -> None:
    # Helm's longest release name (53 characters).
    docs = render(release="a-very-long-release-name-for-eventwire-in-production1")
    for d in docs:
        assert len(d["metadata"]["name"]) <= 63, d["metadata"]["name"]
    names = [d["metadata"]["name"] for d in docs if d["kind"] == "Deployment"]
    assert len(set(names)) == len(names), names


def schema_validator(version: str, kind_file: str):
    if not K8S_SCHEMAS:
        raise Skip("K8S_SCHEMAS is not set")
    import jsonschema
    from referencing import Registry, Resource

    d = Path(K8S_SCHEMAS) / version
    defs = json.loads((d / "_definitions.json").read_text())
    schema = json.loads((d / f"{kind_file}.json").read_text())
    registry = Registry().with_resource(defs["$id"], Resource.from_contents(defs))
    return jsonschema.Draft202012Validator(schema, registry=registry)


def check_k8s_schemas() -> None:
    if not K8S_SCHEMAS:
        raise Skip("K8S_SCHEMAS is not set")
    versions = sorted(p.name for p in Path(K8S_SCHEMAS).iterdir() if p.is_dir())
    assert versions, f"no schema versions in {K8S_SCHEMAS}"
    renders = [
        render(),
        render(
            {
                "keda": {"enabled": True},
                "tagger": {"keda": {"enabled": False}, "hpa": {"enabled": True}},
            }
        ),
        render(
            {
                "ingest": {"enabled": True, "volume": {"emptyDir": {}}},
                "kafka": {"secretOptions": {"existingSecret": "s"}, "tls": {"existingSecret": "t"}},
            }
        ),
        render({"ingest": {"enabled": True, "volume": {"emptyDir": {}}, "schedule": "0 * * * *"}}),
        render(
            {
                "ingestService": {
                    "enabled": True,
                    "feeds": "[[feed]]\n",
                    "push": {"enabled": True, "tokenSecret": "t"},
                }
            }
        ),
    ]
    seen = set()
    for docs in renders:
        for d in docs:
            key = (d["apiVersion"], d["kind"])
            if key not in CORE_SCHEMAS:
                # ConfigMap and Service (ingestService) have no cached schema; they are plain.
                assert d["kind"] in ("PodMonitor", "ScaledObject", "ConfigMap", "Service"), (
                    f"no schema check for {key}"
                )
                continue
            seen.add(d["kind"])
            for v in versions:
                errors = sorted(schema_validator(v, CORE_SCHEMAS[key]).iter_errors(d), key=str)
                assert not errors, (
                    f"{d['kind']} {d['metadata']['name']} invalid for Kubernetes {v}: "
                    + "; ".join(
                        f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}"
                        for e in errors[:5]
                    )
                )
    want = {k for _, k in CORE_SCHEMAS}
    assert seen == want, f"kinds never validated: {want - seen}"


def check_schema_validator_catches_typos() -> None:
    # The schema check itself must reject a misspelt field, or the check above proves nothing.
    d = deployment(render(), "cleaner")
    container(d)["readinesProbe"] = container(d).pop("readinessProbe")
    versions = (
        sorted(p.name for p in Path(K8S_SCHEMAS or "/nonexistent").iterdir() if p.is_dir())
        if K8S_SCHEMAS
        else []
    )
    if not versions:
        raise Skip("K8S_SCHEMAS is not set")
    errors = list(
        schema_validator(versions[-1], CORE_SCHEMAS[("apps/v1", "Deployment")]).iter_errors(d)
    )
    assert errors, "the strict Deployment schema accepted a misspelt field"


# ---------------------------------------------------------------------------------------------
# compose


def compose_doc() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def check_compose_parses() -> None:
    doc = compose_doc()
    want = {
        "kafka",
        "topics",
        "cleaner",
        "tagger",
        "ingest",
        "ingest-feeds",
        "postgres",
        "prometheus",
        "grafana",
    }
    assert set(doc["services"]) == want, f"compose services {set(doc['services'])}"
    assert doc["services"]["kafka"]["image"].startswith("${KAFKA_IMAGE:-apache/kafka:")
    env = doc["services"]["kafka"]["environment"]
    assert env["KAFKA_PROCESS_ROLES"] == "broker,controller", "Kafka must run in KRaft mode"
    assert "KAFKA_ZOOKEEPER_CONNECT" not in env


def check_compose_services() -> None:
    doc = compose_doc()
    binaries = set(workspace_binaries())
    for name in ("topics", "cleaner", "tagger", "ingest", "ingest-feeds"):
        s = doc["services"][name]
        assert s["command"][0] in binaries, f"{name}: {s['command'][0]} is not a workspace binary"
        assert s["environment"]["EVENTWIRE_BROKERS"] == "kafka:9092", name
        assert s["read_only"] is True and s["cap_drop"] == ["ALL"], (
            f"{name}: not read-only or keeps capabilities"
        )
    for name, port in SERVICES.items():
        s = doc["services"][name]
        assert s["environment"]["EVENTWIRE_METRICS_ADDR"] == f"0.0.0.0:{port}", (
            f"{name}: EVENTWIRE_METRICS_ADDR {s['environment']['EVENTWIRE_METRICS_ADDR']}"
        )
        assert s["ports"] == [f"127.0.0.1:{port}:{port}"], s["ports"]
        hc = " ".join(s["healthcheck"]["test"])
        assert f"/dev/tcp/127.0.0.1/{port}" in hc and "GET /readyz" in hc, hc
        assert s["depends_on"]["topics"]["condition"] == "service_completed_successfully"
    assert "build" in doc["services"]["topics"], (
        "the eventwire image is built by the topics service"
    )
    assert doc["services"]["topics"]["pull_policy"] == "build"
    feeds = doc["services"]["ingest-feeds"]
    assert feeds["profiles"] == ["feeds"], "the feed poller starts only with its profile"
    assert "--feeds" in feeds["command"] and "--listen" in feeds["command"], feeds["command"]
    assert (ROOT / "deploy" / "compose" / "feeds.example.toml").is_file()
    for name in ("cleaner", "tagger", "ingest", "ingest-feeds"):
        # No registry has the image: pulling it would fail the whole `up`.
        assert doc["services"][name]["pull_policy"] == "never", name
    assert doc["services"]["topics"]["depends_on"]["kafka"]["condition"] == "service_healthy"
    mounts = doc["services"]["grafana"]["volumes"] + doc["services"]["prometheus"]["volumes"]
    for m in (
        "../grafana/provisioning/datasources:/etc/grafana/provisioning/datasources:ro",
        "../grafana/provisioning/dashboards:/etc/grafana/provisioning/dashboards:ro",
        "../grafana/dashboards:/etc/grafana/dashboards:ro",
        "../prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro",
        "../prometheus/rules:/etc/prometheus/rules:ro",
    ):
        assert m in mounts, f"missing mount {m}"
    for s in doc["services"].values():
        for p in s.get("ports", []):
            assert p.startswith("127.0.0.1:"), f"port {p} published on every interface"


def check_compose_config() -> None:
    if not COMPOSE_BIN:
        raise Skip("COMPOSE is not set")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCKER_")}
    env["DOCKER_HOST"] = "unix:///nonexistent/docker.sock"  # proves no engine is contacted
    p = subprocess.run(
        [
            COMPOSE_BIN,
            "--project-directory",
            str(COMPOSE.parent),
            "-f",
            str(COMPOSE),
            "config",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )
    assert p.returncode == 0, f"docker compose config failed:\n{p.stderr}"
    cfg = json.loads(p.stdout)
    assert cfg["name"] == "eventwire"
    topics = cfg["services"]["topics"]
    assert topics["command"][-4:] == ["--partitions", "6", "--replication", "1"], topics["command"]
    assert topics["build"]["context"] == str(ROOT), topics["build"]["context"]
    assert cfg["services"]["ingest"]["volumes"][0]["source"] == str(ROOT / "examples" / "articles")
    for name in ("cleaner", "tagger", "ingest"):
        assert cfg["services"][name]["image"] == "eventwire:dev"
    # A broken file must fail, or this check proves nothing.
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", dir=COMPOSE.parent, delete=False) as f:
        broken = compose_doc()
        broken["services"]["cleaner"]["depends_on"] = {
            "nosuchservice": {"condition": "service_healthy"}
        }
        yaml.safe_dump(broken, f)
        path = f.name
    try:
        p = subprocess.run(
            [COMPOSE_BIN, "-f", path, "config", "-q"],
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
            check=False,
        )
        assert p.returncode != 0, "docker compose config accepted a dependency on a missing service"
    finally:
        os.unlink(path)


# ---------------------------------------------------------------------------------------------
# Dockerfile


def dockerfile_user() -> int:
    users = re.findall(r"^USER\s+(\S+)", DOCKERFILE.read_text(), re.M)
    assert users, "the Dockerfile sets no USER"
    user = users[-1].split(":")[0]
    assert user.isdigit() and int(user) != 0, (
        f"final USER {users[-1]} must be a numeric non-root uid"
    )
    return int(user)


def check_dockerfile_binaries() -> None:
    text = DOCKERFILE.read_text()
    # the binaries are copied out of the directory of the profile the build uses
    profile = re.search(r"cargo build[^\n]*?--profile[ =](\S+)", text)
    out_dir = profile.group(1) if profile else "release"
    if profile and out_dir not in ("release", "dev"):
        cargo_toml = (DOCKERFILE.parent / "Cargo.toml").read_text()
        assert f"[profile.{out_dir}]" in cargo_toml, f"Cargo.toml defines no profile {out_dir}"
    if not profile:
        assert re.search(r"cargo build[^\n]*--release", text), "the Dockerfile builds no release"
    for b in workspace_binaries():
        assert f"target/{out_dir}/{b}" in text, f"the Dockerfile does not copy {b} (target/{out_dir})"
    for pkg in ("eventwire-cli", "eventwire-ingest", "eventwire-cleaner", "eventwire-tagger"):
        assert f"-p {pkg}" in text, f"the Dockerfile does not build {pkg}"
    stages = re.findall(r"^FROM\s+\S+\s+AS\s+(\S+)", text, re.M | re.I)
    assert len(stages) >= 2, "not a multi-stage build"
    dockerfile_user()


# Shared library (soname) -> the Debian package that provides it in the runtime image. glibc and
# libgcc are in every Debian image; the others must be installed by the Dockerfile.
RUNTIME_LIBS = {
    "linux-vdso.so.1": None,
    "ld-linux-x86-64.so.2": None,
    "libc.so.6": None,
    "libm.so.6": None,
    "libpthread.so.0": None,
    "libdl.so.2": None,
    "librt.so.1": None,
    "libgcc_s.so.1": None,
    "libssl.so.3": "libssl3t64",
    "libcrypto.so.3": "libssl3t64",
    "libz.so.1": "zlib1g",
}


def check_runtime_libraries() -> None:
    text = DOCKERFILE.read_text()
    runtime = text[text.index("AS runtime") :]
    for b in workspace_binaries():
        p = subprocess.run(
            ["ldd", str(built(b))], capture_output=True, text=True, timeout=30, check=False
        )
        assert p.returncode == 0, p.stderr
        for line in p.stdout.splitlines():
            soname = line.strip().split()[0]
            soname = os.path.basename(soname)
            assert soname in RUNTIME_LIBS, (
                f"{b} links {soname}, which the runtime image may not have: add its Debian package "
                "to the Dockerfile's runtime stage and to RUNTIME_LIBS here"
            )
            pkg = RUNTIME_LIBS[soname]
            if pkg:
                assert re.search(rf"\b{re.escape(pkg)}\b", runtime), (
                    f"{b} links {soname}: install {pkg} in the runtime stage"
                )


def check_dockerignore() -> None:
    patterns = [
        line.strip()
        for line in DOCKERIGNORE.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    needed = [
        "Cargo.toml",
        "Cargo.lock",
        "proto/eventwire/v1",
        "data/gazetteer/cities.tsv",
        "docs/metrics.md",
        "tests/Cargo.toml",
        "tests/src/lib.rs",
        "tests/examples/load_cleaner.rs",
    ]
    members = re.search(r"members = \[(.*?)\]", (ROOT / "Cargo.toml").read_text(), re.S)
    assert members
    for m in re.findall(r'"([^"]+)"', members.group(1)):
        needed += [f"{m}/Cargo.toml", f"{m}/src"]
    for path in needed:
        assert (ROOT / path).exists(), f"{path} does not exist (update this check)"
        parts = path.split("/")
        prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
        for pat in patterns:
            if pat.startswith("!"):
                continue
            pat = pat.rstrip("/")
            for pre in prefixes:
                # Docker matches from the context root; "**/" matches any depth.
                if fnmatch.fnmatch(pre, pat) or (
                    pat.startswith("**/") and fnmatch.fnmatch(os.path.basename(pre), pat[3:])
                ):
                    raise AssertionError(
                        f".dockerignore pattern {pat!r} excludes {path}, which the build needs"
                    )


def main() -> int:
    r = Results()
    checks = [
        ("chart: helm lint --strict (defaults, KEDA, HPA)", check_lint),
        ("chart: Chart.yaml and values.yaml parse, values match the schema", check_chart_files),
        ("chart: default kinds", check_default_kinds),
        ("chart: standard labels and selectors", check_labels),
        ("chart: deployments (command, env, port, probes, resources, grace)", check_deployments),
        ("chart: pod and container security", check_security),
        ("chart: PodDisruptionBudgets", check_pdb),
        ("chart: PodMonitor selects the services' pods", check_podmonitor),
        ("chart: topics hook Job", check_topics_job),
        ("chart: KEDA ScaledObjects (kafka trigger)", check_keda),
        ("chart: KEDA ScaledObjects (prometheus trigger)", check_keda_prometheus),
        ("chart: KEDA with an HPA refuses to render", check_keda_with_hpa_refused),
        ("chart: CPU HPA", check_hpa),
        ("chart: Kafka TLS/SASL through Secrets", check_kafka_security),
        ("chart: numbers and settings as env", check_numbers_and_settings),
        ("chart: ingest Job and CronJob", check_ingest),
        ("chart: ingest Deployment (feeds, push)", check_ingest_service),
        ("chart: bad values refused", check_refusals),
        ("chart: long release names", check_names),
        ("chart: NOTES (helm install --dry-run=client)", check_notes),
        ("chart: strict Kubernetes schemas", check_k8s_schemas),
        ("chart: schema check rejects a misspelt field", check_schema_validator_catches_typos),
        ("chart: every EVENTWIRE_* variable is read by its binary", check_env_against_binaries),
        ("compose: parses, KRaft Kafka, services", check_compose_parses),
        ("compose: services agree with the binaries and mounts", check_compose_services),
        ("compose: docker compose config", check_compose_config),
        (
            "Dockerfile: builds and copies every binary, numeric non-root USER",
            check_dockerfile_binaries,
        ),
        ("Dockerfile: runtime stage has every linked library", check_runtime_libraries),
        (".dockerignore keeps what the build needs", check_dockerignore),
    ]
    only = sys.argv[1:]
    for name, fn in checks:
        if only and not any(o in name for o in only):
            continue
        r.run(name, fn)
    print()
    print(f"helm ran {HELM_RUNS['lint']} lints and {HELM_RUNS['template']} renders")
    if r.failed:
        print("failed: " + "; ".join(r.failed))
    if r.skipped:
        print("skipped: " + "; ".join(r.skipped))
    print(f"deploy: {r.passed} passed, {len(r.failed)} failed, {len(r.skipped)} skipped")
    return 1 if r.failed else 0


if __name__ == "__main__":
    sys.exit(main())
