package inventory

import (
	"bytes"
	"flag"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/datahygiene/datahygiene/pkg/finding"
	"github.com/datahygiene/datahygiene/pkg/internal/goldenfile"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

var (
	jan = time.Date(2023, 1, 10, 8, 0, 0, 500, time.UTC)
	jun = time.Date(2023, 6, 15, 14, 30, 5, 987654321, time.FixedZone("CEST", 2*3600))
	dec = time.Date(2024, 12, 1, 0, 0, 0, 0, time.UTC)
)

func fd(detector, name string, cat finding.Category, sev finding.Severity, n int) finding.Finding {
	return finding.Finding{Detector: detector, Name: name, Category: cat, Severity: sev, Count: n}
}

func issues(kinds ...string) []finding.Issue {
	var out []finding.Issue
	for _, k := range kinds {
		out = append(out, finding.Issue{Kind: finding.IssueKind(k), Severity: finding.Medium, Reason: "synthetic"})
	}
	return out
}

// sampleFiles is a small share: several folders and depths, an archive
// member, all four issue kinds (prohibited by its string kind), an issue
// without findings, encrypted, skipped and error files, a repeated
// detector in one file, and a folder name built to break formats. The
// data is synthetic; an inventory never sees samples anyway.
func sampleFiles() []finding.FileResult {
	return []finding.FileResult{
		{
			Path: "finance/2024/cards.csv", Status: finding.Scanned, Modified: dec, Risk: finding.Critical,
			Findings: []finding.Finding{
				fd("credit_card", "Payment card number", finding.Financial, finding.Critical, 3),
				fd("email", "Email address", finding.Contact, finding.Medium, 12),
			},
			Issues: issues("unencrypted", "unprotected"),
		},
		{
			Path: "finance/payroll.xlsx", Status: finding.Scanned, Modified: jun, Risk: finding.High,
			Findings: []finding.Finding{
				fd("iban", "IBAN", finding.Financial, finding.High, 1),
				fd("national_id", "National identity number", finding.GovernmentID, finding.High, 2),
			},
			Issues: issues("unencrypted", "stale", "stale"),
		},
		{Path: "finance/q3.xlsx", Status: finding.Encrypted, Modified: jun, Reason: "password-protected workbook"},
		{
			Path: "archive/old.zip!exports/customers.csv", Status: finding.Scanned, Modified: jan, Risk: finding.Medium,
			Findings: []finding.Finding{fd("email", "Email address", finding.Contact, finding.Medium, 2)},
			Issues:   issues("unencrypted", "stale"),
		},
		{Path: "archive/old.zip!secret.csv", Status: finding.Encrypted, Modified: jan, Reason: "encrypted archive entry"},
		{
			Path: "logs/app.log", Status: finding.Scanned, Modified: dec, Risk: finding.Critical,
			Findings: []finding.Finding{
				fd("ip_address", "", finding.Network, finding.Low, 4),
				fd("ip_address", "IP address", finding.Network, finding.Low, 1),
			},
			Issues: issues("unencrypted", "prohibited"),
		},
		{Path: "logs/old.log", Status: finding.Scanned, Modified: jan, Issues: issues("stale")},
		{Path: "backups/2019.tar.gz", Status: finding.Skipped, Modified: jan, Reason: "larger than the size limit"},
		{
			Path: "notes.txt", Status: finding.Scanned, Modified: jun, Risk: finding.Low,
			Findings: []finding.Finding{fd("phone", "Phone number", finding.Contact, finding.Low, 2)},
			Issues:   issues("unencrypted"),
		},
		{
			Path: "=cmd|x `y`\n<b>/a.txt", Status: finding.Scanned, Risk: finding.Low,
			Findings: []finding.Finding{fd("custom_id", "Customer *ID*", "", finding.Low, 1)},
		},
		{Path: "mail/broken.eml", Status: finding.Error, Reason: "read: input/output error"},
		// Clean scanned files are not in a report; if given, they add nothing.
		{Path: "clean/readme.txt", Status: finding.Scanned},
	}
}

func TestFolderOf(t *testing.T) {
	t.Parallel()
	tests := []struct {
		path  string
		depth int
		want  string
	}{
		{"a/b/c.csv", 1, "a"},
		{"a/b/c.csv", 2, "a/b"},
		{"a/b/c.csv", 5, "a/b"},
		{"a/b/c.csv", 0, "."},
		{"a/b/c.csv", -1, "a/b"},
		{"a/b/c/d/e.csv", -1, "a/b/c/d"},
		{"c.csv", 1, "."},
		{"", 1, "."},
		{"x/y.zip!in/deep/z.csv", 1, "x"},
		{"x/y.zip!in/deep/z.csv", 3, "x"},
		{"y.zip!in/deep/z.csv", 1, "."},
		{"x/y.zip!z.tar!w.csv", 2, "x"},
		{"../../etc/passwd", 1, "etc"},
		{"a//b/./c.csv", 2, "a/b"},
		{"a/../b/c.csv", 1, "b"},
		{"/abs/dir/f.txt", 1, "abs"},
		{"a/b/", 1, "a"},
	}
	for _, tt := range tests {
		if got := FolderOf(tt.path, tt.depth); got != tt.want {
			t.Errorf("FolderOf(%q, %d) = %q, want %q", tt.path, tt.depth, got, tt.want)
		}
	}
}

func tally(files, occ int) Tally { return Tally{Files: files, Occurrences: occ} }

func issueMap(u, p, s, pr Tally) map[string]Tally {
	return map[string]Tally{"unencrypted": u, "unprotected": p, "stale": s, "prohibited": pr}
}

func TestBuildDepth1(t *testing.T) {
	t.Parallel()
	inv := Build(sampleFiles(), Options{Root: "/srv/share", Depth: 1})
	if inv.Schema != Schema || inv.Root != "/srv/share" || inv.Depth != 1 {
		t.Errorf("header = %q %q %d", inv.Schema, inv.Root, inv.Depth)
	}
	var paths []string
	for _, f := range inv.Folders {
		paths = append(paths, f.Path)
	}
	wantPaths := []string{".", "=cmd|x `y`\n<b>", "archive", "backups", "finance", "logs", "mail"}
	if !reflect.DeepEqual(paths, wantPaths) {
		t.Fatalf("folders = %q, want %q", paths, wantPaths)
	}
	z := Tally{}
	sec := func(t time.Time) time.Time { return t.UTC().Truncate(time.Second) }
	finance := inv.Folders[4]
	want := Folder{
		Path: "finance", Risk: finding.Critical,
		Counts: Counts{
			Files: 2, Occurrences: 18, Oldest: sec(jun), Newest: dec,
			Issues: issueMap(tally(2, 18), tally(1, 15), tally(1, 3), z),
		},
		EncryptedFiles: 1,
		Classes: []Class{
			{Category: "government_id", Detector: "national_id", Name: "National identity number",
				Counts: Counts{Files: 1, Occurrences: 2, Oldest: sec(jun), Newest: sec(jun), Issues: issueMap(tally(1, 2), z, tally(1, 2), z)}},
		},
	}
	// Category order: contact, financial, government_id, credential, network.
	want.Classes = append([]Class{
		{Category: "contact", Detector: "email", Name: "Email address",
			Counts: Counts{Files: 1, Occurrences: 12, Oldest: dec, Newest: dec, Issues: issueMap(tally(1, 12), tally(1, 12), z, z)}},
		{Category: "financial", Detector: "credit_card", Name: "Payment card number",
			Counts: Counts{Files: 1, Occurrences: 3, Oldest: dec, Newest: dec, Issues: issueMap(tally(1, 3), tally(1, 3), z, z)}},
		{Category: "financial", Detector: "iban", Name: "IBAN",
			Counts: Counts{Files: 1, Occurrences: 1, Oldest: sec(jun), Newest: sec(jun), Issues: issueMap(tally(1, 1), z, tally(1, 1), z)}},
	}, want.Classes...)
	if !reflect.DeepEqual(finance, want) {
		t.Errorf("finance:\n got %+v\nwant %+v", finance, want)
	}

	logs := inv.Folders[5]
	// The repeated ip_address finding is one class, one file, 5 occurrences,
	// named by the finding that has a name; old.log has an issue only.
	if len(logs.Classes) != 1 || logs.Classes[0].Files != 1 || logs.Classes[0].Occurrences != 5 || logs.Classes[0].Name != "IP address" {
		t.Errorf("logs classes = %+v", logs.Classes)
	}
	if logs.Files != 1 || logs.Issues["stale"] != tally(1, 0) || logs.Issues["prohibited"] != tally(1, 5) || !logs.Oldest.Equal(dec) {
		t.Errorf("logs = %+v", logs.Counts)
	}
	archive := inv.Folders[2]
	if archive.Files != 1 || archive.Occurrences != 2 || archive.EncryptedFiles != 1 || archive.Risk != finding.Medium {
		t.Errorf("archive = %+v", archive)
	}
	if b := inv.Folders[3]; b.Files != 0 || b.NotScannedFiles != 1 || len(b.Classes) != 0 || b.Risk != finding.SeverityNone {
		t.Errorf("backups = %+v", b)
	}

	wantTotals := Totals{
		Counts: Counts{
			Files: 6, Occurrences: 28, Oldest: jan.Truncate(time.Second), Newest: dec,
			Issues: issueMap(tally(5, 27), tally(1, 15), tally(3, 5), tally(1, 5)),
		},
		EncryptedFiles: 2, NotScannedFiles: 2, Folders: 5, DataClasses: 7,
	}
	if !reflect.DeepEqual(inv.Totals, wantTotals) {
		t.Errorf("totals:\n got %+v\nwant %+v", inv.Totals, wantTotals)
	}
	var classes []string
	for _, c := range inv.Classes {
		classes = append(classes, c.Category+"/"+c.Detector+":"+strings.Join(c.Folders, ","))
	}
	wantClasses := []string{
		"contact/email:archive,finance", "contact/phone:.", "financial/credit_card:finance", "financial/iban:finance",
		"government_id/national_id:finance", "network/ip_address:logs", "/custom_id:=cmd|x `y`\n<b>",
	}
	if !reflect.DeepEqual(classes, wantClasses) {
		t.Errorf("classes = %q, want %q", classes, wantClasses)
	}
}

func TestBuildDepths(t *testing.T) {
	t.Parallel()
	tests := []struct {
		depth int
		want  []string
	}{
		{0, []string{"."}},
		{2, []string{".", "=cmd|x `y`\n<b>", "archive", "backups", "finance", "finance/2024", "logs", "mail"}},
		{-1, []string{".", "=cmd|x `y`\n<b>", "archive", "backups", "finance", "finance/2024", "logs", "mail"}},
	}
	base := Build(sampleFiles(), Options{Depth: 1}).Totals
	for _, tt := range tests {
		inv := Build(sampleFiles(), Options{Depth: tt.depth})
		var got []string
		for _, f := range inv.Folders {
			got = append(got, f.Path)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("depth %d: folders = %q, want %q", tt.depth, got, tt.want)
		}
		// Only the grouping changes; what is held does not.
		tot := inv.Totals
		tot.Folders = base.Folders
		if !reflect.DeepEqual(tot, base) {
			t.Errorf("depth %d: totals %+v differ from depth 1's %+v", tt.depth, inv.Totals, base)
		}
	}
}

func TestBuildEmpty(t *testing.T) {
	t.Parallel()
	for _, files := range [][]finding.FileResult{nil, {{Path: "a.txt", Status: finding.Scanned}}} {
		inv := Build(files, Options{Root: "r", Depth: 1})
		if inv.Folders == nil || inv.Classes == nil || len(inv.Folders) != 0 || len(inv.Classes) != 0 {
			t.Errorf("folders %v classes %v, want empty non-nil", inv.Folders, inv.Classes)
		}
		if len(inv.Totals.Issues) != len(IssueKinds) || inv.Totals.Files != 0 {
			t.Errorf("totals = %+v", inv.Totals)
		}
	}
}

func TestNewWriter(t *testing.T) {
	t.Parallel()
	for _, f := range Formats() {
		w, err := NewWriter(f)
		if err != nil {
			t.Fatalf("NewWriter(%q): %v", f, err)
		}
		if err := w.Write(&bytes.Buffer{}, nil); err == nil || !strings.Contains(err.Error(), "no inventory") {
			t.Errorf("%s: Write(nil) error = %v", f, err)
		}
	}
	_, err := NewWriter("xml")
	const want = `unknown inventory format "xml" (want table, json, csv or markdown)`
	if err == nil || err.Error() != want {
		t.Errorf("NewWriter(xml) error = %v, want %q", err, want)
	}
}

func render(t *testing.T, format string, inv *Inventory) []byte {
	t.Helper()
	w, err := NewWriter(format)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := w.Write(&b, inv); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	goldenfile.Check(t, name, got, *update)
}

func TestGoldens(t *testing.T) {
	ext := map[string]string{"table": "table", "json": "json", "csv": "csv", "markdown": "md"}
	for _, format := range Formats() {
		golden(t, "inventory."+ext[format]+".golden", render(t, format, Build(sampleFiles(), Options{Root: "/srv/share", Depth: 1})))
		golden(t, "empty."+ext[format]+".golden", render(t, format, Build(nil, Options{Root: "/srv/empty", Depth: 2})))
	}
}
