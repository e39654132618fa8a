package validate

import (
	"strings"
	"unicode/utf8"
)

// fileExtTLDs are TLD-shaped file extensions. Asset names such as
// logo@2x.png and icon@3x.webp look like addresses, so an address whose
// "TLD" is one of these is taken for a file name. (.zip is also a real
// TLD, but in scanned files it is far more often an archive.)
var fileExtTLDs = []string{
	"png", "jpg", "jpeg", "gif", "svg", "webp", "bmp", "ico",
	"css", "js", "map", "json", "xml", "txt", "pdf", "zip",
}

// atext holds the characters RFC 5322 allows in a dot-atom besides
// letters and digits.
const atext = "!#$%&'*+-/=?^_`{|}~"

// Email reports whether value is a plausible e-mail address in the RFC
// 5321 sense: a dot-atom local part of at most 64 characters without
// leading, trailing or doubled dots; a domain of at least two labels, each
// 1-63 letters, digits or inner hyphens; a TLD of 2-63 letters or an
// xn-- (punycode) label. File-extension TLDs and localhost are rejected, as
// are quoted local parts and address literals, which real data never uses.
func Email(value string) bool {
	at := strings.LastIndexByte(value, '@')
	if at < 1 || len(value) > 254 {
		return false
	}
	local, domain := value[:at], value[at+1:]
	return validLocal(local) && validDomain(domain)
}

func validLocal(s string) bool {
	if len(s) > 64 || s[0] == '.' || s[len(s)-1] == '.' || strings.Contains(s, "..") {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isAlnum(c) && c != '.' && strings.IndexByte(atext, c) < 0 {
			return false
		}
	}
	return true
}

// validDomain walks the labels in place: it runs once per address found,
// and splitting and lower-casing the domain was most of its cost.
func validDomain(s string) bool {
	if len(s) > 253 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			// Lower-casing can turn a non-ASCII letter into an ASCII
			// one (the Kelvin sign into k): do it as before.
			s = strings.ToLower(s)
			break
		}
	}
	labels, start := 0, 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) && s[i] != '.' {
			continue
		}
		l := s[start:i]
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for j := 0; j < len(l); j++ {
			if !isAlnum(l[j]) && l[j] != '-' {
				return false
			}
		}
		labels++
		start = i + 1
	}
	if labels < 2 {
		return false
	}
	return validTLD(s[strings.LastIndexByte(s, '.')+1:])
}

// notTLDs are the last labels Email rejects: file extensions and
// localhost.
var notTLDs = func() map[string]bool {
	m := map[string]bool{"localhost": true}
	for _, e := range fileExtTLDs {
		m[e] = true
	}
	return m
}()

// validTLD checks the last label, already known to hold only ASCII
// letters, digits and inner hyphens, in any case.
func validTLD(tld string) bool {
	var buf [16]byte
	if len(tld) <= len(buf) {
		for i := 0; i < len(tld); i++ {
			buf[i] = tld[i] | 0x20 // lower-cases letters; digits and '-' have the bit
		}
		if notTLDs[string(buf[:len(tld)])] {
			return false
		}
	}
	if len(tld) > 4 && strings.EqualFold(tld[:4], "xn--") {
		return true
	}
	if len(tld) < 2 {
		return false
	}
	for i := 0; i < len(tld); i++ {
		if c := tld[i] | 0x20; c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return isDigit(c) || isUpper(c) || ('a' <= c && c <= 'z')
}
