//go:build !linux && !darwin && !freebsd && !netbsd && !openbsd && !dragonfly

package state

import (
	"errors"
	"io/fs"
	"os"
)

// noFollow is 0 where O_NOFOLLOW does not exist; the Lstat checks before
// each open still refuse a symlink.
const noFollow = 0

func sysMeta(fs.FileInfo, *Meta) {}

func mapFile(*os.File, int64) ([]byte, error) { return nil, errors.ErrUnsupported }

func unmapFile([]byte) {}
