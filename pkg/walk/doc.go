// Package walk finds the candidate files under a root: it applies the
// --exclude patterns and the per-directory ignore files (gitignore syntax,
// see Matcher), the size limit and the symlink policy, and yields one Entry
// per file, relative to the root, without ever opening anything but
// directories and ignore files. Files the scan must not open (FIFOs,
// sockets, devices, symlinks it was not asked to follow, files over the size
// limit) are still yielded, with a Skip reason, so that reports can say why
// they were not read; failures are yielded as entries with an Err that names
// the path, and the walk goes on.
//
// Walk pushes entries to a callback, depth first, names sorted bytewise in
// each directory, and stops as soon as the callback returns an error. The
// callback is always called from the goroutine that called Walk, one entry
// at a time, so the order is deterministic and the caller needs no lock to
// feed its bounded worker pool.
//
// # Reading ahead
//
// Listing a tree costs system calls, and on the machines we run on each
// one is dear: the scan needs every file's Lstat (size, mode, mtime, the
// cache's inode and ctime), where find -type f only lists. Done one after
// the other, a walk of 200,000 small files took six times as long as find
// (issue 5). Two things take the stats off the walk's path.
//
// Lazy stats. With Options.LazyStat, a file the listing says is regular
// (d_type) is yielded without its stat, and the consumer calls
// Entry.Stat, which lstats it then, by path, and decides its Skip or Err
// as Walk would have. The scan calls it on its workers, in parallel, just
// before the cache lookup or the open, so the walk itself costs about what
// find -type f does. Everything whose type decides what the walk does
// next is still statted by Walk: directories (loops, other file systems),
// symlinks (followed or not), special files (a Skip, so never opened) and
// entries the file system gave no type for. Open, for an entry never
// statted, stats it first, so it still opens only the regular file a stat
// saw, within the size limit. The cost: a file changed between the listing
// and Stat is judged as Stat finds it, later than an eager walk would (a
// file replaced by a directory or a symlink is an Err, never followed).
//
// Reading ahead. Walk reads directories ahead, on a few goroutines
// (Options.Parallelism, 4 by default), while the caller consumes the ones
// before: each read opens the directory, lists it with getdents64 (Linux),
// sorts the names, reads its ignore file, decides what is excluded, and
// stats the first statChunk files (those LazyStat leaves to the consumer
// excepted) with fstatat relative to the open directory, which resolves
// one name rather than the whole path. The walk
// is depth first, so the directories it will reach next form a stack, and
// the workers take from its top: what the walk needs soonest (see pool).
//
// What bounds it. At most 2×Parallelism directories are read ahead and
// waiting; each holds its sorted names and the FileInfos of one chunk
// (statChunk entries); later chunks of a big directory are statted only
// when the walk reaches them. A directory is open only while it is being
// read, so the walk holds at most a few descriptors whatever the depth.
// Entries are never collected: memory grows with the directories on the
// current path and the read-ahead, never with the tree. Walk waits for its
// goroutines before it returns, and they never call the callback.
//
// What it does not change. Everything that depends on walk order is
// decided by the calling goroutine in that order: the callback, the
// directories already scanned through another symlink, and the check that
// a directory read ahead is still the one its path leads to (one stat per
// directory; if it was removed or replaced meanwhile, it is read again).
// So Walk yields the same entries in the same order whatever the
// parallelism, as a plain recursive walk would, even when the tree changes
// under it the way our tests change it. Ignore files, excludes, the
// symlink policy and loop detection work per directory, as before, with
// immutable chains of parents' ignore matchers and directory identities.
//
// Open is the matching safe way to open a yielded file.
package walk
