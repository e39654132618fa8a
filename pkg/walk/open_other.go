//go:build !unix

package walk

import (
	"io/fs"
	"os"
)

// The scanner targets unix systems. Elsewhere the walk still works, but
// without O_NOFOLLOW, O_NONBLOCK or inode-based loop detection (directory
// loops are then cut only by FollowSymlinks being off).

// defaultParallelism is 1: without inode numbers, Walk cannot check that a
// directory read ahead is still the one its path leads to.
const defaultParallelism = 1

func openDirectory(path string, follow bool) (*os.File, error) {
	return os.Open(path)
}

func openRegular(path string, follow bool) (*os.File, fs.FileInfo, error) {
	info, err := os.Lstat(path)
	if err != nil {
		return nil, nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, nil, errNotRegular
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	if info, err = f.Stat(); err != nil {
		f.Close()
		return nil, nil, err
	}
	return f, info, nil
}

func idOf(info fs.FileInfo) (fileID, bool) { return fileID{}, false }
