#!/usr/bin/env bash
# Usage: scripts/bench.sh [SIZE_MB]   (default 300; env BENCH_DIR, WORKERS)
#
# Generates a deterministic tree (scripts/gencorpus: CSV, TSV, logs, JSON,
# text, Markdown and some xlsx, sparse synthetic PII), warms the page cache,
# then in the same run times:
#   - datahygiene scan (all built-in detectors, full validation), and
#   - rg -c with the built-in email pattern (no validation, no parsing),
# and prints MB/s for both, their ratio, and datahygiene's peak RSS.
# Machines here are noisy: compare ratios from one run, not absolute times.
# Needs ripgrep and GNU time (Debian: apt-get install ripgrep time).
set -euo pipefail
cd "$(dirname "$0")/.."

size=${1:-300}
dir=${BENCH_DIR:-${TMPDIR:-/tmp}/datahygiene-bench}
tree="$dir/tree-$size"
for tool in rg /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench: $tool not found (apt-get install ripgrep time)" >&2; exit 2; }
done

mkdir -p bin "$dir"
go build -o bin/datahygiene ./cmd/datahygiene
if [ ! -d "$tree" ]; then
  go run ./scripts/gencorpus -out "$tree" -mb "$size"
fi
bytes=$(du -sb --apparent-size "$tree" | cut -f1)
files=$(find "$tree" -type f | wc -l)
find "$tree" -type f -exec cat {} + >/dev/null   # warm the page cache

# The built-in email pattern without its leading boundary group, which rg's
# engine writes the same way.
email='(?:^|[^\w.%+-])(?P<value>[A-Za-z0-9_%+-](?:[A-Za-z0-9._%+-]*[A-Za-z0-9_%+-])?@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z][A-Za-z0-9-]+)\b'

now() { date +%s.%N; }
t0=$(now)
rg --no-ignore --hidden -c "$email" "$tree" >/dev/null || true
t1=$(now)
workers=${WORKERS:-$(nproc)}
/usr/bin/time -f '%M' -o "$dir/rss" bin/datahygiene scan -j "$workers" -f json -o "$dir/report.json" "$tree" || [ $? -eq 1 ]
t2=$(now)

# GNU time prefixes "Command exited with non-zero status 1" on exit 1.
awk -v b="$bytes" -v f="$files" -v t0="$t0" -v t1="$t1" -v t2="$t2" -v rss="$(tail -n 1 "$dir/rss")" -v w="$workers" 'BEGIN {
  rg = t1 - t0; dh = t2 - t1
  mb = b / 1e6
  printf "tree          %.1f MB in %d files\n", mb, f
  printf "rg (email)    %7.2f s  %8.1f MB/s\n", rg, mb / rg
  printf "datahygiene   %7.2f s  %8.1f MB/s  (%d workers, peak RSS %.0f MB)\n", dh, mb / dh, w, rss / 1024
  printf "ratio         %.4fx of rg throughput\n", rg / dh
}'
