#!/usr/bin/env bash
# Usage: scripts/bench.sh [SCENARIO...]   (default: text workers dense xlsx walk)
#
# Scenarios (issue 5's targets in brackets):
#   text     a share of CSV, TSV, logs, JSON, text and Markdown (SIZE_MB,
#            default 300) with sparse PII: datahygiene vs `rg -c -f` with
#            the built-in patterns combined                  [>= 0.25x rg]
#   workers  the text share with 1 and with 2 workers        [grows with cores]
#   dense    a 1M-row customer CSV, every row an email, a phone and a
#            card-shaped number                              [>= 50 MB/s]
#            (CPU seconds too: about 3.5 s at 50 MB/s on 2 cores)
#   xlsx     300 workbooks, 3M cells: datahygiene vs a bare single-threaded
#            excelize Rows() loop (scripts/xlsxloop)          [<= 0.6x its time]
#   bigcsv   peak RSS on one 1 GB CSV                        [<= 150 MB]
#   bigxlsx  peak RSS on one ~50 MB workbook                 [<= 150 MB]
#   walk     the walk of 200k small files vs find (scripts/walkbench) [<= 2x]
#
# Corpora are generated deterministically under BENCH_DIR (default
# $TMPDIR/datahygiene-bench) and reused; nothing large is committed. Each
# scenario warms the page cache, then times the tools in the same run:
# machines here are noisy, so compare the ratios, not absolute times.
# Needs ripgrep and GNU time (Debian: apt-get install ripgrep time).
set -euo pipefail
cd "$(dirname "$0")/.."

dir=${BENCH_DIR:-${TMPDIR:-/tmp}/datahygiene-bench}
size=${SIZE_MB:-300}
scenarios=("$@")
[ ${#scenarios[@]} -gt 0 ] || scenarios=(text workers dense xlsx walk)
for tool in rg /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench: $tool not found (apt-get install ripgrep time)" >&2; exit 2; }
done
mkdir -p bin "$dir"
go build -o bin/datahygiene ./cmd/datahygiene
go build -o bin/xlsxloop ./scripts/xlsxloop
go run ./scripts/rgpatterns >"$dir/patterns.txt"

results=()
row() { results+=("$(printf '%-9s %-34s %s' "$1" "$2" "$3")"); printf '%-9s %-34s %s\n' "$1" "$2" "$3"; }
warm() { find "$1" -type f -exec cat {} + >/dev/null; }
calc() { awk "BEGIN { print $1 }"; }
mb() { calc "$(du -sb --apparent-size "$1" | cut -f1) / 1000000"; }

# run LABEL CMD...: runs CMD under GNU time; sets secs, cpu (user + system
# seconds: on a shared machine the steadier figure) and rss_mb.
run() {
  local label=$1; shift
  /usr/bin/time -f '%e %M %U %S' -o "$dir/time" "$@" >/dev/null 2>"$dir/$label.err" || {
    local rc=$?
    # datahygiene exits 1 when it finds something: that is success here.
    [ "$rc" -eq 1 ] || { cat "$dir/$label.err" >&2; exit "$rc"; }
  }
  read -r secs rss_kb user sys < <(tail -n 1 "$dir/time")
  rss_mb=$((rss_kb / 1024))
  cpu=$(calc "$user + $sys")
}
# --no-state: every run reads everything (the state would answer re-runs).
scan() { run "$1" bin/datahygiene scan --no-state -q -j "$2" -f json -o "$dir/$1.json" "${@:4}" "$3"; }

text_tree() {
  tree="$dir/text-$size"
  [ -d "$tree" ] || go run ./scripts/gencorpus -out "$tree" -mb "$size" -xlsx 0
  warm "$tree"
  mbytes=$(mb "$tree")
}

for s in "${scenarios[@]}"; do
  case $s in
  text)
    text_tree
    run rg rg --no-ignore --hidden -c -f "$dir/patterns.txt" "$tree"
    rg_s=$secs
    scan text "$(nproc)" "$tree"
    row text "$(printf '%.0f MB' "$mbytes")" "$(printf 'rg %.1f MB/s  datahygiene %.1f MB/s  ratio %.2fx  rss %d MB' \
      "$(calc "$mbytes/$rg_s")" "$(calc "$mbytes/$secs")" "$(calc "$rg_s/$secs")" "$rss_mb")"
    ;;
  workers)
    text_tree
    scan w1 1 "$tree"; one=$secs
    scan w2 2 "$tree"; two=$secs
    row workers "$(printf '%.0f MB' "$mbytes")" "$(printf '1 worker %.1f MB/s  2 workers %.1f MB/s  speedup %.2fx' \
      "$(calc "$mbytes/$one")" "$(calc "$mbytes/$two")" "$(calc "$one/$two")")"
    ;;
  dense | bigcsv)
    rows=1000000
    [ "$s" = bigcsv ] && rows=11500000
    d="$dir/$s"
    [ -f "$d/customers.csv" ] || { mkdir -p "$d" && go run ./scripts/gencorpus -dense "$rows" -out "$d/customers.csv"; }
    warm "$d"
    mbytes=$(mb "$d")
    scan "$s" "$(nproc)" "$d" --max-file-size 2GiB  # the default limit skips a 1 GB file
    row "$s" "$(printf '%.0f MB, %d rows' "$mbytes" "$rows")" "$(printf 'datahygiene %.1f MB/s  cpu %.2f s  rss %d MB' \
      "$(calc "$mbytes/$secs")" "$cpu" "$rss_mb")"
    ;;
  xlsx | bigxlsx)
    d="$dir/$s"
    if [ ! -d "$d" ]; then
      if [ "$s" = xlsx ]; then go run ./scripts/genxlsx -out "$d" -files 300 -cells 3000000
      else go run ./scripts/genxlsx -out "$d" -files 1 -cells 5000000; fi
    fi
    warm "$d"
    mbytes=$(mb "$d")
    run loop bin/xlsxloop "$d"
    loop_s=$secs
    scan "$s" "$(nproc)" "$d"
    row "$s" "$(printf '%.0f MB of xlsx' "$mbytes")" "$(printf 'excelize loop %.2f s  datahygiene %.2f s  time ratio %.2fx  rss %d MB' \
      "$loop_s" "$secs" "$(calc "$secs/$loop_s")" "$rss_mb")"
    ;;
  walk)
    out=$(go run ./scripts/walkbench -files 200000)
    row walk "200k files" "$(echo "$out" | awk '/^(walk_ms|find_ms|ratio) /{printf "%s %s  ", $1, $2}')"
    ;;
  *)
    echo "bench: unknown scenario $s" >&2
    exit 2
    ;;
  esac
done

echo
echo "scenario  corpus                             result"
printf '%s\n' "${results[@]}"
