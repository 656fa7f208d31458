#!/usr/bin/env bash
# Installs the Tansu Kafka-protocol broker used by the end-to-end tests, once per machine.
# The binary is cached under $EVENTWIRE_CACHE (default ~/.cache/eventwire) keyed by version, so a
# cold build (~11 min on 2 cores) happens only the first time; later runs print the cached path.
# Prints the absolute path of the tansu binary on stdout; progress goes to stderr.
set -euo pipefail
version="${TANSU_VERSION:-0.6.0}"
cache="${EVENTWIRE_CACHE:-$HOME/.cache/eventwire}"
root="$cache/tansu-$version"
bin="$root/bin/tansu"
if [ -x "$bin" ] && "$bin" --version >/dev/null 2>&1; then
  echo "$bin"
  exit 0
fi
mkdir -p "$root"
lock="$root/.install.lock"
exec 9>"$lock"
flock 9
if [ ! -x "$bin" ]; then
  echo "building tansu $version into $root (first time only; takes several minutes)" >&2
  # Features: a storage engine is required or the broker exits at start.
  cargo install tansu --locked --version "$version" --features dynostore,libsql \
    --root "$root" --target-dir "$cache/tansu-build" >&2
  rm -rf "$cache/tansu-build"
fi
echo "$bin"
