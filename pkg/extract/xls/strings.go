package xls

import (
	"fmt"
	"unicode/utf16"
	"unicode/utf8"
)

// segments reads data that a BIFF record continues in the CONTINUE records
// after it ([MS-XLS] 2.1.4): the current record's payload and, once it is
// used up, the next one's, from more. Fields and skipped data go straight
// on into the next record; character data does too, except that each
// record it continues into starts with one byte whose fHighByte bit (0x01)
// says whether the characters there are stored in two bytes (UTF-16) or one
// (the low byte of UTF-16, "compressed"). Every loop below consumes a
// record or a byte, so hostile lengths end at the end of the data.
type segments struct {
	cur  []byte
	more func() ([]byte, error)
	// units holds the UTF-16 code units of the string being read: a
	// surrogate pair may straddle two records.
	units []uint16
}

func (s *segments) reset(first []byte, more func() ([]byte, error)) {
	s.cur, s.more = first, more
}

// nextSegment moves to the next record (which may be empty).
func (s *segments) nextSegment() error {
	b, err := s.more()
	if err != nil {
		return err
	}
	s.cur = b
	return nil
}

func (s *segments) byte() (byte, error) {
	for len(s.cur) == 0 {
		if err := s.nextSegment(); err != nil {
			return 0, err
		}
	}
	b := s.cur[0]
	s.cur = s.cur[1:]
	return b, nil
}

// uint reads an n-byte little-endian field, which may straddle records.
func (s *segments) uint(n int) (uint32, error) {
	if len(s.cur) >= n {
		var v uint32
		for i := n - 1; i >= 0; i-- {
			v = v<<8 | uint32(s.cur[i])
		}
		s.cur = s.cur[n:]
		return v, nil
	}
	var v uint32
	for i := range n {
		b, err := s.byte()
		if err != nil {
			return 0, err
		}
		v |= uint32(b) << (8 * i)
	}
	return v, nil
}

// skip passes over n bytes of data that is not characters (formatting
// runs, phonetic data), which continues without a flag byte.
func (s *segments) skip(n int64) error {
	for n > 0 {
		if len(s.cur) == 0 {
			if err := s.nextSegment(); err != nil {
				return err
			}
			continue
		}
		k := int(min(n, int64(len(s.cur))))
		s.cur = s.cur[k:]
		n -= int64(k)
	}
	return nil
}

// chars reads cch characters, two bytes each if high, into s.units. A
// record that holds an odd byte where a two-byte character should start
// is cut short; the character goes on in the next one.
func (s *segments) chars(cch int, high bool) error {
	s.units = s.units[:0]
	for cch > 0 {
		if len(s.cur) == 0 {
			if err := s.nextSegment(); err != nil {
				return err
			}
			if len(s.cur) == 0 {
				continue // an empty CONTINUE: the flag byte is in the next
			}
			high = s.cur[0]&0x01 != 0
			s.cur = s.cur[1:]
			continue
		}
		if high {
			k := min(cch, len(s.cur)/2)
			if k == 0 {
				s.cur = s.cur[:0]
				continue
			}
			for i := range k {
				s.units = append(s.units, uint16(s.cur[2*i])|uint16(s.cur[2*i+1])<<8)
			}
			s.cur, cch = s.cur[2*k:], cch-k
			continue
		}
		k := min(cch, len(s.cur))
		for _, b := range s.cur[:k] {
			s.units = append(s.units, uint16(b))
		}
		s.cur, cch = s.cur[k:], cch-k
	}
	return nil
}

// appendUnits appends s.units as UTF-8; a lone surrogate becomes U+FFFD.
func (s *segments) appendUnits(dst []byte) []byte {
	u := s.units
	for i := 0; i < len(u); i++ {
		c := u[i]
		switch {
		case c < utf8.RuneSelf:
			dst = append(dst, byte(c))
		case utf16.IsSurrogate(rune(c)):
			r := utf8.RuneError
			if i+1 < len(u) {
				if d := utf16.DecodeRune(rune(c), rune(u[i+1])); d != utf8.RuneError {
					r = d
					i++
				}
			}
			dst = utf8.AppendRune(dst, r)
		default:
			dst = utf8.AppendRune(dst, rune(c))
		}
	}
	return dst
}

// unicodeString reads an XLUnicodeString ([MS-XLS] 2.5.294): a 16-bit
// character count, a flags byte, the characters. short is for a
// ShortXLUnicodeString (2.5.240), whose count has 8 bits. It appends the
// text to dst as UTF-8.
func (s *segments) unicodeString(dst []byte, short bool) ([]byte, error) {
	n := 2
	if short {
		n = 1
	}
	cch, err := s.uint(n)
	if err != nil {
		return dst, err
	}
	flags, err := s.byte()
	if err != nil {
		return dst, err
	}
	if err := s.chars(int(cch), flags&0x01 != 0); err != nil {
		return dst, err
	}
	return s.appendUnits(dst), nil
}

// richString reads an XLUnicodeRichExtendedString ([MS-XLS] 2.5.293), the
// form of shared strings: an XLUnicodeString whose flags may announce
// formatting runs (fRichSt, 0x08: a count after the flags, four bytes a
// run after the characters) and phonetic data (fExtSt, 0x04: a byte count
// after the run count, the bytes after the runs). Both are skipped.
func (s *segments) richString(dst []byte) ([]byte, error) {
	cch, err := s.uint(2)
	if err != nil {
		return dst, err
	}
	flags, err := s.byte()
	if err != nil {
		return dst, err
	}
	var runs, ext uint32
	if flags&0x08 != 0 {
		if runs, err = s.uint(2); err != nil {
			return dst, err
		}
	}
	if flags&0x04 != 0 {
		if ext, err = s.uint(4); err != nil {
			return dst, err
		}
	}
	if err := s.chars(int(cch), flags&0x01 != 0); err != nil {
		return dst, err
	}
	dst = s.appendUnits(dst)
	if err := s.skip(4*int64(runs) + int64(ext)); err != nil {
		return dst, err
	}
	return dst, nil
}

// sharedStrings is the workbook's shared-string table (SST): the text of
// every string, end to end, and where each ends.
type sharedStrings struct {
	text []byte
	ends []uint32
}

func (t *sharedStrings) get(i uint32) ([]byte, bool) {
	if uint64(i) >= uint64(len(t.ends)) {
		return nil, false
	}
	start := uint32(0)
	if i > 0 {
		start = t.ends[i-1]
	}
	return t.text[start:t.ends[i]], true
}

// Limits on the shared-string table, which is held in memory: every
// string of a workbook, its distinct cell texts, is read before the first
// cell. A string takes at least three bytes of the stream, so the stream
// cap bounds both already; these give a hostile table a clear error.
const (
	// maxSSTStrings is 16 Mi strings, far beyond Excel 97's 65,536 rows
	// by 256 columns of distinct text per sheet in practice.
	maxSSTStrings = 16 << 20
	// maxSSTBytes caps the table's text, decoded to UTF-8.
	maxSSTBytes = 128 << 20
)

// readSST decodes an SST record's payload ([MS-XLS] 2.4.265), continued by
// more: total and unique counts, then the unique strings. The count is
// not trusted to size anything. A table that ends cleanly before its
// count is taken as it is (a LABELSST past it is the error); one that ends
// inside a string is truncated.
func readSST(s *segments, payload []byte, more func() ([]byte, error)) (*sharedStrings, error) {
	if len(payload) < 8 {
		return nil, errTruncated
	}
	unique := u32(payload, 4)
	if unique > maxSSTStrings {
		return nil, fmt.Errorf("%w: %d shared strings, limit %d", ErrTooLarge, unique, maxSSTStrings)
	}
	s.reset(payload[8:], more)
	t := &sharedStrings{ends: make([]uint32, 0, min(unique, 1<<12))}
	for i := uint32(0); i < unique; i++ {
		if len(s.cur) == 0 {
			// A string starts in a new record, if there is one.
			b, err := s.more()
			if err != nil {
				break
			}
			s.cur = b
		}
		var err error
		if t.text, err = s.richString(t.text); err != nil {
			return nil, fmt.Errorf("shared string %d: %w", i, err)
		}
		if len(t.text) > maxSSTBytes {
			return nil, fmt.Errorf("%w: shared strings hold over %d bytes of text", ErrTooLarge, maxSSTBytes)
		}
		t.ends = append(t.ends, uint32(len(t.text)))
	}
	return t, nil
}
