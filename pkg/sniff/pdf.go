package sniff

import (
	"bytes"
)

// pdfTail is how much of a PDF's end is read for the trailer: the trailer
// dictionary and startxref line sit in the last few hundred bytes, after
// at most a short tail of garbage some writers leave.
const pdfTail = 16 << 10

// pdfXRef is how much is read where startxref points: the start of a
// cross-reference table up to its trailer, or an xref stream's dictionary.
const pdfXRef = 16 << 10

// pdfEncrypted looks for the /Encrypt key in the dictionaries that may
// hold it (ISO 32000-1, 7.5.5 and 7.5.8): the trailer dictionary at the
// end of the file, and the trailer or cross-reference stream dictionary
// where the last startxref points. The second matters for linearized
// files, whose final trailer holds little more than /Size, and for files
// with xref streams, which have no trailer keyword at all. "/Encrypt" in a
// page's content or anywhere outside those dictionaries does not count.
func pdfEncrypted(s *source) (Encryption, bool, error) {
	tailLen := min(s.size, pdfTail)
	tail, err := s.readFull(s.size-tailLen, int(tailLen))
	if err != nil {
		return Encryption{}, false, err
	}
	sx := lastToken(tail, "startxref")
	if sx < 0 {
		return Encryption{}, false, errFormat
	}
	if t := lastToken(tail[:sx], "trailer"); t >= 0 && lineStart(tail, t) &&
		lastToken(tail[t:sx], "endstream") < 0 && dictHasKey(tail[t+len("trailer"):], "Encrypt") {
		// The keyword starts a line and no stream ends between it and
		// startxref: it is not text inside a content stream.
		return pdfEncryption(tail[t+len("trailer"):], tail, s.head), true, nil
	}
	xref, ok := pdfNumber(tail[sx+len("startxref"):])
	if !ok || xref >= s.size {
		return Encryption{}, false, errFormat
	}
	at, err := s.read(xref, pdfXRef)
	if err != nil {
		return Encryption{}, false, err
	}
	at = skipPDFSpace(at)
	var dict []byte
	switch {
	case bytes.HasPrefix(at, []byte("xref")):
		// A table, then its trailer.
		if t := firstToken(at, "trailer"); t >= 0 {
			dict = at[t+len("trailer"):]
		}
	case len(at) > 0 && '0' <= at[0] && at[0] <= '9':
		// "N G obj <<" of a cross-reference stream.
		if i := bytes.Index(at[:min(len(at), 64)], []byte("obj")); i >= 0 {
			dict = at[i+3:]
		}
	}
	if dict != nil && dictHasKey(dict, "Encrypt") {
		return pdfEncryption(dict, at, tail, s.head), true, nil
	}
	return Encryption{}, false, nil
}

// pdfEncryption tells a PDF that opens without a password (an owner
// password only: printing or copying restricted) from one that needs one.
// trailer is the dictionary holding /Encrypt; the encryption dictionary is
// either in it or an indirect object somewhere in the bytes already read
// (windows). When it is not, or the check fails, the PDF is taken to need
// a password.
func pdfEncryption(trailer []byte, windows ...[]byte) Encryption {
	v, _ := dictValue(trailer, "Encrypt")
	enc := v
	if !bytes.HasPrefix(v, []byte("<<")) {
		num, v1, ok1 := pdfInt(v)
		gen, v2, ok2 := pdfInt(v1)
		if !ok1 || !ok2 || !bytes.HasPrefix(skipPDFSpace(v2), []byte("R")) {
			return pdfReason
		}
		enc = nil
		for _, w := range windows {
			if i := pdfObject(w, num, gen); i >= 0 {
				enc = w[i:]
				break
			}
		}
	}
	var id0 []byte
	if v, ok := dictValue(trailer, "ID"); ok && bytes.HasPrefix(v, []byte("[")) {
		id0, _ = pdfString(skipPDFSpace(v[1:]))
	}
	if enc != nil && emptyUserPassword(enc, id0) {
		return Encryption{Kind: KindPDF, Reason: "encrypted PDF that opens without a password (owner password only)", OpensWithoutPassword: true}
	}
	return pdfReason
}

var pdfReason = Encryption{Kind: KindPDF, Reason: "encrypted PDF (/Encrypt dictionary)"}

// lastToken returns the offset of the last occurrence of word in b that
// stands alone (not part of a longer name or word), or -1.
func lastToken(b []byte, word string) int {
	for end := len(b); ; {
		i := bytes.LastIndex(b[:end], []byte(word))
		if i < 0 {
			return -1
		}
		if isToken(b, i, len(word)) {
			return i
		}
		end = i
	}
}

// lineStart reports whether only spaces or tabs stand between b[i] and the
// previous line end (or the start of b).
func lineStart(b []byte, i int) bool {
	for i--; i >= 0 && (b[i] == ' ' || b[i] == '\t'); i-- {
	}
	return i < 0 || b[i] == '\n' || b[i] == '\r'
}

func firstToken(b []byte, word string) int {
	for start := 0; ; {
		i := bytes.Index(b[start:], []byte(word))
		if i < 0 {
			return -1
		}
		if isToken(b, start+i, len(word)) {
			return start + i
		}
		start += i + 1
	}
}

func isToken(b []byte, i, n int) bool {
	return (i == 0 || pdfDelim(b[i-1])) && (i+n == len(b) || pdfDelim(b[i+n]))
}

// pdfDelim reports whether c ends a PDF token: white space or a delimiter.
func pdfDelim(c byte) bool {
	switch c {
	case 0, '\t', '\n', '\f', '\r', ' ', '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return true
	}
	return false
}

func skipPDFSpace(b []byte) []byte {
	for len(b) > 0 {
		switch b[0] {
		case 0, '\t', '\n', '\f', '\r', ' ':
			b = b[1:]
		case '%': // a comment, to the end of the line
			i := bytes.IndexAny(b, "\r\n")
			if i < 0 {
				return nil
			}
			b = b[i:]
		default:
			return b
		}
	}
	return b
}

// pdfNumber parses the non-negative integer at the start of b, after
// white space.
func pdfNumber(b []byte) (int64, bool) {
	b = skipPDFSpace(b)
	var n int64
	i := 0
	for ; i < len(b) && '0' <= b[i] && b[i] <= '9'; i++ {
		if n > 1<<40 {
			return 0, false
		}
		n = n*10 + int64(b[i]-'0')
	}
	return n, i > 0
}

// dictHasKey reports whether the dictionary at the start of b (after white
// space) has key at its top level with a value other than null.
func dictHasKey(b []byte, key string) bool {
	_, ok := dictValue(b, key)
	return ok
}

// dictValue returns b from the value of key in the dictionary at the start
// of b (after white space), if key is at its top level with a value other
// than null. It
// tokenizes enough of PDF to skip nested dictionaries, arrays, strings and
// comments, so a key inside a nested value or a string does not count.
// Names are compared after #xx escapes are decoded. A dictionary cut off
// by the end of b counts for what it holds.
func dictValue(b []byte, key string) ([]byte, bool) {
	b = skipPDFSpace(b)
	if !bytes.HasPrefix(b, []byte("<<")) {
		return nil, false
	}
	b = b[2:]
	depth := 1 // dictionaries and arrays
	found := false
	for {
		b = skipPDFSpace(b)
		if len(b) == 0 {
			return nil, false
		}
		if found {
			// The key's value: anything but null.
			if !bytes.HasPrefix(b, []byte("null")) || len(b) > 4 && !pdfDelim(b[4]) {
				return b, true
			}
			found = false
		}
		switch c := b[0]; {
		case bytes.HasPrefix(b, []byte("<<")):
			depth++
			b = b[2:]
		case bytes.HasPrefix(b, []byte(">>")):
			depth--
			b = b[2:]
			if depth == 0 {
				return nil, false
			}
		case c == '[':
			depth++
			b = b[1:]
		case c == ']':
			depth--
			b = b[1:]
			if depth <= 0 {
				return nil, false
			}
		case c == '(':
			b = skipPDFString(b)
		case c == '<':
			i := bytes.IndexByte(b, '>')
			if i < 0 {
				return nil, false
			}
			b = b[i+1:]
		case c == '/':
			n := 1
			for n < len(b) && !pdfDelim(b[n]) {
				n++
			}
			found = depth == 1 && pdfNameIs(b[1:n], key)
			b = b[n:]
		default:
			// A number, keyword or stray delimiter; at least one byte.
			n := 1
			for n < len(b) && !pdfDelim(b[n]) {
				n++
			}
			b = b[n:]
		}
	}
}

// skipPDFString skips a literal string: balanced parentheses, with
// backslash escapes.
func skipPDFString(b []byte) []byte {
	depth := 0
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return b[i+1:]
			}
		}
	}
	return nil
}

// pdfNameIs compares a name's bytes (after the slash) with want, decoding
// #xx escapes.
func pdfNameIs(name []byte, want string) bool {
	j := 0
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c == '#' && i+2 < len(name) {
			h, ok1 := unhex(name[i+1])
			l, ok2 := unhex(name[i+2])
			if ok1 && ok2 {
				c = h<<4 | l
				i += 2
			}
		}
		if j >= len(want) || want[j] != c {
			return false
		}
		j++
	}
	return j == len(want)
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}
