package report

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/datahygiene/datahygiene/pkg/finding"
)

// acceptedReport has one file whose unprotected issue a policy exception
// accepted, beside its unencrypted one.
func acceptedReport() *Report {
	r := sampleReport()
	f := &r.Files[0]
	f.Accepted = []finding.Accepted{{
		Kind: finding.Unprotected, Severity: finding.High, Issue: "readable by everyone (mode 0644)",
		Reason: "shared with the call centre by contract (policy.yaml:12)",
	}}
	r.Tally()
	return r
}

// TestAcceptedInEveryFormat: an accepted issue is shown apart, with the
// exception's reason, in every format a person reads, and in SARIF as a
// suppressed result that still validates against the schema.
func TestAcceptedInEveryFormat(t *testing.T) {
	t.Parallel()
	r := acceptedReport()
	path := r.Files[0].Path
	for _, format := range []string{"table", "markdown", "html"} {
		out := string(render(t, format, Options{}, r))
		for _, want := range []string{"Accepted by policy exceptions", "shared with the call centre by contract (policy.yaml:12)"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s: no %q", format, want)
			}
		}
		// The accepted row names the file and the kind on one line (the
		// file's own issues are stale and unencrypted, never unprotected).
		i := strings.Index(out, "Accepted by policy exceptions")
		row := false
		for line := range strings.Lines(out[max(i, 0):]) {
			row = row || strings.Contains(line, "unprotected") && strings.Contains(line, "old-exports.zip")
		}
		if i < 0 || !row {
			t.Errorf("%s: the accepted section has no row naming the file and the issue kind", format)
		}
	}

	out := render(t, "sarif", Options{}, r)
	validateSARIF(t, out)
	var doc struct {
		Runs []struct {
			Results []struct {
				RuleID    string `json:"ruleId"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
					} `json:"physicalLocation"`
				} `json:"locations"`
				Suppressions []struct {
					Kind          string `json:"kind"`
					Justification string `json:"justification"`
				} `json:"suppressions"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	var suppressed, unprotected int
	for _, res := range doc.Runs[0].Results {
		if len(res.Suppressions) == 0 {
			if res.RuleID == "issue/unprotected" && strings.Contains(res.Locations[0].PhysicalLocation.ArtifactLocation.URI, "old-exports") {
				unprotected++
			}
			continue
		}
		suppressed++
		s := res.Suppressions[0]
		if res.RuleID != "issue/unprotected" || s.Kind != "external" || s.Justification != "shared with the call centre by contract (policy.yaml:12)" {
			t.Errorf("suppressed result = %s %+v", res.RuleID, s)
		}
	}
	if suppressed != 1 || unprotected != 0 {
		t.Errorf("%d suppressed results, %d unsuppressed unprotected results for %s; want 1 and 0", suppressed, unprotected, path)
	}
}
