#!/usr/bin/env bash
# Usage: scripts/genpdf.sh
#
# Regenerates the PDF fixtures in pkg/extract/pdf/testdata from hand-written
# PostScript, with Ghostscript's pdfwrite (ps2pdf), and derives the
# encrypted and object-stream copies with qpdf. The tests build the hostile
# files (bombs, cycles, cut files) themselves. The content is synthetic:
# example.com addresses, the Ofcom drama number +44 20 7946 0958, the Visa
# test card 4111 1111 1111 1111, the example IBAN GB82 WEST 1234 5698 7654 32.
# Needs: gs (ps2pdf) and qpdf (Debian: apt-get install ghostscript qpdf).
set -euo pipefail
cd "$(dirname "$0")/../pkg/extract/pdf/testdata"

for tool in ps2pdf qpdf; do
  command -v "$tool" >/dev/null || { echo "genpdf: $tool not found" >&2; exit 1; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SOURCE_DATE_EPOCH=1704164645 # 2024-01-02 03:04:05 UTC, for stable dates

# basic: two pages, one line a show.
cat >"$work/basic.ps" <<'EOF'
%!PS
/Helvetica findfont 12 scalefont setfont
72 720 moveto (Customer record) show
72 700 moveto (Name: Jane Example) show
72 680 moveto (Email: jane.example@example.com) show
72 660 moveto (Phone: +44 20 7946 0958) show
showpage
/Helvetica findfont 12 scalefont setfont
72 720 moveto (Payment details) show
72 700 moveto (Card: 4111 1111 1111 1111) show
72 680 moveto (IBAN: GB82 WEST 1234 5698 7654 32) show
72 660 moveto (SSN 123-45-6789) show
showpage
EOF

# runs: lines shown in pieces, out of order, with kerning, a table gap,
# fake bold and a superscript; page 2 has text turned 90 degrees.
cat >"$work/runs.ps" <<'EOF'
%!PS
/F12 { /Helvetica findfont 12 scalefont setfont } def
F12
/sp ( ) stringwidth pop def
% The phone number in runs one space width apart, no space characters.
72 720 moveto (Phone:) show sp 0 rmoveto (+44) show sp 0 rmoveto (20) show
  sp 0 rmoveto (7946) show sp 0 rmoveto (0958) show
% A line drawn before the one above it.
72 680 moveto (Jo) show (hn) show ( Example) show
% The IBAN's groups placed left to right, drawn right to left.
/groups [(IBAN) (GB82) (WEST) (1234) (5698) (7654) (32)] def
/pos groups length array def
/x 72 def
0 1 groups length 1 sub { /i exch def pos i x put /x x groups i get stringwidth pop add sp add def } for
groups length 1 sub -1 0 { /i exch def pos i get 700 moveto groups i get show } for
% Two table columns.
72 660 moveto (Name) show 300 660 moveto (Jane Example) show
% Fake bold: the same text twice, a third of a point apart.
72 640 moveto (Bold text) show 72.3 640 moveto (Bold text) show
% A superscript in a smaller size.
72 620 moveto (E = mc) show 0 4 rmoveto /Helvetica findfont 8 scalefont setfont (2) show F12
% Digits kerned half a point apart, groups a space apart.
72 600 moveto (Card:) show sp 0 rmoveto
(4) show 0.5 0 rmoveto (1) show 0.5 0 rmoveto (1) show 0.5 0 rmoveto (1) show
sp 0 rmoveto (1111) show sp 0 rmoveto (1111) show sp 0 rmoveto (1111) show
showpage
F12
72 720 moveto (Upright line) show
gsave 300 300 translate 90 rotate 0 0 moveto
  (Vertical) show sp 0 rmoveto (+44 20) show sp 0 rmoveto (7946 0958) show
grestore
showpage
EOF

# fonts: an embedded font re-encoded to Latin-1, for accented letters.
cat >"$work/fonts.ps" <<'EOF'
%!PS
/NimbusRoman-Regular findfont dup length dict begin
  { 1 index /FID ne { def } { pop pop } ifelse } forall
  /Encoding ISOLatin1Encoding def
  currentdict
end /Latin1Roman exch definefont pop
/Latin1Roman findfont 14 scalefont setfont
72 720 moveto (Zo\353 \305str\366m) show
72 700 moveto (Stra\337e 12, S\343o Paulo) show
72 680 moveto (zoe.astrom@example.com) show
showpage
EOF

# pages: twelve pages, for the page limit.
cat >"$work/pages.ps" <<'EOF'
%!PS
/buf 8 string def
1 1 12 {
  /n exch def
  /Helvetica findfont 12 scalefont setfont
  72 720 moveto (Page ) show n buf cvs show ( of 12) show
  72 700 moveto (Reference +44 20 7946 0958) show
  showpage
} for
EOF

for f in basic runs fonts pages; do
  ps2pdf -dCompatibilityLevel=1.4 "$work/$f.ps" "$f.pdf"
done

# Object streams and a cross-reference stream (PDF 1.5).
qpdf --static-id --object-streams=generate basic.pdf objstm.pdf
# Owner password only: opens without a password, in each cipher.
qpdf --static-id --allow-weak-crypto --encrypt "" owner 40 -- basic.pdf owner-rc4-40.pdf
qpdf --static-id --allow-weak-crypto --encrypt "" owner 128 --use-aes=n -- basic.pdf owner-rc4-128.pdf
qpdf --static-id --static-aes-iv --object-streams=generate --encrypt "" owner 128 --use-aes=y -- basic.pdf owner-aes128-objstm.pdf
qpdf --static-id --static-aes-iv --encrypt "" owner 256 -- basic.pdf owner-aes256.pdf
# A user password: cannot be read.
qpdf --static-id --allow-weak-crypto --encrypt user owner 128 --use-aes=n -- basic.pdf user-password.pdf

ls -l ./*.pdf
