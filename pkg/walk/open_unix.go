//go:build unix

package walk

import (
	"errors"
	"io/fs"
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// defaultParallelism is Options.Parallelism's default: on a local disk,
// two to four directories at once keep two cores busy with little
// contention; on a network share, where each call waits for a round trip,
// more would hide more latency, and the user can ask for it.
const defaultParallelism = 4

// openDirectory opens a directory for listing. Unless follow is set, a
// symlink in the last element is refused (ELOOP) rather than followed, so a
// directory swapped for a link between listing and opening cannot lead the
// walk out of the tree.
func openDirectory(path string, follow bool) (*os.File, error) {
	flags := os.O_RDONLY | unix.O_DIRECTORY
	if !follow {
		flags |= unix.O_NOFOLLOW
	}
	return os.OpenFile(path, flags, 0)
}

// openRegular opens path for reading only if it is a regular file, and
// returns its fstat. O_NONBLOCK makes the open of a FIFO swapped in since
// the Lstat return at once instead of waiting for a writer (the FIFO is
// then closed unread); O_NOCTTY keeps a terminal from becoming ours;
// O_NOFOLLOW, unless follow is set, refuses a symlink in the last element.
// O_NOATIME keeps the audit from resetting the access times a staleness
// check may read; the kernel allows it only to the file's owner (or
// CAP_FOWNER) and answers EPERM otherwise, so fall back to a plain open.
func openRegular(path string, follow bool) (*os.File, fs.FileInfo, error) {
	flags := os.O_RDONLY | unix.O_NONBLOCK | unix.O_NOCTTY
	if !follow {
		flags |= unix.O_NOFOLLOW
	}
	f, err := os.OpenFile(path, flags|noatime, 0)
	if errors.Is(err, unix.EPERM) && noatime != 0 {
		f, err = os.OpenFile(path, flags, 0)
	}
	if err != nil {
		return nil, nil, err
	}
	info, err := f.Stat()
	if err == nil && !info.Mode().IsRegular() {
		err = errNotRegular
	}
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return f, info, nil
}

// idOf returns the device and inode of a FileInfo from os.
func idOf(info fs.FileInfo) (fileID, bool) {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return fileID{}, false
	}
	return fileID{uint64(st.Dev), uint64(st.Ino)}, true //nolint:unconvert // Dev is not uint64 on every unix
}
