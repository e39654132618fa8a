package walk

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
)

// DefaultIgnoreFileName is the per-directory ignore file read when
// Options.IgnoreFileName is empty.
const DefaultIgnoreFileName = ".datahygieneignore"

// Skip reasons that do not depend on the file. Callers show them to users;
// they may match on these constants, never on the text of other reasons.
const (
	SkipSymlink     = "symbolic link not followed (use --follow-symlinks)"
	SkipFIFO        = "named pipe (FIFO) never opened"
	SkipSocket      = "socket never opened"
	SkipDevice      = "device never opened"
	SkipIrregular   = "irregular file never opened"
	SkipSymlinkLoop = "symlink loop"
	SkipFSLoop      = "filesystem loop (directory already on the current path)"
)

const (
	// readDirBatch is how many names are read from a directory per
	// getdents round, so a directory of millions of entries is read in
	// steps rather than by one huge call. The names themselves are kept
	// until the directory is done, because they must be sorted.
	readDirBatch = 1024

	// maxIgnoreFileSize bounds an ignore file. Git allows 100 MiB; ignore
	// files are hand-written lists, and each directory on the current path
	// keeps its matcher in memory, so a hostile tree gets far less.
	maxIgnoreFileSize = 1 << 20
)

// errChanged is wrapped in an Err when a directory changed between being
// listed and being opened (removed, or replaced by a symlink or a file).
var errChanged = errors.New("changed during the walk")

// Options says what Walk yields. The zero value walks everything, reads
// DefaultIgnoreFileName in every directory and follows no symlinks.
type Options struct {
	// Excludes are gitignore-syntax patterns relative to the root (from
	// --exclude). They take precedence over ignore files, as git's
	// command-line excludes do, so "!x" here re-includes x.
	Excludes []string
	// IgnoreFileName is read in every directory (gitignore semantics:
	// patterns relative to that directory, deeper files win). Empty means
	// DefaultIgnoreFileName. Only regular files are read, never symlinks
	// (as git does since 2.32). The file itself is yielded like any other.
	IgnoreFileName string
	// FollowSymlinks descends into linked directories and yields linked
	// files, even outside the tree. A link to a directory on the current
	// path is yielded with Skip = SkipSymlinkLoop, and a directory reached
	// a second time (through another link) is yielded with a Skip naming
	// the path it was scanned under, so no file is read twice. Without it,
	// symlinks are yielded with Skip = SkipSymlink and never followed. The
	// root itself is always followed: the user named it.
	FollowSymlinks bool
	// MaxFileSize, if positive, is the size above which regular files are
	// yielded with a Skip reason instead of being read. 0 means no limit.
	MaxFileSize int64

	// Test hooks; the zero values mean the real thing. openDir lets tests
	// inject failures the root user cannot provoke, and readDirBatch lets
	// them exercise batching without creating thousands of files.
	openDir      func(path string, follow bool) (*os.File, error)
	readDirBatch int
}

// Entry is one thing Walk found. Check Err, then Skip, before using it.
type Entry struct {
	// Path is the root joined with Rel, to open the file with.
	Path string
	// Rel is the slash-separated path relative to the root, as reports show
	// it. Under a followed symlink it goes through the link's name
	// ("link/inner.txt"). When the root is a single file, Rel is its base
	// name; an error on the root directory itself has Rel ".".
	Rel string
	// Info comes from Lstat, or from Stat of the target for a followed
	// symlink. It may be nil when Err is set.
	Info fs.FileInfo
	// Skip, when not empty, says why the file must not be opened.
	Skip string
	// Err, when not nil, is why the entry could not be read. It is an
	// *fs.PathError whose Path is Rel (the root path for the root itself).
	Err error

	followed bool // Path goes through a symlink Walk followed; see Open
}

// Walk yields the entries under root, which may be a directory or a single
// file, to fn. It calls fn from the calling goroutine, one entry at a time
// and never concurrently, in a deterministic order (depth first, names
// sorted bytewise); fn can therefore hand entries to a worker pool without
// locking. (Walk runs the Lstat calls of a directory's files on a few
// goroutines of its own, ahead of yielding them.) If fn returns an
// error, Walk stops and returns it. Walk also stops with ctx.Err() when ctx
// is done (it looks before each directory and every statChunk entries).
//
// Directories are not yielded themselves, only when they cannot be read
// (Err) or are not descended (a Skip for loops). Excluded and ignored paths
// are not yielded at all, and ignored directories are not read.
//
// Walk returns an error without yielding anything if root cannot be
// reached or the options are invalid. A single-file root is yielded even if
// a pattern would exclude it: the user named it.
func Walk(ctx context.Context, root string, opts Options, fn func(Entry) error) error {
	w := &walker{ctx: ctx, opts: opts, fn: fn}
	if w.opts.IgnoreFileName == "" {
		w.opts.IgnoreFileName = DefaultIgnoreFileName
	}
	if n := w.opts.IgnoreFileName; n == "." || n == ".." || strings.ContainsRune(n, '/') || strings.ContainsRune(n, filepath.Separator) {
		return fmt.Errorf("walk: ignore file name %q is not a plain file name", n)
	}
	if w.opts.MaxFileSize < 0 {
		return fmt.Errorf("walk: negative maximum file size %d", w.opts.MaxFileSize)
	}
	if w.opts.openDir == nil {
		w.opts.openDir = openDirectory
	}
	if w.opts.readDirBatch <= 0 {
		w.opts.readDirBatch = readDirBatch
	}
	w.excludes = ParsePatterns(opts.Excludes, "")
	if opts.FollowSymlinks {
		w.visited = make(map[fileID]string)
	}
	if err := ctx.Err(); err != nil {
		return err
	}

	root = filepath.Clean(root)
	info, err := os.Stat(root)
	if err != nil {
		return err // an *fs.PathError naming root
	}
	if !info.IsDir() {
		return w.yieldFile(root, filepath.Base(root), info, true)
	}
	return w.walkDir(root, ".", info, true)
}

type walker struct {
	ctx      context.Context
	opts     Options
	fn       func(Entry) error
	excludes *Matcher
	ignores  []*Matcher        // ignore files of the directories on the current path, outermost first
	path     []fileID          // directories on the current path, for loop detection
	visited  map[fileID]string // with FollowSymlinks: every directory read, and its Rel
}

// fileID identifies a directory for loop detection.
type fileID struct{ dev, ino uint64 }

// dirent is the part of a directory entry kept while a directory is being
// walked: about 40 bytes per name, not a FileInfo.
type dirent struct {
	name string
	typ  fs.FileMode
}

// walkDir reads the directory at path and walks its entries. want, when not
// nil, is what Stat said the directory is (the root, or a followed link's
// target): the opened directory must be that same directory. follow allows
// path itself to be a symlink.
func (w *walker) walkDir(path, rel string, want fs.FileInfo, follow bool) error {
	if err := w.ctx.Err(); err != nil {
		return err
	}
	f, err := w.opts.openDir(path, follow)
	if err != nil {
		if !follow && (errors.Is(err, syscall.ELOOP) || errors.Is(err, syscall.ENOTDIR)) {
			// Listed as a directory a moment ago, now a symlink
			// (O_NOFOLLOW refused it) or a file.
			err = fmt.Errorf("%w: %w", errChanged, unwrapPathError(err))
		}
		return w.yieldErr(path, rel, want, "open", err)
	}
	info, err := f.Stat()
	if err == nil && (!info.IsDir() || (want != nil && !os.SameFile(want, info))) {
		err = errChanged // swapped between Stat and open
	}
	if err != nil {
		f.Close()
		return w.yieldErr(path, rel, want, "open", err)
	}
	if id, ok := idOf(info); ok {
		if slices.Contains(w.path, id) {
			f.Close()
			reason := SkipFSLoop
			if follow && rel != "." {
				reason = SkipSymlinkLoop
			}
			return w.fn(Entry{Path: path, Rel: rel, Info: info, Skip: reason, followed: follow})
		}
		if w.visited != nil {
			if first, seen := w.visited[id]; seen {
				f.Close()
				return w.fn(Entry{Path: path, Rel: rel, Info: info, Skip: "directory already scanned as " + strconv.Quote(first), followed: follow})
			}
			w.visited[id] = rel
		}
		w.path = append(w.path, id)
		defer func() { w.path = w.path[:len(w.path)-1] }()
	}
	ents, err := w.list(f)
	f.Close() // before descending: one open directory at a time, whatever the depth
	if err != nil {
		if w.ctx.Err() != nil {
			return w.ctx.Err()
		}
		// A listing that failed part way: report it, then walk what was read.
		if yerr := w.yieldErr(path, rel, info, "readdir", err); yerr != nil {
			return yerr
		}
	}

	// Like filepath.Join, without cleaning each time: path is clean.
	prefix := path + string(filepath.Separator)
	switch {
	case path == ".":
		prefix = ""
	case strings.HasSuffix(path, string(filepath.Separator)): // the root "/"
		prefix = path
	}
	join := func(name string) (string, string) {
		if rel == "." {
			return prefix + name, name
		}
		return prefix + name, rel + "/" + name
	}

	ignoreName := w.opts.IgnoreFileName
	var ignoreErr error
	if i, found := slices.BinarySearchFunc(ents, ignoreName, func(d dirent, n string) int { return strings.Compare(d.name, n) }); found && ents[i].typ.IsRegular() {
		p, _ := join(ignoreName)
		base := rel
		if base == "." {
			base = ""
		}
		var m *Matcher
		m, ignoreErr = readIgnoreFile(p, base)
		if m.Len() > 0 {
			w.ignores = append(w.ignores, m)
			defer func() { w.ignores = w.ignores[:len(w.ignores)-1] }()
		}
	}

	// Entries are handled in chunks: first decide what is excluded and
	// Lstat the chunk's files in parallel, then yield them in order.
	chunk := make([]pending, 0, min(len(ents), statChunk))
	for start := 0; start < len(ents); start += statChunk {
		if err := w.ctx.Err(); err != nil {
			return err
		}
		chunk = chunk[:0]
		for _, d := range ents[start:min(start+statChunk, len(ents))] {
			p := pending{dirent: d}
			p.path, p.rel = join(d.name)
			switch {
			case ignoreErr != nil && d.name == ignoreName:
				// Reported even if excluded: the user must know their
				// rules could not be applied.
				p.err = ignoreErr
			case d.typ.IsDir():
				p.excluded = w.excluded(p.rel, true)
			case d.typ&fs.ModeSymlink != 0:
				// Matched once we know what it points to.
			default:
				p.excluded = w.excluded(p.rel, false)
				p.lstat = !p.excluded
			}
			chunk = append(chunk, p)
		}
		lstatAll(chunk)
		for i := range chunk {
			p := &chunk[i]
			var err error
			switch {
			case p.excluded:
				continue
			case p.err != nil && !p.lstat:
				err = w.yieldErr(p.path, p.rel, nil, "read", p.err)
			case p.typ.IsDir():
				err = w.walkDir(p.path, p.rel, nil, false)
			case p.typ&fs.ModeSymlink != 0:
				err = w.symlink(p.path, p.rel)
			default:
				err = w.file(p.path, p.rel, p.info, p.err)
			}
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// pending is a directory entry on its way to fn.
type pending struct {
	dirent
	path, rel string
	excluded  bool
	lstat     bool // a file: lstatAll fills info and err
	info      fs.FileInfo
	err       error
}

const (
	// statChunk is how many entries of a directory are prepared at once;
	// it bounds the FileInfos held per directory on the current path.
	statChunk = 256

	// statParallelism is how many Lstat calls run at once. Local disks
	// gain up to the number of CPUs; on network shares, where each Lstat
	// is a round trip, goroutines blocked in the call cost no CPU, so
	// more of them hide more latency.
	statParallelism = 8

	// minParallelStat is the fewest files worth spreading over goroutines.
	minParallelStat = 16
)

// lstatAll fills info and err for the entries that need an Lstat, in
// parallel when there are enough of them. fn is never called from here.
func lstatAll(chunk []pending) {
	var todo []int
	for i := range chunk {
		if chunk[i].lstat {
			todo = append(todo, i)
		}
	}
	if len(todo) < minParallelStat {
		for _, i := range todo {
			chunk[i].info, chunk[i].err = os.Lstat(chunk[i].path)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(statParallelism, len(todo)/4) {
		wg.Go(func() {
			for {
				k := int(next.Add(1) - 1)
				if k >= len(todo) {
					return
				}
				p := &chunk[todo[k]]
				p.info, p.err = os.Lstat(p.path)
			}
		})
	}
	wg.Wait()
}

// list reads a directory's names in batches and sorts them. On error it
// returns the names read so far.
func (w *walker) list(f *os.File) ([]dirent, error) {
	var ents []dirent
	for {
		batch, err := f.ReadDir(w.opts.readDirBatch)
		for _, d := range batch {
			ents = append(ents, dirent{d.Name(), d.Type()})
		}
		if err == nil {
			err = w.ctx.Err()
		}
		if err == io.EOF {
			return sortDirents(ents), nil
		}
		if err != nil {
			return sortDirents(ents), err
		}
	}
}

func sortDirents(ents []dirent) []dirent {
	slices.SortFunc(ents, func(a, b dirent) int { return strings.Compare(a.name, b.name) })
	return ents
}

// file handles an entry that was not a directory or a symlink when listed,
// given its Lstat.
func (w *walker) file(path, rel string, info fs.FileInfo, err error) error {
	if err != nil {
		return w.yieldErr(path, rel, nil, "lstat", err)
	}
	switch {
	case info.IsDir():
		return w.yieldErr(path, rel, info, "lstat", errChanged)
	case info.Mode()&fs.ModeSymlink != 0:
		return w.symlink(path, rel)
	}
	return w.yieldFile(path, rel, info, false)
}

// symlink yields a symlink, or what it points to with FollowSymlinks.
func (w *walker) symlink(path, rel string) error {
	if !w.opts.FollowSymlinks {
		// Not followed, so matched as what git sees: a file.
		if w.excluded(rel, false) {
			return nil
		}
		info, err := os.Lstat(path)
		if err != nil {
			return w.yieldErr(path, rel, nil, "lstat", err)
		}
		return w.fn(Entry{Path: path, Rel: rel, Info: info, Skip: SkipSymlink})
	}
	target, err := os.Stat(path)
	if err != nil {
		if w.excluded(rel, false) {
			return nil
		}
		info, _ := os.Lstat(path)
		if errors.Is(err, syscall.ELOOP) { // links pointing at each other
			return w.fn(Entry{Path: path, Rel: rel, Info: info, Skip: SkipSymlinkLoop, followed: true})
		}
		return w.yieldErr(path, rel, info, "stat", err) // dangling
	}
	if w.excluded(rel, target.IsDir()) {
		return nil
	}
	if target.IsDir() {
		return w.walkDir(path, rel, target, true)
	}
	return w.yieldFile(path, rel, target, true)
}

// yieldFile yields a file that is not a directory, with a Skip reason
// unless it is a regular file within the size limit.
func (w *walker) yieldFile(path, rel string, info fs.FileInfo, followed bool) error {
	e := Entry{Path: path, Rel: rel, Info: info, followed: followed}
	mode := info.Mode()
	switch {
	case mode.IsRegular():
		if limit := w.opts.MaxFileSize; limit > 0 && info.Size() > limit {
			e.Skip = fmt.Sprintf("larger than --max-file-size (%s > %s)", formatSize(info.Size()), formatSize(limit))
		}
	case mode&fs.ModeNamedPipe != 0:
		e.Skip = SkipFIFO
	case mode&fs.ModeSocket != 0:
		e.Skip = SkipSocket
	case mode&fs.ModeDevice != 0 || mode&fs.ModeCharDevice != 0:
		e.Skip = SkipDevice
	case mode&fs.ModeSymlink != 0:
		e.Skip = SkipSymlink
	default:
		e.Skip = SkipIrregular
	}
	return w.fn(e)
}

// yieldErr yields an entry whose Err names rel (or the root path, for the
// root) rather than the full path, so messages read like reports.
func (w *walker) yieldErr(path, rel string, info fs.FileInfo, op string, err error) error {
	err = unwrapPathError(err)
	name := rel
	if rel == "." {
		name = path
	}
	return w.fn(Entry{Path: path, Rel: rel, Info: info, Err: &fs.PathError{Op: op, Path: name, Err: err}})
}

// unwrapPathError drops the *fs.PathError os wraps around errors, whose
// path is the full one: entries name Rel instead.
func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// excluded applies --exclude first, then the ignore files from the deepest
// directory up; the first matcher with a matching pattern decides.
func (w *walker) excluded(rel string, isDir bool) bool {
	if ignored, matched := w.excludes.Match(rel, isDir); matched {
		return ignored
	}
	for i := len(w.ignores) - 1; i >= 0; i-- {
		if ignored, matched := w.ignores[i].Match(rel, isDir); matched {
			return ignored
		}
	}
	return false
}

// readIgnoreFile reads the ignore file at path, which the listing said is a
// regular file. A file that turns out not to be regular is not read and
// not an error; it is yielded (and skipped) like any other.
func readIgnoreFile(path, base string) (*Matcher, error) {
	f, _, err := openRegular(path, false)
	if err != nil {
		if errors.Is(err, errNotRegular) {
			return nil, nil
		}
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxIgnoreFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxIgnoreFileSize {
		return nil, fmt.Errorf("ignore file larger than %s", formatSize(maxIgnoreFileSize))
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // a UTF-8 BOM, which git skips too
	return ParsePatterns(strings.Split(string(data), "\n"), base), nil
}

// formatSize prints a byte count in binary units: "512 B", "12 MiB",
// "1.5 GiB".
func formatSize(n int64) string {
	const units = "KMGTPE"
	if n < 1024 {
		return strconv.FormatInt(n, 10) + " B"
	}
	div, exp := int64(1024), 0
	for m := n / 1024; m >= 1024 && exp < len(units)-1; m /= 1024 {
		div *= 1024
		exp++
	}
	u := string(units[exp]) + "iB"
	if n%div == 0 {
		return strconv.FormatInt(n/div, 10) + " " + u
	}
	return strconv.FormatFloat(float64(n)/float64(div), 'f', 1, 64) + " " + u
}
