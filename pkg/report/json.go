package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"time"

	"github.com/datahygiene/datahygiene/pkg/finding"
)

// jsonWriter writes the report as one indented JSON object and a newline.
type jsonWriter struct{}

// filesTail is how the document ends when Files is nil: files is the last
// field, so the array can be spliced in there.
const filesTail = "null\n}\n"

// Write encodes the files in blocks, on as many goroutines as there are
// CPUs, and writes the blocks in order through a buffered writer: a
// report of 20k files is 20 MB of JSON, which took a tenth of an
// unchanged nightly re-scan to encode on one core, and encoding it whole
// into one buffer cost more than the rest of that re-scan. At most a few
// blocks are held at once. The bytes are the same as encoding the
// document at once (TestJSONStreamedEqualsWhole).
func (jsonWriter) Write(w io.Writer, r *Report) error {
	if r == nil {
		return errors.New("json report: no report")
	}
	doc := jsonHeader(r)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	// Paths and reasons are read by people too; "a&b.csv" beats "a\u0026b.csv".
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	head, ok := bytes.CutSuffix(buf.Bytes(), []byte(filesTail))
	if !ok {
		return fmt.Errorf("json report: files is not the last field")
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.Write(head)
	files := sortedFiles(r)
	if len(files) == 0 {
		bw.WriteString("[]\n}\n")
		return bw.Flush()
	}
	bw.WriteByte('[')
	if err := encodeBlocks(bw, files); err != nil {
		return err
	}
	bw.WriteString("\n  ]\n}\n")
	return bw.Flush()
}

// blockFiles is how many files an encoding goroutine takes at a time;
// maxBlockGrow caps the bytes a block reserves up front.
const (
	blockFiles   = 128
	maxBlockGrow = 1 << 20
)

// encodeBlocks writes files as the elements of the document's files
// array, each on its own lines after a comma (none before the first).
func encodeBlocks(w io.Writer, files []*finding.FileResult) error {
	type block struct {
		buf  *bytes.Buffer
		err  error
		done chan struct{}
	}
	n := (len(files) + blockFiles - 1) / blockFiles
	workers := min(runtime.GOMAXPROCS(0), n)
	// The window bounds the blocks encoded but not yet written, and so
	// the buffers in use: a written block's buffer is reused, since fresh
	// memory costs a page fault per page on first touch, which was most
	// of the encoding's time.
	window := make(chan *block, 2*workers)
	free := make(chan *bytes.Buffer, 2*workers+1)
	todo := make(chan int)
	blocks := make([]*block, n)
	for i := range blocks {
		blocks[i] = &block{done: make(chan struct{})}
	}
	stop := make(chan struct{})
	defer close(stop)
	for range workers {
		go func() {
			for i := range todo {
				b := blocks[i]
				select {
				case b.buf = <-free:
					b.buf.Reset()
				default:
					b.buf = new(bytes.Buffer)
				}
				b.err = encodeFiles(b.buf, files[i*blockFiles:min(len(files), (i+1)*blockFiles)], i == 0)
				close(b.done)
			}
		}()
	}
	go func() {
		defer close(todo)
		for i, b := range blocks {
			select {
			case window <- b:
			case <-stop:
				return
			}
			select {
			case todo <- i:
			case <-stop:
				return
			}
		}
	}()
	for range n {
		b := <-window
		<-b.done
		if b.err != nil {
			return b.err
		}
		if _, err := w.Write(b.buf.Bytes()); err != nil {
			return err
		}
		select {
		case free <- b.buf:
		default:
		}
		b.buf = nil
	}
	return nil
}

// encodeFiles appends files to buf as array elements, the first one
// without a leading comma when first is set.
func encodeFiles(buf *bytes.Buffer, files []*finding.FileResult, first bool) error {
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("    ", "  ")
	for i, f := range files {
		if i > 0 || !first {
			buf.WriteByte(',')
		}
		buf.WriteString("\n    ")
		start := buf.Len()
		jf := jsonFile(*f)
		if err := enc.Encode(&jf); err != nil {
			return err
		}
		buf.Truncate(buf.Len() - 1) // Encode's newline
		if i == 0 {
			// Size the block once from its first file, within reason: a
			// file with many findings would otherwise size a block of
			// clean ones 127 times too large.
			buf.Grow(min((buf.Len()-start+8)*(len(files)-1), maxBlockGrow))
		}
	}
	return nil
}

// jsonHeader is the report normalised for the JSON contract, without its
// files (Files is nil), so that writing never changes the caller's
// report: times in UTC at whole seconds (RFC 3339 without fractions), maps
// that are empty rather than null. jsonFile normalises each file.
func jsonHeader(r *Report) *Report {
	doc := *r
	doc.Schema = Schema
	doc.StartedAt = jsonTime(r.StartedAt)
	doc.FinishedAt = jsonTime(r.FinishedAt)
	doc.Summary.ByDetector = nonNilMap(r.Summary.ByDetector)
	doc.Summary.ByIssue = nonNilMap(r.Summary.ByIssue)
	doc.Summary.ByRisk = nonNilMap(r.Summary.ByRisk)
	doc.Files = nil
	return &doc
}

// jsonFile normalises one file's result (f is a copy).
func jsonFile(f finding.FileResult) finding.FileResult {
	f.Modified = jsonTime(f.Modified)
	fs := make([]finding.Finding, len(f.Findings))
	for j, fd := range f.Findings {
		fd.Locations = nonNilSlice(fd.Locations)
		fd.Samples = nonNilSlice(fd.Samples)
		fs[j] = fd
	}
	f.Findings = fs
	f.Issues = nonNilSlice(f.Issues)
	return f
}

// jsonTime drops the monotonic reading, the zone and the sub-second part:
// encoding/json then prints plain RFC 3339 ("2025-03-01T08:00:00Z").
func jsonTime(t time.Time) time.Time {
	return t.UTC().Truncate(time.Second)
}

func nonNilMap(m map[string]int) map[string]int {
	if m == nil {
		return map[string]int{}
	}
	return m
}

func nonNilSlice[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
