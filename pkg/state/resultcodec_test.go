package state

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/datahygiene/datahygiene/pkg/finding"
)

// genResults builds varied results, nil and empty slices included.
func genResults(rng *rand.Rand) []storedResult {
	str := func() string {
		return []string{"", "a", "Sales/customers (copy).csv", "ü€\x00\n", "<b>&", fmt.Sprint(rng.IntN(1e6))}[rng.IntN(6)]
	}
	strs := func() []string {
		switch rng.IntN(3) {
		case 0:
			return nil
		case 1:
			return []string{}
		}
		return []string{str(), str()}
	}
	var out []storedResult
	for range rng.IntN(4) + 1 {
		r := finding.FileResult{Path: str(), Type: str(), Size: rng.Int64N(1 << 40), ContentID: str(),
			Modified: time.Unix(rng.Int64N(2e9), rng.Int64N(1e9)).UTC(), Mode: finding.Mode(rng.IntN(0o777)),
			Status: finding.Status(str()), Reason: str(), Risk: finding.Severity(rng.IntN(5)), Warnings: strs()}
		if rng.IntN(3) > 0 {
			r.Findings = []finding.Finding{}
			for range rng.IntN(3) {
				f := finding.Finding{Detector: str(), Name: str(), Category: finding.Category(str()),
					Severity: finding.Severity(rng.IntN(5)), Confidence: str(), Count: rng.IntN(1000),
					LocationsOmitted: rng.IntN(5), Samples: strs(), Values: strs()}
				if rng.IntN(3) > 0 {
					f.Locations = []finding.Location{}
					for range rng.IntN(3) {
						f.Locations = append(f.Locations, finding.Location{Part: str(), Line: rng.IntN(1e6), Row: rng.IntN(9),
							Column: str(), Sheet: str(), Cell: str(), Fingerprint: str()})
					}
				}
				r.Findings = append(r.Findings, f)
			}
		}
		if rng.IntN(2) == 0 {
			r.Issues = []finding.Issue{{Kind: finding.Stale, Severity: finding.Low, Reason: str()}}
		} else if rng.IntN(2) == 0 {
			r.Issues = []finding.Issue{}
		}
		if rng.IntN(3) == 0 {
			r.Accepted = []finding.Accepted{{Kind: finding.Stale, Severity: finding.Low, Issue: str(), Reason: str()}}
		}
		if rng.IntN(3) == 0 {
			r.Suppressed = []finding.Suppression{{Detector: str(), Count: rng.IntN(9), Reason: str()}}
		}
		out = append(out, storedResult{FileResult: r, BytesRead: rng.Int64N(1 << 30)})
	}
	return out
}

// TestResultCodecEqualsJSON: the binary form gives back what the JSON
// form gave back, nil and empty slices included, byte for byte once
// encoded as JSON again (so report blobs hash the same).
func TestResultCodecEqualsJSON(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 2000 {
		in := genResults(rng)
		j, err := json.Marshal(in)
		if err != nil {
			t.Fatal(err)
		}
		var viaJSON []storedResult
		if err := json.Unmarshal(j, &viaJSON); err != nil {
			t.Fatal(err)
		}
		viaBinary, err := decodeResults(encodeResults(in))
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		a, _ := json.Marshal(viaJSON)
		b, _ := json.Marshal(viaBinary)
		if string(a) != string(b) {
			t.Fatalf("case %d differs:\njson   %s\nbinary %s", i, a, b)
		}
		for k := range in {
			if !viaBinary[k].Modified.Equal(in[k].Modified) || viaBinary[k].BytesRead != in[k].BytesRead {
				t.Fatalf("case %d: time or bytes differ", i)
			}
		}
	}
}

func FuzzDecodeResults(f *testing.F) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 5 {
		f.Add(encodeResults(genResults(rng)))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		out, err := decodeResults(b)
		if err != nil {
			return
		}
		again, err := decodeResults(encodeResults(out))
		if err != nil || len(again) != len(out) {
			t.Fatalf("re-encoded results do not decode: %v", err)
		}
	})
}

func BenchmarkDecodeResults(b *testing.B) {
	rng := rand.New(rand.NewPCG(5, 6))
	var rows [][]byte
	var jrows [][]byte
	for range 1000 {
		r := genResults(rng)
		rows = append(rows, encodeResults(r))
		j, _ := json.Marshal(r)
		jrows = append(jrows, j)
	}
	b.Run("binary", func(b *testing.B) {
		for b.Loop() {
			for _, r := range rows {
				if _, err := decodeResults(r); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("json", func(b *testing.B) {
		for b.Loop() {
			for _, r := range jrows {
				var out []storedResult
				if err := json.Unmarshal(r, &out); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}

// TestBlobCodec: a blob gives back the result as the report shows it (no
// values, content ID or byte count), whether stored in the binary form or
// in the JSON of earlier versions; equal results hash the same.
func TestBlobCodec(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range 500 {
		in := genResults(rng)[0].FileResult
		in.ContentID, in.Bytes = "c0ffee", 42
		b, err := encodeBlob(&in)
		if err != nil {
			t.Fatal(err)
		}
		got, err := decodeBlob(b.data)
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		if got.ContentID != "" || got.Bytes != 0 {
			t.Fatalf("case %d: blob keeps content ID %q or bytes %d", i, got.ContentID, got.Bytes)
		}
		want, _ := json.Marshal(stripValues(in))
		have, _ := json.Marshal(got)
		if string(want) != string(have) {
			t.Fatalf("case %d differs:\nwant %s\nhave %s", i, want, have)
		}
		legacy, err := decodeBlob(want)
		if err != nil {
			t.Fatalf("case %d: JSON blob: %v", i, err)
		}
		if again, _ := json.Marshal(legacy); string(again) != string(want) {
			t.Fatalf("case %d: JSON blob read back as %s", i, again)
		}
		b2, _ := encodeBlob(&got)
		if string(b2.hash) != string(b.hash) {
			t.Fatalf("case %d: a blob read back hashes differently", i)
		}
	}
	if _, err := decodeBlob([]byte{resultsBinary, 2}); err == nil {
		t.Fatal("a truncated blob decoded")
	}
}
