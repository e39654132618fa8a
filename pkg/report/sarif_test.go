package report

import (
	"bytes"
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/datahygiene/datahygiene/pkg/finding"
)

func TestSARIFGolden(t *testing.T) {
	t.Parallel()
	golden(t, "report.sarif", render(t, "sarif", Options{}, sampleReport()))
	golden(t, "edge.sarif", render(t, "sarif", Options{}, edgeReport()))
	golden(t, "empty.sarif", render(t, "sarif", Options{}, &Report{}))
}

// sarifSchemaFile is the official SARIF 2.1.0 JSON schema (OASIS
// Standard, errata 01; draft-04, "id"
// https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json),
// the same bytes as Schemata/sarif-schema-2.1.0.json in
// github.com/oasis-tcs/sarif-spec. It was copied unchanged from the Go
// module github.com/securego/gosec/v2 v2.30.0
// (report/sarif/testdata/sarif-schema-2.1.0.json, sha256
// c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e),
// because tests cannot download it. It is a test fixture only.
const sarifSchemaFile = "testdata/sarif-schema-2.1.0.json"

var sarifSchema = sync.OnceValues(func() (*jsonschema.Schema, error) {
	f, err := os.Open(sarifSchemaFile)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	// Check "format" too (uri, uri-reference, date-time): a malformed
	// artifact URI is exactly the mistake a hand-written writer makes.
	c.AssertFormat()
	const url = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	if err := c.AddResource(url, doc); err != nil {
		return nil, err
	}
	return c.Compile(url)
})

// validateSARIF checks out against the official schema.
func validateSARIF(t *testing.T, out []byte) {
	t.Helper()
	sch, err := sarifSchema()
	if err != nil {
		t.Fatalf("loading the SARIF schema: %v", err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("sarif output is not JSON: %v", err)
	}
	if err := sch.Validate(doc); err != nil {
		t.Errorf("sarif output does not validate against the SARIF 2.1.0 schema:\n%v\n%s", err, out)
	}
}

func TestSARIFValidatesAgainstSchema(t *testing.T) {
	t.Parallel()
	for name, r := range map[string]*Report{
		"sample": sampleReport(), "edge": edgeReport(), "empty": {}, "values": withValues(),
	} {
		t.Run(name, func(t *testing.T) {
			validateSARIF(t, render(t, "sarif", Options{}, r))
		})
	}
}

// TestSARIFSchemaCatchesMistakes guards the guard: a schema that accepted
// anything would make the test above worthless.
func TestSARIFSchemaCatchesMistakes(t *testing.T) {
	t.Parallel()
	sch, err := sarifSchema()
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{
		`{"version": "2.1.0"}`,
		`{"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]}`,
		`{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"message": {"text": "m"}, "level": "fatal"}]}]}`,
		`{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"message": {"text": "m"},
			"locations": [{"physicalLocation": {"artifactLocation": {"uri": "a"}, "region": {"startLine": 0}}}]}]}]}`,
		// Only with format assertions on:
		`{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "invocations": [{"executionSuccessful": true, "startTimeUtc": "yesterday"}]}]}`,
	} {
		doc, err := jsonschema.UnmarshalJSON(strings.NewReader(bad))
		if err != nil {
			t.Fatal(err)
		}
		if sch.Validate(doc) == nil {
			t.Errorf("schema accepted %s", bad)
		}
	}
}

// sarifDoc is the subset of the log the tests below read.
type sarifDoc struct {
	Schema string `json:"$schema"`
	Runs   []struct {
		Tool struct {
			Driver struct {
				Name  string `json:"name"`
				Rules []struct {
					ID               string                `json:"id"`
					Name             string                `json:"name"`
					ShortDescription struct{ Text string } `json:"shortDescription"`
					FullDescription  struct{ Text string } `json:"fullDescription"`
					Help             struct{ Text string } `json:"help"`
					Properties       map[string]any        `json:"properties"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Invocations []struct {
			Notifications []struct {
				Level      string
				Descriptor struct{ ID string }
				Message    struct{ Text string }
			} `json:"toolExecutionNotifications"`
		} `json:"invocations"`
		Results []struct {
			RuleID    string `json:"ruleId"`
			RuleIndex int    `json:"ruleIndex"`
			Level     string `json:"level"`
			Message   struct{ Text string }
			Locations []struct {
				PhysicalLocation struct {
					ArtifactLocation struct {
						URI       string `json:"uri"`
						URIBaseID string `json:"uriBaseId"`
					} `json:"artifactLocation"`
					Region *struct {
						StartLine int `json:"startLine"`
					} `json:"region"`
				} `json:"physicalLocation"`
			} `json:"locations"`
			PartialFingerprints map[string]string `json:"partialFingerprints"`
		} `json:"results"`
	} `json:"runs"`
}

func decodeSARIF(t *testing.T, out []byte) sarifDoc {
	t.Helper()
	var doc sarifDoc
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Runs) != 1 {
		t.Fatalf("%d runs, want 1", len(doc.Runs))
	}
	return doc
}

// TestSARIFGitHubRequirements checks what GitHub code scanning needs
// beyond the schema: the $schema, each rule's short and full description
// and help text, and each result's message, ruleId matching ruleIndex, and
// a location with a relative URI and a start line.
func TestSARIFGitHubRequirements(t *testing.T) {
	t.Parallel()
	for name, r := range map[string]*Report{"sample": sampleReport(), "edge": edgeReport()} {
		doc := decodeSARIF(t, render(t, "sarif", Options{}, r))
		if doc.Schema == "" {
			t.Errorf("%s: no $schema", name)
		}
		run := doc.Runs[0]
		rules := run.Tool.Driver.Rules
		for i, rule := range rules {
			if rule.ShortDescription.Text == "" || rule.FullDescription.Text == "" || rule.Help.Text == "" {
				t.Errorf("%s: rule %s lacks a description or help text", name, rule.ID)
			}
			if i > 0 && rules[i-1].ID >= rule.ID {
				t.Errorf("%s: rules not sorted by id: %s before %s", name, rules[i-1].ID, rule.ID)
			}
			s, _ := rule.Properties["security-severity"].(string)
			if v, err := strconv.ParseFloat(s, 64); err != nil || v <= 0 || v > 10 {
				t.Errorf("%s: rule %s: security-severity %q, want a score in (0, 10]", name, rule.ID, s)
			}
		}
		if len(run.Results) == 0 {
			t.Fatalf("%s: no results", name)
		}
		for _, res := range run.Results {
			if res.RuleIndex < 0 || res.RuleIndex >= len(rules) || rules[res.RuleIndex].ID != res.RuleID {
				t.Errorf("%s: result for %s has ruleIndex %d", name, res.RuleID, res.RuleIndex)
			}
			if res.Message.Text == "" || len(res.Locations) != 1 {
				t.Errorf("%s: result %s: empty message or %d locations", name, res.RuleID, len(res.Locations))
				continue
			}
			pl := res.Locations[0].PhysicalLocation
			if pl.ArtifactLocation.URI == "" || strings.HasPrefix(pl.ArtifactLocation.URI, "/") ||
				pl.ArtifactLocation.URIBaseID != "%SRCROOT%" || pl.Region == nil || pl.Region.StartLine < 1 {
				t.Errorf("%s: result %s: location %+v", name, res.RuleID, pl)
			}
		}
	}
}

func TestSARIFContent(t *testing.T) {
	t.Parallel()
	doc := decodeSARIF(t, render(t, "sarif", Options{}, sampleReport()))
	run := doc.Runs[0]
	var ids []string
	for _, rule := range run.Tool.Driver.Rules {
		ids = append(ids, rule.ID)
	}
	want := "credit_card email iban issue/stale issue/unencrypted issue/unprotected national_id phone"
	if got := strings.Join(ids, " "); got != want {
		t.Errorf("rules = %s\nwant    %s", got, want)
	}

	// One result per location (2 + 10 + 3 + 1 + 2 + 2 = 20) and per issue (7).
	if got := len(run.Results); got != 27 {
		t.Errorf("%d results, want 27", got)
	}
	levels := map[string]string{}
	lines := map[string][]int{}
	for _, res := range run.Results {
		levels[res.RuleID] = res.Level
		uri := res.Locations[0].PhysicalLocation.ArtifactLocation.URI
		lines[res.RuleID+" "+uri] = append(lines[res.RuleID+" "+uri], res.Locations[0].PhysicalLocation.Region.StartLine)
	}
	for rule, want := range map[string]string{"credit_card": "error", "iban": "error", "email": "warning", "phone": "note"} {
		if levels[rule] != want {
			t.Errorf("%s: level %q, want %q", rule, levels[rule], want)
		}
	}
	for key, want := range map[string][]int{
		"credit_card finance/cards.csv":       {2, 5, 9},
		"phone notes/todo.txt":                {7, 9},
		"iban hr/staff.xlsx":                  {1}, // a cell has no line
		"issue/unprotected finance/cards.csv": {1}, // about the whole file
		// An archive member keeps its OUTER!INNER path, "!" escaped.
		"email archive/old-exports.zip%21exports/customers.csv": {2, 3},
	} {
		if got := lines[key]; !slicesEqual(got, want) {
			t.Errorf("%s: lines %v, want %v", key, got, want)
		}
	}

	notes := run.Invocations[0].Notifications
	var got []string
	for _, n := range notes {
		got = append(got, n.Level+" "+n.Descriptor.ID)
	}
	if g, w := strings.Join(got, ", "), "warning file/skipped, note file/encrypted, error file/error"; g != w {
		t.Errorf("notifications = %s\nwant            %s", g, w)
	}
}

func slicesEqual(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestSARIFFingerprints(t *testing.T) {
	t.Parallel()
	doc := decodeSARIF(t, render(t, "sarif", Options{}, edgeReport()))
	var fps []string
	for _, res := range doc.Runs[0].Results {
		if fp, ok := res.PartialFingerprints["datahygiene/v1"]; ok {
			fps = append(fps, fp)
		} else if res.RuleID == "email" {
			t.Errorf("email result without its fingerprint")
		}
		if res.RuleID != "email" && res.PartialFingerprints != nil {
			t.Errorf("%s: fingerprints %v, want none (its locations have none)", res.RuleID, res.PartialFingerprints)
		}
	}
	if got := strings.Join(fps, " "); got != "fp-0a1b2c3d4e5f fp-99887766aabb" {
		t.Errorf("fingerprints = %s", got)
	}
}

// TestSARIFEscapesLinksInMessages: SARIF messages turn "[text](n)" into
// links; a file name must not.
func TestSARIFEscapesLinksInMessages(t *testing.T) {
	t.Parallel()
	doc := decodeSARIF(t, render(t, "sarif", Options{}, edgeReport()))
	seen := false
	for _, n := range doc.Runs[0].Invocations[0].Notifications {
		if strings.Contains(strings.ReplaceAll(n.Message.Text, `\[`, ""), "[") {
			t.Errorf("unescaped bracket in %q", n.Message.Text)
		}
		seen = seen || strings.Contains(n.Message.Text, `\x1b`)
	}
	if !seen {
		t.Errorf("control characters in a path were not escaped in notifications")
	}
	for _, res := range doc.Runs[0].Results {
		if strings.Contains(strings.ReplaceAll(res.Message.Text, `\[`, ""), "[") {
			t.Errorf("unescaped bracket in %q", res.Message.Text)
		}
	}
}

func TestSARIFCapsResults(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := (sarifWriter{maxResults: 5}).Write(&b, sampleReport()); err != nil {
		t.Fatal(err)
	}
	validateSARIF(t, b.Bytes())
	doc := decodeSARIF(t, b.Bytes())
	run := doc.Runs[0]
	if len(run.Results) != 5 {
		t.Fatalf("%d results, want 5", len(run.Results))
	}
	// The five most severe: the three card numbers and the critical
	// unencrypted issue, then the first high result in path order.
	var got []string
	for _, res := range run.Results {
		got = append(got, res.RuleID+"@"+res.Locations[0].PhysicalLocation.ArtifactLocation.URI)
	}
	want := "credit_card@finance/cards.csv credit_card@finance/cards.csv credit_card@finance/cards.csv " +
		"issue/unencrypted@finance/cards.csv issue/unprotected@finance/cards.csv"
	if strings.Join(got, " ") != want {
		t.Errorf("kept %s\nwant %s", strings.Join(got, " "), want)
	}
	notes := run.Invocations[0].Notifications
	last := notes[len(notes)-1]
	if last.Descriptor.ID != "report/truncated" || !strings.Contains(last.Message.Text, "22 of 27 results left out") {
		t.Errorf("last notification = %+v", last)
	}
}

func TestPathURI(t *testing.T) {
	t.Parallel()
	tests := []struct{ path, want string }{
		{"a/b.csv", "a/b.csv"},
		{"my docs/q1 #2?.csv", "my%20docs/q1%20%232%3F.csv"},
		{"a:b/c.txt", "./a:b/c.txt"},
		{"zip.zip!in/x.csv", "zip.zip%21in/x.csv"},
		{"caf\u00e9.txt", "caf%C3%A9.txt"},
		{"100%.txt", "100%25.txt"},
	}
	for _, tt := range tests {
		if got := pathURI(tt.path); got != tt.want {
			t.Errorf("pathURI(%q) = %q, want %q", tt.path, got, tt.want)
		}
	}
	for root, want := range map[string]string{"/srv/share": "file:///srv/share/", "/": "file:///", "/a b/": "file:///a%20b/"} {
		if got, ok := rootURI(root); !ok || got != want {
			t.Errorf("rootURI(%q) = %q, %v; want %q", root, got, ok, want)
		}
	}
	if _, ok := rootURI("rel/dir"); ok {
		t.Errorf("rootURI(relative) ok")
	}
}

func TestSARIFLevels(t *testing.T) {
	t.Parallel()
	for sev, want := range map[finding.Severity][2]string{
		finding.Critical: {"error", "9.5"}, finding.High: {"error", "8.0"},
		finding.Medium: {"warning", "5.5"}, finding.Low: {"note", "2.0"},
	} {
		if got := [2]string{sarifLevel(sev), securitySeverity(sev)}; got != want {
			t.Errorf("%s: %v, want %v", sev, got, want)
		}
	}
}
