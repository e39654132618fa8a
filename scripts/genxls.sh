#!/usr/bin/env bash
# Usage: scripts/genxls.sh
#
# Regenerates the fixtures of pkg/extract/xls/testdata: legacy Excel
# workbooks written by real tools from one synthetic workbook, and what
# two other readers make of them, which the tests compare the reader with.
#
#   gnumeric.xls      Gnumeric's BIFF8 (ssconvert), from book.gnumeric below
#   gnumeric95.xls    Gnumeric's BIFF7 ("Book" stream, code page 1252)
#   libreoffice.xls   LibreOffice's BIFF8 of gnumeric.xls, recalculated, with
#                     one rich-text cell (People!G2, first word bold)
#   password.xls      LibreOffice's BIFF8 with a password (FILEPASS, RC4
#                     CryptoAPI); the password is "synthetic-password"
#   *.xlrd.tsv.gz     every non-empty text or number cell as xlrd reads it
#                     (sheet, cell, s|n, value with \t \n \\ escaped;
#                     numbers as Python's repr of the double), gzipped:
#                     Long makes them large
#   *.ssconvert.txt.gz each sheet as ssconvert exports it to CSV, after a
#                     "## <sheet name>" line
#
# CI does not have these tools, so the outputs are committed; run this only
# to change a fixture, then update the tables in pkg/extract/xls/*_test.go.
# All data is synthetic: example.com addresses, test card numbers, the
# documentation IBAN and phone numbers, an SSN-shaped 123-45-6789.
#
# Needs (Debian, as root): apt-get install gnumeric libreoffice-calc-nogui
#   python3-uno python3-xlrd python3-msoffcrypto-tool
set -euo pipefail
cd "$(dirname "$0")/.."

out=pkg/extract/xls/testdata
py=/usr/bin/python3 # the Debian python, which has uno, xlrd and msoffcrypto
for tool in ssconvert soffice "$py"; do
  command -v "$tool" >/dev/null || { echo "genxls: $tool not found (see the usage header)" >&2; exit 2; }
done
"$py" -c 'import uno, xlrd, msoffcrypto' || { echo "genxls: python3-uno, python3-xlrd or python3-msoffcrypto-tool missing" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"
out=$(cd "$out" && pwd)
export HOME="$tmp" # keeps Gnumeric's and LibreOffice's settings out of ~

# The workbook, in Gnumeric's XML. Sheets: People (a header row, PII in
# text, numeric and formula cells), Numbers (no header: the number
# formats), Long (1,200 rows of distinct strings, some UTF-16 and some
# long, so that the shared-string table spans many CONTINUE records and
# strings are cut in the middle), a sheet with a Unicode name, an empty
# sheet and a hidden one.
"$py" - "$tmp/book.gnumeric" "$tmp/small.gnumeric" <<'EOF'
import sys
from xml.sax.saxutils import escape

def cell(r, c, v):
    if isinstance(v, bool):
        return '<gnm:Cell Row="%d" Col="%d" ValueType="20">%s</gnm:Cell>' % (r, c, "TRUE" if v else "FALSE")
    if isinstance(v, tuple):  # (number, format)
        return '<gnm:Cell Row="%d" Col="%d" ValueType="40" ValueFormat="%s">%r</gnm:Cell>' % (r, c, escape(v[1]), v[0])
    if isinstance(v, (int, float)):
        return '<gnm:Cell Row="%d" Col="%d" ValueType="40">%r</gnm:Cell>' % (r, c, v)
    if v.startswith("="):
        return '<gnm:Cell Row="%d" Col="%d">%s</gnm:Cell>' % (r, c, escape(v))
    return '<gnm:Cell Row="%d" Col="%d" ValueType="60">%s</gnm:Cell>' % (r, c, escape(v))

names = []

def sheet(name, rows, hidden=False):
    names.append(name)
    vis = ' Visibility="GNM_SHEET_VISIBILITY_HIDDEN"' if hidden else ''
    cells = [cell(r, c, v) for r, row in enumerate(rows) for c, v in enumerate(row) if v is not None]
    return ('<gnm:Sheet%s><gnm:Name>%s</gnm:Name><gnm:MaxCol>-1</gnm:MaxCol><gnm:MaxRow>-1</gnm:MaxRow>'
            '<gnm:Cells>%s</gnm:Cells></gnm:Sheet>') % (vis, escape(name), "\n".join(cells))

people = [
    ["Name", "Email", "Phone", "Card", "IBAN", "SSN", "Note", "Joined"],
    ["Alice Example", "alice@example.com", 442079460958, 4111111111111111, "GB82 WEST 1234 5698 7654 32",
     "123-45-6789", "Zoë Ångström 日本語 😀", (45356, "yyyy-mm-dd")],
    ["Bob Example", "bob@example.org", "+44 20 7946 0958", 5555555555554444, "GB82WEST12345698765432",
     None, "   "],
    ['=CONCATENATE("Carol"," Example")', '=LOWER("CAROL@EXAMPLE.NET")', 2079460958, "=4111111111111111",
     None, None, "line one\nline two"],
    [],
    ["Dave Example", None, None, None, None, None, None, None, None, "beyond the header"],
]
numbers = [
    [42, -7, 0.1, 1234.5, -0.000123, 1e-07, 1e21, 123456789012345678, 3.14159, 0],
    ["=2*21", "=1/3", True, "=1/0", "=A1>1", '=""', -4111111111111111, 9007199254740993, 100000, 4000000001],
]
long = [["Code", "Label", "Count", "Half"]]
for i in range(1, 1201):
    if i % 100 == 0:
        label = "long %d " % i + "synthetic filler text " * 14 + "Ünïcödé ✓ end"
    elif i % 3 == 0:
        label = "Ünïcödé Ⅻ %d 日本 ✓" % i
    elif i % 3 == 1:
        label = "plain text row %d with some padding" % i
    else:
        label = "café %d naïve" % i
    long.append(["item %04d" % i, label, i, i * 1.5])
sheets = [
    sheet("People", people),
    sheet("Numbers", numbers),
    sheet("Long", long),
    sheet("Übersicht ✓", [["Kontakt", "Telefon"], ["Émile Example", "+33 1 23 45 67 89"]]),
    sheet("Leer", []),
    sheet("Versteckt", [["secret@example.com"]], hidden=True),
]
def write(path, names, sheets):
    with open(path, "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<gnm:Workbook xmlns:gnm="http://www.gnumeric.org/v10.dtd">'
                '<gnm:SheetNameIndex>%s</gnm:SheetNameIndex><gnm:Sheets>%s</gnm:Sheets></gnm:Workbook>\n'
                % ("".join("<gnm:SheetName>%s</gnm:SheetName>" % escape(n) for n in names), "\n".join(sheets)))

write(sys.argv[1], names, sheets)
# BIFF7 has no shared strings: the small book, without Long, is enough.
write(sys.argv[2], names[:2] + names[3:], sheets[:2] + sheets[3:])
EOF

ssconvert -T Gnumeric_Excel:excel_biff8 "$tmp/book.gnumeric" "$out/gnumeric.xls" 2>/dev/null
ssconvert -T Gnumeric_Excel:excel_biff7 "$tmp/small.gnumeric" "$out/gnumeric95.xls" 2>/dev/null

# LibreOffice, through UNO: --convert-to neither recalculates nor takes a
# password. The password is set as the RC4 key LibreOffice's own dialog
# derives ([MS-OFFCRYPTO] 2.3.6.2), with a fixed salt so that reruns
# give the same key.
cat > "$tmp/lo.py" <<'EOF'
import hashlib, os, subprocess, sys, time, uno
from com.sun.star.beans import NamedValue, PropertyValue

def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p

def named(name, value):
    v = NamedValue()
    v.Name, v.Value = name, value
    return v

tmp, src, dst, pwdst, password = sys.argv[1:6]
pipe = "genxls%d" % os.getpid()
office = subprocess.Popen(["soffice", "--headless", "--invisible", "--nologo", "--norestore",
                           "-env:UserInstallation=" + uno.systemPathToFileUrl(tmp + "/lo-profile"),
                           "--accept=pipe,name=%s;urp;" % pipe], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
local = uno.getComponentContext()
resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
for _ in range(240):
    try:
        ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
        break
    except Exception:
        time.sleep(0.5)
else:
    sys.exit("genxls: soffice did not start")
desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)

doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(src), "_blank", 0, (prop("Hidden", True),))
# Formulas read from an xls keep a numeric result in LibreOffice's export
# even once recalculated; entered again, they are written as they read.
for sheet in doc.Sheets:
    ranges = sheet.queryContentCells(16)  # CellFlags.FORMULA
    for addr in ranges.RangeAddresses:
        for r in range(addr.StartRow, addr.EndRow + 1):
            for c in range(addr.StartColumn, addr.EndColumn + 1):
                cell = sheet.getCellByPosition(c, r)
                cell.setFormula(cell.getFormula())
doc.calculateAll()
text = doc.Sheets.getByName("People").getCellRangeByName("G2").getText()
cursor = text.createTextCursor()
cursor.gotoStart(False)
cursor.goRight(3, True)
cursor.CharWeight = 150.0  # bold: a formatting run in the shared string
doc.storeToURL(uno.systemPathToFileUrl(dst), (prop("FilterName", "MS Excel 97"),))
doc.close(True)

doc = desktop.loadComponentFromURL("private:factory/scalc", "_blank", 0, (prop("Hidden", True),))
sheet = doc.Sheets.getByIndex(0)
sheet.getCellRangeByName("A1").setString("Email")
sheet.getCellRangeByName("A2").setString("alice@example.com")
salt = bytes(range(16))
key = hashlib.md5((hashlib.md5(password.encode("utf-16-le")).digest()[:5] + salt) * 16).digest()
enc = uno.Any("[]com.sun.star.beans.NamedValue",
              (named("STD97EncryptionKey", uno.ByteSequence(key)), named("STD97UniqueID", uno.ByteSequence(salt))))
args = (prop("FilterName", "MS Excel 97"), PropertyValue("EncryptionData", 0, enc, 0))
uno.invoke(doc, "storeToURL", (uno.systemPathToFileUrl(pwdst), args))
doc.close(True)
try:
    desktop.terminate()
except Exception:
    pass  # the bridge drops as soffice exits
office.wait()
EOF
"$py" "$tmp/lo.py" "$tmp" "$out/gnumeric.xls" "$out/libreoffice.xls" "$out/password.xls" synthetic-password

# The password-protected file must be a real one: xlrd refuses it, and
# msoffcrypto decrypts it with the password to the cell written.
"$py" - "$out/password.xls" "$tmp/decrypted.xls" <<'EOF'
import sys, msoffcrypto, xlrd
try:
    xlrd.open_workbook(sys.argv[1])
    sys.exit("genxls: password.xls is not encrypted")
except xlrd.XLRDError as e:
    assert "encrypted" in str(e), e
f = msoffcrypto.OfficeFile(open(sys.argv[1], "rb"))
f.load_key(password="synthetic-password")
with open(sys.argv[2], "wb") as o:
    f.decrypt(o)
assert xlrd.open_workbook(sys.argv[2]).sheet_by_index(0).cell_value(1, 0) == "alice@example.com"
EOF

# What xlrd and ssconvert read in each plain fixture.
for name in gnumeric gnumeric95 libreoffice; do
  "$py" - "$out/$name.xls" > "$tmp/$name.xlrd.tsv" <<'EOF'
import sys, xlrd
def esc(s):
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
book = xlrd.open_workbook(sys.argv[1])
for sh in book.sheets():
    for r in range(sh.nrows):
        for c in range(sh.ncols):
            cell = sh.cell(r, c)
            if cell.ctype == xlrd.XL_CELL_TEXT and cell.value.strip():
                print("%s\t%s\ts\t%s" % (esc(sh.name), xlrd.cellname(r, c), esc(cell.value)))
            elif cell.ctype in (xlrd.XL_CELL_NUMBER, xlrd.XL_CELL_DATE):
                print("%s\t%s\tn\t%r" % (esc(sh.name), xlrd.cellname(r, c), cell.value))
EOF
  rm -rf "$tmp/csv" && mkdir "$tmp/csv"
  ssconvert -S -T Gnumeric_stf:stf_csv "$out/$name.xls" "$tmp/csv/%n.csv" 2>/dev/null
  "$py" - "$out/$name.xls" "$tmp/csv" > "$tmp/$name.ssconvert.txt" <<'EOF'
import os, sys, xlrd
for i, name in enumerate(xlrd.open_workbook(sys.argv[1], on_demand=True).sheet_names()):
    print("## " + name)
    path = os.path.join(sys.argv[2], "%d.csv" % i)
    if os.path.exists(path):
        sys.stdout.write(open(path, encoding="utf-8").read())
EOF
  gzip -9n < "$tmp/$name.xlrd.tsv" > "$out/$name.xlrd.tsv.gz"
  gzip -9n < "$tmp/$name.ssconvert.txt" > "$out/$name.ssconvert.txt.gz"
done

chmod 644 "$out"/*.xls "$out"/*.gz
ls -l "$out"
