#!/usr/bin/env bash
# Makes sure `prometheus` and `promtool` are on PATH: installs Debian's `prometheus` package with
# apt-get when either is missing (as root, as CI runs; otherwise it says what to run). Prints the
# versions found.
set -euo pipefail
if ! command -v prometheus >/dev/null 2>&1 || ! command -v promtool >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "prometheus/promtool not found; install them with: sudo apt-get install -y prometheus" >&2
    exit 1
  fi
  echo "installing Debian's prometheus package (prometheus and promtool)" >&2
  export DEBIAN_FRONTEND=noninteractive
  # Only the binaries are used; the checks start their own Prometheus on a free port.
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends prometheus >&2
fi
prometheus --version 2>&1 | head -n 1 >&2
promtool --version 2>&1 | head -n 1 >&2
