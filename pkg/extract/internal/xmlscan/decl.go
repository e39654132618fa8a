package xmlscan

import (
	"bytes"
	"io"
	"strings"

	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/unicode"
)

// begin looks for a byte order mark. UTF-8's is dropped; UTF-16's puts a
// transcoder in front of the rest (OOXML and ODF allow UTF-16), and the
// declaration that follows cannot change the encoding again.
func (s *Scanner) begin() {
	s.begun = true
	s.ensure(3)
	head := s.buf[s.pos:s.end]
	switch {
	case bytes.HasPrefix(head, []byte("\xEF\xBB\xBF")):
		s.pos += 3
	case bytes.HasPrefix(head, []byte("\xFF\xFE")), bytes.HasPrefix(head, []byte("\xFE\xFF")):
		s.transcode(unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewDecoder().Reader)
		s.transcoded = true
	}
}

// transcode passes the unread input, buffered or not, through a decoder;
// the input may have reported its end or an error already.
func (s *Scanner) transcode(dec func(io.Reader) io.Reader) {
	rest := io.MultiReader(bytes.NewReader(append([]byte(nil), s.buf[s.pos:s.end]...)), s.r)
	if s.rerr != nil {
		rest = io.MultiReader(rest, errReader{s.rerr})
	}
	s.r = dec(rest)
	s.pos, s.end, s.eof, s.rerr = 0, 0, false, nil
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// procInst skips a processing instruction. An XML declaration, wherever
// it stands, is checked as encoding/xml checks it, and one that names an
// encoding other than UTF-8 switches the input to a transcoder, as
// encoding/xml does with a CharsetReader.
func (s *Scanner) procInst() error {
	s.pos += 2
	s.ensure(4)
	rest := s.buf[s.pos:s.end]
	if !bytes.HasPrefix(rest, []byte("xml")) || len(rest) > 3 && isNameByte(rest[3]) {
		return s.skipPast([]byte("?>"))
	}
	// The declaration is read whole; it is a few dozen bytes.
	for {
		if j := bytes.Index(s.buf[s.pos:s.end], []byte("?>")); j >= 0 {
			body := s.buf[s.pos+3 : s.pos+j]
			s.pos += j + 2
			return s.declaration(string(body))
		}
		if !s.fill() {
			return s.short()
		}
	}
}

func (s *Scanner) declaration(content string) error {
	if v := pseudoAttr("version", content); v != "" && v != "1.0" {
		return syntaxError("unsupported XML version")
	}
	enc := pseudoAttr("encoding", content)
	if enc == "" || strings.EqualFold(enc, "utf-8") || s.transcoded {
		return nil
	}
	e, err := htmlindex.Get(enc)
	if err != nil {
		return syntaxError("unsupported encoding")
	}
	s.transcode(e.NewDecoder().Reader)
	s.transcoded = true
	return nil
}

// pseudoAttr returns the value of pseudo-attribute param in s, read the
// way encoding/xml reads the XML declaration.
func pseudoAttr(param, s string) string {
	param += "="
	i := 0
	var sep byte
	for i < len(s) {
		sub := s[i:]
		k := strings.Index(sub, param)
		if k < 0 || len(param)+k >= len(sub) {
			return ""
		}
		i += len(param) + k + 1
		if c := sub[len(param)+k]; c == '\'' || c == '"' {
			sep = c
			break
		}
	}
	if sep == 0 {
		return ""
	}
	j := strings.IndexByte(s[i:], sep)
	if j < 0 {
		return ""
	}
	return s[i : i+j]
}
