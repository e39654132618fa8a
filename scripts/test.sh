#!/usr/bin/env bash
# Usage: scripts/test.sh [go test flags...]
#
# The one test command: formatting check, go vet, and every test (unit,
# golden, end-to-end through the real binary, fuzz seed corpora). The README
# and .ci/run both call this script.
set -euo pipefail
cd "$(dirname "$0")/.."

unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './.git/*'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change:" >&2
  echo "$unformatted" >&2
  exit 1
fi
go vet ./...
go test -count=1 "$@" ./...
