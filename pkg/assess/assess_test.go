package assess

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/datahygiene/datahygiene/pkg/finding"
	"github.com/datahygiene/datahygiene/pkg/policy"
)

const day = 24 * time.Hour

var (
	now    = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	old    = now.Add(-400 * day)
	recent = now.Add(-10 * day)

	card   = finding.Finding{Detector: "credit_card", Category: finding.Financial, Severity: finding.High, Count: 2}
	email  = finding.Finding{Detector: "email", Category: finding.Contact, Severity: finding.Low, Count: 1}
	ssn    = finding.Finding{Detector: "us_ssn", Category: finding.GovernmentID, Severity: finding.High, Count: 1}
	passwd = finding.Finding{Detector: "password", Category: finding.Credential, Severity: finding.High, Count: 1}
	ip     = finding.Finding{Detector: "ip_address", Category: finding.Network, Severity: finding.Low, Count: 3}
)

var known = []string{"email", "credit_card", "us_ssn", "password", "ip_address"}

func pol(t *testing.T, yml string) *policy.Policy {
	t.Helper()
	if yml == "" {
		return nil
	}
	p, err := loadPolicy(yml)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func loadPolicy(yml string) (*policy.Policy, error) {
	return policy.Load(policy.Options{Known: known, LookupUser: func(name string) (int, bool) {
		uid, ok := map[string]int{"nobody": 65534, "alice": 1001, "backup": 34}[name]
		return uid, ok
	}}, policy.Source{Name: "p.yaml", Data: []byte(yml)})
}

func TestAssess(t *testing.T) {
	type want struct {
		kinds    []finding.IssueKind
		risk     finding.Severity
		reasons  map[finding.IssueKind]string
		accepted []finding.Accepted
	}
	tests := []struct {
		name     string
		policy   string
		findings []finding.Finding
		facts    Facts
		want     want
	}{
		// The built-in policy judges as the tool always did.
		{name: "clean file has no issues", facts: Facts{Mode: 0o644, Modified: old},
			want: want{risk: finding.SeverityNone}},
		{name: "owner only, recent", findings: []finding.Finding{card}, facts: Facts{Mode: 0o600, Modified: recent},
			want: want{kinds: kinds("unencrypted"), risk: finding.High,
				reasons: map[finding.IssueKind]string{finding.Unencrypted: "2 values readable in clear text"}}},
		{name: "world readable raises risk", findings: []finding.Finding{card}, facts: Facts{Mode: 0o644, Modified: recent},
			want: want{kinds: kinds("unencrypted", "unprotected"), risk: finding.Critical,
				reasons: map[finding.IssueKind]string{finding.Unprotected: "readable by all users (mode 0644)"}}},
		{name: "group writable", findings: []finding.Finding{email}, facts: Facts{Mode: 0o660, Modified: recent},
			want: want{kinds: kinds("unencrypted", "unprotected"), risk: finding.Medium,
				reasons: map[finding.IssueKind]string{finding.Unprotected: "writable by its group (mode 0660)"}}},
		{name: "group read only is not unprotected by default", findings: []finding.Finding{email}, facts: Facts{Mode: 0o640, Modified: recent},
			want: want{kinds: kinds("unencrypted"), risk: finding.Low}},
		{name: "stale and exposed caps at critical", findings: []finding.Finding{card}, facts: Facts{Mode: 0o666, Modified: old},
			want: want{kinds: kinds("unencrypted", "unprotected", "stale"), risk: finding.Critical,
				reasons: map[finding.IssueKind]string{
					finding.Unprotected: "readable by all users, writable by all users (mode 0666)",
					finding.Stale:       "not modified for 400 days (retention 365 days)"}}},

		// Mode bits.
		{name: "policy counts group read", policy: "policy:\n  unprotected:\n    mode_bits: [group-read]\n",
			findings: []finding.Finding{email}, facts: Facts{Mode: 0o640, Modified: recent},
			want: want{kinds: kinds("unencrypted", "unprotected"), risk: finding.Medium,
				reasons: map[finding.IssueKind]string{finding.Unprotected: "readable by its group (mode 0640)"}}},
		{name: "policy ignores other read", policy: "policy:\n  unprotected:\n    mode_bits: [other-write]\n",
			findings: []finding.Finding{email}, facts: Facts{Mode: 0o664, Modified: recent},
			want: want{kinds: kinds("unencrypted"), risk: finding.Low}},

		// ACL readers.
		{name: "ACL readers count", findings: []finding.Finding{email},
			facts: Facts{Mode: 0o600, Modified: recent, ACLReaders: []string{"user:alice", "group:audit", "user:b", "user:c", "user:d", "user:e", "user:f"}},
			want: want{kinds: kinds("unencrypted", "unprotected"), risk: finding.Medium,
				reasons: map[finding.IssueKind]string{finding.Unprotected: "its ACL lets user:alice, group:audit, user:b, user:c, user:d and 2 more read it"}}},
		{name: "ACL readers ignored", policy: "policy:\n  unprotected:\n    acl_readers: false\n", findings: []finding.Finding{email},
			facts: Facts{Mode: 0o600, Modified: recent, ACLReaders: []string{"user:alice"}},
			want:  want{kinds: kinds("unencrypted"), risk: finding.Low}},

		// Owners.
		{name: "denied owner", policy: "policy:\n  unprotected:\n    owners:\n      deny: [nobody]\n", findings: []finding.Finding{email},
			facts: Facts{Mode: 0o600, Modified: recent, OwnerKnown: true, UID: 65534},
			want: want{kinds: kinds("unencrypted", "unprotected"), risk: finding.Medium,
				reasons: map[finding.IssueKind]string{finding.Unprotected: "owned by nobody (uid 65534), which the policy does not allow"}}},
		{name: "denied owner by name only", policy: "policy:\n  unprotected:\n    owners:\n      deny: [www-data]\n", findings: []finding.Finding{email},
			facts: Facts{Mode: 0o600, Modified: recent, OwnerKnown: true, UID: 33, Owner: "www-data"},
			want: want{kinds: kinds("unencrypted", "unprotected"), risk: finding.Medium,
				reasons: map[finding.IssueKind]string{finding.Unprotected: "owned by www-data (uid 33), which the policy does not allow"}}},
		{name: "owner not allowed", policy: "policy:\n  unprotected:\n    owners:\n      allow: [alice, 0]\n", findings: []finding.Finding{email},
			facts: Facts{Mode: 0o600, Modified: recent, OwnerKnown: true, UID: 1002},
			want: want{kinds: kinds("unencrypted", "unprotected"), risk: finding.Medium,
				reasons: map[finding.IssueKind]string{finding.Unprotected: "owned by uid 1002, not one of the owners the policy allows (alice, 0)"}}},
		{name: "allowed owner", policy: "policy:\n  unprotected:\n    owners:\n      allow: [alice, 0]\n", findings: []finding.Finding{email},
			facts: Facts{Mode: 0o600, Modified: recent, OwnerKnown: true, UID: 1001},
			want:  want{kinds: kinds("unencrypted"), risk: finding.Low}},
		{name: "unknown owner is not judged", policy: "policy:\n  unprotected:\n    owners:\n      allow: [alice]\n", findings: []finding.Finding{email},
			facts: Facts{Mode: 0o600, Modified: recent},
			want:  want{kinds: kinds("unencrypted"), risk: finding.Low}},

		// World-writable folder.
		{name: "world-writable folder", findings: []finding.Finding{email},
			facts: Facts{Mode: 0o600, Modified: recent, DirWorldWritable: true},
			want: want{kinds: kinds("unencrypted", "unprotected"), risk: finding.Medium,
				reasons: map[finding.IssueKind]string{finding.Unprotected: "in a folder anyone can write to, so anyone can replace or delete it"}}},
		{name: "sticky world-writable folder", findings: []finding.Finding{email},
			facts: Facts{Mode: 0o600, Modified: recent, DirWorldWritable: true, DirSticky: true},
			want:  want{kinds: kinds("unencrypted"), risk: finding.Low}},
		{name: "world-writable folder ignored", policy: "policy:\n  unprotected:\n    world_writable_dir: false\n", findings: []finding.Finding{email},
			facts: Facts{Mode: 0o600, Modified: recent, DirWorldWritable: true},
			want:  want{kinds: kinds("unencrypted"), risk: finding.Low}},

		// Locations.
		{name: "shared location", policy: "policy:\n  unprotected:\n    locations: ['**/Public/**', www/]\n", findings: []finding.Finding{email},
			facts: Facts{RelPath: "Teams/Public/list.csv", Mode: 0o644, Modified: recent},
			want: want{kinds: kinds("unencrypted", "unprotected"), risk: finding.Medium,
				reasons: map[finding.IssueKind]string{finding.Unprotected: "readable by all users (mode 0644); in a location the policy counts as shared (**/Public/**)"}}},
		{name: "archive member lies where its archive lies", policy: "policy:\n  unprotected:\n    locations: [www/]\n", findings: []finding.Finding{email},
			facts: Facts{RelPath: "www/site.zip!data/list.csv", Mode: 0o600, Modified: recent},
			want: want{kinds: kinds("unencrypted", "unprotected"), risk: finding.Medium,
				reasons: map[finding.IssueKind]string{finding.Unprotected: "in a location the policy counts as shared (www/)"}}},
		{name: "folder inside an archive is not a location", policy: "policy:\n  unprotected:\n    locations: [www/]\n", findings: []finding.Finding{email},
			facts: Facts{RelPath: "backup.zip!www/list.csv", Mode: 0o600, Modified: recent},
			want:  want{kinds: kinds("unencrypted"), risk: finding.Low}},

		// Retention per class and detector.
		{name: "credential must not be kept", policy: "policy:\n  retention:\n    classes: {credential: 0d}\n",
			findings: []finding.Finding{passwd}, facts: Facts{Mode: 0o600, Modified: now},
			want: want{kinds: kinds("unencrypted", "stale"), risk: finding.Critical,
				reasons: map[finding.IssueKind]string{finding.Stale: "holds credential data, which policy says must not be kept (retention 0 days)"}}},
		{name: "detector beats class", policy: "policy:\n  retention:\n    classes: {financial: 2y}\n    detectors: {credit_card: 90d}\n",
			findings: []finding.Finding{email, card}, facts: Facts{Mode: 0o600, Modified: now.Add(-100 * day)},
			want: want{kinds: kinds("unencrypted", "stale"), risk: finding.Critical,
				reasons: map[finding.IssueKind]string{finding.Stale: "not modified for 100 days; credit_card retention is 90 days"}}},
		{name: "class retention", policy: "policy:\n  retention:\n    classes: {contact: 2y}\n",
			findings: []finding.Finding{email}, facts: Facts{Mode: 0o600, Modified: old},
			want: want{kinds: kinds("unencrypted"), risk: finding.Low}},
		{name: "strictest retention wins", policy: "policy:\n  retention:\n    default: unlimited\n    classes: {contact: 2y, network: 30d}\n",
			findings: []finding.Finding{email, ip}, facts: Facts{Mode: 0o600, Modified: now.Add(-45 * day)},
			want: want{kinds: kinds("unencrypted", "stale"), risk: finding.Medium,
				reasons: map[finding.IssueKind]string{finding.Stale: "not modified for 45 days; network retention is 30 days"}}},
		{name: "unlimited retention", policy: "policy:\n  retention:\n    default: unlimited\n",
			findings: []finding.Finding{card}, facts: Facts{Mode: 0o600, Modified: old.Add(-3650 * day)},
			want: want{kinds: kinds("unencrypted"), risk: finding.High}},
		{name: "--stale-after override keeps classes", policy: "policy:\n  retention:\n    classes: {contact: 30d}\n",
			findings: []finding.Finding{email}, facts: Facts{Mode: 0o600, Modified: recent},
			want: want{kinds: kinds("unencrypted"), risk: finding.Low}},
		{name: "--stale-after override sets the default", policy: "policy:\n  retention:\n    classes: {contact: 30d}\n",
			findings: []finding.Finding{email, ip}, facts: Facts{Mode: 0o600, Modified: recent},
			want: want{kinds: kinds("unencrypted", "stale"), risk: finding.Medium,
				reasons: map[finding.IssueKind]string{finding.Stale: "not modified for 10 days (retention 7 days)"}}},

		// The atime clock.
		{name: "atime: opened recently", policy: "policy:\n  retention:\n    clock: atime\n",
			findings: []finding.Finding{email}, facts: Facts{Mode: 0o600, Modified: old, Atime: recent},
			want: want{kinds: kinds("unencrypted"), risk: finding.Low}},
		{name: "atime: not opened", policy: "policy:\n  retention:\n    clock: atime\n    default: 90d\n",
			findings: []finding.Finding{email}, facts: Facts{Mode: 0o600, Modified: old, Atime: now.Add(-200 * day)},
			want: want{kinds: kinds("unencrypted", "stale"), risk: finding.Medium,
				reasons: map[finding.IssueKind]string{finding.Stale: "not opened for 200 days (retention 90 days)"}}},
		{name: "atime before mtime: written since read", policy: "policy:\n  retention:\n    clock: atime\n    default: 90d\n",
			findings: []finding.Finding{email}, facts: Facts{Mode: 0o600, Modified: recent, Atime: old},
			want: want{kinds: kinds("unencrypted"), risk: finding.Low}},
		{name: "atime on a noatime mount", policy: "policy:\n  retention:\n    clock: atime\n",
			findings: []finding.Finding{email}, facts: Facts{Mode: 0o600, Modified: old, Atime: recent, NoAtime: true},
			want: want{kinds: kinds("unencrypted", "stale"), risk: finding.Medium,
				reasons: map[finding.IssueKind]string{finding.Stale: "not modified for 400 days (retention 365 days) (its file system does not record access times, so the modification time was used)"}}},
		{name: "atime unknown", policy: "policy:\n  retention:\n    clock: atime\n",
			findings: []finding.Finding{email}, facts: Facts{Mode: 0o600, Modified: old},
			want: want{kinds: kinds("unencrypted", "stale"), risk: finding.Medium,
				reasons: map[finding.IssueKind]string{finding.Stale: "not modified for 400 days (retention 365 days) (its access time is unknown, so the modification time was used)"}}},

		// Prohibited data.
		{name: "prohibited class", policy: "policy:\n  prohibited:\n    classes: [government_id]\n",
			findings: []finding.Finding{email, ssn}, facts: Facts{Mode: 0o600, Modified: recent},
			want: want{kinds: kinds("unencrypted", "prohibited"), risk: finding.Critical,
				reasons: map[finding.IssueKind]string{finding.Prohibited: "holds government_id data (us_ssn), which policy says the business must not hold at all"}}},
		{name: "prohibited detector and class, own severity", policy: "policy:\n  prohibited:\n    classes: [credential]\n    detectors: [email]\n    severity: medium\n",
			findings: []finding.Finding{email, passwd}, facts: Facts{Mode: 0o600, Modified: recent},
			want: want{kinds: kinds("unencrypted", "prohibited"), risk: finding.Critical,
				reasons: map[finding.IssueKind]string{finding.Prohibited: "holds email data and credential data (password), which policy says the business must not hold at all"}}},
		{name: "prohibited sets the risk base", policy: "policy:\n  prohibited:\n    detectors: [email]\n  risk:\n    prohibited: 0\n",
			findings: []finding.Finding{email}, facts: Facts{Mode: 0o600, Modified: recent},
			want: want{kinds: kinds("unencrypted", "prohibited"), risk: finding.High}},

		// Severity overrides and risk weights.
		{name: "severity override", policy: "policy:\n  severity:\n    detectors: {credit_card: critical}\n    classes: {contact: medium}\n",
			findings: []finding.Finding{card, email}, facts: Facts{Mode: 0o600, Modified: recent},
			want: want{kinds: kinds("unencrypted"), risk: finding.Critical}},
		{name: "risk weights", policy: "policy:\n  risk:\n    unprotected: 2\n    stale: 0\n",
			findings: []finding.Finding{email}, facts: Facts{Mode: 0o644, Modified: old},
			want: want{kinds: kinds("unencrypted", "unprotected", "stale"), risk: finding.High}},
		{name: "weights count once per kind", policy: "policy:\n  risk:\n    unprotected: 0\n    stale: 0\n    prohibited: 0\n",
			findings: []finding.Finding{email}, facts: Facts{Mode: 0o666, Modified: old},
			want: want{kinds: kinds("unencrypted", "unprotected", "stale"), risk: finding.Low}},

		// Exceptions.
		{name: "legal hold accepts stale", policy: "policy:\n  exceptions:\n    - paths: ['Archive/legal-hold/**']\n      issues: [stale]\n      reason: legal hold until 2027\n",
			findings: []finding.Finding{card}, facts: Facts{RelPath: "Archive/legal-hold/2019.csv", Mode: 0o600, Modified: old},
			want: want{kinds: kinds("unencrypted"), risk: finding.High,
				accepted: []finding.Accepted{{Kind: finding.Stale, Severity: finding.Medium, Issue: "not modified for 400 days (retention 365 days)", Reason: "legal hold until 2027 (p.yaml:3)"}}}},
		{name: "exception elsewhere", policy: "policy:\n  exceptions:\n    - paths: ['Archive/legal-hold/**']\n      issues: [stale]\n      reason: legal hold until 2027\n",
			findings: []finding.Finding{card}, facts: Facts{RelPath: "Archive/2019.csv", Mode: 0o600, Modified: old},
			want: want{kinds: kinds("unencrypted", "stale"), risk: finding.Critical}},
		{name: "exception covers all the data", policy: "policy:\n  exceptions:\n    - detectors: [email]\n      classes: [network]\n      issues: [unprotected]\n      reason: staff directory\n",
			findings: []finding.Finding{email, ip}, facts: Facts{RelPath: "dir.txt", Mode: 0o644, Modified: recent},
			want: want{kinds: kinds("unencrypted"), risk: finding.Low,
				accepted: []finding.Accepted{{Kind: finding.Unprotected, Severity: finding.Low, Issue: "readable by all users (mode 0644)", Reason: "staff directory (p.yaml:3)"}}}},
		{name: "exception does not cover cards", policy: "policy:\n  exceptions:\n    - detectors: [email]\n      issues: [unprotected]\n      reason: staff directory\n",
			findings: []finding.Finding{email, card}, facts: Facts{RelPath: "dir.txt", Mode: 0o644, Modified: recent},
			want: want{kinds: kinds("unencrypted", "unprotected"), risk: finding.Critical}},
		{name: "everything accepted", policy: "policy:\n  exceptions:\n    - paths: [vault/]\n      reason: encrypted volume\n",
			findings: []finding.Finding{card}, facts: Facts{RelPath: "vault/cards.csv", Mode: 0o644, Modified: recent},
			want: want{kinds: kinds(), risk: finding.SeverityNone,
				accepted: []finding.Accepted{
					{Kind: finding.Unencrypted, Severity: finding.High, Issue: "2 values readable in clear text", Reason: "encrypted volume (p.yaml:3)"},
					{Kind: finding.Unprotected, Severity: finding.High, Issue: "readable by all users (mode 0644)", Reason: "encrypted volume (p.yaml:3)"}}}},
		{name: "stale exception by class", policy: "policy:\n  retention:\n    classes: {credential: 0d}\n  exceptions:\n    - classes: [credential]\n      issues: [stale]\n      reason: service account, rotation planned\n",
			findings: []finding.Finding{passwd, email}, facts: Facts{RelPath: "app.conf", Mode: 0o600, Modified: now},
			want: want{kinds: kinds("unencrypted"), risk: finding.High,
				accepted: []finding.Accepted{{Kind: finding.Stale, Severity: finding.Medium, Issue: "holds credential data, which policy says must not be kept (retention 0 days)", Reason: "service account, rotation planned (p.yaml:5)"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &finding.FileResult{Path: "file.txt", Findings: append([]finding.Finding(nil), tt.findings...)}
			p := pol(t, tt.policy)
			if strings.HasPrefix(tt.name, "--stale-after") {
				p = p.WithDefaultRetention(7*day, "--stale-after")
			}
			Assess(r, tt.facts, Options{Now: now, Policy: p})
			if r.Risk != tt.want.risk {
				t.Errorf("risk = %v, want %v", r.Risk, tt.want.risk)
			}
			var got []finding.IssueKind
			for _, is := range r.Issues {
				got = append(got, is.Kind)
				if want, ok := tt.want.reasons[is.Kind]; ok && is.Reason != want {
					t.Errorf("%s reason = %q\nwant %q", is.Kind, is.Reason, want)
				}
			}
			if !reflect.DeepEqual(got, tt.want.kinds) {
				t.Errorf("issues = %v, want %v", got, tt.want.kinds)
			}
			if !reflect.DeepEqual(r.Accepted, tt.want.accepted) {
				t.Errorf("accepted = %+v\nwant %+v", r.Accepted, tt.want.accepted)
			}
		})
	}
}

func kinds(ks ...string) []finding.IssueKind {
	var out []finding.IssueKind
	for _, k := range ks {
		out = append(out, finding.IssueKind(k))
	}
	return out
}

// A severity override changes the findings, and a result assessed again
// under another policy (a cached one) comes out as a fresh one would.
func TestSeverityOverrideIsIdempotent(t *testing.T) {
	rule := map[string]finding.Severity{"credit_card": finding.High, "email": finding.Low}
	ruleSeverity := func(id string) (finding.Severity, bool) { s, ok := rule[id]; return s, ok }
	strict := pol(t, "policy:\n  severity:\n    detectors: {credit_card: critical}\n")
	r := &finding.FileResult{Path: "a.csv", Findings: []finding.Finding{card, email}}
	facts := Facts{Mode: 0o600, Modified: recent}

	Assess(r, facts, Options{Now: now, Policy: strict, RuleSeverity: ruleSeverity})
	if r.Findings[0].Severity != finding.Critical || r.Findings[1].Severity != finding.Low || r.Risk != finding.Critical {
		t.Fatalf("override: %v %v risk %v", r.Findings[0].Severity, r.Findings[1].Severity, r.Risk)
	}
	Assess(r, facts, Options{Now: now, Policy: strict, RuleSeverity: ruleSeverity})
	if r.Findings[0].Severity != finding.Critical || len(r.Issues) != 1 {
		t.Fatalf("second pass: %+v", r)
	}
	// Back under the built-in policy: the rule's severity again.
	Assess(r, facts, Options{Now: now, RuleSeverity: ruleSeverity})
	if r.Findings[0].Severity != finding.High || r.Risk != finding.High {
		t.Fatalf("cached result kept the old override: %v risk %v", r.Findings[0].Severity, r.Risk)
	}
}

func TestNoFindingsNoIssues(t *testing.T) {
	r := &finding.FileResult{Path: "a", Issues: []finding.Issue{{Kind: finding.Stale}}, Accepted: []finding.Accepted{{}}, Risk: finding.High}
	Assess(r, Facts{Mode: 0o777, Modified: old}, Options{Now: now})
	if r.Issues != nil || r.Accepted != nil || r.Risk != finding.SeverityNone {
		t.Errorf("%+v", r)
	}
}

func TestZeroNowSkipsAge(t *testing.T) {
	r := &finding.FileResult{Path: "a", Findings: []finding.Finding{email}}
	Assess(r, Facts{Mode: 0o600, Modified: old}, Options{})
	if len(r.Issues) != 1 || r.Issues[0].Kind != finding.Unencrypted {
		t.Errorf("issues = %+v", r.Issues)
	}
}

func TestStatFacts(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "a.txt")
	if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	mtime, atime := now.Add(-30*day), now.Add(-3*day)
	if err := os.Chtimes(p, atime, mtime); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, 0o640); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Lstat(p)
	if err != nil {
		t.Fatal(err)
	}
	f := StatFacts("x/a.txt", fi)
	if f.RelPath != "x/a.txt" || f.Mode != 0o640 || !f.Modified.Equal(mtime) {
		t.Errorf("facts = %+v", f)
	}
	if f.OwnerKnown {
		if f.UID != os.Getuid() || !f.Atime.Equal(atime) {
			t.Errorf("uid %d (want %d), atime %v (want %v)", f.UID, os.Getuid(), f.Atime, atime)
		}
	}
	if got := StatFacts("y", nil); got.RelPath != "y" || got.OwnerKnown || !got.Modified.IsZero() {
		t.Errorf("nil info: %+v", got)
	}
	r := &finding.FileResult{Path: "z", Mode: 0o644, Modified: mtime}
	if got := FactsOf(r); got.RelPath != "z" || got.Mode != 0o644 || !got.Modified.Equal(mtime) || got.OwnerKnown {
		t.Errorf("FactsOf: %+v", got)
	}
}

// TestOpenWorkbook: a workbook that opens without a password says so in
// its unencrypted issue; other files keep the plain wording.
func TestOpenWorkbook(t *testing.T) {
	for _, tt := range []struct{ typ, want string }{
		{"xlsx", "workbook opens without a password: 1 value readable by anyone who opens it (sheet protection, if any, does not hide them)"},
		{"xls", "workbook opens without a password: 1 value readable by anyone who opens it (sheet protection, if any, does not hide them)"},
		{"ods", "workbook opens without a password: 1 value readable by anyone who opens it (sheet protection, if any, does not hide them)"},
		{"csv", "1 value readable in clear text"},
	} {
		r := finding.FileResult{Path: "customers." + tt.typ, Type: tt.typ, Status: finding.Scanned,
			Findings: []finding.Finding{{Detector: "email", Category: finding.Contact, Severity: finding.Medium, Count: 1}}}
		Assess(&r, Facts{Mode: 0o600, Modified: time.Now()}, Options{Now: time.Now()})
		if len(r.Issues) == 0 || r.Issues[0].Kind != finding.Unencrypted || r.Issues[0].Reason != tt.want {
			t.Errorf("%s: issues %+v, want unencrypted %q", tt.typ, r.Issues, tt.want)
		}
	}
}
