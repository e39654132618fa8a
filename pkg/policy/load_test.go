package policy

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/datahygiene/datahygiene/pkg/finding"
)

var known = []string{"email", "phone", "credit_card", "iban", "us_ssn", "password", "ip_address"}

func load(t *testing.T, srcs ...Source) *Policy {
	t.Helper()
	p, err := Load(Options{Known: known}, srcs...)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func src(name, yml string) Source { return Source{Name: name, Data: []byte(yml)} }

func TestBuiltin(t *testing.T) {
	p := Builtin()
	if p.unset() != "" {
		t.Fatalf("built-in policy leaves %s unset", p.unset())
	}
	if got := p.Retention.Default; got.Value.D != 365*day || got.Origin != "builtin:policy.yaml:27" {
		t.Errorf("default retention = %+v", got)
	}
	if p.Retention.Clock.Value != MTime || len(p.Retention.Classes)+len(p.Retention.Detectors) != 0 {
		t.Errorf("retention = %+v", p.Retention)
	}
	if got := p.Unprotected.ModeBits.Value; !slices.Equal(got, []ModeBit{OtherRead, OtherWrite, GroupWrite}) {
		t.Errorf("mode bits = %v", got)
	}
	if !p.Unprotected.ACLReaders.Value || !p.Unprotected.WorldWritableDir.Value || len(p.Unprotected.Locations.Value.Patterns()) != 0 {
		t.Errorf("unprotected = %+v", p.Unprotected)
	}
	if p.Prohibited.Severity.Value != finding.High || len(p.Prohibited.Classes.Value)+len(p.Prohibited.Detectors.Value) != 0 {
		t.Errorf("prohibited = %+v", p.Prohibited)
	}
	for _, k := range weighted {
		if p.Weight(k) != 1 {
			t.Errorf("weight %s = %d", k, p.Weight(k))
		}
	}
	if len(p.Exceptions) != 0 || !slices.Equal(p.Sources, []string{BuiltinName}) {
		t.Errorf("exceptions %v, sources %v", p.Exceptions, p.Sources)
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name, yml, want string
	}{
		{"unknown section", "policy:\n  retension: {}\n", `p.yaml:2: policy: unknown key "retension"; did you mean "retention"? (want retention, unprotected, prohibited, severity, risk, exceptions)`},
		{"unknown nested key", "policy:\n  retention:\n    defualt: 1y\n", `p.yaml:3: policy.retention: unknown key "defualt"; did you mean "default"?`},
		{"section set twice", "policy:\n  risk: {}\n  risk: {}\n", `p.yaml:3: policy: "risk" set twice (first at line 2)`},
		{"policy twice", "policy: {}\npolicy: {}\n", `p.yaml:2: policy: set twice (first at line 1)`},
		{"policy not a mapping", "policy: [a]\n", `p.yaml:1: policy: want a mapping with retention, unprotected`},
		{"bad duration", "policy:\n  retention:\n    default: 10x\n", `p.yaml:3: policy.retention.default: invalid retention "10x" (e.g. 0d, 90d, 12w, 2y or unlimited)`},
		{"negative duration", "policy:\n  retention:\n    default: -1d\n", `p.yaml:3: policy.retention.default: invalid retention "-1d"`},
		{"too long", "policy:\n  retention:\n    default: 200y\n", `p.yaml:3: policy.retention.default: retention "200y" is longer than 100y; write unlimited`},
		{"missing value", "policy:\n  retention:\n    default:\n", `p.yaml:3: policy.retention.default: missing value`},
		{"unknown clock", "policy:\n  retention:\n    clock: ctime\n", `p.yaml:3: policy.retention.clock: unknown clock "ctime" (want mtime or atime)`},
		{"unknown class", "policy:\n  retention:\n    classes:\n      contacts: 2y\n", `p.yaml:4: policy.retention.classes: unknown data class "contacts" (want contact, financial, government_id, credential or network)`},
		{"bad class period", "policy:\n  retention:\n    classes:\n      contact: two years\n", `p.yaml:4: policy.retention.classes.contact: invalid retention "two years"`},
		{"unknown detector", "policy:\n  retention:\n    detectors:\n      credit_crd: 90d\n", `p.yaml:4: policy.retention.detectors: unknown detector "credit_crd"; did you mean "credit_card"? (see datahygiene rules list)`},
		{"unknown mode bit", "policy:\n  unprotected:\n    mode_bits: [other-read, world-read]\n", `p.yaml:3: policy.unprotected.mode_bits: unknown mode bit "world-read"`},
		{"mode bit twice", "policy:\n  unprotected:\n    mode_bits:\n      - group-read\n      - group-read\n", `p.yaml:5: policy.unprotected.mode_bits: group-read listed twice`},
		{"not a bool", "policy:\n  unprotected:\n    acl_readers: yes\n", `p.yaml:3: policy.unprotected.acl_readers: want true or false, not "yes"`},
		{"list wanted", "policy:\n  unprotected:\n    locations: '**/Public/**'\n", `p.yaml:3: policy.unprotected.locations: want a list, e.g. [a, b] (or [] for none)`},
		{"nested list item", "policy:\n  unprotected:\n    locations: [[a]]\n", `p.yaml:3: policy.unprotected.locations: list items must be plain values`},
		{"negated location", "policy:\n  unprotected:\n    locations: ['!Public/']\n", `p.yaml:3: policy.unprotected.locations: "!Public/": negated patterns (!) are not supported`},
		{"malformed location", "policy:\n  unprotected:\n    locations:\n      - 'www/[ab'\n", `p.yaml:4: policy.unprotected.locations: "www/[ab": malformed path pattern`},
		{"empty segment", "policy:\n  unprotected:\n    locations: [a//b]\n", `p.yaml:3: policy.unprotected.locations: "a//b": empty segment`},
		{"comment as location", "policy:\n  unprotected:\n    locations:\n      - www/\n      - '#old'\n", `p.yaml:5: policy.unprotected.locations: "#old": a pattern starting with # is a comment`},
		{"malformed exception path", "policy:\n  exceptions:\n    - paths: [a, '[[:nope:]]']\n      reason: r\n", `p.yaml:3: policy.exceptions[].paths: "[[:nope:]]": malformed path pattern`},
		{"bad owner", "policy:\n  unprotected:\n    owners:\n      deny: [web user]\n", `p.yaml:4: policy.unprotected.owners.deny: "web user" is not a user name or uid`},
		{"unknown owners key", "policy:\n  unprotected:\n    owners:\n      only: [root]\n", `p.yaml:4: policy.unprotected.owners: unknown key "only" (want deny, allow)`},
		{"prohibited class", "policy:\n  prohibited:\n    classes: [national_id]\n", `p.yaml:3: policy.prohibited.classes: unknown data class "national_id"`},
		{"prohibited detector", "policy:\n  prohibited:\n    detectors: [ssn]\n", `p.yaml:3: policy.prohibited.detectors: unknown detector "ssn"`},
		{"prohibited severity", "policy:\n  prohibited:\n    severity: severe\n", `p.yaml:3: policy.prohibited.severity: unknown severity "severe" (want critical, high, medium or low)`},
		{"severity override", "policy:\n  severity:\n    detectors:\n      email: urgent\n", `p.yaml:4: policy.severity.detectors.email: unknown severity "urgent"`},
		{"severity class", "policy:\n  severity:\n    classes:\n      cards: high\n", `p.yaml:4: policy.severity.classes: unknown data class "cards"`},
		{"unencrypted weight", "policy:\n  risk:\n    unencrypted: 1\n", `p.yaml:3: policy.risk: unencrypted takes no weight`},
		{"weight range", "policy:\n  risk:\n    stale: 5\n", `p.yaml:3: policy.risk.stale: want a whole number of severity levels from 0 to 4, not "5"`},
		{"weight not a number", "policy:\n  risk:\n    stale: '1'\n", `p.yaml:3: policy.risk.stale: want a whole number`},
		{"exceptions not a list", "policy:\n  exceptions:\n    paths: [a]\n", `p.yaml:3: policy.exceptions: want a list of exceptions`},
		{"exception without reason", "policy:\n  exceptions:\n    - paths: [Archive/]\n      issues: [stale]\n", `p.yaml:3: policy.exceptions[]: a reason is required`},
		{"exception blank reason", "policy:\n  exceptions:\n    - paths: [Archive/]\n      reason: '  '\n", `p.yaml:3: policy.exceptions[]: a reason is required`},
		{"exception accepting all", "policy:\n  exceptions:\n    - reason: because\n", `p.yaml:3: policy.exceptions[]: set paths, detectors, classes or issues`},
		{"exception issue kind", "policy:\n  exceptions:\n    - issues: [old]\n      reason: r\n", `p.yaml:3: policy.exceptions[].issues: unknown issue kind "old" (want unencrypted, unprotected, stale or prohibited)`},
		{"exception key", "policy:\n  exceptions:\n    - path: [a]\n      reason: r\n", `p.yaml:3: policy.exceptions[]: unknown key "path"; did you mean "paths"?`},
		{"exception detector", "policy:\n  exceptions:\n    - detectors: [mail]\n      reason: r\n", `p.yaml:3: policy.exceptions[].detectors: unknown detector "mail"`},
		{"reason with line break", "policy:\n  exceptions:\n    - issues: [stale]\n      reason: |\n        two\n        lines\n", `p.yaml:4: policy.exceptions[].reason: control characters`},
		{"syntax error", "policy:\n  retention:\n    default: a: b\n", `p.yaml:3: mapping values are not allowed in this context`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Load(Options{Known: known}, src("p.yaml", tt.yml))
			var pe *Error
			if !errors.As(err, &pe) || !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("got %v\nwant %s", err, tt.want)
			}
			if p != nil {
				t.Error("a policy came back with the error")
			}
		})
	}
}

func TestStandalone(t *testing.T) {
	for _, tt := range []struct{ yml, want string }{
		{"", "p.yaml:1: no policy: section"},
		{"# only a comment\n", "p.yaml:1: no policy: section"},
		{"rules: []\n", `p.yaml:1: unknown top-level key "rules": only policy: is read from a policy file`},
		{"policy: {}\nallow: []\n", `p.yaml:2: unknown top-level key "allow"`},
		{"- a\n", "p.yaml:1: want a mapping with policy: at the top level"},
	} {
		_, err := Load(Options{Known: known}, Source{Name: "p.yaml", Data: []byte(tt.yml), Standalone: true})
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%q: got %v, want %s", tt.yml, err, tt.want)
		}
	}
	// The same content in a config or rule file is someone else's to check.
	if _, err := Load(Options{Known: known}, src("c.yaml", "rules: []\nscan: {}\n")); err != nil {
		t.Errorf("config file without policy: %v", err)
	}
	// Aliases cannot blow a small file up into millions of patterns.
	var b strings.Builder
	b.WriteString("x: &p [")
	for i := 0; i < 1000; i++ {
		b.WriteString("'a/**', ")
	}
	b.WriteString("b]\npolicy:\n  exceptions:\n")
	for i := 0; i < 200; i++ {
		b.WriteString("    - {paths: *p, reason: r}\n")
	}
	if _, err := Load(Options{}, src("alias.yaml", b.String())); err == nil || !strings.Contains(err.Error(), "more than 100000 entries") {
		t.Errorf("alias expansion: %v", err)
	}
	big := Source{Name: "big.yaml", Data: make([]byte, MaxFileSize+1)}
	if _, err := Load(Options{}, big); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("oversized source: %v", err)
	}
}

func TestMerge(t *testing.T) {
	cfg := src("cfg.yaml", `scan:
  fail-on: high
policy:
  retention:
    default: 2y
    classes:
      credential: 0d
      contact: 2y
    detectors:
      credit_card: 90d
  unprotected:
    locations: ['**/Public/**']
  severity:
    detectors: {credit_card: critical}
  exceptions:
    - paths: [Archive/legal-hold/**]
      issues: [stale]
      reason: legal hold until 2027
`)
	team := src("team.yaml", `policy:
  retention:
    clock: atime
    classes:
      contact: 1y
      credential: ~
  unprotected:
    locations: ['**/www/**']
  prohibited:
    classes: [government_id]
  risk:
    stale: 0
  exceptions:
    - detectors: [email]
      issues: [unprotected]
      reason: staff directory, shared on purpose
`)
	p := load(t, cfg, team)
	r := p.Retention
	check := func(what string, got, want any) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %v, want %v", what, got, want)
		}
	}
	check("clock", r.Clock, Setting[Clock]{ATime, "team.yaml:3"})
	check("default", r.Default.Value.D, 730*day)
	check("default origin", r.Default.Origin, "cfg.yaml:5")
	check("contact", r.Classes[finding.Contact].Value.D, 365*day)
	check("contact origin", r.Classes[finding.Contact].Origin, "team.yaml:5")
	if _, ok := r.Classes[finding.Credential]; ok {
		t.Error("credential: ~ did not remove the entry")
	}
	check("credit_card", r.Detectors["credit_card"].Value.D, 90*day)
	check("locations", p.Unprotected.Locations.Value.Patterns(), []string{"**/www/**"})
	check("mode bits origin", p.Unprotected.ModeBits.Origin, "builtin:policy.yaml:42")
	check("severity", p.Severity.Detectors["credit_card"], Setting[finding.Severity]{finding.Critical, "cfg.yaml:14"})
	check("prohibited", p.Prohibited.Classes.Value, []finding.Category{finding.GovernmentID})
	check("stale weight", p.Risk[finding.Stale], Setting[int]{0, "team.yaml:12"})
	check("unprotected weight", p.Weight(finding.Unprotected), 1)
	check("sources", p.Sources, []string{BuiltinName, "cfg.yaml", "team.yaml"})
	if len(p.Exceptions) != 2 || p.Exceptions[0].Origin != "cfg.yaml:16" || p.Exceptions[1].Origin != "team.yaml:14" {
		t.Fatalf("exceptions = %+v", p.Exceptions)
	}
	check("exception reason", p.Exceptions[0].Reason, "legal hold until 2027")

	// Lookups: detector beats class beats default.
	per, subj := p.RetentionFor("credit_card", finding.Financial)
	check("card retention", []any{per.D, subj}, []any{90 * day, "credit_card"})
	per, subj = p.RetentionFor("email", finding.Contact)
	check("email retention", []any{per.D, subj}, []any{365 * day, "contact"})
	per, subj = p.RetentionFor("password", finding.Credential)
	check("password retention", []any{per.D, subj}, []any{730 * day, ""})
	if !p.Prohibits("us_ssn", finding.GovernmentID) || p.Prohibits("email", finding.Contact) {
		t.Error("Prohibits")
	}

	// The built-in policy is not changed by a load.
	if Builtin().Retention.Default.Value.D != 365*day || len(Builtin().Exceptions) != 0 {
		t.Error("Load changed the built-in policy")
	}
	d := p.WithDefaultRetention(90*day, "--stale-after (command line)")
	check("override", d.Retention.Default, Setting[Period]{Period{D: 90 * day}, "--stale-after (command line)"})
	check("override keeps classes", d.Retention.Classes[finding.Contact].Value.D, 365*day)
	check("original kept", p.Retention.Default.Value.D, 730*day)
}

func TestOwners(t *testing.T) {
	users := map[string]int{"alice": 1001, "nobody": 65534}
	lookup := func(name string) (int, bool) { uid, ok := users[name]; return uid, ok }
	p, err := Load(Options{LookupUser: lookup}, src("o.yaml", "policy:\n  unprotected:\n    owners:\n      deny: [nobody, 33]\n      allow:\n        - alice\n        - ghost\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := []Owner{{Name: "nobody", UID: 65534}, {UID: 33}}
	if got := p.Unprotected.DenyOwners.Value; !reflect.DeepEqual(got, want) {
		t.Errorf("deny = %+v, want %+v", got, want)
	}
	want = []Owner{{Name: "alice", UID: 1001}, {Name: "ghost", UID: -1}}
	if got := p.Unprotected.AllowOwners.Value; !reflect.DeepEqual(got, want) {
		t.Errorf("allow = %+v, want %+v", got, want)
	}
	if len(p.Warnings) != 1 || !strings.HasPrefix(p.Warnings[0], `o.yaml:7: policy.unprotected.owners.allow: no user "ghost" on this machine`) {
		t.Errorf("warnings = %q", p.Warnings)
	}
}

func TestParsePeriod(t *testing.T) {
	for in, want := range map[string]Period{
		"0d": {}, "90d": {D: 90 * day}, "12w": {D: 84 * day}, "2y": {D: 730 * day}, "36h": {D: 36 * time.Hour},
		"unlimited": {Unlimited: true}, "100y": {D: 36500 * day}, " 7d ": {D: 7 * day},
	} {
		got, err := ParsePeriod(in)
		if err != nil || got.D != want.D || got.Unlimited != want.Unlimited {
			t.Errorf("ParsePeriod(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "d", "1.5d", "-1d", "forever", "101y", "99999999d", "1e3d", "-5h"} {
		if p, err := ParsePeriod(bad); err == nil {
			t.Errorf("ParsePeriod(%q) = %+v, want an error", bad, p)
		}
	}
	for _, tt := range []struct {
		p    Period
		want string
	}{{Period{}, "0d"}, {Period{D: 730 * day}, "2y"}, {Period{D: 84 * day}, "12w"}, {Period{D: 90 * day}, "90d"}, {Period{D: 36 * time.Hour}, "36h0m0s"}, {Period{Unlimited: true}, "unlimited"}} {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.p, got, tt.want)
		}
	}
	if p, _ := ParsePeriod("365d"); p.String() != "365d" {
		t.Errorf("a period keeps its written form: %q", p.String())
	}
}

func TestExceptionAccepts(t *testing.T) {
	p := load(t, src("e.yaml", `policy:
  exceptions:
    - paths: [Archive/legal-hold/**]
      issues: [stale]
      reason: legal hold
    - detectors: [email]
      classes: [network]
      issues: [unprotected]
      reason: shared on purpose
    - paths: [backup.zip]
      reason: offline copy
`))
	email := finding.Finding{Detector: "email", Category: finding.Contact}
	ip := finding.Finding{Detector: "ip_address", Category: finding.Network}
	card := finding.Finding{Detector: "credit_card", Category: finding.Financial}
	tests := []struct {
		name  string
		e     int
		path  string
		kind  finding.IssueKind
		about []finding.Finding
		want  bool
	}{
		{"path and kind", 0, "Archive/legal-hold/2019/a.csv", finding.Stale, []finding.Finding{card}, true},
		{"other kind", 0, "Archive/legal-hold/a.csv", finding.Unprotected, []finding.Finding{card}, false},
		{"other path", 0, "Archive/a.csv", finding.Stale, []finding.Finding{card}, false},
		{"folder itself is not inside", 0, "Archive/legal-hold", finding.Stale, []finding.Finding{card}, false},
		{"covered data", 1, "any/where.txt", finding.Unprotected, []finding.Finding{email, ip}, true},
		{"uncovered data", 1, "any/where.txt", finding.Unprotected, []finding.Finding{email, card}, false},
		{"archive by outer path", 2, "backup.zip!inner/a.csv", finding.Unencrypted, []finding.Finding{card}, true},
		{"archive member path", 2, "x.zip!backup.zip", finding.Stale, []finding.Finding{card}, true},
		{"not the archive", 2, "backup.tar!a.csv", finding.Stale, []finding.Finding{card}, false},
	}
	for _, tt := range tests {
		if got := p.Exceptions[tt.e].Accepts(tt.path, tt.kind, tt.about); got != tt.want {
			t.Errorf("%s: Accepts(%q, %s) = %v, want %v", tt.name, tt.path, tt.kind, got, tt.want)
		}
	}
}
