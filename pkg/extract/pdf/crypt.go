package pdf

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/md5"
	"crypto/rc4"
	"encoding/binary"
	"errors"
	"io"
)

// The structure check decrypts object streams to measure them, with the
// key the library derives (ISO 32000-1, 7.6.3.3, algorithm 2, with the empty
// user password: pkg/sniff hands the reader only files that open without
// one). It reproduces the library's choices, not the standard's where they
// differ (the library's per-object key is always 16 bytes), because what
// counts is what the library will inflate. pkg/sniff derives the key the
// standard's way to check the empty user password (pdfcrypt.go); the two
// differ where the library does (/EncryptMetadata), so neither can serve
// for the other.

var errNoKey = errors.New("encryption not followed")

// passwordPad pads a password to 32 bytes (algorithm 2, step a).
var passwordPad = []byte("\x28\xBF\x4E\x5E\x4E\x75\x8A\x41\x64\x00\x4E\x56\xFF\xFA\x01\x08" +
	"\x2E\x2E\x00\xB6\xD0\x68\x3E\x80\x2F\x0C\xA9\xFE\x64\x53\x69\x7A")

// fileKey is a file's encryption key and cipher.
type fileKey struct {
	key []byte
	aes bool // AES-128 (V 4) rather than RC4
}

// encryptDict returns the trailer's /Encrypt dictionary, nil if there
// is none, or errNoKey if it cannot be found.
func (c *checker) encryptDict() (pdfDict, error) {
	ev, ok := c.trailer["Encrypt"]
	if !ok || ev == nil {
		return nil, nil
	}
	if r, isRef := ev.(pdfRef); isRef {
		e := c.lookup(r.num)
		if e.inStream {
			return nil, structErr("encryption dictionary stored in an object stream")
		}
		if e.off <= 0 || e.off >= c.size {
			return nil, errNoKey
		}
		ref, obj, _, err := indirect(c.lexAt(e.off))
		if err != nil || ref != r {
			return nil, errNoKey
		}
		ev = obj
	}
	enc, ok := ev.(pdfDict)
	if !ok {
		return nil, errNoKey
	}
	return enc, nil
}

// unsupportedCipher names the encryption the library opens but cannot
// decrypt, or "" if there is none: AES-256 (V 5, revisions 5 and 6), which
// it refuses with a misleading "malformed PDF", and RC4 keys under 88 bits
// (40-bit encryption), whose per-object key it gets wrong (it keeps all 16
// bytes of the hash where algorithm 1 keeps n+5), so that every stream
// comes out as noise.
func unsupportedCipher(enc pdfDict) string {
	if enc == nil || enc["Filter"] != pdfName("Standard") {
		return ""
	}
	v, _ := enc["V"].(int64)
	rev, _ := enc["R"].(int64)
	bits, _ := enc["Length"].(int64)
	if bits == 0 {
		bits = 40
	}
	switch {
	case v >= 5 || rev >= 5:
		return "AES-256 encryption is not supported by the PDF library"
	case v != 4 && bits < 88:
		return "40-bit RC4 encryption is not supported by the PDF library"
	}
	return ""
}

// fileKey returns the file's encryption key, nil for a file that is not
// encrypted, or errNoKey.
func (c *checker) fileKey() (*fileKey, error) {
	enc, err := c.encryptDict()
	if enc == nil || err != nil {
		return nil, err
	}
	if enc["Filter"] != pdfName("Standard") {
		return nil, errNoKey
	}
	bits, _ := enc["Length"].(int64)
	if bits == 0 {
		bits = 40
	}
	v, _ := enc["V"].(int64)
	rev, _ := enc["R"].(int64)
	o, _ := enc["O"].(pdfString)
	u, _ := enc["U"].(pdfString)
	p, _ := enc["P"].(int64)
	ids, _ := c.trailer["ID"].(pdfArray)
	if bits%8 != 0 || bits < 40 || bits > 128 || (v != 1 && v != 2 && v != 4) || rev < 2 || rev > 4 ||
		len(o) != 32 || len(u) != 32 || len(ids) == 0 {
		return nil, errNoKey
	}
	id, ok := ids[0].(pdfString)
	if !ok {
		return nil, errNoKey
	}
	h := md5.New()
	h.Write(passwordPad)
	h.Write(o)
	h.Write(binary.LittleEndian.AppendUint32(nil, uint32(p)))
	h.Write(id)
	key := h.Sum(nil)
	n := int(bits / 8)
	if rev >= 3 {
		for range 50 {
			sum := md5.Sum(key[:n])
			key = sum[:]
		}
		key = key[:n]
	} else {
		key = key[:5]
	}
	return &fileKey{key: key, aes: v == 4}, nil
}

// objectKey derives the key of one object (algorithm 1) the library's way.
func (fk *fileKey) objectKey(ref pdfRef) []byte {
	h := md5.New()
	h.Write(fk.key)
	h.Write([]byte{byte(ref.num), byte(ref.num >> 8), byte(ref.num >> 16), byte(ref.gen), byte(ref.gen >> 8)})
	if fk.aes {
		h.Write([]byte("sAlT"))
	}
	return h.Sum(nil)
}

// decryptStream decrypts the data of the stream object ref.
func decryptStream(fk *fileKey, ref pdfRef, r io.Reader) io.Reader {
	k := fk.objectKey(ref)
	if !fk.aes {
		c, _ := rc4.NewCipher(k)
		return &cipher.StreamReader{S: c, R: r}
	}
	block, _ := aes.NewCipher(k)
	iv := make([]byte, aes.BlockSize)
	if _, err := io.ReadFull(r, iv); err != nil {
		return &errReader{err}
	}
	return &cbcReader{mode: cipher.NewCBCDecrypter(block, iv), r: r, buf: make([]byte, aes.BlockSize)}
}

type errReader struct{ err error }

func (e *errReader) Read([]byte) (int, error) { return 0, e.err }

// cbcReader decrypts block by block; like the library it keeps padding.
type cbcReader struct {
	mode cipher.BlockMode
	r    io.Reader
	buf  []byte
	pend []byte
}

func (c *cbcReader) Read(b []byte) (int, error) {
	if len(c.pend) == 0 {
		if _, err := io.ReadFull(c.r, c.buf); err != nil {
			return 0, err
		}
		c.mode.CryptBlocks(c.buf, c.buf)
		c.pend = c.buf
	}
	n := copy(b, c.pend)
	c.pend = c.pend[n:]
	return n, nil
}
