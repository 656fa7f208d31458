#!/usr/bin/env bash
# Checks every PromQL expression of deploy/grafana and deploy/prometheus against a live
# Prometheus scraping the services on a Tansu broker under a minute of load, and runs
# `promtool check metrics` on every service's exposition (tests/examples/live_prometheus/main.rs says
# how). Installs Debian's prometheus when missing. Arguments go to the harness, e.g.
# `--load-secs 120`, `--rate 4`, or `--may-be-empty METRIC` for a metric a service does not
# emit yet. Takes about two minutes once built.
set -euo pipefail
cd "$(dirname "$0")/../.."

scripts/ops/install-prometheus.sh
if [ -z "${EVENTWIRE_TANSU:-}" ]; then
  EVENTWIRE_TANSU="$(scripts/install-tansu.sh)"
  export EVENTWIRE_TANSU
fi
cargo run --quiet --locked -p eventwire-tests --example live_prometheus -- "$@"
