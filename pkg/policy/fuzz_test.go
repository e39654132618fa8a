package policy

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"testing"
)

// FuzzLoad feeds arbitrary bytes to Load as a config file's policy
// section: the config file at the root of a share is written by whoever
// can write to the share. Load must not panic, must fail only with an
// *Error naming the file and a line, must keep control characters out of
// its messages, and what it accepts must survive Write and Load unchanged.
func FuzzLoad(f *testing.F) {
	f.Add([]byte(teamPolicy))
	f.Add(BuiltinSource().Data)
	f.Add([]byte("policy:\n  retention: {default: 0d, classes: {contact: ~}}\n  exceptions: [{issues: [stale], reason: x}]\n"))
	f.Add([]byte("a: &x [1]\npolicy: {unprotected: {locations: *x}}\n"))
	f.Add([]byte("policy:\n  unprotected:\n    locations: ['**/[a-', \"\\e[1m\"]\n"))
	f.Add([]byte("policy:\n  risk: {stale: 0x2}\n  severity: {detectors: {email: \xff}}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 64<<10 {
			return
		}
		p, err := Load(Options{Known: known}, Source{Name: "fuzz.yaml", Data: data})
		if err != nil {
			var pe *Error
			if !errors.As(err, &pe) || pe.File != "fuzz.yaml" || pe.Line < 1 {
				t.Fatalf("error %q (%T) does not name the file and a line", err, err)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "fuzz.yaml:"+strconv.Itoa(pe.Line)+": ") {
				t.Fatalf("message %q does not start with file:line", msg)
			}
			if i := strings.IndexFunc(msg, func(r rune) bool { return r < 0x20 || r == 0x7f }); i >= 0 {
				t.Fatalf("message %q holds a control character", msg)
			}
			if p != nil {
				t.Fatal("a policy came back with an error")
			}
			return
		}
		var b bytes.Buffer
		if err := p.Write(&b, true); err != nil {
			t.Fatal(err)
		}
		again, err := Load(Options{Known: known}, Source{Name: "shown.yaml", Data: b.Bytes(), Standalone: true})
		if err != nil {
			t.Fatalf("Write's output does not load: %v\n%s", err, b.String())
		}
		var b2 bytes.Buffer
		if err := again.Write(&b2, true); err != nil {
			t.Fatal(err)
		}
		if stripOrigins(b.String()) != stripOrigins(b2.String()) {
			t.Fatalf("round trip changed the policy:\n%s\nthen:\n%s", b.String(), b2.String())
		}
		// Lookups on what was loaded stay in bounds.
		for _, id := range known {
			p.RetentionFor(id, "contact")
			p.SeverityFor(id, "financial")
			p.Prohibits(id, "credential")
		}
		for i := range p.Exceptions {
			p.Exceptions[i].Accepts("a/b!c/d", "stale", nil)
		}
		p.Unprotected.Locations.Value.Match("Public/x/y")
	})
}
