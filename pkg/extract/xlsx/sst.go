package xlsx

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"

	"github.com/datahygiene/datahygiene/pkg/extract/internal/xmlscan"
)

// sharedStrings is the workbook's shared-string table (xl/sharedStrings.xml),
// which cells of type s index. It is read once, streaming, before the
// sheets, and kept as the strings end to end plus one 4-byte offset each:
// excelize's table costs some 100 bytes per string more, and a workbook of
// short distinct strings has millions. Strings beyond spillAfter bytes go
// to a temporary file (in a private directory the caller removes), read
// back with ReadAt and a small cache.
type sharedStrings struct {
	mem  []byte   // the strings, while not spilled
	ends []uint32 // ends[i] is where string i ends; it starts at ends[i-1]

	spillAfter int64
	tmpDir     func() (string, error)
	file       *os.File
	w          *bufio.Writer
	size       int64 // bytes in file

	// err is a failure to read back a spilled string (the file is ours,
	// written a moment before: an I/O error).
	err   error
	cache [sstCacheSize]struct {
		idx int
		s   []byte
	}
}

const (
	// maxSharedStrings caps the number of strings (4 bytes each in
	// memory, 64 MiB at the cap). A table that large is some 200 MB of
	// XML at the least.
	maxSharedStrings = 1 << 24
	// maxStringLen caps one string, and one cell value. Excel holds
	// 32,767 characters in a cell.
	maxStringLen = 4 << 20
	// sstCacheSize is the number of spilled strings kept in memory.
	sstCacheSize = 1024
)

// readSharedStrings reads the table from r (nil: the workbook has none).
func readSharedStrings(r io.Reader, spillAfter int64, tmpDir func() (string, error)) (*sharedStrings, error) {
	t := &sharedStrings{spillAfter: spillAfter, tmpDir: tmpDir}
	for i := range t.cache {
		t.cache[i].idx = -1
	}
	if r == nil {
		return t, nil
	}
	x := newXMLScanner(r, maxStringLen)
	// The root: excelize decodes into a struct whose XMLName requires an
	// sst element in the SpreadsheetML namespace (transitional or strict).
	for {
		k, err := x.Next()
		if err != nil {
			return nil, t.fail(err)
		}
		if k == xmlscan.EOF {
			return t, nil // an empty part: no strings
		}
		if k == xmlscan.Start {
			break
		}
		return nil, t.fail(syntaxError("end tag before the root element"))
	}
	if ok, err := spreadsheetNamespace(x); err != nil || !ok || string(x.Local()) != "sst" {
		return nil, t.fail(syntaxError("shared strings part is not an sst element"))
	}
	// The root's end ends the part, as encoding/xml's Decode stops there.
	var text, runs, decoded []byte
	err := x.eachChild(func(local []byte) error {
		if string(local) != "si" {
			return x.Skip()
		}
		text, runs = text[:0], runs[:0]
		if err := richText(x, &text, &runs); err != nil {
			return err
		}
		text = append(text, runs...)
		decoded = appendBstr(decoded[:0], text)
		return t.add(decoded)
	})
	if err != nil {
		return nil, t.fail(err)
	}
	return t, t.finish()
}

// spreadsheetNamespace reports whether the element whose start tag x just
// read is in the SpreadsheetML main namespace, by its own declarations:
// the root declares what it uses.
func spreadsheetNamespace(x *xmlScanner) (bool, error) {
	want := "xmlns"
	if len(x.Local()) < len(x.Name()) {
		want = "xmlns:" + string(x.Name()[:len(x.Name())-len(x.Local())-1])
	}
	ns, ok, err := x.attrByName(want)
	return ok && (string(ns) == nsSpreadsheet || string(ns) == nsSpreadsheetStrict), err
}

const (
	nsSpreadsheet       = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
	nsSpreadsheetStrict = "http://purl.oclc.org/ooxml/spreadsheetml/main"
)

var errTooManyStrings = fmt.Errorf("%w: more than %d shared strings", ErrTooLarge, maxSharedStrings)

func (t *sharedStrings) add(s []byte) error {
	if len(t.ends) >= maxSharedStrings {
		return errTooManyStrings
	}
	if t.file == nil && int64(len(t.mem)+len(s)) > t.spillAfter {
		if err := t.spill(); err != nil {
			return err
		}
	}
	if t.file != nil {
		if _, err := t.w.Write(s); err != nil {
			return err
		}
		t.size += int64(len(s))
	} else {
		t.mem = append(t.mem, s...)
		t.size = int64(len(t.mem))
	}
	if t.size > 1<<32-1 {
		return fmt.Errorf("%w: shared strings over 4 GiB", ErrTooLarge)
	}
	t.ends = append(t.ends, uint32(t.size))
	return nil
}

// spill moves the strings read so far to a temporary file, where the rest
// will follow.
func (t *sharedStrings) spill() error {
	dir, err := t.tmpDir()
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "sst-")
	if err != nil {
		return err
	}
	t.file, t.w = f, bufio.NewWriterSize(f, 64<<10)
	if _, err := t.w.Write(t.mem); err != nil {
		return err
	}
	t.mem = nil
	return nil
}

func (t *sharedStrings) finish() error {
	if t.w != nil {
		return t.w.Flush()
	}
	return nil
}

// fail closes the table after an error and returns the error.
func (t *sharedStrings) fail(err error) error {
	t.close()
	return err
}

func (t *sharedStrings) close() {
	if t.file != nil {
		t.file.Close()
		os.Remove(t.file.Name())
		t.file = nil
	}
}

// lookup returns the string a cell of type s with value v refers to, as
// excelize's getValueFrom finds it: v is the index, spaces trimmed, and
// anything that is not a number means 0. It reports false for an index
// outside the table, for which excelize returns no value.
func (t *sharedStrings) lookup(v []byte) ([]byte, bool) {
	i, ok := atoi(bytes.TrimSpace(v))
	if !ok {
		i = 0
	}
	if i < 0 || i >= len(t.ends) {
		return nil, false
	}
	start := uint32(0)
	if i > 0 {
		start = t.ends[i-1]
	}
	end := t.ends[i]
	if t.file == nil {
		return t.mem[start:end], true
	}
	c := &t.cache[i%sstCacheSize]
	if c.idx == i {
		return c.s, true
	}
	n := int(end - start)
	if cap(c.s) < n {
		c.s = make([]byte, n)
	}
	c.s = c.s[:n]
	if _, err := t.file.ReadAt(c.s, int64(start)); err != nil {
		c.idx, t.err = -1, err
		return nil, false
	}
	c.idx = i
	return c.s, true
}

// spillDir creates the private temporary directory (0700) for a spilled
// workbook and shared strings on first use and returns it; cleanup removes
// it and all it holds.
type spillDir struct {
	dir string
}

func (d *spillDir) get() (string, error) {
	if d.dir != "" {
		return d.dir, nil
	}
	dir, err := os.MkdirTemp("", "datahygiene-xlsx-")
	if err != nil {
		return "", err
	}
	d.dir = dir
	return dir, nil
}

func (d *spillDir) cleanup() {
	if d.dir != "" {
		os.RemoveAll(d.dir)
	}
}
