package assess

import (
	"testing"
	"time"

	"github.com/datahygiene/datahygiene/pkg/finding"
)

func TestAssess(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	old := now.Add(-400 * 24 * time.Hour)
	recent := now.Add(-10 * 24 * time.Hour)
	card := []finding.Finding{{Detector: "credit_card", Severity: finding.High, Count: 2}}
	email := []finding.Finding{{Detector: "email", Severity: finding.Low, Count: 1}}
	tests := []struct {
		name       string
		findings   []finding.Finding
		mode       finding.Mode
		modified   time.Time
		staleAfter time.Duration
		wantKinds  []finding.IssueKind
		wantRisk   finding.Severity
		wantReason map[finding.IssueKind]string
	}{
		{name: "clean file has no issues", mode: 0o644, modified: old, wantRisk: finding.SeverityNone},
		{name: "owner only, recent", findings: card, mode: 0o600, modified: recent,
			wantKinds: []finding.IssueKind{finding.Unencrypted}, wantRisk: finding.High,
			wantReason: map[finding.IssueKind]string{finding.Unencrypted: "2 values readable in clear text"}},
		{name: "world readable raises risk", findings: card, mode: 0o644, modified: recent,
			wantKinds: []finding.IssueKind{finding.Unencrypted, finding.Unprotected}, wantRisk: finding.Critical,
			wantReason: map[finding.IssueKind]string{finding.Unprotected: "readable by all users (mode 0644)"}},
		{name: "group writable", findings: email, mode: 0o660, modified: recent,
			wantKinds: []finding.IssueKind{finding.Unencrypted, finding.Unprotected}, wantRisk: finding.Medium,
			wantReason: map[finding.IssueKind]string{finding.Unprotected: "writable by its group (mode 0660)"}},
		{name: "group read only is not unprotected", findings: email, mode: 0o640, modified: recent,
			wantKinds: []finding.IssueKind{finding.Unencrypted}, wantRisk: finding.Low},
		{name: "stale and exposed caps at critical", findings: card, mode: 0o666, modified: old,
			wantKinds: []finding.IssueKind{finding.Unencrypted, finding.Unprotected, finding.Stale}, wantRisk: finding.Critical,
			wantReason: map[finding.IssueKind]string{
				finding.Unprotected: "readable by all users, writable by all users (mode 0666)",
				finding.Stale:       "not modified for 400 days (retention 365 days)"}},
		{name: "custom retention", findings: email, mode: 0o600, modified: recent, staleAfter: 7 * 24 * time.Hour,
			wantKinds: []finding.IssueKind{finding.Unencrypted, finding.Stale}, wantRisk: finding.Medium,
			wantReason: map[finding.IssueKind]string{finding.Stale: "not modified for 10 days (retention 7 days)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &finding.FileResult{Findings: tt.findings, Mode: tt.mode, Modified: tt.modified}
			Assess(r, Options{Now: now, StaleAfter: tt.staleAfter})
			if r.Risk != tt.wantRisk {
				t.Errorf("risk = %v, want %v", r.Risk, tt.wantRisk)
			}
			var kinds []finding.IssueKind
			for _, is := range r.Issues {
				kinds = append(kinds, is.Kind)
				if want, ok := tt.wantReason[is.Kind]; ok && is.Reason != want {
					t.Errorf("%s reason = %q, want %q", is.Kind, is.Reason, want)
				}
			}
			if len(kinds) != len(tt.wantKinds) {
				t.Fatalf("issues = %v, want %v", kinds, tt.wantKinds)
			}
			for i := range kinds {
				if kinds[i] != tt.wantKinds[i] {
					t.Errorf("issues = %v, want %v", kinds, tt.wantKinds)
				}
			}
		})
	}
}
