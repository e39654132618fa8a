package archive

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/datahygiene/datahygiene/pkg/extract"
)

// Synthetic content only: example.com addresses, reserved 555 numbers.
const peopleCSV = "name,email,phone\nAlice Example,alice@example.com,+1 202 555 0143\nBob Example,bob@example.org,+1 202 555 0178\n"

var fixedTime = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)

// zfile is one entry of a zip built by makeZip.
type zfile struct {
	name   string
	data   string
	method uint16
	mode   uint32 // unix mode bits in the external attributes; 0 = regular 0644
}

func makeZip(t testing.TB, files ...zfile) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		h := &zip.FileHeader{Name: f.name, Method: f.method, Modified: fixedTime}
		if f.mode != 0 {
			h.CreatorVersion = 3 << 8 // unix
			h.ExternalAttrs = f.mode << 16
		} else if !strings.HasSuffix(f.name, "/") {
			h.SetMode(0o644)
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, f.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// tfile is one entry of a tar built by makeTar.
type tfile struct {
	name     string
	data     string
	typeflag byte
	link     string
}

func makeTar(t testing.TB, files ...tfile) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, f := range files {
		typ := f.typeflag
		if typ == 0 {
			typ = tar.TypeReg
		}
		h := &tar.Header{Name: f.name, Typeflag: typ, Linkname: f.link, Mode: 0o644, ModTime: fixedTime, Format: tar.FormatPAX}
		if typ == tar.TypeReg {
			h.Size = int64(len(f.data))
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if typ == tar.TypeReg {
			if _, err := io.WriteString(tw, f.data); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func gz(t testing.TB, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// zeros is a deflate stream of n MiB of zero bytes and its CRC, built
// without compressing n MiB: after one flushed MiB the compressor's window
// is all zeros, so every further flushed MiB compresses to the same bytes,
// which are repeated.
type zeros struct {
	stream []byte
	size   uint64
	crc    uint32
}

var zerosCache sync.Map // MiB count -> *zeros

func zeroStream(t testing.TB, mib int) *zeros {
	t.Helper()
	if z, ok := zerosCache.Load(mib); ok {
		return z.(*zeros)
	}
	block := make([]byte, 1<<20)
	var out bytes.Buffer
	fw, _ := flate.NewWriter(&out, flate.BestCompression)
	chunk := func() []byte {
		out.Reset()
		fw.Write(block)
		fw.Flush()
		return bytes.Clone(out.Bytes())
	}
	first, steady, again := chunk(), chunk(), chunk()
	if !bytes.Equal(steady, again) {
		t.Fatal("flate output for a MiB of zeros is not steady")
	}
	out.Reset()
	fw.Close()
	tail := bytes.Clone(out.Bytes())
	stream := append([]byte{}, first...)
	crc := crc32.Update(0, crc32.IEEETable, block)
	for i := 1; i < mib; i++ {
		stream = append(stream, steady...)
		crc = crc32.Update(crc, crc32.IEEETable, block)
	}
	stream = append(stream, tail...)
	z := &zeros{stream: stream, size: uint64(mib) << 20, crc: crc}
	zerosCache.Store(mib, z)
	return z
}

// rawEntry is a zip entry added with its compressed bytes as they are.
type rawEntry struct {
	name   string
	method uint16
	data   []byte // compressed
	size   uint64 // declared uncompressed size
	crc    uint32
}

func makeRawZip(t testing.TB, entries ...rawEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	for _, e := range entries {
		buf.Grow(len(e.data) + 200)
	}
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: e.method, CRC32: e.crc,
			CompressedSize64: uint64(len(e.data)), UncompressedSize64: e.size, Modified: fixedTime}
		h.SetMode(0o644)
		w, err := zw.CreateRaw(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(e.data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// deflated returns data compressed once, as a raw zip entry.
func deflated(t testing.TB, name string, data []byte) rawEntry {
	t.Helper()
	var out bytes.Buffer
	fw, _ := flate.NewWriter(&out, flate.BestCompression)
	fw.Write(data)
	fw.Close()
	return rawEntry{name: name, method: zip.Deflate, data: out.Bytes(), size: uint64(len(data)), crc: crc32.ChecksumIEEE(data)}
}

// result is what walkAll and scanLike report for one entry.
type result struct {
	path   string
	status string // "scanned", "encrypted", "skipped: <message>", "error: <message>"
	bytes  int64
	data   string // content, for small text entries
}

func (r result) String() string {
	s := fmt.Sprintf("%s\t%s\t%d", r.path, r.status, r.bytes)
	if r.data != "" {
		s += fmt.Sprintf("\t%q", r.data)
	}
	return s
}

// walkAll walks one level and reads every entry to the end.
func walkAll(t testing.TB, name string, data []byte, f Format, l Limits) ([]result, error) {
	t.Helper()
	in := extract.Input{Name: name, R: bytes.NewReader(data), Size: int64(len(data))}
	var out []result
	err := Walk(context.Background(), in, f, NewBudget(l), func(e *Entry) error {
		out = append(out, readEntry(e.Name, e))
		return nil
	})
	return out, err
}

func readEntry(path string, e *Entry) result {
	if e.Encrypted {
		return result{path: path, status: "encrypted"}
	}
	var buf bytes.Buffer
	n, err := io.Copy(&buf, io.LimitReader(e.R, 1<<40))
	r := result{path: path, status: status(err), bytes: n}
	if n <= 256 {
		r.data = buf.String()
	}
	return r
}

// status is how the scan would report an error: the statuses of
// finding.Status, with the reason.
func status(err error) string {
	switch {
	case err == nil:
		return "scanned"
	case errors.Is(err, ErrEncrypted):
		return "encrypted"
	case errors.Is(err, ErrLimit):
		return "skipped: " + err.Error()
	case errors.Is(err, extract.ErrCorrupt):
		return "error: corrupt"
	}
	return "error: " + err.Error()
}

// scanLike recurses the way pkg/scan should (see the package doc and
// ExampleWalk): sniff each entry's head, walk archives with b.Nested(),
// report every other entry as read, and record each outcome by
// OUTER!INNER path.
func scanLike(ctx context.Context, in extract.Input, f Format, b *Budget, out *[]result) error {
	return Walk(ctx, in, f, b, func(e *Entry) error {
		path := in.Name + "!" + e.Name
		if e.Encrypted {
			*out = append(*out, result{path: path, status: "encrypted"})
			return nil
		}
		head := make([]byte, 8<<10)
		n, err := io.ReadFull(e.R, head)
		if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
			*out = append(*out, result{path: path, status: status(err), bytes: int64(n)})
			return nil
		}
		head = head[:n]
		r := io.MultiReader(bytes.NewReader(head), e.R)
		if inner := Detect(e.Name, head); inner != Unknown {
			err := scanLike(ctx, extract.Input{Name: path, R: r, Size: e.Size}, inner, b.Nested(), out)
			if err != nil {
				if errors.Is(err, context.Canceled) {
					return err
				}
				*out = append(*out, result{path: path, status: status(err)})
			}
			return nil
		}
		*out = append(*out, readEntry(path, &Entry{Name: e.Name, R: r}))
		return nil
	})
}

func crc32IEEE(b []byte) uint32 { return crc32.ChecksumIEEE(b) }

func leUint32(b []byte) uint32 { return binary.LittleEndian.Uint32(b) }

func putUint16(b []byte, v uint16) { binary.LittleEndian.PutUint16(b, v) }

func putUint32(b []byte, v uint32) { binary.LittleEndian.PutUint32(b, v) }

var randomCache sync.Map // length -> []byte

// randomBytes returns n incompressible bytes, the same for the same n.
func randomBytes(n int) []byte {
	if b, ok := randomCache.Load(n); ok {
		return b.([]byte)
	}
	b := make([]byte, n)
	r := rand.New(rand.NewPCG(uint64(n), 1))
	for i := 0; i+8 <= n; i += 8 {
		binary.LittleEndian.PutUint64(b[i:], r.Uint64())
	}
	randomCache.Store(n, b)
	return b
}
