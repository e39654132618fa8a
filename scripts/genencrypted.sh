#!/usr/bin/env bash
# Usage: scripts/genencrypted.sh
#
# Regenerates pkg/sniff/testdata/encrypted/: small files encrypted by the
# real tools (and plain counterparts), which the sniff tests check
# sniff.Encrypted against. CI does not have these tools, so the outputs are
# committed; run this only to add or refresh a fixture, then update the
# table in pkg/sniff/encrypted_test.go.
#
# Needs (Debian, as root): apt-get install zip p7zip-full gnupg age openssl
#   qpdf cryptsetup-bin python3-msoffcrypto-tool libreoffice-calc-nogui
#   libreoffice-writer-nogui python3-uno
# Every password is "pw" (excelize's is "x"); the content is one synthetic
# line. LUKS images are cut to their headers (the first 4 KiB for LUKS1,
# 32 KiB for LUKS2), which is all sniff reads, to keep the fixtures small.
set -euo pipefail
cd "$(dirname "$0")/.."

out=pkg/sniff/testdata/encrypted
for tool in zip 7z gpg age age-keygen openssl qpdf cryptsetup msoffcrypto-tool soffice /usr/bin/python3; do
  command -v "$tool" >/dev/null || { echo "genencrypted: $tool not found (see the usage header)" >&2; exit 2; }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rm -rf "$out"
mkdir -p "$out"
out=$(cd "$out" && pwd)

printf 'Alice Example, alice@example.com, +44 7700 900123\n' > "$tmp/a.txt"
printf 'name,email\nAlice Example,alice@example.com\n' > "$tmp/a.csv"
mkdir -p "$tmp/d/sub"
cp "$tmp/a.txt" "$tmp/d/a.txt"
cp "$tmp/a.txt" "$tmp/d/sub/b.txt"

# OpenPGP: passphrase and public key, binary and armored; signed-only
# messages are OpenPGP messages too, but not encrypted.
export GNUPGHOME="$tmp/gnupg"
mkdir -m 700 "$GNUPGHOME"
gpg() { command gpg --batch --quiet --yes "$@"; }
gpg --passphrase pw --symmetric -o "$out/pgp-symmetric.gpg" "$tmp/a.txt"
gpg --passphrase pw --symmetric --armor -o "$out/pgp-symmetric.asc" "$tmp/a.txt"
gpg --passphrase '' --quick-gen-key 'Fixture Key <fixture@example.invalid>' default default never
gpg --trust-model always -r fixture@example.invalid --encrypt -o "$out/pgp-public-key.gpg" "$tmp/a.txt"
gpg --trust-model always -r fixture@example.invalid --encrypt --armor -o "$out/pgp-public-key.asc" "$tmp/a.txt"
gpg --sign -o "$out/pgp-signed.gpg" "$tmp/a.txt"
gpg --sign --armor -o "$out/pgp-signed.asc" "$tmp/a.txt"

# age: -p wants a terminal, so a generated recipient key instead.
age-keygen -o "$tmp/age.key" 2>/dev/null
recipient=$(age-keygen -y "$tmp/age.key")
age -e -r "$recipient" -o "$out/age-binary.age" "$tmp/a.txt"
age -e -a -r "$recipient" -o "$out/age-armored.age" "$tmp/a.txt"

# openssl enc, binary and base64.
openssl enc -aes-256-cbc -pbkdf2 -salt -pass pass:pw -in "$tmp/a.txt" -out "$out/openssl.enc"
openssl enc -aes-256-cbc -pbkdf2 -salt -a -pass pass:pw -in "$tmp/a.txt" -out "$out/openssl-base64.enc"

# zip: every entry encrypted (ZipCrypto with a directory entry, AES, zip64),
# some entries encrypted, none.
(cd "$tmp/d" && zip -q -r -P pw "$out/zip-zipcrypto.zip" .)
(cd "$tmp/d" && zip -q -fz -P pw "$out/zip-zip64.zip" a.txt)
(cd "$tmp/d" && 7z a -bd -tzip -ppw -mem=AES256 "$out/zip-aes.zip" . >/dev/null)
(cd "$tmp/d" && zip -q "$out/zip-mixed.zip" a.txt && zip -q -P pw "$out/zip-mixed.zip" sub/b.txt)
(cd "$tmp/d" && zip -q -r "$out/zip-plain.zip" .)

# 7z: encrypted headers (-mhe), a plain header over encrypted folders
# (-mhc=off), encrypted content under a compressed header (undecidable
# without LZMA: left to the archive reader), plain.
(cd "$tmp/d" && 7z a -bd -ppw -mhe=on "$out/7z-encrypted-headers.7z" . >/dev/null)
(cd "$tmp/d" && 7z a -bd -ppw -mhc=off "$out/7z-plain-header.7z" . >/dev/null)
(cd "$tmp/d" && 7z a -bd -ppw "$out/7z-compressed-header.7z" . >/dev/null)
(cd "$tmp/d" && 7z a -bd "$out/7z-plain.7z" . >/dev/null)

# PDF: a hand-written page that mentions /Encrypt in its content stream,
# rebuilt by qpdf (which warns about the missing xref table), then
# encrypted in several ways.
cat > "$tmp/min.pdf" <<'EOF'
%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 300 100] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >> endobj
4 0 obj << /Length 74 >>
stream
BT /F1 12 Tf 10 50 Td (trailer << /Encrypt 6 0 R >> startxref) Tj ET
endstream
endobj
5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj
trailer << /Root 1 0 R /Size 6 >>
%%EOF
EOF
qpdf --stream-data=uncompress "$tmp/min.pdf" "$out/pdf-plain.pdf" 2>/dev/null || [ $? -eq 3 ] # 3: warnings
qpdf --object-streams=generate --stream-data=uncompress "$out/pdf-plain.pdf" "$out/pdf-plain-xref-stream.pdf"
qpdf --encrypt pw owner 256 -- "$out/pdf-plain.pdf" "$out/pdf-aes256.pdf"
qpdf --allow-weak-crypto --encrypt pw owner 128 --use-aes=n -- "$out/pdf-plain.pdf" "$out/pdf-rc4.pdf"
qpdf --allow-weak-crypto --encrypt pw owner 40 -- "$out/pdf-plain.pdf" "$out/pdf-rc4-40.pdf"
qpdf --encrypt pw owner 128 --use-aes=y -- "$out/pdf-plain.pdf" "$out/pdf-aes128.pdf"
# Owner password only: encrypted, but opens without a password (R2 to R6).
qpdf --encrypt '' owner 256 -- "$out/pdf-plain.pdf" "$out/pdf-owner-password-only.pdf"
qpdf --encrypt '' owner 256 --force-R5 -- "$out/pdf-plain.pdf" "$out/pdf-owner-password-only-r5.pdf"
qpdf --encrypt '' owner 128 --use-aes=y -- "$out/pdf-plain.pdf" "$out/pdf-owner-password-only-aes128.pdf"
qpdf --allow-weak-crypto --encrypt '' owner 128 --use-aes=n -- "$out/pdf-plain.pdf" "$out/pdf-owner-password-only-rc4.pdf"
qpdf --allow-weak-crypto --encrypt '' owner 40 -- "$out/pdf-plain.pdf" "$out/pdf-owner-password-only-rc4-40.pdf"
qpdf --linearize --encrypt '' owner 256 -- "$out/pdf-plain.pdf" "$out/pdf-owner-password-only-linearized.pdf"
qpdf --object-streams=generate --encrypt '' owner 256 -- "$out/pdf-plain.pdf" "$out/pdf-owner-password-only-xref-stream.pdf"
qpdf --linearize --encrypt pw owner 256 -- "$out/pdf-plain.pdf" "$out/pdf-linearized.pdf"
qpdf --object-streams=generate --encrypt pw owner 256 -- "$out/pdf-plain.pdf" "$out/pdf-xref-stream.pdf"

# LUKS: format small image files (no device mapper needed), keep the headers.
printf pw > "$tmp/pw"
truncate -s 4M "$tmp/luks1.img"
cryptsetup luksFormat --batch-mode --type luks1 --pbkdf-force-iterations 1000 --key-size 256 --key-file "$tmp/pw" "$tmp/luks1.img"
head -c 4096 "$tmp/luks1.img" > "$out/luks1.img"
truncate -s 20M "$tmp/luks2.img"
cryptsetup luksFormat --batch-mode --type luks2 --pbkdf pbkdf2 --pbkdf-force-iterations 1000 \
  --luks2-metadata-size 16k --luks2-keyslots-size 256k --key-file "$tmp/pw" "$tmp/luks2.img" >/dev/null 2>&1
head -c 32768 "$tmp/luks2.img" > "$out/luks2.img"

# Legacy Office: LibreOffice saves xls and doc with a password (FILEPASS,
# fEncrypted), driven through UNO because --convert-to takes no password.
cat > "$tmp/lo.py" <<'EOF'
import os, subprocess, sys, time, uno
from com.sun.star.beans import PropertyValue

def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p

tmp = sys.argv[1]
pipe = "genencrypted%d" % os.getpid()
office = subprocess.Popen(["soffice", "--headless", "--invisible", "--nologo", "--norestore",
                           "-env:UserInstallation=" + uno.systemPathToFileUrl(tmp + "/lo-profile"),
                           "--accept=pipe,name=%s;urp;" % pipe])
local = uno.getComponentContext()
resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
for _ in range(240):
    try:
        ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
        break
    except Exception:
        time.sleep(0.5)
else:
    sys.exit("genencrypted: soffice did not start")
desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
for job in sys.argv[2:]:
    src, dst, filt, password = job.split("|")
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(src), "_blank", 0, (prop("Hidden", True),))
    props = [prop("FilterName", filt)] + ([prop("Password", password)] if password else [])
    doc.storeToURL(uno.systemPathToFileUrl(dst), tuple(props))
    doc.close(True)
try:
    desktop.terminate()
except Exception:
    pass  # the bridge drops as soffice exits
office.wait()
EOF
/usr/bin/python3 "$tmp/lo.py" "$tmp" \
  "$tmp/a.csv|$out/xls-encrypted.xls|MS Excel 97|pw" \
  "$tmp/a.csv|$out/xls-plain.xls|MS Excel 97|" \
  "$tmp/a.txt|$out/doc-encrypted.doc|MS Word 97|pw" \
  "$tmp/a.txt|$out/doc-plain.doc|MS Word 97|" \
  "$tmp/a.txt|$tmp/plain.docx|MS Word 2007 XML|" 2>/dev/null

# OOXML: excelize saves a workbook with a password and encrypts the docx
# LibreOffice wrote (see scripts/genencrypted for why); the ppt files too.
go run ./scripts/genencrypted -out "$out" -docx "$tmp/plain.docx"
msoffcrypto-tool -t "$out/docx-password.docx" >/dev/null # exit status 0: encrypted

chmod 644 "$out"/*
for f in "$out"/*; do
  size=$(stat -c %s "$f")
  [ "$size" -lt 51200 ] || { echo "genencrypted: $f is $size bytes, over 50 KB" >&2; exit 1; }
done
ls -l "$out"
