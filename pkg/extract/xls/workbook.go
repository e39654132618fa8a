package xls

import (
	"context"
	"errors"
	"fmt"
	"io"
)

// book is what the globals substream says about the workbook.
type book struct {
	version int // biff5 or biff8
	sheets  []sheetInfo
	sst     *sharedStrings
	cp      codePage
}

// sheetInfo is one BOUNDSHEET record ([MS-XLS] 2.4.28).
type sheetInfo struct {
	name string
	pos  int64 // stream offset of the sheet's BOF record
	kind byte  // 0 worksheet or dialog, 1 macro sheet, 2 chart, 6 VBA module
	raw  []byte
}

// BOF substream types ([MS-XLS] 2.4.21).
const (
	bofGlobals   = 0x0005
	bofWorksheet = 0x0010
	bofMacro     = 0x0040
)

// maxDepth bounds the nesting of substreams (a chart embedded in a sheet
// is a BOF..EOF inside the sheet's); Excel nests one level.
const maxDepth = 8

// ctxEvery is how many records are read between two checks of ctx.
const ctxEvery = 1024

// stream reads one workbook stream's records.
type stream struct {
	rr      *recordReader
	seg     segments
	records int
	ctx     context.Context
}

func (s *stream) next() error {
	if s.records++; s.records%ctxEvery == 0 {
		if err := s.ctx.Err(); err != nil {
			return err
		}
	}
	return s.rr.next()
}

// bof reads the BOF record that must start a substream and returns its
// version and type.
func (s *stream) bof() (vers, dt int, err error) {
	if err := s.next(); err != nil {
		if err == io.EOF {
			err = errTruncated
		}
		return 0, 0, err
	}
	if s.rr.typ != recBOF {
		switch s.rr.typ {
		case 0x0009, 0x0209, 0x0409:
			return 0, 0, errors.New("BIFF2-4 workbooks are not supported")
		}
		return 0, 0, fmt.Errorf("record 0x%04X where a BOF record should be", s.rr.typ)
	}
	if len(s.rr.data) < 4 {
		return 0, 0, errShort(s.rr.typ, len(s.rr.data))
	}
	return u16(s.rr.data, 0), u16(s.rr.data, 2), nil
}

// readGlobals reads the globals substream, from its BOF to its EOF.
func (s *stream) readGlobals() (*book, error) {
	vers, dt, err := s.bof()
	if err != nil {
		return nil, err
	}
	if vers != biff5 && vers != biff8 {
		return nil, fmt.Errorf("BIFF version 0x%04X is not supported", vers)
	}
	if dt != bofGlobals {
		return nil, fmt.Errorf("substream type 0x%04X where the workbook globals should be", dt)
	}
	b := &book{version: vers, sst: &sharedStrings{}}
	cp := 1252
	depth := 0
	for {
		if err := s.next(); err != nil {
			if err == io.EOF {
				err = errors.New("workbook globals end without an EOF record")
			}
			return nil, err
		}
		data := s.rr.data
		switch s.rr.typ {
		case recBOF:
			if depth++; depth > maxDepth {
				return nil, errors.New("substreams nested too deep")
			}
		case recEOF:
			if depth == 0 {
				for i := range b.sheets {
					if sh := &b.sheets[i]; sh.raw != nil {
						sh.name = string(newCodePage(cp).appendText(nil, sh.raw))
						sh.raw = nil
					}
				}
				b.cp = newCodePage(cp)
				return b, nil
			}
			depth--
		case recFilePass:
			return nil, ErrEncrypted
		case recCodePage:
			if len(data) >= 2 {
				cp = u16(data, 0)
			}
		case recBoundSheet:
			if len(b.sheets) >= maxSheets {
				return nil, fmt.Errorf("more than %d sheets", maxSheets)
			}
			sh, err := s.boundSheet(b.version)
			if err != nil {
				return nil, fmt.Errorf("BOUNDSHEET record %d: %w", len(b.sheets)+1, err)
			}
			b.sheets = append(b.sheets, sh)
		case recSST:
			if b.version != biff8 || depth > 0 {
				continue
			}
			if b.sst, err = readSST(&s.seg, data, s.rr.continuation); err != nil {
				return nil, fmt.Errorf("SST record: %w", err)
			}
		}
	}
}

// maxSheets bounds the BOUNDSHEET records kept. Excel's only limit is
// memory; real workbooks have tens of sheets, rarely hundreds.
const maxSheets = 1 << 12

func (s *stream) boundSheet(version int) (sheetInfo, error) {
	data := s.rr.data
	if len(data) < 7 {
		return sheetInfo{}, errShort(recBoundSheet, len(data))
	}
	sh := sheetInfo{pos: int64(u32(data, 0)), kind: data[5]}
	if version == biff5 {
		n := int(data[6])
		if len(data) < 7+n {
			return sheetInfo{}, errTruncated
		}
		sh.raw = append([]byte{}, data[7:7+n]...)
		return sh, nil
	}
	s.seg.reset(data[6:], s.rr.continuation)
	name, err := s.seg.unicodeString(nil, true)
	if err != nil {
		return sheetInfo{}, err
	}
	sh.name = string(name)
	return sh, nil
}

func errShort(typ uint16, n int) error {
	return fmt.Errorf("%s record of %d bytes is too short", recordName(typ), n)
}

func recordName(typ uint16) string {
	switch typ {
	case recFormula:
		return "FORMULA"
	case recBoundSheet:
		return "BOUNDSHEET"
	case recMulRK:
		return "MULRK"
	case recRString:
		return "RSTRING"
	case recLabelSST:
		return "LABELSST"
	case recNumber:
		return "NUMBER"
	case recLabel:
		return "LABEL"
	case recString:
		return "STRING"
	case recRK:
		return "RK"
	case recBOF:
		return "BOF"
	}
	return fmt.Sprintf("0x%04X", typ)
}
