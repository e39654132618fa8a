package walk

import (
	"errors"
	"io/fs"
	"os"
)

// errNotRegular is wrapped when a path that was a regular file is something
// else by the time it is opened.
var errNotRegular = errors.New("not a regular file")

// Open opens the file of an entry Walk yielded, for reading. It refuses
// entries with Err or Skip set, and anything but the regular file Walk saw:
// a symlink in the last element is not followed (unless Walk followed it),
// a FIFO swapped in since the walk does not block the open, and the file
// opened must be the same file (device and inode) as e.Info. An entry not
// statted yet (Options.LazyStat) is statted first, so the same holds, and
// the size limit applies; call Entry.Stat beforehand to keep its Info.
// Errors are *fs.PathError values naming e.Rel.
func Open(e Entry) (*os.File, error) {
	if err := e.Stat(); err != nil {
		return nil, err
	}
	if e.Skip != "" {
		return nil, &fs.PathError{Op: "open", Path: e.Rel, Err: errors.New("not opened: " + e.Skip)}
	}
	f, info, err := openRegular(e.Path, e.followed)
	if err == nil && e.Info != nil && !sameFile(e.Info, info) {
		f.Close()
		err = errChanged
	}
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: e.Rel, Err: unwrapPathError(err)}
	}
	return f, nil
}

// sameFile reports whether two FileInfos describe the same file: same
// device and inode where the system has them (Walk's own FileInfos are
// not os values, which os.SameFile requires), else as os.SameFile says.
func sameFile(a, b fs.FileInfo) bool {
	ida, oka := idOf(a)
	idb, okb := idOf(b)
	if oka && okb {
		return ida == idb
	}
	return os.SameFile(a, b)
}
