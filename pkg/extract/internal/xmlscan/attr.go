package xmlscan

import "bytes"

// Attr is an attribute of the current start tag, its value decoded. Its
// slices point into the scanner's buffers and stay valid until the next
// call to Next.
type Attr struct {
	Name, Local, Value []byte
}

// RawAttr is an attribute as EachAttr hands it out: its name checked, its
// value not yet decoded (AttrValue does that), so that a caller looking
// for a few attributes of a big tag decodes only those.
type RawAttr struct {
	Name, Local []byte
	value       []byte // as written, or decoded when it comes from Attrs
	decoded     bool
}

// binding is a namespace declaration in scope.
type binding struct {
	prefix string
	ns     NS
}

// Attrs parses the attributes of the current start tag, as encoding/xml
// does, once: every name and every value is checked. An end tag has
// none.
func (s *Scanner) Attrs() ([]Attr, error) {
	if s.attrsRead {
		return s.attrs, nil
	}
	s.attrs, s.attrBuf = s.attrs[:0], s.attrBuf[:0]
	err := s.eachRaw(func(a RawAttr) (bool, error) {
		v, err := s.decodeValue(a.value)
		s.attrs = append(s.attrs, Attr{Name: a.Name, Local: a.Local, Value: v})
		return err == nil, err
	})
	if err != nil {
		s.attrs = s.attrs[:0]
		return nil, err
	}
	s.attrsRead, s.attrsKeep = true, len(s.attrBuf)
	return s.attrs, nil
}

// EachAttr calls f with each attribute of the current start tag, in
// order, until f returns false or an error. The names up to there are
// checked; f decodes the values it wants with AttrValue, and those it
// does not want are left unchecked.
func (s *Scanner) EachAttr(f func(a RawAttr) (bool, error)) error {
	if s.attrsRead {
		for _, a := range s.attrs {
			if more, err := f(RawAttr{Name: a.Name, Local: a.Local, value: a.Value, decoded: true}); err != nil || !more {
				return err
			}
		}
		return nil
	}
	// Values decoded by an earlier pass are no longer wanted.
	s.attrBuf = s.attrBuf[:s.attrsKeep]
	return s.eachRaw(f)
}

// AttrValue decodes the value of a, which EachAttr handed out: the
// result is valid until the next call to Next, Attr, Attrs or EachAttr.
func (s *Scanner) AttrValue(a RawAttr) ([]byte, error) {
	if a.decoded {
		return a.value, nil
	}
	return s.decodeValue(a.value)
}

// eachRaw calls f with each attribute of the current start tag as
// written, checking the names and the syntax around them.
func (s *Scanner) eachRaw(f func(a RawAttr) (bool, error)) error {
	rest := s.rawAttrs
	for {
		rest = trimSpaceLeft(rest)
		if len(rest) == 0 {
			return nil
		}
		name := readName(rest)
		if len(name) > maxNameLen || !checkName(name) {
			return syntaxError("invalid attribute name")
		}
		rest = trimSpaceLeft(rest[len(name):])
		if len(rest) == 0 || rest[0] != '=' {
			return syntaxError("attribute without value")
		}
		rest = trimSpaceLeft(rest[1:])
		if len(rest) == 0 || (rest[0] != '"' && rest[0] != '\'') {
			return syntaxError("unquoted attribute value")
		}
		j := bytes.IndexByte(rest[1:], rest[0])
		if j < 0 {
			return syntaxError("unterminated attribute value")
		}
		raw := rest[1 : 1+j]
		rest = rest[2+j:]
		if more, err := f(RawAttr{Name: name, Local: localName(name), value: raw}); err != nil || !more {
			return err
		}
	}
}

// decodeValue unescapes an attribute value into attrBuf; most need
// nothing done and are returned as they are.
func (s *Scanner) decodeValue(raw []byte) ([]byte, error) {
	if bytes.IndexByte(raw, '<') >= 0 {
		return nil, syntaxError("unescaped < in attribute value")
	}
	v := raw
	if bytes.IndexByte(raw, '&') >= 0 || bytes.IndexByte(raw, '\r') >= 0 {
		start := len(s.attrBuf)
		var err error
		if s.attrBuf, err = unescape(s.attrBuf, raw); err != nil {
			return nil, err
		}
		v = s.attrBuf[start:]
	}
	if !validText(v) {
		return nil, syntaxError("invalid character in attribute value")
	}
	return v, nil
}

// Attr returns the value of the first attribute of the current start tag
// in namespace ns (NoNS: unprefixed) with local name local, decoding
// only that one; the value is valid until the next call to Next, Attr,
// Attrs or EachAttr. It needs namespace resolution for any ns but NoNS.
func (s *Scanner) Attr(ns NS, local string) ([]byte, bool, error) {
	var val []byte
	found := false
	err := s.EachAttr(func(a RawAttr) (bool, error) {
		if string(a.Local) != local || s.AttrNS(a) != ns {
			return true, nil
		}
		var err error
		val, err = s.AttrValue(a)
		found = err == nil
		return false, err
	})
	return val, found, err
}

// AttrNS resolves the namespace of an attribute of the current start tag:
// NoNS when unprefixed (attributes take no default namespace), OtherNS
// for a namespace declaration. It looks the prefix up without the cache
// the element names use: a tag's attributes often alternate prefixes,
// which would make the one-entry cache miss every time.
func (s *Scanner) AttrNS(a RawAttr) NS {
	prefix := prefixOf(a.Name, a.Local)
	switch {
	case len(prefix) == 0:
		return NoNS
	case string(prefix) == "xmlns":
		return OtherNS
	}
	return s.lookup(prefix)
}

// declare records the namespace declarations among the current
// attributes.
func (s *Scanner) declare() error {
	return s.EachAttr(func(a RawAttr) (bool, error) {
		var prefix string
		switch p := prefixOf(a.Name, a.Local); {
		case len(p) == 0 && string(a.Name) == "xmlns":
		case string(p) == "xmlns":
			prefix = string(a.Local)
		default:
			return true, nil
		}
		if len(s.binds) >= maxBindings {
			return false, syntaxError("too many namespace declarations")
		}
		uri, err := s.AttrValue(a)
		if err != nil {
			return false, err
		}
		s.binds = append(s.binds, binding{prefix: prefix, ns: s.namespaceOf(uri)})
		s.cacheOK = false
		return true, nil
	})
}

func (s *Scanner) namespaceOf(uri []byte) NS {
	if len(uri) == 0 {
		return NoNS // xmlns="" undeclares the default namespace
	}
	if ns, ok := s.o.Namespaces[string(uri)]; ok {
		return ns
	}
	return OtherNS
}

// resolve returns the namespace bound to prefix. The last answer is kept
// while the bindings stay the same: a part uses one or two prefixes for
// nearly all its elements.
func (s *Scanner) resolve(prefix []byte) NS {
	if s.cacheOK && bytes.Equal(prefix, s.cachePrefix) {
		return s.cacheNS
	}
	ns := s.lookup(prefix)
	s.cachePrefix, s.cacheNS, s.cacheOK = append(s.cachePrefix[:0], prefix...), ns, true
	return ns
}

func (s *Scanner) lookup(prefix []byte) NS {
	for i := len(s.binds) - 1; i >= 0; i-- {
		if s.binds[i].prefix == string(prefix) {
			return s.binds[i].ns
		}
	}
	if len(prefix) == 0 {
		return NoNS
	}
	return OtherNS // undeclared prefix: read on, recognise nothing
}
