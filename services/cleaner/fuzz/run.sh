#!/usr/bin/env bash
# Runs one cleaner fuzz target with the project's settings.
#
#   services/cleaner/fuzz/run.sh TARGET [SECONDS] [extra libFuzzer flags...]
#
# TARGET is clean_text, clean_html or text_lines; SECONDS defaults to 600. New inputs go to
# fuzz/corpus/TARGET (not committed), the committed seeds are read from fuzz/seeds/. Crashes,
# timeouts and out-of-memory inputs are written to fuzz/artifacts/TARGET/.
set -euo pipefail
target=${1:?usage: run.sh clean_text|clean_html|text_lines [SECONDS] [libFuzzer flags...]}
secs=${2:-600}
shift $(( $# >= 2 ? 2 : 1 ))
here=$(cd "$(dirname "$0")" && pwd)
case "$target" in
  clean_html) seeds=html dict=html max_len=65536 ;;
  clean_text | text_lines) seeds=text dict=text max_len=16384 ;;
  *) echo "unknown target $target" >&2; exit 2 ;;
esac
mkdir -p "$here/corpus/$target"
cd "$here/.."
# No sanitizer: the cleaner is safe Rust, and rdkafka's C build (a dependency of the service
# half of the crate) does not link with ASan's instrumented zstd.
exec cargo +nightly fuzz run --sanitizer none "$target" \
  "$here/corpus/$target" "$here/seeds/$seeds" -- \
  -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 -max_len="$max_len" \
  -dict="$here/dict/$dict.dict" -print_final_stats=1 "$@"
