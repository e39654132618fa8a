package assess

import (
	"testing"

	"github.com/datahygiene/datahygiene/pkg/finding"
)

// BenchmarkAssess judges a file with three findings under a policy with
// per-class retention, locations and exceptions: the per-file cost the
// policy adds to a scan.
func BenchmarkAssess(b *testing.B) {
	p, err := loadPolicy(`policy:
  retention:
    classes: {contact: 2y, credential: 0d}
    detectors: {credit_card: 90d}
  unprotected:
    locations: ['**/Public/**', '**/www/**', '/Scans/']
  severity:
    detectors: {credit_card: critical}
  exceptions:
    - paths: ['Archive/legal-hold/**']
      issues: [stale]
      reason: legal hold
    - detectors: [email]
      issues: [unprotected]
      reason: directory
`)
	if err != nil {
		b.Fatal(err)
	}
	facts := Facts{RelPath: "Teams/Sales/2024/Q3/customers.csv", Mode: 0o644, Modified: old}
	base := []finding.Finding{card, email, ip}
	r := &finding.FileResult{Path: facts.RelPath}
	b.ReportAllocs()
	for b.Loop() {
		r.Findings = append(r.Findings[:0], base...)
		Assess(r, facts, Options{Now: now, Policy: p})
	}
}
