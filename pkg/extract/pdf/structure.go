package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"io"
)

// The structure check reads the cross-reference sections and object
// streams before the library does, because the library trusts their
// numbers in ways no recover can undo:
//
//   - it allocates the cross-reference table from the file's /Size and
//     subsection starts: a 300-byte file asking for object 3,000,000,000
//     kills the process ("fatal error: out of memory");
//   - it follows /Prev and /Extends chains without noticing a cycle;
//   - an object stream stored inside an object stream makes it recurse
//     until the stack overflows, also fatal;
//   - it parses objects out of object streams with no bound on what one
//     object may grow to, so a compressed object stream that inflates to
//     gigabytes exhausts memory.
//
// So the check walks the same chain the library will (from the last
// startxref, as it finds it), rejects what would hurt, and inflates every
// object stream once, decrypting it if needed, to know its size. It does
// not judge anything the library rejects safely by itself.

const (
	// maxObjects caps object numbers (the library holds 40 bytes per
	// table entry, so the table stays under 80 MB). A 100,000-page
	// document has about a million objects.
	maxObjects = 1 << 21
	// maxObjStm caps one object stream, decompressed. The library parses
	// an object out of it every time the object is used; real object
	// streams hold a few hundred small objects, tens of KB.
	maxObjStm = 8 << 20
	// maxObjStmN caps the objects an object stream declares (/N): the
	// library reads that many offset pairs to find each object.
	maxObjStmN = 1 << 16
	// maxXrefSections caps the /Prev chain (one section per incremental
	// update).
	maxXrefSections = 64
	// maxColumns caps a PNG predictor's /Columns: the library allocates
	// two rows of that size.
	maxColumns = 1 << 16
)

var errStructure = errors.New("unsafe or unreadable structure")

// structure is what the check learned.
type structure struct {
	objStms  int  // object streams in use
	verified bool // every one was measured (false when encryption hid them)
}

type xrefEntry struct {
	off      int64 // type 1 with generation 0: the object's offset
	inStream bool  // type 2
	other    bool  // type 0, or type 1 with another generation
}

type checker struct {
	f       io.ReaderAt
	size    int64
	b       *budget
	table   []xrefEntry
	seen    []bool
	stms    []uint32 // object streams named by type-2 entries, in order
	stmSeen map[uint32]bool
	trailer pdfDict
}

func structErr(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{errStructure}, args...)...)
}

// checkStructure checks the file f of the given size; see above.
func checkStructure(f io.ReaderAt, size int64, b *budget) (*structure, error) {
	c := &checker{f: f, size: size, b: b, stmSeen: map[uint32]bool{}}
	start, err := c.startxref()
	if err != nil {
		return nil, err
	}
	if err := c.sections(start); err != nil {
		return nil, err
	}
	enc, err := c.encryptDict()
	if err != nil && !errors.Is(err, errNoKey) {
		return nil, err
	}
	if msg := unsupportedCipher(enc); msg != "" {
		return nil, fmt.Errorf("%w: %s (the file opens without a password)", ErrUnsupported, msg)
	}
	st := &structure{objStms: len(c.stms)}
	if len(c.stms) == 0 {
		st.verified = true
		return st, nil
	}
	key, err := c.fileKey()
	if err != nil {
		// Encryption the check cannot follow: the library will most
		// likely refuse it too; if it does not, Extract stops.
		return st, nil
	}
	if err := c.objectStreams(key); err != nil {
		return nil, err
	}
	st.verified = true
	return st, nil
}

// startxref finds the offset after the last "startxref" as the library
// does: in the last 100 bytes, which must end with %%EOF.
func (c *checker) startxref() (int64, error) {
	const tail = 100
	if c.size < tail {
		return 0, structErr("file too short")
	}
	buf := make([]byte, tail)
	if _, err := c.f.ReadAt(buf, c.size-tail); err != nil && err != io.EOF {
		return 0, err
	}
	buf = bytes.TrimRight(buf, "\r\n\t ")
	if !bytes.HasSuffix(buf, []byte("%%EOF")) {
		return 0, structErr("no %%%%EOF at the end")
	}
	i := lastLine(buf, "startxref")
	if i < 0 {
		return 0, structErr("no startxref")
	}
	l := newLexer(bytes.NewReader(buf[i+len("startxref"):]))
	t, err := l.next()
	if err != nil || t.kind != tInt || t.i < 0 || t.i >= c.size {
		return 0, structErr("bad startxref")
	}
	return t.i, nil
}

// lastLine finds the last s standing on its own line, as the library
// requires.
func lastLine(buf []byte, s string) int {
	end := len(buf)
	for {
		i := bytes.LastIndex(buf[:end], []byte(s))
		if i <= 0 || i+len(s) >= len(buf) {
			return -1
		}
		if (buf[i-1] == '\n' || buf[i-1] == '\r') && (buf[i+len(s)] == '\n' || buf[i+len(s)] == '\r') {
			return i
		}
		end = i
	}
}

// lexAt returns a lexer reading the file from off.
func (c *checker) lexAt(off int64) *lexer {
	return newLexerSize(io.NewSectionReader(c.f, off, c.size-off), 4<<10)
}

// sections follows the chain of cross-reference sections from off.
func (c *checker) sections(off int64) error {
	visited := map[int64]bool{}
	stream := false
	for n := 0; ; n++ {
		if err := c.b.check(); err != nil {
			return err
		}
		if n == maxXrefSections {
			return structErr("more than %d cross-reference sections", maxXrefSections)
		}
		if visited[off] {
			return structErr("cross-reference sections form a cycle")
		}
		visited[off] = true
		l := c.lexAt(off)
		t, err := l.next()
		if err != nil {
			return structErr("cross-reference section: %v", err)
		}
		var dict pdfDict
		switch {
		case t.kind == tKeyword && string(t.data) == "xref" && (n == 0 || !stream):
			dict, err = c.classic(l)
		case t.kind == tInt && (n == 0 || stream):
			stream = true
			l.unread(t)
			dict, err = c.xrefStream(l, off)
		default:
			// The library stops here with an error of its own.
			return nil
		}
		if err != nil {
			return err
		}
		if n == 0 {
			c.trailer = dict
		}
		prev, ok := dict["Prev"]
		if !ok || prev == nil {
			return nil
		}
		p, ok := prev.(int64)
		if !ok || p < 0 || p >= c.size {
			return nil // the library rejects it
		}
		off = p
	}
}

// classic reads a classic cross-reference table after "xref" and returns
// its trailer. Only the subsection ranges matter: the library grows its
// table to the highest object number listed.
func (c *checker) classic(l *lexer) (pdfDict, error) {
	for {
		t, err := l.next()
		if err != nil {
			return nil, structErr("cross-reference table: %v", err)
		}
		if t.kind == tKeyword && string(t.data) == "trailer" {
			break
		}
		t2, err := l.next()
		if err != nil || t.kind != tInt || t2.kind != tInt {
			return nil, structErr("malformed cross-reference table")
		}
		if t.i < 0 || t2.i < 0 || t.i+t2.i > maxObjects {
			return nil, structErr("cross-reference subsection beyond %d objects", maxObjects)
		}
		for i := range t2.i {
			off, err1 := l.next()
			gen, err2 := l.next()
			use, err3 := l.next()
			if err1 != nil || err2 != nil || err3 != nil || off.kind != tInt || gen.kind != tInt || use.kind != tKeyword {
				return nil, structErr("malformed cross-reference table")
			}
			if string(use.data) == "n" {
				c.classicEntry(int(t.i+i), off.i, gen.i)
			}
		}
		if err := c.b.check(); err != nil {
			return nil, err
		}
	}
	t, err := l.next()
	if err != nil {
		return nil, structErr("trailer: %v", err)
	}
	obj, err := l.object(t, true, 0)
	d, ok := obj.(pdfDict)
	if err != nil || !ok {
		return nil, structErr("malformed trailer")
	}
	return d, nil
}

// indirect reads "n g obj <object>" at l and, for a stream, the offset of
// its data.
func indirect(l *lexer) (ref pdfRef, obj any, data int64, err error) {
	t1, err1 := l.next()
	t2, err2 := l.next()
	t3, err3 := l.next()
	if err1 != nil || err2 != nil || err3 != nil || t1.kind != tInt || t2.kind != tInt ||
		t3.kind != tKeyword || string(t3.data) != "obj" || t1.i < 0 || t1.i > 1<<32-1 || t2.i < 0 || t2.i > 65535 {
		return ref, nil, -1, structErr("malformed object header")
	}
	ref = pdfRef{num: uint32(t1.i), gen: uint16(t2.i)}
	t, err := l.next()
	if err != nil {
		return ref, nil, -1, structErr("object: %v", err)
	}
	obj, err = l.object(t, true, 0)
	if err != nil {
		return ref, nil, -1, structErr("object: %v", err)
	}
	if _, ok := obj.(pdfDict); !ok {
		return ref, obj, -1, nil
	}
	t, err = l.next()
	if err != nil || t.kind != tKeyword || string(t.data) != "stream" {
		return ref, obj, -1, nil
	}
	switch c, _ := l.byte(); c {
	case '\r':
		if d, ok := l.peek(); ok && d == '\n' {
			l.pos++
		}
	case '\n':
	default:
		return ref, obj, -1, structErr("stream keyword not followed by end of line")
	}
	return ref, obj, l.offset(), nil
}

// xrefStream reads a cross-reference stream and records its entries.
func (c *checker) xrefStream(l *lexer, start int64) (pdfDict, error) {
	_, obj, data, err := indirect(l)
	if err != nil {
		return nil, err
	}
	d, _ := obj.(pdfDict)
	if data < 0 || d["Type"] != pdfName("XRef") {
		return nil, structErr("cross-reference stream not found")
	}
	size, ok := d["Size"].(int64)
	if !ok || size < 0 || size > maxObjects {
		return nil, structErr("cross-reference stream /Size beyond %d objects", maxObjects)
	}
	var w []int
	wa, _ := d["W"].(pdfArray)
	total := 0
	for _, x := range wa {
		v, ok := x.(int64)
		if !ok || v < 0 || v > 8 {
			return nil, structErr("bad cross-reference stream /W")
		}
		w = append(w, int(v))
		total += int(v)
	}
	if len(w) < 3 || len(w) > 8 || total == 0 {
		return nil, structErr("bad cross-reference stream /W")
	}
	index := pdfArray{int64(0), size}
	if ix, ok := d["Index"].(pdfArray); ok {
		index = ix
	}
	if len(index)%2 != 0 {
		return nil, structErr("bad cross-reference stream /Index")
	}
	length, ok := d["Length"].(int64)
	if !ok || length < 0 {
		return nil, structErr("cross-reference stream without a direct /Length")
	}
	r, err := c.decoded(io.NewSectionReader(c.f, start+data, length), d)
	if err != nil {
		return nil, err
	}
	row := make([]byte, total)
	for i := 0; i < len(index); i += 2 {
		first, ok1 := index[i].(int64)
		n, ok2 := index[i+1].(int64)
		if !ok1 || !ok2 || first < 0 || n < 0 || first+n > maxObjects {
			return nil, structErr("cross-reference stream /Index beyond %d objects", maxObjects)
		}
		for j := range n {
			if _, err := io.ReadFull(r, row); err != nil {
				if cerr := c.b.stopped(); cerr != nil {
					return nil, cerr
				}
				return d, nil // the library stops on the short stream too
			}
			c.entry(int(first+j), w, row)
		}
	}
	return d, nil
}

// entry records one cross-reference stream entry unless a newer section
// already gave that object, as the library does.
func (c *checker) entry(x int, w []int, row []byte) {
	c.grow(x)
	if c.seen[x] {
		return
	}
	c.seen[x] = true
	field := func(i int) int64 {
		var v int64
		at := 0
		for k := range i {
			at += w[k]
		}
		for _, b := range row[at : at+w[i]] {
			v = v<<8 | int64(b)
		}
		return v
	}
	typ := int64(1)
	if w[0] > 0 {
		typ = field(0)
	}
	switch typ {
	case 1:
		if field(2) == 0 {
			c.table[x].off = field(1)
		} else {
			c.table[x].other = true
		}
	case 2:
		c.table[x].inStream = true
		s := uint32(field(1))
		if !c.stmSeen[s] && len(c.stms) < maxObjects {
			c.stmSeen[s] = true
			c.stms = append(c.stms, s)
		}
	default:
		c.table[x].other = true
	}
}

// classicEntry records an in-use entry of a classic table unless a newer
// section gave that object an offset, as the library does.
func (c *checker) classicEntry(x int, off, gen int64) {
	c.grow(x)
	if c.table[x].off != 0 || c.table[x].other {
		return
	}
	if gen == 0 {
		c.table[x].off = off
	} else {
		c.table[x].other = true
	}
}

// grow makes room for object x in the table.
func (c *checker) grow(x int) {
	if x >= len(c.table) {
		n := max(x+1, 2*len(c.table))
		c.table = append(c.table, make([]xrefEntry, n-len(c.table))...)
		c.seen = append(c.seen, make([]bool, n-len(c.seen))...)
	}
}

// lookup returns the table entry of object n.
func (c *checker) lookup(n uint32) xrefEntry {
	if int64(n) < int64(len(c.table)) {
		return c.table[n]
	}
	return xrefEntry{}
}

// objectStreams measures every object stream in use, and the streams they
// extend.
func (c *checker) objectStreams(key *fileKey) error {
	for i := 0; i < len(c.stms); i++ {
		if err := c.b.check(); err != nil {
			return err
		}
		s := c.stms[i]
		e := c.lookup(s)
		if e.inStream {
			return structErr("object stream stored in an object stream")
		}
		if e.off <= 0 || e.off >= c.size {
			continue // the library finds no stream there and says so
		}
		l := c.lexAt(e.off)
		ref, obj, data, err := indirect(l)
		d, _ := obj.(pdfDict)
		if err != nil || ref != (pdfRef{num: s}) || data < 0 || d["Type"] != pdfName("ObjStm") {
			continue // likewise
		}
		if n, _ := d["N"].(int64); n > maxObjStmN {
			return structErr("object stream declares more than %d objects", maxObjStmN)
		}
		if ext, ok := d["Extends"]; ok {
			r, ok := ext.(pdfRef)
			if !ok {
				return structErr("bad object stream /Extends")
			}
			if !c.stmSeen[r.num] {
				c.stmSeen[r.num] = true
				c.stms = append(c.stms, r.num)
			}
		}
		if err := c.measure(e.off+data, d, ref, key); err != nil {
			return err
		}
	}
	return c.extendsCycle()
}

// extendsCycle rejects /Extends chains that loop or run long: the library
// follows them without a bound.
func (c *checker) extendsCycle() error {
	next := map[uint32]uint32{}
	for _, s := range c.stms {
		e := c.lookup(s)
		if e.off <= 0 || e.off >= c.size {
			continue
		}
		_, obj, _, err := indirect(c.lexAt(e.off))
		if err != nil {
			continue
		}
		if d, ok := obj.(pdfDict); ok {
			if r, ok := d["Extends"].(pdfRef); ok {
				next[s] = r.num
			}
		}
	}
	for s := range next {
		x, steps := s, 0
		for {
			n, ok := next[x]
			if !ok {
				break
			}
			if steps++; steps > 16 || n == s {
				return structErr("object stream /Extends chain loops or runs too long")
			}
			x = n
		}
	}
	return nil
}

// measure inflates one object stream, counting its bytes against
// maxObjStm. Without a filter the library reads /Length bytes; with one it
// reads at most until the compressed data ends, which is where this reads
// to, so the count is an upper bound.
func (c *checker) measure(data int64, d pdfDict, ref pdfRef, key *fileKey) error {
	var src io.Reader = io.NewSectionReader(c.f, data, c.size-data)
	if _, filtered := d["Filter"]; !filtered {
		n, ok := d["Length"].(int64)
		if !ok {
			n = c.indirectInt(d["Length"])
		}
		if n > maxObjStm {
			return &LimitError{Limit: LimitObjStm, Value: maxObjStm}
		}
		return nil
	}
	if key != nil {
		src = decryptStream(key, ref, src)
	}
	r, err := c.decoded(src, d)
	if err != nil {
		return err
	}
	n, err := io.Copy(io.Discard, io.LimitReader(r, maxObjStm+1))
	if serr := c.b.stopped(); serr != nil {
		return serr
	}
	if n > maxObjStm {
		return &LimitError{Limit: LimitObjStm, Value: maxObjStm}
	}
	_ = err // a corrupt stream fails in the library as well
	return nil
}

// indirectInt resolves a reference to an integer object stored plainly
// in the file; anything else counts as too large.
func (c *checker) indirectInt(v any) int64 {
	r, ok := v.(pdfRef)
	if !ok {
		return 1 << 62
	}
	e := c.lookup(r.num)
	if e.off <= 0 || e.off >= c.size {
		return 1 << 62
	}
	ref, obj, _, err := indirect(c.lexAt(e.off))
	n, ok := obj.(int64)
	if err != nil || ref != r || !ok {
		return 1 << 62
	}
	return n
}
