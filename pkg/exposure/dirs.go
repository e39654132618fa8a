package exposure

import "sync"

// maxDirs bounds the Dirs cache. A scan visits each directory's files
// together, so forgetting everything when full costs at most one more
// lstat per directory.
const maxDirs = 1 << 18

// Dirs remembers whether directories are world-writable, so that a scan
// asking for every file with findings lstats each directory once. The zero
// value is ready to use and safe for concurrent use.
type Dirs struct {
	mu sync.Mutex
	m  map[string]*dirState
}

type dirState struct {
	once     sync.Once
	writable bool
	sticky   bool
	err      error
}

// WorldWritable reports whether anyone may create, rename and delete
// entries in dir (its mode has o+w). Then a file in dir can be replaced
// or deleted by anyone, unless sticky is set: with the sticky bit (as on
// /tmp) anyone may still add files, but only a file's owner (or the
// directory's, or root) may rename or delete it. A symlink to a directory
// is judged by the directory: the link's own mode is always 0777.
func (d *Dirs) WorldWritable(dir string) (writable, sticky bool, err error) {
	d.mu.Lock()
	if d.m == nil {
		d.m = make(map[string]*dirState)
	}
	s := d.m[dir]
	if s == nil {
		if len(d.m) >= maxDirs {
			clear(d.m)
		}
		s = &dirState{}
		d.m[dir] = s
	}
	d.mu.Unlock()
	s.once.Do(func() { s.writable, s.sticky, s.err = dirMode(dir) })
	return s.writable, s.sticky, s.err
}
