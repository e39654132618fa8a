#!/usr/bin/env bash
# Usage: scripts/fuzz.sh [PATTERN]   (env FUZZTIME, default 10s)
#
# Runs every go test -fuzz target of the module (or those whose package
# path or name matches PATTERN) for FUZZTIME each, one after another, and
# lists those that failed. Targets are found by grepping for func FuzzXxx,
# so a new one is picked up without editing this script.
set -uo pipefail
cd "$(dirname "$0")/.."

fuzztime=${FUZZTIME:-10s}
pattern=${1:-}
failed=()
n=0
while IFS=: read -r file name; do
  pkg="./$(dirname "$file")"
  if [ -n "$pattern" ] && [[ "$pkg $name" != *"$pattern"* ]]; then
    continue
  fi
  n=$((n + 1))
  printf '%-48s %s\n' "$pkg" "$name"
  if ! go test "$pkg" -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" >/tmp/fuzz-$$.log 2>&1; then
    tail -n 20 /tmp/fuzz-$$.log
    failed+=("$pkg $name")
  fi
done < <(grep -rho --include='*_test.go' -H '^func Fuzz[A-Za-z0-9_]*' pkg cmd | sed 's/func //' | sort -u)
rm -f /tmp/fuzz-$$.log
echo "$n targets, ${#failed[@]} failed"
for f in "${failed[@]}"; do echo "FAILED: $f"; done
[ ${#failed[@]} -eq 0 ]
