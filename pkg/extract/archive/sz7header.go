package archive

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/ulikunitz/xz/lzma"
)

// This file checks a 7z header before bodgit/sevenzip parses it. The
// library allocates arrays as long as the counts a header declares (up to
// 2^32 items) before reading the items, so a 150-byte file declaring four
// billion files kills the process with "fatal error: out of memory", which
// no recover() catches. checkSevenZipHeader walks the header the same way
// the library's readHeader does, allocating nothing per item, and refuses
// counts no archive within the limits needs. It also recognises encrypted
// headers (7z -mhe), which the library reports only as an unclear failure.
// pkg/sniff has a smaller walk of its own (sevenzip.go), for the same
// -mhe test before any reader runs; it says there why the two are apart.

var sevenZipMagic = []byte{'7', 'z', 0xBC, 0xAF, 0x27, 0x1C}

// 7z property ids (7-Zip's DOC/7zFormat.txt).
const (
	sz7End                   = 0x00
	sz7Header                = 0x01
	sz7ArchiveProperties     = 0x02
	sz7AdditionalStreamsInfo = 0x03
	sz7MainStreamsInfo       = 0x04
	sz7FilesInfo             = 0x05
	sz7PackInfo              = 0x06
	sz7UnpackInfo            = 0x07
	sz7SubStreamsInfo        = 0x08
	sz7Size                  = 0x09
	sz7CRC                   = 0x0A
	sz7FolderID              = 0x0B
	sz7CodersUnpackSize      = 0x0C
	sz7NumUnpackStream       = 0x0D
	sz7EmptyStream           = 0x0E
	sz7EmptyFile             = 0x0F
	sz7Name                  = 0x11
	sz7CTime                 = 0x12
	sz7ATime                 = 0x13
	sz7MTime                 = 0x14
	sz7WinAttributes         = 0x15
	sz7EncodedHeader         = 0x17
	sz7Dummy                 = 0x19
)

// Coder ids the header check knows.
var (
	sz7AES   = []byte{0x06, 0xF1, 0x07, 0x01} // AES-256 + SHA-256
	sz7LZMA  = []byte{0x03, 0x01, 0x01}
	sz7LZMA2 = []byte{0x21}
	sz7Copy  = []byte{0x00}
	sz7PPMd  = []byte{0x03, 0x04, 0x01}
)

// maxSevenZipHeader caps a header, encoded or decoded. A header lists
// names, sizes and times, under a hundred bytes per file in practice, so
// 64 MiB is far beyond any archive within the default MaxEntries.
const maxSevenZipHeader = 64 << 20

// sz7CountsPerEntry bounds the counts other than files (pack streams,
// folders, coder streams, substreams) relative to MaxEntries: a folder
// holds at least one file, and has at most a handful of coder streams
// (BCJ2 has four inputs).
const sz7CountsPerEntry = 4

var errSz7Unsupported = errors.New("unsupported 7z header")

// checkSevenZipHeader reads the signature header and the header it points
// to, and returns ErrEncrypted if that header is encrypted, a *LimitError
// if it declares more than maxEntries files, or an ErrCorrupt error if a
// count is implausible or the header cannot be checked.
func checkSevenZipHeader(ra io.ReaderAt, size int64, maxEntries int, maxBytes int64) error {
	var sh [32]byte
	if _, err := ra.ReadAt(sh[:], 0); err != nil {
		return corrupt(SevenZip, err)
	}
	if !bytes.Equal(sh[:6], sevenZipMagic) {
		return corrupt(SevenZip, errors.New("no 7z signature"))
	}
	nextOff := binary.LittleEndian.Uint64(sh[12:])
	nextSize := binary.LittleEndian.Uint64(sh[20:])
	switch {
	case nextSize > maxSevenZipHeader:
		return corrupt(SevenZip, fmt.Errorf("header of %d bytes", nextSize))
	case nextOff > uint64(size) || 32+nextOff+nextSize > uint64(size):
		return corrupt(SevenZip, errors.New("header beyond the end of the file"))
	case nextSize == 0:
		return nil // an empty archive: nothing to allocate
	}
	hdr := make([]byte, nextSize)
	if _, err := ra.ReadAt(hdr, int64(32+nextOff)); err != nil {
		return corrupt(SevenZip, err)
	}
	v := &sz7Validator{maxFiles: uint64(maxEntries), maxCount: sz7CountsPerEntry*uint64(maxEntries) + 16, maxBytes: uint64(maxBytes)}
	switch hdr[0] {
	case sz7Header:
		v.p = sz7Parser{b: hdr[1:]}
		return v.result(v.header())
	case sz7EncodedHeader:
		v.p = sz7Parser{b: hdr[1:]}
		si, err := v.streamsInfo()
		if err != nil {
			return v.result(err)
		}
		decoded, err := decodeSevenZipHeader(ra, size, si)
		if err != nil {
			return err
		}
		if len(decoded) == 0 || decoded[0] != sz7Header {
			return corrupt(SevenZip, errors.New("encoded header is not a header"))
		}
		v.p = sz7Parser{b: decoded[1:]}
		return v.result(v.header())
	}
	return corrupt(SevenZip, fmt.Errorf("unexpected header id %#x", hdr[0]))
}

// sz7Folder is what the encoded header's decoding needs of its folder.
type sz7Folder struct {
	coders   [][]byte // coder ids
	props    [][]byte
	unpacked []uint64
	dict     uint64 // largest LZMA dictionary or PPMd model its coders ask for
}

// coderDict returns the memory an LZMA or LZMA2 coder (its dictionary) or
// a PPMd coder (its model) asks for in its properties, which the decoders
// allocate whole; 0 for other coders.
func coderDict(id, props []byte) uint64 {
	switch {
	case (bytes.Equal(id, sz7LZMA) || bytes.Equal(id, sz7PPMd)) && len(props) == 5:
		return uint64(binary.LittleEndian.Uint32(props[1:]))
	case bytes.Equal(id, sz7LZMA2) && len(props) == 1:
		d, err := lzma.DecodeDictCap(props[0])
		if err != nil {
			return math.MaxUint32
		}
		return uint64(d)
	}
	return 0
}

// sz7Streams is what the encoded header's decoding needs of its
// StreamsInfo.
type sz7Streams struct {
	packPos   uint64
	packSizes []uint64
	folders   []sz7Folder
}

// decodeSevenZipHeader decompresses an encoded header (at most
// maxSevenZipHeader bytes): copy, LZMA or LZMA2, the codings 7-Zip and
// other writers use for headers; AES means the headers are encrypted.
func decodeSevenZipHeader(ra io.ReaderAt, size int64, si *sz7Streams) ([]byte, error) {
	for _, f := range si.folders {
		for _, c := range f.coders {
			if bytes.Equal(c, sz7AES) {
				return nil, fmt.Errorf("7z headers: %w", ErrEncrypted)
			}
		}
	}
	if len(si.folders) != 1 || len(si.folders[0].coders) != 1 || len(si.packSizes) != 1 || len(si.folders[0].unpacked) != 1 {
		return nil, corrupt(SevenZip, fmt.Errorf("%w: encoded with several coders", errSz7Unsupported))
	}
	f := si.folders[0]
	unpacked, packed := f.unpacked[0], si.packSizes[0]
	if unpacked > maxSevenZipHeader {
		return nil, corrupt(SevenZip, fmt.Errorf("header of %d bytes", unpacked))
	}
	if si.packPos > uint64(size) || packed > uint64(size) || 32+si.packPos+packed > uint64(size) {
		return nil, corrupt(SevenZip, errors.New("header beyond the end of the file"))
	}
	src := io.NewSectionReader(ra, int64(32+si.packPos), int64(packed))
	var dec io.Reader
	switch coder, props := f.coders[0], f.props[0]; {
	case bytes.Equal(coder, sz7Copy):
		dec = src
	case bytes.Equal(coder, sz7LZMA) && len(props) == 5:
		// The classic .lzma header is the coder's properties and the
		// size. The dictionary need not exceed the output, so it is
		// capped at that: a forged dictionary size costs nothing.
		hdr := make([]byte, 13)
		copy(hdr, props)
		dict := binary.LittleEndian.Uint32(props[1:])
		binary.LittleEndian.PutUint32(hdr[1:], uint32(min(uint64(dict), max(unpacked, lzma.MinDictCap))))
		binary.LittleEndian.PutUint64(hdr[5:], unpacked)
		r, err := lzma.NewReader(io.MultiReader(bytes.NewReader(hdr), src))
		if err != nil {
			return nil, corrupt(SevenZip, err)
		}
		dec = r
	case bytes.Equal(coder, sz7LZMA2) && len(props) == 1:
		r, err := lzma.Reader2Config{DictCap: int(max(unpacked, lzma.MinDictCap))}.NewReader2(src)
		if err != nil {
			return nil, corrupt(SevenZip, err)
		}
		dec = r
	default:
		return nil, corrupt(SevenZip, fmt.Errorf("%w: coder %x", errSz7Unsupported, coder))
	}
	out := make([]byte, unpacked)
	if err := readFullSafe(dec, out); err != nil {
		return nil, corrupt(SevenZip, fmt.Errorf("decoding header: %w", err))
	}
	return out, nil
}

// readFullSafe is io.ReadFull with decoder panics turned into errors.
func readFullSafe(r io.Reader, p []byte) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("decoder panic: %v", v)
		}
	}()
	_, err = io.ReadFull(r, p)
	return err
}

// sz7Validator walks a header like bodgit/sevenzip's readHeader, checking
// each count before the library would allocate for it.
type sz7Validator struct {
	p        sz7Parser
	maxFiles uint64
	maxCount uint64
	tooMany  bool
	folders  uint64 // declared by the last UnpackInfo
	maxBytes uint64 // MaxTotalBytes: no more is ever decompressed
}

// result turns a parse failure into the error Walk returns.
func (v *sz7Validator) result(err error) error {
	switch {
	case err == nil:
		return nil
	case v.tooMany:
		return &LimitError{Limit: LimitEntries, Value: float64(v.maxFiles)}
	}
	return corrupt(SevenZip, err)
}

var (
	errSz7Truncated = errors.New("truncated header")
	errSz7ID        = errors.New("unexpected property in header")
	errSz7Count     = errors.New("implausible count in header")
)

// count reads a count, which must be at most limit (and non-zero when the
// library requires it).
func (v *sz7Validator) count(limit uint64, nonZero bool) (uint64, error) {
	n := v.p.number()
	switch {
	case !v.p.ok():
		return 0, errSz7Truncated
	case nonZero && n == 0:
		return 0, errSz7Count
	case n > limit || n > math.MaxUint32:
		return 0, errSz7Count
	}
	return n, nil
}

func (v *sz7Validator) id() (byte, error) {
	b := v.p.byte()
	if !v.p.ok() {
		return 0, errSz7Truncated
	}
	return b, nil
}

func (v *sz7Validator) header() error {
	id, err := v.id()
	if err != nil {
		return err
	}
	if id == sz7ArchiveProperties || id == sz7AdditionalStreamsInfo {
		return errSz7Unsupported // the library does not read these either
	}
	if id == sz7MainStreamsInfo {
		if _, err := v.streamsInfo(); err != nil {
			return err
		}
		if id, err = v.id(); err != nil {
			return err
		}
	}
	if id == sz7FilesInfo {
		if err := v.filesInfo(); err != nil {
			return err
		}
		if id, err = v.id(); err != nil {
			return err
		}
	}
	if id != sz7End {
		return errSz7ID
	}
	return nil
}

func (v *sz7Validator) streamsInfo() (*sz7Streams, error) {
	si := &sz7Streams{}
	v.folders = 0
	id, err := v.id()
	if err != nil {
		return nil, err
	}
	if id == sz7PackInfo {
		if err := v.packInfo(si); err != nil {
			return nil, err
		}
		if id, err = v.id(); err != nil {
			return nil, err
		}
	}
	if id == sz7UnpackInfo {
		if err := v.unpackInfo(si); err != nil {
			return nil, err
		}
		if id, err = v.id(); err != nil {
			return nil, err
		}
	}
	if id == sz7SubStreamsInfo {
		if v.folders == 0 {
			return nil, errSz7ID // the library wants an UnpackInfo first
		}
		if err := v.subStreamsInfo(); err != nil {
			return nil, err
		}
		if id, err = v.id(); err != nil {
			return nil, err
		}
	}
	if id != sz7End {
		return nil, errSz7ID
	}
	return si, nil
}

func (v *sz7Validator) packInfo(si *sz7Streams) error {
	si.packPos = v.p.number()
	streams, err := v.count(v.maxCount, true)
	if err != nil {
		return err
	}
	id, err := v.id()
	if err != nil {
		return err
	}
	if id == sz7Size {
		for range streams {
			n := v.p.number()
			if !v.p.ok() {
				return errSz7Truncated
			}
			if len(si.packSizes) < 4 { // only the encoded header's are used
				si.packSizes = append(si.packSizes, n)
			}
		}
		if id, err = v.id(); err != nil {
			return err
		}
	}
	if id == sz7CRC {
		if err := v.digests(streams); err != nil {
			return err
		}
		if id, err = v.id(); err != nil {
			return err
		}
	}
	if id != sz7End {
		return errSz7ID
	}
	return nil
}

func (v *sz7Validator) unpackInfo(si *sz7Streams) error {
	if id, err := v.id(); err != nil || id != sz7FolderID {
		return cmp(err, errSz7ID)
	}
	folders, err := v.count(v.maxCount, true)
	if err != nil {
		return err
	}
	v.folders = folders
	if external, err := v.id(); err != nil || external != 0 {
		return cmp(err, errSz7Unsupported)
	}
	outs := make([]uint64, 0, min(folders, 1024))
	dicts := make([]uint64, 0, min(folders, 1024))
	for range folders {
		f, out, err := v.folder()
		if err != nil {
			return err
		}
		outs = append(outs, out)
		dicts = append(dicts, f.dict)
		if len(si.folders) < 4 {
			si.folders = append(si.folders, f)
		}
	}
	if id, err := v.id(); err != nil || id != sz7CodersUnpackSize {
		return cmp(err, errSz7ID)
	}
	for i, out := range outs {
		var largest uint64
		for range out {
			n := v.p.number()
			if !v.p.ok() {
				return errSz7Truncated
			}
			largest = max(largest, n)
			if i < len(si.folders) && len(si.folders[i].unpacked) < 4 {
				si.folders[i].unpacked = append(si.folders[i].unpacked, n)
			}
		}
		// The LZMA decoders allocate the dictionary whole. 7-Zip shrinks
		// it to the data, so one larger than maxDict and than the data
		// is forged; and none larger than the bytes the budget lets
		// out is of use.
		if dicts[i] > maxDict && dicts[i] > min(largest, v.maxBytes) {
			return fmt.Errorf("%w: dictionary of %s for %s of data", errSz7Unsupported, size(int64(dicts[i])), size(int64(min(largest, math.MaxInt64))))
		}
	}
	id, err := v.id()
	if err != nil {
		return err
	}
	if id == sz7CRC {
		if err := v.digests(folders); err != nil {
			return err
		}
		if id, err = v.id(); err != nil {
			return err
		}
	}
	if id != sz7End {
		return errSz7ID
	}
	return nil
}

// folder reads one folder and returns it with its number of output
// streams.
func (v *sz7Validator) folder() (sz7Folder, uint64, error) {
	var f sz7Folder
	coders, err := v.count(v.maxCount, true)
	if err != nil {
		return f, 0, err
	}
	var in, out uint64
	for range coders {
		flag, err := v.id()
		if err != nil {
			return f, 0, err
		}
		id := v.p.bytes(int(flag & 0x0F))
		var cin, cout uint64 = 1, 1
		if flag&0x10 != 0 {
			if cin, err = v.count(v.maxCount, true); err != nil {
				return f, 0, err
			}
			if cout, err = v.count(v.maxCount, true); err != nil {
				return f, 0, err
			}
		}
		var props []byte
		if flag&0x20 != 0 {
			n, err := v.count(uint64(len(v.p.b)), true)
			if err != nil {
				return f, 0, err
			}
			props = v.p.bytes(int(n))
		}
		if !v.p.ok() {
			return f, 0, errSz7Truncated
		}
		if len(f.coders) < 4 {
			f.coders = append(f.coders, id)
			f.props = append(f.props, props)
		}
		f.dict = max(f.dict, coderDict(id, props))
		in += cin
		out += cout
		if in > v.maxCount || out > v.maxCount {
			return f, 0, errSz7Count
		}
	}
	if in < out {
		return f, 0, errSz7Count
	}
	bindPairs := out - 1
	for range 2 * bindPairs {
		if _, err := v.count(math.MaxUint32, false); err != nil {
			return f, 0, err
		}
	}
	if packed := in - bindPairs; packed != 1 {
		for range packed {
			if v.p.number(); !v.p.ok() {
				return f, 0, errSz7Truncated
			}
		}
	}
	return f, out, nil
}

// subStreamsInfo reads the substreams of the v.folders folders the
// preceding UnpackInfo declared.
func (v *sz7Validator) subStreamsInfo() error {
	id, err := v.id()
	if err != nil {
		return err
	}
	n := v.folders
	streams := make([]uint64, 0, min(n, 1024))
	if id == sz7NumUnpackStream {
		for range n {
			s := v.p.number()
			if !v.p.ok() {
				return errSz7Truncated
			}
			streams = append(streams, s)
		}
		if id, err = v.id(); err != nil {
			return err
		}
	} else {
		for range n {
			streams = append(streams, 1)
		}
	}
	var files uint64
	for _, s := range streams {
		files += s
		if s > v.maxCount || files > v.maxCount {
			return errSz7Count
		}
	}
	if id == sz7Size {
		for _, s := range streams {
			for j := uint64(1); j < s; j++ {
				if v.p.number(); !v.p.ok() {
					return errSz7Truncated
				}
			}
		}
		if id, err = v.id(); err != nil {
			return err
		}
	}
	if id == sz7CRC {
		if files == 0 {
			return errSz7Count
		}
		if err := v.digests(files); err != nil {
			return err
		}
		if id, err = v.id(); err != nil {
			return err
		}
	}
	if id != sz7End {
		return errSz7ID
	}
	return nil
}

func (v *sz7Validator) filesInfo() error {
	files := v.p.number()
	switch {
	case !v.p.ok():
		return errSz7Truncated
	case files == 0:
		return errSz7Count
	case files > v.maxFiles:
		v.tooMany = true
		return errSz7Count
	}
	var emptyStreams uint64
	for {
		property, err := v.id()
		if err != nil {
			return err
		}
		if property == sz7End {
			return nil
		}
		length := v.p.number()
		if !v.p.ok() {
			return errSz7Truncated
		}
		switch property {
		case sz7EmptyStream:
			bits := v.p.bytes(int((files + 7) / 8))
			if !v.p.ok() {
				return errSz7Truncated
			}
			emptyStreams = popcount(bits, files)
		case sz7EmptyFile:
			if emptyStreams == 0 {
				return errSz7Count
			}
			if v.p.bytes(int((emptyStreams + 7) / 8)); !v.p.ok() {
				return errSz7Truncated
			}
		case sz7CTime, sz7ATime, sz7MTime:
			if err := v.optional(files, 8); err != nil {
				return err
			}
		case sz7WinAttributes:
			if err := v.optional(files, 4); err != nil {
				return err
			}
		case sz7Name:
			if external, err := v.id(); err != nil || external != 0 {
				return cmp(err, errSz7Unsupported)
			}
			if length == 0 {
				return errSz7Count
			}
			v.p.bytes(int(min(length-1, uint64(len(v.p.b)))))
		case sz7Dummy:
			v.p.bytes(int(min(length, uint64(len(v.p.b)))))
		default:
			return errSz7ID // the library knows no other property
		}
	}
}

// optional skips a vector of optional items of size bytes each, stored
// inline: an "all defined" byte or a bit vector, an "external" byte, then
// one item per defined slot.
func (v *sz7Validator) optional(n uint64, size int) error {
	defined := n
	if all := v.p.byte(); all == 0 {
		defined = popcount(v.p.bytes(int((n+7)/8)), n)
	}
	if external := v.p.byte(); !v.p.ok() || external != 0 {
		return cmp(errSz7Truncated, errSz7Unsupported)
	}
	v.p.bytes(int(min(defined*uint64(size), uint64(len(v.p.b))+1)))
	if !v.p.ok() {
		return errSz7Truncated
	}
	return nil
}

// digests skips a digest list of n items: an "all defined" byte or a bit
// vector, then a CRC per defined item.
func (v *sz7Validator) digests(n uint64) error {
	defined := n
	if all := v.p.byte(); all == 0 {
		defined = popcount(v.p.bytes(int((n+7)/8)), n)
	}
	v.p.bytes(int(min(4*defined, uint64(len(v.p.b))+1)))
	if !v.p.ok() {
		return errSz7Truncated
	}
	return nil
}

// popcount counts the set bits among the first n bits of b, most
// significant bit first (7z's bit vectors).
func popcount(b []byte, n uint64) uint64 {
	var c uint64
	for i := uint64(0); i < n && i/8 < uint64(len(b)); i++ {
		if b[i/8]&(0x80>>(i%8)) != 0 {
			c++
		}
	}
	return c
}

// cmp returns err if it is set, else fallback.
func cmp(err, fallback error) error {
	if err != nil {
		return err
	}
	return fallback
}

// sz7Parser reads 7z header fields from a byte slice; past the end, every
// read returns zero and ok turns false.
type sz7Parser struct {
	b   []byte
	bad bool
}

func (p *sz7Parser) ok() bool { return !p.bad }

func (p *sz7Parser) byte() byte {
	if len(p.b) == 0 {
		p.bad = true
		return 0
	}
	c := p.b[0]
	p.b = p.b[1:]
	return c
}

func (p *sz7Parser) bytes(n int) []byte {
	if n < 0 || n > len(p.b) {
		p.bad = true
		p.b = nil
		return nil
	}
	s := p.b[:n]
	p.b = p.b[n:]
	return s
}

// number reads 7z's variable-length integer: the count of leading one bits
// in the first byte is the count of bytes that follow, little-endian, and
// the first byte's remaining bits are the most significant.
func (p *sz7Parser) number() uint64 {
	first := p.byte()
	var v uint64
	mask := byte(0x80)
	for i := 0; i < 8; i++ {
		if first&mask == 0 {
			return v | uint64(first&(mask-1))<<(8*i)
		}
		v |= uint64(p.byte()) << (8 * i)
		mask >>= 1
	}
	return v
}
