package archive

import (
	"bufio"
	"compress/bzip2"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/ulikunitz/xz"
	"github.com/ulikunitz/xz/lzma"
)

// stream walks a compressed stream (gzip, bzip2, xz): a tar inside, if the
// first decompressed block is a tar header, or else one entry named after
// the outer file without its compression extension.
//
// Every decompressed byte passes through one meter, which charges the
// Budget and checks the ratio of output to compressed input as it goes:
// these formats declare no trustworthy size up front (gzip's trailer holds
// the size modulo 4 GiB, at the end).
func (w *walker) stream() error {
	src := &counter{r: w.sequential()}
	dec, modified, err := decoder(w.format, src)
	if err != nil {
		return corrupt(w.format, err)
	}
	m := &meter{ctx: w.ctx, r: dec, b: w.b, format: w.format, charge: true,
		in: func() int64 { return src.n }}
	br := bufio.NewReaderSize(m, 64<<10)
	head, err := br.Peek(tarBlock)
	if err != nil && err != io.EOF && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return err // corrupt, a limit, or cancellation: already wrapped by the meter
	}
	if isTar(head, w.in.Name) {
		return w.tar(br, false)
	}
	if err := w.next(); err != nil {
		return err
	}
	// A single file: the entry size limit applies to the whole stream,
	// whose bytes m has charged already.
	r := &meter{ctx: w.ctx, r: br, b: w.b, format: w.format, max: w.b.limits.MaxEntrySize}
	return w.yield(&Entry{Name: streamEntryName(w.in.Name), Size: -1, Modified: modified, R: r})
}

// decoder returns the decompressing reader for f and the stream's own
// timestamp where it has one (gzip's MTIME).
func decoder(f Format, r io.Reader) (dec io.Reader, modified time.Time, err error) {
	defer func() {
		if v := recover(); v != nil {
			dec, err = nil, fmt.Errorf("decoder panic: %v", v)
		}
	}()
	switch f {
	case Gzip:
		zr, err := gzip.NewReader(r)
		if err != nil {
			return nil, time.Time{}, err
		}
		return zr, zr.ModTime, nil
	case Bzip2:
		return bzip2.NewReader(r), time.Time{}, nil
	case XZ:
		br := bufio.NewReaderSize(r, 2048)
		head, _ := br.Peek(12 + 1024) // stream header, first block header
		if dict, ok := xzFirstDict(head); ok && dict > maxDict {
			return nil, time.Time{}, fmt.Errorf("dictionary of %s, over %s", size(dict), size(maxDict))
		}
		xr, err := xz.NewReader(br)
		if err != nil {
			return nil, time.Time{}, err
		}
		return xr, time.Time{}, nil
	}
	return nil, time.Time{}, fmt.Errorf("no decoder for %s", f.display())
}

// maxDict caps the LZMA dictionary an xz or 7z stream may ask for, since
// the decoders allocate it whole before the first byte comes out. xz's and
// 7-Zip's strongest presets use 64 MiB; 256 MiB leaves a margin while
// keeping a forged header (up to 4 GiB) from costing gigabytes.
const maxDict = 256 << 20

// xzFirstDict returns the LZMA2 dictionary size of the first block of an
// xz stream, from its block header. Later blocks normally repeat the
// first one's filters; a stream that raises the dictionary in a later
// block gets the decoder's own bound (4 GiB, allocated lazily).
func xzFirstDict(head []byte) (int64, bool) {
	if len(head) < 14 || head[12] == 0 { // no block: an empty stream
		return 0, false
	}
	end := 12 + (int(head[12])+1)*4 - 4 // filters end before the CRC
	if end > len(head) {
		return 0, false
	}
	p := &sz7Parser{b: head[14:end]}
	flags := head[13]
	if flags&0x40 != 0 {
		uvarint(p) // compressed size
	}
	if flags&0x80 != 0 {
		uvarint(p) // uncompressed size
	}
	for range int(flags&3) + 1 {
		id, n := uvarint(p), uvarint(p)
		props := p.bytes(int(min(n, 1<<10)))
		if !p.ok() {
			return 0, false
		}
		if id == 0x21 && len(props) == 1 {
			dict, err := lzma.DecodeDictCap(props[0])
			return dict, err == nil
		}
	}
	return 0, false
}

// uvarint reads xz's multibyte integer (LEB128, at most 9 bytes).
func uvarint(p *sz7Parser) uint64 {
	var v uint64
	for i := 0; i < 9; i++ {
		c := p.byte()
		v |= uint64(c&0x7F) << (7 * i)
		if c&0x80 == 0 || !p.ok() {
			break
		}
	}
	return v
}
