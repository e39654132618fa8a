package office

import (
	"fmt"
	"net/url"
	"path"
	"slices"
	"strings"

	"github.com/datahygiene/datahygiene/pkg/extract/internal/xmlscan"
)

// Office Open XML: the package's relationships lead from the root to the
// main part (ECMA-376 part 2, OPC), and from there to the parts read.

// rel is one internal relationship of a part, its target resolved to a
// part name.
type rel struct {
	id, typ, target string
}

// relsPath is the relationships part of part ("" is the package root).
func relsPath(part string) string {
	dir, file := path.Split(part)
	return dir + "_rels/" + file + ".rels"
}

// relType is the last segment of a relationship type URI, which is the
// same in the transitional and strict spellings.
func relType(uri string) string { return uri[strings.LastIndexByte(uri, '/')+1:] }

// resolveTarget resolves a relationship target against its source part.
func resolveTarget(source, target string) string {
	if t, err := url.PathUnescape(target); err == nil {
		target = t
	}
	if i := strings.IndexAny(target, "#?"); i >= 0 {
		target = target[:i]
	}
	if strings.HasPrefix(target, "/") {
		return path.Clean(target)[1:]
	}
	return path.Join(path.Dir(source), target)
}

// rels reads the internal relationships of part whose type keep accepts.
// A part without relationships has none.
func (d *doc) rels(part string, keep func(typ string) bool) ([]rel, error) {
	rp := relsPath(part)
	if d.file(rp) == nil {
		return nil, nil
	}
	x, c, err := d.open(rp)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	var out []rel
	for {
		k, err := x.Next()
		if err != nil {
			return nil, d.fail(rp, err)
		}
		if k == xmlscan.EOF {
			return out, nil
		}
		if k != xmlscan.Start || string(x.Local()) != "Relationship" {
			continue
		}
		if mode, _, _ := x.Attr(nsNone, "TargetMode"); strings.EqualFold(string(mode), "External") {
			continue
		}
		typ, _, err := x.Attr(nsNone, "Type")
		if err != nil {
			return nil, d.fail(rp, err)
		}
		t := relType(string(typ))
		if !keep(t) {
			continue
		}
		id, _, err := x.Attr(nsNone, "Id")
		if err != nil {
			return nil, d.fail(rp, err)
		}
		r := rel{id: string(id), typ: t}
		target, _, err := x.Attr(nsNone, "Target")
		if err != nil {
			return nil, d.fail(rp, err)
		}
		r.target = resolveTarget(part, string(target))
		if len(out) >= d.lim.MaxEntries {
			// More relationships of a kind we read than the zip has
			// entries: references cannot multiply the work.
			return nil, corrupt(d.name, rp, "more relationships than zip entries")
		}
		out = append(out, r)
	}
}

// mainPart returns the target of the root's officeDocument relationship,
// or fallback when the package has none.
func (d *doc) mainPart(fallback string) (string, error) {
	rs, err := d.rels("", func(t string) bool { return t == "officeDocument" })
	if err != nil {
		return "", err
	}
	for _, r := range rs {
		if d.file(r.target) != nil {
			return r.target, nil
		}
	}
	if d.file(fallback) == nil {
		return "", corrupt(d.name, fallback, "main part missing")
	}
	return fallback, nil
}

// wordParts are the parts of a Word document read after the body, in
// this order, and the Part label their text gets.
var wordParts = []struct{ typ, label string }{
	{"header", "header"},
	{"footer", "footer"},
	{"footnotes", "footnotes"},
	{"endnotes", "footnotes"},
	{"comments", "comments"},
}

// docx reads a WordprocessingML document: the body, then headers,
// footers, footnotes, endnotes and comments.
func (d *doc) docx(s *sinks) error {
	main, err := d.mainPart("word/document.xml")
	if err != nil {
		return err
	}
	if _, err := d.ooxmlPart(main, s.get("")); err != nil {
		return err
	}
	if err := s.flush(); err != nil {
		return err
	}
	rs, err := d.rels(main, func(t string) bool {
		return slices.ContainsFunc(wordParts, func(p struct{ typ, label string }) bool { return p.typ == t })
	})
	if err != nil {
		return err
	}
	// Headers come in any order in the relationships; their names
	// (header1.xml, header2.xml) are the order Word made them in.
	slices.SortStableFunc(rs, func(a, b rel) int { return naturalCompare(a.target, b.target) })
	for _, p := range wordParts {
		for _, r := range rs {
			if r.typ != p.typ || d.file(r.target) == nil {
				continue
			}
			if _, err := d.ooxmlPart(r.target, s.get(p.label)); err != nil {
				return err
			}
		}
	}
	return s.flush()
}

// pptx reads a PresentationML presentation: each slide in the order of
// presentation.xml's slide list, then its speaker notes.
func (d *doc) pptx(s *sinks) error {
	main, err := d.mainPart("ppt/presentation.xml")
	if err != nil {
		return err
	}
	ids, err := d.slideIDs(main)
	if err != nil {
		return err
	}
	rs, err := d.rels(main, func(t string) bool { return t == "slide" })
	if err != nil {
		return err
	}
	byID := make(map[string]string, len(rs))
	for _, r := range rs {
		byID[r.id] = r.target
	}
	for i, id := range ids {
		target, ok := byID[id]
		if !ok || d.file(target) == nil {
			continue
		}
		label := fmt.Sprintf("slide %d", i+1)
		read, err := d.ooxmlPart(target, s.get(label))
		if err != nil {
			return err
		}
		if !read {
			continue
		}
		notes, err := d.rels(target, func(t string) bool { return t == "notesSlide" })
		if err != nil {
			return err
		}
		for _, n := range notes {
			if d.file(n.target) == nil {
				continue
			}
			if _, err := d.ooxmlPart(n.target, s.get(label+" notes")); err != nil {
				return err
			}
			break
		}
		if err := s.release(label, label+" notes"); err != nil {
			return err
		}
	}
	return s.flush()
}

// slideIDs reads the relationship ids of presentation.xml's slide list,
// in order.
func (d *doc) slideIDs(part string) ([]string, error) {
	x, c, err := d.open(part)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	var ids []string
	for {
		k, err := x.Next()
		if err != nil {
			return nil, d.fail(part, err)
		}
		switch {
		case k == xmlscan.EOF:
			return ids, nil
		case k == xmlscan.Start && x.NS() == nsP && string(x.Local()) == "sldId":
			id, ok, err := x.Attr(nsR, "id")
			if err != nil {
				return nil, d.fail(part, err)
			}
			if !ok {
				continue
			}
			if len(ids) >= d.lim.MaxEntries {
				return nil, corrupt(d.name, part, "more slides than zip entries")
			}
			ids = append(ids, string(id))
		case k == xmlscan.End && x.NS() == nsP && string(x.Local()) == "sldIdLst":
			return ids, nil
		}
	}
}

// Roles of the elements ooxmlPart and odfPart track.
const (
	roleNone uint8 = iota
	rolePara
	roleRun
	roleText
	roleCtx // ODF: opens a new Part label
)

// ooxmlPart appends the text of one WordprocessingML or DrawingML part
// (a document body, header, footnotes, slide or notes slide) to l: one
// line per paragraph (w:p, a:p), text from w:t, w:delText (deleted text
// is still in the file), m:t and a:t, tabs as spaces and breaks as line
// ends. mc:Fallback is skipped: it repeats its mc:Choice for older
// readers. It reports whether the part was read (false: read before).
func (d *doc) ooxmlPart(part string, l *lines) (bool, error) {
	if !d.once(part) {
		return false, nil
	}
	x, c, err := d.open(part)
	if err != nil {
		return false, err
	}
	defer c.Close()
	roles := make([]uint8, 0, 32)
	inText := 0
	for {
		k, err := x.Next()
		if err != nil {
			return false, d.fail(part, err)
		}
		switch k {
		case xmlscan.EOF:
			return true, nil
		case xmlscan.Text:
			if err := l.text(x.Text()); err != nil {
				return false, err
			}
		case xmlscan.Start:
			parent := roleNone
			if n := len(roles); n > 0 {
				parent = roles[n-1]
			}
			role, skip, err := ooxmlRole(x, parent, l)
			if err != nil {
				if isYieldErr(err) {
					return false, err
				}
				return false, d.fail(part, err)
			}
			if skip {
				if err := x.Skip(); err != nil {
					return false, d.fail(part, err)
				}
				continue
			}
			switch role {
			case rolePara:
				if l.cur > 0 { // a paragraph in a text box inside a paragraph
					if err := l.newline(); err != nil {
						return false, err
					}
				}
			case roleText:
				inText++
				x.SetWantText(true)
			}
			roles = append(roles, role)
		case xmlscan.End:
			n := len(roles)
			if n == 0 {
				continue
			}
			role := roles[n-1]
			roles = roles[:n-1]
			switch role {
			case rolePara:
				if err := l.newline(); err != nil {
					return false, err
				}
			case roleText:
				inText--
				x.SetWantText(inText > 0)
			}
		}
	}
}

// ooxmlRole classifies the start tag just read and writes what an empty
// element stands for (a tab, a break). skip means the element and its
// content are to be skipped.
func ooxmlRole(x *xmlscan.Scanner, parent uint8, l *lines) (role uint8, skip bool, err error) {
	switch x.NS() {
	case nsW:
		switch string(x.Local()) {
		case "p":
			return rolePara, false, nil
		case "r":
			return roleRun, false, nil
		case "t", "delText":
			return roleText, false, nil
		case "tab", "ptab":
			if parent == roleRun { // w:tab in w:tabs is a tab stop
				return roleNone, false, l.spaces(1)
			}
		case "br", "cr":
			if parent == roleRun {
				return roleNone, false, l.newline()
			}
		case "noBreakHyphen":
			if parent == roleRun {
				return roleNone, false, l.text([]byte{'-'})
			}
		case "footnote", "endnote":
			// The separator lines Word keeps as notes hold no text.
			typ, _, err := x.Attr(nsW, "type")
			if err != nil {
				return roleNone, false, err
			}
			switch string(typ) {
			case "separator", "continuationSeparator", "continuationNotice":
				return roleNone, true, nil
			}
		}
	case nsA:
		switch string(x.Local()) {
		case "p":
			return rolePara, false, nil
		case "t":
			return roleText, false, nil
		case "br":
			return roleNone, false, l.newline()
		}
	case nsM:
		if string(x.Local()) == "t" {
			return roleText, false, nil
		}
	case nsMC:
		if string(x.Local()) == "Fallback" {
			return roleNone, true, nil
		}
	}
	return roleNone, false, nil
}

// naturalCompare orders names with their digit runs compared as numbers:
// header2.xml before header10.xml.
func naturalCompare(a, b string) int {
	for a != "" && b != "" {
		da, db := digitRun(a), digitRun(b)
		if da > 0 && db > 0 {
			na, nb := strings.TrimLeft(a[:da], "0"), strings.TrimLeft(b[:db], "0")
			if c := len(na) - len(nb); c != 0 {
				return c
			}
			if c := strings.Compare(na, nb); c != 0 {
				return c
			}
			a, b = a[da:], b[db:]
			continue
		}
		if a[0] != b[0] {
			return int(a[0]) - int(b[0])
		}
		a, b = a[1:], b[1:]
	}
	return len(a) - len(b)
}

func digitRun(s string) int {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i
}
