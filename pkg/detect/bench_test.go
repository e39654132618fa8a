package detect

import (
	"fmt"
	"strings"
	"testing"

	"github.com/datahygiene/datahygiene/pkg/extract"
	"github.com/datahygiene/datahygiene/pkg/finding"
	"github.com/datahygiene/datahygiene/pkg/synth"
)

// logText is ~4 MB of log lines full of timestamps, UUIDs and IPs, with a
// PII value every ~50 lines: the typical sparse share.
func logText() []byte {
	g := synth.New(3)
	var b strings.Builder
	for i := 0; b.Len() < 4<<20; i++ {
		extra := ""
		if i%50 == 0 {
			first, last := g.Name()
			extra = g.Email(first, last) + " " + g.Card(synth.Spaced)
		}
		fmt.Fprintf(&b, "%s INFO req=%s client=%s path=/api/v2/items/%d took=%dms %s\n", g.Timestamp(), g.UUID(), g.IPv4(), i, i%300, extra)
	}
	return []byte(b.String())
}

func BenchmarkEngineLog(b *testing.B) {
	data := logText()
	e := New(builtin(b), Options{})
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		f := e.NewFile()
		_ = f.Add(&extract.Chunk{Kind: extract.Lines, Data: data, Loc: finding.Location{Line: 1}})
	}
}
