package archive

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"testing"

	"github.com/datahygiene/datahygiene/pkg/extract"
)

// benchCSV is 20 CSV files of ~500 KB of synthetic rows that compress
// about 3:1, like real exports.
func benchCSV() []tfile {
	rnd := randomBytes(1 << 20)
	var files []tfile
	for i := range 20 {
		var b bytes.Buffer
		for j := 0; b.Len() < 500_000; j++ {
			r := rnd[(i*7919+j*13)%(1<<20-32):]
			fmt.Fprintf(&b, "%d,person%x@example.com,+1 202 555 %04d,%x\n", j, r[:4], int(r[5])*37%10000, r[8:16])
		}
		files = append(files, tfile{name: fmt.Sprintf("%d.csv", i), data: b.String()})
	}
	return files
}

// BenchmarkWalk measures reading every entry through the meters:
// go test -bench Walk ./pkg/extract/archive
func BenchmarkWalk(b *testing.B) {
	files := benchCSV()
	var zfiles []zfile
	for _, f := range files {
		zfiles = append(zfiles, zfile{name: f.name, data: f.data, method: zip.Deflate})
	}
	tarData := makeTar(b, files...)
	archives := []struct {
		name   string
		data   []byte
		format Format
	}{
		{"tar", tarData, Tar},
		{"tar.gz", gz(b, tarData), Gzip},
		{"zip", makeZip(b, zfiles...), Zip},
	}
	for _, a := range archives {
		b.Run(a.name, func(b *testing.B) {
			b.SetBytes(int64(len(tarData))) // uncompressed bytes, about
			for b.Loop() {
				in := extract.Input{Name: "x", R: bytes.NewReader(a.data), Size: int64(len(a.data))}
				err := Walk(context.Background(), in, a.format, NewBudget(Limits{}), func(e *Entry) error {
					_, err := io.Copy(io.Discard, e.R)
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
