package archive

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"io"
)

// ZipHasMoreEntries counts the records of a zip's central directory
// without parsing them, and reports whether there are more than
// maxEntries. Readers of zips call it before archive/zip does: archive/zip
// reads every record into a File (some 250 bytes of memory each) until
// one fails to parse, whatever count the end record declares (it compares
// only the low 16 bits), so a 256 MiB zip of empty entries would cost
// ~750 MB before the count could be checked. Anything this walk does not
// understand is left for archive/zip to report.
func ZipHasMoreEntries(ra io.ReaderAt, size int64, maxEntries int) bool {
	const eocdLen, maxComment = 22, 65535
	tailLen := min(size, eocdLen+maxComment)
	if tailLen < eocdLen {
		return false
	}
	tail := make([]byte, tailLen)
	if _, err := ra.ReadAt(tail, size-tailLen); err != nil && err != io.EOF {
		return false
	}
	// The last end record whose comment fits in the file, the one
	// archive/zip will use too.
	i := len(tail)
	for {
		i = bytes.LastIndex(tail[:i], []byte("PK\x05\x06"))
		if i < 0 {
			return false
		}
		if len(tail)-i >= eocdLen && int(binary.LittleEndian.Uint16(tail[i+20:]))+eocdLen+i <= len(tail) {
			break
		}
	}
	eocd := tail[i:]
	eocdOff := size - tailLen + int64(i)
	records := uint64(binary.LittleEndian.Uint16(eocd[10:]))
	dirSize := uint64(binary.LittleEndian.Uint32(eocd[12:]))
	dirOff := uint64(binary.LittleEndian.Uint32(eocd[16:]))
	if records == 0xFFFF || dirSize == 0xFFFFFFFF || dirOff == 0xFFFFFFFF {
		// Zip64: the locator just before the end record points at the
		// zip64 end record, which has the real values.
		var loc [20]byte
		if eocdOff < 20 {
			return false
		}
		if _, err := ra.ReadAt(loc[:], eocdOff-20); err != nil || !bytes.HasPrefix(loc[:], []byte("PK\x06\x07")) {
			return false
		}
		var end [56]byte
		endOff := binary.LittleEndian.Uint64(loc[8:])
		if endOff > uint64(size) {
			return false
		}
		if _, err := ra.ReadAt(end[:], int64(endOff)); err != nil || !bytes.HasPrefix(end[:], []byte("PK\x06\x06")) {
			return false
		}
		records = binary.LittleEndian.Uint64(end[32:])
		dirSize = binary.LittleEndian.Uint64(end[40:])
		dirOff = binary.LittleEndian.Uint64(end[48:])
	}
	if records > uint64(maxEntries) {
		return true
	}
	// Like archive/zip, accept a directory offset relative to a prefix
	// (a self-extracting stub): the directory then ends at the end record.
	start := int64(-1)
	for _, off := range []uint64{dirOff, uint64(eocdOff) - dirSize} {
		var sig [4]byte
		if off < uint64(size) {
			if _, err := ra.ReadAt(sig[:], int64(off)); err == nil && string(sig[:]) == "PK\x01\x02" {
				start = int64(off)
				break
			}
		}
	}
	if start < 0 {
		return false
	}
	br := bufio.NewReaderSize(io.NewSectionReader(ra, start, size-start), 64<<10)
	var rec [46]byte
	for n := 0; ; n++ {
		if _, err := io.ReadFull(br, rec[:]); err != nil || string(rec[:4]) != "PK\x01\x02" {
			return false
		}
		if n >= maxEntries {
			return true
		}
		skip := int(binary.LittleEndian.Uint16(rec[28:])) + int(binary.LittleEndian.Uint16(rec[30:])) + int(binary.LittleEndian.Uint16(rec[32:]))
		if _, err := br.Discard(skip); err != nil {
			return false
		}
	}
}
