package sniff

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
)

// 7z property ids (7-Zip's DOC/7zFormat.txt).
const (
	k7zEnd           = 0x00
	k7zHeader        = 0x01
	k7zMainStreams   = 0x04
	k7zPackInfo      = 0x06
	k7zUnpackInfo    = 0x07
	k7zSize          = 0x09
	k7zCRC           = 0x0A
	k7zFolder        = 0x0B
	k7zEncodedHeader = 0x17
)

// aes7z is the method id of 7-Zip's AES-256 + SHA-256 coder.
var aes7z = []byte{0x06, 0xF1, 0x07, 0x01}

// max7zHeader bounds the end header read. An encoded (compressed or
// encrypted) header is a few dozen bytes; a plain one lists every file.
const max7zHeader = 64 << 10

// sevenZipEncrypted reads the end header the signature header points to
// and looks at the coders of its folders. `7z a -p -mhe=on` encodes the
// header itself with AES: nothing, not even the file names, can be read.
// A plain (not encoded) header whose every folder has an AES coder holds
// only encrypted content. A header compressed with LZMA (the default
// without -mhe) could hide either; its entries are left to the archive
// reader, which reports encrypted ones one by one.
func sevenZipEncrypted(s *source) (Encryption, bool, error) {
	sig, err := s.readFull(0, 32)
	if err != nil {
		return Encryption{}, false, err
	}
	if crc32.ChecksumIEEE(sig[12:32]) != binary.LittleEndian.Uint32(sig[8:]) {
		return Encryption{}, false, errFormat
	}
	off := binary.LittleEndian.Uint64(sig[12:])
	size := binary.LittleEndian.Uint64(sig[20:])
	if size == 0 || size > max7zHeader || off > uint64(s.size) || 32+off > uint64(s.size)-size {
		return Encryption{}, false, errFormat
	}
	hdr, err := s.readFull(int64(32+off), int(size))
	if err != nil {
		return Encryption{}, false, err
	}
	if crc32.ChecksumIEEE(hdr) != binary.LittleEndian.Uint32(sig[28:]) {
		return Encryption{}, false, errFormat
	}
	p := &parser7z{b: hdr}
	switch p.byte() {
	case k7zEncodedHeader:
		folders, aes := p.streamsInfo()
		if p.err == nil && folders > 0 && aes > 0 {
			return encryption(Kind7z, "7z archive with encrypted headers"), true, nil
		}
	case k7zHeader:
		if p.byte() != k7zMainStreams {
			return Encryption{}, false, nil // archive properties first: rare, not worth parsing
		}
		folders, aes := p.streamsInfo()
		if p.err == nil && folders > 0 && aes == folders {
			return encryption(Kind7z, "7z archive with every folder encrypted"), true, nil
		}
	}
	return Encryption{}, false, nil
}

// parser7z reads 7z header values; the first problem sticks in err and
// makes every later read return zero.
//
// pkg/extract/archive walks the same header again, fully, before
// bodgit/sevenzip allocates for its counts (sz7header.go). The two stay
// apart: sniff keeps to the standard library and cannot import the
// archive reader, and they answer different questions. This walk stops
// after the folders' coders and calls anything odd "not encrypted"; that
// one checks every count against the archive limits and calls anything
// odd corrupt. Sharing the walk would change one of the two answers on
// damaged headers; what they share word for word is the varint reader.
type parser7z struct {
	b   []byte
	err error
}

func (p *parser7z) byte() byte {
	if p.err != nil || len(p.b) == 0 {
		p.err = errFormat
		return 0
	}
	c := p.b[0]
	p.b = p.b[1:]
	return c
}

func (p *parser7z) bytes(n uint64) []byte {
	if p.err != nil || n > uint64(len(p.b)) {
		p.err = errFormat
		return nil
	}
	b := p.b[:n]
	p.b = p.b[n:]
	return b
}

// number reads 7z's variable-length integer: the count of leading one bits
// of the first byte says how many little-endian bytes follow; the rest of
// the first byte holds the high bits.
func (p *parser7z) number() uint64 {
	first := p.byte()
	var v uint64
	mask := byte(0x80)
	for i := range 8 {
		if first&mask == 0 {
			return v | uint64(first&(mask-1))<<(8*i)
		}
		v |= uint64(p.byte()) << (8 * i)
		mask >>= 1
	}
	return v
}

// streamsInfo skips PackInfo and reads the folders of UnpackInfo,
// returning how many there are and how many have an AES coder.
func (p *parser7z) streamsInfo() (folders, aes uint64) {
	id := p.byte()
	if id == k7zPackInfo {
		p.number() // pack position
		packs := p.number()
		if packs > uint64(len(p.b)) {
			p.err = errFormat
			return 0, 0
		}
		for id = p.byte(); id != k7zEnd && p.err == nil; id = p.byte() {
			switch id {
			case k7zSize:
				for range packs {
					p.number()
				}
			case k7zCRC:
				p.digests(packs)
			default:
				p.err = errFormat
			}
		}
		id = p.byte()
	}
	if id != k7zUnpackInfo || p.byte() != k7zFolder {
		p.err = errFormat
		return 0, 0
	}
	folders = p.number()
	if p.byte() != 0 || folders > uint64(len(p.b)) { // external folders: not seen in practice
		p.err = errFormat
		return 0, 0
	}
	for range folders {
		if p.folder() {
			aes++
		}
	}
	return folders, aes
}

// digests skips a CRC list: an all-defined byte or a bit vector, then a
// CRC for each defined item.
func (p *parser7z) digests(n uint64) {
	defined := n
	if p.byte() == 0 {
		bits := p.bytes((n + 7) / 8)
		defined = 0
		for _, c := range bits {
			for ; c != 0; c &= c - 1 {
				defined++
			}
		}
	}
	p.bytes(4 * defined)
}

// folder reads one folder's coders and bind pairs and reports whether a
// coder is AES.
func (p *parser7z) folder() (aes bool) {
	coders := p.number()
	if coders == 0 || coders > 64 {
		p.err = errFormat
		return false
	}
	var ins, outs uint64
	for range coders {
		flags := p.byte()
		if flags&0x80 != 0 { // alternative methods: reserved
			p.err = errFormat
			return false
		}
		if bytes.Equal(p.bytes(uint64(flags&0x0F)), aes7z) {
			aes = true
		}
		in, out := uint64(1), uint64(1)
		if flags&0x10 != 0 {
			in, out = p.number(), p.number()
		}
		if in > 64 || out > 64 {
			p.err = errFormat
			return false
		}
		ins, outs = ins+in, outs+out
		if flags&0x20 != 0 {
			p.bytes(p.number()) // properties
		}
	}
	if outs == 0 || outs-1 > ins {
		p.err = errFormat
		return false
	}
	for range outs - 1 { // bind pairs
		p.number()
		p.number()
	}
	if packed := ins - (outs - 1); packed > 1 {
		for range packed {
			p.number()
		}
	}
	return aes && p.err == nil
}
