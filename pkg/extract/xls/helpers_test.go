package xls

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf16"

	"github.com/datahygiene/datahygiene/pkg/extract"
)

// cell is a yielded chunk, copied out of the reused Chunk.
type cell struct {
	Sheet, Cell string
	Row         int
	Header      string
	Data        string
}

func (c cell) String() string {
	return fmt.Sprintf("%s!%s row=%d hdr=%q %q", c.Sheet, c.Cell, c.Row, c.Header, c.Data)
}

func extractAll(t testing.TB, r *Reader, data []byte) ([]cell, error) {
	t.Helper()
	var got []cell
	err := r.Extract(context.Background(), extract.Input{Name: "book.xls", R: bytes.NewReader(data), Size: int64(len(data))},
		func(c *extract.Chunk) error {
			if c.Kind != extract.Cell {
				t.Errorf("chunk kind = %d, want Cell", c.Kind)
			}
			if c.Loc.Column != c.Header {
				t.Errorf("%v: Loc.Column %q, Header %q", c.Loc, c.Loc.Column, c.Header)
			}
			got = append(got, cell{c.Loc.Sheet, c.Loc.Cell, c.Loc.Row, c.Header, string(c.Data)})
			return nil
		})
	return got, err
}

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func equalCells(t *testing.T, got, want []cell) {
	t.Helper()
	for i := range max(len(got), len(want)) {
		switch {
		case i >= len(got):
			t.Errorf("missing  %v", want[i])
		case i >= len(want):
			t.Errorf("extra    %v", got[i])
		case got[i] != want[i]:
			t.Errorf("got      %v\nwant     %v", got[i], want[i])
		}
	}
}

// BIFF builders for crafted streams.

func le16(v int) []byte    { return binary.LittleEndian.AppendUint16(nil, uint16(v)) }
func le32(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }
func f64(v float64) []byte { return binary.LittleEndian.AppendUint64(nil, math.Float64bits(v)) }

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

// rec is one record: type, length, payload.
func rec(typ uint16, parts ...[]byte) []byte {
	p := cat(parts...)
	return cat(le16(int(typ)), le16(len(p)), p)
}

func bofRec(vers, dt int) []byte { return rec(recBOF, le16(vers), le16(dt), make([]byte, 12)) }

var eofRec = rec(recEOF)

// xlChars is s as BIFF8 characters: the flags byte, then one byte a
// character if every one fits, else UTF-16.
func xlChars(s string) (cch int, flags byte, chars []byte) {
	u := utf16.Encode([]rune(s))
	compressed := true
	for _, c := range u {
		if c > 0xFF {
			compressed = false
		}
	}
	if compressed {
		for _, c := range u {
			chars = append(chars, byte(c))
		}
		return len(u), 0, chars
	}
	for _, c := range u {
		chars = binary.LittleEndian.AppendUint16(chars, c)
	}
	return len(u), 1, chars
}

// xlString is an XLUnicodeString.
func xlString(s string) []byte {
	n, flags, chars := xlChars(s)
	return cat(le16(n), []byte{flags}, chars)
}

func cellHead(row, col int) []byte { return cat(le16(row), le16(col), le16(15)) }

func numberRec(row, col int, v float64) []byte { return rec(recNumber, cellHead(row, col), f64(v)) }
func labelRec(row, col int, s string) []byte   { return rec(recLabel, cellHead(row, col), xlString(s)) }
func labelSSTRec(row, col int, i uint32) []byte {
	return rec(recLabelSST, cellHead(row, col), le32(i))
}

// sstRec is an SST record holding strs, without CONTINUE records.
func sstRec(strs ...string) []byte {
	p := cat(le32(uint32(len(strs))), le32(uint32(len(strs))))
	for _, s := range strs {
		p = append(p, xlString(s)...)
	}
	return rec(recSST, p)
}

type testSheet struct {
	name    string
	kind    byte
	records [][]byte
}

// workbookStream builds a workbook stream: BOF, globals, one BOUNDSHEET a
// sheet, EOF, then each sheet's BOF, records and EOF. BIFF5 names are
// bytes as given.
func workbookStream(vers int, globals [][]byte, sheets ...testSheet) []byte {
	bound := func(pos int, sh testSheet) []byte {
		var name []byte
		if vers == biff5 {
			name = cat([]byte{byte(len(sh.name))}, []byte(sh.name))
		} else {
			n, flags, chars := xlChars(sh.name)
			name = cat([]byte{byte(n), flags}, chars)
		}
		return rec(recBoundSheet, le32(uint32(pos)), []byte{0, sh.kind}, name)
	}
	head := cat(bofRec(vers, bofGlobals), cat(globals...))
	size := len(head) + len(eofRec)
	for _, sh := range sheets {
		size += len(bound(0, sh))
	}
	var bounds, bodies []byte
	for _, sh := range sheets {
		bounds = append(bounds, bound(size+len(bodies), sh)...)
		bodies = append(bodies, cat(bofRec(vers, bofWorksheet), cat(sh.records...), eofRec)...)
	}
	return cat(head, bounds, eofRec, bodies)
}

// cfbFile is a minimal compound file (version 3, 512-byte sectors) whose
// root holds the given streams, in order. Each stream is padded to 4096
// bytes so that it lives in regular sectors, not the mini stream.
func cfbFile(streams ...namedStream) []byte {
	const sec = 512
	const endOfChain, freeSect, fatSect, noStream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
	fat := []uint32{fatSect, endOfChain} // sector 0 the FAT, 1 the directory
	dir := make([]byte, sec)
	entry := func(i int, name string, typ byte, child, right, start uint32, size int) {
		e := dir[i*128 : (i+1)*128]
		u := utf16.Encode([]rune(name))
		for j, c := range u {
			binary.LittleEndian.PutUint16(e[2*j:], c)
		}
		binary.LittleEndian.PutUint16(e[64:], uint16(2*len(u)+2))
		e[66], e[67] = typ, 1
		binary.LittleEndian.PutUint32(e[68:], noStream)
		binary.LittleEndian.PutUint32(e[72:], right)
		binary.LittleEndian.PutUint32(e[76:], child)
		binary.LittleEndian.PutUint32(e[116:], start)
		binary.LittleEndian.PutUint32(e[120:], uint32(size))
	}
	for i := range 4 {
		binary.LittleEndian.PutUint32(dir[i*128+68:], noStream)
		binary.LittleEndian.PutUint32(dir[i*128+72:], noStream)
		binary.LittleEndian.PutUint32(dir[i*128+76:], noStream)
	}
	entry(0, "Root Entry", 5, 1, noStream, endOfChain, 0)
	var body []byte
	for i, s := range streams {
		data := append([]byte{}, s.data...)
		if len(data) < 4096 {
			data = append(data, make([]byte, 4096-len(data))...)
		}
		start := uint32(len(fat))
		n := (len(data) + sec - 1) / sec
		for j := range n {
			next := start + uint32(j) + 1
			if j == n-1 {
				next = endOfChain
			}
			fat = append(fat, next)
		}
		right := uint32(noStream)
		if i+1 < len(streams) {
			right = uint32(i + 2)
		}
		entry(i+1, s.name, 2, noStream, right, start, len(data))
		body = append(body, data...)
		body = append(body, make([]byte, n*sec-len(data))...)
	}
	if len(fat) > sec/4 || len(streams) > 3 {
		panic("cfbFile: too much for one FAT or directory sector")
	}
	for len(fat) < sec/4 {
		fat = append(fat, freeSect)
	}
	h := make([]byte, sec)
	copy(h, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1})
	binary.LittleEndian.PutUint16(h[0x18:], 0x3E)
	binary.LittleEndian.PutUint16(h[0x1A:], 3)
	binary.LittleEndian.PutUint16(h[0x1C:], 0xFFFE)
	binary.LittleEndian.PutUint16(h[0x1E:], 9)
	binary.LittleEndian.PutUint16(h[0x20:], 6)
	binary.LittleEndian.PutUint32(h[0x2C:], 1) // FAT sectors
	binary.LittleEndian.PutUint32(h[0x30:], 1) // first directory sector
	binary.LittleEndian.PutUint32(h[0x38:], 4096)
	binary.LittleEndian.PutUint32(h[0x3C:], endOfChain)
	binary.LittleEndian.PutUint32(h[0x44:], endOfChain)
	binary.LittleEndian.PutUint32(h[0x4C:], 0) // DIFAT[0]: the FAT is sector 0
	for i := 1; i < 109; i++ {
		binary.LittleEndian.PutUint32(h[0x4C+4*i:], freeSect)
	}
	fatBytes := make([]byte, 0, sec)
	for _, v := range fat {
		fatBytes = binary.LittleEndian.AppendUint32(fatBytes, v)
	}
	return cat(h, fatBytes, dir, body)
}

type namedStream struct {
	name string
	data []byte
}
