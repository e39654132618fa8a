package archive_test

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/datahygiene/datahygiene/pkg/extract"
	"github.com/datahygiene/datahygiene/pkg/extract/archive"
)

// This is how pkg/scan recurses: one Budget per top-level archive, Nested()
// for each level down, OUTER!INNER names, and every non-archive entry read
// like a file on disk (here just counted). Limit and encryption errors
// become a result of their own and the walk goes on.
func ExampleWalk() {
	var gzipped bytes.Buffer
	gw := gzip.NewWriter(&gzipped)
	io.WriteString(gw, "name,email\nAlice Example,alice@example.com\n")
	gw.Close()
	var zipped bytes.Buffer
	zw := zip.NewWriter(&zipped)
	w, _ := zw.Create("exports/people.csv.gz")
	w.Write(gzipped.Bytes())
	w, _ = zw.Create("../readme.txt")
	io.WriteString(w, "no customer data here\n")
	zw.Close()

	in := extract.Input{Name: "share/backup.zip", R: bytes.NewReader(zipped.Bytes()), Size: int64(zipped.Len())}
	b := archive.NewBudget(archive.DefaultLimits())
	err := walk(context.Background(), in, archive.Detect(in.Name, zipped.Bytes()), b)
	fmt.Println("walk:", err, "- bytes decompressed:", b.Used())
	// Output:
	// share/backup.zip!exports/people.csv.gz!people.csv: scanned, 43 bytes
	// share/backup.zip!readme.txt: scanned, 22 bytes
	// walk: <nil> - bytes decompressed: 126
}

func walk(ctx context.Context, in extract.Input, f archive.Format, b *archive.Budget) error {
	return archive.Walk(ctx, in, f, b, func(e *archive.Entry) error {
		path := in.Name + "!" + e.Name
		if e.Encrypted {
			fmt.Printf("%s: encrypted\n", path)
			return nil
		}
		// Sniff the head, as the scan does for files on disk.
		head := make([]byte, 8<<10)
		n, err := io.ReadFull(e.R, head)
		if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
			fmt.Printf("%s: %s\n", path, outcome(err))
			return nil
		}
		r := io.MultiReader(bytes.NewReader(head[:n]), e.R)
		if inner := archive.Detect(e.Name, head[:n]); inner != archive.Unknown {
			err := walk(ctx, extract.Input{Name: path, R: r, Size: e.Size}, inner, b.Nested())
			if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
				return err
			}
			if err != nil {
				fmt.Printf("%s: %s\n", path, outcome(err))
			}
			return nil
		}
		// The scan would run its extractor and detectors on r here.
		size, err := io.Copy(io.Discard, r)
		if err != nil {
			fmt.Printf("%s: %s\n", path, outcome(err))
			return nil
		}
		fmt.Printf("%s: scanned, %d bytes\n", path, size)
		return nil
	})
}

// outcome maps an error to the result status the scan reports.
func outcome(err error) string {
	switch {
	case errors.Is(err, archive.ErrEncrypted):
		return "encrypted"
	case errors.Is(err, archive.ErrLimit):
		return "skipped (" + err.Error() + ")"
	case errors.Is(err, extract.ErrCorrupt):
		return "error (" + err.Error() + ")"
	}
	return "error (" + err.Error() + ")"
}
