#!/usr/bin/env bash
# Usage: scripts/apply-meta.sh META_FILE DIR
#
# Sets file modes and modification times listed in META_FILE on the files
# under DIR. Each line: PATH MODE AGE_DAYS (AGE_DAYS "-" keeps the time).
# A space in PATH is written \040. Used by demo.sh; the end-to-end tests
# apply the same file in Go.
set -euo pipefail
meta=$1 dir=$2
while read -r path mode age; do
  case "$path" in ''|'#'*) continue ;; esac
  path=${path//\\040/ }
  chmod "$mode" "$dir/$path"
  if [ "$age" != "-" ]; then
    touch -d "@$(( $(date +%s) - age * 86400 ))" "$dir/$path"
  fi
done < "$meta"
