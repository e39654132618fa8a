package mail

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/datahygiene/datahygiene/pkg/extract"
)

// got is one Part as a test sees it.
type got struct {
	Name string
	Text bool
	Data string
	Size int64
	Err  string // Part.Err or the error R returned
}

// walkBytes walks data in format f and collects every Part, reading each
// to its end.
func walkBytes(t testing.TB, data []byte, f Format, lim Limits) ([]got, error) {
	t.Helper()
	in := extract.Input{Name: "test", R: bytes.NewReader(data), Size: int64(len(data))}
	var parts []got
	err := Walk(context.Background(), in, f, lim, func(p *Part) error {
		g := got{Name: p.Name, Text: p.Text, Size: p.Size}
		b, rerr := io.ReadAll(p.R)
		g.Data = string(b)
		if p.Err != nil {
			g.Err = p.Err.Error()
		} else if rerr != nil {
			g.Err = rerr.Error()
		}
		parts = append(parts, g)
		return nil
	})
	return parts, err
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
