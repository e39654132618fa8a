#!/usr/bin/env bash
# Usage: scripts/genarchives.sh
#
# Regenerates the archive fixtures in pkg/extract/archive/testdata that Go's
# standard library cannot write: bzip2, xz, 7z (plain, password, encrypted
# headers), and zips made by zip and 7-Zip (ZipCrypto, AES, bzip2 method).
# The tests build zip, tar and gzip fixtures themselves. The content is
# synthetic (example.com addresses, reserved 555 phone numbers).
# Needs: zip, bzip2, xz, 7z (Debian: apt-get install zip bzip2 xz-utils p7zip-full).
set -euo pipefail
cd "$(dirname "$0")/../pkg/extract/archive/testdata"

for tool in zip bzip2 xz 7z tar; do
  command -v "$tool" >/dev/null || { echo "genarchives: $tool not found" >&2; exit 1; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src/notes"
printf 'name,email,phone\nAlice Example,alice@example.com,+1 202 555 0143\nBob Example,bob@example.org,+1 202 555 0178\n' >"$work/src/people.csv"
printf 'Call Carol on +1 202 555 0199 or write to carol@example.net.\n' >"$work/src/notes/readme.txt"
touch -d '2024-01-02 03:04:05 UTC' "$work/src/people.csv" "$work/src/notes/readme.txt" "$work/src/notes" "$work/src"

rm -f ./*.bz2 ./*.xz ./*.7z ./*.zip
(
  cd "$work/src"
  tar --format=ustar --owner=0 --group=0 --numeric-owner --mtime='2024-01-02 03:04:05 UTC' -cf "$work/docs.tar" people.csv notes
  7z a -bso0 -bsp0 -mtm=on "$work/plain.7z" people.csv notes >/dev/null
  7z a -bso0 -bsp0 -mhc=off "$work/plainheader.7z" notes/readme.txt >/dev/null
  7z a -bso0 -bsp0 -psecret "$work/password.7z" people.csv notes >/dev/null
  7z a -bso0 -bsp0 -psecret -mhe=on "$work/headers.7z" people.csv notes >/dev/null
  7z a -bso0 -bsp0 -tzip -mem=AES256 -psecret "$work/aes.zip" people.csv >/dev/null
  zip -q -X -P secret "$work/zipcrypto.zip" people.csv
  zip -q -X "$work/zipcrypto.zip" notes/readme.txt
  zip -q -X -Z bzip2 "$work/bzip2method.zip" people.csv notes/readme.txt
)
bzip2 -9 -c "$work/src/people.csv" >people.csv.bz2
xz -9 -c "$work/src/people.csv" >people.csv.xz
bzip2 -9 -c "$work/docs.tar" >docs.tar.bz2
xz -9 -c "$work/docs.tar" >docs.tar.xz
cp "$work"/*.7z "$work"/*.zip .
ls -l
