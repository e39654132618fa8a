//go:build unix

package exposure

import (
	"fmt"
	"io/fs"
	"os"
)

func dirMode(dir string) (writable, sticky bool, err error) {
	fi, err := os.Lstat(dir)
	if err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		fi, err = os.Stat(dir)
	}
	if err != nil {
		return false, false, err // *fs.PathError names dir
	}
	if !fi.IsDir() {
		return false, false, fmt.Errorf("%s: not a directory", dir)
	}
	return fi.Mode().Perm()&0o002 != 0, fi.Mode()&fs.ModeSticky != 0, nil
}
