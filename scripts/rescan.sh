#!/usr/bin/env bash
# Usage: scripts/rescan.sh [FILES]   (default 100000; env BENCH_DIR)
#
# Issue 4's nightly scenario: a first scan of a tree of FILES small files
# (scripts/gencorpus -small), then three re-scans of the unchanged tree
# served from the state, then one with a single file changed. Prints each
# time and the ratio of the first scan to the median unchanged re-scan
# (target: at least 20x). Page cache warm for all, state in a fresh
# directory. Needs GNU time.
set -euo pipefail
cd "$(dirname "$0")/.."

n=${1:-100000}
dir=${BENCH_DIR:-${TMPDIR:-/tmp}/datahygiene-bench}
tree="$dir/small-$n"
state="$dir/rescan-state"
mkdir -p bin "$dir"
go build -o bin/datahygiene ./cmd/datahygiene
[ -d "$tree" ] || go run ./scripts/gencorpus -small "$n" -out "$tree"
find "$tree" -type f -exec cat {} + >/dev/null
rm -rf "$state"

run() {
  /usr/bin/time -f '%e %U %S' -o "$dir/time" bin/datahygiene scan -q --state "$state" -f json -o "$dir/rescan.json" "$tree" || [ $? -eq 1 ]
  read -r wall user sys < <(tail -n 1 "$dir/time")
  cached=$(grep -o '"files_cached": [0-9]*' "$dir/rescan.json" | grep -o '[0-9]*$')
  printf '%-10s %7.2f s wall  %7.2f s cpu  %7d files from the state\n' "$1" "$wall" "$(awk "BEGIN{print $user+$sys}")" "$cached"
}
run first; first=$wall
again=()
for i in 1 2 3; do
  run unchanged
  again+=("$wall")
done
median=$(printf '%s\n' "${again[@]}" | sort -n | sed -n 2p)
touch "$(find "$tree" -type f | head -n 1)"
run one-touched
awk -v a="$first" -v b="$median" 'BEGIN { printf "ratio      %.1fx (first scan / median unchanged re-scan, %.2f s)\n", a / b, b }'
