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
// feed its bounded worker pool; that pool, which reads and matches file
// contents, is where parallelism pays. Walk's own parallelism is limited to
// the one costly step of listing: the Lstat of each file, which it runs a
// few at a time over a chunk of a directory before yielding the chunk in
// order (on a network share each Lstat is a round trip). Memory stays
// bounded whatever the tree: the sorted names of the directories on the
// current path, one chunk of FileInfos per level, never the whole tree.
// Open is the matching safe way to open a yielded file.
package walk
