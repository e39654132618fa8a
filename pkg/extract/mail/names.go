package mail

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxNameBytes bounds a display name; file systems allow 255 bytes.
const maxNameBytes = 200

// cleanFilename turns an attachment's declared filename (already RFC 2231
// and 2047 decoded) into a display name: the last path element only (a
// name is never a path, "../../x" is "x"), valid UTF-8 without control
// characters, trimmed, at most maxNameBytes with its extension kept. It
// returns "" when nothing usable is left.
func cleanFilename(name string) string {
	name = strings.ToValidUTF8(name, "")
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == utf8.RuneError || r == '\u2028' || r == '\u2029' {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	if name == "." || name == ".." || strings.Trim(name, ".") == "" {
		return ""
	}
	if len(name) > maxNameBytes {
		ext := ""
		if i := strings.LastIndexByte(name, '.'); i >= 0 && len(name)-i <= 16 {
			ext = name[i:]
		}
		cut := maxNameBytes - len(ext)
		for cut > 0 && !utf8.RuneStart(name[cut]) {
			cut--
		}
		name = name[:cut] + ext
	}
	return name
}

// extensions maps the content types mail commonly carries to a file
// extension for unnamed parts, so that the scan can tell them by name too.
// A fixed table, not mime.ExtensionsByType, whose answer depends on the
// machine's mime.types.
var extensions = map[string]string{
	"application/gzip":              ".gz",
	"application/json":              ".json",
	"application/ms-tnef":           ".dat",
	"application/msword":            ".doc",
	"application/octet-stream":      ".bin",
	"application/pdf":               ".pdf",
	"application/pgp-encrypted":     ".pgp",
	"application/pgp-keys":          ".asc",
	"application/pgp-signature":     ".asc",
	"application/pkcs7-mime":        ".p7m",
	"application/pkcs7-signature":   ".p7s",
	"application/rtf":               ".rtf",
	"application/vnd.ms-excel":      ".xls",
	"application/vnd.ms-tnef":       ".dat",
	"application/x-7z-compressed":   ".7z",
	"application/x-gzip":            ".gz",
	"application/x-pkcs7-mime":      ".p7m",
	"application/x-pkcs7-signature": ".p7s",
	"application/x-tar":             ".tar",
	"application/x-zip-compressed":  ".zip",
	"application/xml":               ".xml",
	"application/zip":               ".zip",
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":         ".xlsx",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document":   ".docx",
	"application/vnd.openxmlformats-officedocument.presentationml.presentation": ".pptx",
	"application/vnd.oasis.opendocument.spreadsheet":                            ".ods",
	"application/vnd.oasis.opendocument.text":                                   ".odt",
	"image/gif":                 ".gif",
	"image/jpeg":                ".jpg",
	"image/png":                 ".png",
	"image/svg+xml":             ".svg",
	"image/tiff":                ".tif",
	"image/webp":                ".webp",
	"message/delivery-status":   ".txt",
	"message/global":            ".eml",
	"message/rfc822":            ".eml",
	"text/calendar":             ".ics",
	"text/csv":                  ".csv",
	"text/html":                 ".html",
	"text/plain":                ".txt",
	"text/rfc822-headers":       ".txt",
	"text/tab-separated-values": ".tsv",
	"text/vcard":                ".vcf",
	"text/x-vcard":              ".vcf",
	"text/xml":                  ".xml",
}

// extension returns the extension for a content type, ".txt" for other
// text types and ".bin" for anything else.
func extension(ctype string) string {
	if ext, ok := extensions[ctype]; ok {
		return ext
	}
	if strings.HasPrefix(ctype, "text/") {
		return ".txt"
	}
	return ".bin"
}

// names makes the attachment names of one message unique, as file
// managers do: "a.pdf", "a (2).pdf", "a (3).pdf". Case is ignored, so
// that names a case-insensitive file system would merge stay distinct.
type names map[string]bool

func (n names) unique(name string) string {
	if !n[strings.ToLower(name)] {
		n[strings.ToLower(name)] = true
		return name
	}
	stem, ext := name, ""
	if i := strings.LastIndexByte(name, '.'); i > 0 {
		stem, ext = name[:i], name[i:]
	}
	for i := 2; ; i++ {
		c := stem + " (" + strconv.Itoa(i) + ")" + ext
		if !n[strings.ToLower(c)] {
			n[strings.ToLower(c)] = true
			return c
		}
	}
}
