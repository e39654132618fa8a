package allow

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/datahygiene/datahygiene/pkg/finding"
	"github.com/datahygiene/datahygiene/pkg/pathmatch"
	"github.com/datahygiene/datahygiene/pkg/ruleset"
)

// Entry is one allowlist entry.
type Entry struct {
	Paths        []string
	Detectors    []string
	Fingerprints []string
	Reason       string
	Origin       string // file:line

	paths *pathmatch.Matcher
	fps   map[string]bool
}

// List is the merged allowlist of all sources. The zero value and nil
// allow nothing.
type List struct {
	Entries []Entry
}

type entrySpec struct {
	Paths        []string `yaml:"paths"`
	Detectors    []string `yaml:"detectors"`
	Fingerprints []string `yaml:"fingerprints"`
	Reason       string   `yaml:"reason"`
}

// Load reads the `allow:` sections of the sources, in order. known lists
// the detector ids an entry may name. Problems are *ruleset.Error with the
// file and line.
func Load(known []string, srcs ...ruleset.Source) (*List, error) {
	l := &List{}
	for _, src := range srcs {
		if len(bytes.TrimSpace(src.Data)) == 0 {
			continue
		}
		var doc struct {
			Allow yaml.Node `yaml:"allow"`
		}
		if err := yaml.Unmarshal(src.Data, &doc); err != nil {
			return nil, &ruleset.Error{File: src.Name, Msg: err.Error()}
		}
		n := &doc.Allow
		if n.Kind == 0 {
			continue
		}
		if n.Kind != yaml.SequenceNode {
			return nil, &ruleset.Error{File: src.Name, Line: n.Line, Msg: "allow: want a list of entries"}
		}
		for _, item := range n.Content {
			e, err := parseEntry(src.Name, item, known)
			if err != nil {
				return nil, err
			}
			l.Entries = append(l.Entries, e)
		}
	}
	return l, nil
}

func parseEntry(file string, n *yaml.Node, known []string) (Entry, error) {
	fail := func(format string, args ...any) (Entry, error) {
		return Entry{}, &ruleset.Error{File: file, Line: n.Line, Msg: "allow entry: " + fmt.Sprintf(format, args...)}
	}
	if n.Kind != yaml.MappingNode {
		return fail("want a mapping with paths, detectors, fingerprints and reason")
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		switch k := n.Content[i].Value; k {
		case "paths", "detectors", "fingerprints", "reason":
		default:
			return Entry{}, &ruleset.Error{File: file, Line: n.Content[i].Line, Msg: fmt.Sprintf("allow entry: unknown field %q (want paths, detectors, fingerprints, reason)", k)}
		}
	}
	var s entrySpec
	if err := n.Decode(&s); err != nil {
		return fail("%v", err)
	}
	if strings.TrimSpace(s.Reason) == "" {
		return fail("a reason is required: it is shown in the report next to what the entry leaves out")
	}
	if len(s.Paths)+len(s.Detectors)+len(s.Fingerprints) == 0 {
		return fail("set paths, detectors or fingerprints (an entry without any would accept everything)")
	}
	for _, d := range s.Detectors {
		if !slices.Contains(known, d) {
			return fail("unknown detector %q", d)
		}
	}
	e := Entry{Paths: s.Paths, Detectors: s.Detectors, Fingerprints: s.Fingerprints, Reason: s.Reason, Origin: fmt.Sprintf("%s:%d", file, n.Line)}
	if len(s.Paths) > 0 {
		m, err := pathmatch.Compile(s.Paths, "")
		if err != nil {
			// Never leave paths nil on an error: a nil matcher accepts
			// every path.
			line, msg := n.Line, err.Error()
			var pe *pathmatch.PatternError
			if errors.As(err, &pe) {
				line, msg = pathLine(n, pe.Index), fmt.Sprintf("%q: %s", pe.Pattern, pe.Reason)
			}
			return Entry{}, &ruleset.Error{File: file, Line: line, Msg: "allow entry: paths: " + msg}
		}
		e.paths = m
	}
	if len(s.Fingerprints) > 0 {
		e.fps = map[string]bool{}
		for _, fp := range s.Fingerprints {
			e.fps[strings.ToLower(strings.TrimSpace(fp))] = true
		}
	}
	return e, nil
}

// pathLine returns the line of the entry's i-th path, or the entry's own.
func pathLine(entry *yaml.Node, i int) int {
	for k := 0; k+1 < len(entry.Content); k += 2 {
		if v := entry.Content[k+1]; entry.Content[k].Value == "paths" && v.Kind == yaml.SequenceNode && i < len(v.Content) {
			return v.Content[i].Line
		}
	}
	return entry.Line
}

// NeedsFingerprints tells whether some entry matches by fingerprint, so
// the scan must fingerprint values.
func (l *List) NeedsFingerprints() bool {
	if l == nil {
		return false
	}
	for _, e := range l.Entries {
		if len(e.Fingerprints) > 0 {
			return true
		}
	}
	return false
}

// Apply moves the occurrences of r's findings that an entry accepts to
// r.Suppressed. Only locations that carry a fingerprint can match by
// fingerprint; past the per-finding location cap an occurrence has none
// and stays reported.
func (l *List) Apply(r *finding.FileResult) {
	if l == nil || len(l.Entries) == 0 || len(r.Findings) == 0 {
		return
	}
	// Which entries cover the file's path is decided once, not per
	// finding.
	var entries []*Entry
	for i := range l.Entries {
		if e := &l.Entries[i]; e.matchPath(r.Path) {
			entries = append(entries, e)
		}
	}
	if len(entries) == 0 {
		return
	}
	kept := r.Findings[:0:0]
	for _, fd := range r.Findings {
		for _, e := range entries {
			if len(e.Detectors) > 0 && !slices.Contains(e.Detectors, fd.Detector) {
				continue
			}
			n := 0
			if e.fps == nil {
				n = fd.Count
				fd.Count, fd.Locations, fd.LocationsOmitted = 0, nil, 0
			} else {
				locs := fd.Locations[:0:0]
				for _, loc := range fd.Locations {
					if loc.Fingerprint != "" && e.fps[loc.Fingerprint] {
						n++
					} else {
						locs = append(locs, loc)
					}
				}
				fd.Locations = locs
				fd.Count -= n
			}
			if n > 0 {
				r.Suppressed = append(r.Suppressed, finding.Suppression{Detector: fd.Detector, Count: n, Reason: e.Reason + " (" + e.Origin + ")"})
			}
			if fd.Count == 0 {
				break
			}
		}
		if fd.Count > 0 {
			kept = append(kept, fd)
		}
	}
	r.Findings = kept
}

// matchPath matches the path or one of its folders, and for an archive
// member (OUTER!INNER) the archive's own path.
func (e *Entry) matchPath(p string) bool {
	if e.paths == nil {
		return true
	}
	for part := range strings.SplitSeq(p, "!") {
		if _, ok := e.paths.Covers(part, false); ok {
			return true
		}
	}
	return false
}
