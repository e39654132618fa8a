package xls

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// BIFF record types ([MS-XLS] 2.3) the reader acts on; it skips the rest.
const (
	recFormula    = 0x0006
	recEOF        = 0x000A
	recFilePass   = 0x002F
	recContinue   = 0x003C
	recCodePage   = 0x0042
	recBoundSheet = 0x0085
	recMulRK      = 0x00BD
	recRString    = 0x00D6
	recSST        = 0x00FC
	recLabelSST   = 0x00FD
	recNumber     = 0x0203
	recLabel      = 0x0204
	recString     = 0x0207
	recRK         = 0x027E
	recBOF        = 0x0809
)

// BIFF versions in a BOF record's vers field.
const (
	biff5 = 0x0500 // Excel 5.0 and 95 (BIFF5 and BIFF7 write the same)
	biff8 = 0x0600 // Excel 97 to 2003 and everything since
)

// errTruncated means a record or a string ended before its declared
// length; the caller names the record.
var errTruncated = errors.New("truncated")

// recordReader reads the records of a workbook stream one by one: a
// little-endian type and length, then length bytes of payload. The length
// field caps a payload at 64 KiB; BIFF8 writers stay within 8224 bytes,
// but the reader accepts up to the field's limit, because being lenient
// costs nothing more than one 64 KiB buffer.
type recordReader struct {
	r   *bufio.Reader
	src io.ReadSeeker
	// pos is the stream offset of the next record, size the stream's.
	pos, size int64
	// budget is how many more bytes of records may be read; seeking back
	// to a sheet would otherwise let overlapping sheets be read again and
	// again (see seek).
	budget int64
	typ    uint16
	data   []byte
	buf    [0xFFFF]byte
}

func newRecordReader(src io.ReadSeeker, size int64) *recordReader {
	return &recordReader{r: bufio.NewReaderSize(src, 64<<10), src: src, size: size, budget: size}
}

// next reads the next record into typ and data (valid until the next
// call). It returns io.EOF at the end of the stream, errTruncated inside a
// record.
func (rr *recordReader) next() error {
	h, err := rr.r.Peek(4)
	if len(h) == 0 && err == io.EOF {
		return io.EOF
	}
	if len(h) < 4 {
		if err == nil || err == io.EOF {
			err = errTruncated
		}
		return err
	}
	typ, n := binary.LittleEndian.Uint16(h), int(binary.LittleEndian.Uint16(h[2:]))
	if rr.budget -= int64(4 + n); rr.budget < 0 {
		return errOverlap
	}
	if _, err := rr.r.Discard(4); err != nil {
		return err
	}
	if _, err := io.ReadFull(rr.r, rr.buf[:n]); err != nil {
		if err == io.ErrUnexpectedEOF || err == io.EOF {
			err = errTruncated
		}
		return err
	}
	rr.pos += int64(4 + n)
	rr.typ, rr.data = typ, rr.buf[:n]
	return nil
}

// peek returns the type of the next record, or false at the end of the
// stream (or before a truncated header, which next reports).
func (rr *recordReader) peek() (uint16, bool) {
	h, _ := rr.r.Peek(4)
	if len(h) < 4 {
		return 0, false
	}
	return binary.LittleEndian.Uint16(h), true
}

// errOverlap means the sheets' substreams overlap: a valid workbook reads
// each byte of its stream once at most.
var errOverlap = errors.New("sheets overlap in the workbook stream")

// seek moves to stream offset off, where a sheet's BOF record is. Moving
// forward skips bytes without reading them as records.
func (rr *recordReader) seek(off int64) error {
	if off < 0 || off >= rr.size {
		return fmt.Errorf("offset %d outside the %d-byte stream", off, rr.size)
	}
	if off == rr.pos {
		return nil
	}
	if off > rr.pos && off-rr.pos <= int64(rr.r.Buffered()) {
		_, err := rr.r.Discard(int(off - rr.pos))
		rr.pos = off
		return err
	}
	if _, err := rr.src.Seek(off, io.SeekStart); err != nil {
		return err
	}
	rr.r.Reset(rr.src)
	rr.pos = off
	return nil
}

// continuation returns the payload of the next record if it is a
// CONTINUE, which carries on the current record's data.
func (rr *recordReader) continuation() ([]byte, error) {
	if t, ok := rr.peek(); !ok || t != recContinue {
		return nil, errTruncated
	}
	if err := rr.next(); err != nil {
		return nil, err
	}
	return rr.data, nil
}

func u16(b []byte, i int) int    { return int(binary.LittleEndian.Uint16(b[i:])) }
func u32(b []byte, i int) uint32 { return binary.LittleEndian.Uint32(b[i:]) }
