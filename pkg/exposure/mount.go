package exposure

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// Values of Mount.Encryption and Mount.Transport besides the named methods.
const (
	// Unknown means the OS does not show it (a network share's server
	// disks, a device missing from /sys, a non-Linux system).
	Unknown = "unknown"
	// None means Mounts looked where it can look and saw no encryption.
	None = ""
)

// Mount is one mounted filesystem and how exposed the data on it is.
type Mount struct {
	// Path is the mount point, with the kernel's escapes (\040…) decoded.
	Path string `json:"path"`
	// Device is the major:minor number from mountinfo ("0:52" for
	// filesystems without a block device of their own).
	Device string `json:"device"`
	Source string `json:"source"`
	FSType string `json:"fs_type"`
	// Options are the per-mount options followed by the filesystem's
	// super options, without repeats.
	Options []string `json:"options"`
	// Encryption says how data is encrypted at rest: "dm-crypt",
	// "fscrypt", "ecryptfs", "gocryptfs", "encfs", "cryfs", None for none
	// seen, Unknown where the OS does not show it.
	Encryption string `json:"encryption"`
	// Network is set for filesystems whose data crosses a network.
	Network bool `json:"network"`
	// Transport says how a network filesystem protects its traffic:
	// "krb5p", "tls" (NFS over TLS), "smb3-encrypted", "ssh",
	// "ceph-secure", None for unprotected, Unknown.
	Transport string `json:"transport"`
	// Note explains the finding in one line for a non-specialist.
	Note string `json:"note"`
}

// Options says where Mounts reads the kernel's view of the system. Tests
// point it at fixture trees; the zero value reads the live system.
type Options struct {
	// ProcRoot is where proc is mounted ("" for /proc); Mounts reads
	// ProcRoot/self/mountinfo.
	ProcRoot string
	// SysRoot is where sysfs is mounted ("" for /sys); Mounts follows
	// SysRoot/dev/block/MAJ:MIN to find what a block device sits on.
	SysRoot string

	// dirEncrypted replaces DirEncrypted in tests, whose mount points
	// do not exist on the test machine.
	dirEncrypted func(string) (bool, error)
}

// Limits on following one mount down to the devices that hold its data.
// Real stacks are a few levels deep (partition, LUKS, LVM, RAID, loop).
const (
	maxStackDepth = 16  // levels of slaves, partitions, loop files, overlay layers
	maxStackNodes = 256 // devices visited for one mount
	maxSlaves     = 64  // entries read from one slaves/ directory
	maxSysfsRead  = 4096
)

// MountsWith is Mounts reading the files under opts' roots. It works on
// any OS, so fixture trees can be tested everywhere.
func MountsWith(root string, opts Options) ([]Mount, error) {
	proc := opts.ProcRoot
	live := proc == ""
	if live {
		proc = "/proc"
	}
	if opts.SysRoot == "" {
		opts.SysRoot = "/sys"
	}
	if opts.dirEncrypted == nil {
		opts.dirEncrypted = DirEncrypted
	}
	name := filepath.Join(proc, "self", "mountinfo")
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("reading mounts: %w", err)
	}
	entries, err := parseMountinfo(f)
	f.Close()
	if err != nil {
		return nil, fmt.Errorf("reading mounts: %s: %w", name, err)
	}
	root = cleanRoot(root, live)
	t := newMountTable(entries)
	hold := t.holding(root)
	if hold == nil {
		return nil, fmt.Errorf("%s: no mount in %s holds it", root, name)
	}
	c := &classifier{opts: opts, table: t, blocks: map[string]stackResult{}}
	out := []Mount{c.mount(hold, root)}
	var below []*mountEntry
	for _, e := range t.visible {
		if e != hold && hasPathPrefix(e.point, root) {
			below = append(below, e)
		}
	}
	sort.Slice(below, func(i, j int) bool { return below[i].point < below[j].point })
	for _, e := range below {
		out = append(out, c.mount(e, e.point))
	}
	return out, nil
}

// cleanRoot makes root absolute and, on the live system, resolves
// symlinks where it exists, so that a root reached through a link is
// matched against the mount it is really on. Fixture roots name paths of
// another system and are only cleaned.
func cleanRoot(root string, live bool) string {
	if abs, err := filepath.Abs(root); err == nil {
		root = abs
	}
	if live {
		if real, err := filepath.EvalSymlinks(root); err == nil {
			root = real
		}
	}
	return filepath.Clean(root)
}

// hasPathPrefix reports whether p is dir or lies below it.
func hasPathPrefix(p, dir string) bool {
	if dir == "/" {
		return strings.HasPrefix(p, "/")
	}
	return p == dir || strings.HasPrefix(p, dir+"/")
}

// mountTable holds the mounts a path lookup can reach. mountinfo also
// lists mounts that are hidden: covered by a later mount on the same
// point, or below a point that a later mount covers.
type mountTable struct {
	visible []*mountEntry
	byPoint map[string]*mountEntry // the visible mount at each point
}

// newMountTable works in time linear in the number of mounts times the
// depth of their paths: a Kubernetes node has thousands of mounts, most of
// them children of the root mount.
func newMountTable(entries []mountEntry) *mountTable {
	byID := make(map[int]*mountEntry, len(entries))
	// at[parent][point] is the last mount made on point over parent.
	at := make(map[int]map[string]*mountEntry)
	for i := range entries {
		e := &entries[i]
		byID[e.id] = e
		m := at[e.parent]
		if m == nil {
			m = make(map[string]*mountEntry)
			at[e.parent] = m
		}
		if prev := m[e.point]; prev == nil || prev.line < e.line {
			m[e.point] = e
		}
	}
	const (
		unseen = iota
		busy
		yes
		no
	)
	reach := make(map[*mountEntry]int, len(entries))
	vis := make(map[*mountEntry]int, len(entries))
	var reachable, visible func(e *mountEntry) bool
	// reachable: a lookup of e's mount point gets to e, or to mounts
	// stacked on it. A parent cycle in malformed input counts as hidden.
	reachable = func(e *mountEntry) bool {
		switch reach[e] {
		case busy, no:
			return false
		case yes:
			return true
		}
		reach[e] = busy
		ok := at[e.parent][e.point] == e
		// A sibling on a directory above e's point was mounted later
		// (else it would be e's parent) and hides e.
		for dir := e.point; ok && dir != "/"; {
			dir = path.Dir(dir)
			if s := at[e.parent][dir]; s != nil && s != e {
				ok = false
			}
		}
		if p := byID[e.parent]; ok && p != nil && p != e {
			if p.point == e.point {
				ok = reachable(p) // stacked on p
			} else {
				ok = visible(p)
			}
		}
		reach[e] = no
		if ok {
			reach[e] = yes
		}
		return ok
	}
	visible = func(e *mountEntry) bool {
		switch vis[e] {
		case busy, no:
			return false
		case yes:
			return true
		}
		vis[e] = busy
		// A mount on the same point over e covers it.
		c := at[e.id][e.point]
		ok := reachable(e) && (c == nil || c == e)
		vis[e] = no
		if ok {
			vis[e] = yes
		}
		return ok
	}
	t := &mountTable{byPoint: make(map[string]*mountEntry)}
	for i := range entries {
		e := &entries[i]
		if !visible(e) {
			continue
		}
		t.visible = append(t.visible, e)
		if prev := t.byPoint[e.point]; prev == nil || prev.line < e.line {
			t.byPoint[e.point] = e
		}
	}
	return t
}

// holding returns the visible mount whose point is the longest prefix of
// p (absolute and clean), the one a lookup of p ends on.
func (t *mountTable) holding(p string) *mountEntry {
	for {
		if e := t.byPoint[p]; e != nil {
			return e
		}
		if p == "/" || p == "." || p == "" {
			return nil
		}
		p = path.Dir(p)
	}
}

// mergeOpts lists the per-mount options, then the super options that do
// not repeat one ("rw" is usually in both).
func mergeOpts(e *mountEntry) []string {
	out := make([]string, 0, len(e.mountOpts)+len(e.superOpts))
	seen := make(map[string]bool, cap(out))
	for _, list := range [][]string{e.mountOpts, e.superOpts} {
		for _, o := range list {
			if !seen[o] {
				seen[o] = true
				out = append(out, o)
			}
		}
	}
	return out
}

// Holding returns the mount in mounts (as Mounts returns them) that holds
// path, an absolute path below the scan root: the one with the longest
// mount point that is a prefix of path.
func Holding(mounts []Mount, path string) (Mount, bool) {
	best := -1
	for i, m := range mounts {
		if hasPathPrefix(path, m.Path) && (best < 0 || len(m.Path) > len(mounts[best].Path)) {
			best = i
		}
	}
	if best < 0 {
		return Mount{}, false
	}
	return mounts[best], true
}
