package inventory

import (
	"cmp"
	"maps"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/datahygiene/datahygiene/pkg/finding"
)

// Schema names the document version the json rendering writes. Within one
// version, fields may be added but never renamed or removed.
const Schema = "datahygiene/inventory/v1"

// IssueKinds lists the issue kinds every Counts holds (zero when no file
// has them), in display order: finding.IssueKinds, as the strings Counts
// is keyed by. Any other kind a report carries is counted too, after
// these.
var IssueKinds = func() []string {
	ks := make([]string, len(finding.IssueKinds))
	for i, k := range finding.IssueKinds {
		ks[i] = string(k)
	}
	return ks
}()

// Options shape an inventory.
type Options struct {
	// Root is the scanned directory, shown as given. File paths are
	// relative to it.
	Root string
	// Depth is how many path components of a file's folder are kept: 1
	// groups by top-level folder, 2 by the folders below those, and 0
	// puts the whole tree in one folder ".". A negative depth keeps every
	// folder whole.
	Depth int
}

// Tally counts the files that have one issue kind and the occurrences of
// personal data in them.
type Tally struct {
	Files       int `json:"files"`
	Occurrences int `json:"occurrences"`
}

// Counts are the figures kept for a folder, a data class and the whole
// tree. Files counts files holding personal data (files with findings);
// Oldest and Newest are the earliest and latest modification times among
// them. Issues counts files per issue kind, whether or not they hold
// findings, as the report's summary does.
type Counts struct {
	Files       int              `json:"files"`
	Occurrences int              `json:"occurrences"`
	Oldest      time.Time        `json:"oldest,omitzero"`
	Newest      time.Time        `json:"newest,omitzero"`
	Issues      map[string]Tally `json:"issues"`
}

// Class is one kind of personal data: a detector within its category.
type Class struct {
	Category string `json:"category"`
	Detector string `json:"detector"`
	Name     string `json:"name,omitempty"`
	Counts
	// Folders lists the folders holding the class, sorted; set on
	// Inventory.Classes only (a folder's classes are in that folder).
	Folders []string `json:"folders,omitempty"`
}

// Folder is what one folder (cut to Options.Depth) holds.
type Folder struct {
	// Path is relative to the root, "/"-separated; "." is the root itself.
	Path string `json:"path"`
	// Risk is the highest risk of a file in the folder.
	Risk finding.Severity `json:"risk,omitempty"`
	Counts
	// EncryptedFiles could not be read because they are encrypted: the
	// good sign. NotScannedFiles could not be read for other reasons
	// (errors, limits) and may hold data the inventory does not show.
	EncryptedFiles  int     `json:"encrypted_files"`
	NotScannedFiles int     `json:"not_scanned_files"`
	Classes         []Class `json:"classes"`
}

// Totals are the whole tree's figures. Each file counts once, however
// many classes it holds.
type Totals struct {
	Counts
	EncryptedFiles  int `json:"encrypted_files"`
	NotScannedFiles int `json:"not_scanned_files"`
	// Folders counts the folders holding personal data, DataClasses the
	// distinct classes found.
	Folders     int `json:"folders"`
	DataClasses int `json:"data_classes"`
}

// Inventory is the data map of one scan.
type Inventory struct {
	Schema string `json:"schema"`
	Root   string `json:"root"`
	Depth  int    `json:"depth"`
	Totals Totals `json:"totals"`
	// Classes holds each class over the whole tree, in category order
	// (finding.Categories, then others by name), then by detector.
	Classes []Class `json:"classes"`
	// Folders holds every folder with a file holding data, an issue, or
	// a status other than scanned, sorted by path with "." first.
	Folders []Folder `json:"folders"`
}

type classKey struct{ category, detector string }

// Build aggregates files (a report's Files: paths relative to opts.Root,
// archive members as OUTER!INNER) into an inventory. Clean scanned files
// are not in a report and add nothing. Times are kept in UTC to the second.
func Build(files []finding.FileResult, opts Options) *Inventory {
	inv := &Inventory{Schema: Schema, Root: opts.Root, Depth: opts.Depth, Totals: Totals{Counts: newCounts()}}
	folders := map[string]*Folder{}
	folderClasses := map[string]map[classKey]*Class{}
	classes := map[classKey]*Class{}
	classFolders := map[classKey]map[string]bool{}

	for i := range files {
		f := &files[i]
		kinds := issueKinds(f.Issues)
		hasData := len(f.Findings) > 0
		encrypted := f.Status == finding.Encrypted
		notScanned := f.Status == finding.Error || f.Status == finding.Skipped
		if !hasData && len(kinds) == 0 && !encrypted && !notScanned {
			continue
		}
		dir := FolderOf(f.Path, opts.Depth)
		fo := folders[dir]
		if fo == nil {
			fo = &Folder{Path: dir, Counts: newCounts()}
			folders[dir] = fo
			folderClasses[dir] = map[classKey]*Class{}
		}
		fo.Risk = max(fo.Risk, f.Risk)
		if encrypted {
			fo.EncryptedFiles++
			inv.Totals.EncryptedFiles++
		}
		if notScanned {
			fo.NotScannedFiles++
			inv.Totals.NotScannedFiles++
		}

		occ := f.Occurrences()
		mtime := f.Modified.UTC().Truncate(time.Second)
		if hasData {
			fo.addData(occ, mtime)
			inv.Totals.addData(occ, mtime)
		}
		for _, k := range kinds {
			fo.addIssue(k, occ)
			inv.Totals.addIssue(k, occ)
		}

		for _, fc := range fileClasses(f.Findings) {
			for _, c := range []*Class{classIn(folderClasses[dir], fc.key, fc.name), classIn(classes, fc.key, fc.name)} {
				c.addData(fc.count, mtime)
				for _, kind := range kinds {
					c.addIssue(kind, fc.count)
				}
			}
			if classFolders[fc.key] == nil {
				classFolders[fc.key] = map[string]bool{}
			}
			classFolders[fc.key][dir] = true
		}
	}

	inv.Folders = make([]Folder, 0, len(folders))
	for _, dir := range slices.SortedFunc(maps.Keys(folders), compareFolders) {
		fo := folders[dir]
		fo.Classes = sortedClasses(folderClasses[dir])
		if fo.Files > 0 {
			inv.Totals.Folders++
		}
		inv.Folders = append(inv.Folders, *fo)
	}
	inv.Classes = sortedClasses(classes)
	for i := range inv.Classes {
		c := &inv.Classes[i]
		c.Folders = slices.SortedFunc(maps.Keys(classFolders[classKey{c.Category, c.Detector}]), compareFolders)
	}
	inv.Totals.DataClasses = len(inv.Classes)
	return inv
}

// FolderOf returns the folder an inventory counts path under: the
// directory of the outer file (the part before the first "!"), cleaned,
// cut to depth components (all of them when depth < 0), or "." at the
// root. A "!" in a real file or folder name is read as an archive
// separator too, as the report's OUTER!INNER paths cannot tell them apart;
// such a file counts under the folder above.
func FolderOf(p string, depth int) string {
	if i := strings.IndexByte(p, '!'); i >= 0 {
		p = p[:i]
	}
	// Cleaning under a leading "/" drops "..", "." and doubled slashes, so
	// that a hostile path cannot name a folder above the root.
	p = strings.TrimPrefix(path.Clean("/"+p), "/")
	dir := path.Dir(p)
	if depth == 0 || dir == "." || dir == "/" || dir == "" {
		return "."
	}
	if depth > 0 {
		parts := strings.Split(dir, "/")
		if len(parts) > depth {
			dir = strings.Join(parts[:depth], "/")
		}
	}
	return dir
}

func newCounts() Counts {
	c := Counts{Issues: make(map[string]Tally, len(IssueKinds))}
	for _, k := range IssueKinds {
		c.Issues[k] = Tally{}
	}
	return c
}

func (c *Counts) addData(occ int, mtime time.Time) {
	c.Files++
	c.Occurrences += occ
	if mtime.IsZero() {
		return
	}
	if c.Oldest.IsZero() || mtime.Before(c.Oldest) {
		c.Oldest = mtime
	}
	if c.Newest.IsZero() || mtime.After(c.Newest) {
		c.Newest = mtime
	}
}

func (c *Counts) addIssue(kind string, occ int) {
	t := c.Issues[kind]
	t.Files++
	t.Occurrences += occ
	c.Issues[kind] = t
}

// Kinds returns the issue kinds c holds, IssueKinds first, then others by
// name.
func (c *Counts) Kinds() []string {
	return slices.SortedFunc(maps.Keys(c.Issues), compareKinds)
}

type fileClass struct {
	key   classKey
	name  string
	count int
}

// fileClasses sums a file's findings per class. A detector normally has
// one finding per file; repeats are merged so that a file counts once per
// class. A file has few findings, so a slice beats a map.
func fileClasses(fds []finding.Finding) []fileClass {
	out := make([]fileClass, 0, len(fds))
	for _, fd := range fds {
		k := classKey{string(fd.Category), fd.Detector}
		i := slices.IndexFunc(out, func(c fileClass) bool { return c.key == k })
		if i < 0 {
			out = append(out, fileClass{key: k, name: fd.Name})
			i = len(out) - 1
		}
		out[i].count += fd.Count
		if out[i].name == "" {
			out[i].name = fd.Name
		}
	}
	return out
}

func classIn(m map[classKey]*Class, k classKey, name string) *Class {
	c := m[k]
	if c == nil {
		c = &Class{Category: k.category, Detector: k.detector, Name: name, Counts: newCounts()}
		m[k] = c
	} else if c.Name == "" {
		c.Name = name
	}
	return c
}

// issueKinds returns the distinct kinds of a file's issues: a file counts
// once per kind, as in the report's summary.
func issueKinds(issues []finding.Issue) []string {
	var kinds []string
	for _, is := range issues {
		if k := string(is.Kind); !slices.Contains(kinds, k) {
			kinds = append(kinds, k)
		}
	}
	return kinds
}

func sortedClasses(m map[classKey]*Class) []Class {
	out := make([]Class, 0, len(m))
	for _, c := range m {
		out = append(out, *c)
	}
	slices.SortFunc(out, func(a, b Class) int {
		return cmp.Or(compareCategories(a.Category, b.Category), strings.Compare(a.Detector, b.Detector))
	})
	return out
}

// compareCategories orders categories as finding.Categories lists them,
// then unknown ones by name, then none.
func compareCategories(a, b string) int {
	rank := func(c string) int {
		if c == "" {
			return len(finding.Categories) + 1
		}
		if i := slices.Index(finding.Categories, finding.Category(c)); i >= 0 {
			return i
		}
		return len(finding.Categories)
	}
	return cmp.Or(cmp.Compare(rank(a), rank(b)), strings.Compare(a, b))
}

func compareKinds(a, b string) int {
	return finding.CompareIssueKinds(finding.IssueKind(a), finding.IssueKind(b))
}

// compareFolders sorts by path with the root first.
func compareFolders(a, b string) int {
	switch {
	case a == b:
		return 0
	case a == ".":
		return -1
	case b == ".":
		return 1
	}
	return strings.Compare(a, b)
}
