#!/usr/bin/env bash
# Usage: scripts/screenshot.sh REPORT.html OUT.png [WIDTHxHEIGHT]
#
# Renders an html report (datahygiene scan -f html, or the inventory's
# html) to a PNG with headless Chromium, as a reader would see it: for
# README pictures, reviews of the page's look, or attaching to a ticket.
# The browser runs with the network off (every host resolves to nothing,
# every request goes to a proxy that does not exist) and a throwaway
# profile, so rendering a report never reaches out; the page needs nothing
# from the network anyway. Size defaults to 1280x2400 (the top of a long
# report); Chromium is Debian's `chromium` (apt-get install -y chromium).
set -euo pipefail

if [ $# -lt 2 ] || [ $# -gt 3 ]; then
  sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
report=$1
out=$2
size=${3:-1280x2400}
if ! [[ $size =~ ^[0-9]+x[0-9]+$ ]]; then
  echo "screenshot.sh: size must be WIDTHxHEIGHT, not $size" >&2
  exit 2
fi
if [ ! -f "$report" ]; then
  echo "screenshot.sh: no such file: $report" >&2
  exit 2
fi

browser=""
for name in chromium chromium-browser google-chrome google-chrome-stable; do
  if command -v "$name" >/dev/null 2>&1; then
    browser=$name
    break
  fi
done
if [ -z "$browser" ]; then
  echo "screenshot.sh: chromium not found (apt-get install -y chromium)" >&2
  exit 1
fi

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
abs_report=$(realpath "$report")
abs_out=$(realpath -m "$out")

# Chromium prints harmless D-Bus complaints on a server; keep them unless
# the run fails. timeout bounds a browser that hangs.
if ! HOME="$profile" timeout 60 "$browser" \
  --headless --no-sandbox --disable-gpu --hide-scrollbars \
  --user-data-dir="$profile/profile" --no-first-run --no-default-browser-check \
  --disable-background-networking --disable-component-update --disable-sync \
  --disable-extensions --disable-default-apps \
  --host-resolver-rules='MAP * ~NOTFOUND' --proxy-server=127.0.0.1:9 --proxy-bypass-list='<-loopback>' \
  --window-size="${size/x/,}" --screenshot="$abs_out" "file://$abs_report" >"$profile/log" 2>&1; then
  cat "$profile/log" >&2
  echo "screenshot.sh: chromium failed" >&2
  exit 1
fi
if [ ! -s "$abs_out" ]; then
  cat "$profile/log" >&2
  echo "screenshot.sh: chromium wrote no screenshot" >&2
  exit 1
fi
echo "$abs_out"
