package office

import (
	"bytes"
	"encoding/binary"
	"strings"

	"github.com/datahygiene/datahygiene/pkg/sniff"
)

// Format is a document family the Reader reads. Templates and
// macro-enabled variants share their family's Format.
type Format uint8

const (
	Unknown Format = iota
	Docx           // Word: .docx, .docm, .dotx, .dotm
	Pptx           // PowerPoint: .pptx, .pptm, .potx, .potm, .ppsx, .ppsm
	Odt            // OpenDocument text: .odt, .ott
	Ods            // OpenDocument spreadsheet: .ods, .ots
	Odp            // OpenDocument presentation: .odp, .otp
)

var formatNames = [...]string{"unknown", "docx", "pptx", "odt", "ods", "odp"}

func (f Format) String() string {
	if int(f) >= len(formatNames) {
		return "unknown"
	}
	return formatNames[f]
}

// isODF reports whether f is an OpenDocument format.
func (f Format) isODF() bool { return f == Odt || f == Ods || f == Odp }

// byExtension maps lower-case extensions to formats.
var byExtension = map[string]Format{
	".docx": Docx, ".docm": Docx, ".dotx": Docx, ".dotm": Docx,
	".pptx": Pptx, ".pptm": Pptx, ".potx": Pptx, ".potm": Pptx, ".ppsx": Pptx, ".ppsm": Pptx,
	".odt": Odt, ".ott": Odt,
	".ods": Ods, ".ots": Ods,
	".odp": Odp, ".otp": Odp,
}

// odfMediaTypes maps the media types of the ODF mimetype entry (and of the
// manifest's root entry) to formats.
var odfMediaTypes = map[string]Format{
	"application/vnd.oasis.opendocument.text":                  Odt,
	"application/vnd.oasis.opendocument.text-template":         Odt,
	"application/vnd.oasis.opendocument.spreadsheet":           Ods,
	"application/vnd.oasis.opendocument.spreadsheet-template":  Ods,
	"application/vnd.oasis.opendocument.presentation":          Odp,
	"application/vnd.oasis.opendocument.presentation-template": Odp,
}

// Sniff tells which format a file called name whose first bytes are head
// is, or Unknown. The file must be a zip. An ODF file says what it is in
// its first entry, "mimetype", stored uncompressed (ODF 1.3 part 2, 3.3),
// which wins over the name, so that a renamed document is still read; an
// OOXML package has no such marker, so its name decides. head needs the
// first 100 bytes or so for the mimetype entry.
func Sniff(name string, head []byte) Format {
	if !bytes.HasPrefix(head, []byte("PK\x03\x04")) {
		return Unknown
	}
	if f, ok := odfMimetype(head); ok {
		return f
	}
	return byExtension[strings.ToLower(sniff.Ext(name))]
}

// odfMimetype reads the mimetype entry from the first local file header:
// name at offset 30, stored (method 0), its content right after the name
// and the extra field. ok is false when the first entry is not a stored
// "mimetype"; a mimetype that names another ODF type (a drawing, a
// formula) gives Unknown with ok true.
func odfMimetype(head []byte) (Format, bool) {
	const hdr = 30
	if len(head) < hdr+8 {
		return Unknown, false
	}
	method := binary.LittleEndian.Uint16(head[8:])
	csize := binary.LittleEndian.Uint32(head[18:])
	nameLen := int(binary.LittleEndian.Uint16(head[26:]))
	extraLen := int(binary.LittleEndian.Uint16(head[28:]))
	if method != 0 || nameLen != 8 || string(head[hdr:hdr+8]) != "mimetype" {
		return Unknown, false
	}
	start := hdr + nameLen + extraLen
	if start > len(head) {
		return Unknown, false
	}
	if flags := binary.LittleEndian.Uint16(head[6:]); csize == 0 && flags&0x8 != 0 {
		// Sizes in a data descriptor after the data: the media type
		// runs up to it, or to the next entry.
		rest := head[start:min(len(head), start+128)]
		for _, sig := range []string{"PK\x07\x08", "PK\x03\x04"} {
			if i := bytes.Index(rest, []byte(sig)); i >= 0 {
				rest = rest[:i]
			}
		}
		csize = uint32(len(rest))
	}
	if csize > 128 || start+int(csize) > len(head) {
		return Unknown, false
	}
	return odfMediaTypes[string(head[start:start+int(csize)])], true
}
