package policy

import (
	"errors"
	"path"
	"strings"
)

// Limits on path patterns: real ones are a few segments long. The matcher
// is quadratic in segments (pattern × path), never exponential, but a
// bound keeps a hostile policy file cheap.
const (
	maxPatternLen  = 1024
	maxPatternSegs = 64
	maxPathSegs    = 4096
)

// Globs is a list of gitignore-style path patterns, matched against paths
// relative to the scan root. It is a small matcher of its own rather than
// pkg/walk's: policy sits above the walk in the pipeline and must not
// import it. Supported: `*`, `?`, `[...]` within a segment, `**` for any
// number of folders, a leading `/` (or any `/` inside) to anchor at the
// root, a trailing `/` to match folders only; a pattern without `/`
// matches a file or folder name at any depth. A pattern that matches a
// folder matches everything under it. Negation (`!`) is not supported:
// write an exception instead.
type Globs struct {
	pats []string
	gs   []glob
}

// Patterns returns the patterns as written.
func (g Globs) Patterns() []string { return g.pats }

// Match reports whether p (slash-separated, relative to the root) or one of
// its folders matches a pattern, and which.
func (g Globs) Match(p string) (string, bool) {
	if len(g.gs) == 0 {
		return "", false
	}
	parts := strings.Split(strings.Trim(p, "/"), "/")
	if len(parts) > maxPathSegs || p == "" {
		return "", false
	}
	for i := range g.gs {
		if g.gs[i].match(parts) {
			return g.pats[i], true
		}
	}
	return "", false
}

type glob struct {
	segs    []string // "**" matches any number of segments
	dirOnly bool     // trailing "/": matches folders, so only a proper prefix
}

func compileGlobs(pats []string) (Globs, error) {
	g := Globs{pats: pats, gs: make([]glob, 0, len(pats))}
	for _, p := range pats {
		c, err := compileGlob(p)
		if err != nil {
			return Globs{}, err
		}
		g.gs = append(g.gs, c)
	}
	return g, nil
}

func compileGlob(p string) (glob, error) {
	switch {
	case strings.TrimSpace(p) == "":
		return glob{}, errors.New("empty path pattern")
	case len(p) > maxPatternLen:
		return glob{}, errors.New("path pattern too long")
	case strings.HasPrefix(p, "!"):
		return glob{}, errors.New("negated patterns (!) are not supported; write an exception instead")
	}
	var g glob
	body := p
	if strings.HasSuffix(body, "/") {
		g.dirOnly = true
		body = strings.TrimRight(body, "/")
	}
	anchored := strings.Contains(body, "/")
	body = strings.TrimPrefix(body, "/")
	if body == "" {
		return glob{}, errors.New("pattern matches nothing but the root")
	}
	segs := strings.Split(body, "/")
	if !anchored && body != "**" {
		segs = append([]string{"**"}, segs...)
	}
	if n := len(segs); n > 1 && segs[n-1] == "**" {
		// "dir/**" is everything inside dir: a proper prefix ending at dir.
		segs, g.dirOnly = segs[:n-1], true
	}
	if len(segs) > maxPatternSegs {
		return glob{}, errors.New("path pattern has too many segments")
	}
	for _, s := range segs {
		if s == "" {
			return glob{}, errors.New("empty segment (//) in path pattern")
		}
		if s == "**" {
			continue
		}
		if _, err := path.Match(s, ""); err != nil {
			return glob{}, errors.New("malformed path pattern (check [ ] and \\)")
		}
	}
	g.segs = segs
	return g, nil
}

// match tells whether the pattern matches the path, or one of its folders
// (a non-empty proper prefix). ok[j] says whether segs[i:] matches a
// prefix of parts[j:] that ends where a match may end; it is filled from
// the last pattern segment back, in O(len(segs) × len(parts)).
func (g *glob) match(parts []string) bool {
	m := len(parts)
	next := make([]bool, m+1) // row i+1
	cur := make([]bool, m+1)  // row i
	for j := 0; j <= m; j++ {
		// The empty rest of a pattern matches where the matched prefix is
		// not empty and, for a folder pattern, is a folder (not the file).
		next[j] = j >= 1 && (j < m || !g.dirOnly)
	}
	for i := len(g.segs) - 1; i >= 0; i-- {
		s := g.segs[i]
		for j := m; j >= 0; j-- {
			if s == "**" {
				cur[j] = next[j] || (j < m && cur[j+1])
				continue
			}
			cur[j] = false
			if j < m && next[j+1] {
				ok, _ := path.Match(s, parts[j])
				cur[j] = ok
			}
		}
		next, cur = cur, next
	}
	return next[0]
}
