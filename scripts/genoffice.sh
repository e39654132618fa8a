#!/usr/bin/env bash
# Usage: scripts/genoffice.sh
#
# Regenerates the document fixtures of pkg/extract/office/testdata from the
# sources in testdata/src, with the real writers: LibreOffice (headless)
# turns the flat ODF files (.fodt, .fods, .fodp, written by hand) into
# odt/ott/docx, ods and odp/pptx, and pandoc turns the Markdown files into
# docx, odt and pptx. The edge cases (split runs, huge repeats, bombs,
# encrypted manifests) are built by the tests themselves. The content is
# synthetic: example.com addresses, the Visa test card, Ofcom's drama
# number, the IBAN of the ISO 13616 example.
# Needs: soffice, pandoc
# (Debian: apt-get install libreoffice-writer-nogui libreoffice-calc-nogui
#  libreoffice-impress-nogui pandoc).
set -euo pipefail
cd "$(dirname "$0")/../pkg/extract/office/testdata"

for tool in soffice pandoc; do
  command -v "$tool" >/dev/null || { echo "genoffice: $tool not found" >&2; exit 1; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A private profile: another LibreOffice running on the machine would
# otherwise take the conversion over, or lock the default profile.
lo() {
  soffice -env:UserInstallation="file://$work/profile" --headless --norestore \
    --convert-to "$1" --outdir "$work/out" "$2" >/dev/null 2>&1
}

rm -f ./*.odt ./*.ott ./*.ods ./*.odp ./*.docx ./*.pptx
lo odt src/letter.fodt
lo ott src/letter.fodt
lo 'docx:MS Word 2007 XML' src/letter.fodt
lo ods src/people.fods
lo odp src/deck.fodp
lo 'pptx:Impress MS PowerPoint 2007 XML' src/deck.fodp
cp "$work"/out/* .

pandoc --from markdown --to docx -o notes.docx src/notes.md
pandoc --from markdown --to odt -o notes.odt src/notes.md
pandoc --from markdown --to pptx -o talk.pptx src/talk.md
ls -l
