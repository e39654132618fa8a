package scan

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/datahygiene/datahygiene/pkg/finding"
	"github.com/datahygiene/datahygiene/pkg/ruleset"
)

// TestDocumentsAndMail routes office documents, legacy workbooks and mail
// to their readers through the real scan: types, statuses, members and
// counts, using the readers' own fixtures (made by LibreOffice, pandoc,
// gnumeric and Python's email package).
func TestDocumentsAndMail(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []struct{ from, to string }{
		{"../extract/office/testdata/letter.docx", "docs/letter.docx"},
		{"../extract/office/testdata/people.ods", "docs/people.ods"},
		{"../extract/office/testdata/deck.pptx", "docs/deck.pptx"},
		// A renamed ODF text is still recognised by its mimetype entry.
		{"../extract/office/testdata/letter.odt", "docs/letter.bin"},
		{"../extract/xls/testdata/gnumeric.xls", "sheets/old.xls"},
		{"../extract/xls/testdata/password.xls", "sheets/locked.xls"},
		{"../extract/mail/testdata/nested.eml", "mail/nested.eml"},
		{"../extract/mail/testdata/inbox.mbox", "mail/inbox.mbox"},
		{"../extract/pdf/testdata/basic.pdf", "pdf/basic.pdf"},
		{"../extract/pdf/testdata/user-password.pdf", "pdf/locked.pdf"},
	} {
		b, err := os.ReadFile(f.from)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, f.to)
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	rs, err := ruleset.Load()
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Run(context.Background(), Options{Root: dir, Rules: rs})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]finding.FileResult{}
	for _, f := range rep.Files {
		got[f.Path] = f
	}
	count := func(f finding.FileResult, det string) int {
		for _, fd := range f.Findings {
			if fd.Detector == det {
				return fd.Count
			}
		}
		return 0
	}
	tests := []struct {
		path, typ    string
		status       finding.Status
		email, phone int
	}{
		{"docs/letter.docx", "docx", finding.Scanned, 4, 2},
		{"docs/letter.bin", "odt", finding.Scanned, 4, 2},
		{"docs/people.ods", "ods", finding.Scanned, 1, 1},
		{"docs/deck.pptx", "pptx", finding.Scanned, 2, 1},
		{"sheets/old.xls", "xls", finding.Scanned, 4, 3},
		{"sheets/locked.xls", "cfb", finding.Encrypted, 0, 0},
		{"mail/nested.eml", "eml", finding.Scanned, 2, 0},
		{"mail/nested.eml!people.zip!people.csv", "csv", finding.Scanned, 2, 2},
		{"mail/inbox.mbox!msg-2", "text", finding.Scanned, 3, 0},
		{"pdf/basic.pdf", "pdf", finding.Scanned, 1, 1},
		{"pdf/locked.pdf", "pdf", finding.Encrypted, 0, 0},
	}
	for _, tt := range tests {
		f, ok := got[tt.path]
		if !ok {
			t.Errorf("%s: not in the report", tt.path)
			continue
		}
		if f.Type != tt.typ || f.Status != tt.status || count(f, "email") != tt.email || count(f, "phone") != tt.phone {
			t.Errorf("%s: type %s status %s (%s), email %d, phone %d; want %s %s, %d, %d",
				tt.path, f.Type, f.Status, f.Reason, count(f, "email"), count(f, "phone"), tt.typ, tt.status, tt.email, tt.phone)
		}
	}
	// Locations inside documents name the slide or page.
	for _, p := range []string{"docs/deck.pptx", "pdf/basic.pdf"} {
		for _, l := range got[p].Findings[0].Locations {
			if l.Part == "" || l.Line == 0 {
				t.Errorf("%s: location without a part or line: %+v", p, l)
			}
		}
	}
}
