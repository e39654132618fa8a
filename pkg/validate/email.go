package validate

import (
	"slices"
	"strings"
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

func validDomain(s string) bool {
	if len(s) > 253 {
		return false
	}
	labels := strings.Split(strings.ToLower(s), ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for i := 0; i < len(l); i++ {
			if !isAlnum(l[i]) && l[i] != '-' {
				return false
			}
		}
	}
	tld := labels[len(labels)-1]
	if tld == "localhost" || slices.Contains(fileExtTLDs, tld) {
		return false
	}
	if strings.HasPrefix(tld, "xn--") {
		return len(tld) > 4
	}
	if len(tld) < 2 {
		return false
	}
	for i := 0; i < len(tld); i++ {
		if tld[i] < 'a' || tld[i] > 'z' {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return isDigit(c) || isUpper(c) || ('a' <= c && c <= 'z')
}
