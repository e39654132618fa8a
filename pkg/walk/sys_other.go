//go:build !linux

package walk

import (
	"context"
	"io"
	"io/fs"
	"os"
)

// Elsewhere than Linux the walk goes through the os package: directories
// are *os.File values listed with ReadDir, entries are statted by path.

// dirHandle is an open directory, or with f == nil a directory whose
// entries are statted by path only.
type dirHandle struct {
	f *os.File
}

// scratch is per-goroutine memory reused across directories (none here).
type scratch struct{}

// statSlot would hold a stat result; os allocates its own.
type statSlot struct{}

func openDirHandle(hook func(string, bool) (*os.File, error), path string, follow bool) (dirHandle, error) {
	open := openDirectory
	if hook != nil {
		open = hook
	}
	f, err := open(path, follow)
	if err != nil {
		return dirHandle{}, err
	}
	return dirHandle{f: f}, nil
}

func pathHandle() dirHandle { return dirHandle{} }

func (d dirHandle) close() {
	if d.f != nil {
		d.f.Close()
	}
}

func (d dirHandle) statSelf(_ *statSlot, _ string) (fs.FileInfo, error) { return d.f.Stat() }

func (d dirHandle) lstat(_ *statSlot, _, path string) (fs.FileInfo, error) { return os.Lstat(path) }

func (d dirHandle) stat(_ *statSlot, _, path string) (fs.FileInfo, error) { return os.Stat(path) }

// list reads the directory's names in batches, checking ctx between them.
// On error it returns the names read so far.
func (d dirHandle) list(ctx context.Context, _ *scratch, batch int) ([]dirent, error) {
	var ents []dirent
	for {
		b, err := d.f.ReadDir(batch)
		for _, e := range b {
			ents = append(ents, dirent{name: e.Name(), typ: e.Type()})
		}
		if err == nil {
			err = ctx.Err()
		}
		if err == io.EOF {
			return ents, nil
		}
		if err != nil {
			return ents, err
		}
	}
}

// statID reports the device and inode of the directory at path, and
// whether it is one; without inode numbers it always fails.
func statID(path string, follow bool) (id fileID, isDir bool, err error) {
	stat := os.Lstat
	if follow {
		stat = os.Stat
	}
	info, err := stat(path)
	if err != nil {
		return fileID{}, false, err
	}
	id, ok := idOf(info)
	if !ok {
		return fileID{}, false, fs.ErrInvalid
	}
	return id, info.IsDir(), nil
}
