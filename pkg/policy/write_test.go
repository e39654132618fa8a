package policy

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/datahygiene/datahygiene/pkg/finding"
)

const teamPolicy = `policy:
  retention:
    clock: atime
    classes:
      credential: 0d
      contact: 2y
    detectors:
      credit_card: 90d
      ip_address: unlimited
  unprotected:
    mode_bits: [other-read, other-write, group-read, group-write]
    owners:
      deny: [nobody, "33"]
    locations: ['**/Public/**', 'www/', 'a,b']
  prohibited:
    classes: [government_id]
    severity: critical
  severity:
    classes: {financial: high}
    detectors: {credit_card: critical}
  risk:
    prohibited: 2
  exceptions:
    - paths: [Archive/legal-hold/**]
      issues: [stale]
      reason: 'legal hold until 2027: ticket #123'
    - detectors: [email]
      classes: [network]
      reason: "yes"
`

func TestWrite(t *testing.T) {
	p := load(t, src("team.yaml", teamPolicy))
	p = p.WithDefaultRetention(400*day, "--stale-after (command line)")
	var b bytes.Buffer
	if err := p.Write(&b, true); err != nil {
		t.Fatal(err)
	}
	want := `# datahygiene data policy: the built-in policy, then the policy: sections of
# config files, --rules files and --policy, a later one winning per key.
# Sources read:
#   builtin:policy.yaml
#   team.yaml
policy:
  retention:
    clock: atime  # from team.yaml:3
    default: 400d  # from --stale-after (command line)
    classes:
      contact: 2y  # from team.yaml:6
      credential: 0d  # from team.yaml:5
    detectors:
      credit_card: 90d  # from team.yaml:8
      ip_address: unlimited  # from team.yaml:9
  unprotected:
    mode_bits: [other-read, other-write, group-read, group-write]  # from team.yaml:11
    acl_readers: true  # from builtin:policy.yaml:44
    owners:
      deny: [nobody, "33"]  # from team.yaml:13
      allow: []  # from builtin:policy.yaml:49
    world_writable_dir: true  # from builtin:policy.yaml:52
    locations: ['**/Public/**', www/, 'a,b']  # from team.yaml:14
  prohibited:
    classes: [government_id]  # from team.yaml:16
    detectors: []  # from builtin:policy.yaml:61
    severity: critical  # from team.yaml:17
  severity:
    classes:
      financial: high  # from team.yaml:19
    detectors:
      credit_card: critical  # from team.yaml:20
  risk:
    unprotected: 1  # from builtin:policy.yaml:74
    stale: 1  # from builtin:policy.yaml:75
    prohibited: 2  # from team.yaml:22
  exceptions:
    # from team.yaml:24
    - paths: [Archive/legal-hold/**]
      issues: [stale]
      reason: 'legal hold until 2027: ticket #123'
    # from team.yaml:27
    - detectors: [email]
      classes: [network]
      reason: yes
`
	if got := b.String(); got != want {
		t.Errorf("Write:\n%s\nwant:\n%s", got, want)
	}

	// What Write prints loads back as the same policy.
	again := load(t, src("shown.yaml", b.String()))
	var b2 bytes.Buffer
	if err := again.Write(&b2, true); err != nil {
		t.Fatal(err)
	}
	if stripOrigins(b2.String()) != stripOrigins(b.String()) {
		t.Errorf("round trip changed the policy:\n%s\nthen:\n%s", b.String(), b2.String())
	}
	if again.Retention.Classes[finding.Credential].Value.D != 0 || again.Exceptions[1].Reason != "yes" {
		t.Error("round trip lost values")
	}
}

var originRE = regexp.MustCompile(`(?m)  # from .*$|^ *# from .*\n|^#.*\n`)

func stripOrigins(s string) string { return originRE.ReplaceAllString(s, "") }

// The full example in docs/policy.md and the README's are valid policies
// for the built-in detectors.
func TestDocsExample(t *testing.T) {
	for _, doc := range []struct{ file, re string }{
		{filepath.Join("..", "..", "docs", "policy.md"), "(?s)<!-- example -->\n```yaml\n(.*?)```"},
		{filepath.Join("..", "..", "README.md"), "(?s)### Policy\n.*?```yaml\n(.*?)```"},
	} {
		b, err := os.ReadFile(doc.file)
		if err != nil {
			t.Fatal(err)
		}
		m := regexp.MustCompile(doc.re).FindSubmatch(b)
		if m == nil {
			t.Fatalf("%s has no policy example", doc.file)
		}
		p, err := Load(Options{Known: []string{"email", "phone", "credit_card", "iban", "password", "us_ssn", "uk_nino", "ip_address"}},
			Source{Name: doc.file, Data: m[1], Standalone: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Exceptions) == 0 || len(p.Retention.Classes) == 0 {
			t.Errorf("%s: the example should show exceptions and per-class retention", doc.file)
		}
	}
}

// The built-in policy.yaml shows what Write prints for it, comments apart.
func TestBuiltinRoundTrip(t *testing.T) {
	var b bytes.Buffer
	if err := Builtin().Write(&b, false); err != nil {
		t.Fatal(err)
	}
	p := load(t, Source{Name: "shown.yaml", Data: b.Bytes(), Standalone: true})
	var b2 bytes.Buffer
	if err := p.Write(&b2, false); err != nil {
		t.Fatal(err)
	}
	if b.String() != b2.String() {
		t.Errorf("%s\nthen\n%s", b.String(), b2.String())
	}
}
