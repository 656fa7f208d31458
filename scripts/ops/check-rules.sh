#!/usr/bin/env bash
# Static checks of the Prometheus and Grafana files in deploy/: `promtool check config` (the
# scrape configuration and the rule files it loads), `promtool check rules`, the promtool unit
# tests of every recording rule and alert, and the harness's own lints (every alert has for:,
# severity, summary, description and an existing runbook, and is tested firing and not firing;
# the dashboards use their datasource variable and $__rate_interval). Installs Debian's
# prometheus when promtool is missing.
set -euo pipefail
cd "$(dirname "$0")/../.."

scripts/ops/install-prometheus.sh

promtool check config deploy/prometheus/prometheus.yml
promtool check rules deploy/prometheus/rules/*.yml
promtool test rules deploy/prometheus/tests/*.yml
cargo run --quiet --locked -p eventwire-tests --example live_prometheus -- --lint-only
