package office

import (
	"fmt"
	"strconv"

	"github.com/datahygiene/datahygiene/pkg/extract/internal/xmlscan"
)

// OpenDocument (ODF 1.3): content.xml holds the body, styles.xml the
// master pages with a text document's headers and footers, and
// META-INF/manifest.xml says which parts are encrypted.

const (
	manifestPath = "META-INF/manifest.xml"
	contentPath  = "content.xml"
	stylesPath   = "styles.xml"
)

// odfEncrypted reads the manifest and reports which of content.xml and
// styles.xml it lists with encryption data (a password-protected
// document: the parts are encrypted, the manifest and mimetype are not).
func (d *doc) odfEncrypted() (content, styles bool, err error) {
	if d.file(manifestPath) == nil {
		return false, false, nil
	}
	x, c, err := d.open(manifestPath)
	if err != nil {
		return false, false, err
	}
	defer c.Close()
	entry := ""
	for {
		k, err := x.Next()
		if err != nil {
			return false, false, d.fail(manifestPath, err)
		}
		switch {
		case k == xmlscan.EOF:
			return content, styles, nil
		case k == xmlscan.Start && x.NS() == nsManifest && string(x.Local()) == "file-entry":
			p, _, err := x.Attr(nsManifest, "full-path")
			if err != nil {
				return false, false, d.fail(manifestPath, err)
			}
			entry = normPath(string(p))
		case k == xmlscan.Start && x.NS() == nsManifest && string(x.Local()) == "encryption-data":
			content = content || entry == contentPath
			styles = styles || entry == stylesPath
		case k == xmlscan.End && x.NS() == nsManifest && string(x.Local()) == "file-entry":
			entry = ""
		}
	}
}

// odf reads an OpenDocument package of format f.
func (d *doc) odf(f Format, e *emitter) error {
	encContent, encStyles, err := d.odfEncrypted()
	if err != nil {
		return err
	}
	if encContent {
		return fmt.Errorf("%s: %w (ODF manifest lists %s as encrypted)", d.name, ErrEncrypted, contentPath)
	}
	if d.file(contentPath) == nil {
		return corrupt(d.name, contentPath, "part missing")
	}
	if f == Ods {
		return d.ods(contentPath, e)
	}
	s := newSinks(e)
	if err := d.odfPart(contentPath, f, false, s); err != nil {
		return err
	}
	if f == Odt && !encStyles && d.file(stylesPath) != nil {
		if err := d.odfPart(stylesPath, f, true, s); err != nil {
			return err
		}
	}
	return s.flush()
}

// odfCtx is where text goes: a Part label and how many paragraphs deep
// the scanner is in it.
type odfCtx struct {
	l    *lines
	para int
}

// odfPart reads the paragraphs (text:p, text:h) of content.xml or, with
// styles, of styles.xml's master pages: one line per paragraph, and per
// ODF's white space rules, text:s, text:tab and text:line-break as spaces
// and line ends. Footnotes and endnotes (text:note-body) go to Part
// "footnotes", comments (office:annotation) to "comments", presentation
// pages to "slide N" and their notes to "slide N notes".
func (d *doc) odfPart(part string, f Format, styles bool, s *sinks) error {
	x, c, err := d.open(part)
	if err != nil {
		return err
	}
	defer c.Close()
	var w odfWalker
	w.s, w.f, w.styles = s, f, styles
	for {
		k, err := x.Next()
		if err != nil {
			return d.fail(part, err)
		}
		switch k {
		case xmlscan.EOF:
			return nil
		case xmlscan.Text:
			err = w.top().l.textCollapsed(x.Text())
		case xmlscan.Start:
			err = w.start(x)
		case xmlscan.End:
			err = w.end()
		}
		if err != nil {
			if isYieldErr(err) {
				return err
			}
			return d.fail(part, err)
		}
		t := w.top()
		x.SetWantText(t != nil && t.para > 0)
	}
}

type odfWalker struct {
	s      *sinks
	f      Format
	styles bool
	roles  []uint8
	ctxs   []odfCtx
	slide  int // the draw:page being read, 0 outside pages
	pages  int // draw:page elements so far
}

func (w *odfWalker) top() *odfCtx {
	if len(w.ctxs) == 0 {
		return nil
	}
	return &w.ctxs[len(w.ctxs)-1]
}

// open starts a new Part label for the element just read.
func (w *odfWalker) open(label string) uint8 {
	w.ctxs = append(w.ctxs, odfCtx{l: w.s.get(label)})
	return roleCtx
}

func (w *odfWalker) inPara() bool {
	t := w.top()
	return t != nil && t.para > 0
}

func (w *odfWalker) start(x *xmlscan.Scanner) error {
	role := roleNone
	local := string(x.Local())
	switch x.NS() {
	case nsOffice:
		switch local {
		case "body":
			if !w.styles && w.f == Odt {
				role = w.open("")
			}
		case "annotation":
			if w.slide > 0 {
				role = w.open(fmt.Sprintf("slide %d comments", w.slide))
			} else {
				role = w.open("comments")
			}
		case "binary-data", "change-info", "event-listeners", "forms":
			return x.Skip()
		}
	case nsStyle:
		if w.styles {
			switch local {
			case "header", "header-left", "header-first":
				role = w.open("header")
			case "footer", "footer-left", "footer-first":
				role = w.open("footer")
			}
		}
	case nsDraw:
		if local == "page" && !w.styles && w.f == Odp && w.slide == 0 {
			w.pages++
			w.slide = w.pages
			role = w.open(fmt.Sprintf("slide %d", w.slide))
		}
	case nsPresentation:
		if local == "notes" && w.slide > 0 {
			role = w.open(fmt.Sprintf("slide %d notes", w.slide))
		}
	case nsText:
		switch local {
		case "p", "h":
			if t := w.top(); t != nil {
				if t.l.cur > 0 { // a paragraph in a frame inside a paragraph
					if err := t.l.newline(); err != nil {
						return err
					}
				}
				t.para++
				role = rolePara
			}
		case "note-body":
			role = w.open("footnotes")
		case "note-citation":
			return x.Skip() // the footnote's number
		case "s":
			if w.inPara() {
				n := 1
				if v, ok, err := x.Attr(nsText, "c"); err != nil {
					return err
				} else if ok {
					if c, err := strconv.Atoi(string(v)); err == nil {
						n = min(max(c, 0), maxSpaces)
					}
				}
				if err := w.top().l.spaces(n); err != nil {
					return err
				}
			}
		case "tab":
			if w.inPara() {
				if err := w.top().l.spaces(1); err != nil {
					return err
				}
			}
		case "line-break":
			if w.inPara() {
				if err := w.top().l.newline(); err != nil {
					return err
				}
			}
		}
	case nsDC:
		return x.Skip() // an annotation's author and date
	case nsSVG:
		if local == "title" || local == "desc" {
			return x.Skip()
		}
	}
	w.roles = append(w.roles, role)
	return nil
}

func (w *odfWalker) end() error {
	n := len(w.roles)
	if n == 0 {
		return nil
	}
	role := w.roles[n-1]
	w.roles = w.roles[:n-1]
	switch role {
	case rolePara:
		t := w.top()
		t.para--
		return t.l.newline()
	case roleCtx:
		w.ctxs = w.ctxs[:len(w.ctxs)-1]
		if len(w.ctxs) == 0 && w.slide > 0 { // the end of a draw:page
			label := fmt.Sprintf("slide %d", w.slide)
			w.slide = 0
			return w.s.release(label, label+" notes", label+" comments")
		}
	}
	return nil
}
