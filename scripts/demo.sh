#!/usr/bin/env bash
# Usage: scripts/demo.sh [scan flags...]
#
# Builds datahygiene and scans a copy of testdata/sample/, the synthetic
# "office share" that ships with the repository. git keeps neither file
# modes nor modification times, so the copy gets them from
# testdata/sample.meta first (some files world-readable, some years old).
set -euo pipefail
cd "$(dirname "$0")/.."

mkdir -p bin
go build -o bin/datahygiene ./cmd/datahygiene

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -R testdata/sample "$work/sample"
scripts/apply-meta.sh testdata/sample.meta "$work/sample"

status=0
# --no-state: a demo leaves no history behind.
bin/datahygiene scan --no-state "$@" "$work/sample" || status=$?
echo
echo "exit status $status (0 clean, 1 findings at or above --fail-on, 2 error)"
