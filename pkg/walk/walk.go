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
	"strconv"
	"strings"
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
	// SkipOtherFileSystem is for directories Options.OneFileSystem keeps
	// the walk out of.
	SkipOtherFileSystem = "on another file system (not crossed with --one-file-system)"
)

const (
	// readDirBatch is about how many names are read from a directory per
	// getdents round (on Linux it sizes a 32 KiB buffer), so a directory
	// of millions of entries is read in steps rather than by one huge
	// call. The names themselves are kept until the directory is done,
	// because they must be sorted.
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
// DefaultIgnoreFileName in every directory, follows no symlinks and reads
// a few directories at once.
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
	// OneFileSystem keeps the walk on the root's file system, as find
	// -xdev and du -x do: a directory on another device (a mount point, or
	// with FollowSymlinks a link into another file system) is yielded with
	// Skip = SkipOtherFileSystem and not read. Other files are yielded
	// wherever they live. Without device numbers (not unix) it does nothing.
	OneFileSystem bool
	// LazyStat leaves the Lstat of regular files to the consumer: an entry
	// whose directory listing says it is a regular file (d_type) is
	// yielded with Info nil, and its Stat method reads Info and sets
	// Skip or Err as Walk would have. A consumer that stats on its own
	// workers, as the scan does, takes the stats off the walk's path:
	// Walk then only lists, as find -type f does (issue 5). Directories,
	// symlinks, special files and entries of unknown type are statted by
	// Walk as before: it needs their type to descend, follow or skip them.
	LazyStat bool
	// Parallelism is how many directories Walk reads at once (listing,
	// ignore file, and the Lstat of their first files), ahead of the
	// callback; see "Reading ahead" in the package documentation. 0 means
	// 4 on unix and 1 elsewhere (where Walk cannot check that a directory
	// read ahead is still the one its path leads to). 1 reads each
	// directory only when the walk reaches it, on the calling goroutine.
	// A network share, where each call waits for a round trip, may gain
	// from more; results are the same whatever the value.
	Parallelism int

	// Test hooks; the zero values mean the real thing. openDir lets tests
	// inject failures the root user cannot provoke; with it, a Parallelism
	// of 0 means 1, so that the hook is called in walk order from one
	// goroutine. readDirBatch lets tests exercise batching without
	// creating thousands of files.
	openDir      func(path string, follow bool) (*os.File, error)
	readDirBatch int
}

// Entry is one thing Walk found. Check Err, then Skip, before using it
// (with Options.LazyStat, call Stat first).
type Entry struct {
	// Path is the root joined with Rel, to open the file with.
	Path string
	// Rel is the slash-separated path relative to the root, as reports show
	// it. Under a followed symlink it goes through the link's name
	// ("link/inner.txt"). When the root is a single file, Rel is its base
	// name; an error on the root directory itself has Rel ".".
	Rel string
	// Info comes from Lstat, or from Stat of the target for a followed
	// symlink: Name, Size, Mode and ModTime as os.Lstat gives them, and on
	// unix a *syscall.Stat_t from Sys. (On Linux it is not an os value, so
	// os.SameFile returns false for it; Open compares device and inode.)
	// It may be nil when Err is set, and it is nil for a regular file
	// Walk yielded with Options.LazyStat until Stat is called.
	Info fs.FileInfo
	// Skip, when not empty, says why the file must not be opened. With
	// Options.LazyStat, the size limit is known only after Stat.
	Skip string
	// Err, when not nil, is why the entry could not be read. It is an
	// *fs.PathError whose Path is Rel (the root path for the root itself).
	Err error

	followed bool       // Path goes through a symlink Walk followed; see Open
	lazy     *statRules // set until Stat: a regular file not statted yet (Options.LazyStat)
}

// Stat completes an entry Walk yielded without its stat
// (Options.LazyStat): it lstats Path, fills Info and sets Skip (a special
// file, the size limit) or Err exactly as Walk would have, and returns
// Err. It returns Err at once for any other entry, and for one already
// statted: only the first call makes a system call. Stat it before using
// Info, Skip or Err; Open stats an entry that is not statted yet.
func (e *Entry) Stat() error {
	if r := e.lazy; r != nil {
		*e = r.entry(e.Path, e.Rel)
	}
	return e.Err
}

// Walk yields the entries under root, which may be a directory or a single
// file, to fn. It calls fn from the calling goroutine, one entry at a time
// and never concurrently, in a deterministic order (depth first, names
// sorted bytewise); fn can therefore hand entries to a worker pool without
// locking. (Walk reads directories ahead on goroutines of its own, see
// Options.Parallelism; they never call fn.) If fn returns an error, Walk
// stops and returns it. Walk also stops with ctx.Err() when ctx is done (it
// looks before each directory and every statChunk entries). Walk returns
// only when its goroutines have finished.
//
// Directories are not yielded themselves, only when they cannot be read
// (Err) or are not descended (a Skip for loops and other file systems).
// Excluded and ignored paths are not yielded at all, and ignored
// directories are not read.
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
	switch {
	case w.opts.Parallelism < 0:
		return fmt.Errorf("walk: negative parallelism %d", w.opts.Parallelism)
	case w.opts.Parallelism == 0 && w.opts.openDir != nil:
		w.opts.Parallelism = 1
	case w.opts.Parallelism == 0:
		w.opts.Parallelism = defaultParallelism
	}
	if w.opts.readDirBatch <= 0 {
		w.opts.readDirBatch = readDirBatch
	}
	w.excludes = ParsePatterns(opts.Excludes, "")
	w.rules = &statRules{maxFileSize: w.opts.MaxFileSize}
	if opts.LazyStat {
		w.lazy = w.rules
	}
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
		return fn(w.fileEntry(root, filepath.Base(root), info, true))
	}
	if id, ok := idOf(info); ok {
		w.rootDev = id.dev
	} else {
		w.opts.OneFileSystem = false
	}
	n := &node{path: root, rel: ".", want: info, follow: true}
	n.prefix = dirPrefix(root)
	w.relOff = len(n.prefix)
	if w.opts.Parallelism > 1 {
		w.pool = newPool(w, w.opts.Parallelism)
		defer w.pool.stop()
	}
	return w.walkDir(n)
}

type walker struct {
	ctx      context.Context
	opts     Options
	fn       func(Entry) error
	excludes *Matcher
	rules    *statRules        // what decides a file's Skip, for fileEntry
	lazy     *statRules        // with LazyStat: set on the regular files yielded unstatted
	visited  map[fileID]string // with FollowSymlinks: every directory read, and its Rel
	rootDev  uint64            // with OneFileSystem: the root's device
	relOff   int               // with a '/' separator, Rel is Path[relOff:] below the root
	pool     *pool             // reads directories ahead; nil with Parallelism 1
	scratch  scratch           // buffers of the calling goroutine
}

// fileID identifies a directory for loop detection.
type fileID struct{ dev, ino uint64 }

// dirent is the part of a directory entry kept while a directory is being
// walked: about 40 bytes per name, not a FileInfo.
type dirent struct {
	name   string
	typ    fs.FileMode
	probed bool // the listing gave no type (DT_UNKNOWN): typ is an lstat's, and Walk stats the file even with LazyStat
}

// node is a directory the walk has decided to read.
type node struct {
	path, rel string
	prefix    string      // path and a separator, to join names to
	want      fs.FileInfo // if set, the directory opened must be this one (the root, a followed link's target)
	follow    bool        // path may itself be a symlink
	ignores   *ignoreChain
	ancestors *idChain

	// Read-ahead state, guarded by pool.mu; done is closed once res is set.
	state nodeState
	done  chan struct{}
	res   *dirResult
}

// dirPrefix is path followed by a separator: like filepath.Join, without
// cleaning each name, as path is clean.
func dirPrefix(path string) string {
	switch {
	case path == ".":
		return ""
	case strings.HasSuffix(path, string(filepath.Separator)): // the root "/"
		return path
	}
	return path + string(filepath.Separator)
}

// join returns the Path and Rel of the entry name in directory n.
func (w *walker) join(n *node, name string) (path, rel string) {
	path = n.prefix + name
	switch {
	case filepath.Separator == '/':
		return path, path[w.relOff:] // one allocation for both
	case n.rel == ".":
		return path, name
	}
	return path, n.rel + "/" + name
}

// walkDir reads (or takes the read-ahead of) directory n and yields what
// is under it.
func (w *walker) walkDir(n *node) error {
	if err := w.ctx.Err(); err != nil {
		return err
	}
	r := w.take(n)
	if r.openErr != nil {
		return w.fn(errEntry(n.path, n.rel, n.want, "open", r.openErr))
	}
	switch {
	case r.loop:
		reason := SkipFSLoop
		if n.follow && n.rel != "." {
			reason = SkipSymlinkLoop
		}
		return w.fn(Entry{Path: n.path, Rel: n.rel, Info: r.info, Skip: reason, followed: n.follow})
	case r.otherFS:
		return w.fn(Entry{Path: n.path, Rel: n.rel, Info: r.info, Skip: SkipOtherFileSystem, followed: n.follow})
	}
	if w.visited != nil && r.hasID {
		if first, seen := w.visited[r.id]; seen {
			return w.fn(Entry{Path: n.path, Rel: n.rel, Info: r.info, Skip: "directory already scanned as " + strconv.Quote(first), followed: n.follow})
		}
		w.visited[r.id] = n.rel
	}
	if r.listErr != nil {
		if err := w.ctx.Err(); err != nil {
			return err
		}
		// A listing that failed part way: report it, then walk what was read.
		if err := w.fn(errEntry(n.path, n.rel, r.info, "readdir", r.listErr)); err != nil {
			return err
		}
	}

	// Entries are prepared a chunk at a time (exclusion, Lstat), then
	// yielded in order; the first chunk came with the listing.
	for start := 0; start < len(r.ents); start += statChunk {
		if err := w.ctx.Err(); err != nil {
			return err
		}
		chunk := r.first
		if start > 0 {
			chunk = w.prepareLater(n, r, start)
		}
		w.queueDirs(r, chunk)
		if err := w.yieldChunk(chunk); err != nil {
			return err
		}
		putChunk(chunk)
	}
	return nil
}

// yieldChunk yields a prepared chunk and descends into its directories.
func (w *walker) yieldChunk(chunk []pending) error {
	for i := range chunk {
		p := &chunk[i]
		var err error
		switch p.act {
		case actYield:
			err = w.fn(p.e)
		case actDir:
			err = w.walkDir(p.node)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// take returns directory n's listing: the read-ahead if a worker has done
// it and n is still the directory it read, else a fresh read.
func (w *walker) take(n *node) *dirResult {
	if w.pool != nil && n.done != nil && w.pool.take(n) {
		// The parent's chunk keeps n until it is yielded: drop the
		// listing from it, so that memory follows the current path.
		r := n.res
		n.res = nil
		if w.stillThere(n, r) {
			return r
		}
	}
	// Helpers pay for the root, which is read before any worker starts;
	// below it, the workers are busy with the next directories, and
	// goroutines started per directory would only add to the bill.
	return w.readDir(n, &w.scratch, n.rel == "." || w.pool == nil)
}

// stillThere reports whether the path of n leads, now that the walk has
// reached it, to the directory a worker read ahead. If not (removed,
// replaced, or it could not be read), the walk reads it again, so that
// what it yields is what a walk without read-ahead would yield: one stat
// per directory buys that.
func (w *walker) stillThere(n *node, r *dirResult) bool {
	if r.openErr != nil || !r.hasID {
		return false
	}
	id, isDir, err := statID(n.path, n.follow)
	return err == nil && isDir && id == r.id
}

// queueDirs makes a node of every directory the chunk will descend into,
// and queues them for reading ahead, the first to be reached first.
func (w *walker) queueDirs(r *dirResult, chunk []pending) {
	var nodes []*node
	for i := range chunk {
		p := &chunk[i]
		if p.act != actDir {
			continue
		}
		p.node = &node{path: p.e.Path, rel: p.e.Rel, prefix: dirPrefix(p.e.Path), want: p.want, follow: p.follow, ignores: r.ignores, ancestors: r.ancestors}
		nodes = append(nodes, p.node)
	}
	if w.pool != nil && len(nodes) > 0 {
		w.pool.push(nodes)
	}
}

// fileEntry is the entry of a file that is not a directory, with a Skip
// reason unless it is a regular file within the size limit.
func (w *walker) fileEntry(path, rel string, info fs.FileInfo, followed bool) Entry {
	return w.rules.fileEntry(path, rel, info, followed)
}

// statRules is what decides the Skip of a file once it is statted: one
// per Walk, shared by the entries it yields unstatted (Options.LazyStat),
// so that Entry.Stat, called after Walk has returned, decides as Walk
// would have.
type statRules struct {
	maxFileSize int64
}

// fileEntry is the entry of a file that is not a directory, with a Skip
// reason unless it is a regular file within the size limit.
func (r *statRules) fileEntry(path, rel string, info fs.FileInfo, followed bool) Entry {
	e := fileEntry(path, rel, info, followed)
	if limit := r.maxFileSize; e.Skip == "" && limit > 0 && info.Size() > limit {
		e.Skip = fmt.Sprintf("larger than --max-file-size (%s > %s)", formatSize(info.Size()), formatSize(limit))
	}
	return e
}

// entry stats the file at path, which was a regular file when its
// directory was listed, and returns its complete entry: what prepareStat
// makes of it, except that the directory is no longer open, so the stat
// resolves the whole path (as Open will). A file replaced since the
// listing by a directory or a symlink is reported as changed: it is too
// late to descend into it, follow it or apply its exclusion as a
// directory, and a link is never followed by a Walk that does not follow
// links. Anything else not regular gets its Skip, as in the eager walk.
func (r *statRules) entry(path, rel string) Entry {
	slot := new(statSlot) // Info points into it
	info, err := pathHandle().lstat(slot, path[strings.LastIndexByte(path, filepath.Separator)+1:], path)
	switch {
	case err != nil:
		return errEntry(path, rel, nil, "lstat", err)
	case info.IsDir(), info.Mode()&fs.ModeSymlink != 0:
		return errEntry(path, rel, info, "lstat", errChanged)
	}
	return r.fileEntry(path, rel, info, false)
}

// fileEntry is the entry of a file that is not a directory, with a Skip
// reason if it is not a regular file (the size limit is the walker's).
func fileEntry(path, rel string, info fs.FileInfo, followed bool) Entry {
	e := Entry{Path: path, Rel: rel, Info: info, followed: followed}
	mode := info.Mode()
	switch {
	case mode.IsRegular():
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
	return e
}

// errEntry is an entry whose Err names rel (or the root path, for the
// root) rather than the full path, so messages read like reports.
func errEntry(path, rel string, info fs.FileInfo, op string, err error) Entry {
	err = unwrapPathError(err)
	name := rel
	if rel == "." {
		name = path
	}
	return Entry{Path: path, Rel: rel, Info: info, Err: &fs.PathError{Op: op, Path: name, Err: err}}
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

// ignoreChain is the ignore files of a directory and its parents, the
// deepest first. Chains share their tails and are never modified, so the
// goroutines reading ahead can use them.
type ignoreChain struct {
	m      *Matcher
	parent *ignoreChain
}

// idChain is the directories from the root down to one directory, for
// loop detection; immutable like ignoreChain.
type idChain struct {
	id     fileID
	parent *idChain
}

func (c *idChain) contains(id fileID) bool {
	for ; c != nil; c = c.parent {
		if c.id == id {
			return true
		}
	}
	return false
}

// excluded applies --exclude first, then the ignore files from the deepest
// directory up; the first matcher with a matching pattern decides.
func (w *walker) excluded(ignores *ignoreChain, rel string, isDir bool) bool {
	if ignored, matched := w.excludes.Match(rel, isDir); matched {
		return ignored
	}
	for c := ignores; c != nil; c = c.parent {
		if ignored, matched := c.m.Match(rel, isDir); matched {
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
