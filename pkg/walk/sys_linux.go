package walk

import (
	"context"
	"encoding/binary"
	"io/fs"
	"os"
	"strings"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// On Linux the walk talks to the kernel directly: a directory is an fd
// listed with getdents64 and its files are statted with fstatat relative to
// it. Each system call is dear here (issue 5 measured about 1 µs for the
// cheapest one on a VM with page-table isolation), and the os package spends
// extra ones per directory (fcntl, epoll registration) and resolves every
// component of a file's path again for each Lstat: fstatat resolves one
// name (1.9 µs instead of 2.7 µs per file on that machine).

// dirHandle is an open directory, or with fd == unix.AT_FDCWD a directory
// that could not be opened again, whose entries are then statted by path.
type dirHandle struct {
	fd int
	f  *os.File // set when Options.openDir opened the directory; owns fd
}

// scratch is per-goroutine memory reused across directories.
type scratch struct {
	buf []byte   // getdents64 buffer
	fi  fileInfo // for entries of unknown type
}

// statSlot is where a stat call stores its result: Entry.Info points into
// a slice of them, one allocation per chunk of files.
type statSlot = fileInfo

// The FileInfo's Sys is a *syscall.Stat_t, as os.Lstat's is, filled by
// x/sys/unix calls: both types are the kernel's struct stat for the
// architecture. Fail to build if they ever differ in size.
var (
	_ [unsafe.Sizeof(syscall.Stat_t{}) - unsafe.Sizeof(unix.Stat_t{})]byte
	_ [unsafe.Sizeof(unix.Stat_t{}) - unsafe.Sizeof(syscall.Stat_t{})]byte
)

func openDirHandle(hook func(string, bool) (*os.File, error), path string, follow bool) (dirHandle, error) {
	if hook != nil {
		f, err := hook(path, follow)
		if err != nil {
			return dirHandle{fd: -1}, err
		}
		fd := -1
		rc, err := f.SyscallConn()
		if err == nil {
			err = rc.Control(func(p uintptr) { fd = int(p) })
		}
		if err != nil {
			f.Close()
			return dirHandle{fd: -1}, err
		}
		return dirHandle{fd: fd, f: f}, nil
	}
	// Unless follow is set, O_NOFOLLOW refuses a symlink in the last
	// element (ENOTDIR with O_DIRECTORY), so a directory swapped for a link
	// since it was listed cannot lead the walk out of the tree.
	flags := unix.O_RDONLY | unix.O_DIRECTORY | unix.O_CLOEXEC
	if !follow {
		flags |= unix.O_NOFOLLOW
	}
	for {
		fd, err := unix.Open(path, flags, 0)
		if err != unix.EINTR {
			if err != nil {
				return dirHandle{fd: -1}, err
			}
			return dirHandle{fd: fd}, nil
		}
	}
}

// pathHandle stats entries by their full path.
func pathHandle() dirHandle { return dirHandle{fd: unix.AT_FDCWD} }

func (d dirHandle) close() {
	switch {
	case d.f != nil:
		d.f.Close()
	case d.fd >= 0:
		unix.Close(d.fd)
	}
}

// statSelf fstats the directory itself; name is the FileInfo's Name.
func (d dirHandle) statSelf(fi *fileInfo, name string) (fs.FileInfo, error) {
	fi.name = name
	for {
		err := unix.Fstat(d.fd, fi.unixStat())
		if err != unix.EINTR {
			if err != nil {
				return nil, err
			}
			return fi, nil
		}
	}
}

// lstat stats the entry name (at path) without following a symlink.
func (d dirHandle) lstat(fi *fileInfo, name, path string) (fs.FileInfo, error) {
	return d.statAt(fi, name, path, unix.AT_SYMLINK_NOFOLLOW)
}

// stat stats what the entry name (at path) points to.
func (d dirHandle) stat(fi *fileInfo, name, path string) (fs.FileInfo, error) {
	return d.statAt(fi, name, path, 0)
}

func (d dirHandle) statAt(fi *fileInfo, name, path string, flags int) (fs.FileInfo, error) {
	stat := fstatat
	p := name
	if d.fd == unix.AT_FDCWD {
		stat, p = unix.Fstatat, path
	}
	fi.name = name
	for {
		err := stat(d.fd, p, fi.unixStat(), flags)
		if err != unix.EINTR {
			if err != nil {
				return nil, err
			}
			return fi, nil
		}
	}
}

// list reads all the directory's entries, in getdents64 rounds of a
// buffer sized for batch names, and checks ctx between rounds. On error it
// returns what it read so far.
func (d dirHandle) list(ctx context.Context, s *scratch, batch int) ([]dirent, error) {
	size := max(batch*32, 512) // a dirent is 19 bytes plus the name, 8-aligned: about 32 for common names
	if cap(s.buf) < size || cap(s.buf) > 2*size {
		s.buf = make([]byte, size)
	}
	buf := s.buf[:size]
	var ents []dirent
	for {
		n, err := unix.Getdents(d.fd, buf)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return ents, err
		}
		if n <= 0 {
			return ents, nil
		}
		ents = parseDirents(d, string(buf[:n]), ents, &s.fi)
		if err := ctx.Err(); err != nil {
			return ents, err
		}
	}
}

// Offsets in struct linux_dirent64: d_ino (8 bytes), d_off (8), d_reclen
// (2), d_type (1), then d_name, NUL-terminated and padded to 8 bytes.
const (
	direntReclen = 16
	direntType   = 18
	direntName   = 19
)

// parseDirents appends the entries of one getdents64 result to ents. The
// names are substrings of s, so a whole batch costs one allocation. A
// malformed record ends the batch. An entry whose type the file system
// does not report (DT_UNKNOWN) is lstatted, as os.ReadDir does; one that
// has gone meanwhile is dropped, and one that cannot be statted is kept as
// a file, so that its own Lstat reports the error.
func parseDirents(d dirHandle, s string, ents []dirent, fi *fileInfo) []dirent {
	for off := 0; off+direntName <= len(s); {
		reclen := int(native16(s[off+direntReclen:]))
		if reclen < direntName || reclen > len(s)-off {
			break
		}
		rec := s[off : off+reclen]
		off += reclen
		name := rec[direntName:]
		if i := strings.IndexByte(name, 0); i >= 0 {
			name = name[:i]
		}
		if rec[:8] == "\x00\x00\x00\x00\x00\x00\x00\x00" || name == "" || name == "." || name == ".." || strings.IndexByte(name, '/') >= 0 {
			continue // a deleted entry (inode 0), or nothing a name can be
		}
		typ, known := direntMode(rec[direntType])
		if !known {
			info, err := d.lstat(fi, name, "")
			switch {
			case err == nil:
				typ = info.Mode().Type()
			case err == unix.ENOENT:
				continue
			default:
				typ = 0
			}
		}
		ents = append(ents, dirent{name, typ, !known})
	}
	return ents
}

// native16 reads a uint16 in the machine's byte order, as the kernel
// writes it.
func native16(s string) uint16 {
	var b [2]byte
	copy(b[:], s)
	return binary.NativeEndian.Uint16(b[:])
}

// direntMode maps a d_type to the type bits of an fs.FileMode, as os does.
func direntMode(t byte) (fs.FileMode, bool) {
	switch t {
	case unix.DT_REG:
		return 0, true
	case unix.DT_DIR:
		return fs.ModeDir, true
	case unix.DT_LNK:
		return fs.ModeSymlink, true
	case unix.DT_FIFO:
		return fs.ModeNamedPipe, true
	case unix.DT_SOCK:
		return fs.ModeSocket, true
	case unix.DT_BLK:
		return fs.ModeDevice, true
	case unix.DT_CHR:
		return fs.ModeDevice | fs.ModeCharDevice, true
	}
	return 0, false
}

// statID reports the device and inode of the directory at path (following
// a last-element symlink only with follow), and whether it is one.
func statID(path string, follow bool) (id fileID, isDir bool, err error) {
	var st unix.Stat_t
	for {
		if follow {
			err = unix.Stat(path, &st)
		} else {
			err = unix.Lstat(path, &st)
		}
		if err != unix.EINTR {
			break
		}
	}
	if err != nil {
		return fileID{}, false, err
	}
	return fileID{uint64(st.Dev), uint64(st.Ino)}, st.Mode&unix.S_IFMT == unix.S_IFDIR, nil //nolint:unconvert // Dev is not uint64 on every architecture
}

// fileInfo is the fs.FileInfo of an entry, as os.Lstat would return it:
// same Name, Size, Mode, ModTime and a *syscall.Stat_t from Sys. It is not
// an os type, so os.SameFile does not take it; compare with sameFile.
type fileInfo struct {
	name string
	sys  syscall.Stat_t
}

func (fi *fileInfo) unixStat() *unix.Stat_t { return (*unix.Stat_t)(unsafe.Pointer(&fi.sys)) }

func (fi *fileInfo) Name() string       { return fi.name }
func (fi *fileInfo) Size() int64        { return fi.sys.Size }
func (fi *fileInfo) ModTime() time.Time { return time.Unix(fi.sys.Mtim.Unix()) }
func (fi *fileInfo) IsDir() bool        { return fi.sys.Mode&syscall.S_IFMT == syscall.S_IFDIR }
func (fi *fileInfo) Sys() any           { return &fi.sys }

// Mode follows os.fillFileStatFromSys.
func (fi *fileInfo) Mode() fs.FileMode {
	m := fs.FileMode(fi.sys.Mode & 0o777)
	switch fi.sys.Mode & syscall.S_IFMT {
	case syscall.S_IFBLK:
		m |= fs.ModeDevice
	case syscall.S_IFCHR:
		m |= fs.ModeDevice | fs.ModeCharDevice
	case syscall.S_IFDIR:
		m |= fs.ModeDir
	case syscall.S_IFIFO:
		m |= fs.ModeNamedPipe
	case syscall.S_IFLNK:
		m |= fs.ModeSymlink
	case syscall.S_IFSOCK:
		m |= fs.ModeSocket
	}
	if fi.sys.Mode&syscall.S_ISGID != 0 {
		m |= fs.ModeSetgid
	}
	if fi.sys.Mode&syscall.S_ISUID != 0 {
		m |= fs.ModeSetuid
	}
	if fi.sys.Mode&syscall.S_ISVTX != 0 {
		m |= fs.ModeSticky
	}
	return m
}
