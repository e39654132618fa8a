package report

import (
	"cmp"
	"slices"
	"strings"

	"github.com/datahygiene/datahygiene/pkg/finding"
)

// Copies is a group of files with findings and identical content: a
// customer export saved twice, a backup copy forgotten in another folder.
// Each copy is one more place to protect, and to delete on request.
type Copies struct {
	ContentID string   `json:"-"` // finding.FileResult.ContentID, never reported
	Size      int64    `json:"size"`
	Paths     []string `json:"paths"` // sorted
}

// copiesOf groups the files with findings by content hash, keeping the
// groups of two or more, largest files first.
func copiesOf(files []finding.FileResult) []Copies {
	byHash := map[string]*Copies{}
	var order []string
	for i := range files {
		f := &files[i]
		if f.ContentID == "" || len(f.Findings) == 0 {
			continue
		}
		c, ok := byHash[f.ContentID]
		if !ok {
			c = &Copies{ContentID: f.ContentID, Size: f.Size}
			byHash[f.ContentID] = c
			order = append(order, f.ContentID)
		}
		c.Paths = append(c.Paths, f.Path)
	}
	var out []Copies
	for _, h := range order {
		if c := byHash[h]; len(c.Paths) > 1 {
			slices.Sort(c.Paths)
			out = append(out, *c)
		}
	}
	slices.SortFunc(out, func(a, b Copies) int {
		return cmp.Or(cmp.Compare(b.Size, a.Size), strings.Compare(a.Paths[0], b.Paths[0]))
	})
	return out
}
