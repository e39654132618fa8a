// Command genencrypted writes the encrypted-file fixtures of pkg/sniff that
// no Debian tool makes, into the folder given with -out (scripts/
// genencrypted.sh runs it with the rest):
//
//   - xlsx-password.xlsx: a workbook excelize saves with a password, which
//     is an OOXML EncryptedPackage in a compound file (agile encryption);
//   - docx-password.docx, with -docx: that document encrypted by
//     excelize.Encrypt, the same OOXML encryption, as no Debian tool here
//     saves a docx with a password (LibreOffice ignores the password for
//     OOXML when driven through UNO, and msoffcrypto-tool 5.0 only decrypts);
//   - ppt-encrypted.ppt and ppt-plain.ppt: compound files with the streams
//     a PowerPoint 97-2003 file has at its top level, built here per
//     [MS-CFB] and [MS-PPT] 2.3.2 because LibreOffice saves .ppt without
//     encryption (it ignores the password) and its plain .ppt is 450 KB.
//     The CurrentUserAtom's headerToken is 0xF3D1C4DF in the encrypted one
//     and 0xE391C05F in the plain one; the PowerPoint Document stream is a
//     placeholder, as sniff does not read it.
//
// Usage: go run ./scripts/genencrypted [-out pkg/sniff/testdata/encrypted] [-docx plain.docx]
package main

import (
	"bytes"
	"encoding/binary"
	"flag"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"
)

func main() {
	out := flag.String("out", filepath.Join("pkg", "sniff", "testdata", "encrypted"), "output folder")
	docx := flag.String("docx", "", "a plain docx to write encrypted as docx-password.docx")
	flag.Parse()
	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatal(err)
	}

	f := excelize.NewFile()
	if err := f.SetCellValue("Sheet1", "A1", "Alice Example"); err != nil {
		log.Fatal(err)
	}
	if err := f.SetCellValue("Sheet1", "B1", "alice@example.com"); err != nil {
		log.Fatal(err)
	}
	if err := f.SaveAs(filepath.Join(*out, "xlsx-password.xlsx"), excelize.Options{Password: "x"}); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}

	if *docx != "" {
		plain, err := os.ReadFile(*docx)
		if err != nil {
			log.Fatal(err)
		}
		enc, err := excelize.Encrypt(plain, &excelize.Options{Password: "pw"})
		if err != nil {
			log.Fatalf("encrypting %s: %v", *docx, err)
		}
		if err := os.WriteFile(filepath.Join(*out, "docx-password.docx"), enc, 0o644); err != nil {
			log.Fatal(err)
		}
	}

	for name, token := range map[string]uint32{"ppt-encrypted.ppt": 0xF3D1C4DF, "ppt-plain.ppt": 0xE391C05F} {
		doc := bytes.Repeat([]byte{0xA5}, 4200) // in regular sectors, past the mini stream cutoff
		b := buildCFB([]stream{
			{"Current User", currentUserAtom(token)},
			{"PowerPoint Document", doc},
		})
		if err := os.WriteFile(filepath.Join(*out, name), b, 0o644); err != nil {
			log.Fatal(err)
		}
	}
}

// currentUserAtom is a CurrentUserAtom record ([MS-PPT] 2.3.2) with the
// given headerToken and user name "Example".
func currentUserAtom(token uint32) []byte {
	user := "Example"
	var b []byte
	b = binary.LittleEndian.AppendUint16(b, 0)      // recVer, recInstance
	b = binary.LittleEndian.AppendUint16(b, 0x0FF6) // recType: RT_CurrentUserAtom
	b = binary.LittleEndian.AppendUint32(b, uint32(20+len(user)+4+2*len(user)))
	b = binary.LittleEndian.AppendUint32(b, 20) // size
	b = binary.LittleEndian.AppendUint32(b, token)
	b = binary.LittleEndian.AppendUint32(b, 0) // offsetToCurrentEdit
	b = binary.LittleEndian.AppendUint16(b, uint16(len(user)))
	b = binary.LittleEndian.AppendUint16(b, 0x03F4) // docFileVersion
	b = append(b, 3, 0, 0, 0)                       // majorVersion, minorVersion, unused
	b = append(b, user...)
	b = binary.LittleEndian.AppendUint32(b, 8) // relVersion
	for _, u := range utf16.Encode([]rune(user)) {
		b = binary.LittleEndian.AppendUint16(b, u)
	}
	return b
}

type stream struct {
	name string
	data []byte
}

const (
	sectorSize = 512
	miniSize   = 64
	cutoff     = 4096
	endOfChain = 0xFFFFFFFE
	freeSect   = 0xFFFFFFFF
	fatSect    = 0xFFFFFFFD
	noStream   = 0xFFFFFFFF
)

// buildCFB writes a version 3 compound file holding streams at the top
// level ([MS-CFB]): FAT sectors, then the directory, the mini FAT, the
// mini stream and the regular streams, each a contiguous chain. Siblings
// form a degenerate (all right-child) binary tree in CFB name order.
func buildCFB(streams []stream) []byte {
	sort.Slice(streams, func(i, j int) bool {
		a, b := streams[i].name, streams[j].name
		if len(a) != len(b) {
			return len(a) < len(b)
		}
		return strings.ToUpper(a) < strings.ToUpper(b)
	})
	var mini []byte
	miniStart := make([]uint32, len(streams))
	for i, s := range streams {
		if len(s.data) < cutoff {
			miniStart[i] = uint32(len(mini) / miniSize)
			mini = append(mini, s.data...)
			mini = append(mini, make([]byte, (miniSize-len(mini)%miniSize)%miniSize)...)
		}
	}
	sectors := func(n int) int { return (n + sectorSize - 1) / sectorSize }
	nDir := sectors(128 * (len(streams) + 1))
	nMini := len(mini) / miniSize
	nMiniFAT := sectors(4 * nMini)
	nMiniStream := sectors(len(mini))
	nBig := 0
	for _, s := range streams {
		if len(s.data) >= cutoff {
			nBig += sectors(len(s.data))
		}
	}
	rest := nDir + nMiniFAT + nMiniStream + nBig
	nFAT := 1
	for nFAT*sectorSize/4 < nFAT+rest {
		nFAT++
	}
	total := nFAT + rest
	fat := make([]uint32, nFAT*sectorSize/4)
	for i := range fat {
		fat[i] = freeSect
	}
	for i := range nFAT {
		fat[i] = fatSect
	}
	next := uint32(nFAT)
	chain := func(n int) uint32 { // allocates n contiguous sectors
		if n == 0 {
			return endOfChain
		}
		start := next
		for i := range n {
			fat[start+uint32(i)] = start + uint32(i) + 1
		}
		fat[start+uint32(n)-1] = endOfChain
		next += uint32(n)
		return start
	}
	dirStart := chain(nDir)
	miniFATStart := chain(nMiniFAT)
	miniStreamStart := chain(nMiniStream)

	body := make([]byte, total*sectorSize)
	sec := func(id uint32) []byte { return body[int(id)*sectorSize:] }
	for i, v := range fat {
		binary.LittleEndian.PutUint32(body[4*i:], v)
	}
	// The mini FAT chains each small stream's mini sectors.
	miniFAT := make([]uint32, nMiniFAT*sectorSize/4)
	for i := range miniFAT {
		miniFAT[i] = freeSect
	}
	for i, s := range streams {
		if len(s.data) >= cutoff {
			continue
		}
		n := (len(s.data) + miniSize - 1) / miniSize
		for k := range n {
			miniFAT[int(miniStart[i])+k] = miniStart[i] + uint32(k) + 1
		}
		if n > 0 {
			miniFAT[int(miniStart[i])+n-1] = endOfChain
		}
	}
	if nMiniFAT > 0 {
		for i, v := range miniFAT {
			binary.LittleEndian.PutUint32(sec(miniFATStart)[4*i:], v)
		}
	}
	if nMiniStream > 0 {
		copy(sec(miniStreamStart), mini)
	}

	dir := sec(dirStart)
	entry := func(id int, name string, typ byte, child, right, start uint32, size int) {
		e := dir[128*id:]
		u := utf16.Encode([]rune(name))
		for i, c := range u {
			binary.LittleEndian.PutUint16(e[2*i:], c)
		}
		binary.LittleEndian.PutUint16(e[0x40:], uint16(2*len(u)+2))
		e[0x42], e[0x43] = typ, 1 // black
		binary.LittleEndian.PutUint32(e[0x44:], noStream)
		binary.LittleEndian.PutUint32(e[0x48:], right)
		binary.LittleEndian.PutUint32(e[0x4C:], child)
		binary.LittleEndian.PutUint32(e[0x74:], start)
		binary.LittleEndian.PutUint64(e[0x78:], uint64(size))
	}
	// Unused entries of the last directory sector stay zero (empty) but
	// need their sibling ids set to "none".
	for id := len(streams) + 1; id < nDir*sectorSize/128; id++ {
		for _, off := range []int{0x44, 0x48, 0x4C} {
			binary.LittleEndian.PutUint32(dir[128*id+off:], noStream)
		}
	}
	rootStart := uint32(endOfChain)
	if nMiniStream > 0 {
		rootStart = miniStreamStart
	}
	entry(0, "Root Entry", 5, 1, noStream, rootStart, len(mini))
	for i, s := range streams {
		right := uint32(i + 2)
		if i == len(streams)-1 {
			right = noStream
		}
		start := miniStart[i]
		if len(s.data) >= cutoff {
			start = chain(sectors(len(s.data)))
			copy(sec(start), s.data)
		}
		entry(i+1, s.name, 2, noStream, right, start, len(s.data))
	}
	// The FAT was written before the regular streams were chained.
	for i, v := range fat {
		binary.LittleEndian.PutUint32(body[4*i:], v)
	}

	h := make([]byte, 512)
	copy(h, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")
	binary.LittleEndian.PutUint16(h[0x18:], 0x3E) // minor version
	binary.LittleEndian.PutUint16(h[0x1A:], 3)    // major version
	binary.LittleEndian.PutUint16(h[0x1C:], 0xFFFE)
	binary.LittleEndian.PutUint16(h[0x1E:], 9) // 512-byte sectors
	binary.LittleEndian.PutUint16(h[0x20:], 6) // 64-byte mini sectors
	binary.LittleEndian.PutUint32(h[0x2C:], uint32(nFAT))
	binary.LittleEndian.PutUint32(h[0x30:], dirStart)
	binary.LittleEndian.PutUint32(h[0x38:], cutoff)
	binary.LittleEndian.PutUint32(h[0x3C:], miniFATStart)
	binary.LittleEndian.PutUint32(h[0x40:], uint32(nMiniFAT))
	binary.LittleEndian.PutUint32(h[0x44:], endOfChain) // no DIFAT sectors
	for i := range 109 {
		v := uint32(freeSect)
		if i < nFAT {
			v = uint32(i)
		}
		binary.LittleEndian.PutUint32(h[0x4C+4*i:], v)
	}
	return append(h, body...)
}
