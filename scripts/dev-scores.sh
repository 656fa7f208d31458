#!/usr/bin/env bash
# Prints the tagger's scores on the development sets (diplomatic events and casualty figures,
# eventwire against two keyword baselines), one table: `scripts/dev-scores.sh [RUN_DIR]`.
# Uses ../shared/dev when it is there (the current sets), else the copies in
# tests/fixtures/dev. Predictions, per-document details and summary.json go to RUN_DIR
# (default target/dev-scores).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked -p eventwire-cli >&2
bin="${CARGO_TARGET_DIR:-target}/release/eventwire"
sets=tests/fixtures/dev
if [ -x ../shared/dev/run_all.sh ]; then
  sets=../shared/dev
fi
run_dir="${1:-target/dev-scores}"
mkdir -p "$run_dir"
"$sets/run_all.sh" "$bin" "$run_dir"
