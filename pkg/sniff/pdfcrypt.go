package sniff

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/md5"
	"crypto/rc4"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/binary"
	"hash"
	"strconv"
)

// pdfPadding pads passwords in the standard security handler, revisions 2
// to 4 (ISO 32000-1, 7.6.3.3, algorithm 2, step a).
var pdfPadding = []byte("\x28\xBF\x4E\x5E\x4E\x75\x8A\x41\x64\x00\x4E\x56\xFF\xFA\x01\x08" +
	"\x2E\x2E\x00\xB6\xD0\x68\x3E\x80\x2F\x0C\xA9\xFE\x64\x53\x69\x7A")

// pkg/extract/pdf derives the same file key (crypt.go) to decrypt object
// streams before its library does. It stays apart on purpose: it copies
// the library's choices (no /EncryptMetadata, revisions 2 to 4 only) so
// as to inflate what the library will, where this check follows the
// standard, revisions 5 and 6 included.

// emptyUserPassword reports whether the standard security handler's
// encryption dictionary enc (starting at "<<") accepts the empty user
// password, so that any reader opens the file: algorithms 6 (revisions 2
// to 4) and 11 (revisions 5 and 6, ISO 32000-2 7.6.4.4.10) with the empty
// string. id0 is the first element of the trailer's /ID. Any doubt (other
// handlers, missing or odd entries) answers false.
func emptyUserPassword(enc, id0 []byte) bool {
	if v, ok := dictValue(enc, "Filter"); !ok || !bytes.HasPrefix(v, []byte("/Standard")) {
		return false
	}
	r := pdfIntKey(enc, "R", 0)
	u := pdfStringKey(enc, "U")
	switch r {
	case 2, 3, 4:
		o := pdfStringKey(enc, "O")
		p, ok := dictValue(enc, "P")
		if !ok || len(o) < 32 || len(u) < 32 {
			return false
		}
		perms, _, ok := pdfInt(p)
		if !ok {
			return false
		}
		n := 5
		if r > 2 {
			n = int(pdfIntKey(enc, "Length", 40)) / 8
		}
		if n < 5 || n > 16 {
			return false
		}
		// Algorithm 2: the file key from the padded (empty) password.
		h := md5.New()
		h.Write(pdfPadding)
		h.Write(o[:32])
		h.Write(binary.LittleEndian.AppendUint32(nil, uint32(perms)))
		h.Write(id0)
		if v, ok := dictValue(enc, "EncryptMetadata"); r == 4 && ok && bytes.HasPrefix(v, []byte("false")) {
			h.Write([]byte{0xFF, 0xFF, 0xFF, 0xFF})
		}
		key := h.Sum(nil)
		if r > 2 {
			for range 50 {
				sum := md5.Sum(key[:n])
				key = sum[:]
			}
		}
		key = key[:n]
		if r == 2 { // algorithm 4
			got := rc4XOR(key, pdfPadding)
			return bytes.Equal(got, u[:32])
		}
		// Algorithm 5: MD5 of padding and ID, then 20 RC4 passes.
		sum := md5.Sum(append(append([]byte(nil), pdfPadding...), id0...))
		got := sum[:]
		for i := range 20 {
			k := make([]byte, n)
			for j := range k {
				k[j] = key[j] ^ byte(i)
			}
			got = rc4XOR(k, got)
		}
		return bytes.Equal(got, u[:16])
	case 5, 6:
		if len(u) < 48 {
			return false
		}
		// U is the hash (32 bytes), the validation salt and the key salt.
		return bytes.Equal(pdfHash2B(nil, u[32:40], nil, r), u[:32])
	}
	return false
}

func rc4XOR(key, src []byte) []byte {
	c, err := rc4.NewCipher(key)
	if err != nil {
		return nil
	}
	dst := make([]byte, len(src))
	c.XORKeyStream(dst, src)
	return dst
}

// pdfHash2B is algorithm 2.B of ISO 32000-2 (7.6.4.3.4), or a plain
// SHA-256 for revision 5 (the Adobe extension level 3 handler).
func pdfHash2B(password, salt, udata []byte, r int64) []byte {
	h := sha256.New()
	h.Write(password)
	h.Write(salt)
	h.Write(udata)
	k := h.Sum(nil)
	if r == 5 {
		return k
	}
	for round := 0; ; round++ {
		k1 := bytes.Repeat(append(append(append([]byte(nil), password...), k...), udata...), 64)
		block, err := aes.NewCipher(k[:16])
		if err != nil {
			return nil
		}
		e := make([]byte, len(k1))
		cipher.NewCBCEncrypter(block, k[16:32]).CryptBlocks(e, k1)
		sum := 0
		for _, c := range e[:16] {
			sum += int(c)
		}
		var next hash.Hash
		switch sum % 3 {
		case 0:
			next = sha256.New()
		case 1:
			next = sha512.New384()
		default:
			next = sha512.New()
		}
		next.Write(e)
		k = next.Sum(nil)
		if round >= 63 && int(e[len(e)-1]) <= round-31 {
			return k[:32]
		}
	}
}

// pdfObject returns the offset in b just past "num gen obj", or -1.
func pdfObject(b []byte, num, gen int64) int {
	pat := []byte(strconv.FormatInt(num, 10) + " " + strconv.FormatInt(gen, 10) + " obj")
	for start := 0; ; {
		i := bytes.Index(b[start:], pat)
		if i < 0 {
			return -1
		}
		i += start
		if i == 0 || pdfDelim(b[i-1]) {
			return i + len(pat)
		}
		start = i + 1
	}
}

// pdfInt parses an integer, with an optional sign, after white space, and
// returns the rest.
func pdfInt(b []byte) (int64, []byte, bool) {
	b = skipPDFSpace(b)
	neg := false
	if len(b) > 0 && (b[0] == '-' || b[0] == '+') {
		neg = b[0] == '-'
		b = b[1:]
	}
	n, ok := pdfNumber(b)
	if !ok {
		return 0, b, false
	}
	for len(b) > 0 && '0' <= b[0] && b[0] <= '9' {
		b = b[1:]
	}
	if neg {
		n = -n
	}
	return n, b, true
}

func pdfIntKey(dict []byte, key string, def int64) int64 {
	if v, ok := dictValue(dict, key); ok {
		if n, _, ok := pdfInt(v); ok {
			return n
		}
	}
	return def
}

func pdfStringKey(dict []byte, key string) []byte {
	if v, ok := dictValue(dict, key); ok {
		s, _ := pdfString(v)
		return s
	}
	return nil
}

// pdfString decodes the literal (parenthesised, with escapes) or hex
// string at the start of b.
func pdfString(b []byte) ([]byte, bool) {
	if len(b) == 0 {
		return nil, false
	}
	var out []byte
	if b[0] == '<' {
		var hi byte
		odd := false
		for _, c := range b[1:] {
			if c == '>' {
				if odd {
					out = append(out, hi<<4)
				}
				return out, true
			}
			v, ok := unhex(c)
			if !ok {
				continue // white space
			}
			if odd {
				out = append(out, hi<<4|v)
			} else {
				hi = v
			}
			odd = !odd
		}
		return nil, false
	}
	if b[0] != '(' {
		return nil, false
	}
	depth := 0
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch c {
		case '(':
			depth++
			if depth == 1 {
				continue
			}
		case ')':
			depth--
			if depth == 0 {
				return out, true
			}
		case '\\':
			i++
			if i >= len(b) {
				return nil, false
			}
			switch c = b[i]; c {
			case 'n':
				c = '\n'
			case 'r':
				c = '\r'
			case 't':
				c = '\t'
			case 'b':
				c = '\b'
			case 'f':
				c = '\f'
			case '\r':
				if i+1 < len(b) && b[i+1] == '\n' {
					i++
				}
				continue // a line continuation
			case '\n':
				continue
			default:
				if '0' <= c && c <= '7' {
					v := int(c - '0')
					for k := 0; k < 2 && i+1 < len(b) && '0' <= b[i+1] && b[i+1] <= '7'; k++ {
						i++
						v = v*8 + int(b[i]-'0')
					}
					c = byte(v)
				}
			}
		case '\r':
			// An end of line in a string reads as \n.
			if i+1 < len(b) && b[i+1] == '\n' {
				i++
			}
			c = '\n'
		}
		out = append(out, c)
	}
	return nil, false
}
