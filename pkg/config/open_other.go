//go:build !unix

package config

import (
	"errors"
	"os"
)

var errNotRegular = errors.New("not a regular file")

// openConfig checks with Lstat (Stat for a trusted file) that the file is
// regular before opening it. Without O_NOFOLLOW and O_NONBLOCK this is
// racy; the tool targets unix systems (see pkg/walk).
func openConfig(name string, trusted bool) (*os.File, error) {
	stat := os.Lstat
	if trusted {
		stat = os.Stat
	}
	fi, err := stat(name)
	if err != nil {
		return nil, err
	}
	if fi.Mode()&os.ModeSymlink != 0 {
		return nil, errors.New("is a symbolic link; a config file inside the scanned tree is not followed")
	}
	if !fi.Mode().IsRegular() {
		return nil, errNotRegular
	}
	return os.Open(name)
}
