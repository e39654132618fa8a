package detect

import (
	"fmt"
	"strings"
	"testing"

	"github.com/datahygiene/datahygiene/pkg/extract"
	"github.com/datahygiene/datahygiene/pkg/finding"
	"github.com/datahygiene/datahygiene/pkg/ruleset"
)

func builtin(t testing.TB) *ruleset.Ruleset {
	t.Helper()
	rs, err := ruleset.Load()
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

// TestBuiltinExamples runs every built-in rule's match / no_match examples.
func TestBuiltinExamples(t *testing.T) {
	rs := builtin(t)
	for _, f := range CheckExamples(rs, rs.All()) {
		t.Error(f)
	}
}

// scanText runs the engine over text as one Lines chunk and returns
// "detector@line:masked" strings in order.
func scanText(t *testing.T, e *Engine, text string) []string {
	t.Helper()
	f := e.NewFile()
	if err := f.Add(&extract.Chunk{Kind: extract.Lines, Data: []byte(text), Loc: finding.Location{Line: 1}}); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, fd := range f.Findings() {
		for i, l := range fd.Locations {
			s := fmt.Sprintf("%s@%d", fd.Detector, l.Line)
			if i < len(fd.Samples) {
				s += ":" + fd.Samples[i]
			}
			out = append(out, s)
		}
	}
	return out
}

func TestLinesAndMasking(t *testing.T) {
	e := New(builtin(t), Options{})
	text := "Meeting notes\r\n" +
		"Ana's card 4539 1488 0343 6467 expires soon\n" +
		"\n" +
		"write to ana.silva@mail.example.org or call +44 20 7946 0321\n" +
		"SSN on file: 536-90-4399\n"
	got := scanText(t, e, text)
	want := []string{
		"credit_card@2:4539 **** **** 6467",
		"us_ssn@5:***-**-4399",
		"email@4:a***@mail.example.org",
		"phone@4:+** ** **** **21",
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got  %v\nwant %v", got, want)
	}
	for _, s := range got {
		for _, raw := range []string{"4539 1488 0343 6467", "ana.silva", "7946 0321", "536-90"} {
			if strings.Contains(s, raw) {
				t.Errorf("raw value %q leaked in %q", raw, s)
			}
		}
	}
}

func TestShowValues(t *testing.T) {
	e := New(builtin(t), Options{ShowValues: true})
	f := e.NewFile()
	_ = f.Add(&extract.Chunk{Kind: extract.Lines, Data: []byte("a 4539 1488 0343 6467\nb 4539 1488 0343 6467\n"), Loc: finding.Location{Line: 10}})
	fs := f.Findings()
	if len(fs) != 1 || fs[0].Count != 2 || len(fs[0].Values) != 1 || fs[0].Values[0] != "4539 1488 0343 6467" {
		t.Fatalf("findings = %+v", fs)
	}
	if fs[0].Locations[0].Line != 10 || fs[0].Locations[1].Line != 11 {
		t.Errorf("locations = %v", fs[0].Locations)
	}
	if New(builtin(t), Options{}).NewFile().Findings() != nil {
		t.Error("empty file has findings")
	}
}

func TestCells(t *testing.T) {
	e := New(builtin(t), Options{})
	cells := []struct {
		header, data string
	}{
		{"Phone", "020 7946 0321"},     // national format: the column is the context
		{"Notes", "020 7946 0321"},     // no context: not a phone
		{"Password", "Winter2024!"},    // a password column: the whole cell
		{"Password", "changeme?"},      // any non-placeholder value
		{"Password", "********"},       // placeholder
		{"Shipping", "1234"},           // "pin" must not match inside "shipping"
		{"BSN", "111222333"},           // 11-proof with column context
		{"Order", "111222333"},         // same digits, no context
		{"", "maria@mail.example.org"}, // no header
	}
	f := e.NewFile()
	for i, c := range cells {
		loc := finding.Location{Row: i + 2, Column: c.header}
		if err := f.Add(&extract.Chunk{Kind: extract.Cell, Data: []byte(c.data), Header: c.header, Loc: loc}); err != nil {
			t.Fatal(err)
		}
	}
	got := map[string][]int{}
	for _, fd := range f.Findings() {
		for _, l := range fd.Locations {
			got[fd.Detector] = append(got[fd.Detector], l.Row)
		}
		if fd.Detector == "password" && strings.Join(fd.Samples, ",") != "********" {
			t.Errorf("password samples = %v", fd.Samples)
		}
	}
	want := map[string][]int{"phone": {2}, "password": {4, 5}, "nl_bsn": {8}, "email": {10}}
	for _, fd := range f.Findings() {
		// Every finding here but the header-less email came with its column.
		wantConf := "high"
		if fd.Detector == "email" {
			wantConf = "medium"
		}
		if fd.Confidence != wantConf {
			t.Errorf("%s confidence = %q, want %q", fd.Detector, fd.Confidence, wantConf)
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("rows by detector = %v, want %v", got, want)
	}
}

func TestOverlapKeepsLongest(t *testing.T) {
	e := New(builtin(t), Options{})
	// The first twelve digits of a card pass Verhoeff for some cards; the
	// card must win, and nothing else may be reported inside it.
	got := scanText(t, e, "aadhaar card 4539 1488 0343 6467\n")
	if len(got) != 1 || !strings.HasPrefix(got[0], "credit_card@1") {
		t.Errorf("got %v, want only the card", got)
	}
}

// TestLookalikes lists classic false positives: none may produce a finding.
func TestLookalikes(t *testing.T) {
	e := New(builtin(t), Options{})
	lines := []string{
		"order 4539 1488 0343 6468 (fails Luhn)",
		"id 550e8400-e29b-41d4-a716-446655440000",
		"sha1 da39a3ee5e6b4b0d3255bfef95601890afd80709",
		"sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
		"2024-01-15T10:23:45.123Z started",
		"at 2024-01-15 10:23:45 and 15/01/2024 or 01.15.2024",
		"epoch 1705314225 and 1705314225123",
		"ISBN 978-3-16-148410-0 and 9783161484100",
		"EAN 4006381333931",
		"release v1.2.3 and version 2.14.0.1 and 10.0.19045.3803",
		"price €1,299.00 or $4,539.14 or 4539148803436.46",
		"coords 52.3676, 4.9041 and -33.8688,151.2093",
		"<img src=\"logo@2x.png\"> and icon@3x.webp",
		"user@localhost and root@localhost",
		"ORD-2024-555-0199 and INV 0044 1234 5678 90",
		"tracking 1Z999AA10123456784",
		"mac 00:1A:2B:3C:4D:5E at 10:23:45",
		"127.0.0.1 0.0.0.0 255.255.255.255",
		"serial 000-12-3456 and 666-12-3456",
		"password: ",
		"password=${DB_PASSWORD}",
	}
	for _, l := range lines {
		if got := scanText(t, e, l); len(got) > 0 {
			t.Errorf("%q: unexpected %v", l, got)
		}
	}
}

func TestMaxLocations(t *testing.T) {
	e := New(builtin(t), Options{MaxLocations: 3, MaxSamples: 2})
	f := e.NewFile()
	var b strings.Builder
	for i := 0; i < 10; i++ {
		fmt.Fprintf(&b, "mail %c.person@mail.example.org\n", 'a'+i)
	}
	_ = f.Add(&extract.Chunk{Kind: extract.Lines, Data: []byte(b.String()), Loc: finding.Location{Line: 1}})
	fs := f.Findings()
	if len(fs) != 1 || fs[0].Count != 10 || len(fs[0].Locations) != 3 || fs[0].LocationsOmitted != 7 || len(fs[0].Samples) != 2 {
		t.Fatalf("got %+v", fs)
	}
}
