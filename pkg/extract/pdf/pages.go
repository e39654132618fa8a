package pdf

import (
	lpdf "github.com/ledongthuc/pdf"
)

// pageTree walks the page tree once, depth first, handing out the pages in
// order. The library's Reader.Page(n) walks the tree from the root for
// every page, and each step parses the kid again (the library caches no
// object; in an object stream that means inflating the stream again): with
// its Kids in one flat array, an 800-page document costs 320,000 parses
// that way, against 800 here. Pages inherit /Resources from their
// ancestors, which the walk carries down instead of climbing /Parent
// links, which can loop.
type pageTree struct {
	stack    []treeFrame
	nodes    int
	maxNodes int
}

type treeFrame struct {
	kids lpdf.Value
	i, n int
	res  lpdf.Value
}

// maxTreeDepth caps the page tree's nesting: balanced trees of millions of
// pages are a few levels deep, and a cycle is infinitely deep.
const maxTreeDepth = 64

func newPageTree(doc *lpdf.Reader, maxPages int) *pageTree {
	t := &pageTree{maxNodes: 2*maxPages + 4096}
	root := doc.Trailer().Key("Root").Key("Pages")
	if root.Kind() == lpdf.Dict {
		t.stack = append(t.stack, treeFrame{kids: root.Key("Kids"), n: root.Key("Kids").Len(), res: root.Key("Resources")})
	}
	return t
}

// next returns the next page and the resources it uses, or ok false at
// the end.
func (t *pageTree) next() (pg, res lpdf.Value, ok bool, err error) {
	for len(t.stack) > 0 {
		top := &t.stack[len(t.stack)-1]
		if top.i >= top.n {
			t.stack = t.stack[:len(t.stack)-1]
			continue
		}
		kid := top.kids.Index(top.i)
		top.i++
		if t.nodes++; t.nodes > t.maxNodes {
			return pg, res, false, structErr("page tree has more than %d nodes", t.maxNodes)
		}
		if kid.Kind() != lpdf.Dict {
			continue
		}
		inherited := top.res
		if r := kid.Key("Resources"); r.Kind() == lpdf.Dict {
			inherited = r
		}
		kids := kid.Key("Kids")
		if kids.Kind() == lpdf.Array || kid.Key("Type").Name() == "Pages" {
			if len(t.stack) >= maxTreeDepth {
				return pg, res, false, structErr("page tree deeper than %d levels (a cycle?)", maxTreeDepth)
			}
			t.stack = append(t.stack, treeFrame{kids: kids, n: kids.Len(), res: inherited})
			continue
		}
		return kid, inherited, true, nil
	}
	return pg, res, false, nil
}
