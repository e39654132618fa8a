package sniff

import (
	"encoding/binary"
	"unicode/utf16"
)

// A minimal, bounded reader of Compound File Binary files ([MS-CFB]): just
// enough to list the streams at the top of the tree and read the first
// bytes of a few. It is written here rather than taken from mscfb so that
// every read goes through the source's budget and the package keeps to
// the standard library; a full reader (all storages, whole streams) is the
// extractor's business. pkg/extract/xls parses the directory once more,
// with mscfb, to read the workbook (xls.OpenWorkbook hands that parse to
// its Reader); this one answers first, without a password, and for Word,
// PowerPoint and encrypted OOXML files too.

// CFB sector ids with a meaning ([MS-CFB] 2.1).
const (
	cfbMaxRegSect = 0xFFFFFFFA
	cfbEndOfChain = 0xFFFFFFFE
	cfbNoStream   = 0xFFFFFFFF
)

// Bounds on hostile files: how many sectors of a chain we follow, and how
// many directory entries we visit. Real files stay far below: a directory
// of 4096 entries is a workbook with hundreds of embedded objects.
const (
	cfbMaxChain   = 1 << 16
	cfbMaxEntries = 4096
)

type cfb struct {
	s          *source
	sectorSize int64
	miniCutoff uint64
	difat      []uint32            // FAT sector locations, from the header (and DIFAT sectors when read)
	difatNext  uint32              // next DIFAT sector to read, or cfbEndOfChain
	difatLeft  uint32              // DIFAT sectors still to read
	difatSeen  map[uint32]bool     // DIFAT sectors read, against loops
	nFAT       uint32              // FAT sectors, from the header
	fat        map[uint32][]byte   // FAT sectors read, by index
	dir        []uint32            // the directory's sector chain
	root       cfbEntry            // entry 0, which owns the mini stream
	miniFAT    []uint32            // the mini FAT's sector chain
	miniChain  []uint32            // the mini stream's sector chain, read on first use
	cache      map[uint32][]byte   // sectors read, by id
	steps      int                 // chain steps taken, against cfbMaxChain
	names      map[string]cfbEntry // top-level streams and storages, by upper-case name
}

type cfbEntry struct {
	typ                byte // 1 storage, 2 stream, 5 root
	left, right, child uint32
	start              uint32
	size               uint64
	nameUpper          string
}

// openCFB reads the header and the top level of the directory tree: the
// children of the root storage, where Office keeps the streams that tell
// whether a document is encrypted.
func openCFB(s *source) (*cfb, error) {
	h, err := s.readFull(0, 512)
	if err != nil {
		return nil, err
	}
	shift := binary.LittleEndian.Uint16(h[0x1E:])
	if binary.LittleEndian.Uint16(h[0x1C:]) != 0xFFFE || (shift != 9 && shift != 12) {
		return nil, errFormat
	}
	c := &cfb{
		s:          s,
		sectorSize: 1 << shift,
		miniCutoff: uint64(binary.LittleEndian.Uint32(h[0x38:])),
		difatNext:  binary.LittleEndian.Uint32(h[0x44:]),
		difatLeft:  binary.LittleEndian.Uint32(h[0x48:]),
		difatSeen:  map[uint32]bool{},
		nFAT:       binary.LittleEndian.Uint32(h[0x2C:]),
		fat:        map[uint32][]byte{},
		cache:      map[uint32][]byte{},
		names:      map[string]cfbEntry{},
	}
	if int64(c.nFAT) > s.size/c.sectorSize {
		return nil, errFormat
	}
	for i := range 109 {
		c.difat = append(c.difat, binary.LittleEndian.Uint32(h[0x4C+4*i:]))
	}
	if c.dir, err = c.chain(binary.LittleEndian.Uint32(h[0x30:]), cfbMaxEntries*128/int(c.sectorSize)); err != nil {
		return nil, err
	}
	if c.root, err = c.entry(0); err != nil {
		return nil, err
	}
	if c.root.typ != 5 {
		return nil, errFormat
	}
	if n := binary.LittleEndian.Uint32(h[0x40:]); n > 0 {
		if c.miniFAT, err = c.chain(binary.LittleEndian.Uint32(h[0x3C:]), int(min(n, cfbMaxChain))); err != nil {
			return nil, err
		}
	}
	// The root's children form a red-black tree through left and right
	// siblings; visit it without recursion, bounded and loop-proof.
	seen := map[uint32]bool{}
	stack := []uint32{c.root.child}
	for len(stack) > 0 && len(seen) < cfbMaxEntries {
		id := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if id == cfbNoStream || seen[id] {
			continue
		}
		seen[id] = true
		e, err := c.entry(id)
		if err != nil {
			return nil, err
		}
		if _, dup := c.names[e.nameUpper]; !dup && e.typ != 0 {
			c.names[e.nameUpper] = e
		}
		stack = append(stack, e.left, e.right)
	}
	return c, nil
}

// stream returns the top-level stream called name (ASCII, any case).
func (c *cfb) stream(name string) (cfbEntry, bool) {
	e, ok := c.names[upperASCII(name)]
	return e, ok && e.typ == 2
}

// entry reads directory entry id ([MS-CFB] 2.6).
func (c *cfb) entry(id uint32) (cfbEntry, error) {
	perSector := uint32(c.sectorSize / 128)
	if int(id/perSector) >= len(c.dir) {
		return cfbEntry{}, errFormat
	}
	sec, err := c.sector(c.dir[id/perSector])
	if err != nil {
		return cfbEntry{}, err
	}
	b := sec[(id%perSector)*128:][:128]
	nameLen := int(binary.LittleEndian.Uint16(b[0x40:]))
	if nameLen > 64 || nameLen%2 != 0 {
		return cfbEntry{}, errFormat
	}
	u := make([]uint16, 0, 32)
	for i := 0; i+1 < nameLen; i += 2 {
		if v := binary.LittleEndian.Uint16(b[i:]); v != 0 {
			u = append(u, v)
		}
	}
	e := cfbEntry{
		typ:       b[0x42],
		left:      binary.LittleEndian.Uint32(b[0x44:]),
		right:     binary.LittleEndian.Uint32(b[0x48:]),
		child:     binary.LittleEndian.Uint32(b[0x4C:]),
		start:     binary.LittleEndian.Uint32(b[0x74:]),
		size:      binary.LittleEndian.Uint64(b[0x78:]),
		nameUpper: upperASCII(string(utf16.Decode(u))),
	}
	if c.sectorSize == 512 {
		e.size &= 0xFFFFFFFF // version 3 files may leave junk in the high half
	}
	return e, nil
}

// read returns up to n bytes from the start of stream e (fewer when the
// stream is shorter).
func (c *cfb) read(e cfbEntry, n int) ([]byte, error) {
	n = int(min(uint64(n), e.size))
	out := make([]byte, 0, n)
	if e.size < c.miniCutoff {
		// Small streams live in 64-byte mini sectors inside the root's
		// stream, chained by the mini FAT.
		if c.miniChain == nil {
			var err error
			if c.miniChain, err = c.chain(c.root.start, int(min(c.root.size/uint64(c.sectorSize)+1, cfbMaxChain))); err != nil {
				return nil, err
			}
		}
		for mini := e.start; len(out) < n; {
			off := int64(mini) * 64
			idx := off / c.sectorSize
			if mini > cfbMaxRegSect || idx >= int64(len(c.miniChain)) {
				return nil, errFormat
			}
			sec, err := c.sector(c.miniChain[idx])
			if err != nil {
				return nil, err
			}
			out = append(out, sec[off%c.sectorSize:][:min(64, n-len(out))]...)
			if mini, err = c.miniNext(mini); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	for sec := e.start; len(out) < n; {
		b, err := c.sector(sec)
		if err != nil {
			return nil, err
		}
		out = append(out, b[:min(len(b), n-len(out))]...)
		if sec, err = c.next(sec); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// chain follows the FAT from start for at most max sectors.
func (c *cfb) chain(start uint32, max int) ([]uint32, error) {
	var ids []uint32
	seen := map[uint32]bool{}
	for sec := start; sec != cfbEndOfChain && len(ids) < max; {
		if sec > cfbMaxRegSect || seen[sec] {
			return nil, errFormat
		}
		seen[sec] = true
		ids = append(ids, sec)
		var err error
		if sec, err = c.next(sec); err != nil {
			return nil, err
		}
	}
	return ids, nil
}

// next returns the sector after sec in its chain: the FAT entry for sec.
func (c *cfb) next(sec uint32) (uint32, error) {
	if c.steps++; c.steps > cfbMaxChain {
		return 0, errBudget
	}
	perSector := uint32(c.sectorSize / 4)
	idx := sec / perSector
	fat, ok := c.fat[idx]
	if !ok {
		loc, err := c.fatLocation(idx)
		if err != nil {
			return 0, err
		}
		if fat, err = c.sector(loc); err != nil {
			return 0, err
		}
		c.fat[idx] = fat
	}
	return binary.LittleEndian.Uint32(fat[(sec%perSector)*4:]), nil
}

// miniNext returns the mini sector after mini: its mini FAT entry, which
// lives in the mini FAT's chain of regular sectors.
func (c *cfb) miniNext(mini uint32) (uint32, error) {
	if c.steps++; c.steps > cfbMaxChain {
		return 0, errBudget
	}
	perSector := uint32(c.sectorSize / 4)
	idx := mini / perSector
	if int(idx) >= len(c.miniFAT) {
		return 0, errFormat
	}
	sec, err := c.sector(c.miniFAT[idx])
	if err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint32(sec[(mini%perSector)*4:]), nil
}

// fatLocation returns where FAT sector idx is: in the header's 109 DIFAT
// entries, or in DIFAT sectors, read as far as needed.
func (c *cfb) fatLocation(idx uint32) (uint32, error) {
	if idx >= c.nFAT {
		return 0, errFormat
	}
	for int(idx) >= len(c.difat) {
		if c.difatLeft == 0 || c.difatNext > cfbMaxRegSect || c.difatSeen[c.difatNext] {
			return 0, errFormat
		}
		c.difatSeen[c.difatNext] = true
		sec, err := c.sector(c.difatNext)
		if err != nil {
			return 0, err
		}
		n := len(sec)/4 - 1 // the last entry chains to the next DIFAT sector
		for i := range n {
			c.difat = append(c.difat, binary.LittleEndian.Uint32(sec[4*i:]))
		}
		c.difatNext = binary.LittleEndian.Uint32(sec[4*n:])
		c.difatLeft--
	}
	return c.difat[idx], nil
}

// sector reads sector id, which follows the 512-byte header (a whole
// sector in version 4 files).
func (c *cfb) sector(id uint32) ([]byte, error) {
	if id > cfbMaxRegSect {
		return nil, errFormat
	}
	if b, ok := c.cache[id]; ok {
		return b, nil
	}
	b, err := c.s.readFull((int64(id)+1)*c.sectorSize, int(c.sectorSize))
	if err != nil {
		return nil, err
	}
	c.cache[id] = b
	return b, nil
}

// upperASCII upper-cases ASCII letters only, as CFB compares names in a
// simple case fold and the names we look for are ASCII.
func upperASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}
