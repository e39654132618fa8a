package report

import (
	"strings"
	"testing"

	"github.com/datahygiene/datahygiene/pkg/finding"
)

// TestDocumentPart: a location in a page or slide keeps its part in CSV
// and SARIF, and SARIF does not point at a line of the binary file.
func TestDocumentPart(t *testing.T) {
	t.Parallel()
	r := &Report{Root: "share", Files: []finding.FileResult{{
		Path: "invoice.pdf", Type: "pdf", Status: finding.Scanned, Risk: finding.Medium,
		Findings: []finding.Finding{{Detector: "email", Name: "Email address", Category: finding.Contact,
			Severity: finding.Medium, Count: 1, Locations: []finding.Location{{Part: "page 3", Line: 7}},
			Samples: []string{"j***@example.com"}}},
	}}}
	r.Tally()
	csv := string(render(t, "csv", Options{}, r))
	if !strings.Contains(csv, ",reason,part\n") || !strings.Contains(csv, ",7,,,,,,j***@example.com,,,,page 3\n") {
		t.Errorf("csv lacks the part:\n%s", csv)
	}
	sarif := string(render(t, "sarif", Options{}, r))
	for _, want := range []string{`"startLine": 1`, `"fullyQualifiedName": "page 3, line 7"`, "on page 3, line 7"} {
		if !strings.Contains(sarif, want) {
			t.Errorf("sarif lacks %s", want)
		}
	}
	if strings.Contains(sarif, `"startLine": 7`) {
		t.Error("sarif points at line 7 of the PDF file")
	}
}
