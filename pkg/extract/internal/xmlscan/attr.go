package xmlscan

import "bytes"

// Attr is an attribute of the current start tag. Its slices point into
// the scanner's buffers and stay valid until the next call to Next.
type Attr struct {
	Name, Local, Value []byte
}

// binding is a namespace declaration in scope.
type binding struct {
	prefix string
	ns     NS
}

// Attrs parses the attributes of the current start tag, as encoding/xml
// does, once; an end tag has none.
func (s *Scanner) Attrs() ([]Attr, error) {
	if s.attrsRead {
		return s.attrs, nil
	}
	s.attrs = s.attrs[:0]
	err := s.EachAttr(func(a Attr) (bool, error) {
		s.attrs = append(s.attrs, a)
		return true, nil
	})
	if err != nil {
		s.attrs = s.attrs[:0]
		return nil, err
	}
	s.attrsRead = true
	return s.attrs, nil
}

// EachAttr calls f with each attribute of the current start tag, in
// order, until f returns false or an error. Unlike Attrs it keeps no
// list, for callers that look at a few attributes of big tags.
func (s *Scanner) EachAttr(f func(a Attr) (bool, error)) error {
	if s.attrsRead {
		for _, a := range s.attrs {
			if more, err := f(a); err != nil || !more {
				return err
			}
		}
		return nil
	}
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
		value, err := s.attrValue(raw)
		if err != nil {
			return err
		}
		if more, err := f(Attr{Name: name, Local: localName(name), Value: value}); err != nil || !more {
			return err
		}
	}
}

// attrValue unescapes an attribute value; most need nothing done and are
// returned as they are.
func (s *Scanner) attrValue(raw []byte) ([]byte, error) {
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
// in namespace ns (NoNS: unprefixed) with local name local. It needs
// namespace resolution for any ns but NoNS.
func (s *Scanner) Attr(ns NS, local string) ([]byte, bool, error) {
	var val []byte
	found := false
	err := s.EachAttr(func(a Attr) (bool, error) {
		if string(a.Local) == local && s.AttrNS(a) == ns {
			val, found = a.Value, true
			return false, nil
		}
		return true, nil
	})
	return val, found, err
}

// AttrNS resolves the namespace of an attribute of the current start tag:
// NoNS when unprefixed (attributes take no default namespace), OtherNS
// for a namespace declaration.
func (s *Scanner) AttrNS(a Attr) NS {
	prefix := prefixOf(a.Name, a.Local)
	switch {
	case len(prefix) == 0:
		return NoNS
	case string(prefix) == "xmlns":
		return OtherNS
	}
	return s.resolve(prefix)
}

// declare records the namespace declarations among the current
// attributes.
func (s *Scanner) declare() error {
	return s.EachAttr(func(a Attr) (bool, error) {
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
		s.binds = append(s.binds, binding{prefix: prefix, ns: s.namespaceOf(a.Value)})
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
