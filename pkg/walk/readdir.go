package walk

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
)

const (
	// statChunk is how many entries of a directory are prepared at once
	// (excluded or not, Lstat): it bounds the FileInfos held per directory
	// read ahead or on the current path. A read-ahead prepares the first
	// chunk; the next chunk is prepared only once the walk has yielded the
	// one before.
	statChunk = 256

	// minPerHelper is the fewest entries worth handing to one more
	// goroutine when the walking goroutine prepares a chunk itself.
	minPerHelper = 32
)

// dirResult is what reading a directory found: an error, a reason not to
// descend, or its sorted entries with the first chunk prepared.
type dirResult struct {
	openErr error       // could not be opened, or not the directory expected; nothing else is set
	info    fs.FileInfo // the directory's own fstat
	id      fileID
	hasID   bool
	loop    bool // already on the current path: not listed
	otherFS bool // on another file system (Options.OneFileSystem): not listed

	listErr   error        // the listing failed part way; ents holds what was read
	ents      []dirent     // sorted bytewise
	ignoreErr error        // the directory's ignore file could not be read
	ignores   *ignoreChain // for the entries: the parents' ignore files and this one's
	ancestors *idChain     // for the subdirectories: the directories down to this one
	first     []pending    // ents[:statChunk], prepared
	self      statSlot     // holds info
}

// pending is a prepared directory entry: what the walk does when it
// reaches it.
type pending struct {
	e      Entry // Path and Rel always; the whole entry for actYield
	act    action
	stat   bool        // needs system calls: left for the second pass (stat)
	follow bool        // actDir: a followed symlink
	want   fs.FileInfo // actDir through a symlink: the target it must be
	node   *node       // actDir: made when the chunk is reached
}

type action uint8

const (
	actSkip  action = iota // excluded: not yielded
	actYield               // yield e
	actDir                 // descend
)

// readDir opens, lists and checks directory n, reads its ignore file and
// prepares its first chunk. It runs on a read-ahead goroutine or on the
// walking one (then helpers may share the stats: parallel), never calls
// fn, and touches nothing shared but immutable state, so any number can
// run at once. The directory is open only while this runs.
func (w *walker) readDir(n *node, s *scratch, parallel bool) *dirResult {
	r := &dirResult{}
	d, err := openDirHandle(w.opts.openDir, n.path, n.follow)
	if err != nil {
		if !n.follow && (errors.Is(err, syscall.ELOOP) || errors.Is(err, syscall.ENOTDIR)) {
			// Listed as a directory a moment ago, now a symlink
			// (O_NOFOLLOW refused it) or a file.
			err = fmt.Errorf("%w: %w", errChanged, unwrapPathError(err))
		}
		r.openErr = err
		return r
	}
	defer d.close()
	info, err := d.statSelf(&r.self, filepath.Base(n.path))
	if err == nil && (!info.IsDir() || (n.want != nil && !sameFile(n.want, info))) {
		err = errChanged // swapped between Stat and open
	}
	if err != nil {
		r.openErr = err
		return r
	}
	r.info = info
	r.ancestors = n.ancestors
	if id, ok := idOf(info); ok {
		r.id, r.hasID = id, true
		if n.ancestors.contains(id) {
			r.loop = true
			return r
		}
		if w.opts.OneFileSystem && id.dev != w.rootDev {
			r.otherFS = true
			return r
		}
		r.ancestors = &idChain{id, n.ancestors}
	}
	r.ents, r.listErr = d.list(w.ctx, s, w.opts.readDirBatch)
	slices.SortFunc(r.ents, func(a, b dirent) int { return strings.Compare(a.name, b.name) })
	if r.listErr != nil && w.ctx.Err() != nil {
		return r // the walk is over
	}

	r.ignores = n.ignores
	name := w.opts.IgnoreFileName
	if i, found := slices.BinarySearchFunc(r.ents, name, func(d dirent, n string) int { return strings.Compare(d.name, n) }); found && r.ents[i].typ.IsRegular() {
		path, _ := w.join(n, name)
		base := n.rel
		if base == "." {
			base = ""
		}
		var m *Matcher
		m, r.ignoreErr = readIgnoreFile(path, base)
		if m.Len() > 0 {
			r.ignores = &ignoreChain{m, n.ignores}
		}
	}
	chunk, todo := w.plan(n, r, 0)
	w.stat(d, r, 0, chunk, todo, parallel)
	r.first = chunk
	return r
}

// prepareLater prepares a chunk after the first one, when the walk reaches
// it. It opens the directory again to stat relative to it; if that fails
// or finds another directory, it stats by path, so that each entry gets
// the error it would have got in a walk that never held the directory.
// A chunk with nothing to stat (regular files with LazyStat) needs no
// system call at all.
func (w *walker) prepareLater(n *node, r *dirResult, start int) []pending {
	chunk, todo := w.plan(n, r, start)
	if len(todo) == 0 {
		return chunk
	}
	d, err := openDirHandle(w.opts.openDir, n.path, n.follow)
	if err != nil {
		d = pathHandle()
	} else if !r.hasID || !sameDir(d, r.id) {
		d.close()
		d = pathHandle()
	}
	defer d.close()
	w.stat(d, r, start, chunk, todo, true)
	return chunk
}

// chunks recycles the pending slices of chunks the walk has yielded: a
// walk prepares one per directory, and they are its largest garbage.
var chunks = sync.Pool{New: func() any { return new([statChunk]pending) }}

func getChunk(n int) []pending {
	return chunks.Get().(*[statChunk]pending)[:n]
}

// putChunk recycles a chunk once its entries are yielded; the Entries
// yielded were copies, and their FileInfos are not in the chunk.
func putChunk(c []pending) {
	if cap(c) == statChunk {
		clear(c[:statChunk])
		chunks.Put((*[statChunk]pending)(c[:statChunk]))
	}
}

// sameDir reports whether d is the directory id.
func sameDir(d dirHandle, id fileID) bool {
	var self statSlot
	info, err := d.statSelf(&self, "")
	if err != nil {
		return false
	}
	got, ok := idOf(info)
	return ok && got == id
}

// A chunk of r, the statChunk entries that start at start, is prepared in
// two passes. The first, plan, is cheap and in order: it joins names,
// applies the excludes and decides what is yielded or descended; stat then
// makes the system calls for the entries plan left to it (todo), on helper
// goroutines too when parallel is set and there are enough of them.

// plan is the first pass over the chunk of r that starts at start: it
// returns the chunk and the indexes of the entries to stat.
func (w *walker) plan(n *node, r *dirResult, start int) (chunk []pending, todo []int) {
	ents := r.ents[start:min(start+statChunk, len(r.ents))]
	chunk = getChunk(len(ents))
	for i, de := range ents {
		p := &chunk[i]
		p.e.Path, p.e.Rel = w.join(n, de.name)
		switch {
		case r.ignoreErr != nil && de.name == w.opts.IgnoreFileName:
			// Reported even if excluded: the user must know their
			// rules could not be applied.
			p.act, p.e = actYield, errEntry(p.e.Path, p.e.Rel, nil, "read", r.ignoreErr)
		case de.typ.IsDir():
			if !w.excluded(r.ignores, p.e.Rel, true) {
				p.act = actDir
			}
		case de.typ&fs.ModeSymlink != 0:
			p.stat = true // matched once we know what it points to
		case de.typ == 0 && !de.probed && w.lazy != nil:
			// A regular file, as the listing says: Entry.Stat
			// stats it, off the walk's path.
			if !w.excluded(r.ignores, p.e.Rel, false) {
				p.act, p.e.lazy = actYield, w.lazy
			}
		default:
			p.stat = !w.excluded(r.ignores, p.e.Rel, false)
		}
		if p.stat {
			todo = append(todo, i)
		}
	}
	return chunk, todo
}

// stat is the second pass: it stats the entries todo of the chunk of r
// that starts at start, through the open directory d.
func (w *walker) stat(d dirHandle, r *dirResult, start int, chunk []pending, todo []int, parallel bool) {
	if len(todo) == 0 {
		return
	}
	ents := r.ents[start : start+len(chunk)]
	slots := make([]statSlot, len(todo))
	work := func(k int) {
		i := todo[k]
		w.prepareStat(d, r.ignores, &chunk[i], ents[i], &slots[k])
	}
	goroutines := 1
	if parallel {
		goroutines = min(w.opts.Parallelism, len(todo)/minPerHelper)
	}
	if goroutines <= 1 {
		for k := range todo {
			work(k)
		}
		return
	}
	var next atomic.Int64
	loop := func() {
		for {
			k := int(next.Add(1) - 1)
			if k >= len(todo) {
				return
			}
			work(k)
		}
	}
	var wg sync.WaitGroup
	for range goroutines - 1 {
		wg.Go(loop)
	}
	loop()
	wg.Wait()
}

// prepareStat prepares a file or symlink entry that is not excluded (a
// symlink's exclusion waits for its target's type). It reads only its own
// pending and slot.
func (w *walker) prepareStat(d dirHandle, ignores *ignoreChain, p *pending, de dirent, slot *statSlot) {
	path, rel := p.e.Path, p.e.Rel
	if de.typ&fs.ModeSymlink != 0 {
		w.prepareSymlink(d, ignores, p, de.name, slot)
		return
	}
	info, err := d.lstat(slot, de.name, path)
	switch {
	case err != nil:
		p.act, p.e = actYield, errEntry(path, rel, nil, "lstat", err)
	case info.IsDir():
		p.act, p.e = actYield, errEntry(path, rel, info, "lstat", errChanged)
	case info.Mode()&fs.ModeSymlink != 0:
		w.prepareSymlink(d, ignores, p, de.name, slot)
	default:
		p.act, p.e = actYield, w.fileEntry(path, rel, info, false)
	}
}

// prepareSymlink prepares a symlink: yielded as one, or with
// FollowSymlinks, what it points to.
func (w *walker) prepareSymlink(d dirHandle, ignores *ignoreChain, p *pending, name string, slot *statSlot) {
	path, rel := p.e.Path, p.e.Rel
	p.act = actSkip
	if !w.opts.FollowSymlinks {
		// Not followed, so matched as what git sees: a file.
		if w.excluded(ignores, rel, false) {
			return
		}
		info, err := d.lstat(slot, name, path)
		if err != nil {
			p.act, p.e = actYield, errEntry(path, rel, nil, "lstat", err)
			return
		}
		p.act, p.e = actYield, Entry{Path: path, Rel: rel, Info: info, Skip: SkipSymlink}
		return
	}
	target, err := d.stat(slot, name, path)
	if err != nil {
		if w.excluded(ignores, rel, false) {
			return
		}
		info, _ := d.lstat(slot, name, path)
		if errors.Is(err, syscall.ELOOP) { // links pointing at each other
			p.act, p.e = actYield, Entry{Path: path, Rel: rel, Info: info, Skip: SkipSymlinkLoop, followed: true}
			return
		}
		p.act, p.e = actYield, errEntry(path, rel, info, "stat", err) // dangling
		return
	}
	if w.excluded(ignores, rel, target.IsDir()) {
		return
	}
	if target.IsDir() {
		p.act, p.follow, p.want = actDir, true, target
		return
	}
	p.act, p.e = actYield, w.fileEntry(path, rel, target, true)
}
