package detect

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/datahygiene/datahygiene/pkg/extract"
	"github.com/datahygiene/datahygiene/pkg/finding"
)

// TestMergeEqualsWhole: a file scanned in parts and merged in order has
// exactly the findings of the file scanned whole, caps included.
func TestMergeEqualsWhole(t *testing.T) {
	rs := builtin(t)
	lines := equivCorpus(7, 6000)
	for _, opts := range []Options{{}, {ShowValues: true, MaxLocations: 5, MaxSamples: 2}} {
		e := New(rs, opts)
		whole := e.NewFile()
		var text bytes.Buffer
		for _, l := range lines {
			text.WriteString(l + "\n")
		}
		if err := whole.Add(&extract.Chunk{Kind: extract.Lines, Data: text.Bytes(), Loc: finding.Location{Line: 1}}); err != nil {
			t.Fatal(err)
		}
		for _, size := range []int{1, 7, 500, 5999} {
			merged := e.NewFile()
			for start := 0; start < len(lines); start += size {
				end := min(start+size, len(lines))
				var part bytes.Buffer
				for _, l := range lines[start:end] {
					part.WriteString(l + "\n")
				}
				p := e.NewFile()
				if err := p.Add(&extract.Chunk{Kind: extract.Lines, Data: part.Bytes(), Loc: finding.Location{Line: start + 1}}); err != nil {
					t.Fatal(err)
				}
				merged.Merge(p)
			}
			if got, want := merged.Findings(), whole.Findings(); !reflect.DeepEqual(got, want) {
				t.Errorf("opts %+v, parts of %d lines: merged findings differ\n got %+v\nwant %+v", opts, size, got, want)
			}
		}
	}
}
